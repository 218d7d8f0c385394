"""Where things are: the checkout, and the real data snapshot."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def marketdata_path() -> Path:
    """The real data snapshot: ``REPORTER_MARKETDATA``, by default ``../shared/marketdata``."""
    return Path(os.environ.get("REPORTER_MARKETDATA", REPO.parent / "shared" / "marketdata"))
