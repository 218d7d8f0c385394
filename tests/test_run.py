"""End to end: ``reporter run`` from each source, checked against figures computed independently."""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import time
from pathlib import Path

import pytest
from babel.numbers import format_decimal, format_percent

from tests.support.cli import exit_code
from tests.support.outputs import pdf_text

INDICES = ("^GSPC", "^RUT", "^IXIC", "^DJI")


def read_closes(path: Path) -> list[tuple[str, float]]:
    with open(path, newline="") as fh:
        return [(r["Date"], float(r["Close"])) for r in csv.DictReader(fh) if r["Close"]]


def expected_returns(rows: list[tuple[str, float]], day: str) -> dict[str, float]:
    """Close, 1D, MTD and YTD by plain scanning: the bases are the previous row, the last row
    of the previous month and the last row of the previous year."""
    upto = [r for r in rows if r[0] <= day]
    close = upto[-1][1]
    prev = upto[-2][1]
    month_base = [c for d, c in upto if d[:7] < day[:7]][-1]
    year_base = [c for d, c in upto if d[:4] < day[:4]][-1]
    return {"close": close, "return_1d": close / prev - 1, "return_mtd": close / month_base - 1,
            "return_ytd": close / year_base - 1}


@pytest.fixture(scope="module")
def real_run(marketdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    code = exit_code("run", "--source", f"csv:{marketdata}", "--date", "2025-12-31",
                   "--out", str(out))
    assert code == 0
    return out / "2025-12-31"


def test_real_report_json_matches_the_csv_files(real_run: Path, marketdata: Path):
    report = json.loads((real_run / "report.json").read_text())
    assert report["as_of"] == "2025-12-31"
    for sym in INDICES:
        want = expected_returns(read_closes(marketdata / "prices" / f"{sym}.csv"), "2025-12-31")
        got = report["indices"][sym]
        for key, value in want.items():
            assert got[key] == pytest.approx(value, rel=1e-9), (sym, key)


def test_real_pdfs_show_the_same_figures_per_locale(real_run: Path, marketdata: Path):
    for edition, locale in (("en-US", "en_US"), ("zh-CN", "zh_CN")):
        text = pdf_text(real_run / f"market-breadth_2025-12-31_{edition}.pdf")
        for sym in INDICES:
            want = expected_returns(read_closes(marketdata / "prices" / f"{sym}.csv"),
                                    "2025-12-31")
            close = format_decimal(want["close"], "#,##0.00", locale=locale)
            assert close in text, (edition, sym, close)
            one_day = format_percent(abs(want["return_1d"]), "0.00%", locale=locale)
            assert one_day in text, (edition, sym, one_day)


def test_every_edition_and_the_json_are_written(real_run: Path):
    names = {p.name for p in real_run.iterdir()}
    for edition in ("zh-CN", "en-US", "bilingual"):
        assert f"market-breadth_2025-12-31_{edition}.pdf" in names
    assert "report.json" in names
    assert any(n.endswith(".svg") for n in names)


def test_the_note_is_also_a_self_contained_web_page_per_language(real_run: Path,
                                                                  marketdata: Path):
    import re

    for locale, heading in (("zh-CN", ">行业</h2>"), ("en-US", ">Sectors</h2>")):
        html = (real_run / f"market-breadth_2025-12-31_{locale}.html").read_text("utf-8")
        assert f'<html lang="{locale}">' in html and 'name="viewport"' in html
        assert heading in html
        charts = sorted(real_run.glob(f"chart_*_{locale}.svg"))
        assert len(charts) >= 6
        # every chart inline, with its alt text as the SVG's title; nothing loaded from outside
        assert html.count('<svg class="chart-svg" role="img"') == len(charts)
        for chart in charts:
            title = re.search(r"<title>(.*?)</title>", chart.read_text("utf-8"), re.S)
            assert title and title.group(1) in html
        assert not re.search(r'(?:src|href)="(?!#)', html)
        assert str(marketdata) not in html and str(real_run) not in html  # no path to clients
        png = (real_run / f"chart_indices_{locale}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_no_part_of_the_source_folder_reaches_the_note(real_run: Path, marketdata: Path):
    """The data source is named by its kind (CSV files / CSV 文件), never by the folder it was
    read from: neither its path nor its name, nor a tail of its path, in either language's
    web page or in report.json (the portal serves the day's folder)."""
    import re

    parts = Path(marketdata).resolve().parts[1:]
    tails = {"/".join(parts[i:]) for i in range(len(parts))}
    pages = {loc: (real_run / f"market-breadth_2025-12-31_{loc}.html").read_text("utf-8")
             for loc in ("zh-CN", "en-US")}
    pages["report.json"] = (real_run / "report.json").read_text("utf-8")
    for name, page in pages.items():
        for tail in (*tails, str(marketdata), str(Path(marketdata).resolve())):
            assert tail.lower() not in page.lower(), (name, tail)
    source = {"zh-CN": "数据来源：CSV 文件", "en-US": "Source: CSV files"}
    for loc, said in source.items():
        assert said in re.sub(r"<[^>]+>", "", pages[loc]), loc


def test_data_warnings_reach_each_note_in_its_language(real_run: Path):
    """The snapshot's quirk (HUBB's High below its Open on 2021-05-05) is stated in each
    language: "1 row" in English (no "row(s)"), 1行 in Chinese with no English words."""
    import re

    report = json.loads((real_run / "report.json").read_text())
    assert any(w.startswith("HUBB: 1 row with ") for w in report["warnings"])
    for locale in ("zh-CN", "en-US"):
        html = (real_run / f"market-breadth_2025-12-31_{locale}.html").read_text("utf-8")
        listed = re.search(r'<ul class="warnings">(.*?)</ul>', html, re.S)
        assert listed, locale
        # each item's text as read (a Chinese figure is kept whole in a span)
        items = [re.sub(r"<[^>]+>", "", i) for i in
                 re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]
        assert items and "(s)" not in listed.group(1), locale
        if locale == "zh-CN":
            assert any(i.startswith("HUBB：1行") and "2021年5月5日" in i for i in items), items
            assert not any(re.search(r"\b[a-z]{3,}\b", i) for i in items), items
        else:
            assert any(i.startswith("HUBB: 1 row with ") for i in items), items


def test_chinese_text_extracts_from_the_chinese_pdf(real_run: Path):
    text = pdf_text(real_run / "market-breadth_2025-12-31_zh-CN.pdf")
    for term in ("市场广度", "标普500", "罗素2000", "2025年12月31日"):
        assert term in text


def test_all_fonts_are_embedded(real_run: Path):
    for pdf in real_run.glob("*.pdf"):
        rows = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                              text=True).stdout.splitlines()[2:]
        assert rows, pdf
        for row in rows:
            # columns: name type encoding emb sub uni object ID
            assert row.split()[-5] == "yes", (pdf.name, row)


def test_sample_demo_is_marked_and_latest_rerun_is_a_no_op(tmp_path: Path, capsys):
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path),
                   "--lang", "zh-CN,en-US") == 0
    folder = tmp_path / "2026-02-06"
    en = folder / "market-breadth_2026-02-06_en-US.pdf"
    zh = folder / "market-breadth_2026-02-06_zh-CN.pdf"
    pages_en = pdf_text(en).split("\f")
    pages_zh = pdf_text(zh).split("\f")
    assert all("SAMPLE" in p.upper() for p in pages_en if p.strip())
    assert all("示例数据" in p for p in pages_zh if p.strip())
    assert json.loads((folder / "report.json").read_text())["source"]["is_sample"] is True
    before = en.stat().st_mtime_ns
    capsys.readouterr()
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path),
                   "--lang", "zh-CN,en-US") == 0
    assert "already exists" in capsys.readouterr().out
    assert en.stat().st_mtime_ns == before


def test_weekend_date_resolves_to_the_session_before(tmp_path: Path, capsys):
    assert exit_code("run", "--source", "sample", "--date", "2026-02-08", "--out", str(tmp_path),
                   "--lang", "en-US") == 0
    assert "2026-02-06" in capsys.readouterr().out
    assert (tmp_path / "2026-02-06" / "market-breadth_2026-02-06_en-US.pdf").exists()
    report = json.loads((tmp_path / "2026-02-06" / "report.json").read_text())
    assert report["as_of"] == "2026-02-06" and report["requested_date"] == "2026-02-08"


def test_a_date_past_the_data_fails_and_writes_nothing(tmp_path: Path, capsys):
    assert exit_code("run", "--source", "sample", "--date", "2026-03-02",
                   "--out", str(tmp_path)) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "2026-03-02" in err and "2026-02-06" in err
    assert list(tmp_path.iterdir()) == []


def test_offline_yahoo_fails_fast_with_one_line(tmp_path: Path, monkeypatch, capsys):
    def no_dns(*_a, **_k):
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    started = time.monotonic()
    code = exit_code("run", "--source", "yahoo", "--out", str(tmp_path / "out"))
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err.strip()
    assert code == 4 and elapsed < 10
    assert len(err.splitlines()) == 1 and "cannot rea" in err  # reach / read
    assert not (tmp_path / "out").exists()


def test_a_report_off_its_schema_stops_the_run_and_the_renderer(tmp_path: Path, monkeypatch,
                                                                   capsys):
    # the report is checked while the renderer works: the check still stops the run before
    # anything is written, with the data exit code, and no render process outlives it
    import multiprocessing

    from jsonschema.validators import Draft202012Validator

    from reporter import pipeline

    strict = Draft202012Validator({"type": "object", "required": ["no_such_field"]})
    monkeypatch.setattr(pipeline, "_validator", lambda: strict)
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path), "--lang", "en-US") == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "schema" in err and "no_such_field" in err
    assert list(tmp_path.iterdir()) == []
    assert multiprocessing.active_children() == []


def test_runs_keep_the_session_table_in_the_cache_and_replace_a_bad_one(tmp_path: Path,
                                                                         monkeypatch):
    import numpy as np

    from reporter import calendar, pipeline

    monkeypatch.setattr(calendar, "_installed", None)
    table = pipeline.cache_dir() / f"xnys-sessions-{calendar.calendar_version()}.npy"
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_bytes(b"not a table")
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path / "a"),
                     "--lang", "en-US") == 0
    assert np.array_equal(np.load(table), calendar._calendar_days())

    def no_calendar():
        raise AssertionError("the exchange calendar was built although the table was kept")

    monkeypatch.setattr(calendar, "_installed", None)
    monkeypatch.setattr(calendar, "_xnys", no_calendar)
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path / "b"),
                     "--lang", "en-US") == 0
    assert (tmp_path / "b" / "2026-02-06" / "report.json").read_bytes() == (
        tmp_path / "a" / "2026-02-06" / "report.json").read_bytes()


def test_the_render_worker_starts_first_and_a_bad_configuration_still_ends_it(
        tmp_path: Path, monkeypatch, capsys):
    # the worker forks before anything else loads (it loads its libraries meanwhile), so a
    # configuration refused after that must take it down: one line, the usage code, no process
    import multiprocessing

    from reporter import config, render

    events: list[str] = []
    real_init, real_load = render.Renderer.__init__, config.load

    def init(self, **kwargs):
        events.append("renderer")
        real_init(self, **kwargs)

    def load(*args, **kwargs):
        events.append("config")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(render.Renderer, "__init__", init)
    monkeypatch.setattr(config, "load", load)
    bad = tmp_path / "bad.toml"
    bad.write_text("[report]\npaper = 'a5'\n")
    code = exit_code("run", "--source", "sample", "--out", str(tmp_path / "out"),
                     "--config", str(bad))
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "paper" in err
    assert events[:2] == ["renderer", "config"]
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists()


def test_a_run_builds_with_the_collector_off_and_turns_it_back_on(tmp_path: Path,
                                                                    monkeypatch):
    import gc

    from reporter import pipeline

    seen: list[tuple[bool, object]] = []
    real_run = pipeline.run

    def run(opts, progress=None, renderer=None):
        seen.append((gc.isenabled(), renderer))
        return real_run(opts, progress, renderer)

    monkeypatch.setattr(pipeline, "run", run)
    assert gc.isenabled()
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path), "--lang",
                     "en-US") == 0
    [(collecting, renderer)] = seen
    assert not collecting and renderer is not None  # the command's own, started first
    assert gc.isenabled()
    assert (tmp_path / "2026-02-06" / "report.json").is_file()


def test_a_run_ends_the_renderer_it_was_given_when_its_input_is_refused(tmp_path: Path):
    import multiprocessing

    from reporter.errors import ConfigError
    from reporter.pipeline import RunOptions, run
    from reporter.render import Renderer

    renderer = Renderer(parallel=True)
    assert multiprocessing.active_children() != []
    with pytest.raises(ConfigError, match="--paper"):
        run(RunOptions(date="2025-12-31", source="sample", out=tmp_path, paper="a5"),
            renderer=renderer)
    assert multiprocessing.active_children() == []
