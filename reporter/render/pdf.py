"""Lay out one edition with the PDF engine and write it: tagged, deterministic, self-contained.

The engine loads resources only through the restricted fetcher. A refused resource, an image
without alt text or a resource that failed to load is an error, not a quietly broken report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from reporter.errors import RenderError
from reporter.render.fetcher import RestrictedFetcher, asset_url
from reporter.render.speed.deflate import deflate_at_default_level
from reporter.render.speed.fonts import compact_font_files
from reporter.render.speed.native import linker_cache_lookup
from reporter.render.speed.svgpath import draw_plain_paths
from reporter.render.speed.svgtext import draw_text_in_runs
from reporter.resources import cache_dir

with linker_cache_lookup():  # the engine's first import loads its native libraries
    import pydyf
    from weasyprint import HTML
    from weasyprint.document import Document
    from weasyprint.pdf import tags as _tags
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

#: Variants offered: accessible (tagged PDF/UA-1) and archival (PDF/A-3b, tagged as well).
VARIANTS = ("pdf/ua-1", "pdf/a-3b")
#: Base of relative URLs. Relative references do not resolve under this private scheme, so
#: a ``../`` path reaches the fetcher as it is and is refused there.
BASE_URL = asset_url("")


def _tag_languages() -> None:
    """Give each tagged element made from an HTML element with a ``lang`` its own ``/Lang``.

    The engine writes the language of the document's root only; in the bilingual edition every
    block is in one of two languages, and PDF/UA wants a screen reader told which. The engine
    builds its structure tree with one recursive function; wrapped here, every element it makes
    for a box whose HTML element has a ``lang`` attribute carries it. Without that function (a
    later engine), the PDF keeps the root's language and a test says so.
    """
    build = getattr(_tags, "_build_box_tree", None)
    if build is None or getattr(build, "with_lang", False):
        return

    def with_lang(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        lang = None
        if element is not None and getattr(element, "tag", None) not in ("html", "body"):
            lang = element.get("lang")
        for made in build(box, *args, **kwargs):
            if lang and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    with_lang.with_lang = True  # type: ignore[attr-defined]
    _tags._build_box_tree = with_lang


_tag_languages()
draw_text_in_runs()
draw_plain_paths()
deflate_at_default_level()


class _Fonts(FontConfiguration):
    """The system's fonts and the compact copies of the CJK fonts (``speed.fonts``), which the
    style sheet names first. The engine adds a font file to a document's fonts the same way
    for an ``@font-face`` rule."""

    def __init__(self, files: tuple[str, ...]) -> None:
        super().__init__()
        for path in files:
            fontconfig.FcConfigAppFontAddFile(self._config, path.encode())
        if files:
            pangoft2.pango_fc_font_map_config_changed(
                ffi.cast("PangoFcFontMap *", self.font_map))


def use_compact_fonts() -> tuple[str, ...]:
    """The compact fonts' files, made in the cache folder the first time (``speed.fonts``)."""
    return compact_font_files(cache_dir())


class _Collect(logging.Handler):
    """Keeps the engine's error messages of one layout for the caller."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def layout(html: str, resources: Mapping[str, tuple[bytes, str]], *, name: str) -> Document:
    """Lay out ``html`` loading only the allow-listed resources; ``name`` names it in errors."""
    fetcher = RestrictedFetcher(resources)
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            pdf_tags=True, font_config=_Fonts(use_compact_fonts())
        )
    except RenderError:
        raise
    except Exception as exc:  # the engine's own failures, named by edition
        raise RenderError(f"layout of {name} failed: {exc}") from exc
    finally:
        logger.removeHandler(handler)
    if fetcher.refused:
        raise RenderError(f"{name}: refused to load {fetcher.refused[0]!r} (not allow-listed)")
    problems = [m for m in handler.messages if "alt" in m or "Failed to load" in m]
    if problems:
        raise RenderError(f"{name}: {problems[0]}")
    return document


def write(document: Document, *, variant: str) -> bytes:
    """The PDF bytes: tagged, fonts embedded and subsetted, identifier derived from content."""
    if variant not in VARIANTS:
        raise RenderError(f"unknown PDF variant {variant!r} (choose from {', '.join(VARIANTS)})")
    fetcher = document.url_fetcher
    seen = len(getattr(fetcher, "refused", ()))
    try:
        pdf = document.write_pdf(pdf_variant=variant, pdf_tags=True, pdf_identifier=True)
    except Exception as exc:
        raise RenderError(f"writing the PDF failed: {exc}") from exc
    refused = getattr(fetcher, "refused", [])[seen:]
    if refused:  # e.g. an attachment link, fetched only when the PDF is written
        raise RenderError(f"refused to load {refused[0]!r} (not allow-listed)")
    return pdf
