"""A refresh's generations: the next number to use, the live one, and removing a failed one."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

from newsbot.index.errors import IndexWriteError, NewsbotError
from newsbot.index.storage.store import GENERATION_FILES, read_manifest

_GENERATION_RE = re.compile(r"^(?:" + "|".join(GENERATION_FILES) + r")(\d+)")


def generation_of(name: str) -> int | None:
    """Return the generation that wrote a file or segment ("seg-000012-03" → 12); None for any other name."""
    match = _GENERATION_RE.match(name)
    return int(match.group(1)) if match else None


def highest_generation(directory: Path) -> int:
    """Return the highest generation any file in the folder carries, live or left by a crash."""
    return max([0, *(n for path in directory.iterdir() if (n := generation_of(path.name)) is not None)])


def live_generation(directory: Path) -> int | None:
    """Return the generation the live manifest names, or None when it cannot be read."""
    try:
        manifest = read_manifest(directory)
    except NewsbotError:
        return None
    return manifest.generation if manifest else None


def remove_failed_generation(directory: Path, generation: int, error: BaseException) -> None:
    """Remove what a failed build of a generation wrote.

    Raises IndexWriteError, from `error`, when the disk filled: the bare OSError
    would not say that the last good index still answers.
    """
    written = _remove_generation(directory, generation)
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        raise IndexWriteError(
            f"the disk holding {directory} is full: the new index needed more than "
            f"{written / 1e6:,.1f} MB (written before the disk filled, now removed); the last good index still answers"
        ) from error


def _remove_generation(directory: Path, generation: int) -> int:
    """Remove every file a generation's build wrote; return how many bytes they held."""
    written = 0
    for path in [*directory.glob(f"seg-{generation:06d}-*"), *directory.glob(f"df-{generation:06d}*"), *directory.glob(f"problems-{generation:06d}*")]:
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        written += sum(p.stat().st_size for p in files)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return written
