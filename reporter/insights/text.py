"""Findings into sentences, per locale, through the ``insights`` gettext catalog and Babel.

Every sentence is one whole catalog message with named placeholders; the choice between
messages depends only on the data (direction, whether a date is known), never on the language.
English is the source language; other locales read ``locales/<ll_CC>/LC_MESSAGES/insights.po``
at run time (parsed once, kept in memory). Numbers, percentages, percentage points, signs, lists
and dates go through Babel with half-even rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from reporter.errors import RenderError
from reporter.i18n import N_, check_locale, format_date_long, get_translations
from reporter.insights.findings import Finding, Insights
from reporter.insights.rules import SPECS
from reporter.model import RenderedText
from reporter.vocabulary import INDICES, SECTOR_BY_ETF, TONES

MAX_TAGS = 5

PCT = "#,##0.0%"
SIGNED_PCT = "+#,##0.0%;-#,##0.0%"
THRESHOLD_PCT = "#,##0.#%"
PP = "#,##0.0"
PP_SMALL = "#,##0.00"
LEVEL = "#,##0.00"
ONE = "#,##0.0"
TWO = "#,##0.00"
WHOLE = "#,##0"
PLAIN = "#,##0.##"

TAGS = {
    "records": N_("Record highs"),
    "milestones": N_("Round-number milestones"),
    "small_caps": N_("Small-cap rotation"),
    "large_caps": N_("Large-cap leadership"),
    "concentration": N_("Mega-cap concentration"),
    "broadening": N_("Broadening participation"),
    "sector_rotation": N_("Sector rotation"),
    "defensive": N_("Defensive tilt"),
    "cyclical": N_("Cyclical leadership"),
    "growth": N_("Growth leadership"),
    "rate_sensitive": N_("Rate-sensitive sectors"),
    "breadth": N_("Market breadth"),
    "volatility": N_("Volatility"),
    "oversold": N_("Oversold"),
    "overbought": N_("Overbought"),
    "thrust": N_("Breadth thrust"),
    "bellwether": N_("Bellwether technicals"),
    "valuation": N_("Valuation"),
}


class Writer:
    """Translation and Babel formatting for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = check_locale(locale)
        self.babel = locale.replace("-", "_")
        self._t = get_translations("insights", locale)

    # translation
    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    # names, as a sentence words them: "the Dow Jones Industrial Average", "Consumer Staples"
    def index(self, symbol: str) -> str:
        return self.gettext(INDICES[symbol].name) if symbol in INDICES else symbol

    def sector(self, symbol: str) -> str:
        return self.gettext(SECTOR_BY_ETF[symbol].gics) if symbol in SECTOR_BY_ETF else symbol

    # numbers
    def pct(self, x: float) -> str:
        """A share or return as a percentage, without sign: 58.2%."""
        return format_percent(x, PCT, locale=self.babel)

    def apct(self, x: float) -> str:
        """The size of a move, the direction being in the words: 1.2%."""
        return format_percent(abs(x), PCT, locale=self.babel)

    def spct(self, x: float) -> str:
        """A signed return: +1.2% / -1.2%."""
        return format_percent(x, SIGNED_PCT, locale=self.babel)

    def tpct(self, x: float) -> str:
        """A threshold share: 90%, 61.5%."""
        return format_percent(x, THRESHOLD_PCT, locale=self.babel)

    def pp(self, x: float) -> str:
        """A spread (fraction) in percentage points, without sign: 0.8; under 0.1 with two
        decimals (0.04), so a small spread never reads as 0.0."""
        points = abs(Decimal(str(x))) * 100
        pattern = PP if points >= Decimal("0.1") else PP_SMALL
        return format_decimal(points, pattern, locale=self.babel)

    def level(self, x: float) -> str:
        return format_decimal(x, LEVEL, locale=self.babel)

    def one(self, x: float) -> str:
        return format_decimal(x, ONE, locale=self.babel)

    def two(self, x: float) -> str:
        return format_decimal(x, TWO, locale=self.babel)

    def plain(self, x: float) -> str:
        return format_decimal(x, PLAIN, locale=self.babel)

    def count(self, n: int) -> str:
        return format_decimal(n, WHOLE, locale=self.babel)

    def date(self, iso: str) -> str:
        return format_date_long(iso, self.locale)

    def items(self, parts: list[str]) -> str:
        return format_list(parts, locale=self.babel)

    def sector_item(self, symbol: str, ret: float) -> str:
        return self.gettext("{sector} ({symbol}, {change})").format(
            sector=self.sector(symbol), symbol=symbol, change=self.spct(ret)
        )


# --- one function per family of findings ---------------------------------------------------------

Render = Callable[[Writer, Finding], str]
RENDERERS: dict[str, Render] = {}


def _renders(*ids: str) -> Callable[[Render], Render]:
    def register(fn: Render) -> Render:
        for fid in ids:
            RENDERERS[fid] = fn
        return fn

    return register


@_renders("kp_index_up", "kp_index_down", "kp_index_flat")
def _kp_index(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "change": w.apct(p["return_1d"]),
        "close": w.level(p["close"]),
    }
    if f.id == "kp_index_up":
        return w.gettext("The {index} rose {change} to {close}.").format(**a)
    if f.id == "kp_index_down":
        return w.gettext("The {index} fell {change} to {close}.").format(**a)
    return w.gettext("The {index} closed unchanged at {close}.").format(**a)


@_renders("kp_all_time_high", "kp_round_level")
def _kp_milestone(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "change": w.apct(p["return_1d"]),
        "close": w.level(p["close"]),
    }
    if f.id == "kp_round_level":
        return w.gettext(
            "The {index} rose {change} to {close}, its first close above {level}."
        ).format(level=w.plain(p["level"]), **a)
    return w.gettext("The {index} rose {change} to a record close of {close}.").format(**a)


@_renders("kp_advancers_lead", "kp_decliners_lead", "kp_ad_even")
def _kp_ad(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"advancers": w.count(p["advancers"]), "decliners": w.count(p["decliners"])}
    if f.id == "kp_advancers_lead":
        return w.gettext(
            "Advancers beat decliners {advancers} to {decliners} among index members."
        ).format(**a)
    if f.id == "kp_decliners_lead":
        return w.gettext(
            "Decliners beat advancers {decliners} to {advancers} among index members."
        ).format(**a)
    return w.gettext("Advancers and decliners were even at {advancers} each.").format(**a)


@_renders("kp_pct_above")
def _kp_pct_above(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "{pct_50d} of members closed above their 50-day average and {pct_200d} above their "
        "200-day average."
    ).format(pct_50d=w.pct(p["pct_50d"]), pct_200d=w.pct(p["pct_200d"]))


@_renders("kp_net_new_highs", "kp_net_new_lows")
def _kp_highs_lows(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"new_highs": w.count(p["new_highs"]), "new_lows": w.count(p["new_lows"])}
    if p["new_highs"] == p["new_lows"]:
        return w.gettext(
            "New 52-week highs and new 52-week lows were level at {new_highs} each."
        ).format(**a)
    if f.id == "kp_net_new_highs":
        return w.gettext(
            "New 52-week highs outnumbered new lows {new_highs} to {new_lows} among members."
        ).format(**a)
    return w.gettext(
        "New 52-week lows outnumbered new highs {new_lows} to {new_highs} among members."
    ).format(**a)


@_renders("kp_small_lead", "kp_large_lead")
def _kp_size(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["run_length"]
    a = {
        "small": w.index(p["small"]),
        "large": w.index(p["large"]),
        "spread": w.pp(p["spread_1d"]),
        "count": w.count(n),
    }
    if f.id == "kp_small_lead":
        if n >= 2:
            return w.ngettext(
                "The {small} beat the {large} by {spread} percentage points, small caps ahead "
                "for {count} session in a row.",
                "The {small} beat the {large} by {spread} percentage points, small caps ahead "
                "for {count} sessions in a row.",
                n,
            ).format(**a)
        return w.gettext(
            "The {small} beat the {large} by {spread} percentage points: small caps led."
        ).format(**a)
    if n >= 2:
        return w.ngettext(
            "The {large} beat the {small} by {spread} percentage points, large caps ahead "
            "for {count} session in a row.",
            "The {large} beat the {small} by {spread} percentage points, large caps ahead "
            "for {count} sessions in a row.",
            n,
        ).format(**a)
    return w.gettext(
        "The {large} beat the {small} by {spread} percentage points: large caps led."
    ).format(**a)


@_renders("kp_vix_up", "kp_vix_down", "kp_vix_flat")
def _kp_vix(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "vix": w.index(p["symbol"]),
        "level": w.two(p["level"]),
        "change": w.apct(p["return_1d"]),
        "points": w.two(abs(p["change_1d"])),
    }
    if f.id == "kp_vix_up":
        return w.gettext("The {vix} rose {points} points ({change}) to {level}.").format(**a)
    if f.id == "kp_vix_down":
        return w.gettext("The {vix} fell {points} points ({change}) to {level}.").format(**a)
    return w.gettext("The {vix} closed unchanged at {level}.").format(**a)


@_renders("kp_sector_range")
def _kp_sectors(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "best": w.sector_item(p["best"], p["best_return"]),
        "worst": w.sector_item(p["worst"], p["worst_return"]),
    }
    if p["worst_return"] >= 0:
        return w.gettext("No sector fell: {best} led and {worst} gained least.").format(**a)
    if p["best_return"] <= 0:
        return w.gettext("No sector rose: {best} held up best and {worst} fell most.").format(**a)
    return w.gettext("Among sectors, {best} led and {worst} lagged.").format(**a)


@_renders("kp_watch_up", "kp_watch_down")
def _kp_watch(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"symbol": p["symbol"], "change": w.apct(p["return_1d"]), "close": w.two(p["close"])}
    if f.id == "kp_watch_up":
        return w.gettext("{symbol} rose {change} to ${close}.").format(**a)
    return w.gettext("{symbol} fell {change} to ${close}.").format(**a)


@_renders("size_run_small", "size_run_large")
def _size_run(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["length"]
    a = {"leader": w.index(p["leader"]), "other": w.index(p["other"]), "count": w.count(n)}
    small = f.id == "size_run_small"
    if p.get("since"):
        a["since"] = w.date(p["since"])
        if small:
            return w.ngettext(
                "The {leader} has beaten the {other} for {count} session in a row, the longest "
                "run since {since}: small caps are in favor.",
                "The {leader} has beaten the {other} for {count} sessions in a row, the longest "
                "run since {since}: small caps are in favor.",
                n,
            ).format(**a)
        return w.ngettext(
            "The {leader} has beaten the {other} for {count} session in a row, the longest "
            "run since {since}: large caps stay in charge.",
            "The {leader} has beaten the {other} for {count} sessions in a row, the longest "
            "run since {since}: large caps stay in charge.",
            n,
        ).format(**a)
    a["first"] = w.date(p["first_session"])
    if small:
        return w.ngettext(
            "The {leader} has beaten the {other} for {count} session in a row, the longest run "
            "in data going back to {first}: small caps are in favor.",
            "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
            "in data going back to {first}: small caps are in favor.",
            n,
        ).format(**a)
    return w.ngettext(
        "The {leader} has beaten the {other} for {count} session in a row, the longest run "
        "in data going back to {first}: large caps stay in charge.",
        "The {leader} has beaten the {other} for {count} sessions in a row, the longest run "
        "in data going back to {first}: large caps stay in charge.",
        n,
    ).format(**a)


@_renders("size_gap_ytd_small", "size_gap_ytd_large")
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


@_renders("concentration", "broadening")
def _mega(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"mega": p["mega"], "equal": p["equal"], "spread": w.pp(p["spread_mtd"])}
    if f.id == "concentration":
        return w.gettext(
            "Mega caps ({mega}) have beaten the equal-weight S&P 500 ({equal}) by {spread} "
            "percentage points month to date: leadership rests on a handful of heavyweights."
        ).format(**a)
    return w.gettext(
        "The equal-weight S&P 500 ({equal}) has beaten mega caps ({mega}) by {spread} "
        "percentage points month to date: participation is broadening beyond the largest stocks."
    ).format(**a)


@_renders("valuation_discount")
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


@_renders(
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


@_renders("sector_leadership_change")
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


@_renders("sector_laggard")
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


@_renders("sector_dispersion_high")
def _sector_dispersion(w: Writer, f: Finding) -> str:
    return w.gettext(
        "Sector returns diverged widely, with a standard deviation of {dispersion} percentage "
        "points: rotation is active."
    ).format(dispersion=w.pp(f.params["dispersion"]))


@_renders("sector_sweep_up", "sector_sweep_down")
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


@_renders("mtd_up", "mtd_down")
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


@_renders("new_highs_expand", "new_lows_expand")
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


@_renders("breadth_confirm_up", "breadth_confirm_down", "breadth_narrowing", "breadth_expanding")
def _breadth_trend(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "before": w.pct(p["pct_50d_before"]),
        "now": w.pct(p["pct_50d"]),
        "r5": w.spct(p["return_5d"]),
        "move": w.apct(p["return_5d"]),
    }
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


@_renders("breadth_divergence_narrow", "breadth_divergence_broad")
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


@_renders("breadth_momentum_negative", "breadth_momentum_positive")
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


@_renders("up_volume_thrust", "down_volume_thrust")
def _volume(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"share": w.pct(p["share"]), "threshold": w.tpct(p.get("threshold", 0.9))}
    if f.id == "up_volume_thrust":
        return w.gettext(
            "Up volume made up {share} of member volume, a {threshold} upside day: broad buying "
            "of the kind that often marks a thrust off a low."
        ).format(**a)
    return w.gettext(
        "Down volume made up {share} of member volume, a {threshold} downside day: heavy, "
        "indiscriminate selling."
    ).format(**a)


@_renders("mcclellan_overbought", "mcclellan_oversold")
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


@_renders("trin_climax", "trin_panic")
def _trin(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"trin": w.two(p["trin"]), "threshold": w.plain(p["threshold"])}
    if f.id == "trin_climax":
        return w.gettext(
            "The Arms index (TRIN) stood at {trin}, below {threshold}, on an up day: a buying "
            "climax that often precedes a pause."
        ).format(**a)
    return w.gettext(
        "The Arms index (TRIN) stood at {trin}, above {threshold}, on a down day: panic selling "
        "of the kind often seen near short-term lows."
    ).format(**a)


@_renders("pct50_washout", "trend_weak")
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


@_renders("zweig_thrust")
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
            "A Zweig breadth thrust fired today ({date}): the 10-session average of the "
            "advancing share rose from below {low} to above {high} within ten sessions, a rare "
            "signal that has often started a new advance."
        ).format(**a)
    return w.ngettext(
        "A Zweig breadth thrust fired on {date}, {count} session ago: the 10-session average of "
        "the advancing share rose from below {low} to above {high} within ten sessions, a rare "
        "signal that has often started a new advance.",
        "A Zweig breadth thrust fired on {date}, {count} sessions ago: the 10-session average of "
        "the advancing share rose from below {low} to above {high} within ten sessions, a rare "
        "signal that has often started a new advance.",
        n,
    ).format(**a)


@_renders("vix_stress", "vix_elevated", "vix_complacent", "vix_extreme")
def _vix_level(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "vix": w.index(p["symbol"]),
        "level": w.two(p["level"]),
        "threshold": w.plain(p["threshold"]),
    }
    if f.id == "vix_stress":
        return w.gettext(
            "The {vix} closed at {level}, above {threshold}: the market is pricing acute stress."
        ).format(**a)
    if f.id == "vix_elevated":
        return w.gettext(
            "The {vix} closed at {level}, above {threshold}: demand for protection is elevated."
        ).format(**a)
    if f.id == "vix_complacent":
        return w.gettext(
            "The {vix} closed at {level}, below {threshold}: complacency leaves little cushion "
            "against a shock."
        ).format(**a)
    return w.gettext(
        "The {vix} closed at {level}, above {threshold}: fear at this pitch has tended to "
        "coincide with capitulation near market lows."
    ).format(**a)


@_renders("vix_spike", "vix_relief")
def _vix_move(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "vix": w.index(p["symbol"]),
        "level": w.two(p["level"]),
        "change": w.apct(p["return_1d"]),
        "points": w.two(abs(p["change_1d"])),
    }
    if f.id == "vix_spike":
        return w.gettext(
            "The {vix} jumped {change} ({points} points) to {level} in one session."
        ).format(**a)
    return w.gettext(
        "The {vix} fell {change} ({points} points) to {level}: fear is easing from elevated levels."
    ).format(**a)


@_renders("watch_golden_cross", "watch_death_cross")
def _watch_cross(w: Writer, f: Finding) -> str:
    p = f.params
    n = p["sessions_ago"]
    a = {
        "symbol": p["symbol"],
        "date": w.date(p["date"]),
        "count": w.count(n),
        "sma_50": w.two(p["sma_50"]),
        "sma_200": w.two(p["sma_200"]),
    }
    if f.id == "watch_golden_cross":
        if n == 0:
            return w.gettext(
                "{symbol} formed a golden cross today ({date}): its 50-day average crossed "
                "above the 200-day (now {sma_50} against {sma_200})."
            ).format(**a)
        return w.ngettext(
            "{symbol} formed a golden cross on {date}, {count} session ago: its 50-day average "
            "crossed above the 200-day (now {sma_50} against {sma_200}).",
            "{symbol} formed a golden cross on {date}, {count} sessions ago: its 50-day average "
            "crossed above the 200-day (now {sma_50} against {sma_200}).",
            n,
        ).format(**a)
    if n == 0:
        return w.gettext(
            "{symbol} formed a death cross today ({date}): its 50-day average crossed below the "
            "200-day (now {sma_50} against {sma_200})."
        ).format(**a)
    return w.ngettext(
        "{symbol} formed a death cross on {date}, {count} session ago: its 50-day average "
        "crossed below the 200-day (now {sma_50} against {sma_200}).",
        "{symbol} formed a death cross on {date}, {count} sessions ago: its 50-day average "
        "crossed below the 200-day (now {sma_50} against {sma_200}).",
        n,
    ).format(**a)


@_renders("watch_drawdown", "watch_near_high")
def _watch_high(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"symbol": p["symbol"], "high": w.two(p["high_52w"]), "off": w.apct(p["from_high"])}
    if f.id == "watch_drawdown":
        return w.gettext(
            "{symbol} trades {off} below its 52-week high of ${high}, a deep drawdown for a "
            "market bellwether."
        ).format(**a)
    if p["from_high"] >= 0:
        return w.gettext("{symbol} closed at a new 52-week high of ${high}.").format(**a)
    return w.gettext("{symbol} closed within {off} of its 52-week high of ${high}.").format(**a)


@_renders("watch_trend_up", "watch_trend_down")
def _watch_trend(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "symbol": p["symbol"],
        "close": w.two(p["close"]),
        "sma_20": w.two(p["sma_20"]),
        "sma_50": w.two(p["sma_50"]),
        "sma_200": w.two(p["sma_200"]),
    }
    if f.id == "watch_trend_up":
        return w.gettext(
            "{symbol} closed at ${close}, above its 20-, 50- and 200-day averages ({sma_20}, "
            "{sma_50} and {sma_200}): the uptrend holds on every horizon."
        ).format(**a)
    return w.gettext(
        "{symbol} closed at ${close}, below its 20-, 50- and 200-day averages ({sma_20}, "
        "{sma_50} and {sma_200}): the trend is down on every horizon."
    ).format(**a)


# --- the edition's text --------------------------------------------------------------------------


def _say(w: Writer, finding: Finding) -> str:
    if finding.id not in RENDERERS:
        raise RenderError(f"no sentence for finding {finding.id!r}")
    return RENDERERS[finding.id](w, finding)


def sentence(finding: Finding, locale: str) -> str:
    """One finding as a sentence in ``locale``."""
    return _say(Writer(locale), finding)


def tags(insights: Insights, w: Writer) -> tuple[str, ...]:
    """Up to ``MAX_TAGS`` topics of the day, most salient first."""
    seen: dict[str, None] = {}
    for f in sorted(insights.all(), key=lambda f: -f.score):
        tag = SPECS[f.id].tag
        if tag is not None and tag not in seen:
            seen[tag] = None
    return tuple(w.gettext(TAGS[t]) for t in list(seen)[:MAX_TAGS])


def render_text(insights: Insights, report: dict[str, Any], locale: str) -> RenderedText:
    """The sentences, tone label and tags of one edition (``locale``: "zh-CN" or "en-US").

    ``report`` is the report the findings came from; the sentences carry every figure they
    cite in their params, so only the locale decides the wording.
    """
    w = Writer(locale)

    def say(found: tuple[Finding, ...]) -> tuple[str, ...]:
        return tuple(_say(w, f) for f in found)

    return RenderedText(
        locale=locale,
        tone_label=w.gettext(TONES[insights.tone]),
        key_points=say(insights.key_points),
        insights=say(insights.insights),
        risks=say(insights.risks),
        opportunities=say(insights.opportunities),
        tags=tags(insights, w),
    )


def render_report_text(report: dict[str, Any], locale: str) -> RenderedText:
    """The text of an edition from a report.json alone (for the portal and e-mail)."""
    return render_text(Insights.from_report(report), report, locale)
