"""The yahoo source: real yfinance against recorded Yahoo responses, and the retry/error rules.

No test touches the network: an autouse fixture makes socket connections and libcurl requests
fail. The first group drives the real ``yfinance.download`` with its HTTP session replaced by a
fake that answers from the recorded chart JSON in ``recorded/``, so a yfinance upgrade that
changes the frame's shape or its requests shows up here. The second group stands in for the
download function with frames shaped like yfinance's output.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
import requests
from curl_cffi.requests import Session as CurlSession

from reporter.errors import DataError, MissingSymbolsError, SourceError
from reporter.model import PRICE_COLUMNS
from reporter.sources import sp500, yahoo
from reporter.sources.yahoo import FATAL, TRANSIENT, YahooSource, classify_network_error
from tests.support.yahoo import FakeClock, FakeDownload, bars, yf_frame

REC = Path(__file__).parent / "recorded"
NY = ZoneInfo("America/New_York")
CHART_FILES = {"^GSPC": "chart_GSPC.json", "XLK": "chart_XLK.json", "SIVB": "chart_SIVB.json"}
QUOTE_SYMBOLS = ("SPY", "IWM")
D = dt.date


class NetworkBlocked(AssertionError):
    """Raised by the guard: a test tried to reach the network."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlocked("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(CurlSession, "request", refuse)  # the fake session overrides it


# ------------------------------------------------------------------ a fake Yahoo over HTTP


def _response(url: str, status: int, body: str, ctype: str = "application/json") -> Any:
    """A response as yfinance's own HTTP client (curl_cffi) builds it."""
    from curl_cffi.requests.models import Response

    r = Response()
    r.url = url
    r.status_code = status
    r.ok = status < 400
    r.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}.get(status, "Error")
    r.content = body.encode("utf-8")
    r.headers["Content-Type"] = f"{ctype};charset=utf-8"
    return r


def _window(doc: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    """The recorded result cut to what Yahoo returns for the query (range=1d: last bar)."""
    res = doc["chart"]["result"][0]
    stamps = res["timestamp"]
    if "range" in query:
        keep = [len(stamps) - 1]
    else:
        lo, hi = int(query["period1"]), int(query["period2"])
        keep = [i for i, t in enumerate(stamps) if lo <= t < hi]
    quote = res["indicators"]["quote"][0]
    adj = res["indicators"]["adjclose"][0]["adjclose"]
    out = dict(res)
    out["timestamp"] = [stamps[i] for i in keep]
    out["indicators"] = {
        "quote": [{k: [v[i] for i in keep] for k, v in quote.items()}],
        "adjclose": [{"adjclose": [adj[i] for i in keep]}],
    }
    if "events" in res:
        lo_t, hi_t = min(out["timestamp"], default=0), max(out["timestamp"], default=0)
        divs = {k: v for k, v in res["events"]["dividends"].items() if lo_t <= v["date"] <= hi_t}
        out["events"] = {"dividends": divs} if divs else {}
    return {"chart": {"result": [out], "error": None}}


class FakeYahooSession(CurlSession):
    """Answers the URLs yfinance requests from the recorded Yahoo responses.

    ``fail`` maps a symbol to HTTP statuses returned (in order) before its chart answers;
    ``raise_exc`` makes every request raise it (e.g. a failed name lookup).
    """

    def __init__(self, fail: dict[str, list[int]] | None = None,
                 raise_exc: BaseException | None = None,
                 quotes: tuple[str, ...] = QUOTE_SYMBOLS) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.unexpected: list[str] = []
        self.fail = {k: list(v) for k, v in (fail or {}).items()}
        self.raise_exc = raise_exc
        self.quotes = quotes

    def request(self, method: str, url: str, params: Any = None, **kwargs: Any) -> Any:
        full = url
        if params:
            full += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        parts = urllib.parse.urlsplit(full)
        query = dict(urllib.parse.parse_qsl(parts.query))
        with self.lock:
            self.log.append((parts.hostname or "", urllib.parse.unquote(parts.path), query))
        if self.raise_exc is not None:
            raise self.raise_exc
        return self._answer(full, parts.hostname or "", urllib.parse.unquote(parts.path), query)

    def chart_requests(self, symbol: str, *, history: bool = True) -> list[dict[str, str]]:
        path = f"/v8/finance/chart/{symbol}"
        return [q for _, p, q in self.log if p == path and (("period1" in q) == history)]

    def _answer(self, full: str, host: str, path: str, query: dict[str, str]) -> Any:
        if host == "fc.yahoo.com" or host.endswith("consent.yahoo.com") or \
                host == "guce.yahoo.com":
            return _response(full, 404, "<html><body>404</body></html>", "text/html")
        if path == "/v1/test/getcrumb":
            return _response(full, 200, "Zt0rY6xQp1b", "text/plain")
        if path.startswith("/v8/finance/chart/"):
            sym = path.rsplit("/", 1)[1]
            with self.lock:
                plan = self.fail.get(sym)
                status = plan.pop(0) if plan else None
            if status == 429:
                return _response(full, 429, "Edge: Too Many Requests", "text/plain")
            if status is not None:
                body = {"chart": {"result": None, "error": {"code": "Internal Server Error",
                                                            "description": "Service error"}}}
                return _response(full, status, json.dumps(body))
            doc = _recorded_chart(sym)
            if doc is None or doc["chart"]["error"]:
                missing = {"chart": {"result": None, "error": {
                    "code": "Not Found", "description": "No data found, symbol may be delisted"}}}
                return _response(full, 404, json.dumps(doc or missing))
            return _response(full, 200, json.dumps(_window(doc, query)))
        if path.startswith("/v10/finance/quoteSummary/"):
            sym = path.rsplit("/", 1)[1]
            if sym in self.quotes:
                return _response(full, 200, (REC / f"quoteSummary_{sym}.json").read_text())
            body = {"quoteSummary": {"result": None, "error": {
                "code": "Not Found", "description": f"Quote not found for symbol: {sym}"}}}
            return _response(full, 404, json.dumps(body))
        if path.startswith("/ws/fundamentals-timeseries/v1/finance/timeseries/"):
            sym = path.rsplit("/", 1)[1]  # funds have no PEG ratio: meta only
            body = {"timeseries": {"result": [{"meta": {"symbol": [sym],
                                                        "type": [query.get("type", "")]}}],
                                   "error": None}}
            return _response(full, 200, json.dumps(body))
        if path == "/v7/finance/quote":
            sym = query.get("symbols", "")
            if sym in self.quotes:
                return _response(full, 200, (REC / f"quote_{sym}.json").read_text())
            return _response(full, 200, json.dumps({"quoteResponse": {"result": [],
                                                                      "error": None}}))
        with self.lock:
            self.unexpected.append(full)
        return _response(full, 404, "<html><body>404</body></html>", "text/html")


def _recorded_chart(symbol: str) -> dict[str, Any] | None:
    name = CHART_FILES.get(symbol)
    return json.loads((REC / name).read_text()) if name else None


def expected_bars(symbol: str, first: dt.date, last: dt.date) -> dict[dt.date, tuple[float, ...]]:
    """Adjusted bars straight from the recorded JSON with a plain loop (the independent check):
    the session is the New York date of the timestamp; Open/High/Low are scaled by
    adjclose/close and Close is adjclose."""
    res = _recorded_chart(symbol)["chart"]["result"][0]  # type: ignore[index]
    quote = res["indicators"]["quote"][0]
    adj = res["indicators"]["adjclose"][0]["adjclose"]
    rows = {}
    for i, stamp in enumerate(res["timestamp"]):
        day = dt.datetime.fromtimestamp(stamp, NY).date()
        if first <= day <= last:
            ratio = adj[i] / quote["close"][i]
            rows[day] = (quote["open"][i] * ratio, quote["high"][i] * ratio,
                         quote["low"][i] * ratio, adj[i], float(quote["volume"][i]))
    return rows


def assert_bars(frame: pd.DataFrame, expected: dict[dt.date, tuple[float, ...]]) -> None:
    assert list(frame.columns) == list(PRICE_COLUMNS)
    assert frame.index.name == "Date"
    assert frame.index.tz is None
    assert all(ts == ts.normalize() for ts in frame.index)
    assert [ts.date() for ts in frame.index] == sorted(expected)
    assert all(frame[c].dtype == np.float64 for c in PRICE_COLUMNS)
    for ts, row in frame.iterrows():
        assert tuple(row) == pytest.approx(expected[ts.date()], rel=1e-12)


def recorded_source(tmp_path: Path, session: FakeYahooSession, **kw: Any) -> YahooSource:
    kw.setdefault("resolve", None)
    return YahooSource(tmp_path / "cache", session=session, **kw)


# ------------------------------------------------------------------ real yfinance, fake HTTP


def test_real_download_matches_recorded_chart_responses(tmp_path: Path) -> None:
    session = FakeYahooSession()
    clock = FakeClock()
    src = recorded_source(tmp_path, session, sleep=clock.sleep, clock=clock)
    out = src.fetch(["^GSPC", "XLK"], D(2025, 12, 22), D(2025, 12, 31))

    assert list(out) == ["^GSPC", "XLK"]
    assert_bars(out["^GSPC"], expected_bars("^GSPC", D(2025, 12, 22), D(2025, 12, 31)))
    assert_bars(out["XLK"], expected_bars("XLK", D(2025, 12, 22), D(2025, 12, 31)))
    # Spot checks by hand: first and last session, end inclusive.
    assert out["^GSPC"].index[0] == pd.Timestamp("2025-12-22")
    assert out["^GSPC"].index[-1] == pd.Timestamp("2025-12-31")
    assert out["^GSPC"].loc["2025-12-31", "Close"] == pytest.approx(6845.5)
    assert out["XLK"].loc["2025-12-31", "Close"] == pytest.approx(143.62)
    assert out["XLK"].loc["2025-12-31", "Volume"] == 9528400
    assert clock.sleeps == []
    assert session.unexpected == []
    # yfinance's end is exclusive: the request runs to midnight New York after the end date.
    (query,) = session.chart_requests("XLK")
    assert int(query["period2"]) == int(dt.datetime(2026, 1, 1, tzinfo=NY).timestamp())
    assert int(query["period1"]) == int(dt.datetime(2025, 12, 22, tzinfo=NY).timestamp())
    # yfinance's own caches live inside the project's cache folder.
    assert (tmp_path / "cache" / "yfinance" / "tkr-tz.db").is_file()
    assert src.info.name == "yahoo" and src.info.retrieved_at is not None


def test_auto_adjust_applies_the_dividend_before_the_ex_date(tmp_path: Path) -> None:
    src = recorded_source(tmp_path, FakeYahooSession())
    bars = src.fetch(["XLK"], D(2025, 12, 17), D(2025, 12, 19))["XLK"]
    assert_bars(bars, expected_bars("XLK", D(2025, 12, 17), D(2025, 12, 19)))
    # The recorded raw close on 2025-12-19 is 144.2853, the adjusted one 144.03 (a 0.2553
    # dividend goes ex on 12-22); the adjusted open is the raw open scaled by the same ratio.
    assert bars.loc["2025-12-19", "Close"] == pytest.approx(144.03)
    assert bars.loc["2025-12-19", "Open"] == pytest.approx(142.0279, abs=1e-4)


def test_all_history_when_start_is_none(tmp_path: Path) -> None:
    session = FakeYahooSession()
    out = recorded_source(tmp_path, session).fetch(["^GSPC"], None, None)
    assert_bars(out["^GSPC"], expected_bars("^GSPC", D(1900, 1, 1), D(2100, 1, 1)))
    (query,) = session.chart_requests("^GSPC")
    assert int(query["period1"]) < int(dt.datetime(1950, 1, 1, tzinfo=dt.UTC).timestamp())


def test_delisted_symbol_is_named_and_not_retried(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import logging

    propagate = logging.getLogger("yfinance").propagate
    clock = FakeClock()
    src = recorded_source(tmp_path, FakeYahooSession(), sleep=clock.sleep, clock=clock)
    with pytest.raises(SourceError) as err:
        src.fetch(["^GSPC", "SIVB", "XLK"], D(2025, 12, 22), D(2025, 12, 31))
    assert str(err.value) == "yahoo: no data for SIVB"
    assert clock.sleeps == []
    # yfinance's error log and warnings did not reach the terminal.
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert logging.getLogger("yfinance").propagate == propagate


@pytest.mark.parametrize("status", [429, 503])
def test_transient_http_error_is_retried_then_succeeds(tmp_path: Path, status: int) -> None:
    session = FakeYahooSession(fail={"XLK": [status, status]})
    clock = FakeClock()
    src = recorded_source(tmp_path, session, sleep=clock.sleep, clock=clock)
    out = src.fetch(["^GSPC", "XLK"], D(2025, 12, 22), D(2025, 12, 31))
    assert clock.sleeps == [1.0]
    assert_bars(out["XLK"], expected_bars("XLK", D(2025, 12, 22), D(2025, 12, 31)))
    assert_bars(out["^GSPC"], expected_bars("^GSPC", D(2025, 12, 22), D(2025, 12, 31)))
    # Only the missing symbol was asked for again.
    assert len(session.chart_requests("^GSPC")) == 1


def test_persistent_rate_limit_gives_up_within_the_time_budget(tmp_path: Path) -> None:
    session = FakeYahooSession(fail={"XLK": [429] * 1000})
    clock = FakeClock()
    src = recorded_source(tmp_path, session, sleep=clock.sleep, clock=clock, timeout_total=10)
    with pytest.raises(SourceError) as err:
        src.fetch(["^GSPC", "XLK"], D(2025, 12, 22), D(2025, 12, 31))
    message = str(err.value)
    assert message.startswith("yahoo: no data for XLK after 4 attempt(s)")
    assert "rate limited (HTTP 429)" in message and "\n" not in message
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert clock.now <= 10


def test_failed_name_lookup_in_yfinance_fails_at_once(tmp_path: Path) -> None:
    from curl_cffi.requests.exceptions import DNSError

    dns = DNSError("Failed to perform, curl: (6) Could not resolve host: "
                   "query2.finance.yahoo.com. See https://curl.se/libcurl/c/libcurl-errors.html",
                   code=6)
    clock = FakeClock()
    src = recorded_source(tmp_path, FakeYahooSession(raise_exc=dns), sleep=clock.sleep,
                          clock=clock)
    with pytest.raises(SourceError) as err:
        src.fetch(["^GSPC", "XLK"], D(2025, 12, 22), D(2025, 12, 31))
    assert str(err.value) == (
        "yahoo: cannot reach Yahoo Finance (name lookup failed); check the network or use "
        "--source csv:DIR or sample"
    )
    assert clock.sleeps == []


def test_valuations_from_recorded_quote_responses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yahoo, "_new_york_today", lambda: D(2026, 1, 3))  # a Saturday
    src = recorded_source(tmp_path, FakeYahooSession())
    frame = src.valuations(["^GSPC", "SPY", "IWM", "XLK"])
    assert frame is not None
    assert list(frame.columns) == ["Date", "Symbol", "TrailingPE"]
    assert frame.to_dict("records") == [
        {"Date": pd.Timestamp("2026-01-02"), "Symbol": "IWM", "TrailingPE": 18.46},
        {"Date": pd.Timestamp("2026-01-02"), "Symbol": "SPY", "TrailingPE": 27.83},
    ]
    assert src.warnings == []


def test_valuations_missing_for_one_symbol_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yahoo, "_new_york_today", lambda: D(2026, 1, 5))
    src = recorded_source(tmp_path, FakeYahooSession(quotes=("SPY",)))
    frame = src.valuations(["SPY", "IWM"])
    assert frame is not None
    assert frame["Symbol"].tolist() == ["SPY"]
    assert frame["Date"].tolist() == [pd.Timestamp("2026-01-05")]
    assert src.warnings == ["no trailing P/E for IWM (not provided)"]


def test_valuations_never_fail_the_run(tmp_path: Path) -> None:
    src = recorded_source(tmp_path, FakeYahooSession(raise_exc=RuntimeError("boom")))
    assert src.valuations(["SPY", "IWM"]) is None
    assert len(src.warnings) == 2 and all("no trailing P/E" in w for w in src.warnings)
    offline = YahooSource(tmp_path / "c2", resolve=_fail_lookup)
    assert offline.valuations(["SPY"]) is None
    assert offline.warnings == [
        "no trailing P/E: yahoo: cannot reach Yahoo Finance (name lookup failed); check the "
        "network or use --source csv:DIR or sample"
    ]
    assert src.valuations(["^GSPC", "XLK"]) is None  # not asked for: nothing to do


def _fail_lookup(host: str) -> None:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


# ------------------------------------------------------------------ yfinance-shaped frames

DAYS = ["2025-12-29", "2025-12-30", "2025-12-31"]


def patched(tmp_path: Path, download: FakeDownload, clock: FakeClock | None = None,
            **kw: Any) -> YahooSource:
    clock = clock or FakeClock()
    return YahooSource(tmp_path / "cache", download=download, sleep=clock.sleep, clock=clock,
                       resolve=None, **kw)


def test_partial_result_names_the_missing_symbol(tmp_path: Path) -> None:
    frame = yf_frame({"^RUT": bars([2500.0, 2490.0, 2480.0]), "XLC": None}, DAYS)
    src = patched(tmp_path, FakeDownload(frame))
    with pytest.raises(MissingSymbolsError) as err:
        src.fetch(["^RUT", "XLC"], D(2025, 12, 29), D(2025, 12, 31))
    assert str(err.value) == "yahoo: no data for XLC"
    # what did come back is kept, so optional members can degrade to coverage
    assert err.value.missing == ("XLC",)
    assert err.value.found["^RUT"]["Close"].tolist() == [2500.0, 2490.0, 2480.0]


def test_empty_result_names_every_symbol(tmp_path: Path) -> None:
    empty = yf_frame({"^RUT": None, "XLC": None}, [])
    for answer in (empty, None):
        src = patched(tmp_path, FakeDownload(answer))
        with pytest.raises(SourceError) as err:
            src.fetch(["^RUT", "XLC"], D(2025, 12, 29), D(2025, 12, 31))
        assert str(err.value) == "yahoo: no data for ^RUT, XLC"


def test_download_arguments_and_inclusive_end(tmp_path: Path) -> None:
    # yfinance may hand back a row outside the range: it is cut off.
    frame = yf_frame({"SPY": bars([680.0, 682.0, 681.0, 679.0])}, [*DAYS, "2026-01-02"])
    download = FakeDownload(frame)
    out = patched(tmp_path, download).fetch(["SPY"], D(2025, 12, 29), D(2025, 12, 31))
    (tickers, kwargs), = download.calls
    assert tickers == ["SPY"]
    assert kwargs["auto_adjust"] is True
    assert kwargs["actions"] is False
    assert kwargs["progress"] is False
    assert kwargs["start"] == "2025-12-29"
    assert kwargs["end"] == "2026-01-01"  # exclusive in yfinance, so one day after ours
    assert out["SPY"]["Close"].tolist() == [680.0, 682.0, 681.0]
    assert out["SPY"].index.tolist() == [pd.Timestamp(d) for d in DAYS]

    download = FakeDownload(frame)
    patched(tmp_path, download).fetch(["SPY"], None, None)
    (_, kwargs), = download.calls
    assert kwargs["period"] == "max" and "start" not in kwargs and "end" not in kwargs


def test_many_symbols_are_downloaded_in_batches(tmp_path: Path) -> None:
    symbols = [f"S{i:03d}" for i in range(250)]

    def answer(tickers: list[str]) -> pd.DataFrame:
        return yf_frame({t: bars([10.0, 11.0, 12.0]) for t in tickers}, DAYS)

    download = FakeDownload(answer)
    out = patched(tmp_path, download).fetch(symbols, D(2025, 12, 29), D(2025, 12, 31))
    assert [len(t) for t, _ in download.calls] == [100, 100, 50]
    assert sorted(sum((t for t, _ in download.calls), [])) == symbols
    assert list(out) == symbols
    assert all(f["Close"].tolist() == [10.0, 11.0, 12.0] for f in out.values())


def test_tz_aware_index_becomes_session_dates(tmp_path: Path) -> None:
    frame = yf_frame({"XLK": bars([145.0, 144.0, 143.0])}, DAYS)
    frame.index = (frame.index + pd.Timedelta(hours=9, minutes=30)).tz_localize(NY)
    out = patched(tmp_path, FakeDownload(frame)).fetch(["XLK"], D(2025, 12, 29), D(2025, 12, 31))
    assert out["XLK"].index.tolist() == [pd.Timestamp(d) for d in DAYS]
    assert out["XLK"].index.tz is None and out["XLK"].index.name == "Date"


def test_bar_warnings_are_collected(tmp_path: Path) -> None:
    cols = bars([145.0, 144.0, 143.0])
    cols["High"][1] = 143.5  # below the open and the close of 2025-12-30
    src = patched(tmp_path, FakeDownload(yf_frame({"XLK": cols}, DAYS)))
    src.fetch(["XLK"], D(2025, 12, 29), D(2025, 12, 31))
    assert src.warnings == [
        "XLK: 1 row with open/high/low inconsistent with each other "
        "(first 2025-12-30)"
    ]


def test_bad_close_is_a_data_error(tmp_path: Path) -> None:
    frame = yf_frame({"XLK": bars([145.0, -1.0, 143.0])}, DAYS)
    with pytest.raises(DataError, match="XLK on 2025-12-30"):
        patched(tmp_path, FakeDownload(frame)).fetch(["XLK"], D(2025, 12, 29), D(2025, 12, 31))


@pytest.mark.parametrize("first_error", [
    TimeoutError("The read operation timed out"),
    "rate-limit",
    "curl-timeout",
])
def test_transient_error_then_success_is_retried(tmp_path: Path, first_error: Any) -> None:
    if first_error == "rate-limit":
        from yfinance.exceptions import YFRateLimitError

        first_error = YFRateLimitError()
    elif first_error == "curl-timeout":
        from curl_cffi.requests.exceptions import Timeout

        first_error = Timeout("Failed to perform, curl: (28) Operation timed out after 20001 "
                              "milliseconds with 0 bytes received", code=28)
    frame = yf_frame({"^GSPC": bars([6905.0, 6896.0, 6845.5])}, DAYS)
    clock = FakeClock()
    download = FakeDownload(first_error, frame)
    out = patched(tmp_path, download, clock).fetch(["^GSPC"], D(2025, 12, 29), D(2025, 12, 31))
    assert len(download.calls) == 2
    assert clock.sleeps == [1.0]
    assert out["^GSPC"]["Close"].tolist() == [6905.0, 6896.0, 6845.5]


@pytest.mark.parametrize(("error", "reason"), [
    (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "name lookup failed"),
    (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
])
def test_unreachable_host_fails_at_once(tmp_path: Path, error: Exception, reason: str) -> None:
    clock = FakeClock()
    download = FakeDownload(error)
    with pytest.raises(SourceError) as err:
        patched(tmp_path, download, clock).fetch(["^GSPC"], D(2025, 12, 29), D(2025, 12, 31))
    assert str(err.value) == (
        f"yahoo: cannot reach Yahoo Finance ({reason}); check the network or use "
        "--source csv:DIR or sample"
    )
    assert len(download.calls) == 1 and clock.sleeps == []


def test_failed_lookup_before_download_skips_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    download = FakeDownload(yf_frame({"^GSPC": bars([1.0, 2.0, 3.0])}, DAYS))
    src = YahooSource(tmp_path / "cache", download=download)  # the default resolver
    with pytest.raises(SourceError, match=r"^yahoo: cannot reach Yahoo Finance \(name lookup"):
        src.fetch(["^GSPC"], D(2025, 12, 29), D(2025, 12, 31))
    assert download.calls == []


def test_retry_time_is_bounded(tmp_path: Path) -> None:
    clock = FakeClock()
    download = FakeDownload(TimeoutError("timed out"), clock=clock, takes=3.0)
    src = patched(tmp_path, download, clock, timeout_total=20)
    with pytest.raises(SourceError) as err:
        src.fetch(["^GSPC", "^RUT"], D(2025, 12, 29), D(2025, 12, 31))
    # 3 s per attempt; waits of 1, 2, 4 s; the next wait (8 s) would end past 20 s.
    assert len(download.calls) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert clock.now <= 20
    assert str(err.value) == (
        "yahoo: no data for ^GSPC, ^RUT after 4 attempt(s) in 19 s (timed out); try again "
        "later or use --source csv:DIR or sample"
    )


def test_unexpected_error_is_one_line_and_not_retried(tmp_path: Path) -> None:
    clock = FakeClock()
    download = FakeDownload(ValueError("bad\nthing"))
    with pytest.raises(SourceError) as err:
        patched(tmp_path, download, clock).fetch(["^GSPC"], D(2025, 12, 29), D(2025, 12, 31))
    assert str(err.value) == "yahoo: download failed (ValueError: bad thing)"
    assert len(download.calls) == 1 and clock.sleeps == []


def test_nothing_to_ask_for(tmp_path: Path) -> None:
    download = FakeDownload(AssertionError("must not be called"))
    src = patched(tmp_path, download)
    assert src.fetch([], None, None) == {}
    weekend = src.fetch(["SPY", "SPY"], D(2026, 1, 3), D(2026, 1, 4))  # Saturday, Sunday
    assert list(weekend) == ["SPY"] and weekend["SPY"].empty
    assert list(weekend["SPY"].columns) == list(PRICE_COLUMNS)
    assert src.fetch(["SPY"], D(2026, 1, 9), D(2026, 1, 5))["SPY"].empty
    assert download.calls == []
    assert src.version("SPY") is None


# ------------------------------------------------------------------ classification


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: socket.gaierror(-2, "Name or service not known"), (FATAL, "name lookup failed")),
    (lambda: ConnectionRefusedError(111, "Connection refused"), (FATAL, "connection refused")),
    (lambda: TimeoutError("timed out"), (TRANSIENT, "timed out")),
    (lambda: ConnectionResetError(104, "Connection reset by peer"),
     (TRANSIENT, "connection dropped")),
    (lambda: ValueError("no"), None),
])
def test_classify_plain_errors(make: Any, expected: Any) -> None:
    assert classify_network_error(make()) == expected


def test_classify_client_errors() -> None:
    from curl_cffi.requests import exceptions as cx
    from yfinance.exceptions import YFRateLimitError

    refused = cx.ConnectionError("Failed to perform, curl: (7) Failed to connect to "
                                 "query2.finance.yahoo.com port 443", code=7)
    assert classify_network_error(refused) == (FATAL, "connection refused")
    assert classify_network_error(YFRateLimitError()) == (TRANSIENT, "rate limited (HTTP 429)")
    for status, expected in ((503, (TRANSIENT, "server error (HTTP 503)")), (404, None)):
        reply = requests.Response()
        reply.status_code = status
        assert classify_network_error(requests.HTTPError(response=reply)) == expected
        try:
            _response("https://query2.finance.yahoo.com/x", status, "{}").raise_for_status()
        except cx.HTTPError as err:
            assert classify_network_error(err) == expected
    try:  # a wrapped socket error is found through the exception chain
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except OSError as inner:
            raise RuntimeError("request failed") from inner
    except RuntimeError as outer:
        assert classify_network_error(outer) == (FATAL, "name lookup failed")


# ------------------------------------------------------------------ constituents


def test_constituents_from_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Symbol,Security,GICS Sector\nBRK.B,Berkshire Hathaway,Financials\n"
                    "NVDA,Nvidia,Information Technology\n", encoding="utf-8")
    src = YahooSource(tmp_path / "cache", constituents=str(path))
    frame = src.constituents()
    assert list(frame.columns) == ["Symbol", "Security", "GICS Sector"]
    assert frame["Symbol"].tolist() == ["BRK-B", "NVDA"]
    assert src.warnings == []
    missing = YahooSource(tmp_path / "cache", constituents=str(tmp_path / "nope.csv"))
    with pytest.raises(DataError, match="nope.csv"):
        missing.constituents()


def test_constituents_from_the_public_list_are_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sp500, "MIN_MEMBERS", 5)
    pages: list[str] = []

    def fetch_page(url: str) -> str:
        pages.append(url)
        return (REC / "sp500_constituents.html").read_text("utf-8")

    src = YahooSource(tmp_path / "cache", fetch_page=fetch_page)
    frame = src.constituents()
    assert frame["Symbol"].tolist() == ["MMM", "AOS", "AAPL", "BRK-B", "BF-B", "T", "NVDA"]
    assert frame.loc[frame["Symbol"] == "T", "Security"].item() == "AT&T"
    assert pages == [sp500.SP500_URL]
    assert (tmp_path / "cache" / sp500.CACHE_CSV).is_file()

    def offline(url: str) -> str:
        raise AssertionError("a fresh cache must be reused")

    again = YahooSource(tmp_path / "cache", fetch_page=offline).constituents()
    pd.testing.assert_frame_equal(again, frame)


def test_unknown_sector_name_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Symbol,Security,GICS Sector\nAAPL,Apple Inc.,Tech\n", encoding="utf-8")
    src = YahooSource(tmp_path / "cache", constituents=str(path))
    src.constituents()
    assert src.warnings == [
        "member list has 1 sector name outside the 11 GICS sectors: Tech"
    ]


def test_importing_the_module_does_not_import_yfinance() -> None:
    code = ("import sys, reporter.sources.yahoo, reporter.sources.sp500; "
            "assert 'yfinance' not in sys.modules, 'yfinance imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr
