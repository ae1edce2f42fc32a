"""Writing a file in place safely: a fresh exclusive sibling, fsynced, renamed over (or linked in)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

# What `staging_sibling` names: ".NAME.XXXXXXXX.SUFFIX", mkstemp's eight random characters between.
_STAGING_RE = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.(?:adding|restoring|tmp)")
STAGING_SUFFIXES = (".adding", ".restoring", ".tmp")  # a copy added, a file restored, a file rewritten


def staging_sibling(path: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """Create a fresh, exclusively opened sibling of path to write before it takes path's place; return (descriptor, name).

    The name is hidden (the corpus reader skips it) and new, so a planted
    file or link of any name is never written through. A writer killed
    before it renames or links the sibling leaves it behind: see `staged_for`.
    """
    if suffix not in STAGING_SUFFIXES:
        raise ValueError(f"staging suffix {suffix!r} is not one of {STAGING_SUFFIXES}")
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)


def staged_for(name: str) -> str | None:
    """Return the name of the file a `staging_sibling` of this name was to become, or None for any other name."""
    match = _STAGING_RE.fullmatch(name)
    return match["name"] if match else None


def write_beside(path: Path, payload: bytes, mode: int = 0o644) -> None:
    """Replace path with payload through a fresh temporary file in the same folder, durably.

    The temporary file is a `staging_sibling`. The file keeps path's
    permissions, or gets `mode` when path is new (mkstemp would make it
    private to its owner).
    """
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        pass
    descriptor, staging = staging_sibling(path)
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
