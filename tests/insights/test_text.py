"""Sentences in both locales: whole catalog messages, every figure formatted by Babel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from reporter.errors import ConfigError
from reporter.insights import Finding, InsightsConfig, derive, render_text
from reporter.insights.rules import SPECS, key_point_candidates
from reporter.insights.rules.specs import STORIES
from reporter.insights.text import RENDERERS, TAGS, sentence
from reporter.model import RenderedText
from reporter.vocabulary import SECTOR_BY_ETF
from tests.insights.test_rules import strong_rally, strong_selloff
from tests.support.insight_cases import CASES, VARIANTS
from tests.support.insight_inputs import baseline, put

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
    if kind == "spct":  # signed; a figure that shows as zero carries no sign
        text = format_percent(value, "+#,##0.0%;-#,##0.0%", locale=loc)
        zero = format_percent(0, "#,##0.0%", locale=loc)
        return zero if text.lstrip("+-") == zero else text
    if kind == "moved":  # a move worded by its direction as shown; 0.0% is little changed
        size = format_percent(abs(value), "#,##0.0%", locale=loc)
        words = {"zh-CN": ("上涨", "下跌", "约持平"), "en-US": ("up ", "down ", "little changed")}
        up, down, flat = words[locale]
        if size == format_percent(0, "#,##0.0%", locale=loc):
            return flat
        return (up if value > 0 else down) + size
    if kind == "tpct":
        return format_percent(value, "#,##0.#%", locale=loc)
    if kind == "pp":
        points = abs(Decimal(str(value))) * 100
        return format_decimal(points, "#,##0.0" if points >= Decimal("0.1") else "#,##0.00",
                              locale=loc)
    if kind == "two":
        return format_decimal(value, "#,##0.00", locale=loc)
    if kind == "signed2":
        return format_decimal(value, "+#,##0.00;-#,##0.00", locale=loc)
    if kind == "spp":  # a signed change in percentage points, one decimal
        return format_decimal(Decimal(str(value)) * 100, "+#,##0.0;-#,##0.0", locale=loc)
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
    if path.startswith("ratio:"):  # a / b - 1: a close against its average
        a, b = path[6:].split("/")
        return lookup(report, a) / lookup(report, b) - 1
    if path.startswith("sum:"):
        return sum(lookup(report, part) for part in path[4:].split("+"))
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
VIX_REGIME = [("volatility.level", "two"), ("volatility.sma_20", "two"),
              ("volatility.change_1d", "signed2"), ("cfg:vix_elevated", "plain")]
SUMMATION = [(f"{SPX}.return_5d", "apct"), ("breadth.summation_index", "one"),
             ("breadth.summation_index_5d_ago", "one")]
LEADER = [("sector:XLK.return_1d", "spct"), ("breadth_by_sector[0].pct_above_50d", "pct")]
SHIFT = [("breadth_by_sector[0].pct_above_50d_change_5d", "pp"),
         ("breadth_by_sector[0].pct_above_50d", "pct")]
AVERAGES = [(f"{SPX}.sma_50", "two"), (f"{SPX}.sma_200", "two")]
MEMBERS = ("sum:breadth.advancers+breadth.decliners+breadth.unchanged", "count")
DIVERGENCE = [(f"{SPX}.return_5d", "apct"), *P50]

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
                           ("cfg:volume_thrust_share", "tpct"), ("quality.volume_vs_20d", "two")],
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
    "vix_stress": [("volatility.level", "two"), ("cfg:vix_stress", "plain"),
                   ("volatility.change_1d", "signed2")],
    "vix_elevated": VIX_REGIME,
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
    # --- the analyst's note (issue 12) ----------------------------------------------------------
    "vix_easing": VIX_REGIME,
    "vix_rising": VIX_REGIME,
    "vix_calm": VIX_REGIME,
    "vix_fear": [("volatility.level", "two"), ("volatility.percentile_1y", "pct")],
    "volume_confirms_advance": [*AD, ("breadth.up_volume_share", "pct"), ("breadth.trin", "two")],
    "volume_thin_advance": [*AD, ("breadth.trin", "two")],
    "volume_confirms_decline": [*AD, ("breadth.up_volume_share", "cpct"),
                                ("breadth.trin", "two")],
    "volume_thin_decline": [*AD, ("breadth.up_volume_share", "pct")],
    "summation_divergence": SUMMATION,
    "summation_improving": SUMMATION,
    "narrow_near_high": [(f"{SPX}.from_high_52w", "apct"), ("breadth.pct_above_50d", "pct")],
    "few_new_highs": [(f"{SPX}.from_high_52w", "apct"), ("breadth.new_highs", "count")],
    "breadth_overbought": [("breadth.pct_above_50d", "pct"),
                           ("cfg:pct_above_50d_overbought", "tpct")],
    "short_term_oversold": [("breadth.pct_above_20d", "pct"),
                            ("cfg:pct_above_20d_oversold", "tpct")],
    "concentration_ytd": [("size_rotation.mega_vs_equal.spread_ytd", "pp")],
    "broadening_ytd": [("size_rotation.mega_vs_equal.spread_ytd", "pp")],
    "leader_rebounding": LEADER,
    "leader_trending": LEADER,
    "sector_leaders": LEADER,
    "sector_shifts": [("breadth_by_sector[0].pct_above_50d_change_5d", "spp"),
                      ("breadth_by_sector[0].pct_above_50d", "pct")],
    "sector_participation_slump": SHIFT,
    "sector_participation_surge": SHIFT,
    "sector_strength": [("breadth_by_sector[0].pct_above_50d", "pct")],
    "sector_weakness": [("breadth_by_sector[0].pct_above_50d", "pct")],
    "index_above_averages": [(f"{SPX}.close", "two"), *AVERAGES],
    "index_support": [(f"{SPX}.sma_50", "two"), (f"ratio:{SPX}.close/{SPX}.sma_50", "apct")],
    "index_extended": [(f"ratio:{SPX}.close/{SPX}.sma_50", "apct"),
                       (f"ratio:{SPX}.close/{SPX}.sma_200", "apct"), (f"{SPX}.sma_50", "two")],
    "index_below_50d": [(f"{SPX}.close", "two"), *AVERAGES,
                        (f"ratio:{SPX}.close/{SPX}.sma_50", "apct")],
    "index_200d_support": [(f"{SPX}.sma_200", "two"),
                           (f"ratio:{SPX}.close/{SPX}.sma_200", "apct")],
    "index_below_200d": [(f"{SPX}.close", "two"), *AVERAGES,
                         (f"ratio:{SPX}.close/{SPX}.sma_200", "apct")],
    "index_reclaiming": [(f"{SPX}.close", "two"), *AVERAGES,
                         (f"ratio:{SPX}.close/{SPX}.sma_200", "apct")],
    "watch_below_high": HIGH,
    "watch_extended": [(f"ratio:{NVDA}.close/{NVDA}.sma_50", "apct"), (f"{NVDA}.sma_50", "two")],
    "watch_leading": HIGH,
    **{sid: [] for sid in STORIES},  # a story's sentence is its name
    "headline_broad_rally": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"), MEMBERS],
    "headline_narrow_rally": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"),
                              MEMBERS],
    "headline_mixed_gain": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"), MEMBERS],
    "headline_breadth_thrust": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"),
                                MEMBERS, ("breadth.up_volume_share", "pct")],
    "headline_relief_rally": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"),
                              MEMBERS, ("week.streak_before.^GSPC.return", "apct"),
                              ("week.streak_before.^GSPC.length", "count")],
    "headline_broad_selloff": [(f"{SPX}.return_1d", "apct"), ("breadth.decliners", "count"),
                               MEMBERS],
    "headline_mixed_loss": [(f"{SPX}.return_1d", "apct"), ("breadth.decliners", "count"), MEMBERS],
    "headline_capitulation": [(f"{SPX}.return_1d", "apct"), ("breadth.decliners", "count"),
                              MEMBERS, ("breadth.up_volume_share", "cpct"),
                              ("quality.volume_vs_20d", "two")],
    "headline_narrow_selloff": [(f"{SPX}.return_1d", "apct"), ("breadth.advancers", "count"),
                                MEMBERS],
    "headline_size_rotation": [(f"{SPX}.return_1d", "spct"), ("indices.^RUT.return_1d", "spct"),
                               ("size_rotation.spread_1d", "pp")],
    "headline_sector_rotation": [(f"{SPX}.return_1d", "spct"), ("sectors[0].return_1d", "spct"),
                                 ("sectors[10].return_1d", "spct")],
    "headline_divergence_up": DIVERGENCE,
    "headline_divergence_down": DIVERGENCE,
    "headline_quiet": [(f"{SPX}.return_1d", "spct"), (f"{SPX}.close", "two"), *AD],
    "summary_indices": [(f"indices.{s}.return_1d", "spct") for s in ("^GSPC", "^RUT", "^IXIC",
                                                                       "^DJI")],
    "summary_breadth": [*AD, MEMBERS, ("breadth.up_volume_share", "pct"),
                        ("breadth.pct_above_50d", "pct"), ("breadth.pct_above_200d", "pct")],
    "summary_week": [(f"{SPX}.return_5d", "moved"), (f"{SPX}.return_mtd", "moved"),
                     (f"{SPX}.return_prev_month", "moved")],
    "summary_meaning": [("breadth.pct_above_50d", "pct")],
    "summary_tension": [*AD, ("breadth.trin", "two")],
    "summary_view": [(f"{SPX}.sma_50", "two"), (f"{SPX}.close", "two")],
    "week_streak": [*((f"week.returns.^GSPC[{i}]", "spct") for i in range(5)),
                    (f"{SPX}.return_5d", "moved"), ("week.sessions[1]", "date"),
                    ("week.sessions[5]", "date")],
    "week_review": [*((f"week.week_return.{s}", "spct") for s in ("^GSPC", "^RUT", "^IXIC",
                                                                     "^DJI")),
                    ("week.week_breadth.advancers_sum", "count"),
                    ("week.week_breadth.decliners_sum", "count"),
                    ("week.week_breadth.new_highs_sum", "count"),
                    ("week.week_breadth.new_lows_sum", "count"), ("week.week_start", "date")],
    # what happened next (21 sessions after), the quality of the move, who carried it, baskets
    "history_after": [
        *((f"analogs.signals.up_volume_90.forward.{s}.21.{k}", kind) for s in ("^GSPC", "^RUT")
          for k, kind in (("median", "spct"), ("share_positive", "pct"))),
        ("analogs.signals.up_volume_90.forward.^GSPC.21.n", "count")],
    "history_small": [("analogs.signals.zweig_thrust.forward.^GSPC.21.n", "count"),
                      ("analogs.min_sample", "count"), ("lit:21", "count")],
    "quality_broad_advance": [("breadth.up_volume_share", "pct"), ("quality.volume_vs_20d", "two"),
                              ("quality.close_top_quarter", "pct")],
    "quality_broad_decline": [("breadth.up_volume_share", "cpct"),
                              ("quality.volume_vs_20d", "two"),
                              ("quality.close_bottom_quarter", "pct")],
    "quality_light_advance": [("breadth.up_volume_share", "pct"), ("quality.volume_vs_20d", "two")],
    "quality_light_decline": [("breadth.up_volume_share", "cpct"),
                              ("quality.volume_vs_20d", "two")],
    "quality_faded": [(f"{SPX}.return_1d", "apct"), ("quality.close_bottom_quarter", "pct"),
                      ("quality.close_top_quarter", "pct")],
    "quality_recovered": [(f"{SPX}.return_1d", "apct"), ("quality.close_bottom_quarter", "pct"),
                          ("quality.close_top_quarter", "pct")],
    "quality_sigma_move": [("quality.index_moves.^GSPC.return_1d", "apct"),
                           ("quality.index_moves.^GSPC.sigmas", "one"),
                           ("quality.index_moves.^GSPC.volatility_20d", "pct")],
    # realized volatility in the VIX's points: 0.25 and 0.09 are 25.0 and 9.0
    "quality_vix_below_realized": [("quality.vix", "two"), ("lit:25.0", "one")],
    "quality_vix_rich": [("quality.vix", "two"), ("lit:9.0", "one"),
                         ("quality.implied_to_realized", "two")],
    "carry_largest": [("sector_carry[0].etf_return_1d", "apct"),
                      ("sector_carry[0].median_return_1d", "spct"),
                      ("sector_carry[0].movers[0].return_1d", "spct")],
    "basket_squeeze": [("baskets.momentum.winners.return_1d", "spct"),
                       ("baskets.momentum.losers.return_1d", "spct"),
                       ("baskets.momentum.spread_1d", "pp"),
                       ("baskets.volatility.spread_1d", "pp")],
    "basket_broad": [("baskets.momentum.winners.return_1d", "spct"),
                     ("baskets.momentum.losers.return_1d", "spct")],
    "basket_unwind": [("baskets.momentum.winners.return_1d", "spct"),
                      ("baskets.momentum.losers.return_1d", "spct"),
                      ("baskets.momentum.spread_1d", "pp")],
}


def states(text: str, figure: str) -> bool:
    """``figure`` appears whole: no digit around it, and no sign before an unsigned figure."""
    before = r"(?<![\d.,])" if figure[0] in "+-" else r"(?<![\d.,+\-])"
    return re.search(before + re.escape(figure) + r"(?![\d])", text) is not None


def pool(report: dict[str, Any]) -> list[Finding]:
    from tests.insights.test_rules import everything

    return everything(report)


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


def test_selling_is_called_heavy_only_on_volume_above_its_average() -> None:
    """A 90% down day says "heavy" only when member volume ran above its 20-day average."""
    said = {}
    for volume in (0.58, 1.4, None):
        report = put(put(baseline(), "breadth.up_volume_share", 0.08), "quality.volume_vs_20d",
                     volume)
        (finding,) = [f for f in pool(report) if f.id == "down_volume_thrust"]
        said[volume] = sentence(finding, "en-US")
    assert "heavy" not in said[None] and "only 0.58 times its 20-day average" in said[0.58]
    assert "without heavy volume" in said[0.58]
    assert "1.40 times its 20-day average: heavy, indiscriminate selling" in said[1.4]
    assert not any(re.search("capitulat", text, re.I) for text in said.values())


@pytest.mark.parametrize("locale", LOCALES)
def test_a_move_that_rounds_to_zero_is_worded_flat_in_the_week_sentences(locale: str) -> None:
    """-0.03% over five sessions shows as 0.0%: it is "little changed" (约持平), not "0.0%",
    not "down"; the same for the month and last month, in the summary and the five-session
    line; a move that shows is worded by its sign."""
    flat, shows = {"zh-CN": ("约持平", ("上涨0.1%", "下跌0.1%")),
                   "en-US": ("little changed", ("up 0.1%", "down 0.1%"))}[locale]
    for r5, mtd, prev in ((-0.0003, 0.0004, -0.00049), (0.0005001, -0.0006, 0.0014)):
        report = baseline()
        CASES["week_streak"][0](report)
        for path, value in (("return_5d", r5), ("return_mtd", mtd),
                            ("return_prev_month", prev)):
            put(report, f"{SPX}.{path}", value)
        found = {f.id: f for f in pool(report)}
        week, five = (sentence(found[k], locale) for k in ("summary_week", "week_streak"))
        zero = "0.0%"
        if r5 == -0.0003:
            assert week.count(flat) == 3 and zero not in week, week
            assert flat in five and not re.search(r"[;；，]\s*(?:累计)?0\.0%", five), five
        else:  # +0.05001% shows as +0.1%; -0.06% as -0.1%; +0.14% as +0.1%
            assert shows[0] in week and shows[1] in week and flat not in week, week
            assert shows[0] in five, five


def _broad_day(r: float, advancers: int, decliners: int, up_volume: float,
               story: str) -> tuple[RenderedText, RenderedText, str, str]:
    """The texts of a day of ``story`` with these figures, and what each says of the day
    (headline, story name, tags, summary) as one string per language."""
    report = baseline()
    for path, value in {"indices.^GSPC.return_1d": r, "breadth.advancers": advancers,
                        "breadth.decliners": decliners, "breadth.unchanged": 0,
                        "breadth.up_volume_share": up_volume,
                        "quality.volume_vs_20d": 0.9}.items():
        put(report, path, value)
    ins = derive(report, CFG)
    assert ins.story is not None and ins.story.id == story
    zh, en = (render_text(ins, report, loc) for loc in LOCALES)
    return (zh, en, " ".join((zh.headline, zh.story, *zh.tags, *zh.summary)),
            " ".join((en.headline, en.story, *en.tags, *en.summary)))


@pytest.mark.parametrize(("advancers", "decliners", "up_volume", "broad"), [
    (150, 350, 0.25, False),  # 70% of members fell: most, not nearly all
    (101, 399, 0.25, False),  # 79.8%
    (100, 400, 0.25, True),  # 80%: a broad decline
    (150, 350, 0.08, True),  # 70%, but 92% of the volume in falling stocks
])
def test_broad_decline_words_need_a_real_broad_decline(
        advancers: int, decliners: int, up_volume: float, broad: bool) -> None:
    """普跌 / "Broad sell-off" (headline, story name, tag, meaning) only when at least
    story_sweep_share (80%) of the members that moved fell or on a 90% down-volume day;
    a 65%-80% day is 多数下跌 / "Most stocks fell"."""
    _, _, said_zh, said_en = _broad_day(-0.01, advancers, decliners, up_volume, "broad_selloff")
    assert ("普跌" in said_zh) == broad, said_zh
    assert ("多数下跌" in said_zh) != broad, said_zh
    assert ("Broad sell" in said_en or "broad selling" in said_en.lower()) == broad, said_en
    assert ("Most stocks fell" in said_en) != broad, said_en


@pytest.mark.parametrize(("advancers", "decliners", "broad"), [
    (350, 150, False),  # 70% of members rose: most, not nearly all
    (399, 101, False),  # 79.8%
    (400, 100, True),  # 80%: a broad rally
    (460, 40, True),
])
def test_broad_rally_words_need_a_real_broad_advance(
        advancers: int, decliners: int, broad: bool) -> None:
    """普涨 / "Broad rally" (headline, story name, tag, meaning) only when at least
    story_sweep_share (80%) of the members that moved rose (a 90% up-volume day with 65% up is
    a breadth thrust, another story); a 65%-80% day is 多数上涨 / "Most stocks rose"."""
    zh, en, said_zh, said_en = _broad_day(0.01, advancers, decliners, 0.75, "broad_rally")
    assert zh.headline.startswith("普涨" if broad else "多数上涨"), zh.headline
    assert ("多数上涨" in said_zh) != broad, said_zh
    assert en.headline.startswith("Broad rally" if broad else "Most stocks rose"), en.headline
    assert ("Most stocks rose" in said_en) != broad, said_en
    assert ("not nearly all" in " ".join(en.summary)) != broad, en.summary


@pytest.mark.parametrize(("before", "held"), [(6010.0, True), (5790.0, False), (None, False)])
def test_still_above_the_200_day_only_when_the_session_before_was_above_it(
        before: float | None, held: bool) -> None:
    """"仍守在200日均线之上" / "holds above" claims persistence: only when the session before
    also closed above its 200-day average (5,800 that day); else 位于…之上 / "is above"."""
    report = baseline()
    CASES["index_below_50d"][0](report)
    put(report, f"{SPX}.close_prev", before)
    put(report, f"{SPX}.sma_200_prev", 5800.0)
    found = [f for f in pool(report) if f.id in ("index_below_50d", "index_200d_support")]
    assert {f.id for f in found} == {"index_below_50d", "index_200d_support"}
    for f in found:
        zh, en = sentence(f, "zh-CN"), sentence(f, "en-US")
        assert ("仍" in zh) == held and ("位于200日均线" in zh) != held, zh
        assert ("holds" in en.split(":")[0] or "holds above" in en) == held, en
        assert ("is above its 200-day" in en or " is " in en.split(":")[0]) != held, en


def test_data_warnings_are_translated_with_their_plural_forms() -> None:
    """A data warning reaches the note in the edition's language: "1 row" / "2 rows" in
    English (never "row(s)"), 1 行 in Chinese with the date as the locale writes it; so does
    a store's earlier "row(s)" wording; a stale-data note too, with no English left in Chinese."""
    from reporter.insights.text.edition import data_warning
    from reporter.insights.text.writer import Writer
    from reporter.sources.base import check_bars

    days = pd.to_datetime(["2021-05-04", "2021-05-05", "2021-05-06"])
    bars = pd.DataFrame({"Open": [10.0, 10.0, 10.0], "High": [11.0, 9.9, 11.0],
                         "Low": [9.0, 9.0, 9.0], "Close": [10.5, 9.5, 10.5]}, index=days)
    (one,) = check_bars("HUBB", bars, origin="x")[1]
    bars.loc[days[2], "High"] = 9.8
    (two,) = check_bars("HUBB", bars, origin="x")[1]
    assert one == "HUBB: 1 row with open/high/low inconsistent with each other (first 2021-05-05)"
    assert two.startswith("HUBB: 2 rows with ")
    zh, en = Writer("zh-CN"), Writer("en-US")
    # dates as each locale writes them: May 5, 2021 / 2021年5月5日
    assert data_warning(en, one) == one.replace("2021-05-05", "May 5, 2021")
    assert data_warning(en, two) == two.replace("2021-05-05", "May 5, 2021")
    assert data_warning(zh, one) == ("HUBB：1行开盘价/最高价/最低价相互矛盾"
                                     "（首次出现于2021年5月5日）")
    assert data_warning(zh, two).startswith("HUBB：2行")
    legacy = one.replace("1 row with", "1 row(s) with")
    assert data_warning(zh, legacy) == data_warning(zh, one)
    assert data_warning(en, legacy) == data_warning(en, one)
    stale = ("^GSPC ends on 2025-01-03, before 1 other series (up to 2025-01-06); no report "
             "can be later than 2025-01-03 (stale data)")
    said = data_warning(zh, stale)
    assert "2025年1月3日" in said and not re.search(r"[a-z]{3,}", said), said
    # every wording of the vocabulary reads back what it wrote
    from reporter.vocabulary import DATA_WARNINGS
    for spec in DATA_WARNINGS.values():
        values = {k: ("3" if k == "count" else f"v{k}") for k in re.findall(r"\{(\w+)\}",
                                                                            spec.singular)}
        text = spec.text(**{k: int(v) if k == "count" else v for k, v in values.items()})
        assert spec.match(text) == values, spec.id
        assert not re.search(r"[a-z]{3,}", re.sub(r"v[a-z]+", "", data_warning(zh, text))), text


def test_dates_follow_each_locale() -> None:
    _, finding = fired("size_run_small")  # longest since 2025-01-10
    assert "2025年1月10日以来最长" in sentence(finding, "zh-CN")
    assert "the longest run since January 10, 2025" in sentence(finding, "en-US")


def test_a_record_run_names_the_start_of_the_data() -> None:
    report = baseline()
    VARIANTS["size_run_small_record"](report)
    finding = next(f for f in pool(report) if f.id == "size_run_small")
    # the month the searched data begin (history.first_session here: the report has no
    # size_rotation.run.history_start)
    assert "2021年2月有数据以来最长" in sentence(finding, "zh-CN")
    assert "in data since February 2021" in sentence(finding, "en-US")
    assert "5 sessions in a row" in sentence(finding, "en-US")


def test_plural_forms_follow_the_count() -> None:
    report = baseline()
    put(report, "breadth.zweig_thrust_last", "2025-06-11")  # one session ago
    finding = next(f for f in pool(report) if f.id == "zweig_thrust")
    assert "1 session ago" in sentence(finding, "en-US")
    assert "1个交易日前" in sentence(finding, "zh-CN")
    _, finding = fired("zweig_thrust")
    assert "10 sessions ago" in sentence(finding, "en-US")


def test_a_spread_that_shows_below_a_tenth_of_a_point_is_no_key_point() -> None:
    report = put(baseline(), "size_rotation.spread_1d", 0.0009)  # 0.09 percentage points
    assert not [f for f in pool(report) if f.id in ("kp_small_lead", "kp_large_lead")]
    put(report, "size_rotation.spread_1d", 0.001)
    (finding,) = [f for f in pool(report) if f.id == "kp_small_lead"]
    assert "by 0.1 percentage points" in sentence(finding, "en-US")
    assert "0.1个百分点" in sentence(finding, "zh-CN")


# --- glossary, names, labels ---------------------------------------------------------------------

GLOSSARY = [
    ("breadth_narrowing", "市场广度"),
    ("size_run_small", "小盘股"),
    ("size_run_large", "大盘股"),
    ("sector_dispersion_high", "板块轮动"),
    ("sector_leadership_change", "领涨"),
    ("summary_breadth", "标普500成分股"),
    ("headline_broad_rally", "标普500成分股"),
    ("leader_rebounding", "站上50日均线"),
    ("volume_confirms_advance", "涨跌家数"),
    ("sector_participation_slump", "百分点"),
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
    [(strong_rally, "偏多", "Positive"), (strong_selloff, "偏空", "Negative"),
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
        # each risk and opportunity: its sentence, then its trigger's
        for said, f in zip((*text.risks, *text.opportunities), (*ins.risks, *ins.opportunities),
                           strict=True):
            assert said.startswith(sentence(f, locale)) and len(said) > len(sentence(f, locale))
        assert text.headline and 3 <= len(text.summary) <= 5
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
    from tests.support.insight_inputs import baseline

    report = baseline()
    report["indices"]["^GSPC"]["return_1d"] = -0.031
    found = derive(report, InsightsConfig())
    stored = json.loads(json.dumps({**report, **found.to_dict()}))
    for locale in ("zh-CN", "en-US"):
        assert render_report_text(stored, locale) == render_text(found, report, locale)
