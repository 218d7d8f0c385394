"""Nothing changes or goes missing silently: files a user keeps in a day folder survive a
rebuild, symbolic links neither leave debris nor lead writes outside the output folder, and
every gap in the data that empties a figure is stated, without a file-system path, once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import cli_checked
from tests.support.days import make_day, use_fake_texts
from tests.support.market import LAST, Market
from tests.support.outputs import tree

CLOSE, HIGH, LOW = 4, 2, 3  # columns of Date,Open,High,Low,Close,Volume


def _run(capsys: pytest.CaptureFixture[str], market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", *extra)


def _report(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text("utf-8"))


def _warnings(capsys_err: str) -> list[str]:
    return [x.removeprefix("reporter: warning: ") for x in capsys_err.splitlines()
            if x.startswith("reporter: warning: ")]


# -- day folders ----------------------------------------------------------------------------------

def test_rebuilding_a_day_keeps_the_files_a_user_put_there(market: Market, tmp_path: Path,
                                                           capsys, quick: None):
    out = tmp_path / "out"
    assert _run(capsys, market, out, "--date", LAST).code == 0
    day = out / LAST
    (day / "notes.txt").write_text("call the client about XLK\n", "utf-8")
    (day / "desk").mkdir()
    (day / "desk" / "annotated.pdf").write_bytes(b"%PDF-1.7 mine")
    old_report = (day / "report.json").read_bytes()
    (day / "report.json").write_bytes(old_report.replace(b'"as_of"', b'"as_of" ', 1))
    assert _run(capsys, market, out, "--date", LAST).code == 0  # an explicit date rebuilds
    assert (day / "notes.txt").read_text("utf-8") == "call the client about XLK\n"
    assert (day / "desk" / "annotated.pdf").read_bytes() == b"%PDF-1.7 mine"
    assert (day / "report.json").read_bytes() == old_report  # the day itself is new
    assert not [n for n in os.listdir(out) if n.startswith(".")]


def test_rebuilding_a_day_folder_that_is_a_symbolic_link_leaves_nothing_behind(
        market: Market, tmp_path: Path, capsys, quick: None):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "archive" / LAST
    elsewhere.mkdir(parents=True)
    (elsewhere / "report.json").write_text('{"as_of": "old"}', "utf-8")
    (elsewhere / "notes.txt").write_text("mine", "utf-8")
    (out / LAST).symlink_to(elsewhere)
    before = tree(elsewhere)
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == 0, done.err
    assert sorted(os.listdir(out)) == [LAST]  # no .partial-* or .old-* entry, hidden or not
    assert tree(elsewhere) == before  # nothing written through the link, nothing lost
    assert _report(out / LAST)["as_of"] == LAST
    assert (out / LAST / "notes.txt").read_text("utf-8") == "mine"
    assert any(str(out / LAST) in w and "symbolic link" in w for w in _warnings(done.err))


def test_publish_does_not_write_through_a_day_folder_link_outside_the_output(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    elsewhere = make_day(tmp_path / "elsewhere", "2025-12-31")
    (out / "2025-12-31").symlink_to(elsewhere)
    before = tree(elsewhere)
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 0, done.err
    assert tree(elsewhere) == before
    warned = _warnings(done.err)
    assert any("2025-12-31" in w and "outside" in w for w in warned), warned
    assert (out / "2025-12-30" / "index.html").is_file()
    assert "2025-12-31" not in (out / "index.html").read_text("utf-8")


def test_publish_follows_a_day_folder_link_inside_the_output(tmp_path: Path, capsys,
                                                             monkeypatch: pytest.MonkeyPatch):
    """A link that stays inside the output folder is harmless: the day is published."""
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    inside = make_day(out / "archive", "2025-12-31")
    (out / "2025-12-31").symlink_to(inside)
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 0 and (inside / "index.html").is_file()


# -- the member list ------------------------------------------------------------------------------

def test_a_symbol_listed_twice_with_different_sectors_is_stated(market: Market, tmp_path: Path,
                                                                capsys, quick: None):
    twice = market.members[0]
    with open(market.root / "constituents.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{twice},Second Listing Corp,Energy\n")
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == 0, done.err
    report = _report(out / LAST)
    said = [w for w in report["warnings"] if twice in w]
    assert len(said) == 1 and "listed 2 times" in said[0] and "Energy" in said[0], said
    assert said[0] in _warnings(done.err)
    assert report["coverage"]["members_total"] == len(market.members)  # counted once
    tech = next(s for s in report["breadth_by_sector"] if s["sector"] == "Information Technology")
    assert tech["members"] == 2  # the first row's sector is kept


def test_an_empty_member_list_is_an_error(market: Market, tmp_path: Path, capsys, quick: None):
    path = market.root / "constituents.csv"
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == 3, done.err
    assert str(path) in done.error_lines[0] and "no member" in done.error_lines[0]
    assert not out.exists()


def test_a_member_list_with_no_usable_member_is_an_error(market: Market, tmp_path: Path,
                                                         capsys, quick: None):
    path = market.root / "constituents.csv"
    rows = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([rows[0], *(r.rsplit(",", 1)[0] + ",Crypto" for r in rows[1:])])
                    + "\n", "utf-8")
    done = _run(capsys, market, tmp_path / "out", "--date", LAST)
    assert done.code == 3, done.err
    assert "no usable member" in done.error_lines[0]


def test_a_date_before_any_member_history_is_stated(market: Market, tmp_path: Path, capsys,
                                                    quick: None):
    for member in market.members:
        market.edit_lines(member, lambda ls: [ls[0], *(x for x in ls[1:] if x >= "2025-06-01")])
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", "2025-03-03")
    assert done.code == 0, done.err
    report = _report(out / "2025-03-03")
    assert report["coverage"]["members_used"] == 0
    said = [w for w in report["warnings"] if "member" in w and "2025-03-03" in w]
    assert len(said) == 1 and "breadth" in said[0], report["warnings"]
    assert said[0] in _warnings(done.err)


# -- series that end early ------------------------------------------------------------------------

def test_an_index_missing_its_last_sessions_says_why_its_figures_are_empty(
        market: Market, tmp_path: Path, capsys, quick: None):
    market.edit_lines("^RUT", lambda ls: ls[:-3])  # ends on 2026-02-03
    out = tmp_path / "out"
    done = _run(capsys, market, out)
    assert done.code == 0, done.err
    report = _report(out / LAST)
    assert report["indices"]["^RUT"]["return_1d"] is None
    assert report["size_rotation"]["spread_1d"] is None
    said = [w for w in report["warnings"] if "^RUT" in w]
    assert len(said) == 1, report["warnings"]
    for needle in (LAST, "2026-02-03", "size rotation"):
        assert needle in said[0], (needle, said[0])


def test_an_index_missing_the_session_before_says_why_its_1_day_figures_are_empty(
        market: Market, tmp_path: Path, capsys, quick: None):
    market.edit_lines("^RUT", lambda ls: [x for x in ls if not x.startswith("2026-02-05")])
    out = tmp_path / "out"
    done = _run(capsys, market, out)
    assert done.code == 0, done.err
    report = _report(out / LAST)
    assert report["indices"]["^RUT"]["return_1d"] is None
    assert report["indices"]["^RUT"]["close"] is not None
    assert report["size_rotation"]["spread_1d"] is None
    said = [w for w in report["warnings"] if "^RUT" in w]
    assert len(said) == 1, report["warnings"]
    assert "2026-02-05" in said[0] and "1-day" in said[0], said[0]


# -- data warnings: no path, said once ------------------------------------------------------------

def _break_high_low(market: Market, symbol: str, day: str = "2026-02-03") -> None:
    def change(lines: list[str]) -> list[str]:
        out = []
        for x in lines:
            if x.startswith(day):
                cells = x.split(",")
                cells[HIGH], cells[LOW] = "1.0", "2.0"
                x = ",".join(cells)
            out.append(x)
        return out
    market.edit_lines(symbol, change)


def test_data_warnings_name_the_symbol_and_problem_but_no_path(market: Market, tmp_path: Path,
                                                               capsys):
    """The PDF and report.json go to clients: no folder of this machine in them. The path is
    for the operator, on stderr."""
    from tests.support.outputs import pdf_text

    m = market.members[4]
    _break_high_low(market, m)
    out = tmp_path / "out"
    done = _run(capsys, market, out, "--date", LAST)
    assert done.code == 0, done.err
    report = _report(out / LAST)
    said = [w for w in report["warnings"] if m in w]
    assert said == [f"{m}: 1 row with open/high/low inconsistent with each other "
                    "(first 2026-02-03)"]
    text = (out / LAST / "report.json").read_text("utf-8")
    assert str(market.root) not in text and str(tmp_path) not in text
    pdf = " ".join(pdf_text(out / LAST / f"market-breadth_{LAST}_en-US.pdf").split())
    assert "open/high/low" in pdf and str(tmp_path) not in pdf and "/tmp" not in pdf
    assert f"{market.prices(m)}: {said[0]}" in _warnings(done.err)  # the log has the file


def test_a_known_quirk_is_said_once_where_it_is_new(market: Market, tmp_path: Path, capsys,
                                                    quick: None):
    m = market.members[4]
    _break_high_low(market, m, "2024-05-06")  # a quirk deep in the history, like HUBB's
    first = _run(capsys, market, tmp_path / "a", "--date", LAST)
    second = _run(capsys, market, tmp_path / "b", "--date", "2026-02-05")
    fetched = cli_checked(capsys, "--config", str(market.config), "fetch",
                          "--source", market.source)
    assert first.code == second.code == fetched.code == 0
    assert any(m in w for w in _warnings(first.err))  # new: said on import
    assert not any(m in w for w in _warnings(second.err))  # known: not said again
    assert not any(m in w for w in _warnings(fetched.err))
    for folder in (tmp_path / "a" / LAST, tmp_path / "b" / "2026-02-05"):
        assert any(m in w for w in _report(folder)["warnings"])  # the report keeps the list
    _break_high_low(market, m, "2024-05-07")  # the file changes: its notes are new again
    third = _run(capsys, market, tmp_path / "c", "--date", LAST)
    assert [w for w in _warnings(third.err) if m in w] == [
        f"{market.prices(m)}: {m}: 2 rows with open/high/low inconsistent with each other "
        "(first 2024-05-06)"]
