"""BM25 exactly as rank_bm25.BM25Okapi defines it, computed from postings.

rank-bm25 walks every document for every query term. Here only the postings
of the query's terms are touched, and idf and average length come from kept
corpus statistics, so the numbers are the same but the cost follows the
postings, not the corpus.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsbot.index import postings
from newsbot.index.bm25_formula import NORM_TABLE, idf, length_norm, passage_lengths, tf_part
from newsbot.index.errors import IndexFormatError
from newsbot.index.parallel import in_runs, split_runs
from newsbot.index.storage import posting_reads
from newsbot.index.storage.segment import Segment

# MaxScore's first threshold is the k-th best full score among the SAMPLE_FACTOR × k
# passages with the best partial scores. Any sample gives a threshold at or below
# the true k-th best, so pruning stays exact; 4k (40 passages at k = 10) is a
# rule of thumb: few probes, and usually the true top k among them.
SAMPLE_FACTOR = 4
# When that threshold still leaves more than SAMPLE_AGAIN_ABOVE candidates within reach of the top k (a
# question of common words, "said issues would also" at 10M: a million), the SAMPLE_AGAIN_FACTOR × k best are
# probed too and the higher threshold kept: there, 1,043,863 → 89,140 candidates probed, 130 → 102 ms.
# Measured side by side (200 questions, best of two rounds, CPU time), p50 / p95 ms: 10M search 9.43 / 52.54 →
# 8.98 / 46.47, answer 10.40 / 55.48 → 10.18 / 48.30; 1M search 1.31 / 4.52 → 1.32 / 4.19, answer 2.30 / 6.35 →
# 2.26 / 5.90. A larger first sample for every question (16k) did as well at 10M, but cost 1M's search median
# 10% (1.28 → 1.41 ms): most questions are settled by the small one.
SAMPLE_AGAIN_ABOVE = 20_000
SAMPLE_AGAIN_FACTOR = 32
# A search within a period allowing fewer passages than one in ALLOWED_SHARE of the postings it would add
# probes them instead: "what did analysts say yesterday?" at 10M (54,780 passages allowed) took 45 ms, now 11 ms.
ALLOWED_SHARE = 4
# A search adding at least PARALLEL_POSTINGS postings, or probing at least PARALLEL_CANDIDATES candidates, in
# several segments splits them in two runs, one in a helper thread (see `in_runs`). Measured at 10M passages
# (six segments), 200 questions, wall-clock p50 / p95 ms, one run: search 10.40 / 43.04 in one thread; 200k / 20k
# 9.05 / 34.16; 50k / 5k 7.62 / 34.55; 20k / 2k 7.55 / 32.59. Answer: 11.28 / 43.47; 10.16 / 34.01; 8.93 / 33.13;
# 8.82 / 32.78. An index of one segment (up to 2M passages, see merge.JOINED_PASSAGES) is searched in one thread.
PARALLEL_POSTINGS = 50_000
PARALLEL_CANDIDATES = 5_000
_NEAR_RULE = (posting_reads.NEAR_SHARE, posting_reads.NEAR_GAP)  # which posting blocks a probe reads



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



class _Lookups:
    """One search's terms: their numbers and postings per segment, each found once.

    MaxScore looks a term up several times (its bound, the sample, the probe),
    and each look was a binary search of the segment's terms and a read.
    """

    def __init__(self, scorer: BM25, term_ids: list[int]) -> None:
        self._scorer = scorer
        ids = np.array(term_ids, np.int64)
        found = [segment.local_terms(ids).tolist() for segment in scorer.segments]  # one search per segment
        self._locals = {term_id: [None if f[i] < 0 else f[i] for f in found] for i, term_id in enumerate(term_ids)}
        self._postings: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def locals(self, term_id: int) -> list[int | None]:
        """Return each segment's own number for one of the search's terms (None where it lacks it)."""
        return self._locals[term_id]

    def postings(self, number: int, term_id: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (passages, term frequencies) of a term in segment `number`, or None."""
        local = self.locals(term_id)[number]
        if local is None:
            return None
        found = self._postings.get((number, term_id))
        if found is None:
            found = self._postings[number, term_id] = self._scorer.segments[number].local_postings(local)
        return found

    def count(self, number: int, term_id: int) -> int:
        """Return how many postings a term has in segment `number` (0 where it has none)."""
        local = self.locals(term_id)[number]
        return 0 if local is None else self._scorer.segments[number].posting_count(local)

    def read(self, number: int, term_id: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Return a term's postings in segment `number` when this search read them whole already, else None."""
        return self._postings.get((number, term_id))


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
        # What the loops over postings work the length part of the denominator out from (see `passage_lengths`).
        longests = [int(s.lengths.max()) if len(s.lengths) else 0 for s in segments]
        self._lengths = [passage_lengths(s.lengths, most) for s, most in zip(segments, longests)]
        avgdl = float(stats.avgdl or 1.0)
        longest = max(longests, default=0)
        self._constants = (float(k1), float(b), avgdl, length_norm(np.arange(min(longest + 1, NORM_TABLE)), avgdl, k1, b))

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

    def get_scores(self, query: list[int | None]) -> np.ndarray:
        """Return the score of every passage (deleted ones 0), as BM25Okapi.get_scores."""
        scores = np.zeros(self.total, np.float64)
        weights = self._weights(query)
        lookups = _Lookups(self, [t for t, _ in weights])
        for term_id, weight in weights:
            for number, base in enumerate(self.bases[:-1]):
                found = lookups.postings(number, term_id)
                if found is not None:
                    docs, tfs = found
                    norms = length_norm(self._lengths[number][docs], self._constants[2], self.k1, self.b)
                    scores[base + docs] += weight * tf_part(tfs, norms, self.k1)
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
        lookups = _Lookups(self, [t for t, _ in weights])
        if any(weight <= 0 for _, weight in weights):  # floored idf in a tiny corpus: no bounds to trust
            return self._best(*self._accumulate(weights, dead, lookups), k)
        if allowed is not None:
            few = np.flatnonzero(~dead)
            if len(few) * ALLOWED_SHARE < sum(lookups.count(n, t) for t, _ in weights for n in range(len(self.segments))):
                # Few passages allowed ("yesterday"): each is sought in the postings, none walked whole.
                scores = self._probe(weights, few, lookups)
                held = scores > 0  # every weight is positive: a passage holding a term scores above 0
                return self._best(few[held], scores[held], k)
        bounds = [self._bound(term_id, weight, lookups) for term_id, weight in weights]
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
            candidates, partial = self._accumulate(weights[:essential], dead, lookups)
            if len(candidates) < k:
                continue
            # A first k-th best score from the most promising passages: the true one is at least this.
            threshold = self._sampled_threshold(SAMPLE_FACTOR * k, candidates, partial, weights[essential:], k, lookups)
            if np.count_nonzero(partial >= threshold - rest) > SAMPLE_AGAIN_ABOVE:
                # Too many would be probed: a larger sample raises the threshold nearer the true one.
                larger = self._sampled_threshold(SAMPLE_AGAIN_FACTOR * k, candidates, partial, weights[essential:], k, lookups)
                threshold = max(threshold, larger)
            if rest >= threshold:
                continue  # a passage with only the commoner terms could still make the top k
            return self._best(*self._probe_pruning(weights[essential:], bounds[essential:], candidates, partial, threshold, k, lookups), k)
        return self._best(*self._accumulate(weights, dead, lookups), k)

    def _sampled_threshold(self, size: int, candidates: np.ndarray, partial: np.ndarray, rest: list[tuple[int, float]],
                           k: int, lookups: _Lookups) -> float:  # fmt: skip
        """Return the k-th best full score of the `size` candidates with the best partial scores, the rest probed."""
        sample = postings.largest(partial, size)
        full = partial[sample] + self._probe(rest, candidates[sample], lookups)
        return float(np.partition(full, len(full) - k)[len(full) - k])

    def _probe_pruning(self, weights: list[tuple[int, float]], bounds: list[float], candidates: np.ndarray,
                       partial: np.ndarray, threshold: float, k: int, lookups: _Lookups) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Return the candidates that can still make the top k, with their full scores, probing one term at a time.

        threshold is at most the true k-th best score. Before each term, a
        candidate whose score so far plus what the terms left could add falls
        short of it is dropped; after each, the k-th best score so far (a lower
        bound of the true one) may raise it. The highest bounds go first, so a
        word in most passages (a floored idf, a tiny bound) is probed last, for
        the few candidates left, instead of having all its postings scored.
        """
        order = sorted(range(len(weights)), key=lambda i: -bounds[i])
        for at, i in enumerate(order):
            # Only passages whose terms so far leave them within reach of the threshold can make it.
            candidates, partial = postings.within(candidates, partial, threshold - sum(bounds[j] for j in order[at:]))
            self._probe([weights[i]], candidates, lookups, partial)  # in place: `within` copied them
            if at + 1 < len(order):  # the last term's threshold would prune nothing more
                # The k-th best is at or above the threshold, or the threshold stays: only those count.
                above = partial[partial >= threshold]
                if len(above) >= k:
                    threshold = max(threshold, np.partition(above, len(above) - k)[len(above) - k])
        return candidates, partial

    def _bound(self, term_id: int, weight: float, lookups: _Lookups) -> float:
        """Return the most a term can add to any passage's score."""
        avgdl = self.stats.avgdl or 1.0
        peaks = [s.local_peak(local, avgdl) for s, local in zip(self.segments, lookups.locals(term_id)) if local is not None]
        return weight * max(peaks, default=0.0) * (1 + 1e-9)  # a hair over: rounding never underestimates

    def _accumulate(self, weights: list[tuple[int, float]], dead: np.ndarray, lookups: _Lookups) -> tuple[np.ndarray, np.ndarray]:
        """Return the sorted passages not dead holding any of the terms, and those terms' part of their scores.

        Terms whose idf is zero or negative (possible in a tiny corpus) still
        add their passages: they are candidates even when BM25 cannot tell
        them apart. Many postings in several segments are added in two runs of
        segments at once (see `split_runs`).
        """
        sizes = [sum(lookups.count(number, term_id) for term_id, _ in weights) for number in range(len(self.segments))]
        # No more passages than postings: each run writes from where the postings of the runs before it end.
        candidates, scores = np.empty(sum(sizes), np.int64), np.empty(sum(sizes), np.float64)
        runs = split_runs(sizes, PARALLEL_POSTINGS)
        starts = {run.start: sum(sizes[: run.start]) for run in runs}
        ends = in_runs(runs, lambda run: self._accumulate_run(weights, run, lookups, candidates, scores, starts[run.start]))
        at = ends[0]
        for run, end in zip(runs[1:], ends[1:]):  # close the gaps: one copy of a later run's part, not of all
            start = starts[run.start]
            candidates[at : at + end - start] = candidates[start:end]
            scores[at : at + end - start] = scores[start:end]
            at += end - start
        candidates, scores = candidates[:at], scores[:at]
        if len(self.deleted) or dead is not self._dead:
            keep = ~dead[candidates]
            candidates, scores = candidates[keep], scores[keep]
        return candidates, scores

    def _accumulate_run(self, weights: list[tuple[int, float]], numbers: range, lookups: _Lookups,
                        candidates: np.ndarray, scores: np.ndarray, at: int) -> int:  # fmt: skip
        """Write `_accumulate`'s sorted passages and sums for the segments numbered to candidates and scores
        from position at, the dead still in; return the position after them."""
        for number in numbers:
            segment = self.segments[number]
            terms = [(lookups.postings(number, term_id), weight) for term_id, weight in weights]
            terms = [(docs_tfs, weight) for docs_tfs, weight in terms if docs_tfs is not None]
            if not terms:
                continue
            docs = np.concatenate([docs for (docs, _), _ in terms])
            tfs = np.concatenate([tfs for (_, tfs), _ in terms])
            starts = np.cumsum([0] + [len(docs) for (docs, _), _ in terms])
            at = postings.merge(docs, tfs, starts, np.array([weight for _, weight in terms]), self._lengths[number], self._constants,
                                self.bases[number], candidates, scores, at)  # fmt: skip
            if at < 0:
                raise IndexFormatError(f"the index segment {segment.directory} is damaged: its postings name passages it lacks")
        return at

    def _probe(self, weights: list[tuple[int, float]], candidates: np.ndarray, lookups: _Lookups,
               scores: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
        """Return what the terms add to the scores of sorted candidate passages, sought in their postings:
        added to `scores` when given (each passage's parts in the terms' order), else to zeros.

        Many candidates in several segments are sought in two runs of segments at once (see `split_runs`).
        """
        scores = np.zeros(len(candidates), np.float64) if scores is None else scores
        # Where each segment's candidates start (one segment, up to 2M passages: no search).
        bounds = [0, len(candidates)] if len(self.segments) == 1 else np.searchsorted(candidates, self.bases).tolist()

        def run(numbers: range) -> None:
            for number in numbers:
                lo, hi = bounds[number], bounds[number + 1]
                if lo == hi:
                    continue
                local = candidates[lo:hi] - self.bases[number] if number else candidates[lo:hi]  # the first's base is 0
                for term_id, weight in weights:
                    if lookups.count(number, term_id):
                        self._probe_term(number, term_id, weight, local, scores[lo:hi], lookups)

        in_runs(split_runs([hi - lo for lo, hi in zip(bounds, bounds[1:])], PARALLEL_CANDIDATES), run)
        return scores

    def _probe_term(self, number: int, term_id: int, weight: float, passages: np.ndarray, scores: np.ndarray,
                    lookups: _Lookups) -> None:  # fmt: skip
        """Add a term's part to scores[i] for each sorted passage i of `passages` (local to segment `number`) it holds.

        Postings this search read already are walked; otherwise the compiled
        probe reads the blocks the passages fall in itself (see
        `posting_reads`), and only when a read fails are they read again from
        Python, which raises the error that says why.
        """
        lengths, segment = self._lengths[number], self.segments[number]
        found = lookups.read(number, term_id)
        if found is None:
            local = lookups.locals(term_id)[number]
            start, end = segment.posting_span(local)
            if postings.probe_near(segment.posting_files, start, end, _NEAR_RULE, weight, lengths, self._constants, passages, scores):
                return
            found = segment.local_postings_near(local, passages)
        postings.probe(*found, weight, lengths, self._constants, passages, scores)

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
        at = bisect.bisect_right(self.bases, passage) - 1  # a list: NumPy would make it an array each call (5 µs)
        return self.segments[at], passage - self.bases[at]
