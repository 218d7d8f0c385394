"""Print: A4 and Letter pages keep a safe margin on every side (duplex-friendly), checked on
pages rendered to PNG at print size."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from tests.support.cli import exit_code

DPI = 72
SAFE_MM = 8.0  # nothing printed this close to any edge: home printers cut 4-6 mm
SIZES_PT = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pages_keep_a_safe_margin(paper: str, tmp_path: Path):
    assert exit_code("run", "--source", "sample", "--out", str(tmp_path), "--lang", "zh-CN,en-US",
                   "--paper", paper) == 0
    band = int(round(SAFE_MM / 25.4 * DPI))
    for pdf in sorted((tmp_path / "2026-02-06").glob("*.pdf")):
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
        assert pages
        for page in pages:
            pixels = image.imread(str(page))[..., :3]
            h, w = pixels.shape[:2]
            want_w, want_h = (round(v / 72 * DPI) for v in SIZES_PT[paper])
            assert abs(w - want_w) <= 1 and abs(h - want_h) <= 1, (page.name, w, h)
            ink = pixels.min(axis=2) < 0.9  # anything visibly darker than paper
            edges = {"top": ink[:band], "bottom": ink[-band:], "left": ink[:, :band],
                     "right": ink[:, -band:]}
            for side, strip in edges.items():
                assert not strip.any(), f"{page.name}: ink within {SAFE_MM} mm of the {side}"
            assert np.count_nonzero(ink) > 1000, f"{page.name} is blank"
