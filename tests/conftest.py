"""Shared fixtures. The real data snapshot is found through REPORTER_MARKETDATA.

Tests that need it use the ``marketdata`` fixture: it skips with a reason when the folder is
absent, and fails instead when REPORTER_REQUIRE_MARKETDATA=1 (CI sets it whenever the folder
exists, so a wrong path cannot turn real-data tests into silent skips). What tests share beyond
fixtures lives in ``tests/support/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.days import use_fake_texts
from tests.support.paths import marketdata_path


@pytest.fixture(scope="session")
def marketdata() -> Path:
    path = marketdata_path()
    if not (path / "prices").is_dir():
        reason = f"real market data not found at {path} (set REPORTER_MARKETDATA)"
        if os.environ.get("REPORTER_REQUIRE_MARKETDATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def _compact_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of the compact CJK fonts for the whole session (made once, 0.5 s)."""
    return tmp_path_factory.mktemp("fonts")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                    _compact_fonts: Path):
    """Each test gets its own cache folder so no test sees another's store; the compact fonts,
    which only depend on the installed fonts, are shared (its ``fonts`` links to them)."""
    cache = tmp_path_factory.mktemp("cache")
    (cache / "fonts").symlink_to(_compact_fonts, target_is_directory=True)
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(cache))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal and the e-mail show the hand-written sentences of ``tests/support/days``
    instead of the insights stage's."""
    use_fake_texts(monkeypatch)
