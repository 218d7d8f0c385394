"""Every chart of the report for one locale: the dispatcher over the chart modules.

Every chart uses the object-oriented matplotlib API on its own ``Figure`` (no pyplot state)
inside an ``rc_context``, so charts for two locales can be drawn side by side in worker
processes. Colour is never the only cue: bars carry signed labels and negative bars are hollow,
lines differ in style and carry direct labels, heat-map cells carry their figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib

from reporter.errors import RenderError
from reporter.i18n import check_locale
from reporter.render.charts.breadth import draw_breadth
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.indices import draw_indices
from reporter.render.charts.labels import Ctx
from reporter.render.charts.participation import draw_participation
from reporter.render.charts.sectors import draw_sectors
from reporter.render.charts.size_rotation import draw_size_rotation
from reporter.render.charts.style import BASE_RC
from reporter.render.charts.watch import draw_watch
from reporter.vocabulary import CHART_NAMES, MARKET_COLORS, UpDownColors

#: How each chart of ``CHART_NAMES`` is drawn, in report order.
CHARTS: dict[str, Callable[[ChartData, Ctx], Chart]] = dict(zip(CHART_NAMES, (
    draw_indices, draw_size_rotation, draw_sectors, draw_breadth, draw_participation,
), strict=True))


def render_charts(
    data: ChartData, locale: str, colors: Mapping[str, UpDownColors] | None = None,
    *, also: str | None = None,
) -> dict[str, Chart]:
    """Every chart of the report for one locale, keyed by chart name, in report order; with
    ``also``, bilingual: every word in ``locale`` and then in ``also``, figures, dates and
    colours in ``locale``."""
    scheme = (colors or MARKET_COLORS).get(locale) or MARKET_COLORS[check_locale(locale)]
    ctx = Ctx(locale, scheme, also)
    out: dict[str, Chart] = {}
    with matplotlib.rc_context(BASE_RC):
        for name, draw in CHARTS.items():
            try:
                out[name] = draw(data, ctx)
            except (KeyError, ValueError, TypeError, IndexError) as exc:
                raise RenderError(f"chart {name!r} ({locale}) failed: {exc}") from exc
        for symbol, frame in data.watch.items():
            try:
                chart = draw_watch(symbol, frame, ctx)
            except (KeyError, ValueError, TypeError, IndexError) as exc:
                raise RenderError(
                    f"chart of watch-list symbol {symbol} ({locale}) failed: {exc}"
                ) from exc
            out[chart.name] = chart
    return out
