"""The words news uses for the same thing."""

from __future__ import annotations

import pytest

from newsbot.index.analysis import Analyser
from newsbot.index.synonyms import converses, opposites, synonyms, takes

TERM = Analyser().term


@pytest.mark.parametrize(("word", "other"), [("quit", "resigned"), ("killed", "died"), ("truce", "ceasefire"), ("bought", "acquired")])
def test_a_word_and_its_synonym_stand_for_each_other_as_terms(word: str, other: str) -> None:
    assert TERM(other) in synonyms(TERM(word)) and TERM(word) in synonyms(TERM(other))


@pytest.mark.parametrize("word", ["strike", "fire", "rally", "take", "name", "charge", "post", "close", "firm", "wound"])
def test_a_word_with_another_common_sense_in_news_has_none(word: str) -> None:
    assert synonyms(TERM(word)) == ()


def test_a_deed_seen_from_the_other_side_is_its_converse_and_sales_are_not() -> None:
    assert TERM("sold") in converses(TERM("bought")) and TERM("bought") in converses(TERM("sold"))
    assert converses(TERM("sales")) == ()  # a company's revenue, not a deed
    assert takes(TERM("bought")) and takes(TERM("borrowed")) and not takes(TERM("sold"))


@pytest.mark.parametrize("word", ["decline", "pass", "block", "defeat", "drop"])
def test_a_word_with_another_sense_or_on_both_sides_settles_no_yes_no_question(word: str) -> None:
    assert opposites(TERM(word)) == ()


@pytest.mark.parametrize("word", ["accept", "win", "beat", "confirm", "rise", "approve"])
def test_no_word_is_both_a_synonym_and_an_opposite(word: str) -> None:
    assert opposites(TERM(word)) and not set(opposites(TERM(word))) & set(synonyms(TERM(word)))
