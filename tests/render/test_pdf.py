"""The editions as a reader and an auditor see them: text, fonts, structure, metadata, bytes.

One full build (all editions, A4, PDF/UA-1, sample data) is shared by the module; expected
figures are formatted with Babel here, from the report dict.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from babel.numbers import format_decimal, format_percent

from reporter.errors import ConfigError, RenderError
from reporter.render import build_editions
from reporter.vocabulary import MARKET_COLORS, pdf_file_name
from tests.support.synthetic import AS_OF, make_chart_data, make_report, make_texts

TITLE = "Market Breadth"
AUTHOR = "Market Breadth Reporter"
EDITIONS = ("zh-CN", "en-US", "bilingual")


def _build(**kwargs) -> dict[str, bytes]:
    report = kwargs.pop("report", None) or make_report(is_sample=True)
    return build_editions(
        report, make_texts(), make_chart_data(), title=TITLE, author=AUTHOR, **kwargs
    )


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return _build(editions=list(EDITIONS))


@pytest.fixture(scope="module")
def files(built: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("editions")
    out = {}
    for edition in EDITIONS:
        path = folder / pdf_file_name(AS_OF, edition)
        path.write_bytes(built[path.name])
        out[edition] = path
    return out


def _text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    done = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def _pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_outputs_are_named_by_date_and_edition(built: dict[str, bytes]) -> None:
    pdfs = sorted(n for n in built if n.endswith(".pdf"))
    assert pdfs == sorted(pdf_file_name(AS_OF, e) for e in EDITIONS)
    charts = sorted(n for n in built if n.endswith(".svg"))
    names = ("breadth", "indices", "participation", "sectors", "size_rotation", "watch-nvda")
    assert charts == sorted(f"chart_{n}_{loc}.svg" for n in names for loc in ("zh-CN", "en-US"))
    for data in built.values():
        assert data  # nothing empty


def test_key_figures_appear_formatted_per_locale(files: dict[str, Path]) -> None:
    report = make_report(is_sample=True)
    for locale in ("zh-CN", "en-US"):
        babel = locale.replace("-", "_")
        text = _text(files[locale])
        assert format_decimal(report["indices"]["^GSPC"]["close"], "#,##0.00", locale=babel) in text
        for symbol in ("^GSPC", "^RUT", "^IXIC", "^DJI"):
            ret = report["indices"][symbol]["return_1d"]
            assert format_percent(ret, "+#,##0.00%;-#,##0.00%", locale=babel) in text, symbol
        assert format_percent(report["breadth"]["pct_above_50d"], "#,##0.0%", locale=babel) in text
    zh, en = _text(files["zh-CN"]), _text(files["en-US"])
    assert "小盘减大盘（百分点）" in zh and "Small minus large, pp" in en
    assert "2025年12月31日" in zh and "December 31, 2025" in en
    assert "503只成分股中有498只" in zh and "498 of 503 members" in en
    assert "市场广度" in zh and "关键数据" in zh and "免责声明" in zh  # Chinese text extracts
    assert "偏多" in zh and "Positive" in en
    for point in make_texts()["zh-CN"].key_points:
        assert point in zh


def test_bilingual_is_one_document_with_both_languages_together(files: dict[str, Path]) -> None:
    """Laid out once: not the two editions one after the other, but each block in both."""
    zh_pages, en_pages = _pages(files["zh-CN"]), _pages(files["en-US"])
    assert _pages(files["bilingual"]) <= 1.6 * zh_pages < zh_pages + en_pages
    first = _text(files["bilingual"], 1)
    assert "关键数据" in first and "Key data points" in first
    assert "风险" in _text(files["bilingual"]) and "Risks" in _text(files["bilingual"])


def test_the_bilingual_editions_charts_are_labelled_in_both_languages(
    files: dict[str, Path]
) -> None:
    """Its charts are its own: their axis labels and panel titles are in Chinese and in English
    (words only the charts use; before, its charts were the Chinese edition's)."""
    chart_words = {"zh-CN": ("起点 = 100", "比值（起点 = 100）", "腾落线"),
                   "en-US": ("Start = 100", "Ratio, start = 100", "Advance-decline line")}
    both = _text(files["bilingual"])
    for locale, words in chart_words.items():
        text = _text(files[locale])
        for word in words:
            assert word in both and word in text, (locale, word)
    assert not any(word in _text(files["zh-CN"]) for word in chart_words["en-US"])


def test_the_bilingual_editions_footer_is_in_both_languages(files: dict[str, Path]) -> None:
    """Every page's footer says "not investment advice" and numbers the page in each language
    (it was Chinese only); a single-language edition's, in its own."""
    pages = _pages(files["bilingual"])
    for page in range(1, pages + 1):
        text = _text(files["bilingual"], page)
        assert f"第 {page} 页，共 {pages} 页" in text and f"Page {page} of {pages}" in text
        assert "不构成投资建议" in text and "not investment advice" in text
    zh, en = _text(files["zh-CN"], 1), _text(files["en-US"], 1)
    assert "not investment advice" not in zh and "Page 1 of" not in zh
    assert "不构成投资建议" not in en and "Page 1 of" in en


def _words(path: Path, page: int) -> list[tuple[str, float, float]]:
    """Each word of a page with the left and right edge of its box, in reading order."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l",
                           str(page), str(path), "-"], capture_output=True, check=True)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                       r"([^<]*)</word>", done.stdout.decode("utf-8"))
    return [(word, float(left), float(right)) for left, right, word in found]


def test_a_bilingual_label_has_no_double_gap_after_a_chinese_colon(
    files: dict[str, Path]
) -> None:
    """"颜色： / Colours:": in the short labels the full-width colon takes half its width, so
    the gap before "/" is the separator's space, as after "上涨" (a full-width colon left half
    an em of blank beside that space: a double gap)."""
    words = _words(files["bilingual"], 1)
    texts = [w for w, _, _ in words]
    colon, plain = texts.index("颜色："), texts.index("上涨")
    assert texts[colon + 1] == texts[plain + 1] == "/"
    em = (words[plain][2] - words[plain][1]) / 2  # two full-width characters
    after_colon = words[colon + 1][1] - words[colon][1] - 2 * em  # past "颜色"
    after_plain = words[plain + 1][1] - words[plain][1] - 2 * em  # past "上涨"
    assert after_colon - after_plain < 0.75 * em  # half an em: the colon's ink, no blank


def test_sample_mark_on_every_page(files: dict[str, Path]) -> None:
    for edition, mark in (("zh-CN", "示例数据"), ("en-US", "SAMPLE DATA")):
        for page in range(1, _pages(files[edition]) + 1):
            assert mark in _text(files[edition], page), (edition, page)


def test_no_sample_mark_for_real_data(tmp_path: Path) -> None:
    built = _build(editions=["en-US"], report=make_report(is_sample=False))
    path = tmp_path / "x.pdf"
    path.write_bytes(built[pdf_file_name(AS_OF, "en-US")])
    assert "SAMPLE DATA" not in _text(path)


def test_page_counts_and_sizes(files: dict[str, Path]) -> None:
    for edition in ("zh-CN", "en-US"):
        assert 6 <= _pages(files[edition]) <= 12, edition
        assert files[edition].stat().st_size <= 1_000_000, edition


def test_fonts_are_embedded_and_subsetted(files: dict[str, Path]) -> None:
    for path in files.values():
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                               text=True).stdout.splitlines()[2:]
        assert lines, path
        for line in lines:
            cols = line.split()
            emb, sub = cols[-5], cols[-4]
            assert (emb, sub) == ("yes", "yes"), line
        names = " ".join(lines)
        # the compact copies of the CJK fonts (render/speed/fonts.py), not Noto itself
        assert "Reporter-Sans-SC" in names and "Reporter-Serif-SC" in names
        assert "Noto" not in names


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out = []

    def walk(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            out.append(node)
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    for top in pdf.Root.StructTreeRoot.K:
        walk(top)
    return out


def test_tagged_structure_language_and_figures(files: dict[str, Path]) -> None:
    for edition, lang in (("zh-CN", "zh-CN"), ("en-US", "en-US"), ("bilingual", "zh-CN")):
        with pikepdf.open(files[edition]) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert bool(pdf.Root.MarkInfo.Marked)
            elems = _structure(pdf)
            figures = [e for e in elems if e.S == "/Figure"]
            assert len(figures) == 6, edition  # each chart once, in the bilingual edition too
            for fig in figures:
                assert len(str(fig.get("/Alt", ""))) > 40, edition
            headings = [str(e.S) for e in elems if str(e.S) in ("/H1", "/H2", "/H3")]
            assert headings[0] == "/H1"
            assert headings.count("/H1") == 1
            langs = {str(e.Lang) for e in elems if "/Lang" in e}
            # each block of the bilingual edition says its language; one edition needs none
            assert langs == ({"zh-CN", "en-US"} if edition == "bilingual" else set()), edition


def test_section_headings_brief_then_appendix(files: dict[str, Path]) -> None:
    brief = ["Key data points", "Risks", "Opportunities"]
    appendix = ["Market overview", "Size rotation: small caps against large caps", "Sectors",
                "Breadth of participation", "Bellwether technicals", "Insights",
                "What happened next", "Data and method", "Disclaimer"]
    with pikepdf.open(files["en-US"]) as pdf, pdf.open_outline() as outline:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        top, tail = outline.root
        assert str(top.title) == TITLE and str(tail.title) == "Appendix"
        assert [str(item.title) for item in top.children] == brief
        assert [str(item.title) for item in tail.children] == appendix
        # the appendix starts on a page of its own, after a brief of one or two pages
        assert index[tail.destination[0].objgen] in (1, 2)
    with pikepdf.open(files["bilingual"]) as pdf, pdf.open_outline() as outline:
        titles = [str(item.title) for item in outline.root]
        assert titles[-1] == "附录 Appendix"


def test_metadata(files: dict[str, Path]) -> None:
    with pikepdf.open(files["zh-CN"]) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "市场广度 · 2025年12月31日"
        assert str(info.Author) == AUTHOR
        assert "2025年12月31日" in str(info.Subject)
        assert "小盘轮动" in str(info.Keywords)
        assert str(info.CreationDate).startswith("D:20251231")
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
    with pikepdf.open(files["bilingual"]) as pdf:
        assert " / " in str(pdf.docinfo.Title) and "December 31, 2025" in str(pdf.docinfo.Title)


def test_same_inputs_give_the_same_bytes(built: dict[str, bytes]) -> None:
    again = _build(editions=list(EDITIONS))
    assert again.keys() == built.keys()
    for name, data in built.items():
        assert again[name] == data, name


def test_jobs_in_turn_give_the_bytes_of_jobs_side_by_side(built: dict[str, bytes]) -> None:
    # side by side, the shared language's brief is planned before its job; in turn, by it
    serial = _build(editions=list(EDITIONS), parallel=False)
    assert serial.keys() == built.keys()
    for name, data in built.items():
        assert serial[name] == data, name


def test_source_date_epoch_sets_the_creation_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    built = _build(editions=["en-US"], parallel=False)
    with pikepdf.open(io.BytesIO(built[pdf_file_name(AS_OF, "en-US")])) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20260101000000")


def test_letter_paper_archival_variant_and_custom_colours() -> None:
    from reporter.vocabulary import UpDownColors

    colors = {"en-US": UpDownColors(up="#0000ff", down="#ff8800")}
    built = _build(editions=["zh-CN", "bilingual"], paper="letter", variant="pdf/a-3b",
                   colors=colors)
    for edition in ("zh-CN", "bilingual"):
        with pikepdf.open(io.BytesIO(built[pdf_file_name(AS_OF, edition)])) as pdf:
            for page in pdf.pages:
                assert [round(float(v)) for v in page.MediaBox] == [0, 0, 612, 792]
            meta = pdf.open_metadata()
            assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "B"
            assert "/OutputIntents" in pdf.Root
            assert "/StructTreeRoot" in pdf.Root  # archival copies stay tagged
    assert b"#0000ff" in built["chart_sectors_en-US.svg"]
    assert b"#0000ff" not in built["chart_sectors_zh-CN.svg"]  # Chinese keeps its default


def test_a4_paper(files: dict[str, Path]) -> None:
    with pikepdf.open(files["en-US"]) as pdf:
        box = [round(float(v), 1) for v in pdf.pages[0].MediaBox]
        assert box == [0.0, 0.0, 595.3, 841.9]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"editions": ["fr-FR"]}, ConfigError, "fr-FR"),
        ({"editions": []}, ConfigError, "no edition"),
        ({"editions": ["en-US"], "paper": "a5"}, ConfigError, "a5"),
        ({"editions": ["en-US"], "variant": "pdf/x-4"}, ConfigError, "pdf/x-4"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        _build(**kwargs)


def test_missing_texts_or_bad_date_are_render_errors() -> None:
    with pytest.raises(RenderError, match="en-US"):
        build_editions(make_report(), {"zh-CN": make_texts()["zh-CN"]}, make_chart_data(),
                       editions=["bilingual"], title=TITLE, author=AUTHOR)
    bad = make_report()
    bad["as_of"] = "31/12/2025"
    with pytest.raises(RenderError, match="31/12/2025"):
        build_editions(bad, make_texts(), make_chart_data(), editions=["en-US"], title=TITLE,
                       author=AUTHOR)


def _blank(value: object) -> object:
    """The same shape with every figure null: what a too-short history gives."""
    if isinstance(value, dict):
        return {k: (v if k in ("symbol", "sector", "etf", "small", "large", "mega", "equal")
                    else _blank(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(v) for v in value]
    return None


def test_a_report_of_nulls_still_renders(tmp_path: Path) -> None:
    from reporter.model import RenderedText

    report = make_report()
    sparse = {
        **_blank(report),
        "as_of": report["as_of"],
        "source": report["source"],
        "indices": _blank(report["indices"]),
        "milestones": [],
        "watchlist": {},
        "warnings": [],
    }
    sparse["size_rotation"]["run"] = None
    sparse["size_rotation"]["longest_run_ytd"] = None
    sparse["size_rotation"]["valuation"] = None
    text = RenderedText("en-US", "Neutral", (), (), (), (), ())
    built = build_editions(sparse, {"en-US": text}, make_chart_data(), editions=["en-US"],
                           title=TITLE, author=AUTHOR, parallel=False)
    path = tmp_path / "sparse.pdf"
    path.write_bytes(built[pdf_file_name(AS_OF, "en-US")])
    text_out = _text(path)
    assert "No key data points for this session." in text_out
    assert "Neither index led" in text_out
    # without valuations the section is left out and the method section says so
    assert "Valuation gap" not in text_out
    assert "small-cap valuation gap is left out" in text_out
    assert "None" not in text_out


def test_the_engine_has_nothing_to_complain_about(caplog: pytest.LogCaptureFixture) -> None:
    """Our own CSS and HTML parse cleanly: no ignored rule, no unsupported property."""
    import logging

    caplog.set_level(logging.WARNING, logger="weasyprint")
    _build(editions=["zh-CN"], parallel=False)
    complaints = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert complaints == []


def test_a_brief_lays_out_alike_alone_and_before_the_appendix() -> None:
    """What lets the bilingual edition lay out its whole note at once with its first plan:
    the whole note's brief takes the pages the brief alone takes, with its charts where they
    were, for every plan."""
    from reporter.render.brief import PLANS, brief_length, fits
    from reporter.render.charts.draw import render_charts
    from reporter.render.editions import BRIEF_PAGES, _Language, _pages
    from reporter.render.pdf import layout

    report, texts = make_report(is_sample=True), make_texts()
    for locale in ("zh-CN", "en-US"):
        job = _Language(locale, report, texts[locale], make_chart_data(), "a4", "pdf/ua-1",
                        TITLE, AUTHOR, pdf_file_name(AS_OF, locale), MARKET_COLORS[locale], True)
        html, resources = _pages(job, render_charts(job.chart_data, locale))
        for plan in PLANS:
            alone = layout(html(plan, True), resources, name="alone").pages
            whole = layout(html(plan, False), resources, name="whole").pages
            assert brief_length(whole) == brief_length(alone) < len(whole), (locale, plan)
            assert fits(plan, whole, BRIEF_PAGES) == fits(plan, alone, BRIEF_PAGES)
            assert set(whole[0].anchors) >= set(alone[0].anchors), (locale, plan)
