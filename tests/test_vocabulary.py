"""Each closed set of words is one Literal type in the vocabulary: its tuple, the tables keyed by
it and the configuration schema all agree with it."""

from __future__ import annotations

import pytest

from reporter import vocabulary as v
from reporter.config import Config, validate
from reporter.errors import ConfigError


def test_the_tables_cover_each_set_exactly() -> None:
    assert (*v.LOCALES, v.BILINGUAL) == v.EDITIONS
    assert v.SOURCE_LOCALE in v.LOCALES
    assert set(v.EDITION_LOCALES) == set(v.EDITION_LABELS) == set(v.EDITIONS)
    assert set(v.MARKET_COLORS) == set(v.LOCALES)
    assert set(v.PAPER_SIZES) == set(v.PAPERS)
    assert set(v.SMTP_PORTS) == set(v.TLS_MODES)


@pytest.mark.parametrize(
    ("table", "key", "accepted", "refused"),
    [
        ("report", "paper", ("a4", "letter"), "a5"),
        ("email", "tls", ("starttls", "ssl"), "tls"),  # "none" needs a local host: see below
        ("report", "languages", ("zh-CN", "en-US", "bilingual"), "de-DE"),
    ],
)
def test_the_configuration_takes_the_vocabulary_s_words(
    table: str, key: str, accepted: tuple[str, ...], refused: str
) -> None:
    for word in accepted:
        value = [word] if key == "languages" else word
        assert validate({table: {key: value}}) is not None
    value = [refused] if key == "languages" else refused
    with pytest.raises(ConfigError, match=f"{table}.{key}"):
        validate({table: {key: value}})


def test_plain_text_mail_is_a_tls_mode_too() -> None:
    assert validate({"email": {"tls": "none", "host": "localhost"}}).email.effective_port == 25


def test_the_default_universe_is_named_by_the_vocabulary() -> None:
    universe = Config().universe
    assert universe.indices == ("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX")
    assert universe.size == ("XLG", "RSP", "SPY", "IWM")
    assert universe.sectors == tuple(s.etf for s in v.SECTORS)
    assert len(universe.sectors) == 11
    assert (v.SMALL_CAPS, v.LARGE_CAPS) == ("^RUT", "^GSPC")
    assert v.VALUATION_ETFS == ("IWM", "SPY")
