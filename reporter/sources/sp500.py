"""The S&P 500 member list: read from a CSV, or from Wikipedia's public list, cached for a week.

The public page ("List of S&P 500 companies") keeps the members in its first table
(``id="constituents"``): Symbol, Security, GICS Sector, GICS Sub-Industry, ... The table is parsed
with the standard library's HTML parser (no extra dependency), symbols are converted to Yahoo's
spelling (``BRK.B`` -> ``BRK-B``) and the result is cached as a CSV beside a small JSON file that
records when it was read. A cache younger than seven days is reused without asking the network;
an older one is still used, with a warning, when the page cannot be read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from reporter.errors import DataError, SourceError
from reporter.sources.base import CONSTITUENT_COLUMNS

SP500_URL = "https://en.wikipedia.org/wiki/List_of_S%26P_500_companies"
CACHE_CSV = "sp500_constituents.csv"
CACHE_META = "sp500_constituents.json"
MAX_AGE = dt.timedelta(days=7)
#: The live list has about 503 rows; far fewer means a truncated or changed page.
MIN_MEMBERS = 400
SUB_INDUSTRY = "GICS Sub-Industry"
_PREFIX = "S&P 500 member list: "
_USER_AGENT = "market-breadth-reporter/0.1 (research notes; S&P 500 member list)"


def yahoo_symbol(symbol: str) -> str:
    """A listed symbol in Yahoo's spelling: class shares use a dash (``BRK.B`` -> ``BRK-B``)."""
    return symbol.strip().upper().replace(".", "-")


# --------------------------------------------------------------------------------------------
# HTML table parsing


class _Tables(HTMLParser):
    """Collects every table of a page as rows of cell texts (nested tables kept apart)."""

    _SKIP = {"sup", "style", "script"}  # footnote markers and non-text content

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[dict[str, str], list[list[tuple[str, str]]]]] = []
        self._stack: list[int] = []  # indexes into self.tables of the open tables
        self._row: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._cell_tag = ""
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "table":
            self._close_cell()
            self.tables.append(({k: v or "" for k, v in attrs}, []))
            self._stack.append(len(self.tables) - 1)
            self._row = None
        elif not self._stack:
            return
        elif tag == "tr":
            self._close_cell()
            self._row = []
            self.tables[self._stack[-1]][1].append(self._row)
        elif tag in ("td", "th"):
            self._close_cell()
            if self._row is None:  # a cell without <tr>: start an implicit row
                self._row = []
                self.tables[self._stack[-1]][1].append(self._row)
            self._cell, self._cell_tag = [], tag
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "table" and self._stack:
            self._close_cell()
            self._stack.pop()
            self._row = None
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip_depth:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).replace("\xa0", " ").split())
            self._row.append((self._cell_tag, text))
        self._cell = None


def _find_header(rows: list[list[tuple[str, str]]]) -> int | None:
    for i, row in enumerate(rows):
        if row and all(tag == "th" for tag, _ in row):
            return i
    return None


def parse_constituents_table(html: str, *, origin: str = SP500_URL) -> pd.DataFrame:
    """The member table of the public list page as ``Symbol, Security, GICS Sector, ...``.

    Takes the table with ``id="constituents"``, else the first table whose header names Symbol,
    Security and GICS Sector. Raises SourceError naming ``origin`` when none is found or a row
    is malformed.
    """
    parser = _Tables()
    parser.feed(html)
    parser.close()
    needed = ("Symbol", "Security", "GICS Sector")
    chosen = None
    for attrs, rows in parser.tables:
        if attrs.get("id") == "constituents":
            chosen = rows
            break
    if chosen is None:
        for _, rows in parser.tables:
            h = _find_header(rows)
            if h is not None and all(n in [t for _, t in rows[h]] for n in needed):
                chosen = rows
                break
    if chosen is None:
        raise SourceError(f"{_PREFIX}no constituents table in {origin}")
    h = _find_header(chosen)
    header = [t for _, t in chosen[h]] if h is not None else []
    missing = [n for n in needed if n not in header]
    if missing or h is None:  # no header row: every column is missing
        raise SourceError(
            f"{_PREFIX}the table in {origin} has no column {', '.join(missing)} "
            f"(columns: {', '.join(header) or 'none'})"
        )
    wanted = [*needed, SUB_INDUSTRY] if SUB_INDUSTRY in header else list(needed)
    cols = {name: header.index(name) for name in wanted}
    records: list[dict[str, str]] = []
    for n, row in enumerate(chosen[h + 1 :], start=1):
        if not any(tag == "td" for tag, _ in row):
            continue  # a repeated header or an empty row
        if len(row) <= max(cols.values()):
            raise SourceError(
                f"{_PREFIX}data row {n} of the table in {origin} has {len(row)} "
                f"cells, expected {len(header)}"
            )
        records.append({name: row[i][1] for name, i in cols.items()})
    frame = pd.DataFrame.from_records(records, columns=wanted)
    return _clean(frame, f"{_PREFIX}the table in {origin}", SourceError)


def _clean(frame: pd.DataFrame, origin: str, error: type[DataError]) -> pd.DataFrame:
    """Yahoo spelling, stripped text, no empty or repeated symbols."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].astype(str).str.strip()
    empty = out.index[out["Symbol"] == ""]
    if len(empty):
        raise error(f"{origin}: empty symbol in member row {int(empty[0]) + 1}")
    out["Symbol"] = out["Symbol"].map(yahoo_symbol)
    dup = out["Symbol"][out["Symbol"].duplicated()]
    if len(dup):
        raise error(f"{origin}: symbol {dup.iloc[0]} listed twice")
    return out.reset_index(drop=True)


def read_constituents_csv(path: Path) -> pd.DataFrame:
    """A members CSV (``Symbol,Security,GICS Sector[,GICS Sub-Industry]``); DataError names it."""
    import io

    from reporter import files

    try:
        data = files.read_bytes(path)  # a regular file only: a pipe would block the run
    except FileNotFoundError:
        raise DataError(f"constituents file {path} not found") from None
    except OSError as exc:
        raise DataError(f"constituents file {path}: cannot read it "
                        f"({exc.strerror or exc})") from None
    try:
        raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                          encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"constituents file {path}: cannot read it ({first})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in CONSTITUENT_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            f"constituents file {path}: missing column {', '.join(missing)} "
            f"(needs {','.join(CONSTITUENT_COLUMNS)})"
        )
    if raw.empty:
        raise DataError(f"constituents file {path}: no members listed")
    keep = [*CONSTITUENT_COLUMNS, *([SUB_INDUSTRY] if SUB_INDUSTRY in raw.columns else [])]
    return _clean(raw[keep], f"constituents file {path}", DataError)


# --------------------------------------------------------------------------------------------
# Download and cache


def fetch_page(url: str, timeout: float = 20.0) -> str:
    """GET a page as text (the public list asks clients to name themselves)."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        charset = response.headers.get_content_charset() or "utf-8"
        return response.read().decode(charset, errors="replace")


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)  # urllib's URLError wraps the socket error
    inner = reason if isinstance(reason, BaseException) else exc
    text = str(inner).strip() or type(inner).__name__
    return " ".join(text.split())


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_cache(cache_dir: Path) -> tuple[pd.DataFrame, dt.datetime] | None:
    csv_path, meta_path = cache_dir / CACHE_CSV, cache_dir / CACHE_META
    if not (csv_path.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        read_at = dt.datetime.fromisoformat(meta["retrieved_at"])
        frame = read_constituents_csv(csv_path)
    except (OSError, ValueError, KeyError, TypeError, DataError):
        return None  # a damaged cache is as good as none
    if read_at.tzinfo is None:
        read_at = read_at.replace(tzinfo=dt.UTC)
    return frame, read_at


def _write_cache(cache_dir: Path, frame: pd.DataFrame, read_at: dt.datetime, url: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(cache_dir / CACHE_CSV, frame.to_csv(index=False, lineterminator="\n"))
    meta = {"retrieved_at": read_at.isoformat(timespec="seconds"), "source": url,
            "rows": len(frame)}
    _write_atomic(cache_dir / CACHE_META, json.dumps(meta, indent=1) + "\n")


def _stale(read_at: dt.datetime, now: dt.datetime, why: str) -> str:
    days = (now - read_at).days
    return f"{_PREFIX}using the copy cached on {read_at.date()} ({days} days old); {why}"


def load_sp500(
    cache_dir: Path,
    *,
    fetch: Callable[[str], str] = fetch_page,
    now: dt.datetime | None = None,
    max_age: dt.timedelta = MAX_AGE,
    min_rows: int | None = None,
    url: str = SP500_URL,
) -> tuple[pd.DataFrame, list[str]]:
    """The S&P 500 members and any warnings, from the cache or the public list page.

    Fresh cache (younger than ``max_age``): used as is. Otherwise the page is read and cached;
    if that fails, an older cache is used with a warning, and without one SourceError is raised.
    """
    now = now or dt.datetime.now(dt.UTC)
    least = MIN_MEMBERS if min_rows is None else min_rows
    cached = _read_cache(cache_dir)
    if cached is not None and now - cached[1] < max_age:
        return cached[0], []
    try:
        html = fetch(url)
    except Exception as exc:  # network and HTTP problems alike
        reason = _reason(exc)
        if cached is None:
            raise SourceError(
                f"{_PREFIX}cannot read {url} ({reason}) and no cached copy in {cache_dir}; "
                f"set universe.constituents to a CSV with Symbol,Security,GICS Sector"
            ) from None
        return cached[0], [_stale(cached[1], now, f"could not refresh it from {url} ({reason})")]
    try:
        frame = parse_constituents_table(html, origin=url)
        if len(frame) < least:
            raise SourceError(
                f"{_PREFIX}only {len(frame)} members in the table of {url} "
                f"(expected at least {least})"
            )
    except SourceError as exc:  # the page changed or came back truncated
        if cached is None:
            raise
        return cached[0], [_stale(cached[1], now, str(exc).removeprefix(_PREFIX))]
    _write_cache(cache_dir, frame, now, url)
    return frame, []
