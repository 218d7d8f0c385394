"""How an edition's brief is fitted: what is laid out, and what is held meanwhile."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass, field

import pytest

from reporter.render import editions
from reporter.render.brief import APPENDIX_ANCHOR, BriefPlan


@dataclass
class _Page:
    anchors: dict[str, object] = field(default_factory=dict)


class _Document:
    """A laid-out note that, like the PDF engine's, holds itself in a reference cycle."""

    def __init__(self, pages: list[_Page]) -> None:
        self.pages = pages
        self.me = self


def test_a_note_that_did_not_fit_is_freed_before_the_next_is_laid_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the collector paused (as during a job), the whole note laid out with a plan whose
    brief does not fit is gone before the next layout starts: both at once raised a backfill
    worker's peak over its limit (bilingual, 21 Nov 2025: 347 MB, 300 MB once freed)."""
    chart, bare = BriefPlan(("breadth",), False), BriefPlan((), False)
    held: list[weakref.ref] = []
    alive_at_second: list[bool] = []

    def layout(html: str, resources: object, name: str) -> _Document:
        if held:
            alive_at_second.append(held[0]() is not None)
        brief = 4 if html == "breadth" else 2  # the chart's brief runs onto page 4
        pages = [_Page() for _ in range(brief)] + [_Page({APPENDIX_ANCHOR: (0, 0)})]
        document = _Document(pages)
        held.append(weakref.ref(document))
        return document

    monkeypatch.setattr(editions, "layout", layout)
    gc.disable()
    try:
        document, plan = editions._fitted(lambda p, _brief: "breadth" if p.lead else "bare",
                                          {}, "x.pdf", 3, (chart, bare), whole_first=True)
    finally:
        gc.enable()
    assert plan == bare and len(document.pages) == 3
    assert alive_at_second == [False]
