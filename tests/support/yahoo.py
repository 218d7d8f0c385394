"""Stand-ins for yfinance: a clock that moves only when slept on, and a download function
answering frames shaped like ``yf.download``'s from a script."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


class FakeClock:
    """Monotonic time that only moves when someone sleeps (or a fake download takes time)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def yf_frame(data: dict[str, dict[str, list[float]] | None], dates: list[str]) -> pd.DataFrame:
    """A frame shaped like ``yf.download``'s: columns (Price, Ticker), a failed ticker all NaN."""
    index = pd.DatetimeIndex(pd.to_datetime(dates), name="Date")
    parts = {}
    for sym, cols in data.items():
        if cols is None:
            cols = {c: [np.nan] * len(dates) for c in ("Close", "High", "Low", "Open", "Volume")}
        parts[sym] = pd.DataFrame(cols, index=index)
    frame = pd.concat(parts.values(), axis=1, keys=parts.keys(), names=["Ticker", "Price"])
    frame.columns = frame.columns.swaplevel(0, 1)
    return frame.sort_index(axis=1, level=0)


def bars(closes: list[float], volume: float = 1e6) -> dict[str, list[float]]:
    return {"Open": closes, "High": [c + 1 for c in closes], "Low": [c - 1 for c in closes],
            "Close": closes, "Volume": [volume] * len(closes)}


class FakeDownload:
    """Stands in for ``yf.download``: answers (or raises) from a script, records the calls."""

    def __init__(self, *answers: Any, clock: FakeClock | None = None, takes: float = 0.0):
        self.answers = list(answers)
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        self.clock, self.takes = clock, takes

    def __call__(self, tickers: list[str], **kwargs: Any) -> Any:
        self.calls.append((list(tickers), kwargs))
        if self.clock is not None:
            self.clock.now += self.takes
        answer = self.answers[0] if len(self.answers) == 1 else self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer(tickers) if callable(answer) else answer
