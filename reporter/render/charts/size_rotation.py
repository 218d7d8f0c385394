"""Size rotation: the Russell 2000 against the S&P 500, the current run shaded."""

from __future__ import annotations

import pandas as pd
from matplotlib import ticker
from matplotlib.patches import Patch

from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.labels import Ctx
from reporter.render.charts.layout import (
    clean,
    date_axis,
    end_labels,
    legend_below,
    new_figure,
    no_data,
    place,
    put_title,
    right_margin,
    style_axes,
    to_svg,
    ytick_width,
)
from reporter.render.charts.style import (
    LEGEND_SPACE,
    LINE_STYLES,
    RUN_SHADE,
    TICK_SPACE,
    TITLE_SPACE,
)


def draw_size_rotation(data: ChartData, ctx: Ctx) -> Chart:
    _ = ctx._
    title = _("Russell 2000 relative to S&P 500")
    rs = clean(data.rs_line)
    valid = rs.dropna()
    fig = new_figure(2.8)
    ax = fig.add_subplot()
    style_axes(ax)
    put_title(fig, title)
    if valid.empty:
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=TITLE_SPACE, bottom=0.2)
        alt = _("Chart of the Russell 2000 to S&P 500 ratio: not enough history.")
        return Chart("size_rotation", ctx.locale, title, alt, to_svg(fig, alt))
    rebased = rs / valid.iloc[0] * 100.0
    ax.plot(rebased.index, rebased.to_numpy(), color=LINE_STYLES[0][0], linewidth=1.3)
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    date_axis(ax, rs.index, ctx)
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
    place(fig, [ax], left=ytick_width(ax) + 0.36, right=right_margin([change]),
           top=TITLE_SPACE, bottom=TICK_SPACE + (LEGEND_SPACE if shade else 0.0))
    if shade is not None:
        legend_below(fig, ax, [shade])
    end_labels(ax, [(last, change, LINE_STYLES[0][0])], 0.05)
    alt = _(
        "Line chart of the ratio of the Russell 2000 to the S&P 500 since %(start)s, "
        "rebased to 100; the ratio changed %(change)s to %(end)s."
    ) % {"start": ctx.date(valid.index[0]), "change": change, "end": ctx.date(rs.index[-1])}
    if run_text and data.run_start:
        alt = _("%(first)s %(second)s") % {"first": alt, "second": _("%(run)s, since %(date)s.") % {
            "run": run_text,
            "date": ctx.date(data.run_start),
        }}
    return Chart("size_rotation", ctx.locale, title, alt, to_svg(fig, alt))
