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

from index.segment import Segment


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
        self.average_idf = self._average_idf()
        # The length part of the denominator, per passage, fixed for this state.
        avgdl = stats.avgdl or 1.0
        self._norms = [k1 * (1 - b + b * np.asarray(s.lengths, np.float64) / avgdl) for s in segments]

    def _average_idf(self) -> float:
        df = self.stats.df[self.stats.df > 0].astype(np.float64)
        if not len(df):
            return 0.0
        n = self.stats.documents
        return float(np.sum(np.log(n - df + 0.5) - np.log(df + 0.5)) / len(df))

    def idf(self, term_id: int | None) -> float:
        """Return rank-bm25's idf of a term: negatives floored at epsilon × mean idf."""
        if term_id is None or term_id >= len(self.stats.df):
            return 0.0
        df = int(self.stats.df[term_id])
        if df == 0:
            return 0.0
        n = self.stats.documents
        value = np.log(n - df + 0.5) - np.log(df + 0.5)
        return float(self.epsilon * self.average_idf if value < 0 else value)

    def _contributions(self, query: list[int | None]):
        """Yield (global passages, score contributions) per distinct known query term and segment.

        Terms whose idf is zero or negative (possible in a tiny corpus) still
        yield their passages: they are candidates even when BM25 cannot tell
        them apart.
        """
        for term_id, repeats in Counter(query).items():
            if term_id is None or term_id >= len(self.stats.df) or self.stats.df[term_id] == 0:
                continue  # rank-bm25 gives a term it never saw no weight
            weight = self.idf(term_id) * repeats  # rank-bm25 adds a repeated term once per repeat
            for base, segment, norm in zip(self.bases, self.segments, self._norms):
                found = segment.postings(term_id)
                if found is None:
                    continue
                docs, tfs = found
                tf = tfs.astype(np.float64)
                yield base + docs, weight * (tf * (self.k1 + 1) / (tf + norm[docs]))

    def get_scores(self, query: list[int | None]) -> np.ndarray:
        """Return the score of every passage (deleted ones 0), as BM25Okapi.get_scores."""
        scores = np.zeros(self.total, np.float64)
        for docs, contribution in self._contributions(query):
            scores[docs] += contribution
        if len(self.deleted):
            scores[self.deleted] = 0.0
        return scores

    def top(self, query: list[int | None], k: int) -> list[tuple[int, float]]:
        """Return up to k (global passage, score) pairs of passages holding a query term, best first."""
        parts = list(self._contributions(query))
        if not parts:
            return []
        touched = sum(len(docs) for docs, _ in parts)
        if touched * 8 < self.total:  # few postings: work on them alone
            docs = np.concatenate([d for d, _ in parts])
            contributions = np.concatenate([c for _, c in parts])
            candidates, inverse = np.unique(docs, return_inverse=True)
            scores = np.bincount(inverse, weights=contributions, minlength=len(candidates))
            if len(self.deleted):
                keep = ~self._dead[candidates]
                candidates, scores = candidates[keep], scores[keep]
        else:  # many: one dense accumulator beats sorting them
            full = np.zeros(self.total, np.float64)
            for docs, contribution in parts:
                full[docs] += contribution
            if all(c[0] > 0 for _, c in parts if len(c)):  # the usual case: a hit scores above zero
                full[self.deleted] = 0.0
                candidates = np.flatnonzero(full)
            else:  # floored or zero idf (a tiny corpus): passages holding a term still count
                hit = np.zeros(self.total, bool)
                for docs, _ in parts:
                    hit[docs] = True
                hit[self.deleted] = False
                candidates = np.flatnonzero(hit)
            scores = full[candidates]
        if len(candidates) > k:
            best = np.argpartition(-scores, k - 1)[:k]
            candidates, scores = candidates[best], scores[best]
        order = np.lexsort((candidates, -scores))
        return [(int(candidates[i]), float(scores[i])) for i in order]

    def locate(self, passage: int) -> tuple[Segment, int]:
        """Return the segment holding a global passage number, and its local number."""
        at = int(np.searchsorted(self.bases, passage, side="right")) - 1
        return self.segments[at], passage - self.bases[at]
