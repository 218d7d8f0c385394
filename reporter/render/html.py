"""HTML of one edition: one set of Jinja2 templates for every language, text through gettext.

Autoescape is on for HTML, so names and symbols from the data cannot inject markup. The page
stylesheet (paper size, the locale's colours, "page X of Y") is rendered from a CSS template
with autoescape off and served to the PDF engine as a resource, never pasted into the HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from babel.lists import format_list
from babel.numbers import format_compact_decimal
from markupsafe import Markup, escape

from reporter.errors import RenderError
from reporter.i18n import (
    MISSING,
    N_,
    babel_locale,
    check_locale,
    direction,
    format_date_long,
    format_date_medium,
    format_integer,
    format_number,
    format_percent,
    format_points,
    get_translations,
    is_missing,
)
from reporter.i18n.jinja import make_environment
from reporter.model import RenderedText
from reporter.render.charts.data import Chart
from reporter.render.charts.labels import etf_label
from reporter.vocabulary import (
    HEADLINE_INDICES,
    INDICES,
    MARKET_COLORS,
    PAPER_SIZES,
    SECTOR_BY_GICS,
    UpDownColors,
    watch_chart_name,
)

#: Report titles the catalog knows (the configured title is translated when it is one).
KNOWN_TITLES = (N_("Market Breadth"),)


@dataclass(frozen=True)
class DocMeta:
    """PDF metadata of one edition, read by the engine from the HTML head."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    created: str  # W3C date-time
    generator: str = "reporter"


def created_timestamp(as_of: str) -> str:
    """Creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the as-of date.

    Never the wall clock, so the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise RenderError(f"invalid SOURCE_DATE_EPOCH {epoch!r}") from exc
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        day = dt.date.fromisoformat(str(as_of))
    except ValueError as exc:
        raise RenderError(f"invalid as_of date {as_of!r} in report") from exc
    return f"{day.isoformat()}T00:00:00Z"


def _is_missing(value: object) -> bool:
    """A missing figure: null, NaN, or a key the report does not have."""
    return isinstance(value, jinja2.Undefined) or is_missing(value)


class _Filters:
    """Locale-bound Jinja filters: numbers, dates and names as the reader expects them."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._ = get_translations("messages", locale).gettext

    def num(self, value: Any, digits: int = 2) -> str:
        return format_number(None if _is_missing(value) else value, self.locale, digits)

    def pct(self, value: Any, digits: int = 1, signed: bool = False) -> str:
        return format_percent(None if _is_missing(value) else value, self.locale, digits,
                              signed=signed)

    def pp(self, value: Any, digits: int = 2, signed: bool = True) -> str:
        return format_points(None if _is_missing(value) else value, self.locale, digits,
                             signed=signed)

    def chg(self, value: Any, kind: str = "pct", digits: int | None = None) -> Markup:
        """A signed change in a span classed up/down/flat (coloured per locale by the CSS)."""
        if _is_missing(value):
            return Markup('<span class="chg na">{}</span>').format(MISSING)
        d = 2 if digits is None else digits
        if kind == "pct":
            text, cls = self.pct(value, d, True), direction(value, d, 100.0)
        elif kind == "pp":
            text, cls = self.pp(value, d, True), direction(value, d, 100.0)
        elif kind == "int":
            text, cls = format_integer(value, self.locale, signed=True), direction(value, 0)
        else:
            text, cls = format_number(value, self.locale, d, signed=True), direction(value, d)
        return Markup('<span class="chg {}">{}</span>').format(cls, text)

    def ratio_change(self, value: Any, base: Any) -> Markup:
        """How far ``value`` sits from ``base`` (e.g. a close from its average), signed."""
        if _is_missing(value) or _is_missing(base) or float(base) == 0:
            return self.chg(None)
        return self.chg(float(value) / float(base) - 1.0, "pct", 1)

    def compact(self, value: Any) -> str:
        if _is_missing(value):
            return MISSING
        return format_compact_decimal(
            float(value), format_type="short", fraction_digits=2, locale=babel_locale(self.locale)
        )

    def date(self, value: Any) -> str:
        return MISSING if _is_missing_date(value) else format_date_long(value, self.locale)

    def date_medium(self, value: Any) -> str:
        return MISSING if _is_missing_date(value) else format_date_medium(value, self.locale)

    def index_name(self, symbol: Any) -> str:
        """The short name a table shows: ``Dow Jones``."""
        return self._(INDICES[symbol].short) if symbol in INDICES else str(symbol)

    def sector_name(self, sector: Any) -> str:
        """The full GICS name of a sector: ``Information Technology``."""
        return self._(SECTOR_BY_GICS[sector].gics) if sector in SECTOR_BY_GICS else str(sector)

    def etf_label(self, symbol: Any) -> str:
        """``Technology (XLK)`` / ``信息技术（XLK）``: short sector name with its ETF."""
        if _is_missing_date(symbol):
            return MISSING
        return etf_label(str(symbol), self.locale)

    def list_join(self, items: Any) -> str:
        """``A, B, and C`` / ``A、B和C``."""
        shown = [str(i) for i in items or () if i is not None and not _is_missing_date(i)]
        if not shown:
            return MISSING
        return format_list(shown, locale=babel_locale(self.locale))

    def sentences(self, *parts: Any) -> Markup:
        """Sentences joined as the locale writes them (a space in English, none in Chinese)."""
        # Translators: two sentences in a row; a space between them in English.
        pattern = self._("%(first)s %(second)s")
        out: Markup | None = None
        for part in parts:
            if not part or isinstance(part, jinja2.Undefined):
                continue
            piece = part if isinstance(part, Markup) else Markup(escape(part))
            out = piece if out is None else Markup(pattern) % {"first": out, "second": piece}
        return out or Markup("")


def _is_missing_date(value: object) -> bool:
    return value is None or isinstance(value, jinja2.Undefined) or value == ""


@functools.lru_cache(maxsize=4)
def environment(locale: str) -> jinja2.Environment:
    """The Jinja environment of one locale (translations installed, filters bound)."""
    check_locale(locale)
    f = _Filters(locale)
    filters: dict[str, Callable[..., Any]] = {
        "num": f.num, "pct": f.pct, "pp": f.pp, "chg": f.chg, "ratio_change": f.ratio_change,
        "compact": f.compact, "date": f.date, "date_medium": f.date_medium,
        "index_name": f.index_name, "sector_name": f.sector_name, "etf_label": f.etf_label,
        "watch_chart": watch_chart_name, "css_string": css_string, "list_join": f.list_join,
    }
    return make_environment("report", locale, filters=filters, globals={"sentences": f.sentences})


def css_string(value: object) -> str:
    """A CSS string literal (quoted, escaped): data can never end the string or the rule."""
    text = str(value)
    out = []
    for ch in text:
        if ch in ('"', "\\") or ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def page_css_content(template: str) -> str:
    """A translated "Page %(page)s of %(pages)s" as a CSS ``content`` value with counters."""
    tokens: list[str] = []
    rest = template
    while rest:
        cut = min(
            (i for i in (rest.find("%(page)s"), rest.find("%(pages)s")) if i >= 0), default=-1
        )
        if cut < 0:
            tokens.append(css_string(rest))
            break
        if cut:
            tokens.append(css_string(rest[:cut]))
        if rest.startswith("%(pages)s", cut):
            tokens.append("counter(pages)")
            rest = rest[cut + len("%(pages)s"):]
        else:
            tokens.append("counter(page)")
            rest = rest[cut + len("%(page)s"):]
    return " ".join(tokens)


def render_page_css(
    locale: str, paper: str, *, sample: bool, colors: UpDownColors | None = None
) -> str:
    """The per-run stylesheet: paper size, up/down colours, running texts in the locale."""
    _ = get_translations("messages", locale).gettext
    scheme = colors or MARKET_COLORS[locale]
    size = PAPER_SIZES[paper]
    page = page_css_content(_("Page %(page)s of %(pages)s"))
    footer = css_string(_("Historical data; not investment advice."))
    sample_rule = ""
    if sample:
        sample_rule = (
            "  @top-center { content: element(sample-mark); vertical-align: bottom;"
            " padding-bottom: 2.5mm; }\n"
        )
    number = f"content: {page}; font-size: 7.5pt; color: #555;"
    note = f"content: {footer}; font-size: 7pt; color: #777;"
    at_foot = "vertical-align: top; padding-top: 3mm;"
    return (
        f":root {{ --up: {scheme.up}; --down: {scheme.down}; --flat: {scheme.flat}; }}\n"
        f"@page {{\n  size: {size} portrait;\n{sample_rule}"
        f"  @bottom-center {{ {number} {at_foot} }}\n"
        f"  @bottom-left {{ {note} {at_foot} }}\n}}\n"
    )


@dataclass(frozen=True)
class ChartRef:
    """What a template needs of a chart: where the engine loads it from and its alt text, or
    (on the web) the chart itself as inline SVG whose title is that alt text."""

    url: str
    alt: str
    title: str
    svg: Markup | None = None


def doc_meta(report: Mapping[str, Any], locale: str, *, title: str, author: str,
             text: RenderedText) -> DocMeta:
    """Title, subject and keywords in the edition's language; the date from the report."""
    _ = get_translations("messages", locale).gettext
    shown_title = _(title) if title else _("Market Breadth")
    date = format_date_long(report.get("as_of"), locale)
    subject = _("US equity market breadth: research note for the close of %(date)s") % {
        "date": date
    }
    keywords = (_("market breadth"), _("US equities"), *text.tags)
    return DocMeta(
        title=f"{shown_title} · {date}",
        author=author,
        subject=subject,
        keywords=tuple(k.replace(",", " ") for k in keywords),
        created=created_timestamp(str(report.get("as_of"))),
    )


def note_context(
    report: Mapping[str, Any],
    text: RenderedText,
    charts: Mapping[str, ChartRef],
    *,
    locale: str,
    title: str,
    author: str,
    tag_links: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the note's templates read: the same for the PDF and the web pages. ``tag_links``
    maps a topic tag to the page listing its days (the portal's), so the tag becomes a link."""
    if text.locale != locale:
        raise RenderError(f"texts for {text.locale} given for the {locale} edition")
    _ = get_translations("messages", locale).gettext
    source = report.get("source") or {}
    source_label = source.get("description") or source.get("name") or _("unknown source")
    return {
        "locale": locale,
        "r": report,
        "text": text,
        "meta": doc_meta(report, locale, title=title, author=author, text=text),
        "charts": dict(charts),
        "index_symbols": [s for s in HEADLINE_INDICES if s in (report.get("indices") or {})],
        "source_label": source_label,
        "heading": _(title) if title else _("Market Breadth"),
        "sector_list": _sector_list(report, _Filters(locale)),
        "tag_links": dict(tag_links or {}),
    }


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """One template of the note's tree with a context from ``note_context``."""
    locale = context["locale"]
    try:
        return environment(locale).get_template(name).render(context)
    except Exception as exc:  # a template bug or data of an unexpected shape
        raise RenderError(f"rendering {name} ({locale}) failed: {exc}") from exc


def render_html(
    report: Mapping[str, Any],
    text: RenderedText,
    charts: Mapping[str, Chart],
    *,
    locale: str,
    title: str,
    author: str,
) -> str:
    """The HTML of one single-language edition, for the PDF engine."""
    from reporter.render.fetcher import chart_url  # loads the PDF engine: only here

    refs = {name: ChartRef(chart_url(name), chart.alt, chart.title)
            for name, chart in charts.items()}
    context = note_context(report, text, refs, locale=locale, title=title, author=author)
    return render_template("report.html", context)


def markup_list(items: list[Markup], locale: str) -> Markup:
    """Join already-safe items with the locale's list pattern (``A、B和C`` / ``A, B, and C``)."""
    if not items:
        return Markup(escape(MISSING))
    keys = [f"\x00{i}\x00" for i in range(len(items))]
    pattern = format_list(keys, locale=babel_locale(locale))
    out = Markup("")
    for i, part in enumerate(re.split("\x00(\\d+)\x00", pattern)):
        out += items[int(part)] if i % 2 else escape(part)
    return out


def _sector_list(report: Mapping[str, Any], filters: _Filters) -> Any:
    """Template function: ETF symbols -> ``Technology (XLK) +1.87%, ...`` with their returns."""
    rows = {row.get("symbol"): row for row in report.get("sectors") or []}

    def fmt(symbols: Any, key: str) -> Markup:
        if not symbols or isinstance(symbols, jinja2.Undefined):
            return Markup(escape(MISSING))
        # Translators: a sector and its return; Chinese needs no space after the bracket.
        pattern = filters._("%(sector)s %(change)s")
        items = [
            Markup(escape(pattern)).replace("%(sector)s", filters.etf_label(s)).replace(
                "%(change)s", filters.chg((rows.get(s) or {}).get(key)))
            for s in symbols
        ]
        return markup_list(items, filters.locale)

    return fmt
