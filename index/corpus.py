"""Change the corpus folder: copy article files in, take sources out (kept for restore when asked), put them back.

The engine refreshes after each; these functions only touch the corpus and the keep folder.
Every writer of corpus files (these, and the feed poller's day files) holds
`corpus_lock`: each reads a file, changes it and renames the change into
place, so two at once would lose one's change. Holding it, a writer also
sweeps up what writers killed halfway left: hidden staging copies
(`files.staging_sibling`) and pending kept copies (`kept.settle_pending`).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbot.index.errors import CorpusBusyError, CorpusError, CorpusGoneError, SourceError, UnknownSourceError
from newsbot.index.models import IndexConfig, source_file
from newsbot.index.reading.articles import SUPPORTED_SUFFIXES, read_file
from newsbot.index.reading.jsonl_removal import take_json_articles
from newsbot.index.storage.build import file_hash
from newsbot.index.storage.files import staged_for, staging_sibling, write_beside
from newsbot.index.storage.kept import (
    KeptSource,
    confirm_kept,
    discard_pending,
    drop_expired,
    keep_pending,
    restore_kept,
    settle_pending,
)
from newsbot.index.storage.locks import exclusive_lock

log = logging.getLogger(__name__)

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
        if corpus_dir.resolve() not in _SWEPT:  # once a process: a feed poll takes the lock every pass
            _sweep_staging(corpus_dir)
            _SWEPT.add(corpus_dir.resolve())
        yield


# Corpus folders this process swept of staging copies: what a writer killed before it started left. One
# killed while a long-running bot holds the folder is swept by the next process that writes there (a CLI add).
_SWEPT: set[Path] = set()


def sweep_corpus(corpus_dir: Path) -> None:
    """Delete what writers killed halfway left in the corpus folder, once a process, holding the corpus lock.

    For a refresh, which writes no corpus file: the first add, remove,
    restore or feed poll of a process sweeps as it takes the lock. The lock
    is taken only when there is something to sweep, and never waited for:
    when another writer holds it (which sweeps as it takes it first), or it
    cannot be created (a read-only corpus folder, where nothing could be
    deleted either), the next refresh tries again.
    """
    if Path(corpus_dir).resolve() in _SWEPT or next(_leftovers(corpus_dir), None) is None:
        return  # no lock file written into a folder that is only read (a checkout's corpus/)
    try:
        with corpus_lock(corpus_dir, wait=0):
            pass  # taking it sweeps
    except CorpusBusyError:
        log.info("another newsbot is changing the corpus in %s; its staging copies are swept later", corpus_dir)
    except OSError as error:
        log.info("cannot lock the corpus in %s to sweep it: %s", corpus_dir, error.strerror or error)


def _sweep_staging(corpus_dir: Path) -> None:
    """Delete the staging copies of article files that writers killed halfway left in the corpus folder.

    Every writer stages under the corpus lock, so with it held none is
    being written. Hidden, they were never read, but a killed `add` of a
    large file left a full copy for good.
    """
    for path in _leftovers(corpus_dir):
        try:
            os.unlink(path)
        except OSError as error:
            log.warning("cannot delete the leftover %s: %s", path, error.strerror or error)


def _leftovers(corpus_dir: Path) -> Iterator[str]:
    """Yield the paths of the staging copies of article files in the corpus folder (hidden folders left out)."""
    for folder, dirnames, filenames in os.walk(corpus_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            target = staged_for(name)
            if target is not None and target.lower().endswith(SUPPORTED_SUFFIXES):
                yield os.path.join(folder, name)


def restore_into_corpus(keep_dir: Path, source: str, corpus_dir: Path) -> KeptSource:
    """Put a kept source back into the corpus folder, holding the corpus lock (see `kept.restore_kept`).

    Raises what `restore_kept` raises, and CorpusBusyError.
    """
    with corpus_lock(corpus_dir):
        settle_pending(keep_dir, corpus_dir)
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
        descriptor, staging = staging_sibling(target, ".adding")
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
    `kept`), listed once it is gone from the corpus, and copies older than
    KEEP_DAYS are dropped afterwards. An article's line is left blank, so
    the later lines keep their numbers (see `take_json_articles`); a
    JSON-lines file left with no line is deleted, not kept empty. Raises
    UnknownSourceError for a source the index does not hold, SourceError for
    a file that cannot be rewritten, deleted or kept; then nothing is
    removed (but for files removed before one that cannot be deleted: the
    message names them).
    CorpusBusyError when another writer holds the corpus lock too long.
    """
    with corpus_lock(corpus_dir):
        _remove_from_corpus(sources, corpus_dir, files, articles, keep_dir)


@dataclass(frozen=True)
class _Removal:
    """One corpus file's part in a removal: deleted, or rewritten without some articles' lines."""

    entry: Path
    name: str  # corpus-relative
    kept: tuple[tuple[str, bytes | Path], ...]  # (source, what keeps it: the file itself, or its lines)
    payload: bytes | None  # the rewritten file; None: delete it


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
    removals = [_Removal(entry, source, ((source, entry),), None) for entry, source in whole.items()]
    for entry, wanted in by_file.items():
        if entry not in whole:
            payload, lines = take_json_articles(entry, corpus_dir, wanted)
            removals.append(_Removal(entry, entry.relative_to(corpus_dir).as_posix(), tuple(lines.items()), payload))
    pending = _keep_pending(removals, corpus_dir, keep_dir)
    for done, removal in enumerate(removals):
        try:
            _apply(removal)
        except OSError as exc:
            for later in pending[done:]:
                for copy in later:
                    discard_pending(copy)
            what = "delete" if removal.payload is None or _blank(removal.entry, removal.payload) else "rewrite"
            gone = ", ".join(source for earlier in removals[:done] for source, _ in earlier.kept)
            raise SourceError(
                f"cannot {what} {removal.name}: {exc.strerror or exc}; {f'only {gone} removed' if gone else 'nothing removed'}"
            ) from exc
        for copy in pending[done]:
            confirm_kept(copy)
    if keep_dir is not None:
        drop_expired(keep_dir)


def _keep_pending(removals: list[_Removal], corpus_dir: Path, keep_dir: Path | None) -> list[list[Path]]:
    """Keep a pending copy of what each removal takes out (none without keep_dir); return them removal by removal.

    Raises SourceError when a copy cannot be kept; then none is.
    """
    pending: list[list[Path]] = [[] for _ in removals]
    if keep_dir is None:
        return pending
    settle_pending(keep_dir, corpus_dir)  # a removal killed halfway before this one
    try:
        for copies, removal in zip(pending, removals):
            for source, content in removal.kept:
                copies.append(keep_pending(keep_dir, source, removal.name, content, corpus_dir))
    except OSError as exc:
        for copy in (copy for copies in pending for copy in copies):
            discard_pending(copy)
        raise SourceError(f"cannot keep a copy of what is removed in {keep_dir}: {exc.strerror or exc}; nothing removed") from exc
    return pending


def _apply(removal: _Removal) -> None:
    """Delete or rewrite one corpus file. Raises OSError."""
    if removal.payload is None or _blank(removal.entry, removal.payload):  # an empty day file would be reported as skipped at every refresh
        removal.entry.unlink(missing_ok=True)
    else:
        write_beside(removal.entry, removal.payload)


def _blank(entry: Path, payload: bytes) -> bool:
    """Return True when a rewritten JSON-lines file holds nothing but blank lines."""
    data = gzip.decompress(payload) if entry.name.lower().endswith(".gz") else payload
    return not data.strip()


def check_corpus(corpus_dir: Path, articles: int) -> None:
    """Raise CorpusError when the corpus folder is missing; CorpusGoneError when the index holds articles from it."""
    if corpus_dir.is_dir():
        return
    missing = f"the corpus folder {corpus_dir} does not exist or is not a folder"
    if articles:
        raise CorpusGoneError(f"{missing}; the index keeps its {articles:,} article{'s' if articles != 1 else ''} read from it")
    raise CorpusError(missing)
