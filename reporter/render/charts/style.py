"""How every chart looks: palette, fonts and sizes. Up/down colours come from the vocabulary
(one convention per locale, shared with the PDF and the portal)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: Colour-blind-safe line colours (Okabe-Ito), each paired with a distinct line style.
LINE_STYLES: tuple[tuple[str, str], ...] = (
    ("#0072B2", "-"),
    ("#D55E00", "--"),
    ("#6A3D9A", ":"),
    ("#444444", "-."),
)

GRID = "#d9d9d9"
INK = "#222222"
MUTED = "#666666"

#: Shade of the current outperformance run (light in grayscale too).
RUN_SHADE = "#efe2b0"
RUN_HATCH = "#8c7a36"  # the hatching over the shade: dark enough to show in grayscale

BASE_RC: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 8.0,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.0,
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "axes.titley": 1.0,
    "svg.hashsalt": "market-breadth-report",
    "svg.image_inline": True,
    "path.simplify": True,
}

#: Width of every chart in inches: fits the text block of A4 and Letter with safe margins.
CHART_WIDTH = 6.6

#: Room above an axes for its title, below for date ticks, and for a legend row (inches).
TITLE_SPACE = 0.3
TICK_SPACE = 0.26
LEGEND_SPACE = 0.24
#: Room left of the y tick labels for the axis label (inches).
YLABEL_SPACE = 0.36
#: A bilingual chart's second line of title (9 pt), and of tick or legend labels (7.5 pt).
EXTRA_LINE = 0.16
EXTRA_TICK_LINE = 0.13
#: Font size of the direct labels at the right end of lines.
END_LABEL_SIZE = 7.5
