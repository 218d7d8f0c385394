"""The brief: pages 1-2 of the note, laid out so that they hold the whole story.

The brief is the headline, the summary, the key data, the charts that carry the story and the
risks and opportunities; the appendix starts on a page of its own after it. How much room the
text takes depends on the day, so the brief's plan is chosen by laying out the brief alone
(cheap: two or three pages) for each plan in turn until one fits: the chart before the risks
and still on page 1 (no page left a third empty because a chart moved), else the risks first,
else no chart (it stays in its section of the appendix). Where the first plan nearly always
fits (the bilingual edition's), the whole note is laid out with it at once and judged by the
pages before its appendix (``fits``), which saves the trial. The brief's chart is the one that
carries the session's story (``lead_chart``): the breadth panels when the story is how broad
the move was, else the size rotation (small caps against large caps is the note's first
question, and the run it shades is the brief's). One chart, not two: every plan tried is a
layout, and the index chart reads best beside the index table in the appendix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class BriefPlan:
    """Which charts the brief shows (the rest sit in the appendix) and in what order."""

    lead: tuple[str, ...]  # chart names (``CHART_NAMES``), in the order shown
    charts_first: bool  # the charts before the risks and opportunities

    def anchor(self, name: str) -> str:
        """The HTML id of a lead chart's figure."""
        return f"lead-{name}"


#: The plans tried, in order of preference, with the size rotation (``plans_for``: the session's
#: chart); the web page uses the first.
PLANS: tuple[BriefPlan, ...] = (
    BriefPlan(("size_rotation",), charts_first=True),
    BriefPlan(("size_rotation",), charts_first=False),
    BriefPlan((), charts_first=False),
)
#: The bilingual edition's: its page 1 holds the headline, the summary and the key data in both
#: languages, so its chart follows the risks and opportunities (or stays in the appendix).
BILINGUAL_PLANS: tuple[BriefPlan, ...] = PLANS[1:]


#: The stories of the session (``insights.story``) told by how broad the move was: the brief
#: shows the breadth panels for them (a one-sided day, a thrust, a capitulation, a relief
#: rally, breadth against the index), not the size rotation.
BREADTH_STORIES = frozenset({
    "broad_rally", "broad_selloff", "breadth_thrust", "capitulation", "relief_rally",
    "divergence_up", "divergence_down",
})


def lead_chart(report: Mapping[str, Any]) -> str:
    """The chart that carries the session's story (``BREADTH_STORIES``)."""
    story = ((report.get("insights") or {}).get("story") or {}).get("id")
    return "breadth" if story in BREADTH_STORIES else "size_rotation"


def plans_for(report: Mapping[str, Any], *, bilingual: bool = False) -> tuple[BriefPlan, ...]:
    """The plans tried for the session, in order (``PLANS`` with its story's chart); without
    the chart first for the bilingual edition (``BILINGUAL_PLANS``) and the breadth panels."""
    lead = (lead_chart(report),)
    plans = tuple(BriefPlan(lead if p.lead else (), p.charts_first) for p in PLANS)
    # the breadth panels (four, a third of a page) did not fit on page 1 under the summary and
    # the key data (31 Dec 2025): not tried there, which saves a trial layout
    return plans[1:] if bilingual or lead == ("breadth",) else plans


#: The id of the appendix's title: the appendix starts on a page of its own.
APPENDIX_ANCHOR = "appendix"


class _Page(Protocol):
    anchors: dict[str, object]


def brief_length(laid: Sequence[_Page]) -> int:
    """How many pages the brief takes: of a whole note, the pages before the appendix's; of
    the brief laid out alone, every page."""
    for number, page in enumerate(laid):
        if APPENDIX_ANCHOR in page.anchors:
            return number
    return len(laid)


def fits(plan: BriefPlan, laid: Sequence[_Page], pages: int) -> bool:
    """Whether the brief of ``plan``, laid out (alone or with the appendix), takes at most
    ``pages`` pages and, with the charts first, has its first chart on page 1."""
    if brief_length(laid) > pages:
        return False
    return not (plan.charts_first and plan.lead
                and plan.anchor(plan.lead[0]) not in laid[0].anchors)


def fitting_plan(
    lay_out_brief: Callable[[BriefPlan], Sequence[_Page]], *, pages: int = 2,
    plans: Sequence[BriefPlan] = PLANS,
) -> BriefPlan:
    """The first of ``plans`` whose brief, laid out alone, takes at most ``pages`` pages and,
    with the charts first, has its first chart on page 1; the last plan when none does (it is
    never laid out here: it is the answer whatever its layout)."""
    for plan in plans[:-1]:
        if fits(plan, lay_out_brief(plan), pages):
            return plan
    return plans[-1]
