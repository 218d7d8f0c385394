"""Size rotation: the Russell 2000 against the S&P 500, the current run shaded."""

from __future__ import annotations

import pandas as pd
from matplotlib import ticker
from matplotlib.patches import Patch

from reporter.render.charts.data import Chart, ChartData
from reporter.render.charts.indices import window_change
from reporter.render.charts.labels import Ctx
from reporter.render.charts.layout import (
    clean,
    date_axis,
    end_labels,
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
    ylabel_space,
    ytick_width,
)
from reporter.render.charts.style import (
    LINE_STYLES,
    RUN_HATCH,
    RUN_SHADE,
)
from reporter.vocabulary import RUN_CLAIM_MIN


def draw_size_rotation(data: ChartData, ctx: Ctx) -> Chart:
    # Translators: the end label is the ratio's change over the year shown.
    title = ctx.title("size_rotation")
    rs = clean(data.rs_line)
    valid = rs.dropna()
    fig = new_figure(taller(2.8, ctx))
    ax = fig.add_subplot()
    style_axes(ax)
    put_title(fig, title)
    if valid.empty:
        no_data(ax, ctx)
        place(fig, [ax], left=0.2, right=0.2, top=title_space(ctx), bottom=0.2)
        alt = ctx.both(
            lambda c: c._("Chart of the Russell 2000 to S&P 500 ratio: not enough history."), " "
        )
        return Chart("size_rotation", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))
    rebased = rs / valid.iloc[0] * 100.0
    ax.plot(rebased.index, rebased.to_numpy(), color=LINE_STYLES[0][0], linewidth=1.3)
    ax.axhline(100.0, color="#999999", linewidth=0.7)
    date_axis(ax, rs.index, ctx)
    ax.set_ylabel(ctx.both(lambda c: c._("Ratio, start = 100"), "\n"))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _p: ctx.num(y, 0)))
    last = float(rebased.dropna().iloc[-1])
    change = ctx.pct(window_change(rs))  # the ratio's change over the window
    shade: Patch | None = None
    sessions = 0
    if data.run_start and data.run_leader:
        start = pd.Timestamp(data.run_start)
        in_run = rs.index[rs.index >= start]
        sessions = data.run_length if data.run_length is not None else len(in_run)
        # no run claim under 3 sessions: one or two sessions ahead is no run to shade
        if len(in_run) and sessions >= RUN_CLAIM_MIN:
            # The run is measured against the session before its first: shade from there.
            before = rs.index[rs.index < start]
            left = before[-1] if len(before) else in_run[0]
            # hatched as well as tinted: the run still shows printed in black and white
            ax.axvspan(left, in_run[-1], facecolor=RUN_SHADE, edgecolor=RUN_HATCH, hatch="////",
                       linewidth=0.0, zorder=0)
            shade = Patch(facecolor=RUN_SHADE, edgecolor=RUN_HATCH, hatch="////", linewidth=0.5,
                          label=ctx.both(lambda c: _run_text(c, data.run_leader, sessions), "\n"))
    legend = legend_space(ctx) if shade else 0.0
    place(fig, [ax], left=ytick_width(ax) + ylabel_space(ctx), right=right_margin([change]),
           top=title_space(ctx), bottom=tick_space(ctx) + legend)
    if shade is not None:
        legend_below(fig, ax, [shade])
    end_labels(ax, [(last, change, LINE_STYLES[0][0])], 0.05)

    def alt_text(c: Ctx) -> str:
        alt = c._(
            "Line chart of the ratio of the Russell 2000 to the S&P 500 since %(start)s, "
            "rebased to 100; the ratio changed %(change)s to %(end)s."
        ) % {"start": c.date(valid.index[0]), "change": change, "end": c.date(rs.index[-1])}
        if shade is not None and data.run_start:
            alt = c._("%(first)s %(second)s") % {"first": alt, "second": c._(
                "%(run)s, since %(date)s."
            ) % {"run": _run_text(c, data.run_leader, sessions), "date": c.date(data.run_start)}}
        return alt

    alt = ctx.both(alt_text, " ")
    return Chart("size_rotation", ctx.locale, " / ".join(title), alt, to_svg(fig, alt))


def _run_text(c: Ctx, leader: str | None, sessions: int) -> str:
    return c.ngettext("Shaded: %(leader)s ahead %(count)s session in a row",
                      "Shaded: %(leader)s ahead %(count)s sessions in a row",
                      sessions) % {"leader": c.index_name(leader or ""),
                                   "count": c.num(sessions, 0)}
