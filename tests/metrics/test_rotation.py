"""Outperformance runs: length, start, ties, month ends and "longest since"."""

from __future__ import annotations

import pandas as pd
import pytest

from reporter.metrics.rotation import (
    current_run,
    leader_sign,
    longest_run,
    longest_since,
    run_lengths,
)
from tests.support.panels import business_days


def pair(signs: str, start: str = "2024-01-25") -> tuple[pd.Series, pd.Series]:
    """Returns of a and b from a pattern: '+' a beat b, '-' b beat a, '=' exact tie, '?' missing."""
    idx = business_days(start, len(signs))
    a = {"+": 0.02, "-": 0.00, "=": 0.01, "?": None}
    b = {"+": 0.01, "-": 0.01, "=": 0.01, "?": 0.01}
    return (
        pd.Series([a[c] for c in signs], index=idx, dtype="float64"),
        pd.Series([b[c] for c in signs], index=idx, dtype="float64"),
    )


def test_run_lengths_by_hand() -> None:
    a, b = pair("++-=+++?+")
    assert leader_sign(a, b).tolist() == [1, 1, -1, 0, 1, 1, 1, 0, 1]
    assert run_lengths(a, b).tolist() == [1, 2, -1, 0, 1, 2, 3, 0, 1]


def test_streak_spanning_a_month_end() -> None:
    # business days from Thu 2024-01-25: 25, 26, 29, 30, 31, Feb 1, 2, 5, 6
    a, b = pair("++-=+++++")
    run = current_run(a, b)
    assert run is not None
    assert (run.sign, run.length) == (1, 5)
    assert a.index[run.start] == pd.Timestamp("2024-01-31")  # started in January
    # the only earlier '+' run has 2 sessions: this one is the longest in the data
    assert longest_since(a, b) is None


def test_longest_since_found() -> None:
    # runs: +++ (ends idx 2), - , ++ (ends idx 5), -, ++ (current, length 2)
    a, b = pair("+++-++-++")
    assert current_run(a, b).length == 2  # type: ignore[union-attr]
    # the most recent earlier '+' run at least 2 long ends at idx 5, not the longer one at idx 2
    assert longest_since(a, b) == a.index[5]


def test_longest_since_ignores_the_other_leader_and_shorter_runs() -> None:
    # '+' runs: ++++ (ends idx 3), + (idx 5); '-' run of 5; current '+' run of 3
    a, b = pair("++++-+-----+++")
    assert current_run(a, b).length == 3  # type: ignore[union-attr]
    assert longest_since(a, b) == a.index[3]
    # and for the trailing-side leader b: a '-' run of 2 after a '-' run of 5
    a, b = pair("-----+--")
    assert current_run(a, b).sign == -1  # type: ignore[union-attr]
    assert longest_since(a, b) == a.index[4]


def test_exact_tie_on_the_last_day_means_no_run() -> None:
    a, b = pair("+++=")
    assert current_run(a, b) is None
    assert longest_since(a, b) is None
    a, b = pair("+++?")  # a missing return: no run either
    assert current_run(a, b) is None


def test_tie_breaks_a_run() -> None:
    a, b = pair("++=+")
    run = current_run(a, b)
    assert run is not None and run.length == 1
    assert longest_since(a, b) == a.index[1]  # the '++' before the tie


def test_longest_run_latest_on_equal_length() -> None:
    a, b = pair("++-+--=++")
    best = longest_run(a, b)
    assert best is not None
    # '+' runs of 2 end at idx 1 and idx 8, '-' run of 2 ends at idx 5: the latest wins
    assert (best.sign, best.length, best.start, best.end) == (1, 2, 7, 8)
    a, b = pair("===")
    assert longest_run(a, b) is None


def test_empty_and_mismatched_input() -> None:
    a, b = pair("")
    assert run_lengths(a, b).empty and current_run(a, b) is None
    a, b = pair("++")
    with pytest.raises(ValueError, match="index"):
        run_lengths(a, b.iloc[:1])


def test_inputs_are_not_mutated() -> None:
    a, b = pair("+-+?=")
    a0, b0 = a.copy(), b.copy()
    run_lengths(a, b)
    longest_since(a, b)
    longest_run(a, b)
    pd.testing.assert_series_equal(a, a0)
    pd.testing.assert_series_equal(b, b0)
