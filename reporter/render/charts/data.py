"""What the charts draw and what drawing gives back, as plain data.

The orchestrator builds ``ChartData`` from the metrics without loading the chart library (this
module does not import matplotlib), and the copy sent to the render worker is plain pandas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from reporter.vocabulary import chart_file_name


@dataclass(frozen=True)
class ChartData:
    """Exactly what the charts need, mapped from the metrics by the orchestrator.

    Series are indexed by session (``DatetimeIndex``, the last ~252 sessions); returns and
    shares are fractions; NaN where a figure has too little history (drawn as a gap).
    ``run_start`` is the first session of the current outperformance run of ``run_leader``
    (``size_rotation.run``); the charts shade it.
    """

    index_closes: pd.DataFrame  # sessions x index symbols (raw closes; rebased here)
    rs_line: pd.Series  # ^RUT close / ^GSPC close
    run_start: str | None  # first session of the current outperformance run, YYYY-MM-DD
    run_leader: str | None  # "^RUT" or "^GSPC"; None when there is no run
    sector_returns: pd.DataFrame  # index: sector ETF symbol; columns "1D", "MTD"
    ad_line: pd.Series
    pct_above_50d: pd.Series
    pct_above_200d: pd.Series
    net_new_highs: pd.Series
    mcclellan: pd.Series
    sector_participation: pd.DataFrame  # sessions x sectors (GICS names or ETFs), fraction > 50d
    watch: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # close, sma_20/50/200
    run_length: int | None = None  # sessions in the run; counted from run_start when None


@dataclass(frozen=True)
class Chart:
    """One drawn chart: SVG bytes plus the texts the page shows with it."""

    name: str
    locale: str
    title: str
    alt: str
    svg: bytes
    png: bytes | None = None  # the chart mailed with the note (``vocabulary.MAIL_CHART``)

    @property
    def file_name(self) -> str:
        return chart_file_name(self.name, self.locale)
