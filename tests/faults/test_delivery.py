"""E-mail under faults (tests/test_mail.py covers a refused recipient, an unreachable server, a
refused login and an interrupt): a server that refuses at the greeting, hangs up, never
answers or drops the connection mid-message; a sender killed mid-send; a full disk while
recording what went out. Nobody gets a day's e-mail twice."""

from __future__ import annotations

import errno
import json
import time
from pathlib import Path

import pytest

from reporter import deliver
from tests.support.cli import cli_checked, kill_group, spawn
from tests.support.days import make_day, use_fake_texts
from tests.support.smtp import Script, ScriptedSmtp

DAY = "2025-12-31"
TO = ("--to", "zh@desk.test:zh-CN", "--to", "en@desk.test:en-US", "--to", "both@desk.test")


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_texts(monkeypatch)
    monkeypatch.delenv("REPORTER_SMTP_USER", raising=False)
    monkeypatch.delenv("REPORTER_SMTP_PASSWORD", raising=False)


def _config(tmp_path: Path, port: int, timeout: int = 10) -> Path:
    path = tmp_path / "mail.toml"
    path.write_text('[email]\nsender = "breadth@research.test"\nhost = "127.0.0.1"\n'
                    f'port = {port}\ntls = "none"\ntimeout = {timeout}\n', "utf-8")
    return path


def _send(capsys, cfg: Path, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(cfg), "send", "--date", DAY, "--out", str(out), *TO,
                       *extra)


def _record(out: Path) -> dict:
    path = out / ".sent" / f"{DAY}.json"
    return json.loads(path.read_text("utf-8"))["sent"] if path.exists() else {}


@pytest.mark.parametrize(("script", "says"), [
    (Script(greeting="554 5.3.2 faults.test: service unavailable"), "554"),
    (Script(greeting="421 4.3.2 faults.test: shutting down"), "421"),
    (Script(hang_up=True), "Connection unexpectedly closed"),
])
def test_a_server_that_will_not_talk_fails_every_recipient(script: Script, says: str,
                                                           tmp_path: Path, capsys):
    out = tmp_path / "out"
    make_day(out, DAY)
    with ScriptedSmtp(script) as server:
        done = _send(capsys, _config(tmp_path, server.port), out)
    assert done.code == 8
    line = done.error_lines[0]
    assert "failed for 3 of 3 recipient(s)" in line and says in line
    assert f"127.0.0.1:{server.port}" in line
    assert server.connections == 1  # no use hammering a server that refused
    assert _record(out) == {}


def test_a_server_that_never_answers_times_out(tmp_path: Path, capsys):
    out = tmp_path / "out"
    make_day(out, DAY)
    with ScriptedSmtp(Script(greeting=None)) as server:
        started = time.monotonic()
        done = _send(capsys, _config(tmp_path, server.port, timeout=1), out)
        elapsed = time.monotonic() - started
    assert done.code == 8 and "timed out" in done.error_lines[0]
    assert elapsed < 10
    assert _record(out) == {}


def test_a_connection_dropped_mid_message_is_retried_on_the_next_run_only(tmp_path: Path,
                                                                          capsys):
    """The server hangs up at the first message's DATA: that recipient fails, the others go
    out over a new connection; the next run sends the failed one only."""
    out = tmp_path / "out"
    make_day(out, DAY)
    with ScriptedSmtp(Script(drop_data={1})) as server:
        cfg = _config(tmp_path, server.port)
        done = _send(capsys, cfg, out)
        assert done.code == 8
        assert "zh@desk.test" in done.error_lines[0] and "1 of 3" in done.error_lines[0]
        assert server.delivered == [["en@desk.test"], ["both@desk.test"]]
        assert len(_record(out)) == 2
        again = _send(capsys, cfg, out)
        assert again.code == 0 and "sent 1, already sent 2" in again.out
        assert server.delivered == [["en@desk.test"], ["both@desk.test"], ["zh@desk.test"]]


def test_a_sender_killed_mid_message_sends_nobody_twice(tmp_path: Path):
    """``kill -9`` while the second message is on the wire: the rerun sends the second and
    third only. (The one window left: a kill after the server accepted a message and before
    the record is written would send that message again; the record is written right after
    each message to keep it that small.)"""
    out = tmp_path / "out"
    make_day(out, DAY)
    with ScriptedSmtp(Script(hold_data={2})) as server:
        cfg = _config(tmp_path, server.port)
        argv = ["--config", str(cfg), "send", "--date", DAY, "--out", str(out), *TO]
        env = {"REPORTER_SMTP_USER": "", "REPORTER_SMTP_PASSWORD": ""}
        proc = spawn(*argv, env=env)
        try:
            assert server.held.wait(60), "the second message never started"
        finally:
            kill_group(proc)
            proc.communicate()
        assert server.delivered == [["zh@desk.test"]]
        assert len(_record(out)) == 1
        rerun = spawn(*argv, env=env)
        stdout, stderr = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, stderr
        assert "Traceback" not in stderr and "sent 2, already sent 1" in stdout
        assert server.delivered == [["zh@desk.test"], ["en@desk.test"], ["both@desk.test"]]


def test_disk_full_while_recording_stops_the_sending(tmp_path: Path, capsys,
                                                     monkeypatch: pytest.MonkeyPatch):
    """What went out cannot be recorded: sending stops at once (rather than risk sending the
    rest twice) and says which record failed."""
    out = tmp_path / "out"
    make_day(out, DAY)
    real = open

    def full(path, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "w" in mode and ".sent" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(deliver, "open", full, raising=False)
    with ScriptedSmtp(Script()) as server:
        done = _send(capsys, _config(tmp_path, server.port), out)
    assert done.code == 7
    assert done.error_lines == [f"reporter: error: no space left on the device while writing "
                                f"{out / '.sent' / f'{DAY}.json'}"]
    assert server.delivered == [["zh@desk.test"]]
    assert not [p for p in (out / ".sent").iterdir() if ".tmp-" in p.name]
