"""The interface every data source implements, and the checks applied to what it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from reporter.errors import DataError
from reporter.model import PRICE_COLUMNS, SourceInfo

CONSTITUENT_COLUMNS = ("Symbol", "Security", "GICS Sector")


class Source(Protocol):
    """A provider of daily bars, index members and (optionally) valuations."""

    info: SourceInfo

    def constituents(self) -> pd.DataFrame:
        """Index members: columns ``Symbol, Security, GICS Sector`` (yfinance spelling)."""
        ...

    def version(self, symbol: str) -> str | None:
        """A token that changes whenever the symbol's stored history may be stale.

        ``None`` means the source cannot tell (live data): the store then asks for the sessions
        it lacks. A CSV folder answers with the file's size and mtime, the sample with its seed.
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


def check_bars(symbol: str, frame: pd.DataFrame, origin: str) -> tuple[pd.DataFrame, list[str]]:
    """Normalise a symbol's bars and check them.

    Errors (raise DataError naming ``origin`` and the date): duplicate dates, a close that is not
    positive and finite. Warnings (returned): open/high/low inconsistent with each other.
    Rows without a close are dropped (the symbol is missing on that session).
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
        day = out.index[bad.argmax()].date()
        raise DataError(f"{origin}: close of {symbol} on {day} is not a positive number")
    warnings: list[str] = []
    o, h, lo = out["Open"], out["High"], out["Low"]
    incons = (h < lo) | (h < o) | (h < out["Close"]) | (lo > o) | (lo > out["Close"])
    if incons.any():
        first = out.index[incons.to_numpy().argmax()].date()
        warnings.append(
            f"{origin}: {int(incons.sum())} row(s) of {symbol} with open/high/low inconsistent "
            f"with each other (first {first})"
        )
    return out, warnings
