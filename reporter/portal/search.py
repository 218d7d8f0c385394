"""The portal's full-text search index, built by Pagefind from the day pages.

Pagefind (a Python package that ships its binary; the extended build segments Chinese) reads
the day pages, keeps only what is inside ``data-pagefind-body`` (the note; charts left out),
and writes a static index, split by the pages' language, that the search page queries in the
browser: no server-side code. It is written into a staging folder and then swapped in, so a
reader never sees half an index; the list of days it holds is kept beside it, so an unchanged
portal is not indexed again.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

#: The index's folder in the output folder.
PAGEFIND = "pagefind"

#: Seconds the indexer may take (a few thousand pages take well under a minute).
TIMEOUT = 300.0
#: What the index holds, beside it: one day per line.
DAYS_FILE = "reporter-days.txt"


def executable() -> str | None:
    """The Pagefind binary of the installed package (the extended build when present)."""
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            mod = __import__(module)
            return str(mod.get_executable())
        except (ImportError, FileNotFoundError):
            continue
    return None


def _days_text(days: Sequence[str]) -> str:
    return "".join(f"{d}\n" for d in sorted(days))


def index_is_current(out: Path, days: Sequence[str]) -> bool:
    """Whether ``out/pagefind`` exists and holds exactly these days."""
    try:
        return (out / PAGEFIND / DAYS_FILE).read_text("utf-8") == _days_text(days)
    except OSError:
        return False


def build_index(out: Path, days: Sequence[str]) -> str | None:
    """Index the day pages of ``out`` into ``out/pagefind``; None, or what went wrong (one
    line, for a warning: the portal itself is complete without its search).

    Pagefind reads a copy of the site made of the day pages alone (hard links where the file
    system allows): it never walks the rest of the output folder, and a day folder that is a
    link inside it is indexed like the others."""
    import shutil

    from reporter.deliver import replace_folder
    from reporter.vocabulary import LOCALES, page_suffix

    binary = executable()
    if binary is None:
        return "search index not built: the pagefind package is not installed"
    site = out / f".{PAGEFIND}-site.partial-{os.getpid()}"
    staging = out / f".{PAGEFIND}.partial-{os.getpid()}"
    cmd = [binary, "--site", str(site), "--output-path", str(staging), "--keep-index-url",
           "--exclude-selectors", "figure.chart", "--silent"]
    try:
        for day in days:
            (site / day).mkdir(parents=True)
            for locale in LOCALES:
                page = out / day / f"index{page_suffix(locale)}.html"
                if page.is_file():
                    try:
                        os.link(page, site / day / page.name)
                    except OSError:
                        shutil.copyfile(page, site / day / page.name)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            why = " ".join((done.stderr or done.stdout).split())[-300:]
            return f"search index not built: pagefind failed ({done.returncode}): {why}"
        (staging / DAYS_FILE).write_text(_days_text(days), "utf-8")
        replace_folder(staging, out / PAGEFIND)
    except subprocess.TimeoutExpired:
        return f"search index not built: pagefind took longer than {TIMEOUT:g} s"
    except OSError as exc:
        return f"search index not built: {exc.strerror or exc}"
    finally:
        for folder in (site, staging):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    return None
