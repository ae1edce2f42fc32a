"""What a conversation asks of the engine: follow-ups and the sentences around a quote."""

from __future__ import annotations

from pathlib import Path

from newsbot.index import Engine, load
from tests.conftest import write_jsonl


def test_a_follow_up_answers_with_the_previous_subject(engine: Engine) -> None:
    first = engine.answer("when were ambassadors agreed?")
    follow_up = engine.follow_up("when were ambassadors agreed?", "and who said so?")
    assert follow_up == "who said so ambassadors agreed?"
    again = engine.answer(follow_up)
    assert again.quotes and "Wang said" in again.quotes[0].text
    assert first.quotes[0].text == again.quotes[0].text  # the same sentence answers both


def test_a_question_of_its_own_is_no_follow_up(engine: Engine) -> None:
    for fresh in ("what did Turkey say?", "who is Wang Yi?", "thanks!"):
        assert not engine.is_follow_up(fresh)
        assert engine.follow_up("when were ambassadors agreed?", fresh) == fresh  # not glued onto the old subject
    assert engine.is_follow_up("what about Turkey?") and engine.is_follow_up("why?")


def test_sentences_around_a_quote_come_from_its_article_in_order(engine: Engine) -> None:
    quote = engine.answer("when were ambassadors agreed?").quotes[0]
    around = engine.sentences_around(quote.article.source, quote.text, around=1)
    assert around is not None and len(around) == 3 and around[1] == quote.text
    whole = engine.sentences_around(quote.article.source, quote.text, around=100)
    assert whole[0] != quote.text and around[0] in whole and whole.index(around[0]) + 1 == whole.index(quote.text)


def test_sentences_around_a_removed_article_are_none(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", [
        {"id": "a", "title": "Bridge opens", "published": "2025-03-01", "text": "The bridge opened on Monday. It cost 40 million euros. Traffic was light."},
        {"id": "b", "title": "Port strike", "published": "2025-03-02", "text": "Dock workers struck on Tuesday. The port was closed."},
    ])  # fmt: skip
    engine = load(corpus, tmp_path / "index")
    quote = engine.answer("how much did the bridge cost?").quotes[0]
    assert engine.sentences_around("wire.jsonl#a", quote.text) == ("The bridge opened on Monday.", "It cost 40 million euros.", "Traffic was light.")
    assert engine.sentences_around("wire.jsonl#b", quote.text) is None  # another article does not hold it
    engine.remove_sources(["wire.jsonl#a"])
    assert engine.sentences_around("wire.jsonl#a", quote.text) is None
