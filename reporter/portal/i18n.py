"""The ``portal`` gettext domain (portal pages, feed and e-mail), Babel formatting, Jinja2.

Catalogs are read from the ``.po`` files at run time (no compiled ``.mo`` to go stale). English
is the source language, so a locale without a catalog shows the English text.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from typing import Any

from reporter import resources

DOMAIN = "portal"
#: The portal's languages; the first is the default (``index.html``), the others get a suffix.
PORTAL_LOCALES = ("zh-CN", "en-US")
#: Up / down colours by market convention: red for up in China, green for up in the US.
MARKET_COLOURS: dict[str, dict[str, str]] = {
    "zh-CN": {"up": "#c62828", "down": "#2e7d32", "flat": "#555555", "none": "#555555"},
    "en-US": {"up": "#2e7d32", "down": "#c62828", "flat": "#555555", "none": "#555555"},
}
NOT_AVAILABLE = "—"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def page_suffix(locale: str) -> str:
    """``""`` for the default language, ``".en"`` etc. for the others (``index.en.html``)."""
    return "" if locale == PORTAL_LOCALES[0] else "." + locale.split("-")[0]


@lru_cache(maxsize=8)
def translations(locale: str) -> gettext.NullTranslations:
    """The portal catalog of ``locale`` compiled in memory from its ``.po`` file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = locale.replace("-", "_")
    po = resources.locales_dir() / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    catalog = read_po(io.BytesIO(po.read_bytes()), locale=folder, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_for(locale: str):  # type: ignore[no-untyped-def]
    return translations(locale).gettext


@lru_cache(maxsize=8)
def _babel_locale(locale: str):  # type: ignore[no-untyped-def]
    from babel import Locale

    return Locale.parse(locale, sep="-")


def format_day(day: str, locale: str) -> str:
    """A session date in the reader's long form: 2025年12月31日 / December 31, 2025."""
    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(day), format="long", locale=_babel_locale(locale))


def format_number(value: Any, locale: str, digits: int = 2) -> str:
    if not _is_number(value):
        return NOT_AVAILABLE
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=_babel_locale(locale))


def format_change(value: Any, locale: str) -> str:
    """A return (fraction) as a signed percentage: +1.23% / -0.45%."""
    if not _is_number(value):
        return NOT_AVAILABLE
    from babel.numbers import format_percent

    return format_percent(value, format="+#,##0.00%;-#,##0.00%", locale=_babel_locale(locale))


def direction(value: Any) -> str:
    """``up``, ``down``, ``flat`` or ``none`` (unknown) for colouring a figure."""
    if not _is_number(value):
        return "none"
    return "up" if value > 0 else "down" if value < 0 else "flat"


def _is_number(value: Any) -> bool:
    import math

    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


@lru_cache(maxsize=8)
def environment(locale: str):  # type: ignore[no-untyped-def]
    """A Jinja2 environment with the locale's catalog installed; HTML and XML autoescaped."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(
            [str(resources.templates_dir(t)) for t in ("portal", "mail")]
        ),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env
