import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reporter.errors import StoreError
from reporter.store import Store


def bars(dates: list[str], closes: list[float], volume: float = 1000.0) -> pd.DataFrame:
    idx = pd.DatetimeIndex(pd.to_datetime(dates), name="Date")
    c = np.array(closes, dtype=float)
    return pd.DataFrame(
        {"Open": c, "High": c, "Low": c, "Close": c, "Volume": np.full(len(c), volume)}, index=idx
    )


def test_write_then_read_wide(tmp_path: Path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write(
            {"AAA": bars(["2025-01-02", "2025-01-03"], [1, 2]), "BBB": bars(["2025-01-03"], [5])},
            {"AAA": "v1", "BBB": "v1"},
            replace_from={"AAA": None, "BBB": None},
        )
        close, volume = store.read_wide(["AAA", "BBB", "CCC"], None, None)
    assert list(close.columns) == ["AAA", "BBB", "CCC"]
    assert close.loc["2025-01-02", "AAA"] == 1 and np.isnan(close.loc["2025-01-02", "BBB"])
    assert close["CCC"].isna().all()
    assert volume.loc["2025-01-03", "BBB"] == 1000


def test_read_wide_of_high_and_low_as_read_range_per_day(tmp_path: Path):
    """A backfill reads the High/Low of many sessions at once: each day as read_range."""
    aaa = bars(["2025-01-02", "2025-01-03"], [10, 20])
    aaa["High"], aaa["Low"] = [11.0, 21.0], [9.0, 19.0]
    with Store(tmp_path / "s.duckdb") as store:
        store.write({"AAA": aaa, "BBB": bars(["2025-01-03"], [5])}, {"AAA": "v1", "BBB": "v1"},
                    replace_from={"AAA": None, "BBB": None})
        high, low = store.read_wide(["BBB", "AAA"], dt.date(2025, 1, 2), dt.date(2025, 1, 3),
                                    ("high", "low"))
        assert high.loc["2025-01-02", "AAA"] == 11 and np.isnan(high.loc["2025-01-02", "BBB"])
        assert (high.loc["2025-01-03", "AAA"], low.loc["2025-01-03", "AAA"]) == (21, 19)
        for day in (dt.date(2025, 1, 2), dt.date(2025, 1, 3)):
            one = store.read_range(["AAA", "BBB"], day)
            ts = pd.Timestamp(day)
            assert one["High"].tolist() == pytest.approx(high.loc[ts].tolist(), nan_ok=True)
            assert one["Low"].tolist() == pytest.approx(low.loc[ts].tolist(), nan_ok=True)
        with pytest.raises(ValueError, match="unknown bar fields"):
            store.read_wide(["AAA"], None, None, ("close", "high; DROP TABLE bars"))


def test_replace_from_keeps_older_rows_and_states_track_range(tmp_path: Path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write({"AAA": bars(["2025-01-02", "2025-01-03", "2025-01-06"], [1, 2, 3])},
                    {"AAA": None}, replace_from={"AAA": None})
        store.write({"AAA": bars(["2025-01-06", "2025-01-07"], [30, 40])}, {"AAA": None},
                    replace_from={"AAA": dt.date(2025, 1, 6)})
        s = store.closes("AAA", dt.date(2025, 1, 1))
        state = store.states()["AAA"]
    assert s.tolist() == [1, 2, 30, 40]
    assert (state.first_date, state.last_date) == (dt.date(2025, 1, 2), dt.date(2025, 1, 7))


def test_a_failed_write_changes_nothing(tmp_path: Path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write({"AAA": bars(["2025-01-02"], [1])}, {"AAA": "v1"}, replace_from={"AAA": None})
        broken = bars(["2025-01-02", "2025-01-03"], [7, 8])
        broken.loc[pd.Timestamp("2025-01-03"), "Close"] = np.nan  # violates NOT NULL mid-write
        with pytest.raises(StoreError):
            store.write({"AAA": broken}, {"AAA": "v2"}, replace_from={"AAA": None})
        assert store.closes("AAA", dt.date(2025, 1, 1)).tolist() == [1]
        assert store.states()["AAA"].version == "v1"


def test_a_second_writer_waits_then_says_who_holds_the_store(tmp_path: Path):
    import subprocess
    import sys

    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(20)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="held by another run"):
            Store(path, lock_timeout=0.5)
    finally:
        holder.kill()
        holder.wait()
    Store(path, lock_timeout=5).close()  # free again once the holder is gone


def test_a_corrupt_store_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "s.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="s.duckdb"):
        Store(path)


def test_kill_9_during_writes_leaves_a_consistent_store(tmp_path: Path):
    """A writer killed mid-transaction: the store opens, and every symbol's recorded range
    matches its rows (each write is all or nothing)."""
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "s.duckdb"
    script = f"""
import numpy as np, pandas as pd, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from reporter.store import Store
idx = pd.DatetimeIndex(pd.bdate_range("2000-01-03", periods=3000), name="Date")
with Store({str(path)!r}) as store:
    i = 0
    while True:
        c = np.full(len(idx), float(i + 1))
        frames = {{f"S{{k}}": pd.DataFrame({{"Open": c, "High": c, "Low": c, "Close": c,
                  "Volume": c}}, index=idx) for k in range(20)}}
        store.write(frames, {{s: str(i) for s in frames}}, replace_from={{s: None for s in frames}})
        print(i, flush=True)
        i += 1
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "0"
        proc.stdout.readline()
        time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with Store(path) as store:
        states = store.states()
        counts = dict(store.con.execute(
            "SELECT symbol, count(*) FROM bars GROUP BY symbol").fetchall())
        distinct = store.con.execute("SELECT count(DISTINCT close) FROM bars").fetchone()[0]
        versions = {s.version for s in states.values()}
    assert len(states) == 20 and set(counts.values()) == {3000}
    assert distinct == 1 and len(versions) == 1  # one whole generation, never a mix
