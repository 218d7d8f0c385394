"""The live source failing as the network does, through the CLI (the source's own rules are
tested in tests/sources/test_yahoo.py): rate limits, dropped connections, empty and partial
downloads, and data that stops before the last closed session."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reporter import calendar
from reporter.sources import yahoo
from tests.support.cli import cli_checked
from tests.support.market import LAST, Market
from tests.support.yahoo import FakeClock, FakeDownload, yf_frame


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the fault suite must not use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


class MarketDownload:
    """Answers like ``yf.download`` from the tiny market's CSV files, minus ``drop``."""

    def __init__(self, market: Market, drop: tuple[str, ...] = ()) -> None:
        self.market, self.drop = market, drop

    def __call__(self, tickers: list[str]) -> pd.DataFrame:
        data: dict[str, dict[str, list[float]] | None] = {}
        frames = {}
        for sym in tickers:
            path = self.market.prices(sym)
            frames[sym] = pd.read_csv(path, index_col="Date") if path.exists() else None
        dates = sorted({d for f in frames.values() if f is not None for d in f.index})
        for sym, frame in frames.items():
            if frame is None or sym in self.drop:
                data[sym] = None
            else:
                frame = frame.reindex(dates)
                data[sym] = {c: frame[c].tolist() for c in ("Open", "High", "Low", "Close",
                                                              "Volume")}
        return yf_frame(data, dates)


def use_download(monkeypatch: pytest.MonkeyPatch, download: FakeDownload) -> FakeClock:
    """Make ``--source yahoo`` use ``download`` and a clock that only moves when it sleeps."""
    clock = FakeClock()
    real = yahoo.YahooSource

    def make(cache_dir: Path, constituents: str | None = None) -> yahoo.YahooSource:
        return real(cache_dir, constituents, download=download, sleep=clock.sleep, clock=clock,
                    resolve=None)

    monkeypatch.setattr(yahoo, "YahooSource", make)
    monkeypatch.setattr(real, "valuations", lambda self, symbols: None)  # no quote pages
    return clock


def _config(market: Market) -> str:
    """The small configuration, with the member list read from the market's CSV."""
    text = market.config.read_text("utf-8")
    if "constituents" in text:
        return str(market.config)
    text = text.replace(
        "[universe]\n", f'[universe]\nconstituents = "{market.root / "constituents.csv"}"\n')
    market.config.write_text(text, "utf-8")
    return str(market.config)


def _run(capsys, market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", _config(market), "run", "--source", "yahoo",
                       "--out", str(out), "--lang", "en-US", *extra)


def _rate_limited() -> BaseException:
    from yfinance.exceptions import YFRateLimitError

    return YFRateLimitError()


@pytest.mark.parametrize(("answer", "needles"), [
    (_rate_limited, ["rate limited (HTTP 429)", "attempt(s)", "try again later"]),
    (lambda: ConnectionError("('Connection aborted.', RemoteDisconnected())"),
     ["connection dropped", "attempt(s)"]),
    (lambda: TimeoutError("The read operation timed out"), ["timed out", "attempt(s)"]),
    (lambda: ConnectionRefusedError(111, "Connection refused"), ["connection refused"]),
    (lambda: None, ["no data for ^GSPC"]),  # an empty download
])
def test_network_trouble_is_exit_4_in_one_line(answer, needles: list[str], market: Market,
                                               tmp_path: Path, capsys,
                                               monkeypatch: pytest.MonkeyPatch):
    clock = use_download(monkeypatch, FakeDownload(answer()))
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == 4, done.err
    for needle in needles:
        assert needle in done.error_lines[0], (needle, done.err)
    assert clock.now <= 60  # retries stay inside the time budget
    assert not out.exists()


def test_a_download_without_the_sp500_fails_naming_it(market: Market, tmp_path: Path, capsys,
                                                      monkeypatch: pytest.MonkeyPatch):
    use_download(monkeypatch, FakeDownload(MarketDownload(market, drop=("^GSPC",))))
    done = _run(capsys, market, tmp_path / "out", "--date", LAST)
    assert done.code == 4 and done.error_lines == ["reporter: error: yahoo: no data for ^GSPC"]


def test_partial_and_stale_download_gives_a_report_that_says_so(
        market: Market, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    """Two members do not come back; the data ends (like the sample) on 2026-02-06, long before
    the last closed session: ``latest`` reports 2026-02-06 and says the data is stale."""
    lost = tuple(market.members[:2])
    use_download(monkeypatch, FakeDownload(MarketDownload(market, drop=lost)))
    out = tmp_path / "out"
    done = _run(capsys, market, out)
    assert done.code == 0, done.err
    report = json.loads((out / LAST / "report.json").read_text("utf-8"))
    assert report["as_of"] == LAST
    assert sorted(report["coverage"]["members_missing"]) == sorted(lost)
    closed = calendar.last_closed_session().date().isoformat()
    assert closed > LAST
    stale = [w for w in report["warnings"] if "stale" in w]
    assert len(stale) == 1 and f"no data after {LAST}" in stale[0] and closed in stale[0]
    assert any(f"no data from the source for 2 symbols: {', '.join(sorted(lost))}" in w
               for w in report["warnings"])

    again = _run(capsys, market, out)  # cron the next evening: nothing new, and it says why
    assert again.code == 0 and "already exists" in again.out
    assert f"the data ends on {LAST}, before the last closed session {closed}" in again.err
