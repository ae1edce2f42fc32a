"""The index folder's writer lock: one refresh at a time across processes, never waited on without a bound.

The lock is an flock on `.lock`, so the kernel drops it when its holder dies.
Build workers are forked while it is held and would inherit it: they close
their copy at once (`forget_inherited_locks`) and are killed with their
parent, so a killed refresh never leaves the index locked.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from newsbot.index.errors import IndexBusyError

WRITER_WAIT_S = 30.0  # how long a second writer waits before saying who holds the lock
# What writing fails with in a folder this process may only read (opening `.lock`, a rebuild's first write).
READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)
_POLL_S = 0.1
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_held: set[int] = set()  # descriptors of locks this process holds, for forked children to close


@contextlib.contextmanager
def exclusive_lock(path: Path, wait: float, busy: Callable[[], Exception], *, read_only: bool = False) -> Iterator[int]:
    """Hold an flock on path (created when missing), waiting at most `wait` seconds; yield its descriptor.

    With read_only, the file is opened for reading and never created: the
    flock is the same, so a process that may write waits on it all the same.
    Raises busy() when another holder keeps it longer; OSError when the file
    cannot be opened. A link planted at path is refused, never followed. Build
    workers forked meanwhile close their copy (`forget_inherited_locks`).
    """
    flags = os.O_RDONLY if read_only else os.O_RDWR | os.O_CREAT
    descriptor = os.open(path, flags | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
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
        _held.add(descriptor)
        try:
            yield descriptor
        finally:
            _held.discard(descriptor)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def writer_lock(directory: Path, wait: float = WRITER_WAIT_S) -> Iterator[None]:
    """Hold the writer lock of an index folder, waiting at most `wait` seconds for it.

    Raises IndexBusyError, naming the holder, when another process keeps it
    longer; OSError when the folder cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ".lock"
    with exclusive_lock(path, wait, functools.partial(_busy, directory)) as descriptor:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0)
        yield


@contextlib.contextmanager
def reading_lock(directory: Path, wait: float = WRITER_WAIT_S) -> Iterator[None]:
    """Keep writers out of an index folder while it is read whole, writing nothing to one that is read-only.

    The writer lock where `.lock` can be written; else the same flock taken
    through a read-only descriptor; else (a read-only folder without `.lock`)
    none, as no writer could take it either. Raises IndexBusyError as
    `writer_lock` does.
    """
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(writer_lock(directory, wait))
        except OSError as error:
            if error.errno not in READ_ONLY_ERRNOS:
                raise
            with contextlib.suppress(FileNotFoundError):  # no `.lock`: no writer can take it either
                held.enter_context(exclusive_lock(directory / ".lock", wait, functools.partial(_busy, directory), read_only=True))
        yield


def _busy(directory: Path) -> IndexBusyError:
    """Return the error saying who holds an index folder's writer lock."""
    return IndexBusyError(f"another newsbot is refreshing the index in {directory} ({_holder(directory / '.lock')})")


def _holder(path: Path) -> str:
    """Return what the lock file says of its holder."""
    try:
        note = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        note = ""
    return note or "holder unknown"


def forget_inherited_locks() -> None:
    """In a forked worker: close the lock descriptors inherited from the parent, and die with it."""
    for descriptor in list(_held):
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _held.clear()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))



