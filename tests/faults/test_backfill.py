"""Faults of ``reporter backfill`` on a real local Dask cluster (worker processes).

A worker killed with SIGKILL mid-task loses no session and duplicates none; a session whose
own data is bad is named at the end while the others are written; SIGTERM or Ctrl-C stops the
cluster, and within a few seconds no process of the run is left and no folder is partial.
Every wait here is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import psutil
import pytest

from reporter import pipeline
from tests.support.cli import cli_checked as cli
from tests.support.cli import spawn
from tests.support.market import Market

#: The last five sessions of the tiny market.
DAYS = ("2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05", "2026-02-06")
LANGS = "zh-CN,en-US"
#: Seconds a whole backfill of these sessions may take on a busy 2-core machine.
BOUND = 240.0


def backfill_argv(market: Market, out: Path, scheduler: str, *extra: str) -> list[str]:
    return ["--config", str(market.config), *extra, "backfill", "--from", DAYS[0], "--to",
            DAYS[-1], "--source", market.source, "--out", str(out), "--lang", LANGS,
            "--scheduler", scheduler]


def folders(out: Path) -> dict[str, dict[str, bytes]]:
    """Every entry of the output folder: day folders with their files' bytes."""
    found = {}
    for entry in sorted(out.iterdir()):
        assert entry.is_dir() and not entry.name.startswith("."), f"left behind: {entry.name}"
        found[entry.name] = {p.name: p.read_bytes() for p in sorted(entry.iterdir())}
    return found


@pytest.fixture
def clean(market: Market, tmp_path: Path, capsys) -> dict[str, dict[str, bytes]]:
    """The folders of an undisturbed backfill of the same sessions (same store)."""
    out = tmp_path / "clean"
    done = cli(capsys, *backfill_argv(market, out, "local:2"))
    assert done.code == 0, done.err
    return folders(out)


def wait_for(what: str, check: Callable[[], object], timeout: float = BOUND) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def workers_of(pid: int) -> set[int]:
    """The Dask worker processes below ``pid`` (spawned by multiprocessing)."""
    found = set()
    with contextlib.suppress(psutil.Error):
        for proc in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if "spawn_main" in " ".join(proc.cmdline()):
                    found.add(proc.pid)
    return found


def session_processes(sid: int) -> list[psutil.Process]:
    """Live processes of the session started by ``spawn`` (zombies are gone already)."""
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            if os.getsid(proc.pid) == sid and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
    return found


def days_written(out: Path) -> list[str]:
    if not out.is_dir():
        return []
    return [p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]


def finish(proc: subprocess.Popen[str], timeout: float = BOUND) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        raise AssertionError(f"the backfill did not finish within {timeout:.0f} s") from None


@pytest.mark.parametrize("workers", [2, 1])
def test_a_worker_killed_mid_task_loses_no_session_and_duplicates_none(
        market: Market, tmp_path: Path, clean: dict[str, dict[str, bytes]], workers: int):
    """SIGKILL to a worker while it builds a session: the task reruns (with one worker, on its
    restarted replacement, after the shared history, lost with it, is shipped again)."""
    out = tmp_path / "out"
    proc = spawn(*backfill_argv(market, out, f"local:{workers}", "-v"))
    try:
        first = wait_for(f"{workers} worker(s)",
                         lambda: (w := workers_of(proc.pid)) and len(w) == workers and w)
        assert isinstance(first, set)
        # once a session is written every worker is inside another one (five queued)
        wait_for("a first day folder", lambda: days_written(out))
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_for("the worker's replacement",
                 lambda: len(workers_of(proc.pid) - first) >= 1 or proc.poll() is not None)
        stdout, stderr = finish(proc)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stderr
    assert f"wrote {len(DAYS)} report(s), 0 already there, 0 failed" in stdout
    reported = [line.split(":")[0].strip() for line in stdout.splitlines()
                if re.fullmatch(r"  \d{4}-\d\d-\d\d: ok \(\d+\.\d\d s\)", line)]
    assert sorted(reported) == list(DAYS)  # each session once
    assert folders(out) == clean


def test_a_session_failing_on_its_own_data_is_named_and_the_others_written(
        market: Market, tmp_path: Path, capsys, clean: dict[str, dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch):
    """The history shipped to the workers lacks the S&P 500 close of one session: that
    session fails (exit 3, named by date) on its worker; every other session is written."""
    bad = pd.Timestamp(DAYS[2])
    real_read = pipeline.read_range

    def read_range(synced, cfg, days):  # type: ignore[no-untyped-def]
        history = real_read(synced, cfg, days)
        history.close.loc[bad, "^GSPC"] = float("nan")
        return history

    monkeypatch.setattr(pipeline, "read_range", read_range)
    out = tmp_path / "out"
    done = cli(capsys, *backfill_argv(market, out, "local:2"))
    assert done.code == 3
    assert done.error_lines == [
        f"reporter: error: backfill: 1 of {len(DAYS)} session(s) failed: {DAYS[2]}: ^GSPC has "
        f"no close on {DAYS[2]}: its data ends on {DAYS[1]} (stale)"]
    assert f"wrote {len(DAYS) - 1} report(s), 0 already there, 1 failed" in done.out
    written = folders(out)
    assert sorted(written) == [d for d in DAYS if d != DAYS[2]]
    # the sessions before the bad one read nothing of it: as in a clean run
    assert {d: written[d] for d in DAYS[:2]} == {d: clean[d] for d in DAYS[:2]}
    for day in DAYS[3:]:
        assert json.loads(written[day]["report.json"])["as_of"] == day


@pytest.mark.parametrize(("how", "code", "said"), [
    ("SIGTERM", 143, "reporter: terminated"),
    ("Ctrl-C", 130, "reporter: interrupted"),
])
@pytest.mark.parametrize("when", ["starting", "running"])
def test_sigterm_or_ctrl_c_stop_the_cluster_and_leave_nothing(
        market: Market, tmp_path: Path, clean: dict[str, dict[str, bytes]], how: str,
        code: int, said: str, when: str):
    """Signalled while the cluster starts or while sessions run: the run ends with its code,
    every process it started is gone within a few seconds, and the output folder holds only
    whole day folders, each equal to a clean run's."""
    out = tmp_path / "out"
    proc = spawn(*backfill_argv(market, out, "local:2"))
    seen: set[int] = set()

    def started() -> bool:
        seen.update(p.pid for p in psutil.Process(proc.pid).children(recursive=True))
        return len(workers_of(proc.pid)) == 2 if when == "starting" else bool(days_written(out))

    try:
        wait_for(f"the cluster {when}", started)
        seen.update(p.pid for p in psutil.Process(proc.pid).children(recursive=True))
        signalled = time.monotonic()
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:  # a terminal sends SIGINT to the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = finish(proc, timeout=30)
        assert time.monotonic() - signalled < 30  # the stop is bounded (10 s, then SIGKILL)
        assert proc.returncode == code, stderr
        assert stderr.splitlines()[-1] == said, stderr
        assert "Traceback" not in stderr
        wait_for("every process of the run to end", lambda: not session_processes(proc.pid),
                 timeout=5)
        assert not [pid for pid in seen if psutil.pid_exists(pid)
                    and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    if out.exists():
        written = folders(out)  # no hidden partial or parked folder either
        assert written == {d: clean[d] for d in written}


def test_a_history_lost_for_good_fails_the_open_sessions_by_name(
        market: Market, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    """Shipping the history again is bounded: with no second chance, the only worker killed
    mid-task fails every session not yet written (in flight and not yet submitted), each
    named, and the run ends (exit 1) instead of waiting."""
    import threading

    from reporter import cluster

    monkeypatch.setattr(cluster, "RESCATTER_LIMIT", 0)
    days = [d.date().isoformat() for d in pipeline.calendar.sessions("2026-01-26", DAYS[-1])]
    assert len(days) == 10  # more than the four tasks one worker gets at a time
    out = tmp_path / "out"
    before = workers_of(os.getpid())
    killed: list[int] = []

    def kill_the_worker() -> None:
        wait_for("a first day folder", lambda: days_written(out))
        for pid in workers_of(os.getpid()) - before:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=kill_the_worker, daemon=True)
    killer.start()
    done = cli(capsys, "--config", str(market.config), "backfill", "--from", days[0], "--to",
               days[-1], "--source", market.source, "--out", str(out), "--lang", "en-US",
               "--scheduler", "local:1")
    killer.join(10)
    assert killed
    written = sorted(days_written(out))
    failed = sorted(set(days) - set(written))
    assert written and failed and set(written) < set(days)
    assert done.code == 1
    lost = len(failed)
    assert done.error_lines[0].startswith(
        f"reporter: error: backfill: {lost} of {len(days)} session(s) failed: "
        f"{failed[0]}: the shared history was lost with its workers again after "
        "being shipped 1 time(s)")
    assert f"wrote {len(written)} report(s), 0 already there, {lost} failed" in done.out
