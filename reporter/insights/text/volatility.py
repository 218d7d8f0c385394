"""Sentences of the volatility findings. The regime sentences state the level and its place
against the bands and the 20-day average, and the day's change as a signed figure: no word
says the VIX rose on a day it fell."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("vix_stress", "vix_elevated", "vix_easing", "vix_rising", "vix_calm")
def _vix_regime(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "vix": w.index(p["symbol"]),
        "level": w.two(p["level"]),
        "change": w.signed(p["change_1d"]),
        "threshold": w.plain(p["threshold"]),
    }
    if "sma_20" in p:
        a["sma"] = w.two(p["sma_20"])
    if f.id == "vix_stress":
        return w.gettext(
            "The {vix} closed at {level} ({change} points on the day), above {threshold}: the "
            "market is pricing acute stress."
        ).format(**a)
    if f.id == "vix_elevated":
        return w.gettext(
            "The {vix} closed at {level} ({change} points on the day), above {threshold} and "
            "above its 20-day average of {sma}: demand for protection is high and not yet "
            "easing."
        ).format(**a)
    if f.id == "vix_easing":
        return w.gettext(
            "The {vix} closed at {level} ({change} points on the day), still above {threshold} "
            "but below its 20-day average of {sma}: stress is easing."
        ).format(**a)
    if f.id == "vix_rising":
        return w.gettext(
            "The {vix} closed at {level} ({change} points on the day), below {threshold} but "
            "above its 20-day average of {sma}: volatility has picked up from a low base."
        ).format(**a)
    return w.gettext(
        "The {vix} closed at {level} ({change} points on the day), below {threshold} and below "
        "its 20-day average of {sma}: calm markets that support risk-taking."
    ).format(**a)


@renders("vix_complacent")
def _vix_complacent(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"vix": w.index(p["symbol"]), "level": w.two(p["level"]),
         "threshold": w.plain(p["threshold"])}
    if p.get("rich"):  # protection priced above the volatility realized: not complacency
        a["ratio"] = w.two(p["implied_to_realized"])
        if p.get("percentile") is not None and p["level"] >= p["threshold"]:
            return w.gettext(
                "The {vix} at {level} sits in the lowest {pct} of its closes over the past "
                "year, though at {ratio} times the S&P 500's realized volatility protection is "
                "not cheap: the risk is a jolt from a low base, not complacency."
            ).format(pct=w.pct(p["percentile"]), **a)
        return w.gettext(
            "The {vix} closed at {level}, below {threshold}, though at {ratio} times the S&P "
            "500's realized volatility protection is not cheap: the risk is a jolt from a low "
            "base, not complacency."
        ).format(**a)
    if p.get("percentile") is not None and p["level"] >= p["threshold"]:
        return w.gettext(
            "The {vix} at {level} sits in the lowest {pct} of its closes over the past year: "
            "complacency leaves little cushion against a shock."
        ).format(pct=w.pct(p["percentile"]), **a)
    return w.gettext(
        "The {vix} closed at {level}, below {threshold}: complacency leaves little cushion "
        "against a shock."
    ).format(**a)


@renders("vix_extreme")
def _vix_extreme(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "The {vix} closed at {level}, above {threshold}: fear at this pitch has in the past "
        "tended to peak near market lows."
    ).format(vix=w.index(p["symbol"]), level=w.two(p["level"]), threshold=w.plain(p["threshold"]))


@renders("vix_fear")
def _vix_fear(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "The {vix} at {level} is at or above its close on {pct} of the past year's sessions: "
        "fear is near the top of its one-year range."
    ).format(vix=w.index(p["symbol"]), level=w.two(p["level"]), pct=w.pct(p["percentile"]))


@renders("vix_spike", "vix_relief")
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
