"""The words news uses for the same thing."""

from __future__ import annotations

import pytest

from newsbot.index.analysis import Analyser
from newsbot.index.synonyms import synonyms

TERM = Analyser().term


@pytest.mark.parametrize(("word", "other"), [("quit", "resigned"), ("killed", "died"), ("truce", "ceasefire"), ("bought", "acquired")])
def test_a_word_and_its_synonym_stand_for_each_other_as_terms(word: str, other: str) -> None:
    assert TERM(other) in synonyms(TERM(word)) and TERM(word) in synonyms(TERM(other))


@pytest.mark.parametrize("word", ["strike", "fire", "rally", "take", "name", "charge", "post", "close", "firm", "wound"])
def test_a_word_with_another_common_sense_in_news_has_none(word: str) -> None:
    assert synonyms(TERM(word)) == ()


def test_a_deed_seen_from_the_other_side_stands_for_it_and_sales_do_not() -> None:
    assert TERM("sold") in synonyms(TERM("bought")) and TERM("bought") in synonyms(TERM("sold"))
    assert TERM("bought") not in synonyms(TERM("sales"))  # a company's revenue, not a deed
