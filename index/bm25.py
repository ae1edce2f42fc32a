"""BM25 exactly as rank_bm25.BM25Okapi defines it, computed from postings.

rank-bm25 walks every document for every query term. Here only the postings
of the query's terms are touched, and idf and average length come from kept
corpus statistics, so the numbers are the same but the cost follows the
postings, not the corpus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsbot.index.storage.segment import Segment

# MaxScore's first threshold is the k-th best full score among the SAMPLE_FACTOR × k
# passages with the best partial scores. Any sample gives a threshold at or below
# the true k-th best, so pruning stays exact; 4k (40 passages at k = 10) is a
# rule of thumb: few probes, and usually the true top k among them.
SAMPLE_FACTOR = 4
# Accumulating postings: sorting costs about log2(touched) passes over the touched
# postings, a dense array one pass over every passage. log2 of the posting counts
# where it matters (~64k at 1M passages) is 16. One measurement at 1M passages (2-core
# machine, 2025): sorting 62k postings 3 ms, the dense pass 7 ms; the sort won up to
# about a quarter of the passages, so 16 errs towards the dense pass.
SORT_BELOW = 16
# Probing candidates in a term's postings: binary search costs about log2(postings)
# (~8 to 17) steps a candidate, spreading the postings over the segment one write a
# posting plus clearing the segment. One measurement, 100k postings in a 1M-passage
# segment: search 0.6 ms, spread 2.2 ms at one candidate in 8; they met at about 1
# in 2, so 8 errs towards spreading.
SPREAD_ABOVE = 8


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
    """Return the length part of BM25's denominator, k1 × (1 - b + b × length / avgdl), per passage."""
    return k1 * (1 - b + b * np.asarray(length, np.float64) / avgdl)


def tf_part(tf: np.ndarray, norm: np.ndarray, k1: float) -> np.ndarray:
    """Return BM25's term-frequency part, tf × (k1 + 1) / (tf + norm), for `length_norm`'s norms.

    The norm depends on the passage alone, so a scorer computes it once per
    index state rather than once per posting.
    """
    tf = np.asarray(tf, np.float64)
    return tf * (k1 + 1) / (tf + norm)


@dataclass(frozen=True)
class CorpusStats:
    """Live corpus statistics BM25 needs: documents, tokens, document frequencies."""

    documents: int  # live passages (rank-bm25's corpus_size)
    tokens: int  # their total length
    df: np.ndarray  # live passages holding each global term id

    @property
    def avgdl(self) -> float:
        """Return the mean passage length, as rank-bm25 computes it."""
        return self.tokens / self.documents if self.documents else 0.0


class BM25:
    """Score passages for a bag of term ids with rank-bm25's Okapi formula."""

    def __init__(self, stats: CorpusStats, segments: list[Segment], deleted: np.ndarray,
                 k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:  # fmt: skip
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.stats = stats
        self.segments = segments
        self.bases = np.cumsum([0] + [s.passage_count for s in segments]).tolist()
        self.total = self.bases[-1]
        self.deleted = deleted  # global passage numbers that no longer count
        self._dead = np.zeros(self.total, bool)
        self._dead[deleted] = True
        self._idf = idf(stats.df, stats.documents, epsilon)
        # The length part of the denominator, per passage, fixed for this state.
        self._norms = [length_norm(s.lengths, stats.avgdl or 1.0, k1, b) for s in segments]

    def idf(self, term_id: int | None) -> float:
        """Return rank-bm25's idf of a term (see `idf`); 0 for a term the corpus does not hold."""
        if term_id is None or term_id >= len(self._idf):
            return 0.0
        return float(self._idf[term_id])

    def _weights(self, query: list[int | None]) -> list[tuple[int, float]]:
        """Return (term id, weight) per distinct query term the corpus holds; a repeat adds its weight again."""
        weights = []
        for term_id, repeats in Counter(query).items():
            if term_id is None or term_id >= len(self.stats.df) or self.stats.df[term_id] == 0:
                continue  # rank-bm25 gives a term it never saw no weight
            weights.append((term_id, self.idf(term_id) * repeats))
        return weights

    def _contributions(self, weights: list[tuple[int, float]]):
        """Yield (segment number, its passages, score contributions) per term and segment.

        Terms whose idf is zero or negative (possible in a tiny corpus) still
        yield their passages: they are candidates even when BM25 cannot tell
        them apart.
        """
        for term_id, weight in weights:
            for number, (segment, norm) in enumerate(zip(self.segments, self._norms)):
                found = segment.postings(term_id)
                if found is None:
                    continue
                docs, tfs = found
                yield number, docs, weight * tf_part(tfs, norm[docs], self.k1)

    def get_scores(self, query: list[int | None]) -> np.ndarray:
        """Return the score of every passage (deleted ones 0), as BM25Okapi.get_scores."""
        scores = np.zeros(self.total, np.float64)
        for number, docs, contribution in self._contributions(self._weights(query)):
            scores[self.bases[number] + docs] += contribution
        if len(self.deleted):
            scores[self.deleted] = 0.0
        return scores

    def top(self, query: list[int | None], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Return up to k (global passage, score) pairs of passages holding a query term, best first.

        With `allowed` (a mask over global passages), only those passages count.

        Exact, but cheap on common words (MaxScore): a term adds at most a
        bound (from its highest frequency and shortest passage) to any score,
        so once the k-th best score among the passages holding the rarer terms
        beats the summed bounds of the commoner ones, passages holding only
        commoner terms cannot make the top k, and the commoner terms' long
        postings are only probed for those passages, never walked.
        """
        weights = self._weights(query)
        if not weights or k < 1:
            return []
        dead = self._dead if allowed is None else self._dead | ~allowed
        if any(weight <= 0 for _, weight in weights):  # floored idf in a tiny corpus: no bounds to trust
            return self._best(*self._accumulate(weights, dead), k)
        bounds = [self._bound(term_id, weight) for term_id, weight in weights]
        # Rarest first, not highest bound first: any split is exact, and what a split
        # costs is the postings of its essential terms. A word in most passages has
        # a floored idf (epsilon × the mean) that can outweigh a rarer word's, and
        # sorted by bound it became essential: 770k postings walked at 1M passages.
        df = self.stats.df
        order = sorted(range(len(weights)), key=lambda i: (int(df[weights[i][0]]), -bounds[i]))
        weights = [weights[i] for i in order]
        bounds = [bounds[i] for i in order]
        for essential in range(1, len(weights)):
            rest = sum(bounds[essential:])  # the most the commoner terms can add to any passage
            if rest >= sum(bounds[:essential]):
                continue  # they could still outweigh the rarer ones: too soon to prune
            candidates, partial = self._accumulate(weights[:essential], dead)
            if len(candidates) < k:
                continue
            # A first k-th best score from the most promising passages: the true one is at least this.
            size = SAMPLE_FACTOR * k
            sample = np.sort(np.argpartition(-partial, min(size, len(partial)) - 1)[:size])
            full = partial[sample] + self._probe(weights[essential:], candidates[sample])
            threshold = np.partition(full, len(full) - k)[len(full) - k]
            if rest >= threshold:
                continue  # a passage with only the commoner terms could still make the top k
            # Only passages whose rarer terms leave them within reach of the threshold can make it.
            keep = partial >= threshold - rest
            candidates, partial = candidates[keep], partial[keep]
            return self._best(candidates, partial + self._probe(weights[essential:], candidates), k)
        return self._best(*self._accumulate(weights, dead), k)

    def _bound(self, term_id: int, weight: float) -> float:
        """Return the most a term can add to any passage's score."""
        avgdl = self.stats.avgdl or 1.0
        peaks = [p for s in self.segments if (p := s.term_peak(term_id, avgdl)) is not None]
        return weight * max(peaks, default=0.0) * (1 + 1e-9)  # a hair over: rounding never underestimates

    def _accumulate(self, weights: list[tuple[int, float]], dead: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the sorted passages not dead holding any of the terms, and those terms' part of their scores."""
        parts = list(self._contributions(weights))
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        touched = sum(len(docs) for _, docs, _ in parts)
        if touched * SORT_BELOW < self.total:  # few postings: sort them, sum equal neighbours
            docs = np.concatenate([self.bases[number] + d for number, d, _ in parts])
            contributions = np.concatenate([c for _, _, c in parts])
            order = np.argsort(docs, kind="stable")
            docs, contributions = docs[order], contributions[order]
            starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
            candidates, scores = docs[starts], np.add.reduceat(contributions, starts)
        else:  # many: a dense accumulator per segment (one that fits in cache) beats sorting them
            found, sums = [], []
            for number, segment in enumerate(self.segments):
                mine = [(d, c) for n, d, c in parts if n == number]
                if not mine:
                    continue
                full = np.zeros(segment.passage_count, np.float64)
                # Holders marked apart: a score of zero or less still means the passage holds a term,
                # and finding the set entries of a boolean array is several times faster than of floats.
                hit = np.zeros(segment.passage_count, bool)
                for docs, contribution in mine:
                    full[docs] += contribution
                    hit[docs] = True
                local = np.flatnonzero(hit)
                found.append(self.bases[number] + local)
                sums.append(full[local])
            candidates, scores = np.concatenate(found), np.concatenate(sums)
        if len(self.deleted) or dead is not self._dead:
            keep = ~dead[candidates]
            candidates, scores = candidates[keep], scores[keep]
        return candidates, scores

    def _probe(self, weights: list[tuple[int, float]], candidates: np.ndarray) -> np.ndarray:
        """Return what the terms add to the scores of sorted candidate passages, by binary search in their postings."""
        scores = np.zeros(len(candidates), np.float64)
        for base, segment, norm in zip(self.bases, self.segments, self._norms):
            lo, hi = np.searchsorted(candidates, [base, base + segment.passage_count])
            if lo == hi:
                continue
            local = candidates[lo:hi] - base
            part = scores[lo:hi]
            for term_id, weight in weights:
                found = segment.postings(term_id)
                if found is None:
                    continue
                docs, tfs = found
                if len(local) * SPREAD_ABOVE > len(docs):  # many candidates: spreading the postings out is cheaper
                    spread = np.zeros(segment.passage_count, np.float64)
                    spread[docs] = weight * tf_part(tfs, norm[docs], self.k1)
                    part += spread[local]
                    continue
                at = np.minimum(np.searchsorted(docs, local), len(docs) - 1)
                hit = docs[at] == local
                part[hit] += weight * tf_part(tfs[at[hit]], norm[local[hit]], self.k1)
        return scores

    @staticmethod
    def _best(candidates: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Return the k best (passage, score) pairs, ties to the lower passage number."""
        if len(candidates) > k:
            # Keep every passage tied with the k-th so the tie-break below is exact.
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            keep = scores >= kth
            candidates, scores = candidates[keep], scores[keep]
        order = np.lexsort((candidates, -scores))[:k]
        return [(int(candidates[i]), float(scores[i])) for i in order]

    def locate(self, passage: int) -> tuple[Segment, int]:
        """Return the segment holding a global passage number, and its local number."""
        at = int(np.searchsorted(self.bases, passage, side="right")) - 1
        return self.segments[at], passage - self.bases[at]
