"""A sentence weighed as an answer, and how much of a question a set of words holds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from newsbot.index.analysis import Analyser
from newsbot.index.models import EventDate
from newsbot.index.question import Question
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.state import IndexState
from newsbot.index.weights import CONTEXT_SHARE, ORDINARY_ZIPF, SPECIFIC_ZIPF, TOPIC_SHARE


@dataclass
class Candidate:
    """A sentence weighed as an answer; each phase of `answer` fills in its part.

    Mutable on purpose: it never leaves answering (gathering.py, answer.py), and the few dozen
    sentences of one question are filled in place phase by phase.
    """

    segment: Segment
    sentence: int
    text: str
    terms: list[str]
    passage_score: float  # 1 for the best passage, falling with BM25 rank
    coverage: float = 0.0  # share of the question's weight the sentence holds
    context: float = 0.0  # the same, for the sentence with its passage and article title
    holds: float = 0.0  # the same, for the sentence with what its article is about (title, names) counting in full
    score: float = 0.0
    fit: float = 0.0  # holds what the question kind asks for (a date, a name...), 0 to 1
    adds: bool = False  # holds a name, number, date or place the question does not
    kind_checked: bool = False  # the question's kind asked for something particular, and fit says if it is there
    follows: bool = False  # holds no question word, but goes on from the sentence before, which does
    record: ArticleRecord | None = None
    when: EventDate | None = None  # the date of the event the sentence tells, once `when_read`
    when_read: bool = False

    @property
    def strength(self) -> float:
        """Return how much of the question the sentence answers, its context counting in part."""
        return (1 - CONTEXT_SHARE) * self.coverage + CONTEXT_SHARE * self.context


class Coverage:
    """How much of a question's weighted content a sentence holds.

    Each question term weighs its positive idf (never floored; a term the
    corpus never saw weighs most, unless it is an ordinary English word: a
    small corpus never says "start" or "anyone", and a question using them is
    no less about it); a variant or corrected term counts with its share of
    the weight of the term it stands for.
    """

    def __init__(self, state: IndexState, question: Question, analyser: Analyser) -> None:
        stats = state.scorer.stats
        n = stats.documents
        self.idf: dict[str, float] = {}
        known = {t.stands_for for t in question.terms if document_frequency(state, t.term) > 0}
        for term in {t.stands_for for t in question.terms}:
            df = document_frequency(state, term)
            self.idf[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for term in question.terms:
            # "start", "anyone": phrasing, not topic, even where the corpus says it otherwise ("began"); a rarer
            # word it says otherwise ("killed": "died") is what the question is about.
            if term.english and (term.stands_for not in known or term.english >= ORDINARY_ZIPF):
                self.idf[term.term] *= specificity(term.english)
        for term in question.terms:
            if term.category:  # "which team won?": a name answers it, the word itself is seldom there
                self.idf[term.stands_for] = 0.0
        self.total = sum(self.idf.values()) or 1.0
        self.terms = question.terms
        self.known = known
        self.unknown = self._missing(known)  # the share of the question no passage holds, in the word or a variant
        self.wanted = {t.term for t in question.terms}
        self.own = frozenset(t.term for t in question.terms if t.term == t.stands_for)  # the question's words, no variant
        self.named = set(question.named)
        self.phrases = question.phrases
        self.probes = tuple({probe for t in question.terms for probe in analyser.probes(t.term)})

    def learn_titles(self, title_terms: set[str]) -> None:
        """Count as known the question's words that only article titles hold (passages index no title)."""
        self.known = self.known | {t.stands_for for t in self.terms if t.term in title_terms}
        self.unknown = self._missing(self.known)

    def unknown_among(self, terms: set[str]) -> float:
        """Return the share of the question's weight that none of the terms holds, in the word or a variant."""
        return self._missing({t.stands_for for t in self.terms if t.term in terms})

    def _missing(self, held: set[str]) -> float:
        """Return the share of the question's weight in the terms it stands for that are not held."""
        return sum(weight for term, weight in self.idf.items() if term not in held) / self.total

    def __call__(self, terms: list[str] | set[str]) -> float:
        """Return the share of the question's weight in the terms."""
        return self._share(self.wanted.intersection(terms), frozenset(), TOPIC_SHARE)

    def in_part_and_in_full(self, sentence_terms: list[str], topic: set[str]) -> tuple[float, float]:
        """Return the share of the question's weight in a sentence's terms, its topic's terms (what its article
        is about) counting when the sentence lacks them: in part (TOPIC_SHARE), and in full (`Candidate.holds`)."""
        present = self.wanted.intersection(sentence_terms)
        around = self.wanted.intersection(topic) - present
        in_part = self._share(present, around, TOPIC_SHARE)
        return in_part, (self._share(present, around, 1.0) if around else in_part)

    def _share(self, present: set[str], around: set[str] | frozenset[str], topic_share: float) -> float:
        """Return the share of the question's weight in the present terms, those only around them (the
        topic's) counting with topic_share of theirs."""
        best: dict[str, float] = {}
        for term in self.terms:
            if term.term in present:
                share = term.weight
            elif term.term in around:
                share = term.weight * topic_share
            else:
                continue
            best[term.stands_for] = max(best.get(term.stands_for, 0.0), share)
        return sum(self.idf[t] * share for t, share in best.items()) / self.total


def specificity(zipf: float) -> float:
    """Return the share of its weight a word the index does not know keeps: 1 when rare in English, 0 when ordinary."""
    return min(1.0, max(0.0, (ORDINARY_ZIPF - zipf) / (ORDINARY_ZIPF - SPECIFIC_ZIPF)))


def document_frequency(state: IndexState, term: str) -> int:
    """Return how many live passages hold a term; 0 for a term the index does not know."""
    term_id = state.vocabulary.get(term)
    df = state.scorer.stats.df
    return int(df[term_id]) if term_id is not None and term_id < len(df) else 0


def proximity(terms: list[str], wanted: set[str] | frozenset[str]) -> float:
    """Return matched terms over the shortest span that holds each of them once: 1 when adjacent.

    The shortest span, not first to last: "Prime Minister ... appointed Farah
    Haddad as health minister" holds "health minister" together, however far
    back another "minister" stands.
    """
    positions = [i for i, t in enumerate(terms) if t in wanted]
    matched = len({terms[i] for i in positions})
    if matched <= 1:
        return 1.0 if matched else 0.0
    counts: dict[str, int] = {}
    held = 0
    shortest = len(terms)
    start = 0
    for end in positions:  # a sliding window over the matched positions
        counts[terms[end]] = counts.get(terms[end], 0) + 1
        held += counts[terms[end]] == 1
        while held == matched:
            first = positions[start]
            shortest = min(shortest, end - first + 1)
            counts[terms[first]] -= 1
            held -= counts[terms[first]] == 0
            start += 1
    return matched / shortest


def containment(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))
