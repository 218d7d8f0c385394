"""Sentences of the sector findings."""

from __future__ import annotations

from typing import Any

from reporter.i18n import shown_sign
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
    """Last month's figure is labelled as last month's; this month's rank and return beside.
    A new leader "leads" only with a gain month to date (as shown); at a loss it "has held up
    best"."""
    p = f.params
    a = {
        "leader": w.sector(p["leader"]),
        "leader_symbol": p["leader"],
        "leader_mtd": w.spct(p["leader_mtd"]),
        "previous": w.sector(p["previous"]),
        "previous_symbol": p["previous"],
        "previous_return": w.spct(p["previous_return"]),
        "rank": w.count(p["previous_rank"]),
        "total": w.count(p["total"]),
    }
    gain = shown_sign(p["leader_mtd"], 1, 100.0) > 0
    n = p["total"]
    if p.get("previous_mtd") is not None:
        a["previous_mtd"] = w.spct(p["previous_mtd"])
        if gain:
            return w.ngettext(
                "Sector leadership has rotated: {leader} ({leader_symbol}) leads month to date "
                "at {leader_mtd}, while last month's leader, {previous} ({previous_symbol}, "
                "{previous_return} last month), now ranks {rank} of {total} sector at "
                "{previous_mtd}.",
                "Sector leadership has rotated: {leader} ({leader_symbol}) leads month to date "
                "at {leader_mtd}, while last month's leader, {previous} ({previous_symbol}, "
                "{previous_return} last month), now ranks {rank} of {total} sectors at "
                "{previous_mtd}.",
                n,
            ).format(**a)
        return w.ngettext(
            "Sector leadership has rotated: with no sector up month to date, {leader} "
            "({leader_symbol}) has held up best at {leader_mtd}, while last month's leader, "
            "{previous} ({previous_symbol}, {previous_return} last month), now ranks {rank} of "
            "{total} sector at {previous_mtd}.",
            "Sector leadership has rotated: with no sector up month to date, {leader} "
            "({leader_symbol}) has held up best at {leader_mtd}, while last month's leader, "
            "{previous} ({previous_symbol}, {previous_return} last month), now ranks {rank} of "
            "{total} sectors at {previous_mtd}.",
            n,
        ).format(**a)
    if gain:
        return w.ngettext(
            "Sector leadership has rotated: {leader} ({leader_symbol}) leads month to date at "
            "{leader_mtd}, while last month's leader, {previous} ({previous_symbol}, "
            "{previous_return} last month), now ranks {rank} of {total} sector.",
            "Sector leadership has rotated: {leader} ({leader_symbol}) leads month to date at "
            "{leader_mtd}, while last month's leader, {previous} ({previous_symbol}, "
            "{previous_return} last month), now ranks {rank} of {total} sectors.",
            n,
        ).format(**a)
    return w.ngettext(
        "Sector leadership has rotated: with no sector up month to date, {leader} "
        "({leader_symbol}) has held up best at {leader_mtd}, while last month's leader, "
        "{previous} ({previous_symbol}, {previous_return} last month), now ranks {rank} of "
        "{total} sector.",
        "Sector leadership has rotated: with no sector up month to date, {leader} "
        "({leader_symbol}) has held up best at {leader_mtd}, while last month's leader, "
        "{previous} ({previous_symbol}, {previous_return} last month), now ranks {rank} of "
        "{total} sectors.",
        n,
    ).format(**a)


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


def _leader_item(w: Writer, x: dict[str, Any]) -> str:
    return w.gettext("{sector} ({symbol}, {change}; {pct} of members above the 50-day)").format(
        sector=w.sector(x["symbol"]), symbol=x["symbol"], change=w.spct(x["return"]),
        pct=w.pct(x["pct_50d"]))


@renders("sector_leaders")
def _sector_leaders(w: Writer, f: Finding) -> str:
    p = f.params
    trending = w.items([_leader_item(w, x) for x in p["trending"]])
    rebounding = w.items([_leader_item(w, x) for x in p["rebounding"]])
    if p["trending"] and p["rebounding"]:
        return w.gettext(
            "Of the day's leaders, these are trending, with most members above their 50-day "
            "average and the sector above a rising 50-day average: {trending}; these are "
            "rebounding, with most members still below it: {rebounding}."
        ).format(trending=trending, rebounding=rebounding)
    if p["trending"]:
        return w.ngettext(
            "The day's leader in a trend: {items}, with most members above their 50-day "
            "average and the sector above a rising 50-day average.",
            "The day's leaders are trending: {items}, with most members above their 50-day "
            "average and each sector above a rising 50-day average.",
            len(p["trending"]),
        ).format(items=trending)
    return w.ngettext(
        "The day's leader is rebounding rather than trending: {items}, with most members still "
        "below their 50-day average.",
        "The day's leaders are rebounding rather than trending: {items}, with most members "
        "still below their 50-day average.",
        len(p["rebounding"]),
    ).format(items=rebounding)


def _shift_item(w: Writer, x: dict[str, Any]) -> str:
    return w.gettext("{sector} ({change} points to {now})").format(
        sector=w.sector(x["symbol"]), change=w.spp(x["change"]), now=w.pct(x["now"]))


@renders("sector_shifts")
def _sector_shifts(w: Writer, f: Finding) -> str:
    p = f.params
    rises = w.items([_shift_item(w, x) for x in p["rises"]])
    falls = w.items([_shift_item(w, x) for x in p["falls"]])
    if p["rises"] and p["falls"]:
        return w.gettext(
            "The week's largest participation shifts, in the share of members above their "
            "50-day average: up in {rises}; down in {falls}."
        ).format(rises=rises, falls=falls)
    if p["rises"]:
        return w.gettext(
            "The week's largest participation shifts, in the share of members above their "
            "50-day average, were gains: {rises}."
        ).format(rises=rises)
    return w.gettext(
        "The week's largest participation shifts, in the share of members above their 50-day "
        "average, were losses: {falls}."
    ).format(falls=falls)


@renders("leader_rebounding", "leader_trending")
def _leader(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"sector": w.sector_item(p["symbol"], p["return"]), "pct": w.pct(p["pct_50d"]),
         "symbol": p["symbol"]}
    if f.id == "leader_rebounding":
        if p["led"]:
            return w.gettext(
                "{sector} led the day, but only {pct} of its members are above their 50-day "
                "average: leadership without participation, a rebound rather than a trend."
            ).format(**a)
        return w.gettext(
            "{sector} was among the day's leaders, but only {pct} of its members are above "
            "their 50-day average: a rebound rather than a trend."
        ).format(**a)
    if p["led"]:
        return w.gettext(
            "{sector} led the day with {pct} of its members above their 50-day average and the "
            "sector above a rising 50-day average: leadership with participation."
        ).format(**a)
    return w.gettext(
        "{sector} was among the day's leaders with {pct} of its members above their 50-day "
        "average and the sector above a rising 50-day average: a trend, not a bounce."
    ).format(**a)


@renders("sector_participation_slump", "sector_participation_surge")
def _participation_shift(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"sector": w.sector(p["symbol"]), "symbol": p["symbol"], "change": w.pp(p["change"]),
         "now": w.pct(p["now"])}
    if f.id == "sector_participation_slump":
        return w.gettext(
            "Participation in {sector} ({symbol}) collapsed: the share of its members above "
            "their 50-day average fell {change} points in five sessions to {now}."
        ).format(**a)
    return w.gettext(
        "Participation in {sector} ({symbol}) surged: the share of its members above their "
        "50-day average rose {change} points in five sessions to {now}."
    ).format(**a)


@renders("sector_strength", "sector_weakness")
def _sector_standing(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"sector": w.sector(p["symbol"]), "symbol": p["symbol"], "pct": w.pct(p["pct_50d"])}
    extreme = p.get("extreme", True)
    if f.id == "sector_strength" and extreme:
        return w.gettext(
            "{sector} ({symbol}) is the strongest sector by participation: {pct} of its members "
            "are above their 50-day average and the sector is above a rising 50-day average."
        ).format(**a)
    if f.id == "sector_strength":
        return w.gettext(
            "Participation in {sector} ({symbol}) is strong: {pct} of its members are above "
            "their 50-day average and the sector is above a rising 50-day average."
        ).format(**a)
    if extreme:
        return w.gettext(
            "{sector} ({symbol}) is the weakest sector by participation: only {pct} of its "
            "members are above their 50-day average and the sector is below a falling 50-day "
            "average."
        ).format(**a)
    return w.gettext(
        "Participation in {sector} ({symbol}) is thin: only {pct} of its members are above "
        "their 50-day average and the sector is below a falling 50-day average."
    ).format(**a)
