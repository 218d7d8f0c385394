"""Reading the report: key paths, evidence, scores, history's context and triggers. Shared by
every family of rules.

A key path names a figure in report.json: ``breadth.pct_above_50d``, ``sectors[2].return_1d``;
a key that holds dots is written in brackets: ``context[indices.^GSPC.return_1d].since``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from reporter import calendar
from reporter.config import InsightsConfig
from reporter.i18n.formats import shown_sign
from reporter.insights.findings import Finding
from reporter.insights.rules.specs import SPECS
from reporter.vocabulary import (
    DOW_JONES,
    HEADLINE_INDICES,
    LARGE_CAPS,
    NASDAQ_COMPOSITE,
    RUSSELL_2000,
    SMALL_CAPS,
    SP500,
)

SPX, RUT = LARGE_CAPS, SMALL_CAPS
#: The headline indices (the vocabulary's) in the order the key points weigh them: on equal
#: salience the earlier comes first.
HEADLINE: tuple[str, ...] = (SP500, NASDAQ_COMPOSITE, RUSSELL_2000, DOW_JONES)
assert sorted(HEADLINE) == sorted(HEADLINE_INDICES)

#: A one-day size spread below this (0.1 percentage points) is no key point: too small to say.
MIN_SPREAD = 0.001


_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def _steps(path: str) -> list[str | int]:
    return [k if k else int(b) if b.isdigit() else b for k, b in _STEP.findall(path)]


def context_path(figure: str, field: str | None = None) -> str:
    """The key path of a figure's context (``context[indices.^GSPC.return_1d].since``)."""
    return f"context[{figure}]" + (f".{field}" if field else "")


def shown(x: float, digits: int = 1, scale: float = 100.0) -> int:
    """The sign of ``x`` as the note shows it (a return as a percentage with one decimal by
    default): a figure that rounds to zero is flat (0), so no word claims a move it did not
    show."""
    return shown_sign(x, digits, scale)


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

    def sector_row(self, symbol: str) -> tuple[int, dict[str, Any]] | None:
        """The sector ETF's row in ``sectors`` and its index."""
        return next(((i, r) for i, r in self.sector_rows() if r["symbol"] == symbol), None)

    def breadth_row(self, etf: str) -> tuple[int, dict[str, Any]] | None:
        """The sector's row in ``breadth_by_sector`` (by its ETF) and its index."""
        rows = self.report.get("breadth_by_sector") or []
        return next(((i, r) for i, r in enumerate(rows)
                     if isinstance(r, dict) and r.get("etf") == etf), None)

    def since(self, figure: str, sign: int) -> dict[str, Any] | None:
        """History's context for a "biggest since" claim about ``figure``, or None.

        The claim needs the figure's context to point the way of ``sign`` (+1: a high, the
        figure above zero; -1: a low, below zero) and the earlier session at least as extreme
        to lie ``context_min_sessions`` back, or none to exist: then the figure is the most
        extreme since the series' first session (``record``). Returns ``{"since", "record",
        "history_start", "value"}`` with the evidence path under ``"path"``.
        """
        ctx = self.get(context_path(figure))
        if not isinstance(ctx, dict):
            return None
        value = ctx.get("value")
        if not isinstance(value, int | float) or value * sign <= 0:
            return None
        if ctx.get("direction") != ("high" if sign > 0 else "low"):
            return None
        day, start = ctx.get("since"), ctx.get("history_start")
        if day is None:
            return {"since": None, "record": True, "history_start": start, "value": value,
                    "path": context_path(figure)} if start else None
        ago = self.sessions_since(day)
        if ago is None or ago < self.cfg.context_min_sessions:
            return None
        return {"since": day, "record": False, "history_start": start, "value": value,
                "path": context_path(figure)}


def trigger(path: str, level: float, now: float, direction: str, effect: str, fid: str,
            **extra: Any) -> dict[str, Any]:
    """The level that would confirm or invalidate the finding ``fid``: ``path`` (the figure, as
    report.json holds it) crossing ``level`` in ``direction`` ("above" or "below") from ``now``.
    ``effect`` is "confirms" or "invalidates"; ``extra`` names what the sentence needs (a
    symbol). Raises ValueError when the level is already crossed: a trigger lies ahead."""
    if direction not in ("above", "below") or effect not in ("confirms", "invalidates"):
        raise ValueError(f"bad trigger for {fid}: {direction!r}, {effect!r}")
    if (direction == "above" and now > level) or (direction == "below" and now < level):
        raise ValueError(f"trigger of {fid} already crossed: {now} {direction} {level}")
    return {"path": path, "level": level, "now": now, "direction": direction, effect: fid,
            **extra}


def ahead(path: str, now: float, level: float, effect_up: str, effect_down: str, fid: str,
          **extra: Any) -> dict[str, Any]:
    """A trigger at ``level`` on whichever side of it ``now`` is not: crossing above it has
    ``effect_up``, crossing below ``effect_down``."""
    if now <= level:
        return trigger(path, level, now, "above", effect_up, fid, **extra)
    return trigger(path, level, now, "below", effect_down, fid, **extra)


def finding(fid: str, score: float, params: dict[str, Any],
            evidence: Iterable[dict[str, Any]]) -> Finding:
    """A finding of the id's kind, its score clipped to [0, 1]. A risk or an opportunity
    without a trigger is a bug, not a finding."""
    kind = SPECS[fid].kind
    if kind in ("risk", "opportunity") and "trigger" not in params:
        raise ValueError(f"{fid}: a {kind} needs a trigger")
    return Finding(
        id=fid,
        kind=kind,
        score=round(min(1.0, max(0.0, score)), 4),
        params=params,
        evidence=tuple(evidence),
    )


Rule = Callable[[Ctx], list[Finding]]
