"""Command line: ``reporter run | fetch | backfill | publish | send | config``.

Imports stay light so ``--help`` answers fast: every heavy library (pydantic included) loads
inside a command. Every command loads and checks the configuration first, before any data.
The global options (``--config``, ``-q``, ``-v``) go before or after the command name.
Progress bars and warnings go to stderr; results to stdout; ``--quiet`` keeps only errors.
Every error is one line, ``reporter: error: ...``, never a traceback.

Exit codes:
  0    success (for --date latest: also when that report already exists)
  1    unexpected failure
  2    bad configuration or arguments
  3    unusable market data, or no data for the date
  4    data source failure (network, missing symbols)
  5    price store cannot be opened or written
  6    charts, HTML or PDF could not be produced
  7    outputs could not be written
  8    e-mail or chat delivery failed (the failed recipients or webhooks are named)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from reporter.vocabulary import EDITIONS

if TYPE_CHECKING:
    from rich.progress import Progress

    from reporter.config import Config, Recipient
    from reporter.mail import SmtpSettings

EXIT_CODES = __doc__.split("Exit codes:\n", 1)[1].rstrip()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Market-breadth research notes (zh-CN / en-US) from end-of-day data.",
    epilog="Exit codes: " + "; ".join(
        " ".join(line.split(None, 1)) for line in EXIT_CODES.splitlines()
    ) + ".",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help as plain text: "[email]" is a word, flags take no value
)


SourceOpt = Annotated[str, typer.Option(help="yahoo | csv:DIR | sample.")]
OutOpt = Annotated[Path, typer.Option(help="Output folder (day folders and the portal).")]
LangOpt = Annotated[str, typer.Option(help="Editions: zh-CN,en-US,bilingual.")]
PaperOpt = Annotated[str | None, typer.Option(help="a4 | letter (default from config).")]
ArchivalOpt = Annotated[
    bool, typer.Option("--archival", help="PDF/A-3b instead of tagged PDF/UA-1.")
]
ALL_EDITIONS = ",".join(EDITIONS)


@dataclass
class Globals:
    """The global options of one invocation, kept on the context (``ctx.obj``): where the
    configuration comes from and how much to say."""

    config: Path | None = None
    quiet: bool = False
    verbose: bool = False

    def load_config(self) -> Config:
        """The validated configuration: loaded first by every command, before any data."""
        from reporter import config

        return config.load(self.config)

    def say(self, text: str) -> None:
        if not self.quiet:
            _echo(text)

    def detail(self, text: str) -> None:
        if self.verbose:
            _echo(text)

    def warn(self, text: str) -> None:
        if not self.quiet:
            _echo(f"reporter: warning: {text}", err=True)


def _echo(text: str, err: bool = False) -> None:
    """Print, or give up printing: a full disk or a closed pipe on stdout (cron appending to
    a log) must not turn work already done into a failure, nor stop what follows."""
    try:
        typer.echo(text, err=err)
    except OSError:
        stream = sys.stderr if err else sys.stdout
        try:  # what is buffered would fail again at exit: send the stream to /dev/null
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
        except (OSError, ValueError):
            pass


def _progress(quiet: bool, spinner: bool = False) -> Progress:
    """A Rich progress bar on stderr; silent with --quiet or when stderr is not a terminal.
    ``spinner``: a stage line instead of a bar, redrawn only when told (no drawing thread
    while ``run`` forks its renderer)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    columns = (
        (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()) if spinner
        else (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TimeElapsedColumn(), TimeRemainingColumn())
    )
    return Progress(
        *columns, console=console, transient=True, auto_refresh=not spinner,
        disable=quiet or not console.is_terminal,
    )


def _globals(ctx: typer.Context) -> Globals:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Globals()
    return root.obj


# The global options are accepted before the command name and after it (``reporter -q run`` and
# ``reporter run -q``): each command gets them too (``_command``), and both places record them
# on the context through these callbacks instead of passing them to the function.

def _set_config(ctx: typer.Context, value: Path | None) -> None:
    if value is not None:
        _globals(ctx).config = value


def _set_quiet(ctx: typer.Context, value: bool) -> None:
    if value:
        _globals(ctx).quiet = True
        _exclusive(_globals(ctx))


def _set_verbose(ctx: typer.Context, value: bool) -> None:
    if value:
        _globals(ctx).verbose = True
        _exclusive(_globals(ctx))


def _exclusive(g: Globals) -> None:
    from reporter.errors import ConfigError

    if g.quiet and g.verbose:
        raise ConfigError("--quiet and --verbose exclude each other")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"reporter {version('reporter')}")
        raise typer.Exit()


_GLOBAL_OPTIONS = (
    ("config_file", Annotated[Path | None, typer.Option(
        "--config", help="TOML configuration file.", callback=_set_config, expose_value=False,
    )], None),
    ("quiet", Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print errors only.", callback=_set_quiet, expose_value=False,
    )], False),
    ("verbose", Annotated[bool, typer.Option(
        "--verbose", "-v", help="Say more: every file, session, recipient.",
        callback=_set_verbose, expose_value=False,
    )], False),
)

F = TypeVar("F", bound=Callable[..., Any])


def _with_global_options(func: F) -> F:
    """``func`` with the global options added to its command-line signature. The callbacks
    above record them on the context; ``func`` itself never receives them."""
    sig = inspect.signature(func, eval_str=True)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                               annotation=annotation)
             for name, annotation, default in _GLOBAL_OPTIONS]

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        for name, _, _ in _GLOBAL_OPTIONS:
            kwargs.pop(name, None)
        return func(*args, **kwargs)

    # inspect (and so typer) reads __signature__, an attribute functions do not declare
    command.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[*sig.parameters.values(), *extra]
    )
    return cast(F, command)


def _command(name: str | None = None) -> Callable[[F], F]:
    """``app.command()`` for a command that also takes the global options after its name."""
    def register(func: F) -> F:
        return app.command(name)(_with_global_options(func))
    return register


@app.callback()
@_with_global_options
def _root(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_print_version,
        is_eager=True, expose_value=False,
    )] = False,
) -> None:
    pass


def _parse_day(text: str, option: str = "--date") -> str:
    """``latest`` or an ISO date; an impossible date is named as such."""
    from reporter.calendar import parse_date

    return parse_date(text, option)


# -- run ------------------------------------------------------------------------------------------

@_command()
def run(
    ctx: typer.Context,
    date: Annotated[str, typer.Option(help="Session date YYYY-MM-DD or 'latest'.")] = "latest",
    source: SourceOpt = "yahoo",
    out: OutOpt = Path("output"),
    lang: LangOpt = ALL_EDITIONS,
    paper: PaperOpt = None,
    archival: ArchivalOpt = False,
    publish: Annotated[
        bool, typer.Option("--publish", help="Then update the portal in the output folder.")
    ] = False,
    email: Annotated[
        bool, typer.Option("--email", help="Then mail the day to the \\[email] recipients.")
    ] = False,
    chat: Annotated[
        bool, typer.Option("--chat", help="Then post the day to the \\[\\[webhooks]] chats.")
    ] = False,
) -> None:
    """Build the day's report: PDFs per edition, web pages, charts and report.json."""
    from reporter.render import Renderer, side_by_side
    from reporter.render.speed.fork import collector_paused

    # The render worker forks first, so that it loads the chart and PDF libraries while this
    # process loads its own, reads the data and computes; the run ends it, whatever happens.
    # No cycle collection meanwhile: what the build imports and makes lives until it ends, so
    # each collection would walk it all and free nothing (a tenth of the libraries' load time,
    # here and in the worker, which inherits the setting).
    with collector_paused(), Renderer(parallel=side_by_side()) as renderer:
        g = _globals(ctx)
        cfg = g.load_config()
        settings = None
        if email:  # a mail set-up that cannot work fails before the long work
            from reporter.errors import ConfigError

            settings = _mail_settings(cfg)
            if not cfg.email.sender:
                raise ConfigError("email.sender: set the From address to use run --email "
                                  "(`reporter send` also takes --from)")
            if not cfg.email.recipients:
                raise ConfigError(
                    "email.recipients: empty; list who gets run --email in the config")
        if chat and not cfg.webhooks:
            from reporter.errors import ConfigError

            raise ConfigError(
                "webhooks: none configured; add a [[webhooks]] table to use run --chat")
        from reporter.pipeline import RunOptions, parse_langs
        from reporter.pipeline import run as run_pipeline

        with _progress(g.quiet, spinner=True) as bar:  # the stages, on a terminal
            task = bar.add_task("starting", total=None)
            result = run_pipeline(
                RunOptions(
                    date=date, source=source, out=out, langs=parse_langs(lang), config=cfg,
                    paper=paper, variant="pdf/a-3b" if archival else "pdf/ua-1",
                ),
                progress=lambda stage: bar.update(task, description=stage, refresh=True),
                renderer=renderer,
            )
    if result.already_there:
        g.say(f"report for {result.as_of} already exists in {result.folder}; nothing to do")
        _warn_if_stale(g, source, result.as_of)
    else:
        if result.moved_from:
            g.say(f"{result.moved_from} is not a session; reporting {result.as_of}, "
                  "the session before")
        for warning in [*result.news, *result.notes]:  # each data warning once, when new
            g.warn(warning)
        for name in result.files:
            g.detail(f"  {result.folder / name}")
        g.say(f"wrote {len(result.files)} files to {result.folder}")
    if publish:
        _publish(g, out, cfg)
    failure = None
    if email and settings:
        try:
            _send(g, out, result.as_of, list(cfg.email.recipients), cfg, settings, resend=False)
        except Exception as exc:  # the chats still get the day; the error is raised after
            if not chat:
                raise
            failure = exc
    if chat:
        _chat(g, out, result.as_of, cfg, list(cfg.webhooks), resend=False, dry_run=False)
    if failure is not None:
        raise failure


def _warn_if_stale(g: Globals, source: str, as_of: str) -> None:
    """``latest`` from live data that lacks a closed session: the existing report is not news."""
    if source != "yahoo":
        return
    from reporter import calendar

    last = calendar.last_closed_session().date().isoformat()
    if as_of < last:
        g.warn(f"the data ends on {as_of}, before the last closed session {last}: the source "
              "has not published it yet (stale data); run again later")


# -- fetch ----------------------------------------------------------------------------------------

@_command()
def fetch(
    ctx: typer.Context,
    source: SourceOpt = "yahoo",
    to: Annotated[str, typer.Option(help="Last session to fetch: YYYY-MM-DD or 'latest'.")] = (
        "latest"
    ),
) -> None:
    """Fill the price store for a source up to a session (default: the last closed one)."""
    g = _globals(ctx)
    cfg = g.load_config()
    until = _parse_day(to, "--to")
    from reporter.pipeline import available_sessions
    from reporter.pipeline import fetch as fetch_store

    synced = fetch_store(source, cfg, None if until == "latest" else until)
    for warning in synced.to_say():
        g.warn(warning)
    if synced.missing:
        g.warn(f"the source has no data for {len(synced.missing)} symbol(s): "
              f"{', '.join(sorted(synced.missing)[:20])}")
    for sym in synced.fetched:
        g.detail(f"  updated {sym}")
    sessions = available_sessions(source)
    end = sessions[-1].date().isoformat() if len(sessions) else "(empty)"
    g.say(f"store for {source}: {len(synced.fetched)} symbol(s) updated in {synced.calls} "
          f"request(s); data ends on {end}")


# -- backfill -------------------------------------------------------------------------------------

@_command()
def backfill(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", help="First session YYYY-MM-DD.")],
    to: Annotated[str, typer.Option(help="Last session YYYY-MM-DD or 'latest'.")] = "latest",
    source: SourceOpt = "yahoo",
    out: OutOpt = Path("output"),
    lang: LangOpt = ALL_EDITIONS,
    paper: PaperOpt = None,
    archival: ArchivalOpt = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild sessions whose outputs already exist.")
    ] = False,
    scheduler: Annotated[str, typer.Option(
        help="Where the sessions run: local (a Dask cluster, one worker process per core), "
             "local:N (N workers) or tcp://HOST:PORT (a running Dask scheduler).",
    )] = "local",
    workers: Annotated[int | None, typer.Option(min=1, max=64, hidden=True)] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Then update the portal in the output folder.")
    ] = False,
) -> None:
    """A report for every session in a range: one sync, then one task per session on Dask."""
    from reporter.cluster import parse_scheduler
    from reporter.errors import ConfigError

    g = _globals(ctx)
    cfg = g.load_config()
    first, last = _parse_day(from_, "--from"), _parse_day(to, "--to")
    if first == "latest":
        raise ConfigError("--from: expected YYYY-MM-DD, got 'latest'")
    if last != "latest" and last < first:
        raise ConfigError(f"--from {first} is after --to {last}")
    where = parse_scheduler(scheduler if workers is None else f"local:{workers}")
    from reporter.backfill import Outcome
    from reporter.backfill import backfill as run_backfill
    from reporter.cluster import Cluster, sigterm_raises
    from reporter.pipeline import RunOptions, build_spec, parse_langs

    spec = build_spec(RunOptions(langs=parse_langs(lang), config=cfg, paper=paper,
                                 variant="pdf/a-3b" if archival else "pdf/ua-1"))
    notes: list[str] = []  # about the day folders written (a link replaced), said at the end
    with sigterm_raises(), _progress(g.quiet) as bar:
        task = bar.add_task("backfill: sync, read, start the cluster", total=None)

        def started(todo: int, cluster: Cluster) -> None:
            g.detail(f"backfill on {cluster.scheduler}: {todo} session(s)")
            if cluster.dashboard:
                import importlib.util

                charts = cluster.scheduler.address or importlib.util.find_spec("bokeh")
                g.detail(f"Dask dashboard: {cluster.dashboard}" + ("" if charts else
                         " (its charts need bokeh: pip install 'reporter[dashboard]')"))
            bar.update(task, total=todo, description="backfill")

        def finished(outcome: Outcome) -> None:
            bar.update(task, advance=1, description=f"backfill {outcome.day}")
            for warning in outcome.warnings:
                g.detail(f"  {outcome.day}: warning: {warning}")
            g.detail(f"  {outcome.day}: ok ({outcome.seconds:.2f} s)" if outcome.code == 0
                     else f"  {outcome.day}: {outcome.message}")
            notes.extend(outcome.notes)

        result = run_backfill(source, spec, first, last, out, scheduler=where, force=force,
                              verbose=g.verbose, on_start=started, on_session=finished)
    for warning in [*result.sync_warnings, *notes]:
        g.warn(warning)
    if result.skipped:
        g.detail(f"{result.skipped} session(s) already have their outputs "
                 "(use --force to rebuild)")
    if result.timings:
        g.detail("backfill timings: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds
                                                  in result.timings.items()))
    failed = result.failed
    g.say(f"backfill {first} to {result.last}: wrote {len(result.outcomes) - len(failed)} "
          f"report(s), {result.skipped} already there, {len(failed)} failed")
    if publish:
        _publish(g, out, cfg)
    if failed:
        detail = "; ".join(f"{o.day}: {o.message}" for o in failed[:5])
        more = f"; and {len(failed) - 5} more" if len(failed) > 5 else ""
        raise _batch_error(failed[0].code, f"backfill: {len(failed)} of {len(result.outcomes)} "
                                           f"session(s) failed: {detail}{more}")


def _describe(exc: BaseException) -> str:
    """``Type: message`` on one line (just the type when there is no message)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _batch_error(code: int, message: str) -> Exception:
    from reporter.errors import ReporterError

    err = ReporterError(message)
    err.exit_code = code
    return err


# -- publish --------------------------------------------------------------------------------------

@_command()
def publish(ctx: typer.Context, out: OutOpt = Path("output")) -> None:
    """Build the research portal (index, a page per day, Atom feed) in the output folder."""
    g = _globals(ctx)
    _publish(g, out, g.load_config())


def _publish(g: Globals, out: Path, cfg: Config) -> None:
    from reporter.portal import publish as build

    result = build(out, cfg)
    for warning in result.warnings:
        g.warn(warning)
    for name in result.written:
        g.detail(f"  {out / name}")
    g.say(f"portal in {out}: {len(result.days)} day(s), {len(result.written)} file(s) updated; "
          f"open {out / 'index.html'}")


# -- send -----------------------------------------------------------------------------------------

@_command()
def send(
    ctx: typer.Context,
    date: Annotated[str, typer.Option(help="Report date YYYY-MM-DD or 'latest'.")] = "latest",
    out: OutOpt = Path("output"),
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="ADDR[:LANG], LANG zh-CN|en-US|bilingual (default); "
                                  "repeatable. Default: email.recipients."),
    ] = None,
    tls: Annotated[
        str | None, typer.Option(help="starttls | ssl | none (none: local server only).")
    ] = None,
    smtp: Annotated[str | None, typer.Option(help="HOST:PORT (default from config).")] = None,
    sender: Annotated[
        str | None, typer.Option("--from", help="From: ADDRESS or \"NAME <ADDRESS>\" "
                                                "(default email.sender).")
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Send again to recipients already served.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write the messages as .eml files in "
                                             "OUT/.outbox/DATE/ and send nothing.")
    ] = False,
) -> None:
    """Mail a day's editions: each recipient gets their language's PDF and key points."""
    g = _globals(ctx)
    cfg = g.load_config()
    from reporter.mail import parse_recipients, parse_sender

    day = _parse_day(date)
    if sender is not None:
        sender = parse_sender(sender, "--from")
    recipients = parse_recipients(to) if to else list(cfg.email.recipients)
    settings = None if dry_run else _mail_settings(cfg, smtp=smtp, tls=tls)
    _send(g, out, day, recipients, cfg, settings, resend=resend, sender=sender,
          dry_run=dry_run)


def _mail_settings(
    cfg: Config, *, smtp: str | None = None, tls: str | None = None
) -> SmtpSettings:
    from reporter.mail import smtp_settings

    return smtp_settings(cfg.email, smtp=smtp, tls=tls)


def _send(g: Globals, out: Path, day: str, recipients: list[Recipient], cfg: Config,
          settings: SmtpSettings | None, *, resend: bool, sender: str | None = None,
          dry_run: bool = False) -> None:
    from reporter.mail import MailOptions, outbox_path, send_day

    options = MailOptions(base_url=cfg.portal.base_url, unsubscribe=cfg.email.unsubscribe,
                          one_click=cfg.email.unsubscribe_one_click)
    with _progress(g.quiet) as bar:
        task = bar.add_task("e-mail", total=len(recipients))

        def step(address: str, status: str) -> None:
            bar.update(task, advance=1, description=f"e-mail {address}")
            g.detail(f"  {address}: {status}")

        result = send_day(out, day, recipients, settings, sender or cfg.email.sender,
                          resend=resend, options=options, dry_run=dry_run, progress=step)
    for warning in result.warnings:
        g.warn(warning)
    note = " (use --resend to send again)" if result.skipped else ""
    if dry_run:
        g.say(f"e-mail for {result.day}, dry run: {len(result.written)} message(s) written to "
              f"{outbox_path(out, result.day)}, nothing sent; already sent "
              f"{len(result.skipped)}{note}, failed {len(result.failed)}")
    else:
        g.say(f"e-mail for {result.day}: sent {len(result.sent)}, already sent "
              f"{len(result.skipped)}{note}, failed {len(result.failed)}")
    result.raise_for_failures()


# -- chat ---------------------------------------------------------------------------------------

@_command()
def chat(
    ctx: typer.Context,
    date: Annotated[str, typer.Option(help="Report date YYYY-MM-DD or 'latest'.")] = "latest",
    out: OutOpt = Path("output"),
    webhook: Annotated[
        list[str] | None,
        typer.Option("--webhook", help="Only this [[webhooks]] name; repeatable. Default: all."),
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Post again to chats already served.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write each message as JSON in OUT/.outbox/DATE/ "
                                             "and post nothing.")
    ] = False,
) -> None:
    """Post a day's headline, key points and portal link to the team chats ([[webhooks]])."""
    from reporter.errors import ConfigError

    g = _globals(ctx)
    cfg = g.load_config()
    day = _parse_day(date)
    hooks = list(cfg.webhooks)
    if webhook:
        known = {h.name for h in hooks}
        unknown = [w for w in webhook if w not in known]
        if unknown:
            raise ConfigError(f"--webhook: no webhook named {unknown[0]!r} in the configuration"
                              f" (known: {', '.join(sorted(known)) or 'none'})")
        hooks = [h for h in hooks if h.name in webhook]
    _chat(g, out, day, cfg, hooks, resend=resend, dry_run=dry_run)


def _chat(g: Globals, out: Path, day: str, cfg: Config, hooks: list[Any], *, resend: bool,
          dry_run: bool) -> None:
    from reporter.chat import post_day
    from reporter.mail import outbox_path

    def step(name: str, status: str) -> None:
        g.detail(f"  {name}: {status}")

    result = post_day(out, day, hooks, base_url=cfg.portal.base_url, resend=resend,
                      dry_run=dry_run, progress=step)
    for warning in result.warnings:
        g.warn(warning)
    note = " (use --resend to post again)" if result.skipped else ""
    if dry_run:
        g.say(f"chat for {result.day}, dry run: {len(result.written)} message(s) written to "
              f"{outbox_path(out, result.day)}, nothing posted")
    else:
        g.say(f"chat for {result.day}: posted {len(result.posted)}, already posted "
              f"{len(result.skipped)}{note}, failed {len(result.failed)}")
    result.raise_for_failures()


# -- config ---------------------------------------------------------------------------------------

@_command("config")
def show_config(ctx: typer.Context) -> None:
    """Print the effective configuration as TOML, each key with its meaning.

    The defaults overlaid with --config: a file to start your own from.
    """
    from reporter.config import render_toml

    typer.echo(render_toml(_globals(ctx).load_config()), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every error the reporter raises becomes one line and an exit code."""
    from reporter.errors import ReporterError, Terminated

    try:
        # Not standalone: errors come here. An exit code (Ctrl-C is 130) is returned, not raised.
        code = app(args=argv, prog_name="reporter", standalone_mode=False)
    except ReporterError as exc:
        print(f"reporter: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        code = 130
    except Terminated as exc:
        print("reporter: terminated", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        code = 130
    except Exception as exc:  # usage errors and anything unexpected: one line, no traceback
        message, usage_code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(message) and isinstance(usage_code, int):  # a command-line usage error
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            print(f"reporter: error: {' '.join(str(message()).split())}{hint}", file=sys.stderr)
            sys.exit(usage_code)
        print(f"reporter: internal error: {_describe(exc)}", file=sys.stderr)
        sys.exit(1)
    # The command is done and the process ends: what it built goes with the process, so the
    # interpreter's last collection need not walk it (a tenth of a second after a run).
    gc.freeze()
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        if code == 130:
            print("reporter: interrupted", file=sys.stderr)
        sys.exit(code)
