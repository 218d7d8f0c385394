"""The report's charts, drawn once per locale as deterministic SVG with text kept as text.

``draw.render_charts`` is the entry point: it draws each chart of ``CHART_NAMES`` with its
module (``indices``, ``size_rotation``, ``sectors``, ``breadth``, ``participation``) and one
``watch`` chart per watch-list symbol. Shared pieces: ``data`` (what goes in and comes out,
plain data), ``labels`` (words and figures in the locale), ``style`` (palette, fonts, sizes),
``layout`` (figures placed from measured text, axes, direct labels, SVG output).

Importing this package is cheap; matplotlib loads with ``draw`` and the chart modules.
"""
