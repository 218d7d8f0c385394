"""The whole note of a day for its portal page: the note's own templates, the day's charts inline.

The day folder holds everything: report.json (already read with the day), the text of each
language (derived from it) and the chart SVGs the run wrote. A day whose note cannot be shown
(no text, a report of an unexpected shape) gets ``None`` and a warning, and its page falls
back to the figures and sentences the portal can show on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markupsafe import Markup

from reporter.portal.days import Day

_CHART = re.compile(r"chart_(?P<name>[a-z0-9_-]+)_(?P<locale>[A-Za-z]{2}-[A-Za-z]{2})\.svg")


def day_charts(day: Day, locale: str) -> dict[str, bytes]:
    """The day's chart SVGs in ``locale``, by chart name (unreadable files left out)."""
    from reporter import files

    found: dict[str, bytes] = {}
    try:
        entries = sorted(day.folder.iterdir())
    except OSError:
        return found
    for path in entries:
        m = _CHART.fullmatch(path.name)
        if m and m["locale"] == locale:
            try:
                found[m["name"]] = files.read_bytes(path)
            except OSError:
                continue
    return found


def day_note(day: Day, locale: str, *, title: str, author: str,
             tag_links: Mapping[str, str] | None = None,
             charts: Mapping[str, bytes] | None = None,
             warn: Callable[[str], None] | None = None) -> Markup | None:
    """The note's article for the day's page, or None (with a warning) when it cannot be
    shown."""
    from reporter.errors import ReporterError
    from reporter.render.web import chart_refs, render_note

    text = day.texts.get(locale)
    if text is None:
        return None
    try:
        svgs = day_charts(day, locale) if charts is None else charts
        return render_note(day.report, text, chart_refs(svgs, locale),
                           locale=locale, title=title, author=author, tag_links=tag_links)
    except (ReporterError, ValueError, TypeError, KeyError, AttributeError) as exc:
        if warn:
            warn(f"{day.day}: the {locale} note cannot be shown on its page "
                 f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")
        return None


def note_css(locale: str) -> Markup:
    from reporter.render.web import web_css

    return web_css(locale)
