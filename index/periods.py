"""Answer within time: which passages a period or "the latest" allows, and what happened in a period.

A period the asker chose (--since/--until) counts by published date. One the
question's words name ("in early 2012") also lets in later articles, which
may report on it, as long as the sentence dates its event in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from newsbot.index.event_dates import event_date
from newsbot.index.models import Period
from newsbot.index.question import Question
from newsbot.index.storage.segment import ArticleRecord, Segment
from newsbot.index.storage.store import IndexState


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
    still to come, any article up to the day of asking; "the latest" leaves
    out what appeared after the day of asking.
    """
    period = question.period
    if period is not None and question.period_chosen:
        return state.in_period(period.since, period.until)
    if period is not None:  # an undated article may still say "in 2012"
        since, until = period.since, question.as_of
        if since is not None and until is not None and since > until:  # a period to come: what was said of it so far
            since = None
    elif question.recency:  # undated articles cannot be the latest, but may be all there is
        since, until = None, question.as_of
    else:
        return None
    oldest, newest = state.oldest_published, state.newest_published
    if (since is None or oldest is None or oldest >= since) and (until is None or newest is None or newest <= until):
        # Nothing to leave out ("the latest" asked after the newest article): no mask to build or apply,
        # which at 10M passages cost 20 ms a question.
        return None
    return state.in_period(since, until) | (state.passage_days == 0)


def sentence_in_period(text: str, published: date | None, period: Period) -> bool:
    """Return True when a sentence dates its event in the period, or, dating none, its article appeared there.

    A fresh article's sentence that dates its event before the period is
    background, not news of it: "In May, Veltrix announced 1,200 job cuts"
    in this week's article. A plan it dates later ("is sending Shultz to
    Moscow next month") was still announced in the period. An undated
    article's undated sentence is kept: nothing says it lies outside.
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
    period's own words ("December", "2024") among the `depth` best passages;
    then the leads of the newest articles published in it.
    """
    picked: list[PeriodSentence] = []
    period = question.period
    words = [state.vocabulary.get(t) for t in question.time_words]
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
    picked = picked[:top_k]
    if period is not None:  # leads of the articles published in the period itself
        allowed = state.in_period(period.since, period.until)
    for lead in _newest_leads(state, allowed, top_k):
        if len(picked) < top_k and all(s.text != lead.text for s in picked):
            picked.append(lead)
    return picked


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
