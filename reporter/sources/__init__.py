"""Data sources behind one small interface, chosen with ``--source``.

``yahoo`` (yfinance), ``csv:DIR`` (a folder laid out like the shared market-data snapshot) and
``sample`` (the embedded, seeded sample market).
"""

from __future__ import annotations

from pathlib import Path

from reporter.errors import ConfigError
from reporter.sources.base import Source


def open_source(spec: str, *, cache_dir: Path, constituents: str = "") -> Source:
    """Build the source named by a ``--source`` value. Heavy libraries load only here."""
    if spec == "yahoo":
        from reporter.sources.yahoo import YahooSource

        return YahooSource(cache_dir=cache_dir, constituents=constituents or None)
    if spec == "sample":
        from reporter.sources.sample import SampleSource

        return SampleSource()
    if spec.startswith("csv:") and len(spec) > 4:
        from reporter.sources.csvdir import CsvSource

        return CsvSource(Path(spec[4:]))
    raise ConfigError(f"--source: expected yahoo, sample or csv:DIR, got {spec!r}")
