"""Render stage: charts per locale, HTML per edition, PDFs. Writes nothing to disk.

``build_editions`` returns every output as bytes keyed by file name, so the caller can write
them atomically. This module loads the chart and PDF libraries; ``reporter.render`` itself
stays light and hands ``build_editions`` out on first use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing as mp
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from reporter.charts import Chart, ChartData, render_charts
from reporter.errors import ConfigError, RenderError
from reporter.i18n import get_translations
from reporter.model import RenderedText
from reporter.render.fetcher import chart_url
from reporter.render.html import doc_meta, render_html, render_page_css
from reporter.render.pdf import VARIANTS, layout, write
from reporter.render.service import portable_error
from reporter.render.svg import embeddable_svg
from reporter.vocabulary import (
    BILINGUAL,
    EDITIONS,
    LOCALES,
    MARKET_COLORS,
    PAPER_SIZES,
    UpDownColors,
    pdf_file_name,
)

__all__ = ["build_editions", "needed_locales"]


def _check(editions: Sequence[str], paper: str, variant: str, report: Mapping[str, Any]) -> str:
    unknown = [e for e in editions if e not in EDITIONS]
    if unknown or not editions:
        raise ConfigError(
            f"unknown edition {unknown[0]!r} (choose from {', '.join(EDITIONS)})"
            if unknown else "no edition requested"
        )
    if paper not in PAPER_SIZES:
        raise ConfigError(f"unknown paper {paper!r} (choose from {', '.join(PAPER_SIZES)})")
    if variant not in VARIANTS:
        raise ConfigError(f"unknown PDF variant {variant!r} (choose from {', '.join(VARIANTS)})")
    as_of = report.get("as_of")
    try:
        dt.date.fromisoformat(str(as_of))
    except ValueError as exc:
        raise RenderError(f"report as_of {as_of!r} is not a YYYY-MM-DD date") from exc
    return str(as_of)


def needed_locales(editions: Sequence[str]) -> list[str]:
    """The languages to draw and lay out, in report order (Chinese first)."""
    wanted = set(editions)
    return [loc for loc in LOCALES if loc in wanted or BILINGUAL in wanted]


@dataclass(frozen=True)
class _Job:
    """Everything one language needs; picklable, so it can run in a worker process."""

    locale: str
    report: dict
    text: RenderedText
    chart_data: ChartData
    paper: str
    variant: str
    title: str
    author: str
    file_name: str
    colors: Mapping[str, UpDownColors] | None = None


@dataclass(frozen=True)
class _Done:
    locale: str
    charts: dict[str, Chart]
    pdf: bytes
    label: str
    timings: dict[str, float]


class _Laps:
    """Wall time of each step of one language, for the benchmark's per-stage figures."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[f"{step}.{self.locale}"] = now - self._last
        self._last = now


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one language is drawn and laid out.

    The engines allocate a few million short-lived objects; every collection they trigger
    also walks every long-lived object of the process, about a tenth of the render's time.
    What the render leaves behind is a few megabytes, collected once the pause ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render_language(job: _Job) -> _Done:
    """Charts, HTML, layout and PDF of one language: the unit of parallel work."""
    with _collector_paused():
        return _draw_and_lay_out(job)


def _draw_and_lay_out(job: _Job) -> _Done:
    lap = _Laps(job.locale)
    charts = render_charts(job.chart_data, job.locale, job.colors)
    lap("charts")
    resources = {chart_url(name): (embeddable_svg(chart.svg), "image/svg+xml")
                 for name, chart in charts.items()}
    sample = bool((job.report.get("source") or {}).get("is_sample"))
    scheme = (job.colors or MARKET_COLORS).get(job.locale)
    css = render_page_css(job.locale, job.paper, sample=sample, colors=scheme)
    resources["report://run/page.css"] = (css.encode("utf-8"), "text/css; charset=utf-8")
    html = render_html(job.report, job.text, charts, locale=job.locale, title=job.title,
                       author=job.author)
    lap("html")
    document = layout(html, resources, name=job.file_name)
    lap("layout")
    pdf = write(document, variant=job.variant)
    lap("pdf")
    gettext = get_translations("messages", job.locale).gettext
    # Translators: top-level bookmark of this language's part of the bilingual edition,
    # written in this catalog's language (e.g. 中文版).
    label = gettext("English edition")
    return _Done(job.locale, charts, pdf, label, lap.seconds)


def _run(jobs: list[_Job], parallel: bool, joining: bool) -> dict[str, _Done]:
    """Run the jobs, the first here and each other one in a process forked for it. With
    ``joining``, the PDF library for the bilingual join loads while the others finish."""
    if len(jobs) < 2 or not parallel or "fork" not in mp.get_all_start_methods():
        return {job.locale: _render_language(job) for job in jobs}
    ctx = mp.get_context("fork")
    workers: list[tuple[_Job, Any, Connection]] = []
    finished = False
    try:
        for job in jobs[1:]:
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_render_forked, args=(job, writer, reader),
                               name=f"reporter-render-{job.locale}")
            proc.start()
            writer.close()
            workers.append((job, proc, reader))
        done = {jobs[0].locale: _render_language(jobs[0])}
        if joining:
            import reporter.render.merge  # noqa: F401
        for job, proc, reader in workers:
            try:
                status, payload = reader.recv()
            except EOFError:
                proc.join()
                raise RenderError(
                    f"the {job.locale} render worker died (exit code {proc.exitcode})"
                ) from None
            if status == "error":
                raise payload
            done[job.locale] = payload
        finished = True
    finally:
        for _job, proc, reader in workers:
            reader.close()
            if not finished and proc.is_alive():
                proc.terminate()
            proc.join()
    return done


def _render_forked(job: _Job, writer: Connection, reader: Connection) -> None:
    """One language in a forked process: one answer, then exit (nothing waits for more)."""
    reader.close()  # if the parent dies, sending fails instead of blocking
    try:
        reply: tuple[str, Any] = ("ok", _render_language(job))
    except BaseException as exc:
        reply = ("error", portable_error(exc))
    with contextlib.suppress(OSError):  # the parent is gone: nobody to answer
        writer.send(reply)


def build_editions(
    report: dict,
    texts: Mapping[str, RenderedText],
    chart_data: ChartData,
    *,
    editions: Sequence[str],
    paper: str = "a4",
    variant: str = "pdf/ua-1",
    title: str,
    author: str,
    colors: Mapping[str, UpDownColors] | None = None,
    parallel: bool = True,
    timings: dict[str, float] | None = None,
) -> dict[str, bytes]:
    """Every PDF edition and every chart SVG (``chart_<name>_<locale>.svg``), by file name.

    Each language is drawn and laid out once (the two in parallel on two cores); the
    bilingual edition joins the finished pages of both. ``parallel=False`` keeps it all in
    this process. ``colors`` maps a locale to its up/down colours (default: red up in
    Chinese, green up in English), for charts and text alike. ``timings``, when given, receives
    the seconds each step took (``charts.zh-CN``, ``layout.en-US``, ``join.bilingual``, ...).
    """
    as_of = _check(editions, paper, variant, report)
    locales = needed_locales(editions)
    for loc in locales:
        if loc not in texts:
            raise RenderError(f"no rendered text for locale {loc}")
    jobs = [
        _Job(loc, report, texts[loc], chart_data, paper, variant, title, author,
             pdf_file_name(as_of, loc), colors)
        for loc in locales
    ]
    done = _run(jobs, parallel, joining=BILINGUAL in editions)

    outputs: dict[str, bytes] = {}
    for loc in locales:
        for chart in done[loc].charts.values():
            outputs[chart.file_name] = chart.svg
    for edition in editions:
        name = pdf_file_name(as_of, edition)
        if edition == BILINGUAL:
            # Loaded here, not with the module: while this process waits for the other
            # language, not before it could start on its own.
            from reporter.render.merge import Part, join

            metas = [doc_meta(report, loc, title=title, author=author, text=texts[loc])
                     for loc in locales]
            keywords = list(dict.fromkeys(k for m in metas for k in m.keywords))
            parts = [Part(loc, done[loc].pdf, done[loc].label) for loc in locales]
            start = time.perf_counter()
            outputs[name] = join(parts, title=" / ".join(m.title for m in metas),
                                 keywords=keywords)
            if timings is not None:
                timings["join.bilingual"] = time.perf_counter() - start
        else:
            outputs[name] = done[edition].pdf
    if timings is not None:
        for loc in locales:
            timings.update(done[loc].timings)
    return outputs
