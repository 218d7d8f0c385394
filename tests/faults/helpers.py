"""Helpers of the fault suite: a tiny market on disk to break, the CLI run as a user runs it.

The market is the embedded sample's data for every configured series and two members per
sector, written as CSV files; each test copies it and breaks one thing. A configuration with a
300-session history keeps runs short.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import exit_code

REPO = Path(__file__).resolve().parents[2]
LAST = "2026-02-06"  # the sample market's last session
SERIES = ("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX", "XLG", "RSP", "SPY", "IWM", "XLK", "XLF",
          "XLE", "XLV", "XLI", "XLP", "XLY", "XLU", "XLB", "XLRE", "XLC", "NVDA")
SMALL_CONFIG = """\
[universe]
indices = ["^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX"]
size = ["XLG", "RSP", "SPY", "IWM"]
watchlist = ["NVDA"]
[metrics]
history_sessions = 300
"""


def write_market(root: Path, per_sector: int = 2) -> list[str]:
    """Write the tiny market into ``root``; returns the member symbols."""
    from reporter.sources.sample import SampleSource

    src = SampleSource()
    cons = src.constituents()
    members = cons[~cons["Symbol"].isin(SERIES)].groupby("GICS Sector", sort=True).head(per_sector)
    symbols = [*SERIES, *members["Symbol"]]
    (root / "prices").mkdir(parents=True)
    for sym, frame in src.fetch(symbols, None, None).items():
        frame.to_csv(root / "prices" / f"{sym}.csv", date_format="%Y-%m-%d", float_format="%.4f")
    members.to_csv(root / "constituents.csv", index=False)
    return list(members["Symbol"])


@dataclass
class Market:
    """A private copy of the tiny market, with helpers to break it."""

    root: Path
    members: list[str]
    config: Path

    @property
    def source(self) -> str:
        return f"csv:{self.root}"

    def prices(self, symbol: str) -> Path:
        return self.root / "prices" / f"{symbol}.csv"

    def lines(self, symbol: str) -> list[str]:
        return self.prices(symbol).read_text("utf-8").splitlines()

    def set_lines(self, symbol: str, lines: list[str]) -> None:
        self.prices(symbol).write_text("\n".join(lines) + "\n", "utf-8")

    def edit_lines(self, symbol: str, change: Callable[[list[str]], list[str]]) -> None:
        self.set_lines(symbol, change(self.lines(symbol)))


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.startswith("reporter: warning")]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    """``reporter ARGV`` in this process; never a traceback, errors on one line."""
    capsys.readouterr()
    code = exit_code(*argv)
    out, err = capsys.readouterr()
    result = Outcome(code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0:
        assert len(result.error_lines) == 1, err
        assert result.error_lines[0].startswith("reporter: "), err
    return result


def spawn(*argv: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen[str]:
    """``reporter ARGV`` as its own process (in its own session, so its children can be
    cleaned up by process group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "reporter", *argv], cwd=REPO, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **(env or {})}, **kwargs,
    )


def patch_render(monkeypatch: pytest.MonkeyPatch, fake: Callable[..., dict[str, bytes]]) -> None:
    """Make a run's render stage call ``fake(report, texts, chart_data, **options)`` instead,
    wherever the orchestrator reaches it (a render service, or the package function)."""
    from reporter import pipeline

    renderer = getattr(pipeline, "Renderer", None)
    if renderer is not None:
        monkeypatch.setattr(renderer, "build_editions",
                            lambda self, *args, **kwargs: fake(*args, **kwargs))
    monkeypatch.setattr("reporter.render.build_editions", fake, raising=False)


def fake_editions(report: dict, texts: Any, charts: Any, *, editions: Any, **_: Any
                  ) -> dict[str, bytes]:
    """Stands in for the render stage: one small file per edition and a chart."""
    day = report["as_of"]
    files = {f"market-breadth_{day}_{e}.pdf": b"%PDF-1.7 new\n%%EOF\n" for e in editions}
    files[f"chart_indices_{editions[0]}.svg"] = b"<svg/>"
    return files


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL a process started by ``spawn``, then any worker it forked (same group)."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones included) by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}
