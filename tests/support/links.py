"""Collect the links of an HTML page and check that relative ones exist on disk."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def links_of(html: str) -> tuple[list[str], int]:
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.scripts


def broken_links(page: Path, html: str | None = None) -> list[str]:
    """Relative links of ``page`` whose target is missing, and any link leaving the site."""
    links, _ = links_of(page.read_text("utf-8") if html is None else html)
    bad = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            bad.append(f"{link} (not relative)")
            continue
        if not parts.path:
            continue  # a fragment on the same page
        target = (page.parent / unquote(parts.path)).resolve()
        if not target.exists():
            bad.append(link)
    return bad
