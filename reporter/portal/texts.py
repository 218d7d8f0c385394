"""The one door to the insights stage: a day's localised sentences for the portal and e-mail.

Kept to a single function so tests can replace it with hand-built text and the portal does not
depend on how the insights stage words things.
"""

from __future__ import annotations

from reporter.model import RenderedText
from reporter.vocabulary import LOCALES


def day_texts(report: dict) -> dict[str, RenderedText]:
    """The key points, insights, risks, opportunities and tone label of a day, per locale."""
    from reporter.insights.text import render_report_text

    return {loc: render_report_text(report, loc) for loc in LOCALES}
