"""Sentences of the volatility findings."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("vix_stress", "vix_elevated", "vix_complacent", "vix_extreme")
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
