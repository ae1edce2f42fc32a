"""Property tests: whatever bytes a corpus file holds, reading never fails but with newsbot's own errors,
and every sentence the index could quote is verbatim text of its source."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.index.reading.articles import read_file
from newsbot.index.reading.passages import article_sentences
from newsbot.index.reading.sentences import split_paragraphs_sentences, split_sentences
from newsbot.index.reading import text as text_module
from newsbot.index.reading.text import normalise_text, split_paragraphs

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# News-like text: words, punctuation that ends sentences or does not, quotes, bullets, date lines, odd spaces.
PIECES = st.sampled_from([
    "The", "minister", "said", "U.S.", "Dr.", "Inc.", "80,000", "3.5%", "“quoted”", "'single'", "—", "(AFP)",
    ".", "!", "?", "...", ":", ";", ",", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u00ad", "\u200b", "•", "Short Url",
    "Updated 21 May 2025", "Date: 3 November 2025", "ISLAMABAD:", "Zürich", "José", "🙂", "\x00", "\ufeff", "#",
])  # fmt: skip
TEXT = st.one_of(st.lists(PIECES, max_size=60).map(" ".join), st.text(max_size=400))


def squeeze(text: str) -> str:
    """Return text without white space, for comparing quotes with their source."""
    return re.sub(r"\s+", "", text)


@SETTINGS
@given(text=TEXT)
def test_sentences_are_verbatim_parts_of_their_paragraph(text: str) -> None:
    paragraph = normalise_text(text)
    sentences = split_sentences(paragraph, normalised=True)
    assert squeeze("".join(sentences)) == squeeze(paragraph)
    assert all(sentence and squeeze(sentence) in squeeze(paragraph) for sentence in sentences)


@SETTINGS
@given(text=TEXT, suffix=st.sampled_from([".txt", ".jsonl"]))
def test_any_file_reads_without_raising_and_quotes_come_from_it(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"article{suffix}"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    articles, problems = read_file(path, tmp_path)
    source = squeeze(normalise_text(path.read_bytes().decode("utf-8", errors="replace")))
    for article in articles:
        for sentence in article_sentences(article).sentences:
            assert squeeze(sentence) in source or squeeze(sentence) in squeeze(json.dumps(text, ensure_ascii=False))
    assert all(problem.source == path.name for problem in problems)


@SETTINGS
@given(title=TEXT, body=TEXT, published=st.one_of(st.none(), st.text(max_size=30), st.integers()))
def test_any_json_line_reads_without_raising(tmp_path: Path, title: str, body: str, published) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"id": "x", "title": title, "text": body, "published": published}) + "\n", encoding="utf-8")
    articles, problems = read_file(path, tmp_path)
    assert len(articles) + len(problems) >= 1
    for article in articles:
        for sentence in article_sentences(article).sentences:
            assert squeeze(sentence) in squeeze(normalise_text(body)) or squeeze(sentence) in squeeze(normalise_text(title))


@SETTINGS
@given(texts=st.lists(TEXT, max_size=8))
def test_paragraphs_split_together_as_each_alone(texts: list[str]) -> None:
    for paragraphs in ([normalise_text(t) for t in texts], texts):  # normalised, and not (the splitter trusts its caller)
        assert split_paragraphs_sentences(paragraphs) == [s for p in paragraphs for s in split_sentences(p, normalised=True)]


@SETTINGS
@given(text=TEXT)
def test_normal_text_is_left_as_it_is(text: str) -> None:
    normal = normalise_text(text)
    assert normalise_text(normal) == normal == " ".join(normal.split())


# Paragraphs already normal, one blank line apart, and what comes near that: a space at an edge, a lone
# newline, three, a blank line of spaces, text not in NFC ("e" and a combining accent), invisibles.
NEAR_CLEAN = st.lists(
    st.sampled_from(["Talks", "resumed", "in", "Zürich", "e\u0301", "£5", " ", "\n", "\n\n", "\n \n", "\u200b", "\u00a0", "\t", "\x00"]),
    max_size=30,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(NEAR_CLEAN, TEXT))
def test_clean_text_is_cut_into_the_paragraphs_any_text_is(text: str) -> None:
    # split_paragraphs takes text that needs no normalising a shorter way (_clean_paragraphs).
    paragraphs = split_paragraphs(text)
    assert paragraphs == text_module._paragraphs(text)
    assert all(p and normalise_text(p) == p for p in paragraphs)
