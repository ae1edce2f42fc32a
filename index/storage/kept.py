"""What `remove` took out of the corpus, kept for a while so it can be put back.

A keep folder (the front end's state folder says where; the engine is only
handed a path) holds one sub-folder per removed source: the bytes removed
(a whole file, or one JSON-lines article's line) beside a small `kept.json`
naming the source, its corpus file and when it was removed. The record is
written last, into a folder renamed into place, so a crash leaves no entry
that half exists.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.index.errors import SourceError
from newsbot.index.reading.articles import gunzip, read_file
from newsbot.index.storage.files import write_beside

# The promise to the user: a removed source can be restored for 30 days.
KEEP_DAYS = 30
_RECORD = "kept.json"
_CONTENT = "content"


@dataclass(frozen=True)
class KeptSource:
    """A removed source that can still be restored."""

    source: str  # as `sources` listed it: "news.txt", or "wire.jsonl#42"
    file: str  # the corpus file it came from, relative to the corpus folder
    removed_at: datetime  # timezone-aware, UTC
    whole_file: bool  # True: the file's bytes are kept; False: one JSON-lines article's line
    folder: Path

    @property
    def expires(self) -> datetime:
        """Return when the kept copy is dropped."""
        return self.removed_at + timedelta(days=KEEP_DAYS)


def keep_removed(keep_dir: Path, source: str, file: str, content: bytes | Path, *, now: datetime | None = None) -> KeptSource:
    """Keep what a removal takes out: a whole corpus file (given as its path) or one article's line (bytes).

    Raises OSError when the keep folder cannot be written.
    """
    keep_dir = Path(keep_dir)
    removed_at = (now or datetime.now(UTC)).replace(microsecond=0)
    keep_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=keep_dir, prefix=".keeping-"))
    try:
        if isinstance(content, Path):
            shutil.copyfile(content, staging / _CONTENT)
        else:
            (staging / _CONTENT).write_bytes(content)
        record = {"source": source, "file": file, "removed_at": removed_at.isoformat(), "whole_file": isinstance(content, Path)}
        (staging / _RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        folder = keep_dir / f"{removed_at:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _entry(folder)  # type: ignore[return-value]  (just written)


def kept_sources(keep_dir: Path) -> list[KeptSource]:
    """Return what the keep folder holds, newest first (an empty list when there is no folder)."""
    keep_dir = Path(keep_dir)
    if not keep_dir.is_dir():
        return []
    found = [entry for folder in keep_dir.iterdir() if (entry := _entry(folder)) is not None]
    return sorted(found, key=lambda k: (k.removed_at, k.folder.name), reverse=True)


def drop_expired(keep_dir: Path, *, now: datetime | None = None) -> list[KeptSource]:
    """Delete what was kept more than KEEP_DAYS ago (and half-kept leftovers as old); return what went."""
    keep_dir = Path(keep_dir)
    if not keep_dir.is_dir():
        return []
    now = now or datetime.now(UTC)
    dropped = []
    for folder in keep_dir.iterdir():
        entry = _entry(folder)
        if entry is not None:
            expired = entry.expires <= now
        else:  # a crash while keeping: judged by its age on disk
            try:
                expired = datetime.fromtimestamp(folder.stat().st_mtime, UTC) + timedelta(days=KEEP_DAYS) <= now
            except OSError:
                continue
        if expired:
            shutil.rmtree(folder, ignore_errors=True)
            if entry is not None:
                dropped.append(entry)
    return dropped


def restore_kept(keep_dir: Path, source: str, corpus_dir: Path) -> KeptSource:
    """Put a kept source back into the corpus folder (the newest copy, when it was removed more than once).

    A whole file is written back under its name; an article's line is
    appended to its JSON-lines file (created when gone). The kept copy is
    then dropped; the caller refreshes the index. Raises SourceError when
    nothing of that source is kept, when a different file of that name is in
    the corpus, when the article is in its file again, or when the file
    cannot be rewritten (a truncated gzip).
    """
    corpus_dir = Path(corpus_dir)
    entry = next((k for k in kept_sources(keep_dir) if k.source == source), None)
    if entry is None:
        raise SourceError(f"{source}: nothing of that name is kept (see `newsbot stats`)")
    target = corpus_dir / entry.file
    if not target.parent.resolve().is_relative_to(corpus_dir.resolve()):
        raise SourceError(f"{source}: not inside the corpus folder")
    content = (entry.folder / _CONTENT).read_bytes()
    if entry.whole_file:
        _put_back_file(target, content, source)
    else:
        _put_back_line(target, corpus_dir, content, source)
    shutil.rmtree(entry.folder, ignore_errors=True)
    return entry


def _put_back_file(target: Path, content: bytes, source: str) -> None:
    if target.exists():
        if target.read_bytes() != content:
            raise SourceError(f"{source}: a different file of that name is in the corpus now")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, staging = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restoring")
    try:
        os.fchmod(descriptor, 0o644)  # mkstemp makes it private to its owner
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.link(staging, target)  # never overwrites a file that appeared meanwhile
    except FileExistsError:
        raise SourceError(f"{source}: a file of that name was just added to the corpus") from None
    finally:
        os.unlink(staging)


def _put_back_line(target: Path, corpus_dir: Path, line: bytes, source: str) -> None:
    compressed = target.name.lower().endswith(".gz")
    if target.is_symlink():
        raise SourceError(f"{source}: {target.relative_to(corpus_dir).as_posix()} is a symlink; articles are restored only into the file itself")
    data = b""
    if target.exists():
        if _has_id(line):  # a line-number id names whatever is on that line now, so only ids can clash
            articles, _ = read_file(target, corpus_dir)
            if any(a.source == source for a in articles):
                raise SourceError(f"{source}: that article is in the corpus again")
        raw = target.read_bytes()
        data, truncated = gunzip(raw, name=str(target)) if compressed else (raw, False)
        if truncated or data is None:
            raise SourceError(f"{source}: {target.relative_to(corpus_dir).as_posix()} is a truncated or corrupt gzip; not rewritten")
        if data and not data.endswith(b"\n"):
            data += b"\n"
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    payload = data + line
    write_beside(target, gzip.compress(payload) if compressed else payload)


def _has_id(line: bytes) -> bool:
    """Return True when a JSON line carries its own id (the reader's rule: a missing or blank id is the line number)."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    identifier = record.get("id") if isinstance(record, dict) else None
    return identifier is not None and not (isinstance(identifier, str) and not identifier.strip())


def _entry(folder: Path) -> KeptSource | None:
    """Return the kept source a folder holds, or None for anything else (a half-kept leftover)."""
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
        removed_at = datetime.fromisoformat(record["removed_at"])
        if removed_at.tzinfo is None or not (folder / _CONTENT).is_file():
            return None
        return KeptSource(str(record["source"]), str(record["file"]), removed_at, bool(record["whole_file"]), folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None
