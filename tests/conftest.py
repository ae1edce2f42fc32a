"""Shared fixtures: a real corpus on disk and a real index built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Engine, load

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
