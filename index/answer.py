"""Pick the sentences that answer a question from the passages BM25 retrieved.

BM25 only finds the neighbourhood. rank-bm25 floors the idf of terms found
in more than half the passages, which in a small corpus makes raw scores
meaningless, so the decisions here rest on other evidence: how much of the
question's rare content a sentence covers (weighted by a positive idf that is
never floored), how close together the matched words are, and whether the
sentence holds the kind of thing the question asks for (a time, a number, a
name, a place).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.analysis import Analyser
from index.dates import event_date, has_time_expression
from index.models import Answer, ArticleRef, EventDate, QuestionKind, Quote
from index.segment import ArticleRecord, Segment
from index.store import IndexState

CANDIDATE_PASSAGES = 12  # passages whose sentences are considered: two or three dozen sentences
MIN_COVERAGE = 0.5  # share of the question's weighted content the best sentence must hold
RELATIVE_FLOOR = 0.6  # further quotes must score at least this share of the best
DUPLICATE_CONTAINMENT = 0.6  # shared terms / smaller sentence's terms above which two sentences say the same

# Stems of words that frame a question rather than say what it is about
# ("how many", "take place", "what did X say"): left out of search and coverage
# unless the question has nothing else.
QUESTION_FILLER = frozenset(
    "mani much take place happen occur say tell know mean get make go come thing would "
    "could may might must also like exact ever describ".split()
)

_KIND_RES = (
    (QuestionKind.WHEN, re.compile(r"^\s*(?:when|since when|until when|what (?:time|date|day|year|month)|which (?:day|date|year|month)|how long ago)\b", re.I)),
    (QuestionKind.HOW_MANY, re.compile(r"^\s*(?:how (?:many|much)|what (?:number|percentage|share|amount|proportion)|how large|how big)\b", re.I)),
    (QuestionKind.WHO, re.compile(r"^\s*(?:who|whom|whose|which (?:person|people|official|leader|country|countries|group|organi[sz]ation|minister|president))\b", re.I)),
    (QuestionKind.WHERE, re.compile(r"^\s*(?:where|which (?:city|town|place|region|province|district|area))\b", re.I)),
)  # fmt: skip
_NUMBER_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|hundreds|thousand|thousands|million|millions|billion|dozens?|half|percent)\b",
    re.I,
)
# A capitalised word that does not open the sentence: a name, an organisation or a place.
_NAME_RE = re.compile(r"(?<=[\s(“\"'‘])(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,}))*")
_PLACE_RE = re.compile(r"\b(?:in|at|near|from|to|into|across|along)\s+(?:the\s+)?[A-Z][a-z]+")
_CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December".split()
)


def question_kind(question: str) -> QuestionKind:
    """Return what kind of answer a question asks for, by its opening words."""
    for kind, pattern in _KIND_RES:
        if pattern.search(question):
            return kind
    return QuestionKind.OTHER


def _kind_fit(kind: QuestionKind, sentence: str, dated: bool) -> float:
    """Return how well a sentence holds what the question kind wants, 0 to 1."""
    if kind is QuestionKind.WHEN:
        return 1.0 if dated else (0.6 if has_time_expression(sentence) else 0.0)
    if kind is QuestionKind.HOW_MANY:
        return 1.0 if _NUMBER_RE.search(sentence) else 0.0
    if kind is QuestionKind.WHO:
        names = [n for n in _NAME_RE.findall(sentence) if n not in _CALENDAR_WORDS]
        return 1.0 if names else 0.0
    if kind is QuestionKind.WHERE:
        return 1.0 if _PLACE_RE.search(sentence) else 0.0
    return 0.0


@dataclass
class _Candidate:
    segment: Segment
    sentence: int
    text: str
    terms: list[str]
    passage_score: float  # 1 for the best passage, falling with BM25 rank
    coverage: float = 0.0
    score: float = 0.0
    record: ArticleRecord | None = None
    when: EventDate | None = None


def _weights(state: IndexState, terms: set[str]) -> dict[str, float]:
    """Return a positive idf per question term; a term the corpus never saw weighs most."""
    stats = state.scorer.stats
    n = stats.documents
    weights = {}
    for term in terms:
        term_id = state.vocabulary.get(term)
        df = int(stats.df[term_id]) if term_id is not None and term_id < len(stats.df) else 0
        weights[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return weights


def _proximity(terms: list[str], wanted: set[str]) -> float:
    """Return matched terms over the span they cover: 1 when adjacent."""
    positions = [i for i, t in enumerate(terms) if t in wanted]
    matched = len({terms[i] for i in positions})
    if matched <= 1:
        return 1.0 if matched else 0.0
    return matched / (positions[-1] - positions[0] + 1)


def _containment(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _body_twin(candidate: _Candidate, analyser: Analyser) -> tuple[int, str, list[str]] | None:
    """Return the body sentence a highlight repeats, if the article has one."""
    segment = candidate.segment
    owner = int(segment.arrays["sent_article"][candidate.sentence])
    record = segment.articles[owner]
    first = int(segment.arrays["pas_first"][record.first_passage])
    last = segment.passage_sentences(record.first_passage + record.passages - 1).stop
    best: tuple[float, int, str, list[str]] | None = None
    for number in range(first, last):
        if segment.is_highlight(number):
            continue
        text = segment.sentence(number)
        terms = analyser.tokens(text)
        overlap = _containment(candidate.terms, terms)
        if overlap >= DUPLICATE_CONTAINMENT and (best is None or overlap > best[0]):
            best = (overlap, number, text, terms)
    return best[1:] if best else None


def answer(state: IndexState, analyser: Analyser, question: str, terms: list[str], top_k: int) -> Answer:
    """Return up to top_k quotes answering question, or an answer with none."""
    kind = question_kind(question)
    terms = [t for t in terms if t not in QUESTION_FILLER] or terms
    hits = state.scorer.top([state.vocabulary.get(t) for t in terms], CANDIDATE_PASSAGES)
    if not hits:
        return Answer(question, kind)
    wanted = set(terms)
    weights = _weights(state, wanted)
    total_weight = sum(weights.values())

    def coverage(sentence_terms: list[str]) -> float:
        return sum(weights[t] for t in wanted.intersection(sentence_terms)) / total_weight

    candidates: dict[tuple[str, int], _Candidate] = {}
    for rank, (passage, _) in enumerate(hits):
        segment, local = state.scorer.locate(passage)
        standing = 1 - rank / len(hits)  # BM25 order only: raw scores may be floored or negative
        for number in segment.passage_sentences(local):
            key = (segment.name, number)
            if key not in candidates:
                text = segment.sentence(number)
                candidates[key] = _Candidate(segment, number, text, analyser.tokens(text), standing)
    for candidate in candidates.values():
        candidate.coverage = coverage(candidate.terms)
    for key, candidate in list(candidates.items()):
        if candidate.coverage and candidate.segment.is_highlight(candidate.sentence):
            twin = _body_twin(candidate, analyser)
            if twin is not None and coverage(twin[2]) >= min(MIN_COVERAGE, candidate.coverage):
                del candidates[key]
                number, text, twin_terms = twin
                replacement = _Candidate(candidate.segment, number, text, twin_terms, candidate.passage_score)
                replacement.coverage = coverage(twin_terms)
                candidates.setdefault((candidate.segment.name, number), replacement)

    # Only sentences holding enough of the question can be quoted; dates are
    # resolved for those alone, and for a "when" question, where they count.
    scored = [c for c in candidates.values() if c.coverage >= MIN_COVERAGE]
    if not scored:
        return Answer(question, kind)
    for candidate in scored:
        segment = candidate.segment
        candidate.record = segment.articles[int(segment.arrays["sent_article"][candidate.sentence])]
        if kind is QuestionKind.WHEN:
            candidate.when = event_date(candidate.text, candidate.record.published)
        fit = _kind_fit(kind, candidate.text, candidate.when is not None)
        candidate.score = (
            candidate.coverage * (0.6 + 0.25 * fit + 0.15 * _proximity(candidate.terms, wanted))
            + 0.1 * candidate.passage_score
        )
    scored.sort(key=lambda c: (-c.score, c.record.source, c.sentence))

    best = scored[0].score
    picked: list[_Candidate] = []
    for candidate in scored:
        if len(picked) == top_k or candidate.score < RELATIVE_FLOOR * best:
            break
        if any(_containment(candidate.terms, other.terms) >= DUPLICATE_CONTAINMENT for other in picked):
            continue
        if kind is not QuestionKind.WHEN:
            candidate.when = event_date(candidate.text, candidate.record.published)
        picked.append(candidate)
    if kind is QuestionKind.WHEN:
        picked.sort(key=lambda c: c.when is None)  # stable: dated quotes lead, by score
    quotes = tuple(
        Quote(c.text, ArticleRef(c.record.title, c.record.published, c.record.source, c.record.url), c.when, round(c.score, 6))
        for c in picked
    )
    return Answer(question, kind, quotes)
