"""Drawing helpers shared by the charts: figures placed from measured text, axes, labels, SVG.

Layout is computed here from measured label widths rather than by a layout engine, which would
cost as much again as drawing the chart.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
from collections.abc import Iterable, Sequence

import matplotlib
import pandas as pd
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from reporter.i18n import format_day_month, format_month
from reporter.render.charts.labels import Ctx
from reporter.render.charts.style import (
    CHART_WIDTH,
    END_LABEL_SIZE,
    EXTRA_LINE,
    EXTRA_TICK_LINE,
    GRID,
    INK,
    LEGEND_SPACE,
    MUTED,
    TICK_SPACE,
    TITLE_SPACE,
    YLABEL_SPACE,
)


def clean(series: pd.Series) -> pd.Series:
    """Float series on a DatetimeIndex, sorted; NaN kept so gaps show as gaps."""
    out = pd.Series(series, dtype="float64")
    out.index = pd.DatetimeIndex(out.index)
    return out.sort_index()


def new_figure(height: float) -> Figure:
    """A figure of the report's width. Layout is computed here from measured label widths:
    a layout engine would cost as much again as drawing the chart."""
    return Figure(figsize=(CHART_WIDTH, height))


_POINTS = 72.0


@functools.lru_cache(maxsize=1)
def _measurer() -> RendererAgg:
    return RendererAgg(10, 10, _POINTS)


def text_width(texts: Iterable[str], size: float) -> float:
    """Width of the widest of ``texts`` at ``size`` points, in inches."""
    prop = FontProperties(size=size)
    renderer = _measurer()
    widths = [
        renderer.get_text_width_height_descent(line, prop, ismath=False)[0]
        for t in texts for line in t.split("\n") if line
    ]
    return max(widths, default=0.0) / _POINTS


def ytick_width(ax: Axes) -> float:
    """Width of the y tick labels the axes will draw, in inches."""
    lo, hi = ax.get_ylim()
    values = [v for v in ax.yaxis.get_major_locator()() if lo <= v <= hi]
    labels = ax.yaxis.get_major_formatter().format_ticks(values) if values else []
    return text_width(labels, float(matplotlib.rcParams["ytick.labelsize"]))


def put_title(fig: Figure, lines: Sequence[str]) -> None:
    """Chart title at the top left of the figure, the same place in every chart; a bilingual
    chart's second language on the line under it, not bold."""
    width, height = fig.get_size_inches()
    fig.suptitle(lines[0], x=0.06 / width, y=1 - 0.05 / height, ha="left", va="top",
                 fontsize=9.5, fontweight="bold")
    for k, line in enumerate(lines[1:], start=1):
        fig.text(0.06 / width, 1 - (0.05 + k * EXTRA_LINE) / height, line, ha="left", va="top",
                 fontsize=9.0, color=INK)


def title_space(ctx: Ctx) -> float:
    """Room above the plot for the title: a line more on a bilingual chart."""
    return TITLE_SPACE + (ctx.lines - 1) * EXTRA_LINE


def tick_space(ctx: Ctx) -> float:
    """Room under the plot for date ticks: a line more on a bilingual chart."""
    return TICK_SPACE + (ctx.lines - 1) * EXTRA_TICK_LINE


def ylabel_space(ctx: Ctx) -> float:
    """Room left of the y ticks for the axis label: a line more on a bilingual chart."""
    return YLABEL_SPACE + (ctx.lines - 1) * EXTRA_TICK_LINE


def legend_space(ctx: Ctx) -> float:
    """Room under the date ticks for a legend row: half a line more on a bilingual chart, whose
    entries take two lines."""
    return LEGEND_SPACE + (ctx.lines - 1) * EXTRA_TICK_LINE / 2


def taller(height: float, ctx: Ctx, labels: float = 0.0) -> float:
    """A figure's height: ``height`` in one language; on a bilingual chart, room for the
    title's and the ticks' second line too, so the plot keeps its size, and ``labels`` inches
    for other text that takes two lines."""
    return height + (ctx.lines - 1) * (EXTRA_LINE + EXTRA_TICK_LINE + labels)


def place(
    fig: Figure,
    rows: Sequence[Axes],
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    gap: float = 0.0,
    ratios: Sequence[float] | None = None,
) -> None:
    """Stack ``rows`` top to bottom inside margins given in inches."""
    width, height = fig.get_size_inches()
    weights = list(ratios or [1.0] * len(rows))
    usable = height - top - bottom - gap * (len(rows) - 1)
    y = height - top
    for ax, weight in zip(rows, weights, strict=True):
        h = usable * weight / sum(weights)
        y -= h
        ax.set_position((left / width, y / height, (width - left - right) / width, h / height))
        y -= gap


def style_axes(ax: Axes) -> None:
    ax.grid(True, axis="y", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(length=2.5, width=0.5)


def date_axis(ax: Axes, index: pd.Index, ctx: Ctx) -> None:
    """Month ticks labelled per locale (``1月`` / ``Jan``), the year on January and the first."""
    if len(index) == 0:
        return
    months = max(1, (index[-1].year - index[0].year) * 12 + index[-1].month - index[0].month)
    step = max(1, math.ceil(months / 9))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    if months <= 2:
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))

    def fmt(x: float, pos: int | None) -> str:
        day = mdates.num2date(x).date()
        if months <= 2:
            return ctx.both(lambda c: format_day_month(day, c.locale), "\n")
        year = day.month == 1 or pos == 0
        return ctx.both(lambda c: format_month(day, c.locale, with_year=year), "\n")

    ax.xaxis.set_major_formatter(ticker.FuncFormatter(fmt))
    ax.set_xlim(mdates.date2num(index[0]), mdates.date2num(index[-1]))


def percent_axis(ax: Axes, ctx: Ctx, digits: int = 0, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(
        ticker.FuncFormatter(lambda v, _pos: ctx.pct(v, digits, signed=False))
    )


def spread_apart(values: Sequence[float], gap: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping their order and mean."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [values[i] for i in order]
    for _ in range(50):
        moved = False
        for k in range(1, len(pos)):
            if pos[k] - pos[k - 1] < gap:
                push = (gap - (pos[k] - pos[k - 1])) / 2
                pos[k - 1] -= push
                pos[k] += push
                moved = True
        if not moved:
            break
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = pos[rank]
    return out


def end_labels(ax: Axes, items: Sequence[tuple[float, str, str]], gap_fraction: float) -> None:
    """Direct labels right of the plot (value, text, colour), spread so none overlap.

    Call after the axes is placed and its limits are final. ``gap_fraction`` is the gap
    between one-line labels; labels of more lines (a bilingual chart's) keep more apart."""
    lo, hi = ax.get_ylim()
    lines = max((text.count("\n") + 1 for _v, text, _c in items), default=1)
    gap = (hi - lo) * gap_fraction * lines
    ys = spread_apart([v for v, _, _ in items], gap)
    for (value, text, color), y in zip(items, ys, strict=True):
        ax.annotate(
            text,
            xy=(1.0, value),
            xycoords=("axes fraction", "data"),
            xytext=(1.012, y),
            textcoords=("axes fraction", "data"),
            ha="left",
            va="center",
            fontsize=7.5,
            color=color,
            annotation_clip=False,
        )


def legend_below(fig: Figure, ax: Axes, handles: Sequence[Artist] | None = None) -> None:
    """Legend at the foot of the figure, under the plot, where it cannot hide data."""
    kwargs: dict[str, object] = {"handles": handles} if handles is not None else {}
    x0 = ax.get_position().x0
    ax.legend(
        loc="lower left", bbox_to_anchor=(x0, 0.02 / fig.get_size_inches()[1]),
        bbox_transform=fig.transFigure, ncols=4, handlelength=2.6, borderaxespad=0.0,
        borderpad=0.0, **kwargs,
    )


def no_data(ax: Axes, ctx: Ctx) -> None:
    ax.text(
        0.5,
        0.5,
        ctx.both(lambda c: c._("Not enough history"), "\n"),
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=MUTED,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def to_svg(fig: Figure, alt: str) -> bytes:
    """Deterministic SVG: no date, fixed hash salt, the alt text as the SVG's title."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    # An accessible name for the standalone file; the PDF takes it from the image's alt.
    title = f"<title>{html.escape(alt, quote=False)}</title>"
    text = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + "\n " + title, text, count=1)
    return text.encode("utf-8")


def to_png(fig: Figure, dpi: float = 150.0) -> bytes:
    """The same figure as a PNG (for e-mail, where many clients show no SVG); deterministic:
    no software or date stamp."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def right_margin(texts: Iterable[str]) -> float:
    return max(0.15, text_width(texts, END_LABEL_SIZE) + 0.14)


def last_point(series: pd.Series) -> tuple[pd.Timestamp | None, float | None]:
    valid = series.dropna()
    if valid.empty:
        return None, None
    return valid.index[-1], float(valid.iloc[-1])


def last_value(series: pd.Series) -> float | None:
    return last_point(series)[1]
