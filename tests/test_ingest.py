import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reporter import calendar
from reporter.errors import MissingSymbolsError
from reporter.ingest import stored_warnings, sync
from reporter.model import SourceInfo
from reporter.store import Store

SESSIONS = calendar.sessions("2025-09-01", "2025-12-31")


class LiveFake:
    """A live source (version None) over a fixed history; counts every fetch call."""

    info = SourceInfo(name="fake", description="fake")

    def __init__(self, closes: dict[str, pd.Series], missing: tuple[str, ...] = ()) -> None:
        self.closes = closes
        self.missing = missing
        self.calls: list[tuple[tuple[str, ...], dt.date | None, dt.date | None]] = []

    def version(self, symbol: str) -> None:
        return None

    def fetch(self, symbols, start, end):
        self.calls.append((tuple(symbols), start, end))
        out = {}
        for s in symbols:
            if s in self.missing:
                continue
            c = self.closes[s]
            if start is not None:
                c = c[c.index >= pd.Timestamp(start)]
            if end is not None:
                c = c[c.index <= pd.Timestamp(end)]
            out[s] = pd.DataFrame({"Open": c, "High": c, "Low": c, "Close": c, "Volume": 1.0})
        lost = tuple(s for s in symbols if s in self.missing)
        if lost:
            raise MissingSymbolsError(f"fake: no data for {', '.join(lost)}", lost, out)
        return out

    def valuations(self, symbols):
        return None


def history(seed: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(100 * np.cumprod(1 + rng.normal(0, 0.01, len(SESSIONS))), index=SESSIONS)


def test_second_run_fetches_only_missing_sessions(tmp_path: Path):
    src = LiveFake({"^GSPC": history(1), "AAA": history(2)})
    mid = SESSIONS[40].date()
    with Store(tmp_path / "s.duckdb") as store:
        sync(store, src, ["^GSPC", "AAA"], required=["^GSPC"], until=mid)
        assert len(src.calls) == 1 and src.calls[0][1] is None  # whole history, one batch
        sync(store, src, ["^GSPC", "AAA"], required=["^GSPC"], until=mid)
        assert len(src.calls) == 1  # up to date: no call at all
        sync(store, src, ["^GSPC", "AAA"], required=["^GSPC"], until=SESSIONS[-1].date())
        assert len(src.calls) == 2
        symbols, start, end = src.calls[1]
        assert set(symbols) == {"^GSPC", "AAA"}
        # overlap of 5 stored sessions, not the whole history
        assert start == SESSIONS[36].date() and end == SESSIONS[-1].date()
        stored = store.closes("AAA", SESSIONS[0].date())
    assert len(stored) == len(SESSIONS)
    assert np.allclose(stored.to_numpy(), history(2).to_numpy())


def test_changed_adjusted_history_is_refetched_whole(tmp_path: Path):
    src = LiveFake({"^GSPC": history(1)})
    with Store(tmp_path / "s.duckdb") as store:
        sync(store, src, ["^GSPC"], required=["^GSPC"], until=SESSIONS[40].date())
        src.closes["^GSPC"] = history(1) * 0.98  # a dividend adjusts every earlier close
        res = sync(store, src, ["^GSPC"], required=["^GSPC"], until=SESSIONS[-1].date())
        stored = store.closes("^GSPC", SESSIONS[0].date())
    assert res.refetched_whole == ["^GSPC"]
    assert src.calls[-1][1] is None
    assert np.allclose(stored.to_numpy(), (history(1) * 0.98).to_numpy())


def test_missing_optional_members_degrade_but_required_series_fail(tmp_path: Path):
    src = LiveFake({"^GSPC": history(1), "AAA": history(2), "BBB": history(3)}, missing=("BBB",))
    with Store(tmp_path / "s.duckdb") as store:
        res = sync(store, src, ["^GSPC", "AAA", "BBB"], required=["^GSPC"],
                   until=SESSIONS[-1].date())
        assert res.missing == ["BBB"] and set(store.states()) == {"^GSPC", "AAA"}
    src2 = LiveFake({"^GSPC": history(1)}, missing=("^GSPC",))
    with Store(tmp_path / "t.duckdb") as store, pytest.raises(MissingSymbolsError, match=r"\^GSPC"):
        sync(store, src2, ["^GSPC"], required=["^GSPC"], until=SESSIONS[-1].date())


def test_csv_source_skips_unchanged_files(tmp_path: Path):
    from reporter.sources.csvdir import CsvSource

    root = tmp_path / "data"
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "^GSPC.csv").write_text("Date,Close\n2025-01-02,1\n2025-01-03,2\n")
    src = CsvSource(root)
    with Store(tmp_path / "s.duckdb") as store:
        assert sync(store, src, ["^GSPC"], required=["^GSPC"]).fetched == ["^GSPC"]
        assert sync(store, src, ["^GSPC"], required=["^GSPC"]).fetched == []
        (root / "prices" / "^GSPC.csv").write_text("Date,Close\n2025-01-02,1\n2025-01-03,3\n")
        assert sync(store, src, ["^GSPC"], required=["^GSPC"]).fetched == ["^GSPC"]
        assert store.closes("^GSPC", dt.date(2025, 1, 1)).tolist() == [1, 3]


def test_a_note_stored_in_an_earlier_wording_is_stated_in_today_s(tmp_path: Path):
    """A store keeps the notes written with its bars: one an earlier run wrote as "1 row(s)"
    is stated as "1 row" (the wording the note translates), not as it was stored."""
    bars = pd.DataFrame({c: [1.0, 2.0] for c in ("Open", "High", "Low", "Close")}
                        | {"Volume": [0.0, 0.0]},
                        index=pd.to_datetime(["2025-01-02", "2025-01-03"]))
    old = "^GSPC: 1 row(s) with open/high/low inconsistent with each other (first 2025-01-03)"
    with Store(tmp_path / "s.duckdb") as store:
        store.write({"^GSPC": bars}, {"^GSPC": None}, replace_from={"^GSPC": None},
                    notes={"^GSPC": [old]})
        assert stored_warnings(store, ["^GSPC"], required=[]) == [
            "^GSPC: 1 row with open/high/low inconsistent with each other (first 2025-01-03)"]


def test_warnings_about_stored_bars_are_stated_by_every_sync(tmp_path: Path):
    """A file's High below its Low is stated by every sync (the report's list), but said on
    the terminal only when the bars are new, with the file they came from; once the file is
    fixed, the warning goes."""
    from reporter.sources.csvdir import CsvSource

    root = tmp_path / "data"
    (root / "prices").mkdir(parents=True)
    gspc = root / "prices" / "^GSPC.csv"
    gspc.write_text("Date,Open,High,Low,Close\n2025-01-02,1,1,1,1\n2025-01-03,2,1.5,2.5,2\n")
    with Store(tmp_path / "s.duckdb") as store:
        first = sync(store, CsvSource(root), ["^GSPC"], required=["^GSPC"])
        second = sync(store, CsvSource(root), ["^GSPC"], required=["^GSPC"])
        assert first.fetched == ["^GSPC"] and second.fetched == []
        note = ("^GSPC: 1 row with open/high/low inconsistent with each other "
                "(first 2025-01-03)")
        for res in (first, second):
            assert res.warnings == [note]
        assert first.to_say() == [f"{gspc}: {note}"]  # new: said, with the file
        assert second.to_say() == []  # known: not said again
    with Store(tmp_path / "s.duckdb", read_only=True) as store:  # a backfill worker's view
        assert stored_warnings(store, ["^GSPC"], required=["^GSPC"]) == [note]
    with Store(tmp_path / "s.duckdb") as store:
        mtime = gspc.stat().st_mtime_ns
        gspc.write_text("Date,Open,High,Low,Close\n2025-01-02,1,1,1,1\n2025-01-03,2,2.5,1.5,2\n")
        os.utime(gspc, ns=(mtime, mtime))  # same size, same time: the content tells
        assert sync(store, CsvSource(root), ["^GSPC"], required=["^GSPC"]).warnings == []


def test_a_required_series_that_ends_early_is_stated(tmp_path: Path):
    """Live data: ^GSPC lacks sessions that have closed. Versioned data: ^GSPC ends before
    the other series. Either way the latest report is older than it should be: say so."""
    from reporter.sources.csvdir import CsvSource

    last = SESSIONS[-1].date()
    src = LiveFake({"^GSPC": history(1)[:-2], "AAA": history(2)})
    with Store(tmp_path / "s.duckdb") as store:
        res = sync(store, src, ["^GSPC", "AAA"], required=["^GSPC"], until=last)
    ends = SESSIONS[-3].date()
    assert res.warnings == [f"^GSPC: the source has no data after {ends}, though the session of "
                            f"{last} has closed; the latest report is for {ends} (stale data)"]

    root = tmp_path / "data"
    (root / "prices").mkdir(parents=True)
    (root / "prices" / "^GSPC.csv").write_text("Date,Close\n2025-01-02,1\n2025-01-03,2\n")
    (root / "prices" / "AAA.csv").write_text("Date,Close\n2025-01-02,1\n2025-01-06,2\n")
    with Store(tmp_path / "t.duckdb") as store:
        res = sync(store, CsvSource(root), ["^GSPC", "AAA"], required=["^GSPC"])
    assert res.warnings == ["^GSPC ends on 2025-01-03, before 1 other series (up to 2025-01-06); "
                            "no report can be later than 2025-01-03 (stale data)"]
