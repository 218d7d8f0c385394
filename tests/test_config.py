from pathlib import Path

import pytest

from reporter import config
from reporter.errors import ConfigError


def test_defaults_load_and_hold_the_default_universe():
    cfg = config.load()
    assert cfg.universe.indices == ("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX")
    assert set(cfg.universe.size) == {"XLG", "RSP", "SPY", "IWM"}
    assert len(cfg.universe.sectors) == 11
    assert cfg.universe.watchlist == ("NVDA",)
    assert cfg.metrics.milestone_steps["^DJI"] == 1000
    assert cfg.report.languages == ("zh-CN", "en-US", "bilingual")


def test_user_file_overlays_defaults(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text('[universe]\nwatchlist = ["AAPL", "MSFT"]\n[report]\npaper = "letter"\n')
    cfg = config.load(p)
    assert cfg.universe.watchlist == ("AAPL", "MSFT")
    assert cfg.report.paper == "letter"
    assert cfg.universe.indices[0] == "^GSPC"  # untouched defaults stay


def test_every_problem_is_listed_at_once(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text(
        '[universe]\nindices = ["^RUT"]\nwatchlist = ["bad symbol!"]\n'
        '[metrics]\nwatch_return_sessions = 0\n[report]\npaper = "a3"\n'
    )
    with pytest.raises(ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    for key in ("universe.indices", "universe.watchlist", "metrics.watch_return_sessions",
                "report.paper"):
        assert key in msg
    assert "\n" not in msg


def test_missing_and_broken_files_are_named(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[universe\n")
    with pytest.raises(ConfigError, match="bad.toml"):
        config.load(bad)
