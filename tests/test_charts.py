"""Charts: one set per locale, deterministic SVG with text as text, colour never the only cue."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal, format_percent

from reporter.errors import ConfigError
from reporter.render.charts.data import ChartData
from reporter.render.charts.draw import render_charts
from reporter.render.charts.participation import weekly_participation
from reporter.vocabulary import CHART_NAMES, GREEN, MARKET_COLORS, RED, UpDownColors
from tests.support.synthetic import make_chart_data

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def data() -> ChartData:
    return make_chart_data()


@pytest.fixture(scope="module")
def charts(data: ChartData) -> dict:
    return {loc: render_charts(data, loc) for loc in ("zh-CN", "en-US")}


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def _signed(value: float, locale: str) -> str:
    return format_percent(value, "+#,##0.0%;-#,##0.0%", locale=locale.replace("-", "_"))


def test_every_chart_for_each_locale(charts: dict) -> None:
    for loc, drawn in charts.items():
        assert list(drawn) == [*CHART_NAMES, "watch-nvda"]
        for name, chart in drawn.items():
            assert chart.locale == loc
            assert chart.file_name == f"chart_{name}_{loc}.svg"
            ET.fromstring(chart.svg)  # well-formed


def test_text_is_kept_as_text_in_the_cjk_font(charts: dict) -> None:
    for drawn in charts.values():
        for chart in drawn.values():
            text = chart.svg.decode()
            assert "<text" in text
            assert "font-family: 'Noto Sans CJK SC'" in text
            assert 'id="DejaVuSans' not in text and "glyph" not in text  # no text as paths


def test_same_input_gives_the_same_bytes_and_no_date(data: ChartData, charts: dict) -> None:
    again = render_charts(data, "zh-CN")
    for name, chart in charts["zh-CN"].items():
        assert again[name].svg == chart.svg, name
        assert b"dc:date" not in chart.svg


def test_titles_axes_and_dates_follow_the_locale(charts: dict) -> None:
    zh, en = charts["zh-CN"], charts["en-US"]
    assert zh["indices"].title == "主要指数近一年走势（起点 = 100）"
    assert en["indices"].title == "Major indices over one year, rebased to 100"
    zh_texts, en_texts = _texts(zh["indices"].svg), _texts(en["indices"].svg)
    # Sessions start in January 2025: the first month tick is March, with its year.
    assert "2025年3月" in zh_texts and "5月" in zh_texts
    assert "Mar 2025" in en_texts and "May" in en_texts
    assert "主要指数近一年走势（起点 = 100）" in zh_texts


def test_alt_text_carries_the_key_figures(data: ChartData, charts: dict) -> None:
    closes = data.index_closes
    for loc, drawn in charts.items():
        alt = drawn["indices"].alt
        for symbol in ("^GSPC", "^RUT", "^IXIC", "^DJI"):
            change = closes[symbol].iloc[-1] / closes[symbol].iloc[0] - 1.0
            assert _signed(change, loc) in alt, (loc, symbol)
        close = data.watch["NVDA"]["close"].iloc[-1]
        assert format_decimal(close, "#,##0.00", locale=loc.replace("-", "_")) in (
            drawn["watch-nvda"].alt
        )
        # The standalone SVG carries the same text as its accessible name.
        title = ET.fromstring(drawn["indices"].svg).find(f"{SVG}title")
        assert title is not None and title.text == alt
    assert "标普500" in charts["zh-CN"]["indices"].alt
    assert "2025年12月31日" in charts["zh-CN"]["breadth"].alt
    assert "December 31, 2025" in charts["en-US"]["breadth"].alt


def _bar_fills(svg: bytes) -> list[tuple[str, str]]:
    """(fill, stroke) of the bar patches of the sector chart."""
    out = []
    for style in re.findall(r'<path d="M [^"]+"[^>]*style="([^"]+)"', svg.decode()):
        fill = re.search(r"fill: (#[0-9a-f]{6})", style)
        stroke = re.search(r"stroke: (#[0-9a-f]{6})", style)
        if fill and stroke and "stroke-linejoin: miter" in style:
            out.append((fill.group(1), stroke.group(1)))
    return out


def test_up_and_down_colours_per_locale_with_a_second_cue(data: ChartData, charts: dict) -> None:
    values = data.sector_returns[["1D", "MTD"]].to_numpy().ravel()
    ups, downs = int((values > 0).sum()), int((values < 0).sum())
    for loc, up, down in (("zh-CN", RED, GREEN), ("en-US", GREEN, RED)):
        fills = _bar_fills(charts[loc]["sectors"].svg)
        solid_up = [f for f in fills if f == (up, up)]
        hollow_down = [f for f in fills if f == ("#ffffff", down)]
        assert len(solid_up) == ups, loc
        assert len(hollow_down) == downs, loc  # negative bars are hollow, not only coloured
    # Every bar carries its signed figure.
    texts = _texts(charts["en-US"]["sectors"].svg)
    for v in data.sector_returns["1D"]:
        assert _signed(v, "en-US") in texts


def test_colour_mapping_is_configurable(data: ChartData) -> None:
    scheme = {"en-US": UpDownColors(up="#0000ff", down="#ff8800")}
    drawn = render_charts(data, "en-US", colors=scheme)
    fills = _bar_fills(drawn["sectors"].svg)
    assert ("#0000ff", "#0000ff") in fills and ("#ffffff", "#ff8800") in fills
    assert MARKET_COLORS["en-US"].up == GREEN  # defaults untouched


def test_heat_map_cells_carry_their_figures(data: ChartData, charts: dict) -> None:
    weekly = weekly_participation(data.sector_participation)
    texts = _texts(charts["en-US"]["participation"].svg)
    cells = [t for t in texts if t.isdigit()]
    assert len(cells) == weekly.size
    for v in weekly.iloc[-1]:
        assert format_decimal(v * 100, "0", locale="en_US") in cells


def test_weekly_participation_takes_the_last_session_of_each_week() -> None:
    days = pd.bdate_range("2025-03-03", "2025-03-28").drop(pd.Timestamp("2025-03-14"))
    frame = pd.DataFrame({"XLK": np.arange(len(days), dtype=float)}, index=days)
    expected = {}
    for day in days:  # a plain loop: the last day seen in each ISO week wins
        expected[day.isocalendar()[:2]] = day
    got = weekly_participation(frame, weeks=3)
    assert list(got.index) == sorted(expected.values())[-3:]
    assert pd.Timestamp("2025-03-13") in weekly_participation(frame, weeks=4).index


def test_empty_inputs_draw_a_note_instead_of_failing() -> None:
    idx = pd.bdate_range("2025-01-01", periods=3)
    empty = pd.Series([np.nan] * 3, index=idx)
    data = ChartData(
        index_closes=pd.DataFrame({"^GSPC": empty}),
        rs_line=empty,
        run_start=None,
        run_leader=None,
        sector_returns=pd.DataFrame({"1D": [], "MTD": []}),
        ad_line=empty,
        pct_above_50d=empty,
        pct_above_200d=empty,
        net_new_highs=empty,
        mcclellan=empty,
        sector_participation=pd.DataFrame(index=idx),
        watch={"NVDA": pd.DataFrame({"close": empty})},
    )
    drawn = render_charts(data, "zh-CN")
    for name in ("indices", "size_rotation", "sectors", "participation", "watch-nvda"):
        assert "历史数据不足" in _texts(drawn[name].svg), name


def test_unknown_locale_is_refused(data: ChartData) -> None:
    with pytest.raises(ConfigError, match="de-DE"):
        render_charts(data, "de-DE")


def test_current_run_is_shaded_and_named(data: ChartData) -> None:
    from dataclasses import replace

    texts = _texts(render_charts(data, "en-US")["size_rotation"].svg)
    assert "Shaded: Russell 2000 ahead 5 sessions in a row" in texts  # counted from run_start
    longer = replace(data, run_start=str(data.rs_line.index[0].date()), run_length=300)
    texts = _texts(render_charts(longer, "zh-CN")["size_rotation"].svg)
    assert "阴影：罗素2000连续300个交易日领先" in texts  # a run older than the window
    none = replace(data, run_start=None, run_leader=None)
    assert not any("Shaded" in t for t in _texts(render_charts(none, "en-US")["size_rotation"].svg))
    # no run claim under 3 sessions: one or two sessions ahead are not shaded
    for length in (1, 2):
        short = replace(data, run_start=str(data.rs_line.index[-length].date()),
                        run_length=length)
        texts = _texts(render_charts(short, "en-US")["size_rotation"].svg)
        assert not any("Shaded" in t or "in a row" in t for t in texts), length
    three = replace(data, run_start=str(data.rs_line.index[-3].date()), run_length=3)
    assert "Shaded: Russell 2000 ahead 3 sessions in a row" in _texts(
        render_charts(three, "en-US")["size_rotation"].svg)


# -- the bilingual edition's charts ------------------------------------------------------------

#: Chinese runs (characters, full-width punctuation) and English words in a chart's text.
_HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z&'-]*")


@pytest.fixture(scope="module")
def bilingual(data: ChartData) -> dict:
    return render_charts(data, "zh-CN", also="en-US")


def test_a_bilingual_chart_says_every_word_of_both_single_language_charts(
    charts: dict, bilingual: dict
) -> None:
    """Titles, axis labels, panel titles, legends, ticks, row names: whatever the Chinese chart
    and the English chart write, the bilingual chart writes too (before, it drew the Chinese
    chart alone, so its English reader had only the caption)."""
    assert list(bilingual) == list(charts["zh-CN"])
    for name, chart in bilingual.items():
        both = " ".join(_texts(chart.svg))
        zh = " ".join(_texts(charts["zh-CN"][name].svg))
        en = " ".join(_texts(charts["en-US"][name].svg))
        assert set(_HAN.findall(zh)) <= set(_HAN.findall(both)), name
        assert set(_WORD.findall(en)) <= set(_WORD.findall(both)), name
        assert len(set(_WORD.findall(en))) > 3, name  # there are English words to find


def test_a_bilingual_chart_puts_each_language_on_its_own_line(bilingual: dict) -> None:
    texts = {name: _texts(chart.svg) for name, chart in bilingual.items()}
    # the title: the Chinese line, then the English one
    title = texts["indices"].index("主要指数近一年走势（起点 = 100）")
    assert texts["indices"][title + 1] == "Major indices over one year, rebased to 100"
    # the axis label and the month ticks, each word in both (sessions start in January 2025:
    # the first tick is March, with its year)
    for label in ("起点 = 100", "Start = 100", "2025年3月", "Mar 2025", "5月", "May"):
        assert label in texts["indices"], label
    # an end label: the index, its figure in the first language's format, the English name
    assert any(t.startswith("罗素2000 ") for t in texts["indices"]) and "Russell 2000" in texts[
        "indices"]
    for label in ("腾落线", "Advance-decline line", "麦克莱伦振荡指标", "McClellan oscillator"):
        assert label in texts["breadth"], label
    for label in ("收盘价", "Close", "200日均线", "200-day average"):
        assert label in texts["watch-nvda"], label
    assert "Energy" in texts["sectors"] and "能源 XLE" in texts["sectors"]
    assert "阴影：罗素2000连续5个交易日领先" in texts["size_rotation"]
    assert "Shaded: Russell 2000 ahead 5 sessions in a row" in texts["size_rotation"]


def test_a_bilingual_chart_keeps_the_first_languages_figures_and_colours(
    charts: dict, bilingual: dict
) -> None:
    """Red for up on the Chinese reader's charts, in both editions: the colour convention and
    the alt text follow the edition's first language, then give the second's."""
    assert _bar_fills(bilingual["sectors"].svg) == _bar_fills(charts["zh-CN"]["sectors"].svg)
    for name, chart in bilingual.items():
        zh, en = charts["zh-CN"][name], charts["en-US"][name]
        assert chart.alt == f"{zh.alt} {en.alt}", name
        assert chart.title == f"{zh.title} / {en.title}", name
        assert chart.locale == "zh-CN"


def test_a_single_language_chart_has_no_second_language(charts: dict) -> None:
    english = {"Start", "Close", "average", "oscillator", "Mar", "Shaded", "Week"}
    for name, chart in charts["zh-CN"].items():
        assert not english & set(_WORD.findall(" ".join(_texts(chart.svg)))), name
    for name, chart in charts["en-US"].items():
        assert not _HAN.findall(" ".join(_texts(chart.svg))), name


def test_an_empty_bilingual_chart_says_so_in_both_languages() -> None:
    idx = pd.bdate_range("2025-01-01", periods=3)
    empty = pd.Series([np.nan] * 3, index=idx)
    data = ChartData(
        index_closes=pd.DataFrame({"^GSPC": empty}), rs_line=empty, run_start=None,
        run_leader=None, sector_returns=pd.DataFrame({"1D": [], "MTD": []}), ad_line=empty,
        pct_above_50d=empty, pct_above_200d=empty, net_new_highs=empty, mcclellan=empty,
        sector_participation=pd.DataFrame(index=idx),
        watch={"NVDA": pd.DataFrame({"close": empty})},
    )
    drawn = render_charts(data, "zh-CN", also="en-US")
    for name in ("indices", "size_rotation", "sectors", "participation", "watch-nvda"):
        texts = _texts(drawn[name].svg)
        assert "历史数据不足" in texts and "Not enough history" in texts, name
