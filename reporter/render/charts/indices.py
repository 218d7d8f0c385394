"""The headline chart: the major indices rebased to 100, each with its change."""

from __future__ import annotations

from functools import partial

import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

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
    taller,
    tick_space,
    title_space,
    to_png,
    to_svg,
    ylabel_space,
    ytick_width,
)
from reporter.render.charts.style import LINE_STYLES
from reporter.vocabulary import HEADLINE_INDICES


def window_change(series: pd.Series) -> float | None:
    """A line's change over the chart's window: last value against the first (the window holds
    253 closes, so this is the 1-year return of the market overview table)."""
    valid = series.dropna()
    if valid.empty or valid.iloc[0] == 0:
        return None
    return float(valid.iloc[-1] / valid.iloc[0] - 1.0)


def draw_indices(data: ChartData, ctx: Ctx) -> Chart:
    # Translators: the end labels are each index's change over the year shown.
    title = ctx.title("indices")
    closes = data.index_closes
    symbols = [s for s in HEADLINE_INDICES if s in closes.columns]
    fig = new_figure(taller(3.6, ctx))  # the headline chart: it has the first page's free space
    ax = fig.add_subplot()
    style_axes(ax)
    put_title(fig, title)
    changes: list[tuple[str, str]] = []
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
        change = ctx.pct(window_change(frame[symbol]))
        changes.append((symbol, change))
        labels.append((last, ctx.named(partial(Ctx.index_name, symbol=symbol), change), color))
        start = series.index[0] if start is None else min(start, series.index[0])
    if not labels:
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=title_space(ctx), bottom=0.2)
        alt = ctx.both(lambda c: c._("Chart of the major indices: not enough history."), " ")
        return Chart("indices", ctx.locale, " / ".join(title), alt, to_svg(fig, alt),
                     mailed(fig, ctx))
    assert start is not None  # set with the first label
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    date_axis(ax, frame.index, ctx)
    ax.set_ylabel(ctx.both(lambda c: c._("Start = 100"), "\n"))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    place(fig, [ax], left=ytick_width(ax) + ylabel_space(ctx),
           right=right_margin(t for _v, t, _c in labels), top=title_space(ctx),
           bottom=tick_space(ctx))
    end_labels(ax, labels, 0.075)

    def alt_text(c: Ctx) -> str:
        return c._(
            "Line chart of the S&P 500, Russell 2000, Nasdaq Composite and Dow Jones, rebased "
            "to 100 on %(start)s. Change to %(end)s: %(changes)s."
        ) % {
            "start": c.date(start),
            "end": c.date(frame.index[-1]),
            "changes": c.join([f"{c.index_name(s)} {change}" for s, change in changes]),
        }

    alt = ctx.both(alt_text, " ")
    return Chart("indices", ctx.locale, " / ".join(title), alt, to_svg(fig, alt),
                 mailed(fig, ctx))


def mailed(fig: Figure, ctx: Ctx) -> bytes | None:
    """The chart as the e-mail shows it, in one language: none for the bilingual edition,
    which is not mailed."""
    return to_png(fig) if ctx.other is None else None
