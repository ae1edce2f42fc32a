"""Shared fixtures: a real corpus on disk and a real index built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import numpy as np
from rank_bm25 import BM25Okapi

from newsbot.index import Engine, load
from newsbot.index.analysis import Analyser

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "arab_news.txt"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the developer's environment and user data directory out of every test."""
    import os

    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """Return a corpus folder holding the client's two articles."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    return corpus


@pytest.fixture
def engine(seed_corpus: Path, tmp_path: Path) -> Engine:
    """Return an engine over the seed corpus, its index built on disk."""
    return load(seed_corpus, tmp_path / "index")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    """Write article records as JSON lines."""
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def live_passage_tokens(engine: Engine) -> tuple[list[int], list[list[str]]]:
    """Return the global numbers and tokens of every live passage, re-analysed from its text."""
    state = engine._state
    analyser = Analyser()
    numbers, corpus = [], []
    for segment, article in state.live_articles:
        base = state.scorer.bases[state.segments.index(segment)]
        record = segment.articles[article]
        for passage in range(record.first_passage, record.first_passage + record.passages):
            numbers.append(base + passage)
            corpus.append([t for s in segment.passage_sentences(passage) for t in analyser.tokens(segment.sentence(s))])
    return numbers, corpus


def assert_matches_rank_bm25(engine: Engine, queries: list[list[str]]) -> None:
    numbers, corpus = live_passage_tokens(engine)
    config = engine.config
    oracle = BM25Okapi(corpus, k1=config.k1, b=config.b, epsilon=config.epsilon)
    state = engine._state
    for query in queries:
        ours = state.scorer.get_scores([state.vocabulary.get(t) for t in query])[numbers]
        np.testing.assert_allclose(ours, oracle.get_scores(query), rtol=0, atol=1e-9)
        top = state.scorer.top([state.vocabulary.get(t) for t in query], 5)
        holding = [i for i, doc in enumerate(corpus) if set(doc) & set(query)]
        expected = sorted(((oracle.get_scores(query)[i], -i) for i in holding), reverse=True)[:5]
        assert [round(s, 9) for _, s in top] == [round(s, 9) for s, _ in expected]
