"""A tiny market on disk to break: the embedded sample's data for every configured series and
two members per sector, written as CSV files; each test copies it and breaks one thing. A
configuration with a 300-session history keeps runs short.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LAST = "2026-02-06"  # the sample market's last session
SERIES = ("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX", "XLG", "RSP", "SPY", "IWM", "XLK", "XLF",
          "XLE", "XLV", "XLI", "XLP", "XLY", "XLU", "XLB", "XLRE", "XLC", "NVDA")
SMALL_CONFIG = """\
[universe]
indices = ["^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX"]
size = ["XLG", "RSP", "SPY", "IWM"]
watchlist = ["NVDA"]
[metrics]
history_sessions = 300
"""


def write_market(root: Path, per_sector: int = 2) -> list[str]:
    """Write the tiny market into ``root``; returns the member symbols."""
    from reporter.sources.sample import SampleSource

    src = SampleSource()
    cons = src.constituents()
    members = cons[~cons["Symbol"].isin(SERIES)].groupby("GICS Sector", sort=True).head(per_sector)
    symbols = [*SERIES, *members["Symbol"]]
    (root / "prices").mkdir(parents=True)
    for sym, frame in src.fetch(symbols, None, None).items():
        frame.to_csv(root / "prices" / f"{sym}.csv", date_format="%Y-%m-%d", float_format="%.4f")
    members.to_csv(root / "constituents.csv", index=False)
    return list(members["Symbol"])


@dataclass
class Market:
    """A private copy of the tiny market, with helpers to break it."""

    root: Path
    members: list[str]
    config: Path

    @property
    def source(self) -> str:
        return f"csv:{self.root}"

    def prices(self, symbol: str) -> Path:
        return self.root / "prices" / f"{symbol}.csv"

    def lines(self, symbol: str) -> list[str]:
        return self.prices(symbol).read_text("utf-8").splitlines()

    def set_lines(self, symbol: str, lines: list[str]) -> None:
        self.prices(symbol).write_text("\n".join(lines) + "\n", "utf-8")

    def edit_lines(self, symbol: str, change: Callable[[list[str]], list[str]]) -> None:
        self.set_lines(symbol, change(self.lines(symbol)))
