"""Benchmark of the daily run on the real data snapshot, every figure against its target.

    .venv/bin/python bench/run.py [--runs 5] [--cold-runs 3] [--backfill-runs 3] [--quick]
                                  [--backfill-only]

Reads ``REPORTER_MARKETDATA`` (default ``../shared/marketdata``), as of 2025-12-31. Every
measured run is a fresh process with the benchmark's own ``REPORTER_CACHE_DIR``:

- cold: an empty store, so the run first imports every CSV file;
- warm: the store filled, an empty output folder, the full report (every edition, every SVG
  chart, report.json) with the ``reporter`` command, and again in a probe process that returns
  the pipeline's stage timings (load, metrics, insights, charts, render per edition, write);
- reads: reading the panel from the store and computing the metrics, first call and repeated;
- backfill: ``reporter backfill`` of the last 40 sessions into an empty folder on a local Dask
  cluster of 1 and of 2 worker processes (``--scheduler local:N``): throughput in sessions per
  minute, the speed-up from 1 to 2 workers, the cost per session against a single ``reporter
  run`` of the last one, the seconds a worker spends building one session, and what crosses the
  network (the scattered history, one session's files); ``--backfill-only`` measures just these
  and the warm single runs they are compared with;
- ``reporter --help``;
- publish: ``reporter publish`` of 60 day folders made from the real data by ``reporter
  backfill`` (made once and kept in a cache folder keyed by the code and the data, since making
  them takes minutes; copied to a fresh folder before each measured run): the first publish
  builds every page and the search index, the second finds nothing changed;
- the toolchain floor, interleaved with the warm runs: matplotlib and WeasyPrint alone (their
  import, the same charts, the same final HTML to PDF), one edition after the other.

Peak memory samples the run's whole process tree from /proc every 50 ms: the largest process
(its high-water mark) and the largest sum over the tree at one moment. CPU time is the
process tree's user + system time. Beside every figure: how many cores the rest of the machine
kept busy meanwhile (/proc/stat minus this benchmark's own processes) and the share of CPU time
the hypervisor stole; other work slows wall times, CPU times much less. Figures are medians; the
table says pass or fail against each target and everything goes to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reporter.vocabulary import EDITIONS, LOCALES, pdf_file_name

REPO = Path(__file__).resolve().parents[1]
PROBE = Path(__file__).resolve().parent / "probe.py"
RESULTS = Path(__file__).resolve().parent / "results"
AS_OF = "2025-12-31"
BACKFILL_SESSIONS = 40
BACKFILL_WORKERS = (1, 2)
#: Sessions of the projection in docs/scaling.md (a decade of history).
PROJECTED_SESSIONS = 2500
PUBLISH_SESSIONS = 60
MB = 1024 * 1024

# -- targets on the 2-core reference machine ------------------------------------------------------
TARGETS: dict[str, tuple[float, str]] = {
    "warm_end_to_end_s": (4.0, "s"),
    "metrics_s": (0.3, "s"),
    "read_panel_s": (0.3, "s"),
    "help_s": (0.5, "s"),
    "largest_process_mb": (600.0, "MB"),
    "process_tree_mb": (1200.0, "MB"),
    "single_language_pdf_mb": (1.0, "MB"),
    "backfill_40_s": (80.0, "s"),
    "publish_60_s": (10.0, "s"),
    "floor_ratio": (1.2, "x"),
}
#: Targets that are floors, not ceilings.
AT_LEAST: dict[str, tuple[float, str]] = {
    "backfill_speedup": (1.8, "x"),
}


@dataclass
class Sample:
    """One run of a command: wall and CPU time, peak memory, the load around it."""

    wall_s: float
    cpu_s: float
    largest_mb: float
    tree_mb: float
    processes: int
    load_before: float
    load_after: float
    others_cores: float  # CPU the rest of the machine used meanwhile, in cores
    steal: float  # share of the machine's CPU time the hypervisor took
    returncode: int
    output: dict[str, Any] = field(default_factory=dict)


# -- the process tree, read from /proc ------------------------------------------------------------

def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids.extend(int(k) for k in fh.read().split())
    except OSError:
        pass
    return kids


def _memory(pid: int) -> tuple[int, int]:
    """(resident, high-water mark) of one process in bytes; zeros once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, hwm


class TreeSampler(threading.Thread):
    """Peak memory of a process and all its descendants, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.largest = 0
        self.tree = 0
        self.seen: set[int] = set()
        self._halt = threading.Event()

    def sample(self) -> None:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(_children(pid))
        total = 0
        for pid in pids:
            rss, hwm = _memory(pid)
            total += rss
            self.largest = max(self.largest, hwm, rss)
            if rss:
                self.seen.add(pid)
        self.tree = max(self.tree, total)

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _machine_cpu() -> tuple[float, float]:
    """(busy, stolen) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(argv: Sequence[str], env: dict[str, str],
            parse: Callable[[str], dict[str, Any]] | None = None) -> Sample:
    """Run ``argv`` as a fresh process; its wall and CPU time (with every descendant) and
    peak memory, and how busy the rest of the machine was meanwhile (other work slows wall
    times). A JSON object on the last line of its output is kept."""
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_before, stolen_before, own_before = *_machine_cpu(), _own_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    machine_after, stolen_after = _machine_cpu()
    others = (machine_after - machine_before) - (_own_cpu() - own_before)
    cores = os.cpu_count() or 1
    steal = (stolen_after - stolen_before) / (wall * cores)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(argv[:3])} ... failed ({proc.returncode}): "
                 f"{(stderr or stdout).strip().splitlines()[-1:]}")
    output: dict[str, Any] = {}
    lines = stdout.strip().splitlines()
    if parse is not None:
        output = parse(stdout)
    elif lines and lines[-1].startswith("{"):
        output = json.loads(lines[-1])
    return Sample(wall, cpu, sampler.largest / MB, sampler.tree / MB, len(sampler.seen),
                  load_before, os.getloadavg()[0], max(0.0, others / wall), steal,
                  proc.returncode, output)


# -- the runs -----------------------------------------------------------------------------------

def reporter_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("reporter")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "reporter"]


def backfill_start() -> str:
    """The first of the last ``BACKFILL_SESSIONS`` sessions up to the as-of date."""
    sys.path.insert(0, str(REPO))
    from reporter import calendar

    days = calendar.sessions("2025-06-01", AS_OF)
    return days[-BACKFILL_SESSIONS].date().isoformat()


def publish_days_cache(marketdata: Path, override: str | None) -> Path:
    """Where the 60 day folders for the publish benchmark are kept: keyed by the data, the
    as-of date and the code (every file of the package, its templates and catalogs), so a
    change of what a run writes makes them anew."""
    import hashlib

    if override:
        return Path(override)
    h = hashlib.sha256(f"{marketdata}|{AS_OF}|{PUBLISH_SESSIONS}".encode())
    for folder in ("reporter", "templates", "locales"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(REPO)).encode())
                h.update(path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "reporter-bench" / f"days-{PUBLISH_SESSIONS}-{h.hexdigest()[:16]}"


def make_publish_days(cache: Path, source: str, env: dict[str, str], given: bool) -> None:
    """The day folders of the last ``PUBLISH_SESSIONS`` sessions, by ``reporter backfill``
    (not measured), unless the cache has them. A folder given with --publish-days is used as
    it is: it must hold the day folders."""
    if given:
        days = [p for p in cache.iterdir() if p.is_dir() and p.name[:2] == "20"] \
            if cache.is_dir() else []
        if len(days) != PUBLISH_SESSIONS:
            sys.exit(f"bench: --publish-days {cache} holds {len(days)} day folders, expected "
                     f"{PUBLISH_SESSIONS}")
        return
    if (cache / ".complete").is_file():
        return
    sys.path.insert(0, str(REPO))
    from reporter import calendar

    first = calendar.sessions("2025-06-01", AS_OF)[-PUBLISH_SESSIONS].date().isoformat()
    staging = cache.with_name(cache.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    proc = subprocess.run([*reporter_cmd(), "-q", "backfill", "--from", first, "--to", AS_OF,
                           "--source", source, "--out", str(staging)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=3600)
    made = [p for p in staging.iterdir() if p.is_dir()]
    if proc.returncode != 0 or len(made) != PUBLISH_SESSIONS:
        sys.exit(f"bench: backfill of {PUBLISH_SESSIONS} sessions for the publish benchmark "
                 f"failed ({proc.returncode}, {len(made)} folders): {proc.stderr.strip()[-300:]}")
    (staging / ".complete").write_text(first + "\n")
    shutil.rmtree(cache, ignore_errors=True)
    staging.rename(cache)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def summarise(samples: Sequence[Sample]) -> dict[str, Any]:
    return {
        "wall_s": median([s.wall_s for s in samples]),
        "cpu_s": median([s.cpu_s for s in samples]),
        "largest_mb": max(s.largest_mb for s in samples),
        "tree_mb": max(s.tree_mb for s in samples),
        "processes": max(s.processes for s in samples),
        "load": [round(min(s.load_before for s in samples), 2),
                 round(max(s.load_after for s in samples), 2)],
        "others_cores": median([s.others_cores for s in samples]),
        "steal": median([s.steal for s in samples]),
        "runs": [asdict(s) for s in samples],
    }


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    marketdata = Path(args.marketdata).resolve()
    source = f"csv:{marketdata}"
    work = Path(tempfile.mkdtemp(prefix="reporter-bench-"))
    env = dict(os.environ, REPORTER_MARKETDATA=str(marketdata))
    env.pop("SOURCE_DATE_EPOCH", None)
    reporter = reporter_cmd()
    py = sys.executable
    results: dict[str, Any] = {}

    def step(text: str) -> None:
        print(f"  {text} (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)

    try:
        if args.backfill_only:  # the store filled (untimed), then the warm runs to compare with
            step("fill the store")
            warm_env = dict(env, REPORTER_CACHE_DIR=str(work / "cold-cache-0"))
            measure([*reporter, "fetch", "--source", source, "--to", AS_OF], warm_env)
            warm = []
            for i in range(args.runs):
                step(f"warm run {i + 1}/{args.runs}")
                out = work / f"warm-out-{i}"
                warm.append(measure([*reporter, "run", "--source", source, "--date", AS_OF,
                                     "--out", str(out)], warm_env))
                shutil.rmtree(out, ignore_errors=True)
            results["warm"] = summarise(warm)
        else:
            warm_env = single_runs(args, results, work, env, source, step)
        if args.backfill_runs > 0:
            results.update(backfills(args, work, warm_env, source, step))
        if not args.backfill_only:
            results.update(publishes(args, work, warm_env, source, step))
        if args.backfill_runs > 0:
            step("what crosses the network")
            results["payload"] = measure(
                [py, str(PROBE), "payload", "--source", source, "--date", AS_OF,
                 "--sessions", str(BACKFILL_SESSIONS), "--projected", str(PROJECTED_SESSIONS)],
                warm_env).output
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def single_runs(args: argparse.Namespace, results: dict[str, Any], work: Path,
                env: dict[str, str], source: str, step: Callable[[str], None]) -> dict[str, str]:
    """Cold, warm, probe, floor, reads and --help runs into ``results``; the warm env."""
    reporter = reporter_cmd()
    py = sys.executable
    # cold: an empty store each time
    cold: list[Sample] = []
    for i in range(args.cold_runs):
        step(f"cold run {i + 1}/{args.cold_runs}")
        cache = work / f"cold-cache-{i}"
        cold.append(measure([*reporter, "run", "--source", source, "--date", AS_OF,
                             "--out", str(work / f"cold-out-{i}")],
                            dict(env, REPORTER_CACHE_DIR=str(cache))))
        if i:
            shutil.rmtree(cache, ignore_errors=True)
    warm_env = dict(env, REPORTER_CACHE_DIR=str(work / "cold-cache-0"))
    results["cold"] = summarise(cold)

    # what the renderer is given, for the floor (not measured)
    inputs = work / "render-inputs.pickle"
    measure([py, str(PROBE), "stages", "--source", source, "--date", AS_OF,
             "--out", str(work / "capture-out"), "--capture", str(inputs)], warm_env)

    warm: list[Sample] = []
    stages: list[Sample] = []
    floor: list[Sample] = []
    for i in range(args.runs):
        step(f"warm run {i + 1}/{args.runs}")
        out = work / f"warm-out-{i}"
        warm.append(measure([*reporter, "run", "--source", source, "--date", AS_OF,
                             "--out", str(out)], warm_env))
        shutil.rmtree(out, ignore_errors=True)
        floor.append(measure([py, str(PROBE), "floor", "--inputs", str(inputs)], warm_env))
        out = work / f"stage-out-{i}"
        stages.append(measure([py, str(PROBE), "stages", "--source", source, "--date", AS_OF,
                               "--out", str(out)], warm_env))
        shutil.rmtree(out, ignore_errors=True)
    results["warm"] = summarise(warm)
    results["stages"] = summarise(stages)
    results["floor"] = summarise(floor)

    step("store reads and metrics")
    reads = [measure([py, str(PROBE), "reads", "--source", source, "--date", AS_OF],
                     warm_env) for _ in range(max(1, args.runs // 2))]
    results["reads"] = summarise(reads)

    step("reporter --help")
    results["help"] = summarise([measure([*reporter, "--help"], warm_env)
                                 for _ in range(args.runs)])
    return warm_env


_SESSION_LINE = re.compile(r"  (\d{4}-\d\d-\d\d): ok \((\d+\.\d+) s\)")
_TIMINGS_LINE = re.compile(r"backfill timings: (.*)")


def parse_backfill(stdout: str) -> dict[str, Any]:
    """Seconds per session on its worker and the coordinator's stages, from ``-v`` output."""
    sessions = {m[1]: float(m[2]) for m in _SESSION_LINE.finditer(stdout)}
    found = _TIMINGS_LINE.search(stdout)
    stages = {}
    if found:
        for part in found[1].split(", "):
            name, seconds, _unit = part.rsplit(" ", 2)
            stages[name] = float(seconds)
    return {"session_s": sessions, "coordinator_s": stages}


def backfills(args: argparse.Namespace, work: Path, warm_env: dict[str, str], source: str,
              step: Callable[[str], None]) -> dict[str, Any]:
    """``reporter backfill`` of the last ``BACKFILL_SESSIONS`` sessions on 1 and 2 local
    workers, the two interleaved so that a change of load hits both alike."""
    reporter = reporter_cmd()
    first = backfill_start()
    samples: dict[int, list[Sample]] = {w: [] for w in BACKFILL_WORKERS}
    folder_bytes: list[int] = []
    for i in range(args.backfill_runs):
        for workers in sorted(BACKFILL_WORKERS, reverse=True):
            step(f"backfill {first} to {AS_OF} on {workers} worker(s), "
                 f"run {i + 1}/{args.backfill_runs}")
            out = work / f"backfill-out-{workers}-{i}"
            samples[workers].append(measure(
                [*reporter, "-v", "backfill", "--from", first, "--to", AS_OF, "--source",
                 source, "--out", str(out), "--scheduler", f"local:{workers}"],
                warm_env, parse=parse_backfill))
            made = sorted(p for p in out.iterdir() if p.is_dir())
            if len(made) != BACKFILL_SESSIONS:
                sys.exit(f"bench: backfill wrote {len(made)} day folders, "
                         f"expected {BACKFILL_SESSIONS}")
            folder_bytes.append(sum(f.stat().st_size for f in made[-1].iterdir()))
            shutil.rmtree(out, ignore_errors=True)
    results = {f"backfill_{w}": summarise(samples[w]) for w in BACKFILL_WORKERS}
    results["backfill_first"] = first
    results["backfill_day_folder_bytes"] = max(folder_bytes)
    return results


def publishes(args: argparse.Namespace, work: Path, warm_env: dict[str, str], source: str,
              step: Callable[[str], None]) -> dict[str, Any]:
    """``reporter publish`` of ``PUBLISH_SESSIONS`` day folders: every page and the search
    index, then again with nothing changed."""
    reporter = reporter_cmd()
    results: dict[str, Any] = {}
    cache = publish_days_cache(Path(args.marketdata).resolve(), args.publish_days)
    step(f"{PUBLISH_SESSIONS} day folders for publish ({cache})")
    make_publish_days(cache, source, warm_env, given=bool(args.publish_days))
    first_publish: list[Sample] = []
    again: list[Sample] = []
    for i in range(args.publish_runs):
        step(f"publish {PUBLISH_SESSIONS} days, run {i + 1}/{args.publish_runs}")
        site = work / f"publish-{i}"
        shutil.copytree(cache, site, ignore=shutil.ignore_patterns(
            ".complete", "index*.html", "archive", "topics", "search", "pagefind",
            "feed*.xml"))  # the day folders alone: no portal yet
        first_publish.append(measure([*reporter, "publish", "--out", str(site)], warm_env))
        pages = list(site.glob("20*/index*.html"))
        if len(pages) != 2 * PUBLISH_SESSIONS or not (site / "pagefind").is_dir():
            sys.exit(f"bench: publish made {len(pages)} day pages and "
                     f"{'a' if (site / 'pagefind').is_dir() else 'no'} search index")
        again.append(measure([*reporter, "publish", "--out", str(site)], warm_env))
        shutil.rmtree(site, ignore_errors=True)
    results["publish"] = summarise(first_publish)
    results["publish_again"] = summarise(again)
    return results


# -- the figures and the table --------------------------------------------------------------------

def stage_medians(stages: dict[str, Any]) -> dict[str, float]:
    """Median seconds of every stage over the probe runs, with per-edition sums."""
    runs = [r["output"] for r in stages["runs"]]
    keys = sorted({k for r in runs for k in r["timings"]})
    out = {k: median([r["timings"].get(k, 0.0) for r in runs]) for k in keys}
    for loc in LOCALES:
        out[f"edition.{loc}"] = median([
            sum(r["timings"].get(f"{step}.{loc}", 0.0)
                for step in ("charts", "html", "layout", "pdf"))
            for r in runs
        ])
    out["edition.bilingual"] = median([  # its charts are its first language's, drawn once
        sum(r["timings"].get(f"{step}.bilingual", 0.0) for step in ("layout", "pdf"))
        for r in runs
    ])
    out["in_process_end_to_end"] = median([r["since_start_s"] for r in runs])
    return out


def backfill_figures(results: dict[str, Any]) -> dict[str, float]:
    """Throughput, speed-up and cost per session of the backfill runs."""
    n = BACKFILL_SESSIONS
    one, two = results["backfill_1"], results["backfill_2"]
    per_session = [s for r in two["runs"] for s in r["output"]["session_s"].values()]
    per_session_1 = [s for r in one["runs"] for s in r["output"]["session_s"].values()]
    coordinator = {k: median([r["output"]["coordinator_s"].get(k, 0.0) for r in two["runs"]])
                   for k in ("sync", "read", "cluster", "write", "total")}
    payload = results["payload"]
    figs = {
        "backfill_40_s": two["wall_s"],
        "backfill_40_1_worker_s": one["wall_s"],
        "backfill_sessions_per_min_1": 60.0 * n / one["wall_s"],
        "backfill_sessions_per_min_2": 60.0 * n / two["wall_s"],
        "backfill_speedup": one["wall_s"] / two["wall_s"],
        "backfill_cores_busy": two["cpu_s"] / two["wall_s"],
        "backfill_wall_per_session_s": two["wall_s"] / n,
        "backfill_cpu_per_session_s": two["cpu_s"] / n,
        "backfill_worker_session_s": median(per_session),
        "backfill_worker_session_1_s": median(per_session_1),
        "backfill_write_per_session_s": coordinator["write"] / n,
        "backfill_history_mb": payload["history_bytes"] / MB,
        "backfill_history_projected_mb": payload["projected_history_bytes"] / MB,
        "backfill_session_result_mb": results["backfill_day_folder_bytes"] / MB,
        **{f"backfill_coordinator_{k}_s": v for k, v in coordinator.items()},
    }
    figs["backfill_fixed_s"] = max(0.0, two["wall_s"] - n * figs["backfill_worker_session_s"] / 2)
    figs["single_run_vs_backfill_session"] = (results["warm"]["wall_s"]
                                              / figs["backfill_wall_per_session_s"])
    return figs


def figures(results: dict[str, Any]) -> dict[str, float]:
    figs = {"warm_end_to_end_s": results["warm"]["wall_s"],
            "warm_cpu_s": results["warm"]["cpu_s"]}
    if "backfill_2" in results:  # not with --backfill-runs 0
        figs.update(backfill_figures(results))
    runs = [k for k in ("cold", "warm", "stages", "floor", "reads", "help", "publish",
                        *(f"backfill_{w}" for w in BACKFILL_WORKERS)) if k in results]
    figs["largest_process_mb"] = max(results[k]["largest_mb"] for k in runs)
    figs["process_tree_mb"] = max(results[k]["tree_mb"] for k in runs)
    if "stages" not in results:  # --backfill-only
        return figs
    stages = stage_medians(results["stages"])
    reads = [r["output"] for r in results["reads"]["runs"]]
    sizes = [r["output"]["sizes"] for r in results["stages"]["runs"]]
    pdf = {e: max(s[pdf_file_name(AS_OF, e)] for s in sizes) / 1e6 for e in EDITIONS}
    floor_total = median([r["output"]["total_s"] for r in results["floor"]["runs"]])
    return {
        **figs,
        "cold_end_to_end_s": results["cold"]["wall_s"],
        "metrics_s": stages["metrics"],
        "metrics_first_call_s": median([r["metrics_first_s"] for r in reads]),
        "metrics_repeated_s": median([r["metrics_median_s"] for r in reads]),
        "read_panel_s": median([r["read_window_first_s"] for r in reads]),
        "read_panel_repeated_s": median([r["read_window_median_s"] for r in reads]),
        "read_all_history_s": median([r["read_all_first_s"] for r in reads]),
        "help_s": results["help"]["wall_s"],
        "single_language_pdf_mb": max(pdf["zh-CN"], pdf["en-US"]),
        "bilingual_pdf_mb": pdf["bilingual"],
        "publish_60_s": results["publish"]["wall_s"],
        "publish_60_cpu_s": results["publish"]["cpu_s"],
        "publish_60_again_s": results["publish_again"]["wall_s"],
        "floor_s": floor_total,
        "floor_ratio": results["warm"]["wall_s"] / floor_total,
        **{f"stage.{k}": v for k, v in stages.items()},
    }


def verdicts(figs: dict[str, float]) -> dict[str, bool]:
    """Pass or fail of every target measured in this run."""
    out = {k: figs[k] <= limit for k, (limit, _u) in TARGETS.items() if k in figs}
    out.update({k: figs[k] >= limit for k, (limit, _u) in AT_LEAST.items() if k in figs})
    return out


def table(results: dict[str, Any], figs: dict[str, float], info: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    passed = verdicts(figs)

    def row(label: str, key: str | None, text: str, unit: str = "") -> None:
        target, verdict = "", ""
        if key in TARGETS or key in AT_LEAST:
            limit, tunit = TARGETS[key] if key in TARGETS else AT_LEAST[key]
            target = f"{'<=' if key in TARGETS else '>='} {limit:g} {tunit}"
            verdict = "pass" if passed[key] else "FAIL"
        rows.append((label, text + (f" {unit}" if unit else ""), target, verdict))

    def load(kind: str) -> str:
        r = results[kind]
        return f"others {r['others_cores']:.2f} cores, steal {100 * r['steal']:.0f}%"

    f = figs
    row(f"warm end to end: reporter run, 3 editions ({load('warm')})", "warm_end_to_end_s",
        f"{f['warm_end_to_end_s']:.2f}", "s")
    row("  CPU time of the whole process tree", None, f"{f['warm_cpu_s']:.2f}", "s")
    if "stages" in results:
        single_rows(row, load, f)
    if "backfill_2" in results:
        backfill_rows(row, load, results, f)
    row("peak memory, largest process (any run)", "largest_process_mb",
        f"{f['largest_process_mb']:.0f}", "MB")
    row("peak memory, sum over a run's processes (any run)", "process_tree_mb",
        f"{f['process_tree_mb']:.0f}", "MB")
    for kind in ("warm", "backfill_2", "backfill_1", "cold", "publish"):
        if kind in results:
            r = results[kind]
            row(f"  {kind}: largest / sum / processes", None,
                f"{r['largest_mb']:.0f} / {r['tree_mb']:.0f} / {r['processes']}", "MB")
    if "stages" in results:
        row("PDF size, largest single-language edition", "single_language_pdf_mb",
            f"{f['single_language_pdf_mb']:.2f}", "MB")
        row("PDF size, bilingual edition", None, f"{f['bilingual_pdf_mb']:.2f}", "MB")

    width = max(len(r[0]) for r in rows)
    head = (f"reporter bench: {info['marketdata']} as of {AS_OF}, {info['cpus']} CPUs, "
            f"medians of {info['runs']} runs ({info['cold_runs']} cold, "
            f"{info['backfill_runs']} backfill); load average "
            f"{info['load_at_start'][0]:.2f} at start, {info['load_at_end'][0]:.2f} at end")
    lines = [head, f"{'figure':<{width}}  {'median':>13}  {'target':>10}  result"]
    lines += [f"{a:<{width}}  {b:>13}  {c:>10}  {d}" for a, b, c, d in rows]
    return "\n".join(lines)


def backfill_rows(row: Callable[..., None], load: Callable[[str], str],
                  results: dict[str, Any], f: dict[str, float]) -> None:
    """The rows of the backfill runs (not with ``--backfill-runs 0``)."""
    n = BACKFILL_SESSIONS
    for w in BACKFILL_WORKERS:
        row(f"backfill of {n} sessions, local:{w} ({load(f'backfill_{w}')})",
            "backfill_40_s" if w == 2 else None,
            f"{results[f'backfill_{w}']['wall_s']:.1f}", "s")
        row(f"  throughput on {w} worker(s)", None,
            f"{f[f'backfill_sessions_per_min_{w}']:.1f}", "sessions/min")
    row("  speed-up from 1 to 2 workers", "backfill_speedup", f"{f['backfill_speedup']:.2f}", "x")
    row("  cores kept busy on 2 workers (CPU time / wall time)", None,
        f"{f['backfill_cores_busy']:.2f}")
    row("  per session on 2 workers: wall / CPU", None,
        f"{f['backfill_wall_per_session_s']:.2f} / {f['backfill_cpu_per_session_s']:.2f}", "s")
    row("  one session built on a worker, 1 / 2 workers (median)", None,
        f"{f['backfill_worker_session_1_s']:.2f} / {f['backfill_worker_session_s']:.2f}", "s")
    row("  single reporter run / backfill wall per session (2 workers)", None,
        f"{f['single_run_vs_backfill_session']:.1f}", "x")
    row("  coordinator: sync / read / cluster wait / write all", None,
        " / ".join(f"{f[f'backfill_coordinator_{k}_s']:.2f}" for k in ("sync", "read",
                                                                          "cluster", "write")),
        "s")
    row("  fixed cost (wall minus the sessions' share on 2 workers)", None,
        f"{f['backfill_fixed_s']:.1f}", "s")
    row(f"  scattered history: {n} sessions / {PROJECTED_SESSIONS} sessions", None,
        f"{f['backfill_history_mb']:.1f} / {f['backfill_history_projected_mb']:.1f}", "MB")
    row("  one session's files returned to the coordinator", None,
        f"{f['backfill_session_result_mb']:.2f}", "MB")


def single_rows(row: Callable[..., None], load: Callable[[str], str],
                f: dict[str, float]) -> None:
    """The rows of the single-run measures (not in ``--backfill-only``)."""
    row("  same run in the probe, from process start", None,
        f"{f['stage.in_process_end_to_end']:.2f}", "s")
    for key, label in (("open", "open source"), ("sync", "store sync check"),
                       ("load", "load from store"), ("calendar", "calendar"),
                       ("panel", "panel"), ("metrics", "metrics"), ("insights", "insights"),
                       ("render", "render (wait for the renderer)"), ("write", "write")):
        row(f"  stage: {label}", "metrics_s" if key == "metrics" else None,
            f"{f.get('stage.' + key, 0.0):.3f}", "s")
    row("  renderer: load chart and PDF libraries (overlaps the stages above)", None,
        f"{f.get('stage.render.import', 0.0):.3f}", "s")
    row("  renderer: compile the templates while it waits (overlaps the stages above)", None,
        f"{f.get('stage.render.warm', 0.0):.3f}", "s")
    for loc in LOCALES:
        parts = ", ".join(f"{step} {f.get(f'stage.{step}.{loc}', 0.0):.2f}"
                          for step in ("charts", "html", "layout", "pdf"))
        row(f"  render edition {loc} ({parts})", None, f"{f[f'stage.edition.{loc}']:.2f}", "s")
    row("  render edition bilingual (join of the two)", None,
        f"{f['stage.edition.bilingual']:.3f}", "s")
    row(f"toolchain floor: matplotlib + WeasyPrint alone, serial ({load('floor')})", None,
        f"{f['floor_s']:.2f}", "s")
    row("warm end to end / toolchain floor", "floor_ratio", f"{f['floor_ratio']:.2f}", "x")
    row(f"read the panel from the store, fresh process ({load('reads')})", "read_panel_s",
        f"{f['read_panel_s']:.3f}", "s")
    row("  repeated in the same process", None, f"{f['read_panel_repeated_s']:.3f}", "s")
    row("  every stored row (all history)", None, f"{f['read_all_history_s']:.3f}", "s")
    row("metrics: compute(), first call / repeated", None,
        f"{f['metrics_first_call_s']:.3f} / {f['metrics_repeated_s']:.3f}", "s")
    row(f"reporter --help ({load('help')})", "help_s", f"{f['help_s']:.2f}", "s")
    row(f"cold end to end: empty store, CSV import ({load('cold')})", None,
        f"{f['cold_end_to_end_s']:.2f}", "s")
    row(f"publish of {PUBLISH_SESSIONS} days: every page and the search index "
        f"({load('publish')})", "publish_60_s", f"{f['publish_60_s']:.2f}", "s")
    row("  CPU time of the whole process tree", None, f"{f['publish_60_cpu_s']:.2f}", "s")
    row(f"  publish again, nothing changed ({load('publish_again')})", None,
        f"{f['publish_60_again_s']:.2f}", "s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm, probe, floor and --help runs")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--backfill-runs", type=int, default=3)
    parser.add_argument("--publish-runs", type=int, default=3)
    parser.add_argument("--publish-days", default=None, help=(
        f"folder of {PUBLISH_SESSIONS} day folders to publish (default: made once by backfill "
        "and kept in ~/.cache/reporter-bench)"))
    parser.add_argument("--quick", action="store_true",
                        help="3 warm runs, 1 cold, 1 backfill, 1 publish")
    parser.add_argument("--backfill-only", action="store_true",
                        help="only the backfill runs and the warm runs they compare with")
    parser.add_argument("--marketdata", default=os.environ.get(
        "REPORTER_MARKETDATA", str(REPO.parent / "shared" / "marketdata")))
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.cold_runs, args.backfill_runs, args.publish_runs = 3, 1, 1, 1
    if not (Path(args.marketdata) / "prices").is_dir():
        sys.exit(f"bench: real market data not found at {args.marketdata} "
                 "(set REPORTER_MARKETDATA)")
    info = {
        "marketdata": str(Path(args.marketdata).resolve()),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": args.runs,
        "cold_runs": args.cold_runs,
        "backfill_runs": args.backfill_runs,
        "publish_runs": args.publish_runs,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_at_start": os.getloadavg(),
    }
    print(f"bench: {args.runs} warm runs, {args.cold_runs} cold, {args.backfill_runs} backfill",
          file=sys.stderr)
    results = run_all(args)
    figs = figures(results)
    info["load_at_end"] = os.getloadavg()
    print(table(results, figs, info))
    passed = verdicts(figs)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"info": info, "targets": TARGETS, "at_least": AT_LEAST,
                                     "figures": figs, "pass": passed, "runs": results},
                                    indent=2) + "\n")
    print(f"written {args.json}", file=sys.stderr)
    return 1 if args.strict and not all(passed.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
