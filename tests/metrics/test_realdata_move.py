"""The figures of issue 13 on the real snapshot against plain loops over the CSV rows (the csv
module, no pandas, none of the production code): what happened next after each signal, the
quality of the move, who carried each sector, member baskets, the trend map, the bases of the
shares and the fixed start of the A/D line.

Each reference spells out the definition in reporter/schema/report.schema.json as a loop over
sessions and members. Counts, dates and booleans compare exactly; figures made by a different
summation order to a relative 1e-12 (RSI, whose reference runs over the whole history while
the production seeds on the last 1,000 sessions, to 1e-9).
"""

from __future__ import annotations

import math
import statistics
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reporter.config import MetricsConfig, UniverseConfig, load
from tests.metrics.test_realdata import close_on, day_counts, usable_on
from tests.support.realdata import Reference, computed
from tests.support.schema import validate

pytestmark = pytest.mark.marketdata

AS_OF = ["2025-04-04", "2025-04-09", "2025-08-22", "2025-11-20", "2025-12-31"]
LAST = "2025-12-31"
HORIZONS = (5, 21, 63)
FORWARD = ("^GSPC", "^RUT")
HEADLINE = ["^GSPC", "^RUT", "^IXIC", "^DJI"]


@cache
def _config() -> tuple[UniverseConfig, MetricsConfig]:
    cfg = load()
    return cfg.universe, cfg.metrics


result = computed  # the session-wide cache of tests/support/realdata


@pytest.fixture(params=AS_OF)
def case(request: pytest.FixtureRequest, marketdata: Path, reference: Reference):
    as_of = request.param
    return as_of, result(marketdata, as_of), reference


def close(value: float | None, expected: float | None, rel: float = 1e-12) -> bool:
    if value is None or expected is None:
        return value is None and expected is None
    return math.isclose(value, expected, rel_tol=rel, abs_tol=1e-15)


# --- plain references: the member history, session by session ---------------------------------


@cache
def sessions(ref: Reference) -> list[str]:
    return ref.upto(LAST)


@cache
def member_sessions(ref: Reference) -> list[str]:
    """From the first session any member has a row (the fixed start) to the end."""
    first = min(min(ref.rows[m]) for m in ref.members if ref.rows.get(m))
    return [d for d in sessions(ref) if d >= first]


@cache
def member_days(ref: Reference) -> dict[str, dict[str, Any]]:
    """Per member session: counts, up/down volume, new highs/lows and how many were judged."""
    days = member_sessions(ref)
    out: dict[str, dict[str, Any]] = {}
    for i, day in enumerate(days):
        a = d = u = 0
        up = down = 0.0
        known = False
        if i > 0:
            a, d, u = day_counts(ref, days[i - 1], day)
            for m in ref.members:
                now, before = usable_on(ref, m, day), usable_on(ref, m, days[i - 1])
                if now is None or before is None:
                    continue
                vol = ref.rows[m][day][1]
                if vol is None:
                    continue
                known = True
                if now > before:
                    up += vol
                elif now < before:
                    down += vol
        out[day] = {"a": a, "d": d, "u": u, "up": up if known else None,
                    "down": down if known else None, "highs": 0, "lows": 0, "judged": 0}
    for m in ref.members:
        values = [usable_on(ref, m, day) for day in days]
        gap = -1  # last position without a usable close
        for i, value in enumerate(values):
            if value is None:
                gap = i
                continue
            if i < 252 or gap >= i - 252:
                continue
            window = values[i - 252 : i + 1]
            out[days[i]]["judged"] += 1
            out[days[i]]["highs"] += value >= max(window)  # type: ignore[type-var]
            out[days[i]]["lows"] += value <= min(window)  # type: ignore[type-var]
    return out


def index_return(ref: Reference, symbol: str, days: list[str], i: int) -> float | None:
    if i == 0:
        return None
    now, before = close_on(ref, symbol, days[i]), close_on(ref, symbol, days[i - 1])
    return None if now is None or before is None else now / before - 1


@cache
def member_signals(ref: Reference) -> dict[str, dict[str, bool | None]]:
    """Each member signal on each member session: True, False or None (not judged)."""
    days = member_sessions(ref)
    info = member_days(ref)
    out: dict[str, dict[str, bool | None]] = {
        k: {} for k in ("advancing_4to1", "declining_4to1", "up_volume_90", "down_volume_90",
                        "new_highs_expanding", "zweig_thrust", "capitulation")
    }
    ema: float | None = None
    emas: list[float | None] = []
    seed: list[float] = []
    previous_highs: int | None = None
    for i, day in enumerate(days):
        x = info[day]
        a, d, u = x["a"], x["d"], x["u"]
        compared = a + d + u
        out["advancing_4to1"][day] = (a >= 4 * d and a > 0) if compared else None
        out["declining_4to1"][day] = (d >= 4 * a and d > 0) if compared else None
        total = None if x["up"] is None else x["up"] + x["down"]
        if total:
            out["up_volume_90"][day] = x["up"] / total >= 0.9
            out["down_volume_90"][day] = x["down"] / total >= 0.9
        else:
            out["up_volume_90"][day] = out["down_volume_90"][day] = None
        highs = x["highs"] if x["judged"] else None
        lows = x["lows"] if x["judged"] else None
        if highs is None or previous_highs is None:
            out["new_highs_expanding"][day] = None
        else:
            out["new_highs_expanding"][day] = (
                highs >= 0.05 * x["judged"] and highs >= 2 * lows and highs > previous_highs
            )
        previous_highs = highs
        # the Zweig EMA: seeded with the mean of its first 10 values, a gap carried over
        share = a / (a + d) if a + d else None
        if ema is None:
            if share is not None:
                seed.append(share)
                if len(seed) == 10:
                    ema = sum(seed) / 10
            emas.append(ema)
        elif share is None:
            emas.append(None)
        else:
            ema = ema + 2 / 11 * (share - ema)
            emas.append(ema)
        now = emas[-1]
        if now is None:
            out["zweig_thrust"][day] = None
        else:
            before = [e for e in emas[max(0, i - 10) : i] if e is not None]
            out["zweig_thrust"][day] = now > 0.615 and bool(before) and min(before) < 0.40
        out["capitulation"][day] = ref_capitulation(ref, days, i)
    return out


def ref_sigmas(ref: Reference, day: str) -> float | None:
    """The S&P 500's return on ``day`` over the stdev of its 20 returns before."""
    days = sessions(ref)
    i = days.index(day)
    if i < 21:
        return None
    closes = [close_on(ref, "^GSPC", d) for d in days[i - 21 : i + 1]]
    if any(c is None for c in closes):
        return None
    r = [b / a - 1 for a, b in zip(closes, closes[1:], strict=False)]  # type: ignore[operator]
    sd = statistics.stdev(r[:-1])
    return r[-1] / sd if sd else None


def ref_capitulation(ref: Reference, days: list[str], i: int) -> bool | None:
    """The story's capitulation (schema): 90% down volume, 65% decliners, the S&P 500 down
    1.5% and 3% or 2 sigmas, member volume above its 20-session average. Not judged without
    the return, the counts, the volume split or 20 earlier member sessions with volume."""
    x = member_days(ref)[days[i]]
    r = index_return(ref, "^GSPC", days, i)
    total = None if x["up"] is None else x["up"] + x["down"]
    if r is None or not total or not x["a"] + x["d"] or i < 20:
        return None
    one_sided = x["down"] / total >= 0.9 and x["d"] / (x["a"] + x["d"]) >= 0.65
    large = r <= -0.015
    if one_sided and large:
        z = ref_sigmas(ref, days[i])
        large = r <= -0.03 or (z is not None and z <= -2.0)
    # judged once some member traded on each of the 21 sessions (nearly always)
    window = days[i - 20 : i + 1]
    if not any(all(v is not None and v > 0 for v in
                   (ref.rows[m].get(d, (None, None))[1] for d in window)) for m in ref.members):
        return None
    if not (one_sided and large):
        return False
    ratio, _, _ = ref_volume_ratio(ref, days[: i + 1], 20)
    return ratio > 1.0


@cache
def index_signals(ref: Reference) -> dict[str, dict[str, bool | None]]:
    """Each index signal on each session of the whole history."""
    days = sessions(ref)
    out: dict[str, dict[str, bool | None]] = {
        k: {} for k in ("small_caps_record_run", "large_caps_record_run", "sp500_up_2pct",
                        "sp500_down_2pct", "vix_spike")
    }
    leaders: list[str | None] = []  # per session: "^RUT", "^GSPC" or None
    first_both: int | None = None
    for i, day in enumerate(days):
        g = index_return(ref, "^GSPC", days, i)
        v = index_return(ref, "^VIX", days, i)
        out["sp500_up_2pct"][day] = None if g is None else g >= 0.02
        out["sp500_down_2pct"][day] = None if g is None else g <= -0.02
        out["vix_spike"][day] = None if v is None else v >= 0.20
        s = index_return(ref, "^RUT", days, i)
        both = g is not None and s is not None
        if both and first_both is None:
            first_both = i
        leaders.append(None if not both or s == g else ("^RUT" if s > g else "^GSPC"))
    # runs: (leader, start, end) in order
    runs: list[tuple[str, int, int]] = []
    for i, lead in enumerate(leaders):
        if lead is None:
            continue
        if runs and runs[-1][0] == lead and runs[-1][2] == i - 1:
            runs[-1] = (lead, runs[-1][1], i)
        else:
            runs.append((lead, i, i))
    fired = {"^RUT": set(), "^GSPC": set()}  # type: dict[str, set[int]]
    for lead, start, end in runs:
        best = max(
            (e - s + 1 for ld, s, e in runs if ld == lead and start - 252 <= e <= start - 1),
            default=0,
        )
        for i in range(start, end + 1):
            length = i - start + 1
            if length >= 5 and length > best:
                fired[lead].add(i)
    for i, day in enumerate(days):
        judged = first_both is not None and i >= first_both + 252 and (
            index_return(ref, "^GSPC", days, i) is not None
            and index_return(ref, "^RUT", days, i) is not None
        )
        out["small_caps_record_run"][day] = (i in fired["^RUT"]) if judged else None
        out["large_caps_record_run"][day] = (i in fired["^GSPC"]) if judged else None
    return out


def ref_forward(ref: Reference, fired_days: list[str], as_of: str, symbol: str, h: int):
    days = ref.upto(as_of)
    position = {d: i for i, d in enumerate(days)}
    last = len(days) - 1
    kept: list[int] = []
    for p in sorted(position[d] for d in fired_days if d < as_of):
        if not kept or p - kept[-1] >= h:
            kept.append(p)
    returns, at = [], []
    for p in kept:
        if p + h > last:
            continue
        start, end = close_on(ref, symbol, days[p]), close_on(ref, symbol, days[p + h])
        if start is None or end is None:
            continue
        returns.append(end / start - 1)
        at.append(days[p])
    n = len(returns)
    return {
        "n": n,
        "median": statistics.median(returns) if n else None,
        "share_positive": sum(r > 0 for r in returns) / n if n else None,
        "first": at[0] if n else None,
        "last": at[-1] if n else None,
        "small_sample": n < 10,
    }


# --- what happened next ------------------------------------------------------------------------


def test_analogs_against_plain_loops(case) -> None:
    as_of, m, ref = case
    out = m.to_dict()["analogs"]
    signals = {**member_signals(ref), **index_signals(ref)}
    assert list(out["signals"]) == list(signals)
    fired_today = []
    for name, by_day in signals.items():
        got = out["signals"][name]
        upto = {d: v for d, v in by_day.items() if d <= as_of}
        judged = [d for d, v in upto.items() if v is not None]
        earlier = [d for d, v in upto.items() if v and d < as_of]
        assert got["history"] == ("members" if name in member_signals(ref) else "indices")
        assert got["history_start"] == (judged[0] if judged else None), name
        assert got["fired_today"] == upto.get(as_of), name
        assert got["occurrences"] == len(earlier), name
        assert got["last_before"] == (earlier[-1] if earlier else None), name
        if upto.get(as_of):
            fired_today.append(name)
        for symbol in FORWARD:
            for h in HORIZONS:
                expected = ref_forward(ref, earlier, as_of, symbol, h)
                stats = got["forward"][symbol][str(h)]
                assert close(stats.pop("median"), expected.pop("median")), (name, symbol, h)
                assert stats == expected, (name, symbol, h)
    assert out["fired_today"] == fired_today
    assert out["horizons"] == list(HORIZONS) and out["min_sample"] == 10


def test_the_signals_of_2025_04_09(marketdata: Path) -> None:
    """The tariff-pause rally: a 4:1 up day on 90% up volume, the S&P 500 up 9.5%."""
    out = result(marketdata, "2025-04-09").to_dict()["analogs"]
    assert out["fired_today"] == ["advancing_4to1", "up_volume_90", "sp500_up_2pct"]
    down = result(marketdata, "2025-04-04").to_dict()["analogs"]["fired_today"]
    assert {"declining_4to1", "down_volume_90", "capitulation", "sp500_down_2pct",
            "vix_spike"} <= set(down)
    # 2025-12-31: a 90% down-volume day with 482 of 503 members down, but -0.74% on 0.58 times
    # the average volume: no capitulation (the story's definition)
    last = result(marketdata, LAST).to_dict()["analogs"]["fired_today"]
    assert "down_volume_90" in last and "capitulation" not in last


# --- the quality of the move -------------------------------------------------------------------


def ref_volume_ratio(ref: Reference, window: list[str], n: int):
    days = window[-(n + 1) :]
    today = total = 0.0
    ratios = []
    for m in ref.members:
        vols = [ref.rows[m].get(d, (None, None))[1] for d in days]
        if any(v is None or v <= 0 for v in vols):
            continue
        average = math.fsum(vols[:-1]) / n  # type: ignore[arg-type]
        today += vols[-1]  # type: ignore[operator]
        total += average
        ratios.append(vols[-1] / average)  # type: ignore[operator]
    return today / total, statistics.median(ratios), len(ratios)


def test_quality_against_plain_loops(case) -> None:
    as_of, m, ref = case
    q = m.to_dict()["quality"]
    window = ref.window(as_of)
    for n in (20, 50):
        aggregate, median, base = ref_volume_ratio(ref, window, n)
        assert close(q[f"volume_vs_{n}d"], aggregate), n
        assert close(q[f"volume_median_ratio_{n}d"], median), n
        assert q[f"volume_base_{n}d"] == base
    top = bottom = base = 0
    for member in ref.members:
        c = usable_on(ref, member, as_of)
        high, low = ref.ranges[member].get(as_of, (None, None))
        if c is None or high is None or low is None or not low <= c <= high or high == low:
            continue
        base += 1
        where = (c - low) / (high - low)
        top += where >= 0.75
        bottom += where <= 0.25
    assert (q["close_top_quarter"], q["close_bottom_quarter"], q["close_range_base"]) == (
        top / base, bottom / base, base,
    )
    info = member_days(ref)[as_of]
    total = info["up"] + info["down"]
    assert q["up_volume_day"] == (info["up"] / total >= 0.9)
    assert q["down_volume_day"] == (info["down"] / total >= 0.9)
    for symbol in HEADLINE:
        r = [index_return(ref, symbol, window, i) for i in range(len(window) - 21, len(window))]
        move = q["index_moves"][symbol]
        sd = statistics.stdev(r[:-1])  # type: ignore[type-var]
        assert close(move["return_1d"], r[-1])
        assert close(move["volatility_20d"], sd), symbol
        assert close(move["sigmas"], r[-1] / sd), symbol  # type: ignore[operator]
    r = [index_return(ref, "^GSPC", window, i) for i in range(len(window) - 20, len(window))]
    realized = statistics.stdev(r) * math.sqrt(252)  # type: ignore[type-var]
    vix = close_on(ref, "^VIX", as_of)
    assert close(q["realized_volatility_20d"], realized)
    assert q["vix"] == vix
    assert close(q["implied_minus_realized"], vix / 100 - realized)  # type: ignore[operator]
    assert close(q["implied_to_realized"], vix / 100 / realized)  # type: ignore[operator]


# --- who carried it ------------------------------------------------------------------------------


def test_sector_carry_against_plain_loops(case) -> None:
    as_of, m, ref = case
    window = ref.window(as_of)
    universe, _ = _config()
    from reporter.vocabulary import SECTOR_ETFS

    rows = m.to_dict()["sector_carry"]
    assert [r["etf"] for r in rows] == list(SECTOR_ETFS.values())
    for row in rows:
        names = [s for s, sector in ref.members.items() if sector == row["sector"]]
        r1 = {}
        for s in names:
            now, before = usable_on(ref, s, window[-1]), usable_on(ref, s, window[-2])
            if now is not None and before is not None:
                r1[s] = now / before - 1
        size = {}
        for s in names:
            values = []
            for d in window[-21:-1]:
                bar = ref.rows[s].get(d)
                if bar is None or bar[1] is None or bar[1] <= 0:
                    break
                values.append(bar[0] * bar[1])
            else:
                size[s] = math.fsum(values) / 20
        order = sorted(size, key=lambda s: (-size[s], names.index(s)))[:10]
        movers = sorted((s for s in order if s in r1), key=lambda s: (-abs(r1[s]), order.index(s)))
        etf = close_on(ref, row["etf"], window[-1]) / close_on(ref, row["etf"], window[-2]) - 1  # type: ignore[operator]
        median = statistics.median(r1.values())
        assert close(row["etf_return_1d"], etf)
        assert close(row["median_return_1d"], median), row["etf"]
        assert close(row["gap"], etf - median)
        assert (row["members_used"], row["largest_used"]) == (len(r1), len(order))
        assert [x["symbol"] for x in row["movers"]] == movers[:3], row["etf"]
        for x in row["movers"]:
            assert close(x["return_1d"], r1[x["symbol"]])
            assert close(x["dollar_volume_20d"], size[x["symbol"]])


# --- baskets -----------------------------------------------------------------------------------


def ref_fifths(scores: dict[str, float], order: list[str]) -> tuple[list[str], list[str]]:
    k = len(scores) // 5
    up = sorted(scores, key=lambda s: (-scores[s], order.index(s)))
    down = sorted(scores, key=lambda s: (scores[s], order.index(s)))
    return up[:k], down[:k]


def test_baskets_against_plain_loops(case) -> None:
    as_of, m, ref = case
    window = ref.window(as_of)
    order = list(ref.members)
    month = as_of[:7]
    bases = {"1d": len(window) - 2, "5d": len(window) - 6,
             "mtd": max(i for i, d in enumerate(window) if d[:7] < month)}
    got = m.to_dict()["baskets"]
    for key, p in bases.items():
        assert got[f"formed_{key}"] == window[p]
        momentum, vol = {}, {}
        for s in order:
            base = usable_on(ref, s, window[p])
            if base is None:
                continue
            skip, year = usable_on(ref, s, window[p - 21]), usable_on(ref, s, window[p - 252])
            if skip is not None and year is not None:
                momentum[s] = skip / year - 1
            closes = [usable_on(ref, s, d) for d in window[p - 60 : p + 1]]
            if all(c is not None for c in closes):
                vol[s] = statistics.stdev(
                    [b / a - 1 for a, b in zip(closes, closes[1:], strict=False)]  # type: ignore[operator]
                )

        def held(names: list[str], base_p: int = p) -> tuple[float, int]:
            rs = []
            for s in names:
                end = usable_on(ref, s, as_of)
                if end is not None:
                    rs.append(end / usable_on(ref, s, window[base_p]) - 1)  # type: ignore[operator]
            return math.fsum(rs) / len(rs), len(rs)

        winners, losers = ref_fifths(momentum, order)
        high, low = ref_fifths(vol, order)
        for group, names, label in (("momentum", winners, "winners"),
                                    ("momentum", losers, "losers"),
                                    ("volatility", high, "high"), ("volatility", low, "low")):
            value, size = held(names)
            basket = got[group][label]
            assert close(basket[f"return_{key}"], value), (group, label, key)
            assert basket[f"size_{key}"] == size
        for group, a, b in (("momentum", "winners", "losers"), ("volatility", "high", "low")):
            spread = got[group][a][f"return_{key}"] - got[group][b][f"return_{key}"]
            assert close(got[group][f"spread_{key}"], spread)


# --- the trend map -----------------------------------------------------------------------------


def plain_rsi(closes: list[float], n: int = 14) -> float:
    changes = [b - a for a, b in zip(closes, closes[1:], strict=False)]
    gain = sum(max(c, 0.0) for c in changes[:n]) / n
    loss = sum(max(-c, 0.0) for c in changes[:n]) / n
    for c in changes[n:]:
        gain += (max(c, 0.0) - gain) / n
        loss += (max(-c, 0.0) - loss) / n
    return 100.0 if loss == 0 else 100 - 100 / (1 + gain / loss)


def test_trend_map_against_plain_loops(case) -> None:
    as_of, m, ref = case
    universe, _ = _config()
    upto = ref.upto(as_of)
    symbols = HEADLINE + list(universe.sectors)

    def rs_at(symbol: str, end: int) -> float:
        now = close_on(ref, symbol, upto[end]) / close_on(ref, "^GSPC", upto[end])  # type: ignore[operator]
        then = close_on(ref, symbol, upto[end - 63]) / close_on(ref, "^GSPC", upto[end - 63])  # type: ignore[operator]
        return now / then - 1

    def ranks(end: int) -> dict[str, int]:
        values = {s: rs_at(s, end) for s in symbols if s != "^GSPC"}
        return {s: 1 + sum(w > v for w in values.values()) for s, v in values.items()}

    now, back = ranks(len(upto) - 1), ranks(len(upto) - 22)
    rows = m.to_dict()["trend"]
    expected_order = sorted(symbols, key=lambda s: (s not in now, now.get(s, 0), symbols.index(s)))
    assert [r["symbol"] for r in rows] == expected_order
    for row in rows:
        s = row["symbol"]
        closes = [c for d in upto if (c := close_on(ref, s, d)) is not None]
        assert row["kind"] == ("index" if s in HEADLINE else "sector")
        assert row["close"] == closes[-1]
        sma50, sma200 = math.fsum(closes[-50:]) / 50, math.fsum(closes[-200:]) / 200
        assert close(row["vs_sma_50"], closes[-1] / sma50 - 1, 1e-9)
        assert close(row["vs_sma_200"], closes[-1] / sma200 - 1, 1e-9)
        assert close(row["rsi_14"], plain_rsi(closes), 1e-9), s
        if s == "^GSPC":
            assert (row["rs_change_63d"], row["rs_rank"], row["rs_rank_change_21d"]) == (
                None, None, None,
            )
            continue
        assert close(row["rs_change_63d"], rs_at(s, len(upto) - 1)), s
        assert (row["rs_rank"], row["rs_rank_21d_ago"]) == (now[s], back[s]), s
        assert row["rs_rank_change_21d"] == back[s] - now[s]


# --- bases and the fixed start -----------------------------------------------------------------


def test_bases_of_the_shares(case) -> None:
    as_of, m, ref = case
    window = ref.window(as_of)
    out = m.to_dict()

    def base(n: int, sector: str | None = None) -> int:
        return sum(
            1
            for s, sec in ref.members.items()
            if (sector is None or sec == sector)
            and all(usable_on(ref, s, d) is not None for d in window[-n:])
        )

    for n in (20, 50, 200):
        assert out["breadth"][f"pct_above_{n}d_base"] == base(n), n
    for row in out["breadth_by_sector"]:
        assert row["pct_above_50d_base"] == base(50, row["sector"])
        assert row["pct_above_200d_base"] == base(200, row["sector"])
    # GEV, SOLV, SNDK, Q and SW list late: on the April dates fewer than 503 members have 200
    # sessions, and the base says so
    if as_of == "2025-04-09":
        assert out["breadth"]["pct_above_200d_base"] < out["breadth"]["members_total"]


def test_the_ad_line_runs_from_the_fixed_start(case) -> None:
    as_of, m, ref = case
    start = member_sessions(ref)[0]
    assert start == "2021-02-26"
    assert m.breadth.ad_line_start.isoformat() == start
    info = member_days(ref)
    expected = sum(x["a"] - x["d"] for d, x in info.items() if d <= as_of)
    assert m.breadth.ad_line == expected


def test_the_same_value_as_of_a_later_date(marketdata: Path) -> None:
    """The A/D line and the summation index of a session are the same whether the report is
    for that session or a later one: both run from the fixed start, not the window's."""
    later = result(marketdata, LAST)
    for day in AS_OF[:-1]:
        then = result(marketdata, day)
        assert then.breadth.ad_line_start == later.breadth.ad_line_start
        stamp = later.series.ad_line.index[later.series.ad_line.index.strftime("%Y-%m-%d") == day]
        if len(stamp) == 0:  # before the chart window of the later report
            continue
        assert int(later.series.ad_line[stamp[0]]) == then.breadth.ad_line, day
        summation = later.series.mcclellan["summation"][stamp[0]]
        assert summation == pytest.approx(then.breadth.summation_index, rel=1e-12), day


def test_output_is_valid(case) -> None:
    _, m, _ = case
    validate(m.to_dict())
