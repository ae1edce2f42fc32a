"""A loaded engine while another process rewrites the index (attack fault 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbot.index import engine as engine_module
from newsbot.index import load


def test_a_loaded_engine_keeps_answering_when_another_process_rebuilds(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    bot = load(seed_corpus, tmp_path / "index")  # as the Discord bot holds it
    before = bot.answer("who mediated?")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    old_segments = [tmp_path / "index" / name for name in manifest["segments"]]
    other = load(seed_corpus, tmp_path / "index")  # as `newsbot refresh --rebuild` in another process
    other.refresh(rebuild_reason="asked to rebuild")
    assert not any(d.exists() for d in old_segments)  # the old generation is gone from disk
    assert bot.answer("who mediated?") == before
    assert bot.sources() == other.sources()
    assert bot.stats().articles == 2


def test_a_loaded_engine_moves_to_the_index_another_process_wrote(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(engine_module, "MANIFEST_CHECK_S", 0.0)  # look on every question
    bot = load(seed_corpus, tmp_path / "index")
    (seed_corpus / "bridge.txt").write_text("Bridge deal\nDate: 3 November 2025\n\nThe council signed the bridge deal on Monday.\n", encoding="utf-8")
    load(seed_corpus, tmp_path / "index")  # another process picks the file up
    answer = bot.answer("when was the bridge deal signed?")
    assert answer.quotes and answer.quotes[0].article.source == "bridge.txt"


def test_an_index_rebuilt_with_other_settings_is_rebuilt_again_not_built_on(seed_corpus: Path, tmp_path: Path) -> None:
    from newsbot.index import IndexConfig

    bot = load(seed_corpus, tmp_path / "index")
    load(seed_corpus, tmp_path / "index", IndexConfig(passage_sentences=4))  # another process, other settings
    (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
    report = bot.refresh()
    assert report.rebuilt and "other settings" in report.reason
    assert load(seed_corpus, tmp_path / "index", refresh_corpus=False).answer("who mediated?").quotes


def _blank_article_lists(index: Path) -> None:
    """Empty every segment's article list in place, as damage on disk would."""
    for path in index.glob("seg-*/articles.json"):
        path.write_bytes(b"")


@pytest.mark.parametrize("warmed", [False, True])
def test_warming_reads_the_article_lists_ahead_of_the_first_question(seed_corpus: Path, tmp_path: Path, warmed: bool) -> None:
    load(seed_corpus, tmp_path / "index")
    engine = load(seed_corpus, tmp_path / "index")  # opens the index it finds, reading no article list
    if warmed:
        engine.warm()
    _blank_article_lists(tmp_path / "index")
    assert len(engine.sources()) == 2
    # Unwarmed, the lists are read on first use only, so the damage is found and the index rebuilt;
    # warmed, they were read before the damage, when the bot warmed up after loading.
    assert engine.last_report.rebuilt is not warmed
