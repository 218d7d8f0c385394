"""Charts of the report, drawn once per locale as deterministic SVG with text kept as text.

Every chart uses the object-oriented matplotlib API on its own ``Figure`` (no pyplot state)
inside an ``rc_context``, so charts for two locales can be drawn side by side in worker
processes. Colour is never the only cue: bars carry signed labels and negative bars are hollow,
lines differ in style and carry direct labels, heat-map cells carry their figure.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from babel.lists import format_list
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch

from reporter.errors import RenderError
from reporter.i18n import (
    babel_locale,
    check_locale,
    format_date_long,
    format_day_month,
    format_month,
    format_number,
    format_numeric_day,
    format_percent,
    get_translations,
)
from reporter.render.chart_data import ChartData
from reporter.vocabulary import (
    HEADLINE_INDICES,
    INDICES,
    MARKET_COLORS,
    SECTOR_BY_ETF,
    SECTOR_ETFS,
    UpDownColors,
    chart_file_name,
    watch_chart_name,
)

#: Colour-blind-safe line colours (Okabe-Ito), each paired with a distinct line style.
LINE_STYLES: tuple[tuple[str, str], ...] = (
    ("#0072B2", "-"),
    ("#D55E00", "--"),
    ("#6A3D9A", ":"),
    ("#444444", "-."),
)

GRID = "#d9d9d9"
INK = "#222222"
MUTED = "#666666"

#: Shade of the current outperformance run (light in grayscale too).
RUN_SHADE = "#efe2b0"

BASE_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 8.0,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.0,
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "market-breadth-report",
    "svg.image_inline": True,
    "path.simplify": True,
}

#: Width of every chart in inches: fits the text block of A4 and Letter with safe margins.
CHART_WIDTH = 6.6

@dataclass(frozen=True)
class Chart:
    """One drawn chart: SVG bytes plus the texts the page shows with it."""

    name: str
    locale: str
    title: str
    alt: str
    svg: bytes

    @property
    def file_name(self) -> str:
        return chart_file_name(self.name, self.locale)


def etf_label(symbol: str, locale: str) -> str:
    """``Technology (XLK)`` / ``信息技术（XLK）``: short sector name and its ETF."""
    _ = get_translations("messages", locale).gettext
    if symbol not in SECTOR_BY_ETF:
        return symbol
    # Translators: a sector name followed by its ETF symbol in brackets.
    return _("%(name)s (%(symbol)s)") % {"name": _(SECTOR_BY_ETF[symbol].short), "symbol": symbol}


class _Ctx:
    """Locale-bound helpers for one set of charts."""

    def __init__(self, locale: str, colors: UpDownColors) -> None:
        self.locale = check_locale(locale)
        self.colors = colors
        self._ = get_translations("messages", locale).gettext

    def pct(self, value: float | None, digits: int = 1, signed: bool = True) -> str:
        return format_percent(value, self.locale, digits, signed=signed)

    def num(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        return format_number(value, self.locale, digits, signed=signed)

    def date(self, value: pd.Timestamp | str) -> str:
        return format_date_long(pd.Timestamp(value).date(), self.locale)

    def join(self, items: Sequence[str]) -> str:
        return format_list(list(items), locale=babel_locale(self.locale))

    def index_name(self, symbol: str) -> str:
        return self._(INDICES[symbol].short) if symbol in INDICES else symbol

    def sector_short(self, symbol: str) -> str:
        return self._(SECTOR_BY_ETF[symbol].short) if symbol in SECTOR_BY_ETF else symbol

    def sector_name(self, key: str) -> str:
        """Short sector name for a GICS sector name or a sector ETF symbol."""
        etf = SECTOR_ETFS.get(key, key)
        return self.sector_short(etf)

    def sign_color(self, value: float) -> str:
        if value > 0:
            return self.colors.up
        if value < 0:
            return self.colors.down
        return self.colors.flat


# ----------------------------------------------------------------------------- helpers


def _clean(series: pd.Series) -> pd.Series:
    """Float series on a DatetimeIndex, sorted; NaN kept so gaps show as gaps."""
    out = pd.Series(series, dtype="float64")
    out.index = pd.DatetimeIndex(out.index)
    return out.sort_index()


def _new_figure(height: float) -> Figure:
    """A figure of the report's width. Layout is computed here from measured label widths:
    a layout engine would cost as much again as drawing the chart."""
    return Figure(figsize=(CHART_WIDTH, height))


_POINTS = 72.0
#: Room above an axes for its title, below for date ticks, and for a legend row (inches).
TITLE_SPACE = 0.3
TICK_SPACE = 0.26
LEGEND_SPACE = 0.24


@functools.lru_cache(maxsize=1)
def _measurer() -> RendererAgg:
    return RendererAgg(10, 10, _POINTS)


def _text_width(texts: Iterable[str], size: float) -> float:
    """Width of the widest of ``texts`` at ``size`` points, in inches."""
    prop = FontProperties(size=size)
    renderer = _measurer()
    widths = [
        renderer.get_text_width_height_descent(t, prop, ismath=False)[0] for t in texts if t
    ]
    return max(widths, default=0.0) / _POINTS


def _ytick_width(ax: Axes) -> float:
    """Width of the y tick labels the axes will draw, in inches."""
    lo, hi = ax.get_ylim()
    values = [v for v in ax.yaxis.get_major_locator()() if lo <= v <= hi]
    labels = ax.yaxis.get_major_formatter().format_ticks(values) if values else []
    return _text_width(labels, float(matplotlib.rcParams["ytick.labelsize"]))


def _title(fig: Figure, text: str) -> None:
    """Chart title at the top left of the figure, the same place in every chart."""
    width, height = fig.get_size_inches()
    fig.suptitle(text, x=0.06 / width, y=1 - 0.05 / height, ha="left", va="top",
                 fontsize=9.5, fontweight="bold")


def _place(
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


def _style_axes(ax: Axes) -> None:
    ax.grid(True, axis="y", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(length=2.5, width=0.5)


def _date_axis(ax: Axes, index: pd.DatetimeIndex, ctx: _Ctx) -> None:
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
            return format_day_month(day, ctx.locale)
        return format_month(day, ctx.locale, with_year=(day.month == 1 or pos == 0))

    ax.xaxis.set_major_formatter(ticker.FuncFormatter(fmt))
    ax.set_xlim(index[0], index[-1])


def _percent_axis(ax: Axes, ctx: _Ctx, digits: int = 0, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(
        ticker.FuncFormatter(lambda v, _pos: ctx.pct(v, digits, signed=False))
    )


def _spread(values: Sequence[float], gap: float) -> list[float]:
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


def _end_labels(ax: Axes, items: Sequence[tuple[float, str, str]], gap_fraction: float) -> None:
    """Direct labels right of the plot (value, text, colour), spread so none overlap.

    Call after the axes is placed and its limits are final."""
    lo, hi = ax.get_ylim()
    gap = (hi - lo) * gap_fraction
    ys = _spread([v for v, _, _ in items], gap)
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


def _legend_below(fig: Figure, ax: Axes, handles: Sequence[Artist] | None = None) -> None:
    """Legend at the foot of the figure, under the plot, where it cannot hide data."""
    kwargs: dict[str, object] = {"handles": handles} if handles is not None else {}
    x0 = ax.get_position().x0
    ax.legend(
        loc="lower left", bbox_to_anchor=(x0, 0.02 / fig.get_size_inches()[1]),
        bbox_transform=fig.transFigure, ncols=4, handlelength=2.6, borderaxespad=0.0,
        borderpad=0.0, **kwargs,
    )


def _no_data(ax: Axes, ctx: _Ctx) -> None:
    ax.text(
        0.5,
        0.5,
        ctx._("Not enough history"),
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=MUTED,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def _svg(fig: Figure, alt: str) -> bytes:
    """Deterministic SVG: no date, fixed hash salt, the alt text as the SVG's title."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    # An accessible name for the standalone file; the PDF takes it from the image's alt.
    title = f"<title>{html.escape(alt, quote=False)}</title>"
    text = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + "\n " + title, text, count=1)
    return text.encode("utf-8")


# ----------------------------------------------------------------------------- charts


END_LABEL_SIZE = 7.5


def _right_margin(texts: Iterable[str]) -> float:
    return max(0.15, _text_width(texts, END_LABEL_SIZE) + 0.14)


def _chart_indices(data: ChartData, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("Major indices, rebased to 100")
    closes = data.index_closes
    symbols = [s for s in HEADLINE_INDICES if s in closes.columns]
    fig = _new_figure(3.6)  # the headline chart: it has the first page's free space
    ax = fig.add_subplot()
    _style_axes(ax)
    _title(fig, title)
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
        _no_data(ax, ctx)
        _place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Chart of the major indices: not enough history.")
        return Chart("indices", ctx.locale, title, alt, _svg(fig, alt))
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    _date_axis(ax, frame.index, ctx)
    ax.set_ylabel(_("Start = 100"))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    _place(fig, [ax], left=_ytick_width(ax) + 0.36, right=_right_margin(t for _v, t, _c in labels),
           top=TITLE_SPACE, bottom=TICK_SPACE)
    _end_labels(ax, labels, 0.075)
    alt = _(
        "Line chart of the S&P 500, Russell 2000, Nasdaq Composite and Dow Jones, rebased "
        "to 100 on %(start)s. Change to %(end)s: %(changes)s."
    ) % {
        "start": ctx.date(start),
        "end": ctx.date(frame.index[-1]),
        "changes": ctx.join(changes),
    }
    return Chart("indices", ctx.locale, title, alt, _svg(fig, alt))


def _chart_size_rotation(data: ChartData, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("Russell 2000 relative to S&P 500")
    rs = _clean(data.rs_line)
    valid = rs.dropna()
    fig = _new_figure(2.8)
    ax = fig.add_subplot()
    _style_axes(ax)
    _title(fig, title)
    if valid.empty:
        _no_data(ax, ctx)
        _place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Chart of the Russell 2000 to S&P 500 ratio: not enough history.")
        return Chart("size_rotation", ctx.locale, title, alt, _svg(fig, alt))
    rebased = rs / valid.iloc[0] * 100.0
    ax.plot(rebased.index, rebased.to_numpy(), color=LINE_STYLES[0][0], linewidth=1.3)
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    _date_axis(ax, rs.index, ctx)
    ax.set_ylabel(_("Ratio, start = 100"))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    last = float(rebased.dropna().iloc[-1])
    change = ctx.pct(last / 100.0 - 1.0)
    run_text = ""
    shade: Patch | None = None
    if data.run_start and data.run_leader:
        start = pd.Timestamp(data.run_start)
        in_run = rs.index[rs.index >= start]
        if len(in_run):
            # The run is measured against the session before its first: shade from there.
            before = rs.index[rs.index < start]
            left = before[-1] if len(before) else in_run[0]
            ax.axvspan(left, in_run[-1], facecolor=RUN_SHADE, linewidth=0.0, zorder=0)
            length = data.run_length if data.run_length is not None else len(in_run)
            run_text = _("Shaded: %(leader)s ahead %(count)s sessions in a row") % {
                "leader": ctx.index_name(data.run_leader),
                "count": ctx.num(length, 0),
            }
            shade = Patch(facecolor=RUN_SHADE, edgecolor="#9c8a3c", linewidth=0.5,
                          label=run_text)
    _place(fig, [ax], left=_ytick_width(ax) + 0.36, right=_right_margin([change]),
           top=TITLE_SPACE, bottom=TICK_SPACE + (LEGEND_SPACE if shade else 0.0))
    if shade is not None:
        _legend_below(fig, ax, [shade])
    _end_labels(ax, [(last, change, LINE_STYLES[0][0])], 0.05)
    alt = _(
        "Line chart of the ratio of the Russell 2000 to the S&P 500 since %(start)s, "
        "rebased to 100; the ratio changed %(change)s to %(end)s."
    ) % {"start": ctx.date(valid.index[0]), "change": change, "end": ctx.date(rs.index[-1])}
    if run_text:
        alt = _("%(first)s %(second)s") % {"first": alt, "second": _("%(run)s, since %(date)s.") % {
            "run": run_text,
            "date": ctx.date(data.run_start),
        }}
    return Chart("size_rotation", ctx.locale, title, alt, _svg(fig, alt))


def _bar_panel(ax: Axes, values: pd.Series, ctx: _Ctx, subtitle: str) -> list[str]:
    """Horizontal bars, best on top, signed labels, hollow below zero. Returns the y labels."""
    values = values.dropna().sort_values(ascending=True)
    labels = [f"{ctx.sector_short(s)} {s}" for s in values.index]
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
    _percent_axis(ax, ctx, 1, axis="x")
    ax.grid(True, axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_title(subtitle, fontsize=8.5)
    return labels


def _chart_sectors(data: ChartData, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("Sector returns")
    frame = data.sector_returns
    fig = _new_figure(3.3)
    axes = [fig.add_axes((0.0, 0.0, 0.5, 0.5)) for _i in range(2)]
    parts: list[str] = []
    label_widths: list[float] = []
    for ax, column, subtitle in (
        (axes[0], "1D", _("1 day")),
        (axes[1], "MTD", _("Month to date")),
    ):
        values = (
            pd.Series(frame[column], dtype="float64")
            if column in frame
            else pd.Series(dtype="float64")
        )
        if values.dropna().empty:
            _no_data(ax, ctx)
            ax.set_title(subtitle, fontsize=8.5)
            label_widths.append(0.1)
            continue
        labels = _bar_panel(ax, values, ctx, subtitle)
        label_widths.append(_text_width(labels, float(matplotlib.rcParams["ytick.labelsize"])))
        clean = values.dropna()
        best, worst = clean.idxmax(), clean.idxmin()
        parts.append(
            _(
                "%(period)s: best %(best)s %(best_ret)s, worst %(worst)s %(worst_ret)s; "
                "%(up)s of %(total)s rose."
            )
            % {
                "period": subtitle,
                "best": etf_label(str(best), ctx.locale),
                "best_ret": ctx.pct(clean[best]),
                "worst": etf_label(str(worst), ctx.locale),
                "worst_ret": ctx.pct(clean[worst]),
                "up": ctx.num(int((clean > 0).sum()), 0),
                "total": ctx.num(len(clean), 0),
            }
        )
    # Two panels side by side, each with room for its own sector labels.
    width, height = fig.get_size_inches()
    pad, middle, right = 0.06, 0.3, 0.1
    plot = (width - pad - right - middle - sum(w + 0.08 for w in label_widths)) / 2
    x = pad
    for ax, label_w in zip(axes, label_widths, strict=True):
        x += label_w + 0.08
        ax.set_position((x / width, TICK_SPACE / height, plot / width,
                         (height - TICK_SPACE - 0.52) / height))
        x += plot + middle
    _title(fig, title)
    alt = _("Bar charts of the sector ETF returns, best first.")
    for part in parts:
        alt = _("%(first)s %(second)s") % {"first": alt, "second": part}
    return Chart("sectors", ctx.locale, title, alt, _svg(fig, alt))


def _last(series: pd.Series) -> tuple[pd.Timestamp | None, float | None]:
    valid = series.dropna()
    if valid.empty:
        return None, None
    return valid.index[-1], float(valid.iloc[-1])


def _last_value(series: pd.Series) -> float | None:
    return _last(series)[1]


def _chart_breadth(data: ChartData, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("Breadth of participation (index members)")
    ad = _clean(data.ad_line)
    p50 = _clean(data.pct_above_50d)
    p200 = _clean(data.pct_above_200d)
    nnh = _clean(data.net_new_highs)
    mcc = _clean(data.mcclellan)
    index = ad.index.union(p50.index).union(nnh.index).union(mcc.index)
    fig = _new_figure(5.5)
    first = fig.add_subplot()
    axes = [first] + [fig.add_subplot(sharex=first) for _i in range(3)]
    for ax in axes:
        _style_axes(ax)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    blue = LINE_STYLES[0][0]
    end: list[tuple[Axes, list[tuple[float, str, str]], float]] = []

    ax = axes[0]
    ax.plot(ad.index, ad.to_numpy(), color=blue, linewidth=1.2)
    ax.set_title(_("Advance-decline line"), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    ad_last = _last_value(ad)
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
    _percent_axis(ax, ctx)
    ax.set_title(
        _("Share of members above their 50-day (solid) and 200-day (dashed) average"),
        fontsize=8.5,
    )
    p50_last = _last_value(p50)
    p200_last = _last_value(p200)
    end.append((
        ax,
        [
            (v, f"{label} {ctx.pct(v, signed=False)}", color)
            for v, label, color in (
                (p50_last, _("50-day"), blue),
                (p200_last, _("200-day"), LINE_STYLES[1][0]),
            )
            if v is not None
        ],
        0.16,
    ))

    ax = axes[2]
    vals = np.nan_to_num(nnh.to_numpy(dtype="float64"))
    # One stepped area per sign instead of one bar per session: same picture, far lighter.
    ax.fill_between(nnh.index, np.maximum(vals, 0.0), 0.0, step="mid", color=ctx.colors.up,
                    linewidth=0)
    ax.fill_between(nnh.index, np.minimum(vals, 0.0), 0.0, step="mid", color=ctx.colors.down,
                    alpha=0.55, linewidth=0)
    ax.axhline(0.0, color="#555555", linewidth=0.6)
    ax.set_title(_("Net new 52-week highs (highs − lows; above zero: more highs)"), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0, signed=True)))
    nnh_last = _last_value(nnh)
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
    ax.set_title(_("McClellan oscillator"), fontsize=8.5)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0, signed=True)))
    mcc_last = _last_value(mcc)
    if mcc_last is not None:
        end.append((ax, [(mcc_last, ctx.num(mcc_last, 1, signed=True), INK)], 0.1))

    if len(index):
        _date_axis(axes[3], index, ctx)
    left = max(_ytick_width(a) for a in axes) + 0.16
    right = _right_margin(t for _a, items, _g in end for _v, t, _c in items)
    _place(fig, axes, left=left, right=right, top=TITLE_SPACE + 0.22, bottom=TICK_SPACE,
           gap=TITLE_SPACE + 0.04, ratios=[1.0, 1.0, 0.8, 0.8])
    for ax, items, gap in end:
        _end_labels(ax, items, gap)
    _title(fig, title)
    alt = _(
        "Four panels of breadth among index members to %(date)s: advance-decline line "
        "%(ad)s; %(p50)s above the 50-day and %(p200)s above the 200-day average; net new "
        "highs %(nnh)s; McClellan oscillator %(mcc)s."
    ) % {
        "date": ctx.date(index[-1]) if len(index) else "—",
        "ad": ctx.num(ad_last, 0),
        "p50": ctx.pct(p50_last, signed=False),
        "p200": ctx.pct(p200_last, signed=False),
        "nnh": ctx.num(nnh_last, 0, signed=True),
        "mcc": ctx.num(mcc_last, 1, signed=True),
    }
    return Chart("breadth", ctx.locale, title, alt, _svg(fig, alt))


#: Weeks shown in the participation heat map.
HEATMAP_WEEKS = 12


def weekly_participation(frame: pd.DataFrame, weeks: int = HEATMAP_WEEKS) -> pd.DataFrame:
    """The last session of each of the last ``weeks`` calendar weeks (sessions x sectors)."""
    frame = frame.copy()
    frame.index = pd.DatetimeIndex(frame.index)
    frame = frame.sort_index()
    if frame.empty:
        return frame
    week = frame.index.to_period("W-FRI")
    last_of_week = frame.groupby(week).tail(1)
    return last_of_week.iloc[-weeks:]


def _chart_participation(data: ChartData, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("Sector participation: share of members above their 50-day average")
    weekly = weekly_participation(data.sector_participation)
    fig = _new_figure(3.4)
    ax = fig.add_subplot()
    _title(fig, title)
    if weekly.empty or weekly.isna().all().all():
        _no_data(ax, ctx)
        _place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Heat map of sector participation: not enough history.")
        return Chart("participation", ctx.locale, title, alt, _svg(fig, alt))
    latest = weekly.iloc[-1]
    order = latest.sort_values(ascending=False, na_position="last").index
    grid = weekly[order].T.to_numpy(dtype="float64")  # sectors x weeks
    cmap = matplotlib.colormaps["cividis"]
    ax.pcolormesh(
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
    names = [ctx.sector_name(s) for s in order]
    ax.set_yticks(np.arange(grid.shape[0]) + 0.5, names)
    ax.set_ylim(grid.shape[0], 0)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(_("Week ending (last session of each week); figures in percent"))
    _place(fig, [ax], left=_text_width(names, 7.5) + 0.16, right=0.1, top=TITLE_SPACE,
           bottom=TICK_SPACE + 0.2)
    top, bottom = order[0], order[-1]
    alt = _(
        "Heat map of the share of each sector's members above their 50-day average, weekly "
        "for the %(weeks)s weeks to %(date)s. Highest now: %(top)s %(top_v)s; lowest: "
        "%(bottom)s %(bottom_v)s."
    ) % {
        "weeks": ctx.num(len(weekly), 0),
        "date": ctx.date(weekly.index[-1]),
        "top": ctx.sector_name(top),
        "top_v": ctx.pct(latest[top], signed=False),
        "bottom": ctx.sector_name(bottom),
        "bottom_v": ctx.pct(latest[bottom], signed=False),
    }
    return Chart("participation", ctx.locale, title, alt, _svg(fig, alt))


def _chart_watch(symbol: str, frame: pd.DataFrame, ctx: _Ctx) -> Chart:
    _ = ctx._
    title = _("%(symbol)s: close and moving averages") % {"symbol": symbol}
    frame = frame.copy()
    frame.index = pd.DatetimeIndex(frame.index)
    frame = frame.sort_index()
    fig = _new_figure(2.9)
    ax = fig.add_subplot()
    _style_axes(ax)
    _title(fig, title)
    close = pd.Series(frame.get("close"), dtype="float64")
    if close.dropna().empty:
        _no_data(ax, ctx)
        _place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Chart of %(symbol)s: not enough history.") % {"symbol": symbol}
        return Chart(watch_chart_name(symbol), ctx.locale, title, alt, _svg(fig, alt))
    series = [
        ("close", _("Close"), INK, "-", 1.4),
        ("sma_20", _("20-day average"), LINE_STYLES[0][0], ":", 1.1),
        ("sma_50", _("50-day average"), LINE_STYLES[1][0], "--", 1.1),
        ("sma_200", _("200-day average"), LINE_STYLES[2][0], "-.", 1.1),
    ]
    labels: list[tuple[float, str, str]] = []
    for column, label, color, style, width in series:
        if column not in frame:
            continue
        values = pd.Series(frame[column], dtype="float64")
        ax.plot(values.index, values.to_numpy(), color=color, linestyle=style, linewidth=width,
                label=label)
        last = _last_value(values)
        if last is not None:
            labels.append((last, ctx.num(last, 2), color))
    _date_axis(ax, frame.index, ctx)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    _place(fig, [ax], left=_ytick_width(ax) + 0.16, right=_right_margin(t for _v, t, _c in labels),
           top=TITLE_SPACE, bottom=TICK_SPACE + LEGEND_SPACE)
    _legend_below(fig, ax)
    _end_labels(ax, labels, 0.07)
    date, last_close = _last(close)
    sma200 = pd.Series(frame.get("sma_200"), dtype="float64")
    last_200 = _last_value(sma200)
    versus = None if not last_200 or last_close is None else last_close / last_200 - 1.0
    alt = _(
        "Line chart of %(symbol)s with its 20-, 50- and 200-day averages; close %(close)s on "
        "%(date)s, %(vs)s against the 200-day average."
    ) % {
        "symbol": symbol,
        "close": ctx.num(last_close, 2),
        "date": ctx.date(date),
        "vs": ctx.pct(versus),
    }
    return Chart(watch_chart_name(symbol), ctx.locale, title, alt, _svg(fig, alt))


_CHARTS: dict[str, Callable[[ChartData, _Ctx], Chart]] = {
    "indices": _chart_indices,
    "size_rotation": _chart_size_rotation,
    "sectors": _chart_sectors,
    "breadth": _chart_breadth,
    "participation": _chart_participation,
}


def render_charts(
    data: ChartData, locale: str, colors: Mapping[str, UpDownColors] | None = None
) -> dict[str, Chart]:
    """Every chart of the report for one locale, keyed by chart name, in report order."""
    scheme = (colors or MARKET_COLORS).get(locale) or MARKET_COLORS[check_locale(locale)]
    ctx = _Ctx(locale, scheme)
    out: dict[str, Chart] = {}
    with matplotlib.rc_context(BASE_RC):
        for name, draw in _CHARTS.items():
            try:
                out[name] = draw(data, ctx)
            except (KeyError, ValueError, TypeError, IndexError) as exc:
                raise RenderError(f"chart {name!r} ({locale}) failed: {exc}") from exc
        for symbol, frame in data.watch.items():
            try:
                chart = _chart_watch(symbol, frame, ctx)
            except (KeyError, ValueError, TypeError, IndexError) as exc:
                raise RenderError(
                    f"chart of watch-list symbol {symbol} ({locale}) failed: {exc}"
                ) from exc
            out[chart.name] = chart
    return out
