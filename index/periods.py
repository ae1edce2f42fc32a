"""Answer within time: which passages a period or "the latest" allows, and what happened in a period.

A period the asker chose (--since/--until) counts by published date. One the
question's words name ("in early 2012") also lets in later articles, which
may report on it, and for one to come or under way earlier ones, as long as
the sentence dates its event in the period; undated articles only when no
article is dated. Nothing published after the day of asking counts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import numpy as np

from newsbot.index.analysis import Analyser
from newsbot.index.dates import MONTH_NAMES
from newsbot.index.event_dates import event_date
from newsbot.index.models import Period
from newsbot.index.question import Question
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.state import IndexState


@dataclass(frozen=True)
class PeriodSentence:
    """A sentence quoted as news of a period, with its article."""

    text: str
    record: ArticleRecord


def allowed_passages(state: IndexState, question: Question) -> np.ndarray | None:
    """Return the passages a question bound to time may quote from, or None when it is not bound or its
    period leaves no passage out.

    A period the asker chose counts by published date. One the question's
    words name also lets in later articles, which may report on it (the
    sentences themselves are checked by `sentence_in_period`), and for one
    still to come or under way, any article up to the day of asking (the
    memorial service a 2 August article sets for 14 September answers "what
    will happen in September?" and, on 20 September, "what happened in
    September?"). It leaves out undated articles as --since does (see
    `undated_answer`). Whatever binds it, what appeared after the day of
    asking is left out: no news from the future.
    """
    period = question.period
    if period is not None and question.period_chosen:
        return state.in_period(period.since, _up_to(period.until, question.as_of))
    if period is not None:
        since, until = period.since, question.as_of
        if until is not None and (period.until is None or period.until >= until):
            since = None  # a period to come or under way: what was said of it so far, before it began too
        undated = undated_answer(state, period)
    elif question.recency:  # undated articles cannot be the latest, but may be all there is
        since, until, undated = None, question.as_of, True
    else:
        return None
    oldest, newest = state.oldest_published, state.newest_published
    dated_all_in = (since is None or oldest is None or oldest >= since) and (until is None or newest is None or newest <= until)
    if dated_all_in and (undated or state.undated_articles == 0):
        # Nothing to leave out ("the latest" asked after the newest article): no mask to build or apply,
        # which at 10M passages cost 20 ms a question.
        return None
    allowed = state.in_period(since, until)
    return allowed | (state.passage_days == 0) if undated else allowed


def undated_answer(state: IndexState, period: Period) -> bool:
    """Return True when undated articles may answer a period the question's words name.

    Left out as --since leaves them ("what happened last week?" is answered
    by last week's articles, not by undated ones saying "within two
    weeks"), unless the time words leave no days ("from June 2025 to March
    2025") or no article is dated (an encyclopedia's "in 1962" is all there
    is to go by).
    """
    return not period.has_days() or state.oldest_published is None


def undated_left_out(state: IndexState, question: Question) -> int:
    """Return how many undated articles a period leaves out: one the asker chose always, one the question's
    words name as `undated_answer` says."""
    period = question.period
    if period is None or (not question.period_chosen and undated_answer(state, period)):
        return 0
    return state.undated_articles


def sentence_in_period(text: str, published: date | None, period: Period) -> bool:
    """Return True when a sentence dates its event in the period, or, dating none, its article appeared there.

    A fresh article's sentence that dates its event before the period is
    background, not news of it: "In May, Veltrix announced 1,200 job cuts"
    in this week's article. A plan it dates later ("is sending Shultz to
    Moscow next month") was still announced in the period. An undated
    article's undated sentence is kept when undated articles may answer
    (see `undated_answer`): nothing says it lies outside.
    """
    when = event_date(text, published)
    if published is not None and published in period:
        return when is None or period.since is None or when.last_day() >= period.since
    if when is None:
        return published is None  # an undated sentence of an undated article: nothing says it is not
    return when.first_day() in period and when.last_day() in period


def period_news(
    state: IndexState, question: Question, allowed: np.ndarray | None, top_k: int, depth: int
) -> list[PeriodSentence]:
    """Return what happened in a period (or lately) when the question names nothing else.

    Sentences that date their event in the period come first, found by the
    period's own words ("December", "2024"; for a period to come, the names
    of its months: "next month" is found as "September") among the `depth`
    best passages; then the leads of the newest articles published in it up
    to the day of asking; then what articles before it said of it.
    """
    picked: list[PeriodSentence] = []
    period = question.period
    words = [state.vocabulary.get(t) for t in question.time_words | _months_to_come(question)]
    if period is not None and words:
        found: dict[tuple[str, int], PeriodSentence] = {}
        for passage, _ in state.scorer.top(words, depth, allowed):
            segment, local = state.scorer.locate(passage)
            for number in segment.passage_sentences(local):
                if (segment.name, number) not in found:
                    found[segment.name, number] = PeriodSentence(segment.sentence(number), _record(segment, number))
        picked = [
            s for s in found.values()
            if (question.period_chosen or sentence_in_period(s.text, s.record.published, period))
            and s.record.published not in period
        ]  # fmt: skip
    # What was said of the period before it began (a plan, a fixture) comes after its own news.
    previews = [s for s in picked if _before(s.record.published, period)]
    picked = [s for s in picked if not _before(s.record.published, period)][:top_k]
    if period is not None:  # leads of the articles published in the period itself, up to the day of asking
        allowed = state.in_period(period.since, _up_to(period.until, question.as_of))
    for lead in [*_newest_leads(state, allowed, top_k), *previews]:
        if len(picked) < top_k and all(s.text != lead.text for s in picked):
            picked.append(lead)
    return picked


def _before(published: date | None, period: Period | None) -> bool:
    """Return True when an article appeared before a period began."""
    return published is not None and period is not None and period.since is not None and published < period.since


# A period to come of up to this many months is also searched by their names ("next month": "September"); a
# longer one ("next year") names too many months to find its news by.
_MONTHS_NAMED = 3


def _months_to_come(question: Question) -> frozenset[str]:
    """Return the index terms of the months of a period still to come on the day of asking, or none."""
    period, as_of = question.period, question.as_of
    if period is None or period.until is None or not period.is_to_come(as_of):
        return frozenset()
    first = period.since.year * 12 + period.since.month - 1
    last = period.until.year * 12 + period.until.month - 1
    if last - first >= _MONTHS_NAMED:
        return frozenset()
    analyser = _analyser()
    terms = (analyser.term(MONTH_NAMES[month % 12].lower()) for month in range(first, last + 1))
    return frozenset(term for term in terms if term is not None)


@functools.cache
def _analyser() -> Analyser:
    """Return an analyser for month names, made once (the index's own analyses them the same way)."""
    return Analyser()


def _up_to(until: date | None, as_of: date | None) -> date | None:
    """Return the end of a period cut at the day of asking: nothing published after it is news yet."""
    if as_of is None:
        return until
    return as_of if until is None else min(until, as_of)


def _record(segment: Segment, sentence: int) -> ArticleRecord:
    """Return the record of the article a sentence belongs to."""
    return segment.articles[segment.sentence_article(sentence)]


def _newest_leads(state: IndexState, allowed: np.ndarray | None, top_k: int) -> list[PeriodSentence]:
    """Return the first body sentences of the newest articles among the allowed passages."""
    days = state.passage_days if allowed is None else np.where(allowed, state.passage_days, 0)
    newest = np.argsort(-days, kind="stable")
    leads: list[PeriodSentence] = []
    seen: set[tuple[str, int]] = set()
    for passage in newest:
        if len(leads) == top_k or days[passage] == 0:
            break
        segment, local = state.scorer.locate(int(passage))
        owner = segment.sentence_article(segment.passage_sentences(local).start)
        if (segment.name, owner) in seen:
            continue
        seen.add((segment.name, owner))
        record = segment.articles[owner]
        sentences = segment.passage_sentences(record.first_passage)
        lead = next((n for n in sentences if not segment.is_highlight(n)), sentences.start)
        leads.append(PeriodSentence(segment.sentence(lead), record))
    return leads
