"""The metrics stage: every figure of the report, computed from a price panel.

``compute(panel, universe, cfg)`` is the entry point; the families of small pure functions it
uses live in ``returns``, ``rolling``, ``rotation``, ``sectors``, ``breadth``, ``watchlist``,
``milestones``, ``context`` (how rare a figure is in its whole history) and ``week``.
"""

from reporter.metrics.compute import compute
from reporter.metrics.result import ChartSeries, Metrics

__all__ = ["ChartSeries", "Metrics", "compute"]
