"""Smaller edges a user hit: the paper size in capitals, ``~`` in a CSV folder, an impossible
date named as such, help text that shows every word and no value for flags, and progress on a
terminal while ``run`` works."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import cli_checked
from tests.support.fakes import fake_editions, patch_render
from tests.support.market import LAST, Market
from tests.support.paths import REPO


def _run(capsys: pytest.CaptureFixture[str], market: Market, out: Path, *extra: str,
         source: str | None = None):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source",
                       source or market.source, "--out", str(out), "--lang", "en-US",
                       "--date", LAST, *extra)


@pytest.mark.parametrize(("given", "used"), [("A4", "a4"), ("Letter", "letter"),
                                             ("LETTER", "letter")])
def test_the_paper_size_is_read_in_any_case(given: str, used: str, market: Market,
                                            tmp_path: Path, capsys,
                                            monkeypatch: pytest.MonkeyPatch):
    seen: list[Any] = []

    def fake(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        seen.append(kwargs.get("paper"))
        return fake_editions(*args, **kwargs)

    patch_render(monkeypatch, fake)
    done = _run(capsys, market, tmp_path / "out", "--paper", given)
    assert done.code == 0, done.err
    assert seen == [used]


def test_an_unknown_paper_size_is_still_refused(market: Market, tmp_path: Path, capsys,
                                                quick: None):
    done = _run(capsys, market, tmp_path / "out", "--paper", "A3")
    assert done.code == 2 and "--paper" in done.error_lines[0] and "A3" in done.error_lines[0]


def test_a_csv_folder_under_the_home_folder(market: Market, tmp_path: Path, capsys, quick: None,
                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(market.root.parent))
    done = _run(capsys, market, tmp_path / "out", source=f"csv:~/{market.root.name}")
    assert done.code == 0, done.err
    assert (tmp_path / "out" / LAST / "report.json").is_file()
    fetched = cli_checked(capsys, "--config", str(market.config), "fetch", "--source",
                          f"csv:~/{market.root.name}")
    assert fetched.code == 0 and "0 symbol(s) updated" in fetched.out  # the same store


@pytest.mark.parametrize(("argv", "option"), [
    (("run", "--date", "2025-13-01"), "--date"),
    (("run", "--date", "2025-02-30"), "--date"),
    (("send", "--date", "2025-13-01"), "--date"),
    (("fetch", "--to", "2025-13-01"), "--to"),
    (("backfill", "--from", "2025-02-30"), "--from"),
])
def test_an_impossible_date_is_named_as_such(argv: tuple[str, ...], option: str, capsys,
                                             tmp_path: Path):
    done = (cli_checked(capsys, *argv, "--out", str(tmp_path / "out")) if argv[0] != "fetch"
            else cli_checked(capsys, *argv))
    assert done.code == 2, done.err
    line = done.error_lines[0]
    day = argv[-1]
    assert f"{option}: {day} is not a date" in line, line
    assert ("month" in line) if "-13-" in day else ("day" in line), line
    assert "expected YYYY-MM-DD" not in line


def test_a_badly_written_date_still_gets_the_format(capsys, tmp_path: Path):
    done = cli_checked(capsys, "run", "--date", "06/02/2026", "--out", str(tmp_path / "out"))
    assert done.code == 2 and "expected YYYY-MM-DD" in done.error_lines[0]


@pytest.mark.parametrize("command", [(), ("run",), ("backfill",), ("send",), ("publish",)])
def test_help_shows_every_word_and_no_value_for_flags(command: tuple[str, ...], capsys):
    done = cli_checked(capsys, *command, "--help")
    assert done.code == 0
    assert "<bool>" not in done.out, done.out
    if command == ("run",):
        assert "[email] recipients" in done.out, done.out


def test_run_shows_progress_on_a_terminal(market: Market, tmp_path: Path):
    """stderr on a terminal: the stages are shown while the run works (and cleared); not a
    word of it when stderr is a file or a pipe."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reporter", "--config", str(market.config), "run", "--source",
         market.source, "--out", str(tmp_path / "out"), "--lang", "en-US", "--date", LAST],
        cwd=REPO, stdout=subprocess.PIPE, stderr=child, text=True,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(main)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, seen.decode("utf-8", "replace")
    text = seen.decode("utf-8", "replace")
    for stage in ("reading the data", "computing", "rendering"):
        assert stage in text, text
    assert "wrote" in out

    piped = subprocess.run(
        [sys.executable, "-m", "reporter", "--config", str(market.config), "run", "--source",
         market.source, "--out", str(tmp_path / "out2"), "--lang", "en-US", "--date", LAST],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
