"""Sector ranking, leaders and laggards, dispersion."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reporter.metrics.sectors import bottom, dispersion, order_best_first, rank_best_first, top

R = pd.Series({"A": 0.01, "B": 0.03, "C": 0.01, "D": float("nan"), "E": -0.02})


def test_rank_best_first() -> None:
    ranks = rank_best_first(R)
    # B best; A and C tie and share rank 2; E after them is 4; D has no return
    assert ranks[["B", "A", "C", "E"]].tolist() == [1, 2, 2, 4]
    assert math.isnan(ranks["D"])


def test_order_best_first_nulls_last_ties_stable() -> None:
    assert order_best_first(R) == ["B", "A", "C", "E", "D"]


def test_leaders_and_laggards() -> None:
    assert top(R, 2) == ["B", "A"]
    assert bottom(R, 2) == ["C", "E"]  # ranking order, worst last
    assert top(R, 10) == ["B", "A", "C", "E"]  # fewer known than asked
    assert bottom(pd.Series({"A": float("nan")}), 3) == []


def test_dispersion_is_the_population_std() -> None:
    values = [0.01, 0.03, 0.01, -0.02]
    mean = sum(values) / 4  # 0.0075
    expected = math.sqrt(sum((v - mean) ** 2 for v in values) / 4)  # divide by n, not n-1
    assert dispersion(R) == pytest.approx(expected, rel=1e-12)
    assert math.isnan(dispersion(pd.Series({"A": 0.01})))


def test_bad_counts_raise_and_input_kept() -> None:
    before = R.copy()
    with pytest.raises(ValueError, match="n"):
        top(R, 0)
    with pytest.raises(ValueError, match="n"):
        bottom(R, -1)
    pd.testing.assert_series_equal(R, before)
