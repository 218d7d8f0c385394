"""Sentences of the quality of the move, who carried it and the member baskets. Every word
that claims a direction was chosen by the rule from the figure as shown; the rest are signed
figures."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


def _times(w: Writer, x: float) -> str:
    return w.two(x)


def _and_range(w: Writer, text: str, share: float | None, top: bool) -> str:
    """``text``, then where members closed in their range when that figure is known."""
    if share is None:
        return text
    if top:
        extra = w.gettext(
            "{share} of members closed in the top quarter of their day's range."
        ).format(share=w.pct(share))
    else:
        extra = w.gettext(
            "{share} of members closed in the bottom quarter of their day's range."
        ).format(share=w.pct(share))
    return w.gettext("{first} {second}").format(first=text, second=extra)


@renders("quality_broad_advance", "quality_broad_decline")
def _broad(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"share": w.pct(p["volume_share"]), "ratio": _times(w, p["volume_vs_20d"])}
    if f.id == "quality_broad_advance":
        text = w.gettext(
            "A broad, high-volume advance: {share} of member volume traded in advancing "
            "members, and total member volume was {ratio} times its 20-day average."
        ).format(**a)
        return _and_range(w, text, p.get("close_quarter"), top=True)
    text = w.gettext(
        "A broad, high-volume decline: {share} of member volume traded in declining members, "
        "and total member volume was {ratio} times its 20-day average."
    ).format(**a)
    return _and_range(w, text, p.get("close_quarter"), top=False)


@renders("quality_light_advance", "quality_light_decline")
def _light(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"share": w.pct(p["volume_share"]), "ratio": _times(w, p["volume_vs_20d"])}
    if f.id == "quality_light_advance":
        return w.gettext(
            "The advance was broad but light: {share} of member volume traded in advancing "
            "members, yet total member volume was only {ratio} times its 20-day average, so "
            "conviction is not yet shown."
        ).format(**a)
    return w.gettext(
        "The decline was broad but light: {share} of member volume traded in declining "
        "members, yet total member volume was only {ratio} times its 20-day average: selling "
        "without heavy participation."
    ).format(**a)


@renders("quality_faded", "quality_recovered")
def _range(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "change": w.apct(p["return_1d"]),
         "top": w.pct(p["top"]), "bottom": w.pct(p["bottom"])}
    if f.id == "quality_faded":
        return w.gettext(
            "The {index} rose {change}, but {bottom} of members closed in the bottom quarter "
            "of their day's range (top quarter: {top}): the gains faded into the close."
        ).format(**a)
    return w.gettext(
        "The {index} fell {change}, but {top} of members closed in the top quarter of their "
        "day's range (bottom quarter: {bottom}): buyers returned into the close."
    ).format(**a)


@renders("quality_sigma_move")
def _sigma(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "change": w.apct(p["return_1d"]),
         "sigmas": w.one(abs(p["sigmas"])), "vol": w.pct(p["volatility_20d"])}
    if p["return_1d"] > 0:
        return w.gettext(
            "The {index}'s {change} rise was {sigmas} standard deviations of its daily returns "
            "over the 20 sessions before (daily volatility {vol}): far outside its recent "
            "range."
        ).format(**a)
    return w.gettext(
        "The {index}'s {change} fall was {sigmas} standard deviations of its daily returns "
        "over the 20 sessions before (daily volatility {vol}): far outside its recent range."
    ).format(**a)


@renders("quality_vix_below_realized", "quality_vix_rich")
def _vix_realized(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"vix": w.two(p["vix"]), "realized": w.one(p["realized"] * 100),
         "ratio": w.two(p["ratio"])}
    if f.id == "quality_vix_below_realized":
        return w.gettext(
            "The VIX at {vix} is below the S&P 500's 20-day realized volatility of {realized} "
            "(annualized, in the same points): options price less movement than the index has "
            "just delivered."
        ).format(**a)
    return w.gettext(
        "The VIX at {vix} is {ratio} times the S&P 500's 20-day realized volatility of "
        "{realized} (annualized, in the same points): protection is priced well above the "
        "movement of the past month."
    ).format(**a)


@renders("carry_largest")
def _carry(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"sector": w.sector(p["etf"]), "etf": p["etf"], "change": w.apct(p["etf_return_1d"]),
         "median": w.spct(p["median_return_1d"])}
    how = p["how"]
    if how == "carried":
        text = w.gettext(
            "{sector} ({etf}) rose {change} while its median member returned {median}: its "
            "largest names carried it."
        ).format(**a)
    elif how == "held_back":
        text = w.gettext(
            "{sector} ({etf}) rose {change}, less than its median member's {median}: its "
            "largest names held it back."
        ).format(**a)
    elif how == "dragged":
        text = w.gettext(
            "{sector} ({etf}) fell {change} while its median member returned {median}: its "
            "largest names dragged it down."
        ).format(**a)
    else:
        text = w.gettext(
            "{sector} ({etf}) fell {change}, less than its median member's {median}: its "
            "largest names cushioned the fall."
        ).format(**a)
    if not p["movers"]:
        return text
    movers = w.items([
        w.gettext("{symbol} {change}").format(symbol=m["symbol"], change=w.spct(m["return_1d"]))
        for m in p["movers"]
    ])
    if p["gap"] > 0:
        extra = w.gettext(
            "Among its {largest} largest members by average dollar volume (our proxy for index "
            "weight), the biggest movers above the median member: {movers}."
        )
    else:
        extra = w.gettext(
            "Among its {largest} largest members by average dollar volume (our proxy for index "
            "weight), the biggest movers below the median member: {movers}."
        )
    return w.gettext("{first} {second}").format(
        first=text, second=extra.format(largest=w.count(p["largest_used"] or 0), movers=movers))


@renders("basket_squeeze", "basket_broad", "basket_unwind")
def _baskets(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"winners": w.spct(p["winners"]), "losers": w.spct(p["losers"]),
         "spread": w.pp(p["spread"])}
    if f.id == "basket_squeeze":
        squeeze = w.gettext(
            "Losers outran winners within a broad advance: the fifth of members with the weakest "
            "12-month momentum returned {losers}, the strongest fifth {winners} ({spread} "
            "percentage points behind), and high-volatility members beat low-volatility ones by "
            "{vol} percentage points: short covering added to the buying."
        ) if p.get("broad") else w.gettext(
            "Losers outran winners: the fifth of members with the weakest 12-month momentum "
            "returned {losers}, the strongest fifth {winners} ({spread} percentage points "
            "behind), and high-volatility members beat low-volatility ones by {vol} percentage "
            "points: the marks of a short-covering squeeze more than of a broad advance."
        )
        return squeeze.format(vol=w.pp(p["volatility_spread"]), **a)
    if f.id == "basket_broad":
        return w.gettext(
            "Momentum winners ({winners}) and losers ({losers}) rose alike, with most members "
            "advancing: a broad advance rather than a squeeze of the losers."
        ).format(**a)
    return w.gettext(
        "Momentum unwound: the fifth of members with the strongest 12-month momentum returned "
        "{winners}, the weakest fifth {losers} ({spread} percentage points ahead)."
    ).format(**a)
