"""The quality benchmark's peers: plain BM25 sentence retrievers over newsbot's own sentences.

Both peers index exactly the sentences newsbot indexes (read with newsbot's
reader and splitter), one sentence a document, and return the best few for a
question. They never refuse: whatever the scores, they return their top k.

- rank-bm25: `BM25Okapi` over lower-case white-space tokens (`text.lower().split()`),
  the simplest thing anyone would try;
- bm25s: English stop words and Snowball stems (`bm25s.tokenize(..., stopwords="en",
  stemmer=Stemmer.Stemmer("english"))`), close to newsbot's analyser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

PEERS = ("rank-bm25", "bm25s")


@dataclass(frozen=True)
class Sentence:
    """One indexed sentence and what the benchmark needs to know about its article."""

    text: str
    source: str  # the article's source, as newsbot names it ("wire.jsonl#42")
    published: date | None
    title: str
    position: int  # the sentence's number within its article (highlights first)


def corpus_sentences(corpus_dir: Path) -> tuple[list[Sentence], int, list[str]]:
    """Return every sentence newsbot would index under corpus_dir, the number of articles, and the
    reader's problems. (Articles of one pasted file share their source.)"""
    from newsbot.index.reading.articles import read_articles
    from newsbot.index.reading.passages import article_sentences

    articles, problems = read_articles(Path(corpus_dir))
    sentences = [
        Sentence(text, article.source, article.published, article.title, number)
        for article in articles
        for number, text in enumerate(article_sentences(article).sentences)
    ]
    return sentences, len(articles), [str(problem) for problem in problems]


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Return the k best document numbers, ties in corpus order (so runs repeat exactly)."""
    return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


class RankBM25Peer:
    """rank-bm25's BM25Okapi over lower-case white-space tokens."""

    name = "rank-bm25"

    def __init__(self, texts: list[str]) -> None:
        from rank_bm25 import BM25Okapi

        self._model = BM25Okapi([text.lower().split() for text in texts]) if texts else None

    def top(self, question: str, k: int) -> list[int]:
        """Return the numbers of the k best sentences for a question."""
        if self._model is None:
            return []
        return _top(np.asarray(self._model.get_scores(question.lower().split())), k)


class BM25sPeer:
    """bm25s with English stop words and Snowball stems."""

    name = "bm25s"

    def __init__(self, texts: list[str]) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        self._size = len(texts)
        if not texts:
            return
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._model = bm25s.BM25()
        self._model.index(tokens, show_progress=False)

    def top(self, question: str, k: int) -> list[int]:
        """Return the numbers of the k best sentences for a question (unknown words are ignored)."""
        if not self._size:
            return []
        query = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False
        )
        documents, _ = self._model.retrieve(query, k=min(k, self._size), show_progress=False)
        return [int(i) for i in documents[0]]


def make_peer(name: str, texts: list[str]) -> RankBM25Peer | BM25sPeer:
    """Build the named peer over the given sentences."""
    if name == "rank-bm25":
        return RankBM25Peer(texts)
    if name == "bm25s":
        return BM25sPeer(texts)
    raise ValueError(f"unknown peer {name!r}")
