"""BM25 scores equal rank_bm25.BM25Okapi's on the same tokens, across segments and removals."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from newsbot.index import Engine, IndexConfig, load
from newsbot.index.analysis import Analyser
from tests.conftest import assert_matches_rank_bm25, live_passage_tokens, write_jsonl

WORDS = (
    "pakistan afghanistan china talks ceasefire border militant ambassador trade corridor minister "
    "kabul beijing islamabad treaty army drone refugee election market oil price bank"
).split()


def test_seed_scores_match_rank_bm25(engine: Engine) -> None:
    # "pakistan" and "afghanistan" are in most passages: rank-bm25 floors their idf.
    queries = [["mediat"], ["pakistan"], ["afghanistan", "pakistan"], ["ambassador", "agre"],
               ["pakistan", "pakistan", "kabul"], ["unknownterm"], ["taliban", "unknownterm", "china"]]  # fmt: skip
    assert_matches_rank_bm25(engine, queries)
    state = engine._state
    assert state.scorer.idf(state.vocabulary.get("pakistan")) == pytest.approx(
        engine.config.epsilon * state.scorer.average_idf
    )


@pytest.mark.parametrize("config", [IndexConfig(), IndexConfig(passage_sentences=1, passage_overlap=0, k1=1.2, b=0.5, epsilon=0.5)])
def test_random_corpus_across_segments_and_removals(tmp_path: Path, config: IndexConfig) -> None:
    rng = random.Random(7)
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def article(n: int) -> dict:
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(3, 12))).capitalize() + "." for _ in range(rng.randint(1, 7))]
        return {"id": n, "title": f"Story {n}", "text": " ".join(sentences), "published": "2025-01-02"}

    write_jsonl(corpus / "a.jsonl", [article(n) for n in range(40)])
    write_jsonl(corpus / "b.jsonl", [article(n) for n in range(40, 70)])
    engine = load(corpus, tmp_path / "index", config)
    queries = [rng.sample(WORDS, k) for k in (1, 2, 3, 4) for _ in range(5)] + [["pakistan", "pakistan", "oil"]]
    assert_matches_rank_bm25(engine, queries)

    write_jsonl(corpus / "c.jsonl", [article(n) for n in range(70, 90)])  # a second segment
    engine.refresh()
    assert len(engine._state.segments) == 2
    assert_matches_rank_bm25(engine, queries)

    (corpus / "a.jsonl").unlink()  # passages deleted inside the first segment, b.jsonl's still live there
    engine.refresh()
    assert engine.stats().articles == 50 and len(engine._state.scorer.deleted) > 0
    assert_matches_rank_bm25(engine, queries)
    engine.remove_sources(["c.jsonl#75"])
    assert engine.stats().articles == 49
    assert_matches_rank_bm25(engine, queries)

    reloaded = load(corpus, tmp_path / "index", config)
    assert reloaded.last_report.unchanged and not reloaded.last_report.rebuilt
    assert_matches_rank_bm25(reloaded, queries)


def test_top_k_is_exact_on_a_zipfian_corpus(tmp_path: Path) -> None:
    # Common and rare words together: the case where top() skips walking the common words' postings.
    rng = random.Random(11)
    vocabulary = [f"w{n}x" for n in range(400)]
    zipf = [1 / (n + 1) for n in range(400)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = []
    for n in range(500):
        sentences = [" ".join(rng.choices(vocabulary, zipf, k=8)) + "." for _ in range(6)]
        records.append({"id": n, "title": f"S{n}", "text": " ".join(sentences), "published": "2025-01-01"})
    write_jsonl(corpus / "z.jsonl", records)
    engine = load(corpus, tmp_path / "index")
    (corpus / "z.jsonl").write_text("".join(__import__("json").dumps(r) + "\n" for r in records[:450]))
    write_jsonl(corpus / "more.jsonl", records[450:])  # a second segment, and deletions in the first
    engine.refresh()
    numbers, passages = live_passage_tokens(engine)
    oracle = BM25Okapi(passages)
    state = engine._state
    analyser = Analyser()
    for query_words in (["w0x", "w150x"], ["w1x", "w2x", "w300x"], ["w0x", "w1x", "w3x", "w90x"], ["w399x", "w0x"], ["w5x"]):
        query = [t for w in query_words for t in analyser.tokens(w)]
        expected_scores = oracle.get_scores(query)
        holding = [i for i, doc in enumerate(passages) if set(doc) & set(query)]
        expected = sorted(holding, key=lambda i: (-expected_scores[i], numbers[i]))[:3]
        got = state.scorer.top([state.vocabulary.get(t) for t in query], 3)
        assert [p for p, _ in got] == [numbers[i] for i in expected], query_words
        np.testing.assert_allclose([s for _, s in got], [expected_scores[i] for i in expected], rtol=0, atol=1e-9)
