"""The rules over every session of 2025 on the real snapshot (metrics computed per session).

Metrics are computed once per session for the whole module (about 0.15 s a session, some 40 s in
all): the panel of each session is the history window up to it, as the store hands it over.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reporter.config import load
from reporter.insights import Insights, InsightsConfig, derive, render_text
from reporter.insights.rules import SPECS
from reporter.metrics import compute
from reporter.model import Panel
from tests.metrics.realdata import full_panel

pytestmark = pytest.mark.marketdata

CFG = InsightsConfig()
SELL_OFF, RALLY = "2025-04-04", "2025-04-09"
# the April 2025 sell-off and its aftermath: busy sessions for every kind of finding
BUSY = ["2025-04-04", "2025-04-07", "2025-04-09", "2025-04-22"]


@cache
def _reports(folder: Path) -> dict[str, dict[str, Any]]:
    cfg = load()
    full = full_panel(folder)
    out = {}
    for day in full.close.loc["2025"].index:
        close = full.close.loc[:day].iloc[-cfg.metrics.history_sessions:]
        panel = Panel(close, full.volume.loc[close.index], full.members, full.source)
        iso = day.date().isoformat()
        out[iso] = compute(panel, cfg.universe, cfg.metrics).to_dict()
    return out


@pytest.fixture(scope="module")
def reports(marketdata: Path) -> dict[str, dict[str, Any]]:
    return _reports(marketdata)


@pytest.fixture(scope="module")
def found(reports: dict[str, dict[str, Any]]) -> dict[str, Insights]:
    return {day: derive(report, CFG) for day, report in reports.items()}


def resolve(report: dict[str, Any], path: str) -> Any:
    node: Any = report
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        node = node[int(index)] if index else node[key]
    return node


def signature(ins: Insights) -> set[tuple[str, str]]:
    """What a finding says, beyond its figures: its id and the series it is about."""
    return {(f.id, str(f.params.get("symbol", ""))) for f in ins.all()}


def test_the_whole_year_is_covered(found: dict[str, Insights]) -> None:
    assert len(found) == 250  # NYSE sessions of 2025
    assert min(found) == "2025-01-02" and max(found) == "2025-12-31"


def test_no_risk_or_opportunity_rule_fires_on_every_session(found: dict[str, Insights]) -> None:
    counts: Counter[str] = Counter()
    for ins in found.values():
        counts.update({f.id for f in (*ins.risks, *ins.opportunities)})
    always = [fid for fid, n in counts.items() if n == len(found)]
    assert always == []
    # and the rules are alive: most risk and opportunity rules fire at least once in a year
    # that held a crash, a rally and a record run
    kinds = [i for i, s in SPECS.items() if s.kind in ("risk", "opportunity")]
    assert len(set(counts) & set(kinds)) >= 20


def test_every_session_has_five_to_seven_key_points(found: dict[str, Insights]) -> None:
    sizes = Counter(len(ins.key_points) for ins in found.values())
    assert set(sizes) <= {5, 6, 7}


def test_tone_varies_over_the_year(found: dict[str, Insights]) -> None:
    tones = Counter(ins.tone for ins in found.values())
    assert set(tones) == {"positive", "neutral", "negative"}


def test_sell_off_and_rally_days_differ(found: dict[str, Insights]) -> None:
    down, up = found[SELL_OFF], found[RALLY]
    a, b = signature(down), signature(up)
    assert len(a & b) < len(a | b) / 2, sorted(a & b)
    assert down.tone == "negative" and up.tone == "positive"
    assert ("kp_index_down", "^GSPC") in a and ("kp_index_up", "^GSPC") in b
    assert "down_volume_thrust" in {f.id for f in down.risks}
    assert "up_volume_thrust" in {f.id for f in up.opportunities}


@pytest.mark.parametrize("day", BUSY)
def test_busy_days_carry_key_points_risks_and_opportunities_with_evidence(
    day: str, reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    ins = found[day]
    assert len(ins.key_points) >= 5
    assert len(ins.risks) >= 3
    assert len(ins.opportunities) >= 2
    for f in ins.all():
        assert f.evidence, f.id
        for e in f.evidence:
            assert resolve(reports[day], e["path"]) == e["value"], (f.id, e)


def test_busy_days_say_different_things(found: dict[str, Insights]) -> None:
    for i, first in enumerate(BUSY):
        for second in BUSY[i + 1:]:
            assert signature(found[first]) != signature(found[second]), (first, second)


def test_every_finding_of_the_year_renders_in_both_languages(
    reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    for day, ins in found.items():
        for locale in ("zh-CN", "en-US"):
            text = render_text(ins, reports[day], locale)
            for line in (*text.key_points, *text.insights, *text.risks, *text.opportunities):
                assert line and "{" not in line and "%(" not in line, (day, line)
