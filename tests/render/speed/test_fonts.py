"""The compact CJK fonts: Noto's glyphs, fewer of them, used first and never in the way."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import uharfbuzz as hb
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from PIL import Image

from reporter.render import pdf as pdf_module
from reporter.render.pdf import layout, write
from reporter.render.speed import fonts
from reporter.resources import locales_dir, templates_dir

NOTO_SANS = "Noto Sans CJK SC"
SAMPLE = ("市场宽度：小盘股跑赢大盘，涨跌比 4.2 : 1（创 2025 年新高）。"
          "Breadth widened — S&P 500 +1.2%, ▲ ▼ ≥ → €")


def _noto(family: str, weight: int) -> tuple[str, int]:
    out = subprocess.run(["fc-match", "--format=%{index}\t%{file}", f"{family}:weight={weight}"],
                         capture_output=True, text=True, check=True).stdout
    index, path = out.split("\t", 1)
    return path, int(index)


def _face(path: str | Path, index: int = 0) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))


def _shaped(font: hb.Font, text: str, features: dict[str, bool] | None = None,
            language: str = "zh-Hans") -> list[tuple[int, int, object]]:
    """Per character: its advance, its offset and its ink box, as HarfBuzz shapes ``text``."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.language = language
    hb.shape(font, buf, features or {})
    out = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        extents = font.get_glyph_extents(info.codepoint)
        box = None if extents is None else (extents.x_bearing, extents.y_bearing,
                                            extents.width, extents.height)
        out.append((pos.x_advance, pos.x_offset, box))
    return out


def test_every_character_a_note_writes_is_in_the_copy() -> None:
    """The Chinese catalogs and the templates use nothing the compact fonts lack (else those
    characters come from Noto, which is correct but embeds its 65,535-glyph font again)."""
    used: set[str] = set()
    for po in (locales_dir() / "zh_CN" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as fh:
            for message in read_po(fh):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                used.update("".join(s or "" for s in strings))
    for template in templates_dir().rglob("*.html"):
        used.update(template.read_text("utf-8"))
    missing = sorted(c for c in used if ord(c) >= 0x20 and ord(c) not in fonts.characters())
    assert missing == []
    common = [c for c in fonts.characters() if 0x4E00 <= c <= 0x9FFF]
    assert 3755 <= len(common) < 4500  # GB 2312's level 1, and the few rarer ones we write
    for text in ("2025年12月31日 星期三", "1.2万亿", "十二月"):  # as Babel writes dates, numbers
        assert all(ord(c) in fonts.characters() for c in text), text


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return fonts.make_compact_fonts(tmp_path_factory.mktemp("compact"))


def test_four_faces_under_their_own_names(made: list[Path]) -> None:
    found = {}
    for path in made:
        names = TTFont(path)["name"]
        found[(str(names.getName(1, 3, 1, 0x409)), str(names.getName(2, 3, 1, 0x409)))] = path
        identifying = [str(r) for r in names.names if r.nameID in (1, 3, 4, 6, 16, 17)]
        assert identifying and not any("Noto" in n for n in identifying), path
    assert set(found) == {(f, s) for f in fonts.COMPACT.values() for s in ("Regular", "Bold")}
    for path in made:
        font = TTFont(path)
        assert font["maxp"].numGlyphs < 9000  # against 65,535 in Noto
        assert os.path.getsize(path) < 3_000_000  # against 19-27 MB


@pytest.mark.parametrize("weight", [80, 200])
@pytest.mark.parametrize("noto", sorted(fonts.COMPACT))
def test_the_copy_shapes_and_draws_as_noto(made: list[Path], noto: str, weight: int) -> None:
    """Same advances, offsets and ink boxes for every character of a mixed line, kerning and
    the Chinese punctuation's own forms included: what a page shows cannot differ."""
    style = "Regular" if weight == 80 else "Bold"
    stem = f"{fonts.COMPACT[noto].replace(' ', '')}-{style}-"
    copy = next(p for p in made if p.name.startswith(stem))
    noto_font = _face(*_noto(noto, weight))
    for language in ("zh-Hans", "en", "zh-CN", "en-US"):  # as the editions' lang attributes
        assert _shaped(_face(copy), SAMPLE, language=language) == _shaped(
            noto_font, SAMPLE, language=language), language
    tabular = {"tnum": True}  # the tables' figures (font-variant-numeric: tabular-nums)
    assert _shaped(_face(copy), SAMPLE, tabular) == _shaped(noto_font, SAMPLE, tabular)


def test_made_once_and_stale_copies_dropped(tmp_path: Path) -> None:
    first = fonts.make_compact_fonts(tmp_path)
    stale = tmp_path / f"{first[0].name.rsplit('-', 1)[0]}-000000000000.otf"
    stale.write_bytes(b"from an older recipe")
    times = {p: p.stat().st_mtime_ns for p in first}
    assert fonts.make_compact_fonts(tmp_path) == first
    assert {p: p.stat().st_mtime_ns for p in first} == times  # found, not made again
    assert stale.exists()  # only a copy that is made again replaces its stale siblings
    first[0].unlink()
    fonts.make_compact_fonts(tmp_path)
    assert first[0].exists() and not stale.exists()
    assert not list(tmp_path.glob(".*tmp*"))


def test_a_copy_is_the_same_bytes_whenever_it_is_made(made: list[Path], tmp_path: Path) -> None:
    again = fonts.make_compact_fonts(tmp_path)  # a second later at least: other timestamps
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in made]


def test_without_a_usable_cache_the_noto_fonts_print(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert fonts.compact_font_files(blocked) == ()


def _page(html_body: str, *, compact: bool, monkeypatch: pytest.MonkeyPatch) -> bytes:
    if not compact:
        monkeypatch.setattr(pdf_module, "use_compact_fonts", lambda: ())
    css = ('body { margin: 0; font-family: "Reporter Sans SC", "Noto Sans CJK SC"; '
           'font-size: 14pt } b { font-family: "Reporter Serif SC", "Noto Serif CJK SC" }')
    html = f'<html lang="zh-CN"><head><style>{css}</style></head><body>{html_body}</body></html>'
    document = layout(html, {}, name="fonts")
    monkeypatch.undo()
    return write(document, variant="pdf/ua-1")


def _fonts_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


def _pixels(pdf: bytes, tmp_path: Path) -> np.ndarray:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(path),
                    str(tmp_path / "p")], check=True)
    return np.asarray(Image.open(tmp_path / "p.png").convert("L"), dtype=np.int16)


def test_a_page_looks_the_same_and_is_smaller(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    body = f"<p>{SAMPLE}</p><p><b>{SAMPLE}</b></p>"
    with_copy = _page(body, compact=True, monkeypatch=monkeypatch)
    with_noto = _page(body, compact=False, monkeypatch=monkeypatch)
    names = _fonts_of(with_copy, tmp_path)
    assert "Reporter-Sans-SC" in names and "Reporter-Serif-SC" in names and "Noto" not in names
    assert "Noto-Sans-CJK-SC" in _fonts_of(with_noto, tmp_path)
    assert np.array_equal(_pixels(with_copy, tmp_path), _pixels(with_noto, tmp_path))
    assert len(with_copy) * 3 < len(with_noto)


def test_a_character_the_copy_lacks_comes_from_noto(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rare = "\u9f98"  # 龘: not in GB 2312
    assert ord(rare) not in fonts.characters()
    pdf = _page(f"<p>宽度{rare}</p>", compact=True, monkeypatch=monkeypatch)
    names = _fonts_of(pdf, tmp_path)
    assert "Reporter-Sans-SC" in names and "Noto-Sans-CJK-SC" in names
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"宽度{rare}" in text


def test_charts_name_the_copy_first() -> None:
    svg = b"<text style=\"font-family: 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif\">x</text>"
    assert fonts.prefer_compact(svg) == (
        b"<text style=\"font-family: 'Reporter Sans SC', 'Noto Sans CJK SC', 'DejaVu Sans', "
        b"sans-serif\">x</text>")
