"""Locale helpers: catalogs read from .po at run time, Babel formatting with half-even rounding.

Expected strings are written out by hand or formatted with Babel directly, never taken from the
helpers under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, check_and_call_extract_file, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from reporter import i18n, resources
from reporter.errors import ConfigError, RenderError
from tests.support.paths import REPO


@pytest.fixture(autouse=True)
def _fresh_cache():
    i18n.clear_cache()
    yield
    i18n.clear_cache()


def test_chinese_catalog_is_read_from_the_po_file() -> None:
    t = i18n.get_translations("messages", "zh-CN")
    assert t.gettext("Key data points") == "关键数据"
    assert t.gettext("Page %(page)s of %(pages)s") == "第 %(page)s 页，共 %(pages)s 页"
    # Plural forms of a one-form language.
    one = "%(leader)s has led for %(num)d session in a row."
    many = "%(leader)s has led for %(num)d sessions in a row."
    expected = "%(leader)s已连续%(num)d个交易日领先。"
    assert t.ngettext(one, many, 1) == t.ngettext(one, many, 7) == expected


def test_english_has_no_catalog_and_keeps_the_msgids() -> None:
    t = i18n.get_translations("messages", "en-US")
    assert t.gettext("Key data points") == "Key data points"
    one = "%(num)d session"
    assert t.ngettext(one, "%(num)d sessions", 1) == one
    assert t.ngettext(one, "%(num)d sessions", 2) == "%(num)d sessions"


def test_catalogs_are_cached_per_domain_and_locale() -> None:
    first = i18n.get_translations("messages", "zh-CN")
    assert i18n.get_translations("messages", "zh-CN") is first
    assert i18n.get_translations("messages", "en-US") is not first


def test_every_chinese_message_is_translated_and_keeps_its_placeholders() -> None:
    import re

    path = i18n.catalog_path("messages", "zh-CN")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    pot = resources.locales_dir() / "messages.pot"
    with pot.open("rb") as fh:
        template = read_po(fh)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert ids, "empty template"
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text, f"untranslated: {key!r}"
        assert "fuzzy" not in message.flags, key
        assert set(placeholder.findall(text)) == set(placeholder.findall(key)), key
        ids.discard(key)
    assert not ids, f"in the template but not in the zh_CN catalog: {sorted(ids)[:3]}"


def test_a_broken_catalog_names_its_file(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "x"\nthis is not a catalog\n', encoding="utf-8")
    monkeypatch.setattr(resources, "locales_dir", lambda: tmp_path)
    with pytest.raises(RenderError, match="messages.po"):
        i18n.get_translations("messages", "zh-CN")


def test_a_missing_catalog_is_an_error_except_for_the_source_language(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "locales_dir", lambda: tmp_path)
    with pytest.raises(RenderError, match="insights.po is missing"):
        i18n.get_translations("insights", "zh-CN")
    assert i18n.get_translations("insights", "en-US").gettext("Energy") == "Energy"


#: Babel's keywords and the plural marker ``NN_`` (``make catalogs``: ``-k NN_:1,2``).
KEYWORDS = {**DEFAULT_KEYWORDS, "NN_": (1, 2)}


def _extracted(domain: str) -> set[str | tuple[str, ...]]:
    """What Babel's extractor finds in the domain's sources with the repository's mapping."""
    with (REPO / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = []
    for source in i18n.CATALOG_SOURCES[domain]:
        path = REPO / source
        assert path.exists(), source
        if path.is_dir():
            found.extend(extract_from_dir(str(path), method_map, options_map, KEYWORDS))
        else:
            found.extend(check_and_call_extract_file(
                source, method_map, options_map, None, KEYWORDS, (), False, str(REPO)))
    return {msg if isinstance(msg, str) else tuple(msg) for _f, _l, msg, _c, _x in found}


def _ids(path: Path, locale: str | None = None) -> set[str | tuple[str, ...]]:
    with path.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh, locale=locale)
                if m.id}


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_templates_and_catalogs_are_in_step_with_the_code(domain: str) -> None:
    code = _extracted(domain)
    pot = _ids(resources.locales_dir() / f"{domain}.pot")
    assert code - pot == set(), "new messages: run make catalogs"
    assert pot - code == set(), "stale messages: run make catalogs"
    assert _ids(i18n.catalog_path(domain, "zh-CN"), "zh_CN") == pot, "run make catalogs"


def test_extraction_sees_every_kind_of_source() -> None:
    """Names of the vocabulary, Python calls, plural forms and templates of every tree."""
    messages, insights, portal = (_extracted(d) for d in ("messages", "insights", "portal"))
    for names in (messages, insights, portal):
        assert {"Dow Jones", "Dow Jones Industrial Average", "Technology", "Positive"} <= names
    assert "Page %(page)s of %(pages)s" in messages  # Python (render)
    assert "Key data points" in messages  # report templates
    assert any(isinstance(m, tuple) and "{count} sessions in a row" in m[1] for m in insights)
    assert "Feed" in portal  # portal
    assert "Read the full note on the research portal" in portal  # mail


def test_unsupported_locale_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="fr-FR"):
        i18n.check_locale("fr-FR")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize(
    "value", [0.012345, -0.003411, 0.00125, 0.00135, 1.5, -0.0000001, 0.0]
)
def test_percent_matches_babel(locale: str, value: float) -> None:
    babel = locale.replace("-", "_")
    expected = format_percent(value, "#,##0.00%", locale=babel)  # Babel rounds half-even
    body = expected.lstrip("-")
    shown_zero = body == format_percent(0, "#,##0.00%", locale=babel)
    if value > 0 and not shown_zero:
        expected = "+" + body
    if shown_zero:
        expected = body  # a figure shown as zero carries no sign
    assert i18n.format_percent(value, locale, 2, signed=True) == expected


def test_half_even_rounding_by_hand() -> None:
    assert i18n.format_percent(0.00125, "en-US", 2) == "0.12%"  # 0.125 -> 0.12
    assert i18n.format_percent(0.00135, "en-US", 2) == "0.14%"  # 0.135 -> 0.14
    assert i18n.format_number(2.5, "en-US", 0) == "2"
    assert i18n.format_number(3.5, "en-US", 0) == "4"
    assert i18n.format_number(Decimal("1234567.125"), "zh-CN", 2) == "1,234,567.12"


def test_signs_and_missing_values() -> None:
    assert i18n.format_percent(0.0123, "en-US", 1, signed=True) == "+1.2%"
    assert i18n.format_percent(-0.0123, "zh-CN", 1, signed=True) == "-1.2%"
    assert i18n.format_percent(-0.0004, "en-US", 1, signed=True) == "0.0%"
    assert i18n.format_number(None, "en-US") == i18n.MISSING
    assert i18n.format_percent(float("nan"), "en-US") == i18n.MISSING
    assert i18n.format_integer(-1234, "en-US", signed=True) == "-1,234"
    assert i18n.format_integer(131, "zh-CN", signed=True) == "+131"


def test_trimmed_thresholds_and_lists() -> None:
    # a threshold reads without trailing zeros: 90%, 61.5%, 50, 0.5 (by hand)
    assert i18n.format_percent(0.9, "en-US", 1, trim=True) == "90%"
    assert i18n.format_percent(0.615, "zh-CN", 1, trim=True) == "61.5%"
    assert i18n.format_number(50.0, "en-US", 2, trim=True) == "50"
    assert i18n.format_number(0.5, "en-US", 2, trim=True) == "0.5"
    assert i18n.format_number(-1.0, "en-US", 2, trim=True) == "-1"
    assert i18n.format_list(["A", "B", "C"], "en-US") == "A, B, and C"
    assert i18n.format_list(["甲", "乙", "丙"], "zh-CN") == "甲、乙和丙"


def test_percentage_points_per_locale() -> None:
    assert i18n.format_points(0.015756, "en-US") == "+1.58 pp"
    assert i18n.format_points(0.015756, "zh-CN") == "+1.58个百分点"
    assert i18n.format_points(-0.0345, "zh-CN") == "-3.45个百分点"
    assert i18n.format_points(0.0071, "en-US", signed=False) == "0.71 pp"
    expected = format_decimal(5.02, "#,##0.00", locale="en_US")
    assert i18n.format_points(-0.0502, "en-US") == f"-{expected} pp"


def test_dates_per_locale() -> None:
    day = dt.date(2026, 2, 6)
    assert i18n.format_date_long(day, "zh-CN") == "2026年2月6日"
    assert i18n.format_date_long("2026-02-06", "en-US") == "February 6, 2026"
    assert i18n.format_month(day, "zh-CN") == "2月"
    assert i18n.format_month(day, "en-US") == "Feb"
    assert i18n.format_month(day, "zh-CN", with_year=True) == "2026年2月"
    assert i18n.format_month(day, "en-US", with_year=True) == "Feb 2026"
    assert i18n.format_numeric_day(day, "en-US") == "2/6"
    assert i18n.format_date_long(None, "en-US") == i18n.MISSING
    with pytest.raises(RenderError, match="2026-13-01"):
        i18n.format_date_long("2026-13-01", "en-US")


def test_templates_show_missing_data_as_missing_and_fail_on_missing_names() -> None:
    import jinja2

    from reporter.i18n.jinja import make_environment
    from reporter.model import RenderedText

    env = make_environment("report", "en-US")
    # Keys absent from the data, or under a null, are missing figures.
    assert env.from_string("[{{ r.volatility.level }}]").render(r={"volatility": None}) == "[]"
    assert env.from_string("[{{ r.x.y }}{% for m in r.z %}m{% endfor %}]").render(r={}) == "[]"
    # A name nobody passed, or an attribute the code's own objects lack, is a bug.
    with pytest.raises(jinja2.UndefinedError, match="tittle"):
        env.from_string("{{ tittle }}").render()
    text = RenderedText("en-US", "Positive", (), (), (), (), ())
    with pytest.raises(jinja2.UndefinedError, match="key_point"):
        env.from_string("{{ text.key_point }}").render(text=text)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{% if tone %}x{% endif %}").render()


def _counting_env(templates: dict[str, str]) -> tuple[Any, list[str]]:
    """An environment keeping compiled templates in the cache folder, and the names of the
    templates it compiled (rather than loaded from that folder)."""
    import jinja2

    from reporter.i18n.jinja import CompiledTemplates

    env = jinja2.Environment(loader=jinja2.DictLoader(templates),
                             bytecode_cache=CompiledTemplates())
    compiled: list[str] = []
    compile_source = env.compile

    def counting(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_source(source, name, *args, **kwargs)

    env.compile = counting  # type: ignore[method-assign]
    return env, compiled


def test_compiled_templates_are_kept_and_follow_their_source() -> None:
    first, compiled = _counting_env({"t.html": "{{ 2 * x }}"})
    assert first.get_template("t.html").render(x=21) == "42" and compiled == ["t.html"]
    kept = list((resources.cache_dir() / "templates").glob("jinja-*/*.bin"))
    assert len(kept) == 1
    # a new process (a new environment) loads the compiled code instead of compiling again
    again, compiled = _counting_env({"t.html": "{{ 2 * x }}"})
    assert again.get_template("t.html").render(x=21) == "42" and compiled == []
    # a changed template is compiled again, and shows the change
    changed, compiled = _counting_env({"t.html": "{{ 3 * x }}"})
    assert changed.get_template("t.html").render(x=21) == "63" and compiled == ["t.html"]
    # a damaged file costs a compile, nothing else
    for path in (resources.cache_dir() / "templates").glob("jinja-*/*.bin"):
        path.write_bytes(b"j2 not a compiled template")
    damaged, compiled = _counting_env({"t.html": "{{ 3 * x }}"})
    assert damaged.get_template("t.html").render(x=21) == "63" and compiled == ["t.html"]


def test_a_cache_folder_that_cannot_be_written_costs_only_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(blocked))
    env, compiled = _counting_env({"t.html": "{{ x }}!"})
    assert env.get_template("t.html").render(x="ok") == "ok!" and compiled == ["t.html"]
    assert blocked.read_text() == "not a folder"
