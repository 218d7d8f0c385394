"""The insight rules: read the metrics part of report.json, return language-neutral findings.

Each rule fires only when its evidence holds and a figure it needs is present (a null figure
silences the rule, never a guess). Scores are saliences in [0, 1]; every finding id has one
fixed kind, a tone weight and a topic in ``SPECS``.

One module per family: ``base`` (reading the report, citing evidence), ``specs`` (what every
finding id is), ``key_points``, ``size`` (size rotation, concentration, valuation), ``sectors``,
``market`` (the index over the month), ``breadth``, ``volatility``, ``watchlist``,
``history`` (what happened next after today's signals), ``quality`` (the quality of the move,
who carried it, the member baskets), and
``assembly`` (the rules in order, key-point selection, the tone, :func:`derive`).
"""

from __future__ import annotations

from reporter.insights.rules.assembly import (
    KEY_POINT_RULES,
    RULES,
    apart,
    derive,
    key_point_candidates,
    select_key_points,
    tone_of,
    varied,
)
from reporter.insights.rules.specs import GROUP_CAPS, SPECS, Spec

__all__ = [
    "GROUP_CAPS",
    "KEY_POINT_RULES",
    "RULES",
    "SPECS",
    "apart",
    "Spec",
    "derive",
    "key_point_candidates",
    "select_key_points",
    "tone_of",
    "varied",
]
