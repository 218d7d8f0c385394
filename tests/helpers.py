"""Running the command line inside the test process."""

from __future__ import annotations

import pytest

from reporter.cli import main


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
