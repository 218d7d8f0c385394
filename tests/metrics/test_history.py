"""The two histories: the member window and the non-member series' whole stored history.

compute() reads the long history from ``Panel.history_close`` where the panel carries it;
build_panel() aligns it to NYSE sessions and keeps the member window reaching back to the first
stored member row. Hand-made data over real NYSE sessions (January 2024: New Year's Day and
Martin Luther King Day, 15 January, are holidays).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from reporter import calendar
from reporter.errors import DataError
from reporter.metrics import compute
from reporter.model import Panel, SourceInfo
from reporter.panel import build_panel
from tests.support.panels import METRICS, SECTORS, UNIVERSE, make_panel

SESSIONS = calendar.sessions("2024-01-02", "2024-02-05")  # 24 sessions
WINDOW = 6  # the member window: 29 January .. 5 February


def growth(daily: list[float], start: float = 100.0) -> list[float]:
    out = [start]
    for r in daily:
        out.append(out[-1] * (1 + r))
    return out


def long_panel() -> Panel:
    """^RUT beats ^GSPC on 3, 4, 5 and 8 January (a run of 4), trails it until 31 January, then
    beats it on 1, 2 and 5 February (a run of 3 ending on the as-of date)."""
    n = len(SESSIONS)
    gspc = growth([0.001] * (n - 1))
    rut_daily = [0.002] * 4 + [0.0] * (n - 1 - 4 - 3) + [0.002] * 3
    rut = growth(rut_daily)
    history = {
        "^GSPC": gspc,
        "^RUT": rut,
        **{s: [50.0 + i for i in range(n)] for s in SECTORS},
    }
    members = {"M1": [10.0 + i for i in range(n)], "M2": [20.0 - 0.1 * i for i in range(n)]}
    full = make_panel(SESSIONS, {**history, **members}, sectors={"M1": "Energy", "M2": "Energy"})
    window = full.close.iloc[-WINDOW:]
    series = full.close[list(history)]
    return dataclasses.replace(
        full, close=window, volume=full.volume.iloc[-WINDOW:], history_close=series
    )


def test_runs_search_the_whole_history() -> None:
    panel = long_panel()
    run = compute(panel, UNIVERSE, METRICS).size_rotation.run
    assert (run.leader, run.length) == ("^RUT", 3)
    assert run.start == pd.Timestamp("2024-02-01").date()
    assert run.longest_since == pd.Timestamp("2024-01-08").date()  # before the window
    assert run.history_start == pd.Timestamp("2024-01-03").date()
    # the window alone holds no earlier run of the small caps: "longest in the data"
    short = compute(dataclasses.replace(panel, history_close=None), UNIVERSE, METRICS)
    assert short.size_rotation.run.longest_since is None
    assert short.size_rotation.run.history_start == pd.Timestamp("2024-01-30").date()


def test_history_start_and_context_use_the_long_history() -> None:
    m = compute(long_panel(), UNIVERSE, METRICS)
    assert m.history.series_start == pd.Timestamp("2024-01-02").date()
    assert m.history.first_session == pd.Timestamp("2024-01-29").date()  # the window
    ctx = m.context["indices.^RUT.return_1d"]
    # 23 daily returns: 7 of +0.2% (the highest), 16 of 0: today's +0.2% is high, tied on 2 Feb
    assert ctx.history_start == pd.Timestamp("2024-01-03").date()
    assert (ctx.direction, ctx.since, ctx.percentile) == (
        "high",
        pd.Timestamp("2024-02-02").date(),
        1.0,
    )
    # the first day of the run: +0.2% too, same as 8 January, the last before the slide
    earlier = compute(_cut(long_panel(), "2024-02-01"), UNIVERSE, METRICS)
    assert earlier.context["indices.^RUT.return_1d"].since == pd.Timestamp("2024-01-08").date()
    # ^IXIC is configured but has no data: every field null, the key still there
    assert m.context["indices.^IXIC.return_1d"].value is None
    # breadth uses the member window: M1 rose on each of its 5 comparable sessions
    net = m.context["breadth.net_advances"]
    assert net.history_start == pd.Timestamp("2024-01-30").date()


def _cut(panel: Panel, day: str) -> Panel:
    close = panel.close.loc[:day]
    assert panel.history_close is not None
    return dataclasses.replace(
        panel,
        close=close,
        volume=panel.volume.loc[close.index],
        history_close=panel.history_close.loc[:day],
    )


def test_week_reads_the_long_history() -> None:
    w = compute(long_panel(), UNIVERSE, METRICS).week
    # the streak before 5 February: ^RUT beat nothing yet but rose on 1 and 2 February, after
    # a flat stretch (0% is no move): a rise of 2 sessions
    assert w.streak_before["^RUT"].direction == "up"
    assert w.streak_before["^RUT"].length == 2
    # ^GSPC rose every session: the streak runs back to 3 January, beyond the window
    assert w.streak_before["^GSPC"].length == len(SESSIONS) - 2
    assert w.streak_before["^GSPC"].compound_return == pytest.approx(1.001**22 - 1)


def test_a_series_missing_from_the_history_comes_from_the_window() -> None:
    panel = long_panel()
    assert panel.history_close is not None
    without = dataclasses.replace(panel, history_close=panel.history_close.drop(columns="XLK"))
    a = compute(panel, UNIVERSE, METRICS).to_dict()
    b = compute(without, UNIVERSE, METRICS).to_dict()
    xlk = [r for r in b["sectors"] if r["symbol"] == "XLK"][0]
    assert xlk == [r for r in a["sectors"] if r["symbol"] == "XLK"][0]
    # XLK closes 50, 51, ..., 73: 5 sessions back within the window is 68
    assert b["returns"]["XLK"]["return_5d"] == pytest.approx(73 / 68 - 1)


def test_a_history_shorter_than_the_window_is_completed_from_it() -> None:
    panel = long_panel()
    assert panel.history_close is not None
    late = dataclasses.replace(panel, history_close=panel.history_close.iloc[-2:])
    out = compute(late, UNIVERSE, METRICS)
    assert out.history.series_start == pd.Timestamp("2024-01-29").date()
    assert out.indices["^GSPC"].return_5d == pytest.approx(1.001**5 - 1)


def test_a_history_ending_elsewhere_is_a_data_error() -> None:
    panel = long_panel()
    assert panel.history_close is not None
    with pytest.raises(DataError, match="series history ends on 2024-02-02"):
        compute(
            dataclasses.replace(panel, history_close=panel.history_close.iloc[:-1]),
            UNIVERSE,
            METRICS,
        )
    shuffled = panel.history_close.iloc[[1, 0, *range(2, len(SESSIONS))]]
    with pytest.raises(DataError, match="series history's sessions"):
        compute(dataclasses.replace(panel, history_close=shuffled), UNIVERSE, METRICS)


def test_the_inputs_are_not_changed() -> None:
    panel = long_panel()
    assert panel.history_close is not None
    before = panel.history_close.copy()
    compute(panel, UNIVERSE, METRICS)
    pd.testing.assert_frame_equal(panel.history_close, before)


# --- build_panel ----------------------------------------------------------------------------

SOURCE = SourceInfo(name="csv", description="hand-made")


def stored(days: pd.DatetimeIndex, columns: dict[str, list[float | None]]) -> pd.DataFrame:
    data = {k: [np.nan if v is None else v for v in col] for k, col in columns.items()}
    return pd.DataFrame(data, index=pd.DatetimeIndex(days, name="Date"), dtype="float64")


def members(*symbols: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"name": list(symbols), "sector": ["Energy"] * len(symbols)},
        index=pd.Index(list(symbols), name="symbol"),
    )


def test_build_panel_aligns_the_long_history() -> None:
    days = SESSIONS
    n = len(days)
    # M1 starts inside the 5-session window: the window stays as it is
    close = stored(days[-10:], {"^GSPC": list(range(10)), "M1": [None] * 6 + [1.0] * 4})
    volume = close * 0 + 100
    # the long history holds a Saturday row (6 January): not a session, left out and noted;
    # and one row after the as-of date
    extra = pd.DatetimeIndex([pd.Timestamp("2024-01-06"), pd.Timestamp("2024-02-06")])
    long = stored(days.append(extra).sort_values(), {"^GSPC": [float(i) for i in range(n + 2)]})
    panel = build_panel(close, volume, members("M1"), SOURCE, days[-1], 5, history_close=long)
    assert panel.history_close is not None
    assert panel.history_close.index.equals(days)  # the Saturday and 6 February gone
    assert len(panel.close) == 5  # the window
    assert any("not NYSE sessions" in w and "2024-01-06" in w for w in panel.warnings)
    plain = build_panel(close, volume, members("M1"), SOURCE, days[-1], 5)
    assert plain.history_close is None
    # a history that stops early runs to the as-of date with gaps, as the window does
    stale = build_panel(
        close, volume, members("M1"), SOURCE, days[-1], 5, history_close=long.iloc[:3]
    )
    assert stale.history_close is not None and stale.history_close.index.equals(days)
    assert stale.history_close["^GSPC"].iloc[3:].isna().all()


def test_build_panel_window_reaches_back_to_the_first_member_row() -> None:
    """The A/D line starts from the member history's first session, even when the history
    window alone would start later."""
    days = SESSIONS
    close = stored(days, {"^GSPC": [1.0] * len(days), "M1": [None] * 3 + [2.0] * (len(days) - 3)})
    volume = close * 0 + 100
    panel = build_panel(close, volume, members("M1"), SOURCE, days[-1], 5)
    assert panel.close.index[0] == days[3]  # M1's first row, not the 5-session window
    wide = build_panel(close, volume, members("M1"), SOURCE, days[-1], 100)
    assert wide.close.index[0] == days[0]  # a window already covering it stays as it is
