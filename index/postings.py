"""The loops over postings that score a search, compiled (numba) so they run at memory speed.

A question of common words touches hundreds of thousands of postings. In
NumPy each step over them (gather the lengths, divide, scatter the sums,
find the holders) is a pass of its own with a temporary array; one compiled
loop does it in a single pass. Measured on 510k postings of four terms in a
1M-passage segment: NumPy 12.4 ms, a compiled loop adding into an array per
passage 5.7 ms; merging the terms' postings (`merge`) is faster still.

The arithmetic is BM25's term-frequency part exactly as `tf_part` writes it,
so the scores are the ones rank-bm25 gives (see `index/bm25.py`). Compiled
code is cached (see `compiled.py`), so only the first search after installing
waits for it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from newsbot.index.compiled import compiled


@njit(inline="always")
def _tf_part(tf, norm, k1):
    return tf * (k1 + 1) / (tf + norm)


@compiled
def tf_parts(tfs: np.ndarray, norms: np.ndarray, k1: float) -> np.ndarray:
    """Return BM25's term-frequency part, tf × (k1 + 1) / (tf + norm), per (tf, norm) pair."""
    out = np.empty(len(tfs), np.float64)
    for i in range(len(tfs)):
        out[i] = _tf_part(np.float64(tfs[i]), norms[i], k1)
    return out


@compiled
def merge(docs, tfs, starts, weights, norms, k1, base, found, sums, at):
    """Write each passage some of the terms' postings hold, once and in order, plus base, with the
    terms' part of its score, to found and sums from position at; return the position after them.

    docs, tfs: the terms' postings one after another, term t's from starts[t]
    to starts[t + 1], each sorted; weights[t]: term t's weight; norms: the
    segment's length norms; found and sums have room for len(docs) more from
    at. A passage's parts are added in the terms' order, from 0, as adding
    each term to a score per passage would. Returns -1, having read nothing
    past the segment, when a posting names a passage outside it or a term's
    postings are out of order (damaged postings): compiled code does not
    check its indexes.

    The postings are merged, each read once, front to back: no work array as
    long as the segment, and no pass over it to find the passages touched.
    Three common words in a 1.8M-passage segment (408k postings): 5.8-7.7 ms
    added into such an array and collected from it, 4.7-4.9 ms merged.
    """
    terms = len(weights)
    at_term = starts[:-1].copy()
    ends = starts[1:]
    past = len(norms)
    last = -1  # the passage written last: each is above it, or a term's postings are out of order
    while True:
        low = past  # the lowest passage any term holds next
        for t in range(terms):
            if at_term[t] < ends[t] and docs[at_term[t]] < low:
                low = docs[at_term[t]]
        if low == past:
            break
        if low <= last:
            return -1
        last = low
        total = 0.0
        norm = norms[low]
        for t in range(terms):
            i = at_term[t]
            if i < ends[t] and docs[i] == low:
                total += weights[t] * _tf_part(np.float64(tfs[i]), norm, k1)
                at_term[t] = i + 1
        found[at] = low + base
        sums[at] = total
        at += 1
    for t in range(terms):
        if at_term[t] < ends[t]:
            return -1  # a posting at or past the segment's end
    return at


@compiled
def probe(docs, tfs, weight, norms, k1, passages, scores):
    """Add one term's part to scores[i] for each sorted passage i of `passages` that its postings hold.

    Both lists are sorted, so each passage is sought from where the last was
    found, by doubling steps and then halving (galloping): about
    log2(gap) steps a passage, so a few candidates in a long list cost a few
    dozen steps each and many cost about one walk of the list.
    """
    size = len(docs)
    at = 0
    for i in range(len(passages)):
        if at >= size:
            break
        wanted = passages[i]
        if docs[at] < wanted:
            low, step = at, 1  # docs[low] < wanted
            high = low + 1
            while high < size and docs[high] < wanted:
                low = high
                step *= 2
                high = low + step
            if high > size:
                high = size
            at = low + 1  # the first posting at or past wanted lies in [low + 1, high]
            while at < high:
                middle = (at + high) // 2
                if docs[middle] < wanted:
                    at = middle + 1
                else:
                    high = middle
        if at < size and docs[at] == wanted:
            scores[i] += weight * _tf_part(np.float64(tfs[at]), norms[wanted], k1)
