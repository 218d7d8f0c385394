"""``csv:DIR``: a folder laid out like the shared market-data snapshot.

``prices/<SYMBOL>.csv`` (``Date,Close`` required, ``Open,High,Low,Volume`` optional, any column
order), ``constituents.csv`` (``Symbol,Security,GICS Sector``) and optionally ``valuations.csv``
(``Date,Symbol,TrailingPE``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from reporter import files
from reporter.errors import DataError, MissingSymbolsError
from reporter.model import PRICE_COLUMNS, SourceInfo
from reporter.sources.base import ABSENT, CONSTITUENT_COLUMNS, check_bars, plausible_pe


def _read_text(path: Path) -> str:
    try:
        raw = files.read_bytes(path)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _check_fields(path: Path, text: str) -> None:
    """Every row has as many fields as the header: a short row is a file cut mid-line (or a
    broken one), whose missing values must not pass for empty cells."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        return
    for row in rows:
        if row and len(row) != len(header):
            raise DataError(
                f"{path}, line {rows.line_num}: {len(row)} field(s) where the header has "
                f"{len(header)} (a line cut short?)"
            )


def _read_table(path: Path, required: Sequence[str]) -> pd.DataFrame:
    text = _read_text(path)
    _check_fields(path, text)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "empty file"
        raise DataError(f"{path}: not a readable CSV ({first})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    absent = [c for c in required if c not in frame.columns]
    if absent:
        raise DataError(f"{path}: missing column {', '.join(absent)}")
    return frame


def read_prices(path: Path, symbol: str) -> pd.DataFrame:
    """One symbol's bars. Bad dates or closes are errors naming the file and line."""
    fast = _read_prices_fast(path)
    if fast is not None:
        return fast
    return _read_prices_checked(path, symbol)


def _read_prices_fast(path: Path) -> pd.DataFrame | None:
    """The common case, parsed by the C reader; None sends the file to the checked path,
    which finds and names the bad line."""
    try:
        text = files.read_bytes(path).decode("utf-8-sig")
        body = text.rstrip("\r\n")
        per_line = body[: body.find("\n")].count(",") if "\n" in body else body.count(",")
        if body.count(",") != per_line * (body.count("\n") + 1):
            return None  # a row with a field too few or too many: the checked path names it
        frame = pd.read_csv(io.StringIO(text), dtype={"Date": str}, engine="c")
        frame.columns = [str(c).strip() for c in frame.columns]
        if "Date" not in frame.columns or "Close" not in frame.columns or frame.empty:
            return None
        dates = pd.to_datetime(frame["Date"], format="%Y-%m-%d", errors="coerce")
        if dates.isna().any():
            return None
        out = pd.DataFrame(index=pd.DatetimeIndex(dates, name="Date"))
        for col in PRICE_COLUMNS:
            if col not in frame.columns:
                out[col] = np.nan
            elif frame[col].dtype.kind not in "fi":
                return None
            else:
                out[col] = frame[col].to_numpy(dtype="float64")
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError):
        return None
    close = out["Close"].to_numpy()
    if out.index.has_duplicates or np.isinf(close).any() or (close <= 0).any():
        return None
    return out


def _read_prices_checked(path: Path, symbol: str) -> pd.DataFrame:
    frame = _read_table(path, ("Date", "Close"))
    if frame.empty:
        raise DataError(f"{path}: no rows")
    dates = pd.to_datetime(frame["Date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        i = int(bad.argmax())
        raise DataError(f"{path}, line {i + 2}: unreadable date {frame['Date'].iloc[i]!r}")
    out = pd.DataFrame(index=pd.DatetimeIndex(dates, name="Date"))
    for col in PRICE_COLUMNS:
        if col not in frame.columns:
            out[col] = np.nan
            continue
        text = frame[col].str.strip()
        values = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy()
        unreadable = np.isnan(values) & (text != "").to_numpy() & (text.str.lower() != "nan")
        if unreadable.any():
            i = int(unreadable.argmax())
            raise DataError(f"{path}, line {i + 2}: unreadable {col} {frame[col].iloc[i]!r}")
        out[col] = values
    if not out.index.is_monotonic_increasing or out.index.has_duplicates:
        dup = out.index[out.index.duplicated()]
        if len(dup):
            line = int(np.flatnonzero(out.index.duplicated())[0]) + 2
            raise DataError(f"{path}, line {line}: duplicate date {dup[0].date()}")
        # unsorted but unique: accepted, sorted below
    closes = out["Close"].to_numpy()
    nonpos = np.isfinite(closes) & (closes <= 0) | np.isinf(closes)
    if nonpos.any():
        i = int(nonpos.argmax())
        raw = frame["Close"].iloc[i].strip()
        raise DataError(f"{path}, line {i + 2}: close {raw} of {symbol} is not a positive number")
    return out


def symbol_path(root: Path, symbol: str) -> Path:
    if not symbol or "/" in symbol or "\\" in symbol or symbol.startswith("."):
        raise DataError(f"invalid symbol {symbol!r}")
    return root / "prices" / f"{symbol}.csv"


class CsvSource:
    """Reads a market-data folder. ``version`` lets the store skip files that have not changed."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        if not (self.root / "prices").is_dir():
            raise DataError(f"{self.root}: not a market-data folder (no prices/ inside)")
        self.info = SourceInfo(name="csv", description="CSV files")
        self.warnings: list[str] = []
        self.notes: dict[str, list[str]] = {}  # the warnings about each symbol's bars

    def constituents(self) -> pd.DataFrame:
        path = self.root / "constituents.csv"
        if not path.exists():
            raise DataError(f"{path}: missing (the member list is required)")
        frame = _read_table(path, CONSTITUENT_COLUMNS)
        frame = frame[list(CONSTITUENT_COLUMNS)].apply(lambda s: s.str.strip())
        frame = frame[frame["Symbol"] != ""]
        if frame.empty:
            raise DataError(f"{path}: no member listed (the member list is required)")
        return frame.reset_index(drop=True)  # a symbol listed twice: see panel.members_frame

    def version(self, symbol: str) -> str:
        """The file's content hash (``ABSENT`` when there is no file): the store re-reads a
        file whenever a byte of it changed, and forgets a symbol whose file is gone."""
        path = symbol_path(self.root, symbol)
        try:
            return f"sha256:{files.digest(str(path))}"
        except FileNotFoundError:
            return ABSENT
        except OSError as exc:
            raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None

    def origin(self, symbol: str) -> str:
        """Where a symbol's bars come from, for the operator's log (never for the report)."""
        return str(symbol_path(self.root, symbol))

    def fetch(
        self, symbols: Sequence[str], start: dt.date | None, end: dt.date | None
    ) -> dict[str, pd.DataFrame]:
        found: dict[str, pd.DataFrame] = {}
        missing: list[str] = []
        for symbol in symbols:
            path = symbol_path(self.root, symbol)
            if not path.exists():
                missing.append(symbol)
                continue
            bars, warnings = check_bars(symbol, read_prices(path, symbol), origin=str(path))
            self.warnings.extend(warnings)
            self.notes[symbol] = warnings
            if start is not None:
                bars = bars[bars.index >= pd.Timestamp(start)]
            if end is not None:
                bars = bars[bars.index <= pd.Timestamp(end)]
            found[symbol] = bars
        if missing:
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            shown = ", ".join(missing[:10]) + more
            raise MissingSymbolsError(
                f"{self.root / 'prices'}: no file for {shown}", tuple(missing), found
            )
        return found

    def valuations(self, symbols: Sequence[str]) -> pd.DataFrame | None:
        path = self.root / "valuations.csv"
        if not path.exists():
            return None
        frame = _read_table(path, ("Date", "Symbol", "TrailingPE"))
        dates = pd.to_datetime(frame["Date"].str.strip(), format="%Y-%m-%d", errors="coerce")
        pe = pd.to_numeric(frame["TrailingPE"].str.strip(), errors="coerce")
        bad = (dates.isna() | pe.isna()).to_numpy()
        if bad.any():
            i = int(bad.argmax())
            raise DataError(f"{path}, line {i + 2}: unreadable date or TrailingPE")
        odd = ~plausible_pe(pe.to_numpy())
        if odd.any():
            i = int(odd.argmax())
            raise DataError(f"{path}, line {i + 2}: TrailingPE {frame['TrailingPE'].iloc[i]} is "
                            "implausible")
        out = pd.DataFrame({"Date": dates, "Symbol": frame["Symbol"].str.strip(), "TrailingPE": pe})
        return out[out["Symbol"].isin(list(symbols))].reset_index(drop=True)
