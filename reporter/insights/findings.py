"""The insights stage's output: language-neutral findings, the tone, and their report.json form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

Kind = Literal[
    "key_point", "insight", "risk", "opportunity", "story", "headline", "summary", "week"
]
Tone = Literal["positive", "neutral", "negative"]
#: The kinds that are listed in the note's sections (the narrative kinds are placed apart).
KINDS: tuple[Kind, ...] = ("key_point", "insight", "risk", "opportunity")
#: The narrative kinds: the session's story, the headline, the summary, the week.
NARRATIVE: tuple[Kind, ...] = ("story", "headline", "summary", "week")


@dataclass(frozen=True, eq=False)
class Finding:
    """One fact worth a sentence. ``params`` hold the figures the sentence states (named,
    JSON-ready: fractions, counts, symbols, ``YYYY-MM-DD`` dates); ``evidence`` names where each
    figure sits in report.json, so every claim can be traced to the data. A risk or an
    opportunity also carries ``params["trigger"]``: the level that would confirm or invalidate
    it (``path``, ``level``, ``now``, ``direction`` and ``confirms`` or ``invalidates``)."""

    id: str
    kind: Kind
    score: float  # salience in [0, 1]; orders findings within their kind
    params: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            id=data["id"],
            kind=data["kind"],
            score=float(data["score"]),
            params=dict(data.get("params") or {}),
            evidence=tuple(dict(e) for e in data.get("evidence") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "score": self.score,
            "params": dict(self.params),
            "evidence": [dict(e) for e in self.evidence],
        }


@dataclass(frozen=True, eq=False)
class Insights:
    """All findings of one session by kind (each ordered by score, highest first) and the tone;
    the session's story, the headline that states it, the summary and the week."""

    key_points: tuple[Finding, ...]
    insights: tuple[Finding, ...]
    risks: tuple[Finding, ...]
    opportunities: tuple[Finding, ...]
    tone: Tone
    tone_score: float
    story: Finding | None = None
    headline: Finding | None = None
    summary: tuple[Finding, ...] = ()
    week: tuple[Finding, ...] = ()

    def all(self) -> tuple[Finding, ...]:
        """Every listed finding: key points, insights, risks, opportunities."""
        return (*self.key_points, *self.insights, *self.risks, *self.opportunities)

    def narrative(self) -> tuple[Finding, ...]:
        """The headline, the summary and the week, in reading order."""
        return (*((self.headline,) if self.headline else ()), *self.summary, *self.week)

    @classmethod
    def from_report(cls, report: dict[str, Any]) -> Insights:
        """Rebuild the findings from a report.json, so text can be written again later
        (portal, e-mail) without recomputing anything."""
        found = report.get("insights") or {}

        def kind(name: str) -> tuple[Finding, ...]:
            return tuple(Finding.from_dict(d) for d in found.get(name) or ())

        def one(name: str) -> Finding | None:
            data = found.get(name)
            return Finding.from_dict(data) if isinstance(data, dict) else None

        tone = report.get("tone")
        return cls(
            key_points=kind("key_points"),
            insights=kind("insights"),
            risks=kind("risks"),
            opportunities=kind("opportunities"),
            tone=cast(Tone, tone if tone in ("positive", "neutral", "negative") else "neutral"),
            tone_score=float(report.get("tone_score") or 0.0),
            story=one("story"),
            headline=one("headline"),
            summary=kind("summary"),
            week=kind("week"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The part of report.json the insights stage owns."""
        return {
            "tone": self.tone,
            "tone_score": self.tone_score,
            "insights": {
                "story": self.story.to_dict() if self.story else None,
                "headline": self.headline.to_dict() if self.headline else None,
                "summary": [f.to_dict() for f in self.summary],
                "week": [f.to_dict() for f in self.week],
                "key_points": [f.to_dict() for f in self.key_points],
                "insights": [f.to_dict() for f in self.insights],
                "risks": [f.to_dict() for f in self.risks],
                "opportunities": [f.to_dict() for f in self.opportunities],
            },
        }
