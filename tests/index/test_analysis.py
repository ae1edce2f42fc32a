"""The analyser: one for passages and questions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.index.analysis import Analyser


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("who mediated?", ["mediat"]),
        ("They will mediate.", ["mediat"]),
        ("Pakistan’s foreign office", ["pakistan", "foreign", "offic"]),
        ("Pakistan's foreign office", ["pakistan", "foreign", "offic"]),
        ("“clearly expressed”", ["clear", "express"]),
        ("over $60 billion", ["60", "billion"]),
        ("more than 80,000 Afghans", ["80000", "afghan"]),
        ("the U.S. and the U.N.", ["us", "un"]),
        ("Field\u00a0Marshal", ["field", "marshal"]),
        ("the China-Pakistan Economic Corridor", ["china", "pakistan", "econom", "corridor"]),
        ("Fighting broke out", ["fight", "break"]),
        ("when did the fighting break out", ["fight", "break"]),
        ("charge d’affaires", ["charg", "d'affair"]),
        ("Who is it? When? Where? Why?", []),
        ("", []),
        ("ＦＵＬＬＷＩＤＴＨ", ["fullwidth"]),
        ("Ambassadors AMBASSADOR ambassador", ["ambassador"] * 3),
        # A web address gives no term: its path names no subject ("k2-18b" in a link is no mention of the planet).
        ("is freely available at https://github.example.org/k2-18b.", ["freeli", "avail"]),
        ("see (www.example.com/planet), or HTTP://X.ORG/Planet; planets", ["see", "planet"]),
        ("the www and http protocols", ["www", "http", "protocol"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert Analyser().tokens(text) == expected


def test_a_web_address_has_no_words_either() -> None:
    assert Analyser().words("Data at https://github.example.org/k2-18b. K2 it is") == ["data", "at", "k2", "it", "is"]


def test_questions_and_passages_meet() -> None:
    analyser = Analyser()
    question = set(analyser.tokens("When were ambassadors agreed?"))
    passage = set(analyser.tokens("Islamabad and Kabul had agreed in principle to send ambassadors."))
    assert question <= passage


def test_a_soft_hyphen_in_a_question_does_not_split_the_word() -> None:
    from newsbot.index.analysis import Analyser

    analyser = Analyser()
    assert analyser.tokens("gov\u00adernment spend\u2060ing") == analyser.tokens("government spending")


# Chunks as the analyser meets them (folded, cut at white space): words in marks, inner apostrophes and dots,
# possessives, stop words, irregular pasts, numbers, letters outside ASCII.
CHUNKS = st.lists(
    st.sampled_from(["said", "went", "the", "it", "s", "u", "peace", "'", ".", ",", "(", ")", "“", "”", "’", "-", "_", "—", "80", "é", "ß", "https://", "www."]),
    min_size=1, max_size=6,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(chunk=CHUNKS)
def test_a_chunk_that_is_one_word_in_marks_has_the_terms_its_words_have(chunk: str) -> None:
    # chunk_terms takes a plain word in marks ("said,") without the word pattern: the same terms.
    analyser = Analyser()
    assert analyser.chunk_terms(chunk) == analyser._word_terms(chunk)
