"""What happened next, the quality of the move, who carried it and the baskets in the note
(issue 13), over every session of 2025 on the real snapshot.

The sessions' metrics are the year-wide audit's (``test_realdata``: computed once per test
session); its claims audit checks each sentence's preconditions (``tests/support/move_claims``).
Here: which signals are told and how (history, small samples, survivorship), the words against
the figures in the English text, and the note's new tables against report.json, in both
languages.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections import Counter
from typing import Any

import pytest

from reporter.i18n import (
    format_date_medium,
    format_integer,
    format_number,
    format_percent,
)
from reporter.insights import Insights, render_text
from reporter.insights.rules.history import PRIORITY, TOLD
from reporter.render.html import note_context, render_template
from reporter.resources import package_file
from reporter.vocabulary import LARGE_CAPS, SIGNALS, SMALL_CAPS
from tests.insights.test_realdata import (  # noqa: F401  (the year's fixtures)
    capitulation_holds,
    english,
    found,
    reports,
    sessions,
)

pytestmark = pytest.mark.marketdata

DAYS = ("2025-04-09", "2025-12-31")
LOCALES = ("zh-CN", "en-US")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _ids(ins: Insights, prefix: tuple[str, ...]) -> list[str]:
    return [f.id for f in ins.insights if f.id.startswith(prefix)]


def test_the_signal_names_are_the_metrics_signals() -> None:
    schema = json.loads(package_file("schema/report.schema.json").read_text())
    ids = schema["properties"]["analogs"]["properties"]["fired_today"]["items"]["enum"]
    assert sorted(SIGNALS) == sorted(ids) == sorted(PRIORITY)


def test_every_session_tells_what_followed_its_first_signals(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]  # noqa: F811
) -> None:
    """Each session with a signal tells what followed the first ``TOLD`` of them (in the
    family's order); one without tells nothing of history."""
    fired_days, told_capitulation = 0, set()
    for day, ins in found.items():
        fired = reports[day]["analogs"]["fired_today"]
        told = [f.params["signal"] for f in ins.insights if f.id.startswith("history_")]
        # the member signal "capitulation" is the story's definition (size and volume), so
        # it is told as it fired; it fires exactly where those preconditions hold (computed
        # here from the report's figures, independently)
        holds = capitulation_holds(reports[day])
        assert ("capitulation" in fired) == holds, day
        expected = [s for s in PRIORITY if s in fired][:TOLD]
        assert told == expected, (day, told, fired)
        fired_days += bool(fired)
        if holds:
            told_capitulation.add(day)
    assert 20 < fired_days < len(found)
    # 2025-12-31 (92.7% down volume, 96% decliners, 0.58x volume) is no capitulation
    assert "2025-12-31" not in told_capitulation and "2025-04-04" in told_capitulation


def test_history_sentences_are_history_and_small_samples_are_said_to_be_small(
    found: dict[str, Insights], english: dict[str, dict[int, str]]  # noqa: F811
) -> None:
    kinds: Counter[str] = Counter()
    for day, ins in found.items():
        for f in ins.insights:
            if not f.id.startswith("history_"):
                continue
            said = english[day][id(f)]
            kinds[f.id] += 1
            assert not re.search(r"\b(will|expect|forecasts?\b(?<!a forecast))", said), said
            if f.params["history"] == "members":
                assert "members' history" in said and "today's members" in said, said
            else:
                assert "indices' history" in said, said
            if f.id == "history_small":
                assert f.params["n"] < f.params["min_sample"]
                assert "too small a sample" in said, said
                assert not re.search(r"\b(higher|lower|little changed)\b", said), said
                continue
            assert said.startswith("History, not a forecast"), said
            for key in ("spx", "rut"):
                p = f.params[key]
                shown = format_percent(p["median"], "en-US", 1, signed=True)
                word = {"up": "higher", "down": "lower", "flat": "little changed"}[p["direction"]]
                assert re.search(rf"was {word}\b[^(]*\({re.escape(shown)},", said), (key, said)
                sign = 0 if shown in ("0.0%", "+0.0%", "-0.0%") else 1 if p["median"] > 0 else -1
                assert {1: "up", -1: "down", 0: "flat"}[sign] == p["direction"]
    # in 2025 every signal told had at least ten earlier occurrences (a small sample is
    # checked on a changed report below)
    assert kinds["history_after"] > 20, kinds


@pytest.mark.parametrize("locale", LOCALES)
def test_a_small_sample_is_said_to_be_small_with_no_direction(
    locale: str, reports: dict[str, dict[str, Any]]  # noqa: F811
) -> None:
    from reporter.insights import InsightsConfig, derive

    report = copy.deepcopy(reports["2025-04-09"])
    sid = [s for s in PRIORITY if s in report["analogs"]["fired_today"]][0]
    report["analogs"]["signals"][sid]["forward"][SMALL_CAPS]["21"]["n"] = 4
    report["analogs"]["signals"][sid]["forward"][SMALL_CAPS]["21"]["small_sample"] = True
    ins = derive(report, InsightsConfig())
    (small,) = [f for f in ins.insights if f.id == "history_small"]
    assert small.params["signal"] == sid and small.params["n"] == 4
    said = render_text(ins, report, locale).insights[ins.insights.index(small)]
    if locale == "en-US":
        assert "too small a sample" in said and "only 4 earlier" in said, said
        assert not re.search(r"\b(higher|lower|little changed)\b", said), said
    else:
        assert "样本过小" in said and "4次" in said, said


def test_each_new_sentence_fires_on_some_sessions_and_words_follow_the_figures(
    found: dict[str, Insights], english: dict[str, dict[int, str]]  # noqa: F811
) -> None:
    seen: Counter[str] = Counter()
    prefixes = ("quality_", "carry_", "basket_")
    for day, ins in found.items():
        for f in ins.insights:
            if not f.id.startswith(prefixes):
                continue
            seen[f.id] += 1
            said = english[day][id(f)]
            r = f.params.get("return_1d")
            if re.search(r"\b(rose|advance)\b", said) and f.id.startswith("quality_"):
                assert r is not None and r > 0, (day, said)
            if re.search(r"\b(fell|decline)\b", said) and f.id.startswith("quality_"):
                assert r is not None and r < 0, (day, said)
            if f.id == "carry_largest":
                etf = f.params["etf_return_1d"]
                assert ("rose" in said) == (etf > 0) and ("fell" in said) == (etf < 0), said
                assert ("proxy" in said) == bool(f.params["movers"]), said
    for fid in ("quality_broad_advance", "quality_broad_decline", "quality_sigma_move",
                "quality_vix_rich", "carry_largest", "basket_squeeze"):
        assert 0 < seen[fid] < len(found), (fid, seen)


# --- the note's tables against report.json ---------------------------------------------------


def _cells(row: str) -> list[str]:
    """The text of each cell of one table row."""
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def _history_rows(page: str) -> dict[tuple[str, int], list[str]]:
    out = {}
    for sid, body in re.findall(r'<tbody class="signal" data-signal="(\w+)">(.*?)</tbody>',
                                page, flags=re.S):
        for h, row in re.findall(r'<tr data-horizon="(\d+)">(.*?)</tr>', body, flags=re.S):
            out[(sid, int(h))] = _cells(row)
    return out


def _note(report: dict[str, Any], ins: Insights, locale: str) -> str:
    text = render_text(ins, report, locale)
    ctx = note_context(report, text, {}, locale=locale, title="", author="")
    return render_template("sections/history.html", ctx)


def _pct(x: float | None, locale: str, digits: int, signed: bool = False) -> str:
    return format_percent(x, locale, digits, signed=signed)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("day", DAYS)
def test_the_what_happened_next_table_shows_report_json_figures(
    day: str, locale: str, reports: dict[str, dict[str, Any]],  # noqa: F811
    found: dict[str, Insights]  # noqa: F811
) -> None:
    r = reports[day]
    a = r["analogs"]
    assert a["fired_today"], day  # both days have signals: the table is there
    rows = _history_rows(_note(r, found[day], locale))
    assert set(rows) == {(s, h) for s in a["fired_today"] for h in a["horizons"]}
    for (sid, h), cells in rows.items():
        spx = a["signals"][sid]["forward"][LARGE_CAPS][str(h)]
        rut = a["signals"][sid]["forward"][SMALL_CAPS][str(h)]
        n = format_integer(spx["n"], locale)
        if rut["n"] != spx["n"]:
            n += " / " + format_integer(rut["n"], locale)
        if spx["small_sample"] or rut["small_sample"]:
            n += "*"
        assert cells == [
            format_integer(h, locale),
            _pct(spx["median"], locale, 1, True),
            _pct(spx["share_positive"], locale, 0),
            _pct(rut["median"], locale, 1, True),
            _pct(rut["share_positive"], locale, 0),
            n,
            format_date_medium(spx["first"], locale) + (
                "" if rut["first"] == spx["first"] else
                " / " + format_date_medium(rut["first"], locale)),
            format_date_medium(spx["last"], locale) + (
                "" if rut["last"] == spx["last"] else
                " / " + format_date_medium(rut["last"], locale)),
        ], (sid, h)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("day", DAYS)
def test_the_quality_tables_show_report_json_figures(
    day: str, locale: str, reports: dict[str, dict[str, Any]],  # noqa: F811
    found: dict[str, Insights]  # noqa: F811
) -> None:
    r = reports[day]
    q = r["quality"]
    page = _note(r, found[day], locale)
    stats = re.search(r'<table class="stats quality-table">(.*?)</table>', page, flags=re.S)
    assert stats is not None
    values = [c for row in re.findall(r"<tr>(.*?)</tr>", stats.group(1), flags=re.S)
              for c in _cells(row)[1::2]]
    top = [] if q["close_top_quarter"] is None else [
        _pct(q["close_top_quarter"], locale, 1), _pct(q["close_bottom_quarter"], locale, 1)]
    assert values[0] == _pct(r["breadth"]["up_volume_share"], locale, 1)
    assert values[2:6] == [format_number(q[k], locale, 2) for k in (
        "volume_vs_20d", "volume_vs_50d", "volume_median_ratio_20d", "volume_median_ratio_50d")]
    assert values[6:6 + len(top)] == top
    assert values[6 + len(top):] == [
        format_number(q["realized_volatility_20d"] * 100, locale, 1),
        format_number(q["vix"], locale, 2)]
    for sym, m in q["index_moves"].items():
        row = re.search(rf'<tr data-symbol="{re.escape(sym)}">(.*?)</tr>', page, flags=re.S)
        assert row is not None
        assert _cells(row.group(1))[1:] == [
            _pct(m["return_1d"], locale, 2, True), _pct(m["volatility_20d"], locale, 2),
            format_number(m["sigmas"], locale, 1, signed=True)]
    for c in r["sector_carry"]:
        row = re.search(rf'<tr data-etf="{c["etf"]}">(.*?)</tr>', page, flags=re.S)
        assert row is not None
        cells = _cells(row.group(1))
        assert cells[1:4] == [_pct(c["etf_return_1d"], locale, 1, True),
                              _pct(c["median_return_1d"], locale, 1, True),
                              # percentage points, the unit in the column's header
                              format_number(c["gap"] * 100, locale, 1, signed=True)]
        movers = [f"{m['symbol']} {_pct(m['return_1d'], locale, 1, True)}" for m in c["movers"]]
        assert cells[4] == ", ".join(movers)
    for basket in ("momentum", "volatility"):
        row = re.search(rf'<tr class="spread" data-basket="{basket}">(.*?)</tr>', page,
                        flags=re.S)
        assert row is not None
        spreads = [r["baskets"][basket][f"spread_{w}"] for w in ("1d", "5d", "mtd")]
        # percentage points, the unit in the row's name
        assert _cells(row.group(1))[0].endswith(", pp" if locale == "en-US" else "（百分点）")
        assert _cells(row.group(1))[1:] == [format_number(s * 100, locale, 1, signed=True)
                                            for s in spreads]


@pytest.mark.parametrize("day", DAYS)
def test_the_new_sections_render_in_both_languages(
    day: str, reports: dict[str, dict[str, Any]], found: dict[str, Insights]  # noqa: F811
) -> None:
    zh, en = (_note(reports[day], found[day], loc) for loc in LOCALES)
    assert "What happened next" in en and "Quality of the move" in en and "Who carried it" in en
    assert "What happened next" not in zh and "Quality of the move" not in zh
    for heading in ("其后走势", "行情质量", "谁在带动", "成分股组合"):
        assert heading in zh, heading
    visible = re.sub(r"<[^>]+>|\b(n|S&amp;P|VIX|ETF|[A-Z]{2,5})\b", " ", zh)
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r'(class|data-\w+)="[^"]*"', "", visible))
    for sid in reports[day]["analogs"]["fired_today"]:
        name = html.escape(SIGNALS[sid].short, quote=False)
        assert name in en, sid
    text = render_text(found[day], reports[day], "zh-CN")
    told = [s for f, s in zip(found[day].insights, text.insights, strict=True)
            if f.id.startswith(("history_", "quality_", "carry_", "basket_"))]
    assert told and all(CJK.search(s) for s in told)
