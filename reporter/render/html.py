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
from reporter.render.brief import BriefPlan, plans_for
from reporter.render.charts.data import Chart
from reporter.render.charts.labels import etf_label
from reporter.vocabulary import (
    HEADLINE_INDICES,
    INDICES,
    MARKET_COLORS,
    PAPER_SIZES,
    SECTOR_BY_GICS,
    SIGNALS,
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
        return Markup('<span class="chg {}">{}</span>').format(*self.change(value, kind, digits))

    def chg_cell(self, value: Any, kind: str = "pct", digits: int | None = None) -> Markup:
        """A table cell holding only a signed change, the cell itself classed as ``chg`` is:
        one box fewer per figure for the PDF engine (a few hundred per note)."""
        return Markup('<td class="chg {}">{}</td>').format(*self.change(value, kind, digits))

    def change(self, value: Any, kind: str, digits: int | None) -> tuple[str, str]:
        """The class (up, down, flat; na when missing) and the text of a signed change."""
        if _is_missing(value):
            return "na", MISSING
        d = 2 if digits is None else digits
        if kind == "pct":
            text, cls = self.pct(value, d, True), direction(value, d, 100.0)
        elif kind == "pp":
            text, cls = self.pp(value, d, True), direction(value, d, 100.0)
        elif kind == "pts":  # percentage points without the unit: a table column names it
            text = format_number(float(value) * 100.0, self.locale, d, signed=True)
            cls = direction(value, d, 100.0)
        elif kind == "int":
            text, cls = format_integer(value, self.locale, signed=True), direction(value, 0)
        else:
            text, cls = format_number(value, self.locale, d, signed=True), direction(value, d)
        return cls, text

    @staticmethod
    def flip(value: Any) -> Any:
        """The spread the other way round (``a - b`` as ``b - a``), to state every spread as
        the broadening side minus the narrow side; missing stays missing."""
        return None if _is_missing(value) else -float(value)

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

    def compact_pair(self, first: Any, second: Any) -> str:
        """Two figures of one cell, ``1.27亿 / 16.05亿``: one text, so that the bilingual
        edition shows the pair once per language, not each figure on a line of its own."""
        return f"{self.compact(first)} / {self.compact(second)}"

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

    def signal_name(self, sid: Any) -> str:
        """A "what happened next" signal as a table names it: ``90% up-volume day``."""
        return self._(SIGNALS[sid].short) if sid in SIGNALS else str(sid)

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

    def keep_end(self, text: Any) -> Markup:
        """A title (the headline, the kicker) whose last line is never a lone word, or a
        character and its stop: the last two words are joined by a no-break space; in Chinese
        the last six characters (a figure and its unit never cut) are kept in one
        ``span.keep``. (A span around words breaks the line too early in the PDF engine; the
        no-break space, which Chinese lacks, does not.)"""
        plain = "" if text is None or isinstance(text, jinja2.Undefined) else str(text)
        cut = keep_from(plain, self.locale)
        if cut is None:
            return Markup(escape(plain))
        if not self.locale.startswith("zh"):
            return Markup(escape(plain[:cut] + plain[cut:].replace(" ", "\N{NO-BREAK SPACE}")))
        return Markup('{}<span class="keep">{}</span>').format(plain[:cut], plain[cut:])

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


#: How much of a headline's end stays together: words (spaced scripts), characters (Chinese).
KEEP_WORDS, KEEP_CHARS = 2, 6
_NUMBER_CHAR = re.compile(r"[0-9A-Za-z.,%+\-\u2212]")


#: What a Chinese line may not part: a figure from its unit (3个交易日, 1.2个百分点, 20日均量,
#: 1.5倍, 482只), from the name or word it ends (标普500, 罗素2000, 第3), and a date's parts
#: (2025年4月9日). The first unit that matches is taken, so the longer come first.
_ZH_FIGURE = re.compile(
    r"(?P<pre>标普|罗素|纳斯达克|第)?"
    r"(?P<num>[+\-\u2212]?\d[\d,.]*%?(?:[年月]\d+)*)"
    r"(?P<unit>个百分点|个交易日|个基点|个板块|个月|日均线|日均量|日均值|日已实现|美元"
    r"|周|日|倍|只|点|次|家|位|年|月|个|天)?"
)
_TAG = re.compile(r"(<[^>]*>)")
#: Where no figure is bound: what is not the page's text (the head, styles, scripts) and inline
#: SVG, whose text elements cannot hold an HTML span.
_NOT_TEXT = re.compile(r"<(head|svg|style|script|title)\b.*?</\1\s*>", re.S)


def _keep_figure(m: re.Match[str]) -> str:
    bound = m["pre"] or m["unit"] or "年" in m["num"] or "月" in m["num"]
    return f'<span class="keep">{m[0]}</span>' if bound else m[0]


def _bind_text(html: str) -> str:
    pieces = _TAG.split(html)
    pieces[::2] = [_ZH_FIGURE.sub(_keep_figure, piece) for piece in pieces[::2]]
    return "".join(pieces)


def bind_figures(html: str) -> str:
    """HTML in which, in the Chinese text, each figure stays on one line with its unit, the name
    it ends and a date's parts (``span.keep`` does not wrap). A line may break between any two
    Chinese characters, so "1.2个百分点" could end a line on "个百分" and "20日均量" on "20".
    Only the text between tags changes; tags, the head and inline SVG are left alone. Text in
    other languages has none of these units, so a bilingual page passes through whole."""
    out, start = [], 0
    for m in _NOT_TEXT.finditer(html):
        out += [_bind_text(html[start:m.start()]), m[0]]
        start = m.end()
    out.append(_bind_text(html[start:]))
    return "".join(out)


def keep_from(text: str, locale: str) -> int | None:
    """Where the end a line may not split begins (``_Filters.keep_end``); None when the text is
    too short to have a last line worth keeping."""
    if locale.startswith("zh"):
        if len(text) < 3 * KEEP_CHARS:
            return None
        cut = len(text) - KEEP_CHARS
        while cut > 0 and _NUMBER_CHAR.match(text[cut - 1]) and _NUMBER_CHAR.match(text[cut]):
            cut -= 1  # not inside a figure or a Latin word
        for m in _ZH_FIGURE.finditer(text):  # nor between a figure and its unit
            if m.start() < cut < m.end():
                cut = m.start()
        return cut or None
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(spaces) < 2 * KEEP_WORDS:
        return None
    return spaces[-KEEP_WORDS] + 1


def _is_missing_date(value: object) -> bool:
    return value is None or isinstance(value, jinja2.Undefined) or value == ""


def filter_table(locale: str) -> dict[str, Callable[..., Any]]:
    """The report templates' filters, bound to ``locale``."""
    f = _Filters(locale)
    return {
        "num": f.num, "pct": f.pct, "pp": f.pp, "chg": f.chg, "chg_cell": f.chg_cell,
        "ratio_change": f.ratio_change, "compact": f.compact, "flip": f.flip, "date": f.date,
        "date_medium": f.date_medium, "date_cell": f.date_medium, "compact_pair": f.compact_pair,
        "index_name": f.index_name, "sector_name": f.sector_name, "etf_label": f.etf_label,
        "signal_name": f.signal_name,
        "watch_chart": watch_chart_name, "css_string": css_string, "list_join": f.list_join,
        "keep_end": f.keep_end, "plain": str,
    }


@functools.lru_cache(maxsize=4)
def environment(locale: str) -> jinja2.Environment:
    """The Jinja environment of one locale (translations installed, filters bound)."""
    check_locale(locale)
    return make_environment("report", locale, filters=filter_table(locale),
                            globals={"sentences": _Filters(locale).sentences,
                                     "column_counts": COLUMN_COUNTS})


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


#: Each table's column widths, in percent of its width, per edition (``columns`` in the
#: templates): the widest each column took in the PDF engine's automatic table layout over six
#: sessions of 2025 (2 Jan, 4 and 9 Apr, 13 Jun, 22 Aug, 31 Dec), scaled to a sum of 100.
#: Given the widths, the engine lays a table out at once instead of measuring the text of every
#: cell first, which took a sixth of the time of laying out a note.
COLUMN_WIDTHS: dict[str, dict[str, tuple[float, ...]]] = {
    "indices": {
        "zh-CN": (28.1, 13.2, 11.9, 11.4, 11.5, 11.9, 12.0),
        "en-US": (26.8, 11.7, 10.6, 10.1, 16.2, 13.9, 10.7),
        "bilingual": (40.6, 9.7, 8.8, 8.4, 12.7, 11.0, 8.8),
    },
    "sectors-table": {
        "zh-CN": (7.5, 18.6, 12.9, 12.6, 12.6, 12.5, 13.2, 10.1),
        "en-US": (6.0, 26.8, 8.9, 8.6, 13.7, 11.4, 11.8, 12.8),
        "bilingual": (5.4, 33.7, 8.3, 8.1, 12.3, 10.2, 10.6, 11.4),
    },
    "by-sector": {
        "zh-CN": (19.6, 13.4, 8.0, 8.0, 16.7, 18.3, 8.0, 8.0),
        "en-US": (25.4, 9.2, 10.1, 9.3, 12.7, 13.7, 10.1, 9.5),
        "bilingual": (33.0, 8.5, 9.3, 8.5, 11.2, 12.1, 9.0, 8.4),
    },
    "history-table": {
        "zh-CN": (11.6, 12.9, 14.6, 13.9, 15.5, 3.5, 13.5, 14.5),
        "en-US": (11.5, 13.7, 14.1, 16.7, 17.2, 3.4, 11.7, 11.7),
        "bilingual": (11.5, 13.2, 15.3, 14.4, 16.4, 3.3, 12.5, 13.4),
    },
    "moves-table": {
        "zh-CN": (27.3, 14.6, 26.4, 31.7),
        "en-US": (22.9, 11.2, 33.2, 32.7),
        "bilingual": (37.3, 9.6, 26.6, 26.5),
    },
    "carry-table": {
        "zh-CN": (19.0, 9.8, 14.3, 14.9, 42.0),
        "en-US": (22.7, 11.3, 17.4, 8.8, 39.8),
        "bilingual": (31.4, 10.2, 12.5, 13.4, 32.5),
    },
    "baskets-table": {
        "zh-CN": (27.1, 25.1, 23.9, 23.9),
        "en-US": (44.1, 16.4, 14.9, 24.6),
        "bilingual": (49.6, 17.4, 16.4, 16.6),
    },
    "stats": {
        "zh-CN": (36.3, 15.7, 30.6, 17.4),
        "en-US": (33.3, 16.0, 34.7, 16.0),
        "bilingual": (35.5, 16.0, 32.5, 16.0),
    },
    "quality-table": {
        "zh-CN": (33.1, 16.0, 34.9, 16.0),
        "en-US": (32.7, 16.0, 35.3, 16.0),
        "bilingual": (33.2, 16.0, 34.8, 16.0),
    },
}

#: How many columns each of those tables has (the ``columns`` macro writes one ``col`` each).
COLUMN_COUNTS = {table: len(widths["en-US"]) for table, widths in COLUMN_WIDTHS.items()}


def column_css(edition: str) -> str:
    """The fixed column widths of every table (``COLUMN_WIDTHS``) in ``edition``."""
    rules = []
    for table, editions in COLUMN_WIDTHS.items():
        rules.append(f"table.{table} {{ table-layout: fixed; }}\n")
        rules.extend(f"table.{table} .c{k} {{ width: {width}%; }}\n"
                     for k, width in enumerate(editions[edition], start=1))
    return "".join(rules)


def render_page_css(
    locale: str, paper: str, *, sample: bool, colors: UpDownColors | None = None,
    edition: str | None = None, also: str | None = None,
) -> str:
    """The per-run stylesheet: paper size, up/down colours, running texts in the locale (and,
    for the bilingual edition, under them in ``also``), the column widths of ``edition``
    (default: the locale's own)."""
    catalogs = [get_translations("messages", loc).gettext for loc in (locale, also) if loc]
    scheme = colors or MARKET_COLORS[locale]
    size = PAPER_SIZES[paper]
    line = ' "\\A" '  # a line break inside a CSS content value (with white-space: pre)
    page = line.join(page_css_content(_("Page %(page)s of %(pages)s")) for _ in catalogs)
    footer = line.join(css_string(_("Historical data; not investment advice.")) for _ in catalogs)
    sample_rule = ""
    if sample:
        sample_rule = (
            "  @top-center { content: element(sample-mark); vertical-align: bottom;"
            " padding-bottom: 2.5mm; }\n"
        )
    number = f"content: {page}; font-size: 8pt; color: #555; white-space: pre;"
    note = f"content: {footer}; font-size: 8pt; color: #666; white-space: pre;"
    at_foot = "vertical-align: top; padding-top: 3mm;"
    return (
        f":root {{ --up: {scheme.up}; --down: {scheme.down}; --flat: {scheme.flat}; }}\n"
        f"@page {{\n  size: {size} portrait;\n{sample_rule}"
        f"  @bottom-center {{ {number} {at_foot} }}\n"
        f"  @bottom-left {{ {note} {at_foot} }}\n}}\n"
        + column_css(edition or locale)
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
    # the day's headline is the document's title and subject; a report without one (an older
    # report.json) keeps the note's name and date
    return DocMeta(
        title=text.headline or f"{shown_title} · {date}",
        author=author,
        subject=text.headline or subject,
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
    plan: BriefPlan | None = None,
    brief_only: bool = False,
) -> dict[str, Any]:
    """What the note's templates read: the same for the PDF and the web pages. ``tag_links``
    maps a topic tag to the page listing its days (the portal's), so the tag becomes a link.
    ``plan`` lays out the brief (default: the first the session's story would try, as the web
    page shows it); ``brief_only`` leaves the appendix out (to measure the brief)."""
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
        "plan": plan or plans_for(report)[0],
        "brief_only": brief_only,
        "bilingual": False,
    }


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """One template of the note's tree with a context from ``note_context``."""
    locale = context["locale"]
    try:
        html = environment(locale).get_template(name).render(context)
    except Exception as exc:  # a template bug or data of an unexpected shape
        raise RenderError(f"rendering {name} ({locale}) failed: {exc}") from exc
    return bind_figures(html) if locale.startswith("zh") else html


def render_html(
    report: Mapping[str, Any],
    text: RenderedText,
    charts: Mapping[str, Chart],
    *,
    locale: str,
    title: str,
    author: str,
    plan: BriefPlan | None = None,
    brief_only: bool = False,
) -> str:
    """The HTML of one single-language edition, for the PDF engine."""
    from reporter.render.fetcher import chart_url  # loads the PDF engine: only here

    refs = {name: ChartRef(chart_url(name), chart.alt, chart.title)
            for name, chart in charts.items()}
    context = note_context(report, text, refs, locale=locale, title=title, author=author,
                           plan=plan, brief_only=brief_only)
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
