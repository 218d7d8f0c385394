"""What every finding id is: its kind, its tone weight, its key-point group and its topic tag.

The table is the one place that lists every id the rules can emit; the text stage has one
sentence family per id, and the tests one case per id.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporter.insights.findings import Kind


@dataclass(frozen=True)
class Spec:
    """What every finding with this id is: its kind, its tone weight, its key-point group (for
    variety among key points) and its topic tag (None: no tag)."""

    kind: Kind
    weight: float
    group: str
    tag: str | None


#: The stories a session can tell, in the order they are tried (the first that holds is the
#: session's story; see ``rules.story``), with their topic tag.
STORIES: dict[str, str | None] = {
    "capitulation": "capitulation",
    "breadth_thrust": "thrust",
    "relief_rally": "rebound",
    "broad_selloff": "selloff",
    "broad_rally": "breadth",
    "narrow_rally": "narrow",
    "narrow_selloff": "concentration",
    "size_rotation": "size_rotation",
    "sector_rotation": "sector_rotation",
    "divergence_up": "divergence",
    "divergence_down": "divergence",
    "mixed_gain": None,
    "mixed_loss": None,
    "quiet": None,
}
#: Stories of a rising (falling) market: what the summary's last sentence argues against.
BULLISH = ("breadth_thrust", "relief_rally", "broad_rally", "narrow_rally", "divergence_down",
           "mixed_gain")
BEARISH = ("capitulation", "broad_selloff", "narrow_selloff", "divergence_up", "mixed_loss")
#: The summary's sentences: what happened, how broad, the week and month, what it means (or the
#: tension that needs explaining), what would change the view.
SUMMARY_IDS = ("summary_indices", "summary_breadth", "summary_week", "summary_meaning",
               "summary_tension", "summary_view")
WEEK_IDS = ("week_streak", "week_review")


def _specs() -> dict[str, Spec]:
    kp: Kind = "key_point"
    ins: Kind = "insight"
    risk: Kind = "risk"
    opp: Kind = "opportunity"
    table: list[tuple[str, Kind, float, str, str | None]] = [
        # key data points
        ("kp_index_up", kp, 0.5, "index", None),
        ("kp_index_down", kp, -0.5, "index", None),
        ("kp_index_flat", kp, 0.0, "index", None),
        ("kp_all_time_high", kp, 0.6, "index", "records"),
        ("kp_round_level", kp, 0.6, "index", "milestones"),
        ("kp_advancers_lead", kp, 0.3, "ad", None),
        ("kp_decliners_lead", kp, -0.3, "ad", None),
        ("kp_ad_even", kp, 0.0, "ad", None),
        ("kp_pct_above", kp, 0.0, "pct_above", None),
        ("kp_net_new_highs", kp, 0.2, "highs_lows", None),
        ("kp_net_new_lows", kp, -0.2, "highs_lows", None),
        ("kp_small_lead", kp, 0.1, "size", None),
        ("kp_large_lead", kp, 0.0, "size", None),
        ("kp_vix_up", kp, -0.3, "vix", None),
        ("kp_vix_down", kp, 0.3, "vix", None),
        ("kp_vix_flat", kp, 0.0, "vix", None),
        ("kp_sector_range", kp, 0.0, "sectors", None),
        ("kp_watch_up", kp, 0.2, "watch", None),
        ("kp_watch_down", kp, -0.2, "watch", None),
        # insights
        ("size_run_small", ins, 0.3, "size", "small_caps"),
        ("size_run_large", ins, 0.0, "size", "large_caps"),
        ("sector_lead_defensive", ins, -0.4, "sectors", "defensive"),
        ("sector_lead_rate_sensitive", ins, 0.0, "sectors", "rate_sensitive"),
        ("sector_lead_cyclical", ins, 0.4, "sectors", "cyclical"),
        ("sector_lead_growth", ins, 0.3, "sectors", "growth"),
        ("sector_leadership_change", ins, 0.0, "sectors", "sector_rotation"),
        ("sector_dispersion_high", ins, 0.0, "sectors", "sector_rotation"),
        ("sector_sweep_up", ins, 0.4, "sectors", "breadth"),
        ("sector_sweep_down", ins, -0.4, "sectors", "breadth"),
        ("mtd_up", ins, 0.3, "index", None),
        ("mtd_down", ins, -0.3, "index", None),
        ("new_highs_expand", ins, 0.4, "highs_lows", "breadth"),
        ("breadth_confirm_up", ins, 0.4, "pct_above", "breadth"),
        ("breadth_confirm_down", ins, -0.4, "pct_above", "breadth"),
        ("watch_trend_up", ins, 0.2, "watch", "bellwether"),
        ("watch_trend_down", ins, -0.2, "watch", "bellwether"),
        ("watch_near_high", ins, 0.2, "watch", "bellwether"),
        ("sector_leaders", ins, 0.0, "sectors", None),
        ("sector_shifts", ins, 0.0, "sectors", "sector_rotation"),
        # what happened next, the quality of the move, who carried it, baskets (issue 13):
        # history and quality describe the move; only a few carry a small tone weight
        ("history_after", ins, 0.0, "history", None),
        ("history_small", ins, 0.0, "history", None),
        ("quality_broad_advance", ins, 0.1, "quality", None),
        ("quality_broad_decline", ins, -0.1, "quality", None),
        ("quality_light_advance", ins, 0.0, "quality", None),
        ("quality_light_decline", ins, 0.0, "quality", None),
        ("quality_faded", ins, -0.1, "quality", None),
        ("quality_recovered", ins, 0.1, "quality", None),
        ("quality_sigma_move", ins, 0.0, "quality", None),
        ("quality_vix_below_realized", ins, 0.0, "vix", None),
        ("quality_vix_rich", ins, 0.0, "vix", None),
        ("carry_largest", ins, 0.0, "sectors", None),
        ("basket_squeeze", ins, -0.1, "baskets", None),
        ("basket_broad", ins, 0.1, "baskets", None),
        ("basket_unwind", ins, -0.1, "baskets", None),
        # risks
        ("breadth_divergence_narrow", risk, -0.6, "ad", "breadth"),
        ("breadth_narrowing", risk, -0.6, "pct_above", "breadth"),
        ("breadth_momentum_negative", risk, -0.4, "mcclellan", "breadth"),
        ("concentration", risk, -0.4, "size", "concentration"),
        ("vix_stress", risk, -0.7, "vix", "volatility"),
        ("vix_elevated", risk, -0.4, "vix", "volatility"),
        ("vix_spike", risk, -0.6, "vix", "volatility"),
        ("vix_complacent", risk, -0.2, "vix", "volatility"),
        ("new_lows_expand", risk, -0.6, "highs_lows", "breadth"),
        ("down_volume_thrust", risk, -0.7, "volume", "breadth"),
        ("mcclellan_overbought", risk, -0.1, "mcclellan", "overbought"),
        ("trin_climax", risk, -0.1, "trin", "overbought"),
        ("trend_weak", risk, -0.5, "pct_above", "breadth"),
        ("watch_death_cross", risk, -0.4, "watch", "bellwether"),
        ("watch_drawdown", risk, -0.3, "watch", "bellwether"),
        ("watch_below_high", risk, -0.15, "watch", "bellwether"),
        ("sector_laggard", risk, -0.1, "sectors", "sector_rotation"),
        ("vix_rising", risk, -0.3, "vix", "volatility"),
        ("volume_thin_advance", risk, -0.3, "volume", "breadth"),
        ("volume_confirms_decline", risk, -0.4, "volume", "breadth"),
        ("summation_divergence", risk, -0.3, "mcclellan", "divergence"),
        ("narrow_near_high", risk, -0.4, "pct_above", "narrow"),
        ("concentration_ytd", risk, -0.2, "size", "concentration"),
        ("leader_rebounding", risk, -0.2, "sectors", "sector_rotation"),
        ("sector_participation_slump", risk, -0.3, "sectors", "sector_rotation"),
        ("index_below_200d", risk, -0.5, "index", "trend"),
        ("index_below_50d", risk, -0.3, "index", "trend"),
        ("index_extended", risk, -0.2, "index", "trend"),
        ("index_support", risk, -0.1, "index", "trend"),
        ("size_gap_ytd_large", risk, -0.1, "size", "large_caps"),
        ("few_new_highs", risk, -0.3, "highs_lows", "narrow"),
        ("watch_extended", risk, -0.1, "watch", "bellwether"),
        ("breadth_overbought", risk, -0.1, "pct_above", "overbought"),
        ("sector_weakness", risk, -0.1, "sectors", "sector_rotation"),
        # opportunities
        ("breadth_divergence_broad", opp, 0.4, "ad", "breadth"),
        ("breadth_expanding", opp, 0.5, "pct_above", "breadth"),
        ("breadth_momentum_positive", opp, 0.4, "mcclellan", "breadth"),
        ("broadening", opp, 0.4, "size", "broadening"),
        ("mcclellan_oversold", opp, 0.1, "mcclellan", "oversold"),
        ("trin_panic", opp, 0.1, "trin", "oversold"),
        ("pct50_washout", opp, 0.1, "pct_above", "oversold"),
        ("zweig_thrust", opp, 0.8, "thrust", "thrust"),
        ("up_volume_thrust", opp, 0.7, "volume", "thrust"),
        ("vix_relief", opp, 0.4, "vix", "volatility"),
        ("vix_extreme", opp, 0.1, "vix", "volatility"),
        ("watch_golden_cross", opp, 0.4, "watch", "bellwether"),
        ("valuation_discount", opp, 0.2, "valuation", "valuation"),
        ("vix_easing", opp, 0.3, "vix", "volatility"),
        ("vix_calm", opp, 0.2, "vix", "volatility"),
        ("volume_confirms_advance", opp, 0.4, "volume", "breadth"),
        ("volume_thin_decline", opp, 0.2, "volume", "breadth"),
        ("summation_improving", opp, 0.3, "mcclellan", "divergence"),
        ("broadening_ytd", opp, 0.2, "size", "broadening"),
        ("leader_trending", opp, 0.2, "sectors", "sector_rotation"),
        ("sector_participation_surge", opp, 0.3, "sectors", "sector_rotation"),
        ("index_above_averages", opp, 0.4, "index", "trend"),
        ("index_reclaiming", opp, 0.2, "index", "trend"),
        ("index_200d_support", opp, 0.1, "index", "trend"),
        ("watch_leading", opp, 0.2, "watch", "bellwether"),
        ("size_gap_ytd_small", opp, 0.2, "size", "small_caps"),
        ("sector_strength", opp, 0.1, "sectors", "sector_rotation"),
        ("short_term_oversold", opp, 0.1, "pct_above", "oversold"),
        ("vix_fear", opp, 0.1, "vix", "volatility"),
    ]
    # the session's story (one of these), the headline that states it, the summary, the week
    story: Kind = "story"
    for sid, tag in STORIES.items():
        table.append((sid, story, 0.0, "story", tag))
        table.append((f"headline_{sid}", "headline", 0.0, "narrative", None))
    table += [(sid, "summary", 0.0, "narrative", None) for sid in SUMMARY_IDS]
    table += [(wid, "week", 0.0, "narrative", None) for wid in WEEK_IDS]
    return {i: Spec(kind, w, g, t) for i, kind, w, g, t in table}


SPECS: dict[str, Spec] = _specs()

#: Key points per group at most (others: 1), so the 5-7 lines cover different figures.
GROUP_CAPS = {"index": 2}
