"""Missing figures anywhere never break the stage: rules fall silent, sentences stay whole."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.insights import InsightsConfig, derive, render_text
from tests.insights.test_rules import busy_day, strong_rally, strong_selloff
from tests.support.insight_inputs import baseline

CFG = InsightsConfig()
BASES = {"baseline": baseline, "busy": busy_day, "rally": strong_rally, "selloff": strong_selloff}


def leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
    return [path]


def blank(report: dict[str, Any], path: tuple) -> None:
    node = report
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = None


@settings(max_examples=150, deadline=None)
@given(base=st.sampled_from(sorted(BASES)), data=st.data())
def test_any_missing_figures(base: str, data: st.DataObject) -> None:
    report = BASES[base]()
    paths = leaves(report)
    chosen = data.draw(st.lists(st.sampled_from(paths), max_size=40, unique=True))
    for path in chosen:
        blank(report, path)
    ins = derive(report, CFG)
    assert 0 <= len(ins.key_points) <= CFG.key_points_max
    for locale in ("zh-CN", "en-US"):
        text = render_text(ins, report, locale)
        for line in (*text.key_points, *text.insights, *text.risks, *text.opportunities):
            assert line and "{" not in line and "None" not in line, line
