"""Sentences to term ids and term ids to postings, in bulk, checked against the plain way of doing each."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from newsbot.index.analysis import Analyser
from newsbot.index.bm25_formula import length_norm, tf_part
from newsbot.index.models import IndexConfig
from newsbot.index.storage import inversion
from newsbot.index.storage.inversion import SentenceTerms, chunk_table, invert, sentence_terms

FIRST = [
    "The U.S. envoy met Pakistan's leaders in Zürich on Monday.",
    "It is what it is.",  # stop words only
    "80,000 people marched; the C.P.E.C. (cpec), 3.5% growth.",
    "\u201cWe won\u2019t go,\u201d she said \u2014 and she didn't.",
]
SECOND = ["Leaders met again in Zurich.", "Naïve café owners broke records in São Paulo.", "the"]


def _as_words(found: SentenceTerms) -> list[list[str]]:
    ends = np.cumsum(found.counts)
    return [[found.terms[t] for t in found.tokens[end - count : end]] for end, count in zip(ends, found.counts)]


def test_sentence_terms_are_the_analysers_tokens_part_after_part() -> None:
    table, analyser = chunk_table(), Analyser()
    for sentences in (FIRST, SECOND, FIRST + SECOND):  # a shared table: the later parts meet known chunks
        found = sentence_terms(sentences, table)
        assert _as_words(found) == [analyser.tokens(s) for s in sentences]
        assert len(set(found.terms)) == len(found.terms) == len(set(found.tokens.tolist()))  # only the part's own terms


def test_a_full_process_table_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inversion, "TABLE_CHUNKS", 5)
    monkeypatch.setattr(inversion, "_process_table", None)
    first = sentence_terms(FIRST, inversion.process_table())
    table = inversion._process_table
    second = sentence_terms(SECOND, inversion.process_table())
    assert inversion._process_table is not table
    assert _as_words(second) == [Analyser().tokens(s) for s in SECOND] and _as_words(first)[0][0] == "us"


def test_no_sentences_give_no_terms() -> None:
    found = sentence_terms([], chunk_table())
    assert found.terms == [] and len(found.tokens) == len(found.counts) == 0


@pytest.mark.parametrize("seed", range(4))
def test_postings_are_those_of_counting_each_passage(seed: int) -> None:
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 6, 40)
    vocabulary = 12 if seed % 2 else 300  # dense, then sparse with terms that never occur
    tokens = rng.integers(0, vocabulary, int(counts.sum())) ** (1 + seed % 2) % vocabulary
    starts = np.arange(0, 40, 2)
    windows = np.stack([starts, np.minimum(starts + 3, 40)], axis=1)
    config = IndexConfig()
    arrays = invert(SentenceTerms([f"t{n}" for n in range(vocabulary)], tokens, counts), windows, config)

    offsets = np.concatenate([[0], np.cumsum(counts)])
    passages = [Counter(tokens[offsets[a] : offsets[b]].tolist()) for a, b in windows]
    lengths = np.array([sum(p.values()) for p in passages])
    assert arrays["lengths"].tolist() == lengths.tolist()
    reference = lengths.mean()
    for term in range(vocabulary):
        docs = arrays["post_docs"][arrays["post_offsets"][term] : arrays["post_offsets"][term + 1]]
        tfs = arrays["post_tfs"][arrays["post_offsets"][term] : arrays["post_offsets"][term + 1]]
        assert docs.tolist() == [n for n, p in enumerate(passages) if term in p]
        assert tfs.tolist() == [passages[n][term] for n in docs]
        expected = max(tf_part(tfs, length_norm(lengths[docs], reference, config.k1, config.b), config.k1), default=0.0)
        assert arrays["term_peak"][term] == expected
