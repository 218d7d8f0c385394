"""The research portal built from hand-made day folders: pages, links, escaping, Atom feed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reporter import config
from reporter.portal import publish
from reporter.vocabulary import pdf_file_name as edition_file
from tests.support.days import DAYS, make_day
from tests.support.links import broken_links, links_of

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    make_day(out, "2025-12-30", editions=("zh-CN", "en-US"))
    make_day(out, "2025-07-03", editions=("bilingual",))
    return out


def _pages(out: Path) -> list[Path]:
    return (sorted(out.glob("index*.html")) + sorted(out.glob("*/index*.html"))
            + sorted(out.glob("*/*/index*.html")))


def test_pages_for_every_day_in_both_languages_newest_first(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    result = publish(out, config.load())
    assert result.days == ["2025-12-31", "2025-12-30", "2025-07-03"]
    assert result.warnings == []
    for name in ("index.html", "index.en.html", "feed.xml", "feed.en.xml"):
        assert (out / name).is_file(), name
    for day in result.days:
        assert (out / day / "index.html").is_file()
        assert (out / day / "index.en.html").is_file()

    zh = (out / "index.html").read_text("utf-8")
    en = (out / "index.en.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in zh and '<html lang="en-US">' in en
    # newest first, long dates in each locale's form
    positions = [zh.index(d) for d in ("2025年12月31日", "2025年12月30日", "2025年7月3日")]
    assert positions == sorted(positions)
    positions = [en.index(d) for d in ("December 31, 2025", "December 30, 2025", "July 3, 2025")]
    assert positions == sorted(positions)
    # the language switch: plain links between the two front pages
    assert 'href="index.en.html"' in zh and 'href="index.html"' in en
    # tone and key data points, localised
    assert "基调：偏空" in zh and "标普500下跌0.74%，收于6,845.50点" in zh
    assert "Tone: Negative" in en and "S&amp;P 500 fell 0.74% to 6,845.50" in en
    # figures formatted by hand: 6845.5 -> 6,845.50; -0.0074 -> -0.74%; +0.0123 -> +1.23%
    for page in (zh, en):
        assert "6,845.50" in page and "-0.74%" in page and "+1.23%" in page


def test_links_to_exactly_the_editions_present(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    publish(out, config.load())
    zh_links, scripts = links_of((out / "index.html").read_text("utf-8"))
    assert scripts == 0
    # the front page leads with the newest day: its editions, no other day's
    assert sorted(x for x in zh_links if x.endswith(".pdf")) == sorted(
        "2025-12-31/" + edition_file("2025-12-31", e) for e in ("zh-CN", "en-US", "bilingual"))
    day_links, _ = links_of((out / "2025-12-30" / "index.html").read_text("utf-8"))
    assert sorted(x for x in day_links if x.endswith(".pdf")) == [
        edition_file("2025-12-30", "en-US"), edition_file("2025-12-30", "zh-CN")]
    day_links, _ = links_of((out / "2025-07-03" / "index.en.html").read_text("utf-8"))
    assert [x for x in day_links if x.endswith(".pdf")] == [
        edition_file("2025-07-03", "bilingual")]


def test_every_link_resolves_and_nothing_is_external(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    publish(out, config.load())
    pages = _pages(out)
    # fronts; 3 days; archive, topics and search with their indexes: in both languages
    months = {"2025-12", "2025-07"}
    assert {p.parent.name for p in out.glob("archive/*/index*.html")} == months
    assert len(pages) == 2 * (1 + 3 + 1 + len(months) + 1 + 1) + len(list(
        out.glob("topics/*/index*.html")))
    for page in pages:
        html = page.read_text("utf-8")
        assert broken_links(page) == [], page
        _, scripts = links_of(html)
        assert scripts == (1 if page.parent.name == "search" else 0), page  # search only
        assert "<style>" in html and 'rel="stylesheet"' not in html  # inline CSS only


def test_day_page_has_the_sections_and_neighbours(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    publish(out, config.load())
    page = (out / "2025-12-30" / "index.en.html").read_text("utf-8")
    for text in ("Insight one", "Risk one", "Opportunity one", "Market overview",
                 "Month to date", "Year to date", "report.json"):
        assert text in page
    assert 'href="../2025-12-31/index.en.html"' in page  # newer
    assert 'href="../2025-07-03/index.en.html"' in page  # older
    assert 'href="../index.en.html"' in page
    # a null MTD is shown as a dash, never as 0
    assert "—" in page


def test_market_colours_follow_each_locale(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    publish(out, config.load())
    red, green = "#c62828", "#1e7b34"  # the colours of the charts and the PDF
    # Russell 2000 rose 1.23% (up), the S&P 500 fell 0.74% (down): on the front page's table
    zh, en = (out / "index.html").read_text("utf-8"), (out / "index.en.html").read_text("utf-8")
    assert f'style="color: {red}">+1.23%' in zh and f'style="color: {green}">-0.74%' in zh
    assert f'style="color: {green}">+1.23%' in en and f'style="color: {red}">-0.74%' in en
    # and in the note on the day page: classed cells, the colours from the locale's stylesheet
    zh = (out / "2025-12-31" / "index.html").read_text("utf-8")
    en = (out / "2025-12-31" / "index.en.html").read_text("utf-8")
    assert '<td class="chg up">+1.23%</td>' in zh and '<td class="chg down">-0.74%' in zh
    assert f"--up: {red}; --down: {green}" in zh and f"--up: {green}; --down: {red}" in en


def test_strings_from_data_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from reporter.model import RenderedText

    evil = '<script>alert("x")</script> & <b>bold</b>'

    def texts(report: dict) -> dict[str, RenderedText]:
        return {loc: RenderedText(loc, "T<1>", (evil,), (), (), (), ("<i>tag</i>",))
                for loc in ("zh-CN", "en-US")}

    monkeypatch.setattr("reporter.portal.texts.day_texts", texts)
    out = tmp_path / "out"
    make_day(out, "2025-12-31", indices={"<IMG>": {"close": 1.0, "return_1d": 0.0,
                                                   "return_mtd": None, "return_ytd": None}})
    publish(out, config.load())
    for page in _pages(out):
        html = page.read_text("utf-8")
        assert "<script>" not in html and "<b>bold" not in html and "<IMG>" not in html
        assert "<i>tag" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in (
        out / "index.html").read_text("utf-8")
    # the feed is XML: parsing gives back the HTML fragment, whose text is still escaped
    root = ET.parse(out / "feed.xml").getroot()
    content = root.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text is not None
    assert "&lt;script&gt;" in content.text and "<script" not in content.text
    assert root.find(f"{ATOM}entry/{ATOM}category").get("term") == "<i>tag</i>"


def test_atom_feed_is_valid_and_dated_from_the_data(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    cfg = config.load()
    publish(out, cfg)
    for name, locale in (("feed.xml", "zh-CN"), ("feed.en.xml", "en-US")):
        root = ET.parse(out / name).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == locale
        for tag in ("id", "title", "updated"):
            assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
        assert root.find(f"{ATOM}author/{ATOM}name").text == cfg.report.author
        # 16:00 in New York: EST (UTC-5) on 31 December, EDT (UTC-4) on 3 July
        assert root.find(f"{ATOM}updated").text == "2025-12-31T21:00:00Z"
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 3
        updated = [e.find(f"{ATOM}updated").text for e in entries]
        assert updated == ["2025-12-31T21:00:00Z", "2025-12-30T21:00:00Z",
                           "2025-07-03T20:00:00Z"]
        ids = [e.find(f"{ATOM}id").text for e in entries]
        assert len(set(ids)) == 3
        assert ids[0] == f"tag:market-breadth.invalid,2026:portal/{locale}/2025-12-31"
        for e in entries:
            assert RFC3339.fullmatch(e.find(f"{ATOM}updated").text)
            assert len(e.findall(f"{ATOM}id")) == 1 and len(e.findall(f"{ATOM}title")) == 1
            alt = [x for x in e.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
            assert len(alt) == 1 and (out / alt[0].get("href")).is_file()
            for enc in (x for x in e.findall(f"{ATOM}link") if x.get("rel") == "enclosure"):
                target = out / enc.get("href")
                assert int(enc.get("length")) == target.stat().st_size
            assert e.find(f"{ATOM}content").get("type") == "html"
        first = entries[0]
        if locale == "zh-CN":
            # the headline titles the entry; a day without one is titled by its tone
            assert first.find(f"{ATOM}title").text == "市场广度 2025年12月31日——" + DAYS[
                "2025-12-31"]["headline"]["zh"]
            assert "罗素2000逆势上涨1.23%" in first.find(f"{ATOM}content").text
        else:
            assert first.find(f"{ATOM}title").text == "Market breadth, December 31, 2025 — " + DAYS[
                "2025-12-31"]["headline"]["en"]
            assert "Russell 2000 rose 1.23%" in first.find(f"{ATOM}content").text


def test_feed_keeps_the_newest_entries_and_uses_the_base_url(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    cfg = config.load()
    portal = cfg.portal.model_copy(update={"feed_entries": 2, "base_url": "https://r.example/b/"})
    publish(out, cfg.model_copy(update={"portal": portal}))
    root = ET.parse(out / "feed.en.xml").getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") == "https://r.example/b/"
    days = [e.find(f"{ATOM}id").text.rsplit("/", 1)[1] for e in root.findall(f"{ATOM}entry")]
    assert days == ["2025-12-31", "2025-12-30"]


def test_front_page_leads_with_the_newest_day_then_a_compact_list(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    cfg = config.load()
    publish(out, cfg.model_copy(update={"portal": cfg.portal.model_copy(
        update={"detailed_days": 1})}))
    en = (out / "index.en.html").read_text("utf-8")
    zh = (out / "index.html").read_text("utf-8")
    # the newest day leads: headline, summary (sentences joined as each language writes),
    # key points
    assert en.index("Small caps rise against a falling market") < en.index("Key data points")
    assert "The Russell 2000 rose 1.23%. The S&amp;P 500 fell 0.74%." in en
    assert "罗素2000上涨1.23%。标普500下跌0.74%。" in zh
    assert "Russell 2000 rose 1.23% against the tide" in en
    # then one line per earlier day (detailed_days = 1): date, tone, its first key point
    older = en[en.index("Earlier reports"):]
    assert "December 30, 2025" in older and "Positive" in older
    assert "S&amp;P 500 rose 0.11%" in older
    assert "Small caps lagged" not in en and "July 3, 2025" not in older.split("Archive")[0]
    # the rest are in the archive by month
    july = (out / "archive" / "2025-07" / "index.en.html").read_text("utf-8")
    assert "July 3, 2025" in july and 'href="../../2025-07-03/index.en.html"' in july
    assert "S&amp;P 500 closed at an all-time high" in july


def test_topic_pages_list_their_days_and_empty_ones_go(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    publish(out, config.load())
    # every day of the hand-made text is tagged "small caps" and "sector rotation" (小盘股,
    # 板块轮动): a page per topic and language, named after the English label
    for slug, zh_label in (("small-caps", "小盘股"), ("sector-rotation", "板块轮动")):
        zh = (out / "topics" / slug / "index.html").read_text("utf-8")
        en = (out / "topics" / slug / "index.en.html").read_text("utf-8")
        assert f"主题：{zh_label}" in zh
        for day in ("2025-12-31", "2025-12-30", "2025-07-03"):
            assert f'href="../../{day}/index.html"' in zh
            assert f'href="../../{day}/index.en.html"' in en
    # each day's page links its topics
    day = (out / "2025-12-30" / "index.en.html").read_text("utf-8")
    assert 'href="../topics/small-caps/index.en.html"' in day
    index = (out / "topics" / "index.en.html").read_text("utf-8")
    assert 'href="small-caps/index.en.html"' in index
    # a page the portal made for a topic no day carries any more is removed; a page it did
    # not make is left alone
    stale, mine = out / "topics" / "old-story", out / "topics" / "my-notes"
    page = (out / "topics" / "small-caps" / "index.html").read_text("utf-8")
    for folder in (stale, mine):
        folder.mkdir()
    (stale / "index.html").write_text(page)
    (stale / "index.en.html").write_text(page)
    (mine / "index.html").write_text("<html>my own page</html>")
    result = publish(out, config.load())
    assert sorted(result.removed) == ["topics/old-story/index.en.html",
                                      "topics/old-story/index.html"]
    assert not stale.exists() and (mine / "index.html").read_text() == "<html>my own page</html>"


def test_unreadable_days_are_skipped_with_a_warning(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    (out / "2025-12-29").mkdir()
    (out / "2025-12-29" / "report.json").write_text("{not json")
    (out / "2025-12-26").mkdir()  # no report.json at all
    (out / "2025-12-24").mkdir()
    (out / "2025-12-24" / "report.json").write_text(json.dumps({"as_of": "2025-12-23"}))
    (out / ".2025-12-22.partial-1").mkdir()  # a run in progress: not a day folder
    (out / "notes").mkdir()
    result = publish(out, config.load())
    assert result.days == ["2025-12-31", "2025-12-30", "2025-07-03"]
    assert len(result.warnings) == 3
    for day in ("2025-12-29", "2025-12-26", "2025-12-24"):
        assert any(day in w for w in result.warnings), day
        assert day not in (out / "index.html").read_text("utf-8")


def test_a_day_without_text_keeps_its_figures_and_links(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    def broken(report: dict) -> dict:
        raise KeyError("insights")

    monkeypatch.setattr("reporter.portal.texts.day_texts", broken)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    result = publish(out, config.load())
    assert result.days == ["2025-12-31"]
    assert len(result.warnings) == 1 and "2025-12-31" in result.warnings[0]
    zh = (out / "index.html").read_text("utf-8")
    assert "基调：偏空" in zh  # the tone label from the portal's own catalog
    assert "6,845.50" in zh and edition_file("2025-12-31", "bilingual") in zh


def test_publishing_is_deterministic_and_rewrites_only_changes(tmp_path: Path, texts: None):
    out = _site(tmp_path)
    cfg = config.load()
    first = publish(out, cfg)
    snapshot = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = publish(out, cfg)
    assert second.written == []
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot
    assert not [p for p in out.rglob(".*tmp*")]  # no temporary files left behind
    make_day(out, "2025-12-31")  # the same day written again: nothing changes
    assert publish(out, cfg).written == []
    assert set(first.written) >= {"index.html", "feed.xml", "2025-12-31/index.html"}
    # the front pages are written after the pages they link to
    assert first.written.index("index.html") > first.written.index("2025-12-31/index.html")


def test_an_empty_output_folder_gives_an_empty_portal(tmp_path: Path, texts: None):
    out = tmp_path / "out"
    out.mkdir()
    result = publish(out, config.load())
    assert result.days == []
    assert "暂无报告" in (out / "index.html").read_text("utf-8")
    root = ET.parse(out / "feed.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []
    assert RFC3339.fullmatch(root.find(f"{ATOM}updated").text)


def test_file_names_are_the_documented_ones():
    for edition in ("zh-CN", "en-US", "bilingual"):
        assert edition_file("2025-12-31", edition) == f"market-breadth_2025-12-31_{edition}.pdf"


def test_the_headline_titles_the_entry_and_the_summary_opens_the_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The day's headline is its feed entry's title; the summary follows it on the page."""
    from reporter.model import RenderedText

    def with_headline(rep: dict) -> dict[str, RenderedText]:
        return {
            "zh-CN": RenderedText("zh-CN", "中性", ("要点",), (), (), (), (),
                                  headline="普涨：标普500指数上涨1.0%。",
                                  summary=("第一句。", "第二句。")),
            "en-US": RenderedText("en-US", "Neutral", ("Point",), (), (), (), (),
                                  headline="Broad rally: the S&P 500 rose 1.0%.",
                                  summary=("First sentence.", "Second sentence.")),
        }

    monkeypatch.setattr("reporter.portal.texts.day_texts", with_headline)
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    publish(out, config.load())
    en = (out / "2025-12-30" / "index.en.html").read_text("utf-8")
    zh = (out / "2025-12-30" / "index.html").read_text("utf-8")
    assert "Broad rally: the S&amp;P 500 rose 1.0%." in en
    assert "First sentence. Second sentence." in en  # a space between English sentences
    assert "第一句。第二句。" in zh  # none between Chinese ones
    assert en.index("Broad rally") < en.index("Point")
    feed = ET.parse(out / "feed.en.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Market breadth, December 30, 2025 — Broad rally: the S&P 500 rose 1.0%."]
    zh_feed = ET.parse(out / "feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in zh_feed.iter(f"{ATOM}entry")] == [
        "市场广度 2025年12月30日——普涨：标普500指数上涨1.0%。"]


def test_a_day_page_is_made_anew_only_when_what_it_shows_changed(tmp_path: Path, texts: None):
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    make_day(out, "2025-07-03")
    cfg = config.load()
    publish(out, cfg)
    # a new day: its pages, and the page of the day before it (a "newer" link appears)
    make_day(out, "2025-12-31")
    written = publish(out, cfg).written
    day_pages = sorted(n for n in written if n.startswith("2025-") and n.count("/") == 1)
    assert day_pages == ["2025-12-30/index.en.html", "2025-12-30/index.html",
                         "2025-12-31/index.en.html", "2025-12-31/index.html"]
    assert 'href="../2025-12-31/index.html"' in (out / "2025-12-30" / "index.html").read_text()
    # a figure of one day changes: that day's pages, no other day's
    report = json.loads((out / "2025-07-03" / "report.json").read_text())
    report["indices"]["^GSPC"]["close"] = 6300.25
    (out / "2025-07-03" / "report.json").write_text(json.dumps(report))
    written = publish(out, cfg).written
    assert sorted(n for n in written if n.startswith("2025-")) == [
        "2025-07-03/index.en.html", "2025-07-03/index.html"]
    assert "6,300.25" in (out / "2025-07-03" / "index.en.html").read_text()
    # the key in a page says what it was made from: a page with a matching key is kept as it
    # is (publishing never compares the whole text), one without is made anew
    page = out / "2025-12-30" / "index.en.html"
    page.write_text(page.read_text().replace("Insight one", "Edited"))
    assert publish(out, cfg).written == []
    (out / "2025-12-30" / "index.en.html").write_text("<html>no key</html>")
    assert publish(out, cfg).written == ["2025-12-30/index.en.html"]
