"""A plain chart path is drawn to the operators and vertices the engine's own parser gives."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pydyf
import pytest
from weasyprint import svg as engine_svg
from weasyprint.svg.path import path as engine_path
from weasyprint.text.fonts import FontConfiguration

import reporter.render.pdf  # noqa: F401  (installs the fast path)
from reporter.render.charts.draw import render_charts
from reporter.render.speed.svg import embeddable_svg
from reporter.render.speed.svgpath import plain_path
from tests.support.synthetic import make_chart_data


def _svg(data: bytes) -> Any:
    svg = engine_svg.SVG(ElementTree.fromstring(data), "report://run/c.svg", FontConfiguration())
    svg.inner_width = svg.inner_height = 100.0  # what the engine sets before drawing
    return svg


def _paths(node: Any) -> Iterator[Any]:
    if node.tag == "path":
        yield node
    for child in node:
        yield from _paths(child)


def _drawn(draw: Any, svg: Any, node: Any) -> tuple[bytes, list[Any]]:
    """What ``draw`` writes for ``node`` (serialized as the PDF writer does) and its vertices."""
    svg.stream = pydyf.Stream()
    node.vertices = deque()
    draw(svg, node, 12.0)
    return b"\n".join(pydyf._to_bytes(i) for i in svg.stream.stream), list(node.vertices)


def test_the_engine_draws_paths_through_the_fast_path() -> None:
    assert getattr(engine_svg.TAGS["path"], "plain", False)
    assert engine_svg.TAGS["path"] is not engine_path


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_every_chart_path_draws_as_the_engine_draws_it(locale: str) -> None:
    charts = render_charts(make_chart_data(), locale)
    fast, count = engine_svg.TAGS["path"], 0
    for chart in charts.values():
        for data in (chart.svg, embeddable_svg(chart.svg)):
            svg = _svg(data)
            for node in _paths(svg.tree):
                assert plain_path(node.get("d", "")), node.get("d", "")[:80]
                assert _drawn(fast, svg, node) == _drawn(engine_path, svg, node)
                count += 1
    assert count > 500


_HAND = [
    "M 0 0 L 10 10 M 5 5 L 6 6 z",
    "M 1 2 3 4 5 6",  # pairs after a move are lines
    "M 1 2 L 3 4 5 6 Z L 7 8 z",  # a line after a close starts at the subpath's start
    "M 1,2 C 1,2 3,4 5,6 7 8 9 10 11 12 z Z",
    "M 1e-7 -0 L 2.5 +3 L .5 -.25 L 1E2 3.000000001",
    "Z M 1 1 L 2 2",
    "M 0 0 z",
]


@pytest.mark.parametrize("d", _HAND)
def test_hand_made_paths_draw_as_the_engine_draws_them(d: str) -> None:
    data = f'<svg xmlns="http://www.w3.org/2000/svg"><path d="{d}"/></svg>'.encode()
    svg = _svg(data)
    (node,) = _paths(svg.tree)
    assert plain_path(d)
    assert _drawn(engine_svg.TAGS["path"], svg, node) == _drawn(engine_path, svg, node)


@pytest.mark.parametrize("d", ["m 1 2 l 3 4", "M10 20L30 40", "M 10-20", "M 1 2 Q 3 4 5 6",
                               "M 1 2 L 3", "1 2 L 3 4", "M 1 2 z 3 4", "M 1px 2"])
def test_anything_else_goes_the_engines_way(d: str) -> None:
    assert plain_path(d) is None
