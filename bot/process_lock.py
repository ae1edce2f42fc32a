"""A lock between processes that is never waited for: whoever holds it does the work, the others skip it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Take an flock on path without waiting; yield whether it was taken, and release it on leaving.

    The kernel drops the lock when its holder dies, so a crashed process never
    keeps the others from the work. Two opens in one process are two holders
    too, so bots sharing a process take turns as separate processes would.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
