"""Sentences of the size rotation, concentration and valuation findings."""

from __future__ import annotations

from collections.abc import Callable

from reporter.i18n import shown_sign
from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders

#: (small caps lead, the leader rose today, "since" a date) -> the sentence, singular or plural
#: on the run's length. "In favor" / "in charge" only of a leader that rose; one that fell "held up
#: better".
RUNS: dict[tuple[bool, bool, bool], Callable[[Writer, int], str]] = {
    (True, True, True): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "since {since}: small caps are in favor.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "since {since}: small caps are in favor.",
        n),
    (False, True, True): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "since {since}: large caps stay in charge.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "since {since}: large caps stay in charge.",
        n),
    (True, True, False): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "in data since {first}: small caps are in favor.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "in data since {first}: small caps are in favor.",
        n),
    (False, True, False): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "in data since {first}: large caps stay in charge.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "in data since {first}: large caps stay in charge.",
        n),
    (True, False, True): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "since {since}; today it fell {change}, less than the {other}: small caps have held "
        "up better.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "since {since}; today it fell {change}, less than the {other}: small caps have held "
        "up better.",
        n),
    (False, False, True): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "since {since}; today it fell {change}, less than the {other}: large caps have held "
        "up better.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "since {since}; today it fell {change}, less than the {other}: large caps have held "
        "up better.",
        n),
    (True, False, False): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "in data since {first}; today it fell {change}, less than the {other}: small "
        "caps have held up better.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "in data since {first}; today it fell {change}, less than the {other}: small "
        "caps have held up better.",
        n),
    (False, False, False): lambda w, n: w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "in data since {first}; today it fell {change}, less than the {other}: large "
        "caps have held up better.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "in data since {first}; today it fell {change}, less than the {other}: large "
        "caps have held up better.",
        n),
}


@renders("size_run_small", "size_run_large")
def _size_run(w: Writer, f: Finding) -> str:
    """The run, the last run as long (or the data's start), and what it says of the leader:
    in favor / in charge when the leader rose today, held up better when it fell."""
    p = f.params
    n = p["length"]
    a = {"leader": w.index(p["leader"]), "other": w.index(p["other"]), "count": w.count(n)}
    ret = p.get("leader_return")
    rose = ret is None or shown_sign(ret, 1, 100.0) > 0
    if ret is not None and not rose:
        a["change"] = w.apct(ret)
    if p.get("since"):
        a["since"] = w.date(p["since"])
    else:
        a["first"] = w.month(p["first_session"])  # where the data, searched whole, begins
    return RUNS[(f.id == "size_run_small", rose, bool(p.get("since")))](w, n).format(**a)


@renders("size_gap_ytd_small", "size_gap_ytd_large")
def _size_gap(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "small": w.index(p["small"]),
        "large": w.index(p["large"]),
        "small_ytd": w.spct(p["small_ytd"]),
        "large_ytd": w.spct(p["large_ytd"]),
        "spread": w.pp(p["spread"]),
    }
    if f.id == "size_gap_ytd_small":
        return w.gettext(
            "Year to date the {small} has returned {small_ytd} against {large_ytd} for the "
            "{large}: small caps lead by {spread} percentage points."
        ).format(**a)
    return w.gettext(
        "Year to date the {small} has returned {small_ytd} against {large_ytd} for the "
        "{large}: small caps trail by {spread} percentage points."
    ).format(**a)


@renders("concentration", "broadening")
def _mega(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"mega": p["mega"], "equal": p["equal"], "spread": w.pp(p["spread_mtd"])}
    if p.get("against") is not None:  # the year the other way round
        a["other"] = w.pp(p["against"])
        if f.id == "concentration":
            return w.gettext(
                "Mega caps ({mega}) have beaten the equal-weight S&P 500 ({equal}) by {spread} "
                "percentage points month to date, though they trail it by {other} points year "
                "to date: concentration is a watch item, not yet the trend."
            ).format(**a)
        return w.gettext(
            "The equal-weight S&P 500 ({equal}) has beaten mega caps ({mega}) by {spread} "
            "percentage points month to date, though it trails them by {other} points year to "
            "date: broadening has begun but is not yet the trend."
        ).format(**a)
    if f.id == "concentration":
        return w.gettext(
            "Mega caps ({mega}) have beaten the equal-weight S&P 500 ({equal}) by {spread} "
            "percentage points month to date: leadership rests on a handful of heavyweights."
        ).format(**a)
    return w.gettext(
        "The equal-weight S&P 500 ({equal}) has beaten mega caps ({mega}) by {spread} "
        "percentage points month to date: participation is broadening beyond the largest stocks."
    ).format(**a)


@renders("valuation_discount")
def _valuation(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "Small caps trade at a discount: {small} at {small_pe} times trailing earnings against "
        "{large_pe} for {large}, {discount} cheaper (as of {date})."
    ).format(
        small=p["small"],
        large=p["large"],
        small_pe=w.one(p["small_pe"]),
        large_pe=w.one(p["large_pe"]),
        discount=w.apct(p["discount"]),
        date=w.date(p["date"]),
    )


@renders("concentration_ytd", "broadening_ytd")
def _mega_ytd(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"mega": p["mega"], "equal": p["equal"], "spread": w.pp(p["spread_ytd"])}
    if p.get("against") is not None:  # the month the other way round
        a["other"] = w.pp(p["against"])
        if f.id == "concentration_ytd":
            return w.gettext(
                "Year to date, mega caps ({mega}) have beaten the equal-weight S&P 500 ({equal}) "
                "by {spread} percentage points, though this month the equal-weight index leads "
                "by {other}: the index's gains lean on its largest stocks, less so lately."
            ).format(**a)
        return w.gettext(
            "Year to date, the equal-weight S&P 500 ({equal}) has beaten mega caps ({mega}) by "
            "{spread} percentage points, though this month mega caps lead by {other}: the "
            "typical stock is pulling its weight, less so lately."
        ).format(**a)
    if f.id == "concentration_ytd":
        return w.gettext(
            "Year to date, mega caps ({mega}) have beaten the equal-weight S&P 500 ({equal}) by "
            "{spread} percentage points: the index's gains lean on its largest stocks."
        ).format(**a)
    return w.gettext(
        "Year to date, the equal-weight S&P 500 ({equal}) has beaten mega caps ({mega}) by "
        "{spread} percentage points: the typical stock is pulling its weight."
    ).format(**a)
