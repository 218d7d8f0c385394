"""The S&P 500 member list: parsing the public page's table, Yahoo spelling, the weekly cache.

The page is a small hand-made copy of the real one's structure in ``recorded/``: an infobox
table, the ``id="constituents"`` table (links in cells, a footnote, ``&amp;``) and the changes
table with a two-row header. No test touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import urllib.error
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reporter.errors import DataError, SourceError
from reporter.sources import sp500
from reporter.sources.sp500 import (
    load_sp500,
    parse_constituents_table,
    read_constituents_csv,
    yahoo_symbol,
)

PAGE = Path(__file__).parent / "recorded" / "sp500_constituents.html"
NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
SYMBOLS = ["MMM", "AOS", "AAPL", "BRK-B", "BF-B", "T", "NVDA"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


class Page:
    """Serves the recorded page (or raises), counting the requests."""

    def __init__(self, error: BaseException | None = None, text: str | None = None) -> None:
        self.error, self.text, self.urls = error, text, []

    def __call__(self, url: str) -> str:
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        return self.text if self.text is not None else PAGE.read_text("utf-8")


def test_parse_the_recorded_page() -> None:
    frame = parse_constituents_table(PAGE.read_text("utf-8"))
    assert list(frame.columns) == ["Symbol", "Security", "GICS Sector", "GICS Sub-Industry"]
    assert frame["Symbol"].tolist() == SYMBOLS
    rows = {r["Symbol"]: r for r in frame.to_dict("records")}
    assert rows["BRK-B"] == {"Symbol": "BRK-B", "Security": "Berkshire Hathaway",
                             "GICS Sector": "Financials",
                             "GICS Sub-Industry": "Multi-Sector Holdings"}
    assert rows["T"]["Security"] == "AT&T"  # entity decoded, footnote [7] dropped
    assert rows["AAPL"]["GICS Sub-Industry"] == "Technology Hardware, Storage & Peripherals"
    assert rows["BF-B"]["Security"] == "Brown\u2013Forman"
    assert "CRH" not in rows and "KMX" not in rows  # the changes table is not the member list


def test_first_table_with_the_columns_when_the_id_is_gone() -> None:
    html = PAGE.read_text("utf-8").replace('id="constituents"', 'id="members"')
    assert parse_constituents_table(html)["Symbol"].tolist() == SYMBOLS


def test_thead_layout() -> None:
    html = ("<table id='constituents'><thead><tr><th>Symbol</th><th>Security</th>"
            "<th>GICS Sector</th></tr></thead><tbody><tr><td>BRK.B</td><td>Berkshire</td>"
            "<td>Financials</td></tr></tbody></table>")
    frame = parse_constituents_table(html)
    assert frame.to_dict("records") == [
        {"Symbol": "BRK-B", "Security": "Berkshire", "GICS Sector": "Financials"}
    ]


@pytest.mark.parametrize(("html", "message"), [
    ("<p>no tables here</p>", "no constituents table"),
    ("<table id='constituents'><tr><th>Ticker</th><th>Security</th></tr></table>",
     "has no column Symbol, GICS Sector"),
    ("<table id='constituents'><tr><th>Symbol</th><th>Security</th><th>GICS Sector</th></tr>"
     "<tr><td>MMM</td><td>3M</td></tr></table>", "data row 1 of the table"),
    ("<table id='constituents'><tr><th>Symbol</th><th>Security</th><th>GICS Sector</th></tr>"
     "<tr><td>MMM</td><td>3M</td><td>Industrials</td></tr>"
     "<tr><td>MMM</td><td>3M</td><td>Industrials</td></tr></table>", "MMM listed twice"),
])
def test_malformed_tables(html: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_constituents_table(html, origin="page.html")


@pytest.mark.parametrize(("listed", "yahoo"), [
    ("BRK.B", "BRK-B"), ("BF.B", "BF-B"), (" nvda ", "NVDA"), ("MMM", "MMM"),
])
def test_yahoo_spelling(listed: str, yahoo: str) -> None:
    assert yahoo_symbol(listed) == yahoo


def test_first_read_is_cached_with_its_date(tmp_path: Path) -> None:
    page = Page()
    frame, notes = load_sp500(tmp_path, fetch=page, now=NOW, min_rows=5)
    assert notes == [] and page.urls == [sp500.SP500_URL]
    assert frame["Symbol"].tolist() == SYMBOLS
    meta = json.loads((tmp_path / sp500.CACHE_META).read_text("utf-8"))
    assert meta == {"retrieved_at": "2026-03-04T12:00:00+00:00", "source": sp500.SP500_URL,
                    "rows": 7}
    cached = pd.read_csv(tmp_path / sp500.CACHE_CSV, dtype=str)
    assert cached["Symbol"].tolist() == SYMBOLS


def test_cache_younger_than_a_week_is_reused(tmp_path: Path) -> None:
    load_sp500(tmp_path, fetch=Page(), now=NOW, min_rows=5)
    offline = Page(error=AssertionError("must not fetch"))
    later = NOW + dt.timedelta(days=6, hours=23)
    frame, notes = load_sp500(tmp_path, fetch=offline, now=later, min_rows=5)
    assert frame["Symbol"].tolist() == SYMBOLS and notes == [] and offline.urls == []


def test_cache_a_week_old_is_refreshed(tmp_path: Path) -> None:
    load_sp500(tmp_path, fetch=Page(), now=NOW, min_rows=5)
    html = PAGE.read_text("utf-8")  # the same page without its NVDA row
    at = html.index("stocks/nvda")
    fewer = html[: html.rindex("<tr>", 0, at)] + html[html.index("</tr>", at) + len("</tr>"):]
    page = Page(text=fewer)
    later = NOW + dt.timedelta(days=7)
    frame, notes = load_sp500(tmp_path, fetch=page, now=later, min_rows=5)
    assert page.urls == [sp500.SP500_URL] and notes == []
    assert frame["Symbol"].tolist() == SYMBOLS[:-1]
    meta = json.loads((tmp_path / sp500.CACHE_META).read_text("utf-8"))
    assert meta["retrieved_at"] == "2026-03-11T12:00:00+00:00" and meta["rows"] == 6


def test_offline_with_an_old_cache_warns_and_uses_it(tmp_path: Path) -> None:
    load_sp500(tmp_path, fetch=Page(), now=NOW, min_rows=5)
    offline = Page(error=urllib.error.URLError(socket.gaierror(-2, "Name or service not known")))
    frame, notes = load_sp500(tmp_path, fetch=offline, now=NOW + dt.timedelta(days=30),
                              min_rows=5)
    assert frame["Symbol"].tolist() == SYMBOLS
    assert notes == [
        "S&P 500 member list: using the copy cached on 2026-03-04 (30 days old); could not "
        f"refresh it from {sp500.SP500_URL} ([Errno -2] Name or service not known)"
    ]


def test_offline_without_a_cache_is_a_source_error(tmp_path: Path) -> None:
    offline = Page(error=urllib.error.URLError(socket.gaierror(-2, "Name or service not known")))
    with pytest.raises(SourceError) as err:
        load_sp500(tmp_path, fetch=offline, now=NOW)
    assert str(err.value) == (
        f"S&P 500 member list: cannot read {sp500.SP500_URL} ([Errno -2] Name or service not "
        f"known) and no cached copy in {tmp_path}; set universe.constituents to a CSV with "
        "Symbol,Security,GICS Sector"
    )


def test_truncated_page_is_not_accepted(tmp_path: Path) -> None:
    floor = r"only 7 members in the table of .* \(expected at least 400\)$"
    with pytest.raises(SourceError, match=floor):
        load_sp500(tmp_path, fetch=Page(), now=NOW)  # the default floor of the live list
    assert not (tmp_path / sp500.CACHE_CSV).exists()


def test_changed_page_with_an_old_cache_warns_and_uses_it(tmp_path: Path) -> None:
    load_sp500(tmp_path, fetch=Page(), now=NOW, min_rows=5)
    frame, notes = load_sp500(tmp_path, fetch=Page(text="<p>moved</p>"),
                              now=NOW + dt.timedelta(days=8), min_rows=5)
    assert frame["Symbol"].tolist() == SYMBOLS
    assert notes == [
        "S&P 500 member list: using the copy cached on 2026-03-04 (8 days old); "
        f"no constituents table in {sp500.SP500_URL}"
    ]


def test_damaged_cache_counts_as_none(tmp_path: Path) -> None:
    load_sp500(tmp_path, fetch=Page(), now=NOW, min_rows=5)
    (tmp_path / sp500.CACHE_META).write_text("{not json", "utf-8")
    page = Page()
    load_sp500(tmp_path, fetch=page, now=NOW, min_rows=5)
    assert page.urls == [sp500.SP500_URL]


def test_read_constituents_csv(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Symbol,Security,GICS Sector,GICS Sub-Industry\n"
                    "BRK.B,Berkshire Hathaway,Financials,Multi-Sector Holdings\n"
                    "NA,\"Nasdaq, Inc.\",Financials,Financial Exchanges & Data\n", "utf-8")
    frame = read_constituents_csv(path)
    assert frame["Symbol"].tolist() == ["BRK-B", "NA"]  # "NA" stays a symbol, not a gap
    assert frame["Security"].tolist() == ["Berkshire Hathaway", "Nasdaq, Inc."]


@pytest.mark.parametrize(("text", "message"), [
    ("Symbol,Security\nMMM,3M\n", "missing column GICS Sector"),
    ("Symbol,Security,GICS Sector\n", "no members listed"),
    ("Symbol,Security,GICS Sector\nMMM,3M,Industrials\nMMM,3M,Industrials\n", "MMM listed twice"),
    ("Symbol,Security,GICS Sector\n,3M,Industrials\n", "empty symbol in member row 1"),
])
def test_bad_constituents_csv_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "members.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(DataError) as err:
        read_constituents_csv(path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_constituents_csv(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"constituents file .*absent\.csv not found"):
        read_constituents_csv(tmp_path / "absent.csv")
