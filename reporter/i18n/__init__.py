"""One i18n stack for every text a reader sees: catalogs, number and date formats, templates.

- ``catalogs``: the gettext domains (``messages``, ``insights``, ``portal``), read from the
  ``.po`` files of ``locales/`` at run time;
- ``formats``: numbers, percentages, percentage points and dates through Babel, half-even;
- ``jinja``: the one Jinja2 environment factory (imported on its own: it loads Jinja2).

Strings are marked for extraction with ``N_`` (defined with the vocabulary, whose names it
marks) and translated where they are shown. No language branches in Python: what differs
between languages is in the catalogs and in Babel's locale data.
"""

from reporter.i18n.catalogs import (
    CATALOG_SOURCES,
    DOMAINS,
    catalog_path,
    check_locale,
    clear_cache,
    get_translations,
    gettext_for,
)
from reporter.i18n.formats import (
    MISSING,
    babel_locale,
    direction,
    format_date_long,
    format_date_medium,
    format_day_month,
    format_integer,
    format_month,
    format_number,
    format_numeric_day,
    format_percent,
    format_points,
    is_missing,
    shown_sign,
    to_date,
)
from reporter.vocabulary import N_

__all__ = [
    "CATALOG_SOURCES",
    "DOMAINS",
    "MISSING",
    "N_",
    "babel_locale",
    "catalog_path",
    "check_locale",
    "clear_cache",
    "direction",
    "format_date_long",
    "format_date_medium",
    "format_day_month",
    "format_integer",
    "format_month",
    "format_number",
    "format_numeric_day",
    "format_percent",
    "format_points",
    "get_translations",
    "gettext_for",
    "is_missing",
    "shown_sign",
    "to_date",
]
