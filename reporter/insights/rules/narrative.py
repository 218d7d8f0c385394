"""The narrative: the headline that states the session's story, the summary's three to five
sentences (what happened, how broad, the week and month, what it means or the tension that
needs explaining, what would change the view) and the week.

Each is a finding like any other: params hold the figures its sentence states, evidence where
they sit. A "biggest since" clause appears only when ``Ctx.since`` allows it.
"""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding, Tone
from reporter.insights.rules.base import HEADLINE, SPX, Ctx, finding, shown, trigger
from reporter.insights.rules.specs import BEARISH, BULLISH
from reporter.vocabulary import RUN_CLAIM_MIN

#: The index-trend findings: their trigger is the level that would change the view.
TREND = ("index_above_averages", "index_below_50d", "index_below_200d", "index_reclaiming")

#: A day counts as "advancers 3 to 1" from this ratio (the tension of broad but thin buying).
LOPSIDED = 3.0
#: No claim of sessions "in a row" under this many.
RUN_MIN = RUN_CLAIM_MIN
#: A fall of the summation index over five sessions worth explaining on an up day.
SUMMATION_DROP = 20.0
#: The down-volume share from which a TRIN below 1 on a down day needs explaining.
HEAVY_DOWN = 0.7


def headline(c: Ctx, story: Finding) -> Finding:
    """One sentence that states the story with the day's key figure and, when history makes
    it notable, how rare the move was."""
    s = story.params
    params: dict[str, Any] = {k: s.get(k) for k in (
        "symbol", "close", "return_1d", "advancers", "decliners", "members", "up_volume_share",
        "streak_length", "streak_return", "prior_return", "prior_sessions", "small",
        "small_return", "spread_1d", "return_5d", "pct_50d", "pct_50d_before", "zweig_today",
        "volume_vs_20d", "sigmas", "sweeping", "sharp")}
    params["story"] = story.id
    ev = list(story.evidence)
    figure = {"size_rotation": "size_rotation.spread_1d"}.get(story.id, f"indices.{SPX}.return_1d")
    value = c.num(figure)
    if story.id not in ("sector_rotation", "divergence_up", "divergence_down", "quiet") and value:
        ctx = c.since(figure, shown(value, 1) if figure.endswith("return_1d") else
                      (1 if value > 0 else -1))
        if ctx is not None:
            params["context"] = {k: ctx[k] for k in ("since", "record", "history_start")}
            ev.append(c.ev(ctx["path"]))
    if story.id == "sector_rotation":
        best = _sector_extreme(c, max)
        worst = _sector_extreme(c, min)
        if best and worst:
            params.update(best=best[1]["symbol"], best_return=best[1]["return_1d"],
                          worst=worst[1]["symbol"], worst_return=worst[1]["return_1d"])
            ev += [c.ev(f"sectors[{best[0]}].return_1d"), c.ev(f"sectors[{worst[0]}].return_1d")]
    if story.id == "relief_rally":
        # the slide the rally answers: the losing streak when it is long enough, else the
        # four sessions before
        streak = s.get("streak_direction") == "down" and s.get("streak_length", 0) >= \
            c.cfg.story_relief_streak
        params["slide_sessions"] = s["streak_length"] if streak else s["prior_sessions"]
        params["slide_return"] = s["streak_return"] if streak else s["prior_return"]
    return finding(f"headline_{story.id}", story.score, params, ev)


def _sector_extreme(c: Ctx, pick: Any) -> tuple[int, dict[str, Any]] | None:
    rows = [(i, r) for i, r in c.sector_rows() if isinstance(r.get("return_1d"), int | float)]
    return pick(rows, key=lambda x: x[1]["return_1d"]) if rows else None


# --- the summary ----------------------------------------------------------------------------------


def summary(c: Ctx, story: Finding, found: tuple[Finding, ...],
            tone: Tone = "neutral") -> tuple[Finding, ...]:
    """Three to five sentences: the indices, the breadth, the week and month, what it means
    (or the tension to explain), what would change the view (against the story's lean, or the
    tone's when the story has none)."""
    out = [f for f in (_indices(c), _breadth(c), _week(c)) if f is not None]
    out.append(_tension(c, story) or finding("summary_meaning", 0.5, _meaning(c, story),
                                             story.evidence))
    view = _view(c, story, found, tone)
    if view is not None:
        out.append(view)
    return tuple(out[:5])


def _indices(c: Ctx) -> Finding | None:
    moves = {sym: c.num(f"indices.{sym}.return_1d") for sym in HEADLINE}
    if any(v is None for v in moves.values()):
        return None
    signs = {shown(v) for v in moves.values() if v is not None}
    pattern = "up" if signs == {1} else "down" if signs == {-1} else "mixed"
    params: dict[str, Any] = {"returns": moves, "pattern": pattern}
    ev = [c.ev(f"indices.{sym}.return_1d") for sym in HEADLINE]
    if c.get("week.is_year_end") is True and c.as_of:  # the year's last session: its returns
        year = {sym: c.num(f"indices.{sym}.return_ytd") for sym in HEADLINE}
        if all(v is not None for v in year.values()):
            params["year"] = int(c.as_of[:4])
            params["year_returns"] = year
            ev += [c.ev("week.is_year_end"), *(c.ev(f"indices.{sym}.return_ytd")
                                               for sym in HEADLINE)]
    return finding("summary_indices", 0.9, params, ev)


def _breadth(c: Ctx) -> Finding | None:
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    share, p50, p200 = (c.num("breadth.up_volume_share"), c.num("breadth.pct_above_50d"),
                        c.num("breadth.pct_above_200d"))
    net = c.num("breadth.net_advances")
    if None in (adv, dec, share, p50, p200, net):
        return None
    assert adv is not None and dec is not None and net is not None
    unch = c.num("breadth.unchanged") or 0.0
    params: dict[str, Any] = {
        "advancers": int(adv), "decliners": int(dec), "members": int(adv + dec + unch),
        "up_volume_share": share, "pct_50d": p50, "pct_200d": p200, "net_advances": int(net),
    }
    paths = ["breadth.advancers", "breadth.decliners", "breadth.up_volume_share",
             "breadth.pct_above_50d", "breadth.pct_above_200d"]
    ev = [c.ev(p) for p in paths]
    if net != 0:
        ctx = c.since("breadth.net_advances", 1 if net > 0 else -1)
        if ctx is not None:
            params["context"] = {k: ctx[k] for k in ("since", "record", "history_start")}
            ev += [c.ev("breadth.net_advances"), c.ev(ctx["path"])]
    return finding("summary_breadth", 0.8, params, ev)


def _streak_as_shown(c: Ctx, direction: Any, length: int,
                     total: Any) -> tuple[int, Any]:
    """The streak before today counted on the daily returns as the week's line prints them (to
    two decimals where one would show 0.0%: ``Writer.daily``): -0.03% is a fall, -0.004% shows
    as 0.0% and is none. Only the days the week's line shows are checked; the streak's return
    is then theirs, compounded."""
    days = c.get(f"week.returns.{SPX}")
    if direction not in ("up", "down") or not isinstance(days, list) or len(days) < 2:
        return length, total
    sign = 1 if direction == "up" else -1
    before = [x for x in days[:-1] if isinstance(x, int | float)][::-1][:length]
    counted = next((i for i, x in enumerate(before) if shown(x, 2) * sign <= 0), None)
    if counted is None:
        return length, total
    growth = 1.0
    for x in before[:counted]:
        growth *= 1.0 + x
    return counted, (growth - 1.0 if counted else None)


def _week(c: Ctx) -> Finding | None:
    """Today against the streak before it, the five sessions and the month."""
    r, r5 = c.num(f"indices.{SPX}.return_1d"), c.num(f"indices.{SPX}.return_5d")
    mtd = c.num(f"indices.{SPX}.return_mtd")
    if r is None or r5 is None or mtd is None:
        return None
    streak = c.get(f"week.streak_before.{SPX}")
    direction = streak.get("direction") if isinstance(streak, dict) else None
    length = int(streak.get("length") or 0) if isinstance(streak, dict) else 0
    total = streak.get("return") if isinstance(streak, dict) else None
    length, total = _streak_as_shown(c, direction, length, total)
    # a streak is named from RUN_MIN sessions in a row (today included when it extends one)
    today = shown(r)
    relation = "none"
    if today > 0 and direction == "down" and length >= RUN_MIN:
        relation = "rebound"
    elif today < 0 and direction == "up" and length >= RUN_MIN:
        relation = "reversal"
    elif today > 0 and direction == "up" and length + 1 >= RUN_MIN:
        relation = "extends_up"
    elif today < 0 and direction == "down" and length + 1 >= RUN_MIN:
        relation = "extends_down"
    params: dict[str, Any] = {
        "symbol": SPX, "return_1d": r, "return_5d": r5, "return_mtd": mtd,
        "return_prev_month": c.num(f"indices.{SPX}.return_prev_month"),
        "relation": relation, "streak_length": length, "streak_return": total,
    }
    ev = [c.ev(f"indices.{SPX}.return_1d"), c.ev(f"indices.{SPX}.return_5d"),
          c.ev(f"indices.{SPX}.return_mtd")]
    if params["return_prev_month"] is not None:
        ev.append(c.ev(f"indices.{SPX}.return_prev_month"))
    if relation != "none":
        ev += [c.ev(f"week.streak_before.{SPX}.length"), c.ev(f"week.streak_before.{SPX}.return")]
    return finding("summary_week", 0.7, params, ev)


def _meaning(c: Ctx, story: Finding) -> dict[str, Any]:
    s = story.params
    return {"story": story.id, "pct_50d": s.get("pct_50d"),
            "pct_200d": c.num("breadth.pct_above_200d"), "return_5d": s.get("return_5d"),
            "up_volume_share": s.get("up_volume_share"), "sweeping": s.get("sweeping")}


def _tension(c: Ctx, story: Finding) -> Finding | None:
    """A figure that seems to contradict the day, with why: a leader rallying on little
    participation, broad buying on thin volume, a TRIN below 1 on a heavy down day, or the
    summation index falling under a rising index."""
    r = c.num(f"indices.{SPX}.return_1d")
    adv, dec = c.num("breadth.advancers"), c.num("breadth.decliners")
    trin, share = c.num("breadth.trin"), c.num("breadth.up_volume_share")
    if r is None:
        return None
    # a leader up 3% or more with under half its members above their 50-day average
    rows = [(i, row) for i, row in c.sector_rows() if isinstance(row.get("return_1d"), int | float)]
    if rows:
        i, top = max(rows, key=lambda x: x[1]["return_1d"])
        b = c.breadth_row(top["symbol"])
        pct = b[1].get("pct_above_50d") if b else None
        if b and isinstance(pct, int | float) and top["return_1d"] >= 0.03 and pct < 0.5:
            params = {"tension": "rebound_leader", "symbol": top["symbol"],
                      "return": top["return_1d"], "pct_50d": pct}
            ev = [c.ev(f"sectors[{i}].return_1d"),
                  c.ev(f"breadth_by_sector[{b[0]}].pct_above_50d")]
            return finding("summary_tension", 0.6, params, ev)
    if adv is not None and dec is not None and trin is not None and dec > 0:
        ev = [c.ev("breadth.advancers"), c.ev("breadth.decliners"), c.ev("breadth.trin")]
        if adv / dec >= LOPSIDED and trin > 1:
            params = {"tension": "thin_volume", "advancers": int(adv), "decliners": int(dec),
                      "trin": trin}
            return finding("summary_tension", 0.6, params, ev)
        if share is not None and dec > adv and 1 - share >= HEAVY_DOWN and trin < 1:
            params = {"tension": "lopsided_trin", "advancers": int(adv), "decliners": int(dec),
                      "trin": trin, "down_share": 1 - share}
            return finding("summary_tension", 0.6, params, [*ev, c.ev("breadth.up_volume_share")])
    now, before = c.num("breadth.summation_index"), c.num("breadth.summation_index_5d_ago")
    if shown(r) > 0 and now is not None and before is not None and now < before - SUMMATION_DROP:
        params = {"tension": "summation", "summation": now, "summation_before": before}
        ev = [c.ev("breadth.summation_index"), c.ev("breadth.summation_index_5d_ago")]
        return finding("summary_tension", 0.5, params, ev)
    return None


def thesis(story: Finding, tone: Tone) -> int:
    """The way the note leans: +1 for a story of a rising market (``BULLISH``), -1 for a falling
    one (``BEARISH``); for a story with no direction (a rotation, a quiet day) the tone's sign,
    0 when neutral."""
    if story.id in BULLISH:
        return 1
    if story.id in BEARISH:
        return -1
    return {"positive": 1, "negative": -1}.get(tone, 0)


def _view(c: Ctx, story: Finding, found: tuple[Finding, ...],
          tone: Tone = "neutral") -> Finding | None:
    """What would change the view: a level against the note's lean (``thesis``). A view that
    leans up changes on a fall (the trigger lies below), one that leans down on a rise (above);
    a break the way of the story would confirm it, not change it.

    First choice, the index's key level, the trigger of its trend finding (above its 50-day
    average, a close below it; below, a close back above the average it lost) when that points
    against the lean; else the nearest of its averages on that side; else its extreme on that
    side (leaning up above both averages: a close below the lowest close of the five sessions
    before; leaning down above both: a close above its 52-week high); else breadth: the share of
    members above their 50-day average crossing back over its level five sessions (or one
    session) before. With no lean, the trend finding's trigger (without the averages, the
    strongest risk's). None when nothing lies on that side."""
    lean = thesis(story, tone)
    trend = [f for f in found if f.id in TREND]
    need = {1: "below", -1: "above"}.get(lean)
    # with a lean, only the index's own level may stand in (a risk's trigger may watch a
    # figure for which higher is worse, the VIX)
    pool = trend or ([f for f in found if f.kind == "risk"] if need is None else [])
    best = max(pool, key=lambda f: f.score) if pool else None
    if best is not None and (need is None or best.params["trigger"]["direction"] == need):
        t = best.params["trigger"]
        params = {"finding": best.id, "trigger": t, "lean": lean}
        return finding("summary_view", best.score, params, [c.ev(t["path"])])
    if need is None:
        return None
    found_level = _against(c, need, story.id)
    if found_level is None:
        return None
    t, ev = found_level
    return finding("summary_view", best.score if best else 0.5,
                   {"finding": story.id, "trigger": t, "lean": lean}, ev)


def _against(c: Ctx, need: str, sid: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The first level on the ``need`` side ("above" or "below") of today's figure: the
    nearest average of the S&P 500, its extreme, or the breadth share's earlier level."""
    base = f"indices.{SPX}"
    path = f"{base}.close"
    close = c.num(path)
    if close is not None:
        averages = [(lvl, ref) for ref in ("sma_50", "sma_200")
                    if (lvl := c.num(f"{base}.{ref}")) is not None]
        side = [(lvl, ref) for lvl, ref in averages
                if (lvl < close if need == "below" else lvl > close)]
        if side:
            lvl, ref = (max if need == "below" else min)(side)
            return (trigger(path, lvl, close, need, "invalidates", sid, ref=ref),
                    [c.ev(path), c.ev(f"{base}.{ref}")])
        if need == "above":
            high = c.num(f"{base}.high_52w")
            if high is not None and high > close:
                return (trigger(path, high, close, need, "invalidates", sid, ref="high_52w"),
                        [c.ev(path), c.ev(f"{base}.high_52w")])
        else:
            low = _low_before(c, close)
            if low is not None and low < close:
                return (trigger(path, low, close, need, "invalidates", sid, ref="low_5d"),
                        [c.ev(path), c.ev(f"week.returns.{SPX}")])
    now = c.num("breadth.pct_above_50d")
    if now is None:
        return None
    for ref in ("pct_above_50d_5d_ago", "pct_above_50d_prev"):
        lvl = c.num(f"breadth.{ref}")
        if lvl is not None and (lvl < now if need == "below" else lvl > now):
            return (trigger("breadth.pct_above_50d", lvl, now, need, "invalidates", sid, ref=ref),
                    [c.ev("breadth.pct_above_50d"), c.ev(f"breadth.{ref}")])
    return None


def _low_before(c: Ctx, close: float) -> float | None:
    """The lowest close of the five sessions before today, from today's close and the week's
    daily returns (close before = close after / (1 + return))."""
    moves = c.get(f"week.returns.{SPX}")
    if not isinstance(moves, list) or not moves or not all(
            isinstance(x, int | float) and x > -1 for x in moves):
        return None
    closes, level = [], close
    for r in reversed(moves):
        level = level / (1 + r)
        closes.append(level)
    return min(closes)


# --- the week -------------------------------------------------------------------------------------


def week(c: Ctx) -> tuple[Finding, ...]:
    """The five sessions to today, and on the week's last session the week in review."""
    out = []
    sessions = c.get("week.sessions")
    moves = c.get(f"week.returns.{SPX}")
    r5 = c.num(f"indices.{SPX}.return_5d")
    if isinstance(sessions, list) and isinstance(moves, list) and len(moves) == 5 \
            and len(sessions) == 6 and r5 is not None and all(
                isinstance(x, int | float) for x in moves):
        params = {"symbol": SPX, "returns": moves, "first": sessions[1], "last": sessions[-1],
                  "return_5d": r5}
        out.append(finding("week_streak", 0.6, params,
                           [c.ev(f"week.returns.{SPX}"), c.ev(f"indices.{SPX}.return_5d")]))
    if c.get("week.is_week_end") is True:
        ret = c.get("week.week_return")
        totals = c.get("week.week_breadth")
        start = c.get("week.week_start")
        if isinstance(ret, dict) and isinstance(totals, dict) and start and all(
                isinstance(ret.get(s), int | float) for s in HEADLINE):
            n = len([d for d in sessions or [] if d >= start]) if isinstance(sessions, list) \
                else 0
            params = {"returns": {s: ret[s] for s in HEADLINE}, "week_start": start,
                      "sessions": n, **{k: totals.get(k) for k in (
                          "advancers_sum", "decliners_sum", "new_highs_sum", "new_lows_sum")}}
            if all(isinstance(params[k], int) for k in ("advancers_sum", "decliners_sum",
                                                         "new_highs_sum", "new_lows_sum")):
                out.append(finding("week_review", 0.7, params,
                                   [c.ev("week.week_return"), c.ev("week.week_breadth"),
                                    c.ev("week.week_start")]))
    return tuple(out)
