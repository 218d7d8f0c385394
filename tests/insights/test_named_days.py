"""Five named sessions end to end through ``reporter run`` on the real snapshot: each edition
opens with the day's headline and summary, and carries at least three risks and two
opportunities, each with the level that would confirm or invalidate it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reporter.insights import Insights
from reporter.insights.text import render_report_text
from tests.support.cli import exit_code

pytestmark = pytest.mark.marketdata

DAYS = ("2025-04-04", "2025-04-09", "2025-08-22", "2025-11-20", "2025-12-31")
LOCALES = ("zh-CN", "en-US")
#: The words of a trigger in each language (its whole sentence is a catalog message).
TRIGGER = {"en-US": re.compile(r"(Confirmed|Invalidated) if .+ \(now .+\)\."),
           "zh-CN": re.compile(r"(确认信号|失效信号)：.+（目前为.+）。")}
SUMMARY = {"en-US": "Summary", "zh-CN": "综述"}


@pytest.fixture(scope="module")
def out(marketdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("named")
    for day in DAYS:
        code = exit_code("run", "--source", f"csv:{marketdata}", "--date", day, "--out",
                         str(folder), "--lang", ",".join(LOCALES), "--quiet")
        assert code == 0, day
    return folder


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def flat(text: str) -> str:
    """PDF text without its line breaks and layout spaces (Chinese has no spaces at all)."""
    return re.sub(r"\s+", " ", text).strip()


def squeeze(text: str) -> str:
    """Without any white space: line breaks fall anywhere (after a hyphen too)."""
    return re.sub(r"\s+", "", text)


def report(out: Path, day: str) -> dict[str, Any]:
    return json.loads((out / day / "report.json").read_text("utf-8"))


@pytest.mark.parametrize("day", DAYS)
def test_report_json_holds_the_narrative_and_the_triggers(out: Path, day: str) -> None:
    found = Insights.from_report(report(out, day))
    assert found.story is not None and found.headline is not None
    assert found.headline.id == f"headline_{found.story.id}"
    assert 3 <= len(found.summary) <= 5
    assert len(found.risks) >= 3 and len(found.opportunities) >= 2
    for f in (*found.risks, *found.opportunities):
        t = f.params["trigger"]
        assert t["direction"] in ("above", "below") and ("confirms" in t or "invalidates" in t)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("day", DAYS)
def test_each_edition_opens_with_the_headline_and_the_summary(out: Path, day: str,
                                                              locale: str) -> None:
    text = render_report_text(report(out, day), locale)
    first = pages(out / day / f"market-breadth_{day}_{locale}.pdf")[0]
    page = squeeze(first)
    assert squeeze(text.headline) in page
    assert SUMMARY[locale] in first
    assert squeeze(text.summary[0]) in page
    # the headline comes before the key data
    assert page.index(squeeze(text.headline)) < page.index(squeeze(text.key_points[0]))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("day", DAYS)
def test_risks_and_opportunities_carry_their_triggers_in_the_pdf(out: Path, day: str,
                                                                 locale: str) -> None:
    text = render_report_text(report(out, day), locale)
    body = squeeze("".join(pages(out / day / f"market-breadth_{day}_{locale}.pdf")))
    assert len(text.risks) >= 3 and len(text.opportunities) >= 2
    for item in (*text.risks, *text.opportunities):
        assert TRIGGER[locale].search(item), item
        assert squeeze(item) in body, item


@pytest.mark.parametrize("day", DAYS)
def test_the_pdf_title_and_subject_are_the_headline(out: Path, day: str) -> None:
    for locale in LOCALES:
        text = render_report_text(report(out, day), locale)
        info = subprocess.run(["pdfinfo", str(out / day / f"market-breadth_{day}_{locale}.pdf")],
                              check=True, capture_output=True, text=True).stdout
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        assert fields["Title"].strip() == text.headline
        assert fields["Subject"].strip() == text.headline


@pytest.mark.parametrize("day", DAYS)
def test_no_page_holds_only_the_disclaimer_and_no_section_is_an_apology(out: Path,
                                                                        day: str) -> None:
    for locale in LOCALES:
        every = pages(out / day / f"market-breadth_{day}_{locale}.pdf")
        last = flat(every[-1])
        heading = "Disclaimer" if locale == "en-US" else "免责声明"
        # the disclaimer's page holds more than the disclaimer, the running head and foot
        page = next(p for p in every if heading in p)
        body = flat(page).split(heading)[0]
        assert len(body) > 200, (day, locale, last[:200])
        whole = flat("".join(every))
        assert "does not provide valuations" not in whole
        if locale == "en-US":  # the method section says what was left out
            assert "small-cap valuation gap is left out" in whole
