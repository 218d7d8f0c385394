"""Fixtures of the fault suite: a private copy of the tiny market for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.fakes import fake_editions, patch_render
from tests.support.market import SMALL_CONFIG, Market, write_market


@pytest.fixture(scope="session")
def base_market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("market") / "tiny"
    return root, write_market(root)


@pytest.fixture
def market(base_market: tuple[Path, list[str]], tmp_path: Path) -> Market:
    root = tmp_path / "market"
    shutil.copytree(base_market[0], root)
    config = tmp_path / "small.toml"
    config.write_text(SMALL_CONFIG, "utf-8")
    return Market(root, list(base_market[1]), config)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs in this process skip the slow render stage (fixed bytes per edition)."""
    patch_render(monkeypatch, fake_editions)
