"""Work run on other cores, in processes forked from this one (multiprocessing's fork context):
a job is a function of this process's memory as it is when the job starts (the whole site, the
settings, the vocabulary), so nothing is pickled but its result.

A job's failure of any kind (an exception, a result that cannot be pickled, a process that
dies) raises `JobFailed` with its message where its result is asked for. A fork copies only
the thread that calls it, with every lock other threads hold: so no fork is made from a thread
other than the main one, nor from a process that said it has threads that run all the time
(`stay_in_one_process`: the live preview, beside tornado's and the watcher's); `processes()`
then gives one, and a pool's jobs go to spawned processes (`pool_context`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from typing import Callable, TypeVar

T = TypeVar("T")
_FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
_forking_allowed = True


class JobFailed(RuntimeError):
    """A job run in another process failed: its message (a traceback) is the error's."""


def cores() -> int:
    """The cores this process may use: its affinity where the system has one (Linux, WSL),
    else the machine's (macOS has no os.sched_getaffinity)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Only from the main thread, in a process that allows it: a daemonic process may have no
    child, and the live preview's threads (tornado's, the watcher's) run all the time."""
    return (_FORK is not None and _forking_allowed
            and threading.current_thread() is threading.main_thread()
            and not multiprocessing.current_process().daemon)


def stay_in_one_process() -> None:
    """From now on, this process never forks (what the live preview calls once its threads
    start)."""
    global _forking_allowed
    _forking_allowed = False


def pool_context():
    """The multiprocessing context for a pool of jobs whose work is pickled: fork where this
    process may fork, else spawn (slower to start, safe beside other threads)."""
    return _FORK if can_fork() else multiprocessing.get_context("spawn")


def processes(wanted: int, work: int, smallest_share: int) -> int:
    """How many processes to share `work` among: `wanted` (0: one per core, while each gets
    `smallest_share` at least), one where this process must not fork."""
    if not can_fork():
        return 1
    if wanted > 0:
        return max(1, min(wanted, work))
    return max(1, min(cores(), work // smallest_share))


class Forked:
    """`job()` run in a forked process; `result()` (asked once) waits for it."""

    def __init__(self, job: Callable[[], T]):
        sys.stdout.flush()  # else the child would write out what this process buffered
        sys.stderr.flush()
        self._answer, sending = _FORK.Pipe(duplex=False)
        self._process = _FORK.Process(target=_answer, args=(job, sending))
        self._process.start()
        sending.close()  # only the child holds it now: its end reads as the end of the pipe

    def result(self) -> T:
        try:
            done, value = self._answer.recv()
        except (EOFError, OSError):
            done, value = False, None
        finally:
            self._answer.close()
            self._process.join()
        if not done:
            raise JobFailed(value or f"the process ended with status {self._process.exitcode}"
                                     " before it answered")
        return value


def _answer(job: Callable, sending) -> None:
    try:
        answer = (True, job())
        sending.send(answer)  # pickled first: a result that cannot be pickled sends nothing
    except BaseException:
        sending.send((False, traceback.format_exc()))
    finally:
        sending.close()


def share(jobs: list[Callable[[], T]]) -> list[T]:
    """Each job's result: the first job runs here, the others each in a forked process at the
    same time. The first failure raises once every job has ended (no process is left behind)."""
    others = [Forked(job) for job in jobs[1:]]
    results, failures = [], []
    try:
        results.append(jobs[0]())
    finally:
        for other in others:
            try:
                results.append(other.result())
            except JobFailed as failure:
                failures.append(failure)
    if failures:
        raise failures[0]
    return results
