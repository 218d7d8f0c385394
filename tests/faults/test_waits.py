"""Every wait has a bound: price files that are not regular files are refused by name instead
of blocking or growing without end, and an SMTP server that answers one byte at a time is cut
off when the configured timeout for the whole exchange has passed.

Each command runs as its own process: before these bounds existed it would wait for ever (or
until memory ran out), so the test holds a deadline of its own and a memory limit."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.cli import kill_group, spawn
from tests.support.days import make_day
from tests.support.market import LAST, Market
from tests.support.smtp import Script, ScriptedSmtp

WAIT = 60  # seconds the test gives a command that should answer at once


def _limit_memory() -> None:
    """A child that reads a device without end must fail, not take the machine down."""
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _finish(proc: subprocess.Popen[str], wait: float = WAIT) -> tuple[int, str, str, float]:
    started = time.monotonic()
    try:
        out, err = proc.communicate(timeout=wait)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        pytest.fail(f"still waiting after {wait} s")
    return proc.returncode, out, err, time.monotonic() - started


def _one_error_line(err: str) -> str:
    lines = [x for x in err.splitlines() if not x.startswith("reporter: warning")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _make_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _make_device_link(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize(("what", "make"), [
    ("member", _make_fifo),
    ("^GSPC", _make_fifo),
    ("member", _make_device_link),
    ("constituents", _make_fifo),
])
def test_a_price_or_member_file_that_is_not_a_regular_file_is_refused(
        what: str, make, market: Market, tmp_path: Path):
    if what == "constituents":
        victim = market.root / "constituents.csv"
    else:
        victim = market.prices(market.members[0] if what == "member" else what)
    make(victim)
    out = tmp_path / "out"
    proc = spawn("--config", str(market.config), "run", "--source", market.source,
                 "--out", str(out), "--lang", "en-US", "--date", LAST,
                 preexec_fn=_limit_memory)
    code, _, err, _ = _finish(proc)
    assert code == 3, err
    line = _one_error_line(err)
    assert str(victim) in line and "not a regular file" in line, line
    assert not out.exists()


def _mail_config(tmp_path: Path, port: int, timeout: int) -> Path:
    path = tmp_path / "mail.toml"
    path.write_text('[email]\nsender = "breadth@research.test"\nhost = "127.0.0.1"\n'
                    f'port = {port}\ntls = "none"\ntimeout = {timeout}\n', "utf-8")
    return path


@pytest.mark.parametrize("where", ["greeting", "accepted"])
def test_a_server_answering_one_byte_at_a_time_is_cut_off_at_the_timeout(
        where: str, tmp_path: Path):
    """No single read waits long (a byte every 0.2 s, the timeout is 2 s), yet the reply never
    ends: at the greeting, or after the message's data. The exchange as a whole must end
    after 2 s: exit 8 naming the timeout, the recipient not recorded as served."""
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    with ScriptedSmtp(Script(trickle_at=where, trickle=0.2)) as server:
        cfg = _mail_config(tmp_path, server.port, timeout=2)
        started = time.monotonic()
        proc = spawn("--config", str(cfg), "send", "--date", "2025-12-31", "--out", str(out),
                     "--to", "en@desk.test:en-US")
        code, _, err, _ = _finish(proc, wait=40)
        elapsed = time.monotonic() - started
    assert code == 8, err
    line = _one_error_line(err)
    assert "en@desk.test" in line and "timed out" in line and "2 s" in line, line
    assert elapsed < 15  # start-up, the 2 s exchange, and slack for a loaded machine
    assert not (out / ".sent" / "2025-12-31.json").exists()
    assert server.delivered == []


def test_a_configured_member_list_that_is_a_fifo_is_named(market: Market, tmp_path: Path):
    """The live source's member list from ``universe.constituents``: refused as what it is
    (not "not found"), before any download."""
    fifo = tmp_path / "members.csv"
    os.mkfifo(fifo)
    cfg = tmp_path / "live.toml"
    cfg.write_text(market.config.read_text("utf-8").replace(
        "[universe]\n", f'[universe]\nconstituents = "{fifo}"\n'), "utf-8")
    proc = spawn("--config", str(cfg), "run", "--source", "yahoo", "--out",
                 str(tmp_path / "out"), "--lang", "en-US")
    code, _, err, _ = _finish(proc)
    assert code == 3, err
    line = _one_error_line(err)
    assert str(fifo) in line and "not a regular file" in line, line
