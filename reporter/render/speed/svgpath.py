"""Chart paths drawn without the PDF engine's general path parser, to the same operators.

matplotlib writes every line, bar, tick and clip of a chart as an SVG path of absolute moves,
lines and cubic curves separated by spaces (``M 27.5 82.8 L 30 40 z``). The engine parses any
path with twenty string replacements, a regular expression per command and a unit-aware length
parser per coordinate, and appends each command to the page's content as an item of its own:
about a quarter of the time it spends drawing a report's charts. A path made only of ``M``,
``L``, ``C`` and ``Z`` with plain numbers is drawn here instead, in one pass: the operators
the engine writes, with its number formatting, in its order, and the same list of vertices
(which markers read). Any other path, and an engine whose SVG module has another shape, goes
the engine's way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from math import atan2, pi
from typing import Any, cast

__all__ = ["draw_plain_paths", "plain_path"]

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
#: Numbers each command takes; after ``M`` further pairs are lines, as in SVG.
_ARITY = {"M": 2, "L": 2, "C": 6, "Z": 0, "z": 0}

Command = tuple[str, tuple[float, ...]]


def plain_path(d: str) -> list[Command] | None:
    """The commands of ``d`` if it is a plain absolute path (``M``/``L``/``C``/``Z``, numbers
    apart from each other and from the letters), implicit repeats made explicit; else None."""
    tokens = d.replace(",", " ").split()
    commands: list[Command] = []
    letter = ""
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i] in _ARITY:
            letter = tokens[i]
            i += 1
        elif not letter or letter in "Zz":  # numbers first, or after a close: not plain
            return None
        elif letter == "M":
            letter = "L"  # further pairs after a move are lines; after others, the same
        arity = _ARITY[letter]
        args = tokens[i:i + arity]
        if len(args) < arity or not all(_NUMBER.fullmatch(a) for a in args):
            return None
        commands.append((letter, tuple(float(a) for a in args)))
        i += arity
    return commands


def _number(value: float | int) -> bytes:
    """A number as the PDF writer (pydyf) writes it."""
    if isinstance(value, int):
        return str(value).encode("ascii")
    if value.is_integer():
        return str(int(value)).encode("ascii")
    return f"{value:f}".rstrip("0").encode("ascii")


def _draw(commands: list[Command], vertices: Any) -> bytes:
    """The operators for ``commands``; ``vertices`` receives what the engine's parser gives."""
    ops = [b"0 0 m"]  # the engine always starts with a move to the origin
    current: tuple[float, float] = (0, 0)
    first: tuple[float, float] | None = None
    last = ""
    for letter, args in commands:
        if last in ("", "z", "Z") and letter != "M":
            vertices.append(current)
            first = current
        if last in ("", "M", "z", "Z"):
            first = None
        if letter not in ("M", "z", "Z") and first is None:
            first = current
        if letter == "L":
            x, y = args
            angle = atan2(y - current[1], x - current[0])
            vertices.append((pi - angle, angle))
            ops.append(b"%s %s l" % (_number(x), _number(y)))
            current = (x, y)
        elif letter == "M":
            x, y = args
            if last and last not in ("z", "Z"):
                vertices.append(None)
            ops.append(b"%s %s m" % (_number(x), _number(y)))
            current = (x, y)
        elif letter == "C":
            x1, y1, x2, y2, x3, y3 = args
            vertices.append((atan2(y1 - y2, x1 - x2), atan2(y3 - y2, x3 - x2)))
            ops.append(b" ".join((*map(_number, args), b"c")))
            current = (x3, y3)
        elif first:  # a close, after something drawn
            vertices.append(None)
            ops.append(b"h")
            current = first
        if letter not in ("z", "Z"):
            vertices.append(current)
        last = letter
    return b"\n".join(ops)


def draw_plain_paths() -> bool:
    """Install the fast path in the engine's SVG module (once); False where the module is not
    the shape it was written for, and nothing changes."""
    try:
        from weasyprint import svg as engine_svg
    except ImportError:  # pragma: no cover - the engine is a dependency
        return False
    tags = getattr(engine_svg, "TAGS", None)
    found = tags.get("path") if isinstance(tags, dict) else None
    if getattr(found, "plain", False):
        return True
    if not callable(found):
        return False
    original = cast("Callable[..., Any]", found)

    def path(svg: Any, node: Any, font_size: float) -> Any:
        commands = plain_path(node.get("d", "") or "")
        stream = getattr(getattr(svg, "stream", None), "stream", None)
        if not commands or not isinstance(stream, list):
            return original(svg, node, font_size)
        stream.append(_draw(commands, node.vertices))
        return None

    wrapped: Callable[..., Any] = path
    wrapped.plain = True  # type: ignore[attr-defined]
    assert tags is not None
    tags["path"] = wrapped
    return True
