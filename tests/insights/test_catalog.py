"""The `insights` catalog: complete, idiomatic in form, and in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from reporter.i18n import get_translations

REPO = Path(__file__).resolve().parents[2]
POT = REPO / "locales" / "insights.pot"
ZH = REPO / "locales" / "zh_CN" / "LC_MESSAGES" / "insights.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"\{(\w+)\}")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def zh_messages() -> list:
    return [m for m in read(ZH, "zh_CN") if m.id]


# The template and the catalog in step with the code: tests/test_i18n.py, for every domain.


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
    zh = get_translations("insights", "zh-CN")
    assert zh.gettext("S&P 500") == "标普500指数"
    assert zh.ngettext("All {total} sector rose: the advance was broad.",
                       "All {total} sectors rose: the advance was broad.", 11) == (
        "{total}个板块全线上涨，市场普涨。"
    )
    assert get_translations("insights", "zh-CN") is zh  # parsed once
    en = get_translations("insights", "en-US")
    assert en.gettext("S&P 500") == "S&P 500"


@pytest.mark.parametrize("domain", ["messages", "insights", "portal"])
def test_the_tone_badge_reads_as_a_market_view_in_every_domain(domain: str) -> None:
    """The tone is a market view: 偏多 / 中性 / 偏空, not 积极 / 消极 (a mood: "upbeat",
    "downbeat"), in the note, the text stage and the portal alike."""
    from reporter.vocabulary import TONES

    zh = get_translations(domain, "zh-CN")
    assert {k: zh.gettext(TONES[k]) for k in TONES} == {
        "positive": "偏多", "neutral": "中性", "negative": "偏空"}
