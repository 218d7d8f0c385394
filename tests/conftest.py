"""Shared fixtures. The real data snapshot is found through REPORTER_MARKETDATA.

Tests that need it use the ``marketdata`` fixture: it skips with a reason when the folder is
absent, and fails instead when REPORTER_REQUIRE_MARKETDATA=1 (CI sets it whenever the folder
exists, so a wrong path cannot turn real-data tests into silent skips).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def marketdata_path() -> Path:
    return Path(os.environ.get("REPORTER_MARKETDATA", REPO.parent / "shared" / "marketdata"))


@pytest.fixture(scope="session")
def marketdata() -> Path:
    path = marketdata_path()
    if not (path / "prices").is_dir():
        reason = f"real market data not found at {path} (set REPORTER_MARKETDATA)"
        if os.environ.get("REPORTER_REQUIRE_MARKETDATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test gets its own cache folder so no test sees another's store."""
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("MPLBACKEND", "Agg")
