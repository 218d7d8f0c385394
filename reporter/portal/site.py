"""The research portal: a static site kept in the output folder, built from its day folders.

``index.html`` (default language) and ``index.<lang>.html``, a page per day in the day folder,
and an Atom feed per language. Relative links only, inline CSS, no scripts: it works from any
static file server and from ``file://``. Pages are computed first, then each written atomically;
the front pages last, so they never link to a page that is not there yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporter.config import Config, PortalConfig
from reporter.i18n import N_, gettext_for
from reporter.i18n.jinja import environment
from reporter.portal.days import Day, DayView, scan, view
from reporter.vocabulary import LOCALES as PORTAL_LOCALES
from reporter.vocabulary import page_suffix

DEFAULT_TITLE = N_("Market Breadth Research")
ENTRY_TITLE = N_("Market breadth, %(date)s: %(tone)s")
#: A day's entry (and e-mail subject) is titled with its headline.
ENTRY_HEADLINE = N_("Market breadth, %(date)s — %(headline)s")
EPOCH = "1970-01-01T00:00:00Z"


@dataclass
class PublishResult:
    out: Path
    days: list[str] = field(default_factory=list)  # days on the portal, newest first
    written: list[str] = field(default_factory=list)  # files whose content changed
    warnings: list[str] = field(default_factory=list)


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
    if v.headline:
        return _(ENTRY_HEADLINE) % {"date": v.date_long, "headline": v.headline}
    return _(ENTRY_TITLE) % {"date": v.date_long, "tone": v.tone_label}


def _page(locale: str, portal: PortalConfig, root: str) -> dict[str, Any]:
    from babel import Locale

    _ = gettext_for("portal", locale)
    return {
        "locale": locale,
        "title": portal.title or _(DEFAULT_TITLE),
        "root": root,
        "index": index_name(locale),
        "feed": feed_name(locale),
        "languages": [
            {"locale": loc, "current": loc == locale, "href": index_name(loc),
             "name": Locale.parse(loc, sep="-").language_name}
            for loc in PORTAL_LOCALES
        ],
    }


def build_site(days: list[Day], portal: PortalConfig, author: str) -> dict[str, bytes]:
    """Every portal file by its path relative to the output folder. Pure: no I/O, no clock."""
    files: dict[str, bytes] = {}
    for locale in PORTAL_LOCALES:
        env = environment("portal", locale)
        _ = gettext_for("portal", locale)
        views = [view(d, locale) for d in days]
        for i, v in enumerate(views):
            sections = [(_("Insights"), v.insights), (_("Risks"), v.risks),
                        (_("Opportunities"), v.opportunities)]
            html = env.get_template("day.html").render(
                page=_page(locale, portal, "../"), v=v, sections=sections,
                newer=views[i - 1].day if i > 0 else None,
                older=views[i + 1].day if i + 1 < len(views) else None,
            )
            files[f"{v.day}/{index_name(locale)}"] = html.encode()
        cut = portal.detailed_days
        files[index_name(locale)] = env.get_template("index.html").render(
            page=_page(locale, portal, ""), detailed=views[:cut], older=views[cut:],
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


def publish(out: Path, cfg: Config | None = None) -> PublishResult:
    """Build the portal in ``out`` from its day folders; only changed files are rewritten."""
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
        files = build_site(days, cfg.portal, cfg.report.author)
        for folder in (out, *(d.folder for d in days)):
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
            write_atomic(path, data)
            result.written.append(name)
    return result
