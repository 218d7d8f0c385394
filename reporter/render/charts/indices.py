"""The headline chart: the major indices rebased to 100, each with its change."""

from __future__ import annotations

import pandas as pd
from matplotlib import ticker

from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.labels import Ctx
from reporter.render.charts.layout import (
    date_axis,
    end_labels,
    new_figure,
    no_data,
    place,
    put_title,
    right_margin,
    style_axes,
    to_png,
    to_svg,
    ytick_width,
)
from reporter.render.charts.style import LINE_STYLES, TICK_SPACE, TITLE_SPACE
from reporter.vocabulary import HEADLINE_INDICES


def draw_indices(data: ChartData, ctx: Ctx) -> Chart:
    _ = ctx._
    title = _("Major indices, rebased to 100")
    closes = data.index_closes
    symbols = [s for s in HEADLINE_INDICES if s in closes.columns]
    fig = new_figure(3.6)  # the headline chart: it has the first page's free space
    ax = fig.add_subplot()
    style_axes(ax)
    put_title(fig, title)
    changes: list[str] = []
    labels: list[tuple[float, str, str]] = []
    frame = closes[symbols].astype("float64") if symbols else pd.DataFrame()
    frame.index = pd.DatetimeIndex(frame.index)
    frame = frame.sort_index()
    start = None
    for i, symbol in enumerate(symbols):
        series = frame[symbol].dropna()
        if series.empty:
            continue
        rebased = frame[symbol] / series.iloc[0] * 100.0
        color, style = LINE_STYLES[i % len(LINE_STYLES)]
        ax.plot(rebased.index, rebased.to_numpy(), color=color, linestyle=style, linewidth=1.3)
        last = float(rebased.dropna().iloc[-1])
        name = ctx.index_name(symbol)
        change = ctx.pct(last / 100.0 - 1.0)
        changes.append(f"{name} {change}")
        labels.append((last, f"{name} {change}", color))
        start = series.index[0] if start is None else min(start, series.index[0])
    if not labels:
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Chart of the major indices: not enough history.")
        return Chart("indices", ctx.locale, title, alt, to_svg(fig, alt), to_png(fig))
    assert start is not None  # set with the first label
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    date_axis(ax, frame.index, ctx)
    ax.set_ylabel(_("Start = 100"))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    place(fig, [ax], left=ytick_width(ax) + 0.36, right=right_margin(t for _v, t, _c in labels),
           top=TITLE_SPACE, bottom=TICK_SPACE)
    end_labels(ax, labels, 0.075)
    alt = _(
        "Line chart of the S&P 500, Russell 2000, Nasdaq Composite and Dow Jones, rebased "
        "to 100 on %(start)s. Change to %(end)s: %(changes)s."
    ) % {
        "start": ctx.date(start),
        "end": ctx.date(frame.index[-1]),
        "changes": ctx.join(changes),
    }
    return Chart("indices", ctx.locale, title, alt, to_svg(fig, alt), to_png(fig))
