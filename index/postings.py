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
from newsbot.index.storage.posting_reads import read_near


@njit(inline="always")
def _tf_part(tf, norm, k1):
    return tf * (k1 + 1) / (tf + norm)


@njit(inline="always")
def _length_norm(length, constants):
    """Return the length part of BM25's denominator, k1 × (1 - b + b × length / avgdl); constants are (k1, b, avgdl)."""
    k1, b, avgdl = constants
    return k1 * (1 - b + b * np.float64(length) / avgdl)


@njit(inline="always")
def _norm(length, constants):
    """Return `_length_norm`, looked up for the usual lengths: constants are (k1, b, avgdl, the norms of lengths 0, 1, 2...)."""
    table = constants[3]
    if length < len(table):
        return table[length]
    return _length_norm(length, constants[:3])


@compiled
def length_norms(lengths: np.ndarray, constants: tuple[float, float, float]) -> np.ndarray:
    """Return `_length_norm` per length."""
    out = np.empty(len(lengths), np.float64)
    for i in range(len(lengths)):
        out[i] = _length_norm(lengths[i], constants)
    return out


@compiled
def tf_parts(tfs: np.ndarray, norms: np.ndarray, k1: float) -> np.ndarray:
    """Return BM25's term-frequency part, tf × (k1 + 1) / (tf + norm), per (tf, norm) pair."""
    out = np.empty(len(tfs), np.float64)
    for i in range(len(tfs)):
        out[i] = _tf_part(np.float64(tfs[i]), norms[i], k1)
    return out


@compiled
def merge(docs, tfs, starts, weights, lengths, constants, base, found, sums, at):
    """Write each passage some of the terms' postings hold, once and in order, plus base, with the
    terms' part of its score, to found and sums from position at; return the position after them.

    docs, tfs: the terms' postings one after another, term t's from starts[t]
    to starts[t + 1], each sorted; weights[t]: term t's weight; lengths: the
    segment's passage lengths, whose norms `_norm` gives (constants: k1, b,
    avgdl and the table of norms it looks the usual lengths up in); found
    and sums have room for len(docs) more from at. A passage's parts are
    added in the terms' order, from 0, as adding each term to a score per
    passage would. Returns -1, having read nothing
    past the segment, when a posting names a passage outside it or a term's
    postings are out of order (damaged postings): compiled code does not
    check its indexes.

    The postings are merged, each read once, front to back: no work array as
    long as the segment, and no pass over it to find the passages touched.
    Three common words in a 1.8M-passage segment (408k postings): 5.8-7.7 ms
    added into such an array and collected from it, 4.7-4.9 ms merged.

    Sparse postings (the median question at 10M passages: 35k in a segment
    of 1.8M) first only note each passage and its terms' frequencies, and
    read the passages' lengths in a loop of their own: a segment's lengths
    are megabytes, so each read of one misses the cache, and inside the merge
    each miss stalled it, while in a loop of their own the reads overlap.
    Dense ones read the lengths nearly in order, which the cache foresees, and
    are weighed as they are merged. One segment of 1.83M passages, two terms,
    cache cold (ms, weighed at once / noted first; norms of 8 bytes read
    then): 35k postings 1.40 / 0.95, 57k 1.86 / 1.64, 115k 2.43 / 2.74, 230k
    3.41 / 4.49. A segment whose lengths take at most CACHED_LENGTHS bytes
    (a million passages, two bytes each) keeps them cached between
    questions, and noting first only costs there: 200 questions at 1M, one
    process, the two ways alternating by round, search p50 / p95 0.876 /
    2.606 ms noted first, 0.765 / 2.468 weighed at once.
    """
    at_term = starts[:-1].copy()
    if len(docs) * DENSE >= len(lengths) or lengths.nbytes <= CACHED_LENGTHS:
        return _merge_weighing(docs, tfs, at_term, starts[1:], weights, lengths, constants, base, found, sums, at)
    return _merge_noting(docs, tfs, at_term, starts[1:], weights, lengths, constants, base, found, sums, at)


DENSE = 20  # postings are dense when there is one for every DENSE passages or more (see `merge`)
CACHED_LENGTHS = 2 << 20  # a segment's passage lengths stay cached up to this many bytes (see `merge`)
_NOTED = 4096  # passages `_merge_noting` notes before it reads their lengths: enough reads to overlap, and held stays in cache


@njit(inline="always")
def _next_passage(docs, at_term, ends, past, last):
    """Return the lowest passage any term's postings hold next: past when all are done, -1 when it is
    not above the passage merged last (a term's postings out of order)."""
    low = past
    for t in range(len(at_term)):
        if at_term[t] < ends[t] and docs[at_term[t]] < low:
            low = docs[at_term[t]]
    return -1 if low <= last else low


@njit(inline="always")
def _rest_damaged(at_term, ends):
    """Whether a term has postings left once the merge reached the segment's end: passages past it."""
    for t in range(len(at_term)):
        if at_term[t] < ends[t]:
            return True
    return False


@njit(inline="always")
def _merge_weighing(docs, tfs, at_term, ends, weights, lengths, constants, base, found, sums, at):
    """`merge`, weighing each passage as it is merged."""
    past = len(lengths)
    low = -1  # the passage merged last
    while True:
        low = _next_passage(docs, at_term, ends, past, low)
        if low < 0 or low == past:
            break
        total = 0.0
        norm = _norm(lengths[low], constants)
        for t in range(len(weights)):
            i = at_term[t]
            if i < ends[t] and docs[i] == low:
                total += weights[t] * _tf_part(np.float64(tfs[i]), norm, constants[0])
                at_term[t] = i + 1
        found[at] = low + base
        sums[at] = total
        at += 1
    return -1 if low < 0 or _rest_damaged(at_term, ends) else at


@njit(inline="always")
def _merge_noting(docs, tfs, at_term, ends, weights, lengths, constants, base, found, sums, at):
    """`merge`, noting a few thousand passages and their terms' frequencies at a time, then weighing them."""
    past = len(lengths)
    held = np.empty((_NOTED, len(weights)), tfs.dtype)  # per passage noted, each term's frequency (0: not held)
    noted = 0
    low = -1
    while True:
        low = _next_passage(docs, at_term, ends, past, low)
        if low < 0 or low == past:
            break
        for t in range(len(weights)):
            i = at_term[t]
            if i < ends[t] and docs[i] == low:
                held[noted, t] = tfs[i]
                at_term[t] = i + 1
            else:
                held[noted, t] = 0
        found[at + noted] = low
        noted += 1
        if noted == _NOTED:
            at = _weigh(held, noted, weights, lengths, constants, base, found, sums, at)
            noted = 0
    return -1 if low < 0 or _rest_damaged(at_term, ends) else _weigh(held, noted, weights, lengths, constants, base, found, sums, at)


@njit(inline="always")
def _weigh(held, noted, weights, lengths, constants, base, found, sums, at):
    """Turn `_merge_noting`'s passages found[at:at + noted] into global ones with their sums; return the position after.

    A frequency of 0 stands for "not held": a build writes no posting with a
    frequency below 1, so none is lost.
    """
    for j in range(noted):
        passage = found[at + j]
        norm = _norm(lengths[passage], constants)
        total = 0.0
        for t in range(len(weights)):
            if held[j, t]:
                total += weights[t] * _tf_part(np.float64(held[j, t]), norm, constants[0])
        found[at + j] = passage + base
        sums[at + j] = total
    return at + noted


@compiled
def probe(docs, tfs, weight, lengths, constants, passages, scores):
    """Add one term's part to scores[i] for each sorted passage i of `passages` that its postings hold.

    Both lists are sorted, so each passage is sought from where the last was
    found, by doubling steps and then halving (galloping): about
    log2(gap) steps a passage, so a few candidates in a long list cost a few
    dozen steps each and many cost about one walk of the list.
    """
    _probe(docs, tfs, weight, lengths, constants, passages, scores)


@compiled
def probe_near(files, start, end, rule, weight, lengths, constants, passages, scores):
    """`probe` a term's postings [start, end) of a segment's files (a `PostingFiles`), reading only the
    blocks the passages fall in (see `posting_reads`; rule: its share and gap); return False, scores
    untouched, when a read fails or a file ends early."""
    docs, tfs, read = read_near(files, start, end, passages, rule[0], rule[1])
    if read:
        _probe(docs, tfs, weight, lengths, constants, passages, scores)
    return read


@njit(inline="always")
def _probe(docs, tfs, weight, lengths, constants, passages, scores):
    """`probe`'s loop."""
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
            scores[i] += weight * _tf_part(np.float64(tfs[at]), _norm(lengths[wanted], constants), constants[0])


@compiled
def within(candidates, partial, least):
    """Return (candidates[keep], partial[keep]) where keep is partial >= least: one pass to count, one to copy."""
    count = 0
    for i in range(len(partial)):
        count += 1 if partial[i] >= least else 0
    kept, sums = np.empty(count, candidates.dtype), np.empty(count, partial.dtype)
    at = 0
    for i in range(len(partial)):
        if partial[i] >= least:
            kept[at] = candidates[i]
            sums[at] = partial[i]
            at += 1
    return kept, sums


@compiled
def largest(values, size):
    """Return the sorted positions of the `size` largest values (ties broken anyhow), or all of them when fewer.

    One pass, the best so far kept in a heap whose root is the least of
    them: a value that does not beat the root, nearly every one after the
    first few thousand, costs one comparison. Measured against partitioning
    a strided cut and then the values at or above its size-th best (the way
    before), in µs, size 40 / 320: 20k random values 38 / 218 → 15 / 35; 300k
    189 / 383 → 172 / 237; 3M 2,826 / 3,044 → 1,672 / 1,809.
    """
    if size >= len(values):
        return np.arange(len(values))
    best = np.empty(size, values.dtype)  # a heap: best[c] <= best[2c + 1], best[2c + 2]
    where = np.empty(size, np.int64)  # each one's position among values
    for i in range(size):
        _sift_up(best, where, i, values[i], i)
    for i in range(size, len(values)):
        if values[i] > best[0]:
            _sift_down(best, where, size, values[i], i)
    return np.sort(where)


@njit(inline="always")
def _sift_up(best, where, c, value, position):
    """Place value (at position among the values) in the heap's slot c and up while its parent is larger."""
    while c > 0:
        parent = (c - 1) // 2
        if best[parent] <= value:
            break
        best[c], where[c] = best[parent], where[parent]
        c = parent
    best[c], where[c] = value, position


@njit(inline="always")
def _sift_down(best, where, size, value, position):
    """Put value (at position among the values) in place of the heap's root, then down while a child is smaller."""
    c = 0
    while 2 * c + 1 < size:
        child = 2 * c + 1
        if child + 1 < size and best[child + 1] < best[child]:
            child += 1
        if best[child] >= value:
            break
        best[c], where[c] = best[child], where[child]
        c = child
    best[c], where[c] = value, position
