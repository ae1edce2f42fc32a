"""Gather the sentences that may answer a question: retrieve passages, weigh each sentence's share of the question.

BM25 finds the passages (the question's own words; a variant only in place
of a word the index lacks, or in a deeper search); each of their sentences is
weighed by how much of the question it and its context hold (`candidates.Coverage`), a
highlight gives way to the body sentence it repeats, and what cannot be
quoted (a question itself, too little of the question, another period)
is left out. `answer.py` scores and picks among what is gathered.
"""

from __future__ import annotations

import re

import numpy as np

from newsbot.index.analysis import Analyser, fold
from newsbot.index.candidates import Candidate, Coverage, containment, document_frequency
from newsbot.index.periods import sentence_in_period
from newsbot.index.question import Question
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.state import IndexState
from newsbot.index.weights import (
    CANDIDATE_PASSAGES,
    CLOSEST_COVERAGE,
    CLOSEST_UNKNOWN,
    CONFIDENT_COVERAGE,
    DUPLICATE_CONTAINMENT,
    FOLLOW_ON_SHARE,
    MORE_PASSAGES,
    TENTATIVE_COVERAGE,
    UNKNOWN_REFUSAL,
)

# A sentence opening with a word that points back ("He said...", "The ship...") goes on about the one before.
_REFERS_BACK_RE = re.compile(r"[\s\"'“‘]*(?:he|she|it|they|its|his|her|their|this|these|the)\b", re.I)
# A sentence that is itself a question ends in "?", perhaps inside closing quotes or brackets.
_ECHO_RE = re.compile(r"\?[\s\"'”’)\]]*$")


def _body_twin(candidate: Candidate, analyser: Analyser, coverage: Coverage) -> Candidate | None:
    """Return the body sentence a highlight repeats, if the article has one."""
    segment = candidate.segment
    record = article_of(segment, candidate.sentence)
    first = segment.passage_sentences(record.first_passage).start
    last = segment.passage_sentences(record.first_passage + record.passages - 1).stop
    best: tuple[float, int, str, list[str]] | None = None
    for number in range(first, last):
        if segment.is_highlight(number):
            continue
        text = segment.sentence(number)
        terms = analyser.tokens(text)
        overlap = containment(candidate.terms, terms)
        if overlap >= DUPLICATE_CONTAINMENT and (best is None or overlap > best[0]):
            best = (overlap, number, text, terms)
    if best is None:
        return None
    twin = Candidate(segment, best[1], best[2], best[3], candidate.passage_score)
    twin.coverage = coverage(twin.terms)
    return twin if twin.coverage >= min(CONFIDENT_COVERAGE, candidate.coverage) else None


def _drop_broken_phrases(terms: list[str] | set[str], phrases, text: str, analyser: Analyser) -> None:
    """Take out of terms the words of a multi-word name ("United States") that the text does not hold together."""
    folded = None
    for phrase, words in phrases:
        if not any(w in terms for w in words):
            continue
        folded = folded if folded is not None else " ".join(analyser.words(text))
        if not _holds_phrase(folded, phrase):
            for word in words:
                while word in terms:
                    terms.remove(word)


def _holds_phrase(folded: str, phrase: str) -> bool:
    """Return True when folded text holds a name's words together, as whole words ("claire donovan's", not
    "anew yorkshire" for "new york")."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded) is not None


def _collect(state: IndexState, analyser: Analyser, hits: list[tuple[int, float]], coverage: Coverage) -> list[Candidate]:
    """Return the sentences of the retrieved passages, each with how much of the question it and its context hold.

    Each sentence's context is what its article's retrieved passages and its
    title hold: "The project will cost €1.2 billion" answers a question about
    the bridge when the sentences around it name the bridge. A sentence with
    none of the question's own words that points back ("He said the ship is
    lodged...", "The project will cost..." for "price") follows the one
    before it (see FOLLOW_ON_SHARE), unless its variants hold more.
    """
    candidates: dict[tuple[str, int], Candidate] = {}
    contexts: dict[tuple[str, int], set[str]] = {}  # per article: its title and retrieved passages
    owners: dict[tuple[str, int], tuple[str, int]] = {}  # sentence → article
    titles: dict[tuple[str, int], set[str]] = {}
    title_texts: dict[tuple[str, int], str] = {}
    for rank, (passage, _) in enumerate(hits):
        segment, local = state.scorer.locate(passage)
        standing = 1 - rank / len(hits)  # BM25 order only: raw scores may be floored or negative
        numbers = segment.passage_sentences(local)
        members = [(segment.name, number) for number in numbers]
        if any(key not in candidates for key in members):  # the passage is read at once, not sentence by sentence
            for key, text in zip(members, segment.sentences(numbers)):
                if key not in candidates:
                    # Most sentences hold no question word at all: a substring test spares tokenising them.
                    folded = fold(text)
                    terms = analyser.tokens(text) if any(p in folded for p in coverage.probes) else []
                    candidates[key] = Candidate(segment, key[1], text, terms, standing)
        article = (segment.name, segment.sentence_article(members[0][1]))
        if article not in contexts:
            title_texts[article] = segment.articles[article[1]].title
            titles[article] = set(analyser.tokens(title_texts[article]))
            contexts[article] = set(titles[article])
        contexts[article].update(*(candidates[key].terms for key in members))
        for key in members:
            owners[key] = article
    if coverage.phrases:
        texts: dict[tuple[str, int], list[str]] = {}
        for key, candidate in candidates.items():
            texts.setdefault(owners[key], []).append(candidate.text)
        broken: dict[tuple[str, int], list] = {}  # per article: the names' words its sentences may not hold alone
        for article, terms in contexts.items():
            whole = " ".join(analyser.words(" ".join([title_texts[article], *texts[article]])))
            held = [_holds_phrase(whole, phrase) for phrase, _ in coverage.phrases]
            _drop_broken_phrases(terms, [p for p, full in zip(coverage.phrases, held) if not full], whole, analyser)
            # A name the article gives in full may stand alone after by its last word, as a surname does:
            # "Maria Lopez ... Ms. Lopez said" (not "Portmore City ... for Portmore": another side of the match).
            broken[article] = [
                (phrase, words[:-1] if full else words) for (phrase, words), full in zip(coverage.phrases, held)
            ]
        for key, candidate in candidates.items():
            _drop_broken_phrases(candidate.terms, broken[owners[key]], candidate.text, analyser)
    article_context = {article: coverage(terms) for article, terms in contexts.items()}
    for key, candidate in candidates.items():
        if coverage.wanted.isdisjoint(candidate.terms):
            continue  # a sentence with no word of the question answers nothing
        article = owners[key]
        # What the article is about (its title, and the names the question gives that
        # it holds) need not be repeated in the sentence that answers.
        topic = titles[article] | (coverage.named & contexts[article])
        candidate.coverage, candidate.holds = coverage.in_part_and_in_full(candidate.terms, topic)
        candidate.context = article_context[article]
    borrowed: set[tuple[str, int]] = set()  # sentences whose coverage is their predecessor's: none lends it on
    for (name, number), candidate in candidates.items():
        before = candidates.get((name, number - 1))
        if (
            coverage.own.isdisjoint(candidate.terms) and before is not None
            and FOLLOW_ON_SHARE * before.coverage > candidate.coverage
            and owners[name, number] == owners[name, number - 1] and (name, number - 1) not in borrowed
            and _REFERS_BACK_RE.match(candidate.text)
        ):  # fmt: skip
            # One holding no word of the question at all follows it; one holding a variant ("She resigned"
            # for "quit") stands as an answer of its own, with what the sentence before says of the subject.
            candidate.follows = not candidate.coverage
            borrowed.add((name, number))
            candidate.coverage = FOLLOW_ON_SHARE * before.coverage
            candidate.holds = FOLLOW_ON_SHARE * before.holds
            candidate.context = before.context
    return list(candidates.values())


def _prefer_body(candidates: list[Candidate], analyser: Analyser, coverage: Coverage) -> list[Candidate]:
    """Return the candidates with each highlight replaced by the body sentence it repeats, when there is one.

    The body sentence stands in its place in the article, with its context.
    """
    kept = {(c.segment.name, c.sentence): c for c in candidates}
    for key, candidate in list(kept.items()):
        if candidate.coverage and candidate.segment.is_highlight(candidate.sentence):
            twin = _body_twin(candidate, analyser, coverage)
            if twin is not None:
                twin.context = candidate.context
                twin.holds = max(twin.coverage, candidate.holds)  # it says what the highlight said
                del kept[key]
                kept.setdefault((candidate.segment.name, twin.sentence), twin)
    return list(kept.values())


def _quotable(candidates: list[Candidate], floor: float = TENTATIVE_COVERAGE) -> list[Candidate]:
    """Return the candidates strong enough to show at all (floor: least strength), and not questions themselves."""
    # A sentence that is itself a question (a digest's quiz, a quoted question) never answers one.
    return [
        c for c in candidates
        if c.coverage > 0 and c.strength >= floor and not _ECHO_RE.search(c.text)
    ]  # fmt: skip


def article_of(segment: Segment, sentence: int) -> ArticleRecord:
    """Return the record of the article a sentence of a segment belongs to."""
    return segment.articles[segment.sentence_article(sentence)]


def attach_record(candidate: Candidate) -> None:
    """Set the candidate's article record, once."""
    if candidate.record is None:
        segment = candidate.segment
        candidate.record = article_of(segment, candidate.sentence)


def retrieve(
    state: IndexState, question: Question, allowed: np.ndarray | None, depth: int = CANDIDATE_PASSAGES,
    variants: bool = False,
) -> list[tuple[int, float]]:
    """Return the best passages for a question (see `_retrieval_terms`), with the time words it names."""
    query = _retrieval_terms(state, question, variants)
    if question.period is not None and not question.period_chosen:  # "in early 2012" is found where it is written
        query += [state.vocabulary.get(t) for t in question.time_words]
    return state.scorer.top(query, depth, allowed)


def gather(
    state: IndexState, analyser: Analyser, question: Question, coverage: Coverage, allowed: np.ndarray | None,
    first: list[tuple[int, float]],
) -> tuple[list[Candidate], list[Candidate]]:
    """Return the sentences worth quoting from the best passages (`first`, from `retrieve`), looking deeper when
    they hold no confident one, and the weaker ones a tentative answer may show after them.

    The weaker ones (see CLOSEST_COVERAGE) are kept only when the corpus uses every name of the question and
    nearly every word (CLOSEST_UNKNOWN): too weak to be confident, they are shown as tentative. Within a period,
    the words must be those of articles of the period or after it, and the sentences the period's ("In December,
    ... bombardment by Pakistani military aircraft in Afghanistan's eastern Paktika province" for "where did the
    Pakistani air strikes in December hit?").
    """
    candidates: list[Candidate] = []
    # Deeper, the variants search too: "who won this week?" finds "Ashford United beat Portmore City 3-0" (this week
    # no passage says "won"). Measured (at hit@1 178, hit@3 195; SQuAD dev 7,260 / 8,656 / 122 refused): the labelled
    # sets do not move alone (with "which team", question.py: stories-096 first, was refused); SQuAD 7,261 / 8,652 /
    # 120 refused. The first search's passages follow the deeper one's (`_with`): its variants may rank them lower.
    variants = any(t.term != t.stands_for for t in question.terms)
    for depth in (CANDIDATE_PASSAGES, MORE_PASSAGES):
        if depth == CANDIDATE_PASSAGES:
            hits = first
        else:
            hits = _with(retrieve(state, question, allowed, depth, variants=True), first)
        collected = _prefer_body(_collect(state, analyser, hits, coverage), analyser, coverage)
        candidates = _in_period(_quotable(collected), question)
        if any(c.coverage >= CONFIDENT_COVERAGE for c in candidates) or (len(hits) < depth and not variants):
            break
    weaker: list[Candidate] = []
    # Within a period, what the corpus says before it does not count: since June, "the ceasefire held" says nothing
    # of who hosted the negotiations in March.
    held = {term for c in _said_since(collected, question) for term in c.terms} if question.period else None
    unknown = coverage.unknown if held is None else coverage.unknown_among(held)
    if unknown < CLOSEST_UNKNOWN and _hold_every_name(collected, coverage):
        closest = _in_period(_quotable(collected, CLOSEST_COVERAGE), question)
        weaker = [c for c in closest if c.strength < TENTATIVE_COVERAGE]
    return candidates, weaker


def _said_since(candidates: list[Candidate], question: Question) -> list[Candidate]:
    """Return the candidates whose articles appeared in the question's period or after it (reporting on it), or
    undated."""
    since = question.period.since
    for candidate in candidates:
        attach_record(candidate)
    return [c for c in candidates if since is None or c.record.published is None or c.record.published >= since]


def _with(deeper: list[tuple[int, float]], first: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Return the deeper search's passages, then those of the first it lost (its variants rank others higher)."""
    seen = {passage for passage, _ in deeper}
    return deeper + [hit for hit in first if hit[0] not in seen]


def in_titles(state: IndexState, analyser: Analyser, first: list[tuple[int, float]], coverage: Coverage) -> bool:
    """Return True when, counting the words the titles of the best passages' articles hold (`first`, from
    `retrieve`), the corpus speaks of the question after all.

    A headline may name what its body calls otherwise: "Harbour Bridge
    deadline pushed back" over "the crossing will open in 2029". Passages
    index no title, so "when will the Harbour Bridge open?" looked off-topic.
    """
    titles: set[str] = set()
    for passage, _ in first:
        segment, local = state.scorer.locate(passage)
        titles.update(analyser.tokens(article_of(segment, segment.passage_sentences(local).start).title))
    coverage.learn_titles(titles)
    return coverage.unknown < UNKNOWN_REFUSAL


def _hold_every_name(candidates: list[Candidate], coverage: Coverage) -> bool:
    """Return True when each name of several words the question gives stands together in some candidate sentence.

    A corpus using "United" and "states" apart does not speak of "the United States" (see `_drop_broken_phrases`).
    """
    return all(any(set(words) <= set(c.terms) for c in candidates) for _, words in coverage.phrases)


def _retrieval_terms(state: IndexState, question: Question, variants: bool = False) -> list[int | None]:
    """Return the term ids BM25 retrieves with: the question's own words, variants only in place of unknown ones
    (every variant, with `variants`).

    Variants weigh in the sentence scoring; in retrieval they would count at
    full BM25 weight and keep MaxScore from pruning the common words, so the
    first search goes without them.
    """
    own = {t.term for t in question.terms if t.stands_for == t.term and document_frequency(state, t.term) > 0}
    wanted = [t.term for t in question.terms if variants or t.term in own or t.stands_for not in own]
    return [state.vocabulary.get(term) for term in wanted]


def _in_period(candidates: list[Candidate], question: Question) -> list[Candidate]:
    """Return the candidates, their articles attached, that a period named by the question's words allows.

    See `allowed_passages`: a period the asker chose was applied in retrieval.
    """
    for candidate in candidates:
        attach_record(candidate)
    if question.period is None or question.period_chosen:
        return candidates
    return [c for c in candidates if sentence_in_period(c.text, c.record.published, question.period)]
