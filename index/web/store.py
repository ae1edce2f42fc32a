"""Write web articles into the corpus as JSON lines, one small file per folder and day.

`feeds/<name>/YYYY-MM-DD.jsonl` (by publication day, the fetch day when
undated) and `web/YYYY-MM-DD.jsonl` for pages added by hand: a new item
changes one small file, so a refresh never re-reads a big one. Each line is
an object `index.reading.jsonlines` reads like any other article.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsbot.index.storage.files import write_beside
from newsbot.index.storage.kept import drop_expired, keep_removed

__all__ = [
    "FEEDS_FOLDER", "PAGES_FOLDER", "WebArticle",
    "article_ids", "day_file", "drop_days_before", "move_articles", "purge_folder", "write_articles",
]  # fmt: skip

FEEDS_FOLDER = "feeds"
PAGES_FOLDER = "web"
_DAY_FILE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.jsonl$")


@dataclass(frozen=True)
class WebArticle:
    """One article from the web, as its JSON line holds it."""

    id: str
    title: str
    published: date | None
    url: str  # canonical
    outlet: str
    text: str  # paragraphs separated by blank lines
    author: str | None = None

    @property
    def content_hash(self) -> str:
        """Return a hash of the words of the title and text: the same story under another address has the same one."""
        words = " ".join(f"{self.title}\n{self.text}".lower().split())
        return hashlib.sha256(words.encode("utf-8")).hexdigest()

    def json_line(self) -> str:
        """Return the article as one JSON line (no newline)."""
        record = {
            "id": self.id, "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url, "outlet": self.outlet, "author": self.author, "text": self.text,
        }  # fmt: skip
        return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


def day_file(folder: str, day: date) -> str:
    """Return the corpus-relative day file of a folder ("feeds/dawn" or "web")."""
    return f"{folder}/{day.isoformat()}.jsonl"


def write_articles(corpus_dir: Path, placements: list[tuple[str, WebArticle, str | None]]) -> list[str]:
    """Write articles into their day files; return the corpus-relative files changed.

    Each placement is (day file, article, file of the version it replaces or
    None). A line of the same id in the target file is replaced in place; an
    old version in another file is dropped from it. Every other line is kept
    byte for byte, and each file is replaced whole through a renamed sibling,
    so a crash leaves the old file or the new, never half of one.
    """
    corpus_dir = Path(corpus_dir)
    added: dict[str, dict[str, str]] = defaultdict(dict)  # file -> id -> line
    dropped: dict[str, set[str]] = defaultdict(set)  # file -> ids to remove
    for relative, article, replaces in placements:
        added[relative][article.id] = article.json_line()
        if replaces is not None and replaces != relative:
            dropped[replaces].add(article.id)
    changed = []
    for relative in sorted(set(added) | set(dropped)):
        path = corpus_dir / relative
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        new_lines = added.get(relative, {})
        kept = []
        for line in lines:
            identifier = _line_id(line)
            if identifier in dropped.get(relative, ()):
                continue
            if identifier in new_lines:
                line = new_lines.pop(identifier)  # an updated story takes its old line's place
            kept.append(line)
        kept.extend(new_lines.values())
        if kept == lines:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if kept:
            write_beside(path, ("\n".join(kept) + "\n").encode("utf-8"))
        else:
            path.unlink(missing_ok=True)
        changed.append(relative)
    return changed


def move_articles(corpus_dir: Path, moves: list[tuple[str, str, str]]) -> list[str]:
    """Move articles' lines from one day file to another; return the corpus-relative files changed.

    Each move is (id, file it is in, file it goes to); an article whose line
    is no longer in its file is left out. Written as `write_articles` writes.
    """
    corpus_dir = Path(corpus_dir)
    held: dict[str, dict[str, WebArticle]] = {}
    placements = []
    for identifier, source, target in moves:
        if source not in held:
            held[source] = _read_articles(corpus_dir / source)
        if (article := held[source].get(identifier)) is not None:
            placements.append((target, article, source))
    return write_articles(corpus_dir, placements)


def drop_days_before(corpus_dir: Path, folder: str, cutoff: date) -> list[str]:
    """Delete the day files under a corpus folder older than cutoff; return them, corpus-relative."""
    root = Path(corpus_dir) / folder
    removed = []
    if not root.is_dir():
        return removed
    for path in sorted(root.rglob("*.jsonl")):
        match = _DAY_FILE_RE.match(path.name)
        if match and not path.is_symlink() and date.fromisoformat(match[1]) < cutoff:
            path.unlink()
            removed.append(path.relative_to(corpus_dir).as_posix())
    return removed


def purge_folder(corpus_dir: Path, folder: str, keep_dir: Path | None) -> list[str]:
    """Take a folder of day files out of the corpus; return them, corpus-relative.

    With keep_dir, each file is kept there first so `restore` can put it
    back. Raises OSError when a copy cannot be kept; then nothing is deleted.
    """
    root = Path(corpus_dir) / folder
    if not root.is_dir() or root.is_symlink():
        return []
    files = sorted(p.relative_to(corpus_dir).as_posix() for p in root.rglob("*.jsonl"))
    if keep_dir is not None:
        for relative in files:
            keep_removed(keep_dir, relative, relative, Path(corpus_dir) / relative)
    shutil.rmtree(root)
    if keep_dir is not None:
        drop_expired(keep_dir)
    return files


def article_ids(path: Path) -> set[str]:
    """Return the ids of the articles a day file holds (none when it is gone)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    return {identifier for line in lines if (identifier := _line_id(line)) is not None}


def _read_articles(path: Path) -> dict[str, WebArticle]:
    """Return the articles of a day file by id (none when it is gone); a line that is not one of ours is left out."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    articles = {}
    for line in lines:
        try:
            record = json.loads(line)
            published = record.get("published")
            article = WebArticle(
                id=str(record["id"]), title=record.get("title") or "", url=record.get("url") or "",
                published=date.fromisoformat(published) if published else None,
                outlet=record.get("outlet") or "", text=record.get("text") or "", author=record.get("author"),
            )  # fmt: skip
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        articles[article.id] = article
    return articles


def _line_id(line: str) -> str | None:
    """Return the id of a JSON line, or None for a line that is not one of ours."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return str(record["id"]) if isinstance(record, dict) and "id" in record else None
