"""The words of the domain, each defined once and imported wherever it is used.

Languages and editions, the names of the files a run writes, the index and sector symbols with
the names a reader sees, tones, the up/down colours of each market convention, papers and the
mail ports. A name a reader sees is an English msgid marked with ``N_``: it is translated where
it is shown, through the gettext domain of the text around it (``reporter.i18n``), so one
English name may read differently in a sentence and in a table.

Plain data only: this module imports nothing of the project, so every stage can import it.
A closed set of words is a ``Literal`` type here, and its tuple is read from that type
(``typing.get_args``): the configuration schema checks values against the same type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args


def N_(message: str) -> str:
    """Mark a string for extraction into the catalogs; it is translated where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular / plural pair for extraction as one plural message (the keyword
    ``NN_:1,2`` of ``make catalogs``); it is translated with ngettext where it is shown."""
    return singular, plural


# -- languages and editions -----------------------------------------------------------------------

#: The languages the note is written in (BCP 47 tags, as in file names and ``lang``), in report
#: order: Chinese first. The portal's default language (``index.html``) is the first.
Locale = Literal["zh-CN", "en-US"]
LOCALES: tuple[Locale, ...] = get_args(Locale)
#: The catalogs' source language: its text is the msgids themselves, it has no catalog.
SOURCE_LOCALE: Locale = "en-US"
#: The edition holding both languages, one after the other.
Bilingual = Literal["bilingual"]
BILINGUAL: Bilingual = "bilingual"
#: Every edition, in display order: one per language, then the bilingual one.
Edition = Literal[Locale, Bilingual]
EDITIONS: tuple[Edition, ...] = get_args(Edition)
#: The languages whose text each edition carries, in reading order.
EDITION_LOCALES: Mapping[str, tuple[str, ...]] = {
    **{locale: (locale,) for locale in LOCALES},
    BILINGUAL: LOCALES,
}
#: How the portal and its feed name each edition's PDF.
EDITION_LABELS: Mapping[str, str] = {
    "zh-CN": N_("Chinese edition (PDF)"),
    "en-US": N_("English edition (PDF)"),
    BILINGUAL: N_("Bilingual edition (PDF)"),
}

# -- file names -----------------------------------------------------------------------------------

#: Every figure of the day, language-neutral, beside the PDFs.
REPORT_JSON = "report.json"
#: The report's charts in the order it shows them; watch-list charts follow, one per symbol.
CHART_NAMES: tuple[str, ...] = ("indices", "size_rotation", "sectors", "breadth", "participation")


#: The chart an e-mail carries (as PNG: many mail clients show no SVG); its module draws it as
#: both (``reporter/render/charts/indices.py``).
MAIL_CHART = "indices"


def pdf_file_name(day: str, edition: str) -> str:
    """``market-breadth_2025-12-31_zh-CN.pdf``."""
    return f"market-breadth_{day}_{edition}.pdf"


def chart_file_name(name: str, locale: str) -> str:
    """``chart_indices_zh-CN.svg``."""
    return f"chart_{name}_{locale}.svg"


def chart_png_name(name: str, locale: str) -> str:
    """``chart_indices_zh-CN.png``."""
    return f"chart_{name}_{locale}.png"


def web_file_name(day: str, locale: str) -> str:
    """The note as one self-contained web page: ``market-breadth_2025-12-31_zh-CN.html``."""
    return f"market-breadth_{day}_{locale}.html"


def watch_chart_name(symbol: str) -> str:
    """Chart name of a watch-list symbol, safe in a file name: ``watch-brk-b``."""
    return "watch-" + re.sub(r"[^a-z0-9-]+", "", symbol.lower())


def page_suffix(locale: str) -> str:
    """Portal page names: ``""`` for the default language, ``".en"`` etc. for the others
    (``index.html``, ``index.en.html``)."""
    return "" if locale == LOCALES[0] else "." + locale.split("-")[0]


# -- indices --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    """A headline series: its yfinance symbol, its name in a sentence and in a table."""

    symbol: str
    name: str  # in sentences: "the Dow Jones Industrial Average rose ..."
    short: str  # in tables and charts, where room is short: "Dow Jones"


SP500 = "^GSPC"
RUSSELL_2000 = "^RUT"
NASDAQ_COMPOSITE = "^IXIC"
DOW_JONES = "^DJI"
VIX = "^VIX"  # the CBOE volatility index

INDICES: Mapping[str, Index] = {
    index.symbol: index
    for index in (
        Index(SP500, N_("S&P 500"), N_("S&P 500")),
        Index(RUSSELL_2000, N_("Russell 2000"), N_("Russell 2000")),
        Index(NASDAQ_COMPOSITE, N_("Nasdaq Composite"), N_("Nasdaq Composite")),
        Index(DOW_JONES, N_("Dow Jones Industrial Average"), N_("Dow Jones")),
        Index(VIX, N_("VIX"), N_("VIX")),
    )
}
#: No claim of sessions "in a row" (an outperformance run, a streak, a shaded run on a chart) and
#: no "longest since" under this many sessions: one or two sessions ahead is the day's result.
RUN_CLAIM_MIN = 3
#: The series every run needs: its sessions are the calendar of the data.
BENCHMARK = SP500
#: The indices of the market overview table and the index chart, in that order.
HEADLINE_INDICES: tuple[str, ...] = (SP500, RUSSELL_2000, NASDAQ_COMPOSITE, DOW_JONES)

# -- size and style -------------------------------------------------------------------------------

#: The size rotation: small caps against large caps, through these two indices.
SMALL_CAPS = RUSSELL_2000
LARGE_CAPS = SP500
#: Mega caps against the average stock: the S&P 500 Top 50 ETF and the equal-weight S&P 500.
MEGA_CAP_ETF = "XLG"
EQUAL_WEIGHT_ETF = "RSP"
#: The ETFs of the two size indices; the valuation gap compares their trailing P/E.
SMALL_CAP_ETF = "IWM"
LARGE_CAP_ETF = "SPY"
SIZE_ETFS: tuple[str, ...] = (MEGA_CAP_ETF, EQUAL_WEIGHT_ETF, LARGE_CAP_ETF, SMALL_CAP_ETF)
VALUATION_ETFS: tuple[str, ...] = (SMALL_CAP_ETF, LARGE_CAP_ETF)

# -- sectors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    """One of the 11 GICS sectors and the SPDR ETF that tracks it."""

    etf: str  # "XLK"
    gics: str  # the GICS name, as in the constituents table: "Information Technology"
    short: str  # for charts and compact labels: "Technology"


SECTORS: tuple[Sector, ...] = (
    Sector("XLK", N_("Information Technology"), N_("Technology")),
    Sector("XLF", N_("Financials"), N_("Financials")),
    Sector("XLE", N_("Energy"), N_("Energy")),
    Sector("XLV", N_("Health Care"), N_("Health Care")),
    Sector("XLI", N_("Industrials"), N_("Industrials")),
    Sector("XLP", N_("Consumer Staples"), N_("Staples")),
    Sector("XLY", N_("Consumer Discretionary"), N_("Discretionary")),
    Sector("XLU", N_("Utilities"), N_("Utilities")),
    Sector("XLB", N_("Materials"), N_("Materials")),
    Sector("XLRE", N_("Real Estate"), N_("Real Estate")),
    Sector("XLC", N_("Communication Services"), N_("Communication")),
)
#: GICS sector name -> sector ETF, in the order above (the order of breadth by sector).
SECTOR_ETFS: Mapping[str, str] = {s.gics: s.etf for s in SECTORS}
SECTOR_BY_ETF: Mapping[str, Sector] = {s.etf: s for s in SECTORS}
SECTOR_BY_GICS: Mapping[str, Sector] = {s.gics: s for s in SECTORS}
#: The character of a sector, by its ETF: what its leadership says about the market's mood.
#: XLU is both defensive and rate-sensitive.
SECTOR_GROUPS: Mapping[str, tuple[str, ...]] = {
    "defensive": ("XLP", "XLU", "XLV"),
    "rate_sensitive": ("XLRE", "XLU"),
    "cyclical": ("XLY", "XLI", "XLB", "XLF", "XLE"),
    "growth": ("XLK", "XLC"),
}

# -- what happened next --------------------------------------------------------------------------


@dataclass(frozen=True)
class Capitulation:
    """What makes a capitulation day, defined once: the story ``capitulation`` and the
    ``analogs`` signal of that name both judge a session by these thresholds (the defaults of
    the ``[insights]`` keys named beside each). Fractions; the moves are magnitudes of a fall.

    A one-sided day (down volume and decliners) that is large (a fall of at least ``move``, and
    of at least ``drop`` or ``sigmas`` standard deviations of the 20 daily returns before) and
    heavy (member volume above ``volume`` times its 20-session average)."""

    down_volume: float = 0.90  # volume_thrust_share: down volume / (up + down volume), at least
    decliners: float = 0.65  # story_broad_share: decliners / (advancers + decliners), at least
    move: float = 0.015  # story_capitulation_move: the S&P 500 down at least this ...
    drop: float = 0.03  # story_capitulation_drop: ... and down at least this ...
    sigmas: float = 2.0  # story_capitulation_sigmas: ... or this many standard deviations
    volume: float = 1.0  # story_capitulation_volume: member volume / 20-session average, above


#: The default definition of a capitulation day.
CAPITULATION = Capitulation()


@dataclass(frozen=True)
class Signal:
    """A signal of "what happened next" (report.json ``analogs.signals``): its id, its name in a
    sentence (plural: the earlier sessions it fired) and in a table."""

    id: str
    name: str  # in sentences: "after the 21 earlier 90% up-volume days ..."
    short: str  # in tables: "90% up-volume day"


SIGNALS: Mapping[str, Signal] = {
    s.id: s
    for s in (
        Signal("advancing_4to1", N_("4:1 advancing days"), N_("4:1 advancing day")),
        Signal("declining_4to1", N_("4:1 declining days"), N_("4:1 declining day")),
        Signal("up_volume_90", N_("90% up-volume days"), N_("90% up-volume day")),
        Signal("down_volume_90", N_("90% down-volume days"), N_("90% down-volume day")),
        Signal("new_highs_expanding", N_("days of expanding new highs"),
               N_("New highs expanding")),
        Signal("zweig_thrust", N_("Zweig breadth thrusts"), N_("Zweig breadth thrust")),
        Signal("capitulation", N_("capitulation days"), N_("Capitulation day")),
        Signal("small_caps_record_run", N_("record small-cap outperformance runs"),
               N_("Record small-cap run")),
        Signal("large_caps_record_run", N_("record large-cap outperformance runs"),
               N_("Record large-cap run")),
        Signal("sp500_up_2pct", N_("S&P 500 gains of 2% or more"), N_("S&P 500 up 2% or more")),
        Signal("sp500_down_2pct", N_("S&P 500 falls of 2% or more"),
               N_("S&P 500 down 2% or more")),
        Signal("vix_spike", N_("VIX jumps of 20% or more"), N_("VIX up 20% or more")),
    )
}

# -- data warnings --------------------------------------------------------------------------------

_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class DataWarning:
    """A data warning a report states (report.json ``warnings``, the log): one English text,
    written by :meth:`text` where the problem is found, and shown in the note through gettext
    (``insights`` domain, :meth:`match` reads its values back), with ``count`` choosing the
    plural form ("1 row", "2 rows"; 1 行). ``legacy``: earlier wordings still in a store."""

    id: str
    singular: str
    plural: str | None = None  # None: no count in it (gettext, not ngettext)
    legacy: tuple[str, ...] = ()

    def text(self, **values: object) -> str:
        """The English text, in the form ``count`` calls for (singular without a count)."""
        count = values.get("count", 1)
        plural = self.plural or self.singular
        return (self.singular if count == 1 else plural).format(**values)

    def match(self, text: str) -> dict[str, str] | None:
        """The values of a text written by :meth:`text` (or a legacy wording), else None."""
        for form in dict.fromkeys((self.singular, self.plural or self.singular, *self.legacy)):
            found = _pattern(form).fullmatch(text)
            if found:
                return found.groupdict()
        return None


def reworded(text: str) -> str:
    """A warning in today's wording (a store keeps the notes written with its bars: an earlier
    run may have written "1 row(s)"); a text of no known wording as it is."""
    for spec in DATA_WARNINGS.values():
        values = spec.match(text)
        if values is not None:
            return spec.text(**{k: int(v) if k == "count" else v for k, v in values.items()})
    return text


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression: ``{count}`` digits, any other field any text (a
    field used twice must repeat its value)."""
    parts, seen, last = [], set(), 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        name = m.group(1)
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            parts.append(f"(?P<{name}>\\d+)" if name == "count" else f"(?P<{name}>.+?)")
            seen.add(name)
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


#: Every data warning a run can state, by id: the one place its wording is defined.
DATA_WARNINGS: Mapping[str, DataWarning] = {
    w.id: w
    for w in (
        DataWarning("ohlc", *NN_(
            "{symbol}: {count} row with open/high/low inconsistent with each other (first "
            "{first})",
            "{symbol}: {count} rows with open/high/low inconsistent with each other (first "
            "{first})"),
            legacy=("{symbol}: {count} row(s) with open/high/low inconsistent with each other "
                    "(first {first})",)),
        DataWarning("no_data", *NN_(
            "no data from the source for {count} symbol: {symbols}",
            "no data from the source for {count} symbols: {symbols}"),
            legacy=("no data from the source for {count} symbol(s): {symbols}",)),
        DataWarning("stale_live", N_(
            "{symbol}: the source has no data after {last}, though the session of {closed} has "
            "closed; the latest report is for {last} (stale data)")),
        DataWarning("stale_versioned", *NN_(
            "{symbol} ends on {last}, before {count} other series (up to {latest}); no report "
            "can be later than {last} (stale data)",
            "{symbol} ends on {last}, before {count} other series (up to {latest}); no report "
            "can be later than {last} (stale data)")),
        DataWarning("member_twice", *NN_(
            "member {symbol} is listed {count} time, in the sectors {sectors}; counted once, in "
            "{sector}",
            "member {symbol} is listed {count} times, in the sectors {sectors}; counted once, "
            "in {sector}")),
        DataWarning("member_invalid", N_(
            "member {symbol} is not a valid symbol and is left out")),
        DataWarning("member_sector", N_(
            "member {symbol} has an unknown GICS sector {sector} and is left out")),
        DataWarning("sector_names", *NN_(
            "member list has {count} sector name outside the 11 GICS sectors: {names}",
            "member list has {count} sector names outside the 11 GICS sectors: {names}")),
        DataWarning("no_pe", N_("no trailing P/E for {symbol} ({why})")),
        DataWarning("no_pe_at_all", N_("no trailing P/E: {why}")),
    )
}


# -- tone -----------------------------------------------------------------------------------------

#: The overall tone of a session (``report.json`` ``tone``) and its label.
TONES: Mapping[str, str] = {
    "positive": N_("Positive"),
    "neutral": N_("Neutral"),
    "negative": N_("Negative"),
}

# -- colours --------------------------------------------------------------------------------------

RED = "#c62828"
GREEN = "#1e7b34"
#: A figure that shows as zero.
FLAT = "#444444"


@dataclass(frozen=True)
class UpDownColors:
    """The colours meaning "up", "down" and "unchanged" to readers of one locale."""

    up: str
    down: str
    flat: str = FLAT


#: Chinese readers expect red for up and green for down; English readers the reverse. The
#: charts, the PDF's stylesheet and the portal all colour figures with these.
MARKET_COLORS: Mapping[str, UpDownColors] = {
    "zh-CN": UpDownColors(up=RED, down=GREEN),
    "en-US": UpDownColors(up=GREEN, down=RED),
}

# -- paper and mail -------------------------------------------------------------------------------

#: Paper names of the configuration and ``--paper``, with their CSS page size.
Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
PAPER_SIZES: Mapping[str, str] = {"a4": "A4", "letter": "letter"}
#: How the mail goes to the server: STARTTLS, TLS from the first byte, or plain text.
TlsMode = Literal["starttls", "ssl", "none"]
TLS_MODES: tuple[TlsMode, ...] = get_args(TlsMode)
#: The usual SMTP port of each TLS mode (``email.port = 0`` picks it).
SMTP_PORTS: Mapping[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
