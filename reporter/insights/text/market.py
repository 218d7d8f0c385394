"""Sentences about the index: the month, and the close against its averages."""

from __future__ import annotations

from reporter.insights.findings import Finding
from reporter.insights.text.writer import Writer, renders


@renders("mtd_up", "mtd_down")
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


@renders("index_below_200d", "index_below_50d", "index_reclaiming", "index_above_averages",
         "index_200d_support")
def _index_trend(w: Writer, f: Finding) -> str:
    """Level statements: where the close stands against each average today; no word says the
    close crossed one today ("broke below", "back above"). "Holds above" the 200-day (仍守在)
    only when the session before closed above it too (``held_200d``)."""
    p = f.params
    a = {"index": w.index(p["symbol"]), "close": w.level(p["close"]),
         "sma_50": w.level(p["sma_50"]), "sma_200": w.level(p["sma_200"]),
         "vs_50": w.apct(p["vs_50"]), "vs_200": w.apct(p["vs_200"])}
    if f.id == "index_below_200d":
        return w.gettext(
            "The {index} closed at {close}, below both its 50-day ({sma_50}) and its 200-day "
            "({sma_200}) average, {vs_200} under the latter: the long-term trend is broken."
        ).format(**a)
    # "holds" / 仍守在 (still) only when the session before closed above the 200-day too
    held = p.get("held_200d") is True
    if f.id == "index_below_50d" and held:
        return w.gettext(
            "The {index} closed at {close}, {vs_50} below its 50-day average ({sma_50}): the "
            "short-term trend has weakened, though the index holds above its 200-day ({sma_200})."
        ).format(**a)
    if f.id == "index_below_50d":
        return w.gettext(
            "The {index} closed at {close}, {vs_50} below its 50-day average ({sma_50}): the "
            "short-term trend has weakened, though the index is above its 200-day ({sma_200})."
        ).format(**a)
    if f.id == "index_200d_support" and held:
        return w.gettext(
            "The {index} holds {vs_200} above its 200-day average ({sma_200}): the long-term "
            "trend is intact while that level holds."
        ).format(**a)
    if f.id == "index_200d_support":
        return w.gettext(
            "The {index} is {vs_200} above its 200-day average ({sma_200}): the long-term "
            "trend is intact while that level holds."
        ).format(**a)
    if f.id == "index_reclaiming":
        return w.gettext(
            "The {index} closed at {close}, above its 50-day average ({sma_50}) though {vs_200} "
            "below its 200-day ({sma_200}): a repair in progress."
        ).format(**a)
    return w.gettext(
        "The {index} closed at {close}, above its 50-day ({sma_50}) and 200-day ({sma_200}) "
        "averages: the backdrop stays constructive."
    ).format(**a)


@renders("index_extended", "index_support")
def _index_distance(w: Writer, f: Finding) -> str:
    p = f.params
    a = {"index": w.index(p["symbol"]), "sma_50": w.level(p["sma_50"]),
         "sma_200": w.level(p["sma_200"]), "vs_50": w.apct(p["vs_50"]),
         "vs_200": w.apct(p["vs_200"])}
    if f.id == "index_extended":
        return w.gettext(
            "The {index} stands {vs_50} above its 50-day average and {vs_200} above its 200-day: "
            "stretched, and prone to pull back toward the 50-day ({sma_50})."
        ).format(**a)
    return w.gettext(
        "The {index}'s cushion above its 50-day average ({sma_50}) is {vs_50}: a close below it "
        "would weaken the short-term picture."
    ).format(**a)
