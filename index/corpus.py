"""Change the corpus folder: copy article files in, take sources out (kept for restore when asked), put them back.

The engine refreshes after each; these functions only touch the corpus and the keep folder.
Every writer of corpus files (these, and the feed poller's day files) holds
`corpus_lock`: each reads a file, changes it and renames the change into
place, so two at once would lose one's change.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from newsbot.index.errors import CorpusBusyError, SourceError, UnknownSourceError
from newsbot.index.models import IndexConfig, source_file
from newsbot.index.reading.articles import SUPPORTED_SUFFIXES, read_file, take_json_articles
from newsbot.index.storage.build import file_hash
from newsbot.index.storage.files import write_beside
from newsbot.index.storage.kept import KeptSource, drop_expired, keep_removed, restore_kept
from newsbot.index.storage.locks import exclusive_lock

CORPUS_LOCK_FILE = ".newsbot-corpus.lock"  # hidden: the corpus reader skips it
CORPUS_LOCK_WAIT_S = 60.0  # a poll writes many small files; a removal waits for it, then says so


@contextlib.contextmanager
def corpus_lock(corpus_dir: Path, wait: float = CORPUS_LOCK_WAIT_S) -> Iterator[None]:
    """Hold the corpus folder's write lock (one writer of its files at a time, across processes).

    Raises CorpusBusyError when another process holds it longer than `wait`
    seconds; OSError when the lock file cannot be created.
    """
    corpus_dir = Path(corpus_dir)
    busy = functools.partial(CorpusBusyError, f"another newsbot is changing the corpus in {corpus_dir}")
    with exclusive_lock(corpus_dir / CORPUS_LOCK_FILE, wait, busy):
        yield


def restore_into_corpus(keep_dir: Path, source: str, corpus_dir: Path) -> KeptSource:
    """Put a kept source back into the corpus folder, holding the corpus lock (see `kept.restore_kept`).

    Raises what `restore_kept` raises, and CorpusBusyError.
    """
    with corpus_lock(corpus_dir):
        return restore_kept(keep_dir, source, corpus_dir)


def copy_into_corpus(paths: list[Path], corpus_dir: Path, config: IndexConfig) -> None:
    """Copy article files into the corpus folder; a file already there with the same bytes is skipped.

    Raises SourceError when a file is missing, unreadable as articles, or
    would overwrite a different file of the same name; then nothing is copied.
    CorpusBusyError when another writer holds the corpus lock too long.
    """
    with corpus_lock(corpus_dir):
        _copy_into_corpus(paths, corpus_dir, config)


def _copy_into_corpus(paths: list[Path], corpus_dir: Path, config: IndexConfig) -> None:
    plans = []
    for path in paths:
        if not path.is_file():
            raise SourceError(f"{path}: no such file")
        if not path.name.lower().endswith(SUPPORTED_SUFFIXES) or path.name.startswith("."):
            raise SourceError(f"{path.name}: not an article file ({', '.join(SUPPORTED_SUFFIXES)})")
        articles, problems = read_file(path, path.parent, config)
        if not articles:
            reason = "; ".join(p.reason for p in problems) or "no article found"
            raise SourceError(f"{path.name}: {reason}")
        target = corpus_dir / path.name
        if target.exists():
            if file_hash(target) != file_hash(path):
                raise SourceError(f"{path.name}: a different file of that name is already in the corpus")
            continue
        plans.append((path, target))
    for path, target in plans:
        # A fresh, exclusively created staging file: a planted link is never written through.
        descriptor, staging = tempfile.mkstemp(dir=corpus_dir, prefix=f".{target.name}.", suffix=".adding")
        try:
            os.fchmod(descriptor, 0o644)  # mkstemp makes it private to its owner
            with os.fdopen(descriptor, "wb") as out, path.open("rb") as source:
                shutil.copyfileobj(source, out)
                out.flush()
                os.fsync(out.fileno())
            os.link(staging, target)  # fails if anything of that name appeared meanwhile: never overwrite
        except FileExistsError:
            raise SourceError(f"{path.name}: a file of that name was just added to the corpus") from None
        finally:
            os.unlink(staging)


def remove_from_corpus(
    sources: list[str], corpus_dir: Path, files: set[str], articles: set[str], keep_dir: Path | None
) -> None:
    """Delete sources from the corpus: whole files, or single articles' lines of JSON-lines files.

    `files` are the corpus files the index holds, `articles` the sources it
    lists. With keep_dir, each removed file or line is kept there first (see
    `kept`), and copies older than KEEP_DAYS are dropped afterwards. A
    JSON-lines file left with no line is deleted, not kept empty. Raises
    UnknownSourceError for a source the index does not hold, SourceError for
    a file that cannot be rewritten or a copy that cannot be kept; then
    nothing is removed.
    CorpusBusyError when another writer holds the corpus lock too long.
    """
    with corpus_lock(corpus_dir):
        _remove_from_corpus(sources, corpus_dir, files, articles, keep_dir)


def _remove_from_corpus(
    sources: list[str], corpus_dir: Path, files: set[str], articles: set[str], keep_dir: Path | None
) -> None:
    root = corpus_dir.resolve()
    whole: dict[Path, str] = {}
    by_file: dict[Path, set[str]] = {}
    for source in sources:
        # A source naming a corpus file is that file, "#" in its name or not ("Q&A #2.txt");
        # "file#id" is one article of a JSON-lines file.
        name = source_file(source, files)
        if name not in files or (source not in files and source not in articles):
            raise UnknownSourceError(f"{source}: no such source in the index")
        entry = corpus_dir / name  # the entry itself: a symlink is removed, never its target
        if not entry.parent.resolve().is_relative_to(root):
            raise SourceError(f"{source}: not inside the corpus folder")
        if source in files:
            whole[entry] = source
        else:
            by_file.setdefault(entry, set()).add(source)
    # Every rewrite is prepared, and every copy kept, before anything is deleted: a
    # file that cannot be rewritten or kept stops the whole removal with nothing changed.
    rewrites = [(entry, *take_json_articles(entry, corpus_dir, wanted)) for entry, wanted in by_file.items() if entry not in whole]
    if keep_dir is not None:
        try:
            for entry, source in whole.items():
                keep_removed(keep_dir, source, source, entry)
            for entry, _, lines in rewrites:
                for source, line in lines.items():
                    keep_removed(keep_dir, source, entry.relative_to(corpus_dir).as_posix(), line)
        except OSError as exc:
            raise SourceError(f"cannot keep a copy of what is removed in {keep_dir}: {exc.strerror or exc}; nothing removed") from exc
    for entry in whole:
        entry.unlink(missing_ok=True)
    for entry, payload, _ in rewrites:
        if _blank(entry, payload):  # an empty day file would be reported as skipped at every refresh
            entry.unlink(missing_ok=True)
        else:
            write_beside(entry, payload)
    if keep_dir is not None:
        drop_expired(keep_dir)


def _blank(entry: Path, payload: bytes) -> bool:
    """Return True when a rewritten JSON-lines file holds nothing but blank lines."""
    data = gzip.decompress(payload) if entry.name.lower().endswith(".gz") else payload
    return not data.strip()
