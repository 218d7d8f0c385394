"""Sentences of the breadth findings."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("new_highs_expand", "new_lows_expand")
def _highs_lows(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"new_highs": w.count(p["new_highs"]), "new_lows": w.count(p["new_lows"])}
    hli = p.get("high_low_index")
    if hli is not None:
        a["hli"] = w.one(hli)
    if f.id == "new_highs_expand":
        n = p["new_highs"]
        if hli is None:
            return w.ngettext(
                "{new_highs} member closed at a new 52-week high, far outnumbering the "
                "{new_lows} at new lows.",
                "{new_highs} members closed at new 52-week highs, far outnumbering the "
                "{new_lows} at new lows.",
                n,
            ).format(**a)
        return w.ngettext(
            "{new_highs} member closed at a new 52-week high, far outnumbering the {new_lows} "
            "at new lows; the high-low index stands at {hli}.",
            "{new_highs} members closed at new 52-week highs, far outnumbering the {new_lows} "
            "at new lows; the high-low index stands at {hli}.",
            n,
        ).format(**a)
    n = p["new_lows"]
    if hli is None:
        return w.ngettext(
            "{new_lows} member closed at a new 52-week low, far outnumbering the {new_highs} "
            "at new highs.",
            "{new_lows} members closed at new 52-week lows, far outnumbering the {new_highs} "
            "at new highs.",
            n,
        ).format(**a)
    return w.ngettext(
        "{new_lows} member closed at a new 52-week low, far outnumbering the {new_highs} at "
        "new highs; the high-low index stands at {hli}.",
        "{new_lows} members closed at new 52-week lows, far outnumbering the {new_highs} at "
        "new highs; the high-low index stands at {hli}.",
        n,
    ).format(**a)


@renders("breadth_confirm_up", "breadth_confirm_down", "breadth_narrowing", "breadth_expanding")
def _breadth_trend(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "before": w.pct(p["pct_50d_before"]),
        "now": w.pct(p["pct_50d"]),
        "r5": w.spct(p["return_5d"]),
        "move": w.apct(p["return_5d"]),
    }
    if p.get("turned") and p.get("pct_50d_prev") is not None:
        return _breadth_turned(w, f, a | {"prev": w.pct(p["pct_50d_prev"])})
    if f.id == "breadth_narrowing":
        return w.gettext(
            "Breadth is narrowing: the {index} gained {move} over five sessions while the share "
            "of members above their 50-day average fell from {before} to {now}."
        ).format(**a)
    if f.id == "breadth_expanding":
        return w.gettext(
            "Breadth is improving beneath the surface: the {index} fell {move} over five "
            "sessions while the share of members above their 50-day average rose from {before} "
            "to {now}."
        ).format(**a)
    if f.id == "breadth_confirm_up":
        return w.gettext(
            "Participation is broadening: the share of members above their 50-day average rose "
            "from {before} to {now} over five sessions, with the {index} at {r5}."
        ).format(**a)
    return w.gettext(
        "Participation is thinning: the share of members above their 50-day average fell "
        "from {before} to {now} over five sessions, with the {index} at {r5}."
    ).format(**a)


def _breadth_turned(w: Writer, f: Finding, a: dict[str, str]) -> str:
    """Five sessions one way, today the other: both, so neither reads as the whole story."""
    if f.id == "breadth_narrowing":
        return w.gettext(
            "Breadth has narrowed over five sessions, though it recovered today: the {index} "
            "gained {move} over five sessions while the share of members above their 50-day "
            "average fell from {before} to {now}, up from {prev} the session before."
        ).format(**a)
    if f.id == "breadth_expanding":
        return w.gettext(
            "Breadth has improved beneath the surface over five sessions, though it slipped "
            "today: the {index} fell {move} over five sessions while the share of members above "
            "their 50-day average rose from {before} to {now}, down from {prev} the session "
            "before."
        ).format(**a)
    if f.id == "breadth_confirm_up":
        return w.gettext(
            "Participation is still wider than five sessions ago, though it narrowed today: the "
            "share of members above their 50-day average is {now}, up from {before} five "
            "sessions ago but down from {prev} the session before, with the {index} at {r5} "
            "over five sessions."
        ).format(**a)
    return w.gettext(
        "Participation is still thinner than five sessions ago, though it widened today: the "
        "share of members above their 50-day average is {now}, down from {before} five "
        "sessions ago but up from {prev} the session before, with the {index} at {r5} over "
        "five sessions."
    ).format(**a)


@renders("breadth_divergence_narrow", "breadth_divergence_broad")
def _breadth_day(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "change": w.apct(p["return_1d"]),
        "advancers": w.count(p["advancers"]),
        "decliners": w.count(p["decliners"]),
    }
    if f.id == "breadth_divergence_narrow":
        return w.gettext(
            "The {index} rose {change}, yet decliners outnumbered advancers {decliners} to "
            "{advancers}: the gain rested on a few heavyweights."
        ).format(**a)
    return w.gettext(
        "The {index} fell {change}, yet advancers outnumbered decliners {advancers} to "
        "{decliners}: the typical stock held up better than the index."
    ).format(**a)


@renders("breadth_momentum_negative", "breadth_momentum_positive")
def _breadth_momentum(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "move": w.apct(p["return_5d"]),
        "osc": w.one(p["oscillator"]),
    }
    if f.id == "breadth_momentum_negative":
        return w.gettext(
            "The {index} gained {move} over five sessions, but the ratio-adjusted McClellan "
            "oscillator is negative at {osc}: breadth momentum does not confirm the advance."
        ).format(**a)
    return w.gettext(
        "The {index} fell {move} over five sessions, but the ratio-adjusted McClellan "
        "oscillator is positive at {osc}: breadth momentum is holding up."
    ).format(**a)


@renders("up_volume_thrust", "down_volume_thrust")
def _volume(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"share": w.pct(p["share"]), "threshold": w.tpct(p.get("threshold", 0.9))}
    if f.id == "up_volume_thrust":
        return w.gettext(
            "Up volume made up {share} of member volume, a {threshold} upside day: broad, "
            "one-sided buying."
        ).format(**a)
    if p.get("volume_vs_20d") is None:
        return w.gettext(
            "Down volume made up {share} of member volume, a {threshold} downside day: "
            "one-sided, indiscriminate selling."
        ).format(**a)
    a["volume"] = w.two(p["volume_vs_20d"])
    if p.get("heavy"):
        return w.gettext(
            "Down volume made up {share} of member volume, a {threshold} downside day, on "
            "member volume {volume} times its 20-day average: heavy, indiscriminate selling."
        ).format(**a)
    return w.gettext(
        "Down volume made up {share} of member volume, a {threshold} downside day, but member "
        "volume was only {volume} times its 20-day average: one-sided selling without heavy "
        "volume behind it."
    ).format(**a)


@renders("mcclellan_overbought", "mcclellan_oversold")
def _mcclellan(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"osc": w.one(p["oscillator"]), "threshold": w.plain(p["threshold"])}
    if f.id == "mcclellan_overbought":
        return w.gettext(
            "The ratio-adjusted McClellan oscillator stands at {osc}, above {threshold}: breadth "
            "is overbought in the short term."
        ).format(**a)
    return w.gettext(
        "The ratio-adjusted McClellan oscillator stands at {osc}, below {threshold}: breadth is "
        "oversold and selling looks stretched."
    ).format(**a)


@renders("trin_climax", "trin_panic")
def _trin(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"trin": w.two(p["trin"]), "threshold": w.plain(p["threshold"])}
    if f.id == "trin_climax":
        return w.gettext(
            "The Arms index (TRIN) stood at {trin}, below {threshold}, on an up day: a buying "
            "climax that often precedes a pause."
        ).format(**a)
    return w.gettext(
        "The Arms index (TRIN) stood at {trin}, above {threshold}, on a down day: volume "
        "crowded into falling stocks, selling pressure of the kind often seen near short-term "
        "lows."
    ).format(**a)


@renders("pct50_washout", "trend_weak")
def _participation(w: Writer, f: Finding) -> str:
    p = f.params
    if f.id == "pct50_washout":
        return w.gettext(
            "Only {pct} of members are above their 50-day average, below {threshold}: "
            "short-term breadth is washed out."
        ).format(pct=w.pct(p["pct_50d"]), threshold=w.tpct(p["threshold"]))
    return w.gettext(
        "Only {pct} of members are above their 200-day average, below {threshold}: most "
        "stocks are in long-term downtrends."
    ).format(pct=w.pct(p["pct_200d"]), threshold=w.tpct(p["threshold"]))


@renders("zweig_thrust")
def _zweig(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["sessions_ago"]
    a = {
        "date": w.date(p["date"]),
        "count": w.count(n),
        "low": w.tpct(p["low"]),
        "high": w.tpct(p["high"]),
    }
    if n == 0:
        return w.gettext(
            "A Zweig breadth thrust fired today ({date}): the 10-session exponential average of "
            "the advancing share rose from below {low} to above {high} within ten sessions, a rare "
            "signal that has often started a new advance."
        ).format(**a)
    return w.ngettext(
        "A Zweig breadth thrust fired on {date}, {count} session ago: the 10-session "
        "exponential average of the advancing share rose from below {low} to above {high} "
        "within ten sessions, a rare signal that has often started a new advance.",
        "A Zweig breadth thrust fired on {date}, {count} sessions ago: the 10-session "
        "exponential average of the advancing share rose from below {low} to above {high} "
        "within ten sessions, a rare signal that has often started a new advance.",
        n,
    ).format(**a)


@renders("volume_confirms_advance", "volume_thin_advance", "volume_confirms_decline",
         "volume_thin_decline")
def _volume_confirmation(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"advancers": w.count(p["advancers"]), "decliners": w.count(p["decliners"]),
         "share": w.pct(p["share"]), "down": w.pct(1 - p["share"]), "trin": w.two(p["trin"])}
    if f.id == "volume_confirms_advance":
        return w.gettext(
            "Volume backed the advance: advancers led {advancers} to {decliners} and took "
            "{share} of member volume, with the Arms index at {trin}."
        ).format(**a)
    if f.id == "volume_thin_advance":
        if p["share"] >= 0.5:
            return w.gettext(
                "Advancers led {advancers} to {decliners}, but the Arms index at {trin} is "
                "above 1: the average advancing stock traded on lighter volume than the average "
                "decliner, so the buying was broad but thin."
            ).format(**a)
        return w.gettext(
            "Advancers led {advancers} to {decliners}, yet only {share} of member volume went "
            "into them: the buying lacked conviction."
        ).format(**a)
    if f.id == "volume_confirms_decline":
        if p["trin"] < 1:
            return w.gettext(
                "Volume backed the selling: decliners led {decliners} to {advancers} and took "
                "{down} of member volume (the Arms index, at {trin}, reads below 1 only because "
                "the few advancers traded heavily)."
            ).format(**a)
        return w.gettext(
            "Volume backed the selling: decliners led {decliners} to {advancers} and took "
            "{down} of member volume, with the Arms index at {trin}."
        ).format(**a)
    return w.gettext(
        "Decliners led {decliners} to {advancers}, but {share} of member volume went into "
        "advancing stocks: the selling was light and buyers were active underneath."
    ).format(**a)


@renders("summation_divergence", "summation_improving")
def _summation(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "move": w.apct(p["return_5d"]),
         "before": w.one(p["summation_before"]), "now": w.one(p["summation"])}
    if f.id == "summation_divergence":
        return w.gettext(
            "The {index} gained {move} over five sessions, but the McClellan summation index "
            "fell from {before} to {now}: breadth momentum is fading beneath the advance."
        ).format(**a)
    return w.gettext(
        "The {index} lost {move} over five sessions, but the McClellan summation index rose "
        "from {before} to {now}: breadth momentum is improving beneath the decline."
    ).format(**a)


@renders("narrow_near_high")
def _narrow_near_high(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "off": w.within(p["from_high"]), "pct": w.pct(p["share"])}
    at_high = p["from_high"] >= 0
    if p["span"] == 50:
        if at_high:
            return w.gettext(
                "The {index} closed at a 52-week high, yet only {pct} of S&P 500 members stand "
                "above their 50-day average: the advance is not broad."
            ).format(**a)
        return w.gettext(
            "The {index} is within {off} of its 52-week high, yet only {pct} of S&P 500 "
            "members stand above their 50-day average: the advance is not broad."
        ).format(**a)
    if at_high:
        return w.gettext(
            "The {index} closed at a 52-week high, yet only {pct} of S&P 500 members stand "
            "above their 200-day average: many stocks have not joined the long-term advance."
        ).format(**a)
    return w.gettext(
        "The {index} is within {off} of its 52-week high, yet only {pct} of S&P 500 members "
        "stand above their 200-day average: many stocks have not joined the long-term advance."
    ).format(**a)


@renders("few_new_highs")
def _few_new_highs(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["new_highs"]
    a = {"index": w.index(p["symbol"]), "off": w.within(p["from_high"]), "count": w.count(n)}
    if n == 0 and p["from_high"] >= 0:
        return w.gettext(
            "The {index} closed at a 52-week high, yet no member made a new 52-week high: "
            "a record without leaders."
        ).format(**a)
    if n == 0:
        return w.gettext(
            "The {index} is within {off} of its 52-week high, yet no member made a new 52-week "
            "high: no leadership near the top."
        ).format(**a)
    if p["from_high"] >= 0:
        return w.ngettext(
            "The {index} closed at a 52-week high, yet only {count} member made a new 52-week "
            "high: records on thin leadership.",
            "The {index} closed at a 52-week high, yet only {count} members made new 52-week "
            "highs: records on thin leadership.",
            n,
        ).format(**a)
    return w.ngettext(
        "The {index} is within {off} of its 52-week high, yet only {count} member made a new "
        "52-week high: thin leadership near the top.",
        "The {index} is within {off} of its 52-week high, yet only {count} members made new "
        "52-week highs: thin leadership near the top.",
        n,
    ).format(**a)


@renders("breadth_overbought", "short_term_oversold")
def _breadth_extremes(w: Writer, f: Finding) -> str:
    p = f.params
    if f.id == "breadth_overbought":
        return w.gettext(
            "{pct} of members are above their 50-day average, at or above {threshold}: breadth "
            "this stretched has tended to precede pauses."
        ).format(pct=w.pct(p["pct_50d"]), threshold=w.tpct(p["threshold"]))
    return w.gettext(
        "Only {pct} of members are above their 20-day average, at or below {threshold}: "
        "short-term breadth is oversold, which has often preceded bounces."
    ).format(pct=w.pct(p["pct_20d"]), threshold=w.tpct(p["threshold"]))
