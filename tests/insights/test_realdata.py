"""The rules over every session of 2025 on the real snapshot, and the claims audit.

Metrics are computed once per session for the whole test session (about 0.35 s a session, some
90 s in all): each session's panel is the member window up to it with the non-member series'
whole history, as the pipeline reads them (``tests.support.realdata.load_panel``). The audit
then checks, on every finding of every session, the preconditions of what its sentence says
(DESIGN.md, "Analysis"), figure by figure, against the report it came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reporter.config import load
from reporter.i18n import format_percent, shown_sign
from reporter.insights import Finding, Insights, InsightsConfig, derive, render_text
from reporter.insights.rules import SPECS
from reporter.insights.rules.specs import BEARISH, BULLISH, STORIES
from reporter.insights.text import sentence
from reporter.metrics import compute
from reporter.render.charts.indices import window_change
from reporter.vocabulary import HEADLINE_INDICES, LARGE_CAPS, SMALL_CAPS
from tests.support.move_claims import MOVE_CLAIMS
from tests.support.realdata import full_panel, load_panel, load_reference

pytestmark = pytest.mark.marketdata

CFG = InsightsConfig()
SELL_OFF, RALLY = "2025-04-04", "2025-04-09"
# the April 2025 sell-off and its aftermath: busy sessions for every kind of finding
BUSY = ["2025-04-04", "2025-04-07", "2025-04-09", "2025-04-22"]


@dataclass(frozen=True)
class Session:
    """A session's report and what its charts label: each index line's change and the size
    ratio's change over the chart window."""

    report: dict[str, Any]
    index_labels: dict[str, float | None]
    ratio_label: float | None


@cache
def _sessions(folder: Path) -> dict[str, Session]:
    cfg = load()
    full = full_panel(folder)
    out = {}
    for day in full.close.loc["2025"].index:
        iso = day.date().isoformat()
        metrics = compute(load_panel(folder, iso, cfg.metrics.history_sessions), cfg.universe,
                          cfg.metrics)
        report = {**metrics.to_dict(), "as_of": iso}
        lines = metrics.series.index_rebased
        out[iso] = Session(report, {s: window_change(lines[s]) for s in lines.columns},
                           window_change(metrics.series.relative_strength))
    return out


@pytest.fixture(scope="module")
def sessions(marketdata: Path) -> dict[str, Session]:
    return _sessions(marketdata)


@pytest.fixture(scope="module")
def reports(sessions: dict[str, Session]) -> dict[str, dict[str, Any]]:
    return {day: s.report for day, s in sessions.items()}


@pytest.fixture(scope="module")
def found(reports: dict[str, dict[str, Any]]) -> dict[str, Insights]:
    return {day: derive(report, CFG) for day, report in reports.items()}


@pytest.fixture(scope="module")
def english(found: dict[str, Insights],
            reports: dict[str, dict[str, Any]]) -> dict[str, dict[int, str]]:
    """Every finding's English sentence, by the finding's identity."""
    from reporter.insights.text import sentence

    return {day: {id(f): sentence(f, "en-US") for f in everything(ins)}
            for day, ins in found.items()}


def everything(ins: Insights) -> tuple[Finding, ...]:
    return (*ins.all(), *((ins.story,) if ins.story else ()), *ins.narrative())


def resolve(report: dict[str, Any], path: str) -> Any:
    node: Any = report
    for key, inner in re.findall(r"([^.\[\]]+)|\[([^\]]+)\]", path):
        node = node[key] if key else node[int(inner)] if inner.isdigit() else node[inner]
    return node


def signature(ins: Insights) -> set[tuple[str, str]]:
    """What a finding says, beyond its figures: its id and the series it is about."""
    return {(f.id, str(f.params.get("symbol", ""))) for f in ins.all()}


def pct(x: float) -> int:
    """The sign of a return as the note shows it: a percentage with one decimal."""
    return shown_sign(x, 1, 100.0)


# --- the year ---------------------------------------------------------------------------------


def test_the_whole_year_is_covered(found: dict[str, Insights]) -> None:
    assert len(found) == 250  # NYSE sessions of 2025
    assert min(found) == "2025-01-02" and max(found) == "2025-12-31"


def test_every_session_has_three_risks_and_two_opportunities_with_triggers(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    for day, ins in found.items():
        assert len(ins.risks) >= 3, (day, [f.id for f in ins.risks])
        assert len(ins.opportunities) >= 2, (day, [f.id for f in ins.opportunities])
        for f in (*ins.risks, *ins.opportunities):
            t = f.params["trigger"]
            # the figure the trigger watches is the report's, and the level lies ahead of it
            assert resolve(reports[day], t["path"]) == pytest.approx(t["now"]), (day, f.id, t)
            assert (t["now"] <= t["level"]) if t["direction"] == "above" else (
                t["now"] >= t["level"]), (day, f.id, t)
            assert ("confirms" in t) != ("invalidates" in t), (day, f.id)
            if "ref" in t:  # a level named as an average is that average of the figure
                base = t["path"].rsplit(".", 1)[0]
                assert t["level"] == resolve(reports[day], f"{base}.{t['ref']}"), (day, f.id, t)
        for kind in (ins.risks, ins.opportunities):
            assert [f.score for f in kind] == sorted((f.score for f in kind), reverse=True)


def test_no_point_is_made_twice_among_risks_or_opportunities(found: dict[str, Insights]) -> None:
    """Two findings of one group (two VIX readings, two oversold shares) never both stand among
    a session's risks or its opportunities, unless the fewest the note shows needed both."""
    twice = 0
    for day, ins in found.items():
        for kind, least in ((ins.risks, 3), (ins.opportunities, 2)):
            groups = Counter(SPECS[f.id].group for f in kind)
            if max(groups.values(), default=0) > 1:
                twice += 1
                assert len(kind) <= least, (day, [f.id for f in kind])
    assert twice < len(found) // 10  # the exception, not the rule
    opportunities = [f.id for f in found["2025-04-09"].opportunities]
    assert sum(SPECS[i].group == "vix" for i in opportunities) == 1, opportunities


def test_no_trigger_is_both_a_risk_and_an_opportunity(found: dict[str, Insights]) -> None:
    """A risk and an opportunity never watch the same figure at the same level (one close
    below the 50-day average confirming the one and invalidating the other), unless both kinds
    are at the fewest the note shows."""
    for day, ins in found.items():
        def keys(kind: tuple[Finding, ...]) -> set[tuple[str, float]]:
            return {(f.params["trigger"]["path"], round(f.params["trigger"]["level"], 9))
                    for f in kind}
        if keys(ins.risks) & keys(ins.opportunities):
            assert len(ins.risks) == 3 and len(ins.opportunities) == 2, day
    dec31 = found["2025-12-31"]
    assert not keys(dec31.risks) & keys(dec31.opportunities)


def test_no_rule_fires_on_every_session(found: dict[str, Insights]) -> None:
    counts: Counter[str] = Counter()
    for ins in found.values():
        counts.update({f.id for f in (*ins.insights, *ins.risks, *ins.opportunities)})
    always = [fid for fid, n in counts.items() if n == len(found)]
    assert always == []
    # and the rules are alive: most risk and opportunity rules fire at least once in a year
    # that held a crash, a rally and a record run
    kinds = [i for i, s in SPECS.items() if s.kind in ("risk", "opportunity")]
    assert len(set(counts) & set(kinds)) >= 40


def test_every_session_has_a_story_a_headline_and_a_summary(found: dict[str, Insights]) -> None:
    stories: Counter[str] = Counter()
    for day, ins in found.items():
        assert ins.story is not None and ins.story.id in STORIES, day
        assert ins.headline is not None and ins.headline.id == f"headline_{ins.story.id}"
        assert 3 <= len(ins.summary) <= 5, (day, [f.id for f in ins.summary])
        assert ins.week and ins.week[0].id == "week_streak", day
        stories[ins.story.id] += 1
    # a year that held a crash, a rally and a record run tells many stories
    assert len(stories) >= 10, stories
    assert stories.most_common(1)[0][1] < len(found) / 3, stories


def test_the_week_in_review_comes_on_the_last_session_of_each_week(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    for day, ins in found.items():
        review = [f for f in ins.week if f.id == "week_review"]
        assert bool(review) == reports[day]["week"]["is_week_end"], day


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
    assert down.story is not None and down.story.id == "capitulation"
    assert up.story is not None and up.story.id == "breadth_thrust"


@pytest.mark.parametrize("day", BUSY)
def test_busy_days_carry_key_points_risks_and_opportunities_with_evidence(
    day: str, reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    ins = found[day]
    assert len(ins.key_points) >= 5
    assert len(ins.risks) >= 3
    assert len(ins.opportunities) >= 2
    for f in everything(ins):
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
            lines = (text.headline, *text.summary, *text.week, *text.key_points, *text.insights,
                     *text.risks, *text.opportunities)
            for line in lines:
                assert line and "{" not in line and "%(" not in line, (day, line)


def test_no_chinese_figure_of_the_year_can_be_parted_from_its_unit(
    reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    """Every Chinese sentence of 2025 as the note marks it up: each figure with its unit (a hand
    list of the units the text uses most, not the renderer's) or an index name with its number
    sits inside one unbreakable span, and the spans change no character of the text."""
    from markupsafe import escape

    from reporter.render.html import bind_figures, filter_table

    keep_end = filter_table("zh-CN")["keep_end"]
    figure = re.compile(r"\d(?:个百分点|个交易日|日均线|日均量|倍|只)|(?:标普|罗素)\d")
    kept = re.compile(r'<span class="keep">(?:[^<]|<span class="keep">[^<]*</span>)*</span>')
    seen = 0
    for day, ins in found.items():
        text = render_text(ins, reports[day], "zh-CN")
        lines = (*text.summary, *text.week, *text.key_points, *text.insights, *text.risks,
                 *text.opportunities)
        shown = [(str(keep_end(text.headline)), text.headline)]
        shown += [(str(escape(line)), line) for line in lines]
        for markup, line in shown:
            bound = bind_figures(markup)
            seen += len(figure.findall(line))
            assert figure.search(kept.sub("#", bound)) is None, (day, bound)
            assert re.sub(r"<[^>]+>", "", bound) == str(escape(line)), day
    assert seen > 5000


def _headline_lines(html: str, resources: dict, headline: str) -> list[tuple[str, float]]:
    """The lines (text, width) of ``headline`` as the note's masthead lays it out: the note's
    page up to its masthead, with ``headline`` in place of the one it was made with ("X")."""
    from reporter.render.pdf import layout

    head = html[: html.index("</header>") + len("</header>")]
    assert head.count('headline">X</h1>') == 1
    doc = layout(head.replace('headline">X</h1>', f'headline">{headline}</h1>') + "</section>",
                 resources, name="masthead")
    boxes = [doc.pages[0]._page_box]
    while boxes:
        box = boxes.pop()
        if getattr(box, "element_tag", None) == "h1":
            return [("".join(t.text for t in line.descendants() if isinstance(
                getattr(t, "text", None), str)), line.width) for line in box.children]
        boxes.extend(getattr(box, "children", None) or ())
    raise AssertionError("no headline in the masthead")


def test_no_headline_of_the_year_ends_on_a_lone_word(
    reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    """Every session's headline, laid out in its edition's masthead: a last line of at least two
    words (English) or five characters (Chinese), and no line before it broken early (at least
    three fifths of the widest). Before its last words were kept together, 101 of these 500
    ended on one word or one character and its stop."""
    from dataclasses import replace

    from reporter.render.brief import PLANS
    from reporter.render.charts.draw import render_charts
    from reporter.render.editions import _Language, _pages
    from reporter.render.html import filter_table
    from reporter.vocabulary import MARKET_COLORS, pdf_file_name
    from tests.support.synthetic import AS_OF, make_chart_data, make_report, make_texts

    report, texts = make_report(), make_texts()
    for locale in ("zh-CN", "en-US"):
        job = _Language(locale, report, replace(texts[locale], headline="X"), make_chart_data(),
                        "a4", "pdf/ua-1", "Market Breadth", "Reporter",
                        pdf_file_name(AS_OF, locale), MARKET_COLORS[locale], False)
        html, resources = _pages(job, render_charts(job.chart_data, locale))
        page = html(PLANS[0], True)
        keep = filter_table(locale)["keep_end"]
        for day, ins in found.items():
            headline = render_text(ins, reports[day], locale).headline
            lines = _headline_lines(page, resources, str(keep(headline)))
            last = lines[-1][0].strip()
            if locale == "en-US":
                assert len(last.split()) >= 2 or len(lines) == 1, (day, lines)
            else:
                assert len(last) >= 5 or len(lines) == 1, (day, lines)
            widest = max(width for _, width in lines)
            assert all(width >= 0.6 * widest for _, width in lines[:-1]), (day, lines)


def test_the_brief_chart_heading_of_the_year_holds(
    reports: dict[str, dict[str, Any]], found: dict[str, Insights]
) -> None:
    """Every session of 2025, in both languages: the brief leads with the breadth panels exactly
    on a breadth story, and their title's direction word ("up from", "down from", "as five
    sessions ago") matches the two shares as the title shows them, which are the report's."""
    from reporter.render.brief import BREADTH_STORIES
    from reporter.render.html import ChartRef, note_context, render_template

    refs = {n: ChartRef(f"report://charts/{n}", n, n) for n in ("breadth", "size_rotation")}
    words = {"en-US": ("up from", "down from", "as five sessions ago"),
             "zh-CN": ("高于", "低于", "持平")}
    led = 0
    for day, ins in found.items():
        report = {**reports[day], **ins.to_dict()}
        b = report["breadth"]
        for locale in ("zh-CN", "en-US"):
            context = note_context(report, render_text(ins, report, locale), refs,
                                   locale=locale, title="T", author="A")
            html = re.sub(r"<[^>]+>", "", render_template("sections/lead.html", context))
            breadth = 'report://charts/breadth' in render_template("sections/lead.html", context)
            assert breadth == (ins.story is not None and ins.story.id in BREADTH_STORIES), day
            if not breadth:
                continue
            led += 1
            now = format_percent(b["pct_above_50d"], locale, 1)
            then = format_percent(b["pct_above_50d_5d_ago"], locale, 1)
            shown = [float(x) for x in re.findall(r"(\d+\.\d)%", html)]
            up, down, same = (w in html for w in words[locale])
            assert up + down + same == 1 and now in html, (day, locale, html)
            if same:
                assert now == then and len(shown) == 1, (day, locale, html)
            else:
                assert then in html and (shown[0] > shown[1]) == up, (day, locale, html)
    assert led > 100


# --- the claims audit -----------------------------------------------------------------------
# Each sentence type's preconditions, as DESIGN.md ("Analysis") states them, checked on the
# finding's figures against its report. ``Check`` takes the finding's params and the report.

Check = Callable[[dict[str, Any], dict[str, Any]], bool]


def _spx(r: dict[str, Any], field: str) -> float:
    return float(r["indices"][LARGE_CAPS][field])


def _shares(p: dict[str, Any]) -> tuple[int, int]:
    return p["advancers"], p["decliners"]


def _rising_above(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """An uptrend: the close above each average and each average above its value ten sessions
    before (from the report, not the finding)."""
    w = r["watchlist"][p["symbol"]]
    return all(w["close"] > w[f"sma_{n}"] > w[f"sma_{n}_10d_ago"] for n in (20, 50, 200))


def _falling_below(p: dict[str, Any], r: dict[str, Any]) -> bool:
    w = r["watchlist"][p["symbol"]]
    return all(w["close"] < w[f"sma_{n}"] < w[f"sma_{n}_10d_ago"] for n in (20, 50, 200))


def _sector(r: dict[str, Any], symbol: str) -> dict[str, Any]:
    return next(row for row in r["sectors"] if row["symbol"] == symbol)


def _trending(item: dict[str, Any], r: dict[str, Any]) -> bool:
    row = _sector(r, item["symbol"])
    return item["pct_50d"] >= CFG.sector_trend_share and row["above_sma_50"] is True and (
        row["sma_50_rising"] is True)


def _top(r: dict[str, Any]) -> str:
    """The day's best sector: ``sectors`` is ordered by the 1-day return."""
    best = max(r["sectors"], key=lambda row: row["return_1d"])
    assert best is r["sectors"][0]
    return str(best["symbol"])


def _headline(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """The story's direction words match the day: rallies rose, sell-offs fell, "flat" ones
    were flat; the participation words match the count."""
    story, move = p["story"], pct(p["return_1d"])
    adv, dec = p["advancers"], p["decliners"]
    if story in ("broad_rally", "breadth_thrust", "relief_rally", "mixed_gain"):
        return move > 0 and (story != "broad_rally" or adv > dec)
    if story == "narrow_rally":
        return move > 0 and adv < dec
    if story == "capitulation":
        return move < 0 and dec > adv and capitulation_holds(r)
    if story in ("broad_selloff", "mixed_loss"):
        return move < 0 and (story == "mixed_loss" or dec > adv)
    if story == "narrow_selloff":
        return move < 0 and adv > dec
    if story in ("size_rotation", "sector_rotation", "quiet"):
        return abs(p["return_1d"]) < CFG.story_flat_move
    if story == "divergence_up":
        return p["return_5d"] > 0 and p["pct_50d"] < p["pct_50d_before"]
    return p["return_5d"] < 0 and p["pct_50d"] > p["pct_50d_before"]


def _since(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """A "biggest since" names a date at least ``context_min_sessions`` back (or the start of
    the data), and only for a figure moving the way the words say."""
    ctx = p.get("context")
    if not ctx:
        return True
    figure = "size_rotation.spread_1d" if p["story"] == "size_rotation" else (
        f"indices.{LARGE_CAPS}.return_1d")
    entry = r["context"][figure]
    if ctx["record"]:
        return entry["since"] is None and ctx["history_start"] == entry["history_start"]
    return ctx["since"] == entry["since"] and (
        (entry["direction"] == "high") == (entry["value"] > 0))


PRECONDITIONS: dict[str, Check] = {
    # key points: the words follow the figure as shown, and none shows as zero
    "kp_index_up": lambda p, r: pct(p["return_1d"]) > 0,
    "kp_index_down": lambda p, r: pct(p["return_1d"]) < 0,
    "kp_index_flat": lambda p, r: pct(p["return_1d"]) == 0,
    # a record close is above every earlier close: up on the day, though perhaps by less than
    # the sentence can show (then it says no "rose": see the text check below)
    "kp_all_time_high": lambda p, r: p["return_1d"] > 0,
    "kp_round_level": lambda p, r: p["return_1d"] > 0,
    "kp_advancers_lead": lambda p, r: p["advancers"] > p["decliners"],
    "kp_decliners_lead": lambda p, r: p["decliners"] > p["advancers"],
    "kp_net_new_highs": lambda p, r: p["new_highs"] >= p["new_lows"] and p["new_highs"] > 0,
    "kp_net_new_lows": lambda p, r: p["new_lows"] > p["new_highs"],
    "kp_small_lead": lambda p, r: shown_sign(p["spread_1d"], 1, 100.0) > 0 and (
        p["run_length"] in (0,) or p["run_length"] >= 3),
    "kp_large_lead": lambda p, r: shown_sign(p["spread_1d"], 1, 100.0) < 0 and (
        p["run_length"] in (0,) or p["run_length"] >= 3),
    "kp_vix_up": lambda p, r: shown_sign(p["change_1d"], 2) > 0 and pct(p["return_1d"]) > 0,
    "kp_vix_down": lambda p, r: shown_sign(p["change_1d"], 2) < 0 and pct(p["return_1d"]) < 0,
    "kp_watch_up": lambda p, r: pct(p["return_1d"]) > 0,
    "kp_watch_down": lambda p, r: pct(p["return_1d"]) < 0,
    "kp_sector_range": lambda p, r: p["best"] == _top(r),
    # runs: no run claim under 3 sessions, and "longest since" only then
    "size_run_small": lambda p, r: p["length"] >= 3 and p["leader"] == SMALL_CAPS,
    "size_run_large": lambda p, r: p["length"] >= 3 and p["leader"] == LARGE_CAPS,
    # "led" is the first; a sector label only when the leading sectors are of that kind
    **{f"sector_lead_{g}": (lambda g: lambda p, r: p["sectors"][0]["symbol"] == _top(r) and all(
        pct(s["return"]) > 0 for s in p["sectors"]))(g)
       for g in ("defensive", "rate_sensitive", "cyclical", "growth")},
    "leader_rebounding": lambda p, r: (not p["led"] or p["symbol"] == _top(r)) and (
        p["pct_50d"] < CFG.sector_trend_share),
    "leader_trending": lambda p, r: (not p["led"] or p["symbol"] == _top(r)) and _trending(p, r),
    "sector_leaders": lambda p, r: all(_trending(x, r) for x in p["trending"]) and all(
        x["pct_50d"] < CFG.sector_trend_share for x in p["rebounding"]),
    "sector_strength": lambda p, r: _trending({**p}, r),
    "sector_leadership_change": lambda p, r: p["previous_return"] == _sector(
        r, p["previous"])["return_prev_month"] and p["leader_mtd"] == _sector(
        r, p["leader"])["return_mtd"],
    # month to date, with last month's figure labelled as last month's
    "mtd_up": lambda p, r: pct(p["return_mtd"]) > 0 and p["return_prev_month"] == _spx(
        r, "return_prev_month"),
    "mtd_down": lambda p, r: pct(p["return_mtd"]) < 0 and p["return_prev_month"] == _spx(
        r, "return_prev_month"),
    # breadth against the index: each direction word against its figure
    "breadth_narrowing": lambda p, r: p["return_5d"] > 0 and p["pct_50d"] < p["pct_50d_before"],
    "breadth_expanding": lambda p, r: p["return_5d"] < 0 and p["pct_50d"] > p["pct_50d_before"],
    "breadth_confirm_up": lambda p, r: p["pct_50d"] > p["pct_50d_before"],
    "breadth_confirm_down": lambda p, r: p["pct_50d"] < p["pct_50d_before"],
    "breadth_divergence_narrow": lambda p, r: pct(p["return_1d"]) > 0 and (
        p["decliners"] > p["advancers"]),
    "breadth_divergence_broad": lambda p, r: pct(p["return_1d"]) < 0 and (
        p["advancers"] > p["decliners"]),
    "breadth_momentum_negative": lambda p, r: p["return_5d"] > 0 and p["oscillator"] < 0,
    "breadth_momentum_positive": lambda p, r: p["return_5d"] < 0 and p["oscillator"] > 0,
    "summation_divergence": lambda p, r: p["return_5d"] > 0 and (
        p["summation"] < p["summation_before"]),
    "summation_improving": lambda p, r: p["return_5d"] < 0 and (
        p["summation"] > p["summation_before"]),
    "volume_confirms_advance": lambda p, r: _shares(p)[0] > _shares(p)[1] and p["share"] >= 0.5,
    "volume_thin_advance": lambda p, r: _shares(p)[0] > _shares(p)[1],
    "volume_confirms_decline": lambda p, r: _shares(p)[1] > _shares(p)[0] and p["share"] <= 0.5,
    "volume_thin_decline": lambda p, r: _shares(p)[1] > _shares(p)[0] and p["share"] > 0.5,
    "sector_participation_slump": lambda p, r: p["change"] < 0,
    "sector_participation_surge": lambda p, r: p["change"] > 0,
    # volatility: level words against the bands, the day's change stated as a signed figure
    "vix_stress": lambda p, r: p["level"] >= CFG.vix_stress,
    "vix_elevated": lambda p, r: CFG.vix_elevated <= p["level"] < CFG.vix_stress and (
        p["level"] > p["sma_20"]),
    "vix_easing": lambda p, r: CFG.vix_elevated <= p["level"] < CFG.vix_stress and (
        p["level"] <= p["sma_20"]),
    "vix_rising": lambda p, r: p["level"] < CFG.vix_elevated and p["level"] > p["sma_20"],
    "vix_calm": lambda p, r: p["level"] < CFG.vix_elevated and p["level"] <= p["sma_20"],
    "vix_spike": lambda p, r: pct(p["return_1d"]) > 0,
    "vix_relief": lambda p, r: pct(p["return_1d"]) < 0,
    # trends: "uptrend" needs rising averages and the close above them
    "watch_trend_up": _rising_above,
    "watch_trend_down": _falling_below,
    "watch_leading": lambda p, r: _rising_above(p, r),
    "index_above_averages": lambda p, r: p["close"] > p["sma_50"] and p["close"] > p["sma_200"],
    "index_below_200d": lambda p, r: p["close"] < p["sma_200"],
    "index_below_50d": lambda p, r: p["sma_200"] <= p["close"] < p["sma_50"],
    "index_reclaiming": lambda p, r: p["sma_50"] <= p["close"] < p["sma_200"],
    # the narrative
    **{f"headline_{s}": (lambda p, r: _headline(p, r) and _since(p, r)) for s in STORIES},
    "summary_indices": lambda p, r: {"up": lambda: all(pct(x) > 0 for x in p["returns"].values()),
                                     "down": lambda: all(pct(x) < 0 for x in p["returns"].values()),
                                     "mixed": lambda: True}[p["pattern"]](),
    "summary_week": lambda p, r: {
        "rebound": lambda: pct(p["return_1d"]) > 0 and p["streak_length"] >= 3,
        "reversal": lambda: pct(p["return_1d"]) < 0 and p["streak_length"] >= 3,
        "extends_up": lambda: pct(p["return_1d"]) > 0 and p["streak_length"] + 1 >= 3,
        "extends_down": lambda: pct(p["return_1d"]) < 0 and p["streak_length"] + 1 >= 3,
        "none": lambda: True}[p["relation"]]() and p["return_prev_month"] == _spx(
        r, "return_prev_month"),
    "summary_tension": lambda p, r: {
        "rebound_leader": lambda: p["symbol"] == _top(r) and p["pct_50d"] < 0.5,
        "thin_volume": lambda: p["advancers"] >= 3 * p["decliners"] and p["trin"] > 1,
        "lopsided_trin": lambda: p["decliners"] > p["advancers"] and p["trin"] < 1,
        "summation": lambda: p["summation"] < p["summation_before"]}[p["tension"]](),
    # what happened next, the quality of the move, who carried it, baskets
    **MOVE_CLAIMS,
}


def test_the_audit_covers_every_sentence_that_makes_a_directional_claim() -> None:
    directional = {i for i in SPECS if re.search(
        r"_(up|down|lead|led|rising|falling|trend|narrow|broad|thin|confirms|divergence|"
        r"improving|slump|surge|easing|calm|stress|elevated|spike|relief)", i)}
    directional -= {*STORIES, "sector_sweep_up", "sector_sweep_down", "new_highs_expand",
                    "up_volume_thrust", "down_volume_thrust", "summary_meaning"}
    assert directional <= set(PRECONDITIONS), sorted(directional - set(PRECONDITIONS))


def test_every_claim_of_the_year_holds(found: dict[str, Insights],
                                       reports: dict[str, dict[str, Any]]) -> None:
    broken = []
    for day, ins in found.items():
        for f in everything(ins):
            check = PRECONDITIONS.get(f.id)
            if check is not None and not check(f.params, reports[day]):
                broken.append((day, f.id, {k: v for k, v in f.params.items() if k != "trigger"}))
    assert broken == [], broken[:5]


def test_words_match_the_figures_in_the_english_text(
    found: dict[str, Insights], english: dict[str, dict[int, str]],
    reports: dict[str, dict[str, Any]]
) -> None:
    """The words themselves: "led" only of the day's first sector (or a side that outnumbered
    the other), "rose" in a headline only on an up day, "uptrend" / "trending" only with rising
    averages, "in a row" only from 3 sessions, no key point showing a zero move, "heavy" selling
    only on volume above its average."""
    led_ok = {"kp_sector_range", "leader_rebounding", "leader_trending", "summary_tension",
              "sector_lead_defensive", "sector_lead_rate_sensitive", "sector_lead_cyclical",
              "sector_lead_growth", "volume_confirms_advance", "volume_thin_advance",
              "volume_confirms_decline", "volume_thin_decline", "kp_small_lead",
              "kp_large_lead", "sector_leadership_change"}
    for day, ins in found.items():
        r = reports[day]
        text = english[day]
        for f in everything(ins):
            said = text[id(f)]
            if re.search(r"\bled\b", said):
                assert f.id in led_ok, (day, f.id, said)
            if f.kind == "headline" and re.search(r"the S&P 500 (rose|rebounded)\b", said):
                assert pct(_spx(r, "return_1d")) > 0, (day, said)
            if f.kind == "headline" and re.search(r"the S&P 500 fell\b", said):
                assert pct(_spx(r, "return_1d")) < 0, (day, said)
            if re.search(r"\b(uptrend|trending|all rising)\b", said):
                assert f.id in ("watch_trend_up", "watch_leading", "sector_leaders"), (day, said)
            for n in re.findall(r"(\d+) (?:losing |winning )?sessions? in a row", said):
                assert int(n) >= 3, (day, f.id, said)
            if f.kind == "key_point":
                assert not re.search(r"\b(rose|fell) 0\.0%", said), (day, said)
                assert "by 0.0 percentage points" not in said, (day, said)
            if "VIX" in said and re.search(r"\b(rose|jumped)\b", said):
                assert r["volatility"]["change_1d"] > 0, (day, said)
            if "VIX" in said and re.search(r"\bfell\b", said):
                assert r["volatility"]["change_1d"] < 0, (day, said)
            # "heavy" selling only on member volume above its 20-session average
            # ("without heavy participation" denies it: no claim of heavy volume)
            if re.search(r"(?<!without )\bheavy\b(?! volume behind)", said):
                assert r["quality"]["volume_vs_20d"] > 1, (day, f.id, said)


def test_the_first_mention_of_members_names_the_index(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    for day, ins in found.items():
        text = render_text(ins, reports[day], "en-US")
        first = next(s for s in (text.headline, *text.summary) if "members" in s)
        assert first.index("S&P 500 members") <= first.index("members"), (day, first)


def test_the_week_words_a_move_that_rounds_to_zero_as_flat(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """The five sessions, the month and last month are worded by their direction as shown:
    a move that rounds to 0.0% is little changed (约持平), never "0.0%" or "up"/"down"."""
    words = {"en-US": ("up", "down", "little changed"), "zh-CN": ("上涨", "下跌", "约持平")}
    for day, ins in found.items():
        for f in ins.summary:
            if f.id != "summary_week":
                continue
            figures = [f.params["return_5d"], f.params["return_mtd"]]
            if f.params["return_prev_month"] is not None:
                figures.append(f.params["return_prev_month"])
            for locale, (up, down, flat) in words.items():
                said = sentence(f, locale)
                assert "0.0%" not in said, (day, locale, said)
                for x in figures:
                    way = {1: up, -1: down, 0: flat}[pct(x)]
                    size = format_percent(abs(x), locale, 1)
                    assert (flat if way == flat else f"{way} {size}".replace("涨 ", "涨")
                            .replace("跌 ", "跌")) in said, (day, locale, x, said)
        for f in ins.week:
            if f.id == "week_streak":
                for locale in words:
                    tail = re.split(r"[;；，]", sentence(f, locale))[-1]
                    assert "0.0%" not in tail, (day, locale, tail)


def test_a_broad_decline_is_called_so_only_when_nearly_every_stock_fell(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """普跌 / "Broad sell-off" in the headline, story, tags and summary only when 80% of the
    members that moved fell or 90% of their volume was in falling stocks; a broad_selloff day
    short of that says 多数下跌 / "Most stocks fell"."""
    milder = 0
    for day, ins in found.items():
        b = reports[day]["breadth"]
        down = b["decliners"] / (b["advancers"] + b["decliners"])
        volume = 1 - b["up_volume_share"] if b["up_volume_share"] is not None else 0.0
        sweeping = down >= 0.8 or volume >= 0.9
        zh, en = (render_text(ins, reports[day], loc) for loc in ("zh-CN", "en-US"))
        said_zh = " ".join((zh.headline, zh.story, *zh.tags, *zh.summary))
        said_en = " ".join((en.headline, en.story, *en.tags, *en.summary))
        if "普跌" in said_zh or "Broad sell" in said_en:
            assert sweeping, (day, down, volume, zh.headline)
        if ins.story is not None and ins.story.id == "broad_selloff" and not sweeping:
            milder += 1
            assert "多数下跌" in zh.headline and "Most stocks fell" in en.headline, day
    assert milder >= 1


def test_a_broad_rally_is_called_so_only_when_nearly_every_stock_rose(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """普涨 / "Broad rally" as the headline and story only when 80% of the members that moved
    rose or 90% of their volume was in rising stocks; a broad_rally day short of that opens
    with 多数上涨 / "Most stocks rose"."""
    milder = 0
    for day, ins in found.items():
        b = reports[day]["breadth"]
        up = b["advancers"] / (b["advancers"] + b["decliners"])
        volume = b["up_volume_share"] if b["up_volume_share"] is not None else 0.0
        sweeping = up >= 0.8 or volume >= 0.9
        zh, en = (render_text(ins, reports[day], loc) for loc in ("zh-CN", "en-US"))
        if zh.headline.startswith("普涨") or en.headline.startswith("Broad rally"):
            assert sweeping, (day, up, volume, zh.headline)
        if zh.story == "普涨" or en.story == "Broad rally":
            assert sweeping, (day, up, volume, zh.story)
        if ins.story is not None and ins.story.id == "broad_rally" and not sweeping:
            milder += 1
            assert zh.headline.startswith("多数上涨"), (day, zh.headline)
            assert en.headline.startswith("Most stocks rose"), (day, en.headline)
    assert milder >= 1


def test_a_sell_off_or_a_rally_is_a_move_of_at_least_one_percent(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """"Broad sell-off" / "Broad rally" (headline and story) only when the S&P 500 moved 1% or
    more; a sweeping day on a smaller move is a "Broad decline" / "Broad advance" (2025-12-31:
    -0.7%, 482 of 503 members down). The Chinese 普跌 / 普涨 say broad, not how far."""
    small = {"Broad decline": 0, "Broad advance": 0}
    for day, ins in found.items():
        move = abs(reports[day]["indices"][LARGE_CAPS]["return_1d"])
        en = render_text(ins, reports[day], "en-US")
        said = f"{en.headline} | {en.story}"
        if "Broad sell-off" in said or "Broad rally" in said:
            assert move >= 0.01, (day, move, said)
        for name in small:
            if en.headline.startswith(name):
                assert move < 0.01 and en.story == name, (day, move, said)
                small[name] += 1
    assert small["Broad decline"] >= 1 and small["Broad advance"] >= 1, small
    assert found["2025-12-31"].story is not None
    assert render_text(found["2025-12-31"], reports["2025-12-31"], "en-US").headline.startswith(
        "Broad decline: the S&P 500 fell 0.7%")


def test_the_year_ends_with_its_returns_on_its_last_session_only(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]], marketdata: Path
) -> None:
    """The summary's first sentence closes the last session of the year with each index's
    change over the year (last close of the year against the last close of the one before,
    from the price files); on no other session of 2025."""
    ref = load_reference(marketdata)
    last_2024 = max(d for d in ref.sessions if d.startswith("2024"))
    for day, ins in found.items():
        first = ins.summary[0]
        en = sentence(first, "en-US")
        if day != "2025-12-31":
            assert "year" not in first.params and "For the year" not in en, (day, en)
            continue
        assert en.endswith(".") and " For the year 2025: " in en, en
        zh = sentence(first, "zh-CN")
        assert "2025年全年" in zh, zh
        for symbol in HEADLINE_INDICES:
            year = ref.rows[symbol][day][0] / ref.rows[symbol][last_2024][0] - 1
            assert first.params["year_returns"][symbol] == pytest.approx(year, abs=1e-9)
            shown = format_percent(year, "en-US", 1)
            assert ("+" if year > 0 else "") + shown in en.split("For the year")[1], (symbol, en)


def test_still_above_the_200_day_only_when_it_was_above_the_session_before(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """仍守在 / 仍高于 the 200-day ("holds above") only when the session before also closed above
    its 200-day average, read from the report's previous close and previous average."""
    told = 0
    for day, ins in found.items():
        spx = reports[day]["indices"][LARGE_CAPS]
        held = spx["close_prev"] > spx["sma_200_prev"]
        for f in ins.all():
            if f.id not in ("index_below_50d", "index_200d_support"):
                continue
            zh = sentence(f, "zh-CN")
            assert ("仍" in zh) == held, (day, f.id, zh)
            assert ("holds" in sentence(f, "en-US").split(":")[0]
                    or "holds above" in sentence(f, "en-US")) == held, day
            told += 1
    assert told >= 5


# --- capitulation: only with size and volume -------------------------------------------------
#: The word in each language (the VIX's Chinese name holds 恐慌 alone: the claim is 恐慌性抛售).
CAPITULATION = {"en-US": re.compile(r"capitulat|panic selling|selling climax", re.IGNORECASE),
                "zh-CN": re.compile(r"恐慌性抛售|投降")}


def capitulation_holds(r: dict[str, Any]) -> bool:
    """The documented preconditions, from the report's figures: a 90% down day (down volume
    from the two volumes, not the share the rules read) with at least 65% of the members that
    moved declining, an S&P 500 fall of at least 1.5% that is also 3% or 2 standard deviations
    of its prior 20-day volatility, on member volume above its 20-session average."""
    b, q = r["breadth"], r["quality"]
    ret = r["indices"][LARGE_CAPS]["return_1d"]
    sigmas = q["index_moves"][LARGE_CAPS]["sigmas"]
    volume = q["volume_vs_20d"]
    if b["up_volume"] is None or b["down_volume"] is None or volume is None:
        return False
    down = b["down_volume"] / (b["up_volume"] + b["down_volume"])
    declining = b["decliners"] / (b["advancers"] + b["decliners"])
    large = ret <= -0.015 and (ret <= -0.03 or (sigmas is not None and sigmas <= -2.0))
    return down >= 0.9 and declining >= 0.65 and large and volume > 1.0


def test_no_capitulation_claim_without_size_and_volume(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """Neither the story, nor the analogs signal ``capitulation``, nor any sentence of either
    edition (headline, summary, week, key points, insights, risks, opportunities, tags) calls a
    session capitulation unless the day was a large fall on heavy volume with 90% of volume in
    falling stocks; and each of them does on such a day."""
    claimed = set()
    for day, ins in found.items():
        holds = capitulation_holds(reports[day])
        story = ins.story is not None and ins.story.id == "capitulation"
        assert story == holds, (day, ins.story and ins.story.id)
        # the analogs signal is the story's definition, not a looser one filtered later
        signal = reports[day]["analogs"]["signals"]["capitulation"]["fired_today"]
        assert signal == holds, day
        assert ("capitulation" in reports[day]["analogs"]["fired_today"]) == holds, day
        for locale, word in CAPITULATION.items():
            text = render_text(ins, reports[day], locale)
            lines = (text.headline, text.story, *text.tags, *text.summary, *text.week,
                     *text.key_points, *text.insights, *text.risks, *text.opportunities)
            said = [line for line in lines if word.search(line)]
            if said:
                claimed.add(day)
                assert holds, (day, locale, said)
    # 2025-12-31 (-0.74%, 92.7% down volume on 0.58 times the average volume) is no
    # capitulation; the April crash and the October shock are
    assert "2025-12-31" not in claimed
    assert {"2025-04-04", "2025-10-10"} <= claimed


# --- the charts' labels against the tables ---------------------------------------------------


def _shown(x: float) -> str:
    return format_percent(x, "en-US", 1, signed=True)


def test_chart_window_labels_agree_with_the_table(sessions: dict[str, Session]) -> None:
    """The index chart spans the 1-year window of the table: each line's end label is the
    table's 1-year return, as shown."""
    for day, s in sessions.items():
        for symbol in HEADLINE_INDICES:
            label, table = s.index_labels[symbol], s.report["indices"][symbol]["return_1y"]
            assert label is not None and table is not None, (day, symbol)
            assert _shown(label) == _shown(table), (day, symbol, label, table)


def test_the_ratio_chart_end_label_is_the_change_of_the_ratio_over_its_window(
    sessions: dict[str, Session]
) -> None:
    """The relative-strength line's end label is the ratio's change over the year: from the
    two 1-year returns, (1 + small) / (1 + large) - 1 (not their spread)."""
    for day, s in sessions.items():
        small = Decimal(repr(s.report["indices"][SMALL_CAPS]["return_1y"]))
        large = Decimal(repr(s.report["indices"][LARGE_CAPS]["return_1y"]))
        expected = float((1 + small) / (1 + large) - 1)
        assert s.ratio_label is not None, day
        assert _shown(s.ratio_label) == _shown(expected), (day, s.ratio_label, expected)


def _key_level(close: float, s50: float, s200: float) -> tuple[str, float]:
    """The index's key level as the trend finding names it: above its 50-day average the
    average it must hold; below it, the average it must regain (the 200-day when below both)."""
    if close >= s50:
        return ("below", s50) if close >= s200 else ("above", s200)
    return ("above", s200) if close < s200 else ("above", s50)


def lean(ins: Insights) -> int:
    """The note's lean, from the story's direction (the tone's for a story without one)."""
    assert ins.story is not None
    if ins.story.id in BULLISH:
        return 1
    if ins.story.id in BEARISH:
        return -1
    return {"positive": 1, "negative": -1}.get(ins.tone, 0)


#: The view sentence's direction words in each language.
VIEW_WORDS = {"en-US": {"above": "rising above", "below": "falling below"},
              "zh-CN": {"above": "升破", "below": "跌破"}}


def test_what_would_change_the_view_points_against_the_story(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]], marketdata: Path
) -> None:
    """The summary's last sentence names a level against the story: a view that leans up
    (a rally, a thrust, a relief rally...) changes on a fall below a level, one that leans down
    (a sell-off, a capitulation...) on a rise above one; a break the story's way would confirm
    it (2025-12-31: a broad sell-off, so not "falling below its 50-day average"). The index's
    key level when it lies that way; else the nearest average that does, the index's extreme
    (the 52-week high; the lowest close of the five sessions before, read here from the CSV),
    or the breadth share's earlier level. Both languages say the direction."""
    close_csv = full_panel(marketdata).close[LARGE_CAPS]
    leaning: Counter[int] = Counter()
    for day, ins in found.items():
        r = reports[day]
        views = [f for f in ins.summary if f.id == "summary_view"]
        side = lean(ins)
        leaning[side] += 1
        close, s50, s200 = (_spx(r, k) for k in ("close", "sma_50", "sma_200"))
        key = _key_level(close, s50, s200)
        if side == 0:  # no lean: the index's key level
            (view,) = views
            t = view.params["trigger"]
            assert (t["direction"], t["level"]) == key, (day, t)
            continue
        need = "below" if side > 0 else "above"
        if not views:  # nothing lies that way: no sentence rather than a wrong one
            continue
        (view,) = views
        t = view.params["trigger"]
        assert t["direction"] == need, (day, ins.story and ins.story.id, ins.tone, t)
        # the level lies ahead, on that side of today's figure, which is the report's
        assert t["now"] == resolve(r, t["path"]), (day, t)
        assert (t["level"] < t["now"]) if need == "below" else (t["level"] > t["now"]), (day, t)
        # a figure for which higher is better (the index, the breadth share)
        assert t["path"] in (f"indices.{LARGE_CAPS}.close", "breadth.pct_above_50d"), (day, t)
        if key[0] == need:
            assert t["level"] == key[1], (day, t, key)
        elif t.get("ref") == "low_5d":
            before = close_csv.loc[:day].iloc[-6:-1]
            assert t["level"] == pytest.approx(before.min(), rel=1e-9), (day, t)
            assert (s50 > close and s200 > close), (day, t)  # no average below to name
        elif t.get("ref") in ("sma_50", "sma_200"):
            side_averages = [a for a in (s50, s200)
                             if (a < close if need == "below" else a > close)]
            nearest = max(side_averages) if need == "below" else min(side_averages)
            assert t["level"] == nearest, (day, t)
        else:
            base = t["path"].rsplit(".", 1)[0]
            assert t["level"] == resolve(r, f"{base}.{t['ref']}"), (day, t)
        for locale, words in VIEW_WORDS.items():
            said = sentence(view, locale)
            assert words[need] in said and words["above" if need == "below" else "below"] \
                not in said, (day, locale, said)
    assert leaning[1] > 50 and leaning[-1] > 50, leaning
    # the reviewer's cases: 2025-12-31 (a broad sell-off above both averages) and 2025-04-09
    # (a breadth thrust below both)
    for day, need in (("2025-12-31", "above"), ("2025-04-09", "below")):
        (view,) = [f for f in found[day].summary if f.id == "summary_view"]
        assert view.params["trigger"]["direction"] == need, (day, view.params)


# --- words that claim more than the figures hold (the reviewer's 2025 notes) ----------------

#: The parts of a sentence that are conditional: triggers, the view, "if it closed below".
CONDITIONAL = {
    "en-US": re.compile(r"(Confirmed|Invalidated) if .*?\(now [^)]*\)\.|What would change the "
                        r"view: .*|a close below it would"),
    "zh-CN": re.compile(r"(确认信号|失效信号|观点修正条件)：[^。]*。|若收盘跌破该均线"),
}
#: Words that say a level was crossed today. report.json holds no earlier value of the
#: index's averages, so no sentence can know that it was.
CROSSING = {
    "en-US": re.compile(r"\b(broke|breaks|broken) (below|above|through)\b|\bback (above|below)\b"
                        r"|\bcrossed\b|\breclaimed\b"),
    "zh-CN": re.compile(r"跌破|升破|突破|重新站上|失守|收复(?!前高)"),
}


#: Crossings the report dates (``watchlist.<symbol>.last_cross``): these may be said.
DATED_CROSSES = ("watch_death_cross", "watch_golden_cross")


@pytest.fixture(scope="module")
def said(found: dict[str, Insights]) -> dict[str, dict[str, dict[int, str]]]:
    """Every finding's sentence in each language, by the finding's identity."""
    return {locale: {day: {id(f): sentence(f, locale) for f in everything(ins)}
                     for day, ins in found.items()} for locale in ("zh-CN", "en-US")}


def test_no_sentence_says_a_level_was_crossed_today(
    found: dict[str, Insights], said: dict[str, dict[str, dict[int, str]]]
) -> None:
    """A close below an average is a level ("below", "位于…下方"), not a break ("broke below",
    "跌破"): 2025-04-09 closed below both averages on a 9.5% gain, having been below them
    already. Conditional clauses (a trigger, the view) may name a break that lies ahead."""
    seen = Counter[str]()
    for day, ins in found.items():
        for f in everything(ins):
            if f.id in DATED_CROSSES:
                continue
            for locale in ("zh-CN", "en-US"):
                text = CONDITIONAL[locale].sub("", said[locale][day][id(f)])
                assert not CROSSING[locale].search(text), (day, f.id, locale, text)
                if f.id == "index_below_200d":
                    seen[locale] += 1
                    assert ("下方" in text) if locale == "zh-CN" else ("below both" in text)
    assert seen["zh-CN"] >= 20, seen  # the spring's sessions below both averages


def _shown_up(x: float) -> bool:
    return pct(x) > 0


#: The figure behind each sentence that may say "领涨" (led the gains) or "leads": it must
#: show as a gain. ("领涨个股", the stocks leading, is another word.)
LEADS: dict[str, Callable[[dict[str, Any]], list[float]]] = {
    "kp_sector_range": lambda p: [p["best_return"]],
    "sector_leadership_change": lambda p: [p["leader_mtd"]],
    "leader_rebounding": lambda p: [p["return"]],
    "leader_trending": lambda p: [p["return"]],
    "sector_leaders": lambda p: [x["return"] for x in (*p["trending"], *p["rebounding"])],
    "summary_tension": lambda p: [p["return"]],
    **{f"sector_lead_{g}": (lambda p: [x["return"] for x in p["sectors"]])
       for g in ("defensive", "rate_sensitive", "cyclical", "growth")},
}


def test_leading_words_match_the_sign(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    said: dict[str, dict[str, dict[int, str]]]
) -> None:
    """"领涨" (led the gains) and "leads month to date" only of a figure that shows a gain; a
    month-to-date leader at a loss "has held up best" / "跌幅最小" (2025-04-09: Consumer
    Discretionary first at -1.0%)."""
    at_a_loss = set()
    for day, ins in found.items():
        for f in everything(ins):
            zh, en = said["zh-CN"][day][id(f)], said["en-US"][day][id(f)]
            if "领涨" in zh.replace("领涨个股", ""):
                assert f.id in LEADS, (day, f.id, zh)
                assert all(_shown_up(x) for x in LEADS[f.id](f.params)), (day, f.id, zh)
            if f.id != "sector_leadership_change":
                continue
            p = f.params
            best = max(row["return_mtd"] for row in reports[day]["sectors"]
                       if row["return_mtd"] is not None)
            assert p["leader_mtd"] == best, (day, p)
            up = _shown_up(p["leader_mtd"])
            assert ("leads month to date" in en) == up and ("held up best" in en) != up, en
            assert ("领涨" in zh) == up and ("跌幅最小" in zh) != up, zh
            if not up:
                at_a_loss.add(day)
    assert "2025-04-09" in at_a_loss


def test_participation_words_follow_the_day_as_well_as_the_week(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    said: dict[str, dict[str, dict[int, str]]]
) -> None:
    """"Participation is thinning" over five sessions is not said bare when the share above
    the 50-day average moved 5 points or more the other way today: the sentence gives both
    (2025-04-09: down from 42.1% five sessions ago, up from 5.8% the session before)."""
    both = set()
    ids = ("breadth_confirm_up", "breadth_confirm_down", "breadth_narrowing",
           "breadth_expanding")
    bare = {"en-US": re.compile(r"Participation is (thinning|broadening)|Breadth is "
                                r"(narrowing|improving)"),
            "zh-CN": re.compile(r"^市场广度(走弱|扩张|收窄|逆势改善)：")}
    for day, ins in found.items():
        b = reports[day]["breadth"]
        week = b["pct_above_50d"] - b["pct_above_50d_5d_ago"]
        today = b["pct_above_50d"] - b["pct_above_50d_prev"]
        turned = today * week < 0 and abs(today) >= CFG.pct_above_50d_change
        for f in everything(ins):
            if f.id not in ids:
                continue
            for locale in ("zh-CN", "en-US"):
                text = said[locale][day][id(f)]
                prev = format_percent(b["pct_above_50d_prev"], locale, 1)
                if turned:
                    assert prev in text and not bare[locale].search(text), (day, locale, text)
                    assert ("the session before" in text) if locale == "en-US" else (
                        "前一交易日" in text), text
                else:
                    assert bare[locale].search(text), (day, locale, text)
            if turned:
                both.add(day)
    assert "2025-04-09" in both


def test_a_run_claim_needs_a_lead_that_shows_and_in_charge_a_leader_that_rose(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    said: dict[str, dict[str, dict[int, str]]]
) -> None:
    """A size run is claimed only when today's spread shows at least 0.1 points the leader's
    way (2025-12-31: 0.01 points, no claim), and "in charge" / "in favor" (维持强势 / 占优)
    only of a leader that rose today; one that fell "held up better" (相对抗跌)."""
    runs = 0
    for day, ins in found.items():
        r = reports[day]
        for f in everything(ins):
            if f.id not in ("size_run_small", "size_run_large"):
                continue
            runs += 1
            spread = r["size_rotation"]["spread_1d"]
            assert abs(spread) >= 0.001 and pct(spread) == (1 if f.id == "size_run_small"
                                                            else -1), (day, spread)
            rose = _shown_up(r["indices"][f.params["leader"]]["return_1d"])
            en, zh = said["en-US"][day][id(f)], said["zh-CN"][day][id(f)]
            assert bool(re.search(r"in charge|in favor", en)) == rose, (day, en)
            assert ("held up better" in en) != rose, (day, en)
            assert bool(re.search(r"强势|占优", zh)) == rose, (day, zh)
            assert ("相对抗跌" in zh) != rose, (day, zh)
    assert runs >= 10, runs
    assert not [f for f in found["2025-12-31"].insights if f.id.startswith("size_run")]


def test_one_reading_per_vix_level(found: dict[str, Insights]) -> None:
    """A VIX low enough to read as complacency (a risk) is not also calm that supports
    risk-taking (an opportunity) in the same note (2025-12-31: 14.95 was both)."""
    complacent = 0
    for day, ins in found.items():
        risks = {f.id for f in ins.risks}
        opportunities = {f.id for f in ins.opportunities}
        assert not ("vix_complacent" in risks and "vix_calm" in opportunities), day
        complacent += "vix_complacent" in risks
    assert complacent >= 10
    assert "vix_complacent" in {f.id for f in found["2025-12-31"].risks}


def test_no_signal_is_both_a_risk_and_an_opportunity(found: dict[str, Insights]) -> None:
    """One reading of a signal per session: the VIX (every finding of the "vix" group, by
    SPECS) is a risk or an opportunity, never both (2025-04-09: stress at 33.6 and relief after
    a 35% fall were both); and no finding id is in both lists."""
    for day, ins in found.items():
        risks = {SPECS[f.id].group for f in ins.risks}
        opportunities = {SPECS[f.id].group for f in ins.opportunities}
        assert "vix" not in risks & opportunities, (day, [f.id for f in ins.risks],
                                                    [f.id for f in ins.opportunities])
        assert not {f.id for f in ins.risks} & {f.id for f in ins.opportunities}, day
    # the tariff-pause rally: the VIX fell 35%, so it is read as relief, not as stress
    rally = found[RALLY]
    assert "vix_relief" in {f.id for f in rally.opportunities}
    assert not [f.id for f in rally.risks if SPECS[f.id].group == "vix"]


def test_nearly_all_members_one_way_is_said_so(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """When 90% or more of all members went one way (2025-04-09: 494 of 502 up; 2025-12-31:
    482 of 503 down), the count is not "more up than down" (涨多跌少) but nearly all (几乎全线
    上涨 / 下跌, "Nearly all index members rose / fell"), in every sentence of both editions."""
    strong = {"en-US": ("Nearly all index members rose", "Nearly all index members fell"),
              "zh-CN": ("几乎全线上涨", "几乎全线下跌")}
    weak = {"zh-CN": ("涨多跌少", "跌多涨少")}
    days = set()
    for day, ins in found.items():
        b = reports[day]["breadth"]
        members = b["advancers"] + b["decliners"] + b["unchanged"]
        up, down = b["advancers"] >= 0.9 * members, b["decliners"] >= 0.9 * members
        for locale in ("zh-CN", "en-US"):
            text = render_text(ins, reports[day], locale)
            lines = (text.headline, *text.summary, *text.key_points, *text.insights,
                     *text.risks, *text.opportunities)
            for side, holds in ((0, up), (1, down)):
                if holds and locale in weak:
                    assert not [x for x in lines if weak[locale][side] in x], (day, locale)
                said = [x for x in lines if strong[locale][side] in x]
                assert bool(said) <= holds, (day, locale, said)
                kp = [f for f in ins.key_points
                      if f.id == ("kp_advancers_lead", "kp_decliners_lead")[side]]
                if holds and kp:
                    assert said, (day, locale)
                    days.add(day)
    assert {"2025-04-09", "2025-12-31"} <= days


# --- the blind review of stop 21: rankings, labels, streaks, contradictions -----------------

def test_strongest_or_weakest_sector_only_of_the_first_among_every_sector(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """"the weakest / strongest sector by participation" names the sector with the smallest /
    largest share above the 50-day average among all sectors with a share (not only among
    those no other finding named); another pick is worded without a rank."""
    ranked = unranked = 0
    for day, ins in found.items():
        shares = {row["etf"]: row["pct_above_50d"] for row in reports[day]["breadth_by_sector"]
                  if isinstance(row.get("pct_above_50d"), int | float)}
        for f in ins.all():
            if f.id not in ("sector_strength", "sector_weakness"):
                continue
            en = sentence(f, "en-US")
            best = (max if f.id == "sector_strength" else min)(shares.values())
            if "weakest sector" in en or "strongest sector" in en:
                assert shares[f.params["symbol"]] == best, (day, en, best)
                assert ("最弱板块" in sentence(f, "zh-CN")) == (f.id == "sector_weakness")
                ranked += 1
            else:
                assert shares[f.params["symbol"]] != best, (day, en)
                assert "最" not in sentence(f, "zh-CN"), (day, sentence(f, "zh-CN"))
                unranked += 1
    assert ranked >= 1 and unranked >= 1


def test_breadth_thrust_names_only_a_day_zweigs_thrust_fired(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """The method defines a breadth thrust as Zweig's: the headline and story say 广度推力 /
    "Breadth thrust" only on a day it fired; a breadth_thrust day by volume alone is a
    "One-sided rally" / 一边倒上涨."""
    one_sided = 0
    for day, ins in found.items():
        fired = reports[day]["breadth"]["zweig_thrust_last"] == day
        zh, en = (render_text(ins, reports[day], loc) for loc in ("zh-CN", "en-US"))
        if en.headline.startswith("Breadth thrust") or zh.headline.startswith("广度推力"):
            assert fired, (day, en.headline)
        # the topic tag names the kind of signal, not the day: no "Breadth thrust" chip either
        assert "Breadth thrust" not in en.tags and "广度推力" not in zh.tags, (day, en.tags)
        if ins.story is not None and ins.story.id == "breadth_thrust" and not fired:
            one_sided += 1
            assert en.headline.startswith("One-sided rally") and en.story == "One-sided rally"
            assert zh.headline.startswith("一边倒上涨") and zh.story == "一边倒上涨"
    assert one_sided >= 1  # 2025-04-09: 99.1% up volume, Zweig's EMA at 46.9%


def test_a_squeeze_is_not_set_against_a_broad_advance_on_a_broad_day(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """"more than of a broad advance" / 而非普涨 only when fewer than 80% of the members that
    moved rose; on a broader day the sentence says the losers outran winners within it."""
    broad_days = 0
    for day, ins in found.items():
        b = reports[day]["breadth"]
        broad = b["advancers"] / (b["advancers"] + b["decliners"]) >= 0.8
        for f in ins.all():
            if f.id != "basket_squeeze":
                continue
            en, zh = sentence(f, "en-US"), sentence(f, "zh-CN")
            assert ("more than of a broad advance" in en) == (not broad), (day, en)
            assert ("而非普涨" in zh) == (not broad), (day, zh)
            broad_days += broad
    assert broad_days >= 1


def test_a_streak_counts_only_the_days_the_week_line_shows_as_moves(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]]
) -> None:
    """"has now fallen (risen) N sessions in a row": the last N daily returns of the week's
    line, today's included, each shows a move that way (-0.03% is shown so, to two decimals,
    and counts; a move that shows as 0.0% breaks the run). 2025-12-31 fell four times."""
    told = 0
    for day, ins in found.items():
        days = reports[day]["week"]["returns"][LARGE_CAPS]
        for f in everything(ins):
            en = sentence(f, "en-US")
            m = re.search(r"has now (fallen|risen) (\d+) sessions? in a row", en)
            if m is None:
                continue
            n, sign = int(m.group(2)), (-1 if m.group(1) == "fallen" else 1)
            if n <= len(days):
                shown_days = [shown_sign(x, 2, 100.0) for x in days[-n:]]
                assert all(s == sign for s in shown_days), (day, en, days)
                if n < len(days):  # the day before the run shows no move that way
                    assert shown_sign(days[-n - 1], 2, 100.0) != sign, (day, en, days)
            told += 1
    assert told >= 5
    dec31 = " ".join(sentence(f, "en-US") for f in everything(found["2025-12-31"]))
    assert "has now fallen 4 sessions in a row" in dec31
    line = sentence(found["2025-12-31"].week[0], "en-US")
    assert "+0.3%, -0.03%, -0.3%, -0.1%, and -0.7%" in line, line


# --- the head of research's review (stop 25): claims that overstated ------------------------


def test_complacency_is_said_only_when_protection_is_not_priced_richly(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    english: dict[str, dict[int, str]]
) -> None:
    """A low VIX reads as complacency only while it is under 1.25 times the S&P 500's 20-day
    realized volatility (the report's own figure); above that, investors are paying for
    protection, and the sentence says the risk is a jolt from a low base instead. 31 December
    said "complacency" beside a VIX at 1.66 times realized volatility."""
    seen = {True: 0, False: 0}
    for day, ins in found.items():
        ratio = reports[day]["quality"]["implied_to_realized"]
        for f in everything(ins):
            if f.id != "vix_complacent":
                continue
            text = english[day][id(f)]
            rich = ratio is not None and ratio >= 1.25
            seen[rich] += 1
            assert ("not complacency" in text) is rich, (day, ratio, text)
            assert ("complacency leaves" in text) is not rich, (day, ratio, text)
    assert seen[True] and seen[False]  # both readings occur in 2025


def test_within_a_distance_of_the_high_holds_at_the_shown_decimal(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    english: dict[str, dict[int, str]]
) -> None:
    """"within 1.2% of its 52-week high" of a close 1.25% below it was false: the stated
    distance is at least the true one, and no more than a tenth of a point above it."""
    within = re.compile(r"within (\d+\.\d)% of its 52-week high")
    seen = 0
    for day, ins in found.items():
        for f in everything(ins):
            for shown in within.findall(english[day][id(f)]):
                true = abs(float(f.params["from_high"])) * 100
                assert true <= float(shown) < true + 0.1 + 1e-9, (day, f.id, shown, true)
                seen += 1
    assert seen > 20


def test_a_concentration_sentence_names_the_other_window_when_it_disagrees(
    found: dict[str, Insights], reports: dict[str, dict[str, Any]],
    english: dict[str, dict[int, str]]
) -> None:
    """Mega caps ahead month to date but behind year to date (9 April), or the other way round
    (31 December): the sentence names both and does not call the lead the trend."""
    ids = {"concentration": "ytd", "broadening": "ytd", "concentration_ytd": "mtd",
           "broadening_ytd": "mtd"}
    seen = 0
    for day, ins in found.items():
        mve = reports[day]["size_rotation"]["mega_vs_equal"]
        for f in everything(ins):
            if f.id not in ids:
                continue
            window = "mtd" if ids[f.id] == "ytd" else "ytd"
            mine, other = mve[f"spread_{window}"], mve[f"spread_{ids[f.id]}"]
            text = english[day][id(f)]
            disagrees = other is not None and other * mine < 0 and abs(other) >= 0.005
            assert ("though" in text) is disagrees, (day, f.id, mine, other, text)
            if disagrees:
                assert "leadership rests on a handful" not in text
                seen += 1
    assert seen > 0
