from __future__ import annotations

import pytest

from tests.portal.builders import fake_day_texts


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the insights stage's text with the hand-written sentences of the builders."""
    monkeypatch.setattr("reporter.portal.texts.day_texts", fake_day_texts)
