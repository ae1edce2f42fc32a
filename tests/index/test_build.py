"""Building one large JSON-lines file in byte ranges: the index is the one a whole-file read gives."""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

import pytest

from newsbot.index import Engine, IndexWriteError, load
from newsbot.index.reading.articles import read_file
from newsbot.index.reading.jsonl_ranges import split_jsonl
from newsbot.index.storage import build, merge
from tests.conftest import assert_matches_rank_bm25

WORDS = "pakistan oil tanker port strike council budget vote rain harvest court ruling bank rate".split()
QUESTIONS = ["pakistan oil", "council budget vote", "court ruling on the bank rate", "rain"]


def _line(number: int, rng: random.Random, with_id: bool = True) -> str:
    sentences = [" ".join(rng.choices(WORDS, k=rng.randint(3, 10))).capitalize() + "." for _ in range(rng.randint(1, 6))]
    record = {"title": f"Story {number}", "text": "\n\n".join(sentences), "published": "2025-01-02"}
    if with_id:
        record["id"] = f"a{number}"
    return json.dumps(record)


def _big_file(path: Path, count: int = 300, seed: int = 3, extra: dict[int, str] | None = None) -> Path:
    """Write a JSON-lines file with every kind of line the reader numbers: ids, line numbers, junk, CRLF, CR."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        if number % 9 == 4:
            line = "{not json"  # a problem, counted across ranges (more than ProblemList keeps)
        elif number % 13 == 0:
            line = "   "  # blank: skipped, still numbered
        else:
            line = _line(number, rng, with_id=number % 5 != 0)  # no id: the source names the line
        line = (extra or {}).get(number, line)
        lines.append(line + rng.choice(["\n", "\n", "\r\n", "\r"]))
    path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode("utf-8"))  # a BOM, which only the first range has
    return path


@pytest.fixture
def in_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a file of a few kilobytes large enough to build in byte ranges."""
    if threading.active_count() != 1:
        pytest.skip("another test left threads running: the build would not fork workers")
    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(build, "PART_BYTES", 4_000)
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 0)  # the parts stay segments: a file's articles in several


def _same_index(ranged: Engine, whole: Engine) -> None:
    assert ranged.sources() == whole.sources()
    assert list(ranged.passages()) == list(whole.passages())
    assert [str(p) for p in ranged.stats().skipped] == [str(p) for p in whole.stats().skipped]
    assert ranged.stats().passages == whole.stats().passages
    for question in QUESTIONS:  # every passage holding a term: segments add up scores in another order
        mine = {(h.source, h.article, h.passage): h.score for h in ranged.search(question, k=10_000)}
        theirs = {(h.source, h.article, h.passage): h.score for h in whole.search(question, k=10_000)}
        assert mine == pytest.approx(theirs, rel=0, abs=1e-9)


def test_split_jsonl_numbers_ranges_from_the_lines_before_them(tmp_path: Path) -> None:
    path = _big_file(tmp_path / "big.jsonl")
    ranges = split_jsonl(path, 6)
    assert ranges is not None and len(ranges) == 6
    data = path.read_bytes()
    assert ranges[0].start == 0 and ranges[-1].stop == len(data)
    assert all(a.stop == b.start and data[b.start - 1 : b.start] == b"\n" for a, b in zip(ranges, ranges[1:]))
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    for part in ranges:
        before = data[: part.start].decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        assert part.first_line == before.count("\n") + 1
    assert text.count("\n") + 1 == ranges[-1].first_line + data[ranges[-1].start :].decode().replace("\r\n", "\n").replace("\r", "\n").count("\n")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("big.jsonl.gz", b""),  # compressed: read whole
        ("big.txt", b"Title\n\nBody.\n" * 100),
        ("big.jsonl", b"\xff\xfe" + "{}\n".encode("utf-16-le") * 100),
        ("big.jsonl", b"\x00\x00\x00\n" * 100),  # binary: read whole, which says so
        ("big.jsonl", b"{}" * 500),  # one line: nothing to cut
    ],
)
def test_split_jsonl_leaves_files_it_cannot_cut_to_read_file(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    assert split_jsonl(tmp_path / name, 4) is None


def test_one_big_file_builds_in_ranges_as_it_reads_whole(tmp_path: Path, in_ranges: None) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    (corpus / "small.txt").write_text("Port strike\n\nThe port strike ended on Monday.\n", encoding="utf-8")
    ranged = load(corpus, tmp_path / "ranged", workers=2)
    whole = load(corpus, tmp_path / "whole", workers=1)
    assert ranged.stats().segments > 2 and whole.stats().segments == 1
    _same_index(ranged, whole)
    articles, problems = read_file(corpus / "big.jsonl", corpus)
    assert {s.source for s in ranged.sources()} == {a.source for a in articles} | {"small.txt"}
    assert any("more problems like these" in p.reason for p in problems)  # the count ran on across ranges
    assert_matches_rank_bm25(ranged, QUESTIONS)


def test_parts_joined_into_one_segment_give_the_index_a_whole_read_gives(tmp_path: Path, in_ranges: None, monkeypatch) -> None:
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 10_000)  # as a million passages are joined by default
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    (corpus / "small.txt").write_text("Port strike\n\nThe port strike ended on Monday.\nIt had lasted a week.\n", encoding="utf-8")
    heard: list[tuple[str, int, int]] = []
    joined = load(corpus, tmp_path / "joined", workers=2, progress=lambda *step: heard.append(step))
    whole = load(corpus, tmp_path / "whole", workers=1)
    assert joined.stats().segments == 1 and joined.verify().damaged == ()
    passages = joined.stats().passages
    assert ("joining parts (passages)", 0, passages) in heard and heard[-1] == ("joining parts (passages)", passages, passages)
    _same_index(joined, whole)
    assert [h.score for h in joined.search("port strike Monday", 5)] == pytest.approx([h.score for h in whole.search("port strike Monday", 5)], abs=1e-12)
    assert_matches_rank_bm25(joined, QUESTIONS)
    assert joined.answer("when did the port strike end?").quotes[0].text == "The port strike ended on Monday."
    (corpus / "small.txt").unlink()  # articles of a joined segment go as they came
    joined.refresh()
    assert "small.txt" not in {s.source for s in joined.sources()}
    assert_matches_rank_bm25(joined, QUESTIONS)


def test_a_file_built_in_ranges_refreshes_and_goes(tmp_path: Path, in_ranges: None) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    engine = load(corpus, tmp_path / "index", workers=2)
    _big_file(corpus / "big.jsonl", count=200, seed=4)  # changed: its old articles out, the new ones in
    engine.refresh()
    _same_index(engine, load(corpus, tmp_path / "whole", workers=1))
    assert_matches_rank_bm25(engine, QUESTIONS)
    engine.remove_sources(["big.jsonl#a1"])
    assert "big.jsonl#a1" not in {s.source for s in engine.sources()}
    _same_index(engine, load(corpus, tmp_path / "whole-2", workers=1))
    (corpus / "big.jsonl").unlink()
    engine.refresh(allow_empty=True)  # the last file removed on purpose: an empty folder alone keeps the index
    assert engine.stats().articles == 0 and engine.stats().passages == 0


@pytest.mark.parametrize(
    "extra",
    [
        {250: json.dumps({"id": "a1", "title": "Again", "text": "An id seen far earlier."})},  # the first one wins
        {250: json.dumps({"id": "z", "title": "Caf\u00e9", "text": "Not UTF-8 here."}).replace("\\u00e9", "\u00e9")},
    ],
    ids=["id-repeated-across-ranges", "not-utf8-late"],
)
def test_ranges_that_read_otherwise_give_way_to_the_whole_file(tmp_path: Path, in_ranges: None, extra: dict[int, str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = _big_file(corpus / "big.jsonl", extra=extra)
    if "Caf" in extra[250]:  # make that one line cp1252, so the whole file reads as cp1252
        path.write_bytes(path.read_bytes().replace("Caf\u00e9".encode("utf-8"), b"Caf\xe9"))
    ranged = load(corpus, tmp_path / "ranged", workers=2)
    whole = load(corpus, tmp_path / "whole", workers=1)
    _same_index(ranged, whole)
    assert ranged.stats().segments == 1  # read whole, in one part


def test_a_range_of_a_file_rewritten_since_it_was_cut_is_not_read(tmp_path: Path) -> None:
    from newsbot.index.reading.jsonl_ranges import read_jsonl_range

    path = _big_file(tmp_path / "big.jsonl")
    ranges = split_jsonl(path, 4)
    assert ranges and len({r.file_id for r in ranges}) == 1
    assert read_jsonl_range(path, tmp_path, ranges[1]) is not None
    _big_file(tmp_path / "new.jsonl", count=280, seed=9).replace(path)  # rewritten by rename, as remove does
    assert read_jsonl_range(path, tmp_path, ranges[1]) is None  # would start mid-line: the file is read whole


def test_a_file_rewritten_during_a_ranged_build_loses_no_article(tmp_path: Path, in_ranges: None, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    real_split = build.split_jsonl

    def split_then_rewrite(path: Path, pieces: int, config=None):
        ranges = real_split(path, pieces, config)
        _big_file(tmp_path / "next.jsonl", count=280, seed=9).replace(path)  # another process rewrote it meanwhile
        return ranges

    monkeypatch.setattr(build, "split_jsonl", split_then_rewrite)
    engine = load(corpus, tmp_path / "index", workers=2)
    monkeypatch.setattr(build, "split_jsonl", real_split)
    _same_index(engine, load(corpus, tmp_path / "whole", workers=1))
    assert engine.refresh().unchanged  # the hash kept is the file's as read: nothing left to repair later


_MARKED = {"marks": Path(), "build_part": build.build_part}  # for `_build_part_and_mark`, in forked workers too


def _build_part_and_mark(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 (build_part's own)
    """Build a part as build_part does, then note it done (module level: the pool pickles it by name)."""
    part = _MARKED["build_part"](*args, **kwargs)
    with _MARKED["marks"].open("a", encoding="utf-8") as marks:
        marks.write("done\n")
    return part


def test_a_file_rewritten_after_its_ranges_were_read_is_read_whole(tmp_path: Path, in_ranges: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The ranges are hashed while the workers read them: a file rewritten once they have read it, before
    # the hash is taken, must not leave the old articles under the new file's hash.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = _big_file(corpus / "big.jsonl")
    ranges = build.split_jsonl(path, -(-path.stat().st_size // build.PART_BYTES))
    assert ranges is not None
    marks = tmp_path / "marks"
    marks.touch()
    real_part, real_hash = build.build_part, build.file_hash
    _MARKED.update(marks=marks, build_part=real_part)

    def hash_when_read(hashed: Path) -> str:
        deadline = time.monotonic() + 60
        while len(marks.read_text().split()) < len(ranges) and time.monotonic() < deadline:
            time.sleep(0.02)  # every part read and staged: now the file changes under the hash
        _big_file(tmp_path / "next.jsonl", count=280, seed=9).replace(hashed)
        return real_hash(hashed)

    monkeypatch.setattr(build, "build_part", _build_part_and_mark)
    monkeypatch.setattr(build, "file_hash", hash_when_read)
    engine = load(corpus, tmp_path / "index", workers=2)
    monkeypatch.setattr(build, "build_part", real_part)
    monkeypatch.setattr(build, "file_hash", real_hash)
    assert len(marks.read_text().split()) >= len(ranges)  # the ranges were read before the file changed
    _same_index(engine, load(corpus, tmp_path / "whole", workers=1))
    assert engine.refresh().unchanged

def test_a_build_in_this_process_keeps_no_table_of_chunks(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    # A bot builds in-process (it runs threads, so it cannot fork): what the build met must go with it.
    from newsbot.index.storage import inversion

    monkeypatch.setattr(inversion, "_process_table", None)
    engine = load(seed_corpus, tmp_path / "index")
    (seed_corpus / "more.jsonl").write_text(_line(1, random.Random(1)) + "\n", encoding="utf-8")
    engine.refresh()
    assert inversion._process_table is None
    assert not engine.answer("who mediated?").no_answer and engine.search("council budget vote")


_JOIN_READIED = """
import sys
from pathlib import Path
from newsbot.index import load
from newsbot.index.storage import build, merge, refresh

build.PARALLEL_BYTES, build.PART_BYTES = 0, 4_000  # a small file builds in parts, in workers
readied = []
refresh.ready_join = lambda: (merge.ready_join(), readied.extend(merge._place.signatures))
engine = load(Path(sys.argv[1]), Path(sys.argv[2]), workers=2)
assert engine.stats().segments == 1, engine.stats()
print(len(readied), merge._place.signatures == readied)
"""


def test_the_parent_readies_the_join_while_the_workers_build(tmp_path: Path) -> None:
    # A fresh process: numba's compiled code is loaded once per process, for the types it is called with.
    # Readied with other types than the join's, the join would load its own after the workers (0.2-0.4 s).
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    found = subprocess.run(
        [sys.executable, "-c", _JOIN_READIED, str(corpus), str(tmp_path / "index")],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["1", "True"]  # readied once, and the join called it with the same types


_HEAD_START_INHERITED = """
import os
import sys
from pathlib import Path
from newsbot.index import load
from newsbot.index.storage import build, merge

build.PARALLEL_BYTES, build.PART_BYTES = 0, 4_000
original = build.build_part


def noting(*args, **kwargs):  # in a worker: is the join's compiled loop loaded already?
    Path(sys.argv[3], str(os.getpid())).write_text(str(len(merge._place.signatures)))
    return original(*args, **kwargs)


build.build_part = noting
load(Path(sys.argv[1]), Path(sys.argv[2]), workers=2)
print(os.getpid())
"""


def test_the_workers_inherit_the_head_start(tmp_path: Path) -> None:
    # numba's first load in a process costs 0.2-0.3 s: done in the parent before the fork, no worker pays it.
    import subprocess
    import sys

    corpus, noted = tmp_path / "corpus", tmp_path / "noted"
    corpus.mkdir()
    noted.mkdir()
    _big_file(corpus / "big.jsonl")
    found = subprocess.run(
        [sys.executable, "-c", _HEAD_START_INHERITED, str(corpus), str(tmp_path / "index"), str(noted)],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    workers = {path.name: path.read_text() for path in noted.iterdir()}
    assert len(workers) >= 2 and found.stdout.strip() not in workers  # parts built in worker processes
    assert set(workers.values()) == {"1"}  # each found the loop the parent loaded


def test_a_join_whose_text_cannot_be_written_fails_the_build_and_leaves_nothing(tmp_path: Path, in_ranges: None, monkeypatch) -> None:
    # The joined text is written in a thread while the arrays are joined: its failure must not pass unseen.
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 10_000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")

    def disk_full(staging: Path, texts: list) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(merge, "write_text", disk_full)
        with pytest.raises(IndexWriteError, match="is full"):  # the disk-full message, not a bare OSError
            load(corpus, tmp_path / "index", workers=2)
    assert not [path.name for path in (tmp_path / "index").iterdir() if path.name.startswith("seg-")]
    engine = load(corpus, tmp_path / "index", workers=2)
    assert engine.stats().segments == 1 and engine.verify().damaged == ()


def test_a_disk_too_full_for_the_joined_postings_fails_the_build_and_the_last_index_still_answers(
    tmp_path: Path, in_ranges: None, monkeypatch
) -> None:
    # The joined postings are files mapped to memory, their space taken first: no space is an error
    # the build reports (a page of a map the disk cannot hold would kill the process instead).
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 10_000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")
    engine = load(corpus, tmp_path / "index", workers=2)
    before = engine.search("article", k=3)
    folders = sorted(path.name for path in (tmp_path / "index").iterdir() if path.is_dir())
    _big_file(corpus / "big.jsonl", seed=4)  # changed: rebuilt, its parts joined again
    asked = []

    def disk_full(fd: int, offset: int, length: int) -> None:
        asked.append(length)
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(merge.os, "posix_fallocate", disk_full, raising=False)
        with pytest.raises(IndexWriteError, match="is full"):
            engine.refresh()
    assert asked
    assert engine.search("article", k=3) == before and engine.verify().damaged == ()
    assert sorted(path.name for path in (tmp_path / "index").iterdir() if path.is_dir()) == folders  # nothing left behind
    assert load(corpus, tmp_path / "index", workers=2, refresh_corpus=False).search("article", k=3) == before


def test_a_failed_head_start_does_not_fail_the_build(tmp_path: Path, in_ranges: None, monkeypatch, caplog) -> None:
    from newsbot.index.storage import refresh

    monkeypatch.setattr(merge, "JOINED_PASSAGES", 10_000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _big_file(corpus / "big.jsonl")

    def broken() -> None:
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(refresh, "ready_join", broken)
    with caplog.at_level("WARNING", logger="newsbot.index.storage.build"):
        engine = load(corpus, tmp_path / "index", workers=2)
    assert engine.stats().segments == 1 and engine.verify().damaged == ()
    assert any("no compiler here" in record.getMessage() for record in caplog.records)


def test_postings_written_in_place_are_not_saved_over_whatever_path_names_them(tmp_path: Path, monkeypatch) -> None:
    # The join fills its postings' files through a map; saving the array again would truncate the file
    # under it. The staging folder may be named relative to the working folder, the map's file absolutely.
    import numpy as np

    from newsbot.index.storage.records import ArticleList
    from newsbot.index.storage.staging import write_staged_arrays

    monkeypatch.chdir(tmp_path)
    staging = Path("staging")
    staging.mkdir()
    docs = merge._file_array(staging / "post_docs.npy", np.int32, 1_000)
    docs[:] = np.arange(1_000)
    write_staged_arrays(staging, {"post_docs": docs, "lengths": np.ones(3, np.int32)}, ArticleList.of([]))
    del docs
    assert np.load(tmp_path / "staging" / "post_docs.npy").tolist() == list(range(1_000))
    assert np.load(tmp_path / "staging" / "post_skips.npy").tolist() == list(range(0, 1_000, 128))
