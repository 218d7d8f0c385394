"""Sector returns: two bar panels (1 day, month to date), best on top."""

from __future__ import annotations

from functools import partial

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes

from reporter.i18n import N_
from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.labels import Ctx, etf_label, translated
from reporter.render.charts.layout import (
    new_figure,
    no_data,
    percent_axis,
    put_title,
    taller,
    text_width,
    title_space,
    to_svg,
)
from reporter.render.charts.style import GRID, INK, TICK_SPACE


def _bar_panel(ax: Axes, values: pd.Series, ctx: Ctx, subtitle: str) -> list[str]:
    """Horizontal bars, best on top, signed labels, hollow below zero. Returns the y labels."""
    values = values.dropna().sort_values(ascending=True)
    labels = [ctx.named(partial(Ctx.sector_short, symbol=s), s) for s in values.index]
    y = np.arange(len(values))
    vals = values.to_numpy(dtype="float64")
    colors = [ctx.sign_color(v) for v in vals]
    bars = ax.barh(y, vals, color=colors, height=0.68, edgecolor=colors, linewidth=0.4)
    for bar, v in zip(bars, vals, strict=True):
        if v < 0:  # hollow below zero: differs from the solid up bars without colour
            bar.set_facecolor("white")
            bar.set_linewidth(0.9)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(values) - 0.4)
    ax.axvline(0.0, color="#555555", linewidth=0.6)
    span = float(np.nanmax(np.abs(vals))) if len(vals) else 0.01
    span = span if span > 0 else 0.01
    ax.set_xlim(-span * 1.45 if (vals < 0).any() else -span * 0.05, span * 1.45)
    for yi, v in zip(y, vals, strict=True):
        ax.annotate(
            ctx.pct(v),
            xy=(v, yi),
            xytext=(3 if v >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if v >= 0 else "right",
            va="center",
            fontsize=7,
            color=INK,
        )
    ax.xaxis.set_major_locator(ticker.MaxNLocator(4))
    percent_axis(ax, ctx, 1, axis="x")
    ax.grid(True, axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_title(subtitle, fontsize=8.5)
    return labels


def draw_sectors(data: ChartData, ctx: Ctx) -> Chart:
    title = ctx.title("sectors")
    frame = data.sector_returns
    # a bilingual chart's sector labels take two lines: the bars get room for them
    fig = new_figure(taller(3.3, ctx, labels=0.35))  # no taller than the page allows
    axes = [fig.add_axes((0.0, 0.0, 0.5, 0.5)) for _i in range(2)]
    label_widths: list[float] = []
    shown: list[tuple[str, pd.Series]] = []
    for ax, column, period in (
        (axes[0], "1D", N_("1 day")),
        (axes[1], "MTD", N_("Month to date")),
    ):
        subtitle = ctx.both(translated(period))
        values = (
            pd.Series(frame[column], dtype="float64")
            if column in frame
            else pd.Series(dtype="float64")
        )
        if values.dropna().empty:
            no_data(ax, ctx)
            ax.set_title(subtitle, fontsize=8.5)
            label_widths.append(0.1)
            continue
        labels = _bar_panel(ax, values, ctx, subtitle)
        label_widths.append(text_width(labels, float(matplotlib.rcParams["ytick.labelsize"])))
        shown.append((period, values.dropna()))
    # Two panels side by side, each with room for its own sector labels.
    width, height = fig.get_size_inches()
    pad, middle, right = 0.06, 0.3, 0.1
    plot = (width - pad - right - middle - sum(w + 0.08 for w in label_widths)) / 2
    x = pad
    top = title_space(ctx) + 0.22
    for ax, label_w in zip(axes, label_widths, strict=True):
        x += label_w + 0.08
        ax.set_position((x / width, TICK_SPACE / height, plot / width,
                         (height - TICK_SPACE - top) / height))
        x += plot + middle
    put_title(fig, title)

    def alt_text(c: Ctx) -> str:
        alt = c._("Bar charts of the sector ETF returns, best first.")
        for period, clean in shown:
            best, worst = str(clean.idxmax()), str(clean.idxmin())
            part = c._(
                "%(period)s: best %(best)s %(best_ret)s, worst %(worst)s %(worst_ret)s; "
                "%(up)s of %(total)s rose."
            ) % {
                "period": c._(period),
                "best": etf_label(best, c.locale),
                "best_ret": c.pct(clean[best]),
                "worst": etf_label(worst, c.locale),
                "worst_ret": c.pct(clean[worst]),
                "up": c.num(int((clean > 0).sum()), 0),
                "total": c.num(len(clean), 0),
            }
            alt = c._("%(first)s %(second)s") % {"first": alt, "second": part}
        return alt

    alt = ctx.both(alt_text, " ")
    return Chart("sectors", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
