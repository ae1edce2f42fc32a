"""Writes and deletes stay inside the corpus and touch only what they name (attack faults 3, 4, 5, 13)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsbot.index import SourceError, load, restore_into_corpus


def line(article_id: str, title: str) -> bytes:
    return json.dumps({"id": article_id, "title": title, "published": "2025-07-01", "text": f"{title} happened today."}).encode()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wire.jsonl").write_bytes(line("1", "Port reopens") + b"\r\n" + line("2", "Dam bursts") + b"\r\n")
    return folder


def test_a_planted_staging_link_is_never_written_through(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    for planted in (".wire.jsonl.removing", ".new.txt.adding"):
        (corpus / planted).symlink_to(outside)
    engine = load(corpus, tmp_path / "index")
    new = tmp_path / "new.txt"
    new.write_text("Bridge opens\n\nThe bridge opened on Monday.\n", encoding="utf-8")
    engine.add_files([new])
    engine.remove_sources(["wire.jsonl#1"])
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (corpus / "wire.jsonl").is_symlink() and not (corpus / "new.txt").is_symlink()
    assert (corpus / "new.txt").read_text(encoding="utf-8") == new.read_text(encoding="utf-8")


def test_removing_a_symlink_removes_the_link_not_its_target(corpus: Path, tmp_path: Path) -> None:
    (corpus / "sub").mkdir()
    real = corpus / "sub" / "real.txt"
    real.write_text("Bridge opens\n\nThe bridge opened on Monday.\n", encoding="utf-8")
    (corpus / "alias.txt").symlink_to("sub/real.txt")
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources(["alias.txt"])
    assert real.exists() and not (corpus / "alias.txt").is_symlink()
    assert "sub/real.txt" in {s.source for s in engine.sources()}


@pytest.mark.parametrize("name", ["wire.jsonl#1.txt", "Q&A #2.txt"])
def test_a_source_naming_a_file_is_that_file_whatever_its_name(corpus: Path, tmp_path: Path, name: str) -> None:
    (corpus / name).write_text("Bridge opens\n\nThe bridge opened on Monday.\n", encoding="utf-8")
    before = (corpus / "wire.jsonl").read_bytes()
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources([name])
    assert not (corpus / name).exists()
    assert (corpus / "wire.jsonl").read_bytes() == before


def test_removing_one_json_line_keeps_every_other_byte(corpus: Path, tmp_path: Path) -> None:
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources(["wire.jsonl#1"])
    assert (corpus / "wire.jsonl").read_bytes() == b"\r\n" + line("2", "Dam bursts") + b"\r\n"  # left blank, ending kept


def test_a_duplicate_of_the_removed_id_goes_with_it(corpus: Path, tmp_path: Path) -> None:
    duplicate = line("1", "Port closes again")  # skipped when read ("duplicate id"): it would take the name over
    (corpus / "wire.jsonl").write_bytes(line("1", "Port reopens") + b"\n" + duplicate + b"\n" + line("2", "Dam bursts") + b"\n")
    engine = load(corpus, tmp_path / "index")
    keep = tmp_path / "keep"
    engine.remove_sources(["wire.jsonl#1"], keep_dir=keep)
    assert (corpus / "wire.jsonl").read_bytes() == b"\n\n" + line("2", "Dam bursts") + b"\n"
    assert {s.source for s in engine.sources()} == {"wire.jsonl#2"} and engine.last_report.skipped == ()
    restore_into_corpus(keep, "wire.jsonl#1", corpus)  # both lines come back, the indexed one first
    assert (corpus / "wire.jsonl").read_bytes() == b"\n\n" + line("2", "Dam bursts") + b"\n" + line("1", "Port reopens") + b"\n" + duplicate + b"\n"
    engine.refresh()
    assert {s.title for s in engine.sources()} == {"Port reopens", "Dam bursts"}


def test_a_truncated_gzip_is_not_rewritten(corpus: Path, tmp_path: Path) -> None:
    whole = gzip.compress(line("1", "Port reopens") + b"\n" + line("2", "Dam bursts") + b"\n" * 2000)
    path = corpus / "old.jsonl.gz"
    path.write_bytes(whole[: len(whole) - 12])
    engine = load(corpus, tmp_path / "index")
    broken = path.read_bytes()
    with pytest.raises(SourceError, match="not rewritten"):
        engine.remove_sources(["old.jsonl.gz#1"])
    assert path.read_bytes() == broken


def test_remove_takes_the_line_the_index_holds_and_refuses_what_it_lacks(corpus: Path, tmp_path: Path) -> None:
    broken = json.dumps({"id": "7", "title": "", "text": "No title."}).encode()
    (corpus / "wire.jsonl").write_bytes(broken + b"\n" + line("7", "Dam bursts") + b"\n")
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources(["wire.jsonl#7"])
    assert (corpus / "wire.jsonl").read_bytes() == broken + b"\n\n"


def test_a_removal_that_cannot_rewrite_a_file_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    whole = gzip.compress(line("1", "Port reopens") + b"\n" + line("2", "Dam bursts") + b"\n" * 2000)
    (corpus / "old.jsonl.gz").write_bytes(whole[: len(whole) - 12])
    (corpus / "other.txt").write_text("Bridge opens\n\nThe bridge opened on Monday.\n", encoding="utf-8")
    engine = load(corpus, tmp_path / "index")
    with pytest.raises(SourceError):
        engine.remove_sources(["other.txt", "old.jsonl.gz#1"])
    assert (corpus / "other.txt").exists()


def test_rewrites_keep_permissions_and_the_manifest_stays_readable_by_others(corpus: Path, tmp_path: Path) -> None:
    (corpus / "wire.jsonl").chmod(0o644)
    engine = load(corpus, tmp_path / "index")
    engine.remove_sources(["wire.jsonl#1"])
    assert (corpus / "wire.jsonl").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "index" / "manifest.json").stat().st_mode & 0o777 == 0o644


def test_a_deeply_nested_json_line_is_one_skipped_line(corpus: Path, tmp_path: Path) -> None:
    (corpus / "deep.jsonl").write_text("[" * 100_000 + "\n" + line("ok", "Fine").decode() + "\n", encoding="utf-8")
    engine = load(corpus, tmp_path / "index")
    assert [str(p) for p in engine.last_report.skipped] == ["deep.jsonl:1: not JSON: nested too deeply"]
    assert "deep.jsonl#ok" in {s.source for s in engine.sources()}


@pytest.mark.parametrize(
    ("source", "file"),
    [("wire.jsonl#42", "wire.jsonl"), ("old.jsonl.gz#a#b", "old.jsonl.gz"), ("Q&A #2.txt", "Q&A #2.txt"),
     ("dir#x/wire.jsonl#3", "dir#x/wire.jsonl"), ("notes.txt", "notes.txt"), ("wire.jsonl#1.txt", "wire.jsonl")],
)  # fmt: skip
def test_the_file_a_source_names(source: str, file: str) -> None:
    from newsbot.index import source_file

    assert source_file(source) == file
    assert source_file(source, {source}) == source  # a corpus file of that very name is that file


def test_staging_copies_left_by_a_killed_writer_are_swept_by_the_next(corpus: Path, tmp_path: Path) -> None:
    (corpus / "sub").mkdir()
    leftovers = [corpus / ".big.jsonl.k2x_9q0a.adding", corpus / ".wire.jsonl.0abc_def.tmp", corpus / "sub" / ".n.txt.zz9zz9zz.restoring"]
    others = [corpus / ".notes.abcdefgh.tmp", corpus / ".wire.jsonl.tmp", corpus / "sub" / "keep.txt.abcdefgh.adding"]
    for path in (*leftovers, *others):
        path.write_text("a copy")
    engine = load(corpus, tmp_path / "index")
    assert all(p.exists() for p in leftovers)  # reading never deletes: a writer may be at work
    engine.remove_sources(["wire.jsonl#2"])  # a writer holds the corpus lock: no other is at work
    assert not any(p.exists() for p in leftovers) and all(p.exists() for p in others)
