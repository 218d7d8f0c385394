"""The PDF engine may load only the package's assets and this run's in-memory resources."""

from __future__ import annotations

import pytest

from reporter.errors import RenderError
from reporter.render.fetcher import ResourceRefused, RestrictedFetcher, chart_url, run_url
from reporter.render.html import render_page_css
from reporter.render.pdf import layout, write

CHART = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def test_serves_assets_and_run_resources() -> None:
    fetcher = RestrictedFetcher({chart_url("x"): (CHART, "image/svg+xml")})
    css = fetcher.fetch("report://assets/print.css")
    assert css.content_type == "text/css" and b"@page" in css.read()
    logo = fetcher.fetch("report://assets/logo.svg")
    assert logo.content_type == "image/svg+xml"
    chart = fetcher.fetch("report://charts/x.svg")
    assert chart.read() == CHART
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "../../etc/passwd",
        "/etc/passwd",
        "report://assets/../../../etc/passwd",
        "report://assets/%2e%2e/%2e%2e/etc/passwd",
        "report://assets/..%2f..%2fetc%2fpasswd",
        "report://assets/print.py",
        "report://assets/missing.css",
        "report://assets/print.css?x=1",
        "report://charts/not-drawn.svg",
        "report://run/page.css",
        "report://elsewhere/print.css",
        "report://user:pw@assets/print.css",
    ],
)
def test_refuses_everything_else(url: str) -> None:
    fetcher = RestrictedFetcher()
    with pytest.raises(ResourceRefused, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def _page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>t</title>'
        f'<link rel="stylesheet" href="report://assets/print.css">{head}</head>'
        f"<body><h1>Report</h1>{body}</body></html>"
    )


def _resources() -> dict:
    css = render_page_css("en-US", "a4", sample=False).encode()
    return {run_url("page.css"): (css, "text/css")}


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (_page('<img src="http://127.0.0.1:9/x.png" alt="x">'), "http://127.0.0.1:9/x.png"),
        (_page('<img src="../../etc/passwd" alt="x">'), "../../etc/passwd"),
        (_page('<img src="file:///etc/passwd" alt="x">'), "file:///etc/passwd"),
        (_page("", '<style>@import url("file:///etc/passwd");</style>'), "file:///etc/passwd"),
        (_page("", '<link rel="stylesheet" href="https://example.com/x.css">'),
         "https://example.com/x.css"),
        (_page('<p style="background: url(file:///etc/passwd)">x</p>'), "file:///etc/passwd"),
        (_page("", "<style>@font-face { font-family: X; src: url(file:///etc/passwd) }"
                   " p { font-family: X }</style>"), "file:///etc/passwd"),
    ],
)
def test_hostile_html_fails_naming_the_resource(html: str, url: str) -> None:
    with pytest.raises(RenderError, match=url.replace(".", r"\.").replace("?", r"\?")):
        write(layout(html, _resources(), name="hostile.pdf"), variant="pdf/ua-1")


def test_attachment_links_are_refused_when_the_pdf_is_written() -> None:
    html = _page("<p>x</p>", '<link rel="attachment" href="file:///etc/passwd">')
    document = layout(html, _resources(), name="hostile.pdf")
    with pytest.raises(RenderError, match="file:///etc/passwd"):
        write(document, variant="pdf/ua-1")


def test_a_clean_page_renders() -> None:
    html = _page('<p>fine</p><img src="report://assets/logo.svg" alt="logo">')
    pdf = write(layout(html, _resources(), name="clean.pdf"), variant="pdf/ua-1")
    assert pdf.startswith(b"%PDF-") and b"/etc/passwd" not in pdf
