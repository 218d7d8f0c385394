"""The gettext catalogs: read from the ``.po`` files at run time, once per domain and locale.

There are no compiled ``.mo`` files to keep in step with the sources. Three domains, one per
kind of text, because the same English word is not always translated the same way in each (an
index's name in a sentence reads 标普500指数, in a table 标普500; "1 day" is 1日 in a table
of returns and 当日 on the portal):

- ``messages``: the PDF note's templates, tables and charts (``%(name)s`` placeholders);
- ``insights``: the sentences of the insights stage (``{name}`` placeholders);
- ``portal``: the research portal, its feed and the e-mail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from reporter import resources
from reporter.errors import ConfigError, RenderError
from reporter.vocabulary import LOCALES, SOURCE_LOCALE

DOMAINS: tuple[str, ...] = ("messages", "insights", "portal")
#: Where each domain's messages are extracted from (paths from the checkout's root), with the
#: mapping of ``babel.cfg``: ``make catalogs`` and the catalog tests read this table. The
#: vocabulary's names are in every domain: each translates them in its own way.
CATALOG_SOURCES: dict[str, tuple[str, ...]] = {
    "messages": ("reporter/vocabulary.py", "reporter/i18n", "reporter/render", "templates/report"),
    "insights": ("reporter/vocabulary.py", "reporter/insights"),
    "portal": ("reporter/vocabulary.py", "reporter/portal", "reporter/mail.py",
               "templates/portal", "templates/mail"),
}

_cache: dict[tuple[str, str], NullTranslations] = {}
_cache_lock = threading.Lock()


def check_locale(locale: str) -> str:
    """Return ``locale`` if the report is written in it, else raise ConfigError naming it."""
    if locale not in LOCALES:
        raise ConfigError(f"unsupported locale {locale!r} (supported: {', '.join(LOCALES)})")
    return locale


def catalog_path(domain: str, locale: str) -> Path:
    """Where the ``.po`` file of ``domain`` for ``locale`` lives (it may not exist)."""
    return resources.locales_dir() / locale.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"


def get_translations(domain: str, locale: str) -> NullTranslations:
    """The translations of ``domain`` for ``locale``, parsed once per process (thread-safe).

    The source language needs no catalog (its text is the msgids); any other locale without
    its catalog is an error, never a note silently in English. Fuzzy entries are left out, as
    ``msgfmt`` would.
    """
    key = (domain, locale)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    if domain not in DOMAINS:
        raise RenderError(f"unknown message domain {domain!r}")
    check_locale(locale)
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
    elif locale == SOURCE_LOCALE:
        translations = NullTranslations()
    else:
        raise RenderError(f"message catalog {path} is missing")
    with _cache_lock:
        _cache.setdefault(key, translations)
        return _cache[key]


def gettext_for(domain: str, locale: str) -> Callable[[str], str]:
    """The ``gettext`` of ``domain`` in ``locale``, for code that translates a few strings."""
    return get_translations(domain, locale).gettext


def clear_cache() -> None:
    """Forget loaded catalogs (tests that edit a catalog call this)."""
    with _cache_lock:
        _cache.clear()
