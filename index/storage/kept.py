"""What `remove` took out of the corpus, kept for a while so it can be put back.

A keep folder (the front end's state folder says where; the engine is only
handed a path) holds one sub-folder per removed source: the bytes removed
(a whole file, or one JSON-lines article's line) beside a small `kept.json`
naming the source, its corpus file and when it was removed. The record is
written last, into a folder renamed into place, so a crash leaves no entry
that half exists.

`remove` keeps a copy before it deletes (a crash must not lose the
article), but lists it only once the source is gone from the corpus: the
copy is pending (`keep_pending`) until `confirm_kept`. A removal that fails
drops its pending copy; one killed halfway leaves it for `settle_pending`,
which looks at the corpus to see which way it went.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.index.errors import SourceError
from newsbot.index.reading.articles import read_file
from newsbot.index.reading.decoding import gunzip
from newsbot.index.storage.files import staging_sibling, write_beside

log = logging.getLogger(__name__)

# The promise to the user: a removed source can be restored for 30 days.
KEEP_DAYS = 30
_RECORD = "kept.json"
_CONTENT = "content"
_PENDING = ".pending-"  # a copy whose source may still be in the corpus: not listed, not restorable


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

    The copy is listed at once: for a caller that cannot fail between
    keeping and deleting (see `keep_pending` for one that can).
    Raises OSError when the keep folder cannot be written.
    """
    folder = _write_kept(keep_dir, source, file, content, now=now)
    return _entry(folder)  # type: ignore[return-value]  (just written)


def keep_pending(
    keep_dir: Path, source: str, file: str, content: bytes | Path, corpus_dir: Path, *, now: datetime | None = None
) -> Path:
    """Keep what a removal is about to take out, unlisted until `confirm_kept`; return the pending copy.

    Drop it with `discard_pending` when the removal fails. Call under the
    corpus lock, held until the copy is confirmed or discarded: a copy left
    pending by a removal killed halfway is settled by `settle_pending`.
    Raises OSError when the keep folder cannot be written.
    """
    return _write_kept(keep_dir, source, file, content, now=now, corpus_dir=Path(corpus_dir))


def confirm_kept(pending: Path) -> KeptSource:
    """List a pending copy: its source is gone from the corpus."""
    folder = pending.with_name(pending.name.removeprefix(_PENDING))
    pending.rename(folder)
    return _entry(folder)  # type: ignore[return-value]  (just written)


def discard_pending(pending: Path) -> None:
    """Drop a pending copy: its source stays in the corpus."""
    shutil.rmtree(pending, ignore_errors=True)


def settle_pending(keep_dir: Path, corpus_dir: Path) -> None:
    """Settle the copies that removals of this corpus left pending (killed between keeping and confirming).

    A copy whose source is still in the corpus is dropped (the removal never
    happened); one whose source is gone is listed, so it can be restored.
    Call under the corpus lock: a removal holds it from keeping to confirming.
    """
    keep_dir, corpus_dir = Path(keep_dir), Path(corpus_dir).resolve()
    if not keep_dir.is_dir():
        return
    for pending in keep_dir.glob(f"{_PENDING}*"):
        try:
            record = json.loads((pending / _RECORD).read_text(encoding="utf-8"))
            if record.get("corpus") != str(corpus_dir):
                continue  # another corpus's, settled by its own removals (or dropped when old: `drop_expired`)
            content = (pending / _CONTENT).read_bytes()
            present = _in_corpus(corpus_dir / str(record["file"]), content, bool(record["whole_file"]))
        except (OSError, ValueError, KeyError, TypeError, SourceError) as error:
            log.warning("%s: a pending kept copy that cannot be settled: %s", pending, error)
            continue
        if present:
            discard_pending(pending)
        else:
            confirm_kept(pending)


def _write_kept(
    keep_dir: Path, source: str, file: str, content: bytes | Path, *, now: datetime | None, corpus_dir: Path | None = None
) -> Path:
    """Write a kept copy into a folder renamed into place (pending when corpus_dir is given); return the folder."""
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
        if corpus_dir is not None:
            record["corpus"] = str(corpus_dir.resolve())
        (staging / _RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        name = f"{removed_at:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
        folder = keep_dir / (name if corpus_dir is None else _PENDING + name)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _in_corpus(target: Path, content: bytes, whole_file: bool) -> bool:
    """Return True when a kept copy's source is (still) in the corpus: the file with those bytes, or a file with that line."""
    try:
        if whole_file:
            return target.read_bytes() == content
        raw = target.read_bytes()
    except FileNotFoundError:
        return False
    data, _ = gunzip(raw, name=str(target)) if target.name.lower().endswith(".gz") else (raw, False)
    first = content.split(b"\n", 1)[0]
    return data is not None and any(line.rstrip(b"\r\n") == first for line in data.splitlines())


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

    A whole file is written back under its name. An article's line goes
    back where it is found under its old name: one named by its line number
    onto that line (left blank by the removal; the file is padded with blank
    lines when it is shorter now), one with its own `id` at the end of its
    file (created when gone). The kept copy is then dropped; the caller
    refreshes the index. Raises SourceError when nothing of that source is
    kept, when a different file of that name is in the corpus, when the
    article is in its file again, when another article holds its line now,
    or when the file cannot be rewritten (a truncated gzip).
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
        _put_back_line(target, corpus_dir, content, source, _line_number(content, source, entry.file))
    shutil.rmtree(entry.folder, ignore_errors=True)
    return entry


def _put_back_file(target: Path, content: bytes, source: str) -> None:
    if target.exists():
        if target.read_bytes() != content:
            raise SourceError(f"{source}: a different file of that name is in the corpus now")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, staging = staging_sibling(target, ".restoring")
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


def _put_back_line(target: Path, corpus_dir: Path, lines: bytes, source: str, number: int | None) -> None:
    """Put an article's kept line (and any duplicates of its id, `lines` in file order) back into its file."""
    compressed = target.name.lower().endswith(".gz")
    relative = target.relative_to(corpus_dir).as_posix()
    if target.is_symlink():
        raise SourceError(f"{source}: {relative} is a symlink; articles are restored only into the file itself")
    data = b""
    if target.exists():
        if number is None:  # a line-number id names whatever is on that line now: checked as the line is put back
            articles, _ = read_file(target, corpus_dir)
            if any(a.source == source for a in articles):
                raise SourceError(f"{source}: that article is in the corpus again")
        raw = target.read_bytes()
        data, truncated = gunzip(raw, name=str(target)) if compressed else (raw, False)
        if truncated or data is None:
            raise SourceError(f"{source}: {relative} is a truncated or corrupt gzip; not rewritten")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    if number is not None:
        first, _, lines = lines.partition(b"\n")
        data = _onto_line(data, first, number, source, relative)
    if lines:
        if data and not data.endswith(b"\n"):
            data += b"\n"
        data += lines
    write_beside(target, gzip.compress(data) if compressed else data)


def _onto_line(data: bytes, line: bytes, number: int, source: str, relative: str) -> bytes:
    """Return JSON-lines bytes with line (no line ending) put on line `number`, which must be blank or past the end."""
    lines = data.splitlines(keepends=True)
    if number <= len(lines):
        there = lines[number - 1]
        body = there.rstrip(b"\r\n")
        if body == line:
            raise SourceError(f"{source}: that article is in the corpus again")
        if body.strip():
            raise SourceError(
                f"{source}: line {number} of {relative} holds another article now; "
                "not restored (the copy stays kept: see `newsbot stats`)"
            )
        lines[number - 1] = line + (there[len(body) :] or b"\n")
    else:
        if lines and not lines[-1].endswith((b"\n", b"\r")):
            lines[-1] += b"\n"
        lines += [b"\n"] * (number - 1 - len(lines)) + [line + b"\n"]
    return b"".join(lines)


def _line_number(content: bytes, source: str, file: str) -> int | None:
    """Return the line a kept article is named by (`wire.jsonl#3`: 3), or None when its line carries its own id."""
    identifier = source.removeprefix(f"{file}#")
    if _has_id(content.split(b"\n", 1)[0]) or not identifier.isdecimal() or int(identifier) < 1:
        return None
    return int(identifier)


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
    if folder.name.startswith("."):  # pending, or half kept
        return None
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
        removed_at = datetime.fromisoformat(record["removed_at"])
        if removed_at.tzinfo is None or not (folder / _CONTENT).is_file():
            return None
        return KeptSource(str(record["source"]), str(record["file"]), removed_at, bool(record["whole_file"]), folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None
