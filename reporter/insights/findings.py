"""The insights stage's output: language-neutral findings, the tone, and their report.json form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["key_point", "insight", "risk", "opportunity"]
Tone = Literal["positive", "neutral", "negative"]
KINDS: tuple[Kind, ...] = ("key_point", "insight", "risk", "opportunity")


@dataclass(frozen=True, eq=False)
class Finding:
    """One fact worth a sentence. ``params`` hold the figures the sentence states (named,
    JSON-ready: fractions, counts, symbols, ``YYYY-MM-DD`` dates); ``evidence`` names where each
    figure sits in report.json, so every claim can be traced to the data."""

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
    """All findings of one session by kind (each ordered by score, highest first) and the tone."""

    key_points: tuple[Finding, ...]
    insights: tuple[Finding, ...]
    risks: tuple[Finding, ...]
    opportunities: tuple[Finding, ...]
    tone: Tone
    tone_score: float

    def all(self) -> tuple[Finding, ...]:
        """Every finding: key points, insights, risks, opportunities."""
        return (*self.key_points, *self.insights, *self.risks, *self.opportunities)

    @classmethod
    def from_report(cls, report: dict[str, Any]) -> Insights:
        """Rebuild the findings from a report.json, so text can be written again later
        (portal, e-mail) without recomputing anything."""
        found = report.get("insights") or {}

        def kind(name: str) -> tuple[Finding, ...]:
            return tuple(Finding.from_dict(d) for d in found.get(name) or ())

        return cls(
            key_points=kind("key_points"),
            insights=kind("insights"),
            risks=kind("risks"),
            opportunities=kind("opportunities"),
            tone=report.get("tone") or "neutral",
            tone_score=float(report.get("tone_score") or 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        """The part of report.json the insights stage owns."""
        return {
            "tone": self.tone,
            "tone_score": self.tone_score,
            "insights": {
                "key_points": [f.to_dict() for f in self.key_points],
                "insights": [f.to_dict() for f in self.insights],
                "risks": [f.to_dict() for f in self.risks],
                "opportunities": [f.to_dict() for f in self.opportunities],
            },
        }
