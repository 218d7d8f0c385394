"""Results never depend on the cache: a run from a warm price store gives the report a run from
an empty one gives, whatever happened to the files in between; a damaged store is named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import cli_checked
from tests.support.market import LAST, Market

CLOSE = 4  # column of Date,Open,High,Low,Close,Volume


def _run(capsys: pytest.CaptureFixture[str], market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", "--date", LAST, *extra)


def _report(out: Path) -> dict:
    return json.loads((out / LAST / "report.json").read_text("utf-8"))


def _cold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    """From here on, runs start from an empty price store."""
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(tmp_path / name))


def test_a_member_file_deleted_after_a_run_is_missing_from_a_warm_store_too(
        market: Market, tmp_path: Path, capsys, quick: None, monkeypatch: pytest.MonkeyPatch):
    assert _run(capsys, market, tmp_path / "first").code == 0  # fills the store
    victim = market.members[3]
    market.prices(victim).unlink()
    warm = _run(capsys, market, tmp_path / "warm")
    _cold(monkeypatch, tmp_path, "cold-cache")
    cold = _run(capsys, market, tmp_path / "cold")
    assert warm.code == cold.code == 0
    w, c = _report(tmp_path / "warm"), _report(tmp_path / "cold")
    assert c["coverage"]["members_missing"] == [victim]  # the cold store's view of the files
    assert w == c  # the same report, figure for figure, warning for warning
    assert warm.err == cold.err


def _restate_last_close(market: Market, symbol: str) -> float:
    """Change the last close's digits in place (same length), keeping the file's size and
    modification time, as ``cp -p``, ``rsync -t`` or ``tar`` leave a restated file."""
    path = market.prices(symbol)
    before = path.stat()
    lines = market.lines(symbol)
    cells = lines[-1].split(",")
    old = cells[CLOSE]
    digit = "1" if old[0] != "1" else "2"
    cells[CLOSE] = digit + old[1:]
    lines[-1] = ",".join(cells)
    market.set_lines(symbol, lines)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert cells[CLOSE] != old
    return float(cells[CLOSE])


def test_a_restated_close_with_the_same_size_and_time_is_read(
        market: Market, tmp_path: Path, capsys, quick: None, monkeypatch: pytest.MonkeyPatch):
    assert _run(capsys, market, tmp_path / "first").code == 0  # fills the store
    new_close = _restate_last_close(market, "^GSPC")
    assert _run(capsys, market, tmp_path / "warm").code == 0
    warm = _report(tmp_path / "warm")
    assert warm["indices"]["^GSPC"]["close"] == pytest.approx(new_close, rel=1e-12)
    _cold(monkeypatch, tmp_path, "cold-cache")
    assert _run(capsys, market, tmp_path / "cold").code == 0
    assert warm == _report(tmp_path / "cold")


def test_a_restated_member_close_changes_the_breadth(
        market: Market, tmp_path: Path, capsys, quick: None, monkeypatch: pytest.MonkeyPatch):
    """The same for a member: a warm store must not keep the old close."""
    assert _run(capsys, market, tmp_path / "first").code == 0
    for member in market.members:
        _restate_last_close(market, member)
    assert _run(capsys, market, tmp_path / "warm").code == 0
    _cold(monkeypatch, tmp_path, "cold-cache")
    assert _run(capsys, market, tmp_path / "cold").code == 0
    assert _report(tmp_path / "warm") == _report(tmp_path / "cold")
    assert _report(tmp_path / "warm")["breadth"] != _report(tmp_path / "first")["breadth"]


def _block_of(store: Path, table: str, column: str) -> int:
    """Where in the file DuckDB keeps a column of a table: (header) + block id x block size."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        block = con.execute(f"SELECT max(block_id) FROM pragma_storage_info('{table}') "
                            "WHERE column_name = ?", [column]).fetchone()[0]
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    finally:
        con.close()
    return 3 * 4096 + block * size


@pytest.mark.parametrize("where", ["first block", "closes"])
def test_a_damaged_price_store_is_named_with_what_to_do(
        where: str, market: Market, tmp_path: Path, capsys, quick: None):
    """Blocks of the store file overwritten (a disk fault, a bad copy): the first block, which
    DuckDB reads on opening, or the block of the stored closes, read with the panel. Exit 5,
    one line naming the store file and saying how to rebuild it; nothing written."""
    from reporter.pipeline import store_path

    assert _run(capsys, market, tmp_path / "first").code == 0
    store = store_path(market.source)
    at = 3 * 4096 if where == "first block" else _block_of(store, "bars", "close")
    with open(store, "r+b") as fh:
        fh.seek(at + 64)
        fh.write(bytes((i * 131 + 7) % 251 for i in range(4096)))
    out = tmp_path / "again"
    done = _run(capsys, market, out)
    assert done.code == 5, done.err
    line = done.error_lines[0]
    assert str(store) in line and "damaged" in line and "delete it" in line
    assert not out.exists()
