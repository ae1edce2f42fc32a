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
