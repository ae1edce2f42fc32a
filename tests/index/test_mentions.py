"""What a sentence says beside the question: something new, a deed still to come, someone else."""

from __future__ import annotations

import pytest

from newsbot.index.mentions import adds_something, deed_to_come, looks_ahead, opens_on_another

Q = {"who", "replaced", "claire", "donovan", "as", "health", "minister"}


@pytest.mark.parametrize(
    ("sentence", "adds"),
    [
        ("Prime Minister Daniel Reyes appointed Farah Haddad.", True),
        ("The vote was 41 to 12.", True),
        ("Health Minister Claire Donovan resigned.", False),
        ("The minister resigned on Friday.", True),
    ],
)
def test_adds_something_the_question_lacks(sentence: str, adds: bool) -> None:
    assert adds_something(sentence, Q) is adds


@pytest.mark.parametrize(
    ("sentence", "ahead"),
    [
        ("Qantas is talking to engine makers and will announce a decision later this year.", True),
        ("The company said it expects to make a formal proposal in the near future.", True),
        ("Reagan is sending Shultz to Moscow for talks next month.", True),
        ("The committees said they would like to review tapes of the calls, if such tapes exist.", True),  # a wish
        ("Veltrix said it would cut 1,200 posts.", False),  # reported speech of past news
        ("Qantas picked Rolls-Royce engines for its new jets.", False),
    ],
)
def test_a_sentence_looks_ahead_when_it_speaks_of_what_is_still_to_come(sentence: str, ahead: bool) -> None:
    assert looks_ahead(sentence) is ahead


@pytest.mark.parametrize(
    ("sentence", "question", "to_come"),
    [
        ("Apple said on Monday it would release iOS 19.2 next month.", "did Apple release iOS 19.2?", True),
        ("The council agreed to build a new school.", "did the council build a new school?", True),
        ("Former chief executive Andreas Muller had tried and failed to buy Ebro in 2019.", "did Muller try to buy Ebro?", False),
        # A preposition "to" names no deed still to come.
        ("The suspect was arrested on Monday, according to police.", "did police arrest the suspect?", False),
        ("The case was taken to court in May.", "did the case go to court?", False),
        ("He handed his resignation to President Cossiga.", "did the president accept the resignation?", False),
    ],
)
def test_a_deed_after_a_word_of_intent_is_still_to_come(sentence: str, question: str, to_come: bool) -> None:
    assert deed_to_come(sentence, question) is to_come


@pytest.mark.parametrize(
    ("sentence", "other"),
    [
        ("The contractor's director, J. R. Pilling, was acquitted.", True),
        ("Pakistan has not confirmed the strikes, a charge Kabul denied.", False),
        ("The court heard the case on Monday.", False),  # no name at all
    ],
)
def test_a_sentence_opening_on_someone_else(sentence: str, other: bool) -> None:
    assert opens_on_another(sentence, {"was", "okafor", "acquitted", "has", "pakistan", "confirmed", "the", "strikes"}) is other
