import tomllib
from pathlib import Path

import pytest

from reporter import config
from reporter.errors import ConfigError
from tests.support.cli import cli


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


# -- one schema: unknown keys, the effective configuration as TOML ---------------------------------

def _file(tmp_path: Path, text: str, name: str = "c.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_unknown_keys_are_named_with_their_path_and_a_hint(tmp_path: Path):
    p = _file(tmp_path, '[report]\ntitel = "x"\n[univers]\nindices = ["^GSPC"]\n'
                        '[email]\nrecipient = ["a@desk.test"]\n[insights]\nfoo = 1\n'
                        '[metrics]\nhistory = 300\n')
    with pytest.raises(ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    assert msg.startswith("invalid configuration: ") and "\n" not in msg
    for part in ("report.titel: unknown key (did you mean report.title?)",
                 "univers: unknown key (did you mean universe?)",
                 "email.recipient: unknown key (did you mean email.recipients?)",
                 "insights.foo: unknown key",
                 "metrics.history: unknown key (did you mean metrics.history_sessions?)"):
        assert part in msg, part
    assert "insights.foo: unknown key (" not in msg  # no close key: no guess


def test_types_are_not_converted_silently(tmp_path: Path):
    p = _file(tmp_path, '[metrics]\nhistory_sessions = "300"\n[universe]\nwatchlist = "NVDA"\n'
                        '[report]\ntitle = 3\nlanguages = []\n[portal]\nfeed_entries = true\n')
    with pytest.raises(ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    for part in ("metrics.history_sessions: expected a whole number, got '300'",
                 "universe.watchlist: expected a list, got 'NVDA'",
                 "report.title: expected text, got 3",
                 "report.languages: must not be empty",
                 "portal.feed_entries: expected a whole number, got True"):
        assert part in msg, part


def test_milestone_steps_add_to_the_defaults(tmp_path: Path):
    p = _file(tmp_path, '[metrics.milestone_steps]\n"^NDX" = 500\n"^DJI" = 5000\n')
    steps = config.load(p).metrics.milestone_steps
    assert steps == {"^DJI": 5000.0, "^GSPC": 100.0, "^IXIC": 1000.0, "^RUT": 100.0,
                     "^NDX": 500.0}
    with pytest.raises(ConfigError, match=r"metrics.milestone_steps.\^NDX: expected a positive"):
        config.load(_file(tmp_path, '[metrics.milestone_steps]\n"^NDX" = 0\n'))


def test_the_defaults_print_as_a_commented_toml_file_that_loads_back():
    text = config.render_toml(config.load())
    assert config.validate(tomllib.loads(text)) == config.Config()
    lines = text.splitlines()
    for section, table in config.Config.model_fields.items():
        if section == "webhooks":  # an array of tables, none by default: a commented example
            start = lines.index("# [[webhooks]]")
            for name, spec in config.WebhookConfig.model_fields.items():
                assert spec.description, f"webhooks.{name} has no description"
                at = next(i for i in range(start, len(lines))
                          if lines[i].startswith(f"# {name} = "))
                assert lines[at - 1].startswith("## "), f"webhooks.{name} has no comment"
            continue
        start = lines.index(f"[{section}]")
        assert lines[start - 1].startswith("# "), section
        for name, spec in table.annotation.model_fields.items():  # type: ignore[union-attr]
            assert spec.description, f"{section}.{name} has no description"
            header = f"[{section}.{name}]"
            at = (lines.index(header) if header in lines else
                  next(i for i in range(start, len(lines)) if lines[i].startswith(f"{name} = ")))
            assert lines[at - 1].startswith("# "), f"{section}.{name} has no comment above it"


def test_config_command_prints_the_effective_configuration(tmp_path: Path, capsys):
    p = _file(tmp_path, '[report]\ntitle = "Desk \\"breadth\\" \\\\ 市场"\npaper = "letter"\n'
                        '[universe]\nwatchlist = ["AAPL", "MSFT"]\n'
                        '[email]\nrecipients = ["a@desk.test:en-US", "b@desk.test"]\n'
                        '[insights]\nvix_stress = 35\n[metrics.milestone_steps]\n"^NDX" = 500\n')
    code, out, err = cli(capsys, "config", "--config", str(p))
    assert (code, err) == (0, "")
    printed = tomllib.loads(out)
    assert printed["report"]["title"] == 'Desk "breadth" \\ 市场'
    assert printed["email"]["recipients"] == ["a@desk.test:en-US", "b@desk.test:bilingual"]
    assert printed["insights"]["vix_stress"] == 35.0
    back = _file(tmp_path, out, "printed.toml")
    assert config.load(back) == config.load(p)
    assert config.load(back) != config.load()


def test_config_command_names_every_problem(tmp_path: Path, capsys):
    p = _file(tmp_path, '[report]\ntitel = "x"\n')
    code, out, err = cli(capsys, "--config", str(p), "config")
    assert code == 2 and out == ""
    assert err == ("reporter: error: invalid configuration: report.titel: unknown key "
                   "(did you mean report.title?)\n")
