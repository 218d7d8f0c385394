"""One measurement in a fresh process, for ``bench/run.py``; prints one JSON object.

    python bench/probe.py stages  --source csv:DIR --date D --out DIR [--capture FILE]
    python bench/probe.py floor   --inputs FILE
    python bench/probe.py reads   --source csv:DIR --date D [--repeat N]
    python bench/probe.py payload --source csv:DIR --date D --sessions N --projected M

``stages`` runs the whole report in this process and returns the stage timings the pipeline
records (``RunResult.timings``); with ``--capture`` it also saves what the renderer was given,
for ``floor``. ``floor`` measures the toolchain alone on those inputs: matplotlib loading and
drawing the same charts, and WeasyPrint loading and turning the same final HTML (with the same
stylesheets and chart files) into PDF, one language after the other. ``reads`` times reading
the panel from the store and computing the metrics, first call and repeated. ``payload``
sizes what a backfill ships to its workers: the history of the last N (and M) sessions to D,
pickled as Dask pickles it.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def stages(args: argparse.Namespace) -> dict[str, Any]:
    """The full report in this process: wall time per stage, as the pipeline records it."""
    start = time.perf_counter()
    from reporter.pipeline import RunOptions, run
    from reporter.render import Renderer

    imported = time.perf_counter() - start
    if args.capture:
        original = Renderer.build_editions

        def capture(self: Renderer, report: dict, texts: Any, chart_data: Any,
                    **kwargs: Any) -> Callable[[], dict[str, bytes]]:
            with open(args.capture, "wb") as fh:
                pickle.dump((report, dict(texts), chart_data, kwargs), fh)
            return original(self, report, texts, chart_data, **kwargs)

        Renderer.build_editions = capture  # type: ignore[method-assign]
    begin = time.perf_counter()
    result = run(RunOptions(date=args.date, source=args.source, out=Path(args.out)))
    end = time.perf_counter()
    sizes = {name: (result.folder / name).stat().st_size for name in result.files}
    return {
        "since_start_s": end - STARTED,
        "import_s": imported,
        "run_s": end - begin,
        "cpu_s": _cpu(),
        "timings": result.timings,
        "sizes": sizes,
    }


def floor(args: argparse.Namespace) -> dict[str, Any]:
    """matplotlib and WeasyPrint alone on the renderer's inputs, one edition after the other
    (the bilingual edition laid out as a document of its own, with the first language's charts)."""
    with open(args.inputs, "rb") as fh:
        report, texts, chart_data, kwargs = pickle.load(fh)
    start = time.perf_counter()
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    mpl_import = time.perf_counter() - start
    start = time.perf_counter()
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    weasy_import = time.perf_counter() - start
    # The report's own code, untimed: it only prepares the same inputs the pipeline gives.
    from reporter.render.charts.draw import render_charts
    from reporter.render.editions import needed_locales
    from reporter.render.fetcher import ASSETS_DIR, asset_url, chart_url
    from reporter.render.html import render_html, render_page_css
    from reporter.render.pdf import BASE_URL
    from reporter.render.speed.svg import embeddable_svg

    class Plain(URLFetcher):
        """A dictionary lookup: no allow-list, no checks."""

        def __init__(self, found: dict[str, tuple[bytes, str]]) -> None:
            super().__init__()
            self.found = found

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, kind = self.found[url]
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    assets = {asset_url(p.name): (p.read_bytes(), "text/css" if p.suffix == ".css"
                                  else "image/svg+xml") for p in ASSETS_DIR.iterdir()}
    out: dict[str, Any] = {"import_s": {"matplotlib": mpl_import, "weasyprint": weasy_import},
                           "charts_s": {}, "weasyprint_s": {}, "pdf_bytes": {}}
    sample = bool((report.get("source") or {}).get("is_sample"))
    drawn: dict[str, Any] = {}
    for loc in needed_locales(kwargs["editions"]):
        begin = time.perf_counter()
        charts = render_charts(chart_data, loc, kwargs.get("colors"))
        out["charts_s"][loc] = time.perf_counter() - begin
        found = dict(assets)
        found.update({chart_url(n): (embeddable_svg(c.svg), "image/svg+xml")
                      for n, c in charts.items()})
        css = render_page_css(loc, kwargs["paper"], sample=sample)
        found["report://run/page.css"] = (css.encode("utf-8"), "text/css")
        html = render_html(report, texts[loc], charts, locale=loc, title=kwargs["title"],
                           author=kwargs["author"])
        begin = time.perf_counter()
        pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=Plain(found)).write_pdf(
            pdf_variant=kwargs["variant"], pdf_tags=True, pdf_identifier=True
        )
        out["weasyprint_s"][loc] = time.perf_counter() - begin
        out["pdf_bytes"][loc] = len(pdf)
        drawn.setdefault("first", (charts, found, css))
    if "bilingual" in kwargs["editions"]:
        # one document in both languages, with the first language's charts
        from reporter.render.bilingual import bilingual_context, render_bilingual_html
        from reporter.render.html import ChartRef

        charts, found, _css = drawn["first"]
        locs = tuple(needed_locales(kwargs["editions"]))
        refs = {n: ChartRef(chart_url(n), c.alt, c.title) for n, c in charts.items()}
        context = bilingual_context(report, [texts[loc] for loc in locs], refs,
                                    title=kwargs["title"], author=kwargs["author"])
        html = render_bilingual_html(context, locs)
        begin = time.perf_counter()
        pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=Plain(found)).write_pdf(
            pdf_variant=kwargs["variant"], pdf_tags=True, pdf_identifier=True
        )
        out["weasyprint_s"]["bilingual"] = time.perf_counter() - begin
        out["pdf_bytes"]["bilingual"] = len(pdf)
    out["total_s"] = (mpl_import + weasy_import + sum(out["charts_s"].values())
                      + sum(out["weasyprint_s"].values()))
    return out


def reads(args: argparse.Namespace) -> dict[str, Any]:
    """Store reads and the metrics, as a run does them: first call, then repeated."""
    import pandas as pd

    from reporter import calendar, config
    from reporter.metrics import compute
    from reporter.panel import build_panel
    from reporter.pipeline import _open, store_path
    from reporter.store import Store

    cfg = config.load(None)
    source, members, _notes, symbols = _open(args.source, cfg)
    as_of = pd.Timestamp(args.date)
    sessions = cfg.metrics.history_sessions
    window = calendar.sessions(as_of - pd.Timedelta(days=int(sessions * 1.6) + 30), as_of)
    first = window[-sessions].date()

    def read(start: Any) -> tuple[float, Any]:
        """The member window and, as a run reads them, the series' whole history."""
        begin = time.perf_counter()
        with Store(store_path(args.source), read_only=True) as store:
            close, volume = store.read_wide(symbols, start, as_of.date())
            history, _ = store.read_wide(cfg.universe.series, None, as_of.date())
            day_range = store.read_range(members.index, as_of.date())
            valuations = store.valuations()
        return time.perf_counter() - begin, (close, volume, valuations, history, day_range)

    window_s, (close, volume, valuations, history, day_range) = read(first)
    window_more = [read(first)[0] for _ in range(args.repeat)]
    all_s, (all_close, _v, _val, _h, _r) = read(None)
    all_more = [read(None)[0] for _ in range(args.repeat)]
    panel = build_panel(close, volume, members, source.info, as_of, sessions, valuations,
                        history_close=history, day_range=day_range)
    begin = time.perf_counter()
    compute(panel, cfg.universe, cfg.metrics)
    metrics_first = time.perf_counter() - begin
    metrics_more = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        compute(panel, cfg.universe, cfg.metrics)
        metrics_more.append(time.perf_counter() - begin)
    return {
        "panel_shape": list(close.shape),
        "all_shape": list(all_close.shape),
        "read_window_first_s": window_s,
        "read_window_median_s": statistics.median(window_more),
        "read_all_first_s": all_s,
        "read_all_median_s": statistics.median(all_more),
        "metrics_first_s": metrics_first,
        "metrics_median_s": statistics.median(metrics_more),
    }


def payload(args: argparse.Namespace) -> dict[str, Any]:
    """Bytes of the history a backfill scatters, for its last N and M sessions."""
    import pandas as pd

    from reporter import config, pipeline

    cfg = config.load(None)
    synced = pipeline.sync_store(args.source, cfg, args.date)
    sessions = synced.sessions[synced.sessions <= pd.Timestamp(args.date)]
    out: dict[str, Any] = {}
    for key, count in (("history", args.sessions), ("projected_history", args.projected)):
        begin = time.perf_counter()
        history = pipeline.read_range(synced, cfg, list(sessions[-count:]))
        read = time.perf_counter() - begin
        begin = time.perf_counter()
        blob = pickle.dumps(history, protocol=5)
        out[f"{key}_bytes"] = len(blob)
        out[f"{key}_shape"] = list(history.close.shape)
        out[f"{key}_read_s"] = read
        out[f"{key}_pickle_s"] = time.perf_counter() - begin
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("stages", "floor", "reads", "payload"))
    parser.add_argument("--source")
    parser.add_argument("--date", default="2025-12-31")
    parser.add_argument("--out")
    parser.add_argument("--capture")
    parser.add_argument("--inputs")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--projected", type=int, default=2500)
    args = parser.parse_args()
    result = {"stages": stages, "floor": floor, "reads": reads,
              "payload": payload}[args.mode](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
