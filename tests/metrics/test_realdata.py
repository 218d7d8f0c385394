"""compute() on the real snapshot against deliberately simple re-implementations.

The reference figures below come from plain loops over the CSV rows (read with the csv module),
not from pandas or the production code. Closes are compared exactly, counts exactly, averages and
exponential averages to a relative 1e-9 (different summation order).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from reporter.config import MetricsConfig, UniverseConfig, load
from reporter.metrics import compute
from tests.support.realdata import Reference, computed, load_panel
from tests.support.schema import validate

pytestmark = pytest.mark.marketdata

# year end; the April 2025 sell-off and the tariff-pause rally; SW's first trading days
# (volume 0 until 2024-07-05); the session after FISV's missing row (2025-11-12)
AS_OF = ["2025-12-31", "2025-04-04", "2025-04-09", "2024-07-09", "2025-11-13"]
INDICES = ["^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX"]


@cache
def _config() -> tuple[UniverseConfig, MetricsConfig]:
    cfg = load()
    return cfg.universe, cfg.metrics


@pytest.fixture(params=AS_OF)
def case(request: pytest.FixtureRequest, marketdata: Path, reference: Reference):
    as_of = request.param
    return as_of, computed(marketdata, as_of), reference, reference.window(as_of)


# --- the simple reference --------------------------------------------------------------------


def close_on(ref: Reference, symbol: str, day: str) -> float | None:
    row = ref.rows.get(symbol, {}).get(day)
    return row[0] if row else None


def usable_on(ref: Reference, symbol: str, day: str) -> float | None:
    """A member's close, unless it has no row or its volume is 0."""
    row = ref.rows.get(symbol, {}).get(day)
    if row is None or row[1] == 0:
        return None
    return row[0]


def last_close_in(ref: Reference, symbol: str, prefix: str, window: list[str]) -> float | None:
    """The series' last close dated in a month ('2025-03') or year ('2024') of the window."""
    for day in reversed(window):
        if day.startswith(prefix):
            c = close_on(ref, symbol, day)
            if c is not None:
                return c
    return None


def month_before(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a / b - 1


def ref_returns(ref: Reference, symbol: str, window: list[str]) -> dict[str, float | None]:
    as_of = window[-1]
    c = close_on(ref, symbol, as_of)

    def back(k: int) -> float | None:
        return close_on(ref, symbol, window[-1 - k]) if len(window) > k else None

    y, m = int(as_of[:4]), int(as_of[5:7])
    py, pm = month_before(y, m)
    ppy, ppm = month_before(py, pm)
    prev_month_end = last_close_in(ref, symbol, f"{py:04d}-{pm:02d}", window)
    month_before_end = last_close_in(ref, symbol, f"{ppy:04d}-{ppm:02d}", window)
    return {
        "close": c,
        "return_1d": ratio(c, back(1)),
        "return_5d": ratio(c, back(5)),
        "return_mtd": ratio(c, prev_month_end),
        "return_prev_month": ratio(prev_month_end, month_before_end),
        "return_ytd": ratio(c, last_close_in(ref, symbol, f"{y - 1:04d}", window)),
        "return_1y": ratio(c, back(252)),
    }


@cache
def day_counts(ref: Reference, before: str, day: str) -> tuple[int, int, int]:
    adv = dec = unch = 0
    for member in ref.members:
        now, prev = usable_on(ref, member, day), usable_on(ref, member, before)
        if now is None or prev is None:
            continue
        if now > prev:
            adv += 1
        elif now < prev:
            dec += 1
        else:
            unch += 1
    return adv, dec, unch


def ref_pct_above(ref: Reference, window: list[str], n: int) -> float:
    days = window[-n:]
    above = eligible = 0
    for member in ref.members:
        closes = [usable_on(ref, member, d) for d in days]
        if len(days) < n or any(c is None for c in closes):
            continue
        eligible += 1
        above += closes[-1] > sum(closes) / n  # type: ignore[operator,arg-type]
    return above / eligible


def ref_highs_lows(ref: Reference, window: list[str]) -> tuple[int, int]:
    days = window[-253:]  # the as-of session and the 252 before it
    highs = lows = 0
    for member in ref.members:
        closes = [usable_on(ref, member, d) for d in days]
        if len(days) < 253 or any(c is None for c in closes):
            continue
        highs += closes[-1] >= max(closes)  # type: ignore[type-var,operator]
        lows += closes[-1] <= min(closes)  # type: ignore[type-var,operator]
    return highs, lows


def ref_mcclellan(ref: Reference, window: list[str]) -> float:
    nets = []
    for i in range(1, len(window)):
        a, d, u = day_counts(ref, window[i - 1], window[i])
        if a + d + u:
            nets.append(a - d)
    fast = sum(nets[:19]) / 19
    for x in nets[19:]:
        fast += 0.10 * (x - fast)
    slow = sum(nets[:39]) / 39
    for x in nets[39:]:
        slow += 0.05 * (x - slow)
    return fast - slow


def ref_run(
    ref: Reference, a: str, b: str, window: list[str]
) -> tuple[str | None, int, str | None, str | None]:
    """(leader, length, start, longest_since) walking back from the as-of session."""
    leaders: list[str | None] = []  # per session from the second one on
    for i in range(1, len(window)):
        ra = ratio(close_on(ref, a, window[i]), close_on(ref, a, window[i - 1]))
        rb = ratio(close_on(ref, b, window[i]), close_on(ref, b, window[i - 1]))
        if ra is None or rb is None or ra == rb:
            leaders.append(None)
        else:
            leaders.append(a if ra > rb else b)
    leader = leaders[-1]
    if leader is None:
        return None, 0, None, None
    i = len(leaders) - 1
    while i >= 0 and leaders[i] == leader:
        i -= 1
    length = len(leaders) - 1 - i
    start = window[i + 2]
    # earlier runs of the same leader, most recent first
    while i >= 0:
        if leaders[i] != leader:
            i -= 1
            continue
        end = i
        while i >= 0 and leaders[i] == leader:
            i -= 1
        if end - i >= length:
            return leader, length, start, window[end + 1]
    return leader, length, start, None


# --- the checks ------------------------------------------------------------------------------


def test_index_closes_and_returns(case) -> None:
    as_of, m, ref, window = case
    out = m.to_dict()
    assert out["as_of"] == as_of
    for symbol in INDICES:
        expected = ref_returns(ref, symbol, window)
        got = out["indices"][symbol]
        assert got["close"] == expected["close"], symbol
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, rel=1e-12), (symbol, key)


def test_advancers_decliners_missing(case) -> None:
    _, m, ref, window = case
    a, d, u = day_counts(ref, window[-2], window[-1])
    b = m.breadth
    total = len(ref.members)
    assert (b.advancers, b.decliners, b.unchanged, b.missing) == (a, d, u, total - a - d - u)
    assert b.members_total == total == 503
    assert m.coverage.members_used == a + d + u
    missing = [
        s
        for s in ref.members
        if usable_on(ref, s, window[-1]) is None or usable_on(ref, s, window[-2]) is None
    ]
    assert list(m.coverage.members_missing) == sorted(missing)


def test_pct_above_averages(case) -> None:
    _, m, ref, window = case
    assert m.breadth.pct_above_50d == pytest.approx(ref_pct_above(ref, window, 50), abs=0)
    assert m.breadth.pct_above_200d == pytest.approx(ref_pct_above(ref, window, 200), abs=0)
    assert m.breadth.pct_above_20d == pytest.approx(ref_pct_above(ref, window, 20), abs=0)


def test_new_highs_and_lows(case) -> None:
    _, m, ref, window = case
    assert (m.breadth.new_highs, m.breadth.new_lows) == ref_highs_lows(ref, window)


def test_mcclellan_oscillator(case) -> None:
    _, m, ref, window = case
    assert m.breadth.mcclellan_oscillator == pytest.approx(ref_mcclellan(ref, window), rel=1e-9)


def test_size_and_style_runs(case) -> None:
    """Runs search the whole history of both series, not only the member window."""
    as_of, m, ref, _ = case
    everything = ref.upto(as_of)
    for (a, b), run in (
        (("^RUT", "^GSPC"), m.size_rotation.run),
        (("XLG", "RSP"), m.size_rotation.mega_vs_equal.run),
    ):
        leader, length, start, since = ref_run(ref, a, b, everything)
        got = (
            run.leader,
            run.length,
            run.start and run.start.isoformat(),
            run.longest_since and run.longest_since.isoformat(),
        )
        assert got == (leader, length, start, since), (a, b)


def test_sector_ranking(case) -> None:
    _, m, ref, window = case
    universe, _ = _config()
    r1 = {s: ref_returns(ref, s, window)["return_1d"] for s in universe.sectors}
    expected = sorted(universe.sectors, key=lambda s: -r1[s])  # all 11 have data here
    assert [row.symbol for row in m.sectors] == expected
    assert [row.rank_1d for row in m.sectors] == list(range(1, 12))
    for row in m.sectors:
        assert row.return_1d == pytest.approx(r1[row.symbol], rel=1e-12)
    assert list(m.sector_summary.leaders) == expected[:5]
    assert list(m.sector_summary.laggards) == expected[-3:]


def test_watchlist_averages(case) -> None:
    _, m, ref, window = case
    nvda = m.watchlist["NVDA"]
    for n, got in ((20, nvda.sma_20), (50, nvda.sma_50), (200, nvda.sma_200)):
        closes = [close_on(ref, "NVDA", d) for d in window[-n:]]
        assert got == pytest.approx(sum(closes) / n, rel=1e-12)  # type: ignore[arg-type]


def test_output_is_valid(case) -> None:
    _, m, _, _ = case
    validate(m.to_dict())


def test_known_quirks(marketdata: Path, reference: Reference) -> None:
    """SW counts from its second session after its last no-trade row (the listing); FISV is
    missing on its gap and on the session after it."""
    universe, metrics = _config()
    sessions = reference.sessions
    last_zero = max(d for d, (_, vol) in reference.rows["SW"].items() if vol == 0)
    listed = sessions[sessions.index(last_zero) + 1]
    after = sessions[sessions.index(listed) + 1]
    first = compute(load_panel(marketdata, listed), universe, metrics)
    second = compute(load_panel(marketdata, after), universe, metrics)
    assert "SW" in first.coverage.members_missing  # the day before had volume 0
    assert "SW" not in second.coverage.members_missing
    assert (
        "SW"
        in compute(load_panel(marketdata, last_zero), universe, metrics).coverage.members_missing
    )
    for day in ("2025-11-12", "2025-11-13"):
        gap = compute(load_panel(marketdata, day), universe, metrics)
        assert "FISV" in gap.coverage.members_missing, day
        assert gap.breadth.members_total == 503
