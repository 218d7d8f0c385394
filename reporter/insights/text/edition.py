"""One edition's text: every finding as a sentence, the tone label and the topic tags."""

from __future__ import annotations

import re
from typing import Any

from reporter.errors import RenderError
from reporter.i18n import N_
from reporter.insights.findings import Finding, Insights
from reporter.insights.rules import SPECS
from reporter.insights.text.triggers import with_trigger
from reporter.insights.text.writer import RENDERERS, Writer
from reporter.model import RenderedText
from reporter.vocabulary import DATA_WARNINGS, TONES

#: Topic tags in the header at most.
MAX_TAGS = 5

#: The topic tags the findings' specs name, as the header shows them.
TAGS = {
    "records": N_("Record highs"),
    "milestones": N_("Round-number milestones"),
    "small_caps": N_("Small-cap rotation"),
    "large_caps": N_("Large-cap leadership"),
    "concentration": N_("Mega-cap concentration"),
    "broadening": N_("Broadening participation"),
    "sector_rotation": N_("Sector rotation"),
    "defensive": N_("Defensive tilt"),
    "cyclical": N_("Cyclical leadership"),
    "growth": N_("Growth leadership"),
    "rate_sensitive": N_("Rate-sensitive sectors"),
    "breadth": N_("Market breadth"),
    "volatility": N_("Volatility"),
    "oversold": N_("Oversold"),
    "overbought": N_("Overbought"),
    "thrust": N_("Thrust signals"),  # Zweig's thrust and 90% up-volume days alike
    "bellwether": N_("Bellwether technicals"),
    "valuation": N_("Valuation"),
    "capitulation": N_("Capitulation"),
    "rebound": N_("Relief rally"),
    "selloff": N_("Broad selling"),
    "narrow": N_("Narrow leadership"),
    "size_rotation": N_("Size rotation"),
    "divergence": N_("Breadth divergence"),
    "trend": N_("Index trend"),
}


def say(w: Writer, finding: Finding) -> str:
    """``finding`` as a sentence; a finding without a sentence is a RenderError."""
    if finding.id not in RENDERERS:
        raise RenderError(f"no sentence for finding {finding.id!r}")
    return RENDERERS[finding.id](w, finding)


def sentence(finding: Finding, locale: str) -> str:
    """One finding as a sentence in ``locale``."""
    return say(Writer(locale), finding)


def tags(insights: Insights, w: Writer) -> tuple[str, ...]:
    """Up to ``MAX_TAGS`` topics of the day: the story's first, then the most salient."""
    seen: dict[str, None] = {}
    story = (insights.story,) if insights.story else ()
    for f in (*story, *sorted(insights.all(), key=lambda f: -f.score)):
        # a sell-off that did not reach nearly every stock is no "broad selling" (普跌)
        tag = None if f.params.get("sweeping") is False else SPECS[f.id].tag
        if tag is not None and tag not in seen:
            seen[tag] = None
    return tuple(w.gettext(TAGS[t]) for t in list(seen)[:MAX_TAGS])


def render_text(insights: Insights, report: dict[str, Any], locale: str) -> RenderedText:
    """The sentences, tone label and tags of one edition (``locale``: "zh-CN" or "en-US").

    ``report`` is the report the findings came from; the sentences carry every figure they
    cite in their params, so only the locale decides the wording.
    """
    w = Writer(locale)

    def said(found: tuple[Finding, ...]) -> tuple[str, ...]:
        return tuple(say(w, f) for f in found)

    def argued(found: tuple[Finding, ...]) -> tuple[str, ...]:
        return tuple(with_trigger(w, say(w, f), f.params.get("trigger")) for f in found)

    return RenderedText(
        locale=locale,
        tone_label=w.gettext(TONES[insights.tone]),
        key_points=said(insights.key_points),
        insights=said(insights.insights),
        risks=argued(insights.risks),
        opportunities=argued(insights.opportunities),
        tags=tags(insights, w),
        headline=say(w, insights.headline) if insights.headline else "",
        summary=said(insights.summary),
        week=said(insights.week),
        story=say(w, insights.story) if insights.story else "",
        warnings=tuple(data_warning(w, str(x)) for x in report.get("warnings") or ()),
    )


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def data_warning(w: Writer, text: str) -> str:
    """A data warning of report.json in the edition's language: read back against the wording
    that wrote it (``vocabulary.DATA_WARNINGS``), then translated, with the plural form its
    count calls for and dates as the locale writes them. A text of no known wording (none is
    written) is shown as it is rather than dropped."""
    for spec in DATA_WARNINGS.values():
        values = spec.match(text)
        if values is None:
            continue
        shown: dict[str, str] = {
            k: w.date(v) if _ISO_DAY.fullmatch(v) else v for k, v in values.items()}
        if spec.plural is None:
            return w.gettext(spec.singular).format(**shown)
        count = int(values.get("count", 1))
        shown["count"] = w.count(count)
        return w.ngettext(spec.singular, spec.plural, count).format(**shown)
    return text


def paragraph(sentences: tuple[str, ...], locale: str) -> str:
    """Sentences in a row as the language writes them: a space between them in English, none
    in Chinese (the summary as one paragraph, for the portal and e-mail)."""
    w = Writer(locale)
    out = ""
    for part in sentences:
        # Translators: two sentences in a row; a space between them in English.
        out = part if not out else w.gettext("{first} {second}").format(first=out, second=part)
    return out


def render_report_text(report: dict[str, Any], locale: str) -> RenderedText:
    """The text of an edition from a report.json alone (for the portal and e-mail)."""
    return render_text(Insights.from_report(report), report, locale)
