"""Render benchmark: all three editions with their charts, from computed metrics.

Budget: at most 3 s (median) on the 2-core reference machine. The input is synthetic but
full-size: every key of the report, 11 sectors, a watch-list stock, a year of sessions per
chart. The first run is a warm-up (fonts, templates, catalogs) and is reported separately.

    .venv/bin/python bench/bench_render.py [--runs 5] [--budget 3.0]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporter.render import EDITIONS, build_editions  # noqa: E402
from tests.render.synthetic import make_chart_data, make_report, make_texts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds, median")
    parser.add_argument("--paper", default="a4", choices=("a4", "letter"))
    args = parser.parse_args()

    report, texts, data = make_report(is_sample=True), make_texts(), make_chart_data()

    def once() -> tuple[float, float, dict[str, bytes]]:
        wall, cpu = time.perf_counter(), time.process_time()
        out = build_editions(report, texts, data, editions=list(EDITIONS), paper=args.paper,
                             title="Market Breadth", author="Market Breadth Reporter")
        return time.perf_counter() - wall, time.process_time() - cpu, out

    warm, _, out = once()
    walls = [once()[0] for _ in range(args.runs)]
    median = statistics.median(walls)
    sizes = ", ".join(f"{name.split('_')[-1]} {len(data) / 1e6:.2f} MB"
                      for name, data in sorted(out.items()) if name.endswith(".pdf"))
    print(f"render: 3 editions + {sum(n.endswith('.svg') for n in out)} charts")
    print(f"warm-up {warm:.2f} s; runs {', '.join(f'{w:.2f}' for w in walls)} s")
    print(f"median {median:.2f} s (budget {args.budget:.1f} s); {sizes}")
    return 0 if median <= args.budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
