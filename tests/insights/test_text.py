"""Sentences in both locales: whole catalog messages, every figure formatted by Babel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from reporter.errors import ConfigError
from reporter.insights import Finding, InsightsConfig, derive, render_text
from reporter.insights.rules import SPECS, key_point_candidates
from reporter.insights.text import RENDERERS, TAGS, sentence
from reporter.model import RenderedText
from reporter.vocabulary import SECTOR_BY_ETF
from tests.insights.cases import CASES, VARIANTS
from tests.insights.inputs import baseline, put
from tests.insights.test_rules import strong_rally, strong_selloff

CFG = InsightsConfig()
LOCALES = ("zh-CN", "en-US")
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- the expected figures, formatted here with Babel from the input ------------------------------


def babel_figure(kind: str, value: Any, locale: str) -> str:
    loc = locale.replace("-", "_")
    if kind == "apct":
        return format_percent(abs(value), "#,##0.0%", locale=loc)
    if kind == "pct":
        return format_percent(value, "#,##0.0%", locale=loc)
    if kind == "cpct":  # the complement of a share (down volume from the up-volume share)
        return format_percent(1 - value, "#,##0.0%", locale=loc)
    if kind == "spct":
        return format_percent(value, "+#,##0.0%;-#,##0.0%", locale=loc)
    if kind == "tpct":
        return format_percent(value, "#,##0.#%", locale=loc)
    if kind == "pp":
        points = abs(Decimal(str(value))) * 100
        return format_decimal(points, "#,##0.0" if points >= Decimal("0.1") else "#,##0.00",
                              locale=loc)
    if kind == "two":
        return format_decimal(value, "#,##0.00", locale=loc)
    if kind == "abs2":
        return format_decimal(abs(value), "#,##0.00", locale=loc)
    if kind == "one":
        return format_decimal(value, "#,##0.0", locale=loc)
    if kind == "count":
        return format_decimal(value, "#,##0", locale=loc)
    if kind == "plain":
        return format_decimal(value, "#,##0.##", locale=loc)
    if kind == "date":
        return format_date(dt.date.fromisoformat(value), "long", locale=loc)
    raise AssertionError(kind)


def lookup(report: dict[str, Any], path: str) -> Any:
    """A report path; ``sector:XLE.field`` finds a sector row by symbol, ``cfg:name`` a threshold,
    ``lit:value`` a literal."""
    if path.startswith("cfg:"):
        return getattr(CFG, path[4:])
    if path.startswith("lit:"):
        return float(path[4:]) if "." in path else int(path[4:])
    if path.startswith("sector:"):
        symbol, field = path[7:].split(".")
        return next(r[field] for r in report["sectors"] if r["symbol"] == symbol)
    node: Any = report
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        node = node[int(index)] if index else node[key]
    return node


SPX, NVDA = "indices.^GSPC", "watchlist.NVDA"
VIX_MOVE = [("volatility.return_1d", "apct"), ("volatility.change_1d", "abs2"),
            ("volatility.level", "two")]
AD = [("breadth.advancers", "count"), ("breadth.decliners", "count")]
HL = [("breadth.new_highs", "count"), ("breadth.new_lows", "count")]
P50 = [("breadth.pct_above_50d", "pct"), ("breadth.pct_above_50d_5d_ago", "pct")]
CROSS = [(f"{NVDA}.last_cross.date", "date"), (f"{NVDA}.sma_50", "two"),
         (f"{NVDA}.sma_200", "two"), ("lit:20", "count")]
HIGH = [(f"{NVDA}.from_high_52w", "apct"), (f"{NVDA}.high_52w", "two")]
TREND = [(f"{NVDA}.{k}", "two") for k in ("close", "sma_20", "sma_50", "sma_200")]
MILESTONE = [(f"{SPX}.return_1d", "apct"), (f"{SPX}.close", "two")]

#: id -> the input figures its sentence must state (on the firing case of ``cases.CASES``).
FIGURES: dict[str, list[tuple[str, str]]] = {
    "kp_index_up": [(f"{SPX}.return_1d", "apct"), (f"{SPX}.close", "two")],
    "kp_index_down": [(f"{SPX}.return_1d", "apct"), (f"{SPX}.close", "two")],
    "kp_index_flat": [(f"{SPX}.close", "two")],
    "kp_all_time_high": MILESTONE,
    "kp_round_level": [*MILESTONE, ("milestones[0].level", "plain")],
    "kp_advancers_lead": AD,
    "kp_decliners_lead": AD,
    "kp_ad_even": [("breadth.advancers", "count")],
    "kp_pct_above": [("breadth.pct_above_50d", "pct"), ("breadth.pct_above_200d", "pct")],
    "kp_net_new_highs": HL,
    "kp_net_new_lows": HL,
    "kp_small_lead": [("size_rotation.spread_1d", "pp")],
    "kp_large_lead": [("size_rotation.spread_1d", "pp")],
    "kp_vix_up": VIX_MOVE,
    "kp_vix_down": VIX_MOVE,
    "kp_vix_flat": [("volatility.level", "two")],
    "kp_sector_range": [("sectors[0].return_1d", "spct"), ("sectors[10].return_1d", "spct")],
    "kp_watch_up": [("returns.NVDA.return_1d", "apct"), ("returns.NVDA.close", "two")],
    "kp_watch_down": [("returns.NVDA.return_1d", "apct"), ("returns.NVDA.close", "two")],
    "size_run_small": [("size_rotation.run.length", "count"),
                       ("size_rotation.run.longest_since", "date")],
    "size_run_large": [("size_rotation.run.length", "count"),
                       ("size_rotation.run.longest_since", "date")],
    "size_gap_ytd_small": [("indices.^RUT.return_ytd", "spct"), (f"{SPX}.return_ytd", "spct"),
                           ("size_rotation.spread_ytd", "pp")],
    "size_gap_ytd_large": [("indices.^RUT.return_ytd", "spct"), (f"{SPX}.return_ytd", "spct"),
                           ("size_rotation.spread_ytd", "pp")],
    "concentration": [("size_rotation.mega_vs_equal.spread_mtd", "pp")],
    "broadening": [("size_rotation.mega_vs_equal.spread_mtd", "pp")],
    "valuation_discount": [("size_rotation.valuation.small_pe", "one"),
                           ("size_rotation.valuation.large_pe", "one"),
                           ("size_rotation.valuation.discount", "apct"),
                           ("size_rotation.valuation.date", "date")],
    "sector_lead_defensive": [("sector:XLU.return_1d", "spct"), ("sector:XLP.return_1d", "spct")],
    "sector_lead_rate_sensitive": [("sector:XLRE.return_1d", "spct"),
                                   ("sector:XLU.return_1d", "spct")],
    "sector_lead_cyclical": [("sector:XLE.return_1d", "spct"), ("sector:XLI.return_1d", "spct")],
    "sector_lead_growth": [("sector:XLC.return_1d", "spct"), ("sector:XLK.return_1d", "spct")],
    "sector_leadership_change": [("sector:XLE.return_mtd", "spct"),
                                 ("sector:XLK.return_prev_month", "spct"),
                                 ("sector:XLK.rank_mtd", "count"), ("lit:11", "count")],
    "sector_laggard": [("sector:XLE.return_mtd", "spct"), ("sector:XLE.return_ytd", "spct"),
                       ("sector:XLE.rank_mtd", "count"), ("sector:XLE.rank_ytd", "count")],
    "sector_dispersion_high": [("sector_summary.dispersion_1d", "pp")],
    "sector_sweep_up": [("sector_summary.advancing", "count"), ("sector_summary.total", "count")],
    "sector_sweep_down": [("sector_summary.declining", "count"), ("sector_summary.total", "count")],
    "mtd_up": [(f"{SPX}.return_mtd", "apct"), (f"{SPX}.return_prev_month", "spct")],
    "mtd_down": [(f"{SPX}.return_mtd", "apct"), (f"{SPX}.return_prev_month", "spct")],
    "new_highs_expand": [*HL, ("breadth.high_low_index", "one")],
    "new_lows_expand": [*HL, ("breadth.high_low_index", "one")],
    "breadth_confirm_up": [*P50, (f"{SPX}.return_5d", "spct")],
    "breadth_confirm_down": [*P50, (f"{SPX}.return_5d", "spct")],
    "breadth_narrowing": [*P50, (f"{SPX}.return_5d", "apct")],
    "breadth_expanding": [*P50, (f"{SPX}.return_5d", "apct")],
    "breadth_divergence_narrow": [(f"{SPX}.return_1d", "apct"), *AD],
    "breadth_divergence_broad": [(f"{SPX}.return_1d", "apct"), *AD],
    "breadth_momentum_negative": [(f"{SPX}.return_5d", "apct"),
                                  ("breadth.mcclellan_oscillator_ratio_adjusted", "one")],
    "breadth_momentum_positive": [(f"{SPX}.return_5d", "apct"),
                                  ("breadth.mcclellan_oscillator_ratio_adjusted", "one")],
    "up_volume_thrust": [("breadth.up_volume_share", "pct"), ("cfg:volume_thrust_share", "tpct")],
    "down_volume_thrust": [("breadth.up_volume_share", "cpct"),
                           ("cfg:volume_thrust_share", "tpct")],
    "mcclellan_overbought": [("breadth.mcclellan_oscillator_ratio_adjusted", "one"),
                             ("cfg:mcclellan_overbought", "plain")],
    "mcclellan_oversold": [("breadth.mcclellan_oscillator_ratio_adjusted", "one"),
                           ("cfg:mcclellan_oversold", "plain")],
    "trin_climax": [("breadth.trin", "two"), ("cfg:trin_climax", "plain")],
    "trin_panic": [("breadth.trin", "two"), ("cfg:trin_panic", "plain")],
    "pct50_washout": [("breadth.pct_above_50d", "pct"), ("cfg:pct_above_50d_washout", "tpct")],
    "trend_weak": [("breadth.pct_above_200d", "pct"), ("cfg:pct_above_200d_weak", "tpct")],
    "zweig_thrust": [("breadth.zweig_thrust_last", "date"), ("lit:10", "count"),
                     ("lit:0.40", "tpct"), ("lit:0.615", "tpct")],
    "vix_stress": [("volatility.level", "two"), ("cfg:vix_stress", "plain")],
    "vix_elevated": [("volatility.level", "two"), ("cfg:vix_elevated", "plain")],
    "vix_complacent": [("volatility.level", "two"), ("cfg:vix_complacent", "plain")],
    "vix_extreme": [("volatility.level", "two"), ("cfg:vix_extreme", "plain")],
    "vix_spike": VIX_MOVE,
    "vix_relief": VIX_MOVE,
    "watch_golden_cross": CROSS,
    "watch_death_cross": CROSS,
    "watch_drawdown": HIGH,
    "watch_near_high": HIGH,
    "watch_trend_up": TREND,
    "watch_trend_down": TREND,
}


def states(text: str, figure: str) -> bool:
    """``figure`` appears whole: no digit around it, and no sign before an unsigned figure."""
    before = r"(?<![\d.,])" if figure[0] in "+-" else r"(?<![\d.,+\-])"
    return re.search(before + re.escape(figure) + r"(?![\d])", text) is not None


def pool(report: dict[str, Any]) -> list[Finding]:
    return [*derive(report, CFG).all(), *key_point_candidates(report, CFG)]


def fired(fid: str) -> tuple[dict[str, Any], Finding]:
    report = baseline()
    CASES[fid][0](report)
    return report, next(f for f in pool(report) if f.id == fid)


def test_every_finding_id_has_a_sentence_and_a_figure_list() -> None:
    assert set(RENDERERS) == set(SPECS)
    assert set(FIGURES) == set(SPECS)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("fid", sorted(CASES))
def test_sentence_states_the_input_figures(fid: str, locale: str) -> None:
    report, finding = fired(fid)
    text = sentence(finding, locale)
    assert "{" not in text and "}" not in text and "%(" not in text, text
    for path, kind in FIGURES[fid]:
        expected = babel_figure(kind, lookup(report, path), locale)
        assert states(text, expected), f"{fid} ({locale}): {expected!r} not in {text!r}"
    if locale == "zh-CN":
        assert CJK.search(text), text
    else:
        assert not CJK.search(text), text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_wording_variant_renders_whole(name: str, locale: str) -> None:
    report = baseline()
    VARIANTS[name](report)
    for finding in pool(report):
        text = sentence(finding, locale)
        assert text and "{" not in text and "}" not in text and "%(" not in text, text


def test_dates_follow_each_locale() -> None:
    _, finding = fired("size_run_small")  # longest since 2025-01-10
    assert "2025年1月10日以来最长" in sentence(finding, "zh-CN")
    assert "the longest run since January 10, 2025" in sentence(finding, "en-US")


def test_a_record_run_names_the_start_of_the_data() -> None:
    report = baseline()
    VARIANTS["size_run_small_record"](report)
    finding = next(f for f in pool(report) if f.id == "size_run_small")
    assert "2021年2月26日" in sentence(finding, "zh-CN")
    assert "February 26, 2021" in sentence(finding, "en-US")
    assert "5 sessions in a row" in sentence(finding, "en-US")


def test_plural_forms_follow_the_count() -> None:
    report = baseline()
    put(report, "breadth.zweig_thrust_last", "2025-06-11")  # one session ago
    finding = next(f for f in pool(report) if f.id == "zweig_thrust")
    assert "1 session ago" in sentence(finding, "en-US")
    assert "1个交易日前" in sentence(finding, "zh-CN")
    _, finding = fired("zweig_thrust")
    assert "10 sessions ago" in sentence(finding, "en-US")


def test_small_spreads_keep_two_decimals() -> None:
    report = baseline()
    VARIANTS["tiny_spread"](report)  # 0.03 percentage points
    finding = next(f for f in pool(report) if f.id == "kp_small_lead")
    assert "by 0.03 percentage points" in sentence(finding, "en-US")
    assert "0.03个百分点" in sentence(finding, "zh-CN")


# --- glossary, names, labels ---------------------------------------------------------------------

GLOSSARY = [
    ("breadth_narrowing", "市场广度"),
    ("size_run_small", "小盘股"),
    ("size_run_large", "大盘股"),
    ("sector_dispersion_high", "板块轮动"),
    ("sector_leadership_change", "板块轮动"),
    ("kp_advancers_lead", "涨跌家数"),
    ("kp_net_new_highs", "创52周新高"),
    ("kp_pct_above", "均线"),
    ("watch_golden_cross", "金叉"),
    ("watch_death_cross", "死叉"),
    ("kp_small_lead", "百分点"),
    ("kp_index_up", "标普500指数"),
    ("size_run_small", "罗素2000指数"),
    ("vix_stress", "VIX恐慌指数"),
]


@pytest.mark.parametrize(("fid", "term"), GLOSSARY)
def test_chinese_uses_the_standard_terms(fid: str, term: str) -> None:
    _, finding = fired(fid)
    assert term in sentence(finding, "zh-CN")


def test_index_names_are_translated() -> None:
    report = baseline()
    put(report, "indices.^IXIC.return_1d", 0.015)
    put(report, "indices.^DJI.return_1d", -0.012)
    texts = " ".join(sentence(f, "zh-CN") for f in key_point_candidates(report, CFG))
    assert "纳斯达克综合指数上涨1.5%" in texts
    assert "道琼斯工业平均指数下跌1.2%" in texts
    texts = " ".join(sentence(f, "en-US") for f in key_point_candidates(report, CFG))
    assert "The Nasdaq Composite rose 1.5%" in texts
    assert "The Dow Jones Industrial Average fell 1.2%" in texts


def test_sector_names_are_translated() -> None:
    expected = {
        "XLK": "信息技术", "XLF": "金融", "XLE": "能源", "XLV": "医疗保健", "XLI": "工业",
        "XLP": "必需消费", "XLY": "可选消费", "XLU": "公用事业", "XLB": "原材料",
        "XLRE": "房地产", "XLC": "通信服务",
    }
    assert set(expected) == set(SECTOR_BY_ETF)
    report = baseline()
    for symbol, name in expected.items():
        finding = Finding("kp_sector_range", "key_point", 0.5, {
            "best": symbol, "best_return": 0.012, "worst": "XLE", "worst_return": -0.01,
        })
        text = sentence(finding, "zh-CN")
        assert f"{name}（{symbol}，+1.2%）领涨" in text
        assert SECTOR_BY_ETF[symbol].gics in sentence(finding, "en-US")
    del report


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [(strong_rally, "积极", "Positive"), (strong_selloff, "消极", "Negative"),
     (baseline, "中性", "Neutral")],
)
def test_tone_labels(make, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    report = make()
    ins = derive(report, CFG)
    assert render_text(ins, report, "zh-CN").tone_label == zh
    assert render_text(ins, report, "en-US").tone_label == en


def test_rendered_text_holds_every_finding_in_order_with_tags() -> None:
    report = strong_selloff()
    CASES["size_run_small"][0](report)
    ins = derive(report, CFG)
    for locale in LOCALES:
        text = render_text(ins, report, locale)
        assert isinstance(text, RenderedText) and text.locale == locale
        assert len(text.key_points) == len(ins.key_points) >= 5
        assert len(text.insights) == len(ins.insights)
        assert len(text.risks) == len(ins.risks) >= 3
        assert len(text.opportunities) == len(ins.opportunities)
        assert text.risks[0] == sentence(ins.risks[0], locale)
        assert 1 <= len(text.tags) <= 5 and len(set(text.tags)) == len(text.tags)
    zh = render_text(ins, report, "zh-CN").tags
    en = render_text(ins, report, "en-US").tags
    assert "小盘股轮动" in zh and "Small-cap rotation" in en
    assert "市场广度" in zh and "Market breadth" in en
    assert all(CJK.search(t) for t in zh)
    assert len(TAGS) == len(set(TAGS.values()))


def test_an_unknown_locale_is_refused() -> None:
    ins = derive(baseline(), CFG)
    with pytest.raises(ConfigError, match="unsupported locale 'fr-FR'"):
        render_text(ins, baseline(), "fr-FR")


def test_text_rebuilt_from_report_json_equals_the_original():
    """The portal and e-mail re-render sentences from report.json alone."""
    import json

    from reporter.insights import InsightsConfig, derive
    from reporter.insights.text import render_report_text, render_text
    from tests.insights.inputs import baseline

    report = baseline()
    report["indices"]["^GSPC"]["return_1d"] = -0.031
    found = derive(report, InsightsConfig())
    stored = json.loads(json.dumps({**report, **found.to_dict()}))
    for locale in ("zh-CN", "en-US"):
        assert render_report_text(stored, locale) == render_text(found, report, locale)
