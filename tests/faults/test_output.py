"""Writing outputs under faults: disk full, permission denied, a crash between renames, two
writers at once. Each is reported in one line (exit 7, or 5 for the price store), and what was
published before stays as it was, with no staging folder or temporary file left behind.

The failures are injected where the system would raise them (as root, file modes do not stop
anything). The rendering stage is replaced by fixed bytes where only the writing matters.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reporter import deliver
from reporter.errors import RenderError
from tests.support.cli import cli_checked
from tests.support.days import make_day, use_fake_texts
from tests.support.fakes import patch_render
from tests.support.market import LAST, Market
from tests.support.outputs import tree
from tests.support.paths import REPO

OLD = {"report.json": b'{"as_of": "old"}\n', f"market-breadth_{LAST}_en-US.pdf": b"%PDF-old"}


def _run(capsys, market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", "--date", LAST, *extra)


def _published(out: Path) -> dict[str, bytes]:
    deliver.write_folder(out, LAST, OLD)
    return tree(out)


def _failing_open(fail_on: str, error: int) -> Any:
    real = open

    def fake(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and fail_on in str(path):
            raise OSError(error, os.strerror(error), str(path))
        return real(path, mode, *args, **kwargs)

    return fake


@pytest.mark.parametrize(("error", "says"), [
    (errno.ENOSPC, "no space left on the device while writing"),
    (errno.EDQUOT, "disk quota exceeded while writing"),
    (errno.EACCES, "permission denied writing"),
    (errno.EIO, "cannot write"),
])
def test_a_failed_write_keeps_the_published_day(error: int, says: str, market: Market,
                                                tmp_path: Path, capsys, quick: None,
                                                monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    before = _published(out)
    monkeypatch.setattr(deliver, "open", _failing_open(".pdf", error), raising=False)
    done = _run(capsys, market, out)
    assert done.code == 7
    assert done.error_lines == [f"reporter: error: {says} {out / LAST}" + (
        f": {os.strerror(error)}" if says == "cannot write" else "")]
    assert tree(out) == before  # byte-identical, and no staging folder


def test_disk_full_on_flush_is_reported(market: Market, tmp_path: Path, capsys, quick: None,
                                        monkeypatch: pytest.MonkeyPatch):
    """Many file systems report a full disk only when the data is flushed."""
    out = tmp_path / "out"
    before = _published(out)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real = os.fsync
    monkeypatch.setattr(os, "fsync", fsync)
    done = _run(capsys, market, out)
    assert done.code == 7 and "no space left on the device" in done.err
    monkeypatch.setattr(os, "fsync", real)
    assert tree(out) == before


def test_an_output_folder_that_cannot_be_created(market: Market, tmp_path: Path, capsys,
                                                 quick: None, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "srv" / "breadth"
    real = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    done = _run(capsys, market, out)
    assert done.code == 7 and done.error_lines == [f"reporter: error: permission denied "
                                                   f"writing {out}"]


def test_an_output_path_that_is_a_file(market: Market, tmp_path: Path, capsys, quick: None):
    out = tmp_path / "out"
    out.write_text("not a folder")
    done = _run(capsys, market, out)
    assert done.code == 7 and str(out) in done.err
    assert out.read_text() == "not a folder"


def test_a_failed_render_writes_nothing(market: Market, tmp_path: Path, capsys,
                                        monkeypatch: pytest.MonkeyPatch):
    def broken(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        raise RenderError(f"layout of market-breadth_{LAST}_en-US.pdf failed: injected")

    patch_render(monkeypatch, broken)
    out = tmp_path / "out"
    before = _published(out)
    done = _run(capsys, market, out)
    assert done.code == 6 and "injected" in done.err
    assert tree(out) == before


def test_a_price_store_that_cannot_be_created(market: Market, tmp_path: Path, capsys,
                                              quick: None, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(cache))
    real = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == cache:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    done = _run(capsys, market, tmp_path / "out")
    assert done.code == 5
    assert done.error_lines == [f"reporter: error: cannot create the folder of the price store "
                                f"{cache}: Permission denied"]


def test_disk_full_in_the_price_store_changes_nothing(market: Market, tmp_path: Path, capsys,
                                                      quick: None,
                                                      monkeypatch: pytest.MonkeyPatch):
    """The store's write fails half-way (injected as the database reports it): the run stops
    with exit 5 and the store still holds the previous data, whole."""
    import duckdb

    from reporter.pipeline import store_path
    from reporter.store import Store

    out = tmp_path / "out"
    assert _run(capsys, market, out).code == 0
    with Store(store_path(market.source)) as store:
        before = store.read_wide(["^GSPC", market.members[0]], None, None)[0]
    for path in (market.root / "prices").iterdir():
        with open(path, "a") as fh:  # every file changed (its content, not its data): the
            fh.write("\n")  # store takes them all again

    class Full:
        def __init__(self, con: Any) -> None:
            self._con = con

        def execute(self, sql: str, *args: Any) -> Any:
            if sql.startswith("INSERT INTO bars"):
                raise duckdb.IOException("Could not write file: No space left on device")
            return self._con.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._con, name)

    real_write = Store.write

    def write(self: Store, *args: Any, **kwargs: Any) -> None:
        con, self.con = self.con, Full(self.con)  # type: ignore[assignment]
        try:
            real_write(self, *args, **kwargs)
        finally:
            self.con = con

    monkeypatch.setattr(Store, "write", write)
    done = _run(capsys, market, out, "--date", "2026-02-05")
    assert done.code == 5
    assert "writing the price store" in done.err and "No space left on device" in done.err
    monkeypatch.setattr(Store, "write", real_write)
    with Store(store_path(market.source)) as store:
        after = store.read_wide(["^GSPC", market.members[0]], None, None)[0]
    assert after.equals(before)


# -- the portal ------------------------------------------------------------------------------------

def test_disk_full_while_publishing_keeps_the_old_pages(tmp_path: Path, capsys,
                                                        monkeypatch: pytest.MonkeyPatch):
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    assert cli_checked(capsys, "publish", "--out", str(out)).code == 0
    make_day(out, "2025-12-31")
    before = tree(out)
    monkeypatch.setattr(deliver, "open", _failing_open("index.html.tmp", errno.ENOSPC),
                        raising=False)
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 7
    assert done.error_lines == [f"reporter: error: no space left on the device while writing "
                                f"{out / '2025-12-30' / 'index.html'}"]
    after = tree(out)
    fronts = ("index.html", "index.en.html", "feed.xml", "feed.en.xml")
    assert {k: after[k] for k in fronts} == {k: before[k] for k in fronts}  # written last
    for name, data in after.items():  # every page old or new, whole; nothing half-written
        assert ".tmp-" not in name
        if name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name


# -- crashes and races inside the final renames ----------------------------------------------------

CRASH = """
import os, sys
from pathlib import Path
from reporter import deliver
out, mode = Path(sys.argv[1]), sys.argv[2]
real_replace, real_exchange = os.replace, deliver._exchange
if mode == "between-renames":  # the old folder parked, the new one not yet in place
    deliver._exchange = lambda a, b: False
    def replace(src, dst):
        real_replace(src, dst)
        if ".old-" in str(dst):
            os._exit(9)
    os.replace = replace
elif mode == "after-exchange":  # swapped, the old folder not yet removed
    def exchange(a, b):
        real_exchange(a, b)
        os._exit(9)
    deliver._exchange = exchange
deliver.write_folder(out, sys.argv[3], {"report.json": b"new", "b.pdf": b"new"})
"""


def _crash(out: Path, mode: str, day: str = LAST) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH, str(out), mode, day], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr


def test_a_crash_between_the_renames_puts_the_old_day_back(tmp_path: Path, capsys,
                                                           monkeypatch: pytest.MonkeyPatch):
    """Where the file system cannot swap folders in one step, a crash between parking the old
    folder and moving the new one in leaves the day missing: the next writer puts it back."""
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    before = tree(out)
    _crash(out, "between-renames", "2025-12-31")
    assert not (out / "2025-12-31").exists()  # the window this test is about
    assert cli_checked(capsys, "publish", "--out", str(out)).code == 0  # any writer recovers
    after = tree(out)
    assert {k: v for k, v in after.items() if k in before} == before
    assert not [n for n in os.listdir(out) if n.startswith(".")]
    assert "2025-12-31/index.html" in after  # and the portal lists the day


def test_a_crash_after_the_swap_leaves_the_new_day_whole(tmp_path: Path):
    out = tmp_path / "out"
    deliver.write_folder(out, LAST, OLD)
    _crash(out, "after-exchange")
    assert tree(out / LAST) == {"report.json": b"new", "b.pdf": b"new"}
    deliver.write_folder(out, "2026-02-05", {"x.pdf": b"x"})  # the next writer tidies up
    assert sorted(os.listdir(out)) == ["2026-02-05", LAST]


RACE = """
import os, sys, time
from pathlib import Path
from reporter import deliver
out, tag = Path(sys.argv[1]), sys.argv[2]
deliver._exchange = lambda a, b: False  # the two-rename path, slowed down in its window
real_replace = os.replace
def replace(src, dst):
    real_replace(src, dst)
    if ".old-" in str(dst):
        time.sleep(0.5)
os.replace = replace
files = {f"{n}.pdf": tag.encode() for n in range(5)}
print("ready", flush=True)
sys.stdin.readline()
deliver.write_folder(out, sys.argv[3], files)
"""


def test_two_writers_of_one_day_take_turns(tmp_path: Path):
    out = tmp_path / "out"
    deliver.write_folder(out, LAST, OLD)
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(out), tag, LAST], cwd=REPO,
                              text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for tag in ("A", "B")]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:  # go at once
        assert p.stdin is not None
        p.stdin.write("\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    files = tree(out / LAST)
    assert sorted(files) == [f"{n}.pdf" for n in range(5)]
    assert len(set(files.values())) == 1  # all from one writer, never a mix
    assert os.listdir(out) == [LAST]


def test_rebuilding_a_day_keeps_its_portal_pages(market: Market, tmp_path: Path, capsys,
                                                 quick: None):
    """A day rebuilt without --publish still has the pages the portal links to."""
    out = tmp_path / "out"
    assert _run(capsys, market, out).code == 0
    assert cli_checked(capsys, "publish", "--out", str(out)).code == 0
    pages = {k: v for k, v in tree(out / LAST).items() if k.startswith("index")}
    assert sorted(pages) == ["index.en.html", "index.html"]
    (out / LAST / "report.json").unlink()  # incomplete: the next run rebuilds the day
    assert _run(capsys, market, out).code == 0
    rebuilt = tree(out / LAST)
    assert {k: rebuilt[k] for k in pages} == pages and "report.json" in rebuilt


def test_leftovers_of_a_killed_publish_are_cleared(tmp_path: Path, capsys,
                                                   monkeypatch: pytest.MonkeyPatch):
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(gone.stdout)  # a process id that has ended
    for folder in (out, out / "2025-12-31"):
        (folder / f".index.html.tmp-{dead}").write_text("<html><body>half")
    live = out / f".feed.xml.tmp-{os.getppid()}"  # a live writer's file is not touched
    live.write_text("<feed")
    assert cli_checked(capsys, "publish", "--out", str(out)).code == 0
    leftovers = sorted(str(p.relative_to(out)) for p in out.rglob(".*"))
    assert leftovers == [live.name]
