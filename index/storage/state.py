"""One loaded generation of the index: its segments, statistics and live articles, opened from a manifest."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from newsbot.index.bm25 import BM25, CorpusStats
from newsbot.index.errors import IndexFormatError
from newsbot.index.models import IndexConfig
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.store import FORMAT_VERSION, Manifest, check_statistics, df_path
from newsbot.index.storage.vocabulary import Vocabulary


@dataclass(frozen=True)
class LiveArticles:
    """The live articles of an index state: per segment, its live article numbers in an array.

    At ten million passages, a list of (segment, number) pairs was a million
    tuples held for the life of the state.
    """

    parts: tuple[tuple[Segment, np.ndarray], ...]

    def __len__(self) -> int:
        return sum(len(numbers) for _, numbers in self.parts)

    def __iter__(self) -> Iterator[tuple[Segment, int]]:
        """Yield (segment, local article number) of each live article, in index order."""
        for segment, numbers in self.parts:
            for number in numbers.tolist():
                yield segment, number


@dataclass
class IndexState:
    """One loaded generation of the index, read-only once made."""

    directory: Path
    manifest: Manifest
    vocabulary: Vocabulary
    segments: list[Segment]
    scorer: BM25
    live_articles: LiveArticles  # (segment, local article number) of every live article

    @functools.cached_property
    def passage_days(self) -> np.ndarray:
        """Return each global passage's article published date as a day ordinal (0: undated).

        Built on the first question that needs dates, then kept with the state.
        """
        if not self.segments:
            return np.zeros(0, np.int32)
        return np.concatenate([segment.passage_days() for segment in self.segments])

    @functools.cached_property
    def _by_source(self) -> dict[str, list[tuple[Segment, int]]]:
        """Map each source to its live articles (a plain-text file may hold several): made on first use."""
        found: dict[str, list[tuple[Segment, int]]] = {}
        for segment, number in self.live_articles:
            found.setdefault(segment.articles[number].source, []).append((segment, number))
        return found

    def articles_of(self, source: str) -> list[tuple[Segment, int]]:
        """Return the live articles of a source as (segment, local article number), in index order."""
        return self._by_source.get(source, [])

    @functools.cached_property
    def undated_articles(self) -> int:
        """Return how many live articles have no published date."""
        return sum(int(np.count_nonzero(segment.arrays["art_day"][numbers] == 0)) for segment, numbers in self.live_articles.parts)

    @functools.cached_property
    def newest_published(self) -> date | None:
        """Return the newest published date of any live article."""
        days = self.passage_days
        return date.fromordinal(int(days.max())) if len(days) and days.max() > 0 else None

    def newest_published_by(self, day: date) -> date | None:
        """Return the newest published date of any live article on or before day: one dated ahead of it (a
        mistyped 2099) is no news yet."""
        newest = self.newest_published
        if newest is None or newest <= day:
            return newest
        days = self._dated_days  # sorted; made only for a corpus with an article dated ahead
        at = int(np.searchsorted(days, day.toordinal(), side="right"))
        return date.fromordinal(int(days[at - 1])) if at else None

    @functools.cached_property
    def _dated_days(self) -> np.ndarray:
        """Return the distinct published days of the live articles, as sorted day ordinals."""
        days = self.passage_days
        return np.unique(days[days > 0])

    @functools.cached_property
    def oldest_published(self) -> date | None:
        """Return the oldest published date of any live article."""
        days = self.passage_days
        dated = days[days > 0]
        return date.fromordinal(int(dated.min())) if len(dated) else None

    def in_period(self, since: date | None, until: date | None) -> np.ndarray:
        """Return which global passages belong to articles published from since to until (inclusive)."""
        days = self.passage_days
        allowed = days > 0
        if since is not None:
            allowed &= days >= since.toordinal()
        if until is not None:
            allowed &= days <= until.toordinal()
        return allowed


def empty_state(directory: Path, config: IndexConfig, generation: int = 0) -> IndexState:
    """Return the state of an index that holds nothing yet; numbering goes on from `generation`."""
    manifest = Manifest(config=config, generation=generation, vocab_file=f"vocab-{generation:06d}.txt")
    stats = CorpusStats(0, 0, np.zeros(0, np.int64))
    scorer = BM25(stats, [], np.zeros(0, np.int64), config.k1, config.b, config.epsilon)
    return IndexState(directory, manifest, Vocabulary(), [], scorer, LiveArticles(()))


def open_state(
    directory: Path,
    manifest: Manifest,
    *,
    vocabulary: Vocabulary | None = None,
    df: np.ndarray | None = None,
    opened: dict[str, Segment] | None = None,
) -> IndexState:
    """Open the segments and statistics a manifest names.

    A writer that has just saved them passes what it holds in memory
    (vocabulary, df, segments already open) so nothing is read twice.
    Raises IndexFormatError when a file is missing or inconsistent.
    """
    opened = opened or {}
    try:
        if vocabulary is None:
            check_statistics(directory, manifest)
            vocabulary = Vocabulary.load(directory / manifest.vocab_file, manifest.vocab_size)
        if df is None:
            df = np.load(df_path(directory, manifest.generation)) if manifest.vocab_size else np.zeros(0, np.int64)
        if len(df) != manifest.vocab_size or len(vocabulary) != manifest.vocab_size:
            raise ValueError(f"{len(df)} document frequencies for {manifest.vocab_size} terms")
        legacy = manifest.format != FORMAT_VERSION  # an older format still read: see store.READABLE_FORMATS
        segments = [opened.get(name) or Segment(directory / name, legacy=legacy) for name in manifest.segments]
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"the index in {directory} is damaged: {exc}") from exc
    # Which articles of each segment a file still names: arrays, as 10M passages are a million articles.
    alive = {s.name: np.zeros(s.article_count, bool) for s in segments}
    for entry in manifest.files.values():
        for placed in entry.placements:
            if placed.segment not in alive:
                raise IndexFormatError(f"the index in {directory} names a missing segment {placed.segment}")
            if placed.first < 0 or placed.first + placed.count > len(alive[placed.segment]):
                raise IndexFormatError(f"the index in {directory} names articles segment {placed.segment} does not hold")
            alive[placed.segment][placed.first : placed.first + placed.count] = True
    deleted: list[np.ndarray] = []
    live: list[tuple[Segment, np.ndarray]] = []
    base = 0
    for segment in segments:
        mine = alive[segment.name]
        live.append((segment, np.flatnonzero(mine)))
        gone = np.repeat(~mine, segment.arrays["art_passages"])  # articles' passages lie in article order
        deleted.append(base + np.flatnonzero(gone))
        base += segment.passage_count
    dead = np.concatenate(deleted) if deleted else np.zeros(0, np.int64)
    config = manifest.config
    stats = CorpusStats(manifest.documents, manifest.tokens, df)
    scorer = BM25(stats, segments, dead, config.k1, config.b, config.epsilon)
    return IndexState(directory, manifest, vocabulary, segments, scorer, LiveArticles(tuple(live)))
