"""The brief's plan: the first that fits, found with as few trial layouts as it takes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from reporter.render.brief import (
    APPENDIX_ANCHOR,
    BILINGUAL_PLANS,
    PLANS,
    BriefPlan,
    brief_length,
    fits,
    fitting_plan,
    lead_chart,
    plans_for,
)


@dataclass
class _Page:
    anchors: dict[str, object] = field(default_factory=dict)


def _trials(pages_by_plan: dict[BriefPlan, list[_Page]], plans=PLANS, pages: int = 2):
    tried: list[BriefPlan] = []

    def lay_out(plan: BriefPlan) -> list[_Page]:
        tried.append(plan)
        return pages_by_plan[plan]

    return fitting_plan(lay_out, pages=pages, plans=plans), tried


def _laid(n: int, chart_on_page_1: str | None = None) -> list[_Page]:
    pages = [_Page() for _ in range(n)]
    if chart_on_page_1:
        pages[0].anchors[chart_on_page_1] = (0, 0)
    return pages


LEAD = PLANS[0].anchor(PLANS[0].lead[0])


def test_the_chart_first_plan_when_it_fits_with_its_chart_on_page_1() -> None:
    plan, tried = _trials({PLANS[0]: _laid(2, LEAD)})
    assert plan == PLANS[0] and tried == [PLANS[0]]


@pytest.mark.parametrize("first", [_laid(3, LEAD), _laid(2)])  # too long; chart on page 2
def test_the_next_plan_when_the_first_does_not_fit(first: list[_Page]) -> None:
    plan, tried = _trials({PLANS[0]: first, PLANS[1]: _laid(2)})
    assert plan == PLANS[1] and tried == [PLANS[0], PLANS[1]]


def test_the_last_plan_is_the_answer_without_a_trial_layout() -> None:
    plan, tried = _trials({PLANS[0]: _laid(3), PLANS[1]: _laid(3)})
    assert plan == PLANS[-1] and PLANS[-1] not in tried


def test_the_bilingual_brief_puts_its_chart_after_the_risks() -> None:
    assert all(not p.charts_first or not p.lead for p in BILINGUAL_PLANS)
    plan, tried = _trials({PLANS[1]: _laid(3)}, plans=BILINGUAL_PLANS, pages=3)
    assert plan == PLANS[1] and tried == [PLANS[1]]


def _whole(brief: int, total: int, chart_on_page_1: str | None = None) -> list[_Page]:
    """A whole note: ``brief`` pages of brief, then the appendix from the next page on."""
    pages = _laid(total, chart_on_page_1)
    pages[brief].anchors[APPENDIX_ANCHOR] = (0, 0)
    return pages


def test_a_whole_note_is_judged_by_the_pages_before_its_appendix() -> None:
    assert brief_length(_whole(2, 11)) == 2 and brief_length(_laid(3)) == 3
    assert fits(PLANS[0], _whole(2, 11, LEAD), 2)  # as the brief alone would: _laid(2, LEAD)
    assert not fits(PLANS[0], _whole(3, 12, LEAD), 2)  # the brief runs onto page 3
    assert not fits(PLANS[0], _whole(2, 11), 2)  # its chart is not on page 1
    assert fits(PLANS[1], _whole(1, 10), 2) and fits(PLANS[1], _whole(3, 15), 3)


@pytest.mark.parametrize(("story", "chart"), [
    ("broad_selloff", "breadth"), ("broad_rally", "breadth"), ("capitulation", "breadth"),
    ("breadth_thrust", "breadth"), ("relief_rally", "breadth"), ("divergence_up", "breadth"),
    ("divergence_down", "breadth"), ("size_rotation", "size_rotation"),
    ("sector_rotation", "size_rotation"), ("quiet", "size_rotation"),
    ("mixed_gain", "size_rotation"), (None, "size_rotation"),
])
def test_the_brief_shows_the_chart_that_carries_the_story(story: str | None, chart: str) -> None:
    """A day told by how broad the move was leads with the breadth panels (a reviewer: "on a
    capitulation day the brief's chart is a one-year small-cap ratio"); any other, and a
    report without a story, with the size rotation."""
    report = {"insights": {"story": {"id": story}}} if story else {}
    assert lead_chart(report) == chart
    plans = plans_for(report)
    assert {p.lead for p in plans} == {(chart,), ()} and plans[-1] == BriefPlan((), False)
    # never first on page 1 in the bilingual edition, nor the breadth panels in any
    assert [p.charts_first for p in plans_for(report, bilingual=True)] == [False, False]
    assert plans[0].charts_first is (chart == "size_rotation")
