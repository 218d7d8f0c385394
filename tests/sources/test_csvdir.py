import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reporter.errors import DataError, MissingSymbolsError
from reporter.sources.base import ABSENT
from reporter.sources.csvdir import CsvSource


def make_folder(root: Path, files: dict[str, str], constituents: str | None = None) -> Path:
    (root / "prices").mkdir(parents=True)
    for sym, text in files.items():
        (root / "prices" / f"{sym}.csv").write_text(text)
    (root / "constituents.csv").write_text(
        constituents or "Symbol,Security,GICS Sector,GICS Sub-Industry\nAAA,Aaa Inc,Energy,Oil\n"
    )
    return root


def test_reads_any_column_order_and_close_only(tmp_path: Path):
    src = CsvSource(make_folder(tmp_path, {
        "AAA": "Close,Volume,Date\n10.5,100,2025-01-02\n11,200,2025-01-03\n",
        "XLG": "Date,Close\n2025-01-02,50\n2025-01-03,51.25\n",
    }))
    got = src.fetch(["AAA", "XLG"], None, None)
    assert list(got["AAA"].columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert got["AAA"]["Close"].tolist() == [10.5, 11.0]
    assert got["AAA"]["Volume"].tolist() == [100.0, 200.0]
    assert np.isnan(got["XLG"]["Open"]).all()
    assert got["XLG"].index[1] == pd.Timestamp("2025-01-03")


def test_start_and_end_are_inclusive(tmp_path: Path):
    rows = "".join(f"2025-01-0{d},{d}\n" for d in (2, 3, 6, 7))
    src = CsvSource(make_folder(tmp_path, {"AAA": "Date,Close\n" + rows}))
    got = src.fetch(["AAA"], dt.date(2025, 1, 3), dt.date(2025, 1, 6))["AAA"]
    assert got["Close"].tolist() == [3.0, 6.0]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Date,Close\n2025-01-02,10\n2025-13-45,11\n", "line 3: unreadable date"),
        ("Date,Close\n2025-01-02,10\n2025-01-03,abc\n", "line 3: unreadable Close 'abc'"),
        ("Date,Close\n2025-01-02,10\n2025-01-03,-1\n", "line 3: close -1 of AAA is not a positive"),
        ("Date,Close\n2025-01-02,10\n2025-01-02,11\n", "line 3: duplicate date 2025-01-02"),
        ("Date,Close\n2025-01-02,10\n2025-01-03,inf\n", "line 3: close inf of AAA"),
        ("Date,Open\n2025-01-02,10\n", "missing column Close"),
        ("", "not a readable CSV"),
        # cut mid-line: the Close of the last row is gone, not empty
        ("Date,Open,High,Low,Close\n2025-01-02,1,1,1,1\n2025-01-03,1,1", "line 3: 3 field(s) "
         "where the header has 5 (a line cut short?)"),
        ("Date,Close,Volume\n2025-01-02,10,5\n2025-01-03,11\n2025-01-06,12,5\n",
         "line 3: 2 field(s) where the header has 3"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, text: str, needle: str):
    src = CsvSource(make_folder(tmp_path, {"AAA": text}))
    with pytest.raises(DataError) as info:
        src.fetch(["AAA"], None, None)
    assert needle in str(info.value)
    assert "AAA.csv" in str(info.value)


def test_non_utf8_is_an_error(tmp_path: Path):
    root = make_folder(tmp_path, {})
    (root / "prices" / "AAA.csv").write_bytes(b"Date,Close\n2025-01-02,1\xff0\n")
    with pytest.raises(DataError, match="not UTF-8"):
        CsvSource(root).fetch(["AAA"], None, None)


def test_high_below_low_is_a_warning_not_an_error(tmp_path: Path):
    src = CsvSource(make_folder(tmp_path, {
        "AAA": "Date,Open,High,Low,Close,Volume\n2025-01-02,10,9.9,9.5,9.8,5\n",
    }))
    got = src.fetch(["AAA"], None, None)
    assert got["AAA"]["Close"].iloc[0] == 9.8
    assert any("AAA" in w and "2025-01-02" in w for w in src.warnings)


def test_unsorted_dates_are_sorted(tmp_path: Path):
    src = CsvSource(make_folder(tmp_path, {"AAA": "Date,Close\n2025-01-03,2\n2025-01-02,1\n"}))
    got = src.fetch(["AAA"], None, None)["AAA"]
    assert got["Close"].tolist() == [1.0, 2.0]


def test_missing_files_are_named_and_the_rest_is_kept(tmp_path: Path):
    src = CsvSource(make_folder(tmp_path, {"AAA": "Date,Close\n2025-01-02,1\n"}))
    with pytest.raises(MissingSymbolsError) as info:
        src.fetch(["AAA", "BBB"], None, None)
    assert info.value.missing == ("BBB",)
    assert "BBB" in str(info.value)
    assert list(info.value.found) == ["AAA"]


def test_version_changes_when_the_file_changes(tmp_path: Path):
    root = make_folder(tmp_path, {"AAA": "Date,Close\n2025-01-02,1\n"})
    src = CsvSource(root)
    v1 = src.version("AAA")
    (root / "prices" / "AAA.csv").write_text("Date,Close\n2025-01-02,1\n2025-01-03,2\n")
    assert src.version("AAA") != v1
    assert src.version("NOPE") == ABSENT  # the store forgets what it held for it


def test_constituents_and_valuations(tmp_path: Path):
    root = make_folder(tmp_path, {})
    (root / "valuations.csv").write_text("Date,Symbol,TrailingPE\n2025-12-31,IWM,18.5\n"
                                         "2025-12-31,SPY,27\n2025-12-31,QQQ,33\n")
    src = CsvSource(root)
    assert src.constituents().to_dict("records") == [
        {"Symbol": "AAA", "Security": "Aaa Inc", "GICS Sector": "Energy"}
    ]
    val = src.valuations(["IWM", "SPY"])
    assert val["TrailingPE"].tolist() == [18.5, 27.0]


def test_not_a_market_data_folder(tmp_path: Path):
    with pytest.raises(DataError, match="no prices/"):
        CsvSource(tmp_path)


def test_real_snapshot_reads_with_its_known_quirks(marketdata: Path):
    src = CsvSource(marketdata)
    got = src.fetch(["^GSPC", "XLG", "SW", "HUBB"], None, None)
    gspc = pd.read_csv(marketdata / "prices" / "^GSPC.csv")
    assert len(got["^GSPC"]) == len(gspc)
    assert got["^GSPC"]["Close"].iloc[-1] == pytest.approx(float(gspc["Close"].iloc[-1]))
    assert got["XLG"]["Volume"].isna().all()
    assert (got["SW"]["Volume"] == 0).sum() == 402  # kept; metrics treat volume 0 as missing
    assert any("HUBB" in w for w in src.warnings)
    assert len(src.constituents()) == 503


def test_a_constituents_row_cut_short_is_an_error(tmp_path: Path):
    src = CsvSource(make_folder(tmp_path, {}, "Symbol,Security,GICS Sector\nAAA,Aaa Inc,Energy\n"
                                              'BBB,"Bbb, Inc"'))
    with pytest.raises(DataError, match=r"constituents.csv, line 3: 2 field\(s\) where the "
                                        r"header has 3"):
        src.constituents()
