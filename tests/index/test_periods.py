"""Which sentences a period named by the question's words lets an answer quote."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsbot.index.analysis import Analyser
from newsbot.index.models import Period
from newsbot.index.periods import sentence_in_period, undated_left_out
from newsbot.index.question import read_question
from newsbot.index.storage.state import open_state
from newsbot.index.storage.store import read_manifest
from tests.conftest import engine_over

JUNE = Period(date(2025, 6, 1), date(2025, 6, 30))


@pytest.mark.parametrize(
    ("sentence", "published", "inside"),
    [
        ("The bridge opened.", date(2025, 6, 5), True),  # published in the period
        ("The bridge opened on 3 June 2025.", date(2025, 7, 10), True),  # a later report of an event in it
        ("The bridge opened.", date(2025, 7, 10), False),  # published later, saying nothing of when
        ("The bridge opened on Tuesday.", date(2025, 7, 2), False),  # dated by its article: 1 July
        ("The bridge opened in 2025.", date(2025, 7, 10), False),  # a year reaches past June
        ("The bridge opened.", None, True),  # undated article, undated sentence: nothing says it is outside
        ("The bridge opened on 3 June 2025.", None, True),  # undated article, event dated in the period
        ("The bridge opened on 3 May 2025.", None, False),  # undated article, event dated outside
        ("In May, the council approved the bridge.", date(2025, 6, 5), False),  # background in a fresh article
        ("The bridge will open in July.", date(2025, 6, 5), True),  # a plan, announced in the period
        ("The bridge opened on Monday.", date(2025, 6, 5), True),  # 2 June: news of the period
    ],
)
def test_a_sentence_is_in_a_period_by_its_article_or_its_event(sentence: str, published: date | None, inside: bool) -> None:
    assert sentence_in_period(sentence, published, JUNE) is inside


def test_a_question_bound_to_time_builds_a_mask_only_when_it_leaves_passages_out(tmp_path) -> None:
    from newsbot.index.analysis import Analyser
    from newsbot.index.periods import allowed_passages
    from newsbot.index.question import read_question
    from newsbot.index.storage.state import open_state
    from newsbot.index.storage.store import read_manifest
    from tests.conftest import engine_over

    engine = engine_over(tmp_path, [
        {"id": 1, "title": "Old", "published": "2025-03-02", "text": "The bridge council met in March. It approved the plan."},
        {"id": 2, "title": "New", "published": "2025-06-10", "text": "The bridge opened in June. Crowds crossed it."},
        {"id": 3, "title": "Undated", "text": "The bridge toll was set. Drivers complained."},
    ])  # fmt: skip
    assert engine.stats().articles == 3
    state = open_state(tmp_path / "index", read_manifest(tmp_path / "index"))

    def allowed(question: str, as_of: date):
        return allowed_passages(state, read_question(question, Analyser(), lambda term: 1, as_of=as_of))

    assert allowed("what is the latest on the bridge?", date(2025, 7, 1)) is None  # every article is before the day asked
    assert allowed("what did the bridge council approve?", date(2025, 7, 1)) is None  # not bound to time
    mask = allowed("what is the latest on the bridge?", date(2025, 4, 1))  # June's article is after the day asked
    days = state.passage_days
    assert mask is not None and mask.tolist() == [day != date(2025, 6, 10).toordinal() for day in days.tolist()]
    assert mask[days == 0].all()  # undated articles stay in: they may be all there is
    # A period the question names leaves out undated articles, as --since does.
    dated = [day != 0 for day in days.tolist()]
    assert allowed("what happened to the bridge since 2025?", date(2025, 7, 1)).tolist() == dated
    # A period over by the day of asking: the articles from its start (later ones may report on it).
    mask = allowed("what happened to the bridge in May 2025?", date(2025, 7, 1))
    assert mask is not None and mask.tolist() == [day == date(2025, 6, 10).toordinal() for day in days.tolist()]
    # One under way or to come: what was said of it so far, before it began too, and nothing after the day asked.
    assert allowed("what happened to the bridge since May 2025?", date(2025, 7, 1)).tolist() == dated
    mask = allowed("what will happen to the bridge in July?", date(2025, 6, 1))
    assert mask is not None and mask.tolist() == [day not in (0, date(2025, 6, 10).toordinal()) for day in days.tolist()]
    # Time words that leave no days leave only undated articles to answer.
    mask = allowed("what happened to the bridge from June 2025 to March 2025?", date(2025, 7, 1))
    assert mask is None or mask[days == 0].all()


def test_a_period_to_come_is_answered_by_what_was_said_of_it_up_to_the_day_of_asking(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": 1, "title": "Surgeon dies aged 91", "published": "2025-08-02",
         "text": "A memorial service will be held at St. Giles' Cathedral on September 14."},
        {"id": 2, "title": "Bayern weigh replacements", "published": "2025-09-03",
         "text": "Bayern Munich are considering three forwards, sporting director Max Eberl said on Tuesday."},
    ])  # fmt: skip
    memorial, bayern = "A memorial service", "Bayern Munich"
    for question in ("what will happen next month?", "what will happen in September?"):
        answer = engine.answer(question, as_of=date(2025, 8, 5))  # Bayern's article does not exist yet
        assert [q.text.startswith(memorial) for q in answer.quotes] == [True], question
    answer = engine.answer("what happened in September?", as_of=date(2025, 9, 20))  # under way: its news, then the plan
    assert [q.text.split()[0] for q in answer.quotes] == ["Bayern", "A"]
    answer = engine.answer("what is the latest news?", as_of=date(2025, 8, 5))
    assert all(not q.text.startswith(bayern) for q in answer.quotes)


def test_a_period_the_question_names_leaves_out_undated_articles_as_since_does(tmp_path: Path) -> None:
    # (Where no article is dated, undated ones still answer: see test_a_period_question_over_undated_articles_does_not_fail.)
    engine = engine_over(tmp_path, [
        {"id": 1, "title": "Central bank raises interest rates again", "published": "2025-12-10",
         "text": "The central bank raised its key interest rate by a quarter point on Wednesday."},
        {"id": 2, "title": "Festival cancelled due to storm",
         "text": "The annual music festival in Brighton was cancelled because of a storm warning. "
                 "Organisers said tickets would be refunded within two weeks."},
        {"id": 3, "title": "Museum reopens", "text": "The museum reopened its Egyptian wing after a renovation lasting four years."},
    ])  # fmt: skip
    answer = engine.answer("what happened last week?", as_of=date(2025, 12, 15))
    assert [q.text for q in answer.quotes] == ["The central bank raised its key interest rate by a quarter point on Wednesday."]
    assert not engine.answer("when was the festival cancelled last week?", as_of=date(2025, 12, 15)).quotes
    # Time words that leave no days leave only undated articles to answer.
    assert engine.answer("what did the museum reopen from June 2025 to March 2025?").quotes

    state = open_state(tmp_path / "index", read_manifest(tmp_path / "index"))
    def left_out(question: str) -> int:
        return undated_left_out(state, read_question(question, Analyser(), lambda term: 1, as_of=date(2025, 12, 15)))

    assert left_out("what happened last week?") == 2
    assert left_out("what did the museum reopen from June 2025 to March 2025?") == 0
    assert left_out("what did the museum reopen?") == 0
