"""An installed wheel (not the source tree) finds its templates, catalogs and schema, and loads
its configuration (the defaults live in the code: no file to ship)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_and_finds_its_resources(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("reporter-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "reporter/templates/report.html" in names
    assert "reporter/templates/sections/overview.html" in names
    assert "reporter/templates/assets/print.css" in names
    assert "reporter/portal/templates/index.html" in names
    assert "reporter/locales/zh_CN/LC_MESSAGES/messages.po" in names
    assert "reporter/locales/zh_CN/LC_MESSAGES/insights.po" in names
    assert "reporter/schema/report.schema.json" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import reporter, sys; from importlib import resources;"
        "from pathlib import Path;"
        f"assert Path(reporter.__file__).is_relative_to({str(site)!r}), reporter.__file__;"
        "from reporter import config; config.load();"
        "from reporter.pipeline import load_schema; load_schema();"
        "root = resources.files('reporter');"
        "assert root.joinpath('templates/report.html').is_file();"
        "assert root.joinpath('portal/templates/feed.xml').is_file();"
        "assert root.joinpath('locales/zh_CN/LC_MESSAGES/messages.po').is_file();"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "ok", out.stderr
