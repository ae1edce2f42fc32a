"""Countries, their peoples and their capitals meet: "Turkey" finds "Turkish" and "Ankara"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsbot.index import load
from newsbot.index.analysis import Analyser
from newsbot.index.places import place_relatives
from newsbot.index.question import read_question
from tests.conftest import write_jsonl


def _term(word: str) -> str:
    term = Analyser().term(word)
    assert term is not None
    return term


def test_a_country_its_people_and_its_capital_stand_for_each_other() -> None:
    assert set(place_relatives(_term("turkey"))) == {_term("turkish"), _term("ankara")}
    assert _term("turkey") in place_relatives(_term("ankara"))
    assert _term("pakistan") in place_relatives(_term("pakistani"))
    # A people several places share is the most populous one's: "French" is France's, not Martinique's.
    assert set(place_relatives(_term("french"))) == {_term("france"), _term("paris")}
    assert place_relatives(_term("bridge")) == ()


def test_a_question_naming_a_country_is_answered_by_its_people_or_capital(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", [
        {"id": "t1", "title": "Ceasefire offer", "published": "2026-03-04",
         "text": "The Turkish Presidency said on Tuesday that it would help reinstate a ceasefire. "
                 "Talks between the two sides stalled last week."},
        {"id": "b1", "title": "Harbour bridge", "published": "2026-03-02",
         "text": "The city council said the new bridge would open in May."},
    ])  # fmt: skip
    news = load(corpus, tmp_path / "index")
    answer = news.answer("what did Turkey say about the ceasefire?")
    assert answer.quotes and "Turkish Presidency" in answer.quotes[0].text
    assert not answer.tentative


def test_only_a_word_written_with_a_capital_names_a_country() -> None:
    def searched(question: str) -> set[str]:
        read = read_question(question, Analyser(), lambda term: 1, as_of=date(2026, 3, 5))
        return {t.term for t in read.terms}

    assert {_term("turkish"), _term("ankara")} <= searched("what did Turkey say?")
    assert _term("french") in searched("what did France say?")
    assert _term("french") not in searched("how much is the franc worth?")  # the currency, not France
    assert _term("poland") not in searched("how do you polish silver?")
