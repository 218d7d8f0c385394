"""The chart SVG handed to the PDF engine draws the same picture as matplotlib's own."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reporter.render.charts.draw import render_charts
from reporter.render.pdf import layout, write
from reporter.render.speed.svg import embeddable_svg
from tests.support.synthetic import make_chart_data

SVG = "{http://www.w3.org/2000/svg}"


def _pixels(svg: bytes, tmp: Path, name: str) -> bytes:
    """The chart alone on a page, laid out and written by the engine, as a 120 dpi PNG."""
    html = ('<html lang="en"><body style="margin:0">'
            '<img src="report://run/c.svg" alt="chart" style="width:16cm"></body></html>')
    pdf = write(layout(html, {"report://run/c.svg": (svg, "image/svg+xml")}, name=name),
                variant="pdf/ua-1")
    (tmp / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "120", "-png", "-singlefile", str(tmp / f"{name}.pdf"),
                    str(tmp / name)], check=True, timeout=60)
    return (tmp / f"{name}.png").read_bytes()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_every_chart_draws_the_same_pixels(locale: str, tmp_path: Path) -> None:
    charts = render_charts(make_chart_data(), locale)
    for name, chart in charts.items():
        slim = embeddable_svg(chart.svg)
        assert slim != chart.svg
        assert b"style=" not in slim and b"<style" not in slim, name  # every style was plain
        assert _pixels(slim, tmp_path, f"{name}-slim") == _pixels(chart.svg, tmp_path, name), name


def _attrs(svg: bytes) -> dict[str, dict[str, str]]:
    return {el.get("class", el.tag.removeprefix(SVG)): dict(el.attrib)
            for el in ET.fromstring(svg).iter() if el.tag != f"{SVG}svg"}


SHEET = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'


def test_styles_become_attributes_in_the_engines_order() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
           f'<defs>{SHEET}</defs>'
           '<path class="a" d="M 0 0 L 5 5" stroke-linecap="square" '
           'style="fill: none; stroke: #0072b2; stroke-width: 1.2"/>'
           '<path class="b" d="M 0 0 L 5 5" style="stroke-linecap: square; fill: #fff"/>'
           '<text class="c" x="1" y="2" style="font-size: 7px; '
           "font-family: 'Noto Sans CJK SC', 'DejaVu Sans'\">x</text></svg>").encode()
    attrs = _attrs(embeddable_svg(svg))
    # the sheet beats a presentation attribute; the element's own style beats the sheet
    assert attrs["a"]["stroke-linecap"] == "butt"
    assert attrs["a"]["stroke-linejoin"] == "round"
    assert (attrs["a"]["fill"], attrs["a"]["stroke"], attrs["a"]["stroke-width"]) == (
        "none", "#0072b2", "1.2")
    assert attrs["b"]["stroke-linecap"] == "square"
    assert attrs["c"]["font-family"] == "'Noto Sans CJK SC', 'DejaVu Sans'"
    assert not any("style" in a for a in attrs.values())
    assert "style" not in attrs  # the sheet itself is gone


@pytest.mark.parametrize("style", [
    "fill: #fff !important",
    "font-family: 'A;B'",
    "fill: #fff /* comment */",
    "-moz-thing: 1",
])
def test_a_style_that_is_not_plain_leaves_every_style_as_it_is(style: str) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
           f'<defs>{SHEET}</defs>'
           '<path class="a" d="M 0 0 L 5 5" style="fill: none"/>'
           f'<path class="b" d="M 0 0 L 5 5" style="{style}"/></svg>').encode()
    attrs = _attrs(embeddable_svg(svg))
    assert attrs["a"] == {"class": "a", "d": "M 0 0 L 5 5", "style": "fill: none"}
    assert attrs["b"]["style"] == style
    assert "style" in attrs  # the sheet is kept


def test_a_sheet_with_another_rule_is_kept() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
           b'<style type="text/css">path{stroke: red}</style>'
           b'<path class="a" d="M 0 0 L 5 5" style="fill: none"/></svg>')
    attrs = _attrs(embeddable_svg(svg))
    assert attrs["a"]["style"] == "fill: none"
    assert "style" in attrs
