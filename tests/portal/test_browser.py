"""The portal in a real browser: headless Chromium, as a phone (390 px) and a desktop (1280 px).

Day folders are made like a run makes them: a report.json, the charts drawn by the chart stage
(SVG), the PDFs (small stand-ins); the text is hand-written (each day names different things).
Set ``REPORTER_SHOTS`` to a folder to keep the screenshots.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from reporter import config
from reporter.model import RenderedText
from reporter.portal import publish
from reporter.vocabulary import GREEN, RED, pdf_file_name
from tests.support.browser import Browser, Page, find_chromium
from tests.support.days import pdf_bytes
from tests.support.synthetic import make_chart_data, make_report, make_texts

#: The days of the site, and a word only that day's text uses.
DAYS = {"2025-12-31": ("capitulation", "投降式抛售"), "2025-12-30": ("whipsaw", "拉锯行情"),
        "2025-11-28": ("doldrums", "清淡")}
WIDTHS = (390, 1280)
SECTIONS = {"zh-CN": ("关键数据", "市场概览", "行业", "市场参与度", "龙头股技术面", "风险",
                      "数据与方法", "免责声明"),
            "en-US": ("Key data points", "Market overview", "Sectors", "Breadth of participation",
                      "Bellwether technicals", "Risks", "Data and method", "Disclaimer")}


def day_texts(report: dict) -> dict[str, RenderedText]:
    """Hand-written text per day: the sample sentences plus a headline, a summary and a key
    point naming the day's own word."""
    en_word, zh_word = DAYS[report["as_of"]]
    base = make_texts()
    return {
        "zh-CN": replace(base["zh-CN"], headline=f"{report['as_of']}：{zh_word}",
                         summary=("小盘股领涨。", "市场参与度改善。"),
                         key_points=(f"今日关键词：{zh_word}。", *base["zh-CN"].key_points)),
        "en-US": replace(base["en-US"], headline=f"{report['as_of']}: a {en_word} session",
                         summary=("Small caps led.", "Participation improved."),
                         key_points=(f"Today's word: {en_word}.", *base["en-US"].key_points)),
    }


@pytest.fixture(scope="module")
def chromium() -> str:
    return find_chromium()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from reporter.render.charts.draw import render_charts

    out = tmp_path_factory.mktemp("portal")
    for seed, day in enumerate(DAYS, start=3):
        folder = out / day
        folder.mkdir()
        (folder / "report.json").write_text(json.dumps(make_report(seed, day)), "utf-8")
        for locale in ("zh-CN", "en-US"):
            for chart in render_charts(make_chart_data(seed, as_of=day), locale).values():
                (folder / chart.file_name).write_bytes(chart.svg)
        for edition in ("zh-CN", "en-US", "bilingual"):
            (folder / pdf_file_name(day, edition)).write_bytes(pdf_bytes(f"{day} {edition}"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("reporter.portal.texts.day_texts", day_texts)
        result = publish(out, config.load())
    assert result.indexed and not result.warnings, result.warnings
    yield out


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with Browser(chromium) as b:
        yield b


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The portal on a static web server on loopback."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(site)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _keep(shot: Path) -> None:
    keep = os.environ.get("REPORTER_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def _pages(site: Path) -> list[Path]:
    day = next(iter(DAYS))
    return [site / "index.html", site / "index.en.html",
            site / day / "index.html", site / day / "index.en.html",
            site / "topics" / "size-rotation" / "index.html",
            site / "topics" / "size-rotation" / "index.en.html",
            site / "archive" / "2025-12" / "index.html",
            site / "archive" / "index.en.html",
            site / "search" / "index.html", site / "search" / "index.en.html"]


def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(site: Path, browser: Browser,
                                                          tmp_path: Path):
    for path in _pages(site):
        assert path.is_file(), path
        for width in WIDTHS:
            page = browser.page(path.as_uri(), width, 844 if width < 600 else 900)
            sizes = page.overflow()
            name = "_".join(path.relative_to(site).parts).replace(".html", "")
            shot = page.screenshot(tmp_path / f"after_{name}_{width}.png")
            _keep(shot)
            page.close()
            # the document is no wider than the screen (a wide table scrolls in its own box)
            assert sizes["scroll"] <= width and sizes["viewport"] == width, (path, width, sizes)
            assert shot.stat().st_size > 5000, shot


def test_the_day_page_is_the_whole_note_with_its_charts(site: Path, browser: Browser):
    day = next(iter(DAYS))
    for locale, name, up in (("zh-CN", "index.html", RED), ("en-US", "index.en.html", GREEN)):
        path = site / day / name
        charts = sorted((site / day).glob(f"chart_*_{locale}.svg"))
        page = browser.page(path.as_uri(), 1280)
        headings = page.eval("[...document.querySelectorAll('.edition h2')]"
                             ".map(h => h.textContent.trim())")
        for heading in SECTIONS[locale]:
            assert heading in headings, (locale, heading)
        figures = page.eval("""[...document.querySelectorAll('figure.chart svg')].map(s => ({
            width: s.getBoundingClientRect().width,
            title: s.querySelector('title') ? s.querySelector('title').textContent : ''}))""")
        assert len(figures) == len(charts) >= 6
        for fig in figures:
            assert fig["width"] > 300 and len(fig["title"]) > 20, fig  # drawn, with alt text
        # red-up / green-down per locale, as the PDF
        colour = page.eval("getComputedStyle(document.querySelector('.edition .chg.up')).color")
        r, g, b = (int(up[i:i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({r}, {g}, {b})", (locale, colour)
        # a wide table on a phone: a box of its own that scrolls, inside the screen
        page.close()
        phone = browser.page(path.as_uri(), 390, 844)
        box = phone.eval("""(() => { const t = document.querySelector('table.sectors-table');
            return {client: t.clientWidth, scroll: t.scrollWidth,
                    right: t.getBoundingClientRect().right,
                    overflow: getComputedStyle(t).overflowX}; })()""")
        phone.close()
        assert box["scroll"] > box["client"] and box["right"] <= 390, box
        assert box["overflow"] == "auto"


def test_content_present_and_every_link_resolves(site: Path, browser: Browser):
    newest = next(iter(DAYS))
    for path in _pages(site):
        page = browser.page(path.as_uri(), 1280)
        links = page.eval("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        text = page.eval("document.body.innerText")
        page.close()
        for link in links:
            parts = urlsplit(link)
            assert parts.scheme == "file", (path, link)  # nothing leaves the site
            target = Path(unquote(parts.path))
            assert target.exists() and target.resolve().is_relative_to(site.resolve()), link
        if path.parent == site:  # the front page leads with the newest headline and summary
            headline = day_texts({"as_of": newest})[
                "zh-CN" if path.name == "index.html" else "en-US"].headline
            assert headline and text.index(headline) < text.index(
                "关键数据" if path.name == "index.html" else "Key data points")
            assert "小盘股领涨。市场参与度改善。" in text or "Small caps led. Participation " \
                "improved." in text
        if "topics" in path.parts or "archive" in path.parts and path.parent.name != "archive":
            for day in DAYS:  # every day has this topic (from the sample text) and month
                if "archive" in path.parts and not day.startswith(path.parent.name):
                    continue
                assert f"/{day}/index" in " ".join(links), (path, day)


def _search(page: Page) -> list[str]:
    page.wait_for("document.getElementById('search-status').textContent.length > 0 && "
                  "!document.getElementById('search-status').textContent.endsWith('…')")
    return page.eval("[...document.querySelectorAll('#search-results a')]"
                     ".map(a => a.getAttribute('href'))")


def _days(hrefs: list[str]) -> set[str]:
    return {Path(unquote(urlsplit(h).path)).parent.name for h in hrefs}


def test_search_finds_the_days_that_name_a_sector_on_a_static_server(server: str,
                                                                      browser: Browser,
                                                                      tmp_path: Path):
    for name, sector, words in (("index.en.html", "Utilities", {d: w[0] for d, w in DAYS.items()}),
                                ("index.html", "公用事业", {d: w[1] for d, w in DAYS.items()})):
        # every note names every sector in its table of sectors
        page = browser.page(f"{server}search/{name}?q={quote(sector)}", 1280)
        found = _search(page)
        assert _days(found) == set(DAYS), (name, found)
        suffix = name.replace("index", "")
        assert all(h.endswith(f"/index{suffix}") for h in found), found  # its own language
        shot = page.screenshot(tmp_path / f"after_search_{name.replace('.html', '')}.png",
                               full=False)
        _keep(shot)
        page.close()
        # a word one day's text alone uses finds that day alone
        for day, word in words.items():
            page = browser.page(f"{server}search/{name}?q={quote(word)}", 390, 844)
            assert _days(_search(page)) == {day}, (name, word)
            page.close()


def test_search_from_disk_works_where_the_browser_allows_it(site: Path, chromium: str,
                                                            browser: Browser):
    url = (site / "search" / "index.en.html").as_uri() + "?q=Utilities"
    page = browser.page(url, 1280)  # Chromium's default: no module loads from file:
    status = page.wait_for("!document.getElementById('search-status').textContent.endsWith('…')"
                           " && document.getElementById('search-status').textContent")
    page.close()
    assert "needs the portal served by a web server" in status
    with Browser(chromium, "--allow-file-access-from-files") as permissive:
        page = permissive.page(url, 1280)
        assert _days(_search(page)) == set(DAYS)
