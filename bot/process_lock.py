"""A lock between processes that is never waited for: whoever holds it does the work, the others skip it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from newsbot.index import exclusive_lock


class _Taken(Exception):
    """Another holder has the lock."""


@contextlib.contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Take an flock on path without waiting; yield whether it was taken, and release it on leaving.

    The kernel drops the lock when its holder dies, so a crashed process never
    keeps the others from the work. Two opens in one process are two holders
    too, so bots sharing a process take turns as separate processes would.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with exclusive_lock(path, 0, _Taken):
            yield True
            return
    except _Taken:
        pass
    yield False
