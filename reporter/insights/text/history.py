"""Sentences of "what happened next": history, never a forecast. The direction word of each
index (higher, lower, little changed) is chosen by the rule from the median's sign as shown; a
small sample is said to be small and gets no direction word."""

from __future__ import annotations

from typing import Any

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders
from reporter.vocabulary import SIGNALS


def signal_name(w: Writer, sid: str) -> str:
    """The signal's name in a sentence (plural): "90% up-volume days"."""
    return w.gettext(SIGNALS[sid].name) if sid in SIGNALS else sid


def _clause(w: Writer, p: dict[str, Any], horizon: int | None) -> str:
    """One index's median and share positive, with the horizon when ``horizon`` is given (the
    first index of the sentence) and without it for the second."""
    a = {"index": w.index(p["symbol"]), "median": w.spct(p["median"]),
         "share": w.pct(p["share_positive"])}
    if horizon is not None:
        a["horizon"] = w.count(horizon)
        if p["direction"] == "up":
            return w.gettext(
                "the {index} was higher {horizon} sessions later in the median case ({median}, "
                "positive in {share} of them)"
            ).format(**a)
        if p["direction"] == "down":
            return w.gettext(
                "the {index} was lower {horizon} sessions later in the median case ({median}, "
                "positive in {share} of them)"
            ).format(**a)
        return w.gettext(
            "the {index} was little changed {horizon} sessions later in the median case "
            "({median}, positive in {share} of them)"
        ).format(**a)
    if p["direction"] == "up":
        return w.gettext("the {index} was higher ({median}, positive in {share})").format(**a)
    if p["direction"] == "down":
        return w.gettext("the {index} was lower ({median}, positive in {share})").format(**a)
    return w.gettext(
        "the {index} was little changed ({median}, positive in {share})"
    ).format(**a)


@renders("history_after")
def _history_after(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "n": w.count(p["n"]),
        "signal": signal_name(w, p["signal"]),
        "start": w.month(p["history_start"]),
        "spx": _clause(w, p["spx"], p["horizon"]),
        "rut": _clause(w, p["rut"], None),
    }
    if p["history"] == "members":
        return w.gettext(
            "History, not a forecast: after the {n} earlier {signal} in the members' history "
            "since {start} (today's members, so survivorship applies; overlapping occurrences "
            "counted once), {spx}, and {rut}."
        ).format(**a)
    return w.gettext(
        "History, not a forecast: after the {n} earlier {signal} in the indices' history since "
        "{start} (overlapping occurrences counted once), {spx}, and {rut}."
    ).format(**a)


@renders("history_small")
def _history_small(w: Writer, f: Finding) -> str:
    p = f.params
    a = {
        "n": w.count(p["n"]),
        "signal": signal_name(w, p["signal"]),
        "start": w.month(p["history_start"]) if p.get("history_start") else "",
        "horizon": w.count(p["horizon"]),
        "min": w.count(p["min_sample"]),
    }
    if p["history"] == "members":
        return w.gettext(
            "History says little here: the members' history since {start} (today's members) "
            "holds only {n} earlier {signal} with {horizon} sessions after them, fewer than "
            "{min}: too small a sample to read anything into what followed."
        ).format(**a)
    return w.gettext(
        "History says little here: the indices' history since {start} holds only {n} earlier "
        "{signal} with {horizon} sessions after them, fewer than {min}: too small a sample to "
        "read anything into what followed."
    ).format(**a)
