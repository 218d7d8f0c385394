"""Findings into sentences, per locale, through the ``insights`` gettext catalog and Babel.

Every sentence is one whole catalog message with named placeholders; the choice between
messages depends only on the data (direction, whether a date is known), never on the language.
English is the source language; other locales read ``locales/<ll_CC>/LC_MESSAGES/insights.po``
at run time (parsed once, kept in memory). Numbers, percentages, percentage points, signs, lists
and dates go through ``reporter.i18n`` (Babel, half-even rounding).

``writer`` holds the :class:`Writer` (one locale's catalog and formats) and the registry of
sentence renderers; one module per family of findings registers its renderers there
(``key_points``, ``size``, ``sectors``, ``market``, ``breadth``, ``volatility``, ``watchlist``,
``history``, ``quality``);
``edition`` puts one edition's text together.
"""

from __future__ import annotations

# the families register their renderers when imported
from reporter.insights.text import (  # noqa: F401
    breadth,
    history,
    key_points,
    market,
    narrative,
    quality,
    sectors,
    size,
    volatility,
    watchlist,
)
from reporter.insights.text.edition import (
    MAX_TAGS,
    TAGS,
    paragraph,
    render_report_text,
    render_text,
    sentence,
    tags,
)
from reporter.insights.text.writer import RENDERERS, Writer

__all__ = [
    "MAX_TAGS",
    "RENDERERS",
    "TAGS",
    "Writer",
    "paragraph",
    "render_report_text",
    "render_text",
    "sentence",
    "tags",
]
