"""A chart label is drawn as one run of text, where it sits when drawn letter by letter."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

from reporter.render.pdf import layout, write
from reporter.render.speed.svgtext import one_run


def _pdf(label_attrs: str, text: str = "Breadth 2025", anchor: str = "middle") -> bytes:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="40pt">'
           f'<text x="100" y="25" font-size="14px" font-family="DejaVu Sans" '
           f'text-anchor="{anchor}" {label_attrs}>{text}</text></svg>').encode()
    html = ('<html lang="en"><body style="margin:0">'
            '<img src="report://run/c.svg" alt="label" style="width:10cm"></body></html>')
    return write(layout(html, {"report://run/c.svg": (svg, "image/svg+xml")}, name="label"),
                 variant="pdf/ua-1")


def _text_shows(pdf: bytes) -> int:
    """How many text-showing operators the page and its forms hold."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    streams = [page.get_contents()]
    pending = [page["/Resources"]]
    while pending:
        resources = pending.pop().get_object()
        for obj in (resources.get("/XObject") or {}).values():
            form = obj.get_object()
            streams.append(form)
            if "/Resources" in form:
                pending.append(form["/Resources"])
    shows = 0
    for stream in streams:
        for line in stream.get_data().split(b"\n"):
            shows += sum(line.rstrip().endswith(op) for op in (b" Tj", b" TJ", b"]TJ"))
    return shows


def test_the_engine_draws_svg_text_through_the_wrapper() -> None:
    from weasyprint import svg as engine_svg

    assert getattr(engine_svg.text, "in_runs", False)
    assert all(engine_svg.TAGS[tag] is engine_svg.text for tag in ("text", "tspan"))


def test_a_plain_label_is_one_run_and_a_placed_one_one_run_per_letter() -> None:
    assert _text_shows(_pdf("")) == 1
    # dx="0" moves nothing, but it places letters one by one: the engine's own way
    assert _text_shows(_pdf('dx="0"')) == len("Breadth 2025") - 1  # the space draws no glyph


def _ink(pdf: bytes, tmp: Path, name: str) -> tuple[int, int, int, int]:
    (tmp / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp / f"{name}.pdf"),
                    str(tmp / name)], check=True, timeout=60)
    box = ImageOps.invert(Image.open(tmp / f"{name}.png").convert("L")).getbbox()
    assert box is not None
    return box


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_one_run_sits_where_the_letters_did(anchor: str, tmp_path: Path) -> None:
    # no kerning pair in the label: both ways give the same advance widths
    one = _ink(_pdf("", anchor=anchor), tmp_path, "one")
    letters = _ink(_pdf('dx="0"', anchor=anchor), tmp_path, "letters")
    assert all(abs(a - b) <= 1 for a, b in zip(one, letters, strict=True)), (one, letters)


def test_pdftotext_reads_a_label_as_words(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) missing")
    (tmp_path / "l.pdf").write_bytes(_pdf(""))
    out = subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    assert "Breadth 2025" in out


@dataclass
class _Node:
    tag: str = "text"
    text: str = "label"
    attrib: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)


@pytest.mark.parametrize(("node", "expected"), [
    (_Node(), True),
    (_Node(tag="tspan", attrib={"x": "3", "y": "4"}), True),
    (_Node(attrib={"letter-spacing": "normal"}), True),
    (_Node(attrib={"letter-spacing": "0"}), True),
    (_Node(text=""), False),
    (_Node(tag="textPath"), False),
    (_Node(attrib={"x": "1 2"}), False),
    (_Node(attrib={"y": "1,2"}), False),
    (_Node(attrib={"dy": "1"}), False),
    (_Node(attrib={"rotate": "0"}), False),
    (_Node(attrib={"textLength": "40"}), False),
    (_Node(attrib={"letter-spacing": "2px"}), False),
])
def test_which_text_is_drawn_as_one_run(node: _Node, expected: bool) -> None:
    assert one_run(node) is expected
