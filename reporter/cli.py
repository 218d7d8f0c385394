"""Command line: ``reporter run | ...``. Imports stay light so ``--help`` answers fast.

Exit codes: 0 success (or, for ``--date latest``, the report already exists); 1 unexpected
failure; 2 bad configuration or arguments; 3 unusable data; 4 source failure; 5 store; 6 render;
7 output; 8 delivery; 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Market-breadth research notes (zh-CN / en-US) from end-of-day data.",
    pretty_exceptions_enable=False,
)

_state: dict[str, object] = {"config": None, "quiet": False}


@app.callback()
def _root(
    config_file: Annotated[
        Path | None, typer.Option("--config", help="TOML configuration file.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    _state["config"] = config_file
    _state["quiet"] = quiet


def _say(text: str) -> None:
    if not _state["quiet"]:
        typer.echo(text)


@app.command()
def run(
    date: Annotated[str, typer.Option(help="Session date YYYY-MM-DD or 'latest'.")] = "latest",
    source: Annotated[str, typer.Option(help="yahoo | csv:DIR | sample.")] = "yahoo",
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("output"),
    lang: Annotated[str, typer.Option(help="Editions: zh-CN,en-US,bilingual.")] = (
        "zh-CN,en-US,bilingual"
    ),
    paper: Annotated[str | None, typer.Option(help="a4 | letter (default from config).")] = None,
    archival: Annotated[
        bool, typer.Option("--archival", help="PDF/A-3b instead of tagged PDF/UA-1.")
    ] = False,
) -> None:
    """Build the day's report: PDFs per edition, charts and report.json."""
    from reporter.pipeline import RunOptions, parse_langs
    from reporter.pipeline import run as run_pipeline

    result = run_pipeline(
        RunOptions(
            date=date, source=source, out=out, langs=parse_langs(lang),
            config_path=_state["config"], paper=paper,  # type: ignore[arg-type]
            variant="pdf/a-3b" if archival else "pdf/ua-1",
        )
    )
    if result.already_there:
        _say(f"report for {result.as_of} already exists in {result.folder}; nothing to do")
        return
    if result.moved_from:
        _say(f"{result.moved_from} is not a session; reporting {result.as_of}, the session before")
    for warning in result.warnings:
        _say(f"warning: {warning}")
    _say(f"wrote {len(result.files)} files to {result.folder}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: every error the reporter raises becomes one line and an exit code."""
    from reporter.errors import ReporterError

    try:
        app(args=argv, prog_name="reporter", standalone_mode=False)
    except ReporterError as exc:
        print(f"reporter: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("reporter: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors and anything unexpected: one line, no traceback
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        print(f"reporter: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
