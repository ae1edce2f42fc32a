"""The analyser: one for passages and questions."""

from __future__ import annotations

import pytest

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
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert Analyser().tokens(text) == expected


def test_questions_and_passages_meet() -> None:
    analyser = Analyser()
    question = set(analyser.tokens("When were ambassadors agreed?"))
    passage = set(analyser.tokens("Islamabad and Kabul had agreed in principle to send ambassadors."))
    assert question <= passage


def test_a_soft_hyphen_in_a_question_does_not_split_the_word() -> None:
    from newsbot.index.analysis import Analyser

    analyser = Analyser()
    assert analyser.tokens("gov\u00adernment spend\u2060ing") == analyser.tokens("government spending")
