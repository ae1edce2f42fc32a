"""The first phase of a refresh: how the corpus folder differs from the files the index holds."""

from __future__ import annotations

import os
from pathlib import Path

from newsbot.index import load
from newsbot.index.storage.corpus_diff import diff_corpus
from newsbot.index.storage.store import Manifest, read_manifest


def _story(title: str) -> str:
    return f"{title}\n\nThe council met on Monday and agreed the plan.\n"


def _indexed(tmp_path: Path, names: list[str]) -> tuple[Path, Manifest]:
    """Return a corpus folder of small stories and the manifest of its freshly built index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        (corpus / name).write_text(_story(name), encoding="utf-8")
    load(corpus, tmp_path / "index")
    manifest = read_manifest(tmp_path / "index")
    assert manifest is not None
    return corpus, manifest


def _touch(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def test_each_file_is_sorted_by_what_happened_to_it(tmp_path: Path) -> None:
    corpus, manifest = _indexed(tmp_path, ["kept.txt", "touched.txt", "changed.txt", "removed.txt"])
    _touch(corpus / "touched.txt")
    (corpus / "changed.txt").write_text(_story("changed, and longer now"), encoding="utf-8")
    (corpus / "removed.txt").unlink()
    (corpus / "added.txt").write_text(_story("added"), encoding="utf-8")

    diff = diff_corpus(manifest, corpus)

    assert (diff.added, diff.changed, diff.removed) == (("added.txt",), ("changed.txt",), ("removed.txt",))
    assert sorted(diff.to_read) == ["added.txt", "changed.txt"]
    assert diff.changes
    assert diff.files["kept.txt"] == manifest.files["kept.txt"]
    touched, before = diff.files["touched.txt"], manifest.files["touched.txt"]
    assert touched.sha256 == before.sha256 and touched.placements == before.placements
    assert touched.mtime_ns == (corpus / "touched.txt").stat().st_mtime_ns != before.mtime_ns
    assert diff.files["added.txt"].sha256 == diff.files["changed.txt"].sha256 == ""  # the builder hashes them
    assert "removed.txt" not in diff.files


def test_a_touched_file_is_no_change(tmp_path: Path) -> None:
    corpus, manifest = _indexed(tmp_path, ["a.txt", "b.txt"])
    _touch(corpus / "a.txt")
    diff = diff_corpus(manifest, corpus)
    assert not diff.changes and diff.to_read == ()
    assert diff.files != manifest.files  # its new mtime is still remembered


def test_an_unchanged_folder_gives_back_the_manifest_files(tmp_path: Path) -> None:
    corpus, manifest = _indexed(tmp_path, ["a.txt", "b.txt"])
    diff = diff_corpus(manifest, corpus)
    assert not diff.changes and diff.files == manifest.files and diff.unreadable == ()
