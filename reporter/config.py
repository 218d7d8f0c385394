"""Configuration: one TOML file, merged over the packaged defaults and validated once.

Every problem is collected and reported together, each with its key. No I/O beyond reading the
TOML files themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from reporter.errors import ConfigError

LANGUAGES = ("zh-CN", "en-US", "bilingual")
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class UniverseConfig:
    indices: tuple[str, ...]
    size: tuple[str, ...]
    sectors: tuple[str, ...]
    watchlist: tuple[str, ...]
    constituents: str = ""

    @property
    def series(self) -> tuple[str, ...]:
        """Every non-member symbol, in a stable order without repeats."""
        seen: dict[str, None] = {}
        for s in (*self.indices, *self.size, *self.sectors, *self.watchlist):
            seen.setdefault(s, None)
        return tuple(seen)


@dataclass(frozen=True)
class MetricsConfig:
    history_sessions: int = 1260
    watch_return_sessions: int = 20
    milestone_steps: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportConfig:
    languages: tuple[str, ...] = LANGUAGES
    paper: str = "a4"
    title: str = "Market Breadth"
    author: str = "Market Breadth Reporter"


@dataclass(frozen=True)
class Config:
    universe: UniverseConfig
    metrics: MetricsConfig
    report: ReportConfig
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def _defaults() -> dict[str, Any]:
    text = resources.files("reporter").joinpath("defaults/config.toml").read_text("utf-8")
    return tomllib.loads(text)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class _Checker:
    """Collects every validation problem so the user sees them all at once."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                self.problems.append(f"{dotted}: missing")
                return None
            node = node[part]
        return node

    def symbols(self, dotted: str, *, nonempty: bool = True) -> tuple[str, ...]:
        value = self.get(dotted)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problems.append(f"{dotted}: expected a list of symbols, got {value!r}")
            return ()
        if nonempty and not value:
            self.problems.append(f"{dotted}: must not be empty")
        bad = [v for v in value if not _is_symbol(v)]
        if bad:
            self.problems.append(f"{dotted}: not a valid symbol: {', '.join(map(repr, bad))}")
        return tuple(v.strip() for v in value)

    def integer(self, dotted: str, lo: int, hi: int) -> int:
        value = self.get(dotted)
        if value is None:
            return lo
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problems.append(
                f"{dotted}: expected a whole number from {lo} to {hi}, got {value!r}"
            )
            return lo
        return value

    def choice(self, dotted: str, options: tuple[str, ...]) -> str:
        value = self.get(dotted)
        if value not in options:
            if value is not None:
                self.problems.append(
                    f"{dotted}: expected one of {', '.join(options)}, got {value!r}"
                )
            return options[0]
        return str(value)

    def text(self, dotted: str) -> str:
        value = self.get(dotted)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{dotted}: expected text, got {value!r}")
            return ""
        return value


def _is_symbol(value: str) -> bool:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789^.-=")
    return 0 < len(value) <= 12 and set(value.upper()) <= allowed


def validate(data: dict[str, Any]) -> Config:
    """Build a typed Config from merged TOML data, or raise ConfigError listing every problem."""
    c = _Checker(data)
    indices = c.symbols("universe.indices")
    if indices and "^GSPC" not in indices:
        c.problems.append("universe.indices: must include ^GSPC")
    universe = UniverseConfig(
        indices=indices,
        size=c.symbols("universe.size", nonempty=False),
        sectors=c.symbols("universe.sectors"),
        watchlist=c.symbols("universe.watchlist", nonempty=False),
        constituents=c.text("universe.constituents"),
    )
    steps_raw = c.get("metrics.milestone_steps") or {}
    steps: dict[str, float] = {}
    if not isinstance(steps_raw, dict):
        c.problems.append("metrics.milestone_steps: expected a table of symbol = step")
    else:
        for sym, step in steps_raw.items():
            ok = isinstance(step, int | float) and not isinstance(step, bool) and step > 0
            if not ok:
                c.problems.append(f"metrics.milestone_steps.{sym}: expected a positive number")
            else:
                steps[sym] = float(step)
    metrics = MetricsConfig(
        history_sessions=c.integer("metrics.history_sessions", 260, 5000),
        watch_return_sessions=c.integer("metrics.watch_return_sessions", 1, 252),
        milestone_steps=steps,
    )
    langs = c.get("report.languages")
    if not isinstance(langs, list) or not langs or any(x not in LANGUAGES for x in langs):
        if langs is not None:
            c.problems.append(
                "report.languages: expected a non-empty list of "
                f"{', '.join(LANGUAGES)}, got {langs!r}"
            )
        langs = list(LANGUAGES)
    report = ReportConfig(
        languages=tuple(langs),
        paper=c.choice("report.paper", PAPERS),
        title=c.text("report.title") or "Market Breadth",
        author=c.text("report.author") or "Market Breadth Reporter",
    )
    if c.problems:
        raise ConfigError("invalid configuration: " + "; ".join(c.problems))
    return Config(universe=universe, metrics=metrics, report=report, raw=data)


def load(path: str | Path | None = None) -> Config:
    """The packaged defaults, overlaid with the user's file when given."""
    data = _defaults()
    if path is not None:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"configuration file not found: {p}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"configuration file {p} is not valid TOML: {exc}") from None
        data = _merge(data, user)
    return validate(data)
