"""The audit log: one JSON line per change a Discord member made to the corpus."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

AUDIT_FILE = "audit.jsonl"
_LOCK = threading.Lock()  # one writer at a time within the process; each entry is one write


@dataclass(frozen=True)
class AuditEntry:
    """Who changed what, and when."""

    action: str  # "add", "remove" or "refresh"
    guild: int | None
    user: int
    file: str | None = None
    sha256: str | None = None  # of the file's content: as uploaded, or as it was before removal
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    when: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def audit_path(index_dir: Path) -> Path:
    """Return where the audit log of an index lives."""
    return Path(index_dir) / AUDIT_FILE


def append_audit(index_dir: Path, entry: AuditEntry) -> Path:
    """Append one entry to the audit log, creating the file when needed; return its path."""
    path = audit_path(index_dir)
    record = {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(entry).items()}
    line = json.dumps({"when": record.pop("when"), **record}, ensure_ascii=False) + "\n"
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return path


def read_audit(index_dir: Path) -> list[dict[str, object]]:
    """Return the audit log's entries, oldest first (an empty list when there is none)."""
    path = audit_path(index_dir)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
