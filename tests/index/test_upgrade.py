"""Upgrading the index format: the previous format still answers while it is rebuilt, once, with progress."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest

from newsbot.index import Engine, load
from newsbot.index.storage.locks import writer_lock
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.store import FORMAT_VERSION, MANIFEST, READABLE_FORMATS
from tests.conftest import as_format

QUESTIONS = ("who mediated?", "when were ambassadors agreed?")


def _format(index_dir: Path) -> int:
    return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["format"]


def _answers(engine: Engine) -> list:
    return [engine.answer(question).quotes for question in QUESTIONS]


@pytest.fixture
def old_index(seed_corpus: Path, tmp_path: Path) -> tuple[Path, list]:
    """Return a format-11 index of the seed corpus, and the quotes format 12 answered with."""
    index_dir = tmp_path / "index"
    expected = _answers(load(seed_corpus, index_dir))
    assert all(expected)
    as_format(index_dir, 11)
    return index_dir, expected


def test_the_previous_format_is_read() -> None:
    assert READABLE_FORMATS == (FORMAT_VERSION - 1, FORMAT_VERSION)


def test_a_format_11_segment_reads_as_its_format_12_self(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    load(seed_corpus, index_dir)
    folder = next(index_dir.glob("seg-*"))
    new = Segment(folder)
    records, positions = list(new.articles), [new.source_position(n) for n in range(new.article_count)]
    as_format(index_dir, 11)
    with pytest.raises(FileNotFoundError):
        Segment(folder)  # as format 12, it is damaged
    old = Segment(folder, legacy=True)
    assert list(old.articles) == records == [old.articles[n] for n in range(len(records))] == old.articles[:]
    assert [old.articles.source(n) for n in range(len(records))] == [r.source for r in records]
    assert [new.articles.source(n) for n in range(len(records))] == [r.source for r in records]
    assert [old.source_position(n) for n in range(old.article_count)] == positions == [0, 1]
    assert old.verify() == []  # what format 11 wrote, checksums and all


def test_load_rebuilds_a_format_11_index_before_answering(seed_corpus: Path, old_index) -> None:
    index_dir, expected = old_index
    engine = load(seed_corpus, index_dir)
    assert engine.last_report.rebuilt and "format 11" in engine.last_report.reason
    assert engine.upgrade_pending is None and _format(index_dir) == FORMAT_VERSION
    assert _answers(engine) == expected


def test_in_the_background_the_old_index_answers_until_the_new_one_is_in(
    seed_corpus: Path, old_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbot.index import engine as engine_module

    monkeypatch.setattr(engine_module, "MANIFEST_CHECK_S", 0.0)
    index_dir, expected = old_index
    old_segments = sorted(p.name for p in index_dir.glob("seg-*"))
    engine = load(seed_corpus, index_dir, rebuild_in_background=True, workers=1)
    assert engine.last_report is None and "format 11" in engine.upgrade_pending
    assert _answers(engine) == expected and _format(index_dir) == 11
    sources = engine.sources()
    # Midway through the rebuild (a progress call), this engine, and another process's, answer from the old index.
    midway: dict[str, object] = {}

    def answer_meanwhile() -> None:
        midway["format"] = _format(index_dir)
        midway["this"] = _answers(engine)
        other = load(seed_corpus, index_dir, rebuild_in_background=True)
        midway["other"], midway["other engine"] = _answers(other), other

    def progress(stage: str, done: int, total: int) -> None:
        midway.setdefault("stages", []).append((stage, done, total))
        if "this" not in midway:
            thread = threading.Thread(target=answer_meanwhile)  # an answering thread: the rebuild holds the lock
            thread.start()
            thread.join()

    report = engine.refresh(progress)  # nothing changed in the corpus: the refresh is the upgrade
    assert report.rebuilt and "format 11" in report.reason
    assert midway["format"] == 11 and midway["this"] == expected and midway["other"] == expected
    assert midway["stages"][-1][1] == midway["stages"][-1][2]  # progress to the end
    assert _format(index_dir) == FORMAT_VERSION and engine.upgrade_pending is None
    assert not set(old_segments) & {p.name for p in index_dir.glob("seg-*")}  # the old generation is gone
    assert _answers(engine) == expected and engine.sources() == sources
    other = midway["other engine"]
    assert _answers(other) == expected and other.upgrade_pending is None  # it followed the new manifest
    assert engine.refresh().unchanged and not engine.refresh().rebuilt  # once


def test_a_changed_corpus_during_a_pending_upgrade_is_indexed_by_the_upgrade(seed_corpus: Path, old_index) -> None:
    index_dir, _ = old_index
    engine = load(seed_corpus, index_dir, rebuild_in_background=True)
    (seed_corpus / "new.txt").write_text("Harbour news\n\nThe harbour master mediated the dispute on Monday.\n", encoding="utf-8")
    report = engine.refresh()  # what the corpus watcher calls
    assert report.rebuilt and "new.txt" in report.added and _format(index_dir) == FORMAT_VERSION
    assert any("harbour" in quote.text for quote in engine.answer("who mediated the dispute?").quotes)


def test_a_reader_answers_from_the_old_index_while_another_process_upgrades_it(
    seed_corpus: Path, old_index, caplog: pytest.LogCaptureFixture
) -> None:
    index_dir, expected = old_index
    with writer_lock(index_dir), caplog.at_level(logging.WARNING, logger="newsbot.index.engine"):  # another writer, busy for a while
        engine = load(seed_corpus, index_dir)
    assert engine.upgrade_pending and _answers(engine) == expected and "meanwhile" in caplog.text
    assert engine.refresh().rebuilt and _format(index_dir) == FORMAT_VERSION


@pytest.mark.parametrize("background", [False, True])
def test_a_format_10_index_is_rebuilt_first(seed_corpus: Path, old_index, background: bool) -> None:
    index_dir, expected = old_index
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    (index_dir / MANIFEST).write_text(json.dumps(manifest | {"format": 10}, ensure_ascii=False, indent=1), encoding="utf-8")
    engine = load(seed_corpus, index_dir, rebuild_in_background=background)
    assert engine.last_report.rebuilt and "format 10" in engine.last_report.reason
    assert engine.upgrade_pending is None and _format(index_dir) == FORMAT_VERSION
    assert _answers(engine) == expected


def test_other_settings_are_rebuilt_first_even_in_the_background(seed_corpus: Path, old_index) -> None:
    from newsbot.index import IndexConfig

    index_dir, _ = old_index
    engine = load(seed_corpus, index_dir, IndexConfig(k1=1.2), rebuild_in_background=True)
    assert engine.last_report.rebuilt and "other settings" in engine.last_report.reason
    assert engine.upgrade_pending is None and _format(index_dir) == FORMAT_VERSION


def test_an_index_built_by_another_analyser_version_is_rebuilt_not_mixed(seed_corpus: Path, tmp_path: Path) -> None:
    # The analyser's version is in the manifest: terms of the old analyser (a URL's words, say) never meet the new one's.
    from newsbot.index.analysis import ANALYSER_VERSION

    index_dir = tmp_path / "index"
    expected = _answers(load(seed_corpus, index_dir))
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["analyser"]["version"] = ANALYSER_VERSION - 1
    (index_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    engine = load(seed_corpus, index_dir)
    assert engine.last_report.rebuilt and "other settings" in engine.last_report.reason
    assert json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["analyser"]["version"] == ANALYSER_VERSION
    assert _answers(engine) == expected
