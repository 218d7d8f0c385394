"""Chart labels drawn as one run of text each, not one run per letter.

The PDF engine lays out and draws every letter of an SVG ``<text>`` on its own, so that what
places letters one by one (lists of ``x`` or ``y``, ``dx``, ``dy``, ``rotate``, ``letter-spacing``,
``textLength``) can apply. A chart label uses none of them, yet its letters cost a layout and a
draw each: some 4,000 letters per run, a twentieth of the render's time. ``draw_text_in_runs``
wraps the engine's text function: a ``<text>`` or ``<tspan>`` that uses none of those is handed
over as a single "letter", so it is laid out and drawn once, shaped as a whole as a browser
shapes it (kerning included). Anything else, and an engine whose SVG module has another shape,
goes the engine's own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

__all__ = ["draw_text_in_runs", "one_run"]

#: Attributes that place letters one by one (an ``x`` or ``y`` list is checked apart).
_PER_LETTER = ("dx", "dy", "rotate", "textLength")


class _OneRun(str):
    """A text that iterates as one letter: the whole of it, once."""

    __slots__ = ()

    def __iter__(self) -> Iterator[str]:
        yield str(self)


def one_run(node: Any) -> bool:
    """Whether an SVG text node can be drawn as one run: a ``text`` or ``tspan`` with text, at
    most one ``x`` and one ``y``, and nothing that places its letters one by one."""
    if node.tag not in ("text", "tspan") or not node.text:
        return False
    if any(node.get(name) is not None for name in _PER_LETTER):
        return False
    if any(len((node.get(axis) or "").replace(",", " ").split()) > 1 for axis in ("x", "y")):
        return False
    spacing = (node.get("letter-spacing") or "normal").strip()
    return spacing in ("normal", "0", "0px")


def draw_text_in_runs() -> bool:
    """Install the wrapper in the engine's SVG module (once); False where the module is not
    the shape it was written for, and nothing changes."""
    try:
        from weasyprint import svg as engine_svg
    except ImportError:  # pragma: no cover - the engine is a dependency
        return False
    found = getattr(engine_svg, "text", None)
    tags = getattr(engine_svg, "TAGS", None)
    if getattr(found, "in_runs", False):
        return True
    if not callable(found) or not isinstance(tags, dict) or tags.get("text") is not found:
        return False
    original = cast("Callable[..., Any]", found)

    def in_runs(svg: Any, node: Any, font_size: float) -> Any:
        element = getattr(node, "_etree_node", None)
        if element is None or not one_run(node):
            return original(svg, node, font_size)
        content = element.text
        element.text = _OneRun(content)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = content

    wrapped: Callable[..., Any] = in_runs
    wrapped.in_runs = True  # type: ignore[attr-defined]
    for tag, draw in list(tags.items()):
        if draw is original:
            tags[tag] = wrapped
    engine_svg.text = wrapped  # the engine compares each node's function against this name
    return True
