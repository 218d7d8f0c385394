"""The embedded price store (DuckDB): incremental, one transaction per write, fast panel reads.

DuckDB was chosen over SQLite because reading the whole panel (538 symbols x 5 years, ~700k rows)
into pandas is a columnar scan that DuckDB hands over without per-row Python work; SQLite needs
row-by-row conversion that alone exceeds the read budget. Only one process may write the file: a
second run waits for the lock up to a timeout, then says which file is held.

A store whose file is damaged (blocks overwritten by a disk fault or a bad copy) fails with
StoreError (exit 5) naming the file and how to rebuild it: delete it, and the next run imports
everything from the source again. It is not rebuilt behind the user's back: the damage may be
the first sign of a failing disk, and for live data a rebuild is a long download.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reporter.errors import StoreError

SCHEMA_VERSION = "1"

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS bars (
    symbol VARCHAR NOT NULL, date DATE NOT NULL,
    open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE NOT NULL, volume DOUBLE,
    PRIMARY KEY (symbol, date));
CREATE TABLE IF NOT EXISTS symbols (
    symbol VARCHAR PRIMARY KEY, version VARCHAR, first_date DATE, last_date DATE,
    updated_at VARCHAR);
CREATE TABLE IF NOT EXISTS valuations (
    date DATE NOT NULL, symbol VARCHAR NOT NULL, trailing_pe DOUBLE,
    PRIMARY KEY (date, symbol));
CREATE TABLE IF NOT EXISTS notes (
    symbol VARCHAR NOT NULL, note VARCHAR NOT NULL, PRIMARY KEY (symbol, note));
"""


@dataclass(frozen=True)
class SymbolState:
    version: str | None
    first_date: dt.date
    last_date: dt.date


class Store:
    """A DuckDB file holding bars, per-symbol sync state and valuations."""

    def __init__(self, path: Path, *, lock_timeout: float = 30.0, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of the price store {self.path.parent}: "
                f"{exc.strerror or exc}"
            ) from None
        deadline = time.monotonic() + lock_timeout
        delay = 0.1
        while True:
            try:
                self.con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                msg = str(exc)
                if "lock" not in msg.lower():
                    raise StoreError(f"cannot open the price store {self.path}: {msg}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"the price store {self.path} is held by another run; try again later"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except duckdb.Error as exc:
                raise self._damaged(exc) from None
        if not read_only:
            try:
                self.con.execute(_DDL)
                self.con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )
            except duckdb.Error as exc:  # e.g. disk full, a read-only file, a damaged one
                self.con.close()
                raise self._failed(exc, f"cannot write the price store {self.path}") from None

    def _damaged(self, exc: BaseException) -> StoreError:
        return StoreError(
            f"the price store {self.path} is damaged or unreadable ({_one_line(exc)[:160]}); "
            "delete it and run again to rebuild it from the source"
        )

    def _failed(self, exc: BaseException, io_message: str) -> StoreError:
        """An I/O failure (disk full, permissions) said as ``io_message``; any other error
        means the file is not what DuckDB wrote: damaged."""
        import duckdb

        io = isinstance(exc, duckdb.IOException | duckdb.PermissionException)
        if io and "corrupt" not in str(exc).lower():
            return StoreError(f"{io_message}: {_one_line(exc)}")
        return self._damaged(exc)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Reads that meet a damaged block fail naming the store, not as an internal error."""
        import duckdb

        try:
            yield
        except duckdb.Error as exc:
            raise self._failed(exc, f"reading the price store {self.path} failed") from None

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------
    def states(self) -> dict[str, SymbolState]:
        with self._reading():
            rows = self.con.execute(
                "SELECT symbol, version, first_date, last_date FROM symbols"
            ).fetchall()
        return {r[0]: SymbolState(r[1], r[2], r[3]) for r in rows}

    def closes(self, symbol: str, start: dt.date) -> pd.Series:
        with self._reading():
            frame = self.con.execute(
                "SELECT date, close FROM bars WHERE symbol = ? AND date >= ? ORDER BY date",
                [symbol, start],
            ).df()
        return pd.Series(
            frame["close"].to_numpy(), index=pd.DatetimeIndex(frame["date"]), name=symbol
        )

    def valuations(self) -> pd.DataFrame:
        with self._reading():
            frame = self.con.execute(
                "SELECT date AS Date, symbol AS Symbol, trailing_pe AS TrailingPE FROM "
                "valuations ORDER BY date, symbol"
            ).df()
        frame["Date"] = pd.to_datetime(frame["Date"])
        return frame

    def notes(self, symbols: Iterable[str]) -> dict[str, list[str]]:
        """Data warnings recorded when each symbol's bars were stored (e.g. a High below its
        Low), so every report from these bars states them, not only the one that fetched."""
        import duckdb

        wanted = set(symbols)
        try:
            with self._reading():
                rows = self.con.execute("SELECT symbol, note FROM notes ORDER BY symbol, note")
                found = rows.fetchall()
        except duckdb.CatalogException:  # a store written before notes were kept
            return {}
        out: dict[str, list[str]] = {}
        for symbol, note in found:
            if symbol in wanted:
                out.setdefault(symbol, []).append(note)
        return out

    def last_date(self) -> dt.date | None:
        with self._reading():
            row = self.con.execute("SELECT max(last_date) FROM symbols").fetchone()
            return None if row is None else row[0]  # an aggregate: always one row

    def read_wide(
        self, symbols: Iterable[str], start: dt.date | None, end: dt.date | None,
        fields: tuple[str, str] = ("close", "volume"),
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Close and volume (or two other ``fields`` of a bar, such as high and low) as wide
        frames (dates x symbols), NaN where a symbol has no row."""
        if not set(fields) <= {"open", "high", "low", "close", "volume"}:
            raise ValueError(f"read_wide: unknown bar fields {fields!r}")
        syms = sorted(set(symbols))
        want = pd.DataFrame({"symbol": syms, "i": np.arange(len(syms), dtype="int32")})
        lo = start or dt.date(1900, 1, 1)
        hi = end or dt.date(2999, 12, 31)
        with self._reading():
            self.con.register("want", want)
            cols = self.con.execute(
                "SELECT CAST(b.date - DATE '1970-01-01' AS INTEGER) AS day, w.i, "
                f"b.{fields[0]} AS x, b.{fields[1]} AS y FROM bars b JOIN want w USING (symbol) "
                "WHERE b.date BETWEEN ? AND ?",
                [lo, hi],
            ).fetchnumpy()
            self.con.unregister("want")
        # Scatter the long rows into dense matrices: one pass, no pandas pivot.
        days, row = np.unique(np.asarray(cols["day"], dtype="int64"), return_inverse=True)
        col = np.asarray(cols["i"], dtype="int64")
        index = pd.DatetimeIndex(days.astype("datetime64[D]").astype("datetime64[ns]"),
                                 name="Date")
        frames = []
        for name in ("x", "y"):
            dense = np.full((len(days), len(syms)), np.nan)
            dense[row, col] = _floats(cols[name])
            frames.append(pd.DataFrame(dense, index=index, columns=pd.Index(syms)))
        return frames[0], frames[1]

    def read_range(self, symbols: Iterable[str], day: dt.date) -> pd.DataFrame:
        """High and Low of ``symbols`` on one session (index: symbol; NaN where not stored).

        One session's rows, a few hundred: read them all and keep the wanted symbols (cheaper
        than joining the wanted list against the whole table).
        """
        syms = sorted(set(symbols))
        with self._reading():
            cols = self.con.execute(
                "SELECT symbol, high, low FROM bars WHERE date = ?", [day]
            ).fetchnumpy()
        found = pd.DataFrame(
            {"High": _floats(cols["high"]), "Low": _floats(cols["low"])},
            index=pd.Index([str(s) for s in cols["symbol"]], name="symbol"),
        )
        return found.reindex(pd.Index(syms, name="symbol"))

    # -- writing (each call is one transaction) ----------------------------------------------
    def write(
        self,
        bars: Mapping[str, pd.DataFrame],
        versions: Mapping[str, str | None],
        *,
        replace_from: Mapping[str, dt.date | None],
        valuations: pd.DataFrame | None = None,
        notes: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Store new bars: for each symbol, rows from ``replace_from`` on (None: all) are replaced.

        ``notes``: data warnings about the new bars; a symbol stored whole drops its old notes.
        Everything happens in one transaction: a run killed half-way leaves the store as it was.
        """
        parts = []
        for symbol, frame in bars.items():
            if frame.empty:
                continue
            part = pd.DataFrame(
                {
                    "symbol": symbol,
                    "date": pd.DatetimeIndex(frame.index).date,
                    "open": frame["Open"].to_numpy(),
                    "high": frame["High"].to_numpy(),
                    "low": frame["Low"].to_numpy(),
                    "close": frame["Close"].to_numpy(),
                    "volume": frame["Volume"].to_numpy(),
                }
            )
            parts.append(part)
        rows = pd.concat(parts, ignore_index=True) if parts else None
        cut = pd.DataFrame(
            {
                "symbol": list(replace_from),
                "from_date": [d or dt.date(1900, 1, 1) for d in replace_from.values()],
            }
        )
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            if len(cut):
                con.register("cut_df", cut)
                con.execute(
                    "DELETE FROM bars USING cut_df WHERE bars.symbol = cut_df.symbol "
                    "AND bars.date >= cut_df.from_date"
                )
                con.unregister("cut_df")
            if rows is not None:
                con.register("rows_df", rows)
                con.execute(
                    "INSERT INTO bars SELECT symbol, date, open, high, low, close, volume "
                    "FROM rows_df"
                )
                con.unregister("rows_df")
            touched = list(replace_from)
            if touched:
                con.executemany(
                    "INSERT OR REPLACE INTO symbols "
                    "SELECT ?, ?, min(date), max(date), ? FROM bars WHERE symbol = ?",
                    [[s, versions.get(s), now, s] for s in touched],
                )
                con.execute("DELETE FROM symbols WHERE first_date IS NULL")
            whole = [s for s, start in replace_from.items() if start is None]
            if whole:
                con.executemany("DELETE FROM notes WHERE symbol = ?", [[s] for s in whole])
            rows_notes = sorted({(s, n) for s, ns in (notes or {}).items() for n in ns})
            if rows_notes:
                con.executemany("INSERT OR IGNORE INTO notes VALUES (?, ?)", rows_notes)
            if valuations is not None and not valuations.empty:
                val = valuations.assign(Date=pd.to_datetime(valuations["Date"]).dt.date)
                con.register("val_df", val)
                con.execute(
                    'INSERT OR REPLACE INTO valuations SELECT "Date", "Symbol", "TrailingPE" '
                    "FROM val_df"
                )
                con.unregister("val_df")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", [now])
            con.execute("COMMIT")
        except Exception as exc:
            import duckdb

            with contextlib.suppress(duckdb.Error):  # after an I/O error even this may fail
                con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise self._failed(exc, f"writing the price store {self.path} failed") from None
            raise


def _floats(column: Any) -> np.ndarray:
    """A fetched column as float64 with NaN where the store holds NULL (an unknown volume, a
    close-only series' High and Low): DuckDB hands NULLs over as a masked array, whose plain
    values there are 0, which would read as "volume 0: did not trade"."""
    return np.ma.filled(np.ma.asarray(column, dtype="float64"), np.nan)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
