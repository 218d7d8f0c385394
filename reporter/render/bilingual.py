"""The bilingual edition: one document, laid out once, every text block in both languages.

The same templates as a single-language edition, rendered once with an environment in which
every reader-visible text is a ``Both``: gettext translates a message into each language and
fills each translation with that language's values; every filter formats in each language
(``+1.2%`` twice collapses to one; ``2025年12月31日`` and ``December 31, 2025`` stay two). A
``Both`` renders as one element per language, each with its ``lang``, one under the other (the
print stylesheet); figures the languages write alike (most table cells) appear once, and a
table's dates are written once, as ``2025-03-24``. Tables are thus laid out once with
bilingual headers, and each chart appears once, drawn for the edition with every word on it
in each language (``render.charts``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from itertools import zip_longest
from typing import Any

import jinja2
from markupsafe import Markup

from reporter.errors import RenderError
from reporter.i18n import MISSING, get_translations
from reporter.i18n.jinja import make_environment
from reporter.model import RenderedText
from reporter.render.brief import BriefPlan, plans_for
from reporter.render.html import (
    COLUMN_COUNTS,
    ChartRef,
    DocMeta,
    _Filters,
    _is_missing_date,
    bind_figures,
    doc_meta,
    filter_table,
    note_context,
)

__all__ = ["Both", "bilingual_context", "bilingual_environment", "render_bilingual_html"]


class Both:
    """One text in several languages (locale -> text), shown as one block per language."""

    __slots__ = ("parts",)

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self.parts = dict(parts)

    def part(self, locale: str) -> Any:
        return self.parts[locale]

    def __html__(self) -> str:
        # a space between the parts: bookmarks and extracted text read "风险 Risks"
        return Markup(" ").join(
            Markup('<span class="lang-part" lang="{}">{}</span>').format(loc, text)
            for loc, text in self.parts.items() if text
        )

    def __str__(self) -> str:  # where one plain string is needed (an attribute, a title)
        return " / ".join(str(text) for text in self.parts.values() if text)

    def __bool__(self) -> bool:
        return any(bool(text) for text in self.parts.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Both) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(tuple(str(v) for v in self.parts.values()))


def both(parts: Mapping[str, Any]) -> Any:
    """A ``Both``, or the one value when every language writes it alike."""
    values = list(parts.values())
    first = values[0]
    if all(type(v) is type(first) and v == first for v in values[1:]):
        return first
    return Both(parts)


def pick(value: Any, locale: str) -> Any:
    """The ``locale`` part of a ``Both``; any other value as it is."""
    return value.part(locale) if isinstance(value, Both) else value


def _per_language(locales: Sequence[str], funcs: Mapping[str, Callable[..., Any]]
                  ) -> Callable[..., Any]:
    """One callable doing ``funcs[locale]`` for each language, each on its own language's
    arguments."""
    def call(*args: Any, **kwargs: Any) -> Any:
        return both({
            loc: funcs[loc](*(pick(a, loc) for a in args),
                            **{k: pick(v, loc) for k, v in kwargs.items()})
            for loc in locales
        })
    return call


def _fill(message: str, values: Mapping[str, Any], locale: str) -> Markup:
    """A translation filled as Jinja's new-style gettext fills it (the translation is markup,
    the values are escaped), with each value's part in that language."""
    return Markup(message) % {k: pick(v, locale) for k, v in values.items()}


def _change_cell(locales: Sequence[str]) -> Callable[..., Markup]:
    """``chg_cell`` in every language: one cell, classed by the change's direction (the same in
    every language), holding the figure as each language writes it."""
    formats = {loc: _Filters(loc) for loc in locales}

    def cell(value: Any, kind: str = "pct", digits: int | None = None) -> Markup:
        parts = {loc: formats[loc].change(pick(value, loc), kind, digits) for loc in locales}
        return Markup('<td class="chg {}">{}</td>').format(
            parts[locales[0]][0], both({loc: text for loc, (_, text) in parts.items()})
        )

    return cell


def iso_date(value: Any) -> str:
    """A date in a table cell of the bilingual edition: ``2025-03-24``, which readers of either
    language read, once (not ``2025年3月24日`` over ``Mar 24, 2025`` in a narrow column)."""
    return MISSING if _is_missing_date(value) else str(value)[:10]


@functools.lru_cache(maxsize=2)
def bilingual_environment(locales: tuple[str, ...]) -> jinja2.Environment:
    """The report templates' environment for an edition in ``locales`` (first: the page's)."""
    tables = {loc: filter_table(loc) for loc in locales}
    filters = {name: _per_language(locales, {loc: tables[loc][name] for loc in locales})
               for name in tables[locales[0]]}
    filters["plain"] = str
    filters["chg_cell"] = _change_cell(locales)
    filters["date_cell"] = iso_date
    catalogs = {loc: get_translations("messages", loc) for loc in locales}

    def gettext(message: str, **values: Any) -> Any:
        return both({loc: _fill(catalogs[loc].gettext(message), values, loc) for loc in locales})

    def ngettext(singular: str, plural: str, num: int, **values: Any) -> Any:
        values.setdefault("num", num)
        return both({loc: _fill(catalogs[loc].ngettext(singular, plural, num), values, loc)
                     for loc in locales})

    sentences = _per_language(locales, {loc: _Filters(loc).sentences for loc in locales})
    env = make_environment("report", locales[0], filters=filters,
                           globals={"sentences": sentences, "column_counts": COLUMN_COUNTS})
    env.globals.update({"_": gettext, "gettext": gettext, "ngettext": ngettext})
    return env


class _BothText:
    """The rendered texts of every language as one: each field a ``Both`` (lists item by item)."""

    def __init__(self, texts: Sequence[RenderedText]) -> None:
        self._texts = {t.locale: t for t in texts}

    def __getattr__(self, name: str) -> Any:
        values = {loc: getattr(t, name) for loc, t in self._texts.items()}
        first = next(iter(values.values()))
        if isinstance(first, tuple):
            rows = zip_longest(*values.values(), fillvalue="")
            return [both(dict(zip(values, row, strict=True))) for row in rows]
        return both(values)


def bilingual_context(
    report: Mapping[str, Any],
    texts: Sequence[RenderedText],
    charts: Mapping[str, ChartRef],
    *,
    title: str,
    author: str,
    plan: BriefPlan | None = None,
    brief_only: bool = False,
) -> dict[str, Any]:
    """What the templates read for the bilingual edition: the first language's context with
    every text in each language. ``charts`` are the edition's own, every word on
    them in each language."""
    locales = tuple(t.locale for t in texts)
    plan = plan or plans_for(report, bilingual=True)[0]
    contexts = [note_context(report, t, charts, locale=t.locale, title=title, author=author,
                             plan=plan, brief_only=brief_only) for t in texts]
    context = dict(contexts[0])
    metas = [doc_meta(report, t.locale, title=title, author=author, text=t) for t in texts]
    context.update(
        text=_BothText(texts),
        meta=DocMeta(
            title=" / ".join(m.title for m in metas),
            author=author,
            subject=" / ".join(m.subject for m in metas),
            keywords=tuple(dict.fromkeys(k for m in metas for k in m.keywords)),
            created=metas[0].created,
        ),
        heading=both({c["locale"]: c["heading"] for c in contexts}),
        source_label=both({c["locale"]: c["source_label"] for c in contexts}),
        sector_list=_per_language(locales, {c["locale"]: c["sector_list"] for c in contexts}),
        bilingual=True,
    )
    return context


def render_bilingual_html(context: Mapping[str, Any], locales: tuple[str, ...]) -> str:
    """The HTML of the bilingual edition (``bilingual_context``), for the PDF engine."""
    try:
        html = bilingual_environment(locales).get_template("report.html").render(context)
    except Exception as exc:  # a template bug or data of an unexpected shape
        raise RenderError(f"rendering the bilingual edition failed: {exc}") from exc
    return bind_figures(html)
