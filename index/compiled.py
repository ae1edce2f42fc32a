"""Compiling newsbot's loops with numba, cached on disk wherever numba can write its cache.

numba caches compiled code beside the module (`__pycache__`) or, when that
folder is read-only, in the user's cache folder. A service installed by one
user and run by another with no writable home (a system account under
systemd) has neither, and numba then refuses the function at import:
newsbot would not start. There the loops are compiled in each process
instead, a few seconds at the first question or build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from numba import njit

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
