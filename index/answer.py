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

import functools
from datetime import timedelta

from newsbot.index.analysis import Analyser
from newsbot.index.event_dates import event_date
from newsbot.index.evidence import PAST_FOR_TO_COME_FIT, kind_fit
from newsbot.index.mentions import adds_something, deed_to_come, looks_ahead, opens_on_another
from newsbot.index.models import Answer, ArticleRef, EventDate, QuestionKind, Quote
from newsbot.index.gathering import attach_record, gather, in_titles, retrieve
from newsbot.index.periods import allowed_passages, period_news, undated_left_out
from newsbot.index.question import Question, earlier_year
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.state import IndexState
from newsbot.index.candidates import Candidate, Coverage, containment, proximity
from newsbot.index.weights import (
    MORE_PASSAGES,
    MAX_YEARS_BACK,
    CONFIDENT_COVERAGE,
    CONFIDENT_SENTENCE,
    CONFIDENT_CONTEXT,
    UNKNOWN_REFUSAL,
    KIND_CONFIDENT,
    KIND_FLOOR,
    PROXIMITY_SHARE,
    PASSAGE_BONUS,
    RELATIVE_FLOOR,
    FITTING_FLOOR,
    DUPLICATE_CONTAINMENT,
    DUPLICATE_ACROSS,
    UNDATED_IN_PERIOD,
)

def _score(candidates: list[Candidate], question: Question, question_words: set[str], own: frozenset[str]) -> None:
    """Score each candidate: its strength, kept as far as it holds what the question asks for.

    Nearness counts the question's own words (`own`): a variant beside the word it
    varies ("Pakistani" by "Pakistan") is not a second word of the question.
    """
    asked = frozenset(t.term for t in question.terms)
    undated_weighed = _weighs_undated(question)
    for candidate in candidates:
        attach_record(candidate)
        if question.kind is QuestionKind.WHEN or undated_weighed:
            _read_when(candidate)
        candidate.fit = kind_fit(
            question.kind, candidate.text, candidate.when is not None, question_words, question.thing, asked
        )
        if question.asks_ahead and _dates_the_past(candidate):
            candidate.fit = min(candidate.fit, PAST_FOR_TO_COME_FIT)  # "when will it open?": not "approved on Tuesday"
        # A thing's name ("the drug, tranemaxic acid,") is what "what drug...?" asks for, new words or not.
        named_thing = question.thing is not None and candidate.fit == 1.0
        candidate.kind_checked = question.kind is not QuestionKind.OTHER or named_thing
        kind = KIND_FLOOR + (1 - KIND_FLOOR) * candidate.fit
        nearness = 1 - PROXIMITY_SHARE + PROXIMITY_SHARE * proximity(candidate.terms, own)
        # "since May": "voted on Tuesday" before "At the same meeting, the council also decided..."
        dated = UNDATED_IN_PERIOD if undated_weighed and candidate.when is None else 1.0
        candidate.score = candidate.strength * kind * nearness * dated + PASSAGE_BONUS * candidate.passage_score


def _weighs_undated(question: Question) -> bool:
    """Return True when the question's words name a period, so that a sentence dating nothing weighs less: only
    its article's date says it belongs there ("At the same meeting, the council also decided..." for "what did
    the council decide since May?", beside "...voted on Tuesday to build a new school").

    Not for a period the asker chose (it is by published date) nor for "when" (its answer is weighed by its date).
    """
    return question.period is not None and not question.period_chosen and question.kind is not QuestionKind.WHEN


def _read_when(candidate: Candidate) -> None:
    """Set the date of the event a candidate's sentence tells (None when it dates nothing), read once."""
    if not candidate.when_read:
        candidate.when = event_date(candidate.text, candidate.record.published)
        candidate.when_read = True


def _dates_the_past(candidate: Candidate) -> bool:
    """Return True when a sentence dates a deed already past on the day its article appeared."""
    published = candidate.record.published
    return candidate.when is not None and published is not None and candidate.when.last_day() < published


def _confident(candidate: Candidate) -> bool:
    """Return True when a quote clearly answers: enough of the question, what it asks for, and something new.

    Enough means most of the question's weight in the sentence itself (its
    title helping) and much of it in its context: a sentence about the
    stadium with nothing about owning it is near the question, not an
    answer to it, however much the article around it says of owners.
    """
    return (
        candidate.strength >= CONFIDENT_COVERAGE and candidate.holds >= CONFIDENT_SENTENCE
        and candidate.context >= CONFIDENT_CONTEXT
        and candidate.fit >= KIND_CONFIDENT and (candidate.adds or candidate.kind_checked)
    )  # fmt: skip


def _still_to_come(candidate: Candidate, question: Question) -> bool:
    """Return True when a question asks about a deed done and the quote only says it is still to come.

    "which engine maker did Qantas pick?" is not answered by "Qantas is
    talking to three engine makers and will announce a decision later this
    year": the sentence looks ahead and lacks a word of the question (the
    deed). One that holds every word ("Solberg recommended that the pier be
    rebuilt, which will add €45 million") did the deed and says what follows.
    """
    if not question.asks_done:
        return False
    if deed_to_come(candidate.text, question.text):
        return True
    if not looks_ahead(candidate.text):
        return False
    held = {t.stands_for for t in question.terms if t.term in candidate.terms}
    return not held >= {t.stands_for for t in question.terms}


def _names_another(candidate: Candidate, question: Question, analyser: Analyser) -> bool:
    """Return True when a quote to a yes/no question lacks a name the question gives (in any of its forms, its
    title's too) and opens on someone else.

    The article around it may name the question's subject, but "The
    contractor's director, J. R. Pilling, was acquitted." is about Pilling:
    no yes to "was Okafor acquitted?".
    """
    if not question.yes_no:
        return False
    held = set(candidate.terms) | set(analyser.tokens(candidate.record.title))
    missing = {t.stands_for for t in question.terms if t.stands_for in question.named} - {
        t.stands_for for t in question.terms if t.term in held
    }
    return bool(missing) and opens_on_another(candidate.text, set(analyser.words(question.text)))


def _pick(
    scored: list[Candidate], question: Question, top_k: int, floor: float, after: list[Candidate] | None = None
) -> list[Candidate]:
    """Return up to top_k quotes scoring at least floor × the best, near-duplicates dropped, after those given.

    One that holds in full what the question kind asks for (a date for "when", a named place for "where";
    any, for a question asking for nothing in particular) may score less, down to FITTING_FLOOR × the best,
    and follows the others.

    For "latest", the newest first of those that answer (see `_newest_first`);
    a newer sentence that only names its place or people ("the Bank of New
    Zealand") follows them.
    """
    picked: list[Candidate] = list(after or ())
    if not scored:
        return picked
    best = scored[0].score
    eligible = [c for c in scored if c.score >= floor * best]
    fitting = [c for c in scored if c.fit == 1.0 and FITTING_FLOOR * best <= c.score < floor * best]
    if question.recency:
        eligible.sort(key=functools.partial(_newest_first, question))
    for candidate in [*eligible, *fitting]:  # the fitting ones after: for "latest", none goes before the best
        if len(picked) == top_k:
            break
        if any(_repeats(candidate, other) for other in picked):
            continue
        _read_when(candidate)  # the quote shows it
        picked.append(candidate)
    return picked


def _repeats(candidate: Candidate, other: Candidate) -> bool:
    """Return True when a sentence says what another already quoted says (see DUPLICATE_ACROSS)."""
    same_article = candidate.segment is other.segment and (
        candidate.segment.sentence_article(candidate.sentence) == other.segment.sentence_article(other.sentence)
    )
    limit = DUPLICATE_CONTAINMENT if same_article else DUPLICATE_ACROSS
    return containment(candidate.terms, other.terms) >= limit


def _newest_first(question: Question, candidate: Candidate) -> tuple[bool, int, bool, int]:
    """Return a candidate's place in a "latest" answer: answers first, then newest article, then newest event.

    An answer holds most of the question (CONFIDENT_SENTENCE) and what its
    kind asks for (KIND_CONFIDENT): "how much does it cost now?" wants the
    newest price, not the newest line naming the project.

    In the newest article, a sentence dating its event is news ("was
    completed on Monday", "said on Wednesday") and leads one dating nothing,
    often background ("has 21,000 employees"); of the dated, the newest event
    leads ("agreed to meet on Thursday" before "the first talks since the
    strike on March 2"), a vague one counting from its first day ("expired
    early March").
    """
    published = candidate.record.published.toordinal() if candidate.record.published else 0
    if candidate.holds < CONFIDENT_SENTENCE or candidate.fit < KIND_CONFIDENT:
        return (True, -published, True, 0)
    _read_when(candidate)
    event = candidate.when.first_day().toordinal() if candidate.when is not None else 0
    return (False, -published, candidate.when is None, -event)


def _quote(candidate: Candidate) -> Quote:
    """Return a candidate as the quote shown: its sentence, its article, the date of its event, its score."""
    return _quote_of(candidate.text, candidate.record, candidate.when, candidate.score)


def _quote_of(text: str, record: ArticleRecord, when: EventDate | None, score: float) -> Quote:
    """Return the quote of a sentence of an article."""
    return Quote(text, ArticleRef(record.title, record.published, record.source, record.url), when, round(score, 6))


def answer(state: IndexState, analyser: Analyser, question: Question, top_k: int) -> Answer:
    """Return up to top_k quotes answering a question: confident, tentative (the closest found), or none.

    A month or day named without a year ("in December") is first read as the
    latest on or before the day of asking; when that year holds no clear
    answer, earlier years are tried, back to the year before the oldest
    article (its own "in December" may be the December before it), and the
    first with a clear answer wins (its period is the one the answer
    reports). Failing that, the first year with any quotes. Not for a
    forecast ("when is it expected to open in June?": the newest is wanted),
    a period still to come ("what will happen in September?" asked in
    January: last September's news is no answer), nor a question about words
    the corpus never uses, in any year.
    """
    # What a sentence holds of the question does not depend on its period: weighed once, for every year tried.
    coverage = Coverage(state, question, analyser) if question.terms else None
    reply = _answer(state, analyser, question, top_k, coverage)
    if not question.year_open or question.recency or (reply.quotes and not reply.tentative):
        return reply
    if question.period is not None and question.period.is_to_come(question.as_of):
        return reply
    if coverage is not None and coverage.unknown >= UNKNOWN_REFUSAL:
        return reply
    oldest = state.oldest_published
    earlier = question
    for _ in range(MAX_YEARS_BACK if oldest is not None else 0):
        earlier = earlier_year(earlier)
        if earlier.period.until < oldest - timedelta(days=366):
            break
        found = _answer(state, analyser, earlier, top_k, coverage)
        if found.quotes and not found.tentative:
            return found
        if found.quotes and not reply.quotes:
            reply = found
    return reply


def _answer(state: IndexState, analyser: Analyser, question: Question, top_k: int, coverage: Coverage | None) -> Answer:
    """Return `answer`'s reply for the question's period as read; coverage is None for a question of time words alone."""
    period = question.period
    reply = functools.partial(
        Answer, question.text, question.kind,
        searched_for=question.searched_words if question.corrections else (),
        period=period, undated_left_out=undated_left_out(state, question),
    )  # fmt: skip
    allowed = allowed_passages(state, question)
    if coverage is None:
        news = period_news(state, question, allowed, top_k, MORE_PASSAGES)
        return reply(tuple(_quote_of(s.text, s.record, event_date(s.text, s.record.published), 1.0) for s in news))
    first = retrieve(state, question, allowed)
    if coverage.unknown >= UNKNOWN_REFUSAL and not in_titles(state, analyser, first, coverage):
        return reply()  # "the price of bitcoin" in a corpus that never says "bitcoin"
    candidates, weaker = gather(state, analyser, question, coverage, allowed, first)
    if not candidates:  # none strong enough: the closest, if any, are all there is
        candidates, weaker = weaker, []
    if not candidates:
        return reply()
    question_words = set(analyser.words(question.text))
    candidates = _ranked(candidates, question, question_words, coverage.own)
    if not candidates:
        return reply()
    best = candidates[0]
    best.adds = adds_something(best.text, question_words)
    confident = _confident(best) and not _still_to_come(best, question) and not _names_another(best, question, analyser)
    # A clear answer keeps only quotes near its best; "the closest I found" shows the closest few,
    # the weaker ones after the others.
    picked = _pick(candidates, question, top_k, RELATIVE_FLOOR if confident else 0.0)
    if not confident and len(picked) < top_k:
        picked = _pick(_ranked(weaker, question, question_words, coverage.own), question, top_k, 0.0, after=picked)
    return reply(tuple(map(_quote, picked)), tentative=not confident)


def _ranked(
    candidates: list[Candidate], question: Question, question_words: set[str], own: frozenset[str]
) -> list[Candidate]:
    """Return the candidates scored (see `_score`), best first, those that cannot answer left out."""
    _score(candidates, question, question_words, own)
    # A sentence going on from one that names the question's subject answers only with what the kind asks for,
    # and not when: a date it gives is its own event's ("A new market will open in the summer. The old bus
    # station will be demolished in September.").
    candidates = [
        c for c in candidates
        if not c.follows or (c.kind_checked and c.fit == 1.0 and question.kind is not QuestionKind.WHEN)
    ]  # fmt: skip
    # At an equal score the body says it in full, with its context: a highlight ("Spaniard José Álvarez will take
    # over...") follows the lead ("Limmat named José Álvarez as its chief executive...") for "who is José Álvarez?".
    return sorted(candidates, key=lambda c: (-c.score, c.segment.is_highlight(c.sentence), c.record.source, c.sentence))
