"""Turn a part's sentences into term ids, and those into postings over passage windows, in bulk.

Text is cut at white space into chunks ("pakistan's", "(cpec),", "80,000").
Each distinct chunk is analysed once per process and its terms numbered; the
work per token, finding its chunk (`chunks.py`) and counting it into the
postings (`counting.py`), is compiled, the rest NumPy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from newsbot.index.analysis import Analyser, fold
from newsbot.index.bm25_formula import length_norm, tf_part
from newsbot.index.models import IndexConfig
from newsbot.index.storage.chunks import ChunkTable
from newsbot.index.storage.counting import count_postings

_BATCH = 20_000  # sentences tokenised in one go: big enough to amortise, small for memory
_SENTENCE_END = "\x00"  # joins sentences for batch tokenising; the reader never lets NUL through
# Distinct chunks a process keeps numbered from part to part (a part starting past it starts a new
# table). A worker's later parts meet few chunks its earlier ones did not: numbering again the
# 131,000 chunks of each 170,000-passage part of a million passages cost 0.7 s of its 6.1 s.
TABLE_CHUNKS = 2_000_000


@dataclass(frozen=True)
class SentenceTerms:
    """A part's sentences as term ids: its vocabulary (local id = position), every token, each sentence's count."""

    terms: list[str]
    tokens: np.ndarray
    counts: np.ndarray


def chunk_table() -> ChunkTable:
    """Return an empty table of chunks, analysed by the index's analyser."""
    return ChunkTable(functools.partial(Analyser().chunk_terms, keep=False), _SENTENCE_END)


_process_table: ChunkTable | None = None  # a build worker's, so its parts share it


def process_table() -> ChunkTable:
    """Return the process's table, for a build worker's parts to share (a worker ends with its build).

    Not for a long-lived process: the table keeps every chunk it met, up to
    TABLE_CHUNKS (about 140 bytes a chunk: a bot that built a year of news
    in-process would keep some 280 MB), so a build there uses a table of its
    own that goes with it.
    """
    global _process_table
    if _process_table is None or len(_process_table) > TABLE_CHUNKS:
        _process_table = chunk_table()
    return _process_table


def sentence_terms(sentences: list[str], table: ChunkTable) -> SentenceTerms:
    """Return the term ids of sentences, numbered for this part alone, chunks looked up in table."""
    token_parts, count_parts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    separator = f" {_SENTENCE_END} "
    for start in range(0, len(sentences), _BATCH):
        batch = sentences[start : start + _BATCH]
        # NUL only stands between sentences (the reader turns control characters into spaces).
        # The table lower-cases ASCII letters; fold lower-cases the rest.
        text = separator.join(s if s.isascii() else fold(s) for s in batch) + separator
        ids = table.ids(text)
        count_parts.append(np.diff(np.flatnonzero(ids < 0), prepend=-1) - 1)
        token_parts.append(ids[ids >= 0])
    tokens = np.concatenate(token_parts)
    # The part's own ids: its terms in table order, numbered from 0.
    used = np.zeros(len(table.terms), bool)
    used[tokens] = True
    local = np.cumsum(used) - 1
    terms = [table.terms[i] for i in np.flatnonzero(used).tolist()]
    return SentenceTerms(terms, local[tokens], np.concatenate(count_parts))


def invert(sentences: SentenceTerms, windows: np.ndarray, config: IndexConfig) -> dict[str, np.ndarray]:
    """Return the postings of sentence term ids over passage windows ((first, end) sentences, one row each)."""
    vocabulary = len(sentences.terms)
    sentence_offsets = np.concatenate([[0], np.cumsum(sentences.counts)])
    starts, ends = sentence_offsets[windows[:, 0]], sentence_offsets[windows[:, 1]]
    lengths = ends - starts
    offsets, docs, tfs = count_postings(sentences.tokens, starts, ends, vocabulary)
    # Per term, the most its BM25 frequency part reaches in this segment, at the
    # segment's own mean length: it bounds what the term can add to a score,
    # which lets a query skip the long postings of common words (see BM25.top).
    reference = float(lengths.mean()) if len(lengths) else 1.0
    factor = tf_part(tfs, length_norm(lengths, reference or 1.0, config.k1, config.b)[docs], config.k1)
    peak = np.zeros(vocabulary, np.float64)
    present = np.diff(offsets) > 0
    if present.any():
        peak[present] = np.maximum.reduceat(factor, offsets[:-1][present])
    return {
        "lengths": lengths.astype(np.int32),
        "post_offsets": offsets,
        "post_docs": docs,
        "post_tfs": tfs.astype(smallest_unsigned(int(tfs.max()) if len(tfs) else 0)),
        "term_peak": peak,
        "peak_reference": np.array([reference or 1.0]),
    }


def smallest_unsigned(largest: int) -> type:
    """Return the narrowest unsigned type holding 0..largest: a word in a 3-sentence passage rarely repeats 255 times."""
    return next(t for t in (np.uint8, np.uint16, np.uint32) if largest <= np.iinfo(t).max)
