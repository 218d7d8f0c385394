"""Jobs in forked processes or in turn here: results, errors, and memory between jobs."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from reporter.render.speed.fork import BEHIND, Forks, collector_paused, run_each


class _Cycle:
    """A document stand-in: garbage only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


_left: list[weakref.ref[_Cycle]] = []


def _leave_a_cycle(job: int) -> tuple[int, bool]:
    """Report whether the previous job's cycle is still alive, then leave one behind."""
    previous_alive = bool(_left) and _left[-1]() is not None
    cycle = _Cycle()
    _left.append(weakref.ref(cycle))
    del cycle
    return job, previous_alive


def test_jobs_in_turn_never_hold_each_others_garbage() -> None:
    _left.clear()
    with collector_paused(), Forks(parallel=False) as forks:
        answers = [forks.start(_leave_a_cycle, n, name=str(n)) for n in range(3)]
        results = [answer() for answer in answers]
    assert [job for job, _ in results] == [0, 1, 2]
    assert not any(alive for _, alive in results)


def test_the_pause_restores_the_collector() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def _pid(job: int) -> tuple[int, int]:
    return job, os.getpid()


def _fail(job: int) -> int:
    raise ValueError(f"job {job} failed")


@pytest.mark.parametrize("parallel", [True, False])
def test_run_each_answers_every_job_by_key(parallel: bool) -> None:
    done = run_each(_pid, [1, 2, 3], key=str, parallel=parallel)
    assert {k: v[0] for k, v in done.items()} == {"1": 1, "2": 2, "3": 3}
    pids = {v[1] for v in done.values()}
    assert (len(pids) == 3) is parallel  # forked: one process per job but the first
    assert done["1"][1] == os.getpid()


def test_a_forked_jobs_error_reaches_the_caller() -> None:
    with Forks(parallel=True) as forks:
        answer = forks.start(_fail, 7, name="seven")
        with pytest.raises(ValueError, match="job 7 failed"):
            answer()


def _niceness(_job: int) -> int:
    return os.nice(0)


def test_a_job_behind_yields_the_processor_and_the_others_do_not() -> None:
    here = os.nice(0)
    with Forks(parallel=True) as forks:
        behind = forks.start(_niceness, 1, name="behind", behind=True)
        ahead = forks.start(_niceness, 2, name="ahead")
        assert behind() == here + BEHIND and ahead() == here
    assert os.nice(0) == here  # the caller's own priority is untouched
    with Forks(parallel=False) as forks:  # jobs here, in turn: nothing to yield to
        assert forks.start(_niceness, 3, name="here", behind=True)() == here
