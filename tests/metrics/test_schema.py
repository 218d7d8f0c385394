"""The JSON Schema of report.json's metrics part: valid itself, strict on the listed keys."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from tests.support.schema import schema, validate, validator


def test_schema_is_valid_draft_2020_12() -> None:
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema())


def test_contract_key_paths_are_required() -> None:
    s = schema()
    assert set(s["required"]) >= {
        "as_of",
        "history",
        "indices",
        "returns",
        "volatility",
        "size_rotation",
        "sectors",
        "sector_summary",
        "breadth",
        "breadth_by_sector",
        "watchlist",
        "milestones",
        "coverage",
        "context",
        "week",
    }
    sr = s["properties"]["size_rotation"]
    assert set(sr["required"]) == set(sr["properties"])
    assert {
        "spread_1d",
        "spread_5d",
        "spread_mtd",
        "spread_ytd",
        "spread_1y",
        "run",
        "longest_run_ytd",
        "mega_vs_equal",
        "valuation",
    } <= set(sr["required"])
    assert set(s["$defs"]["run"]["required"]) == {
        "leader",
        "length",
        "start",
        "longest_since",
        "history_start",
    }


def test_issue_12_contract_keys_are_required() -> None:
    """The keys the insights stage builds on (tools/spec-12 sections 1-4) cannot go missing."""
    s = schema()
    p, d = s["properties"], s["$defs"]
    assert "series_start" in p["history"]["required"]
    assert set(d["context"]["required"]) == {
        "value",
        "since",
        "percentile",
        "history_start",
        "direction",
    }
    assert {
        "indices.^GSPC.return_1d",
        "indices.^RUT.return_1d",
        "indices.^IXIC.return_1d",
        "indices.^DJI.return_1d",
        "indices.^GSPC.return_5d",
        "indices.^RUT.return_5d",
        "volatility.level",
        "volatility.change_1d",
        "size_rotation.spread_1d",
        "breadth.net_advances",
        "breadth.new_highs",
        "breadth.new_lows",
        "breadth.pct_above_50d",
        "breadth.pct_above_200d",
    } == set(p["context"]["required"])
    assert set(p["week"]["required"]) == {
        "sessions",
        "returns",
        "streak_before",
        "is_week_end",
        "is_year_end",
        "week_start",
        "week_return",
        "week_breadth",
    }
    assert set(d["streak"]["required"]) == {"direction", "length", "return"}
    assert {"level_5d_ago", "sma_20", "percentile_1y"} <= set(p["volatility"]["required"])
    assert {"summation_index_5d_ago", "trin_prev"} <= set(p["breadth"]["required"])
    assert {"pct_above_50d_5d_ago", "pct_above_50d_change_5d", "return_1d", "return_5d"} <= set(
        p["breadth_by_sector"]["items"]["required"]
    )
    assert {"above_sma_50", "sma_50_rising", "from_high_52w"} <= set(
        p["sectors"]["items"]["required"]
    )
    assert {"sma_20_10d_ago", "sma_50_10d_ago", "sma_200_10d_ago", "return_5d"} <= set(
        p["watchlist"]["additionalProperties"]["required"]
    )
    assert {"high_52w", "from_high_52w", "sma_50", "sma_200"} <= set(d["returns"]["required"])


def test_issue_13_keys_are_required() -> None:
    """What happened next, the quality of the move, sector carry, baskets, the trend map and
    the bases of the shares cannot go missing, and every signal is described."""
    s = schema()
    p, d = s["properties"], s["$defs"]
    assert {"analogs", "quality", "sector_carry", "baskets", "trend"} <= set(s["required"])
    signals = p["analogs"]["properties"]["signals"]
    assert set(signals["required"]) == {
        "advancing_4to1", "declining_4to1", "up_volume_90", "down_volume_90",
        "new_highs_expanding", "zweig_thrust", "capitulation", "small_caps_record_run",
        "large_caps_record_run", "sp500_up_2pct", "sp500_down_2pct", "vix_spike",
    }
    assert all(v.get("description") for v in signals["properties"].values())
    assert set(d["forward_stats"]["required"]) == {
        "n", "median", "share_positive", "first", "last", "small_sample",
    }
    assert {"pct_above_20d_base", "pct_above_50d_base", "pct_above_200d_base"} <= set(
        p["breadth"]["required"]
    )
    assert {"pct_above_50d_base", "pct_above_200d_base"} <= set(
        p["breadth_by_sector"]["items"]["required"]
    )
    for key in ("quality", "baskets"):
        assert all(v.get("description") or "$ref" in v for v in p[key]["properties"].values())


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    from reporter.metrics import compute
    from tests.metrics.test_compute import hand_panel
    from tests.support.panels import METRICS, UNIVERSE

    return compute(hand_panel(), UNIVERSE, METRICS).to_dict()


def test_output_validates(good: dict[str, Any]) -> None:
    validate(good)


def test_top_level_accepts_later_stages(good: dict[str, Any]) -> None:
    doc = dict(
        good,
        source={"name": "csv", "description": "x", "is_sample": False, "retrieved_at": None},
        insights={"key_points": [], "insights": [], "risks": [], "opportunities": []},
        tone="neutral",
        tone_score=0.0,
    )
    validate(doc)
    with pytest.raises(AssertionError, match="bullish"):
        validate(dict(doc, tone="bullish"))


@pytest.mark.parametrize(
    ("path", "change"),
    [
        (("size_rotation",), lambda o: o.pop("spread_1d")),  # a renamed/missing key
        (("breadth",), lambda o: o.update(pct_above_fifty=0.5)),  # an unknown key
        (("breadth",), lambda o: o.update(pct_above_50d=50.0)),  # percent, not a fraction
        (("size_rotation", "run"), lambda o: o.update(leader=1)),
        (("coverage",), lambda o: o.update(first_session="05/02/2024")),
        ((), lambda o: o.update(as_of="2024-02-05T00:00:00")),
        (("watchlist", "NVDA"), lambda o: o.update(last_cross={"kind": "bull", "date": None})),
        (("context", "breadth.new_highs"), lambda o: o.update(percentile=1.5)),
        (("context", "breadth.new_highs"), lambda o: o.update(direction="up")),
        (("context",), lambda o: o.pop("indices.^RUT.return_1d")),
        (("week", "streak_before", "^GSPC"), lambda o: o.update(direction="sideways")),
        (("week",), lambda o: o.update(week_start="2024-02-05T00:00")),
        (("sectors", 0), lambda o: o.update(above_sma_50="yes")),
        (("analogs",), lambda o: o.update(fired_today=["golden_goose"])),
        (("analogs", "signals", "vix_spike"), lambda o: o.update(history="sample")),
        (("analogs", "signals", "vix_spike", "forward", "^GSPC", "5"),
         lambda o: o.update(small_sample="no")),
        (("analogs", "signals"), lambda o: o.pop("capitulation")),
        (("quality",), lambda o: o.update(close_top_quarter=75.0)),
        (("breadth",), lambda o: o.pop("pct_above_200d_base")),
        (("baskets", "momentum"), lambda o: o.pop("winners")),
        (("trend", 0), lambda o: o.update(kind="etf")),
        (("sector_carry", 0), lambda o: o.update(movers=[{"symbol": "X"}])),
    ],
)
def test_schema_rejects_broken_documents(
    good: dict[str, Any], path: tuple[str, ...], change: Any
) -> None:
    doc = copy.deepcopy(good)
    node = doc
    for key in path:
        node = node[key]
    change(node)
    assert list(validator().iter_errors(doc)), f"accepted a broken document at {path}"
