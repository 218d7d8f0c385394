"""``reporter backfill``: the scheduler option, the coordinator's flow, and real Dask clusters.

The flow tests stand an in-process fake in for the cluster (what it is given, what it answers);
the cluster tests start real local clusters of worker processes, and a scheduler and a worker
from Dask's own command line, as a user's cluster would be.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reporter import backfill, cluster, pipeline
from reporter.backfill import SessionResult
from reporter.cluster import Scheduler, TaskLost, parse_scheduler
from reporter.errors import ConfigError
from reporter.vocabulary import EDITIONS
from tests.support.cli import cli as run_cli
from tests.support.days import make_day
from tests.support.market import SMALL_CONFIG, write_market

# -- --scheduler ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("local:1", Scheduler(workers=1)),
    ("local:16", Scheduler(workers=16)),
    ("tcp://10.0.0.5:8786", Scheduler(address="tcp://10.0.0.5:8786")),
    ("tcp://scheduler.example.org:8786", Scheduler(address="tcp://scheduler.example.org:8786")),
    ("tls://[::1]:8786", Scheduler(address="tls://[::1]:8786")),
])
def test_scheduler_forms(text: str, expected: Scheduler):
    assert parse_scheduler(text) == expected


def test_local_means_one_worker_per_usable_core():
    assert parse_scheduler("local") == Scheduler(workers=len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("text", ["", "locale", "local:0", "local:-1", "local:x", "local:65",
                                  "tcp://host", "tcp://:8786", "tcp://host:0",
                                  "tcp://host:70000", "http://host:8786", "host:8786",
                                  "tcp://a/b:1"])
def test_bad_scheduler_is_an_argument_error(text: str):
    with pytest.raises(ConfigError, match="--scheduler") as caught:
        parse_scheduler(text)
    assert caught.value.exit_code == 2


def test_bad_scheduler_fails_before_any_data_is_read(tmp_path: Path, capsys):
    code, out, err = run_cli(capsys, "backfill", "--from", "2025-12-01", "--scheduler",
                             "local:zero", "--source", f"csv:{tmp_path / 'nothing'}",
                             "--out", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert err == ("reporter: error: --scheduler: expected local:N with N from 1 to 64, got "
                   "'local:zero'\n")
    assert not (tmp_path / "out").exists()


# -- the coordinator's flow, with an in-process stand-in for the cluster --------------------------

class FakeCluster:
    """Runs nothing remotely: records what the flow gives the cluster and answers with
    ``answer(history, day, spec)``."""

    answer: Callable[..., Any]
    made: list[FakeCluster] = []

    def __init__(self, scheduler: Scheduler, *, preload: Sequence[str] = (),
                 verbose: bool = False) -> None:
        self.scheduler, self.preload = scheduler, preload
        self.items: list[str] = []
        self.shared: Any = None
        self.started = self.closed = False
        FakeCluster.made.append(self)

    def __enter__(self) -> FakeCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def start(self) -> None:
        self.started = True

    def ready(self) -> None:
        assert self.started

    def check_environment(self) -> None:
        assert self.started

    dashboard = None

    def map(self, func: Callable[..., Any], items: Sequence[str], shared: Any,
            *args: Any) -> Iterator[tuple[str, Any]]:
        assert func is backfill.build_session
        self.items, self.shared = list(items), shared
        for item in reversed(items):  # in any order
            yield item, type(self).answer(shared, item, *args)


def small_files(day: str, langs: Sequence[str]) -> dict[str, bytes]:
    files = {f"market-breadth_{day}_{e}.pdf": f"%PDF- {day} {e}".encode() for e in langs}
    return {**files, "report.json": json.dumps({"as_of": day}).encode()}


@pytest.fixture
def fake_cluster(monkeypatch: pytest.MonkeyPatch) -> type[FakeCluster]:
    FakeCluster.made = []
    FakeCluster.answer = staticmethod(  # type: ignore[assignment]
        lambda history, day, spec: SessionResult(day, 0, "", small_files(day, spec.langs))
    )
    monkeypatch.setattr(backfill, "Cluster", FakeCluster)
    return FakeCluster


def test_the_sessions_missing_outputs_are_built_from_one_read(
        tmp_path: Path, capsys, marketdata: Path, fake_cluster: type[FakeCluster],
        monkeypatch: pytest.MonkeyPatch):
    reads: list[list[pd.Timestamp]] = []
    real_read = pipeline.read_range

    def read_range(synced, cfg, days):  # type: ignore[no-untyped-def]
        reads.append(list(days))
        return real_read(synced, cfg, days)

    monkeypatch.setattr(pipeline, "read_range", read_range)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    make_day(out, "2025-12-30", editions=("zh-CN",))  # complete for --lang zh-CN only
    source = f"csv:{marketdata}"
    # 24 Dec (Wed) to 31 Dec (Wed) 2025: sessions 24, 26, 29, 30 and 31 December
    argv = ["backfill", "--from", "2025-12-24", "--to", "2025-12-31", "--source", source,
            "--out", str(out), "--scheduler", "local:3"]
    code, stdout, err = run_cli(capsys, *argv)
    assert code == 0, err
    made = fake_cluster.made[-1]
    assert made.scheduler == Scheduler(workers=3) and made.closed
    assert made.preload == backfill.PRELOAD
    assert made.items == ["2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30"]
    assert "wrote 4 report(s), 1 already there, 0 failed" in stdout
    for day in made.items:
        assert sorted(p.name for p in (out / day).iterdir()) == sorted(small_files(day, EDITIONS))
    # one read for every session: from the first session's history window to the last session
    assert reads == [[pd.Timestamp(d) for d in made.items]]
    history = made.shared
    history_sessions = 1260
    sessions_back = pipeline.calendar.sessions("2020-01-01", "2025-12-24")
    assert history.close.index[0] == sessions_back[-history_sessions]
    assert history.close.index[-1] == pd.Timestamp("2025-12-30")

    code, stdout, _ = run_cli(capsys, *argv, "--lang", "zh-CN")
    assert code == 0 and "wrote 0 report(s), 5 already there" in stdout
    assert len(fake_cluster.made) == 1  # nothing to do: no cluster started
    code, _, _ = run_cli(capsys, *argv, "--force", "--lang", "en-US")
    assert fake_cluster.made[-1].items == ["2025-12-24", "2025-12-26", "2025-12-29",
                                           "2025-12-30", "2025-12-31"]
    assert fake_cluster.made[-1].items and (out / "2025-12-31" / "report.json").read_text() == (
        '{"as_of": "2025-12-31"}')


def test_failed_sessions_are_named_by_date_and_the_others_written(
        tmp_path: Path, capsys, marketdata: Path, fake_cluster: type[FakeCluster]):
    def answer(history, day: str, spec) -> Any:  # type: ignore[no-untyped-def]
        if day == "2025-12-29":
            return SessionResult(day, 6, "PDF for 2025-12-29 could not be rendered")
        if day == "2025-12-26":
            return TaskLost("its worker process died on every attempt (KilledWorker)")
        return SessionResult(day, 0, "", small_files(day, spec.langs))

    fake_cluster.answer = staticmethod(answer)  # type: ignore[assignment]
    out = tmp_path / "out"
    code, stdout, err = run_cli(capsys, "backfill", "--from", "2025-12-24", "--to",
                                "2025-12-31", "--source", f"csv:{marketdata}", "--out", str(out))
    errors_ = [line for line in err.splitlines() if not line.startswith("reporter: warning: ")]
    assert code == 1  # the first failed session's code, by date
    assert errors_ == ["reporter: error: backfill: 2 of 5 session(s) failed: 2025-12-26: its "
                       "worker process died on every attempt (KilledWorker); 2025-12-29: PDF "
                       "for 2025-12-29 could not be rendered"]
    assert "wrote 3 report(s), 0 already there, 2 failed" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["2025-12-24", "2025-12-30", "2025-12-31"]


def test_a_day_folder_that_is_a_link_is_rebuilt_in_place_and_said(
        tmp_path: Path, capsys, marketdata: Path, fake_cluster: type[FakeCluster]):
    """As ``reporter run``: the link becomes a folder, nothing is written through it, a file a
    user kept there stays, and the operator is told."""
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "archive" / "2025-12-31"
    elsewhere.mkdir(parents=True)
    (elsewhere / "notes.txt").write_text("mine", "utf-8")
    (out / "2025-12-31").symlink_to(elsewhere)
    code, stdout, err = run_cli(capsys, "backfill", "--from", "2025-12-30", "--to", "2025-12-31",
                                "--source", f"csv:{marketdata}", "--out", str(out))
    assert code == 0, err
    assert "wrote 2 report(s)" in stdout
    assert not (out / "2025-12-31").is_symlink()
    assert (out / "2025-12-31" / "notes.txt").read_text("utf-8") == "mine"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt"]
    assert sorted(os.listdir(out)) == ["2025-12-30", "2025-12-31"]
    warned = [line for line in err.splitlines() if "symbolic link" in line]
    assert len(warned) == 1 and str(out / "2025-12-31") in warned[0]
    assert warned[0].startswith("reporter: warning: ")


@pytest.mark.marketdata
def test_one_read_for_many_sessions_holds_each_single_read(marketdata: Path):
    """The history a backfill ships holds, for each session, exactly what a run of that
    session alone reads: the members from the fixed A/D start, the series' whole history, and
    the members' High/Low of the day (FISV has no row on 2025-11-12: unknown there)."""
    from pandas.testing import assert_frame_equal

    from reporter import config
    from reporter.store import Store

    cfg = config.load(None)
    source = f"csv:{marketdata}"
    synced = pipeline.sync_store(source, cfg, "2025-12-31")
    days = [pd.Timestamp(d) for d in ("2025-11-11", "2025-11-12", "2025-11-13", "2025-12-31")]
    many = pipeline.read_range(synced, cfg, days)
    series_first = min(pd.Timestamp(path.read_text().splitlines()[1].split(",")[0])
                       for sym in cfg.universe.series
                       if (path := marketdata / "prices" / f"{sym}.csv").is_file())
    with Store(pipeline.store_path(source), read_only=True) as store:
        stored_first = min(st.first_date for sym, st in store.states().items()
                           if sym in synced.members.index)
        for day in days:
            one = pipeline.read_range(synced, cfg, [day])
            # a run of one session reads its 1260 sessions, or from the fixed start (the first
            # stored member row) where that is earlier
            window = pipeline.calendar.sessions("2015-01-01", day)[-1260]
            assert stored_first == pd.Timestamp("2021-02-26").date()
            assert one.close.index[0] == min(window, pd.Timestamp(stored_first))
            assert one.close.index[-1] == day
            assert_frame_equal(many.close.loc[one.close.index[0]:day], one.close)
            assert_frame_equal(many.volume.loc[one.close.index[0]:day], one.volume)
            assert_frame_equal(many.series_close.loc[:day], one.series_close)
            assert one.series_close.index[0] == series_first  # their whole history
            plain = store.read_range(synced.members.index, day.date())
            assert_frame_equal(many.day_range(day), plain)
            assert_frame_equal(one.day_range(day), plain)
    assert many.day_range(days[1]).loc["FISV"].isna().all()
    assert many.day_range(days[0]).loc["FISV"].notna().all()


def test_a_session_in_error_on_a_worker_is_an_answer_not_a_crash(marketdata: Path):
    """``build_session`` turns every failure into an answer naming the session."""
    from reporter import config

    cfg = config.load(None)
    synced = pipeline.sync_store(f"csv:{marketdata}", cfg, "2025-12-31")
    history = pipeline.read_range(synced, cfg, [pd.Timestamp("2025-12-31")])
    spec = pipeline.BuildSpec(config=cfg)
    broken = history.close.copy()
    broken.loc[pd.Timestamp("2025-12-31"), "^GSPC"] = float("nan")
    answer = backfill.build_session(dataclasses.replace(history, close=broken), "2025-12-31",
                                    spec)
    assert (answer.day, answer.code, answer.files) == ("2025-12-31", 3, {})
    assert "^GSPC has no close on 2025-12-31" in answer.message
    answer = backfill.build_session(None, "2025-12-31", spec)  # type: ignore[arg-type]
    assert answer.code == 1 and answer.message.startswith("internal error: AttributeError")


# -- real clusters --------------------------------------------------------------------------------

def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.marketdata
def test_a_backfill_writes_what_single_runs_write(tmp_path: Path, capsys, marketdata: Path):
    """Two worker processes, three sessions: every file byte for byte as ``reporter run``."""
    source = f"csv:{marketdata}"
    days = ["2025-12-26", "2025-12-29", "2025-12-30"]
    single = tmp_path / "single"
    for day in days:
        code, _, err = run_cli(capsys, "run", "--date", day, "--source", source,
                               "--out", str(single))
        assert code == 0, err
    out = tmp_path / "backfill"
    code, stdout, err = run_cli(capsys, "-v", "backfill", "--from", days[0], "--to", days[-1],
                                "--source", source, "--out", str(out), "--scheduler", "local:2")
    assert code == 0, err
    assert "wrote 3 report(s), 0 already there, 0 failed" in stdout
    assert "backfill on local:2: 3 session(s)" in stdout
    assert sorted(p.name for p in out.iterdir()) == days
    for day in days:
        assert folder_bytes(out / day) == folder_bytes(single / day), day


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Dask's scheduler, started where the ``reporter`` package cannot be imported (a finder
#: ahead of every other refuses it: an editable install also leaves a ``reporter`` folder of
#: templates in site-packages, so trimming ``sys.path`` would drop Dask as well).
SCHEDULER_WITHOUT_PACKAGE = """
import sys
class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name == "reporter" or name.startswith("reporter."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NotInstalled())
try:
    import reporter
except ImportError:
    pass
else:
    sys.exit("reporter is importable")
from distributed.cli.dask_scheduler import main
main()
"""


@contextlib.contextmanager
def dask_cluster(tmp_path: Path, env: dict[str, str], *,
                 scheduler_has_package: bool = True) -> Iterator[str]:
    """A scheduler and one worker started with Dask's command line, as on a user's cluster;
    the worker runs in its own empty folder with its own empty cache."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    logs = (tmp_path / "dask.log").open("w")
    scheduler = ([str(bin_dir / "dask"), "scheduler"] if scheduler_has_package
                 else [sys.executable, "-c", SCHEDULER_WITHOUT_PACKAGE])
    procs = [subprocess.Popen([*scheduler, "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=env["HOME"], stdout=logs, stderr=logs,
                              start_new_session=True)]
    try:
        procs.append(subprocess.Popen(
            [str(bin_dir / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard"], cwd=env["HOME"], env=env, stdout=logs, stderr=logs,
            start_new_session=True))
        yield address
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(10)
        logs.close()


def test_a_remote_worker_needs_no_store_and_no_data_folder(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    """A scheduler at tcp://: the worker has only the package. Once the coordinator has read
    the history, the data folder and the store are moved away: the sessions are built all
    the same, from what was shipped."""
    market = tmp_path / "market"
    write_market(market)
    config = tmp_path / "small.toml"
    config.write_text(SMALL_CONFIG, "utf-8")
    cache = Path(os.environ["REPORTER_CACHE_DIR"])
    home = tmp_path / "worker-home"
    home.mkdir()
    worker_env = {**os.environ, "HOME": str(home), "REPORTER_CACHE_DIR": str(home / "cache"),
                  "REPORTER_MARKETDATA": str(home / "none")}
    real_read = pipeline.read_range

    def read_then_hide(synced, cfg, days):  # type: ignore[no-untyped-def]
        history = real_read(synced, cfg, days)
        market.rename(tmp_path / "market-gone")
        cache.rename(tmp_path / "cache-gone")
        return history

    monkeypatch.setattr(pipeline, "read_range", read_then_hide)
    out = tmp_path / "out"
    with dask_cluster(tmp_path, worker_env) as address:
        code, stdout, err = run_cli(capsys, "--config", str(config), "-v", "backfill", "--from",
                                    "2026-02-05", "--to", "2026-02-06", "--source",
                                    f"csv:{market}", "--out", str(out), "--scheduler", address)
    assert code == 0, err
    assert f"backfill on {address}: 2 session(s)" in stdout
    assert "wrote 2 report(s)" in stdout
    assert not market.exists() and not cache.exists()
    for day in ("2026-02-05", "2026-02-06"):
        report = json.loads((out / day / "report.json").read_text("utf-8"))
        assert report["as_of"] == day
        assert (out / day / f"market-breadth_{day}_bilingual.pdf").read_bytes()[:5] == b"%PDF-"
    # the worker kept no store and read no data: its home holds library caches at most, the
    # compact fonts it made from the system's (render/speed/fonts.py) and the templates it
    # compiled (i18n/jinja.py)
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    ours = [name for name in left if name.startswith("cache/")]
    kept = re.compile(r"cache/(fonts/Reporter[^/]*\.otf|templates/jinja-[^/]+/[0-9a-f]{40}\.bin)")
    assert ours and all(kept.fullmatch(name) for name in ours), left
    assert any(name.startswith("cache/fonts/") for name in ours), left
    assert not [name for name in left if "reporter" in name or name.endswith((".duckdb",
                                                                             ".csv"))], left


def test_a_scheduler_without_the_package_is_one_clear_error(tmp_path: Path, capsys):
    """Dask's scheduler unpickles the tasks: where it lacks the package, the backfill says so
    once, before any session, instead of failing every session alike."""
    market = tmp_path / "market"
    write_market(market)
    config = tmp_path / "small.toml"
    config.write_text(SMALL_CONFIG, "utf-8")
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "out"
    with dask_cluster(tmp_path, {**os.environ, "HOME": str(home)},
                      scheduler_has_package=False) as address:
        code, stdout, err = run_cli(capsys, "--config", str(config), "backfill", "--from",
                                    "2026-02-06", "--source", f"csv:{market}", "--out",
                                    str(out), "--scheduler", address)
    lines = [line for line in err.splitlines() if not line.startswith("reporter: warning")]
    assert code == 2 and stdout == "", (tmp_path / "dask.log").read_text()
    assert lines == [f"reporter: error: --scheduler {address}: the scheduler cannot run "
                     "reporter's tasks (RuntimeError: Error during deserialization of the task "
                     "graph); install reporter 0.1.0 where the scheduler runs too"]
    assert not out.exists() or not any(out.iterdir())


def test_an_unreachable_scheduler_is_named(tmp_path: Path, capsys,
                                           monkeypatch: pytest.MonkeyPatch):
    market = tmp_path / "market"
    write_market(market)
    config = tmp_path / "small.toml"
    config.write_text(SMALL_CONFIG, "utf-8")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    code, _, err = run_cli(capsys, "--config", str(config), "backfill", "--from", "2026-02-06",
                           "--source", f"csv:{market}", "--out", str(tmp_path / "out"),
                           "--scheduler", address)
    assert code == 2
    lines = [line for line in err.splitlines() if not line.startswith("reporter: warning")]
    assert len(lines) == 1
    assert lines[0].startswith(f"reporter: error: --scheduler: cannot use the Dask scheduler "
                               f"at {address}: ")
    assert time.monotonic() - start < 30
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_shared_history_is_scattered_once_and_crosses_by_reference(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    """The client scatters the history once; each task names it rather than carrying it."""
    from distributed import Client

    market = tmp_path / "market"
    write_market(market)
    config = tmp_path / "small.toml"
    config.write_text(SMALL_CONFIG, "utf-8")
    scattered: list[Any] = []
    submitted: list[tuple[Any, ...]] = []
    real_scatter, real_submit = Client.scatter, Client.submit

    def scatter(self, data, *args, **kwargs):  # type: ignore[no-untyped-def]
        scattered.append(data)
        return real_scatter(self, data, *args, **kwargs)

    def submit(self, func, *args, **kwargs):  # type: ignore[no-untyped-def]
        submitted.append(args)
        return real_submit(self, func, *args, **kwargs)

    monkeypatch.setattr(Client, "scatter", scatter)
    monkeypatch.setattr(Client, "submit", submit)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "--config", str(config), "backfill", "--from", "2026-02-04",
                           "--to", "2026-02-06", "--source", f"csv:{market}", "--out", str(out),
                           "--scheduler", "local:1", "--lang", "en-US")
    assert code == 0, err
    assert len(scattered) == 1 and isinstance(scattered[0], pipeline.History)
    assert [args[1] for args in submitted] == ["2026-02-04", "2026-02-05", "2026-02-06"]
    assert all(type(args[0]).__name__ == "Future" for args in submitted)
    assert sorted(p.name for p in out.iterdir()) == ["2026-02-04", "2026-02-05", "2026-02-06"]
