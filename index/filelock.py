"""An exclusive lock on a lock file (flock), waited on for a bounded time: the kernel drops it when its holder dies."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["exclusive_lock"]

_POLL_S = 0.1


@contextlib.contextmanager
def exclusive_lock(path: Path, wait: float, busy: Callable[[], Exception]) -> Iterator[None]:
    """Hold an flock on path (created when missing), waiting at most `wait` seconds for another holder.

    Raises busy() when the lock stays held longer; OSError when the file
    cannot be opened. A link planted at path is refused, never followed.
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy() from None
                time.sleep(_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
