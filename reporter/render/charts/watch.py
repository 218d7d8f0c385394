"""A watch-list symbol: its close and its 20-, 50- and 200-day averages."""

from __future__ import annotations

import pandas as pd
from matplotlib import ticker

from reporter.i18n import N_
from reporter.render.charts.data import Chart
from reporter.render.charts.labels import Ctx, translated
from reporter.render.charts.layout import (
    date_axis,
    end_labels,
    last_point,
    last_value,
    legend_below,
    legend_space,
    new_figure,
    no_data,
    place,
    put_title,
    right_margin,
    style_axes,
    taller,
    tick_space,
    title_space,
    to_svg,
    ytick_width,
)
from reporter.render.charts.style import EXTRA_TICK_LINE, INK, LINE_STYLES
from reporter.vocabulary import watch_chart_name


def draw_watch(symbol: str, frame: pd.DataFrame, ctx: Ctx) -> Chart:
    title = ctx.title("", symbol)
    frame = frame.copy()
    frame.index = pd.DatetimeIndex(frame.index)
    frame = frame.sort_index()
    fig = new_figure(taller(2.9, ctx, labels=EXTRA_TICK_LINE))  # the legend's second line
    ax = fig.add_subplot()
    style_axes(ax)
    put_title(fig, title)
    close = pd.Series(frame.get("close"), dtype="float64")
    if close.dropna().empty:
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=title_space(ctx), bottom=0.2)
        alt = ctx.both(
            lambda c: c._("Chart of %(symbol)s: not enough history.") % {"symbol": symbol}, " "
        )
        return Chart(watch_chart_name(symbol), ctx.locale, " / ".join(title), alt,
                     to_svg(fig, alt))
    series = [
        ("close", N_("Close"), INK, "-", 1.4),
        ("sma_20", N_("20-day average"), LINE_STYLES[0][0], ":", 1.1),
        ("sma_50", N_("50-day average"), LINE_STYLES[1][0], "--", 1.1),
        ("sma_200", N_("200-day average"), LINE_STYLES[2][0], "-.", 1.1),
    ]
    labels: list[tuple[float, str, str]] = []
    for column, label, color, style, width in series:
        if column not in frame:
            continue
        values = pd.Series(frame[column], dtype="float64")
        ax.plot(values.index, values.to_numpy(), color=color, linestyle=style, linewidth=width,
                label=ctx.both(translated(label), "\n"))
        last = last_value(values)
        if last is not None:
            labels.append((last, ctx.num(last, 2), color))
    date_axis(ax, frame.index, ctx)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    place(fig, [ax], left=ytick_width(ax) + 0.16, right=right_margin(t for _v, t, _c in labels),
           top=title_space(ctx),
           bottom=tick_space(ctx) + legend_space(ctx))
    legend_below(fig, ax)
    end_labels(ax, labels, 0.07)
    date, last_close = last_point(close)
    assert date is not None  # close has data: checked above
    sma200 = pd.Series(frame.get("sma_200"), dtype="float64")
    last_200 = last_value(sma200)
    versus = None if not last_200 or last_close is None else last_close / last_200 - 1.0
    alt = ctx.both(lambda c: c._(
        "Line chart of %(symbol)s with its 20-, 50- and 200-day averages; close %(close)s on "
        "%(date)s, %(vs)s against the 200-day average."
    ) % {
        "symbol": symbol,
        "close": c.num(last_close, 2),
        "date": c.date(date),
        "vs": c.pct(versus),
    }, " ")
    return Chart(watch_chart_name(symbol), ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
