"""Compare the corpus folder with the files an index holds: by name, size and mtime first, by hash when only the stat moved."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from newsbot.index.errors import CorpusGoneError
from newsbot.index.models import Problem
from newsbot.index.reading.articles import corpus_files, within_unseen
from newsbot.index.storage.build import file_hash
from newsbot.index.storage.store import FileEntry, Manifest

# Said of an indexed file that changed but cannot be read again: what it held stays in the index.
KEPT_AS_INDEXED = "its articles as last indexed are kept"


def _scan(corpus_dir: Path, problems: list[Problem], unseen: list[str] | None = None) -> dict[str, os.stat_result]:
    """Return the corpus files with their stat; entries that cannot be read go to problems (and to unseen: see `corpus_files`)."""
    found = {}
    for path in corpus_files(corpus_dir, problems, unseen):
        try:
            found[path.relative_to(corpus_dir).as_posix()] = path.stat()
        except OSError:
            continue  # gone since it was listed: as if it had never been there
    problems.sort(key=lambda p: p.source)
    return found


@dataclass(frozen=True)
class CorpusScan:
    """The corpus folder as a reader sees it, without reading a file."""

    files: int  # article files in it
    changed: bool  # they differ from the indexed files by name, size or mtime
    unreadable: tuple[Problem, ...]  # folder entries that could not be listed or stat'ed


def scan_corpus(corpus_dir: Path, files: dict[str, FileEntry]) -> CorpusScan:
    """Compare the corpus folder with the indexed files by name, size and mtime.

    Needs no lock and writes nothing: a reader checks with it before asking for the writer lock.
    """
    unreadable: list[Problem] = []
    unseen: list[str] = []
    on_disk = _scan(corpus_dir, unreadable, unseen)
    hidden = {name for name in files.keys() - on_disk.keys() if within_unseen(name, unseen)}  # kept as indexed
    changed = on_disk.keys() | hidden != files.keys() or not all(_same_stat(files[name], st) for name, st in on_disk.items())
    return CorpusScan(len(on_disk.keys() | hidden), changed, tuple(unreadable))


def refuse_to_empty(corpus_dir: Path, files: int, articles: int) -> None:
    """Raise CorpusGoneError when the corpus folder holds no article file but the index holds articles read from it.

    A share that is not mounted looks like an empty folder: indexing it would
    throw the whole index away. A user who removed every article on purpose
    says so (`allow_empty`).
    """
    if not files and articles:
        raise CorpusGoneError(
            f"the corpus folder {corpus_dir} holds no article file, but the index holds {articles:,} "
            f"article{'s' if articles != 1 else ''} read from it (a share not mounted?): the index is kept as it was"
        )


def _same_stat(entry: FileEntry, st: os.stat_result) -> bool:
    """Return True when a file's size and mtime are those it was indexed with: unchanged, unread."""
    return (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class CorpusDiff:
    """How the corpus folder differs from the files an index holds."""

    files: dict[str, FileEntry]  # every file on disk: unchanged entries kept, touched ones restamped, read ones unhashed
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unreadable: tuple[Problem, ...]  # folder entries that could not be listed or stat'ed, indexed files not read again
    to_read: tuple[str, ...]  # the added and changed files, in folder order

    @property
    def changes(self) -> bool:
        """Return True when a file was added, changed or removed (not merely touched)."""
        return bool(self.added or self.changed or self.removed)


def diff_corpus(manifest: Manifest, corpus_dir: Path) -> CorpusDiff:
    """Compare the corpus folder with the manifest's files: by stat first, by hash when only the stat moved.

    Raises CorpusError when the corpus folder cannot be read.
    """
    unreadable: list[Problem] = []
    unseen: list[str] = []
    on_disk = _scan(corpus_dir, unreadable, unseen)
    # A file in a folder that could not be listed is not known to be gone: it keeps what the index holds of it.
    unlisted = {name: e for name, e in manifest.files.items() if name not in on_disk and within_unseen(name, unseen)}
    files: dict[str, FileEntry] = {}
    added: list[str] = []
    changed: list[str] = []
    to_read: list[str] = []
    for name, st in on_disk.items():
        entry = manifest.files.get(name)
        if entry is not None and _same_stat(entry, st):
            files[name] = entry
            continue
        if entry is not None:
            try:
                same = entry.sha256 == file_hash(corpus_dir / name)
            except OSError as error:
                # Its bytes cannot be read now (permissions after an rsync): keep what was indexed of it, and
                # index every other change. Not restamped, so the next refresh reads it again.
                files[name] = entry
                unreadable.append(Problem(name, f"cannot read file: {error.strerror or error}; {KEPT_AS_INDEXED}"))
                continue
            if same:
                files[name] = replace(entry, size=st.st_size, mtime_ns=st.st_mtime_ns)  # touched, same bytes
                continue
        (changed if entry is not None else added).append(name)
        to_read.append(name)
        files[name] = FileEntry(st.st_size, st.st_mtime_ns, "")  # the builder hashes what it reads
    removed = sorted(set(manifest.files) - set(on_disk) - set(unlisted))
    files = dict(sorted({**files, **unlisted}.items())) if unlisted else files
    unreadable.sort(key=lambda p: p.source)
    return CorpusDiff(files, tuple(added), tuple(changed), tuple(removed), tuple(unreadable), tuple(to_read))
