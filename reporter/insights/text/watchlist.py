"""Sentences of the watch-list findings."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("watch_golden_cross", "watch_death_cross")
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


@renders("watch_below_high")
def _watch_below_high(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"symbol": p["symbol"], "high": w.two(p["high_52w"]), "off": w.apct(p["from_high"])}
    return w.gettext(
        "{symbol} trades {off} below its 52-week high of ${high}: the bellwether has yet to "
        "regain its peak."
    ).format(**a)


@renders("watch_extended")
def _watch_extended(w: Writer, f: Finding) -> str:
    p = f.params
    return w.gettext(
        "{symbol} closed {above} above its 50-day average ({sma_50}): stretched, with room to "
        "fall back toward it."
    ).format(symbol=p["symbol"], above=w.apct(p["above_50"]), sma_50=w.two(p["sma_50"]))


@renders("watch_leading")
def _watch_leading(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"symbol": p["symbol"], "high": w.two(p["high_52w"]), "off": w.within(p["from_high"])}
    if p["from_high"] >= 0:
        return w.gettext(
            "{symbol} closed at a 52-week high of ${high} with its 20-, 50- and 200-day averages "
            "all rising: the bellwether is leading."
        ).format(**a)
    return w.gettext(
        "{symbol} is within {off} of its 52-week high of ${high} with its 20-, 50- and 200-day "
        "averages all rising: the bellwether is leading."
    ).format(**a)


@renders("watch_drawdown", "watch_near_high")
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
    a["off"] = w.within(p["from_high"])
    return w.gettext("{symbol} closed within {off} of its 52-week high of ${high}.").format(**a)


@renders("watch_trend_up", "watch_trend_down")
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
