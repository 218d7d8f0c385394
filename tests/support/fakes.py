"""Stand-ins for a slow stage, so a test of another one runs quickly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def patch_render(monkeypatch: pytest.MonkeyPatch, fake: Callable[..., dict[str, bytes]]) -> None:
    """Make a run's render stage call ``fake(report, texts, chart_data, **options)`` instead,
    wherever the orchestrator reaches it (a render service, which hands back a function that
    waits for the files, or the package function)."""
    from reporter import pipeline

    renderer = getattr(pipeline, "Renderer", None)
    if renderer is not None:
        monkeypatch.setattr(renderer, "build_editions",
                            lambda self, *args, **kwargs: lambda: fake(*args, **kwargs))
    monkeypatch.setattr("reporter.render.build_editions", fake, raising=False)


def fake_editions(report: dict, texts: Any, charts: Any, *, editions: Any, **_: Any
                  ) -> dict[str, bytes]:
    """Stands in for the render stage: one small file per edition and a chart."""
    day = report["as_of"]
    files = {f"market-breadth_{day}_{e}.pdf": b"%PDF-1.7 new\n%%EOF\n" for e in editions}
    files[f"chart_indices_{editions[0]}.svg"] = b"<svg/>"
    return files
