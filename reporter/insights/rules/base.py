"""Reading the report: key paths, evidence, scores. Shared by every family of rules."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from reporter import calendar
from reporter.config import InsightsConfig
from reporter.insights.findings import Finding
from reporter.insights.rules.specs import SPECS
from reporter.vocabulary import HEADLINE_INDICES, LARGE_CAPS, SMALL_CAPS

SPX, RUT = LARGE_CAPS, SMALL_CAPS
#: The headline indices (the vocabulary's) in the order the key points weigh them: on equal
#: salience the earlier comes first.
HEADLINE: tuple[str, ...] = ("^GSPC", "^IXIC", "^RUT", "^DJI")
assert sorted(HEADLINE) == sorted(HEADLINE_INDICES)

#: A one-day size spread below this (0.005 percentage points) is a tie, not a lead.
MIN_SPREAD = 0.00005


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in _STEP.findall(path)]


def ramp(x: float, lo: float, hi: float) -> float:
    """0 at ``lo``, 1 at ``hi``, linear between, clipped."""
    if hi <= lo:
        return 1.0 if x >= hi else 0.0
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


class Ctx:
    """The report, the thresholds, and helpers that read a key path and cite it as evidence."""

    def __init__(self, report: dict[str, Any], cfg: InsightsConfig) -> None:
        self.report = report
        self.cfg = cfg
        self.as_of: str | None = report.get("as_of")

    def get(self, path: str) -> Any:
        node: Any = self.report
        for step in _steps(path):
            if isinstance(step, int):
                if not isinstance(node, list) or step >= len(node):
                    return None
            elif not isinstance(node, dict) or step not in node:
                return None
            node = node[step]
        return node

    def num(self, path: str) -> float | None:
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if math.isfinite(value) else None

    def ev(self, path: str, date: str | None = None) -> dict[str, Any]:
        return {"path": path, "value": self.get(path), "date": date or self.as_of}

    def sessions_since(self, day: str | None) -> int | None:
        """NYSE sessions from ``day`` to the as-of date (0 on the day itself)."""
        if not day or not self.as_of:
            return None
        try:
            start, end = dt.date.fromisoformat(day), dt.date.fromisoformat(self.as_of)
        except ValueError:
            return None
        if start > end:
            return None
        return max(0, len(calendar.sessions(start, end)) - 1)

    def sector_rows(self) -> list[tuple[int, dict[str, Any]]]:
        rows = self.report.get("sectors") or []
        return [(i, r) for i, r in enumerate(rows) if isinstance(r, dict) and r.get("symbol")]


def finding(fid: str, score: float, params: dict[str, Any], evidence: Iterable[dict]) -> Finding:
    return Finding(
        id=fid,
        kind=SPECS[fid].kind,
        score=round(min(1.0, max(0.0, score)), 4),
        params=params,
        evidence=tuple(evidence),
    )


Rule = Callable[[Ctx], list[Finding]]
