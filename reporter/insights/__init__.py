"""The insights stage: language-neutral findings from the metrics, and their bilingual text.

``derive(report, cfg)`` reads the metrics part of report.json and returns :class:`Insights`
(key data points, insights, risks, opportunities, tone); ``render_text(insights, report,
locale)`` turns them into the sentences of one edition.
"""

from __future__ import annotations

from reporter.insights.config import InsightsConfig, insights_config
from reporter.insights.findings import Finding, Insights
from reporter.insights.rules import derive
from reporter.insights.text import render_text

__all__ = ["Finding", "Insights", "InsightsConfig", "derive", "insights_config", "render_text"]
