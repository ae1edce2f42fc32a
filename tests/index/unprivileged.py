"""Let file permissions apply to the test that asks, as they do for a normal user, even when run as root.

Root ignores `chmod` through two capabilities (CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH). `permissions_apply()` takes them out of this thread's
effective set, as `setpriv` does for a command, and puts them back after:
the permitted set keeps them, so nothing is lost for the tests that follow.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator

import pytest

_CAPABILITY_VERSION_3 = 0x20080522  # <linux/capability.h>
_DAC_CAPABILITIES = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _set_effective(libc: ctypes.CDLL, drop: bool) -> None:
    header, data = _Header(_CAPABILITY_VERSION_3, 0), (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    if drop:
        data[0].effective &= ~_DAC_CAPABILITIES
    else:
        data[0].effective |= data[0].permitted & _DAC_CAPABILITIES
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


@contextlib.contextmanager
def permissions_apply() -> Iterator[None]:
    """Within the block, file permissions bind this thread (and processes it forks) even as root.

    Skips the test where that cannot be arranged (root on a system without capabilities).
    """
    if os.geteuid() != 0:
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        _set_effective(libc, drop=True)
    except (OSError, AttributeError) as error:
        pytest.skip(f"running as root and the capabilities that ignore permissions cannot be dropped: {error}")
    try:
        yield
    finally:
        _set_effective(libc, drop=False)
