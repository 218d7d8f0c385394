"""Sentences of the narrative: the headline (one per story), the summary and the week.

A headline states the story, the day's key figure and, when history makes it notable, how
rare the move was: "its biggest gain since {since}", or, when nothing in the data was as
large, "in data since {start}" (the month the series begins).
"""

from __future__ import annotations

from typing import Any

from reporter.i18n import N_
from reporter.insights.findings import Finding
from reporter.insights.text.triggers import view_sentence
from reporter.insights.text.writer import Writer, renders
from reporter.vocabulary import HEADLINE_INDICES

# --- headlines ------------------------------------------------------------------------------------

#: story -> (plain, biggest since a date, biggest in the data): whole sentences.
HEADLINES: dict[str, tuple[str, str, str]] = {
    "broad_rally": (
        N_("Broad rally: the {index} rose {change} and {advancers} of {members} S&P 500 members "
           "advanced."),
        N_("Broad rally: the {index} rose {change}, its biggest gain since {since}, and "
           "{advancers} of {members} S&P 500 members advanced."),
        N_("Broad rally: the {index} rose {change}, its biggest gain in data since "
           "{start}, and {advancers} of {members} S&P 500 members advanced."),
    ),
    "narrow_rally": (
        N_("Narrow rally: the {index} rose {change}, but only {advancers} of {members} S&P 500 "
           "members advanced."),
        N_("Narrow rally: the {index} rose {change}, its biggest gain since {since}, but only "
           "{advancers} of {members} S&P 500 members advanced."),
        N_("Narrow rally: the {index} rose {change}, its biggest gain in data since "
           "{start}, but only {advancers} of {members} S&P 500 members advanced."),
    ),
    "breadth_thrust": (
        N_("Breadth thrust: the {index} rose {change}, {advancers} of {members} S&P 500 members "
           "advanced and {share} of their volume went into rising stocks."),
        N_("Breadth thrust: the {index} rose {change}, its biggest gain since {since}, as "
           "{advancers} of {members} S&P 500 members advanced and {share} of their volume went "
           "into rising stocks."),
        N_("Breadth thrust: the {index} rose {change}, its biggest gain in data since "
           "{start}, as {advancers} of {members} S&P 500 members advanced and {share} of their "
           "volume went into rising stocks."),
    ),
    "broad_selloff": (
        N_("Broad sell-off: the {index} fell {change} and {decliners} of {members} S&P 500 "
           "members declined."),
        N_("Broad sell-off: the {index} fell {change}, its steepest fall since {since}, and "
           "{decliners} of {members} S&P 500 members declined."),
        N_("Broad sell-off: the {index} fell {change}, its steepest fall in data since "
           "{start}, and {decliners} of {members} S&P 500 members declined."),
    ),
    "capitulation": (
        N_("Capitulation-style selling: the {index} fell {change} and {decliners} of {members} "
           "S&P 500 members declined, on volume {volume} times its 20-day average with {share} "
           "of it in falling stocks."),
        N_("Capitulation-style selling: the {index} fell {change}, its steepest fall since "
           "{since}, as {decliners} of {members} S&P 500 members declined on volume {volume} "
           "times its 20-day average, {share} of it in falling stocks."),
        N_("Capitulation-style selling: the {index} fell {change}, its steepest fall in data "
           "since {start}, as {decliners} of {members} S&P 500 members declined on "
           "volume {volume} times its 20-day average, {share} of it in falling stocks."),
    ),
    "narrow_selloff": (
        N_("Heavyweights weighed: the {index} fell {change}, yet {advancers} of {members} "
           "S&P 500 members rose."),
        N_("Heavyweights weighed: the {index} fell {change}, its steepest fall since {since}, "
           "yet {advancers} of {members} S&P 500 members rose."),
        N_("Heavyweights weighed: the {index} fell {change}, its steepest fall in data since "
           "{start}, yet {advancers} of {members} S&P 500 members rose."),
    ),
    "mixed_gain": (
        N_("Uneven advance: the {index} rose {change}, with {advancers} of {members} S&P 500 "
           "members up."),
        N_("Uneven advance: the {index} rose {change}, its biggest gain since {since}, with "
           "{advancers} of {members} S&P 500 members up."),
        N_("Uneven advance: the {index} rose {change}, its biggest gain in data since "
           "{start}, with {advancers} of {members} S&P 500 members up."),
    ),
    "mixed_loss": (
        N_("Uneven decline: the {index} fell {change}, with {decliners} of {members} S&P 500 "
           "members down."),
        N_("Uneven decline: the {index} fell {change}, its steepest fall since {since}, with "
           "{decliners} of {members} S&P 500 members down."),
        N_("Uneven decline: the {index} fell {change}, its steepest fall in data since "
           "{start}, with {decliners} of {members} S&P 500 members down."),
    ),
}

#: A broad sell-off that did not reach nearly every stock (the story's ``sweeping`` false):
#: "most stocks fell" (多数下跌), never "broad" (普跌); plain, since, in the data.
MOST_FELL = (
    N_("Most stocks fell: the {index} lost {change}, and {decliners} of {members} S&P 500 "
       "members declined."),
    N_("Most stocks fell: the {index} lost {change}, its steepest fall since {since}, and "
       "{decliners} of {members} S&P 500 members declined."),
    N_("Most stocks fell: the {index} lost {change}, its steepest fall in data since "
       "{start}, and {decliners} of {members} S&P 500 members declined."),
)


#: A broad rally that did not reach nearly every stock: "most stocks rose" (多数上涨).
MOST_ROSE = (
    N_("Most stocks rose: the {index} gained {change}, and {advancers} of {members} S&P 500 "
       "members advanced."),
    N_("Most stocks rose: the {index} gained {change}, its biggest gain since {since}, and "
       "{advancers} of {members} S&P 500 members advanced."),
    N_("Most stocks rose: the {index} gained {change}, its biggest gain in data since "
       "{start}, and {advancers} of {members} S&P 500 members advanced."),
)
#: A sweeping day on a small move (the story's ``sharp`` false): broad, but no "sell-off" or
#: "rally" (a -0.7% session is not one however many stocks fell); plain, since, in the data.
BROAD_DECLINE = (
    N_("Broad decline: the {index} fell {change} and {decliners} of {members} S&P 500 "
       "members declined."),
    N_("Broad decline: the {index} fell {change}, its steepest fall since {since}, and "
       "{decliners} of {members} S&P 500 members declined."),
    N_("Broad decline: the {index} fell {change}, its steepest fall in data since "
       "{start}, and {decliners} of {members} S&P 500 members declined."),
)
BROAD_ADVANCE = (
    N_("Broad advance: the {index} rose {change} and {advancers} of {members} S&P 500 "
       "members advanced."),
    N_("Broad advance: the {index} rose {change}, its biggest gain since {since}, and "
       "{advancers} of {members} S&P 500 members advanced."),
    N_("Broad advance: the {index} rose {change}, its biggest gain in data since "
       "{start}, and {advancers} of {members} S&P 500 members advanced."),
)
MILD = {"broad_selloff": BROAD_DECLINE, "broad_rally": BROAD_ADVANCE}
MILD_NAMES = {"broad_selloff": N_("Broad decline"), "broad_rally": N_("Broad advance")}
#: The milder forms of the two broad stories, by story.
MOSTLY = {"broad_selloff": MOST_FELL, "broad_rally": MOST_ROSE}
MOSTLY_NAMES = {"broad_selloff": N_("Most stocks fell"), "broad_rally": N_("Most stocks rose")}
MOSTLY_MEANING = {
    "broad_selloff": N_("The decline reached most stocks but not nearly all; {pct50} of "
                        "members remain above their 50-day average."),
    "broad_rally": N_("The advance reached most stocks but not nearly all; {pct50} of members "
                      "stand above their 50-day average."),
}


#: A breadth thrust by volume alone, without Zweig's signal today: the note's method defines a
#: breadth thrust as Zweig's, so this day is named for what it was, one-sided (一边倒上涨).
ONE_SIDED = (
    N_("One-sided rally: the {index} rose {change}, {advancers} of {members} S&P 500 members "
       "advanced and {share} of their volume went into rising stocks."),
    N_("One-sided rally: the {index} rose {change}, its biggest gain since {since}, as "
       "{advancers} of {members} S&P 500 members advanced and {share} of their volume went "
       "into rising stocks."),
    N_("One-sided rally: the {index} rose {change}, its biggest gain in data since "
       "{start}, as {advancers} of {members} S&P 500 members advanced and {share} of their "
       "volume went into rising stocks."),
)
ONE_SIDED_NAME = N_("One-sided rally")


def _mostly(p: dict[str, Any], story: str | None = None) -> str | None:
    """The broad story (``MOSTLY``) of a day that did not reach nearly every stock, to be
    worded "most stocks fell / rose"; None for a sweeping day or another story."""
    sid = story or p.get("story")
    return sid if sid in MOSTLY and p.get("sweeping") is False else None


def _mild(p: dict[str, Any], story: str | None = None) -> str | None:
    """The broad story (``MILD``) of a sweeping day on a small move, to be worded "broad
    decline / advance", not "sell-off / rally"; None otherwise."""
    sid = story or p.get("story")
    return sid if sid in MILD and p.get("sharp") is False and not _mostly(p, sid) else None


def _one_sided(p: dict[str, Any], story: str | None = None) -> bool:
    """A ``breadth_thrust`` day on which Zweig's breadth thrust did not fire (``ONE_SIDED``)."""
    return (story or p.get("story")) == "breadth_thrust" and p.get("zweig_today") is False


#: Size rotation under a flat index: small caps ahead / behind; plain, since, in the data.
SIZE = {
    True: (
        N_("Small caps ahead under a flat index: the {small} ({small_change}) beat the {index} "
           "({change}) by {spread} percentage points."),
        N_("Small caps ahead under a flat index: the {small} ({small_change}) beat the {index} "
           "({change}) by {spread} percentage points, the widest such lead since {since}."),
        N_("Small caps ahead under a flat index: the {small} ({small_change}) beat the {index} "
           "({change}) by {spread} percentage points, the widest such lead in data since "
           "{start}."),
    ),
    False: (
        N_("Large caps ahead under a flat index: the {small} ({small_change}) trailed the "
           "{index} ({change}) by {spread} percentage points."),
        N_("Large caps ahead under a flat index: the {small} ({small_change}) trailed the "
           "{index} ({change}) by {spread} percentage points, the widest such gap since "
           "{since}."),
        N_("Large caps ahead under a flat index: the {small} ({small_change}) trailed the "
           "{index} ({change}) by {spread} percentage points, the widest such gap in data since "
           "{start}."),
    ),
}


def _context(w: Writer, p: dict[str, Any]) -> tuple[int, dict[str, str]]:
    """Which of the three forms (plain, since, in the data) and its placeholders."""
    ctx = p.get("context")
    if not ctx:
        return 0, {}
    if ctx.get("record"):
        return 2, {"start": w.month(ctx["history_start"])}
    return 1, {"since": w.date(ctx["since"])}


def _base(w: Writer, p: dict[str, Any]) -> dict[str, str]:
    a = {"index": w.index(p["symbol"]), "change": w.apct(p["return_1d"])}
    for key in ("advancers", "decliners", "members"):
        if p.get(key) is not None:
            a[key] = w.count(p[key])
    return a


@renders(*(f"headline_{s}" for s in HEADLINES))
def _headline(w: Writer, f: Finding) -> str:
    p = f.params
    form, extra = _context(w, p)
    a = _base(w, p) | extra
    share = p.get("up_volume_share")
    if share is not None:
        a["share"] = w.pct(share if p["return_1d"] > 0 else 1 - share)
    if p.get("volume_vs_20d") is not None:
        a["volume"] = w.two(p["volume_vs_20d"])
    mostly, mild = _mostly(p), _mild(p)
    forms = (MOSTLY[mostly] if mostly else MILD[mild] if mild else ONE_SIDED if _one_sided(p)
             else HEADLINES[p["story"]])
    return w.gettext(forms[form]).format(**a)


@renders("headline_relief_rally")
def _headline_relief(w: Writer, f: Finding) -> str:
    """The relief rally names the slide it answers (plural forms on its number of sessions)."""
    p = f.params
    form, extra = _context(w, p)
    n = int(p["slide_sessions"])
    a = _base(w, p) | extra | {"drop": w.apct(p["slide_return"]), "count": w.count(n)}
    if form == 1:
        return w.ngettext(
            "Relief rally: the {index} rebounded {change}, its biggest gain since {since}, "
            "after falling {drop} over the previous {count} session; {advancers} of {members} "
            "S&P 500 members advanced.",
            "Relief rally: the {index} rebounded {change}, its biggest gain since {since}, "
            "after falling {drop} over the previous {count} sessions; {advancers} of {members} "
            "S&P 500 members advanced.",
            n,
        ).format(**a)
    if form == 2:
        return w.ngettext(
            "Relief rally: the {index} rebounded {change}, its biggest gain in data since "
            "{start}, after falling {drop} over the previous {count} session; {advancers} of "
            "{members} S&P 500 members advanced.",
            "Relief rally: the {index} rebounded {change}, its biggest gain in data since "
            "{start}, after falling {drop} over the previous {count} sessions; {advancers} "
            "of {members} S&P 500 members advanced.",
            n,
        ).format(**a)
    return w.ngettext(
        "Relief rally: the {index} rebounded {change} after falling {drop} over the previous "
        "{count} session; {advancers} of {members} S&P 500 members advanced.",
        "Relief rally: the {index} rebounded {change} after falling {drop} over the previous "
        "{count} sessions; {advancers} of {members} S&P 500 members advanced.",
        n,
    ).format(**a)


@renders("headline_size_rotation")
def _headline_size(w: Writer, f: Finding) -> str:
    p = f.params
    form, extra = _context(w, p)
    a = {"index": w.index(p["symbol"]), "change": w.spct(p["return_1d"]),
         "small": w.index(p["small"]), "small_change": w.spct(p["small_return"]),
         "spread": w.pp(p["spread_1d"])} | extra
    return w.gettext(SIZE[p["spread_1d"] > 0][form]).format(**a)


@renders("headline_sector_rotation")
def _headline_sectors(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "Sector rotation under a flat index: the {index} was little changed ({change}) while "
        "{best} and {worst} ended {spread} percentage points apart."
    ).format(index=w.index(p["symbol"]), change=w.spct(p["return_1d"]),
             best=w.sector_item(p["best"], p["best_return"]),
             worst=w.sector_item(p["worst"], p["worst_return"]),
             spread=w.pp(p["best_return"] - p["worst_return"]))


@renders("headline_divergence_up", "headline_divergence_down")
def _headline_divergence(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "move": w.apct(p["return_5d"]),
         "before": w.pct(p["pct_50d_before"]), "now": w.pct(p["pct_50d"])}
    if f.id == "headline_divergence_up":
        return w.gettext(
            "Index up, participation down: the {index} has gained {move} over five sessions "
            "while the share of S&P 500 members above their 50-day average fell from {before} "
            "to {now}."
        ).format(**a)
    return w.gettext(
        "Participation improving under a falling index: the {index} has lost {move} over five "
        "sessions while the share of S&P 500 members above their 50-day average rose from "
        "{before} to {now}."
    ).format(**a)


@renders("headline_quiet")
def _headline_quiet(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "Quiet session: the {index} was little changed ({change}) at {close}, with {advancers} "
        "S&P 500 members up and {decliners} down."
    ).format(index=w.index(p["symbol"]), change=w.spct(p["return_1d"]),
             close=w.level(p["close"]), advancers=w.count(p["advancers"]),
             decliners=w.count(p["decliners"]))


#: The stories' names, as a topic line shows them.
STORY_NAMES = {
    "capitulation": N_("Capitulation-style selling"),
    "breadth_thrust": N_("Breadth thrust"),
    "relief_rally": N_("Relief rally"),
    "broad_selloff": N_("Broad sell-off"),
    "broad_rally": N_("Broad rally"),
    "narrow_rally": N_("Narrow rally"),
    "narrow_selloff": N_("Heavyweights weighed"),
    "size_rotation": N_("Size rotation"),
    "sector_rotation": N_("Sector rotation"),
    "divergence_up": N_("Index up, participation down"),
    "divergence_down": N_("Participation improving"),
    "mixed_gain": N_("Uneven advance"),
    "mixed_loss": N_("Uneven decline"),
    "quiet": N_("Quiet session"),
}


@renders(*STORY_NAMES)
def _story(w: Writer, f: Finding) -> str:
    mostly, mild = _mostly(f.params, f.id), _mild(f.params, f.id)
    if mostly:
        return w.gettext(MOSTLY_NAMES[mostly])
    if mild:
        return w.gettext(MILD_NAMES[mild])
    return w.gettext(ONE_SIDED_NAME if _one_sided(f.params, f.id) else STORY_NAMES[f.id])


# --- the summary ----------------------------------------------------------------------------------


def _moves(w: Writer, returns: dict[str, float]) -> str:
    return w.items([
        w.gettext("{index} {change}").format(index=w.index(s), change=w.spct(returns[s]))
        for s in HEADLINE_INDICES if s in returns
    ])


@renders("summary_indices")
def _summary_indices(w: Writer, f: Finding) -> str:
    p = f.params
    moves = _moves(w, p["returns"])
    if p["pattern"] == "up":
        said = w.gettext("All four indices rose: {moves}.").format(moves=moves)
    elif p["pattern"] == "down":
        said = w.gettext("All four indices fell: {moves}.").format(moves=moves)
    else:
        said = w.gettext("The indices went different ways: {moves}.").format(moves=moves)
    if p.get("year_returns"):  # the last session of the year
        said += w.gettext(" For the year {year}: {moves}.").format(
            year=p["year"], moves=_moves(w, p["year_returns"]))
    return said


BREADTH = {
    "plain": N_("{advancers} of {members} S&P 500 members rose and {decliners} fell; up volume "
                "was {share} of the total, and {pct50} of members stand above their 50-day "
                "average ({pct200} above the 200-day)."),
    "up_since": N_("{advancers} of {members} S&P 500 members rose and {decliners} fell, the "
                   "most net advances since {since}; up volume was {share} of the total, and "
                   "{pct50} of members stand above their 50-day average ({pct200} above the "
                   "200-day)."),
    "up_record": N_("{advancers} of {members} S&P 500 members rose and {decliners} fell, the "
                    "most net advances in member data since {start}; up volume was "
                    "{share} of the total, and {pct50} of members stand above their 50-day "
                    "average ({pct200} above the 200-day)."),
    "down_since": N_("{advancers} of {members} S&P 500 members rose and {decliners} fell, the "
                     "most net declines since {since}; up volume was {share} of the total, and "
                     "{pct50} of members stand above their 50-day average ({pct200} above the "
                     "200-day)."),
    "down_record": N_("{advancers} of {members} S&P 500 members rose and {decliners} fell, the "
                      "most net declines in member data since {start}; up volume was "
                      "{share} of the total, and {pct50} of members stand above their 50-day "
                      "average ({pct200} above the 200-day)."),
}


@renders("summary_breadth")
def _summary_breadth(w: Writer, f: Finding) -> str:
    p = f.params
    form, extra = _context(w, p)
    key = "plain" if form == 0 else ("up_" if p["net_advances"] > 0 else "down_") + (
        "since" if form == 1 else "record")
    return w.gettext(BREADTH[key]).format(
        advancers=w.count(p["advancers"]), decliners=w.count(p["decliners"]),
        members=w.count(p["members"]), share=w.pct(p["up_volume_share"]),
        pct50=w.pct(p["pct_50d"]), pct200=w.pct(p["pct_200d"]), **extra)


WEEK_NONE = (
    N_("Over five sessions the {index} is {r5}, and {mtd} month to date (last month: "
       "{prev})."),
    N_("Over five sessions the {index} is {r5}, and {mtd} month to date."),
)


def _streak(w: Writer, relation: str, n: int, with_prev: bool) -> str:
    """The streak before today, then five sessions and the month (plural forms on ``n``)."""
    if relation == "rebound" and with_prev:
        return w.ngettext(
            "The gain followed {count} losing session in a row that took {drop} off the "
            "{index}; over five sessions it is {r5}, and {mtd} month to date (last "
            "month: {prev}).",
            "The gain followed {count} losing sessions in a row that took {drop} off the "
            "{index}; over five sessions it is {r5}, and {mtd} month to date (last "
            "month: {prev}).",
            n,
        )
    if relation == "rebound":
        return w.ngettext(
            "The gain followed {count} losing session in a row that took {drop} off the "
            "{index}; over five sessions it is {r5}, and {mtd} month to date.",
            "The gain followed {count} losing sessions in a row that took {drop} off the "
            "{index}; over five sessions it is {r5}, and {mtd} month to date.",
            n,
        )
    if relation == "reversal" and with_prev:
        return w.ngettext(
            "The loss ended {count} winning session in a row worth {gain} for the {index}; "
            "over five sessions it is {r5}, and {mtd} month to date (last month: "
            "{prev}).",
            "The loss ended {count} winning sessions in a row worth {gain} for the {index}; "
            "over five sessions it is {r5}, and {mtd} month to date (last month: "
            "{prev}).",
            n,
        )
    if relation == "reversal":
        return w.ngettext(
            "The loss ended {count} winning session in a row worth {gain} for the {index}; "
            "over five sessions it is {r5}, and {mtd} month to date.",
            "The loss ended {count} winning sessions in a row worth {gain} for the {index}; "
            "over five sessions it is {r5}, and {mtd} month to date.",
            n,
        )
    if relation == "extends_up" and with_prev:
        return w.ngettext(
            "The {index} has now risen {count} session in a row; over five sessions it is {r5}, "
            "and {mtd} month to date (last month: {prev}).",
            "The {index} has now risen {count} sessions in a row; over five sessions it is {r5}, "
            "and {mtd} month to date (last month: {prev}).",
            n,
        )
    if relation == "extends_up":
        return w.ngettext(
            "The {index} has now risen {count} session in a row; over five sessions it is {r5}, "
            "and {mtd} month to date.",
            "The {index} has now risen {count} sessions in a row; over five sessions it is {r5}, "
            "and {mtd} month to date.",
            n,
        )
    if with_prev:
        return w.ngettext(
            "The {index} has now fallen {count} session in a row; over five sessions it is {r5}, "
            "and {mtd} month to date (last month: {prev}).",
            "The {index} has now fallen {count} sessions in a row; over five sessions it "
            "is {r5}, and {mtd} month to date (last month: {prev}).",
            n,
        )
    return w.ngettext(
        "The {index} has now fallen {count} session in a row; over five sessions it is {r5}, "
        "and {mtd} month to date.",
        "The {index} has now fallen {count} sessions in a row; over five sessions it is {r5}, "
        "and {mtd} month to date.",
        n,
    )


@renders("summary_week")
def _summary_week(w: Writer, f: Finding) -> str:
    p = f.params
    prev = p.get("return_prev_month")
    # each move worded by its direction as shown: -0.03% over five sessions is little changed
    a = {"index": w.index(p["symbol"]), "r5": w.moved(p["return_5d"]),
         "mtd": w.moved(p["return_mtd"])}
    if prev is not None:
        a["prev"] = w.moved(prev)
    relation = p["relation"]
    if relation == "none":
        return w.gettext(WEEK_NONE[0 if prev is not None else 1]).format(**a)
    n = p["streak_length"] + (1 if relation.startswith("extends") else 0)
    a["count"] = w.count(n)
    if relation == "rebound":
        a["drop"] = w.apct(p["streak_return"])
    elif relation == "reversal":
        a["gain"] = w.apct(p["streak_return"])
    return _streak(w, relation, n, prev is not None).format(**a)


MEANING = {
    "broad_rally": N_("Broad participation makes the gain sturdier than one carried by a few "
                      "heavyweights; {pct50} of members now stand above their 50-day average."),
    "narrow_rally": N_("A gain carried by a minority of stocks is fragile until the typical "
                       "stock follows; {pct50} of members stand above their 50-day average."),
    "relief_rally": N_("Relief rallies after a slide often fade; the test is whether "
                       "participation keeps improving from {pct50} of members above their "
                       "50-day average."),
    "breadth_thrust": N_("Days this one-sided have tended to come near important lows rather "
                         "than at tops, but one day does not make a trend: {pct200} of members "
                         "are above their 200-day average."),
    "broad_selloff": N_("Selling this broad points to de-risking across the market rather than "
                        "trouble in one corner; {pct50} of members remain above their 50-day "
                        "average."),
    "capitulation": N_("Selling this indiscriminate often marks exhaustion, but lows are "
                       "confirmed by the buying that follows, not by the selling itself."),
    "narrow_selloff": N_("The damage was concentrated in the largest stocks while the typical "
                         "stock held up, which limits the harm to breadth."),
    "size_rotation": N_("Money moved between size segments rather than out of the market."),
    "sector_rotation": N_("Money moved between sectors rather than out of the market: "
                          "rotation, not liquidation."),
    "divergence_up": N_("An index that rises while fewer stocks take part is a classic warning "
                        "sign that the advance is narrowing."),
    "divergence_down": N_("Improving breadth under a falling index often comes before the "
                          "index itself turns."),
    "mixed_gain": N_("Participation was too mixed to read much into the gain; {pct50} of "
                     "members stand above their 50-day average."),
    "mixed_loss": N_("Participation was too mixed to read much into the loss; {pct50} of "
                     "members stand above their 50-day average."),
    "quiet": N_("A quiet session that leaves the picture unchanged: {pct50} of members stand "
                "above their 50-day average."),
}


@renders("summary_meaning")
def _summary_meaning(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"pct50": w.pct(p["pct_50d"]) if p.get("pct_50d") is not None else "",
         "pct200": w.pct(p["pct_200d"]) if p.get("pct_200d") is not None else ""}
    mostly = _mostly(p)
    return w.gettext(MOSTLY_MEANING[mostly] if mostly else MEANING[p["story"]]).format(**a)


@renders("summary_tension")
def _summary_tension(w: Writer, f: Finding) -> str:
    p = f.params
    kind = p["tension"]
    if kind == "rebound_leader":
        return w.gettext(
            "{sector} ({symbol}) led with a gain of {change}, yet only {pct} of its members are "
            "above their 50-day average: a rebound within a downtrend, not yet a trend."
        ).format(sector=w.sector(p["symbol"]), symbol=p["symbol"], change=w.apct(p["return"]),
                 pct=w.pct(p["pct_50d"]))
    if kind == "thin_volume":
        return w.gettext(
            "Advancers outnumbered decliners {advancers} to {decliners}, yet the Arms index at "
            "{trin} is above 1: the average advancing stock traded on lighter volume than the "
            "average decliner, so the buying was broad but thin."
        ).format(advancers=w.count(p["advancers"]), decliners=w.count(p["decliners"]),
                 trin=w.two(p["trin"]))
    if kind == "lopsided_trin":
        return w.gettext(
            "The Arms index reads {trin}, below 1, although {share} of volume went into falling "
            "stocks: with only {advancers} advancers against {decliners} decliners, the average "
            "advancer traded more volume than the average decliner, which flatters the ratio."
        ).format(trin=w.two(p["trin"]), share=w.pct(p["down_share"]),
                 advancers=w.count(p["advancers"]), decliners=w.count(p["decliners"]))
    return w.gettext(
        "Yet the McClellan summation index fell from {before} to {now} over five sessions: "
        "breadth momentum has not turned with the index (the index's level depends on where "
        "its running sum starts; its direction is what counts)."
    ).format(before=w.one(p["summation_before"]), now=w.one(p["summation"]))


@renders("summary_view")
def _summary_view(w: Writer, f: Finding) -> str:
    return view_sentence(w, f.params["trigger"])


# --- the week -------------------------------------------------------------------------------------


@renders("week_streak")
def _week_streak(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "The {index}'s last five sessions, {first} to {last}: {moves}; {total} in all."
    ).format(index=w.index(p["symbol"]), first=w.date(p["first"]), last=w.date(p["last"]),
             moves=w.items([w.daily(x) for x in p["returns"]]), total=w.moved(p["return_5d"]))


@renders("week_review")
def _week_review(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["sessions"]
    return w.ngettext(
        "Week in review ({count} session from {start}): {moves}; advancers totalled "
        "{advancers} and decliners {decliners}, with {highs} new 52-week highs and {lows} new "
        "lows.",
        "Week in review ({count} sessions from {start}): {moves}; advancers totalled "
        "{advancers} and decliners {decliners}, with {highs} new 52-week highs and {lows} new "
        "lows.",
        n,
    ).format(count=w.count(n), start=w.date(p["week_start"]), moves=_moves(w, p["returns"]),
             advancers=w.count(p["advancers_sum"]), decliners=w.count(p["decliners_sum"]),
             highs=w.count(p["new_highs_sum"]), lows=w.count(p["new_lows_sum"]))
