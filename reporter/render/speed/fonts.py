"""Compact copies of the CJK fonts: a PDF embeds a font of some 8,500 glyphs, not of 65,535.

The Noto CJK faces hold 65,535 glyphs, and the simplified-Chinese forms of the punctuation sit
near the end of them. The PDF engine subsets a font keeping each glyph's number, so even the
English edition's hundred glyphs carried some 63,000 empty slots (760 kB per font before
compression, four fonts per PDF), and it read the whole 20-27 MB font file into memory for
every font of every document. A copy that holds only what a note can use (ASCII and Latin,
punctuation, symbols and arrows, CJK punctuation and full-width forms, the common hanzi and
every character of the Chinese catalogs) numbers its glyphs below 9,000: its subsets are a
fraction of the size and the PDF is written faster. Its glyphs are Noto's own (outlines,
advances, kerning, the simplified-Chinese forms): the pages look the same.

The copies are made once per machine in the cache folder (HarfBuzz's subsetter, about 0.6 s for
the four), named after what they were made from, and carry a family name of their own
(``COMPACT``). The print style sheet and the charts name them before the Noto families, so a
character they lack is drawn from Noto, and a machine without them (no ``uharfbuzz``, no
``fc-match``, a cache that cannot be written) prints with Noto as before, only slower.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from reporter.resources import keep_in_cache, locales_dir, templates_dir

__all__ = ["COMPACT", "characters", "compact_font_files", "make_compact_fonts",
           "prefer_compact"]

#: Each Noto family the report names, and the family of its compact copy.
COMPACT = {"Noto Sans CJK SC": "Reporter Sans SC", "Noto Serif CJK SC": "Reporter Serif SC"}
#: The faces copied: fontconfig's weight number and the style's name.
_STYLES = ((80, "Regular"), (200, "Bold"))
#: Code point ranges kept besides the GB 2312 hanzi (first and last, inclusive).
_RANGES = (
    (0x20, 0x7E), (0xA0, 0x17F),  # ASCII, Latin-1, Latin Extended-A
    (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF),  # punctuation, super/subscripts, €
    (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF),  # letterlike, number forms, arrows
    (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2460, 0x24FF),  # maths, technical, ① ②
    (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),  # box drawing, ▲ ▼ ●, ★
    (0x3000, 0x303F), (0xFF00, 0xFFEF),  # CJK punctuation (，。：「」), full-width forms
)
#: Layout features kept besides those HarfBuzz applies by default (kerning, ligatures, ...):
#: what the style sheets ask for (``font-variant-numeric``). Features nothing asks for (all
#: alternates, Japanese and traditional forms, ...) would double the glyphs kept.
_FEATURES = ("tnum", "pnum", "lnum", "onum")
#: Default features left out: vertical writing. ``locl`` stays: it gives Chinese text its
#: simplified-Chinese punctuation (a full-width em dash), and brings in the other regions'
#: forms of the kept hanzi too.
_NOT_FEATURES = ("vert", "vrt2", "vkna", "vkrn", "vpal", "valt", "vhal", "vchw")
#: Bump when what a copy holds changes, so copies made before are not used.
_RECIPE = "2"
_FC_TIMEOUT_S = 10.0


@functools.cache
def characters() -> frozenset[int]:
    """The code points a compact copy holds (the font may lack some of them): ``_RANGES``, the
    symbols and the 3,755 level-1 hanzi of GB 2312 (the common ones: dates and numbers as
    Babel writes them in Chinese use these), and every character of the Chinese catalogs and
    the templates (the note's own words)."""
    chars = {c for first, last in _RANGES for c in range(first, last + 1)}
    for high in (*range(0xA1, 0xAA), *range(0xB0, 0xD8)):  # GB 2312 rows 1-9 and 16-55
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes((high, low)).decode("gb2312")))
    for path in (*(locales_dir() / "zh_CN" / "LC_MESSAGES").glob("*.po"),
                 *templates_dir().rglob("*.html")):
        chars.update(ord(c) for c in path.read_text("utf-8") if ord(c) >= 0x80)
    return frozenset(chars)


def prefer_compact(text: bytes) -> bytes:
    """``text`` (a chart SVG) with each Noto family the report uses preceded by its copy."""
    for noto, compact in COMPACT.items():
        text = text.replace(f"'{noto}'".encode(), f"'{compact}', '{noto}'".encode())
    return text


@functools.cache
def compact_font_files(cache: Path) -> tuple[str, ...]:
    """The compact fonts' files in ``cache``, made there if missing; none when they cannot be
    (the report then prints with the Noto fonts). Looked up once per process."""
    try:
        return tuple(str(path) for path in make_compact_fonts(cache / "fonts"))
    except Exception:  # only a speed-up: any failure prints with the Noto fonts
        return ()


def make_compact_fonts(folder: Path) -> list[Path]:
    """Each compact face's file in ``folder``: the one made before from the same source and
    recipe, else a new one (written under a temporary name, then renamed into place)."""
    made = []
    for noto, compact in COMPACT.items():
        for weight, style in _STYLES:
            source = _find(noto, weight)
            if source is None:
                continue
            path, index = source
            stat = os.stat(path)
            key = hashlib.sha1(
                f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{_RECIPE}|{_held()}".encode()
            ).hexdigest()[:12]
            stem = f"{compact.replace(' ', '')}-{style}"
            target = folder / f"{stem}-{key}.otf"
            if not target.is_file():
                keep_in_cache(target, _copy(path, index, compact, style, characters()))
                _drop_stale(folder, stem, keep=target)
            made.append(target)
    return made


@functools.cache
def _held() -> str:
    """A digest of ``characters()``: a copy made for other characters is not this one."""
    return hashlib.sha1(",".join(map(str, sorted(characters()))).encode()).hexdigest()


def _find(family: str, weight: int) -> tuple[str, int] | None:
    """The file and face index fontconfig draws ``family`` at ``weight`` from, if it is that
    family at that weight (fontconfig answers with a substitute for a family it lacks)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    answer = subprocess.run(
        [fc_match, "--format=%{family}\t%{weight}\t%{index}\t%{file}",
         f"{family}:weight={weight}"],
        capture_output=True, text=True, timeout=_FC_TIMEOUT_S, check=False,
    ).stdout
    parts = answer.split("\t", 3)
    if len(parts) != 4 or family not in parts[0].split(",") or parts[1] != str(weight):
        return None
    return parts[3], int(parts[2])


def _copy(path: str, index: int, family: str, style: str, chars: Iterable[int]) -> bytes:
    """Face ``index`` of the font file ``path`` cut down to ``chars`` (with every glyph its kept
    layout features reach: ``_FEATURES``, and HarfBuzz's defaults but ``_NOT_FEATURES``),
    renamed to ``family`` ``style``."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    face = hb.Face(hb.Blob.from_file_path(path), index)
    wanted = hb.SubsetInput()
    for char in chars:
        wanted.unicode_set.add(char)
    wanted.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)  # HarfBuzz's defaults
    for tag in _NOT_FEATURES:
        features.discard(_tag(tag))
    for tag in _FEATURES:
        features.add(_tag(tag))
    for every in (wanted.sets(hb.SubsetInputSets.NAME_ID),
                  wanted.sets(hb.SubsetInputSets.NAME_LANG_ID)):
        every.clear()
        every.invert()  # an empty set inverted: every name, in every language
    subset = hb.subset(face, wanted)
    if subset is None:
        raise ValueError(f"cannot subset {path}")
    # The timestamp stays the source's: the copy (and every PDF with it) is the same bytes
    # wherever and whenever it is made.
    font = TTFont(io.BytesIO(subset.blob.data), lazy=True, recalcTimestamp=False)
    names = font["name"]
    # Every name that identifies the font is replaced (in every language, so that no localized
    # name still reads as Noto's); copyright and licence stay.
    names.names = [r for r in names.names if r.nameID not in (1, 2, 3, 4, 6, 16, 17, 21, 22)]
    postscript = f"{family.replace(' ', '')}-{style}"
    full = family if style == "Regular" else f"{family} {style}"
    for name_id, value in ((1, family), (2, style), (3, postscript), (4, full), (6, postscript)):
        names.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


def _drop_stale(folder: Path, stem: str, *, keep: Path) -> None:
    """Copies of the same face made from an older source or recipe: no longer used."""
    for old in folder.glob(f"{stem}-*.otf"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
