"""Triggers in words: the level that would confirm or invalidate a risk or an opportunity.

A trigger (``params["trigger"]``) names a figure by its report path; ``measure`` turns the path
into the name of the figure as a sentence says it, and the way its level is written (a
percentage for a share, an index level, a count). Four whole sentences say it: confirmed or
invalidated, rising above or falling below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reporter.i18n import N_
from reporter.insights.text.writer import Writer
from reporter.vocabulary import EQUAL_WEIGHT_ETF, LARGE_CAPS, MEGA_CAP_ETF, SMALL_CAPS, VIX

Fmt = Callable[[Writer, float], str]

#: Figures by path: (pattern, name with placeholders, how to write a level). The placeholders
#: are filled from the path (``sym``) and the trigger (``symbol``).
MEASURES: tuple[tuple[str, str, str], ...] = (
    (r"volatility\.level", N_("the {vix}'s close"), "level"),
    (r"indices\.(?P<sym>[^.]+)\.close", N_("the {index}'s close"), "level"),
    (r"breadth\.pct_above_20d", N_("the share of S&P 500 members above their 20-day average"),
     "pct"),
    (r"breadth\.pct_above_50d", N_("the share of S&P 500 members above their 50-day average"),
     "pct"),
    (r"breadth\.pct_above_200d",
     N_("the share of S&P 500 members above their 200-day average"), "pct"),
    (r"breadth\.net_advances", N_("net advances (advancers minus decliners)"), "net"),
    (r"breadth\.new_lows", N_("the number of members at new 52-week lows"), "count"),
    (r"breadth\.new_highs", N_("the number of members at new 52-week highs"), "count"),
    (r"breadth\.up_volume_share", N_("up volume's share of member volume"), "pct"),
    (r"breadth\.mcclellan_oscillator_ratio_adjusted",
     N_("the ratio-adjusted McClellan oscillator"), "one"),
    (r"breadth\.summation_index", N_("the McClellan summation index"), "one"),
    (r"breadth\.zweig_ema", N_("the 10-session exponential average of the advancing share"), "pct"),
    (r"size_rotation\.mega_vs_equal\.spread_mtd",
     N_("the month-to-date lead of mega caps ({mega}) over the equal-weight S&P 500 ({equal})"),
     "pp"),
    (r"size_rotation\.mega_vs_equal\.spread_ytd",
     N_("the year-to-date lead of mega caps ({mega}) over the equal-weight S&P 500 ({equal})"),
     "pp"),
    (r"size_rotation\.spread_ytd",
     N_("the year-to-date lead of the {small} over the {large}"), "pp"),
    (r"size_rotation\.valuation\.discount",
     N_("the P/E discount of small caps to large caps"), "spct"),
    (r"breadth_by_sector\[\d+\]\.pct_above_50d",
     N_("the share of {sector} members above their 50-day average"), "pct"),
    (r"sectors\[\d+\]\.return_mtd", N_("the month-to-date return of {sector}"), "spct"),
    (r"watchlist\.(?P<sym>[^.]+)\.close", "", "level"),  # the ticker itself
    (r"watchlist\.(?P<sym>[^.]+)\.sma_50", N_("{symbol}'s 50-day average"), "level"),
)

CONFIRMED_ABOVE = N_("Confirmed if {measure} rises above {level} (now {now}).")
CONFIRMED_BELOW = N_("Confirmed if {measure} falls below {level} (now {now}).")
INVALIDATED_ABOVE = N_("Invalidated if {measure} rises above {level} (now {now}).")
INVALIDATED_BELOW = N_("Invalidated if {measure} falls below {level} (now {now}).")
VIEW_ABOVE = N_("What would change the view: {measure} rising above {level} (now {now}).")
VIEW_BELOW = N_("What would change the view: {measure} falling below {level} (now {now}).")
#: A level named by what it is (an average of the figure, its extreme, its earlier level), with
#: its value.
REFS = {
    "sma_50": N_("its 50-day average of {level}"),
    "sma_200": N_("its 200-day average of {level}"),
    "high_52w": N_("its 52-week high of {level}"),
    "low_5d": N_("its lowest close of the previous five sessions, {level}"),
    "pct_above_50d_5d_ago": N_("its level five sessions ago, {level}"),
    "pct_above_50d_prev": N_("its level the session before, {level}"),
}
#: A finding's sentence followed by its trigger's.
WITH_TRIGGER = N_("{finding} {trigger}")


def _fmt(w: Writer, kind: str, x: float) -> str:
    if kind == "pct":
        return w.pct(x)
    if kind == "spct":
        return w.spct(x)
    if kind == "count":
        return w.count(int(x))
    if kind == "net":
        return w.signed(x, 0)
    if kind == "one":
        return w.one(x)
    if kind == "pp":
        return w.gettext("{points} percentage points").format(points=w.spp(x))
    return w.level(x)


def measure(w: Writer, t: dict[str, Any]) -> tuple[str, str]:
    """The figure a trigger watches, as a sentence names it, and how its levels are written."""
    path = t["path"]
    for pattern, name, kind in MEASURES:
        m = re.fullmatch(pattern, path)
        if m is None:
            continue
        sym = m.groupdict().get("sym") or t.get("symbol") or ""
        if not name:
            return sym, kind
        words = w.gettext(name).format(
            vix=w.index(VIX), index=w.index(sym), symbol=sym,
            sector=w.sector(t.get("symbol") or sym), mega=MEGA_CAP_ETF, equal=EQUAL_WEIGHT_ETF,
            small=w.index(SMALL_CAPS), large=w.index(LARGE_CAPS),
        )
        return words, kind
    raise KeyError(f"no name for the trigger figure {path!r}")


def trigger_sentence(w: Writer, t: dict[str, Any]) -> str:
    """"Confirmed if the VIX falls below 20.00 (now 24.10)."""
    words, kind = measure(w, t)
    confirms = "confirms" in t
    message = {
        (True, "above"): CONFIRMED_ABOVE, (True, "below"): CONFIRMED_BELOW,
        (False, "above"): INVALIDATED_ABOVE, (False, "below"): INVALIDATED_BELOW,
    }[(confirms, t["direction"])]
    return w.gettext(message).format(measure=words, level=_level(w, kind, t),
                                     now=_fmt(w, kind, t["now"]))


def _level(w: Writer, kind: str, t: dict[str, Any]) -> str:
    """The trigger's level, named when it is an average ("its 200-day average of 5,755.68")."""
    level = _fmt(w, kind, t["level"])
    ref = t.get("ref")
    return w.gettext(REFS[ref]).format(level=level) if ref in REFS else level


def view_sentence(w: Writer, t: dict[str, Any]) -> str:
    """"What would change the view: the S&P 500 falling below 6,802.55 (now 6,845.50)."""
    words, kind = measure(w, t)
    message = VIEW_ABOVE if t["direction"] == "above" else VIEW_BELOW
    return w.gettext(message).format(measure=words, level=_level(w, kind, t),
                                     now=_fmt(w, kind, t["now"]))


def with_trigger(w: Writer, sentence: str, t: dict[str, Any] | None) -> str:
    """The finding's sentence and, when it has one, its trigger's."""
    if not t:
        return sentence
    return w.gettext(WITH_TRIGGER).format(finding=sentence, trigger=trigger_sentence(w, t))
