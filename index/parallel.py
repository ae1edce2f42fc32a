"""Two runs of segments at once: a search's work cut in two halves, the last run in a helper thread.

Which searches have work enough for a second core is the scorer's to say
(`bm25.py`: PARALLEL_POSTINGS, PARALLEL_CANDIDATES).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import TypeVar

import numpy as np

T = TypeVar("T")


@functools.cache
def cores() -> int:
    """Return how many cores this process may run on (asked once)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def in_runs(runs: list[range], work: Callable[[range], T]) -> list[T]:
    """Return work(run) for each run, in order: the last run in a thread of its own while this one does the rest.

    The loops over postings are compiled to run without the GIL, and reads
    release it, so two runs take about half as long on two cores. The thread
    ends with its run (about 0.1 ms to start): a lasting one would keep a
    later build in this process from forking its workers.
    """
    if len(runs) == 1:
        return [work(runs[0])]
    done: list[T] = []
    failed: list[BaseException] = []

    def last() -> None:
        try:
            done.append(work(runs[-1]))
        except BaseException as exc:  # handed to the searching thread
            failed.append(exc)

    helper = threading.Thread(target=last, name="newsbot-search", daemon=True)
    try:
        helper.start()
    except RuntimeError:  # no thread to be had: one run after the other
        return [work(run) for run in runs]
    try:
        first = [work(run) for run in runs[:-1]]
    finally:
        helper.join()  # waited for even when this thread failed: it shares the search's arrays
    if failed:
        raise failed[0]
    return [*first, done[0]]


def split_runs(sizes: list[int], least: int) -> list[range]:
    """Return the segments as one run, or as two with about half the work each when the work (sizes, per
    segment) comes to at least `least`, both runs have some, and a second core is there."""
    total = sum(sizes)
    if total < least or cores() < 2:
        return [range(len(sizes))]
    done = np.cumsum(sizes)[:-1].tolist()  # the work before each cut between two segments
    cuts = [cut for cut in range(1, len(sizes)) if 0 < done[cut - 1] < total]
    if not cuts:
        return [range(len(sizes))]
    cut = min(cuts, key=lambda cut: max(done[cut - 1], total - done[cut - 1]))
    return [range(cut), range(cut, len(sizes))]
