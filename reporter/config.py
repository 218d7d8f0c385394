"""Configuration: one declarative schema for the whole TOML file, ``[insights]`` included.

Each table of the file is a model below. A key's type, default, accepted range and description
live in its ``Field`` and nowhere else: ``reporter config`` prints them as a commented TOML file
(:func:`render_toml`). A file is checked as a whole, before any data is read: unknown keys (with
their full dotted path and a "did you mean" hint), wrong types, values out of range and
thresholds in the wrong order are all listed in one ConfigError, each naming its key.
"""

from __future__ import annotations

import difflib
import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from reporter.errors import ConfigError
from reporter.vocabulary import (
    BENCHMARK,
    BILINGUAL,
    CAPITULATION,
    DOW_JONES,
    EDITIONS,
    HEADLINE_INDICES,
    NASDAQ_COMPOSITE,
    RUSSELL_2000,
    SECTORS,
    SIZE_ETFS,
    SMTP_PORTS,
    SP500,
    VIX,
    Capitulation,
    Edition,
    Paper,
    TlsMode,
)

WebhookKind = Literal["slack", "wecom", "dingtalk", "feishu"]
#: Hosts that plain-text SMTP (``tls = "none"``) may be used with: it never leaves the machine.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
DEFAULT_FEED_ID = "tag:market-breadth.invalid,2026:portal"
DEFAULT_TITLE = "Market Breadth"
DEFAULT_AUTHOR = "Market Breadth Reporter"
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")

#: A ticker as yfinance spells it (``^GSPC``, ``BRK-B``, ``EURUSD=X``). Symbols become file
#: names (``prices/<SYMBOL>.csv``, chart names), so nothing else is accepted: no separators,
#: no leading dot, no markup.
SYMBOL = re.compile(r"[A-Za-z0-9^][A-Za-z0-9^.=-]{0,11}")


def is_symbol(value: str) -> bool:
    return bool(SYMBOL.fullmatch(value))


class _KeyedError(ValueError):
    """A problem that belongs to another key of the same table than the one being checked
    (a threshold pair in the wrong order is reported at the lower one)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# -- value types: TOML values as they are, no silent conversion (except integer -> number) ------

Text = Annotated[str, Strict()]
Flag = Annotated[bool, Strict()]
Whole = Annotated[int, Strict()]
Number = Annotated[float, Strict()]


def _symbol(value: str) -> str:
    value = value.strip()
    if not is_symbol(value):
        raise ValueError(f"not a valid symbol: {value!r}")
    return value


Symbol = Annotated[str, Strict(), AfterValidator(_symbol)]


@dataclass(frozen=True)
class Recipient:
    """One e-mail recipient and the edition they read."""

    address: str
    edition: str = BILINGUAL

    def __str__(self) -> str:
        return f"{self.address}:{self.edition}"


def _recipient(text: object) -> Recipient:
    """``ADDRESS`` or ``ADDRESS:LANG``; the edition defaults to bilingual."""
    if isinstance(text, Recipient):
        return text
    value = text.strip() if isinstance(text, str) else ""
    edition: str
    address, edition = value, BILINGUAL
    if ":" in value:
        address, edition = (part.strip() for part in value.rsplit(":", 1))
        if edition not in EDITIONS:
            raise ValueError(
                f"expected ADDRESS[:LANG] with LANG one of {', '.join(EDITIONS)}, got {text!r}"
            )
    if not _ADDRESS.fullmatch(address):
        raise ValueError(f"not an e-mail address: {text!r}")
    return Recipient(address, edition)


def sender_address(text: str) -> tuple[str, str]:
    """``(display name, address)`` of a From value: ``r@example.com`` or
    ``Breadth Research <r@example.com>`` (the name may be quoted). ValueError otherwise."""
    from email.utils import parseaddr

    value = text.strip()
    if "<" not in value and ">" not in value:
        if not _ADDRESS.fullmatch(value):
            raise ValueError(f"not an e-mail address: {text!r}")
        return "", value
    if not value.endswith(">") or value.count("<") != 1:
        raise ValueError(f"expected ADDRESS or NAME <ADDRESS>, got {text!r}")
    name, address = parseaddr(value)
    if not address or not _ADDRESS.fullmatch(address) or any(c in name for c in "\r\n"):
        raise ValueError(f"expected ADDRESS or NAME <ADDRESS>, got {text!r}")
    return name, address


def parse_recipient(text: str, where: str = "--to") -> Recipient:
    """``ADDRESS`` or ``ADDRESS:LANG`` from the command line; errors name ``where``."""
    try:
        return _recipient(text)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


RecipientItem = Annotated[Recipient, PlainValidator(_recipient), PlainSerializer(str)]


# -- the tables -----------------------------------------------------------------------------------

class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class UniverseConfig(_Table):
    """The symbols the report covers (as yfinance spells them)."""

    indices: tuple[Symbol, ...] = Field(
        (*HEADLINE_INDICES, VIX), min_length=1,
        description=f"Headline indices. {BENCHMARK} is required.",
    )
    size: tuple[Symbol, ...] = Field(
        SIZE_ETFS,
        description=(
            "Size and style proxies: mega-cap (XLG, S&P 500 Top 50), equal weight (RSP), SPY, IWM."
        ),
    )
    sectors: tuple[Symbol, ...] = Field(
        tuple(sector.etf for sector in SECTORS),
        min_length=1, description="The 11 GICS sector ETFs (SPDR).",
    )
    watchlist: tuple[Symbol, ...] = Field(
        ("NVDA",), description="Bellwether stocks with a technical section of their own.",
    )
    constituents: Text = Field(
        "",
        description=(
            "Index members. With --source yahoo: a constituents CSV (Symbol,Security,GICS "
            "Sector) or \"\" for the public S&P 500 member list (cached with the date it was "
            "read). CSV and sample sources bring their own constituents list."
        ),
    )

    @field_validator("indices")
    @classmethod
    def _needs_the_sp500(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if BENCHMARK not in value:
            raise ValueError(f"must include {BENCHMARK}")
        return value

    @property
    def series(self) -> tuple[str, ...]:
        """Every non-member symbol, in a stable order without repeats."""
        return tuple(dict.fromkeys((*self.indices, *self.size, *self.sectors, *self.watchlist)))


DEFAULT_MILESTONE_STEPS: dict[str, float] = {
    DOW_JONES: 1000.0, SP500: 100.0, NASDAQ_COMPOSITE: 1000.0, RUSSELL_2000: 100.0
}


class MetricsConfig(_Table):
    """The metrics: how much history they use, and the round-number milestones."""

    history_sessions: Whole = Field(
        1260, ge=260, le=5000,
        description="Sessions of history to keep in view (1260: 5 years of NYSE sessions).",
    )
    watch_return_sessions: Whole = Field(
        20, ge=1, le=252, description="Watch-list N-session return.",
    )
    milestone_steps: dict[Text, Annotated[Number, Field(gt=0)]] = Field(
        default_factory=lambda: dict(DEFAULT_MILESTONE_STEPS),
        description=(
            "Round-number milestones: the step per index. Your entries are added to these (or "
            "replace the step of the same index)."
        ),
    )

    @field_validator("milestone_steps", mode="before")
    @classmethod
    def _over_the_defaults(cls, value: object) -> object:
        return {**DEFAULT_MILESTONE_STEPS, **value} if isinstance(value, dict) else value


class PortalConfig(_Table):
    """The research portal that `reporter publish --out DIR` (or `run --publish`) keeps in DIR."""

    title: Text = Field(
        "",
        description="Site title; \"\" uses the localised default (市场广度研究 / Market Breadth "
                    "Research).",
    )
    base_url: Text = Field(
        "",
        description=(
            "Where the portal is served, e.g. \"https://research.example.com/breadth/\" "
            "(ending in \"/\"), or \"\" when it is only read from disk. Used for the feed's "
            "absolute links and in e-mails."
        ),
    )
    feed_id: Text = Field(
        DEFAULT_FEED_ID,
        description=(
            "The Atom feed's permanent id (a URI). Set your own once, and never change it "
            "afterwards."
        ),
    )
    feed_entries: Whole = Field(
        30, ge=1, le=1000, description="Entries in feed.xml (newest days).",
    )
    detailed_days: Whole = Field(
        10, ge=0, le=1000,
        description=(
            "Days listed on the front page, one line each, after the latest day (which leads "
            "with its headline, summary and key data points); all days are in the archive by "
            "month."
        ),
    )

    @field_validator("title")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("base_url")
    @classmethod
    def _http_folder(cls, value: str) -> str:
        value = value.strip()
        if value and not (value.startswith(("http://", "https://")) and value.endswith("/")
                          and _URI.fullmatch(value)):
            raise ValueError(f"expected an http(s) URL ending in '/' or \"\", got {value!r}")
        return value

    @field_validator("feed_id")
    @classmethod
    def _uri(cls, value: str) -> str:
        value = value.strip()
        if not _URI.fullmatch(value):
            raise ValueError(f"expected a URI such as tag:..., got {value!r}")
        return value


class EmailConfig(_Table):
    """The morning e-mail: `reporter send` and `reporter run --email`. The SMTP user name and
    password come only from the environment: REPORTER_SMTP_USER, REPORTER_SMTP_PASSWORD."""

    #: Keys that must never be in the file, and the environment variable that holds each.
    SECRETS: ClassVar[dict[str, str]] = {
        "user": "REPORTER_SMTP_USER", "password": "REPORTER_SMTP_PASSWORD",
    }

    sender: Text = Field("", description=(
        "From address, with a display name if you like: \"Breadth Research <r@example.com>\"; "
        "required to send."))
    recipients: tuple[RecipientItem, ...] = Field(
        (),
        description=(
            "Recipients for `run --email` (and `send` without --to): \"address\" or "
            "\"address:LANG\" with LANG zh-CN, en-US or bilingual (the default)."
        ),
    )
    host: Text = Field("localhost", description="The SMTP server.")
    port: Whole = Field(
        0, ge=0, le=65535,
        description="0 picks the usual port for the TLS mode: 587 starttls, 465 ssl, 25 none.",
    )
    tls: TlsMode = Field(
        "starttls",
        description="starttls | ssl | none (\"none\" only to a server on this machine).",
    )
    timeout: Whole = Field(60, ge=1, le=600, description=(
        "Seconds one exchange with the server may take in all (connecting and logging in; "
        "sending one message; closing): a deadline, not a wait per read."))
    unsubscribe: tuple[Text, ...] = Field(
        (),
        description=(
            "How a reader leaves the list, sent as the List-Unsubscribe header and shown at the "
            "foot of the message: \"mailto:leave@example.com\" and/or an https:// URL. Empty: "
            "no header."
        ),
    )
    unsubscribe_one_click: Flag = Field(
        False,
        description=(
            "Also send List-Unsubscribe-Post (RFC 8058, one-click): only when the https URL in "
            "unsubscribe removes the reader on a POST without asking anything."
        ),
    )

    @field_validator("sender")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip()
        if value:
            sender_address(value)  # ValueError naming what is wrong
        return value

    @field_validator("unsubscribe")
    @classmethod
    def _uris(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for item in value:
            item = item.strip()
            if not (_URI.fullmatch(item) and item.lower().startswith(
                    ("mailto:", "https://", "http://"))):
                raise ValueError(f"expected a mailto: or http(s) URL, got {item!r}")
            if item.lower().startswith("mailto:") and not _ADDRESS.fullmatch(
                    item[7:].split("?", 1)[0]):
                raise ValueError(f"not an e-mail address after mailto: in {item!r}")
            out.append(item)
        return tuple(out)

    @field_validator("unsubscribe_one_click")
    @classmethod
    def _needs_a_url(cls, value: bool, info: ValidationInfo) -> bool:
        uris = info.data.get("unsubscribe") or ()
        if value and not any(u.lower().startswith(("https://", "http://")) for u in uris):
            raise ValueError("needs an https:// URL in email.unsubscribe")
        return value

    @field_validator("host")
    @classmethod
    def _host_name(cls, value: str) -> str:
        value = value.strip()
        if not value or any(ch.isspace() for ch in value):
            raise ValueError(f"expected a host name, got {value!r}")
        return value

    @field_validator("tls")
    @classmethod
    def _clear_text_stays_local(cls, value: str, info: ValidationInfo) -> str:
        host = info.data.get("host")
        if value == "none" and host is not None and host not in LOCAL_HOSTS:
            raise ValueError(
                f"'none' sends the password and mail in clear text, allowed only to "
                f"{', '.join(LOCAL_HOSTS)}, not to {host!r}"
            )
        return value

    @property
    def effective_port(self) -> int:
        return self.port or SMTP_PORTS[self.tls]


class WebhookConfig(_Table):
    """A team chat that gets the day's headline, key points and portal link (`reporter chat`,
    `run --chat`): Slack, WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书). Its URL and signing
    secret are read only from the environment variables named here."""

    #: Keys that must never be in the file (the URL holds the chat's key).
    SECRETS: ClassVar[dict[str, str]] = {
        "url": "named by url_env", "secret": "named by secret_env",
        "webhook": "named by url_env", "token": "named by url_env",
    }
    #: What ``reporter config`` shows when no webhook is configured.
    EXAMPLE: ClassVar[dict[str, str]] = {
        "name": "desk", "kind": "wecom", "url_env": "REPORTER_WECOM_URL",
    }
    #: Kinds whose robots may sign each message with a secret.
    SIGNED: ClassVar[tuple[str, ...]] = ("dingtalk", "feishu")

    name: Text = Field(description=(
        "A short name (letters, digits, - _ .): in errors and the record of what was sent."))
    kind: WebhookKind = Field(description="slack | wecom | dingtalk | feishu.")
    url_env: Text = Field(description=(
        "The environment variable that holds the webhook URL (it carries the chat's key, so "
        "it is never written in this file)."))
    secret_env: Text = Field("", description=(
        "dingtalk and feishu: the environment variable holding the signing secret when the "
        "robot signs messages (加签 / 签名校验); \"\" for none."))
    language: Edition = Field("zh-CN", description="zh-CN, en-US or bilingual.")
    timeout: Whole = Field(10, ge=1, le=120, description=(
        "Seconds one attempt may take in all, connecting included: a deadline."))
    retries: Whole = Field(2, ge=0, le=5, description=(
        "Further attempts after a network error, a server error or a rate limit, 1 s, 2 s, "
        "4 s ... apart."))

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError(f"expected letters, digits, '-', '_' or '.', got {value!r}")
        return value

    @field_validator("url_env", "secret_env")
    @classmethod
    def _variable(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if (value or info.field_name == "url_env") and not _ENV_NAME.fullmatch(value):
            raise ValueError(f"expected the name of an environment variable, got {value!r}")
        kind = info.data.get("kind")
        if value and info.field_name == "secret_env" and kind and kind not in cls.SIGNED:
            raise ValueError(f"only dingtalk and feishu robots sign messages, not "
                             f"{kind!r}")
        return value


class ReportConfig(_Table):
    """The PDF editions."""

    languages: tuple[Edition, ...] = Field(
        EDITIONS, min_length=1,
        description="Editions: zh-CN, en-US, bilingual.",
    )
    paper: Paper = Field("a4", description="a4 | letter.")
    title: Text = Field(DEFAULT_TITLE, description="The PDF's document title.")
    author: Text = Field(DEFAULT_AUTHOR, description="The PDF's author.")

    @field_validator("title", "author")
    @classmethod
    def _or_default(cls, value: str, info: ValidationInfo) -> str:
        return value or {"title": DEFAULT_TITLE, "author": DEFAULT_AUTHOR}[info.field_name or ""]


class InsightsConfig(_Table):
    """Thresholds of the insight rules. Returns, spreads and shares are fractions (0.02 = 2%)."""

    #: (lower, higher): the lower threshold must not exceed the higher one.
    ORDERED: ClassVar[tuple[tuple[str, str], ...]] = (
        ("vix_complacent", "vix_elevated"),
        ("vix_elevated", "vix_stress"),
        ("vix_stress", "vix_extreme"),
        ("key_points_min", "key_points_max"),
        ("index_move_notable", "index_move_big"),
        ("watch_near_high", "watch_below_high"),
        ("watch_below_high", "watch_drawdown"),
        ("move_volume_light", "move_volume_heavy"),
        ("basket_quiet", "basket_squeeze"),
        ("story_capitulation_move", "story_capitulation_drop"),
        ("story_broad_share", "story_sweep_share"),
    )

    # key data points and tone
    key_points_min: Whole = Field(
        5, ge=1, le=12, description="Key data points: at least this many.",
    )
    key_points_max: Whole = Field(
        7, ge=1, le=12, description="Key data points: at most this many.",
    )
    risks_max: Whole = Field(
        6, ge=3, le=30, description="Risks: at most this many, the highest scores first.",
    )
    opportunities_max: Whole = Field(
        5, ge=2, le=30,
        description="Opportunities: at most this many, the highest scores first.",
    )
    key_point_min_score: Number = Field(
        0.35, ge=0.0, le=1.0,
        description=(
            "Key-point candidates scoring below this (salience 0-1) only fill up to the minimum."
        ),
    )
    tone_scale: Number = Field(
        2.5, ge=0.1, le=100.0,
        description=(
            "Tone: the sum of signed finding scores is divided by this and clipped to [-1, 1]."
        ),
    )
    tone_threshold: Number = Field(
        0.2, ge=0.0, le=1.0,
        description="Tone: \"positive\" from +this, \"negative\" from -this, else \"neutral\".",
    )
    # index moves
    index_move_notable: Number = Field(
        0.01, ge=0.0, le=1.0,
        description=(
            "A 1-day move of another index than the S&P 500 this large becomes a key point."
        ),
    )
    index_move_big: Number = Field(
        0.02, ge=0.0001, le=1.0,
        description="A 1-day index move this large gets full salience.",
    )
    mtd_notable: Number = Field(
        0.03, ge=0.0, le=1.0,
        description="The S&P 500's month-to-date move worth an insight.",
    )
    # breadth against the index
    divergence_index_move: Number = Field(
        0.003, ge=0.0, le=1.0,
        description=(
            "Breadth divergence: the S&P 500 moves at least this much in a day while the "
            "advancers' share is beyond 50% by divergence_share_margin the other way."
        ),
    )
    divergence_share_margin: Number = Field(
        0.05, ge=0.0, le=0.5,
        description=(
            "Breadth divergence: the advancers' share of advancers + decliners this far beyond "
            "50%."
        ),
    )
    divergence_index_move_5d: Number = Field(
        0.01, ge=0.0, le=1.0,
        description=(
            "Over five sessions: an S&P 500 move of at least this much against the share of "
            "members above their 50-day average changing by pct_above_50d_change (or the McClellan"
            " sign)."
        ),
    )
    pct_above_50d_change: Number = Field(
        0.05, ge=0.0, le=1.0,
        description=(
            "Five-session change of the share of members above their 50-day average that counts "
            "against the index."
        ),
    )
    pct_above_50d_washout: Number = Field(
        0.20, ge=0.0, le=1.0,
        description=(
            "Members above their 50-day average at or below this share: washed out (opportunity)."
        ),
    )
    pct_above_200d_weak: Number = Field(
        0.40, ge=0.0, le=1.0,
        description=(
            "Members above their 200-day average at or below this share: weak long-term trend "
            "(risk)."
        ),
    )
    new_highs_lows_min: Whole = Field(
        25, ge=1, le=100000,
        description=(
            "New 52-week highs (lows) worth an insight: at least this many and twice the other "
            "side."
        ),
    )
    mcclellan_overbought: Number = Field(
        50.0, ge=0.0, le=1000.0,
        description=(
            "Ratio-adjusted McClellan oscillator: overbought from this (about 1.5 standard "
            "deviations of its 2021-2025 range for S&P 500 members)."
        ),
    )
    mcclellan_oversold: Number = Field(
        -50.0, ge=-1000.0, le=0.0,
        description="Ratio-adjusted McClellan oscillator: oversold from this.",
    )
    trin_climax: Number = Field(
        0.5, ge=0.0, le=1.0,
        description="Arms index (TRIN) at or below this on an up day: a buying climax.",
    )
    trin_panic: Number = Field(
        2.0, ge=1.0, le=100.0,
        description="Arms index (TRIN) at or above this on a down day: panic selling.",
    )
    volume_thrust_share: Number = Field(
        CAPITULATION.down_volume, ge=0.5, le=1.0,
        description="Up (down) volume at least this share of member volume: a \"90% day\".",
    )
    recent_sessions: Whole = Field(
        10, ge=1, le=252,
        description="A Zweig breadth thrust counts as recent within this many sessions.",
    )
    # volatility
    vix_complacent: Number = Field(
        12.0, ge=0.0, le=200.0, description="VIX below this: complacent.",
    )
    vix_elevated: Number = Field(
        20.0, ge=0.0, le=200.0, description="VIX from this: elevated.",
    )
    vix_stress: Number = Field(
        30.0, ge=0.0, le=200.0, description="VIX from this: acute stress.",
    )
    vix_extreme: Number = Field(
        40.0, ge=0.0, le=200.0, description="VIX from this: extreme fear.",
    )
    vix_spike: Number = Field(
        0.15, ge=0.0001, le=10.0, description="A 1-day VIX rise of this much: a spike.",
    )
    vix_relief: Number = Field(
        0.15, ge=0.0001, le=1.0,
        description="A 1-day VIX fall of this much while still elevated: relief.",
    )
    # size rotation and concentration
    run_notable: Whole = Field(
        4, ge=3, le=252,
        description=(
            "Size rotation: a run of this many sessions is notable (3 at least: a shorter run "
            "is no run worth a \"longest since\")."
        ),
    )
    size_spread_notable: Number = Field(
        0.01, ge=0.0001, le=1.0,
        description=(
            "Size rotation: a 1-day Russell 2000 - S&P 500 spread this large gets full salience."
        ),
    )
    size_gap_ytd: Number = Field(
        0.04, ge=0.0, le=1.0,
        description=(
            "Size rotation: small caps this far ahead of (behind) large caps year to date is "
            "an opportunity (a risk)."
        ),
    )
    concentration_spread: Number = Field(
        0.02, ge=0.0, le=1.0,
        description=(
            "Mega caps (XLG) ahead of (behind) equal weight (RSP) month to date by this much: "
            "concentration (broadening)."
        ),
    )
    valuation_discount: Number = Field(
        0.15, ge=0.0, le=1.0,
        description=(
            "Small caps (IWM) at a P/E discount to SPY of at least this much: an opportunity."
        ),
    )
    # sectors
    sector_dispersion_high: Number = Field(
        0.015, ge=0.0001, le=1.0,
        description=(
            "Sectors: a 1-day dispersion (standard deviation) this high means active rotation."
        ),
    )
    sector_sweep: Whole = Field(
        10, ge=1, le=11, description="Sectors: this many of the 11 moving one way is a sweep.",
    )
    laggard_bottom: Whole = Field(
        2, ge=1, le=5,
        description=(
            "Sectors: one in the bottom this many both month and year to date is a persistent "
            "laggard."
        ),
    )
    reversal_bottom: Whole = Field(
        3, ge=1, le=10,
        description=(
            "Sectors: a change of leadership counts when last month's leader is now in the bottom "
            "this many month to date."
        ),
    )
    # watch list
    cross_recent_sessions: Whole = Field(
        20, ge=1, le=252,
        description="Watch list: a golden / death cross within this many sessions is recent.",
    )
    watch_move: Number = Field(
        0.03, ge=0.0001, le=1.0,
        description="Watch list: a 1-day move this large is a key point.",
    )
    watch_near_high: Number = Field(
        0.02, ge=0.0, le=1.0,
        description="Watch list: this close to the 52-week high is near it.",
    )

    watch_below_high: Number = Field(
        0.08, ge=0.0, le=1.0,
        description=(
            "Watch list: this far below the 52-week high is a risk (below watch_drawdown); "
            "within it, a stock above rising averages is an opportunity."
        ),
    )
    watch_drawdown: Number = Field(
        0.20, ge=0.0, le=1.0,
        description="Watch list: this far below the 52-week high is a drawdown.",
    )
    watch_extended: Number = Field(
        0.12, ge=0.0, le=10.0,
        description="Watch list: this far above the 50-day average is stretched (a risk).",
    )
    # the index's trend, volatility regime, volume, concentration
    index_extended: Number = Field(
        0.07, ge=0.0, le=1.0,
        description=(
            "The S&P 500 this far above its 200-day average, or half as far above its 50-day, "
            "is stretched (a risk)."
        ),
    )
    vix_low_percentile: Number = Field(
        0.20, ge=0.0, le=1.0,
        description=(
            "VIX at or below this percentile of its last 252 closes: complacency (a risk), "
            "besides any level below vix_complacent."
        ),
    )
    vix_rich_to_realized: Number = Field(
        1.25, ge=1.0, le=10.0,
        description=(
            "The VIX at this many times the S&P 500's 20-day realized volatility or more: "
            "protection is priced richly, so a low VIX reads as a low base, not complacency."
        ),
    )
    concentration_ytd: Number = Field(
        0.05, ge=0.0, le=1.0,
        description=(
            "Mega caps (XLG) ahead of (behind) equal weight (RSP) year to date by this much: "
            "concentration (broadening)."
        ),
    )
    near_high: Number = Field(
        0.03, ge=0.0, le=1.0,
        description=(
            "The S&P 500 within this distance of its 52-week high while fewer than "
            "narrow_share of members are above their 50-day average: a narrow advance (risk)."
        ),
    )
    narrow_share: Number = Field(
        0.60, ge=0.0, le=1.0,
        description="See near_high: the share of members above their 50-day average.",
    )
    pct_above_50d_overbought: Number = Field(
        0.75, ge=0.0, le=1.0,
        description=(
            "Members above their 50-day average at or above this share: overbought breadth "
            "(risk)."
        ),
    )
    pct_above_20d_oversold: Number = Field(
        0.30, ge=0.0, le=1.0,
        description=(
            "Members above their 20-day average at or below this share: short-term oversold "
            "(opportunity)."
        ),
    )
    vix_fear_percentile: Number = Field(
        0.85, ge=0.0, le=1.0,
        description=(
            "VIX at or above vix_elevated and at or above this percentile of its last 252 "
            "closes: fear high enough to be a contrarian opportunity."
        ),
    )
    # sector trends and participation shifts
    sector_trend_share: Number = Field(
        0.50, ge=0.0, le=1.0,
        description=(
            "A leading sector is trending when at least this share of its members is above "
            "their 50-day average and its ETF is above a rising 50-day average; a leader below "
            "this share is rebounding."
        ),
    )
    sector_shift: Number = Field(
        0.30, ge=0.0, le=1.0,
        description=(
            "A sector's share of members above their 50-day average moving this much in five "
            "sessions is a participation shift (risk when falling, opportunity when rising)."
        ),
    )
    sector_shift_named: Number = Field(
        0.10, ge=0.0, le=1.0,
        description="Participation shifts of at least this much are named in the sector insight.",
    )
    # history and the week
    context_min_sessions: Whole = Field(
        20, ge=1, le=10000,
        description=(
            "A \"biggest since\" claim is made only when that earlier session lies at least this "
            "many sessions back (or there is none in the data)."
        ),
    )
    # stories: one per session, the first that holds in this order: capitulation,
    # breadth_thrust, relief_rally, broad_selloff, broad_rally, narrow_rally, narrow_selloff,
    # size_rotation, sector_rotation, divergence_up, divergence_down, mixed_gain, mixed_loss, quiet
    story_flat_move: Number = Field(
        0.003, ge=0.0, le=1.0,
        description="Stories: an S&P 500 1-day move smaller than this is a flat index.",
    )
    story_broad_share: Number = Field(
        CAPITULATION.decliners, ge=0.5, le=1.0,
        description=(
            "Stories: a broad rally (sell-off) has at least this share of advancers (decliners) "
            "among advancers and decliners; a breadth-thrust day and capitulation too, with up "
            "(down) volume of at least volume_thrust_share."
        ),
    )
    story_sweep_share: Number = Field(
        0.80, ge=0.5, le=1.0,
        description=(
            "Stories: a broad sell-off (rally) is worded as one (普跌 / 普涨, \"Broad sell-off\" "
            "/ \"Broad rally\") only when at least this share of advancers + decliners fell "
            "(rose), or on a 90% down- (up-) volume day (volume_thrust_share); below it, "
            "\"Most stocks fell\" (多数下跌) or \"Most stocks rose\" (多数上涨)."
        ),
    )
    story_sharp_move: Number = Field(
        0.01, ge=0.0, le=1.0,
        description=(
            "Stories: a broad day is a \"sell-off\" or a \"rally\" only when the S&P 500 moved at "
            "least this much; a smaller one is a \"Broad decline\" or a \"Broad advance\" (a "
            "-0.7% session is no sell-off however many stocks fell)."
        ),
    )
    story_capitulation_move: Number = Field(
        CAPITULATION.move, ge=0.0, le=1.0,
        description=(
            "Stories: capitulation needs the S&P 500 down at least this much, on a 90% down "
            "day (volume_thrust_share) with story_broad_share of the members declining ..."
        ),
    )
    story_capitulation_sigmas: Number = Field(
        CAPITULATION.sigmas, ge=0.0, le=20.0,
        description=(
            "... and a large fall: at least this many standard deviations of its prior 20-day "
            "volatility (quality.index_moves) ..."
        ),
    )
    story_capitulation_drop: Number = Field(
        CAPITULATION.drop, ge=0.0, le=1.0,
        description="... or a fall of at least this much whatever the volatility ...",
    )
    story_capitulation_volume: Number = Field(
        CAPITULATION.volume, ge=0.0, le=10.0,
        description=(
            "... on member volume above this multiple of its 20-session average "
            "(quality.volume_vs_20d): no capitulation on light volume."
        ),
    )
    story_rally_move: Number = Field(
        0.01, ge=0.0, le=1.0,
        description="Stories: a relief rally gains at least this much in a day ...",
    )
    story_relief_streak: Whole = Field(
        3, ge=1, le=20,
        description="... after at least this many losing sessions in a row ...",
    )
    story_relief_drop: Number = Field(
        0.03, ge=0.0, le=1.0,
        description="... or after a fall of at least this much in the four sessions before.",
    )
    story_rotation_spread: Number = Field(
        0.0075, ge=0.0, le=1.0,
        description=(
            "Stories: under a flat index, a Russell 2000 - S&P 500 spread this wide is a size "
            "rotation."
        ),
    )
    story_rotation_dispersion: Number = Field(
        0.01, ge=0.0, le=1.0,
        description=(
            "Stories: under a flat index, a sector dispersion this high is a sector rotation "
            "(divergence_up / divergence_down use divergence_index_move_5d and "
            "pct_above_50d_change)."
        ),
    )
    # the quality of the move, who carried it, member baskets (issue 13)
    move_volume_lopsided: Number = Field(
        0.75, ge=0.5, le=1.0,
        description=(
            "Quality of the move: at least this share of member volume on the side of the "
            "S&P 500's move (with most members that way) makes a broad move ..."
        ),
    )
    move_volume_heavy: Number = Field(
        1.1, ge=0.0, le=100.0,
        description="... on heavy volume: member volume at least this many times its 20-day "
        "average ...",
    )
    move_volume_light: Number = Field(
        0.8, ge=0.0, le=100.0,
        description="... or on light volume: at most this many times it.",
    )
    move_close_fade: Number = Field(
        0.4, ge=0.0, le=1.0,
        description=(
            "Quality of the move: the S&P 500 rose (fell) but at least this share of members "
            "closed in the bottom (top) quarter of their day's range: the move faded (recovered)."
        ),
    )
    move_sigmas: Number = Field(
        2.0, ge=0.0, le=100.0,
        description=(
            "Quality of the move: an S&P 500 move of at least this many standard deviations of "
            "its 20 daily returns before is told."
        ),
    )
    move_vix_rich: Number = Field(
        1.5, ge=1.0, le=100.0,
        description=(
            "Quality of the move: the VIX at least this many times the S&P 500's 20-day "
            "realized volatility is priced rich (below 1 times: below realized)."
        ),
    )
    carry_gap: Number = Field(
        0.005, ge=0.0, le=1.0,
        description=(
            "Who carried it: a sector ETF whose 1-day return is this far from its median "
            "member's (the furthest) is told."
        ),
    )
    basket_squeeze: Number = Field(
        0.01, ge=0.0, le=1.0,
        description=(
            "Baskets: momentum losers beating winners by at least this much (1 day) on a rising "
            "index is a squeeze; winners falling this much more on a falling one, an unwind."
        ),
    )
    basket_quiet: Number = Field(
        0.005, ge=0.0, le=1.0,
        description=(
            "Baskets: winners and losers within this much of each other, both rising, on a "
            "broad rising day: a broad advance, not a squeeze."
        ),
    )

    @field_validator(*dict.fromkeys(high for _, high in ORDERED))
    @classmethod
    def _in_order(cls, value: float, info: ValidationInfo) -> float:
        for low, high in cls.ORDERED:
            below = info.data.get(low)
            if high == info.field_name and below is not None and below > value:
                raise _KeyedError(
                    low, f"must not exceed insights.{high} ({below!r} > {value!r})"
                )
        return value

    def capitulation(self) -> Capitulation:
        """The configured definition of a capitulation day, for the story and the metric alike."""
        return Capitulation(
            down_volume=self.volume_thrust_share,
            decliners=self.story_broad_share,
            move=self.story_capitulation_move,
            drop=self.story_capitulation_drop,
            sigmas=self.story_capitulation_sigmas,
            volume=self.story_capitulation_volume,
        )


class Config(_Table):
    """The whole configuration file. Every table and key is optional: missing ones keep their
    defaults."""

    universe: UniverseConfig = Field(default_factory=UniverseConfig)
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    portal: PortalConfig = Field(default_factory=PortalConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    insights: InsightsConfig = Field(default_factory=InsightsConfig)
    webhooks: tuple[WebhookConfig, ...] = Field(
        (), description=WebhookConfig.__doc__ or "",
    )

    @field_validator("webhooks")
    @classmethod
    def _unique_names(cls, value: tuple[WebhookConfig, ...]) -> tuple[WebhookConfig, ...]:
        names = [w.name for w in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"two webhooks are named {twice[0]!r}; names must differ")
        return value


# -- loading --------------------------------------------------------------------------------------

def validate(data: dict[str, Any]) -> Config:
    """A typed Config from TOML data, or a ConfigError listing every problem with its key."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()]
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None


def load(path: str | Path | None = None) -> Config:
    """The defaults, overlaid with the user's file when given."""
    if path is None:
        return Config()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {p}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"configuration file {p} is not valid TOML: {exc}") from None
    except OSError as exc:  # a folder, no permission, an I/O error
        reason = exc.strerror or exc
        raise ConfigError(f"cannot read the configuration file {p}: {reason}") from None
    return validate(data)


def _table_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model of the table at ``path`` (``()`` is the whole file; ``("webhooks", 0)`` an
    item of an array of tables), None below a leaf."""
    model: type[BaseModel] = Config
    parts = list(path)
    while parts:
        part = parts.pop(0)
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        item = _array_item(annotation)
        if item is not None and parts and isinstance(parts[0], int):
            parts.pop(0)
            annotation = item
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _array_item(annotation: object) -> type[BaseModel] | None:
    """``WebhookConfig`` for ``tuple[WebhookConfig, ...]`` (an array of tables), else None."""
    args = get_args(annotation)
    if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0]
    return None


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _problem(error: Any) -> str:
    """One pydantic error as ``key: what is wrong`` in the reporter's words."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "value_error" and isinstance(ctx.get("error"), _KeyedError):
        loc = (*loc[:-1], ctx["error"].key)
    key, name = _dotted(loc), loc[-1] if loc else ""
    table = _table_at(loc[:-1])
    if kind == "extra_forbidden":
        secrets: dict[str, str] = getattr(table, "SECRETS", {})
        if name in secrets:  # never echo the value
            return (f"{key}: secrets are read only from the environment variable "
                    f"{secrets[str(name)]}, never from the configuration file")
        known = list(table.model_fields) if table else []
        close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
        hint = f" (did you mean {_dotted((*loc[:-1], close[0]))}?)" if close else ""
        return f"{key}: unknown key{hint}"
    if kind == "value_error":
        return f"{key}: {ctx['error']}"
    if kind in ("greater_than_equal", "less_than_equal") and table is not None:
        bounds = {type(m).__name__: m for m in table.model_fields[str(name)].metadata}
        lo, hi = getattr(bounds.get("Ge"), "ge", None), getattr(bounds.get("Le"), "le", None)
        if lo is not None and hi is not None:
            return f"{key}: expected a value from {lo} to {hi}, got {given!r}"
    if kind == "too_short":
        return f"{key}: must not be empty"
    if kind == "missing":
        return f"{key}: required"
    if kind == "greater_than" and ctx.get("gt") == 0:
        return f"{key}: expected a positive number, got {given!r}"
    what = {
        "int_type": "a whole number", "float_type": "a number", "string_type": "text",
        "bool_type": "true or false", "tuple_type": "a list", "list_type": "a list",
        "model_type": "a table", "dict_type": "a table", "model_attributes_type": "a table",
        "greater_than": f"a value above {ctx.get('gt')}",
        "greater_than_equal": f"a value of at least {ctx.get('ge')}",
        "less_than_equal": f"a value of at most {ctx.get('le')}",
        "literal_error": str(ctx.get("expected")),
    }.get(kind)
    if what is None:  # a check without words of ours: pydantic's own
        return f"{key}: {error['msg']}, got {given!r}"
    return f"{key}: expected {what}, got {given!r}"


# -- the effective configuration as TOML ----------------------------------------------------------

def render_toml(cfg: Config) -> str:
    """``cfg`` as a TOML file with each table's and key's description as a comment above it.

    Loading the text gives ``cfg`` back; with the defaults it is the documented default file.
    """
    data = cfg.model_dump()
    lines = [
        "# Configuration of the market-breadth reporter: every key with its value and meaning.",
        "# Keep the keys you change (missing ones take their defaults) and pass the file with",
        "# `reporter --config FILE ...`.",
    ]
    for section in Config.model_fields:
        item = _array_item(Config.model_fields[section].annotation)
        if item is not None:
            lines += ["", *_array_of_tables(section, item, data[section])]
            continue
        table = _table_at((section,))
        assert table is not None
        lines += ["", *_comment(table.__doc__ or ""), f"[{section}]"]
        nested: list[tuple[str, str, dict[str, Any]]] = []
        for name, spec in table.model_fields.items():
            value = data[section][name]
            if isinstance(value, dict):
                nested.append((name, spec.description or "", value))
                continue
            lines += [*_comment(spec.description or ""), f"{_key(name)} = {_value(value)}"]
        for name, description, value in nested:
            lines += [*_comment(description), f"[{section}.{_key(name)}]"]
            lines += [f"{_key(k)} = {_value(v)}" for k, v in value.items()]
    return "\n".join(lines) + "\n"


def _array_of_tables(section: str, model: type[BaseModel], items: list[dict[str, Any]]
                     ) -> list[str]:
    """``[[section]]`` blocks, each key with its meaning; with none, a commented example."""
    lines = _comment(model.__doc__ or "")
    if not items:
        lines.append(f"# [[{section}]]")
        for name, spec in model.model_fields.items():
            example = getattr(model, "EXAMPLE", {}).get(name, spec.default)
            lines += [*("#" + c for c in _comment(spec.description or "")),
                      f"# {_key(name)} = {_value(example)}"]
        return lines
    for values in items:
        lines.append(f"[[{section}]]")
        for name, spec in model.model_fields.items():
            lines += [*_comment(spec.description or ""), f"{_key(name)} = {_value(values[name])}"]
    return lines


def _comment(text: str) -> list[str]:
    words = " ".join(text.split())
    return ["# " + line for line in textwrap.wrap(words, 97, break_on_hyphens=False)]


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _string(name)


def _string(text: str) -> str:
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch)
        or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in text
    )
    return f'"{escaped}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
