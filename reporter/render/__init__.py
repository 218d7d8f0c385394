"""Render stage: charts per locale, HTML per edition, PDFs. Writes nothing to disk.

``build_editions`` is the orchestrator's entry point. It returns every output as bytes keyed
by file name, so the caller can write them atomically. Importing this package is cheap: the
chart and PDF libraries load with ``reporter.render.editions`` on first use of
``build_editions``, so a worker process can load them while the data stage runs
(``reporter.render.service``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporter.render.editions import build_editions, needed_locales

__all__ = ["build_editions", "needed_locales"]


def __getattr__(name: str) -> Any:
    """``build_editions`` and ``needed_locales``, loading the render libraries on first use."""
    if name in ("build_editions", "needed_locales"):
        from reporter.render import editions

        return getattr(editions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
