"""What a loaded index holds, read out as the engine's typed values: hits, passages, a quote's neighbours, articles, counts.

The engine picks the index state to read (see `following.py`) and rebuilds
the index when reading finds damage; these only read the state they are handed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from newsbot.index.models import IndexedPassage, IndexStats, Problem, SearchHit, SourceInfo
from newsbot.index.storage.state import IndexState
from newsbot.index.storage.store import read_problems


def name_hits(state: IndexState, ranked: list[tuple[int, float]]) -> list[SearchHit]:
    """Name ranked (global passage, score) pairs by source, article within it and passage within that."""
    hits = []
    for passage, score in ranked:
        segment, local = state.scorer.locate(passage)
        article = segment.passage_article(local)
        source = segment.articles.source(article)  # the record's JSON alone: no record built for a name
        hits.append(SearchHit(source, segment.source_position(article), local - segment.article_passages(article).start, score))
    return hits


def read_passages(state: IndexState) -> Iterator[IndexedPassage]:
    """Yield every live passage of an index: articles by source, then in file order; each article's passages in order."""
    # A stable sort: a file's articles stay in file order, as they lie in their segment.
    articles = sorted(((segment.articles[number].source, segment, number) for segment, number in state.live_articles),
                      key=lambda item: item[0])  # fmt: skip
    position = 0
    for at, (source, segment, article) in enumerate(articles):
        position = position + 1 if at and articles[at - 1][0] == source else 0
        for number, local in enumerate(segment.article_passages(article)):
            sentences = tuple(segment.sentences(segment.passage_sentences(local)))
            yield IndexedPassage(source, position, number, sentences)


def find_around(state: IndexState, source: str, sentence: str, around: int, *, prefix: bool) -> tuple[str, ...] | None:
    """Return a quoted sentence with up to `around` sentences either side of it in its article, or None
    when no live article of that source holds it (with prefix: no sentence starts with it)."""
    for segment, number in state.articles_of(source):
        passages = segment.article_passages(number)
        numbers = range(segment.passage_sentences(passages.start).start, segment.passage_sentences(passages.stop - 1).stop)
        texts = segment.sentences(numbers)
        at = next((i for i, text in enumerate(texts) if text == sentence or (prefix and text.startswith(sentence))), None)
        if at is not None:
            return tuple(texts[max(0, at - around) : at + around + 1])
    return None


def list_sources(state: IndexState) -> list[SourceInfo]:
    """Return every live article of an index, newest first (undated last)."""
    records = [segment.articles[number] for segment, number in state.live_articles]
    items = [SourceInfo(r.title, r.published, r.source, r.url, r.passages) for r in records]
    items.sort(key=lambda s: s.source)
    items.sort(key=lambda s: s.published.toordinal() if s.published else 0, reverse=True)
    return items


def count_index(state: IndexState, index_dir: Path, unlisted: tuple[Problem, ...]) -> IndexStats:
    """Return counts and facts about an index, with `unlisted`: what the last scan found that no file records."""
    manifest = state.manifest
    size = 0
    for path in index_dir.iterdir():
        with contextlib.suppress(OSError):  # a writer may delete it meanwhile
            size += path.stat().st_size if path.is_file() else 0
    size += sum(s.bytes_on_disk() for s in state.segments)
    skipped, warnings = problems_of(state, unlisted)
    return IndexStats(
        articles=len(state.live_articles),
        passages=manifest.documents,
        vocabulary=int((state.scorer.stats.df > 0).sum()),
        segments=len(state.segments),
        bytes_on_disk=size,
        last_refresh=manifest.last_refresh,
        skipped=skipped,
        undated=state.undated_articles,
        warnings=warnings,
        files=len(manifest.files),
    )


def problems_of(state: IndexState, unlisted: tuple[Problem, ...] = ()) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """Return what the live index skips and what it warns of, by source: the one pair of lists every front end shows.

    `unlisted` are what the last scan of the corpus folder found and no file
    records (files of other types, broken links, files that cannot be read
    again); the files' own problems are read from beside the manifest.
    """
    recorded = read_problems(state.directory, state.manifest)
    every = [*unlisted, *(p for name, entry in state.manifest.files.items() for p in (entry.problems or recorded.get(name, ())))]
    every.sort(key=lambda p: p.source)  # stable: each file's problems stay in their order
    return tuple(p for p in every if p.skipped), tuple(p for p in every if not p.skipped)
