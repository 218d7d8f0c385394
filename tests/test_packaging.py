"""A wheel built from the checkout, installed in a fresh environment outside the tree, finds its
templates, catalogs and schema (the configuration's defaults live in the code), and renders every
edition."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from pypdf import PdfReader

from tests.support.paths import REPO


def _build_wheel(dist: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    return next(dist.glob("reporter-*.whl"))


def _fresh_environment(root: Path, wheel: Path) -> Path:
    """A new virtual environment holding the wheel; the third-party libraries come from this
    test's environment through a path entry placed after the new environment's own."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True,
                   capture_output=True, timeout=120)
    python = root / "bin" / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip())
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    (site / "zz_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return root


def test_installed_wheel_renders_every_edition(tmp_path: Path):
    wheel = _build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("reporter/templates/report/report.html",
                    "reporter/templates/report/sections/overview.html",
                    "reporter/templates/report/assets/print.css",
                    "reporter/templates/portal/index.html",
                    "reporter/templates/mail/mail_section.txt",
                    "reporter/locales/zh_CN/LC_MESSAGES/messages.po",
                    "reporter/locales/zh_CN/LC_MESSAGES/insights.po",
                    "reporter/locales/zh_CN/LC_MESSAGES/portal.po",
                    "reporter/schema/report.schema.json"):
        assert shipped in names, shipped
    assert not [n for n in names if n.split("/")[0] in ("templates", "locales", "tests")]

    venv = _fresh_environment(tmp_path / "venv", wheel)
    work = tmp_path / "work"  # outside the checkout: nothing there to fall back on
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work),
           "REPORTER_CACHE_DIR": str(work / "cache"), "LANG": os.environ.get("LANG", "C.UTF-8")}
    probe = (
        "import reporter; from reporter import resources;"
        "print(reporter.__file__); print(resources.templates_dir()); print(resources.locales_dir())"
    )
    found = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    for path in found:
        assert Path(path).is_relative_to(venv), found

    run = subprocess.run(
        [str(venv / "bin" / "reporter"), "run", "--source", "sample", "--out", str(work / "out")],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    day = work / "out" / "2026-02-06"
    report = json.loads((day / "report.json").read_text("utf-8"))
    assert report["as_of"] == "2026-02-06"
    heading = {"zh-CN": "关键数据", "en-US": "Key data points"}  # from the catalog, and the msgid
    for edition in ("zh-CN", "en-US", "bilingual"):
        pdf = PdfReader(day / f"market-breadth_2026-02-06_{edition}.pdf")
        text = "".join(page.extract_text() for page in pdf.pages)
        wanted = heading.values() if edition == "bilingual" else [heading[edition]]
        for words in wanted:
            assert words in text, (edition, words)

    publish = subprocess.run(
        [str(venv / "bin" / "reporter"), "publish", "--out", str(work / "out")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )
    assert publish.returncode == 0, publish.stderr
    assert "关键数据" in (work / "out" / "index.html").read_text("utf-8")
