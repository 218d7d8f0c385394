"""The preconditions of the sentences on what happened next, the quality of the move, who
carried it and the member baskets (issue 13), checked against the report they came from.

Each check takes the finding's params and the report and re-reads every figure from the report
(never from the rule's code); the year-wide audit in ``tests/insights/test_realdata.py`` runs
them on every session of 2025.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reporter.config import InsightsConfig
from reporter.i18n import shown_sign
from reporter.vocabulary import LARGE_CAPS, SMALL_CAPS

Check = Callable[[dict[str, Any], dict[str, Any]], bool]

#: The horizon the history sentences read; the thresholds are the configuration's defaults.
HORIZON = "21"
_CFG = InsightsConfig()
LOPSIDED, HEAVY, LIGHT = _CFG.move_volume_lopsided, _CFG.move_volume_heavy, _CFG.move_volume_light
FADE, SIGMAS, RICH = _CFG.move_close_fade, _CFG.move_sigmas, _CFG.move_vix_rich
CARRY_GAP, SQUEEZE, QUIET = _CFG.carry_gap, _CFG.basket_squeeze, _CFG.basket_quiet


def _pct(x: float) -> int:
    return shown_sign(x, 1, 100.0)


def _spx(r: dict[str, Any]) -> float:
    return float(r["indices"][LARGE_CAPS]["return_1d"])


def _word(median: float) -> str:
    return "up" if _pct(median) > 0 else "down" if _pct(median) < 0 else "flat"


def history_after(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """Fired today, n >= the minimum sample for both indices, and each direction word the
    median's sign as shown; every figure the report's."""
    a = r["analogs"]
    if p["signal"] not in a["fired_today"]:
        return False
    sig = a["signals"][p["signal"]]
    if p["history"] != sig["history"] or p["history_start"] != sig["history_start"]:
        return False
    for key, sym in (("spx", LARGE_CAPS), ("rut", SMALL_CAPS)):
        stats = sig["forward"][sym][HORIZON]
        q = p[key]
        if stats["n"] < a["min_sample"] or stats["small_sample"]:
            return False
        if (q["n"], q["median"], q["share_positive"]) != (
                stats["n"], stats["median"], stats["share_positive"]):
            return False
        if q["direction"] != _word(stats["median"]):
            return False
    return p["n"] >= a["min_sample"]


def history_small(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """Fired today, and at least one index's sample below the minimum."""
    a = r["analogs"]
    sig = a["signals"][p["signal"]]
    ns = [sig["forward"][s][HORIZON]["n"] for s in (LARGE_CAPS, SMALL_CAPS)]
    return p["signal"] in a["fired_today"] and min(ns) < a["min_sample"] and p["n"] == min(ns)


def _volume(side: str, heavy: bool) -> Check:
    def check(p: dict[str, Any], r: dict[str, Any]) -> bool:
        b, q = r["breadth"], r["quality"]
        up = b["up_volume_share"]
        ratio = q["volume_vs_20d"]
        if side == "advance":
            ok = _pct(_spx(r)) > 0 and b["advancers"] > b["decliners"] and up >= LOPSIDED
        else:
            ok = _pct(_spx(r)) < 0 and b["decliners"] > b["advancers"] and 1 - up >= LOPSIDED
        return ok and (ratio >= HEAVY if heavy else ratio <= LIGHT) and (
            p["volume_vs_20d"] == ratio)
    return check


def _range(p: dict[str, Any], r: dict[str, Any], faded: bool) -> bool:
    q = r["quality"]
    top, bottom = q["close_top_quarter"], q["close_bottom_quarter"]
    if top is None or bottom is None:
        return False
    if faded:
        return _pct(_spx(r)) > 0 and bottom >= FADE and bottom > top
    return _pct(_spx(r)) < 0 and top >= FADE and top > bottom


def sigma_move(p: dict[str, Any], r: dict[str, Any]) -> bool:
    m = r["quality"]["index_moves"][LARGE_CAPS]
    return abs(m["sigmas"]) >= SIGMAS and _pct(m["return_1d"]) != 0 and (
        (m["return_1d"] > 0) == (m["sigmas"] > 0)) and p["return_1d"] == m["return_1d"]


def _vix(p: dict[str, Any], r: dict[str, Any], rich: bool) -> bool:
    q = r["quality"]
    ratio = (q["vix"] / 100) / q["realized_volatility_20d"]
    return ratio >= RICH if rich else ratio < 1


def carry(p: dict[str, Any], r: dict[str, Any]) -> bool:
    """The sector furthest from its median member, the word from the two signs."""
    rows = [row for row in r["sector_carry"] if row["gap"] is not None]
    best = max(rows, key=lambda row: abs(row["gap"]))
    if best["etf"] != p["etf"] or abs(best["gap"]) < CARRY_GAP:
        return False
    etf_r = best["etf_return_1d"]
    if abs(best["gap"] - (etf_r - best["median_return_1d"])) > 1e-12:
        return False
    expected = {(1, True): "carried", (1, False): "held_back", (-1, True): "cushioned",
                (-1, False): "dragged"}[(_pct(etf_r), best["gap"] > 0)]
    median = best["median_return_1d"]
    beyond = [m["symbol"] for m in best["movers"] if m["return_1d"] is not None and (
        m["return_1d"] > median if best["gap"] > 0 else m["return_1d"] < median)]
    return p["how"] == expected and [m["symbol"] for m in p["movers"]] == beyond


def squeeze(p: dict[str, Any], r: dict[str, Any]) -> bool:
    m, v = r["baskets"]["momentum"], r["baskets"]["volatility"]
    return (_pct(_spx(r)) > 0 and m["losers"]["return_1d"] - m["winners"]["return_1d"] >= SQUEEZE
            and _pct(m["losers"]["return_1d"]) > 0 and v["spread_1d"] > 0)


def broad(p: dict[str, Any], r: dict[str, Any]) -> bool:
    m, b = r["baskets"]["momentum"], r["breadth"]
    return (_pct(_spx(r)) > 0 and abs(m["spread_1d"]) < QUIET
            and _pct(m["winners"]["return_1d"]) > 0 and _pct(m["losers"]["return_1d"]) > 0
            and b["advancers"] > b["decliners"])


def unwind(p: dict[str, Any], r: dict[str, Any]) -> bool:
    m = r["baskets"]["momentum"]
    return (_pct(_spx(r)) < 0 and m["losers"]["return_1d"] - m["winners"]["return_1d"] >= SQUEEZE
            and _pct(m["winners"]["return_1d"]) < 0)


MOVE_CLAIMS: dict[str, Check] = {
    "history_after": history_after,
    "history_small": history_small,
    "quality_broad_advance": _volume("advance", heavy=True),
    "quality_broad_decline": _volume("decline", heavy=True),
    "quality_light_advance": _volume("advance", heavy=False),
    "quality_light_decline": _volume("decline", heavy=False),
    "quality_faded": lambda p, r: _range(p, r, faded=True),
    "quality_recovered": lambda p, r: _range(p, r, faded=False),
    "quality_sigma_move": sigma_move,
    "quality_vix_below_realized": lambda p, r: _vix(p, r, rich=False),
    "quality_vix_rich": lambda p, r: _vix(p, r, rich=True),
    "carry_largest": carry,
    "basket_squeeze": squeeze,
    "basket_broad": broad,
    "basket_unwind": unwind,
}
