"""The metrics stage: every figure of the report, computed from a price panel.

``compute(panel, universe, cfg)`` is the entry point; the families of small pure functions it
uses live in ``returns``, ``rolling``, ``rotation``, ``sectors``, ``breadth``, ``watchlist``,
``milestones``, ``context`` (how rare a figure is in its whole history) and ``week``; and,
to judge the day's move (assembled in ``move``), ``analogs`` (what happened next after days
like it), ``quality``, ``carry`` (who carried each sector), ``baskets`` and ``trend``.
"""

from reporter.metrics.compute import compute
from reporter.metrics.result import ChartSeries, Metrics

__all__ = ["ChartSeries", "Metrics", "compute"]
