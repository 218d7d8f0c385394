"""The real data snapshot, read two ways.

``load_panel`` reads the CSVs with pandas into the production ``Panel``. ``Reference`` reads
them again with the csv module into plain dicts, for deliberately simple re-implementations of
the figures (plain loops over rows) that the tests compare against.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from reporter.config import load
from reporter.metrics import Metrics, compute
from reporter.model import Panel, SourceInfo

HISTORY = 1260  # sessions the production store keeps in view


@cache
def _frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Every CSV of the snapshot, wide by symbol: Close, Volume, High and Low."""
    columns: dict[str, dict[str, pd.Series]] = {"Close": {}, "Volume": {}, "High": {}, "Low": {}}
    for path in sorted((folder / "prices").glob("*.csv")):
        bars = pd.read_csv(path, index_col="Date", parse_dates=["Date"])
        for name, found in columns.items():
            if name in bars:
                found[path.stem] = bars[name].astype("float64")
    close = pd.DataFrame(columns["Close"]).sort_index()
    close.index.name = "Date"
    out = {"Close": close}
    for name in ("Volume", "High", "Low"):
        out[name] = pd.DataFrame(columns[name]).reindex(index=close.index)
    return out


@cache
def full_panel(folder: Path) -> Panel:
    """Every CSV of the snapshot: closes and volumes wide by symbol, members with sectors."""
    members = pd.read_csv(folder / "constituents.csv")
    members = members.rename(columns={"Security": "name", "GICS Sector": "sector"})
    members = members.set_index("Symbol")[["name", "sector"]]
    frames = _frames(folder)
    return Panel(
        frames["Close"], frames["Volume"], members,
        SourceInfo(name="csv", description=str(folder)),
    )


def day_range(folder: Path, as_of: str, members: pd.Index) -> pd.DataFrame:
    """The members' High and Low on ``as_of``, as the store hands them over."""
    frames = _frames(folder)
    day = pd.Timestamp(as_of)
    return pd.DataFrame(
        {name: frames[name].reindex(columns=members).loc[day] for name in ("High", "Low")},
        index=members,
    )


def load_panel(folder: Path, as_of: str, sessions: int = HISTORY) -> Panel:
    """The last ``sessions`` sessions up to ``as_of``, as the store would hand them over, the
    non-member series over their whole history up to ``as_of``, and the members' High and Low
    on ``as_of``."""
    full = full_panel(folder)
    close = full.close.loc[:as_of].iloc[-sessions:]
    volume = full.volume.loc[close.index]
    series = [c for c in full.close.columns if c not in full.members.index]
    history = full.close[series].loc[:as_of]
    history = history.loc[history.first_valid_index() :]
    last = str(close.index[-1].date())
    return Panel(
        close, volume, full.members, full.source, history_close=history,
        day_range=day_range(folder, last, full.members.index),
    )


@dataclass(eq=False)
class Reference:
    """Plain rows: ``rows[symbol][date] = (close, volume or None)``; ``sessions`` all dates."""

    rows: dict[str, dict[str, tuple[float, float | None]]]
    sessions: list[str]
    members: dict[str, str]  # symbol -> GICS sector
    ranges: dict[str, dict[str, tuple[float | None, float | None]]]  # (High, Low) by date

    def window(self, as_of: str, sessions: int = HISTORY) -> list[str]:
        upto = [d for d in self.sessions if d <= as_of]
        return upto[-sessions:]

    def upto(self, as_of: str) -> list[str]:
        """Every session of the data up to ``as_of``: the whole history."""
        return [d for d in self.sessions if d <= as_of]


@cache
def load_reference(folder: Path) -> Reference:
    rows: dict[str, dict[str, tuple[float, float | None]]] = {}
    ranges: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    dates: set[str] = set()
    for path in sorted((folder / "prices").glob("*.csv")):
        table: dict[str, tuple[float, float | None]] = {}
        span: dict[str, tuple[float | None, float | None]] = {}
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                vol = row.get("Volume")
                table[row["Date"]] = (float(row["Close"]), float(vol) if vol else None)
                high, low = row.get("High"), row.get("Low")
                span[row["Date"]] = (float(high) if high else None, float(low) if low else None)
        rows[path.stem] = table
        ranges[path.stem] = span
        dates.update(table)
    members: dict[str, str] = {}
    with (folder / "constituents.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            members[row["Symbol"]] = row["GICS Sector"]
    return Reference(rows=rows, sessions=sorted(dates), members=members, ranges=ranges)


@cache
def computed(folder: Path, as_of: str) -> Metrics:
    """The metrics of ``as_of`` on the snapshot, computed once per test session and shared by
    every real-data test module (a Metrics is never changed by a test)."""
    cfg = load()
    return compute(load_panel(folder, as_of), cfg.universe, cfg.metrics)
