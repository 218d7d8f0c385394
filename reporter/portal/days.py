"""The day folders of an output folder, and what a reader sees of each day, per locale.

Shared by the portal pages, the feed and the e-mail so they always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporter import i18n
from reporter.errors import DataError
from reporter.model import RenderedText
from reporter.portal import texts
from reporter.vocabulary import (
    EDITION_LABELS,
    EDITIONS,
    INDICES,
    LOCALES,
    MARKET_COLORS,
    REPORT_JSON,
    SOURCE_LOCALE,
    TONES,
    pdf_file_name,
)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Day:
    """One day folder with a readable report.json."""

    day: str
    folder: Path
    report: dict[str, Any]
    editions: tuple[str, ...]  # editions whose PDF is present, in EDITIONS order
    texts: dict[str, RenderedText] = field(default_factory=dict)  # empty: no localised text
    digest: str = ""  # of report.json's bytes: its pages are made anew when it changes

    @property
    def is_sample(self) -> bool:
        source = self.report.get("source")
        return bool(isinstance(source, dict) and source.get("is_sample"))


@dataclass(frozen=True)
class IndexRow:
    symbol: str
    name: str
    close: str
    changes: tuple[tuple[str, str], ...]  # (formatted return, direction) for 1D, MTD, YTD


@dataclass(frozen=True)
class EditionLink:
    edition: str
    label: str
    file: str


@dataclass(frozen=True)
class Topic:
    """A topic tag as shown, and the name of its page (from its English label, so the page of
    a topic is the same in both languages and on every day)."""

    label: str
    slug: str


@dataclass(frozen=True)
class DayView:
    """A day as a reader of ``locale`` sees it: every string already localised."""

    locale: str
    day: str
    date_long: str
    tone: str  # positive | neutral | negative | "" (unknown), for styling
    tone_label: str
    key_points: tuple[str, ...]
    insights: tuple[str, ...]
    risks: tuple[str, ...]
    opportunities: tuple[str, ...]
    tags: tuple[str, ...]
    indices: tuple[IndexRow, ...]
    editions: tuple[EditionLink, ...]
    is_sample: bool
    colours: dict[str, str]
    headline: str | None = None
    summary: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()  # the tags that have a page

    @property
    def summary_text(self) -> str:
        """The summary as one paragraph, its sentences joined as the language writes them (a
        space in English, none in Chinese)."""
        if not self.summary:
            return ""
        # the note's own pattern for two sentences in a row
        pattern = i18n.gettext_for("messages", self.locale)("%(first)s %(second)s")
        text = self.summary[0]
        for sentence in self.summary[1:]:
            text = pattern % {"first": text, "second": sentence}
        return text

    @property
    def month(self) -> str:
        """``2025-12``: the month of the archive that lists the day."""
        return self.day[:7]

    @property
    def lead(self) -> str:
        """One line that says what the day was about: the headline, else the first key point,
        else the tone."""
        return self.headline or (self.key_points[0] if self.key_points else self.tone_label)


def is_day_name(name: str) -> bool:
    if not _DAY.fullmatch(name):
        return False
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True


def load_day(folder: Path) -> Day:
    """Read a day folder; DataError naming the file when its report.json is unusable (not a
    regular file, not JSON, nested too deeply to read, not a report of that day)."""
    from reporter import files

    path = folder / REPORT_JSON
    try:
        raw = files.read_bytes(path)
        report = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: missing") from None
    except RecursionError:
        raise DataError(f"{path}: not readable JSON (nested too deeply)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: JSONDecodeError too
        raise DataError(f"{path}: not readable JSON ({' '.join(str(exc).split())})") from None
    if not isinstance(report, dict):
        raise DataError(f"{path}: expected a JSON object")
    if report.get("as_of") != folder.name:
        raise DataError(f"{path}: as_of is {report.get('as_of')!r}, not the folder's date")
    present = tuple(e for e in EDITIONS if (folder / pdf_file_name(folder.name, e)).is_file())
    return Day(day=folder.name, folder=folder, report=report, editions=present,
               digest=hashlib.sha256(raw).hexdigest())


def with_texts(day: Day, warnings: list[str]) -> Day:
    """The day with its localised sentences; without them (and a warning) if they fail."""
    try:
        found = texts.day_texts(day.report)
    except Exception as exc:  # another stage's code: degrade to figures, never lose the day
        warnings.append(f"{day.day}: no localised text ({type(exc).__name__}: {exc})")
        return day
    return Day(day.day, day.folder, day.report, day.editions, dict(found), day.digest)


def _outside(folder: Path, out: Path) -> bool:
    """Whether a day folder is a symbolic link that leads out of the output folder (the
    portal writes pages into each day folder: never through such a link)."""
    if not folder.is_symlink():
        return False
    return not folder.resolve().is_relative_to(out.resolve())


def scan(out: Path) -> tuple[list[Day], list[str]]:
    """Every usable day folder in ``out``, newest first, and a warning per folder skipped."""
    warnings: list[str] = []
    days: list[Day] = []
    if not out.is_dir():
        return days, warnings
    for folder in sorted((p for p in out.iterdir() if p.is_dir() and is_day_name(p.name)),
                         key=lambda p: p.name, reverse=True):
        if _outside(folder, out):
            warnings.append(f"skipped {folder.name}: a symbolic link to a folder outside "
                            f"{out}; the portal writes only inside the output folder")
            continue
        try:
            day = with_texts(load_day(folder), warnings)
            for locale in LOCALES:  # a report whose figures cannot be shown
                view(day, locale)
        except DataError as exc:
            warnings.append(f"skipped {folder.name}: {exc}")
            continue
        except Exception as exc:  # one odd report must not stop the portal
            warnings.append(f"skipped {folder.name}: its report.json cannot be shown "
                            f"({type(exc).__name__})")
            continue
        days.append(day)
    return days, warnings


def find_day(out: Path, date: str) -> tuple[Day, list[str]]:
    """The day folder for ``date`` (YYYY-MM-DD or ``latest``) with its texts, and warnings.
    A missing output folder is an argument error; a missing report, a data error."""
    from reporter.errors import ConfigError

    if not out.is_dir():
        raise ConfigError(f"--out: no folder {out} (run `reporter run --out {out}` first)")
    if date == "latest":
        names = sorted((p.name for p in out.iterdir() if p.is_dir() and is_day_name(p.name)),
                       reverse=True)
        usable = [n for n in names if (out / n / REPORT_JSON).is_file()]
        if not usable:
            raise DataError(f"no report in {out} (run `reporter run --out {out}` first)")
        date = usable[0]
    folder = out / date
    if not (folder / REPORT_JSON).is_file():
        raise DataError(f"no report for {date} in {out} (run `reporter run --date {date}`)")
    warnings: list[str] = []
    return with_texts(load_day(folder), warnings), warnings


def view(day: Day, locale: str) -> DayView:
    """Everything a reader of ``locale`` sees of ``day``, localised and formatted."""
    _ = i18n.gettext_for("portal", locale)
    text = day.texts.get(locale)
    given = day.report.get("tone")
    tone = given if isinstance(given, str) and given in TONES else ""
    tone_label = text.tone_label if text else (_(TONES[tone]) if tone else i18n.MISSING)
    rows = []
    indices = day.report.get("indices")
    for symbol, fig in (indices.items() if isinstance(indices, dict) else ()):
        if not isinstance(fig, dict):
            continue
        name = _(INDICES[symbol].name) if symbol in INDICES else symbol
        changes = tuple(
            (i18n.format_percent(fig.get(k), locale, 2, signed=True),
             i18n.direction(fig.get(k), 2, 100.0))
            for k in ("return_1d", "return_mtd", "return_ytd")
        )
        rows.append(IndexRow(symbol, name, i18n.format_number(fig.get("close"), locale, 2),
                             changes))
    links = tuple(
        EditionLink(e, _(EDITION_LABELS[e]), pdf_file_name(day.day, e)) for e in day.editions
    )
    colors = MARKET_COLORS[locale]
    english = day.texts.get(SOURCE_LOCALE)
    topics: tuple[Topic, ...] = ()
    if text and english and len(english.tags) == len(text.tags):
        topics = tuple(Topic(label, slug) for label, en in zip(text.tags, english.tags,
                                                                strict=True)
                       if (slug := topic_slug(en)))
    return DayView(
        locale=locale,
        day=day.day,
        date_long=i18n.format_date_long(day.day, locale),
        tone=tone,
        tone_label=tone_label,
        key_points=text.key_points if text else (),
        insights=text.insights if text else (),
        risks=text.risks if text else (),
        opportunities=text.opportunities if text else (),
        tags=text.tags if text else (),
        indices=tuple(rows),
        editions=links,
        is_sample=day.is_sample,
        colours={"up": colors.up, "down": colors.down, "flat": colors.flat, "none": colors.flat},
        headline=text.headline if text else None,
        summary=text.summary if text else (),
        topics=topics,
    )


def topic_slug(english: str) -> str:
    """``Small-cap rotation`` -> ``small-cap-rotation``: a safe folder name, "" if none."""
    return re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")[:60]
