"""``kill -9`` at any moment of a run, and two runs at once: the price store stays readable and
consistent, what was published stays byte-identical, and nothing half-made survives."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from reporter import ingest
from reporter.pipeline import store_path
from reporter.sources.csvdir import CsvSource
from reporter.store import Store
from tests.support.cli import cli_checked, kill_group, spawn
from tests.support.market import LAST, Market
from tests.support.outputs import tree
from tests.support.paths import REPO

DAY = "2026-02-05"  # the day the killed runs try to write; LAST is already published
#: Prints a marker as each stage starts, then runs the real CLI: a test kills on a marker.
MARKED = """
import sys
from reporter import deliver, ingest, metrics, render, store

def mark(name, fn):
    def wrapped(*args, **kwargs):
        print("MARK", name, flush=True)
        return fn(*args, **kwargs)
    return wrapped

ingest.sync = mark("fetch", ingest.sync)
store.Store.write = mark("store-write", store.Store.write)
metrics.compute = mark("metrics", metrics.compute)
# the orchestrator waits here while a render worker lays out the editions
render.Renderer.build_editions = mark("render", render.Renderer.build_editions)
deliver.write_folder = mark("write", deliver.write_folder)
deliver.write_atomic = mark("page", deliver.write_atomic)
print("MARK start", flush=True)
from reporter.cli import main
main(sys.argv[1:])
"""


def marked(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", MARKED, *argv], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_for(proc: subprocess.Popen[str], marker: str, timeout: float = 60) -> bool:
    """Read the run's markers until ``marker``; False if it ended first."""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            return False
        if line.strip() == f"MARK {marker}":
            return True
    raise AssertionError(f"no {marker} marker within {timeout} s")


def assert_store_consistent(path: Path, market: Market) -> None:
    """The store opens for writing; every symbol's recorded range matches its rows; and each
    symbol's bars are exactly those of a store synced afresh from the same files."""
    with Store(path) as store:
        rows = dict(((s, (a, b)) for s, a, b in store.con.execute(
            "SELECT symbol, min(date), max(date) FROM bars GROUP BY symbol").fetchall()))
        states = store.states()
        assert set(rows) == set(states)
        for sym, state in states.items():
            assert (state.first_date, state.last_date) == rows[sym], sym
        symbols = sorted(states)
        got = store.read_wide(symbols, None, None)
    if not symbols:
        return  # killed before the first write: an empty store is consistent
    fresh = path.with_name("fresh.duckdb")
    fresh.unlink(missing_ok=True)
    with Store(fresh) as store:
        ingest.sync(store, CsvSource(market.root), symbols, required=())
        want = store.read_wide(symbols, None, None)
    fresh.unlink()
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def assert_day_whole_or_absent(out: Path, day: str, editions: tuple[str, ...]) -> None:
    folder = out / day
    if not folder.exists():
        return
    report = json.loads((folder / "report.json").read_text("utf-8"))
    assert report["as_of"] == day
    for edition in editions:
        pdf = (folder / f"market-breadth_{day}_{edition}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def published(out: Path) -> dict[str, bytes]:
    """What readers see: every visible file except the day the killed runs write."""
    return {k: v for k, v in tree(out).items()
            if not k.startswith((DAY, ".")) and "/." not in k}


@pytest.fixture
def world(market: Market, tmp_path: Path, capsys) -> tuple[Market, Path]:
    """A published day (LAST) with its portal, and a warm store."""
    out = tmp_path / "out"
    done = cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", "--date", LAST)
    assert done.code == 0, done.err
    assert cli_checked(capsys, "publish", "--out", str(out)).code == 0
    return market, out


def test_kill_9_at_every_stage_loses_nothing(world: tuple[Market, Path], capsys):
    market, out = world
    before = published(out)
    assert f"{LAST}/report.json" in before and "index.html" in before
    store = store_path(market.source)
    rng = random.Random(20260206)
    argv = ["--config", str(market.config), "run", "--source", market.source, "--out", str(out),
            "--lang", "en-US", "--date", DAY]
    # (marker, most seconds to wait after it): every stage, and a moment picked at random
    plan = [("fetch", 0.15), ("store-write", 0.03), ("metrics", 0.3), ("render", 2.0),
            ("write", 0.02), ("start", 4.0)]
    killed = 0
    for step, (marker, delay) in enumerate(plan):
        stamp = time.time() + step + 1  # new mtimes: the store must take every file again
        for path in (market.root / "prices").iterdir():
            os.utime(path, (stamp, stamp))
        proc = marked(*argv)
        try:
            reached = wait_for(proc, marker)
            if reached:
                time.sleep(rng.uniform(0, delay))
        finally:
            ended = proc.poll() is not None
            kill_group(proc)
        killed += reached and not ended
        assert published(out) == before, f"published files changed by a kill at {marker}"
        assert_store_consistent(store, market)
        assert_day_whole_or_absent(out, DAY, ("en-US",))
        for name in os.listdir(out):  # only a staging or parked folder, cleared next time
            assert not name.startswith(".") or ".partial-" in name or ".old-" in name, name
    assert killed >= len(plan) - 1, "the runs ended before they could be killed"

    done = cli_checked(capsys, *argv)  # the next run finishes the job and clears the leftovers
    assert done.code == 0, done.err
    assert_day_whole_or_absent(out, DAY, ("en-US",))
    assert (out / DAY / "report.json").is_file()
    assert not [n for n in os.listdir(out) if n.startswith(".")]
    assert published(out) == before


def test_kill_9_while_publishing_leaves_every_page_whole(world: tuple[Market, Path], capsys):
    """Each portal page is the old one or the new one, never a torn one; a temporary file a
    killed publish leaves is cleared by the next one."""
    market, out = world
    assert cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", "--date", DAY).code == 0
    config = out.parent / "portal.toml"
    rng = random.Random(7)
    killed = 0
    for attempt in range(4):
        config.write_text(f'[portal]\ntitle = "Breadth portal {attempt}"\n', "utf-8")
        proc = marked("--config", str(config), "publish", "--out", str(out))
        try:
            reached = wait_for(proc, "page")
            if reached:
                time.sleep(rng.uniform(0, 0.05))
        finally:
            ended = proc.poll() is not None
            kill_group(proc)
        killed += reached and not ended
        for path in out.rglob("*.html"):
            if not path.name.startswith("."):
                text = path.read_text("utf-8")
                assert text.rstrip().endswith("</html>"), path
        for path in out.glob("feed*.xml"):
            assert path.read_text("utf-8").rstrip().endswith("</feed>"), path
    assert killed >= 3
    done = cli_checked(capsys, "--config", str(config), "publish", "--out", str(out))
    assert done.code == 0
    assert [p for p in out.rglob(".*")] == []
    assert "Breadth portal 3" in (out / "index.en.html").read_text("utf-8")
    assert f"{DAY}/index.en.html" in tree(out)


def test_two_runs_at_once_both_finish_cleanly(market: Market, tmp_path: Path):
    """Same store, same output folder, same day, started together from an empty store: one
    waits for the store, their writes take turns, both succeed and the day is whole."""
    out = tmp_path / "out"
    argv = ["--config", str(market.config), "run", "--source", market.source, "--out", str(out),
            "--lang", "en-US", "--date", DAY]
    procs = [spawn(*argv) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results, strict=True):
        assert "Traceback" not in stderr
        assert proc.returncode == 0, stderr
        # the PDF, the web page, 6 charts, the mailed chart (PNG), report.json
        assert f"wrote 10 files to {out / DAY}" in stdout
    assert_day_whole_or_absent(out, DAY, ("en-US",))
    assert sorted(os.listdir(out)) == [DAY]
    assert_store_consistent(store_path(market.source), market)


def test_a_store_held_by_another_run_is_named(market: Market, capsys,
                                             monkeypatch: pytest.MonkeyPatch):
    """Past the wait, a run says which store is held and exits 5."""
    import functools

    from reporter import pipeline

    path = store_path(market.source)
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
         "print('ok', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        monkeypatch.setattr(pipeline, "Store", functools.partial(Store, lock_timeout=0.5))
        done = cli_checked(capsys, "--config", str(market.config), "fetch",
                           "--source", market.source)
        assert done.code == 5
        assert done.error_lines == [
            f"reporter: error: the price store {path} is held by another run; try again later"]
    finally:
        kill_group(holder)
