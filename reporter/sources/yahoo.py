"""Daily bars and trailing P/E from Yahoo Finance through yfinance; S&P 500 members from sp500.

yfinance is imported on first use only. It never raises for network trouble during a download:
it logs, and returns empty columns. So this module watches the HTTP session it hands to yfinance
(every request's outcome is recorded), decides from the frame which symbols came back, and turns
the rest into one-line SourceErrors: a failed name lookup or refused connection at once,
timeouts, rate limits and server errors after retries with exponential backoff inside a bounded
total time. yfinance's own logging and warnings are kept off the terminal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import logging
import socket
import threading
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reporter.errors import MissingSymbolsError, ReporterError, SourceError
from reporter.model import PRICE_COLUMNS, SourceInfo
from reporter.sources import sp500
from reporter.sources.base import CONSTITUENT_COLUMNS, check_bars, empty_bars, plausible_pe
from reporter.vocabulary import BENCHMARK, DATA_WARNINGS, SECTOR_ETFS, VALUATION_ETFS

YAHOO_HOST = "query2.finance.yahoo.com"
CHUNK_SIZE = 100  # symbols per download call
BACKOFF_FIRST = 1.0  # seconds before the first retry; doubles after each
BACKOFF_MAX = 16.0
REQUEST_TIMEOUT = 20.0  # per HTTP request, capped by what is left of the budget
RESOLVE_TIMEOUT = 5.0
_HINT = "check the network or use --source csv:DIR or sample"

FATAL = "fatal"  # no point retrying: the host cannot be reached at all
TRANSIENT = "transient"  # worth another try a little later

# libcurl error codes (curl_cffi raises CurlError subclasses carrying them as ``code``).
_CURL_FATAL = {5: "proxy name lookup failed", 6: "name lookup failed", 7: "connection refused"}
_CURL_TRANSIENT = {28: "timed out", 16: "connection dropped", 18: "connection dropped",
                   35: "TLS handshake failed", 52: "empty reply from server",
                   55: "connection dropped", 56: "connection dropped", 92: "connection dropped"}
_DNS_TEXT = ("could not resolve host", "name or service not known", "failed to resolve",
             "nodename nor servname", "getaddrinfo failed", "temporary failure in name resolution",
             "name resolution")


def classify_network_error(exc: BaseException) -> tuple[str, str] | None:
    """``(FATAL | TRANSIENT, reason)`` for a network problem, None for anything else.

    Looks through the exception chain, because HTTP clients wrap the socket error.
    """
    seen: set[int] = set()
    cur: BaseException | None = exc
    found: tuple[str, str] | None = None
    while cur is not None and id(cur) not in seen and found is None:
        seen.add(id(cur))
        found = _classify_one(cur)
        cur = cur.__cause__ or cur.__context__
    return found


def _classify_one(exc: BaseException) -> tuple[str, str] | None:
    name = type(exc).__name__
    text = str(exc).lower()
    code = getattr(exc, "code", None)
    if isinstance(code, int) and not isinstance(code, bool) and "curl" in text:
        if code in _CURL_FATAL:
            return FATAL, _CURL_FATAL[code]
        if code in _CURL_TRANSIENT:
            return TRANSIENT, _CURL_TRANSIENT[code]
    if isinstance(exc, socket.gaierror) or name in ("DNSError", "NameResolutionError"):
        return FATAL, "name lookup failed"
    if isinstance(exc, ConnectionRefusedError) or "connection refused" in text:
        return FATAL, "connection refused"
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return FATAL, "network unreachable"
    if name == "YFRateLimitError" or "too many requests" in text:
        return TRANSIENT, "rate limited (HTTP 429)"
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(status, int) and (status in (408, 429) or status >= 500):
        return TRANSIENT, _status_reason(status)
    if isinstance(exc, TimeoutError) or "timeout" in name.lower() or "timed out" in text:
        return TRANSIENT, "timed out"
    if isinstance(exc, ConnectionError) or name in ("ConnectionError", "ChunkedEncodingError"):
        if any(t in text for t in _DNS_TEXT):
            return FATAL, "name lookup failed"
        return TRANSIENT, "connection dropped"
    return None


def _status_reason(status: int) -> str:
    if status == 429:
        return "rate limited (HTTP 429)"
    if status == 408:
        return "request timeout (HTTP 408)"
    return f"server error (HTTP {status})"


class _Watch:
    """The network problems Yahoo's data hosts showed during one download attempt.

    Only ``*.finance.yahoo.com`` counts: yfinance fetches a cookie from other Yahoo hosts but
    carries on without it, so their failures do not explain missing data.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.fatal: str | None = None
        self.transient: str | None = None

    def reset(self) -> None:
        with self._lock:
            self.fatal = self.transient = None

    def note(self, kind: str, reason: str) -> None:
        with self._lock:
            if kind == FATAL:
                self.fatal = self.fatal or reason
            else:
                self.transient = self.transient or reason

    @staticmethod
    def counts(url: Any) -> bool:
        host = urllib.parse.urlsplit(str(url)).hostname or ""
        return host.endswith("finance.yahoo.com")

    def wrap(self, session: Any) -> None:
        """Record the outcome of every request the session makes (instance-level wrapper)."""
        original = session.request

        def request(*args: Any, **kwargs: Any) -> Any:
            url = kwargs.get("url", args[1] if len(args) > 1 else "")
            try:
                response = original(*args, **kwargs)
            except BaseException as exc:
                found = classify_network_error(exc)
                if found and self.counts(url):
                    self.note(*found)
                raise
            status = getattr(response, "status_code", None)
            if isinstance(status, int) and (status in (408, 429) or status >= 500) \
                    and self.counts(url):
                self.note(TRANSIENT, _status_reason(status))
            return response

        session.request = request


def _resolve_host(host: str) -> None:
    """Resolve ``host`` or raise socket.gaierror / TimeoutError (bounded: a thread waits)."""
    box: dict[str, BaseException | None] = {}

    def run() -> None:
        try:
            socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
            box["error"] = None
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name="resolve-yahoo", daemon=True)
    worker.start()
    worker.join(RESOLVE_TIMEOUT)
    if "error" not in box:
        raise TimeoutError(f"name lookup of {host} took over {RESOLVE_TIMEOUT:g} s")
    if box["error"] is not None:
        raise box["error"]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def _quiet() -> Iterator[_Collect]:
    """Keep yfinance's log records and warnings off the terminal (they are collected)."""
    logger = logging.getLogger("yfinance")
    handler = _Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def _names(symbols: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(symbols[:limit])
    return shown if len(symbols) <= limit else f"{shown} and {len(symbols) - limit} more"


def _new_york_today() -> dt.date:
    return pd.Timestamp.now(tz="America/New_York").date()


class YahooSource:
    """Yahoo Finance via yfinance: batched daily bars, S&P 500 members, trailing P/E."""

    def __init__(
        self,
        cache_dir: Path,
        constituents: str | None = None,
        *,
        session: Any = None,
        timeout_total: float = 60.0,
        download: Callable[..., pd.DataFrame | None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        resolve: Callable[[str], object] | None = _resolve_host,
        fetch_page: Callable[[str], str] = sp500.fetch_page,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        """``download`` stands in for ``yfinance.download``; ``sleep``/``clock`` for time (tests).

        ``resolve`` checks the host name before any download (None: skip the check).
        """
        if timeout_total <= 0:
            raise ValueError(f"timeout_total must be positive, got {timeout_total}")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
        self.info = SourceInfo(name="yahoo", description="Yahoo Finance via yfinance")
        self.cache_dir = Path(cache_dir)
        self.constituents_path = Path(constituents) if constituents else None
        self.timeout_total = float(timeout_total)
        self.warnings: list[str] = []
        self.notes: dict[str, list[str]] = {}  # the warnings about each symbol's bars
        self._session = session
        self._session_ready = False
        self._download = download
        self._sleep = sleep
        self._clock = clock
        self._resolve = resolve
        self._fetch_page = fetch_page
        self._chunk = chunk_size
        self._watch = _Watch()

    # ---------------------------------------------------------------- protocol

    def constituents(self) -> pd.DataFrame:
        """Members from the configured CSV, else the public S&P 500 list (cached a week)."""
        if self.constituents_path is not None:
            frame = sp500.read_constituents_csv(self.constituents_path)
        else:
            frame, notes = sp500.load_sp500(self.cache_dir, fetch=self._fetch_page)
            self.warnings.extend(notes)
        unknown = sorted(set(frame["GICS Sector"]) - set(SECTOR_ETFS))
        if unknown:
            self.warnings.append(DATA_WARNINGS["sector_names"].text(
                count=len(unknown), names=", ".join(unknown)))
        return frame[list(CONSTITUENT_COLUMNS)].reset_index(drop=True)

    def version(self, symbol: str) -> None:
        """Live data: the store asks for the sessions it lacks."""
        return None

    def fetch(
        self, symbols: Sequence[str], start: dt.date | None, end: dt.date | None
    ) -> dict[str, pd.DataFrame]:
        """Daily bars, ``start``..``end`` inclusive, in batched downloads with bounded retries."""
        wanted = list(dict.fromkeys(s.strip() for s in symbols if s.strip()))
        if not wanted:
            return {}
        if start is not None and end is not None:
            from reporter.calendar import sessions

            if start > end or len(sessions(start, end)) == 0:
                return {s: empty_bars() for s in wanted}
        self._check_reachable()
        deadline = self._clock() + self.timeout_total
        got: dict[str, pd.DataFrame] = {}
        pending = wanted
        attempt = 0
        started = self._clock()
        while True:
            attempt += 1
            frames, problem = self._attempt(pending, start, end, deadline)
            got.update(frames)
            pending = [s for s in pending if s not in frames]
            if not pending:
                break
            if problem is None:
                raise MissingSymbolsError(
                    f"yahoo: no data for {_names(pending)}", tuple(pending), dict(got)
                )
            delay = min(BACKOFF_FIRST * 2 ** (attempt - 1), BACKOFF_MAX)
            if self._clock() + delay > deadline:
                spent = self._clock() - started
                raise SourceError(
                    f"yahoo: no data for {_names(pending)} after {attempt} attempt(s) in "
                    f"{spent:.0f} s ({problem}); try again later or use --source csv:DIR or "
                    f"sample"
                )
            self._sleep(delay)
        self.info = dataclasses.replace(
            self.info, retrieved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        return {s: got[s] for s in wanted}

    def valuations(self, symbols: Sequence[str]) -> pd.DataFrame | None:
        """Trailing P/E of IWM and SPY (those asked for), dated today's session; else None.

        Never raises: every problem becomes a warning, because the valuation gap is optional.
        """
        asked = {s.strip().upper() for s in symbols}
        wanted = [s for s in VALUATION_ETFS if s in asked]
        if not wanted:
            return None
        try:
            self._check_reachable()
            day = self._session_day()
        except Exception as exc:  # the report goes on without valuations
            why = str(exc) if isinstance(exc, ReporterError) else _one_line(exc)
            self.warnings.append(DATA_WARNINGS["no_pe_at_all"].text(why=why))
            return None
        rows: list[dict[str, Any]] = []
        for sym in wanted:
            try:
                pe = self._trailing_pe(sym)
            except Exception as exc:  # never fail the run for a valuation
                found = classify_network_error(exc)
                why = found[1] if found else _one_line(exc)
                self.warnings.append(DATA_WARNINGS["no_pe"].text(symbol=sym, why=why))
                continue
            if pe is None:
                self.warnings.append(
                    DATA_WARNINGS["no_pe"].text(symbol=sym, why="not provided"))
                continue
            rows.append({"Date": day, "Symbol": sym, "TrailingPE": pe})
        if not rows:
            return None
        return pd.DataFrame(rows, columns=["Date", "Symbol", "TrailingPE"])

    # ---------------------------------------------------------------- internals

    def _yf(self) -> Any:
        """yfinance, imported on first use, with its caches inside our cache folder."""
        import yfinance as yf

        _use_cache_location(yf, self.cache_dir / "yfinance")
        return yf

    def _http(self) -> Any:
        """The session handed to yfinance, watched so network failures can be told apart."""
        if not self._session_ready:
            self._session_ready = True
            if self._session is None:
                with contextlib.suppress(ImportError):
                    from curl_cffi import requests as curl_requests

                    self._session = curl_requests.Session(impersonate="chrome")
            if self._session is not None:
                self._watch.wrap(self._session)
        return self._session

    def _check_reachable(self) -> None:
        """Fail fast offline: resolve Yahoo's host unless a proxy does that for us."""
        if self._resolve is None or self._uses_proxy():
            return
        try:
            self._resolve(YAHOO_HOST)
        except Exception as exc:
            found = classify_network_error(exc)
            if isinstance(exc, TimeoutError):
                reason = "name lookup timed out"
            elif found is not None and found[0] == FATAL:
                reason = found[1]
            else:
                reason = f"name lookup failed: {_one_line(exc)}"
            raise SourceError(f"yahoo: cannot reach Yahoo Finance ({reason}); {_HINT}") from None

    def _uses_proxy(self) -> bool:
        proxies = dict(urllib.request.getproxies())
        session_proxies = getattr(self._session, "proxies", None)
        if isinstance(session_proxies, dict):
            proxies.update({k: v for k, v in session_proxies.items() if v})
        return any(proxies.get(k) for k in ("https", "all"))

    def _attempt(
        self, symbols: list[str], start: dt.date | None, end: dt.date | None, deadline: float
    ) -> tuple[dict[str, pd.DataFrame], str | None]:
        """One pass over ``symbols`` in chunks: the frames that came back, and the transient
        problem seen (None when nothing suggests that trying again would help)."""
        frames: dict[str, pd.DataFrame] = {}
        problem: str | None = None
        for i in range(0, len(symbols), self._chunk):
            chunk = symbols[i : i + self._chunk]
            remaining = max(1.0, deadline - self._clock())
            self._watch.reset()
            try:
                raw = self._call_download(chunk, start, end, min(REQUEST_TIMEOUT, remaining))
            except SourceError:
                raise
            except Exception as exc:
                found = classify_network_error(exc)
                if found is None:
                    raise SourceError(f"yahoo: download failed ({_one_line(exc)})") from None
                if found[0] == FATAL:
                    raise SourceError(
                        f"yahoo: cannot reach Yahoo Finance ({found[1]}); {_HINT}"
                    ) from None
                problem = problem or found[1]
                continue
            got = self._split(raw, chunk, start, end)
            frames.update(got)
            if len(got) < len(chunk):
                if self._watch.fatal:
                    raise SourceError(
                        f"yahoo: cannot reach Yahoo Finance ({self._watch.fatal}); {_HINT}"
                    )
                problem = problem or self._watch.transient
        return frames, problem

    def _call_download(
        self, chunk: list[str], start: dt.date | None, end: dt.date | None, timeout: float
    ) -> pd.DataFrame | None:
        kwargs: dict[str, Any] = {
            "auto_adjust": True,
            "actions": False,
            "progress": False,
            "threads": len(chunk) > 1,
            "group_by": "column",
            "multi_level_index": True,
            "timeout": timeout,
        }
        if start is None:
            kwargs["period"] = "max"
        else:
            kwargs["start"] = start.isoformat()
        if end is not None:
            kwargs["end"] = (end + dt.timedelta(days=1)).isoformat()  # yfinance's end: exclusive
        if self._download is not None:
            with _quiet():
                return self._download(list(chunk), **kwargs)
        yf = self._yf()
        _forget_cached_responses()  # a cached 429/500 must not answer the retry
        session = self._http()
        if session is not None:
            kwargs["session"] = session
        with _quiet():
            return yf.download(list(chunk), **kwargs)

    def _split(
        self,
        raw: pd.DataFrame | None,
        chunk: list[str],
        start: dt.date | None,
        end: dt.date | None,
    ) -> dict[str, pd.DataFrame]:
        """Per-symbol frames in the protocol's shape; a symbol without a close is left out."""
        if raw is None or raw.empty:
            return {}
        out: dict[str, pd.DataFrame] = {}
        for sym in chunk:
            part = _columns_of(raw, sym, single=len(chunk) == 1)
            if part is None:
                continue
            part = part.loc[:, [c for c in PRICE_COLUMNS if c in part.columns]]
            if "Close" not in part.columns:
                continue
            part = part.astype("float64").rename_axis(columns=None)
            part = part[part["Close"].notna()]
            idx = pd.DatetimeIndex(part.index)
            if idx.tz is not None:
                idx = idx.tz_localize(None)
            part.index = idx.normalize()
            if start is not None:
                part = part[part.index >= pd.Timestamp(start)]
            if end is not None:
                part = part[part.index <= pd.Timestamp(end)]
            if part.empty:
                continue
            bars, notes = check_bars(sym, part, origin="yahoo")
            self.warnings.extend(notes)
            self.notes.setdefault(sym, []).extend(notes)
            out[sym] = bars
        return out

    def _session_day(self) -> pd.Timestamp:
        from reporter.calendar import previous_session_on_or_before

        return previous_session_on_or_before(_new_york_today())

    def _trailing_pe(self, symbol: str) -> float | None:
        yf = self._yf()
        _forget_cached_responses()
        with _quiet():
            info = yf.Ticker(symbol, session=self._http()).info or {}
        value = info.get("trailingPE")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        value = float(value)
        return value if value > 0 and plausible_pe(np.array([value]))[0] else None


def _columns_of(raw: pd.DataFrame, symbol: str, *, single: bool) -> pd.DataFrame | None:
    """The columns of one ticker from yfinance's frame (MultiIndex Price/Ticker, either order)."""
    cols = raw.columns
    if isinstance(cols, pd.MultiIndex):
        names = list(cols.names)
        level: int | None
        if "Ticker" in names:
            level = names.index("Ticker")
        else:  # unnamed levels: the one holding the symbols
            level = next(
                (i for i in range(cols.nlevels)
                 if symbol.upper() in {str(v).upper() for v in cols.get_level_values(i)}),
                None,
            )
            if level is None:
                return None
        matches = [v for v in cols.get_level_values(level).unique()
                   if str(v).upper() == symbol.upper()]
        if not matches:
            return None
        return pd.DataFrame(raw.xs(matches[0], axis=1, level=level))  # a frame: it has columns
    return raw if single else None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _forget_cached_responses() -> None:
    """Drop yfinance's in-process response cache (it would replay a failed response)."""
    with contextlib.suppress(Exception):
        from yfinance.data import YfData

        YfData.cache_get.cache_clear()


def _use_cache_location(yf: Any, folder: Path) -> None:
    """Point yfinance's time-zone and cookie caches at ``folder``.

    yfinance binds its cache objects to the folder on first use, so when the folder changes
    the bound objects are dropped too (they are rebuilt lazily at the new place).
    """
    folder.mkdir(parents=True, exist_ok=True)
    cache = getattr(yf, "cache", None)
    manager = getattr(cache, "_TzDBManager", None)
    current = manager.get_location() if manager is not None else None
    if current is not None and Path(current) == folder:
        return
    yf.set_tz_cache_location(str(folder))
    for name, attr in (("_TzCacheManager", "_tz_cache"), ("_CookieCacheManager", "_Cookie_cache"),
                       ("_ISINCacheManager", "_isin_cache")):
        holder = getattr(cache, name, None)
        if holder is not None and hasattr(holder, attr):
            setattr(holder, attr, None)
    if cache is None:
        return
    # Open the cache databases here, in one thread: when yfinance's download threads create
    # them concurrently, SQLite answers "database is locked" and a symbol comes back empty.
    with contextlib.suppress(Exception):
        cache.get_tz_cache().lookup(BENCHMARK)
    with contextlib.suppress(Exception):
        cache.get_cookie_cache().lookup("curlCffi")
