"""What happened next: the S&P 500's and the Russell 2000's returns after the earlier sessions
on which today's signals fired (report.json ``analogs``), told as history, never as a forecast.

The figures are the metrics' (occurrences de-clustered there); this family only chooses what to
say. At most ``TOLD`` signals that fired today, in ``PRIORITY`` order (the rarer and the
story-making first), each read at ``HORIZON`` sessions:

- ``history_after``: the horizon's sample holds at least ``analogs.min_sample`` occurrences for
  both indices: each index's median return and share positive, its direction word (higher,
  lower, little changed) from the sign of the median as the sentence shows it;
- ``history_small``: fewer: the sentence says how few and that they are too few to read, with
  no direction word.

A signal on member data says it uses the members' history (from its first session) with
today's member list (survivorship); one on index data, the indices' history.
"""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.rules.base import RUT, SPX, Ctx, finding, shown

#: The horizon the sentences read (a month of sessions); the table shows every horizon.
HORIZON = "21"
#: Signals told in the insights at most.
TOLD = 2
#: The order in which today's signals are told: the rare and the story-making first.
PRIORITY = (
    "capitulation",
    "zweig_thrust",
    "up_volume_90",
    "down_volume_90",
    "small_caps_record_run",
    "large_caps_record_run",
    "advancing_4to1",
    "declining_4to1",
    "vix_spike",
    "new_highs_expanding",
    "sp500_up_2pct",
    "sp500_down_2pct",
)


def direction(median: float) -> str:
    """``up``, ``down`` or ``flat``: the median's sign as the note shows a return (one
    decimal of a percent), so no word claims a move the figure does not show."""
    sign = shown(median)
    return "up" if sign > 0 else "down" if sign < 0 else "flat"


def fired_today(c: Ctx) -> list[str]:
    """Today's signals in the order they are told. The metric's ``capitulation`` already holds
    the story's preconditions (size and volume, ``vocabulary.Capitulation``), so it is told as
    it fired."""
    fired = c.get("analogs.fired_today")
    if not isinstance(fired, list):
        return []
    return [s for s in PRIORITY if s in fired]


def history_after(c: Ctx) -> list[Finding]:
    """What followed the earlier sessions of today's signals (see the module docstring)."""
    out = []
    minimum = c.num("analogs.min_sample")
    if minimum is None:
        return []
    for rank, sid in enumerate(fired_today(c)[:TOLD]):
        base = f"analogs.signals.{sid}"
        sig = c.get(base)
        if not isinstance(sig, dict):
            continue
        per: dict[str, dict[str, Any]] = {}
        evidence = [c.ev("analogs.fired_today"), c.ev(f"{base}.history_start")]
        for sym in (SPX, RUT):
            path = f"{base}.forward.{sym}.{HORIZON}"
            stats = c.get(path)
            if not isinstance(stats, dict) or not isinstance(stats.get("n"), int):
                break
            per[sym] = stats
            evidence += [c.ev(f"{path}.{k}") for k in ("n", "median", "share_positive")]
        if len(per) < 2:
            continue
        n = min(int(s["n"]) for s in per.values())
        params: dict[str, Any] = {
            "signal": sid,
            "history": sig.get("history"),
            "history_start": sig.get("history_start"),
            "horizon": int(HORIZON),
            "n": n,
            "min_sample": int(minimum),
        }
        if n >= minimum and all(s.get("median") is not None for s in per.values()):
            fid = "history_after"
            for key, sym in (("spx", SPX), ("rut", RUT)):
                s = per[sym]
                params[key] = {
                    "symbol": sym,
                    "n": int(s["n"]),
                    "median": float(s["median"]),
                    "share_positive": float(s["share_positive"]),
                    "direction": direction(float(s["median"])),
                    "first": s.get("first"),
                    "last": s.get("last"),
                }
            score = 0.55 - 0.1 * rank
        else:
            fid = "history_small"
            score = 0.35 - 0.1 * rank
        out.append(finding(fid, score, params, evidence))
    return out
