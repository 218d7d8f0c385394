"""Broken market data through the real CLI: a clear one-line error naming the file, symbol or
date (and nothing written), or a report that states what it lacks."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import cli_checked
from tests.support.market import LAST, Market
from tests.support.outputs import pdf_text


def _run(capsys: pytest.CaptureFixture[str], market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", *extra)


def _set_field(line: str, column: int, value: str) -> str:
    cells = line.split(",")
    cells[column] = value
    return ",".join(cells)


CLOSE, HIGH, LOW, VOLUME = 4, 2, 3, 5  # columns of Date,Open,High,Low,Close,Volume


def _cut_mid_close(market: Market, symbol: str) -> int:
    """Cut the file in the middle of its last row's Close; returns that row's line number."""
    path = market.prices(symbol)
    text = path.read_text("utf-8")
    start = text.rstrip("\n").rfind("\n") + 1
    last = text[start:]
    close_at = start + len(",".join(last.split(",")[:CLOSE])) + 1
    path.write_text(text[: close_at + 3], "utf-8")
    return text.count("\n")


def _break(market: Market, kind: str) -> tuple[list[str], int]:
    """Break the market one way; the fragments the error must name and its exit code."""
    m = market.members[0]
    path = str(market.prices(m))
    if kind == "duplicate date":
        market.edit_lines(m, lambda ls: [*ls, ls[-1]])
        return [path, f"line {len(market.lines(m))}", f"duplicate date {LAST}"], 3
    if kind == "zero close":
        market.edit_lines(m, lambda ls: [*ls[:5], _set_field(ls[5], CLOSE, "0"), *ls[6:]])
        return [path, "line 6", f"close 0 of {m}"], 3
    if kind == "negative close of ^GSPC":
        market.edit_lines("^GSPC", lambda ls: [*ls[:9], _set_field(ls[9], CLOSE, "-12.5"),
                                               *ls[10:]])
        return [str(market.prices("^GSPC")), "line 10", "close -12.5 of ^GSPC"], 3
    if kind == "non-UTF-8 bytes":
        raw = market.prices(m).read_bytes()
        market.prices(m).write_bytes(raw.replace(b"Date", "Dat\u00e9".encode("latin-1"), 1))
        return [path, "not UTF-8"], 3
    if kind == "file cut mid-line":
        line = _cut_mid_close(market, m)
        return [path, f"line {line}", "5 field(s) where the header has 6"], 3
    if kind == "^GSPC cut mid-line":
        line = _cut_mid_close(market, "^GSPC")
        return [str(market.prices("^GSPC")), f"line {line}", "cut short"], 3
    if kind == "empty file":
        market.prices(m).write_bytes(b"")
        return [path, "not a readable CSV"], 3
    if kind == "header only":
        market.prices(m).write_text("Date,Open,High,Low,Close,Volume\n", "utf-8")
        return [path, "no rows"], 3
    if kind == "unreadable date":
        market.edit_lines(m, lambda ls: [*ls[:3], _set_field(ls[3], 0, "2024-13-45"), *ls[4:]])
        return [path, "line 4", "2024-13-45"], 3
    if kind == "folder in place of a file":
        market.prices(m).unlink()
        market.prices(m).mkdir()
        return [path, "cannot read"], 3
    if kind == "missing ^GSPC":
        market.prices("^GSPC").unlink()
        return ["no file for ^GSPC"], 4
    if kind == "empty prices folder":
        for p in (market.root / "prices").iterdir():
            p.unlink()
        return ["no file for ^GSPC"], 4
    if kind == "no prices folder":
        for p in (market.root / "prices").iterdir():
            p.unlink()
        (market.root / "prices").rmdir()
        return [str(market.root), "no prices/"], 3
    if kind == "constituents without GICS Sector":
        path_c = market.root / "constituents.csv"
        rows = list(csv.reader(path_c.read_text("utf-8").splitlines()))
        with open(path_c, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(r[:2] for r in rows)
        return [str(path_c), "missing column GICS Sector"], 3
    if kind == "constituents cut mid-line":
        path_c = market.root / "constituents.csv"
        text = path_c.read_text("utf-8")
        path_c.write_text(text[: text.rstrip("\n").rfind(",")], "utf-8")
        return [str(path_c), f"line {text.count(chr(10))}", "cut short"], 3
    if kind == "no constituents":
        (market.root / "constituents.csv").unlink()
        return [str(market.root / "constituents.csv"), "missing"], 3
    if kind == "^GSPC stale for the requested date":
        market.edit_lines("^GSPC", lambda ls: ls[:-3])  # ends 2026-02-03
        return [f"no data for {LAST}", "ends on 2026-02-03"], 3
    raise AssertionError(kind)


ERRORS = ["duplicate date", "zero close", "negative close of ^GSPC", "non-UTF-8 bytes",
          "file cut mid-line", "^GSPC cut mid-line", "empty file", "header only",
          "unreadable date", "folder in place of a file", "missing ^GSPC", "empty prices folder",
          "no prices folder", "constituents without GICS Sector", "constituents cut mid-line",
          "no constituents", "^GSPC stale for the requested date"]


@pytest.mark.parametrize("kind", ERRORS)
def test_unusable_data_is_one_line_naming_the_culprit_and_writes_nothing(
        kind: str, market: Market, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    needles, code = _break(market, kind)
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == code, done.err
    line = done.error_lines[0]
    assert line.startswith("reporter: error: ")
    for needle in needles:
        assert needle in line, (needle, line)
    assert not out.exists()


def test_unreadable_file_is_named(market: Market, tmp_path: Path, capsys,
                                  monkeypatch: pytest.MonkeyPatch):
    """Permission denied on one file (injected: as root the file mode would not stop us)."""
    from reporter import files

    victim = market.prices(market.members[1])
    real = files._open_regular

    def open_regular(path: Path) -> int:
        if path == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files, "_open_regular", open_regular)
    done = _run(capsys, market, tmp_path / "out")
    assert done.code == 3
    assert str(victim) in done.err and "Permission denied" in done.err


# -- degradations, stated by the report -----------------------------------------------------------

def _closes(path: Path) -> dict[str, float]:
    """Date -> close from a CSV with a plain reader (empty and 'nan' closes skipped)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["Date"]: float(r["Close"]) for r in csv.DictReader(fh)
                if r["Close"] not in ("", "nan")}


def test_damaged_but_usable_data_gives_a_report_that_says_what_it_lacks(
        market: Market, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    m0, m1, m2, m3, m4, m5 = market.members[:6]
    day = "2026-02-04"

    def blank_close_from(date: str) -> Callable[[list[str]], list[str]]:
        return lambda ls: [ls[0], *(_set_field(x, CLOSE, "") if x[:10] >= date else x
                                   for x in ls[1:])]

    market.edit_lines("^GSPC", blank_close_from("2026-02-05"))  # NaN closes: ^GSPC ends early
    market.edit_lines("^GSPC", lambda ls: [ls[0], *reversed(ls[1:])])  # newest first
    market.prices(m0).unlink()  # a member file is missing
    market.edit_lines(m1, lambda ls: [_set_field(x, CLOSE, "nan") if x.startswith(day) else x
                                      for x in ls])  # NaN close on the report's session
    market.edit_lines(m2, lambda ls: [ls[0], *(x for x in ls[1:] if x < "2026-02-03")])  # stale
    market.edit_lines(m3, lambda ls: [ls[0], *reversed(ls[1:])])  # dates in reverse order
    market.edit_lines(m4, lambda ls: [  # a High below its Low
        _set_field(_set_field(x, HIGH, "1.0"), LOW, "2.0") if x.startswith("2026-02-03") else x
        for x in ls])
    market.edit_lines(m5, lambda ls: [_set_field(x, VOLUME, "0") if x.startswith(day) else x
                                      for x in ls])  # did not trade
    market.prices("^RUT").unlink()  # an optional series is missing
    with open(market.root / "constituents.csv", "a", encoding="utf-8") as fh:
        fh.write('../../x,Path Escape Inc.,Industrials\n"<b>BAD</b>",Markup Corp,Energy\n'
                 "ZZZZ,Unknown Sector Co,Crypto Assets\n")

    out = tmp_path / "out"
    done = _run(capsys, market, out)
    assert done.code == 0, done.err
    folder = out / day
    report = json.loads((folder / "report.json").read_text("utf-8"))
    assert report["as_of"] == day  # latest: the last session ^GSPC has

    # the figures come from the rows that are there (computed here from the file itself)
    spx = _closes(market.prices("^GSPC"))
    assert max(spx) == day
    assert report["indices"]["^GSPC"]["close"] == pytest.approx(spx[day], rel=1e-12)
    assert report["indices"]["^GSPC"]["return_1d"] == pytest.approx(
        spx[day] / spx["2026-02-03"] - 1, rel=1e-9)
    assert report["indices"]["^RUT"]["close"] is None

    cov = report["coverage"]
    assert cov["members_total"] == len(market.members)
    assert sorted(cov["members_missing"]) == sorted([m0, m1, m2, m5])
    assert cov["members_used"] == len(market.members) - 4

    warnings = report["warnings"]
    expected = [
        "^GSPC ends on 2026-02-04, before",
        f"no data from the source for 2 symbols: {', '.join(sorted([m0, '^RUT']))}",
        f"{m4}: 1 row with open/high/low inconsistent",
        "member '../../x' is not a valid symbol and is left out",
        "member '<b>BAD</b>' is not a valid symbol and is left out",
        "member ZZZZ has an unknown GICS sector 'Crypto Assets' and is left out",
        f"^RUT has no close on {day} (no data at all)",
    ]
    for fragment in expected:
        assert any(fragment in w for w in warnings), (fragment, warnings)
        assert fragment.split(":")[0] in done.err  # and on the terminal, as warnings
    assert "(first 2026-02-03)" in next(w for w in warnings if m4 in w)
    assert f"{market.prices(m4)}: {m4}: 1 row" in done.err  # the file, for the operator

    text = " ".join(pdf_text(folder / f"market-breadth_{day}_en-US.pdf").split())
    assert "Data warnings" in text and "stale data" in text
    for symbol in (m0, m1, m2, m5, "../../x", "<b>BAD</b>", "ZZZZ"):
        assert symbol in text, symbol
    assert f"Coverage: {len(market.members) - 4} of {len(market.members)} members" in text

    # The store now holds the bars: a later sync fetches nothing and does not repeat what it
    # said when the bars were new (every report from them still states it: see the next
    # test), while the state of the data (a series that ends early) is said every time.
    again = cli_checked(capsys, "--config", str(market.config), "fetch", "--source", market.source)
    assert again.code == 0 and "0 symbol(s) updated" in again.out
    assert "open/high/low" not in again.err
    assert "^GSPC ends on 2026-02-04" in again.err


def test_read_only_runs_state_the_same_data_warnings(
        market: Market, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Backfill workers do not sync; their reports must still state the data's warnings."""
    from reporter.pipeline import RunOptions, run

    m4 = market.members[4]
    market.edit_lines(m4, lambda ls: [
        _set_field(_set_field(x, HIGH, "1.0"), LOW, "2.0") if x.startswith("2026-02-03") else x
        for x in ls])
    assert _run(capsys, market, tmp_path / "a").code == 0  # syncs the store
    synced = json.loads(next((tmp_path / "a").glob("*/report.json")).read_text("utf-8"))
    result = run(RunOptions(date="2026-02-03", source=market.source, out=tmp_path / "b",
                            langs=("en-US",), config_path=market.config, sync=False))
    worker = json.loads((result.folder / "report.json").read_text("utf-8"))
    high_low = [w for w in synced["warnings"] if m4 in w]
    assert high_low and all(w in worker["warnings"] for w in high_low)
