"""Breadth of participation among index members: four panels over one date axis."""

from __future__ import annotations

import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes

from reporter.i18n import N_
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.labels import Ctx, translated
from reporter.render.charts.layout import (
    clean,
    date_axis,
    end_labels,
    last_value,
    new_figure,
    percent_axis,
    place,
    put_title,
    right_margin,
    style_axes,
    tick_space,
    title_space,
    to_svg,
    ytick_width,
)
from reporter.render.charts.style import EXTRA_TICK_LINE, INK, LINE_STYLES, TITLE_SPACE


def draw_breadth(data: ChartData, ctx: Ctx) -> Chart:
    title = ctx.title("breadth")
    ad = clean(data.ad_line)
    p50 = clean(data.pct_above_50d)
    p200 = clean(data.pct_above_200d)
    nnh = clean(data.net_new_highs)
    mcc = clean(data.mcclellan)
    index = ad.index.union(p50.index).union(nnh.index).union(mcc.index)
    # at most ~45% of a page: a chart moved on leaves no half page (a bilingual one, whose panel
    # titles take two lines, a little more: its panels give up some height instead)
    fig = new_figure(4.6 + (ctx.lines - 1) * 0.2)
    sep = "\n"  # the panel titles of a bilingual chart: one language per line
    first = fig.add_subplot()
    axes = [first] + [fig.add_subplot(sharex=first) for _i in range(3)]
    for ax in axes:
        style_axes(ax)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    blue = LINE_STYLES[0][0]
    end: list[tuple[Axes, list[tuple[float, str, str]], float]] = []

    ax = axes[0]
    ax.plot(ad.index, ad.to_numpy(), color=blue, linewidth=1.2)
    ax.set_title(ctx.both(lambda c: c._("Advance-decline line"), sep), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    ad_last = last_value(ad)
    if ad_last is not None:
        end.append((ax, [(ad_last, ctx.num(ad_last, 0), blue)], 0.1))

    ax = axes[1]
    ax.plot(p50.index, p50.to_numpy(), color=blue, linewidth=1.2)
    ax.plot(
        p200.index, p200.to_numpy(), color=LINE_STYLES[1][0], linestyle="--", linewidth=1.2
    )
    ax.axhline(0.5, color="#999999", linewidth=0.7)
    ax.set_ylim(0.0, 1.0)
    ax.yaxis.set_major_locator(ticker.FixedLocator([0.0, 0.25, 0.5, 0.75, 1.0]))
    percent_axis(ax, ctx)
    ax.set_title(ctx.both(lambda c: c._(
        "Share of members above their 50-day (solid) and 200-day (dashed) average"
    ), sep), fontsize=8.5)
    p50_last = last_value(p50)
    p200_last = last_value(p200)
    end.append((
        ax,
        [
            (v, ctx.named(translated(label), ctx.pct(v, signed=False)), color)
            for v, label, color in (
                (p50_last, N_("50-day"), blue),
                (p200_last, N_("200-day"), LINE_STYLES[1][0]),
            )
            if v is not None
        ],
        0.18,  # two lines of label each on a bilingual chart: a little more apart
    ))

    ax = axes[2]
    vals = np.nan_to_num(nnh.to_numpy(dtype="float64"))
    # One stepped area per sign instead of one bar per session: same picture, far lighter.
    ax.fill_between(nnh.index, np.maximum(vals, 0.0), 0.0, step="mid", color=ctx.colors.up,
                    linewidth=0)
    ax.fill_between(nnh.index, np.minimum(vals, 0.0), 0.0, step="mid", color=ctx.colors.down,
                    alpha=0.55, linewidth=0)
    ax.axhline(0.0, color="#555555", linewidth=0.6)
    ax.set_title(ctx.both(
        lambda c: c._("Net new 52-week highs (highs − lows; above zero: more highs)"), sep
    ), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0, signed=True)))
    nnh_last = last_value(nnh)
    if nnh_last is not None:
        end.append((ax, [(nnh_last, ctx.num(nnh_last, 0, signed=True), INK)], 0.1))

    ax = axes[3]
    ax.plot(mcc.index, mcc.to_numpy(), color=INK, linewidth=1.0)
    m = np.nan_to_num(mcc.to_numpy(dtype="float64"))
    ax.fill_between(mcc.index, np.maximum(m, 0.0), 0.0, color=ctx.colors.up, alpha=0.35,
                    linewidth=0)
    ax.fill_between(mcc.index, np.minimum(m, 0.0), 0.0, color=ctx.colors.down, alpha=0.35,
                    linewidth=0)
    ax.axhline(0.0, color="#555555", linewidth=0.6)
    ax.set_title(ctx.both(lambda c: c._("McClellan oscillator"), sep), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0, signed=True)))
    mcc_last = last_value(mcc)
    if mcc_last is not None:
        end.append((ax, [(mcc_last, ctx.num(mcc_last, 1, signed=True), INK)], 0.1))

    if len(index):
        date_axis(axes[3], index, ctx)
    left = max(ytick_width(a) for a in axes) + 0.16
    extra = (ctx.lines - 1) * EXTRA_TICK_LINE  # a panel title's second line
    right = right_margin(t for _a, items, _g in end for _v, t, _c in items)
    place(fig, axes, left=left, right=right, top=title_space(ctx) + 0.22 + extra,
           bottom=tick_space(ctx), gap=TITLE_SPACE + 0.04 + extra, ratios=[1.0, 1.0, 0.8, 0.8])
    for ax, items, gap in end:
        end_labels(ax, items, gap)
    put_title(fig, title)
    alt = ctx.both(lambda c: c._(
        "Four panels of breadth among index members to %(date)s: advance-decline line "
        "%(ad)s; %(p50)s above the 50-day and %(p200)s above the 200-day average; net new "
        "highs %(nnh)s; McClellan oscillator %(mcc)s."
    ) % {
        "date": c.date(index[-1]) if len(index) else "—",
        "ad": c.num(ad_last, 0),
        "p50": c.pct(p50_last, signed=False),
        "p200": c.pct(p200_last, signed=False),
        "nnh": c.num(nnh_last, 0, signed=True),
        "mcc": c.num(mcc_last, 1, signed=True),
    }, " ")
    return Chart("breadth", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
