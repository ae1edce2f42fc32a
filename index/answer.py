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
import re
from datetime import timedelta

import numpy as np

from newsbot.index.analysis import Analyser, fold
from newsbot.index.event_dates import event_date
from newsbot.index.evidence import adds_something, deed_to_come, kind_fit, looks_ahead, opens_on_another
from newsbot.index.models import Answer, ArticleRef, EventDate, QuestionKind, Quote
from newsbot.index.periods import allowed_passages, period_news, sentence_in_period, undated_left_out
from newsbot.index.question import Question, earlier_year
from newsbot.index.storage.segment import ArticleRecord
from newsbot.index.storage.store import IndexState
from newsbot.index.candidates import Candidate, Coverage, containment, document_frequency, proximity
from newsbot.index.weights import (
    CANDIDATE_PASSAGES,
    MORE_PASSAGES,
    MAX_YEARS_BACK,
    CONFIDENT_COVERAGE,
    CONFIDENT_SENTENCE,
    CONFIDENT_CONTEXT,
    TENTATIVE_COVERAGE,
    CLOSEST_COVERAGE,
    UNKNOWN_REFUSAL,
    KIND_CONFIDENT,
    KIND_FLOOR,
    FOLLOW_ON_SHARE,
    TO_COME_SHARE,
    PROXIMITY_SHARE,
    PASSAGE_BONUS,
    RELATIVE_FLOOR,
    FITTING_FLOOR,
    DUPLICATE_CONTAINMENT,
    DUPLICATE_ACROSS,
)

# A sentence opening with a word that points back ("He said...", "The ship...") goes on about the one before.
_REFERS_BACK_RE = re.compile(r"[\s\"'“‘]*(?:he|she|it|they|its|his|her|their|this|these|the)\b", re.I)
# A question asking yes or no: "was Okafor acquitted?", "did Rovers win?".
_YES_NO_RE = re.compile(r"\s*(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b", re.I)
# A sentence that is itself a question ends in "?", perhaps inside closing quotes or brackets.
_ECHO_RE = re.compile(r"\?[\s\"'”’)\]]*$")


def _body_twin(candidate: Candidate, analyser: Analyser, coverage: Coverage) -> Candidate | None:
    """Return the body sentence a highlight repeats, if the article has one."""
    segment = candidate.segment
    record = segment.articles[segment.sentence_article(candidate.sentence)]
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
    for (name, number), candidate in candidates.items():
        before = candidates.get((name, number - 1))
        if (
            coverage.own.isdisjoint(candidate.terms) and before is not None
            and FOLLOW_ON_SHARE * before.coverage > candidate.coverage
            and owners[name, number] == owners[name, number - 1] and not before.follows
            and _REFERS_BACK_RE.match(candidate.text)
        ):  # fmt: skip
            candidate.follows = True
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


def _attach_record(candidate: Candidate) -> None:
    """Set the candidate's article record, once."""
    if candidate.record is None:
        segment = candidate.segment
        candidate.record = segment.articles[segment.sentence_article(candidate.sentence)]


def _score(candidates: list[Candidate], question: Question, question_words: set[str], own: frozenset[str]) -> None:
    """Score each candidate: its strength, kept as far as it holds what the question asks for.

    Nearness counts the question's own words (`own`): a variant beside the word it
    varies ("Pakistani" by "Pakistan") is not a second word of the question.
    """
    asked = frozenset(t.term for t in question.terms)
    for candidate in candidates:
        _attach_record(candidate)
        if question.kind is QuestionKind.WHEN:
            candidate.when = event_date(candidate.text, candidate.record.published)
        candidate.fit = kind_fit(
            question.kind, candidate.text, candidate.when is not None, question_words, question.thing, asked
        )
        # A thing's name ("the drug, tranemaxic acid,") is what "what drug...?" asks for, new words or not.
        named_thing = question.thing is not None and candidate.fit == 1.0
        candidate.kind_checked = question.kind is not QuestionKind.OTHER or named_thing
        kind = KIND_FLOOR + (1 - KIND_FLOOR) * candidate.fit
        nearness = 1 - PROXIMITY_SHARE + PROXIMITY_SHARE * proximity(candidate.terms, own)
        candidate.score = candidate.strength * kind * nearness + PASSAGE_BONUS * candidate.passage_score
        if question.asks_done and question.kind is not QuestionKind.OTHER and deed_to_come(candidate.text, question.text):
            # "where were the talks held?": not "decided to hold the next round in Kabul". A yes/no question keeps
            # it first, tentative (`_still_to_come`): "did Apple release it?" is best met by "would release".
            candidate.score *= TO_COME_SHARE


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
    if not _YES_NO_RE.match(question.text):
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
        if question.kind is not QuestionKind.WHEN:
            candidate.when = event_date(candidate.text, candidate.record.published)
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
    if question.kind is not QuestionKind.WHEN:
        candidate.when = event_date(candidate.text, candidate.record.published)
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
    if coverage.unknown >= UNKNOWN_REFUSAL and not _in_titles(state, analyser, question, coverage, allowed):
        return reply()  # "the price of bitcoin" in a corpus that never says "bitcoin"
    candidates, weaker = _candidates(state, analyser, question, coverage, allowed)
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
    return sorted(candidates, key=lambda c: (-c.score, c.record.source, c.sentence))


def _candidates(
    state: IndexState, analyser: Analyser, question: Question, coverage: Coverage, allowed: np.ndarray | None
) -> tuple[list[Candidate], list[Candidate]]:
    """Return the sentences worth quoting from the best passages, looking deeper when the first hold no confident one,
    and the weaker ones a tentative answer may show after them.

    The weaker ones (see CLOSEST_COVERAGE) are kept only when the corpus uses every word and name of the
    question: too weak to be confident, they are shown as tentative. Not within a period: the words are the
    corpus's, not the period's, and a sentence of another time is no answer.
    """
    query = _retrieval_terms(state, question)
    if question.period is not None and not question.period_chosen:  # "in early 2012" is found where it is written
        query += [state.vocabulary.get(t) for t in question.time_words]
    candidates: list[Candidate] = []
    for depth in (CANDIDATE_PASSAGES, MORE_PASSAGES):
        hits = state.scorer.top(query, depth, allowed)
        collected = _prefer_body(_collect(state, analyser, hits, coverage), analyser, coverage)
        candidates = _in_period(_quotable(collected), question)
        if any(c.coverage >= CONFIDENT_COVERAGE for c in candidates) or len(hits) < depth:
            break
    weaker: list[Candidate] = []
    if not coverage.unknown and question.period is None and _hold_every_name(collected, coverage):
        closest = _in_period(_quotable(collected, CLOSEST_COVERAGE), question)
        weaker = [c for c in closest if c.strength < TENTATIVE_COVERAGE]
    return candidates, weaker


def _in_titles(
    state: IndexState, analyser: Analyser, question: Question, coverage: Coverage, allowed: np.ndarray | None
) -> bool:
    """Return True when, counting the words the titles of the best passages' articles hold, the corpus speaks of
    the question after all.

    A headline may name what its body calls otherwise: "Harbour Bridge
    deadline pushed back" over "the crossing will open in 2029". Passages
    index no title, so "when will the Harbour Bridge open?" looked off-topic.
    """
    titles: set[str] = set()
    for passage, _ in state.scorer.top(_retrieval_terms(state, question), CANDIDATE_PASSAGES, allowed):
        segment, local = state.scorer.locate(passage)
        record = segment.articles[segment.sentence_article(segment.passage_sentences(local).start)]
        titles.update(analyser.tokens(record.title))
    coverage.learn_titles(titles)
    return coverage.unknown < UNKNOWN_REFUSAL


def _hold_every_name(candidates: list[Candidate], coverage: Coverage) -> bool:
    """Return True when each name of several words the question gives stands together in some candidate sentence.

    A corpus using "United" and "states" apart does not speak of "the United States" (see `_drop_broken_phrases`).
    """
    return all(any(set(words) <= set(c.terms) for c in candidates) for _, words in coverage.phrases)


def _retrieval_terms(state: IndexState, question: Question) -> list[int | None]:
    """Return the term ids BM25 retrieves with: the question's own words, variants only in place of unknown ones.

    Variants weigh in the sentence scoring; in retrieval they would count at
    full BM25 weight and keep MaxScore from pruning the common words.
    """
    own = {t.term for t in question.terms if t.stands_for == t.term and document_frequency(state, t.term) > 0}
    wanted = [t.term for t in question.terms if t.term in own or t.stands_for not in own]
    return [state.vocabulary.get(term) for term in wanted]


def _in_period(candidates: list[Candidate], question: Question) -> list[Candidate]:
    """Return the candidates, their articles attached, that a period named by the question's words allows.

    See `allowed_passages`: a period the asker chose was applied in retrieval.
    """
    for candidate in candidates:
        _attach_record(candidate)
    if question.period is None or question.period_chosen:
        return candidates
    return [c for c in candidates if sentence_in_period(c.text, c.record.published, question.period)]
