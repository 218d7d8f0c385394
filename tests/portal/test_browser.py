"""The portal in a real browser: headless Chromium loads both front pages from file://."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reporter import config
from reporter.portal import publish
from tests.support.days import DAYS, make_day
from tests.support.links import broken_links

CHROMIUM = os.environ.get("REPORTER_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not found:
        reason = f"headless Chromium not found at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("REPORTER_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _browser(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def _png_colours(path: Path) -> int:
    """How many distinct colours the screenshot holds."""
    import numpy as np
    from matplotlib import image

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(path)
    return len(np.unique(pixels.reshape(-1, pixels.shape[-1])[:, :3], axis=0))


def test_front_pages_render_in_chromium_from_file_urls(chromium: str, tmp_path: Path,
                                                       texts: None):
    out = tmp_path / "out"
    for day in DAYS:
        make_day(out, day)
    publish(out, config.load())

    for name, expected in (("index.html", [p for d in DAYS.values() for p in d["zh"]]),
                           ("index.en.html", [p for d in DAYS.values() for p in d["en"]])):
        page = out / name
        dom = _browser(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
        assert "<main>" in dom, f"Chromium did not render {page}"
        for point in expected:
            assert point.replace("&", "&amp;") in dom, point
        assert broken_links(page, dom) == []
        # the language switch leads to the other front page
        other = "index.en.html" if name == "index.html" else "index.html"
        assert f'href="{other}"' in dom

        shot = tmp_path / f"{page.stem}.png"
        _browser(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600",
                 "--hide-scrollbars", page.as_uri())
        print(f"screenshot of {name}: {shot}")
        colours = _png_colours(shot)
        assert colours > 10, f"{shot} looks blank ({colours} colours)"
