"""Writing a file in place safely: a fresh exclusive sibling, fsynced, renamed over."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_beside(path: Path, payload: bytes, mode: int = 0o644) -> None:
    """Replace path with payload through a fresh temporary file in the same folder, durably.

    The temporary name is new and created exclusively, so a planted file or
    link of any name is never written through. The file keeps path's
    permissions, or gets `mode` when path is new (mkstemp would make it
    private to its owner).
    """
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        pass
    descriptor, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
