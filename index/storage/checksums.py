"""Checksums of index files, by blocks, so damage is found before it becomes a wrong answer.

Each segment holds `checksums.json`: per file, the CRC-32 of every 64 KiB
block. Small files are checked whole when a segment is opened; the sentence
text is checked block by block as quotes are first read from it; `verify`
checks everything.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

BLOCK = 64 * 1024  # small enough that checking the block a quote lies in costs ~20 µs
SMALL_FILE = 8 * 1024 * 1024  # files up to this size are checked whole at open
CHECKSUMS = "checksums.json"


def file_sums(path: Path) -> list[int]:
    """Return the block sums of a file's bytes."""
    with path.open("rb") as handle:
        return [zlib.crc32(block) for block in iter(lambda: handle.read(BLOCK), b"")]


def write_sums(folder: Path) -> Path:
    """Write the block sums of every file in a folder into its checksums file."""
    sums = {path.name: file_sums(path) for path in sorted(folder.iterdir()) if path.is_file() and path.name != CHECKSUMS}
    target = folder / CHECKSUMS
    target.write_text(json.dumps(sums), encoding="utf-8")
    return target


def read_sums(folder: Path) -> dict[str, list[int]]:
    """Return a folder's recorded block sums; raise ValueError when they are missing or unreadable."""
    try:
        sums = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"no readable {CHECKSUMS}: {exc}") from exc
    if not isinstance(sums, dict):
        raise ValueError(f"{CHECKSUMS} is not a table of files")
    return sums


def check_file(path: Path, expected: list[int] | None) -> str | None:
    """Return what is wrong with a file against its recorded block sums, or None when it matches."""
    if expected is None:
        return f"{path.name}: no checksum recorded"
    try:
        found = file_sums(path)
    except OSError as exc:
        return f"{path.name}: {exc.strerror or exc}"
    if len(found) != len(expected):
        return f"{path.name}: {len(found)} blocks where {len(expected)} were written"
    bad = [number for number, (a, b) in enumerate(zip(found, expected)) if a != b]
    return f"{path.name}: block {bad[0]} of {len(expected)} does not match its checksum" if bad else None
