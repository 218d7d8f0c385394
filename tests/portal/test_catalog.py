"""The ``portal`` gettext domain: template up to date, Chinese catalog complete and consistent."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from reporter import config
from reporter.portal import publish
from tests.support.days import make_day
from tests.support.paths import REPO

POT = REPO / "locales" / "portal.pot"
PO = REPO / "locales" / "zh_CN" / "LC_MESSAGES" / "portal.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(path: Path) -> set[str]:
    with open(path, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


# The template and the catalog in step with the code: tests/test_i18n.py, for every domain.


def test_every_message_has_a_chinese_translation():
    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    assert {m.id for m in catalog if m.id} == _ids(POT)
    for m in catalog:
        if not m.id:
            continue
        assert m.string, f"untranslated: {m.id!r}"
        assert not m.fuzzy, f"fuzzy: {m.id!r}"
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for string in strings:  # Chinese has one plural form
            assert string, f"untranslated: {m.id!r}"
            for msgid in ids:
                wanted = set(PLACEHOLDER.findall(msgid)) | set(re.findall(r"%\((\w+)\)d", msgid))
                found = set(PLACEHOLDER.findall(string)) | set(re.findall(r"%\((\w+)\)d", string))
                assert found == wanted, m.id
            assert re.search(r"[\u4e00-\u9fff]", string), f"not Chinese: {string!r}"


def test_chinese_pages_carry_no_english_interface_text(tmp_path: Path, texts: None):
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    make_day(out, "2025-12-30", editions=())
    publish(out, config.load())
    with open(PO, "rb") as fh:
        messages = [m for m in read_po(fh)
                    if isinstance(m.id, str) and m.id and not PLACEHOLDER.search(m.id)]
    pages = [out / "index.html", *out.glob("*/index.html"), *out.glob("*/*/index.html")]
    assert len(pages) >= 7  # front, days, archive, topics, search and their sub-pages
    for page in pages:
        html = page.read_text("utf-8").replace("&amp;", "&")
        for m in messages:
            if len(m.id) > 4:  # short ids such as "Feed" could hide inside other words
                assert f">{m.id}<" not in html, (page.name, m.id)
        if page.parent.parent == out and page.parent.name.startswith("2025-"):
            assert "中文版 PDF" in html or "此文件夹中没有 PDF 版本。" in html
        # a link's underline runs under a full-width bracket's blank half as well: no link
        # starts or ends with one ("中文版（PDF）" read as underlined past its text)
        for text in re.findall(r"<a [^>]*>([^<]+)</a>", html):
            assert not text.strip().startswith("（") and not text.strip().endswith("）"), text
