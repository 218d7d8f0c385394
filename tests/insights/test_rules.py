"""The insight rules on crafted metric inputs: each fires when its evidence holds, not beside."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from reporter.insights import Finding, InsightsConfig, derive
from reporter.insights.rules import (
    SPECS,
    apart,
    key_point_candidates,
    select_key_points,
    tone_of,
    varied,
)
from tests.support.insight_cases import CASES, VARIANTS, sector
from tests.support.insight_inputs import baseline, put

CFG = InsightsConfig()


def everything(report: dict[str, Any], cfg: InsightsConfig = CFG) -> list[Finding]:
    """Every finding (risks and opportunities uncapped) and every key-point candidate, with the
    story, the headline, the summary and the week."""
    ins = derive(report, InsightsConfig(**{**cfg.model_dump(), "risks_max": 30,
                                             "opportunities_max": 30}))
    story = (ins.story,) if ins.story else ()
    return [*ins.all(), *key_point_candidates(report, cfg), *story, *ins.narrative()]


def found_ids(report: dict[str, Any]) -> set[str]:
    """Ids of every finding plus every key-point candidate (selection aside)."""
    return {f.id for f in everything(report)}


def findings(report: dict[str, Any], fid: str) -> list[Finding]:
    return [f for f in everything(report) if f.id == fid]


def resolve(report: dict[str, Any], path: str) -> Any:
    """A report path: ``a.b[2].c``; a key with dots in brackets: ``context[indices.^GSPC.x]``."""
    import re

    node: Any = report
    for key, inner in re.findall(r"([^.\[\]]+)|\[([^\]]+)\]", path):
        node = node[key] if key else node[int(inner)] if inner.isdigit() else node[inner]
    return node


def test_every_finding_id_has_a_case_and_the_reverse() -> None:
    assert set(CASES) == set(SPECS)


def test_the_quiet_baseline_raises_no_insight_risk_or_opportunity() -> None:
    ins = derive(baseline(), CFG)
    assert ins.insights == () and ins.risks == () and ins.opportunities == ()
    assert ins.tone == "neutral"


@pytest.mark.parametrize("fid", sorted(CASES))
def test_rule_fires_when_its_evidence_holds(fid: str) -> None:
    report = baseline()
    CASES[fid][0](report)
    hits = findings(report, fid)
    assert hits, f"{fid} did not fire"
    for f in hits:
        assert f.kind == SPECS[fid].kind
        assert 0.0 <= f.score <= 1.0
        assert f.evidence, f"{fid} cites no evidence"
        for e in f.evidence:
            assert set(e) == {"path", "value", "date"}
            assert resolve(report, e["path"]) == e["value"], e["path"]
            assert isinstance(e["date"], str) and len(e["date"]) == 10


@pytest.mark.parametrize("fid", sorted(CASES))
def test_rule_stays_silent_just_beside_its_threshold(fid: str) -> None:
    report = baseline()
    CASES[fid][1](report)
    assert fid not in found_ids(report)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_derive_without_error(name: str) -> None:
    report = baseline()
    VARIANTS[name](report)
    assert derive(report, CFG).key_points


def test_session_counts_are_nyse_sessions() -> None:
    report = baseline()
    CASES["zweig_thrust"][0](report)
    (f,) = findings(report, "zweig_thrust")
    assert f.params["sessions_ago"] == 10  # May 29, 30, June 2-6, 9-12 after May 29
    report = baseline()
    CASES["watch_golden_cross"][0](report)
    (f,) = findings(report, "watch_golden_cross")
    assert f.params["sessions_ago"] == 20  # Memorial Day (May 26) is no session


def test_size_run_cites_the_last_as_long_run_or_the_start_of_the_data() -> None:
    report = baseline()
    CASES["size_run_small"][0](report)
    (f,) = findings(report, "size_run_small")
    assert f.params["since"] == "2025-01-10" and f.params["length"] == 4
    assert f.params["leader"] == "^RUT" and f.params["other"] == "^GSPC"
    report = baseline()
    VARIANTS["size_run_small_record"](report)
    (f,) = findings(report, "size_run_small")
    assert f.params["since"] is None and f.params["first_session"] == "2021-02-26"
    assert any(e["path"] == "history.first_session" for e in f.evidence)


def test_sector_character_names_the_group_members_in_order() -> None:
    report = baseline()
    CASES["sector_lead_defensive"][0](report)
    (f,) = findings(report, "sector_lead_defensive")
    assert [s["symbol"] for s in f.params["sectors"]] == ["XLU", "XLP"]
    assert [s["return"] for s in f.params["sectors"]] == [0.02, 0.015]
    # XLU is defensive and rate-sensitive: with XLRE it is rate-sensitive, with XLP defensive
    assert "sector_lead_rate_sensitive" not in found_ids(report)


def test_persistent_laggard_is_the_worst_in_both_rankings() -> None:
    report = baseline()
    CASES["sector_laggard"][0](report)
    (f,) = findings(report, "sector_laggard")
    assert f.params["symbol"] == "XLE"
    assert (f.params["rank_mtd"], f.params["rank_ytd"], f.params["total"]) == (11, 11, 11)
    assert f.params["return_ytd"] == sector(report, "XLE")["return_ytd"]


def test_another_index_is_a_key_point_only_from_the_notable_move() -> None:
    report = put(baseline(), "indices.^IXIC.return_1d", 0.0099)
    assert not [f for f in key_point_candidates(report, CFG) if f.params.get("symbol") == "^IXIC"]
    put(report, "indices.^IXIC.return_1d", 0.01)
    assert [f for f in key_point_candidates(report, CFG) if f.params.get("symbol") == "^IXIC"]


def test_a_milestone_replaces_the_plain_move_of_its_index() -> None:
    report = baseline()
    CASES["kp_round_level"][0](report)
    report["milestones"].append(
        {"symbol": "^GSPC", "level": 6012.5, "kind": "all_time_high", "date": "2025-06-12"}
    )
    spx = [f for f in key_point_candidates(report, CFG) if f.params.get("symbol") == "^GSPC"]
    assert [f.id for f in spx] == ["kp_round_level"]
    assert spx[0].params["level"] == 6000.0


def test_a_round_level_without_its_level_is_still_a_record() -> None:
    report = baseline()
    CASES["kp_round_level"][0](report)
    report["milestones"][0]["level"] = None
    ids = [f.id for f in key_point_candidates(report, CFG) if f.params.get("symbol") == "^GSPC"]
    assert ids == ["kp_all_time_high"]


def test_trin_reads_the_direction_of_the_day() -> None:
    low_on_down_day = put(baseline(), "breadth.trin", 0.4)
    put(low_on_down_day, "breadth.advancers", 200)
    put(low_on_down_day, "breadth.decliners", 300)
    assert "trin_climax" not in found_ids(low_on_down_day)
    high_on_up_day = put(baseline(), "breadth.trin", 2.5)
    assert "trin_panic" not in found_ids(high_on_up_day)


def test_up_volume_share_falls_back_on_the_volumes() -> None:
    report = baseline()
    VARIANTS["volume_from_counts"](report)
    (f,) = findings(report, "up_volume_thrust")
    assert f.params["share"] == pytest.approx(0.95)


def test_vix_bands_are_exclusive() -> None:
    # at 45 the VIX is in the stress and the extreme band, never "elevated"; a rising VIX is
    # read as stress (a risk), a falling one as extreme fear (an opportunity): one side a day
    rising = found_ids(put(baseline(), "volatility.level", 45.0))
    assert "vix_stress" in rising and not {"vix_elevated", "vix_extreme"} & rising
    falling = put(put(baseline(), "volatility.level", 45.0), "volatility.change_1d", -0.5)
    ids = found_ids(falling)
    assert "vix_extreme" in ids and not {"vix_elevated", "vix_stress"} & ids


# --- key data points ------------------------------------------------------------------------


def busy_day() -> dict[str, Any]:
    report = baseline()
    for name in ("kp_round_level", "kp_watch_up", "size_run_small", "vix_spike", "other_index"):
        (CASES.get(name, (VARIANTS.get(name),))[0])(report)
    put(report, "indices.^GSPC.return_1d", 0.021)
    put(report, "breadth.advancers", 400)
    put(report, "breadth.decliners", 90)
    put(report, "returns.NVDA.return_1d", 0.06)
    put(report, "breadth.pct_above_50d", 0.85)
    put(report, "breadth.new_highs", 80)
    return report


@pytest.mark.parametrize("make", [baseline, busy_day])
def test_five_to_seven_key_points_by_score(make) -> None:  # type: ignore[no-untyped-def]
    kp = derive(make(), CFG).key_points
    assert 5 <= len(kp) <= 7
    assert [f.score for f in kp] == sorted((f.score for f in kp), reverse=True)
    assert all(f.kind == "key_point" for f in kp)
    groups = [SPECS[f.id].group for f in kp]
    assert groups.count("index") <= 2
    assert all(groups.count(g) == 1 for g in set(groups) - {"index"})


def test_a_busy_day_puts_the_record_and_the_big_moves_first() -> None:
    kp = derive(busy_day(), CFG).key_points
    ids = [f.id for f in kp]
    assert ids[0] == "kp_round_level"
    assert "kp_watch_up" in ids and "kp_vix_up" in ids and "kp_advancers_lead" in ids
    assert len(kp) == 7


def test_key_points_fill_up_to_the_minimum_whatever_their_score() -> None:
    strict = InsightsConfig(key_point_min_score=1.0)
    assert len(derive(baseline(), strict).key_points) == 5
    few = InsightsConfig(key_points_min=2, key_points_max=3, key_point_min_score=1.0)
    assert len(derive(baseline(), few).key_points) == 2


def test_key_point_selection_respects_the_maximum() -> None:
    cands = key_point_candidates(busy_day(), CFG)
    assert len(cands) > 7
    assert len(select_key_points(cands, InsightsConfig(key_point_min_score=0.0))) == 7


# --- output contract ---------------------------------------------------------------------------


def test_to_dict_is_json_ready_and_shaped_as_the_contract() -> None:
    report = busy_day()
    out = derive(report, CFG).to_dict()
    json.dumps(out, allow_nan=False)
    assert set(out) == {"tone", "tone_score", "insights"}
    assert set(out["insights"]) == {"key_points", "insights", "risks", "opportunities", "story",
                                    "headline", "summary", "week"}
    kinds = {"key_points": "key_point", "insights": "insight", "risks": "risk",
             "opportunities": "opportunity", "story": "story", "headline": "headline",
             "summary": "summary", "week": "week"}
    for kind, items in out["insights"].items():
        for item in items if isinstance(items, list) else [items]:
            assert set(item) == {"id", "kind", "score", "params", "evidence"}
            assert item["kind"] == kinds[kind]
    assert out["insights"]["headline"]["id"] == "headline_" + out["insights"]["story"]["id"]
    assert 3 <= len(out["insights"]["summary"]) <= 5
    for item in out["insights"]["risks"] + out["insights"]["opportunities"]:
        trigger = item["params"]["trigger"]
        assert trigger["direction"] in ("above", "below")
        assert ("confirms" in trigger) != ("invalidates" in trigger)


def test_derive_is_pure_and_deterministic() -> None:
    report = busy_day()
    before = copy.deepcopy(report)
    first = derive(report, CFG).to_dict()
    assert report == before
    assert derive(report, CFG).to_dict() == first


def test_missing_figures_silence_rules_instead_of_failing() -> None:
    report = baseline()
    for key in list(report["breadth"]):
        report["breadth"][key] = None
    report["volatility"] = None
    report["size_rotation"]["run"] = None
    report["watchlist"]["NVDA"] = {k: None for k in report["watchlist"]["NVDA"]}
    ins = derive(report, CFG)
    ids = {f.id for f in ins.all()}
    assert not ids & {"kp_advancers_lead", "kp_pct_above", "kp_vix_up", "trend_weak"}
    assert derive({}, CFG).all() == ()


# --- tone ---------------------------------------------------------------------------------------


def strong_rally() -> dict[str, Any]:
    r = baseline()
    for path, value in {
        "indices.^GSPC.return_1d": 0.025,
        "indices.^GSPC.return_5d": 0.04,
        "indices.^IXIC.return_1d": 0.03,
        "breadth.advancers": 460,
        "breadth.decliners": 40,
        "breadth.up_volume_share": 0.95,
        "breadth.zweig_thrust_last": "2025-06-12",
        "breadth.new_highs": 80,
        "breadth.new_lows": 2,
        "breadth.pct_above_50d": 0.70,
        "breadth.pct_above_50d_5d_ago": 0.50,
        "volatility.level": 22.0,
        "volatility.return_1d": -0.2,
        "volatility.change_1d": -5.5,
        "sector_summary.advancing": 11,
        "sector_summary.declining": 0,
    }.items():
        put(r, path, value)
    return r


def strong_selloff() -> dict[str, Any]:
    r = baseline()
    for path, value in {
        "indices.^GSPC.return_1d": -0.035,
        "indices.^GSPC.return_5d": -0.06,
        "indices.^GSPC.return_mtd": -0.07,
        "breadth.advancers": 30,
        "breadth.decliners": 470,
        "breadth.up_volume_share": 0.04,
        "breadth.new_highs": 1,
        "breadth.new_lows": 120,
        "breadth.pct_above_50d": 0.30,
        "breadth.pct_above_50d_5d_ago": 0.55,
        "breadth.pct_above_200d": 0.30,
        "volatility.level": 36.0,
        "volatility.return_1d": 0.4,
        "volatility.change_1d": 10.3,
        "sector_summary.advancing": 0,
        "sector_summary.declining": 11,
        "watchlist.NVDA.from_high_52w": -0.3,
    }.items():
        put(r, path, value)
    return r


@pytest.mark.parametrize(("r", "sigmas", "volume", "expected"), [
    (-0.015, -2.0, 1.2, "capitulation"),  # 2 standard deviations down on heavy volume
    (-0.015, -1.9, 1.2, "broad_selloff"),  # too small a move for its volatility
    (-0.03, -1.0, 1.2, "capitulation"),  # a fall of 3% whatever the volatility
    (-0.03, None, 1.2, "capitulation"),
    (-0.029, None, 1.2, "broad_selloff"),
    (-0.014, -5.0, 1.2, "broad_selloff"),  # under the 1.5% floor however calm the tape was
    (-0.06, -4.0, 1.0, "broad_selloff"),  # volume no more than its average
    (-0.06, -4.0, None, "broad_selloff"),  # volume unknown: no capitulation claimed
    # 2025-12-31 as the snapshot has it: a 90% down day, -0.74%, 1.36 sigmas, 0.58x volume
    (-0.0074, -1.36, 0.58, "broad_selloff"),
])
def test_capitulation_needs_size_and_volume(r: float, sigmas: float | None,
                                            volume: float | None, expected: str) -> None:
    report = baseline()
    for path, value in {"indices.^GSPC.return_1d": r, "breadth.advancers": 19,
                        "breadth.decliners": 482, "breadth.up_volume_share": 0.07,
                        "quality.volume_vs_20d": volume,
                        "quality.index_moves.^GSPC.sigmas": sigmas}.items():
        put(report, path, value)
    ins = derive(report, CFG)
    assert ins.story is not None and ins.story.id == expected


def test_tone_of_a_strong_rally_is_positive() -> None:
    ins = derive(strong_rally(), CFG)
    assert ins.tone == "positive" and ins.tone_score >= CFG.tone_threshold


def test_tone_of_a_strong_selloff_is_negative() -> None:
    ins = derive(strong_selloff(), CFG)
    assert ins.tone == "negative" and ins.tone_score <= -CFG.tone_threshold
    assert len(ins.risks) >= 4


def test_tone_score_is_the_documented_weighted_sum() -> None:
    stress = Finding("vix_stress", "risk", 0.8)  # weight -0.7
    thrust = Finding("zweig_thrust", "opportunity", 0.9)  # weight +0.8
    label, score = tone_of([stress, thrust], CFG)
    assert score == pytest.approx((-0.7 * 0.8 + 0.8 * 0.9) / 2.5)  # 0.064
    assert label == "neutral"
    label, score = tone_of([stress, stress, stress, stress, stress], CFG)
    assert score == -1.0 and label == "negative"  # -2.8 / 2.5 clipped
    label, score = tone_of([thrust], CFG)
    assert score == pytest.approx(0.288) and label == "positive"


# --- claims with preconditions (the reviewer's notes of 2025-04-09 and 2025-12-31) -------------


def _view(report: dict[str, Any]) -> dict[str, Any]:
    (view,) = findings(report, "summary_view")
    return dict(view.params["trigger"])


def test_what_would_change_a_falling_view_lies_above() -> None:
    """A sell-off above both averages changes on a rise: to the 52-week high, or without it
    to the breadth share's level five sessions before; never a break lower."""
    from reporter.insights.rules.specs import BEARISH

    report = strong_selloff()
    for path, value in {"indices.^GSPC.sma_50": 5900.0, "indices.^GSPC.sma_200": 5700.0,
                        "indices.^GSPC.high_52w": 6100.0}.items():
        put(report, path, value)
    (story,) = findings(report, derive(report, CFG).story.id)  # type: ignore[union-attr]
    assert story.id in BEARISH
    t = _view(report)
    assert (t["direction"], t["level"], t["ref"]) == ("above", 6100.0, "high_52w")
    put(report, "indices.^GSPC.high_52w", None)
    t = _view(report)
    assert (t["path"], t["direction"], t["level"]) == ("breadth.pct_above_50d", "above", 0.55)
    # below its averages, the nearest one above (the 50-day here)
    put(report, "indices.^GSPC.sma_50", 6050.0)
    put(report, "indices.^GSPC.sma_200", 6300.0)
    t = _view(report)
    assert (t["direction"], t["level"]) == ("above", 6300.0)  # the trend finding's: the 200-day


def test_what_would_change_a_rising_view_lies_below() -> None:
    """A thrust below both averages changes on a fall below the lowest close of the five
    sessions before (today's close 6,000 after +2.5%: 6,000 / 1.025); above its 50-day average,
    on a close below it."""
    from reporter.insights.rules.specs import BULLISH

    report = strong_rally()
    for path, value in {"indices.^GSPC.sma_50": 6100.0, "indices.^GSPC.sma_200": 6200.0}.items():
        put(report, path, value)
    report["week"] = {"returns": {"^GSPC": [-0.01, -0.02, 0.005, -0.01, 0.025]}}
    assert derive(report, CFG).story.id in BULLISH  # type: ignore[union-attr]
    t = _view(report)
    assert (t["direction"], t["ref"]) == ("below", "low_5d")
    assert t["level"] == pytest.approx(6000.0 / 1.025)
    put(report, "indices.^GSPC.sma_50", 5900.0)
    put(report, "indices.^GSPC.sma_200", 5700.0)
    assert (_view(report)["direction"], _view(report)["level"]) == ("below", 5900.0)


def test_a_run_claim_needs_todays_lead_to_show() -> None:
    """A run is claimed only when today's spread shows 0.1 points or more the leader's way."""
    for spread, fires in ((-0.002, True), (-0.001, True), (-0.0004, False), (0.002, False)):
        report = baseline()
        CASES["size_run_large"][0](report)
        put(report, "size_rotation.spread_1d", spread)
        assert bool(findings(report, "size_run_large")) is fires, spread


def test_a_complacent_vix_is_not_also_calm() -> None:
    """One reading of one level: 11.5 (below 12) is complacency, not also calm; 15.0 below its
    20-day average, in the middle of its year, is calm."""
    report = baseline()
    put(report, "volatility.level", 11.5)
    put(report, "volatility.sma_20", 13.0)
    ids = found_ids(report)
    assert "vix_complacent" in ids and "vix_calm" not in ids
    put(report, "volatility.level", 15.0)
    put(report, "volatility.sma_20", 16.0)
    put(report, "volatility.percentile_1y", 0.5)
    ids = found_ids(report)
    assert "vix_calm" in ids and "vix_complacent" not in ids


@pytest.mark.parametrize(("adv", "dec", "unch", "nearly_all"), [
    (450, 45, 5, True), (449, 46, 5, False), (45, 450, 5, True), (260, 235, 5, False)])
def test_nearly_all_members_one_way(adv: int, dec: int, unch: int, nearly_all: bool) -> None:
    report = baseline()
    for path, value in {"breadth.advancers": adv, "breadth.decliners": dec,
                        "breadth.unchanged": unch, "breadth.net_advances": adv - dec}.items():
        put(report, path, value)
    (f,) = [f for f in key_point_candidates(report, CFG) if f.id.startswith("kp_")
            and f.id.endswith(("_lead",)) and "advancers" in f.params]
    assert f.params["nearly_all"] is nearly_all


def test_participation_that_turned_today_says_so() -> None:
    """Five sessions down by 6 points, today up by 6: the finding carries both."""
    report = baseline()
    for path, value in {"breadth.pct_above_50d": 0.49, "breadth.pct_above_50d_5d_ago": 0.55,
                        "breadth.pct_above_50d_prev": 0.43}.items():
        put(report, path, value)
    (f,) = findings(report, "breadth_confirm_down")
    assert f.params["turned"] is True and f.params["pct_50d_prev"] == 0.43
    put(report, "breadth.pct_above_50d_prev", 0.45)  # up 4 points today: not strongly
    (f,) = findings(report, "breadth_confirm_down")
    assert f.params["turned"] is False


def test_without_the_averages_the_view_still_points_against_the_lean() -> None:
    """No averages: a thrust's view is not the strongest risk's trigger when that watches a
    figure for which higher is worse (the VIX falling below 30 would confirm a rising view,
    not change it); the breadth share's level five sessions before, below, stands in."""
    report = strong_rally()
    put(report, "volatility.level", 36.0)
    put(report, "volatility.change_1d", 1.0)  # a VIX that rose: read as a risk (stress)
    assert {f.id for f in derive(report, CFG).risks} >= {"vix_stress"}
    t = _view(report)
    assert (t["path"], t["direction"], t["level"]) == ("breadth.pct_above_50d", "below", 0.50)


@pytest.mark.parametrize(("level", "change", "ret", "side"), [
    # 2025-04-09 in round figures: stress level (>= 30) after a 35% fall: relief, not stress
    (33.6, -13.4, -0.35, "opportunity"),
    # a 25% jump into the elevated band in the top of its year: a spike, not contrarian fear
    (25.0, 5.0, 0.25, "risk"),
    # unchanged as shown (-0.004 points) at an elevated level: a risk
    (25.0, -0.004, -0.0002, "risk"),
])
def test_the_vix_is_read_on_one_side_a_day(level: float, change: float, ret: float,
                                           side: str) -> None:
    """The VIX is a risk or an opportunity on a session, never both: the sign of its change
    as shown decides (rose: risk; fell: opportunity; unchanged: by its level)."""
    report = baseline()
    for path, value in {"volatility.level": level, "volatility.change_1d": change,
                        "volatility.return_1d": ret, "volatility.sma_20": 24.0,
                        "volatility.percentile_1y": 0.95, "volatility.high_52w": 60.0}.items():
        put(report, path, value)
    ins = derive(report, CFG)
    risks = [f.id for f in ins.risks if SPECS[f.id].group == "vix"]
    opportunities = [f.id for f in ins.opportunities if SPECS[f.id].group == "vix"]
    assert (risks if side == "risk" else opportunities), (risks, opportunities)
    assert not (opportunities if side == "risk" else risks), (risks, opportunities)


def _opportunity(fid: str, score: float) -> Finding:
    return Finding(id=fid, kind=SPECS[fid].kind, score=score,
                   params={"trigger": {}}, evidence=())


def test_risks_and_opportunities_say_each_point_once() -> None:
    """Two VIX readings (or two oversold shares) are one point: the better-scored one is
    kept and the next group's best takes the freed place; only to reach the fewest a session
    shows does a second of a group come back."""
    easing, extreme = _opportunity("vix_easing", 0.8), _opportunity("vix_extreme", 0.7)
    washout, thrust = _opportunity("pct50_washout", 0.6), _opportunity("zweig_thrust", 0.5)
    assert SPECS["vix_easing"].group == SPECS["vix_extreme"].group
    assert varied([extreme, washout, thrust, easing], 5, 2) == (easing, washout, thrust)
    assert varied([extreme, washout, thrust, easing], 2, 2) == (easing, washout)
    assert varied([extreme, easing], 5, 2) == (easing, extreme)  # the fewest: two
    assert varied([extreme, easing, washout], 5, 3) == (easing, extreme, washout)
    assert varied([], 5, 2) == ()


def _on(fid: str, score: float, path: str, level: float) -> Finding:
    return Finding(id=fid, kind=SPECS[fid].kind, score=score,
                   params={"trigger": {"path": path, "level": level}}, evidence=())


def test_a_risk_and_an_opportunity_on_one_trigger_are_one_point() -> None:
    """"A close below the 50-day average" confirming a risk and invalidating an opportunity is
    one point: the better-scored side stays, as long as each kind keeps its fewest."""
    sma = "indices.^GSPC.close"
    cushion = _on("index_support", 0.4, sma, 6802.55)
    above = _on("index_above_averages", 0.6, sma, 6802.55)
    risks = (_on("vix_complacent", 0.9, "volatility.level", 20.0),
             _on("trend_weak", 0.8, "breadth.pct_above_200d", 0.5),
             _on("concentration_ytd", 0.7, "size_rotation.mega_vs_equal.spread_ytd", 0.0),
             cushion)
    opps = (above, _on("zweig_thrust", 0.5, "breadth.zweig_ema", 0.615))
    assert apart(risks, opps) == (risks[:3], opps)  # the opportunity scored higher
    weaker = _on("index_above_averages", 0.3, sma, 6802.55)
    calm = _on("vix_calm", 0.2, "volatility.level", 12.0)
    assert apart(risks, (weaker, opps[1], calm)) == (risks, (opps[1], calm))
    # the opportunity scored higher, but the risks are at their fewest: it goes instead
    assert apart(risks[1:], (*opps, calm)) == (risks[1:], (opps[1], calm))
    assert apart(risks[1:], opps) == (risks[1:], opps)  # both kinds at their fewest: both stay
    other_level = _on("index_above_averages", 0.6, sma, 6200.0)
    assert apart(risks, (other_level, opps[1])) == (risks, (other_level, opps[1]))
