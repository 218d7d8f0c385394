"""The only way the PDF engine may load anything: an allow-list under a private URL scheme.

``report://assets/<file>`` serves a file of the package's ``templates/assets`` folder,
``report://run/<name>`` and ``report://charts/<name>.svg`` serve this run's in-memory
resources. Everything else (``file:``, ``http(s):``, ``data:``, other schemes, ``..`` escapes,
unknown names) is refused and recorded, so the caller can fail loudly instead of printing a
report with something missing or something it should never have read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reporter import resources
from reporter.render.speed.native import linker_cache_lookup

with linker_cache_lookup():  # the engine's first import loads its native libraries
    from weasyprint.urls import URLFetcher, URLFetcherResponse

SCHEME = "report"
ASSETS_DIR = resources.templates_dir("report") / "assets"
#: Asset types that may be served, with their content types.
ASSET_TYPES = {".css": "text/css", ".svg": "image/svg+xml"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)?$")


class ResourceRefused(ValueError):
    """A resource outside the allow-list was requested."""


def asset_url(name: str) -> str:
    return f"{SCHEME}://assets/{name}"


def run_url(name: str) -> str:
    return f"{SCHEME}://run/{name}"


def chart_url(name: str) -> str:
    return f"{SCHEME}://charts/{name}.svg"


class RestrictedFetcher(URLFetcher):
    """Serve the package's assets and the given in-memory resources; refuse anything else.

    ``resources`` maps full ``report://run/...`` or ``report://charts/...`` URLs to
    ``(bytes, content_type)``. Refused URLs are kept in ``refused`` (in request order).
    """

    def __init__(self, resources: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(fail_on_errors=False, allow_redirects=False, allowed_protocols=())
        self._resources = dict(resources or {})
        self._lock = threading.Lock()
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str) -> ResourceRefused:
        with self._lock:
            self.refused.append(url)
        return ResourceRefused(f"refused to load {url!r}: {why}")

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != SCHEME:
            raise self._refuse(url, "only report:// resources are allowed")
        if parts.query or parts.fragment or parts.username or parts.password or parts.port:
            raise self._refuse(url, "unexpected URL parts")
        if parts.netloc == "assets":
            body, content_type = self._asset(url, parts.path)
        elif parts.netloc in ("run", "charts"):
            found = self._resources.get(url)
            if found is None:
                raise self._refuse(url, "not a resource of this run")
            body, content_type = found
        else:
            raise self._refuse(url, "unknown resource area")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _asset(self, url: str, raw_path: str) -> tuple[bytes, str]:
        name = unquote(raw_path).removeprefix("/")
        if not _NAME.match(name):
            raise self._refuse(url, "invalid asset name")
        content_type = ASSET_TYPES.get(Path(name).suffix.lower())
        if content_type is None:
            raise self._refuse(url, "asset type not allowed")
        path = (ASSETS_DIR / name).resolve()
        if path.parent != ASSETS_DIR or not path.is_file():
            raise self._refuse(url, "no such asset")
        return path.read_bytes(), content_type
