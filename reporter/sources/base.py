"""The interface every data source implements, and the checks applied to what it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from reporter.errors import DataError
from reporter.model import PRICE_COLUMNS, SourceInfo
from reporter.vocabulary import DATA_WARNINGS

CONSTITUENT_COLUMNS = ("Symbol", "Security", "GICS Sector")
#: The version of a symbol a versioned source does not have (a CSV file that is gone): the
#: store forgets what it held for it, so a warm store reports it missing as an empty one would.
ABSENT = "absent"

# Plausibility, checked where data enters (documented in the README). No listed share, ETF or
# index has closed near a billion in any currency unit; the largest daily move in the real
# snapshot is x2.16 (the VIX, February 2018) and the largest fall x0.47. A close above
# MAX_CLOSE, or more than MAX_JUMP times (or less than 1/MAX_JUMP of) the symbol's previous
# close, is a unit, decimal-point or typing error (or an unadjusted split), not a market move.
MAX_CLOSE = 1e9
MAX_JUMP = 50.0
#: Shares traded in one session: the busiest index in the snapshot reaches 1.6e10.
MAX_VOLUME = 1e13
#: Trailing P/E beyond this many years of earnings is an error, not a valuation.
MAX_PE = 1e5


class Source(Protocol):
    """A provider of daily bars, index members and (optionally) valuations."""

    info: SourceInfo

    def constituents(self) -> pd.DataFrame:
        """Index members: columns ``Symbol, Security, GICS Sector`` (yfinance spelling)."""
        ...

    def version(self, symbol: str) -> str | None:
        """A token that changes whenever the symbol's stored history may be stale.

        ``None`` means the source cannot tell (live data): the store then asks for the sessions
        it lacks. A CSV folder answers with the file's content hash (``ABSENT`` when the file
        is gone), the sample with its generator's version.
        """
        ...

    def fetch(
        self, symbols: Sequence[str], start: dt.date | None, end: dt.date | None
    ) -> dict[str, pd.DataFrame]:
        """Daily bars for each symbol, ``start``..``end`` inclusive (None: all available).

        Each frame: tz-naive ``DatetimeIndex`` named ``Date`` (ascending, unique), float columns
        ``Open, High, Low, Close, Volume`` (NaN where the source has none). Raises SourceError
        naming every symbol for which nothing came back.
        """
        ...

    def valuations(self, symbols: Sequence[str]) -> pd.DataFrame | None:
        """Trailing P/E: columns ``Date, Symbol, TrailingPE``; None when the source has none."""
        ...


def empty_bars() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in PRICE_COLUMNS})
    frame.index = pd.DatetimeIndex([], name="Date")
    return frame


def plausible_pe(values: np.ndarray) -> np.ndarray:
    """Which trailing P/E values are finite and within ``MAX_PE`` of zero."""
    return np.isfinite(values) & (np.abs(values) < MAX_PE)


def check_bars(symbol: str, frame: pd.DataFrame, origin: str) -> tuple[pd.DataFrame, list[str]]:
    """Normalise a symbol's bars and check them where they enter.

    Errors (raise DataError naming ``origin``, the symbol and the date): duplicate dates, a
    close that is not positive and finite, an implausible close (above ``MAX_CLOSE``, or a jump
    of more than ``MAX_JUMP`` times from the previous close), a volume that is negative or
    implausible. Warnings (returned, naming the symbol, never ``origin``: they go into
    reports): open/high/low inconsistent with each other. Rows without a close are dropped
    (the symbol is missing on that session).
    """
    out = frame.copy()
    for col in PRICE_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan
    out = out[list(PRICE_COLUMNS)].astype("float64")
    idx = pd.DatetimeIndex(out.index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    out.index = idx.normalize().rename("Date")
    dup = out.index[out.index.duplicated()]
    if len(dup):
        raise DataError(f"{origin}: duplicate date {dup[0].date()} for {symbol}")
    out = out.sort_index()
    out = out[out["Close"].notna()]
    close = out["Close"].to_numpy()
    bad = ~np.isfinite(close) | (close <= 0)
    if bad.any():
        day = out.index[int(bad.argmax())].date()
        raise DataError(f"{origin}: close of {symbol} on {day} is not a positive number")
    _check_plausible(symbol, out, origin)
    warnings: list[str] = []
    o, h, lo = out["Open"], out["High"], out["Low"]
    incons = (h < lo) | (h < o) | (h < out["Close"]) | (lo > o) | (lo > out["Close"])
    if incons.any():
        first = out.index[int(incons.to_numpy().argmax())].date()
        warnings.append(DATA_WARNINGS["ohlc"].text(
            symbol=symbol, count=int(incons.sum()), first=first))
    return out, warnings


def _check_plausible(symbol: str, bars: pd.DataFrame, origin: str) -> None:
    close = bars["Close"].to_numpy()
    days = bars.index
    high = close > MAX_CLOSE
    if high.any():
        i = int(high.argmax())
        raise DataError(f"{origin}: close {close[i]:.10g} of {symbol} on {days[i].date()} is "
                        f"implausible (above {MAX_CLOSE:,.0f})")
    if len(close) > 1:
        ratio = close[1:] / close[:-1]
        jump = (ratio > MAX_JUMP) | (ratio < 1 / MAX_JUMP)
        if jump.any():
            i = int(jump.argmax())
            r = ratio[i]
            size = f"{r:.0f} times" if r > 1 else f"1/{1 / r:.0f} of"
            raise DataError(
                f"{origin}: close {close[i + 1]:.10g} of {symbol} on {days[i + 1].date()} is "
                f"implausible: {size} the close {close[i]:.10g} of {days[i].date()}"
            )
    volume = bars["Volume"].to_numpy()
    bad = (volume < 0) | (volume > MAX_VOLUME)  # NaN (no volume given) passes
    if bad.any():
        i = int(bad.argmax())
        why = "negative" if volume[i] < 0 else f"implausible (above {MAX_VOLUME:,.0f})"
        raise DataError(f"{origin}: volume {volume[i]:.10g} of {symbol} on {days[i].date()} "
                        f"is {why}")
