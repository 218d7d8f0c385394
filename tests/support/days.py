"""Hand-built day folders and localised text for the portal, e-mail and CLI tests.

The figures and sentences are written here by hand, so expectations in the tests do not come
from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reporter.model import RenderedText

EDITIONS = ("zh-CN", "en-US", "bilingual")

#: Per day: tone, S&P 500 close and 1-day return, Russell 2000 1-day return, the key points.
DAYS: dict[str, dict[str, Any]] = {
    "2025-12-31": {
        "tone": "negative", "spx": 6845.5, "spx_1d": -0.0074, "rut_1d": 0.0123,
        "zh": ("标普500下跌0.74%，收于6,845.50点", "罗素2000逆势上涨1.23%"),
        "en": ("S&P 500 fell 0.74% to 6,845.50", "Russell 2000 rose 1.23% against the tide"),
        "headline": {"zh": "小盘股逆势走强，大盘下跌",
                     "en": "Small caps rise against a falling market"},
        "summary": {"zh": ("罗素2000上涨1.23%。", "标普500下跌0.74%。"),
                    "en": ("The Russell 2000 rose 1.23%.", "The S&P 500 fell 0.74%.")},
    },
    "2025-12-30": {
        "tone": "positive", "spx": 6896.24, "spx_1d": 0.0011, "rut_1d": -0.0052,
        "zh": ("标普500上涨0.11%", "小盘股跑输大盘0.63个百分点"),
        "en": ("S&P 500 rose 0.11%", "Small caps lagged large caps by 0.63 points"),
    },
    "2025-07-03": {
        "tone": "neutral", "spx": 6279.35, "spx_1d": 0.0083, "rut_1d": 0.0099,
        "zh": ("标普500创历史新高",), "en": ("S&P 500 closed at an all-time high",),
    },
}
TONE_ZH = {"positive": "偏多", "neutral": "中性", "negative": "偏空"}
TONE_EN = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}


def pdf_bytes(title: str) -> bytes:
    """A small valid one-page PDF whose bytes differ by title."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
    pdf.docinfo["/Title"] = title
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def report(day: str, **extra: Any) -> dict[str, Any]:
    d = DAYS[day]
    body: dict[str, Any] = {
        "as_of": day,
        "source": {"name": "csv", "is_sample": False},
        "tone": d["tone"],
        "tone_score": {"positive": 0.5, "neutral": 0.0, "negative": -0.5}[d["tone"]],
        "insights": {"key_points": [{"id": "k1", "kind": "index_move", "score": 1.0,
                                     "params": {}, "evidence": {"symbol": "^GSPC"}}]},
        "indices": {
            "^GSPC": {"close": d["spx"], "return_1d": d["spx_1d"], "return_mtd": None,
                      "return_ytd": 0.1631},
            "^RUT": {"close": 2481.91, "return_1d": d["rut_1d"], "return_mtd": -0.0061,
                     "return_ytd": None},
        },
    }
    body.update(extra)
    return body


def make_day(out: Path, day: str, editions: tuple[str, ...] = EDITIONS, **extra: Any) -> Path:
    folder = out / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report(day, **extra), ensure_ascii=False))
    for e in editions:
        (folder / f"market-breadth_{day}_{e}.pdf").write_bytes(pdf_bytes(f"{day} {e}"))
    return folder


def fake_day_texts(rep: dict[str, Any]) -> dict[str, RenderedText]:
    """Stands in for the insights stage: the hand-written sentences of DAYS."""
    d = DAYS[rep["as_of"]]
    head, summary = d.get("headline") or {}, d.get("summary") or {}
    return {
        "zh-CN": RenderedText("zh-CN", TONE_ZH[d["tone"]], tuple(d["zh"]), ("洞察一",),
                              ("风险一",), ("机会一",), ("小盘股", "板块轮动"),
                              head.get("zh"), tuple(summary.get("zh", ()))),
        "en-US": RenderedText("en-US", TONE_EN[d["tone"]], tuple(d["en"]), ("Insight one",),
                              ("Risk one",), ("Opportunity one",),
                              ("small caps", "sector rotation"),
                              head.get("en"), tuple(summary.get("en", ()))),
    }


def use_fake_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal and the e-mail read the sentences of ``fake_day_texts`` for every day."""
    monkeypatch.setattr("reporter.portal.texts.day_texts", fake_day_texts)
