"""Placing a web article among the known ones: new, an update of a known story, unchanged, or a duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from newsbot.index.web.state import KnownArticle, WebState
from newsbot.index.web.store import WebArticle, article_ids, day_file

__all__ = ["Ledger"]


@dataclass
class Ledger:
    """Known articles by id and by content hash, as placing goes along (one poll's working copy).

    A known article whose line is gone from its file (`newsbot remove`) is
    forgotten when met, so the same page can be added again.
    """

    corpus_dir: Path
    by_id: dict[str, KnownArticle]
    by_hash: dict[str, KnownArticle]
    _ids_in: dict[str, set[str]] = field(default_factory=dict)  # file -> ids it holds, read when first asked
    _placed: set[str] = field(default_factory=set)  # ids placed by this ledger, not yet written

    @classmethod
    def of(cls, state: WebState, corpus_dir: Path) -> Ledger:
        return cls(corpus_dir, {a.id: a for a in state.articles}, {a.content_hash: a for a in state.articles})

    def place(self, article: WebArticle, folder: str, feed: str | None, today: date) -> tuple[str, tuple[str, WebArticle, str | None] | None]:
        """Return the article's status and where it goes: ("new"|"updated", placement) or ("unchanged"|"duplicate", None)."""
        known = self._present(self.by_id.get(article.id))
        content_hash = article.content_hash
        if known is not None and known.content_hash == content_hash:
            self._carried(known, feed)
            return "unchanged", None
        if known is None and (twin := self._present(self.by_hash.get(content_hash))) is not None:
            self._carried(twin, feed)
            return "duplicate", None
        target = known.file if known is not None else day_file(folder, article.published or today)
        entry = KnownArticle(article.id, article.url, content_hash, target, known.feed if known else feed, _also(known, feed))
        if known is not None:
            self.by_hash.pop(known.content_hash, None)
        self.by_id[article.id] = self.by_hash[content_hash] = entry
        self._placed.add(article.id)
        return ("updated" if known else "new"), (target, article, known.file if known else None)

    def articles(self) -> tuple[KnownArticle, ...]:
        return tuple(self.by_id.values())

    def _carried(self, known: KnownArticle, feed: str | None) -> None:
        """Note that feed (None: `add URL`) carried a known story too, so a purge of the story's own feed keeps it."""
        also = _also(known, feed)
        if also == known.also:
            return
        entry = replace(known, also=also)
        self.by_id[known.id] = entry
        if self.by_hash.get(known.content_hash) is known:
            self.by_hash[known.content_hash] = entry

    def _present(self, known: KnownArticle | None) -> KnownArticle | None:
        """Return a known article still in its file; forget one whose line is gone and return None."""
        if known is None or known.id in self._placed:
            return known
        ids = self._ids_in.get(known.file)
        if ids is None:
            ids = self._ids_in[known.file] = article_ids(self.corpus_dir / known.file)
        if known.id in ids:
            return known
        self.by_id.pop(known.id, None)
        if self.by_hash.get(known.content_hash) is known:
            del self.by_hash[known.content_hash]
        return None


def _also(known: KnownArticle | None, feed: str | None) -> tuple[str | None, ...]:
    """Return a known story's other sources, with feed added when it is not the story's own."""
    if known is None or feed == known.feed or feed in known.also:
        return known.also if known else ()
    return (*known.also, feed)
