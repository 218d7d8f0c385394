"""The note's form on real days (issue 14): a brief on the first pages, then the appendix; no
page left half empty but a part's last; a bilingual edition that is one document, not two.

Each day is run once per paper size with the real data snapshot. Page fill is measured on
the pages rendered to pixels: how far down the page's text area the lowest ink reaches.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from matplotlib import image

from reporter.i18n import get_translations
from reporter.vocabulary import pdf_file_name
from tests.support.cli import exit_code

DAYS = ("2025-04-04", "2025-12-31")
PAPERS = ("a4", "letter")
EDITIONS = ("zh-CN", "en-US", "bilingual")
DPI = 30
TOP_MM, BOTTOM_MM = 22.0, 20.0  # the page margins of print.css: running header and footer
MAX_BILINGUAL_RATIO = 1.6


@pytest.fixture(scope="module")
def runs(marketdata: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every edition of each day on each paper, by (day, paper): the day's folder."""
    out: dict[tuple[str, str], Path] = {}
    for paper in PAPERS:
        folder = tmp_path_factory.mktemp(f"out-{paper}")
        for day in DAYS:
            code = exit_code("run", "--source", f"csv:{marketdata}", "--date", day,
                             "--paper", paper, "--out", str(folder), "-q")
            assert code == 0, (day, paper)
            out[(day, paper)] = folder / day
    return out


def _pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _text(path: Path, first: int, last: int | None = None) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l",
                           str(last or first), str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _squeezed(text: str) -> str:
    """Without white space: a line break inside a Chinese sentence adds none."""
    return "".join(text.split())


def _title(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.docinfo.Title)


def _fill(path: Path, tmp: Path) -> list[float]:
    """For each page, how far down its text area (between the running header and footer)
    the lowest ink reaches, from 0 (empty) to 1 (full)."""
    prefix = tmp / path.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path), str(prefix)],
                   check=True)
    fills = []
    for page in sorted(tmp.glob(f"{path.stem}-*.png")):
        pixels = image.imread(str(page))
        pixels = pixels if pixels.ndim == 2 else pixels[..., 0]
        height = pixels.shape[0]
        top = int(round(TOP_MM / 25.4 * DPI))
        bottom = height - int(round(BOTTOM_MM / 25.4 * DPI))
        rows = np.flatnonzero((pixels[top:bottom] < 0.85).any(axis=1))
        fills.append(0.0 if rows.size == 0 else (rows[-1] + 1) / (bottom - top))
    return fills


def _words(locale: str) -> dict[str, str]:
    _ = get_translations("messages", locale).gettext
    return {"appendix": _("Appendix"), "risks": _("Risks"), "opportunities": _("Opportunities"),
            "key": _("Key data points")}


def _appendix_page(path: Path, heading: str) -> int:
    """The first page whose text holds the appendix heading (1-based); 0 when none does."""
    for page in range(1, _pages(path) + 1):
        if heading in _text(path, page):
            return page
    return 0


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_pages_one_and_two_hold_the_brief(runs: dict, day: str, paper: str) -> None:
    for locale in ("zh-CN", "en-US"):
        pdf = runs[(day, paper)] / pdf_file_name(day, locale)
        words = _words(locale)
        brief = _squeezed(_text(pdf, 1, 2))
        assert _squeezed(_title(pdf)) in brief, (locale, "headline")
        for word in ("key", "risks", "opportunities"):
            assert _squeezed(words[word]) in brief, (locale, word)
        assert words["appendix"] not in _text(pdf, 1, 2), locale
        assert _appendix_page(pdf, words["appendix"]) == 3, locale


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_no_page_but_a_parts_last_is_less_than_half_full(
    runs: dict, day: str, paper: str, tmp_path: Path
) -> None:
    """The brief and the appendix are the parts: their last pages may be short, no other."""
    for edition in EDITIONS:
        pdf = runs[(day, paper)] / pdf_file_name(day, edition)
        heading = _words("en-US" if edition == "en-US" else "zh-CN")["appendix"]
        appendix = _appendix_page(pdf, heading)
        assert appendix > 1, edition
        fills = _fill(pdf, tmp_path)
        short = [(n, round(f, 2)) for n, f in enumerate(fills, start=1)
                 if f < 0.5 and n not in (appendix - 1, len(fills))]
        assert not short, (edition, short)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_the_bilingual_edition_is_one_document_in_both_languages(
    runs: dict, day: str, paper: str
) -> None:
    folder = runs[(day, paper)]
    bilingual = folder / pdf_file_name(day, "bilingual")
    zh = folder / pdf_file_name(day, "zh-CN")
    assert _pages(bilingual) <= MAX_BILINGUAL_RATIO * _pages(zh)
    first = _text(bilingual, 1)
    zh_words, en_words = _words("zh-CN"), _words("en-US")
    # the key data follow the headline and summary in both languages, on page 1 or, where
    # the two summaries fill page 1 (a long day on Letter), on page 2
    opening = _text(bilingual, 1, 2)
    assert zh_words["key"] in opening and en_words["key"] in opening
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in first) > 100  # Chinese prose
    assert len([w for w in first.split() if w.isascii() and w.isalpha()]) > 100  # English
    # the brief, in both languages, before the appendix; the appendix from page 3 or 4
    appendix = _appendix_page(bilingual, zh_words["appendix"])
    assert 3 <= appendix <= 4
    brief = _squeezed(_text(bilingual, 1, appendix - 1))
    for words in (zh_words, en_words):
        assert _squeezed(words["risks"]) in brief and _squeezed(words["opportunities"]) in brief
    # the whole document is in both languages, each block tagged with its own
    with pikepdf.open(bilingual) as pdf:
        langs = {str(e.get("/Lang")) for e in _elements(pdf) if "/Lang" in e}
    assert {"zh-CN", "en-US"} <= langs


#: A figure and its unit, or an index name and its number: never parted by a line break (a hand
#: list of the units the Chinese text uses most; the renderer keeps its own).
FIGURE = re.compile(r"\d[\d.,]*(?:个百分点|个交易日|日均线|日均量|倍|只)|(?:标普|罗素)\d+")


@pytest.mark.parametrize("edition", ("zh-CN", "bilingual"))
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_no_chinese_line_parts_a_figure_from_its_unit(
    runs: dict, day: str, paper: str, edition: str
) -> None:
    """Line by line, as the reader sees the page: no line ends inside "1.2个百分点" ("个百分" /
    "点") or "20日均量" ("20" / "日均量"). Before figures were kept with their units, the
    bilingual risks and a headline did."""
    path = runs[(day, paper)] / pdf_file_name(day, edition)
    lines = [line.strip() for line in _text(path, 1, _pages(path)).splitlines() if line.strip()]
    seen = 0
    for above, below in zip(lines, lines[1:], strict=False):
        for m in FIGURE.finditer(above + below):
            seen += m.end() <= len(above)
            assert not m.start() < len(above) < m.end(), (above, below)
    assert seen > 20  # the text has figures with units to part


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_no_bilingual_line_runs_a_ratio_into_its_translation(
    runs: dict, day: str, paper: str
) -> None:
    """A row name holding a ratio's slash ("成分股成交量／20日均量") sits over its English, not
    beside it behind the languages' " / " ("…／20日均量 / Member volume / 20-day average")."""
    path = runs[(day, paper)] / pdf_file_name(day, "bilingual")
    lines = _text(path, 1, _pages(path)).splitlines()
    assert any(line.strip() == "成分股成交量／20日均量" for line in lines)
    assert [line for line in lines if "／" in line and " / " in line] == []


def _word_rows(path: Path, page: int, first: str, last: str) -> list[float]:
    """The distinct rows (top edges) of the words after ``first`` up to ``last`` on a page."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l",
                           str(page), str(path), "-"], capture_output=True, check=True)
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" [^>]*>([^<]*)</word>',
                       done.stdout.decode("utf-8"))
    texts = [w for _, w in words]
    start, end = texts.index(first), texts.index(last)
    return sorted({round(float(y)) for y, _ in words[start + 1:end]})


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("day", DAYS)
def test_the_bilingual_topics_take_at_most_two_rows(runs: dict, day: str, paper: str) -> None:
    """The tone's label over its value leaves the topics the row's width: five bilingual topic
    chips (4 April) took three rows beside "整体基调 / Overall tone ▼ 偏空 / Negative"."""
    path = runs[(day, paper)] / pdf_file_name(day, "bilingual")
    rows = _word_rows(path, 1, "Negative", "颜色：")
    assert 1 <= len(rows) <= 2, rows


@pytest.mark.parametrize("paper", PAPERS)
def test_single_language_pdfs_stay_under_one_megabyte(runs: dict, paper: str) -> None:
    for day in DAYS:
        for locale in ("zh-CN", "en-US"):
            size = (runs[(day, paper)] / pdf_file_name(day, locale)).stat().st_size
            assert size <= 1_000_000, (day, paper, locale, size)


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out: list[pikepdf.Dictionary] = []
    top = pdf.Root.StructTreeRoot.K
    stack = list(top) if isinstance(top, pikepdf.Array) else [top]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            out.append(node)
            kids = node.get("/K", [])
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return out


#: A date as each language writes it in a table: 2021年5月11日 / May 11, 2021.
_ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_EN_DATE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* \d{1,2}, \d{4}")


@pytest.mark.parametrize("day", DAYS)
def test_the_bilingual_tables_write_each_figure_once(runs: dict, day: str) -> None:
    """The history table's first and last dates, once each, as 2021-05-11 (they stacked
    2021年5月11日 over May 11, 2021); the basket spreads' unit in the row name, each cell a
    bare signed figure (a cell read "-1.3个百分点 / -1.3 pp")."""
    path = runs[(day, "a4")] / pdf_file_name(day, "bilingual")
    text = _text(path, 1, _pages(path))
    start = text.index("其后走势 What happened next")
    table = text[start:text.index("历史统计，不是预测", start)]
    cells = [line.strip() for line in table.splitlines()]  # (the signals' notes are prose)
    assert any(re.fullmatch(r"20\d\d-\d\d-\d\d", cell) for cell in cells)
    assert not any(_ZH_DATE.fullmatch(cell) or _EN_DATE.fullmatch(cell) for cell in cells)
    layout = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
                            capture_output=True, check=True).stdout.decode("utf-8")
    flat = _squeezed(text)
    for zh, en in (("赢家减输家（百分点）", "Winners minus losers, pp"),
                   ("高波动减低波动（百分点）", "High minus low volatility, pp")):
        assert _squeezed(f"{zh}/{en}") in flat, en
        # on the row's line: three bare signed figures (1 day, 5 days, month to date)
        line = next(line for line in layout.splitlines() if en in line)
        assert re.fullmatch(r"(\s+[+\-−]?\d+\.\d){3}\s*", line.split(en, 1)[1]), line
