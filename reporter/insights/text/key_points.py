"""Sentences of the key data points."""

from __future__ import annotations

from reporter.i18n import shown_sign
from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("kp_index_up", "kp_index_down", "kp_index_flat")
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
    return w.gettext("The {index} was little changed at {close}.").format(**a)


@renders("kp_all_time_high", "kp_round_level")
def _kp_milestone(w: Writer, f: Finding) -> str:
    """A record close is up on the day; a gain too small to show is not worded as a rise."""
    p = f.params
    a = {
        "index": w.index(p["symbol"]),
        "change": w.apct(p["return_1d"]),
        "close": w.level(p["close"]),
    }
    shows = shown_sign(p["return_1d"], 1, 100.0) > 0
    if f.id == "kp_round_level":
        if shows:
            return w.gettext(
                "The {index} rose {change} to {close}, its first close above {level}."
            ).format(level=w.plain(p["level"]), **a)
        return w.gettext(
            "The {index} closed at {close}, its first close above {level}."
        ).format(level=w.plain(p["level"]), **a)
    if shows:
        return w.gettext("The {index} rose {change} to a record close of {close}.").format(**a)
    return w.gettext("The {index} edged up to a record close of {close}.").format(**a)


@renders("kp_advancers_lead", "kp_decliners_lead", "kp_ad_even")
def _kp_ad(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"advancers": w.count(p["advancers"]), "decliners": w.count(p["decliners"])}
    if f.id == "kp_advancers_lead":
        if p.get("nearly_all"):
            return w.gettext(
                "Nearly all index members rose: advancers outnumbered decliners {advancers} to "
                "{decliners}."
            ).format(**a)
        return w.gettext(
            "Advancers outnumbered decliners {advancers} to {decliners} among index members."
        ).format(**a)
    if f.id == "kp_decliners_lead":
        if p.get("nearly_all"):
            return w.gettext(
                "Nearly all index members fell: decliners outnumbered advancers {decliners} to "
                "{advancers}."
            ).format(**a)
        return w.gettext(
            "Decliners outnumbered advancers {decliners} to {advancers} among index members."
        ).format(**a)
    return w.gettext("Advancers and decliners were even at {advancers} each.").format(**a)


@renders("kp_pct_above")
def _kp_pct_above(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "{pct_50d} of members closed above their 50-day average and {pct_200d} above their "
        "200-day average."
    ).format(pct_50d=w.pct(p["pct_50d"]), pct_200d=w.pct(p["pct_200d"]))


@renders("kp_net_new_highs", "kp_net_new_lows")
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


@renders("kp_small_lead", "kp_large_lead")
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


@renders("kp_vix_up", "kp_vix_down", "kp_vix_flat")
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
    return w.gettext("The {vix} was little changed at {level}.").format(**a)


@renders("kp_sector_range")
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


@renders("kp_watch_up", "kp_watch_down")
def _kp_watch(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"symbol": p["symbol"], "change": w.apct(p["return_1d"]), "close": w.two(p["close"])}
    if f.id == "kp_watch_up":
        return w.gettext("{symbol} rose {change} to ${close}.").format(**a)
    return w.gettext("{symbol} fell {change} to ${close}.").format(**a)
