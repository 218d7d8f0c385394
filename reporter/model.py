"""Typed data passed between the pipeline stages. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

PRICE_COLUMNS = ("Open", "High", "Low", "Close", "Volume")


@dataclass(frozen=True)
class SourceInfo:
    """Where the data came from, for the data-and-method section."""

    name: str  # "yahoo" | "csv" | "sample"
    description: str  # e.g. "Yahoo Finance via yfinance" or the CSV folder
    is_sample: bool = False
    retrieved_at: str | None = None  # ISO timestamp of the last fetch, if known


@dataclass(frozen=True)
class Panel:
    """The whole price history the metrics need, one column per symbol.

    ``close`` and ``volume`` share one index: NYSE sessions (tz-naive ``DatetimeIndex`` named
    ``Date``, ascending, unique), ending on the as-of session. A symbol without a row on a session
    has NaN there. ``members`` is indexed by symbol with columns ``name`` and ``sector`` (GICS).
    ``valuations`` has columns ``Date, Symbol, TrailingPE`` or is None when the source has none.
    ``history_close``: the non-member series' closes over their whole stored history (NYSE
    sessions from their first row, ending on the as-of session), for the figures that search
    the record; None when the window in ``close`` is all the history there is.
    ``day_range``: the members' High and Low on the as-of session (indexed by symbol, columns
    ``High`` and ``Low``, NaN where not stored); None when the source gave none.
    """

    close: pd.DataFrame
    volume: pd.DataFrame
    members: pd.DataFrame
    source: SourceInfo
    valuations: pd.DataFrame | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    history_close: pd.DataFrame | None = None
    day_range: pd.DataFrame | None = None

    @property
    def as_of(self) -> pd.Timestamp:
        return self.close.index[-1]


@dataclass(frozen=True)
class RenderedText:
    """The localised sentences of one edition, produced by the insights stage for the renderer."""

    locale: str  # "zh-CN" | "en-US"
    tone_label: str
    key_points: tuple[str, ...]
    insights: tuple[str, ...]
    risks: tuple[str, ...]  # each with the trigger that would confirm or invalidate it
    opportunities: tuple[str, ...]
    tags: tuple[str, ...]
    headline: str = ""  # the day's story in one sentence (empty: none, an older report)
    summary: tuple[str, ...] = ()  # three to five sentences: the thesis
    week: tuple[str, ...] = ()  # the five sessions to today; the week in review on its last
    story: str = ""  # the story's name
    warnings: tuple[str, ...] = ()  # report.json's data warnings in this language
