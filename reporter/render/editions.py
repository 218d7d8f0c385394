"""The render stage: for each language charts -> HTML -> layout -> PDF, then the editions.

``build_editions`` returns every output as bytes keyed by file name, so the caller can write
them atomically; it writes nothing to disk. Each language is drawn and laid out once, and the
bilingual edition is laid out once as a document of its own (every text block in both
languages, every table and chart once: ``reporter.render.bilingual``), with charts of its own
whose every word is in both languages. The jobs share the cores two at a time, the longest
first (``_schedule``, ``reporter.render.speed.fork``). Each edition's brief is fitted to its
first pages (``reporter.render.brief``). This module loads the chart and PDF libraries;
``reporter.render`` itself stays light.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reporter.errors import ConfigError, RenderError
from reporter.model import RenderedText
from reporter.render.bilingual import bilingual_context, render_bilingual_html
from reporter.render.brief import PLANS, BriefPlan, fits, fitting_plan, plans_for
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.draw import render_charts
from reporter.render.fetcher import chart_url
from reporter.render.html import ChartRef, environment, render_html, render_page_css
from reporter.render.pdf import VARIANTS, layout, use_compact_fonts, write
from reporter.render.speed.fonts import prefer_compact
from reporter.render.speed.fork import Forks, collector_paused, step_back
from reporter.render.speed.svg import embeddable_svg
from reporter.render.web import render_web_page
from reporter.stopwatch import Stopwatch
from reporter.vocabulary import (
    BILINGUAL,
    EDITION_LOCALES,
    EDITIONS,
    LOCALES,
    MARKET_COLORS,
    PAPER_SIZES,
    UpDownColors,
    chart_png_name,
    pdf_file_name,
    web_file_name,
)

__all__ = [
    "BILINGUAL_BRIEF_PAGES", "BRIEF_PAGES", "build_editions", "compile_templates",
    "needed_locales",
]

#: Pages the brief takes: two in one language; the bilingual edition says it all twice, with
#: the charts once, in three.
BRIEF_PAGES = 2
BILINGUAL_BRIEF_PAGES = 3


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
    ``layout.en-US``, ``pdf.bilingual``, ...).
    """
    as_of = _check(editions, paper, variant, report)
    locales = needed_locales(editions)
    missing = [loc for loc in locales if loc not in texts]
    if missing:
        raise RenderError(f"no rendered text for locale {missing[0]}")
    scheme = {loc: (colors or {}).get(loc) or MARKET_COLORS[loc] for loc in locales}
    languages = {
        loc: _Language(loc, report, texts[loc], chart_data, paper, variant, title, author,
                       pdf_file_name(as_of, loc), scheme[loc], loc in editions)
        for loc in locales
    }
    bilingual = None
    if BILINGUAL in editions:
        both = EDITION_LOCALES[BILINGUAL]
        bilingual = _Bilingual(BILINGUAL, report, tuple(texts[loc] for loc in both),
                               chart_data, paper, variant, title, author,
                               pdf_file_name(as_of, BILINGUAL), scheme[both[0]])
    done = _schedule(languages, bilingual, parallel=parallel)

    outputs: dict[str, bytes] = {}
    for loc in locales:
        lang = done[loc]
        assert isinstance(lang, _Rendered)
        outputs.update({chart.file_name: chart.svg for chart in lang.charts})
        outputs[web_file_name(as_of, loc)] = lang.web
        for chart in lang.charts:
            if chart.png is not None:
                outputs[chart_png_name(chart.name, loc)] = chart.png
    for edition in editions:
        pdf = done[edition].pdf
        if pdf is None:  # pragma: no cover - every requested edition is laid out above
            raise RenderError(f"edition {edition} was not laid out")
        outputs[pdf_file_name(as_of, edition)] = pdf
    if timings is not None:
        for result in done.values():
            timings.update(result.timings)
    return outputs


def compile_templates() -> None:
    """Compile the report templates of each single-language edition now: the renderer's
    worker does it while it waits for the data (time it has to spare), so the jobs forked from
    it start with them compiled. Those jobs run one after the other on one core; the bilingual
    edition's, beside them on the other, has time to spare and compiles its own. The compact
    fonts are found (or made, the first time) then too."""
    use_compact_fonts()
    for loc in LOCALES:
        env = environment(loc)
        for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
            env.get_template(name)


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
    pdf: bool  # its own edition asked for (else only its charts and web page)

    @property
    def edition(self) -> str:
        return self.locale


@dataclass(frozen=True)
class _Bilingual:
    """Everything the bilingual edition needs: the texts of its languages, in page order."""

    edition: str
    report: dict
    texts: tuple[RenderedText, ...]
    chart_data: ChartData
    paper: str
    variant: str
    title: str
    author: str
    file_name: str
    colors: UpDownColors  # its first language's, as its charts' figures and dates


@dataclass(frozen=True)
class _Rendered:
    edition: str
    charts: tuple[Chart, ...]
    pdf: bytes | None
    web: bytes  # the note as one self-contained web page (empty for the bilingual edition)
    plan: BriefPlan
    timings: dict[str, float]


def _schedule(languages: Mapping[str, _Language], bilingual: _Bilingual | None, *,
              parallel: bool) -> dict[str, _Rendered]:
    """Every job at once: the bilingual edition, the longest, is forked first; each language
    but the first is forked behind it, and the first language's job runs here. The jobs behind
    step back (``step_back``): the bilingual edition gets the larger share of the two cores,
    and all three end about together instead of one running on alone at the end."""
    done: dict[str, _Rendered] = {}
    with collector_paused(), Forks(parallel=parallel) as forks:
        both = forks.start(_render, bilingual, name=BILINGUAL) if bilingual is not None else None
        ahead = both is not None
        (here, job), *forked = languages.items()
        others = [forks.start(_render, other, name=loc, behind=ahead) for loc, other in forked]
        if ahead and forks.parallel:
            step_back()
        done[here] = render_language(job)
        for result in others:
            rendered = result()
            done[rendered.edition] = rendered
        if both is not None:
            done[BILINGUAL] = both()
    return done


def _render(job: _Language | _Bilingual) -> _Rendered:
    """One job: the unit of parallel work."""
    if isinstance(job, _Bilingual):
        return render_bilingual(job)
    return render_language(job)


def _resources(charts: Mapping[str, Chart], css: str) -> dict[str, tuple[bytes, str]]:
    """What the PDF engine may load for one edition: its charts and its page stylesheet."""
    found = {chart_url(name): (prefer_compact(embeddable_svg(chart.svg)), "image/svg+xml")
             for name, chart in charts.items()}
    found["report://run/page.css"] = (css.encode("utf-8"), "text/css; charset=utf-8")
    return found


def _plan(html: Callable[[BriefPlan, bool], str], resources: Mapping[str, tuple[bytes, str]],
          name: str, pages: int, plans: Sequence[BriefPlan] = PLANS) -> BriefPlan:
    """The first plan whose brief fits its first ``pages`` pages, by trial layouts of the
    brief alone (``brief.fitting_plan``)."""
    return fitting_plan(lambda p: layout(html(p, True), resources, name=name).pages,
                        pages=pages, plans=plans)


def _fitted(html: Callable[[BriefPlan, bool], str], resources: Mapping[str, tuple[bytes, str]],
            name: str, pages: int, plans: Sequence[BriefPlan] = PLANS, *,
            whole_first: bool = False) -> tuple[Any, BriefPlan]:
    """The laid-out document whose brief fits its first ``pages`` pages, its plan found by
    ``_plan``. ``whole_first``, for a first plan that nearly always fits: the whole note is
    laid out with it at once, and kept when its brief fits, which saves the trial layout; only
    when it does not are the other plans tried."""
    if whole_first:
        document = layout(html(plans[0], False), resources, name=name)
        if fits(plans[0], document.pages, pages):
            return document, plans[0]
        # freed before the next is laid out (its cycles wait for a collection: the collector
        # is paused while a job runs), or two laid-out notes at once raise the peak by a third
        del document
        gc.collect()
        plans = plans[1:]
    plan = _plan(html, resources, name, pages, plans)
    return layout(html(plan, False), resources, name=name), plan


def _pages(job: _Language, charts: Mapping[str, Chart]) -> tuple[
    Callable[[BriefPlan, bool], str], dict[str, tuple[bytes, str]]
]:
    """A language's PDF as HTML, by plan (and brief alone or not), and what it may load."""
    sample = bool((job.report.get("source") or {}).get("is_sample"))
    css = render_page_css(job.locale, job.paper, sample=sample, colors=job.colors)

    def html(plan: BriefPlan, brief_only: bool) -> str:
        return render_html(job.report, job.text, charts, locale=job.locale, title=job.title,
                           author=job.author, plan=plan, brief_only=brief_only)

    return html, _resources(charts, css)


def render_language(job: _Language) -> _Rendered:
    """Charts, HTML, layout and PDF of one language."""
    clock = Stopwatch(f".{job.locale}")
    charts = render_charts(job.chart_data, job.locale, {job.locale: job.colors})
    clock.lap("charts")

    web = render_web_page(job.report, job.text, {n: c.svg for n, c in charts.items()},
                          locale=job.locale, title=job.title, author=job.author,
                          colors=job.colors).encode("utf-8")
    clock.lap("html")
    if not job.pdf:
        return _Rendered(job.locale, tuple(charts.values()), None, web, BriefPlan((), False),
                         clock.seconds)

    html, resources = _pages(job, charts)
    plans = plans_for(job.report)
    # a chart after the risks nearly always fits (the breadth panels'): laid out whole at once
    document, plan = _fitted(html, resources, job.file_name, BRIEF_PAGES, plans,
                             whole_first=not plans[0].charts_first)
    clock.lap("layout")
    pdf = write(document, variant=job.variant)
    clock.lap("pdf")
    return _Rendered(job.locale, tuple(charts.values()), pdf, web, plan, clock.seconds)


def render_bilingual(job: _Bilingual) -> _Rendered:
    """The bilingual edition: every text in each language, laid out once; its charts drawn
    for it, every word on them in each language (figures, dates and colours the first's)."""
    clock = Stopwatch(f".{job.edition}")
    first, second = (t.locale for t in job.texts)
    charts = render_charts(job.chart_data, first, {first: job.colors}, also=second)
    clock.lap("charts")
    refs = {name: ChartRef(chart_url(name), chart.alt, chart.title)
            for name, chart in charts.items()}
    sample = bool((job.report.get("source") or {}).get("is_sample"))
    css = render_page_css(first, job.paper, sample=sample, colors=job.colors,
                          edition=job.edition, also=second)
    locales = tuple(t.locale for t in job.texts)

    def html(plan: BriefPlan, brief_only: bool) -> str:
        context = bilingual_context(job.report, job.texts, refs, title=job.title,
                                    author=job.author, plan=plan, brief_only=brief_only)
        return render_bilingual_html(context, locales)

    # its first plan fits nearly every session (52 of 53 sampled, every third of 2025): the
    # whole note is laid out with it at once, and again with the other only when it did not
    document, plan = _fitted(html, _resources(charts, css), job.file_name, BILINGUAL_BRIEF_PAGES,
                             plans_for(job.report, bilingual=True), whole_first=True)
    clock.lap("layout")
    pdf = write(document, variant=job.variant)
    clock.lap("pdf")
    return _Rendered(job.edition, (), pdf, b"", plan, clock.seconds)


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
