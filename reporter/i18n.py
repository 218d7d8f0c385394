"""Locale helpers shared by every stage that writes text a reader sees.

Catalogs are read from the ``.po`` files at run time (no compiled ``.mo`` files to keep in step
with the sources) and cached in memory per (domain, locale). Numbers and dates go through Babel
with half-even rounding, so the text and the tests that format their expected strings with Babel
agree to the last digit.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import threading
from decimal import ROUND_HALF_EVEN, Decimal
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_minus_sign_symbol, get_plus_sign_symbol
from babel.support import Translations

from reporter import resources
from reporter.errors import ConfigError, RenderError

#: The locales the report is written in (BCP 47 tags, as used in file names and ``lang``).
SUPPORTED_LOCALES: tuple[str, ...] = ("zh-CN", "en-US")
#: Shown where a figure is missing (null). Language-neutral.
MISSING = "—"

_cache: dict[tuple[str, str], NullTranslations] = {}
_cache_lock = threading.Lock()


def check_locale(locale: str) -> str:
    """Return ``locale`` if the report supports it, else raise ConfigError naming it."""
    if locale not in SUPPORTED_LOCALES:
        supported = ", ".join(SUPPORTED_LOCALES)
        raise ConfigError(f"unsupported locale {locale!r} (supported: {supported})")
    return locale


@functools.lru_cache(maxsize=16)
def babel_locale(locale: str) -> Locale:
    """The Babel locale for a BCP 47 tag such as ``zh-CN``."""
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise ConfigError(f"unknown locale {locale!r}") from exc


def catalog_path(domain: str, locale: str) -> Path:
    """Where the ``.po`` file of ``domain`` for ``locale`` lives (it may not exist)."""
    return resources.locales_dir() / locale.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"


def get_translations(domain: str, locale: str) -> NullTranslations:
    """The gettext translations of ``domain`` for ``locale``, loaded once per process.

    A locale without a catalog (English, whose msgids are the English text) gets identity
    translations. Fuzzy entries are left out, as ``msgfmt`` would.
    """
    key = (domain, locale)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    path = catalog_path(domain, locale)
    translations: NullTranslations
    if path.is_file():
        try:
            with path.open("rb") as fh:
                catalog = read_po(
                    fh, locale=locale.replace("-", "_"), domain=domain, abort_invalid=True
                )
        except Exception as exc:  # a broken catalog must name its file
            raise RenderError(f"cannot read message catalog {path}: {exc}") from exc
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        translations = Translations(buf, domain=domain)
    else:
        translations = NullTranslations()
    with _cache_lock:
        _cache.setdefault(key, translations)
        return _cache[key]


def clear_cache() -> None:
    """Forget loaded catalogs (tests that edit a catalog call this)."""
    with _cache_lock:
        _cache.clear()


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _quantize(value: float | Decimal, digits: int) -> Decimal:
    """Round half-even at ``digits`` decimals, from the shortest decimal text of a float."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)


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
    if _is_missing(value):
        return MISSING
    quantized = _quantize(value, digits)  # type: ignore[arg-type]
    body = format_decimal(abs(quantized), _pattern(digits), locale=babel_locale(locale))
    return _signed(quantized, body, locale, signed)


def format_integer(value: float | int | None, locale: str, *, signed: bool = False) -> str:
    """A whole number with grouping, e.g. ``1,234``."""
    return format_number(value, locale, 0, signed=signed)


def format_percent(
    value: float | Decimal | None, locale: str, digits: int = 1, *, signed: bool = False
) -> str:
    """A fraction as a percentage: 0.01234 -> ``1.2%`` (``+1.2%`` when ``signed``)."""
    if _is_missing(value):
        return MISSING
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]
    quantized = _quantize(number * 100, digits)
    body = format_decimal(abs(quantized), _pattern(digits), locale=babel_locale(locale))
    percent = babel_locale(locale).number_symbols["latn"]["percentSign"]
    return _signed(quantized, body + percent, locale, signed)


def format_points(
    value: float | Decimal | None, locale: str, digits: int = 2, *, signed: bool = True
) -> str:
    """A spread (a difference of two fractions) in percentage points: ``+1.23 pp``."""
    if _is_missing(value):
        return MISSING
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]
    figure = format_number(number * 100, locale, digits, signed=signed)
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
