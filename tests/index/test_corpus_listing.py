"""What the corpus listing leaves out, and says: unreadable folders, linked folders, editor backups."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.index import load
from newsbot.index.models import Problem
from newsbot.index.reading.articles import FOLDER_LINK, corpus_files, within_unseen
from tests.permissions import permissions_enforced

BRIDGE = "Bridge opens\n\nThe new bridge over the Ravi opened on Monday.\n"
DAM = "Dam opens\n\nThe Mohmand dam began producing power on Tuesday.\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_that_cannot_be_listed_is_skipped_and_its_articles_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "bridge.txt", BRIDGE)
    _write(corpus / "desk" / "dam.txt", DAM)
    engine = load(corpus, tmp_path / "index")
    assert {s.source for s in engine.sources()} == {"bridge.txt", "desk/dam.txt"}
    (corpus / "desk").chmod(0)
    try:
        with permissions_enforced():
            report = engine.refresh()
            sources = {s.source for s in engine.sources()}
            answer = engine.answer("which dam began producing power?")
    finally:
        (corpus / "desk").chmod(0o755)
    assert [str(p) for p in report.skipped] == ["desk: cannot read folder: Permission denied"]
    assert report.removed == () and report.articles_removed == 0
    assert sources == {"bridge.txt", "desk/dam.txt"} and "Mohmand" in answer.quotes[0].text
    report = engine.refresh()  # readable again: nothing to do, the index held it all along
    assert report.unchanged and report.skipped == ()


def test_a_folder_that_can_be_listed_but_not_entered_keeps_its_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "desk" / "dam.txt", DAM)
    (corpus / "desk").chmod(0o644)  # r, no x: names are listed, but nothing in it can be looked at
    unseen: list[str] = []
    problems: list[Problem] = []
    try:
        with permissions_enforced():
            assert corpus_files(corpus, problems, unseen) == []
    finally:
        (corpus / "desk").chmod(0o755)
    assert [str(p) for p in problems] == ["desk/dam.txt: cannot read file: Permission denied"] and unseen == ["desk/dam.txt"]


@pytest.mark.parametrize(
    ("name", "unseen", "within"),
    [("desk/a.txt", ["desk"], True), ("desk/sub/a.txt", ["desk"], True), ("desktop/a.txt", ["desk"], False),
     ("a.txt", ["."], True), ("a.txt", ["a.txt"], True), ("a.txt", [], False)],
)  # fmt: skip
def test_within_unseen(name: str, unseen: list[str], within: bool) -> None:
    assert within_unseen(name, unseen) is within


def test_linked_folders_are_reported_not_followed(tmp_path: Path) -> None:
    corpus, shelf = tmp_path / "corpus", tmp_path / "shelf"
    _write(corpus / "bridge.txt", BRIDGE)
    _write(shelf / "dam.txt", DAM)
    (corpus / "tech").symlink_to(shelf)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "loop").symlink_to("..")
    (corpus / ".hidden-link").symlink_to(shelf)
    problems: list[Problem] = []
    assert [p.name for p in corpus_files(corpus, problems)] == ["bridge.txt"]
    assert sorted(map(str, problems)) == [f"sub/loop: {FOLDER_LINK}", f"tech: {FOLDER_LINK}"]


@pytest.mark.parametrize("name", ["bridge.txt~", "notes~", "#bridge.txt#", ".bridge.txt.swp"])
def test_editor_backups_are_skipped_quietly(tmp_path: Path, name: str) -> None:
    _write(tmp_path / "bridge.txt", BRIDGE)
    _write(tmp_path / name, BRIDGE)
    problems: list[Problem] = []
    assert [p.name for p in corpus_files(tmp_path, problems)] == ["bridge.txt"] and problems == []


def test_an_article_pasted_as_one_line_is_reported_as_such(tmp_path: Path) -> None:
    from newsbot.index.reading.articles import read_file

    line = "Wilkinson fit to face Edinburgh  " + "England captain Jonny Wilkinson will make his long-awaited return. " * 20
    path = _write(tmp_path / "oneline.txt", line)
    assert read_file(path, tmp_path) == ([], [Problem("oneline.txt", f"one line of {len(line.strip()):,} characters and nothing under it: put the title on a line of its own, then the text")])
