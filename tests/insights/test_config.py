"""The [insights] thresholds: packaged defaults, overrides and validation."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from reporter.config import load
from reporter.errors import ConfigError
from reporter.insights import InsightsConfig, insights_config

DEFAULTS = Path(__file__).resolve().parents[2] / "reporter" / "defaults" / "config.toml"


def test_packaged_table_lists_every_threshold_with_the_dataclass_default() -> None:
    table = tomllib.loads(DEFAULTS.read_text("utf-8"))["insights"]
    names = {f.name for f in dataclasses.fields(InsightsConfig)}
    assert set(table) == names
    for f in dataclasses.fields(InsightsConfig):
        assert table[f.name] == f.default, f.name
        assert type(table[f.name]) is type(f.default), f.name


def test_every_default_is_documented_by_a_comment() -> None:
    """Each key sits in a group of keys directly under a comment that explains it."""
    lines = DEFAULTS.read_text("utf-8").split("[insights]", 1)[1].splitlines()
    for f in dataclasses.fields(InsightsConfig):
        i = next(n for n, line in enumerate(lines) if line.startswith(f"{f.name} ="))
        while i > 0 and "=" in lines[i - 1] and not lines[i - 1].startswith("#"):
            i -= 1
        assert i > 0 and lines[i - 1].startswith("#"), f"{f.name} has no comment above it"


def test_loaded_configuration_gives_the_defaults() -> None:
    cfg = load()
    assert insights_config(cfg.raw["insights"]) == InsightsConfig()
    assert insights_config({}) == InsightsConfig()
    assert insights_config(None) == InsightsConfig()


def test_overrides_keep_the_other_defaults() -> None:
    got = insights_config({"vix_stress": 35, "run_notable": 5})
    assert got.vix_stress == 35.0 and isinstance(got.vix_stress, float)
    assert got.run_notable == 5
    assert got.vix_elevated == InsightsConfig().vix_elevated


def test_user_file_overrides_one_key(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text("[insights]\nvix_elevated = 22.5\n", "utf-8")
    cfg = load(path)
    got = insights_config(cfg.raw["insights"])
    assert got.vix_elevated == 22.5
    assert got.vix_stress == 30.0


def test_every_problem_is_listed_at_once_on_one_line() -> None:
    with pytest.raises(ConfigError) as info:
        insights_config(
            {
                "vix_stress": "high",
                "run_notable": 2.5,
                "key_points_max": 40,
                "bogus": 1,
                "recent_sessions": True,
            }
        )
    text = str(info.value)
    assert "\n" not in text
    for part in (
        "insights.vix_stress: expected a number, got 'high'",
        "insights.run_notable: expected a whole number, got 2.5",
        "insights.key_points_max: expected a value from 1 to 12, got 40",
        "insights.bogus: unknown setting",
        "insights.recent_sessions: expected a whole number, got True",
    ):
        assert part in text


def test_thresholds_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ConfigError, match="vix_elevated: must not exceed insights.vix_stress"):
        insights_config({"vix_elevated": 35.0})
    with pytest.raises(ConfigError, match="key_points_min: must not exceed"):
        insights_config({"key_points_min": 8, "key_points_max": 6})


def test_a_table_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ConfigError, match="insights: expected a table"):
        insights_config(["vix_stress"])  # type: ignore[arg-type]
