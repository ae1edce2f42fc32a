"""The audit log: one JSON line per change a Discord member made to the corpus.

It lives in the state folder (`Settings.resolved_state_dir()`), which outlives
the index; older newsbots wrote it into the index folder, and
`carry_over_audit` moves those entries across.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsbot.index import write_beside

AUDIT_FILE = "audit.jsonl"
_LOCK = threading.Lock()  # one writer at a time within the process; each entry is one write


@dataclass(frozen=True)
class AuditEntry:
    """Who changed what, and when."""

    action: str  # "add", "remove", "refresh", "feed add" or "feed remove"
    guild: int | None
    user: int
    file: str | None = None  # the file added or removed; for a page added by address, its source
    sha256: str | None = None  # of the file's content: as uploaded, or as it was before removal
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    url: str | None = None  # the page or feed fetched
    feed: str | None = None  # the feed subscribed or removed, by name
    when: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def audit_path(state_dir: Path) -> Path:
    """Return where the audit log in a state folder lives."""
    return Path(state_dir) / AUDIT_FILE


def append_audit(state_dir: Path, entry: AuditEntry, *, legacy_index_dir: Path | None = None) -> Path:
    """Append one entry to the state folder's audit log, creating the file when needed; return its path.

    With legacy_index_dir, an audit log left in that index folder by an older
    newsbot is first carried over (`carry_over_audit`).
    """
    if legacy_index_dir is not None:
        carry_over_audit(legacy_index_dir, state_dir)
    path = audit_path(state_dir)
    record = {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(entry).items()}
    line = json.dumps({"when": record.pop("when"), **record}, ensure_ascii=False) + "\n"
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return path


def carry_over_audit(index_dir: Path, state_dir: Path) -> bool:
    """Move the entries of an index folder's audit log to the front of the state folder's; return True if any were moved.

    Entries already in the state log are not written twice, so an index
    folder that is read-only (its old log cannot be deleted) is carried over
    harmlessly each time.
    """
    old = audit_path(index_dir)
    if not old.is_file():
        return False
    with _LOCK:
        new = audit_path(state_dir)
        current = _lines(new)
        have = set(current)
        carried = [line for line in _lines(old) if line not in have]
        if carried:
            new.parent.mkdir(parents=True, exist_ok=True)
            # The old entries are older than any the state log holds: they go first.
            write_beside(new, "".join(carried + current).encode("utf-8"))
        with contextlib.suppress(OSError):  # a read-only index keeps its copy
            old.unlink()
    return bool(carried)


def _lines(path: Path) -> list[str]:
    """Return a log's non-blank lines, each ending in a newline (none when there is no file)."""
    if not path.is_file():
        return []
    return [line.rstrip("\n") + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_audit(state_dir: Path) -> list[dict[str, object]]:
    """Return the audit log's entries, oldest first (an empty list when there is none)."""
    return [json.loads(line) for line in _lines(audit_path(state_dir))]
