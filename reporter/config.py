"""Configuration: one TOML file, merged over the packaged defaults and validated once.

Every problem is collected and reported together, each with its key. No I/O beyond reading the
TOML files themselves.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporter import resources
from reporter.errors import ConfigError
from reporter.vocabulary import BILINGUAL, PAPERS, SMTP_PORTS, TLS_MODES
from reporter.vocabulary import EDITIONS as LANGUAGES

#: Hosts that plain-text SMTP (``tls = "none"``) may be used with: it never leaves the machine.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
DEFAULT_FEED_ID = "tag:market-breadth.invalid,2026:portal"
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"]+")


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
class Recipient:
    """One e-mail recipient and the edition they read."""

    address: str
    edition: str = BILINGUAL

    def __str__(self) -> str:
        return f"{self.address}:{self.edition}"


def parse_recipient(text: str, where: str = "--to") -> Recipient:
    """``ADDRESS`` or ``ADDRESS:LANG``; the edition defaults to bilingual."""
    value = text.strip() if isinstance(text, str) else ""
    address, edition = value, BILINGUAL
    if ":" in value:
        address, edition = (part.strip() for part in value.rsplit(":", 1))
        if edition not in LANGUAGES:
            raise ConfigError(
                f"{where}: expected ADDRESS[:LANG] with LANG one of {', '.join(LANGUAGES)}, "
                f"got {text!r}"
            )
    if not _ADDRESS.fullmatch(address):
        raise ConfigError(f"{where}: not an e-mail address: {text!r}")
    return Recipient(address, edition)


@dataclass(frozen=True)
class PortalConfig:
    title: str = ""  # "" = the localised default title
    base_url: str = ""  # absolute URL ending in "/", or "" when the portal is read from disk
    feed_id: str = DEFAULT_FEED_ID
    feed_entries: int = 30
    detailed_days: int = 10


@dataclass(frozen=True)
class EmailConfig:
    sender: str = ""
    recipients: tuple[Recipient, ...] = ()
    host: str = "localhost"
    port: int = 0  # 0 = the usual port for the TLS mode
    tls: str = "starttls"
    timeout: int = 60

    @property
    def effective_port(self) -> int:
        return self.port or SMTP_PORTS[self.tls]


@dataclass(frozen=True)
class Config:
    universe: UniverseConfig
    metrics: MetricsConfig
    report: ReportConfig
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    portal: PortalConfig = field(default_factory=PortalConfig)
    email: EmailConfig = field(default_factory=EmailConfig)


def _defaults() -> dict[str, Any]:
    text = resources.package_file("defaults/config.toml").read_text("utf-8")
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


#: A ticker as yfinance spells it (``^GSPC``, ``BRK-B``, ``EURUSD=X``). Symbols become file
#: names (``prices/<SYMBOL>.csv``, chart names), so nothing else is accepted: no separators,
#: no leading dot, no markup.
SYMBOL = re.compile(r"[A-Za-z0-9^][A-Za-z0-9^.=-]{0,11}")


def is_symbol(value: str) -> bool:
    return bool(SYMBOL.fullmatch(value))


def _is_symbol(value: str) -> bool:
    return is_symbol(value.strip())


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
    portal = _portal(c)
    email = _email(c)
    if c.problems:
        raise ConfigError("invalid configuration: " + "; ".join(c.problems))
    return Config(
        universe=universe, metrics=metrics, report=report, raw=data, portal=portal, email=email
    )


def _portal(c: _Checker) -> PortalConfig:
    base_url = c.text("portal.base_url").strip()
    if base_url and not (base_url.startswith(("http://", "https://")) and base_url.endswith("/")
                         and _URI.fullmatch(base_url)):
        c.problems.append(
            f"portal.base_url: expected an http(s) URL ending in '/' or \"\", got {base_url!r}"
        )
        base_url = ""
    feed_id = c.text("portal.feed_id").strip()
    if not _URI.fullmatch(feed_id):
        if c.get("portal.feed_id") is not None:
            c.problems.append(f"portal.feed_id: expected a URI such as tag:..., got {feed_id!r}")
        feed_id = DEFAULT_FEED_ID
    return PortalConfig(
        title=c.text("portal.title").strip(),
        base_url=base_url,
        feed_id=feed_id,
        feed_entries=c.integer("portal.feed_entries", 1, 1000),
        detailed_days=c.integer("portal.detailed_days", 0, 1000),
    )


def _email(c: _Checker) -> EmailConfig:
    for secret in ("user", "password"):
        node = c.data.get("email")
        if isinstance(node, dict) and secret in node:
            c.problems.append(
                f"email.{secret}: secrets are read only from the environment variable "
                f"REPORTER_SMTP_{secret.upper()}, never from the configuration file"
            )
    sender = c.text("email.sender").strip()
    if sender and not _ADDRESS.fullmatch(sender):
        c.problems.append(f"email.sender: not an e-mail address: {sender!r}")
    raw = c.get("email.recipients")
    recipients: list[Recipient] = []
    if raw is not None and not isinstance(raw, list):
        c.problems.append(f"email.recipients: expected a list of \"ADDRESS[:LANG]\", got {raw!r}")
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            recipients.append(parse_recipient(item, f"email.recipients[{i}]"))
        except ConfigError as exc:
            c.problems.append(str(exc))
    host = c.text("email.host").strip()
    if not host or any(ch.isspace() for ch in host):
        if c.get("email.host") is not None:
            c.problems.append(f"email.host: expected a host name, got {host!r}")
        host = "localhost"
    tls = c.choice("email.tls", TLS_MODES)
    if tls == "none" and host not in LOCAL_HOSTS:
        c.problems.append(
            f"email.tls: 'none' sends the password and mail in clear text, allowed only to "
            f"{', '.join(LOCAL_HOSTS)}, not to {host!r}"
        )
    return EmailConfig(
        sender=sender,
        recipients=tuple(recipients),
        host=host,
        port=c.integer("email.port", 0, 65535),
        tls=tls,
        timeout=c.integer("email.timeout", 1, 600),
    )


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
        except OSError as exc:  # a folder, no permission, an I/O error
            raise ConfigError(
                f"cannot read the configuration file {p}: {exc.strerror or exc}"
            ) from None
        data = _merge(data, user)
    return validate(data)
