"""The one small exception family. Every message names the symbol, file or date at fault.

The CLI prints ``str(error)`` as a single line and exits with ``error.exit_code``.
"""

from __future__ import annotations


class ReporterError(Exception):
    """Base of every error the reporter raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:  # always one line
        return " ".join(super().__str__().split())


class ConfigError(ReporterError):
    """The configuration or a command-line argument is invalid."""

    exit_code = 2


class DataError(ReporterError):
    """Market data is unusable: unreadable file, bad values, missing required series, stale data."""

    exit_code = 3


class SourceError(DataError):
    """A data source failed: network, empty or partial download, missing symbols."""

    exit_code = 4


class StoreError(ReporterError):
    """The embedded price store cannot be opened, locked or written."""

    exit_code = 5


class RenderError(ReporterError):
    """Charts, HTML or PDF could not be produced."""

    exit_code = 6


class OutputError(ReporterError):
    """Outputs could not be written (permissions, disk full, path outside the output folder)."""

    exit_code = 7


class DeliveryError(ReporterError):
    """Publishing or e-mail delivery failed."""

    exit_code = 8


class MissingSymbolsError(SourceError):
    """A source returned nothing for some symbols. ``found`` holds what did come back, so a
    caller may degrade (members: coverage) where the missing symbols are optional."""

    def __init__(self, message: str, missing: tuple[str, ...], found: dict | None = None) -> None:
        super().__init__(message)
        self.missing = missing
        self.found = found or {}


class Terminated(BaseException):
    """SIGTERM arrived: the work unwinds as for Ctrl-C (cleanup runs), then the process exits
    143. Not a ReporterError, so no handler of ordinary failures catches it."""

    exit_code = 143
