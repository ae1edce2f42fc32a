"""What a poll or an added page reports: per feed its new, skipped and failed items; per page its status."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Failure", "FeedPoll", "PageAdded", "PollReport"]


@dataclass(frozen=True)
class Failure:
    """An item or feed that could not be read, and why."""

    url: str
    reason: str


@dataclass(frozen=True)
class FeedPoll:
    """What one poll did with one feed."""

    name: str
    new: int = 0  # articles written (an updated story counts here too)
    skipped: int = 0  # items seen at an earlier poll, duplicates, items older than keep_days
    failed: tuple[Failure, ...] = ()  # the feed itself, when it failed, or its items
    not_modified: bool = False  # the server answered 304: nothing new


@dataclass(frozen=True)
class PollReport:
    """One pass over every feed, and the corpus files it wrote or removed."""

    feeds: tuple[FeedPoll, ...]
    changed_files: tuple[str, ...] = ()  # corpus-relative day files written
    removed_files: tuple[str, ...] = ()  # day files dropped as older than keep_days

    @property
    def corpus_changed(self) -> bool:
        """Return True when the index needs a refresh."""
        return bool(self.changed_files or self.removed_files)


@dataclass(frozen=True)
class PageAdded:
    """One page added by `newsbot add URL`."""

    url: str  # canonical
    title: str
    source: str  # "web/2025-03-04.jsonl#<id>", as `sources` and `remove` name it
    status: str  # "new", "updated", "unchanged", or "duplicate" (the same text is in the corpus under another URL)
