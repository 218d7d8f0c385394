"""The command line: fast help, exit codes, one-line errors, fetch, backfill, publish."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reporter import cli, errors
from tests.support.cli import cli as run_cli
from tests.support.days import make_day, use_fake_texts
from tests.support.paths import REPO

HEAVY = ("pandas", "numpy", "matplotlib", "duckdb", "weasyprint", "exchange_calendars",
         "jinja2", "babel", "yfinance", "jsonschema", "pydantic", "dask", "distributed")


def run_process(*argv: str, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reporter", *argv], capture_output=True,
                          text=True, timeout=120, cwd=REPO,
                          env=None if env is None else {**os.environ, **env})


def _exit_codes() -> set[int]:
    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, errors.ReporterError)]
    return {c.exit_code for c in classes} | {0, 130}


# -- help -----------------------------------------------------------------------------------------

def test_help_is_fast_and_loads_no_heavy_library():
    best = min(_timed(run_process, "--help") for _ in range(3))
    assert best < 0.5, f"--help took {best:.2f} s"
    probe = ("import sys\nfrom reporter.cli import main\ntry:\n    main(['--help'])\n"
             "except SystemExit:\n    pass\n"
             f"print([m for m in {HEAVY!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=REPO, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    done = fn(*args)
    assert done.returncode == 0
    return time.perf_counter() - start


def test_help_lists_the_commands_and_every_exit_code():
    done = run_process("--help")
    for command in ("run", "fetch", "backfill", "publish", "send"):
        assert f" {command} " in done.stdout, command
    help_text = " ".join(done.stdout.split())
    for code in _exit_codes():
        assert f" {code} " in help_text, code
        assert f"\n  {code} " in cli.__doc__, code


def test_run_help_shows_the_new_options(capsys):
    code, out, _ = run_cli(capsys, "run", "--help")
    assert code == 0 and "--publish" in out and "--email" in out


def test_version_comes_from_the_package_metadata():
    done = run_process("--version")
    assert done.returncode == 0
    assert done.stdout == f"reporter {importlib.metadata.version('reporter')}\n"


# -- the configuration is checked first -----------------------------------------------------------

#: What reading data needs: none of it is imported when the configuration is refused.
DATA_MODULES = (*(m for m in HEAVY if m != "pydantic"), "reporter.pipeline", "reporter.store")
BAD_CONFIG = '[report]\ntitel = "x"\n[univers]\nwatchlist = []\n'


def test_a_misspelt_key_fails_fast_before_any_data_is_read(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_CONFIG, "utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out"
    argv = ("run", "--config", str(bad), "--source", f"csv:{tmp_path / 'market'}",
            "--out", str(out))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        done = run_process(*argv, env={"REPORTER_CACHE_DIR": str(cache)})
        times.append(time.perf_counter() - start)
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            "reporter: error: invalid configuration: report.titel: unknown key (did you mean "
            "report.title?); univers: unknown key (did you mean universe?)\n"
        )
        assert not cache.exists() and not out.exists()  # no store, no output folder
    assert min(times) < 1.0, f"took {min(times):.2f} s"
    # nothing that reads data was even imported
    probe = ("import sys\nfrom reporter.cli import main\ntry:\n"
             f"    main({list(argv)!r})\nexcept SystemExit as exc:\n    assert exc.code == 2\n"
             f"print([m for m in {DATA_MODULES!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=REPO, check=True,
                          env={**os.environ, "REPORTER_CACHE_DIR": str(cache)})
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- global options before and after the command name ---------------------------------------------

@pytest.mark.parametrize("argv", [
    ["--config", "{cfg}", "config"],
    ["config", "--config", "{cfg}"],
    ["-q", "--config", "{cfg}", "config"],
    ["config", "--config", "{cfg}", "-q"],
    ["--config", "{cfg}", "config", "--verbose"],
])
def test_global_options_go_before_or_after_the_command(tmp_path: Path, capsys, argv: list[str]):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[report]\ntitle = "Desk notes"\n', "utf-8")
    code, out, err = run_cli(capsys, *(a.format(cfg=cfg) for a in argv))
    assert (code, err) == (0, "")
    assert 'title = "Desk notes"' in out


@pytest.mark.parametrize("argv", [
    ["-q", "publish", "--out", "{out}"],
    ["publish", "--out", "{out}", "-q"],
    ["publish", "--quiet", "--out", "{out}"],
])
def test_quiet_goes_before_or_after_the_command(tmp_path: Path, capsys, argv: list[str],
                                                monkeypatch: pytest.MonkeyPatch):
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    code, stdout, err = run_cli(capsys, *(a.format(out=out) for a in argv))
    assert (code, stdout, err) == (0, "", "")
    assert (out / "index.html").is_file()
    code, stdout, _ = run_cli(capsys, "publish", "--out", str(out), "-v")
    assert code == 0 and "portal in" in stdout


@pytest.mark.parametrize("argv", [
    ["-q", "publish", "-v"],
    ["publish", "-q", "--verbose"],
    ["--verbose", "config", "--quiet"],
])
def test_quiet_and_verbose_exclude_each_other_in_any_position(capsys, argv: list[str]):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err == "reporter: error: --quiet and --verbose exclude each other\n"


def test_the_config_after_the_command_is_the_one_checked(tmp_path: Path, capsys,
                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_CONFIG, "utf-8")
    code, out, err = run_cli(capsys, "run", "--source", "sample", "--config", str(bad), "-q",
                             "--out", str(tmp_path / "out"))
    assert code == 2 and out == "" and "report.titel: unknown key" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "needle"), [
    (["run", "--date", "2025-13-01"], "--date"),
    (["run", "--source", "nope"], "--source"),
    (["run", "--lang", "xx"], "--lang"),
    (["run", "--bogus"], "--bogus"),
    (["send", "--to", "a@desk.test", "--tls", "none", "--smtp", "mail.example.com:25"],
     "mail.example.com"),
    (["send", "--to", "not-an-address"], "not-an-address"),
    (["backfill", "--from", "2025-12-31", "--to", "2025-12-01"], "--from"),
    (["backfill", "--from", "latest"], "--from"),
    (["backfill", "--from", "2025-12-01", "--scheduler", "local:0"], "--scheduler"),
    (["backfill", "--from", "2025-12-01", "--scheduler", "10.0.0.5:8786"], "--scheduler"),
    (["fetch", "--to", "31/12/2025"], "--to"),
    (["-q", "-v", "publish"], "--quiet"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, argv: list[str], needle: str):
    done = run_process(*argv, *(["--out", str(tmp_path)] if argv[0] == "send" else []))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("reporter: error: ")
    assert needle in done.stderr and "Traceback" not in done.stderr


def test_an_interrupt_exits_130(capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("reporter.portal.publish", interrupted)
    code, _, err = run_cli(capsys, "publish", "--out", str(tmp_path))
    assert code == 130 and err == "reporter: interrupted\n"


def test_an_unexpected_failure_is_one_line_without_traceback(capsys, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    def boom(*args, **kwargs):
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr("reporter.portal.publish", boom)
    code, _, err = run_cli(capsys, "publish", "--out", str(tmp_path))
    assert code == 1
    assert err == "reporter: internal error: RuntimeError: first line second line\n"


# -- publish --------------------------------------------------------------------------------------

def test_publish_quiet_and_verbose(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    use_fake_texts(monkeypatch)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    (out / "2025-12-30").mkdir()
    code, stdout, err = run_cli(capsys, "--verbose", "publish", "--out", str(out))
    assert code == 0
    assert "portal in" in stdout and "1 day(s)" in stdout
    assert str(out / "2025-12-31" / "index.en.html") in stdout  # verbose: every file
    assert err.startswith("reporter: warning: skipped 2025-12-30")
    code, stdout, err = run_cli(capsys, "-q", "publish", "--out", str(out))
    assert (code, stdout, err) == (0, "", "")
    assert (out / "index.html").is_file()


# -- fetch and backfill (real data) ---------------------------------------------------------------

def test_fetch_fills_the_store(capsys, marketdata: Path):
    source = f"csv:{marketdata}"
    code, out, err = run_cli(capsys, "fetch", "--source", source)
    assert code == 0, err
    assert "data ends on 2025-12-31" in out
    code, out, _ = run_cli(capsys, "fetch", "--source", source, "--to", "2025-12-31")
    assert code == 0 and "0 symbol(s) updated" in out


def test_backfill_outside_the_data(tmp_path: Path, capsys, marketdata: Path):
    code, _, err = run_cli(capsys, "backfill", "--from", "2025-12-27", "--to", "2025-12-28",
                           "--source", f"csv:{marketdata}", "--out", str(tmp_path))
    assert code == 3 and "no sessions from 2025-12-27 to 2025-12-28" in err


def test_backfill_end_to_end_with_the_sample_market(tmp_path: Path, capsys):
    out = tmp_path / "out"
    argv = ["backfill", "--from", "2026-02-05", "--to", "2026-02-06", "--source", "sample",
            "--out", str(out), "--lang", "zh-CN,en-US", "--publish"]
    code, stdout, err = run_cli(capsys, *argv)
    assert code == 0, err
    for day in ("2026-02-05", "2026-02-06"):
        report = json.loads((out / day / "report.json").read_text("utf-8"))
        assert report["as_of"] == day and report["source"]["is_sample"] is True
        for edition in ("zh-CN", "en-US"):
            assert (out / day / f"market-breadth_{day}_{edition}.pdf").read_bytes()[:5] == b"%PDF-"
        assert (out / day / "index.html").is_file()
    assert "wrote 2 report(s)" in stdout
    code, stdout, _ = run_cli(capsys, *argv)  # everything is there: nothing to do
    assert code == 0 and "wrote 0 report(s), 2 already there" in stdout
