"""The HTML of an edition: gettext text, Babel figures, escaped data, CSS kept out of escaping."""

from __future__ import annotations

import copy
import re

import pytest
from babel.numbers import format_decimal, format_percent

from reporter.render.bilingual import bilingual_environment
from reporter.render.html import (
    ChartRef,
    created_timestamp,
    css_string,
    note_context,
    page_css_content,
    render_html,
    render_page_css,
    render_template,
)
from reporter.vocabulary import GREEN, RED
from tests.support.synthetic import make_report, make_texts


@pytest.fixture(scope="module")
def report() -> dict:
    return make_report(is_sample=True)


def _html(report: dict, locale: str) -> str:
    return render_html(report, make_texts()[locale], {}, locale=locale, title="Market Breadth",
                       author="Desk")


def _unkept(html: str) -> str:
    """The markup without the spans that keep a Chinese figure with its unit."""
    while '<span class="keep">' in html:
        html = re.sub(r'<span class="keep">([^<]*)</span>', r"\1", html)
    return html


def test_language_and_sections_per_locale(report: dict) -> None:
    zh, en = _html(report, "zh-CN"), _html(report, "en-US")
    assert '<html lang="zh-CN">' in zh and '<html lang="en-US">' in en
    for heading in ("关键数据", "市场概览", "大小盘轮动：小盘股相对大盘股", "行业", "市场参与度",
                    "龙头股技术面", "市场观察", "风险", "机会", "数据与方法", "免责声明"):
        assert f">{heading}</h2>" in zh, heading
    assert ">Key data points</h2>" in en and ">Disclaimer</h2>" in en
    assert "<h1" in zh and zh.index("<h1") < zh.index("<h2")


def test_figures_are_formatted_with_babel_per_locale(report: dict) -> None:
    for locale in ("zh-CN", "en-US"):
        html = _html(report, locale)
        babel = locale.replace("-", "_")
        close = format_decimal(report["indices"]["^GSPC"]["close"], "#,##0.00", locale=babel)
        assert close in html
        r1d = format_percent(report["indices"]["^RUT"]["return_1d"], "+#,##0.00%", locale=babel)
        assert f'<td class="chg up">{r1d}</td>' in html
        s1d = format_percent(report["indices"]["^GSPC"]["return_1d"], "#,##0.00%", locale=babel)
        assert f'<td class="chg down">{s1d}</td>' in html
    # spreads: broadening side minus narrow side, in a column of percentage points
    labels = (("zh-CN", "小盘减大盘（百分点）", "等权重减超大盘（百分点）"),
              ("en-US", "Small minus large, pp", "Equal weight minus mega cap, pp"))
    for locale, small, equal in labels:
        html = _html(report, locale)
        assert small in html and equal in html
        assert '<td class="chg up">+1.58</td>' in html  # Russell 2000 - S&P 500: +1.58 pp
        # the report holds mega minus equal weight (-1.04 pp); the table shows it the other way
        assert '<td class="chg up">+1.04</td>' in html
    assert "2025年12月31日" in _html(report, "zh-CN")
    assert "December 31, 2025" in _html(report, "en-US")
    assert "503只成分股中有498只" in _unkept(_html(report, "zh-CN"))
    assert "498 of 503 members" in _html(report, "en-US")


def test_sentences_join_per_language(report: dict) -> None:
    zh, en = _html(report, "zh-CN"), _html(report, "en-US")
    assert "跑赢标普500。为2025年7月18日以来最长的一轮。" in _unkept(zh)
    # the template's own sentences keep their figures too (a date, an index name)
    assert '跑赢<span class="keep">标普500</span>。为<span class="keep">2025年7月18日</span>' in zh
    assert "since December 24, 2025. It is the longest such run since July 18, 2025." in en


def _size_section(html: str) -> str:
    start = html.index('<section class="size-rotation">')
    return _unkept(html[start:html.index('<section class="sectors">', start)])


@pytest.mark.parametrize("length", [1, 2])
def test_no_run_claim_under_three_sessions(report: dict, length: int) -> None:
    """One or two sessions ahead is the day's result: the size section says who beat whom on
    the day, with no "in a row" and no "longest since" (the chart shades no run either)."""
    short = copy.deepcopy(report)
    short["size_rotation"]["run"].update(length=length, longest_since="2025-07-18")
    short["size_rotation"]["mega_vs_equal"]["run"].update(length=length)
    en = _size_section(_html(short, "en-US"))
    zh = _size_section(_html(short, "zh-CN"))
    assert "Russell 2000 beat S&amp;P 500 on the day." in en
    assert "罗素2000当日跑赢标普500。" in zh
    for html in (en, zh):
        assert "in a row" not in html and "longest such run" not in html
        assert "has led for" not in html
        assert "个交易日跑赢" not in html and "个交易日领先" not in html
        assert "以来最长" not in html
    # from three sessions the run and its context are stated
    short["size_rotation"]["run"].update(length=3)
    assert "for 3 sessions in a row" in _size_section(_html(short, "en-US"))


def test_data_strings_are_escaped(report: dict) -> None:
    hostile = copy.deepcopy(report)
    hostile["source"].update(name="csv", is_sample=False,
                             description='<img src="file:///etc/passwd">')
    hostile["warnings"] = ["<script>alert(1)</script>"]
    hostile["coverage"]["members_missing"] = ["<b>X</b>"]
    html = _html(hostile, "en-US")
    assert "<script>" not in html and '<img src="file' not in html and "<b>X</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the source's description is for the log: the note names the source by its kind
    assert "passwd" not in html and "Source: CSV files." in html


def test_a_change_cell_is_classed_by_direction_in_every_language() -> None:
    """The bilingual edition's change cell: one cell, coloured by the sign, holding the figure
    once where both languages write it alike and once per language where they do not."""
    cell = bilingual_environment(("zh-CN", "en-US")).filters["chg_cell"]
    assert str(cell(0.0123, "pct", 2)) == '<td class="chg up">+1.23%</td>'
    assert str(cell(-0.002, "pp", 1)) == (
        '<td class="chg down"><span class="lang-part" lang="zh-CN">-0.2个百分点</span> '
        '<span class="lang-part" lang="en-US">-0.2 pp</span></td>'
    )
    assert str(cell(None)) == '<td class="chg na">—</td>'


def test_a_headline_keeps_its_last_words_together() -> None:
    """No last line of one word, or of a character and its stop: English joins its last two
    words with a no-break space; Chinese keeps its last six characters in one unbreakable span,
    moved back so as not to cut a figure; a short title is left as it is."""
    from reporter.render.html import filter_table

    english = filter_table("en-US")["keep_end"]
    assert str(english("Broad decline: the S&P 500 fell 0.7% as 482 declined.")) == (
        "Broad decline: the S&amp;P 500 fell 0.7% as 482\u00a0declined.")
    assert str(english("Small caps led")) == "Small caps led"  # three words: no last line
    chinese = filter_table("zh-CN")["keep_end"]
    line = "普跌：标普500指数下跌0.7%，503只标普500成分股中482只下跌。"
    assert str(chinese(line)) == (
        "普跌：标普500指数下跌0.7%，503只标普500成分股中<span class=\"keep\">482只下跌。</span>")
    assert str(chinese("罗素2000指数上涨1.2%。")) == "罗素2000指数上涨1.2%。"
    # the kept end moves back to the start of a figure and its unit, not into it
    assert str(chinese("小盘股跑赢大盘股并连续五日领先，差距1.25个百分点")).endswith(
        '差距<span class="keep">1.25个百分点</span>')
    from reporter.render.bilingual import Both

    both = bilingual_environment(("zh-CN", "en-US")).filters["keep_end"]
    shown = both(Both({"zh-CN": line, "en-US": "The S&P 500 fell 0.7%."})).__html__()
    assert shown == ('<span class="lang-part" lang="zh-CN">普跌：标普500指数下跌0.7%，503只标普500'
                     '成分股中<span class="keep">482只下跌。</span></span> '
                     '<span class="lang-part" lang="en-US">The S&amp;P 500 fell\u00a00.7%.</span>')


def test_a_chinese_figure_stays_on_one_line_with_its_unit() -> None:
    """A line may break between any two Chinese characters: "1.2个百分点" could end a line on
    "个百分", "20日均量" on "20". Each figure is kept with its unit, the name it ends and a
    date's parts; a bare figure, tags, the head, inline SVG and English are left alone."""
    from reporter.render.html import bind_figures

    k = '<span class="keep">{}</span>'.format
    assert bind_figures("<p>小盘股跑赢1.2个百分点，已连续3个交易日。</p>") == (
        f"<p>小盘股跑赢{k('1.2个百分点')}，已连续{k('3个交易日')}。</p>")
    assert bind_figures("成交量为20日均量的1.5倍，-0.4%的跌幅") == (
        f"成交量为{k('20日均量')}的{k('1.5倍')}，-0.4%的跌幅")
    assert bind_figures("自2025年4月9日以来，标普500第2次") == (
        f"自{k('2025年4月9日')}以来，{k('标普500')}{k('第2次')}")
    assert bind_figures("上涨1.2%") == "上涨1.2%"
    marked = '<td class="chg up" title="3只">+1.2%</td><a href="#s2">3只</a>'
    assert bind_figures(marked) == (
        f'<td class="chg up" title="3只">+1.2%</td><a href="#s2">{k("3只")}</a>')
    untouched = ('<head><title>3只</title><style>p::after{content:"3只"}</style></head>'
                 '<svg viewBox="0 0 9 9"><text>3只</text></svg>')
    assert bind_figures(untouched + "<p>3只</p>") == untouched + f"<p>{k('3只')}</p>"
    english = "<p>Up 1.2 pp over 3 sessions; 482 of 503 members (S&amp;P 500) fell.</p>"
    assert bind_figures(english) == english


def test_an_edition_in_chinese_keeps_its_figures_with_their_units(report: dict) -> None:
    """The Chinese and the bilingual HTML bind figures everywhere in the text (sentences from
    the findings and from the templates alike); the English HTML is not touched."""
    zh, en = _html(report, "zh-CN"), _html(report, "en-US")
    assert '<span class="keep">503只</span>成分股中有<span class="keep">498只</span>' in zh
    assert '<span class="keep">' not in en.replace('<span class="keep">', "", 1)  # the headline's
    from reporter.render.bilingual import bilingual_context, render_bilingual_html

    texts = make_texts()
    both = render_bilingual_html(bilingual_context(report, [texts["zh-CN"], texts["en-US"]], {},
                                                   title="Market Breadth", author="Desk"),
                                 ("zh-CN", "en-US"))
    assert '<span class="keep">503只</span>成分股中有<span class="keep">498只</span>' in both
    assert "498 of 503 members" in both


def test_the_gap_column_names_its_unit_and_each_cell_holds_one_figure(report: dict) -> None:
    """"Who carried it": the unit is in the header ("Gap, pp" / "差距（百分点）"), so a cell is
    one signed figure, written alike in both languages: the bilingual cell shows it once
    (it showed "+0.2个百分点" over "+0.2 pp")."""
    from reporter.render.bilingual import bilingual_context, render_bilingual_html

    data = copy.deepcopy(report)
    data["quality"] = {  # the section shows with a quality block; its figures are not read here
        "up_volume_day": False, "down_volume_day": False, "volume_vs_20d": 1.0,
        "volume_vs_50d": 1.0, "volume_median_ratio_20d": 1.0, "volume_median_ratio_50d": 1.0,
        "volume_base_20d": 503, "volume_base_50d": 503, "close_top_quarter": 0.3,
        "close_bottom_quarter": 0.2, "close_range_base": 503, "index_moves": {},
        "realized_volatility_20d": 0.1, "vix": 15.0, "implied_minus_realized": 0.05,
        "implied_to_realized": 1.5,
    }
    data["sector_carry"] = [{
        "sector": "Information Technology", "etf": "XLK", "etf_return_1d": -0.0099,
        "median_return_1d": -0.0121, "gap": 0.00217, "members_used": 71, "largest_used": 10,
        "movers": [{"symbol": "APP", "return_1d": -0.0287, "dollar_volume_20d": 2.4e9}],
    }]
    cells = '<td class="chg down">-1.0%</td>\n        <td class="chg down">-1.2%</td>\n' \
        '        <td class="chg up">+0.2</td>'  # -0.99%, -1.21% and 0.217 pp, by hand
    for locale, header in (("en-US", "Gap, pp"), ("zh-CN", "差距（百分点）")):
        html = _html(data, locale)
        assert f'<th scope="col">{header}</th>' in html
        assert cells in html, locale
    texts = make_texts()
    both = render_bilingual_html(bilingual_context(data, [texts["zh-CN"], texts["en-US"]], {},
                                                   title="T", author="A"), ("zh-CN", "en-US"))
    assert '<td class="chg up">+0.2</td>' in both


def test_a_bilingual_table_cell_writes_a_figure_pair_per_language_and_a_date_once(
    report: dict,
) -> None:
    """The up / down volume cell held "1.27亿", "126.88M", "/", "16.14亿" and "1.61B" each on
    a line of its own; now the pair per language, one line each. A table's date is written
    once, as 2023-11-03, in the bilingual edition (it stacked 2023年11月3日 over Nov 3, 2023),
    and in each language's own way in the others."""
    from reporter.render.bilingual import bilingual_context, render_bilingual_html

    data = copy.deepcopy(report)
    data["breadth"].update(up_volume=126_880_000, down_volume=1_614_000_000,
                           zweig_thrust_last="2023-11-03")
    texts = make_texts()
    both = render_bilingual_html(bilingual_context(data, [texts["zh-CN"], texts["en-US"]], {},
                                                   title="T", author="A"), ("zh-CN", "en-US"))
    # 126,880,000 = 1.2688亿 = 126.88M; 1,614,000,000 = 16.14亿 = 1.614B (by hand)
    assert ('<td><span class="lang-part" lang="zh-CN">1.27亿 / 16.14亿</span> '
            '<span class="lang-part" lang="en-US">126.88M / 1.61B</span></td>') in _unkept(both)
    assert "<td>2023-11-03</td>" in both and "2023年11月3日" not in both
    assert "<td>2023年11月3日</td>" in _unkept(_html(data, "zh-CN"))
    assert "<td>Nov 3, 2023</td>" in _html(data, "en-US")


@pytest.mark.parametrize(("now", "then", "en", "zh"), [
    (0.5709, 0.6228, "57.1% of members are above their 50-day average, down from 62.3% five "
     "sessions ago.", "57.1%的成分股站上50日均线，低于5个交易日前的62.3%。"),
    (0.4402, 0.3951, "44.0% of members are above their 50-day average, up from 39.5% five "
     "sessions ago.", "44.0%的成分股站上50日均线，高于5个交易日前的39.5%。"),
    # 57.08% and 57.12% both show as 57.1%: no direction claimed between equal figures
    (0.5708, 0.5712, "57.1% of members are above their 50-day average, as five sessions ago.",
     "57.1%的成分股站上50日均线，与5个交易日前持平。"),
])
def test_a_breadth_story_leads_with_the_breadth_chart_titled_with_its_direction(
    report: dict, now: float, then: float, en: str, zh: str
) -> None:
    """On a day told by its breadth, the brief's chart is the breadth panels, titled with the
    share above the 50-day average against five sessions before; the direction word follows
    the figures as shown. The appendix does not show the chart again."""
    data = copy.deepcopy(report)
    data["insights"] = {"story": {"id": "broad_selloff"}}
    data["breadth"].update(pct_above_50d=now, pct_above_50d_5d_ago=then)
    charts = {name: ChartRef(f"report://charts/{name}", f"alt {name}", name)
              for name in ("breadth", "size_rotation")}
    for locale, heading in (("en-US", en), ("zh-CN", zh)):
        context = note_context(data, make_texts()[locale], charts, locale=locale, title="T",
                               author="A")
        html = _unkept(render_template("report.html", context))
        assert f'<p class="figure-title">{heading}</p>' in html, locale
        assert html.count('src="report://charts/breadth"') == 1
        assert html.index('id="lead-breadth"') < html.index('id="appendix"')
        assert 'id="lead-size_rotation"' not in html
        assert html.count('src="report://charts/size_rotation"') == 1  # in the appendix


def test_missing_figures_show_a_dash_not_a_guess(report: dict) -> None:
    gaps = copy.deepcopy(report)
    gaps["indices"]["^DJI"]["return_1y"] = None
    gaps["breadth"]["trin"] = None
    html = _html(gaps, "en-US")
    assert '<td class="chg na">—</td>' in html
    assert re.search(r"\b(None|nan|NaN|null)\b", html) is None


def test_page_css_per_locale_and_paper() -> None:
    zh = render_page_css("zh-CN", "a4", sample=True)
    en = render_page_css("en-US", "letter", sample=False)
    assert f"--up: {RED}" in zh and f"--down: {GREEN}" in zh
    assert f"--up: {GREEN}" in en and f"--down: {RED}" in en
    assert "size: A4 portrait" in zh and "size: letter portrait" in en
    assert '"第 " counter(page) " 页，共 " counter(pages) " 页"' in zh
    assert '"Page " counter(page) " of " counter(pages)' in en
    assert "element(sample-mark)" in zh and "element(sample-mark)" not in en


def test_css_strings_cannot_break_out() -> None:
    assert css_string('a"b') == '"a\\22 b"'
    assert css_string("x\\y\n}") == '"x\\5c y\\a }"'
    assert page_css_content("%(pages)s/%(page)s") == 'counter(pages) "/" counter(page)'


def test_creation_date_is_never_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert created_timestamp("2025-12-31") == "2025-12-31T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert created_timestamp("2025-12-31") == "2026-01-01T00:00:00Z"


_WEEK = ["2025-12-19", "2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29"]


@pytest.mark.parametrize(("week", "calendar_week"), [
    (None, False),  # no week figures
    ({"is_week_end": True, "week_start": "2025-12-22", "sessions": _WEEK}, True),
    ({"is_week_end": False, "week_start": "2025-12-22", "sessions": _WEEK}, False),  # midweek
    ({"is_week_end": True, "week_start": "2025-12-23", "sessions": _WEEK}, False),  # short week
])
def test_the_five_sessions_are_called_the_week_only_when_they_are(
        report: dict, week: dict | None, calendar_week: bool) -> None:
    import dataclasses

    data = copy.deepcopy(report)
    if week is not None:
        data["week"] = week
    for locale, name, heading, other in (("en-US", "Week", "The week", "5 days"),
                                         ("zh-CN", "本周", "本周回顾", "5日")):
        text = dataclasses.replace(make_texts()[locale], summary=("s",), week=("x",))
        html = _unkept(render_html(data, text, {}, locale=locale, title="T", author="A"))
        assert (f'<th scope="col">{name}</th>' in html) is calendar_week, (locale, week)
        assert (f'<th scope="col">{other}</th>' in html) is not calendar_week, (locale, week)
        assert (f'<span class="label">{heading}</span>' in html) is calendar_week, locale
