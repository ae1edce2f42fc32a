"""Refreshing a corpus folder that misbehaves: files that cannot be read, a folder that empties or goes away."""

from __future__ import annotations

import os
from pathlib import Path

from newsbot.index import load
from tests.permissions import permissions_enforced

BRIDGE = "Bridge deal\n\nThe council signed the bridge deal on Monday.\n"
FERRY = "Ferry strike\n\nThe ferry crews went on strike on Tuesday.\n"


def _touch_later(path: Path) -> None:
    """Move a file's mtime a second on, as an rsync that rewrote it would."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_an_indexed_file_that_cannot_be_read_again_keeps_its_articles_and_blocks_nothing(seed_corpus: Path, tmp_path: Path) -> None:
    (seed_corpus / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    load(seed_corpus, tmp_path / "index")
    (seed_corpus / "bridge.txt").chmod(0)
    _touch_later(seed_corpus / "bridge.txt")
    (seed_corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    with permissions_enforced():
        engine = load(seed_corpus, tmp_path / "index")
        again = load(seed_corpus, tmp_path / "index")  # and the next refresh says so again, blocking nothing
    report = engine.last_report
    assert report.added == ("ferry.txt",) and report.articles_added == 1
    unread = ["bridge.txt: cannot read file: Permission denied; its articles as last indexed are kept"]
    assert [str(p) for p in report.skipped] == unread
    assert [str(p) for p in again.last_report.skipped] == unread and again.last_report.unchanged
    assert {"bridge.txt", "ferry.txt"} <= {s.source for s in again.sources()}
    assert "bridge" in again.answer("who signed the bridge deal?").quotes[0].text


def test_a_corpus_folder_that_empties_keeps_the_last_good_index_until_emptied_on_purpose(seed_corpus: Path, tmp_path: Path, caplog) -> None:
    import logging

    import pytest

    from newsbot.index import CorpusGoneError

    caplog.set_level(logging.WARNING, logger="newsbot.index.engine")  # the CLI's --quiet may have raised it
    built = load(seed_corpus, tmp_path / "index")
    articles = built.stats().articles
    away = tmp_path / "away"
    away.mkdir()
    for path in seed_corpus.iterdir():  # the share is unmounted: its mount point is an empty folder
        path.rename(away / path.name)
    engine = load(seed_corpus, tmp_path / "index")
    assert "holds no article file, but the index holds" in caplog.text
    assert engine.stats().articles == articles and engine.answer("who mediated?").quotes
    with pytest.raises(CorpusGoneError, match="the index is kept as it was"):
        engine.refresh()
    assert load(seed_corpus, tmp_path / "index").stats().articles == articles
    assert engine.refresh(allow_empty=True).articles_removed == articles  # the user emptied it on purpose
    assert load(seed_corpus, tmp_path / "index").stats().articles == 0


def test_a_missing_corpus_folder_answers_from_the_last_good_index(seed_corpus: Path, tmp_path: Path, caplog) -> None:
    import logging

    import pytest

    from newsbot.index import CorpusError, CorpusGoneError

    caplog.set_level(logging.WARNING, logger="newsbot.index.engine")
    articles = load(seed_corpus, tmp_path / "index").stats().articles
    seed_corpus.rename(tmp_path / "away")
    engine = load(seed_corpus, tmp_path / "index")
    assert "does not exist or is not a folder; the index keeps its" in caplog.text
    assert engine.stats().articles == articles and engine.answer("who mediated?").quotes
    with pytest.raises(CorpusGoneError):
        engine.refresh(allow_empty=True)  # an empty folder empties the index on purpose; a missing one never
    with pytest.raises(CorpusError, match="does not exist"):
        load(seed_corpus, tmp_path / "other-index")  # no last good index to answer from


def _corpus(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "story.txt").write_text(text, encoding="utf-8")
    return folder


def test_an_index_folder_belongs_to_one_corpus_and_a_loaded_engine_never_moves_to_another(tmp_path: Path, monkeypatch, caplog) -> None:
    import logging

    import pytest

    from newsbot.index import IndexOwnerError
    from newsbot.index import engine as engine_module

    caplog.set_level(logging.WARNING, logger="newsbot.index.engine")
    monkeypatch.setattr(engine_module, "MANIFEST_CHECK_S", 0.0)  # look at the manifest at every question
    bridges, ferries = _corpus(tmp_path / "bridges", BRIDGE), _corpus(tmp_path / "ferries", FERRY)
    shared = tmp_path / "shared"
    first = load(bridges, shared)
    with pytest.raises(IndexOwnerError, match=f"the index in {shared} belongs to the corpus folder {bridges}"):
        load(ferries, shared)
    taken = load(ferries, shared, take_over=True)  # on purpose: rebuilt for the other corpus
    assert taken.last_report.rebuilt and f"belonged to the corpus folder {bridges}" in taken.last_report.reason
    assert "bridge" in first.answer("who signed the bridge deal?").quotes[0].text  # still its own corpus's index
    assert "answering from the index loaded before" in caplog.text
    assert [s.source for s in first.sources()] == ["story.txt"] and "Bridge" in first.sources()[0].title
    with pytest.raises(IndexOwnerError):
        first.refresh()  # never taken back behind the other corpus's back
    with pytest.raises(IndexOwnerError):
        load(bridges, shared)


def test_an_index_whose_corpus_folder_is_gone_serves_the_corpus_it_is_opened_with(tmp_path: Path) -> None:
    bridges = _corpus(tmp_path / "bridges", BRIDGE)
    load(bridges, tmp_path / "index")
    moved = bridges.rename(tmp_path / "renamed")  # a corpus renamed, or an index copied to another machine
    engine = load(moved, tmp_path / "index")
    assert engine.last_report.unchanged and not engine.last_report.rebuilt
