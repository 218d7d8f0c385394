"""The figures of issue 12 (context, the week, trend extras) on the real snapshot, against plain
loops over the CSV rows (the csv module, no pandas, none of the production code).

Each reference below is the definition in DESIGN.md and tools/spec-12 spelled out as a loop over
sessions and members. Counts, dates and shares of whole counts compare exactly; returns made by
the same single division compare exactly too; averages (a different summation order) to a
relative 1e-12.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reporter.config import MetricsConfig, UniverseConfig, load
from tests.metrics.test_realdata import close_on, day_counts, ratio, ref_returns, usable_on
from tests.support.realdata import Reference, computed
from tests.support.schema import validate

pytestmark = pytest.mark.marketdata

# the brief's sessions: the April sell-off and the tariff-pause rally, a Friday, a Thursday,
# the year end (a Wednesday before New Year's Day); and two Thursdays that end their week
# (before Good Friday and before Independence Day)
AS_OF = ["2025-04-04", "2025-04-09", "2025-08-22", "2025-11-20", "2025-12-31"]
WEEK_ENDS = ["2025-04-17", "2025-07-03"]
INDICES = ["^GSPC", "^RUT", "^IXIC", "^DJI"]
SECTOR_ETFS = ["XLK", "XLF", "XLE", "XLV", "XLI", "XLP", "XLY", "XLU", "XLB", "XLRE", "XLC"]


@cache
def _config() -> tuple[UniverseConfig, MetricsConfig]:
    cfg = load()
    return cfg.universe, cfg.metrics


result = computed  # the session-wide cache of tests/support/realdata


@pytest.fixture(params=AS_OF)
def case(request: pytest.FixtureRequest, marketdata: Path, reference: Reference):
    as_of = request.param
    return as_of, result(marketdata, as_of), reference


# --- plain references ------------------------------------------------------------------------


def mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def closes_before(ref: Reference, symbol: str, days: list[str]) -> list[float] | None:
    """The closes on ``days``, or None when one is missing."""
    out = [close_on(ref, symbol, d) for d in days]
    return None if any(c is None for c in out) else out  # type: ignore[return-value]


def avg_ending(ref: Reference, symbol: str, upto: list[str], n: int, back: int = 0):
    """The n-session average ending ``back`` sessions before the last of ``upto``."""
    end = len(upto) - back
    if end < n:
        return None
    closes = closes_before(ref, symbol, upto[end - n : end])
    return None if closes is None else mean(closes)


def ref_context(pairs: list[tuple[str, float | None]]) -> dict[str, Any]:
    """DESIGN.md "Context from history" over (session, value) pairs ending on the as-of date."""
    history = [(d, v) for d, v in pairs if v is not None and math.isfinite(v)]
    empty = {
        "value": None,
        "since": None,
        "percentile": None,
        "history_start": None,
        "direction": None,
    }
    if not history or history[-1][0] != pairs[-1][0]:
        return empty
    today = history[-1][1]
    if len(history) < 2:
        return dict(empty, value=today)
    high = today > statistics.median(v for _, v in history)
    since = None
    for d, v in reversed(history[:-1]):
        if (v >= today) if high else (v <= today):
            since = d
            break
    below = sum(1 for _, v in history if v <= today)
    return {
        "value": today,
        "since": since,
        "percentile": below / len(history),
        "history_start": history[0][0],
        "direction": "high" if high else "low",
    }


def return_pairs(ref: Reference, symbol: str, upto: list[str], k: int = 1):
    return [
        (d, ratio(close_on(ref, symbol, d), close_on(ref, symbol, upto[i - k])) if i >= k else None)
        for i, d in enumerate(upto)
    ]


@cache
def member_closes(ref: Reference) -> dict[str, list[float | None]]:
    """Each member's usable closes on every session of the data (None: missing)."""
    return {m: [usable_on(ref, m, d) for d in ref.sessions] for m in ref.members}


@cache
def member_history(ref: Reference) -> dict[str, list[Any]]:
    """Per session of the data: net advances, new highs, new lows, % above 50d and 200d.

    None where the figure is not defined (no member could be judged on that session).
    """
    closes = member_closes(ref)
    n = len(ref.sessions)
    out: dict[str, list[Any]] = {k: [None] * n for k in ("net", "highs", "lows", "pct50", "pct200")}
    first = min(i for c in closes.values() for i, x in enumerate(c) if x is not None)
    holes = {}
    for m, c in closes.items():
        count, running = [0], 0
        for x in c:
            running += x is None
            count.append(running)
        holes[m] = count  # holes[m][j] - holes[m][i]: missing closes in rows i .. j-1

    def complete(m: str, lo: int, hi: int) -> bool:  # rows lo .. hi inclusive
        return lo >= 0 and holes[m][hi + 1] - holes[m][lo] == 0

    for i in range(first, n):
        if i > 0:
            a, d, u = day_counts(ref, ref.sessions[i - 1], ref.sessions[i])
            out["net"][i] = a - d if a + d + u else None
        highs = lows = judged = 0
        for m, c in closes.items():
            if complete(m, i - 252, i):
                window = c[i - 252 : i + 1]
                judged += 1
                highs += c[i] >= max(window)  # type: ignore[operator,type-var]
                lows += c[i] <= min(window)  # type: ignore[operator,type-var]
        if judged:
            out["highs"][i], out["lows"][i] = highs, lows
        for key, length in (("pct50", 50), ("pct200", 200)):
            above = eligible = 0
            for m, c in closes.items():
                if complete(m, i - length + 1, i):
                    eligible += 1
                    above += c[i] > mean(c[i - length + 1 : i + 1])  # type: ignore[arg-type,operator]
            if eligible:
                out[key][i] = above / eligible
    return out


def breadth_pairs(ref: Reference, key: str, as_of: str) -> list[tuple[str, Any]]:
    values = member_history(ref)[key]
    return [(d, values[i]) for i, d in enumerate(ref.sessions) if d <= as_of]


def sector_pct_above(ref: Reference, sector: str, day: str, n: int = 50) -> float | None:
    upto = ref.upto(day)[-n:]
    above = eligible = 0
    for m, s in ref.members.items():
        if s != sector:
            continue
        closes = [usable_on(ref, m, d) for d in upto]
        if len(upto) < n or any(c is None for c in closes):
            continue
        eligible += 1
        above += closes[-1] > mean(closes)  # type: ignore[arg-type,operator]
    return above / eligible if eligible else None


def ref_summation(ref: Reference, upto: list[str]) -> float:
    """McClellan summation index: running sum of EMA19 - EMA39 of net advances."""
    nets = []
    for i in range(1, len(upto)):
        a, d, u = day_counts(ref, upto[i - 1], upto[i])
        if a + d + u:
            nets.append(a - d)
    total = 0.0
    fast = slow = 0.0
    for t, x in enumerate(nets):
        if t == 18:
            fast = sum(nets[:19]) / 19
        elif t > 18:
            fast += 0.10 * (x - fast)
        if t == 38:
            slow = sum(nets[:39]) / 39
        elif t > 38:
            slow += 0.05 * (x - slow)
        if t >= 38:
            total += fast - slow
    return total


def ref_trin(ref: Reference, before: str, day: str) -> float | None:
    a, d, _ = day_counts(ref, before, day)
    up = down = 0.0
    for m in ref.members:
        now, prev = usable_on(ref, m, day), usable_on(ref, m, before)
        if now is None or prev is None:
            continue
        vol = ref.rows[m][day][1] or 0.0
        if now > prev:
            up += vol
        elif now < prev:
            down += vol
    if d == 0 or down == 0 or up == 0:
        return None
    return (a / d) / (up / down)


def iso_week(day: str) -> tuple[int, int]:
    y, w, _ = dt.date.fromisoformat(day).isocalendar()
    return y, w


def ref_streak(ref: Reference, symbol: str, upto: list[str]) -> dict[str, Any]:
    """Walk back from the session before the as-of date while the 1D moves keep their sign."""

    def move(i: int) -> int | None:
        now, prev = close_on(ref, symbol, upto[i]), close_on(ref, symbol, upto[i - 1])
        if now is None or prev is None:
            return None
        return (now > prev) - (now < prev)

    last = len(upto) - 2
    sign = move(last)
    if not sign:
        return {"direction": None, "length": 0, "return": None}
    i = last
    while i - 1 >= 1 and move(i - 1) == sign:
        i -= 1
    length = last - i + 1
    compound = ratio(close_on(ref, symbol, upto[last]), close_on(ref, symbol, upto[i - 1]))
    return {"direction": "up" if sign > 0 else "down", "length": length, "return": compound}


def approx_context(expected: dict[str, Any]) -> dict[str, Any]:
    out = dict(expected)
    if out["value"] is not None:
        out["value"] = pytest.approx(out["value"], rel=1e-12, abs=1e-15)
    return out


# --- history and runs ----------------------------------------------------------------------


def test_history_and_run_starts(case) -> None:
    as_of, m, ref = case
    out = m.to_dict()
    first_gspc = next(d for d in ref.sessions if close_on(ref, "^GSPC", d) is not None)
    assert out["history"]["series_start"] == first_gspc == "2010-01-04"
    assert out["history"]["first_session"] == ref.window(as_of)[0]  # the member window stays

    def both_returns(a: str, b: str) -> str:
        upto = ref.upto(as_of)
        return next(
            d
            for i, d in enumerate(upto[1:], 1)
            if all(close_on(ref, s, x) is not None for s in (a, b) for x in (d, upto[i - 1]))
        )

    assert out["size_rotation"]["run"]["history_start"] == both_returns("^RUT", "^GSPC")
    mve = out["size_rotation"]["mega_vs_equal"]["run"]
    assert mve["history_start"] == both_returns("XLG", "RSP")
    validate(out)


# --- context -----------------------------------------------------------------------------------


def test_context_of_index_and_sector_returns(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    ctx = m.to_dict()["context"]
    for symbol in INDICES:
        expected = ref_context(return_pairs(ref, symbol, upto))
        assert ctx[f"indices.{symbol}.return_1d"] == approx_context(expected), symbol
    for symbol in ("^GSPC", "^RUT"):
        expected = ref_context(return_pairs(ref, symbol, upto, 5))
        assert ctx[f"indices.{symbol}.return_5d"] == approx_context(expected), symbol
    for etf in SECTOR_ETFS:
        expected = ref_context(return_pairs(ref, etf, upto))
        assert ctx[f"sectors.{etf}.return_1d"] == approx_context(expected), etf
    # the value is the report's own figure
    out = m.to_dict()
    assert ctx["indices.^RUT.return_1d"]["value"] == out["indices"]["^RUT"]["return_1d"]
    xlk = next(r for r in out["sectors"] if r["symbol"] == "XLK")
    assert ctx["sectors.XLK.return_1d"]["value"] == xlk["return_1d"]


def test_context_of_volatility_and_spread(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    ctx = m.to_dict()["context"]
    level = [(d, close_on(ref, "^VIX", d)) for d in upto]
    assert ctx["volatility.level"] == approx_context(ref_context(level))
    change = [
        (
            d,
            None
            if i == 0 or level[i][1] is None or level[i - 1][1] is None
            else level[i][1] - level[i - 1][1],
        )  # type: ignore[operator]
        for i, (d, _) in enumerate(level)
    ]
    assert ctx["volatility.change_1d"] == approx_context(ref_context(change))
    small, large = return_pairs(ref, "^RUT", upto), return_pairs(ref, "^GSPC", upto)
    spread = [
        (d, None if a is None or b is None else a - b)
        for (d, a), (_, b) in zip(small, large, strict=True)
    ]
    assert ctx["size_rotation.spread_1d"] == approx_context(ref_context(spread))
    out = m.to_dict()
    assert ctx["volatility.change_1d"]["value"] == out["volatility"]["change_1d"]
    assert ctx["size_rotation.spread_1d"]["value"] == out["size_rotation"]["spread_1d"]


def test_context_of_breadth(case) -> None:
    as_of, m, ref = case
    ctx = m.to_dict()["context"]
    out = m.to_dict()["breadth"]
    for path, key, figure in (
        ("breadth.net_advances", "net", "net_advances"),
        ("breadth.new_highs", "highs", "new_highs"),
        ("breadth.new_lows", "lows", "new_lows"),
        ("breadth.pct_above_50d", "pct50", "pct_above_50d"),
        ("breadth.pct_above_200d", "pct200", "pct_above_200d"),
    ):
        expected = ref_context(breadth_pairs(ref, key, as_of))
        assert ctx[path] == approx_context(expected), path
        assert ctx[path]["value"] == out[figure], path
    # members begin on 2021-02-26: net advances from the next session, new highs 252 later
    assert ctx["breadth.net_advances"]["history_start"] == "2021-03-01"
    assert (
        ctx["breadth.new_highs"]["history_start"]
        == ref.sessions[ref.sessions.index("2021-02-26") + 252]
    )


# --- the week ----------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", AS_OF + WEEK_ENDS)
def test_week(as_of: str, marketdata: Path, reference: Reference) -> None:
    ref = reference
    w = result(marketdata, as_of).to_dict()["week"]
    upto = ref.upto(as_of)
    assert w["sessions"] == upto[-6:]
    for symbol in INDICES:
        expected = [
            ratio(close_on(ref, symbol, upto[i]), close_on(ref, symbol, upto[i - 1]))
            for i in range(len(upto) - 5, len(upto))
        ]
        assert w["returns"][symbol] == expected, symbol
        assert w["streak_before"][symbol] == dict(
            ref_streak(ref, symbol, upto),
            **{"return": pytest.approx(ref_streak(ref, symbol, upto)["return"], rel=1e-12)},
        ), symbol
    # the next session: from the data, or (after the data ends) Friday 2 January 2026
    later = [d for d in ref.sessions if d > as_of]
    following = later[0] if later else "2026-01-02"
    assert w["is_week_end"] is (iso_week(following) != iso_week(as_of))
    assert w["is_week_end"] is (as_of in WEEK_ENDS or as_of in ("2025-04-04", "2025-08-22"))
    assert w["is_year_end"] is (following[:4] != as_of[:4])
    this_week = [d for d in upto if iso_week(d) == iso_week(as_of)]
    assert w["week_start"] == this_week[0]
    monday = dt.date.fromisoformat(this_week[0]) - dt.timedelta(days=7)
    previous = [d for d in upto if iso_week(d) == iso_week(monday.isoformat())]
    for symbol in INDICES:
        expected = ratio(close_on(ref, symbol, as_of), close_on(ref, symbol, previous[-1]))
        assert w["week_return"][symbol] == pytest.approx(expected, rel=1e-12), symbol
    hist = member_history(ref)
    rows = [ref.sessions.index(d) for d in this_week]
    counts = [day_counts(ref, ref.sessions[i - 1], ref.sessions[i]) for i in rows]
    adv, dec = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert w["week_breadth"] == {
        "advancers_sum": adv,
        "decliners_sum": dec,
        "new_highs_sum": sum(hist["highs"][i] for i in rows),
        "new_lows_sum": sum(hist["lows"][i] for i in rows),
        "net_advances_sum": adv - dec,
    }


def test_holiday_weeks(marketdata: Path) -> None:
    """The Thursdays before Good Friday and Independence Day end their weeks; the year's last
    session does not (2 January 2026 trades in the same week)."""
    good_friday = result(marketdata, "2025-04-17").week
    assert good_friday.is_week_end and good_friday.week_start == dt.date(2025, 4, 14)
    july = result(marketdata, "2025-07-03").week
    assert july.is_week_end and july.week_start == dt.date(2025, 6, 30)
    year_end = result(marketdata, "2025-12-31").week
    assert not year_end.is_week_end and year_end.week_start == dt.date(2025, 12, 29)


# --- extra figures for the rules ---------------------------------------------------------------


def test_volatility_extras(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    vix = [close_on(ref, "^VIX", d) for d in upto]
    v = m.volatility
    assert v.level_5d_ago == vix[-6]
    assert v.sma_20 == pytest.approx(mean(vix[-20:]), rel=1e-12)  # type: ignore[arg-type]
    year = vix[-252:]
    assert v.percentile_1y == sum(1 for x in year if x <= vix[-1]) / 252  # type: ignore[operator]


def test_breadth_extras(case) -> None:
    as_of, m, ref = case
    window = ref.window(as_of)
    assert m.breadth.summation_index_5d_ago == pytest.approx(
        ref_summation(ref, window[:-5]), rel=1e-9
    )
    assert m.breadth.summation_index == pytest.approx(ref_summation(ref, window), rel=1e-9)
    assert m.breadth.trin_prev == pytest.approx(ref_trin(ref, window[-3], window[-2]), rel=1e-12)


def test_breadth_by_sector_extras(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    five_ago = upto[-6]
    for row in m.breadth_by_sector:
        now = sector_pct_above(ref, row.sector, as_of)
        before = sector_pct_above(ref, row.sector, five_ago)
        assert row.pct_above_50d == now, row.etf
        assert row.pct_above_50d_5d_ago == before, row.etf
        assert row.pct_above_50d_change_5d == pytest.approx(now - before, abs=1e-15), row.etf
        r = ref_returns(ref, row.etf, ref.window(as_of))
        assert (row.return_1d, row.return_5d) == (r["return_1d"], r["return_5d"]), row.etf


def test_sector_trend_extras(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    for row in m.sectors:
        close = close_on(ref, row.symbol, as_of)
        avg, avg_before = (
            avg_ending(ref, row.symbol, upto, 50),
            avg_ending(ref, row.symbol, upto, 50, back=10),
        )
        assert row.above_sma_50 is (close > avg), row.symbol  # type: ignore[operator]
        assert row.sma_50_rising is (avg > avg_before), row.symbol  # type: ignore[operator]
        high = max(closes_before(ref, row.symbol, upto[-252:]))  # type: ignore[arg-type]
        assert row.from_high_52w == pytest.approx(close / high - 1, rel=1e-12, abs=1e-15)


def test_index_and_watchlist_extras(case) -> None:
    as_of, m, ref = case
    upto = ref.upto(as_of)
    for symbol in INDICES:
        r = m.indices[symbol]
        year = closes_before(ref, symbol, upto[-252:])
        assert r.high_52w == max(year)  # type: ignore[arg-type]
        assert r.from_high_52w == r.close / max(year) - 1  # type: ignore[arg-type,operator]
        assert r.sma_50 == pytest.approx(avg_ending(ref, symbol, upto, 50), rel=1e-12)
        assert r.sma_200 == pytest.approx(avg_ending(ref, symbol, upto, 200), rel=1e-12)
        # the session before: its close and its 200-day average (the "still above" test)
        assert r.close_prev == close_on(ref, symbol, upto[-2])
        assert r.sma_200_prev == pytest.approx(avg_ending(ref, symbol, upto, 200, back=1),
                                               rel=1e-12)
    nvda = m.watchlist["NVDA"]
    for n, got in (
        (20, nvda.sma_20_10d_ago),
        (50, nvda.sma_50_10d_ago),
        (200, nvda.sma_200_10d_ago),
    ):
        assert got == pytest.approx(avg_ending(ref, "NVDA", upto, n, back=10), rel=1e-12), n
    assert nvda.return_5d == ratio(close_on(ref, "NVDA", as_of), close_on(ref, "NVDA", upto[-6]))


@pytest.mark.parametrize(
    ("as_of", "pair"),
    [("2021-11-29", ("^RUT", "^GSPC")), ("2024-06-14", ("XLG", "RSP"))],
)
def test_longest_since_searches_the_whole_history(
    as_of: str, pair: tuple[str, str], marketdata: Path, reference: Reference
) -> None:
    """Two runs that were the longest of the five-year window but not of the data: the date
    lies before the window, which alone would have said "longest in the data" (null)."""
    from tests.metrics.test_realdata import ref_run

    m = result(marketdata, as_of)
    run = m.size_rotation.run if pair[0] == "^RUT" else m.size_rotation.mega_vs_equal.run
    leader, length, start, since = ref_run(reference, *pair, reference.upto(as_of))
    assert since is not None and since < reference.window(as_of)[0]
    assert ref_run(reference, *pair, reference.window(as_of))[3] is None
    assert (run.leader, run.length, run.start.isoformat(), run.longest_since.isoformat()) == (
        leader,
        length,
        start,
        since,
    )
