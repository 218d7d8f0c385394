"""The [portal] configuration table: defaults, values, every problem named with its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter import config
from reporter.errors import ConfigError


def test_defaults():
    portal = config.load().portal
    assert portal.title == "" and portal.base_url == ""
    assert portal.feed_id == "tag:market-breadth.invalid,2026:portal"
    assert (portal.feed_entries, portal.detailed_days) == (30, 10)


def test_values_from_the_user_file(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text('[portal]\ntitle = "Desk notes"\nbase_url = "https://r.example/breadth/"\n'
                 'feed_id = "tag:r.example,2026:breadth"\nfeed_entries = 5\ndetailed_days = 0\n')
    portal = config.load(p).portal
    assert portal.title == "Desk notes" and portal.base_url == "https://r.example/breadth/"
    assert portal.feed_id == "tag:r.example,2026:breadth"
    assert (portal.feed_entries, portal.detailed_days) == (5, 0)


def test_every_problem_is_named(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text('[portal]\ntitle = 3\nbase_url = "https://r.example/no-slash"\n'
                 'feed_id = "no uri here"\nfeed_entries = 0\ndetailed_days = -1\n'
                 '[report]\npaper = "a3"\n')
    with pytest.raises(ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    for key in ("portal.title", "portal.base_url", "portal.feed_id", "portal.feed_entries",
                "portal.detailed_days", "report.paper"):
        assert key in msg, key
    assert "\n" not in msg


def test_base_url_must_be_http(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text('[portal]\nbase_url = "ftp://r.example/"\n')
    with pytest.raises(ConfigError, match="portal.base_url"):
        config.load(p)
