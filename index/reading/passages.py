"""Cut articles into sentences and sentence-aligned passage windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsbot.index.models import Article
from newsbot.index.reading.sentences import split_paragraphs_sentences


@dataclass(frozen=True)
class ArticleSentences:
    """An article's sentences in reading order: highlights first, then the body."""

    sentences: tuple[str, ...]
    highlight_count: int  # the first this-many sentences are highlights


def article_sentences(article: Article) -> ArticleSentences:
    """Return the sentences of an article's highlights and body, verbatim."""
    highlights = split_paragraphs_sentences(article.highlights)
    body = split_paragraphs_sentences(article.paragraphs)
    return ArticleSentences(tuple(highlights + body), len(highlights))


def passage_windows(n_sentences: int, size: int, overlap: int) -> list[tuple[int, int]]:
    """Return (start, end) windows of `size` sentences sharing `overlap` with the previous.

    Every sentence lies in at least one window; a last window wholly inside the
    one before it is dropped.
    """
    return [(start, end) for start, end in window_table(np.array([n_sentences]), size, overlap).tolist()]


def window_counts(counts: np.ndarray, size: int, overlap: int) -> np.ndarray:
    """Return how many windows (see `passage_windows`) each of articles with `counts` sentences has."""
    counts = np.asarray(counts, np.int64)
    step = max(1, size - overlap)
    # The first window, then one every `step` sentences while it reaches past the one before: start + overlap < n.
    later = np.maximum(0, -(-(counts - overlap) // step) - 1)
    return np.where(counts > 0, 1 + later, 0)


def window_table(counts: np.ndarray, size: int, overlap: int) -> np.ndarray:
    """Return the windows of articles with `counts` sentences, one (start, end) row each, in order, the
    sentences numbered on from one article to the next.

    All at once: a build's 170,000 passages a part cost 0.17 s windowed an article at a time.
    """
    counts = np.asarray(counts, np.int64)
    per_article = window_counts(counts, size, overlap)
    article = np.repeat(np.arange(len(counts)), per_article)
    nth = np.arange(len(article)) - np.repeat(np.cumsum(per_article) - per_article, per_article)
    start = nth * max(1, size - overlap)
    end = np.minimum(start + size, counts[article])
    first = (np.cumsum(counts) - counts)[article]
    return np.stack([first + start, first + end], axis=1).reshape(-1, 2)
