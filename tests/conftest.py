"""Shared fixtures: a real corpus on disk and a real index built from it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import numpy as np
from rank_bm25 import BM25Okapi

from newsbot.index import Engine, load
from newsbot.index.analysis import Analyser
from tests.index.web.server import LocalWeb

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


@pytest.fixture(autouse=True)
def _logger_levels() -> Iterator[None]:
    """Give each test the logger levels it started with: `main(["--quiet", ...])` sets the engine's to ERROR,
    which hid a later test's warnings depending on the order tests ran in."""
    import logging

    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    levels = [(logger, logger.level) for logger in loggers]
    yield
    for logger, level in levels:
        logger.setLevel(level)


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    """Return a local web server on 127.0.0.1 (routes set per test) for the feed and page tests."""
    with LocalWeb() as server:
        yield server


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


def engine_over(tmp_path: Path, records: list[dict]) -> Engine:
    """Return an engine over a corpus of one JSON-lines file holding the records (its index beside it)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", records)
    return load(corpus, tmp_path / "index")


def passage_tokens(engine: Engine) -> tuple[list[tuple[str, int, int]], list[list[str]]]:
    """Return the (source, article, number) and the tokens of every live passage, re-analysed from its sentences."""
    analyser = Analyser()
    keys, corpus = [], []
    for passage in engine.passages():
        keys.append((passage.source, passage.article, passage.passage))
        corpus.append([t for sentence in passage.sentences for t in analyser.tokens(sentence)])
    return keys, corpus


def assert_matches_rank_bm25(engine: Engine, questions: list[str], k: int = 5) -> None:
    """Check every passage's score for each question against rank_bm25.BM25Okapi, and a top-k search too.

    A search deep enough to return every passage holding a question term walks
    every posting; a top-k search prunes (MaxScore): both must give rank-bm25's
    scores, a passage holding no question term scoring 0.
    """
    keys, corpus = passage_tokens(engine)
    config = engine.config
    oracle = BM25Okapi(corpus, k1=config.k1, b=config.b, epsilon=config.epsilon)
    for question in questions:
        terms = engine.analyse(question)
        expected = oracle.get_scores(terms)
        everything = engine.search(question, k=len(keys))
        found = {(hit.source, hit.article, hit.passage): hit.score for hit in everything}
        assert len(found) == len(everything), question  # no passage twice
        assert set(found) == {keys[i] for i, doc in enumerate(corpus) if set(doc) & set(terms)}, question
        np.testing.assert_allclose([found.get(key, 0.0) for key in keys], expected, rtol=0, atol=1e-9, err_msg=question)
        ranked = [hit.score for hit in everything]
        assert ranked == sorted(ranked, reverse=True), question
        top = engine.search(question, k)
        assert len(top) == min(k, len(everything)), question
        np.testing.assert_allclose([hit.score for hit in top], ranked[:k], rtol=0, atol=1e-9, err_msg=question)
        np.testing.assert_allclose(
            [hit.score for hit in top], [found[hit.source, hit.article, hit.passage] for hit in top], rtol=0, atol=1e-9, err_msg=question
        )


def as_format(index_dir: Path, version: int) -> None:
    """Turn a freshly built index into what format 11 wrote, then call it `version`.

    Format 11 lacked each segment's art_offsets.npy and art_position.npy, and
    the posting blocks (post_skips.npy, post_block.npy), and their entries in
    checksums.json; its manifest and articles.json were written as format 12
    writes them.
    """
    import json

    from newsbot.index.storage.checksums import CHECKSUMS
    from newsbot.index.storage.store import MANIFEST

    for segment in sorted(index_dir.glob("seg-*")):
        sums = json.loads((segment / CHECKSUMS).read_text(encoding="utf-8"))
        for name in ("art_offsets.npy", "art_position.npy", "post_skips.npy", "post_block.npy"):
            (segment / name).unlink()
            del sums[name]
        (segment / CHECKSUMS).write_text(json.dumps(sums), encoding="utf-8")
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["format"] = version
    (index_dir / MANIFEST).write_bytes(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
