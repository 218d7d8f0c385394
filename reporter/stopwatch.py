"""Seconds spent in each stage of a run, for the benchmark (``bench/run.py``)."""

from __future__ import annotations

import time


class Stopwatch:
    """Laps of a run: ``lap(stage)`` adds the time since the previous lap to ``stage``."""

    def __init__(self, suffix: str = "") -> None:
        self.seconds: dict[str, float] = {}
        self._suffix = suffix  # e.g. ".zh-CN": the same steps timed once per language
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        key = stage + self._suffix
        self.seconds[key] = self.seconds.get(key, 0.0) + now - self._last
        self._last = now
