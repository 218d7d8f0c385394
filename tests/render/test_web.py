"""The note as a web page: the report's templates, a screen stylesheet, charts as inline SVG."""

from __future__ import annotations

import re

import pytest

from reporter.render.web import chart_refs, inline_svg, render_web_page, svg_title
from reporter.vocabulary import GREEN, RED
from tests.support.synthetic import make_report, make_texts

SVG = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
       '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n'
       '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt" '
       'viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg">\n'
       ' <title>Rising &amp; falling</title>\n <metadata><rdf:RDF/></metadata>\n'
       ' <defs><style type="text/css">*{stroke-linejoin: round}</style>'
       '<clipPath id="p1"><rect width="10" height="10"/></clipPath>'
       '<path id="m1" d="M 0 0 L 1 1"/></defs>\n'
       ' <g id="figure_1" clip-path="url(#p1)"><use xlink:href="#m1" x="2"/></g>\n</svg>\n')


def test_inline_svg_prefixes_every_id_and_reference():
    out = str(inline_svg(SVG, "indices-zh-CN"))
    assert out.startswith('<svg class="chart-svg" role="img"')
    assert "<?xml" not in out and "DOCTYPE" not in out and "metadata" not in out
    assert "<style" not in out  # a style in inline SVG would apply to the whole page
    assert set(re.findall(r'id="([^"]+)"', out)) == {"indices-zh-cn-p1", "indices-zh-cn-m1",
                                                      "indices-zh-cn-figure_1"}
    assert 'clip-path="url(#indices-zh-cn-p1)"' in out
    assert 'xlink:href="#indices-zh-cn-m1"' in out
    assert "<title>Rising &amp; falling</title>" in out
    assert svg_title(SVG) == "Rising & falling"


@pytest.mark.parametrize("bad", [
    SVG.replace("<g ", '<g onload="alert(1)" '),
    SVG.replace("</svg>", "<script>alert(1)</script></svg>"),
    SVG.replace("</svg>", "<foreignObject><p>x</p></foreignObject></svg>"),
    SVG.replace('xlink:href="#m1"', 'xlink:href="javascript:alert(1)"'),
    "<html><body>not a chart</body></html>",
])
def test_anything_that_could_run_code_is_not_inlined(bad: str):
    assert inline_svg(bad, "x") is None
    assert chart_refs({"indices": bad}, "en-US") == {}


def _page(locale: str, svgs: dict[str, str] | None = None) -> str:
    return render_web_page(make_report(is_sample=True), make_texts()[locale],
                           svgs if svgs is not None else {"indices": SVG, "sectors": SVG},
                           locale=locale, title="Market Breadth", author="Desk")


def test_the_web_page_is_the_whole_note_with_charts_inline():
    zh, en = _page("zh-CN"), _page("en-US")
    for html, locale in ((zh, "zh-CN"), (en, "en-US")):
        assert f'<html lang="{locale}">' in html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "<style>" in html and 'rel="stylesheet"' not in html
        # two charts, each inside its figure, ids kept apart by chart and language
        assert html.count('<svg class="chart-svg"') == 2
        assert f'id="indices-{locale.lower()}-p1"' in html
        assert f'id="sectors-{locale.lower()}-p1"' in html
        assert not re.search(r'(?:src|href)="(?!#)', html)  # nothing loaded from elsewhere
    for heading in ("关键数据", "市场概览", "大小盘轮动：小盘股相对大盘股", "行业", "市场参与度",
                    "龙头股技术面", "市场观察", "风险", "机会", "数据与方法", "免责声明"):
        assert f">{heading}</h2>" in zh, heading
    assert "SAMPLE DATA" in en and "示例数据" in zh


def test_up_and_down_colours_follow_the_locale():
    assert f"--up: {RED}; --down: {GREEN}" in _page("zh-CN")
    assert f"--up: {GREEN}; --down: {RED}" in _page("en-US")


def test_headline_and_summary_lead_when_the_text_has_them():
    from dataclasses import replace

    text = replace(make_texts()["en-US"], headline="Small caps lead a broad rally",
                   summary=("First sentence.", "Second sentence."))
    html = render_web_page(make_report(), text, {}, locale="en-US", title="Market Breadth",
                           author="Desk")
    # the headline is the note's title, its last two words kept on one line, as are the
    # kicker's (a phone leaves no lone "note" under it)
    assert '<h1 class="doc-title headline">Small caps lead a broad\u00a0rally</h1>' in html
    assert "daily research\u00a0note</p>" in html
    assert "<p>First sentence. Second sentence.</p>" in html
    assert html.index("headline") < html.index("Key data points")
    assert "doc-title headline" not in _page("en-US")  # none without one
