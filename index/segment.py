"""One immutable segment of the index: its articles, sentences, passages and postings.

A refresh writes the articles it read as a new segment; nothing already on
disk is rewritten. Postings use the global term ids of `Vocabulary`, so
segments share one document-frequency table.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from index.analysis import Analyser
from index.models import Article, IndexConfig
from index.passages import article_sentences, passage_windows
from index.vocabulary import Vocabulary

_ARRAYS = (
    "sent_offsets", "sent_article", "sent_highlight",
    "pas_first", "pas_count", "pas_article", "lengths",
    "term_ids", "post_offsets", "post_docs", "post_tfs",
)  # fmt: skip


@dataclass(frozen=True)
class ArticleRecord:
    """An article as a segment stores it: metadata plus where its text lies."""

    title: str
    published: date | None
    source: str
    url: str | None
    dateline: str | None
    first_passage: int
    passages: int

    def to_json(self) -> dict:
        """Return the record as JSON-ready values."""
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "dateline": self.dateline,
            "first_passage": self.first_passage,
            "passages": self.passages,
        }

    @classmethod
    def from_json(cls, data: dict) -> ArticleRecord:
        """Rebuild a record from `to_json`'s values."""
        published = data.get("published")
        return cls(
            title=data["title"],
            published=date.fromisoformat(published) if published else None,
            source=data["source"],
            url=data.get("url"),
            dateline=data.get("dateline"),
            first_passage=int(data["first_passage"]),
            passages=int(data["passages"]),
        )


@dataclass
class SegmentData:
    """A segment built in memory, ready to be written."""

    articles: list[ArticleRecord]
    sentences: list[str]
    arrays: dict[str, np.ndarray]

    @property
    def passage_count(self) -> int:
        """Return how many passages the segment holds."""
        return len(self.arrays["lengths"])


def build_segment(
    articles: list[Article],
    analyser: Analyser,
    vocabulary: Vocabulary,
    config: IndexConfig,
    progress: Callable[[str, int, int], None] | None = None,
) -> SegmentData:
    """Cut articles into passages and invert them into postings over global term ids."""
    records: list[ArticleRecord] = []
    sentences: list[str] = []
    sent_article: list[int] = []
    sent_highlight: list[int] = []
    pas_first: list[int] = []
    pas_count: list[int] = []
    pas_article: list[int] = []
    lengths: list[int] = []
    pair_terms: list[int] = []  # one (term, passage) pair per distinct term of a passage
    pair_docs: list[int] = []
    pair_tfs: list[int] = []

    for article_no, article in enumerate(articles):
        cut = article_sentences(article)
        base = len(sentences)
        sentence_ids = [vocabulary.add_all(analyser.tokens(s)) for s in cut.sentences]
        windows = passage_windows(len(cut.sentences), config.passage_sentences, config.passage_overlap)
        records.append(
            ArticleRecord(
                title=article.title,
                published=article.published,
                source=article.source,
                url=article.url,
                dateline=article.dateline,
                first_passage=len(lengths),
                passages=len(windows),
            )
        )
        sentences.extend(cut.sentences)
        sent_article.extend([article_no] * len(cut.sentences))
        sent_highlight.extend(int(i < cut.highlight_count) for i in range(len(cut.sentences)))
        for start, end in windows:
            passage_no = len(lengths)
            counts = Counter(term for ids in sentence_ids[start:end] for term in ids)
            pas_first.append(base + start)
            pas_count.append(end - start)
            pas_article.append(article_no)
            lengths.append(sum(counts.values()))
            pair_terms.extend(counts.keys())
            pair_docs.extend([passage_no] * len(counts))
            pair_tfs.extend(counts.values())
        if progress and (article_no % 500 == 499 or article_no == len(articles) - 1):
            progress("indexing", article_no + 1, len(articles))

    arrays = _invert(np.array(pair_terms, np.int64), np.array(pair_docs, np.int32), np.array(pair_tfs, np.int32))
    encoded = [s.encode("utf-8") for s in sentences]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    arrays.update(
        sent_offsets=offsets,
        sent_article=np.array(sent_article, np.int32),
        sent_highlight=np.array(sent_highlight, np.uint8),
        pas_first=np.array(pas_first, np.int32),
        pas_count=np.array(pas_count, np.int32),
        pas_article=np.array(pas_article, np.int32),
        lengths=np.array(lengths, np.int32),
    )
    return SegmentData(records, sentences, arrays)


def _invert(terms: np.ndarray, docs: np.ndarray, tfs: np.ndarray) -> dict[str, np.ndarray]:
    """Group (term, passage, tf) triples into postings lists sorted by term, then passage."""
    order = np.lexsort((docs, terms))
    terms, docs, tfs = terms[order], docs[order], tfs[order]
    term_ids, starts = np.unique(terms, return_index=True)
    offsets = np.append(starts, len(terms)).astype(np.int64)
    return {
        "term_ids": term_ids.astype(np.int32),
        "post_offsets": offsets,
        "post_docs": docs.astype(np.int32),
        "post_tfs": tfs.astype(np.int32),
    }


def write_segment(data: SegmentData, directory: Path) -> None:
    """Write a segment into a new folder, atomically: a crash leaves no half segment."""
    staging = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in _ARRAYS:
        np.save(staging / f"{name}.npy", data.arrays[name])
    with (staging / "sentences.txt").open("wb") as handle:
        handle.write(b"".join(s.encode("utf-8") for s in data.sentences))
    _write_json(staging / "articles.json", [r.to_json() for r in data.articles])
    for path in staging.iterdir():
        _fsync(path)
    shutil.rmtree(directory, ignore_errors=True)  # left by a refresh that crashed before its swap
    os.replace(staging, directory)
    _fsync(directory.parent)


class Segment:
    """A segment opened from disk: arrays memory-mapped, sentence text read on demand."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = directory.name
        self.arrays = {name: np.load(directory / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        self.articles = [ArticleRecord.from_json(item) for item in _read_json(directory / "articles.json")]
        self._text = _map(directory / "sentences.txt")
        self.term_ids = self.arrays["term_ids"]
        self.post_offsets = self.arrays["post_offsets"]
        self.post_docs = self.arrays["post_docs"]
        self.post_tfs = self.arrays["post_tfs"]
        self.lengths = self.arrays["lengths"]
        self._check()

    def _check(self) -> None:
        a = self.arrays
        passages = len(a["lengths"])
        if not (
            len(a["pas_first"]) == len(a["pas_count"]) == len(a["pas_article"]) == passages
            and len(a["post_offsets"]) == len(a["term_ids"]) + 1
            and len(a["post_docs"]) == len(a["post_tfs"]) == int(a["post_offsets"][-1] if len(a["post_offsets"]) else 0)
            and len(a["sent_offsets"]) == len(a["sent_article"]) + 1
            and int(a["sent_offsets"][-1]) == len(self._text)
        ):
            raise ValueError(f"segment {self.name} is inconsistent")

    @property
    def passage_count(self) -> int:
        """Return how many passages the segment holds, deleted ones included."""
        return len(self.lengths)

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (passages, term frequencies) for a global term id, or None."""
        at = int(np.searchsorted(self.term_ids, term_id))
        if at >= len(self.term_ids) or self.term_ids[at] != term_id:
            return None
        start, end = int(self.post_offsets[at]), int(self.post_offsets[at + 1])
        return self.post_docs[start:end], self.post_tfs[start:end]

    def sentence(self, index: int) -> str:
        """Return the text of one sentence."""
        offsets = self.arrays["sent_offsets"]
        return bytes(self._text[int(offsets[index]) : int(offsets[index + 1])]).decode("utf-8")

    def passage_sentences(self, passage: int) -> range:
        """Return the sentence numbers of a passage."""
        first = int(self.arrays["pas_first"][passage])
        return range(first, first + int(self.arrays["pas_count"][passage]))

    def is_highlight(self, sentence: int) -> bool:
        """Return True when a sentence comes from the article's highlights."""
        return bool(self.arrays["sent_highlight"][sentence])

    def article_of_passage(self, passage: int) -> int:
        """Return the segment-local article number of a passage."""
        return int(self.arrays["pas_article"][passage])

    def article_sentence_texts(self, article_no: int) -> list[str]:
        """Return every sentence of one article (used to un-count it when it is removed)."""
        owners = self.arrays["sent_article"]
        numbers = np.flatnonzero(np.asarray(owners) == article_no)
        return [self.sentence(int(i)) for i in numbers]

    def bytes_on_disk(self) -> int:
        """Return the size of the segment's files."""
        return sum(p.stat().st_size for p in self.directory.iterdir())


def _map(path: Path) -> bytes | mmap.mmap:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
