"""One locale's catalog and formats, and the registry of sentence renderers.

Names come from the vocabulary, translated through the ``insights`` domain (a name in a
sentence: 标普500指数); numbers, percentages and dates from ``reporter.i18n``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from reporter.i18n import (
    check_locale,
    direction,
    format_date_long,
    format_integer,
    format_list,
    format_month,
    format_number,
    format_percent,
    get_translations,
)
from reporter.insights.findings import Finding
from reporter.vocabulary import INDICES, SECTOR_BY_ETF


class Writer:
    """Translation and Babel formatting for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = check_locale(locale)
        self._t = get_translations("insights", locale)

    # translation
    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    # names, as a sentence words them: "the Dow Jones Industrial Average", "Consumer Staples"
    def index(self, symbol: str) -> str:
        return self.gettext(INDICES[symbol].name) if symbol in INDICES else symbol

    def sector(self, symbol: str) -> str:
        return self.gettext(SECTOR_BY_ETF[symbol].gics) if symbol in SECTOR_BY_ETF else symbol

    # numbers
    def pct(self, x: float) -> str:
        """A share or return as a percentage, without sign: 58.2%."""
        return format_percent(x, self.locale, 1)

    def apct(self, x: float) -> str:
        """The size of a move, the direction being in the words: 1.2%."""
        return format_percent(abs(x), self.locale, 1)

    def within(self, x: float) -> str:
        """A distance a sentence says a figure is "within": its size rounded up to the shown
        decimal, so the claim holds (a close 1.25% below its high is within 1.3%, not 1.2%)."""
        tenths = Decimal(str(round(abs(x), 9))) * 1000  # not a float's last-digit noise
        return format_percent(float(tenths.to_integral_value(ROUND_CEILING) / 1000),
                              self.locale, 1)

    def spct(self, x: float) -> str:
        """A signed return: +1.2% / -1.2%."""
        return format_percent(x, self.locale, 1, signed=True)

    def daily(self, x: float) -> str:
        """A day's signed return in the week's line: one decimal, or two for a move that one
        would show as 0.0% (-0.03%), so that a streak the note counts is one the reader sees."""
        if direction(x, 1, 100.0) == "flat" and direction(x, 2, 100.0) != "flat":
            return format_percent(x, self.locale, 2, signed=True)
        return self.spct(x)

    def moved(self, x: float) -> str:
        """A return worded by its direction as shown (one decimal of a percent): "up 1.2%",
        "down 1.2%", or "little changed" for one that rounds to 0.0% (-0.03% is no fall, and
        no "0.0%" stands where a move is told)."""
        way = direction(x, 1, 100.0)
        if way == "up":
            return self.gettext("up {change}").format(change=self.apct(x))
        if way == "down":
            return self.gettext("down {change}").format(change=self.apct(x))
        return self.gettext("little changed")

    def tpct(self, x: float) -> str:
        """A threshold share: 90%, 61.5%."""
        return format_percent(x, self.locale, 1, trim=True)

    def pp(self, x: float) -> str:
        """A spread (fraction) in percentage points, without sign: 0.8; under 0.1 with two
        decimals (0.04), so a small spread never reads as 0.0."""
        points = abs(Decimal(str(x))) * 100
        return format_number(points, self.locale, 1 if points >= Decimal("0.1") else 2)

    def spp(self, x: float) -> str:
        """A spread (fraction) as signed percentage points with one decimal: +2.8."""
        return format_number(Decimal(str(x)) * 100, self.locale, 1, signed=True)

    def signed(self, x: float, digits: int = 2) -> str:
        """A signed figure: +0.62, -18.71 (a change in points)."""
        return format_number(x, self.locale, digits, signed=True)

    def level(self, x: float) -> str:
        return format_number(x, self.locale, 2)

    def one(self, x: float) -> str:
        return format_number(x, self.locale, 1)

    def two(self, x: float) -> str:
        return format_number(x, self.locale, 2)

    def plain(self, x: float) -> str:
        """A threshold: up to two decimals, none when it is whole (50, 0.5)."""
        return format_number(x, self.locale, 2, trim=True)

    def count(self, n: int) -> str:
        return format_integer(n, self.locale)

    def date(self, iso: str) -> str:
        return format_date_long(iso, self.locale)

    def month(self, iso: str) -> str:
        """The month and year a series begins: January 2010 / 2010年1月."""
        return format_month(iso, self.locale, with_year=True, full=True)

    def items(self, parts: list[str]) -> str:
        return format_list(parts, self.locale)

    def sector_item(self, symbol: str, ret: float) -> str:
        return self.gettext("{sector} ({symbol}, {change})").format(
            sector=self.sector(symbol), symbol=symbol, change=self.spct(ret)
        )


# --- the registry: one function per family of findings --------------------------------------------

Render = Callable[[Writer, Finding], str]
RENDERERS: dict[str, Render] = {}


def renders(*ids: str) -> Callable[[Render], Render]:
    """Register the decorated function as the sentence of the findings ``ids``."""

    def register(fn: Render) -> Render:
        for fid in ids:
            RENDERERS[fid] = fn
        return fn

    return register
