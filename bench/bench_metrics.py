"""Time the metrics stage on the real data snapshot: all members over ~1,260 sessions.

Run: ``.venv/bin/python bench/bench_metrics.py [--runs N] [--sessions N]``. Reads the folder in
REPORTER_MARKETDATA (default ``../shared/marketdata``), builds the panel once, then prints the
median (and min/max) wall time of ``compute()`` over several runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reporter.config import load  # noqa: E402
from reporter.metrics import compute  # noqa: E402
from reporter.model import Panel, SourceInfo  # noqa: E402


def load_panel(folder: Path, sessions: int) -> Panel:
    """The last ``sessions`` sessions of every CSV in ``folder/prices`` as one panel."""
    members = pd.read_csv(folder / "constituents.csv")
    members = members.rename(columns={"Security": "name", "GICS Sector": "sector"})
    members = members.set_index("Symbol")[["name", "sector"]]
    closes: dict[str, pd.Series] = {}
    volumes: dict[str, pd.Series] = {}
    for path in sorted((folder / "prices").glob("*.csv")):
        frame = pd.read_csv(path, index_col="Date", parse_dates=["Date"])
        closes[path.stem] = frame["Close"]
        if "Volume" in frame:
            volumes[path.stem] = frame["Volume"].astype("float64")
    close = pd.DataFrame(closes).sort_index().iloc[-sessions:]
    close.index.name = "Date"
    volume = pd.DataFrame(volumes).reindex(index=close.index)
    source = SourceInfo(name="csv", description=str(folder))
    return Panel(close=close, volume=volume, members=members, source=source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=1260)
    args = parser.parse_args()
    folder = Path(os.environ.get("REPORTER_MARKETDATA", REPO.parent / "shared" / "marketdata"))
    if not (folder / "prices").is_dir():
        sys.exit(f"real market data not found at {folder} (set REPORTER_MARKETDATA)")
    config = load()
    panel = load_panel(folder, args.sessions)
    compute(panel, config.universe, config.metrics)  # warm-up: imports, caches
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        compute(panel, config.universe, config.metrics)
        times.append(time.perf_counter() - start)
    n_members = len(panel.members)
    print(
        f"compute(): {n_members} members, {len(panel.close.columns)} symbols, "
        f"{len(panel.close)} sessions ({panel.close.index[0].date()} to "
        f"{panel.close.index[-1].date()})"
    )
    print(
        f"median {statistics.median(times) * 1000:.1f} ms over {args.runs} runs "
        f"(min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
