"""Which sentences a period named by the question's words lets an answer quote."""

from __future__ import annotations

from datetime import date

import pytest

from newsbot.index.models import Period
from newsbot.index.periods import sentence_in_period

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
    from newsbot.index.storage.store import open_state, read_manifest
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
    assert mask[days == 0].all()  # undated articles stay in
    assert allowed("what happened to the bridge since 2025?", date(2025, 7, 1)) is None  # the period holds every article
    mask = allowed("what happened to the bridge since May 2025?", date(2025, 7, 1))
    assert mask is not None and mask.tolist() == [day in (0, date(2025, 6, 10).toordinal()) for day in days.tolist()]
