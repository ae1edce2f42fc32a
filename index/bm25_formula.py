"""rank_bm25.BM25Okapi's formula, part by part: idf, the length norm, the term-frequency part.

The scorer (`bm25.py`) and the index writer (`storage/inversion.py`: each
term's highest part in a segment) take them from here, with how the scorer
keeps passage lengths to look their norms up. The norm and the tf part are
written once, in the compiled loops (`postings.py`), and called from here.
"""

from __future__ import annotations

import numpy as np

from newsbot.index import postings

# Norms of passages shorter than NORM_TABLE words are looked up, longer ones worked out (see `passage_lengths`):
# 4,096 norms are 32 KB, which stay in the first-level cache.
NORM_TABLE = 4096


def idf(df: np.ndarray, n: int, epsilon: float) -> np.ndarray:
    """Return rank-bm25's idf of every term from its document frequency among n documents.

    log((n - df + 0.5) / (df + 0.5)); a negative one (a term in more than half
    the documents) becomes epsilon × the mean idf of all terms, as BM25Okapi
    floors it. A term in no document has idf 0 and no part in the mean.
    """
    df = np.asarray(df, np.float64)
    present = df > 0
    values = np.zeros(len(df), np.float64)
    values[present] = np.log(n - df[present] + 0.5) - np.log(df[present] + 0.5)
    if present.any():
        values[present & (values < 0)] = epsilon * (np.sum(values[present]) / int(present.sum()))
    return values


def length_norm(length: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """Return the length part of BM25's denominator, k1 × (1 - b + b × length / avgdl), per passage.

    Computed by the compiled loops' own formula (`postings._length_norm`),
    which gives them the norms they look up and those of longer passages
    (see `passage_lengths`).
    """
    return postings.length_norms(np.asarray(length), (float(k1), float(b), float(avgdl)))


def passage_lengths(lengths: np.ndarray, longest: int) -> np.ndarray:
    """Return a segment's passage lengths as the scorer keeps them: two bytes each where they fit (`longest` below 65,536).

    The loops over postings read a passage's length and look its norm up
    (NORM_TABLE), rather than read a norm kept per passage: at ten million
    passages the norms were 80 MB of the serving process's own memory, and
    each read of one, far from the one before, missed the cache. Two bytes a
    passage are a quarter of that. Measured side by side on the benchmark's
    200 questions (CPU time of both threads, p50 / p95 ms), scores and
    answers bitwise the same: 10M search 17.02 / 58.44 → 13.21 / 44.63,
    answer 17.29 / 54.70 → 14.17 / 45.03; 1M search 1.90 / 5.05 → 1.57 /
    4.41, answer 3.34 / 7.04 → 3.00 / 6.80. Working each norm out instead of
    looking it up (a division more per passage) made a merge of every term
    15-20% slower at 1M.
    """
    if longest > np.iinfo(np.uint16).max:  # `longest`: the longest of them, which the caller needs too
        return np.asarray(lengths)  # a passage of 65,536 words or more: kept as written
    return np.asarray(lengths, np.uint16)


def tf_part(tf: np.ndarray, norm: np.ndarray, k1: float) -> np.ndarray:
    """Return BM25's term-frequency part, tf × (k1 + 1) / (tf + norm), for `length_norm`'s norms."""
    return postings.tf_parts(np.asarray(tf), np.asarray(norm, np.float64), k1)
