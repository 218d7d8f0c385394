"""Hand-made panels for the metrics tests, and the default universe."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reporter.config import MetricsConfig, UniverseConfig
from reporter.model import Panel, SourceInfo
from reporter.vocabulary import SECTOR_ETFS

SECTORS = tuple(SECTOR_ETFS.values())
UNIVERSE = UniverseConfig(
    indices=("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX"),
    size=("XLG", "RSP", "SPY", "IWM"),
    sectors=SECTORS,
    watchlist=("NVDA",),
)
METRICS = MetricsConfig(
    watch_return_sessions=3, milestone_steps={"^DJI": 1000, "^GSPC": 100, "^RUT": 100}
)

Column = Sequence[float | None]


def days(*dates: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(list(dates)), name="Date")


def business_days(start: str, n: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.bdate_range(start, periods=n), name="Date")


def frame(columns: Mapping[str, Column], index: pd.DatetimeIndex) -> pd.DataFrame:
    data = {k: [np.nan if v is None else float(v) for v in col] for k, col in columns.items()}
    return pd.DataFrame(data, index=index, dtype="float64")


def make_panel(
    index: pd.DatetimeIndex,
    close: Mapping[str, Column],
    *,
    volume: Mapping[str, Column] | None = None,
    sectors: Mapping[str, str] | None = None,
    valuations: pd.DataFrame | None = None,
) -> Panel:
    """A panel from plain lists. ``sectors`` maps member -> GICS sector; other columns are
    non-members. Volumes default to 1,000 for every row that has a close."""
    c = frame(close, index)
    vol = volume or {}
    v = frame(
        {
            k: vol.get(k, [1000.0 if x is not None else None for x in col])
            for k, col in close.items()
        },
        index,
    )
    members = pd.DataFrame(
        {"name": list(sectors or {}), "sector": list((sectors or {}).values())},
        index=pd.Index(list(sectors or {}), name="Symbol"),
    )
    return Panel(
        close=c,
        volume=v,
        members=members,
        source=SourceInfo(name="sample", description="hand-made test panel", is_sample=True),
        valuations=valuations,
    )
