"""Numbers and dates as each locale writes them, through Babel with half-even rounding.

Every figure a reader sees goes through here (the insights sentences keep their own Babel
patterns), so the text and the tests that format their expected strings with Babel agree to
the last digit. A missing figure (None, NaN) shows as ``MISSING``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, get_minus_sign_symbol, get_plus_sign_symbol

from reporter.errors import ConfigError, RenderError
from reporter.i18n.catalogs import get_translations

#: Shown where a figure is missing (null). Language-neutral.
MISSING = "—"


@functools.lru_cache(maxsize=16)
def babel_locale(locale: str) -> Locale:
    """The Babel locale for a BCP 47 tag such as ``zh-CN``."""
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise ConfigError(f"unknown locale {locale!r}") from exc


def _finite(value: object) -> float | Decimal | None:
    """The figure as a finite number (a Decimal stays one, anything else becomes a float);
    None when it is missing: None, NaN, infinity, a bool or anything that is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        # whatever float() takes (numpy's numbers too); the rest raises and counts as missing
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return value if isinstance(value, Decimal) else number


def is_missing(value: object) -> bool:
    """None, NaN, infinity or anything that is not a number: a figure that is not there."""
    return _finite(value) is None


def _decimal(number: float | Decimal) -> Decimal:
    """A Decimal as it is; a float from its shortest decimal text."""
    return number if isinstance(number, Decimal) else Decimal(repr(float(number)))


def _quantize(value: float | Decimal, digits: int) -> Decimal:
    """Round half-even at ``digits`` decimals, from the shortest decimal text of a float."""
    return _decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def _signed(quantized: Decimal, body: str, locale: str, signed: bool) -> str:
    """Prefix the locale's plus or minus sign; a figure that rounds to zero gets none."""
    if quantized == 0:
        return body
    if quantized < 0:
        return get_minus_sign_symbol(babel_locale(locale)) + body
    return (get_plus_sign_symbol(babel_locale(locale)) if signed else "") + body


def format_number(
    value: float | Decimal | None, locale: str, digits: int = 2, *, signed: bool = False
) -> str:
    """A decimal number with grouping, e.g. ``6,845.50``; ``signed`` adds ``+`` when positive."""
    number = _finite(value)
    if number is None:
        return MISSING
    quantized = _quantize(number, digits)
    body = format_decimal(abs(quantized), _pattern(digits), locale=babel_locale(locale))
    return _signed(quantized, body, locale, signed)


def shown_sign(value: float | Decimal, digits: int, scale: float = 1.0) -> int:
    """The sign of ``value * scale`` as shown with ``digits`` decimals: one that rounds to
    zero is flat (0), so a figure's colour always agrees with its text."""
    shown = round(Decimal(repr(float(value))) * Decimal(repr(scale)), digits)
    return (shown > 0) - (shown < 0)


def direction(value: object, digits: int = 2, scale: float = 1.0) -> str:
    """``up``, ``down`` or ``flat`` as :func:`shown_sign` sees it; ``none`` when missing."""
    number = _finite(value)
    if number is None:
        return "none"
    return {1: "up", -1: "down", 0: "flat"}[shown_sign(number, digits, scale)]


def format_integer(value: float | int | None, locale: str, *, signed: bool = False) -> str:
    """A whole number with grouping, e.g. ``1,234``."""
    return format_number(value, locale, 0, signed=signed)


def format_percent(
    value: float | Decimal | None, locale: str, digits: int = 1, *, signed: bool = False
) -> str:
    """A fraction as a percentage: 0.01234 -> ``1.2%`` (``+1.2%`` when ``signed``)."""
    finite = _finite(value)
    if finite is None:
        return MISSING
    quantized = _quantize(_decimal(finite) * 100, digits)
    body = format_decimal(abs(quantized), _pattern(digits), locale=babel_locale(locale))
    percent = babel_locale(locale).number_symbols["latn"]["percentSign"]
    return _signed(quantized, body + percent, locale, signed)


def format_points(
    value: float | Decimal | None, locale: str, digits: int = 2, *, signed: bool = True
) -> str:
    """A spread (a difference of two fractions) in percentage points: ``+1.23 pp``."""
    finite = _finite(value)
    if finite is None:
        return MISSING
    figure = format_number(_decimal(finite) * 100, locale, digits, signed=signed)
    return get_translations("messages", locale).gettext("%(value)s pp") % {"value": figure}


def to_date(value: str | dt.date | dt.datetime) -> dt.date:
    """A ``YYYY-MM-DD`` string, date or datetime as a date; a bad string raises RenderError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise RenderError(f"invalid date {value!r} (expected YYYY-MM-DD)") from exc


def format_date_long(value: str | dt.date | None, locale: str) -> str:
    """``2026年2月6日`` / ``February 6, 2026``."""
    if value is None:
        return MISSING
    return format_date(to_date(value), "long", locale=babel_locale(locale))


def format_date_medium(value: str | dt.date | None, locale: str) -> str:
    """``2026年2月6日`` / ``Feb 6, 2026``: compact, for tables and charts."""
    if value is None:
        return MISSING
    return format_skeleton("yMMMd", to_date(value), locale=babel_locale(locale))


def format_month(value: str | dt.date, locale: str, *, with_year: bool = False) -> str:
    """Axis labels: ``1月`` / ``Jan``, or ``2026年1月`` / ``Jan 2026`` with the year."""
    skeleton = "yMMM" if with_year else "MMM"
    return format_skeleton(skeleton, to_date(value), locale=babel_locale(locale))


def format_day_month(value: str | dt.date, locale: str) -> str:
    """Short axis labels: ``2月6日`` / ``Feb 6``."""
    return format_skeleton("MMMd", to_date(value), locale=babel_locale(locale))


def format_numeric_day(value: str | dt.date, locale: str) -> str:
    """Compact axis labels for dense axes: ``10/17``, in the locale's order."""
    return format_skeleton("Md", to_date(value), locale=babel_locale(locale))
