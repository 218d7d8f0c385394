"""The note as a web page: the same templates as the PDF, a screen stylesheet, charts inline.

The charts go into the page as inline SVG (their ``<title>`` is the alt text), so a page is one
self-contained file that reads the same from disk, a web server or an e-mail attachment. Two
SVGs of one page must not share ids (matplotlib names every group ``figure_1``, ``axes_1``...):
each chart's ids, and the references to them, get the chart's name as a prefix. A chart that
is not the plain SVG the chart stage writes (a script, an event handler, embedded HTML) is not
inlined at all.

Light on purpose: no chart or PDF library is loaded, so the portal can render a hundred days
quickly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from reporter import resources
from reporter.i18n import check_locale
from reporter.model import RenderedText
from reporter.render.html import ChartRef, note_context, render_template
from reporter.vocabulary import MARKET_COLORS, UpDownColors

_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.S)
#: Elements dropped: metadata, and styles (a style in inline SVG applies to the whole page).
_DROP = (("<metadata", "</metadata>"), ("<style", "</style>"), ("<!--", "-->"))
#: What no chart holds: anything able to run code or embed HTML (checked on lower case).
_UNSAFE_WORDS = ("<script", "<foreignobject", "<iframe", "<object", "<embed", "javascript:",
                 "<!entity")
_HANDLER = re.compile(r"\son[a-z]+\s*=")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")


def svg_title(svg: str) -> str:
    """The chart's alt text: the text of the SVG's first ``<title>``, unescaped."""
    import html

    found = _TITLE.search(svg)
    return html.unescape(found.group(1)).strip() if found else ""


def inline_svg(svg: bytes | str, prefix: str) -> Markup | None:
    """``svg`` ready to sit in an HTML page, its ids prefixed; None when it is not a plain
    chart (anything able to run code, or not SVG at all). Plain string operations: the portal
    inlines hundreds of charts of 100 kB each."""
    text = svg.decode("utf-8", "replace") if isinstance(svg, bytes) else svg
    low = text.lower()
    if any(word in low for word in _UNSAFE_WORDS) or _HANDLER.search(low):
        return None
    text = _PROLOG.sub("", text, count=1)
    if not text.startswith("<svg"):
        return None
    head_end = text.find(">") + 1
    body = _drop(text[head_end:])
    p = _CLASS_SAFE.sub("-", prefix.lower()) + "-"
    body = (body.replace(' id="', f' id="{p}').replace("url(#", f"url(#{p}")
            .replace('href="#', f'href="#{p}'))
    head = '<svg class="chart-svg" role="img" focusable="false"' + text[4:head_end]
    return Markup(head + body.rstrip())


def _drop(text: str) -> str:
    for start, end in _DROP:
        while (i := text.find(start)) >= 0:
            j = text.find(end, i)
            if j < 0:
                break
            text = text[:i] + text[j + len(end):].lstrip()
    return text


def chart_refs(svgs: Mapping[str, bytes | str], locale: str) -> dict[str, ChartRef]:
    """Template chart references from SVG files (name -> SVG), alt text from each title."""
    refs: dict[str, ChartRef] = {}
    for name, svg in svgs.items():
        markup = inline_svg(svg, f"{name}-{locale}")
        if markup is not None:
            text = svg.decode("utf-8", "replace") if isinstance(svg, bytes) else svg
            refs[name] = ChartRef("", svg_title(text), "", markup)
    return refs


@functools.cache
def _stylesheet() -> str:
    return (resources.templates_dir("report") / "assets" / "web.css").read_text("utf-8")


def web_css(locale: str, colors: UpDownColors | None = None) -> Markup:
    """The screen stylesheet of the note with the locale's up/down colours."""
    scheme = colors or MARKET_COLORS[check_locale(locale)]
    head = f":root {{ --up: {scheme.up}; --down: {scheme.down}; --flat: {scheme.flat}; }}\n"
    return Markup(head + _stylesheet())


def render_note(
    report: Mapping[str, Any],
    text: RenderedText,
    charts: Mapping[str, ChartRef],
    *,
    locale: str,
    title: str,
    author: str,
    tag_links: Mapping[str, str] | None = None,
) -> Markup:
    """The note's article alone, for a page that has its own frame (the portal's day page)."""
    context = note_context(report, text, charts, locale=locale, title=title, author=author,
                           tag_links=tag_links)
    return Markup(render_template("note.html", context))


def render_web_page(
    report: Mapping[str, Any],
    text: RenderedText,
    svgs: Mapping[str, bytes | str],
    *,
    locale: str,
    title: str,
    author: str,
    colors: UpDownColors | None = None,
) -> str:
    """The note as one self-contained HTML file: styles and charts inside, no link out."""
    context = note_context(report, text, chart_refs(svgs, locale), locale=locale, title=title,
                           author=author)
    context["css"] = web_css(locale, colors)
    return render_template("web.html", context)
