"""Sector participation: a weekly heat map of the share of members above their
50-day average.
"""

from __future__ import annotations

import math
from functools import partial

import matplotlib
import numpy as np
import pandas as pd

from reporter.i18n import format_number, format_numeric_day
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.labels import Ctx
from reporter.render.charts.layout import (
    new_figure,
    no_data,
    place,
    put_title,
    taller,
    text_width,
    tick_space,
    title_space,
    to_svg,
)
from reporter.render.charts.style import INK

#: Weeks shown in the participation heat map.
HEATMAP_WEEKS = 12
#: Steps of the heat map's colour legend.
LEGEND_STEPS = 20


def weekly_participation(frame: pd.DataFrame, weeks: int = HEATMAP_WEEKS) -> pd.DataFrame:
    """The last session of each of the last ``weeks`` calendar weeks (sessions x sectors)."""
    frame = frame.copy()
    frame.index = pd.DatetimeIndex(frame.index)
    frame = frame.sort_index()
    if frame.empty:
        return frame
    week = pd.DatetimeIndex(frame.index).to_period("W-FRI")
    last_of_week = frame.groupby(week).tail(1)
    return last_of_week.iloc[-weeks:]


def draw_participation(data: ChartData, ctx: Ctx) -> Chart:
    title = ctx.title("participation")
    weekly = weekly_participation(data.sector_participation)
    fig = new_figure(taller(3.4, ctx))
    ax = fig.add_subplot()
    put_title(fig, title)
    if weekly.empty or weekly.isna().all().all():
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=title_space(ctx), bottom=0.2)
        alt = ctx.both(lambda c: c._("Heat map of sector participation: not enough history."),
                       " ")
        return Chart("participation", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
    latest = weekly.iloc[-1]
    order = latest.sort_values(ascending=False, na_position="last").index
    grid = weekly[order].T.to_numpy(dtype="float64")  # sectors x weeks
    cmap = matplotlib.colormaps["cividis"]
    mesh = ax.pcolormesh(
        np.arange(grid.shape[1] + 1), np.arange(grid.shape[0] + 1),
        np.ma.masked_invalid(grid), cmap=cmap, vmin=0.0, vmax=1.0,
        edgecolors="white", linewidth=0.8,
    )
    for r in range(grid.shape[0]):
        for c in range(grid.shape[1]):
            v = grid[r, c]
            if math.isnan(v):
                text, color = "—", INK
            else:
                text = format_number(v * 100, ctx.locale, 0)
                color = "white" if v < 0.55 else INK
            ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=7, color=color)
    ax.set_xticks(
        np.arange(grid.shape[1]) + 0.5,
        [format_numeric_day(d.date(), ctx.locale) for d in weekly.index],
    )
    # a bilingual row name on one line: the grid's cells are wide enough to give up the room
    names = [ctx.both(partial(Ctx.sector_name, key=s), " ") for s in order]
    ax.set_yticks(np.arange(grid.shape[0]) + 0.5, names)
    ax.set_ylim(grid.shape[0], 0)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(ctx.both(
        lambda c: c._("Week ending (last session of each week); figures in percent"), "\n"
    ))
    place(fig, [ax], left=text_width(names, 7.5) + 0.16, right=0.75, top=title_space(ctx),
           bottom=tick_space(ctx) + 0.2)
    # the colour legend: a scale from 0% to 100% beside the grid
    box = ax.get_position()
    width = fig.get_figwidth()
    cax = fig.add_axes((box.x1 + 0.12 / width, box.y0, 0.12 / width, box.height))
    # Twenty steps of 5 points: as fine as a reader tells shades apart, and twenty shapes for the
    # PDF engine to draw instead of one per colour of the map (256).
    bar = fig.colorbar(mesh, cax=cax, ticks=[0.0, 0.25, 0.5, 0.75, 1.0],
                       boundaries=np.linspace(0.0, 1.0, LEGEND_STEPS + 1))
    bar.ax.set_yticklabels([ctx.pct(v, 0, signed=False) for v in (0.0, 0.25, 0.5, 0.75, 1.0)],
                           fontsize=7)
    bar.ax.tick_params(length=2)
    bar.outline.set_visible(False)
    if bar.solids is not None:
        bar.solids.set_rasterized(False)  # vector, as the rest: the PDF engine loads no image
    top, bottom = order[0], order[-1]
    alt = ctx.both(lambda c: c._(
        "Heat map of the share of each sector's members above their 50-day average, weekly "
        "for the %(weeks)s weeks to %(date)s. Highest now: %(top)s %(top_v)s; lowest: "
        "%(bottom)s %(bottom_v)s."
    ) % {
        "weeks": c.num(len(weekly), 0),
        "date": c.date(weekly.index[-1]),
        "top": c.sector_name(top),
        "top_v": c.pct(latest[top], signed=False),
        "bottom": c.sector_name(bottom),
        "bottom_v": c.pct(latest[bottom], signed=False),
    }, " ")
    return Chart("participation", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
