"""The insights stage: language-neutral findings from the metrics, and their bilingual text.

``derive(report, cfg)`` reads the metrics part of report.json and returns :class:`Insights`
(key data points, insights, risks, opportunities, tone); ``render_text(insights, report,
locale)`` turns them into the sentences of one edition. The thresholds, ``InsightsConfig``, are
the ``[insights]`` table of the configuration schema (``reporter.config``).
"""

from __future__ import annotations

from reporter.config import InsightsConfig
from reporter.insights.findings import Finding, Insights
from reporter.insights.rules import derive
from reporter.insights.text import render_text

__all__ = ["Finding", "Insights", "InsightsConfig", "derive", "render_text"]
