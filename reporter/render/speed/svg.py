"""Chart SVGs as the PDF engine draws them fastest: the same picture, less work per node.

matplotlib wraps every artist in a group named by an id and gives every label an identity
rotation; the PDF engine walks, cascades and transforms each of those nodes in Python. The copy
handed to the engine drops what cannot change the picture: metadata and title, ids nothing
refers to, groups left with no attribute at all (their children move up), and rotations by
zero. It also does once, with a string split, what the engine does for every node with a CSS
parser: each ``style`` attribute becomes the attributes it declares, and the one rule of
matplotlib's style sheet (``*{stroke-linejoin: round; ...}``) is written on every element
that does not declare those itself, which is the order the engine applies them in (inherited
values, then the sheet, then the element's own style). Anything else in a style (a quote with
a separator inside, ``!important``, a comment, another selector) leaves the styles as they are.
The chart files written beside the PDFs keep matplotlib's output as it is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
#: Attribute namespaces written back with their usual prefix; any other keeps the input as is.
_PREFIXES = {XLINK_NS: "xlink", "http://www.w3.org/XML/1998/namespace": "xml"}
_GROUP = f"{{{SVG_NS}}}g"
#: Elements the engine never draws.
_DROPPED = frozenset(f"{{{SVG_NS}}}{tag}" for tag in ("metadata", "title", "desc"))
_STYLE = f"{{{SVG_NS}}}style"
#: A style sheet of one rule for every element: the only one matplotlib writes.
_STAR_RULE = re.compile(r"\s*\*\s*\{([^{}]*)\}\s*")
#: What a plain split on ``;`` and ``:`` would read wrongly.
_NOT_PLAIN = re.compile(r"!|/\*|\\|(['\"])[^'\"]*[;:][^'\"]*\1")
_PROPERTY = re.compile(r"[A-Za-z][A-Za-z-]*")
#: ``rotate(-0 61.2 221.8)``: a rotation by zero degrees about a point is no transform at all.
_NO_ROTATION = re.compile(r"\s*rotate\(\s*[-+]?0*(?:\.0*)?\s+[-+.\deE]+[\s,]+[-+.\deE]+\s*\)\s*")
#: Ids other elements refer to (clip paths, ``<use>`` targets) must stay.
_REFERENCE = re.compile(rb"url\(#([^)\s]+)\)|href=\"#([^\"]+)\"")


def embeddable_svg(svg: bytes) -> bytes:
    """``svg`` without the nodes that cannot change how it is drawn; the input itself when it
    is not the plain SVG this expects (the engine then sees exactly what the chart holds)."""
    referenced = {(a or b).decode("utf-8", "replace") for a, b in _REFERENCE.findall(svg)}
    try:
        root = ET.fromstring(svg)
        if root.tag != f"{{{SVG_NS}}}svg":
            return svg
        _prune(root, referenced)
        _inline_styles(root)
        out = ['<svg xmlns="', SVG_NS, '" xmlns:xlink="', XLINK_NS, '"']
        _write(root, out, top=True)
        return "".join(out).encode("utf-8")
    except (ET.ParseError, ValueError):
        return svg


def _prune(parent: ET.Element, referenced: set[str]) -> None:
    kept: list[ET.Element] = []
    for child in parent:
        if child.tag in _DROPPED:
            continue
        _prune(child, referenced)
        attrib = child.attrib
        if "id" in attrib and attrib["id"] not in referenced:
            del attrib["id"]
        if "transform" in attrib and _NO_ROTATION.fullmatch(attrib["transform"]):
            del attrib["transform"]
        if child.tag == _GROUP and not attrib and not (child.text or "").strip():
            kept.extend(child)
        else:
            kept.append(child)
    parent[:] = kept


def _declarations(text: str) -> list[tuple[str, str]] | None:
    """``name: value; ...`` as pairs, or None where a plain split could misread it."""
    if _NOT_PLAIN.search(text):
        return None
    pairs: list[tuple[str, str]] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, colon, value = part.partition(":")
        name = name.strip()
        if not colon or not _PROPERTY.fullmatch(name):
            return None
        pairs.append((name.lower(), value.strip()))
    return pairs


def _inline_styles(root: ET.Element) -> None:
    """Every ``style`` attribute and the ``*`` rule of the style sheet as plain attributes
    (see the module); nothing changed unless every one of them is plain."""
    sheets = [e for e in root.iter(_STYLE)]
    star: list[tuple[str, str]] = []
    for sheet in sheets:
        rule = _STAR_RULE.fullmatch(sheet.text or "")
        found = _declarations(rule.group(1)) if rule else None
        if found is None or sheet.get("type", "text/css") != "text/css":
            return
        star.extend(found)
    styled: list[tuple[ET.Element, list[tuple[str, str]]]] = []
    for element in root.iter():
        own = _declarations(element.get("style", ""))
        if own is None:
            return
        styled.append((element, own))
    for sheet in sheets:
        for parent in root.iter():
            if sheet in parent:
                parent.remove(sheet)
    for element, own in styled:
        if element is root or element.tag == _STYLE:
            continue
        element.attrib.pop("style", None)
        for name, value in (*star, *own):
            element.set(name, value)


def _name(qualified: str, attribute: bool) -> str:
    """``{ns}local`` as written in the output: SVG elements bare, xlink/xml attributes prefixed."""
    if not qualified.startswith("{"):
        if attribute:
            return qualified
        raise ValueError(f"element {qualified!r} outside the SVG namespace")
    uri, local = qualified[1:].split("}", 1)
    if uri == SVG_NS and not attribute:
        return local
    if attribute and uri in _PREFIXES:
        return f"{_PREFIXES[uri]}:{local}"
    raise ValueError(f"unexpected namespace {uri!r}")


def _write(element: ET.Element, out: list[str], *, top: bool = False) -> None:
    """Serialise ``element`` (the root's namespace declarations are already in ``out``)."""
    tag = _name(element.tag, attribute=False)
    if not top:
        out.append(f"<{tag}")
    for key, value in element.attrib.items():
        out.append(f" {_name(key, attribute=True)}={quoteattr(value)}")
    if not len(element) and not element.text:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            out.append(escape(element.text))
        for child in element:
            _write(child, out)
        out.append(f"</{tag}>")
    if element.tail and not top:
        out.append(escape(element.tail))
