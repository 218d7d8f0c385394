"""Sentences of the sector findings."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders(
    "sector_lead_defensive",
    "sector_lead_rate_sensitive",
    "sector_lead_cyclical",
    "sector_lead_growth",
)
def _sector_lead(w: Writer, f: Finding) -> str:
    sectors = w.items([w.sector_item(s["symbol"], s["return"]) for s in f.params["sectors"]])
    if f.id == "sector_lead_defensive":
        return w.gettext("Defensive sectors led: {sectors}, a risk-off tilt.").format(
            sectors=sectors
        )
    if f.id == "sector_lead_rate_sensitive":
        return w.gettext(
            "Rate-sensitive sectors led: {sectors}, the market is trading the rate outlook."
        ).format(sectors=sectors)
    if f.id == "sector_lead_cyclical":
        return w.gettext("Cyclical sectors led: {sectors}, a risk-on tilt.").format(
            sectors=sectors
        )
    return w.gettext("Growth sectors led: {sectors}, growth style in favor.").format(
        sectors=sectors
    )


@renders("sector_leadership_change")
def _sector_change(w: Writer, f: Finding) -> str:
    p = f.params
    return w.ngettext(
        "Sector leadership has rotated: {leader} ranks first month to date, while last month's "
        "leader {previous} now ranks {rank} of {total} sector.",
        "Sector leadership has rotated: {leader} ranks first month to date, while last month's "
        "leader {previous} now ranks {rank} of {total} sectors.",
        p["total"],
    ).format(
        leader=w.sector_item(p["leader"], p["leader_mtd"]),
        previous=w.sector_item(p["previous"], p["previous_return"]),
        rank=w.count(p["previous_rank"]),
        total=w.count(p["total"]),
    )


@renders("sector_laggard")
def _sector_laggard(w: Writer, f: Finding) -> str:
    p = f.params
    return w.ngettext(
        "{sector} ({symbol}) keeps lagging: {return_mtd} month to date and {return_ytd} year "
        "to date, ranking {rank_mtd} and {rank_ytd} of {total} sector.",
        "{sector} ({symbol}) keeps lagging: {return_mtd} month to date and {return_ytd} year "
        "to date, ranking {rank_mtd} and {rank_ytd} of {total} sectors.",
        p["total"],
    ).format(
        sector=w.sector(p["symbol"]),
        symbol=p["symbol"],
        return_mtd=w.spct(p["return_mtd"]),
        return_ytd=w.spct(p["return_ytd"]),
        rank_mtd=w.count(p["rank_mtd"]),
        rank_ytd=w.count(p["rank_ytd"]),
        total=w.count(p["total"]),
    )


@renders("sector_dispersion_high")
def _sector_dispersion(w: Writer, f: Finding) -> str:
    return w.gettext(
        "Sector returns diverged widely, with a standard deviation of {dispersion} percentage "
        "points: rotation is active."
    ).format(dispersion=w.pp(f.params["dispersion"]))


@renders("sector_sweep_up", "sector_sweep_down")
def _sector_sweep(w: Writer, f: Finding) -> str:
    p = f.params
    n, total = p["count"], p["total"]
    a = {"count": w.count(n), "total": w.count(total)}
    if f.id == "sector_sweep_up":
        if n == total:
            return w.ngettext(
                "All {total} sector rose: the advance was broad.",
                "All {total} sectors rose: the advance was broad.",
                total,
            ).format(**a)
        return w.gettext("{count} of {total} sectors rose: the advance was broad.").format(**a)
    if n == total:
        return w.ngettext(
            "All {total} sector fell: the selling was broad.",
            "All {total} sectors fell: the selling was broad.",
            total,
        ).format(**a)
    return w.gettext("{count} of {total} sectors fell: the selling was broad.").format(**a)
