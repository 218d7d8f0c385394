"""The `insights` catalog: complete, idiomatic in form, and in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from reporter.insights.text import translations

REPO = Path(__file__).resolve().parents[2]
POT = REPO / "locales" / "insights.pot"
ZH = REPO / "locales" / "zh_CN" / "LC_MESSAGES" / "insights.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"\{(\w+)\}")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def extracted() -> set[str | tuple[str, ...]]:
    """What Babel's extractor finds in reporter/insights with the repository's mapping."""
    with (REPO / "babel-insights.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)

    def only_the_package(path: str) -> bool:
        rel = Path(path).resolve().relative_to(REPO).as_posix()
        return "reporter/insights".startswith(rel) or rel.startswith("reporter/insights")

    found = extract_from_dir(str(REPO), method_map, options_map, directory_filter=only_the_package)
    return {msg if isinstance(msg, str) else tuple(msg) for _, _, msg, _, _ in found}


def zh_messages() -> list:
    return [m for m in read(ZH, "zh_CN") if m.id]


def test_extraction_finds_the_messages() -> None:
    code = extracted()
    assert len(code) > 100
    assert "S&P 500" in code
    assert any(isinstance(m, tuple) and "{count} sessions in a row" in m[1] for m in code)


def test_template_and_catalog_are_up_to_date_with_the_code() -> None:
    code = extracted()
    pot, zh = ids(read(POT)), ids(read(ZH, "zh_CN"))
    assert code - pot == set(), "run pybabel extract (see babel-insights.cfg)"
    assert pot - code == set(), "stale messages in insights.pot"
    assert zh == pot, "run pybabel update (see babel-insights.cfg)"


def test_template_holds_no_translations() -> None:
    for m in read(POT):
        if m.id:
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            assert not any(strings), m.id


def test_chinese_catalog_header() -> None:
    catalog = read(ZH, "zh_CN")
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.locale is not None
    assert (catalog.locale.language, catalog.locale.territory) == ("zh", "CN")


@pytest.mark.parametrize("message", zh_messages(), ids=lambda m: str(m.id)[:40])
def test_every_chinese_message_is_translated_and_reads_as_chinese(message) -> None:  # type: ignore[no-untyped-def]
    assert not message.fuzzy
    sources = (message.id,) if isinstance(message.id, str) else tuple(message.id)
    strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
    assert len(strings) == 1  # zh_CN has one plural form
    (text,) = strings
    assert text, f"untranslated: {sources[0]!r}"
    words = FIELD.sub("", sources[0])
    if re.search(r"[A-Za-z]{2,}", words) and words.strip() != "VIX":
        assert CJK.search(text), text
        assert text not in sources
    for source in sources:
        assert set(FIELD.findall(text)) == set(FIELD.findall(source)), (source, text)
    assert "%(" not in text
    # full-width punctuation; an ASCII colon only as a ratio between two figures
    assert not re.search(r"[,;()!?]", FIELD.sub("", text)), text
    assert not re.search(r"(?<!\}):|:(?!\{)", text), text
    if sources[0].endswith("."):
        assert text.endswith("。"), text


def test_runtime_reads_the_po_file() -> None:
    zh = translations("zh-CN")
    assert zh.gettext("S&P 500") == "标普500指数"
    assert zh.ngettext("All {total} sector rose: the advance was broad.",
                       "All {total} sectors rose: the advance was broad.", 11) == (
        "{total}个板块全线上涨，市场普涨。"
    )
    assert translations("zh-CN") is zh  # parsed once
    en = translations("en-US")
    assert en.gettext("S&P 500") == "S&P 500"
