"""The research portal: a static site kept in the output folder, built from its day folders.

Per language (``index.html`` for the default one, ``index.<lang>.html`` for the others):

- the front page: the latest day's headline, summary and key points, then a compact list;
- a page per day in its folder: the whole note (every section, table and chart, the charts as
  inline SVG) from the day's report.json and chart files, through the note's own templates;
- the archive by month (``archive/YYYY-MM/``), a page per topic tag (``topics/<slug>/``), and
  their indexes;
- full-text search (``search/``) over every note, with the index built by Pagefind
  (``reporter.portal.search``) in ``pagefind/``;
- an Atom feed.

Relative links only, inline CSS; only the search page runs a script. Pages are computed first,
then each written atomically; the front pages last, so they never link to a page that is not
there yet. Pages of months and topics that no longer have a day are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from reporter.config import DEFAULT_TITLE as NOTE_TITLE
from reporter.config import Config, PortalConfig
from reporter.i18n import N_, babel_locale, gettext_for
from reporter.i18n.jinja import environment
from reporter.portal.days import Day, DayView, scan, view
from reporter.portal.search import PAGEFIND
from reporter.vocabulary import LOCALES as PORTAL_LOCALES
from reporter.vocabulary import page_suffix, web_file_name

DEFAULT_TITLE = N_("Market Breadth Research")
ENTRY_TITLE = N_("Market breadth, %(date)s: %(tone)s")
EPOCH = "1970-01-01T00:00:00Z"
#: The portal's own folders beside the day folders (pages of months, topics and search).
ARCHIVE, TOPICS, SEARCH = "archive", "topics", "search"


@dataclass
class PublishResult:
    out: Path
    days: list[str] = field(default_factory=list)  # days on the portal, newest first
    written: list[str] = field(default_factory=list)  # files whose content changed
    removed: list[str] = field(default_factory=list)  # pages of months or topics now empty
    warnings: list[str] = field(default_factory=list)
    indexed: bool = False  # the search index was (re)built


def index_name(locale: str) -> str:
    return f"index{page_suffix(locale)}.html"


def feed_name(locale: str) -> str:
    return f"feed{page_suffix(locale)}.xml"


def close_time(day: str) -> str:
    """The session's 16:00 New York close in UTC (RFC 3339): a feed time from the data alone."""
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(16, 0),
                                tzinfo=ZoneInfo("America/New_York"))
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_title(v: DayView) -> str:
    _ = gettext_for("portal", v.locale)
    return _(ENTRY_TITLE) % {"date": v.date_long, "tone": v.tone_label}


def _page(locale: str, portal: PortalConfig, root: str, current: str = "") -> dict[str, Any]:
    """What every page's frame needs; ``root`` leads from the page's folder to the site's."""
    from babel import Locale

    _ = gettext_for("portal", locale)
    index = index_name(locale)
    return {
        "locale": locale,
        "title": portal.title or _(DEFAULT_TITLE),
        "root": root,
        "index": index,
        "feed": feed_name(locale),
        "current": current,  # home | archive | topics | search | "" (a day)
        "nav": [
            ("home", _("Latest"), f"{root}{index}"),
            ("archive", _("Archive"), f"{root}{ARCHIVE}/{index}"),
            ("topics", _("Topics"), f"{root}{TOPICS}/{index}"),
            ("search", _("Search"), f"{root}{SEARCH}/{index}"),
        ],
        "search_action": f"{root}{SEARCH}/{index}",
        "languages": [
            {"locale": loc, "current": loc == locale, "href": index_name(loc),
             "name": Locale.parse(loc, sep="-").language_name}
            for loc in PORTAL_LOCALES
        ],
    }


@dataclass(frozen=True)
class Listing:
    """The days of one month or one topic, newest first."""

    key: str  # 2025-12 | small-cap-rotation
    label: str  # December 2025 | Small-cap rotation
    views: tuple[DayView, ...]


def month_name(month: str, locale: str) -> str:
    """``2025年12月`` / ``December 2025``."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", dt.date.fromisoformat(f"{month}-01"),
                           locale=babel_locale(locale))


def months(views: Sequence[DayView]) -> list[Listing]:
    """The archive: one listing per month, newest first."""
    by: dict[str, list[DayView]] = defaultdict(list)
    for v in views:
        by[v.month].append(v)
    return [Listing(m, month_name(m, views[0].locale), tuple(by[m]))
            for m in sorted(by, reverse=True)]


def topics(views: Sequence[DayView]) -> list[Listing]:
    """One listing per topic tag, the most frequent first (then by name)."""
    by: dict[str, list[DayView]] = defaultdict(list)
    labels: dict[str, str] = {}
    for v in views:
        for t in v.topics:
            by[t.slug].append(v)
            labels.setdefault(t.slug, t.label)  # the newest day's label
    order = sorted(by, key=lambda s: (-len(by[s]), labels[s]))
    return [Listing(s, labels[s], tuple(by[s])) for s in order]


#: Where a day page records what it was made from (``page_key``), to be kept when unchanged.
KEY_META = b'<meta name="reporter-page" content="'


@functools.cache
def code_version() -> str:
    """A digest of everything a page is made with besides its data: the package's code, the
    templates and the catalogs. A new version of any of them makes every page anew."""
    from reporter import resources

    h = hashlib.sha256()
    roots = [Path(__file__).resolve().parents[1], resources.templates_dir("report").parent,
             resources.locales_dir()]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".xml", ".po",
                                                  ".txt", ".json", ".svg"):
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def page_key(day: Day, locale: str, charts: dict[str, bytes], parts: object) -> str:
    """What a day page is made from: the code, the day's report.json and text, its charts and
    the page's links (neighbours, topics, files). Equal keys give equal pages."""
    h = hashlib.sha256(f"{code_version()}|{day.digest}|{locale}|{parts!r}|"
                       f"{day.texts.get(locale)!r}".encode())
    for name in sorted(charts):
        h.update(name.encode())
        h.update(hashlib.sha256(charts[name]).digest())
    return h.hexdigest()[:32]


def _kept(previous: bytes | None, key: str) -> bytes | None:
    """The page already written, if it was made from the same things."""
    if previous is None:
        return None
    head = previous[:4096]
    at = head.find(KEY_META)
    if at < 0:
        return None
    start = at + len(KEY_META)
    return previous if head[start:start + len(key) + 1] == key.encode() + b'"' else None


def _day_pages(days: list[Day], locale: str, portal: PortalConfig, author: str,
               note_title: str, previous: Callable[[str], bytes | None]
               ) -> tuple[dict[str, bytes], list[str], int]:
    """The day pages of one language: each made anew only when what it is made from changed.
    Returns the pages, warnings and how many were made."""
    from reporter.portal.note import day_charts, day_note, note_css

    env = environment("portal", locale)
    _ = gettext_for("portal", locale)
    index = index_name(locale)
    views = [view(d, locale) for d in days]
    css = note_css(locale)
    pages: dict[str, bytes] = {}
    warnings: list[str] = []
    made = 0
    for i, (d, v) in enumerate(zip(days, views, strict=True)):
        name = f"{v.day}/{index}"
        newer = views[i - 1].day if i > 0 else None
        older = views[i + 1].day if i + 1 < len(views) else None
        web = web_file_name(v.day, locale)
        web_file = web if (d.folder / web).is_file() else None
        charts = day_charts(d, locale)
        key = page_key(d, locale, charts, (portal.title, note_title, author, newer, older,
                                           web_file, v.editions, v.topics))
        kept = _kept(previous(name), key)
        if kept is not None:
            pages[name] = kept
            continue
        links = {t.label: f"../{TOPICS}/{t.slug}/{index}" for t in v.topics}
        note = day_note(d, locale, title=note_title, author=author, tag_links=links,
                        charts=charts, warn=warnings.append)
        sections = [(_("Insights"), v.insights), (_("Risks"), v.risks),
                    (_("Opportunities"), v.opportunities)]
        html = env.get_template("day.html").render(
            page=_page(locale, portal, "../"), v=v, note=note, page_key=key,
            note_css=css if note is not None else Markup(""), sections=sections,
            web_file=web_file, month_href=f"../{ARCHIVE}/{v.month}/{index}",
            month_label=month_name(v.month, locale), newer=newer, older=older,
        )
        pages[name] = html.encode()
        made += 1
    return pages, warnings, made


def build_site(days: list[Day], portal: PortalConfig, author: str, *,
               note_title: str = NOTE_TITLE,
               warn: Callable[[str], None] | None = None,
               previous: Callable[[str], bytes | None] | None = None,
               parallel: bool = True) -> dict[str, bytes]:
    """Every portal file by its path relative to the output folder. Nothing is written; the
    day folders' charts are read, and ``previous(name)`` gives a page as it is now, kept when
    what it is made from has not changed. ``parallel``: the day pages of each language in a
    process of its own (forked)."""
    from reporter.render.speed.fork import run_each

    def before(name: str) -> bytes | None:
        return previous(name) if previous else None

    done = run_each(
        lambda locale: _day_pages(days, locale, portal, author, note_title, before),
        list(PORTAL_LOCALES), key=lambda locale: locale, parallel=parallel and len(days) > 4)
    files: dict[str, bytes] = {}
    for locale in PORTAL_LOCALES:
        pages, warnings, _made = done[locale]
        files.update(pages)
        for w in warnings:
            if warn:
                warn(w)
        env = environment("portal", locale)
        _ = gettext_for("portal", locale)
        index = index_name(locale)
        views = [view(d, locale) for d in days]

        archive = months(views) if views else []
        for m in archive:
            files[f"{ARCHIVE}/{m.key}/{index}"] = env.get_template("listing.html").render(
                page=_page(locale, portal, "../../", "archive"), listing=m, kind="month",
                heading=_("Notes of %(month)s") % {"month": m.label},
            ).encode()
        files[f"{ARCHIVE}/{index}"] = env.get_template("archive.html").render(
            page=_page(locale, portal, "../", "archive"), months=archive,
        ).encode()
        tags = topics(views)
        for t in tags:
            files[f"{TOPICS}/{t.key}/{index}"] = env.get_template("listing.html").render(
                page=_page(locale, portal, "../../", "topics"), listing=t, kind="topic",
                heading=_("Topic: %(topic)s") % {"topic": t.label},
            ).encode()
        files[f"{TOPICS}/{index}"] = env.get_template("topics.html").render(
            page=_page(locale, portal, "../", "topics"), topics=tags,
        ).encode()
        files[f"{SEARCH}/{index}"] = env.get_template("search.html").render(
            page=_page(locale, portal, "../", "search"), pagefind=f"../{PAGEFIND}/pagefind.js",
        ).encode()

        files[index] = env.get_template("index.html").render(
            page=_page(locale, portal, "", "home"), latest=views[0] if views else None,
            recent=views[1:1 + portal.detailed_days], more=len(views) > 1 + portal.detailed_days,
            months=archive[:12], topics=tags[:12],
        ).encode()
        entries = []
        entry_tpl = env.get_template("_entry.html")
        for d, v in zip(days[: portal.feed_entries], views[: portal.feed_entries], strict=True):
            entries.append({
                "id": f"{portal.feed_id}/{locale}/{v.day}",
                "title": entry_title(v),
                "updated": close_time(v.day),
                "v": v,
                "html": str(entry_tpl.render(v=v)).strip(),
                "sizes": {e.file: (d.folder / e.file).stat().st_size for e in v.editions},
            })
        files[feed_name(locale)] = env.get_template("feed.xml").render(
            page=_page(locale, portal, ""), entries=entries, author=author,
            feed_id=f"{portal.feed_id}/{locale}", base_url=portal.base_url,
            updated=entries[0]["updated"] if entries else EPOCH,
        ).encode()
    return files


#: Sub-folders of the portal's own folders, by folder: only those are ever cleaned.
_OWN = {ARCHIVE: re.compile(r"\d{4}-\d{2}"), TOPICS: re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")}
#: What every portal page carries in its head: a page without it is not the portal's.
MARK = b'<meta name="generator" content="reporter portal">'


def _portal_folders(out: Path) -> list[Path]:
    """The folders the portal writes pages in besides the day folders."""
    found = []
    for name in (ARCHIVE, TOPICS, SEARCH):
        base = out / name
        if base.is_dir() and not base.is_symlink():
            found.append(base)
            if name in _OWN:
                found += [sub for sub in sorted(base.iterdir()) if sub.is_dir()
                          and not sub.is_symlink() and _OWN[name].fullmatch(sub.name)]
    return found


def _stale_pages(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Pages of months and topics the portal made earlier that no day leads to any more (only
    pages it made: named and marked as its own)."""
    names = {index_name(loc) for loc in PORTAL_LOCALES}
    stale = []
    for sub in _portal_folders(out):
        if sub.parent == out:
            continue
        for name in names:
            page = sub / name
            rel = f"{sub.parent.name}/{sub.name}/{name}"
            if rel in files or page.is_symlink() or not page.is_file():
                continue
            head = _read(page) or b""
            if MARK in head[:2048]:
                stale.append(page)
    return stale


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def publish(out: Path, cfg: Config | None = None, *, search: bool = True) -> PublishResult:
    """Build the portal in ``out`` from its day folders; only changed files are rewritten.
    ``search``: (re)build the search index when a day's page changed or it is missing."""
    from reporter import config as config_mod
    from reporter.deliver import locked, recover, sweep_temporary, write_atomic
    from reporter.errors import ConfigError, OutputError

    cfg = cfg or config_mod.load()
    if not out.exists():  # a mistyped --out: an empty site there would help nobody
        raise ConfigError(f"--out: no folder {out} (nothing to publish; run `reporter run "
                          f"--out {out}` first)")
    if not out.is_dir():
        raise OutputError(f"cannot build the portal in {out}: not a folder")
    # Writers of the output folder take turns: a day folder is never swapped mid-publish.
    with locked(out):
        recover(out)  # a day folder a killed run left parked is back before the scan
        days, warnings = scan(out)
        result = PublishResult(out=out, days=[d.day for d in days], warnings=warnings)
        files = build_site(days, cfg.portal, cfg.report.author, note_title=cfg.report.title,
                           warn=warnings.append, previous=lambda name: _read(out / name))
        for folder in (out, *(d.folder for d in days), *_portal_folders(out)):
            sweep_temporary(folder)  # pages a killed publish left half-made
        fronts = {index_name(loc) for loc in PORTAL_LOCALES}
        for name in sorted(files, key=lambda n: (n in fronts, n)):
            path = out / name
            data = files[name]
            try:
                if path.is_file() and path.read_bytes() == data:
                    continue
            except OSError:
                pass
            if not path.parent.is_dir():
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OutputError(f"cannot create {path.parent}: "
                                      f"{exc.strerror or exc}") from None
            write_atomic(path, data)
            result.written.append(name)
        for page in _stale_pages(out, files):
            page.unlink(missing_ok=True)
            result.removed.append(str(page.relative_to(out)))
            with contextlib.suppress(OSError):  # the other language's page is still there
                page.parent.rmdir()
        if search:
            from reporter.portal.search import build_index, index_is_current

            day_pages = [n for n in result.written if "/" in n and n.split("/")[0] in
                         result.days]
            if day_pages or result.removed or not index_is_current(out, result.days):
                problem = build_index(out, result.days)
                if problem:
                    result.warnings.append(problem)
                else:
                    result.indexed = True
    return result
