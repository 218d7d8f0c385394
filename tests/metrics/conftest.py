"""Fixtures of the metrics tests: the real snapshot read both ways (cached per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.realdata import Reference, load_reference


@pytest.fixture(scope="session")
def reference(marketdata: Path) -> Reference:
    return load_reference(marketdata)
