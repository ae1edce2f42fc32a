"""Cut articles into sentences and sentence-aligned passage windows."""

from __future__ import annotations

from dataclasses import dataclass

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
    if n_sentences <= 0:
        return []
    step = max(1, size - overlap)
    windows = []
    for start in range(0, n_sentences, step):
        if start > 0 and start + overlap >= n_sentences:
            break
        windows.append((start, min(start + size, n_sentences)))
    return windows
