"""The bilingual edition: the single-language PDFs joined page for page, not laid out again.

Each language is laid out once, in its own process; joining the finished PDFs avoids painting
every page and chart a second time. The join keeps what makes the parts accessible: one
structure tree (a ``Document`` holding one ``Part`` per language, each with its ``/Lang``), a
consistent parent tree, and an outline with one top-level entry per language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation, Pdf, String

from reporter.errors import RenderError


@dataclass(frozen=True)
class Part:
    """One finished single-language PDF and how the bilingual edition names it."""

    locale: str
    pdf: bytes
    label: str  # top-level bookmark, e.g. "中文版" / "English edition"


def _outline_items(src: Pdf, page_offset: int) -> list[OutlineItem]:
    """Copies of ``src``'s outline entries, pointing at the same pages shifted by the offset."""
    index = {page.obj.objgen: i for i, page in enumerate(src.pages)}

    def convert(item: OutlineItem) -> OutlineItem:
        dest = item.destination
        page = page_offset
        left = top = 0.0
        if isinstance(dest, Array) and len(dest) >= 4:
            page += index.get(dest[0].objgen, 0)
            left, top = float(dest[2]), float(dest[3])
        out = OutlineItem(str(item.title), page, PageLocation.XYZ, left=left, top=top)
        out.is_closed = item.is_closed
        out.children.extend(convert(child) for child in item.children)
        return out

    with src.open_outline() as outline:
        return [convert(item) for item in outline.root]


def _struct_parents(pdf: Pdf) -> dict[int, object]:
    """The parent tree of a structure tree root as {key: value} (flat ``Nums`` only)."""
    tree = pdf.Root.StructTreeRoot.ParentTree
    if "/Kids" in tree:
        raise RenderError("nested parent trees are not supported in the bilingual join")
    nums = tree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _annotations_by_key(pdf: Pdf, first: int, count: int) -> dict[int, pikepdf.Object]:
    """Annotations of pages ``first .. first+count-1`` by their ``/StructParent`` key."""
    found: dict[int, pikepdf.Object] = {}
    for page in list(pdf.pages)[first : first + count]:
        for annot in page.obj.get("/Annots", Array()):
            if "/StructParent" in annot:
                found[int(annot.StructParent)] = annot
    return found


def _copy(out: Pdf, value: object) -> object:
    """``value`` of another PDF in ``out``: indirect objects copied (once), arrays item by item."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(out, item) for item in value])
    return value


def _structure_elements(root: pikepdf.Object) -> list[Dictionary]:
    """Every structure element under ``root`` (depth first), each once."""
    seen: set[tuple[int, int]] = set()
    out: list[Dictionary] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary) or node.get("/Type") != Name.StructElem:
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        out.append(node)
        kids = node.get("/K")
        if isinstance(kids, Array):
            stack.extend(reversed(list(kids)))
        elif kids is not None:
            stack.append(kids)
    return out


def _prefix_ids(doc: pikepdf.Object, prefix: str) -> None:
    """Make a part's element IDs (table headers) unique in the joined document."""
    for elem in _structure_elements(doc):
        if "/ID" in elem:
            elem.ID = String(prefix + str(elem.ID))
        attrs = elem.get("/A")
        for attr in attrs if isinstance(attrs, Array) else [attrs]:
            if isinstance(attr, Dictionary) and "/Headers" in attr:
                attr.Headers = Array([String(prefix + str(h)) for h in attr.Headers])


def join(parts: Sequence[Part], *, title: str, keywords: Sequence[str]) -> bytes:
    """One PDF holding every part in order; metadata and ``/Lang`` from the first part."""
    if not parts:
        raise RenderError("bilingual edition needs at least one part")
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    out = sources[0]
    try:
        offsets: list[int] = []
        counts = [len(src.pages) for src in sources]
        outlines = []
        offset = 0
        for src, count in zip(sources, counts, strict=True):
            offsets.append(offset)
            outlines.append(_outline_items(src, offset))
            offset += count
        trees = [_struct_parents(src) for src in sources]
        annots = [_annotations_by_key(src, 0, len(src.pages)) for src in sources]
        docs = [src.Root.StructTreeRoot.K[0] for src in sources]

        for src in sources[1:]:
            out.pages.extend(src.pages)

        root = out.Root.StructTreeRoot
        top = out.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array())
        )
        nums = Array()
        next_key = sum(counts)
        pending_annots: list[tuple[pikepdf.Object, object]] = []
        for i, (src, part) in enumerate(zip(sources, parts, strict=True)):
            doc = docs[i] if i == 0 else out.copy_foreign(docs[i])
            if i:
                _prefix_ids(doc, f"{part.locale}-")
            doc.S = Name.Part
            doc.P = top
            doc.Lang = String(part.locale)
            top.K.append(doc)
            tree = trees[i]
            for p in range(counts[i]):
                value = tree.get(p)
                if value is None:
                    continue
                new_page = out.pages[offsets[i] + p]
                new_page.obj.StructParents = offsets[i] + p
                nums.append(offsets[i] + p)
                nums.append(value if i == 0 else _copy(out, value))
            for key, annot in sorted(annots[i].items()):
                value = tree.get(key)
                if value is None:
                    continue
                target = annot if i == 0 else out.copy_foreign(annot)
                pending_annots.append((target, value if i == 0 else _copy(out, value)))
            del src
        for annot, value in pending_annots:
            annot.StructParent = next_key
            nums.append(next_key)
            nums.append(value)
            next_key += 1
        root.K = Array([top])
        root.ParentTree = out.make_indirect(Dictionary(Nums=nums))
        root.ParentTreeNextKey = next_key

        with out.open_outline() as outline:
            outline.root.clear()
            for part, offset, items in zip(parts, offsets, outlines, strict=True):
                head = OutlineItem(part.label, offset, PageLocation.XYZ, left=0, top=None)
                head.children.extend(items)
                outline.root.append(head)

        out.Root.Lang = String(parts[0].locale)
        out.docinfo[Name.Title] = String(title)
        out.docinfo[Name.Keywords] = String(", ".join(keywords))
        with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = title
            meta["pdf:Keywords"] = ", ".join(keywords)
        buf = io.BytesIO()
        out.save(
            buf,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
        )
        return buf.getvalue()
    except (pikepdf.PdfError, KeyError, AttributeError, ValueError) as exc:
        raise RenderError(f"joining the bilingual edition failed: {exc}") from exc
    finally:
        for src in sources:
            src.close()
