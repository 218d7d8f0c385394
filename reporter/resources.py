"""Where the files the code reads at run time are, and its cache: the one place that knows.

``templates/`` (``report/``, ``portal/``, ``mail/``) and ``locales/`` sit at the top of the
checkout, beside the package. The wheel ships them inside the package (``reporter/templates``,
``reporter/locales``, see ``pyproject.toml``), so an installed copy finds them there; a checkout
or an editable install has no such folder in the package and finds them one level up. The
schema and the default configuration are package data and always sit in the package.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from reporter.errors import RenderError

#: The ``reporter`` package folder.
PACKAGE = Path(__file__).resolve().parent


@functools.cache
def _shared(name: str) -> Path:
    """The folder ``name``: the package's own copy (installed wheel) first, else the checkout's."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise RenderError(f"the {name}/ folder is missing from this installation of reporter")


def templates_dir(tree: str | None = None) -> Path:
    """The template folder, or one of its trees: ``report``, ``portal`` or ``mail``."""
    root = _shared("templates")
    return root / tree if tree else root


def locales_dir() -> Path:
    """The gettext catalogs: ``<ll_CC>/LC_MESSAGES/<domain>.po`` and the ``.pot`` templates."""
    return _shared("locales")


def package_file(relative: str) -> Path:
    """A data file shipped inside the package, e.g. ``schema/report.schema.json``."""
    return PACKAGE / relative


def cache_dir() -> Path:
    """The folder of what a run may keep for the next (the price store, the NYSE session
    table, the compact fonts, the compiled templates): ``REPORTER_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/reporter``."""
    env = os.environ.get("REPORTER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reporter"


def keep_in_cache(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in the cache through a temporary name, so that a reader never
    sees half a file; raises OSError (the caller decides what a cache it cannot write costs)
    and leaves no temporary file behind."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
