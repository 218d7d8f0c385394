"""Render stage: charts per locale -> HTML per edition -> layout -> PDF -> the editions.

Writes nothing to disk: every output comes back as bytes keyed by file name, for the caller to
write atomically. ``editions.build_editions`` is the stage itself; ``Renderer`` runs it for the
orchestrator in a worker process started before the data is ready (``speed.service``), so the
chart and PDF libraries load while the data is read. ``charts/`` draws the charts; ``html``,
``pdf`` and ``fetcher`` make the pages; ``speed/`` holds what makes all this fast.

Importing this package is cheap: the render libraries load with ``reporter.render.editions``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reporter.render.speed.service import PrestartedWorker

if TYPE_CHECKING:
    from reporter.model import RenderedText
    from reporter.render.charts.data import ChartData
    from reporter.render.editions import build_editions, needed_locales
    from reporter.vocabulary import UpDownColors

__all__ = ["Renderer", "build_editions", "needed_locales", "side_by_side"]


def side_by_side() -> bool:
    """Whether a run lays its languages out in processes of their own: not inside a worker
    process (a backfill's pool already keeps every core busy: no process per language)."""
    return multiprocessing.parent_process() is None


class Renderer(PrestartedWorker):
    """The render stage as a run uses it: started first, given its work once the data is ready.

    ``parallel=False`` renders in this process, one language after the other (backfill workers,
    which already keep every core busy). A context manager: see ``PrestartedWorker``.
    """

    def __init__(self, *, parallel: bool) -> None:
        super().__init__("reporter.render.editions", "build_editions", parallel=parallel,
                         warm="compile_templates")

    def build_editions(
        self,
        report: dict,
        texts: Mapping[str, RenderedText],
        chart_data: ChartData,
        *,
        editions: Sequence[str],
        paper: str,
        variant: str,
        title: str,
        author: str,
        colors: Mapping[str, UpDownColors] | None = None,
    ) -> Callable[[], dict[str, bytes]]:
        """Start ``editions.build_editions`` on these inputs; the returned function waits for
        every PDF edition and chart SVG by file name. The worker renders while the caller goes
        on (without a worker, the render runs when the result is asked for)."""
        waiting = self.submit(
            report, dict(texts), chart_data, editions=list(editions), paper=paper,
            variant=variant, title=title, author=author, colors=colors, parallel=self.parallel,
        )

        def files() -> dict[str, bytes]:
            built: dict[str, bytes] = waiting()
            return built

        return files


def __getattr__(name: str) -> Any:
    """``build_editions`` and ``needed_locales``, loading the render libraries on first use."""
    if name in ("build_editions", "needed_locales"):
        from reporter.render import editions

        return getattr(editions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
