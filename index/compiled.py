"""Compiling newsbot's loops with numba, cached on disk wherever numba can write its cache.

numba caches compiled code beside the module (`__pycache__`) or, when that
folder is read-only, in the user's cache folder. A service installed by one
user and run by another with no writable home (a system account under
systemd) has neither, and numba then refuses the function at import:
newsbot would not start. There the loops are compiled in each process
instead, a few seconds at the first question or build.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import TypeVar

from numba import njit
from numba.core import event

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable)
_warned = False


def compiled(function: F) -> F:
    """Return function compiled by numba (nogil: other threads run meanwhile), its code cached when it can be."""
    global _warned
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError as exc:  # "cannot cache function ...: no locator available"
        if not _warned:
            _warned = True
            log.warning("numba cannot cache compiled code (%s); compiling in each process instead", exc)
        return njit(nogil=True)(function)


class _Worked(event.Listener):
    """Notes that numba compiled or loaded code: it holds its compiler lock only then, not to call a function."""

    def __init__(self) -> None:
        self.pending = False

    def on_start(self, event: event.Event) -> None:
        pass

    def on_end(self, event: event.Event) -> None:
        self.pending = True


_worked = _Worked()
event.register("numba:compiler_lock", _worked)


def settle() -> None:
    """Collect the garbage numba's compiling or loading left, if it did any since the last call: now, not later.

    LLVM's objects free themselves in finalizers that run numba's Python code,
    and those left in reference cycles wait for a garbage collection at some
    later, random moment. A Ctrl-C landing in one was swallowed there ("Exception
    ignored in ObjectRef.__del__"), and once the process crashed (SIGSEGV) instead
    of exiting 130. Called at the end of a question's answer (a few ms, once per
    function loaded), the collection falls where the asker holds interrupts.
    """
    if _worked.pending:
        _worked.pending = False
        gc.collect()
