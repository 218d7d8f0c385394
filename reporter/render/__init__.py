"""Render stage: charts per locale, HTML per edition, PDFs. Writes nothing to disk.

``build_editions`` is the orchestrator's entry point. It returns every output as bytes keyed
by file name, so the caller can write them atomically.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from reporter.charts import DEFAULT_COLORS, Chart, ChartData, UpDownColors, render_charts
from reporter.errors import ConfigError, RenderError
from reporter.i18n import SUPPORTED_LOCALES, get_translations
from reporter.model import RenderedText
from reporter.render.fetcher import chart_url
from reporter.render.html import PAPER_SIZES, doc_meta, render_html, render_page_css
from reporter.render.merge import Part, join
from reporter.render.pdf import VARIANTS, layout, write

EDITIONS: tuple[str, ...] = ("zh-CN", "en-US", "bilingual")
BILINGUAL = "bilingual"

__all__ = ["BILINGUAL", "EDITIONS", "build_editions", "pdf_file_name"]


def pdf_file_name(as_of: str, edition: str) -> str:
    """``market-breadth_2025-12-31_zh-CN.pdf``."""
    return f"market-breadth_{as_of}_{edition}.pdf"


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
    return [loc for loc in SUPPORTED_LOCALES if loc in wanted or BILINGUAL in wanted]


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


def _render_language(job: _Job) -> _Done:
    """Charts, HTML, layout and PDF of one language: the unit of parallel work."""
    charts = render_charts(job.chart_data, job.locale, job.colors)
    resources = {chart_url(name): (chart.svg, "image/svg+xml") for name, chart in charts.items()}
    sample = bool((job.report.get("source") or {}).get("is_sample"))
    scheme = (job.colors or DEFAULT_COLORS).get(job.locale)
    css = render_page_css(job.locale, job.paper, sample=sample, colors=scheme)
    resources["report://run/page.css"] = (css.encode("utf-8"), "text/css; charset=utf-8")
    html = render_html(job.report, job.text, charts, locale=job.locale, title=job.title,
                       author=job.author)
    document = layout(html, resources, name=job.file_name)
    pdf = write(document, variant=job.variant)
    gettext = get_translations("messages", job.locale).gettext
    # Translators: top-level bookmark of this language's part of the bilingual edition,
    # written in this catalog's language (e.g. 中文版).
    label = gettext("English edition")
    return _Done(job.locale, charts, pdf, label)


def _run(jobs: list[_Job], parallel: bool) -> dict[str, _Done]:
    """Run the jobs, one in a forked worker and one here when there are two."""
    if len(jobs) < 2 or not parallel or "fork" not in mp.get_all_start_methods():
        return {job.locale: _render_language(job) for job in jobs}
    with ProcessPoolExecutor(max_workers=len(jobs) - 1, mp_context=mp.get_context("fork")) as pool:
        futures = [pool.submit(_render_language, job) for job in jobs[1:]]
        done = {jobs[0].locale: _render_language(jobs[0])}
        for future in futures:
            result = future.result()
            done[result.locale] = result
    return done


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
) -> dict[str, bytes]:
    """Every PDF edition and every chart SVG (``chart_<name>_<locale>.svg``), by file name.

    Each language is drawn and laid out once (the two in parallel on two cores); the
    bilingual edition joins the finished pages of both. ``parallel=False`` keeps it all in
    this process. ``colors`` maps a locale to its up/down colours (default: red up in
    Chinese, green up in English), for charts and text alike.
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
    done = _run(jobs, parallel)

    outputs: dict[str, bytes] = {}
    for loc in locales:
        for chart in done[loc].charts.values():
            outputs[chart.file_name] = chart.svg
    for edition in editions:
        name = pdf_file_name(as_of, edition)
        if edition == BILINGUAL:
            metas = [doc_meta(report, loc, title=title, author=author, text=texts[loc])
                     for loc in locales]
            keywords = list(dict.fromkeys(k for m in metas for k in m.keywords))
            parts = [Part(loc, done[loc].pdf, done[loc].label) for loc in locales]
            outputs[name] = join(parts, title=" / ".join(m.title for m in metas),
                                 keywords=keywords)
        else:
            outputs[name] = done[edition].pdf
    return outputs
