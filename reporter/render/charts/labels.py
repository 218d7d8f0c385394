"""The words and figures of the charts in one locale: names, numbers, dates, colours.

Light on purpose (no matplotlib): the HTML renderer uses ``etf_label`` as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from babel.lists import format_list

from reporter.i18n import (
    N_,
    babel_locale,
    check_locale,
    format_date_long,
    format_number,
    format_percent,
    get_translations,
)
from reporter.vocabulary import INDICES, SECTOR_BY_ETF, SECTOR_ETFS, UpDownColors

#: The title of each chart, by chart name (``CHART_NAMES``); a watch-list chart's is
#: ``WATCH_TITLE``. Here, apart from the drawing, so a title is known without drawing its chart
#: (the bilingual edition captions each chart with its title in the other language).
CHART_TITLES: dict[str, str] = {
    "indices": N_("Major indices over one year, rebased to 100"),
    "size_rotation": N_("Russell 2000 relative to S&P 500 over one year"),
    "sectors": N_("Sector returns"),
    "breadth": N_("Breadth of participation (index members)"),
    "participation": N_("Sector participation: share of members above their 50-day average"),
}
WATCH_TITLE = N_("%(symbol)s: close and moving averages")


def chart_title(name: str, locale: str, symbol: str | None = None) -> str:
    """The title of chart ``name`` (of watch-list ``symbol``) in ``locale``."""
    _ = get_translations("messages", locale).gettext
    if symbol is not None:
        return _(WATCH_TITLE) % {"symbol": symbol}
    return _(CHART_TITLES[name])


def translated(message: str) -> Callable[[Ctx], str]:
    """``message`` in a chart's language, for ``Ctx.both``."""
    return lambda c: c._(message)


def etf_label(symbol: str, locale: str) -> str:
    """``Technology (XLK)`` / ``信息技术（XLK）``: short sector name and its ETF."""
    _ = get_translations("messages", locale).gettext
    if symbol not in SECTOR_BY_ETF:
        return symbol
    # Translators: a sector name followed by its ETF symbol in brackets.
    return _("%(name)s (%(symbol)s)") % {"name": _(SECTOR_BY_ETF[symbol].short), "symbol": symbol}


class Ctx:
    """Locale-bound helpers for one set of charts.

    With ``also``, the set is bilingual: figures, colours and dates follow ``locale``, and every
    word drawn is in both languages (``both``, ``named``), the other one second."""

    def __init__(self, locale: str, colors: UpDownColors, also: str | None = None) -> None:
        self.locale = check_locale(locale)
        self.colors = colors
        catalog = get_translations("messages", locale)
        self._ = catalog.gettext
        self.ngettext = catalog.ngettext
        self.other = Ctx(also, colors) if also is not None else None

    @property
    def lines(self) -> int:
        """Lines a label takes: two on a bilingual chart, the other language's under the first."""
        return 1 if self.other is None else 2

    def both(self, make: Callable[[Ctx], str], sep: str = " / ") -> str:
        """The text ``make`` writes for a language: in this one, and on a bilingual chart in
        the other as well, after ``sep`` (once when both say the same)."""
        first = make(self)
        if self.other is None:
            return first
        second = make(self.other)
        return first if second == first else f"{first}{sep}{second}"

    def named(self, name: Callable[[Ctx], str], figure: str) -> str:
        """A name and its figure, ``S&P 500 +1.2%``; on a bilingual chart the other language's
        name goes on a line of its own under them, so the label grows down, not across."""
        return self.both(lambda c: f"{name(c)} {figure}" if c is self else name(c), "\n")

    def title(self, name: str, symbol: str | None = None) -> tuple[str, ...]:
        """The chart's title, a line per language."""
        return tuple(chart_title(name, c.locale, symbol) for c in self.each())

    def each(self) -> tuple[Ctx, ...]:
        return (self,) if self.other is None else (self, self.other)

    def pct(self, value: float | None, digits: int = 1, signed: bool = True) -> str:
        return format_percent(value, self.locale, digits, signed=signed)

    def num(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        return format_number(value, self.locale, digits, signed=signed)

    def date(self, value: pd.Timestamp | str) -> str:
        return format_date_long(pd.Timestamp(value).date(), self.locale)

    def join(self, items: Sequence[str]) -> str:
        return format_list(list(items), locale=babel_locale(self.locale))

    def index_name(self, symbol: str) -> str:
        return self._(INDICES[symbol].short) if symbol in INDICES else symbol

    def sector_short(self, symbol: str) -> str:
        return self._(SECTOR_BY_ETF[symbol].short) if symbol in SECTOR_BY_ETF else symbol

    def sector_name(self, key: str) -> str:
        """Short sector name for a GICS sector name or a sector ETF symbol."""
        etf = SECTOR_ETFS.get(key, key)
        return self.sector_short(etf)

    def sign_color(self, value: float) -> str:
        if value > 0:
            return self.colors.up
        if value < 0:
            return self.colors.down
        return self.colors.flat
