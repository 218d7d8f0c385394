"""Wrong values and wrong exit codes: implausible closes and negative volumes are refused where
the data enters, naming file, symbol and date; a full stdout does not undo a written day; a
deeply nested report.json is skipped like any malformed one; a From address with a language,
and folders that do not exist, are argument or data errors, not delivery failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import cli_checked
from tests.support.days import make_day
from tests.support.market import LAST, Market
from tests.support.paths import REPO
from tests.support.smtp import Script, ScriptedSmtp

DATE, CLOSE, VOLUME = 0, 4, 5  # columns of Date,Open,High,Low,Close,Volume


def _run(capsys: pytest.CaptureFixture[str], market: Market, out: Path, *extra: str):
    return cli_checked(capsys, "--config", str(market.config), "run", "--source", market.source,
                       "--out", str(out), "--lang", "en-US", "--date", LAST, *extra)


def _set(market: Market, symbol: str, row: int, column: int, value: str) -> str:
    """Set one cell of a price file (row 1 is the first data row); returns the row's date."""
    lines = market.lines(symbol)
    cells = lines[row].split(",")
    cells[column] = value
    lines[row] = ",".join(cells)
    market.set_lines(symbol, lines)
    return cells[DATE]


def _scale(market: Market, symbol: str, row: int, factor: float) -> str:
    lines = market.lines(symbol)
    value = float(lines[row].split(",")[CLOSE]) * factor
    return _set(market, symbol, row, CLOSE, f"{value:.4f}")


# -- implausible closes ---------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "value", "row"), [
    ("^RUT", "1e308", -1),  # on an index, the report's own session
    ("member", "1e308", -1),  # on a member, which used to pass silently
    ("member", "1e300", 40),  # inside the history
    ("^GSPC", "3.5e12", 100),  # no index or share has ever closed near that
])
def test_an_implausibly_large_close_is_refused_naming_file_symbol_and_date(
        who: str, value: str, row: int, market: Market, tmp_path: Path, capsys, quick: None):
    symbol = market.members[2] if who == "member" else who
    day = _set(market, symbol, row if row > 0 else len(market.lines(symbol)) - 1, CLOSE, value)
    out = tmp_path / "out"
    done = _run(capsys, market, out)
    assert done.code == 3, done.err
    line = done.error_lines[0]
    for needle in (str(market.prices(symbol)), symbol, day, "implausible"):
        assert needle in line, (needle, line)
    assert not out.exists()


@pytest.mark.parametrize("factor", [1000.0, 1 / 1000])
def test_an_absurd_jump_is_refused(factor: float, market: Market, tmp_path: Path, capsys,
                                   quick: None):
    """A close a thousand times (or a thousandth of) the one before: a unit or typing error,
    not a market move (the largest daily move in the real snapshot is x2.16, the VIX)."""
    symbol = market.members[5]
    day = _scale(market, symbol, 120, factor)
    done = _run(capsys, market, tmp_path / "out")
    assert done.code == 3, done.err
    line = done.error_lines[0]
    for needle in (str(market.prices(symbol)), symbol, day, "implausible"):
        assert needle in line, (needle, line)


def test_a_large_but_real_move_is_accepted(market: Market, tmp_path: Path, capsys, quick: None):
    """Tripling in a day is rare but real (and a later halving): not refused."""
    symbol = market.members[5]
    lines = market.lines(symbol)
    rows = [(i, float(x.split(",")[CLOSE])) for i, x in enumerate(lines[1:], 1)]
    for i, close in rows[150:]:
        _set(market, symbol, i, CLOSE, f"{close * 3:.4f}")
    done = _run(capsys, market, tmp_path / "out")
    assert done.code == 0, done.err


@pytest.mark.parametrize("row", [30, -1])
def test_a_negative_volume_is_refused_naming_file_and_symbol(row: int, market: Market,
                                                           tmp_path: Path, capsys, quick: None):
    symbol = market.members[1]
    day = _set(market, symbol, row if row > 0 else len(market.lines(symbol)) - 1, VOLUME,
               "-2500")
    done = _run(capsys, market, tmp_path / "out")
    assert done.code == 3, done.err
    line = done.error_lines[0]
    for needle in (str(market.prices(symbol)), symbol, day, "volume"):
        assert needle in line, (needle, line)
    assert "schema" not in line


# -- stdout on a full disk ------------------------------------------------------------------------

def test_a_full_stdout_does_not_undo_the_day_nor_stop_publish_and_email(market: Market,
                                                                        tmp_path: Path):
    """cron appending to a log on a full partition: ``>/dev/full``. The day is written, the
    portal built and the e-mail sent; the exit status says so (0)."""
    out = tmp_path / "out"
    with ScriptedSmtp(Script()) as server:
        cfg = tmp_path / "daily.toml"
        cfg.write_text(market.config.read_text("utf-8") + (
            '[email]\nsender = "breadth@research.test"\nrecipients = ["en@desk.test:en-US"]\n'
            f'host = "127.0.0.1"\nport = {server.port}\ntls = "none"\ntimeout = 20\n'), "utf-8")
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "reporter", "--config", str(cfg), "run", "--source",
                 market.source, "--out", str(out), "--lang", "en-US", "--publish", "--email"],
                cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
        delivered = list(server.delivered)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (out / LAST / "report.json").is_file()
    assert (out / LAST / f"market-breadth_{LAST}_en-US.pdf").is_file()
    assert (out / "index.html").is_file() and (out / LAST / "index.en.html").is_file()
    assert delivered == [["en@desk.test"]]


# -- the portal and e-mail ------------------------------------------------------------------------

def _nest(folder: Path, depth: int = 100_000) -> None:
    (folder / "report.json").write_text("[" * depth + "]" * depth, "utf-8")


def test_a_deeply_nested_report_is_skipped_like_malformed_json(tmp_path: Path, capsys,
                                                               texts: None):
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    _nest(make_day(out, "2025-12-31"))
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 0, done.err
    warned = [x for x in done.err.splitlines() if x.startswith("reporter: warning")]
    assert len(warned) == 1 and "2025-12-31" in warned[0] and "report.json" in warned[0]
    assert (out / "2025-12-30" / "index.html").is_file()
    assert not (out / "2025-12-31" / "index.html").exists()


def test_sending_a_deeply_nested_report_is_a_data_error(tmp_path: Path, capsys, texts: None):
    out = tmp_path / "out"
    _nest(make_day(out, "2025-12-31"))
    with ScriptedSmtp(Script()) as server:
        done = cli_checked(capsys, "send", "--date", "2025-12-31", "--out", str(out), "--to",
                           "a@desk.test", "--smtp", f"127.0.0.1:{server.port}", "--tls", "none",
                           "--from", "breadth@research.test")
        assert server.connections == 0
    assert done.code == 3, done.err
    assert "report.json" in done.error_lines[0]


def test_a_from_address_with_a_language_is_refused(tmp_path: Path, capsys, texts: None):
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    with ScriptedSmtp(Script()) as server:
        done = cli_checked(capsys, "send", "--date", "2025-12-31", "--out", str(out), "--to",
                           "a@desk.test", "--smtp", f"127.0.0.1:{server.port}", "--tls", "none",
                           "--from", "me@example.org:zh-CN")
        assert server.connections == 0 and server.delivered == []
    assert done.code == 2, done.err
    line = done.error_lines[0]
    assert "--from" in line and "me@example.org:zh-CN" in line


def test_publishing_a_folder_that_does_not_exist_is_an_argument_error(tmp_path: Path, capsys):
    missing = tmp_path / "no-such-folder"
    done = cli_checked(capsys, "publish", "--out", str(missing))
    assert done.code == 2, done.err
    assert str(missing) in done.error_lines[0]
    assert not missing.exists()


def test_sending_from_a_folder_that_does_not_exist_is_an_argument_error(tmp_path: Path, capsys):
    missing = tmp_path / "no-such-folder"
    for date in ("latest", "2025-12-31"):
        done = cli_checked(capsys, "send", "--date", date, "--out", str(missing),
                           "--to", "a@desk.test", "--smtp", "127.0.0.1:25", "--tls", "none",
                           "--from", "breadth@research.test")
        assert done.code == 2, done.err
        assert str(missing) in done.error_lines[0]
    assert not missing.exists()


def test_sending_a_day_that_has_no_report_is_a_data_error(tmp_path: Path, capsys, texts: None):
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    done = cli_checked(capsys, "send", "--date", "2025-12-30", "--out", str(out),
                       "--to", "a@desk.test", "--smtp", "127.0.0.1:25", "--tls", "none",
                       "--from", "breadth@research.test")
    assert done.code == 3, done.err
    assert "no report for 2025-12-30" in done.error_lines[0]


def test_a_report_json_that_is_not_an_object_is_skipped(tmp_path: Path, capsys, texts: None):
    """Its neighbour: valid JSON of the wrong shape is skipped with a warning too."""
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    (make_day(out, "2025-12-31") / "report.json").write_text(json.dumps([1, 2]), "utf-8")
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 0 and "2025-12-31" in done.err


def test_a_report_with_an_implausible_figure_is_skipped_not_an_internal_error(
        tmp_path: Path, capsys, texts: None):
    """A report.json edited by hand (or from an older version) with a close of 1e308: the
    portal skips that day with a warning, as the run would have refused the close."""
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    folder = make_day(out, "2025-12-31")
    report = json.loads((folder / "report.json").read_text("utf-8"))
    report["indices"]["^GSPC"]["close"] = 1e308
    (folder / "report.json").write_text(json.dumps(report), "utf-8")
    done = cli_checked(capsys, "publish", "--out", str(out))
    assert done.code == 0, done.err
    assert "skipped 2025-12-31" in done.err
    assert (out / "2025-12-30" / "index.html").is_file()
