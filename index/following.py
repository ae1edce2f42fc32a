"""Follow an index other processes write: tell one manifest from the next, open the index the live one names.

A loaded engine answers from the index it opened; another process may
refresh the same index folder meanwhile. The engine looks at the manifest's
stamp now and then and, when it changed, moves to the index it names, unless
that index is one this engine may not take as it is.
"""

from __future__ import annotations

from pathlib import Path

from newsbot.index.analysis import analyser_settings
from newsbot.index.errors import IndexFormatError, IndexOwnerError
from newsbot.index.models import IndexConfig
from newsbot.index.storage.state import IndexState, open_state
from newsbot.index.storage.store import MANIFEST, READABLE_FORMATS, read_manifest


def latest_state(
    index_dir: Path, corpus_dir: Path, config: IndexConfig, current: IndexState, *, take_over: bool = False
) -> tuple[IndexState, str | None]:
    """Return the index as the live manifest has it now (another process may have refreshed it),
    and why it must be rebuilt before this engine may change it, or None.

    `current` is the index the engine holds: returned as it is when the manifest
    is unchanged or cannot be taken. Raises IndexVersionError for an index a newer
    newsbot wrote, IndexOwnerError for one written for another corpus folder:
    never adopted, never taken back.
    """
    try:
        manifest = read_manifest(index_dir)
    except IndexFormatError as exc:
        return current, str(exc)
    if manifest is None or manifest == current.manifest:
        return current, None
    if manifest.corpus is not None and Path(manifest.corpus) != corpus_dir:
        if take_over:  # a rebuild reads everything anew: what the other corpus's index holds is never used
            return current, "the index belongs to another corpus folder"
        raise IndexOwnerError(f"another newsbot made the index in {index_dir} the corpus folder {manifest.corpus}'s")
    if manifest.format not in READABLE_FORMATS or manifest.config != config or manifest.analyser != analyser_settings():
        return current, "another newsbot rebuilt the index with other settings"
    try:
        return open_state(index_dir, manifest, opened={s.name: s for s in current.segments}), None
    except IndexFormatError as exc:
        return current, str(exc)


def manifest_stamp(index_dir: Path) -> tuple[int, int, int] | None:
    """Return what tells one manifest file from the next: inode, size, modification time."""
    try:
        st = (index_dir / MANIFEST).stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns
