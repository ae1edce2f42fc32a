"""File permissions that hold in a test even when it runs as root.

Root reads and writes whatever the mode bits say (the capabilities
CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH). Test machines often run as
root, so a folder chmod'ed 000 would still be listed there: the tests
that need a permission to be refused drop those two capabilities from
the calling thread's effective set (`capset(2)` is per thread) and put
them back afterwards. Processes forked meanwhile inherit the drop.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator

import pytest

_CAPABILITY_VERSION_3 = 0x20080522  # <linux/capability.h>: two 32-bit sets
_DAC_OVERRIDES = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Sets(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


@contextlib.contextmanager
def permissions_enforced() -> Iterator[None]:
    """Make this thread subject to file permissions (a no-op for a user other than root); skip the test where that cannot be done."""
    if os.geteuid() != 0:
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    header, sets = _Header(_CAPABILITY_VERSION_3, 0), (_Sets * 2)()
    if libc.capget(ctypes.byref(header), sets) != 0:
        pytest.skip(f"running as root, and capget failed (errno {ctypes.get_errno()}): root ignores file permissions")
    saved = sets[0].effective
    sets[0].effective &= ~_DAC_OVERRIDES
    if libc.capset(ctypes.byref(header), sets) != 0:
        pytest.skip(f"running as root, and capset failed (errno {ctypes.get_errno()}): root ignores file permissions")
    try:
        yield
    finally:
        sets[0].effective = saved
        libc.capset(ctypes.byref(header), sets)
