"""The rules in order, and what is made of their findings: the key points, the tone, the
session's :class:`Insights`.

Tone: ``tone_score = clip(sum(weight(id) * score) / tone_scale, -1, 1)`` over every finding
(key points included); ``positive`` from ``+tone_threshold``, ``negative`` from
``-tone_threshold``, otherwise ``neutral``. Weights are signed: what argues for higher prices
is positive, what argues for caution negative; contrarian signals (oversold readings, panic
gauges) carry small weights because they describe stress today and only a possibility later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reporter.config import InsightsConfig
from reporter.insights.findings import Finding, Insights, Tone
from reporter.insights.rules import (
    breadth,
    history,
    key_points,
    market,
    narrative,
    quality,
    sectors,
    size,
    story,
    volatility,
)
from reporter.insights.rules import watchlist as watch
from reporter.insights.rules.base import Ctx, Rule
from reporter.insights.rules.specs import GROUP_CAPS, SPECS

KEY_POINT_RULES: tuple[Rule, ...] = (
    key_points.kp_indices,
    key_points.kp_advance_decline,
    key_points.kp_pct_above,
    key_points.kp_highs_lows,
    key_points.kp_size,
    key_points.kp_vix,
    key_points.kp_sector_range,
    key_points.kp_watch,
)

RULES: tuple[Rule, ...] = (
    size.size_run,
    size.size_gap_ytd,
    size.mega_vs_equal,
    size.valuation,
    sectors.sector_character,
    sectors.sector_leadership_change,
    sectors.sector_laggard,
    sectors.sector_dispersion,
    sectors.sector_sweep,
    sectors.sector_leaders,
    sectors.participation_shifts,
    sectors.sector_standing,
    market.month_to_date,
    market.index_trend,
    breadth.breadth_divergence_day,
    breadth.breadth_trend,
    breadth.breadth_momentum,
    breadth.highs_lows,
    breadth.volume_thrust,
    breadth.mcclellan,
    breadth.trin,
    breadth.participation_levels,
    breadth.zweig,
    breadth.volume_confirmation,
    breadth.summation,
    breadth.narrow_near_high,
    breadth.few_new_highs,
    volatility.vix,
    watch.watchlist,
    history.history_after,
    quality.volume_quality,
    quality.range_quality,
    quality.sigma_move,
    quality.vix_vs_realized,
    quality.carry,
    quality.baskets,
)


def _by_score(found: Iterable[Finding]) -> list[Finding]:
    """Highest score first; ties keep rule order (a stable sort), so output is deterministic."""
    return sorted(found, key=lambda f: -f.score)


def select_key_points(candidates: list[Finding], cfg: InsightsConfig) -> tuple[Finding, ...]:
    """The ``key_points_min``-``key_points_max`` most salient figures: candidates scoring at
    least ``key_point_min_score``, at most ``GROUP_CAPS`` (else 1) per group; then, when fewer
    than the minimum qualify, the best remaining ones regardless of score and group."""
    ranked = _by_score(candidates)
    chosen: list[Finding] = []
    used: dict[str, int] = {}
    for f in ranked:
        group = SPECS[f.id].group
        if len(chosen) >= cfg.key_points_max or f.score < cfg.key_point_min_score:
            continue
        if used.get(group, 0) >= GROUP_CAPS.get(group, 1):
            continue
        chosen.append(f)
        used[group] = used.get(group, 0) + 1
    for f in ranked:
        if len(chosen) >= cfg.key_points_min:
            break
        if f not in chosen:
            chosen.append(f)
    return tuple(_by_score(chosen))


#: The fewest risks and opportunities a session shows (DESIGN.md, "Insights").
LEAST = {"risk": 3, "opportunity": 2}


def varied(found: Iterable[Finding], most: int, least: int) -> tuple[Finding, ...]:
    """Up to ``most`` findings, highest score first, one per group (two VIX readings, or two
    oversold participation shares, make one point, said once); when that leaves fewer than
    ``least``, the best of the rest make up the number."""
    ranked = _by_score(found)
    chosen: list[Finding] = []
    groups: set[str] = set()
    for f in ranked:
        if len(chosen) < most and SPECS[f.id].group not in groups:
            chosen.append(f)
            groups.add(SPECS[f.id].group)
    for f in ranked:
        if len(chosen) >= min(least, most):
            break
        if f not in chosen:
            chosen.append(f)
    return tuple(_by_score(chosen))


def _trigger_key(f: Finding) -> tuple[str, float]:
    t = f.params["trigger"]
    return str(t.get("path")), round(float(t.get("level", 0.0)), 9)


def apart(risks: tuple[Finding, ...], opportunities: tuple[Finding, ...],
          ) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """A risk and an opportunity on one trigger (the same figure at the same level: "a close
    below the 50-day average" confirms the one and invalidates the other) are one point seen
    from both sides. The better-scored one stays, unless its removal would leave the other
    kind with fewer than it shows at least (``LEAST``)."""
    kept_r, kept_o = list(risks), list(opportunities)
    by_key = {_trigger_key(f): f for f in risks}
    for o in opportunities:
        r = by_key.get(_trigger_key(o))
        if r is None or r not in kept_r:
            continue
        first, second = (r, o) if o.score > r.score else (o, r)  # the first to go, if it can
        for drop in (first, second):
            kept = kept_r if drop is r else kept_o
            if len(kept) > LEAST[drop.kind]:
                kept.remove(drop)
                break
    return tuple(kept_r), tuple(kept_o)


def tone_of(findings: Iterable[Finding], cfg: InsightsConfig) -> tuple[Tone, float]:
    """``(label, score)``: see the module docstring."""
    total = sum(SPECS[f.id].weight * f.score for f in findings)
    score = round(max(-1.0, min(1.0, total / cfg.tone_scale)), 4)
    if score >= cfg.tone_threshold:
        return "positive", score
    if score <= -cfg.tone_threshold:
        return "negative", score
    return "neutral", score


def key_point_candidates(report: dict[str, Any], cfg: InsightsConfig) -> list[Finding]:
    """Every figure that may become a key data point, before the selection."""
    ctx = Ctx(report, cfg)
    return [f for rule in KEY_POINT_RULES for f in rule(ctx)]


def derive(report: dict[str, Any], cfg: InsightsConfig) -> Insights:
    """Every finding of the session in ``report`` (the metrics part of report.json): the key
    points, insights, risks and opportunities, the tone, and the narrative (the story, the
    headline that states it, the summary and the week)."""
    ctx = Ctx(report, cfg)
    points = select_key_points(key_point_candidates(report, cfg), cfg)
    found = [f for rule in RULES for f in rule(ctx)]
    risks, opportunities = apart(
        varied((f for f in found if f.kind == "risk"), cfg.risks_max, LEAST["risk"]),
        varied((f for f in found if f.kind == "opportunity"), cfg.opportunities_max,
               LEAST["opportunity"]))
    by_kind = {"insight": tuple(_by_score(f for f in found if f.kind == "insight")),
               "risk": risks, "opportunity": opportunities}
    tone, score = tone_of([*points, *by_kind["insight"], *by_kind["risk"],
                           *by_kind["opportunity"]], cfg)
    told = story.story(ctx)
    return Insights(
        key_points=points,
        insights=by_kind["insight"],
        risks=by_kind["risk"],
        opportunities=by_kind["opportunity"],
        tone=tone,
        tone_score=score,
        story=told,
        headline=narrative.headline(ctx, told) if told else None,
        summary=narrative.summary(ctx, told, tuple(found), tone) if told else (),
        week=narrative.week(ctx),
    )
