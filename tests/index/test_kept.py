"""Removed sources kept for restore: the engine keeps before it deletes, expiry, and the reader's unsupported files."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.index import KEEP_DAYS, SourceError, drop_expired, kept_sources, load, restore_into_corpus, restore_kept
from newsbot.index.models import Problem
from newsbot.index.reading.articles import UNSUPPORTED, corpus_files
from newsbot.index.reading.jsonl_removal import take_json_articles
from newsbot.index.storage.kept import keep_pending, keep_removed
from tests.conftest import write_jsonl
from tests.permissions import permissions_enforced

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
    assert payload == b'{"id": 1, "title": "A", "text": "a."}\r\n\n'  # removed lines are left blank: no line moves
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


def _ids_less(*titles: str) -> bytes:
    return b"".join(json.dumps({"title": t, "text": f"{t} happened."}).encode() + b"\n" for t in titles)


def test_an_id_less_line_goes_back_onto_its_own_line(tmp_path: Path) -> None:
    corpus, keep = tmp_path / "corpus", tmp_path / "keep"
    corpus.mkdir()
    (corpus / "w.jsonl").write_bytes(_ids_less("A", "B", "C"))
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources(["w.jsonl#2"], keep_dir=keep)
    assert (corpus / "w.jsonl").read_bytes() == _ids_less("A") + b"\n" + _ids_less("C")
    engine.remove_sources(["w.jsonl#1", "w.jsonl#3"], keep_dir=keep)
    assert not (corpus / "w.jsonl").exists()  # nothing but blank lines: deleted
    restore_kept(keep, "w.jsonl#3", corpus)  # the file comes back padded, so the line keeps its number
    assert (corpus / "w.jsonl").read_bytes() == b"\n\n" + _ids_less("C")
    restore_kept(keep, "w.jsonl#1", corpus)
    restore_kept(keep, "w.jsonl#2", corpus)
    assert (corpus / "w.jsonl").read_bytes() == _ids_less("A", "B", "C") and kept_sources(keep) == []


def test_an_id_less_line_is_not_restored_over_another_article(tmp_path: Path) -> None:
    corpus, keep = tmp_path / "corpus", tmp_path / "keep"
    corpus.mkdir()
    keep_removed(keep, "w.jsonl#2", "w.jsonl", _ids_less("B"), now=NOW)
    (corpus / "w.jsonl").write_bytes(_ids_less("A", "X"))
    with pytest.raises(SourceError, match="line 2 of w.jsonl holds another article now"):
        restore_kept(keep, "w.jsonl#2", corpus)
    (corpus / "w.jsonl").write_bytes(_ids_less("A", "B"))
    with pytest.raises(SourceError, match="in the corpus again"):
        restore_kept(keep, "w.jsonl#2", corpus)
    assert (corpus / "w.jsonl").read_bytes() == _ids_less("A", "B") and [k.source for k in kept_sources(keep)] == ["w.jsonl#2"]


def test_a_copy_kept_for_a_removal_that_never_finished_is_settled(tmp_path: Path) -> None:
    corpus, keep = tmp_path / "corpus", tmp_path / "keep"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (corpus / name).write_text(f"{name}\n\nThe {name} story.\n")
    (corpus / "w.jsonl").write_bytes(_ids_less("A", "B"))
    # Removals killed after keeping: a.txt and w.jsonl#1 were not deleted yet, b.txt and w.jsonl#2 were.
    for source, file, content in [("a.txt", "a.txt", corpus / "a.txt"), ("b.txt", "b.txt", corpus / "b.txt"),
                                  ("w.jsonl#1", "w.jsonl", _ids_less("A")), ("w.jsonl#2", "w.jsonl", _ids_less("B"))]:  # fmt: skip
        keep_pending(keep, source, file, content, corpus)
    (corpus / "b.txt").unlink()
    (corpus / "w.jsonl").write_bytes(_ids_less("A") + b"\n")
    assert kept_sources(keep) == []  # nothing is listed as removed while it may still be in the corpus
    restore_into_corpus(keep, "b.txt", corpus)  # under the corpus lock, the leftovers are settled first
    assert (corpus / "b.txt").exists() and [k.source for k in kept_sources(keep)] == ["w.jsonl#2"]
    assert [p.name for p in keep.iterdir()] == [kept_sources(keep)[0].folder.name]  # a.txt's and #1's copies dropped


def test_a_removal_that_fails_halfway_keeps_only_what_went(tmp_path: Path) -> None:
    corpus, keep = tmp_path / "corpus", tmp_path / "keep"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "a.txt").write_text("Bridge\n\nThe bridge opened.\n")
    (corpus / "locked" / "b.txt").write_text("Dam\n\nThe dam opened.\n")
    engine = load(corpus, tmp_path / "index")
    (corpus / "locked").chmod(0o555)
    try:
        with permissions_enforced(), pytest.raises(SourceError) as raised:
            engine.remove_sources(["a.txt", "locked/b.txt"], keep_dir=keep)
    finally:
        (corpus / "locked").chmod(0o755)
    assert str(raised.value) == "cannot delete locked/b.txt: Permission denied; only a.txt removed"
    assert [k.source for k in kept_sources(keep)] == ["a.txt"] and not (corpus / "a.txt").exists()
    assert (corpus / "locked" / "b.txt").exists() and not [p for p in keep.iterdir() if p.name.startswith(".")]
