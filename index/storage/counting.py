"""Invert a part's term ids into postings by counting, compiled (numba).

One pass over each passage's tokens counts its terms (a term's last
passage and its pair's place are remembered per term), and a counting sort
by term lays the pairs out term by term, their passages ascending. For the
7 million tokens of a 170,000-passage part this takes 0.13-0.17 s of CPU;
the NumPy way (an int64 key per token, sorted and taken apart) took
0.33-0.40 s, and 56 MB for the keys alone.
"""

from __future__ import annotations

import numpy as np

from newsbot.index.compiled import compiled


@compiled
def count_postings(tokens: np.ndarray, starts: np.ndarray, ends: np.ndarray, vocabulary: int):  # noqa: ANN201 (compiled)
    """Return postings of passages tokens[starts[p]:ends[p]]: offsets by term, then passages and frequencies."""
    total = 0
    for p in range(len(starts)):
        total += ends[p] - starts[p]
    last = np.full(vocabulary, -1, np.int64)  # the passage each term was last counted in
    place = np.empty(vocabulary, np.int64)  # and its pair's index there
    pair_terms = np.empty(total, np.int32)
    pair_docs = np.empty(total, np.int32)
    pair_tfs = np.empty(total, np.int32)
    pairs = 0
    for p in range(len(starts)):
        for k in range(starts[p], ends[p]):
            term = tokens[k]
            if last[term] == p:
                pair_tfs[place[term]] += 1
            else:
                last[term] = p
                place[term] = pairs
                pair_terms[pairs] = term
                pair_docs[pairs] = p
                pair_tfs[pairs] = 1
                pairs += 1
    offsets = np.zeros(vocabulary + 1, np.int64)
    for n in range(pairs):
        offsets[pair_terms[n] + 1] += 1
    for term in range(vocabulary):
        offsets[term + 1] += offsets[term]
    filled = offsets[:-1].copy()
    docs = np.empty(pairs, np.int32)
    tfs = np.empty(pairs, np.int64)
    for n in range(pairs):
        term = pair_terms[n]
        docs[filled[term]] = pair_docs[n]
        tfs[filled[term]] = pair_tfs[n]
        filled[term] += 1
    return offsets, docs, tfs
