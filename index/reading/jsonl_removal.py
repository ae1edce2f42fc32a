"""Take articles out of a JSON-lines file: its bytes without their lines, and the lines themselves to keep.

Nothing is written here: the caller (`index.corpus`) writes the result beside
the file and, when asked, keeps the removed lines for a later restore.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from newsbot.index.errors import SourceError
from newsbot.index.reading.decoding import decode_text, read_gzip
from newsbot.index.reading.jsonlines import drop_lines

__all__ = ["take_json_articles"]


def take_json_articles(path: Path, root: Path, sources: set[str]) -> tuple[bytes, dict[str, bytes]]:
    """Return a JSON-lines file's bytes without the given articles, and each removed article's own lines.

    A removed line is left empty, so every later line keeps its number (the
    name of an article without an `id`); a later line with the same id goes
    too (see `jsonlines.drop_lines`). Every other line is kept byte for byte;
    write the result with `index.storage.files.write_beside`. The removed
    lines come back uncompressed, each ending in a newline, so they can be
    appended to a file again: one line, or the line and its duplicates, in
    file order. Raises SourceError for a file that is a symlink, a
    compressed file whose tail cannot be read (rewriting it would lose that
    tail without a word) or of too many members, or a source the file does
    not hold.
    """
    relative = path.relative_to(root).as_posix()
    if path.is_symlink():
        raise SourceError(f"{relative}: a symlink; articles are removed only from the file itself")
    compressed = path.name.lower().endswith(".gz")
    data, truncated = read_gzip(path, name=relative) if compressed else (path.read_bytes(), False)
    if truncated:
        raise SourceError(f"{relative}: truncated or corrupt gzip; not rewritten, as its unreadable tail would be lost")
    def decode(data: bytes) -> str:
        return decode_text(data, relative)[0]  # as the file was read; a stray byte is reported when it is read

    payload, removed = drop_lines(data, relative, sources, decode)
    if removed != sources:
        raise SourceError(f"{', '.join(sorted(sources - removed))}: not found in {relative}")
    lines = {source: _blanked_lines(data, drop_lines(data, relative, {source}, decode)[0]) for source in sorted(sources)}
    return (gzip.compress(payload) if compressed else payload), lines


def _blanked_lines(data: bytes, blanked: bytes) -> bytes:
    """Return the lines of data that `blanked` holds empty, each ending in a newline (no other line differs)."""
    before, after = data.splitlines(keepends=True), blanked.splitlines(keepends=True)
    after += [b""] * (len(before) - len(after))  # a last line with no ending left nothing
    return b"".join(old.rstrip(b"\r\n") + b"\n" for old, new in zip(before, after) if old != new)
