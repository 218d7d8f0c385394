"""The words and figures of the charts in one locale: names, numbers, dates, colours.

Light on purpose (no matplotlib): the HTML renderer uses ``etf_label`` as well.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from babel.lists import format_list

from reporter.i18n import (
    babel_locale,
    check_locale,
    format_date_long,
    format_number,
    format_percent,
    get_translations,
)
from reporter.vocabulary import INDICES, SECTOR_BY_ETF, SECTOR_ETFS, UpDownColors


def etf_label(symbol: str, locale: str) -> str:
    """``Technology (XLK)`` / ``信息技术（XLK）``: short sector name and its ETF."""
    _ = get_translations("messages", locale).gettext
    if symbol not in SECTOR_BY_ETF:
        return symbol
    # Translators: a sector name followed by its ETF symbol in brackets.
    return _("%(name)s (%(symbol)s)") % {"name": _(SECTOR_BY_ETF[symbol].short), "symbol": symbol}


class Ctx:
    """Locale-bound helpers for one set of charts."""

    def __init__(self, locale: str, colors: UpDownColors) -> None:
        self.locale = check_locale(locale)
        self.colors = colors
        self._ = get_translations("messages", locale).gettext

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
