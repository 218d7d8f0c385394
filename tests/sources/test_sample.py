"""The embedded sample market: fixed, protocol-shaped, and telling the story the report needs.

Expected figures are computed here with plain loops over the returned closes, never taken from
the generator's internals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import exchange_calendars as xcals
import numpy as np
import pandas as pd
import pytest

from reporter.errors import SourceError
from reporter.model import PRICE_COLUMNS
from reporter.sources import open_source
from reporter.sources import sample as sample_module
from reporter.sources.base import CONSTITUENT_COLUMNS, check_bars
from reporter.sources.sample import SampleSource
from reporter.vocabulary import SECTOR_ETFS

LAST = pd.Timestamp("2026-02-06")
SERIES = ["^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX", "XLG", "RSP", "SPY", "IWM",
          *SECTOR_ETFS.values(), "NVDA"]


@pytest.fixture(scope="module")
def src() -> SampleSource:
    return SampleSource()


@pytest.fixture(scope="module")
def series(src: SampleSource) -> dict[str, pd.DataFrame]:
    return src.fetch(SERIES, None, None)


@pytest.fixture(scope="module")
def members(src: SampleSource) -> pd.DataFrame:
    return src.constituents()


@pytest.fixture(scope="module")
def member_bars(src: SampleSource, members: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return src.fetch(list(members["Symbol"]), None, None)


def _closes_digest(frames: dict[str, pd.DataFrame]) -> str:
    h = hashlib.sha256()
    for sym in sorted(frames):
        h.update(sym.encode())
        h.update(frames[sym]["Close"].to_numpy().tobytes())
        h.update(frames[sym]["Volume"].to_numpy().tobytes())
    return h.hexdigest()


def _one_day_returns(closes: list[float]) -> list[float]:
    return [closes[i] / closes[i - 1] - 1 for i in range(1, len(closes))]


# --- determinism -------------------------------------------------------------------------------


def test_two_fresh_generations_are_identical() -> None:
    first = sample_module._generate.__wrapped__()
    second = sample_module._generate.__wrapped__()
    assert list(first.bars) == list(second.bars)
    digest = [
        _closes_digest({s: pd.DataFrame(m.bars[s][1], columns=PRICE_COLUMNS) for s in m.bars})
        for m in (first, second)
    ]
    assert digest[0] == digest[1]
    pd.testing.assert_frame_equal(first.members, second.members)


#: Recorded once by running the generator. It guards determinism across machines and days
#: (names, random draws, rounding), not correctness: the other tests check what numbers mean.
RECORDED_SLICE_DIGEST = "fea2bdaeab7c36cb"


def test_a_recorded_slice_is_the_same_on_every_machine(
    series: dict[str, pd.DataFrame],
    members: pd.DataFrame,
    member_bars: dict[str, pd.DataFrame],
) -> None:
    day = pd.Timestamp("2024-06-14")
    picked = members["Symbol"].iloc[::100].tolist()
    parts = [f"{s}:{member_bars[s].loc[day, 'Close']:.2f}/{member_bars[s].loc[day, 'Volume']:.0f}"
             for s in picked]
    parts += [f"{s}:{series[s].loc[day, 'Close']:.2f}" for s in ("^VIX", "XLK", "^IXIC")]
    text = ";".join(parts)
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == RECORDED_SLICE_DIGEST, text


# --- calendar and shape ------------------------------------------------------------------------


def test_every_series_ends_on_the_fixed_last_session(
    series: dict[str, pd.DataFrame], member_bars: dict[str, pd.DataFrame]
) -> None:
    for frames in (series, member_bars):
        for sym, frame in frames.items():
            assert frame.index[-1] == LAST, sym


def test_indices_cover_every_nyse_session_of_about_three_years(
    series: dict[str, pd.DataFrame],
) -> None:
    cal = xcals.get_calendar("XNYS", start="2020-01-02")
    idx = series["^GSPC"].index
    expected = cal.sessions_in_range(idx[0], LAST)
    expected = pd.DatetimeIndex(expected).tz_localize(None) if expected.tz else expected
    assert list(idx) == list(expected)
    assert 2.8 <= (idx[-1] - idx[0]).days / 365.25 <= 3.3
    for sym, frame in series.items():
        assert frame.index.equals(idx), sym


def test_every_member_row_is_an_nyse_session(member_bars: dict[str, pd.DataFrame]) -> None:
    cal = xcals.get_calendar("XNYS", start="2020-01-02")
    all_days = pd.DatetimeIndex([]).append([f.index for f in member_bars.values()]).unique()
    assert all(cal.is_session(day) for day in all_days)


def test_frames_have_the_protocol_shape(
    series: dict[str, pd.DataFrame], member_bars: dict[str, pd.DataFrame]
) -> None:
    for frames in (series, member_bars):
        for sym, frame in frames.items():
            assert isinstance(frame.index, pd.DatetimeIndex), sym
            assert frame.index.tz is None and frame.index.name == "Date", sym
            assert frame.index.is_monotonic_increasing and frame.index.is_unique, sym
            assert tuple(frame.columns) == PRICE_COLUMNS, sym
            assert all(frame[c].dtype == np.float64 for c in PRICE_COLUMNS), sym
            _, warnings = check_bars(sym, frame, "sample")
            assert warnings == [], sym


def test_closes_positive_and_ohlc_consistent(
    series: dict[str, pd.DataFrame], member_bars: dict[str, pd.DataFrame]
) -> None:
    for frames in (series, member_bars):
        for sym, f in frames.items():
            o, h, lo, c, v = (f[col].to_numpy() for col in PRICE_COLUMNS)
            assert np.isfinite(f.to_numpy()).all(), sym
            assert (c > 0).all() and (lo > 0).all(), sym
            assert (lo <= np.minimum(o, c)).all() and (h >= np.maximum(o, c)).all(), sym
            assert (v >= 0).all() and (v == np.round(v)).all(), sym


# --- members -----------------------------------------------------------------------------------


def test_members_count_sectors_and_names(members: pd.DataFrame) -> None:
    assert tuple(members.columns) == CONSTITUENT_COLUMNS
    assert 480 <= len(members) <= 520
    assert members["Symbol"].is_unique and members["Security"].is_unique
    counts = members["GICS Sector"].value_counts()
    assert set(counts.index) == set(SECTOR_ETFS)
    assert (counts / len(members)).between(0.03, 0.20).all(), counts
    nvda = members[members["Symbol"] == "NVDA"]
    assert nvda["GICS Sector"].tolist() == ["Information Technology"]
    invented = members[members["Symbol"] != "NVDA"]["Symbol"]
    assert invented.str.fullmatch(r"[A-Z]{3,4}").all()
    reserved = {"^GSPC", "XLG", "RSP", "SPY", "IWM", *SECTOR_ETFS.values()}
    assert not reserved & set(members["Symbol"])


def test_constituents_are_a_copy(src: SampleSource) -> None:
    first = src.constituents()
    first.loc[0, "Symbol"] = "CHANGED"
    assert "CHANGED" not in set(src.constituents()["Symbol"])


def test_invented_tickers_are_not_real_index_members(
    members: pd.DataFrame, marketdata: Path
) -> None:
    real = pd.read_csv(marketdata / "constituents.csv")
    assert set(members["Symbol"]) & set(real["Symbol"]) == {"NVDA"}
    assert not set(members["Security"]) & set(real["Security"])


def test_member_volumes_are_realistic(member_bars: dict[str, pd.DataFrame]) -> None:
    traded = np.concatenate([f["Volume"].to_numpy() for f in member_bars.values()])
    traded = traded[traded > 0]
    assert traded.min() >= 1e6 and traded.max() <= 5e7
    assert 3e6 <= np.median(traded) <= 1.5e7


def test_mid_period_listings_have_no_rows_before_listing(
    src: SampleSource, member_bars: dict[str, pd.DataFrame]
) -> None:
    first_day = member_bars["NVDA"].index[0]
    late = {s: f.index[0] for s, f in member_bars.items() if f.index[0] > first_day}
    assert len(late) >= 2
    for sym, listed in late.items():
        frame = member_bars[sym]
        assert (frame.index >= listed).all()
        assert (frame["Volume"] > 0).all(), sym
        with pytest.raises(SourceError, match=sym.replace("^", r"\^")):
            src.fetch([sym], None, (listed - pd.Timedelta(days=1)).date())


def test_one_member_has_zero_volume_rows_before_it_traded(
    member_bars: dict[str, pd.DataFrame],
) -> None:
    zero = {s: f for s, f in member_bars.items() if (f["Volume"] == 0).any()}
    assert len(zero) == 1
    frame = next(iter(zero.values()))
    vol = frame["Volume"].to_numpy()
    first_trade = int(np.argmax(vol > 0))
    assert first_trade > 0 and (vol[:first_trade] == 0).all() and (vol[first_trade:] > 0).all()


def test_one_member_misses_a_single_session(member_bars: dict[str, pd.DataFrame]) -> None:
    full = member_bars["NVDA"].index
    gaps = {}
    for sym, frame in member_bars.items():
        missing = full[(full >= frame.index[0])].difference(frame.index)
        if len(missing):
            gaps[sym] = list(missing)
    assert len(gaps) == 1 and len(next(iter(gaps.values()))) == 1


# --- the story ---------------------------------------------------------------------------------


def test_index_levels_are_realistic_at_the_last_session(series: dict[str, pd.DataFrame]) -> None:
    last = {s: series[s]["Close"].iloc[-1] for s in SERIES}
    assert 6900 <= last["^GSPC"] <= 7000
    assert 49000 <= last["^DJI"] <= 50500
    assert 22000 <= last["^IXIC"] <= 24000
    assert 2500 <= last["^RUT"] <= 2750
    assert 12 <= last["^VIX"] <= 30
    assert last["SPY"] == pytest.approx(last["^GSPC"] / 10, rel=0.002)
    assert last["IWM"] == pytest.approx(last["^RUT"] / 10, rel=0.01)


def test_spy_and_iwm_track_their_indices(series: dict[str, pd.DataFrame]) -> None:
    spy = series["SPY"]["Close"] / series["^GSPC"]["Close"] * 10
    iwm = series["IWM"]["Close"] / series["^RUT"]["Close"] * 10
    assert spy.between(0.995, 1.005).all()
    assert iwm.between(0.99, 1.01).all()


def test_dow_first_close_above_50000_is_on_the_last_session(
    series: dict[str, pd.DataFrame],
) -> None:
    closes = series["^DJI"]["Close"].tolist()
    first_above = None
    for i, value in enumerate(closes):
        if value > 50000:
            first_above = i
            break
    assert first_above == len(closes) - 1


def test_small_caps_beat_large_caps_for_a_multi_week_run(series: dict[str, pd.DataFrame]) -> None:
    rut = _one_day_returns(series["^RUT"]["Close"].tolist())
    spx = _one_day_returns(series["^GSPC"]["Close"].tolist())
    run = 0
    for i in range(len(rut) - 1, -1, -1):
        if rut[i] > spx[i]:
            run += 1
        else:
            break
    assert run >= 10
    assert run == sample_module.SMALL_CAP_RUN


def test_vix_mean_reverts_spikes_in_the_sell_off_and_moves_against_the_market(
    series: dict[str, pd.DataFrame],
) -> None:
    vix = series["^VIX"]["Close"]
    assert vix.min() >= 9 and vix.max() <= 50
    assert vix.between(12, 40).mean() > 0.9
    assert vix.loc["2025-03-01":"2025-04-30"].max() > 35
    assert vix.loc["2025-07-01":].median() < 20
    spx = series["^GSPC"]["Close"].pct_change().iloc[1:]
    assert np.corrcoef(vix.pct_change().iloc[1:], spx)[0, 1] < -0.5


def test_a_sell_off_then_a_broad_rally(
    series: dict[str, pd.DataFrame], member_bars: dict[str, pd.DataFrame]
) -> None:
    spx = series["^GSPC"]["Close"]
    peak = spx.loc["2025-01-01":"2025-03-01"].max()
    trough = spx.loc["2025-03-01":"2025-05-31"].min()
    assert trough / peak - 1 <= -0.15
    assert spx.loc["2025-10-31"] / trough - 1 >= 0.30
    rallied = 0
    counted = 0
    for frame in member_bars.values():
        c = frame["Close"]
        if pd.Timestamp("2025-04-15") in c.index and pd.Timestamp("2025-10-31") in c.index:
            counted += 1
            rallied += c.loc["2025-10-31"] > c.loc["2025-04-15"]
    assert rallied / counted > 0.75


def test_sector_etfs_move_with_their_members(
    series: dict[str, pd.DataFrame],
    members: pd.DataFrame,
    member_bars: dict[str, pd.DataFrame],
) -> None:
    mean_ret = {}
    for sector in SECTOR_ETFS:
        syms = members.loc[members["GICS Sector"] == sector, "Symbol"]
        closes = pd.DataFrame({s: member_bars[s]["Close"] for s in syms})
        mean_ret[sector] = closes.pct_change(fill_method=None).mean(axis=1).iloc[1:]
    for sector, etf in SECTOR_ETFS.items():
        etf_ret = series[etf]["Close"].pct_change().iloc[1:]
        corr = {other: np.corrcoef(ret, etf_ret)[0, 1] for other, ret in mean_ret.items()}
        # Cap-weighted ETFs dominated by a few giants follow their average member less closely,
        # but always more closely than any other sector's.
        assert corr[sector] > 0.7, etf
        assert corr[sector] == max(corr.values()), etf


def test_rsp_is_the_equal_weight_average_of_the_members(
    series: dict[str, pd.DataFrame], member_bars: dict[str, pd.DataFrame]
) -> None:
    closes = pd.DataFrame({s: f["Close"].where(f["Volume"] > 0) for s, f in member_bars.items()})
    mean_ret = closes.pct_change(fill_method=None).mean(axis=1).iloc[1:]
    rsp_ret = series["RSP"]["Close"].pct_change().iloc[1:]
    assert (mean_ret - rsp_ret).abs().max() < 0.002


def test_sector_leadership_changes_from_january_to_february(
    series: dict[str, pd.DataFrame],
) -> None:
    def month_returns(start: str, end: str) -> dict[str, float]:
        return {
            etf: series[etf]["Close"].loc[end] / series[etf]["Close"].loc[start] - 1
            for etf in SECTOR_ETFS.values()
        }

    january = month_returns("2025-12-31", "2026-01-30")
    february = month_returns("2026-01-30", "2026-02-06")
    jan_leader = max(january, key=january.__getitem__)
    feb_ranked = sorted(february.values(), reverse=True)
    feb_leader = max(february, key=february.__getitem__)
    assert jan_leader != feb_leader
    assert feb_ranked[0] - feb_ranked[1] >= 0.01  # a clear leader
    assert feb_ranked[0] - feb_ranked[-1] >= 0.05  # and a clear laggard


def test_mega_caps_and_equal_weight_differ(series: dict[str, pd.DataFrame]) -> None:
    xlg = series["XLG"]["Close"]
    rsp = series["RSP"]["Close"]
    assert xlg.iloc[-1] / xlg.iloc[0] - 1 > rsp.iloc[-1] / rsp.iloc[0] - 1 + 0.1
    # In the recent rotation equal weight leads.
    assert rsp.iloc[-1] / rsp.loc["2025-12-31"] > xlg.iloc[-1] / xlg.loc["2025-12-31"]


# --- protocol behaviour ------------------------------------------------------------------------


def test_unknown_symbol_raises_source_error_naming_it(src: SampleSource) -> None:
    with pytest.raises(SourceError, match=r"NOPE") as info:
        src.fetch(["^GSPC", "NOPE"], None, None)
    assert "\n" not in str(info.value)
    assert src.version("NOPE") is None


def test_fetch_window_is_inclusive(src: SampleSource) -> None:
    got = src.fetch(["^GSPC", "NVDA"], dt.date(2026, 1, 2), dt.date(2026, 1, 9))
    for frame in got.values():
        assert [d.date().isoformat() for d in frame.index] == [
            "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09",
        ]


def test_fetch_outside_the_sample_raises(src: SampleSource) -> None:
    with pytest.raises(SourceError, match=r"\^GSPC"):
        src.fetch(["^GSPC"], dt.date(2026, 2, 9), dt.date(2026, 2, 13))


def test_fetched_frames_are_copies(src: SampleSource) -> None:
    frame = src.fetch(["SPY"], None, None)["SPY"]
    frame.iloc[-1, 3] = -1.0
    assert src.fetch(["SPY"], None, None)["SPY"]["Close"].iloc[-1] > 0


def test_version_is_a_constant_token(src: SampleSource, members: pd.DataFrame) -> None:
    tokens = {src.version(s) for s in [*SERIES, *members["Symbol"]]}
    assert len(tokens) == 1
    token = tokens.pop()
    assert isinstance(token, str) and token.startswith("sample-")


def test_valuations_give_small_caps_a_discount(src: SampleSource) -> None:
    table = src.valuations(["IWM", "SPY"])
    assert table is not None
    assert list(table.columns) == ["Date", "Symbol", "TrailingPE"]
    pe = dict(zip(table["Symbol"], table["TrailingPE"], strict=True))
    assert 17 <= pe["IWM"] <= 19
    assert 26 <= pe["SPY"] <= 28
    assert (pd.to_datetime(table["Date"]) == LAST).all()
    only_spy = src.valuations(["SPY"])
    assert only_spy is not None and only_spy["Symbol"].tolist() == ["SPY"]


def test_source_info_and_opening_by_name(tmp_path: Path) -> None:
    source = open_source("sample", cache_dir=tmp_path)
    assert isinstance(source, SampleSource)
    assert source.info.name == "sample" and source.info.is_sample
    assert source.info.description == "Sample market (generated, not real data)"
