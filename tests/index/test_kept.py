"""Removed sources kept for restore: the engine keeps before it deletes, expiry, and the reader's unsupported files."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.index import KEEP_DAYS, SourceError, drop_expired, kept_sources, load, restore_kept
from newsbot.index.models import Problem
from newsbot.index.reading.articles import UNSUPPORTED, corpus_files, take_json_articles
from newsbot.index.storage.kept import keep_removed
from tests.conftest import write_jsonl

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("news.txt", False), ("wire.jsonl", False), ("wire.JSONL.GZ", False),
        ("page.html", False), ("page.HTM", False), ("notes.md", False),
        ("scan.pdf", True), ("slides.pptx", True), ("archive.gz", True), ("README", True),
        (".hidden.html", False), (".DS_Store", False),
    ],
)  # fmt: skip
def test_files_of_other_types_are_problems_hidden_ones_are_not(tmp_path: Path, name: str, skipped: bool) -> None:
    (tmp_path / name).write_text("Title\n\nBody.\n")
    problems: list[Problem] = []
    corpus_files(tmp_path, problems)
    assert problems == ([Problem(name, UNSUPPORTED)] if skipped else [])


def test_take_json_articles_returns_each_removed_line(tmp_path: Path) -> None:
    (tmp_path / "w.jsonl").write_bytes(b'{"id": 1, "title": "A", "text": "a."}\r\n{"title": "B", "text": "b."}\n{"id": 3, "title": "C", "text": "c."}')
    payload, lines = take_json_articles(tmp_path / "w.jsonl", tmp_path, {"w.jsonl#2", "w.jsonl#3"})
    assert payload == b'{"id": 1, "title": "A", "text": "a."}\r\n'
    assert lines == {"w.jsonl#2": b'{"title": "B", "text": "b."}\n', "w.jsonl#3": b'{"id": 3, "title": "C", "text": "c."}\n'}


def test_engine_keeps_what_it_removes_and_nothing_when_removal_fails(seed_corpus: Path, tmp_path: Path) -> None:
    write_jsonl(seed_corpus / "wire.jsonl", [{"id": 7, "title": "Glacier", "published": "2025-07-01", "text": "The Rhone glacier lost ice."}])
    engine = load(seed_corpus, tmp_path / "index")
    keep = tmp_path / "keep"
    with pytest.raises(SourceError):
        engine.remove_sources(["wire.jsonl#7", "missing.txt"], keep_dir=keep)
    assert kept_sources(keep) == []
    original = (seed_corpus / "arab_news.txt").read_bytes()
    engine.remove_sources(["wire.jsonl#7", "arab_news.txt"], keep_dir=keep)
    assert sorted((k.source, k.file, k.whole_file) for k in kept_sources(keep)) == [
        ("arab_news.txt", "arab_news.txt", True), ("wire.jsonl#7", "wire.jsonl", False),
    ]  # fmt: skip
    assert engine.stats().articles == 0
    restore_kept(keep, "arab_news.txt", seed_corpus)
    assert (seed_corpus / "arab_news.txt").read_bytes() == original


def test_a_file_that_cannot_be_kept_stops_the_removal(seed_corpus: Path, tmp_path: Path) -> None:
    engine = load(seed_corpus, tmp_path / "index")
    keep = tmp_path / "keep"
    keep.write_text("a file where the keep folder should be")
    with pytest.raises(SourceError, match="nothing removed"):
        engine.remove_sources(["arab_news.txt"], keep_dir=keep)
    assert (seed_corpus / "arab_news.txt").exists() and engine.stats().articles == 2


@pytest.mark.parametrize(("age_days", "kept"), [(0, True), (KEEP_DAYS - 1, True), (KEEP_DAYS, False), (KEEP_DAYS + 5, False)])
def test_drop_expired(tmp_path: Path, age_days: int, kept: bool) -> None:
    entry = keep_removed(tmp_path, "a.txt", "a.txt", b"A\n\nBody.\n", now=NOW - timedelta(days=age_days))
    assert entry.expires == entry.removed_at + timedelta(days=KEEP_DAYS)
    dropped = drop_expired(tmp_path, now=NOW)
    assert ([k.source for k in kept_sources(tmp_path)], [k.source for k in dropped]) == ((["a.txt"], []) if kept else ([], ["a.txt"]))


def test_half_kept_leftovers_are_ignored_then_dropped_when_old(tmp_path: Path) -> None:
    leftover = tmp_path / ".keeping-crashed"
    leftover.mkdir()
    (leftover / "content").write_bytes(b"half")
    assert kept_sources(tmp_path) == []
    drop_expired(tmp_path, now=datetime.now(UTC))
    assert leftover.exists()
    drop_expired(tmp_path, now=datetime.now(UTC) + timedelta(days=KEEP_DAYS + 1))
    assert not leftover.exists()


def test_restore_appends_to_a_gzip_and_recreates_a_gone_file(tmp_path: Path) -> None:
    corpus, keep = tmp_path / "corpus", tmp_path / "keep"
    corpus.mkdir()
    (corpus / "w.jsonl.gz").write_bytes(gzip.compress(b'{"id": 1, "title": "A", "text": "a."}'))
    keep_removed(keep, "w.jsonl.gz#2", "w.jsonl.gz", b'{"id": 2, "title": "B", "text": "b."}\n', now=NOW)
    keep_removed(keep, "sub/x.jsonl#9", "sub/x.jsonl", b'{"id": 9, "title": "X", "text": "x."}\n', now=NOW)
    restore_kept(keep, "w.jsonl.gz#2", corpus)
    restore_kept(keep, "sub/x.jsonl#9", corpus)
    assert [json.loads(line)["id"] for line in gzip.decompress((corpus / "w.jsonl.gz").read_bytes()).splitlines()] == [1, 2]
    assert (corpus / "sub" / "x.jsonl").read_bytes() == b'{"id": 9, "title": "X", "text": "x."}\n'
    assert kept_sources(keep) == []


def test_restore_takes_the_newest_copy(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    keep_removed(tmp_path / "keep", "a.txt", "a.txt", b"Old\n\nFirst version.\n", now=NOW - timedelta(days=2))
    keep_removed(tmp_path / "keep", "a.txt", "a.txt", b"New\n\nSecond version.\n", now=NOW)
    restore_kept(tmp_path / "keep", "a.txt", corpus)
    assert (corpus / "a.txt").read_text().startswith("New") and len(kept_sources(tmp_path / "keep")) == 1
