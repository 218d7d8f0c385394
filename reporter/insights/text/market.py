"""Sentences about the index over the month."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("mtd_up", "mtd_down")
def _mtd(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "mtd": w.apct(p["return_mtd"])}
    prev = p.get("return_prev_month")
    if prev is None:
        if f.id == "mtd_up":
            return w.gettext("The {index} is up {mtd} month to date.").format(**a)
        return w.gettext("The {index} is down {mtd} month to date.").format(**a)
    a["prev"] = w.spct(prev)
    if f.id == "mtd_up":
        return w.gettext(
            "The {index} is up {mtd} month to date, after {prev} last month."
        ).format(**a)
    return w.gettext("The {index} is down {mtd} month to date, after {prev} last month.").format(
        **a
    )
