"""The render stage: for each language charts -> HTML -> layout -> PDF, then the editions.

``build_editions`` returns every output as bytes keyed by file name, so the caller can write
them atomically; it writes nothing to disk. Each language is drawn and laid out once (the two
on two cores, ``reporter.render.speed.fork``); the bilingual edition joins the finished pages of
both. This module loads the chart and PDF libraries; ``reporter.render`` itself stays light.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reporter.errors import ConfigError, RenderError
from reporter.i18n import get_translations
from reporter.model import RenderedText
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.draw import render_charts
from reporter.render.fetcher import chart_url
from reporter.render.html import doc_meta, render_html, render_page_css
from reporter.render.pdf import VARIANTS, layout, write
from reporter.render.speed.fork import run_each
from reporter.render.speed.svg import embeddable_svg
from reporter.render.web import render_web_page
from reporter.stopwatch import Stopwatch
from reporter.vocabulary import (
    BILINGUAL,
    EDITIONS,
    LOCALES,
    MARKET_COLORS,
    PAPER_SIZES,
    UpDownColors,
    chart_png_name,
    pdf_file_name,
    web_file_name,
)

__all__ = ["build_editions", "needed_locales"]


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
    """Every PDF edition, the note as a web page per language (``web_file_name``), every chart
    SVG (``chart_<name>_<locale>.svg``) and the mailed chart as PNG, by file name.

    ``parallel=False`` keeps it all in this process. ``colors`` maps a locale to its up/down
    colours (default: the market convention of each locale), for charts and text alike.
    ``timings``, when given, receives the seconds each step took (``charts.zh-CN``,
    ``layout.en-US``, ``join.bilingual``, ...).
    """
    as_of = _check(editions, paper, variant, report)
    locales = needed_locales(editions)
    missing = [loc for loc in locales if loc not in texts]
    if missing:
        raise RenderError(f"no rendered text for locale {missing[0]}")
    jobs = [
        _Language(loc, report, texts[loc], chart_data, paper, variant, title, author,
                  pdf_file_name(as_of, loc), (colors or {}).get(loc) or MARKET_COLORS[loc])
        for loc in locales
    ]
    done = run_each(render_language, jobs, key=lambda job: job.locale, parallel=parallel,
                    meanwhile=_load_join if BILINGUAL in editions else None)

    outputs = {chart.file_name: chart.svg for loc in locales for chart in done[loc].charts}
    for loc in locales:
        outputs[web_file_name(as_of, loc)] = done[loc].web
        for chart in done[loc].charts:
            if chart.png is not None:
                outputs[chart_png_name(chart.name, loc)] = chart.png
    clock = Stopwatch()
    for edition in editions:
        if edition == BILINGUAL:
            outputs[pdf_file_name(as_of, edition)] = _join(report, texts, done, locales,
                                                            title=title, author=author)
            clock.lap("join.bilingual")
        else:
            outputs[pdf_file_name(as_of, edition)] = done[edition].pdf
    if timings is not None:
        timings.update(clock.seconds)
        for loc in locales:
            timings.update(done[loc].timings)
    return outputs


def needed_locales(editions: Sequence[str]) -> list[str]:
    """The languages to draw and lay out, in report order (Chinese first)."""
    wanted = set(editions)
    return [loc for loc in LOCALES if loc in wanted or BILINGUAL in wanted]


@dataclass(frozen=True)
class _Language:
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
    colors: UpDownColors


@dataclass(frozen=True)
class _Rendered:
    locale: str
    charts: tuple[Chart, ...]
    pdf: bytes
    web: bytes  # the note as one self-contained web page
    label: str  # its part's bookmark in the bilingual edition
    timings: dict[str, float]


def render_language(job: _Language) -> _Rendered:
    """Charts, HTML, layout and PDF of one language: the unit of parallel work."""
    clock = Stopwatch(f".{job.locale}")
    charts = render_charts(job.chart_data, job.locale, {job.locale: job.colors})
    clock.lap("charts")

    sample = bool((job.report.get("source") or {}).get("is_sample"))
    css = render_page_css(job.locale, job.paper, sample=sample, colors=job.colors)
    html = render_html(job.report, job.text, charts, locale=job.locale, title=job.title,
                       author=job.author)
    web = render_web_page(job.report, job.text, {n: c.svg for n, c in charts.items()},
                          locale=job.locale, title=job.title, author=job.author,
                          colors=job.colors).encode("utf-8")
    clock.lap("html")

    resources = {chart_url(name): (embeddable_svg(chart.svg), "image/svg+xml")
                 for name, chart in charts.items()}
    resources["report://run/page.css"] = (css.encode("utf-8"), "text/css; charset=utf-8")
    document = layout(html, resources, name=job.file_name)
    clock.lap("layout")

    pdf = write(document, variant=job.variant)
    clock.lap("pdf")

    gettext = get_translations("messages", job.locale).gettext
    # Translators: top-level bookmark of this language's part of the bilingual edition,
    # written in this catalog's language (e.g. 中文版).
    label = gettext("English edition")
    return _Rendered(job.locale, tuple(charts.values()), pdf, web, label, clock.seconds)


def _join(report: dict, texts: Mapping[str, RenderedText], done: Mapping[str, _Rendered],
          locales: Sequence[str], *, title: str, author: str) -> bytes:
    """The bilingual edition: the finished languages one after the other, titled in both."""
    from reporter.render.speed.merge import Part, join

    metas = [doc_meta(report, loc, title=title, author=author, text=texts[loc])
             for loc in locales]
    keywords = list(dict.fromkeys(k for m in metas for k in m.keywords))
    parts = [Part(loc, done[loc].pdf, done[loc].label) for loc in locales]
    return join(parts, title=" / ".join(m.title for m in metas), keywords=keywords)


def _load_join() -> None:
    """Load the PDF library of the join while the other language finishes, not before this
    process could start on its own language."""
    import reporter.render.speed.merge  # noqa: F401


def _check(editions: Sequence[str], paper: str, variant: str, report: Mapping[str, Any]) -> str:
    """The report's as-of date, once the editions, paper and variant asked for are known."""
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
