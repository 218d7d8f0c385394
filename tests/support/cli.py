"""The command line as the tests run it: in this process, or as a process of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest

from reporter.cli import main
from tests.support.paths import REPO


def exit_code(*argv: str) -> int:
    """``reporter ARGV`` in this process; its exit status."""
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``reporter ARGV``: exit status, stdout and stderr."""
    code = exit_code(*argv)
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.startswith("reporter: warning")]


def cli_checked(capsys: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    """``reporter ARGV`` as a user meets it: never a traceback, an error on one line."""
    capsys.readouterr()
    code, out, err = cli(capsys, *argv)
    result = Outcome(code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0:
        assert len(result.error_lines) == 1, err
        assert result.error_lines[0].startswith("reporter: "), err
    return result


def spawn(*argv: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[str]:
    """``reporter ARGV`` as its own process (in its own session, so its children can be
    cleaned up by process group), with Ctrl-C (SIGINT) handled as from a terminal even when
    the tests themselves run in the background, where a shell starts them with SIGINT
    ignored and every child would inherit that."""
    also = kwargs.pop("preexec_fn", None)

    def before_exec() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if also is not None:
            also()

    return subprocess.Popen(
        [sys.executable, "-m", "reporter", *argv], cwd=REPO, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **(env or {})}, preexec_fn=before_exec, **kwargs,
    )


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL a process started by ``spawn``, then any worker it forked (same group)."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
