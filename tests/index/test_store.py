"""The on-disk index: save/load round trip, format versions, damage and crashes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsbot.index import IndexConfig, IndexVersionError, load
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.store import FORMAT_VERSION, MANIFEST
from tests.conftest import assert_matches_rank_bm25

QUESTION = "when were ambassadors agreed?"


def _manifest(index_dir: Path) -> dict:
    return json.loads((index_dir / MANIFEST).read_text())


def test_round_trip_reuses_the_index(seed_corpus: Path, tmp_path: Path) -> None:
    first = load(seed_corpus, tmp_path / "index")
    assert first.last_report.rebuilt
    second = load(seed_corpus, tmp_path / "index")
    assert not second.last_report.rebuilt and second.last_report.unchanged
    assert second.answer(QUESTION) == first.answer(QUESTION)
    assert second.sources() == first.sources()
    manifest = _manifest(tmp_path / "index")
    assert manifest["format"] == FORMAT_VERSION
    entry = manifest["files"]["arab_news.txt"]
    assert {"size", "mtime_ns", "sha256"} <= set(entry)
    assert manifest["analyser"]["name"] == "snowball-english"
    assert manifest["config"] == {
        "passage_sentences": 3, "passage_overlap": 1, "k1": 1.5, "b": 0.75, "epsilon": 0.25,
        "max_file_bytes": 2_000_000_000, "max_article_bytes": 10_000_000,
    }  # fmt: skip


def test_older_format_is_rebuilt(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    manifest = _manifest(tmp_path / "index")
    (tmp_path / "index" / MANIFEST).write_text(json.dumps({"format": 0, "files": {}}))
    engine = load(seed_corpus, tmp_path / "index")
    assert engine.last_report.rebuilt and "format 0" in engine.last_report.reason
    assert _manifest(tmp_path / "index")["format"] == manifest["format"]
    assert not engine.answer(QUESTION).no_answer


def test_newer_format_is_refused_and_left_alone(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    path = tmp_path / "index" / MANIFEST
    data = _manifest(tmp_path / "index") | {"format": FORMAT_VERSION + 1}
    path.write_text(json.dumps(data))
    with pytest.raises(IndexVersionError, match="newer"):
        load(seed_corpus, tmp_path / "index")
    assert json.loads(path.read_text()) == data


@pytest.mark.parametrize(
    "damage",
    [
        lambda index: (index / MANIFEST).write_text("{not json"),
        lambda index: (index / MANIFEST).write_bytes(b"\x00\xff"),
        lambda index: [p.unlink() for p in index.glob("df-*.npy")],
        lambda index: [p.unlink() for p in index.glob("seg-*/lengths.npy")],
        lambda index: [p.write_bytes(b"garbage") for p in index.glob("seg-*/post_docs.npy")],
    ],
    ids=["manifest-not-json", "manifest-binary", "df-missing", "segment-file-missing", "segment-file-garbage"],
)
def test_damaged_index_is_rebuilt_from_the_corpus(seed_corpus: Path, tmp_path: Path, damage) -> None:
    load(seed_corpus, tmp_path / "index")
    damage(tmp_path / "index")
    engine = load(seed_corpus, tmp_path / "index")
    assert engine.last_report.rebuilt and "rebuilding" in engine.last_report.reason
    assert not engine.answer(QUESTION).no_answer


def test_other_settings_rebuild(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    engine = load(seed_corpus, tmp_path / "index", IndexConfig(passage_sentences=2, passage_overlap=0))
    assert engine.last_report.rebuilt and "settings" in engine.last_report.reason
    assert engine.stats().passages > 21


def test_leftovers_of_a_crashed_refresh_are_ignored(seed_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    load(seed_corpus, index)
    manifest = _manifest(index)
    # What a refresh killed before its manifest swap leaves behind.
    (index / "seg-000099.tmp").mkdir()
    (index / f"seg-{manifest['generation'] + 1:06d}").mkdir()
    with (index / manifest["vocab_file"]).open("a") as handle:
        handle.write("halfwritten\nterms\n")
    (index / "manifest.json.tmp").write_text("{")
    engine = load(seed_corpus, index)
    assert not engine.last_report.rebuilt
    assert engine.search("halfwritten") == []  # the half-written terms are not read as the vocabulary
    (seed_corpus / "more.txt").write_text("Halfwritten news\n\nThe halfwritten treaty was signed in Geneva.\n")
    report = engine.refresh()
    assert report.added == ("more.txt",)
    assert engine.answer("where was the halfwritten treaty signed?").quotes[0].article.source == "more.txt"
    assert load(seed_corpus, index).answer("halfwritten treaty").quotes


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    from newsbot.index import CorpusError

    with pytest.raises(CorpusError, match="does not exist"):
        load(tmp_path / "nowhere", tmp_path / "index")


def test_two_writers_share_one_index(seed_corpus: Path, tmp_path: Path) -> None:
    # A bot and a command line, say: each refresh starts from what the other wrote.
    index = tmp_path / "index"
    bot, cli = load(seed_corpus, index), load(seed_corpus, index)
    (seed_corpus / "one.txt").write_text("Dam opens\n\nThe Mohmand dam began producing power.\n")
    assert cli.refresh().added == ("one.txt",)
    (seed_corpus / "two.txt").write_text("Port reopens\n\nThe port of Gwadar reopened to shipping.\n")
    report = bot.refresh()
    assert report.added == ("two.txt",) and not report.rebuilt
    (seed_corpus / "one.txt").unlink()
    assert cli.refresh().removed == ("one.txt",)
    fresh = load(seed_corpus, index)
    assert not fresh.last_report.rebuilt and fresh.last_report.unchanged
    assert {s.source for s in fresh.sources()} == {"arab_news.txt", "two.txt"}
    assert fresh.answer("which port reopened?").quotes[0].article.source == "two.txt"
    assert fresh.answer("which dam began producing power?").no_answer


def test_concurrent_command_line_adds(seed_corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    load(seed_corpus, tmp_path / "index")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    commands = []
    for n in range(6):
        story = incoming / f"story{n}.txt"
        story.write_text(f"Story {n}\n\nThe zorblat{n} festival opened in Lahore.\n")
        commands.append([sys.executable, "-m", "newsbot.bot", "add", str(story), "--corpus", str(seed_corpus),
                         "--index", str(tmp_path / "index"), "--quiet"])  # fmt: skip
    processes = [subprocess.Popen(c, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    engine = load(seed_corpus, tmp_path / "index")
    assert not engine.last_report.rebuilt and engine.last_report.unchanged
    for n in range(6):
        assert engine.answer(f"where did the zorblat{n} festival open?").quotes


def test_reading_does_not_write(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "index").iterdir()}
    engine = load(seed_corpus, tmp_path / "index")
    engine.answer("who mediated?")
    engine.refresh()
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "index").iterdir()} == before


def test_many_refreshes_merge_small_segments_without_a_rebuild(seed_corpus: Path, tmp_path: Path) -> None:
    from newsbot.index.storage.merge_plan import MAX_SEGMENTS

    engine = load(seed_corpus, tmp_path / "index")
    for n in range(MAX_SEGMENTS + 3):
        (seed_corpus / f"n{n}.txt").write_text(f"Note {n}\n\nThe quillet{n} council met in Quetta.\n")
        report = engine.refresh()
        assert report.added == (f"n{n}.txt",) and not report.rebuilt
        assert (report.articles_added, report.passages_added, report.articles_removed) == (1, 1, 0)
        assert engine.stats().segments <= MAX_SEGMENTS
    fresh = load(seed_corpus, tmp_path / "index")
    assert fresh.last_report.unchanged and fresh.stats().articles == MAX_SEGMENTS + 5
    assert all(fresh.answer(f"where did the quillet{n} council meet?").quotes for n in range(MAX_SEGMENTS + 3))
    assert "Ankara" in fresh.answer("who mediated?").quotes[0].text
    assert_matches_rank_bm25(fresh, ["quillet3 council", "Pakistan", "Quetta meet ambassador"])


def test_refreshes_each_as_large_as_the_corpus_still_merge(tmp_path: Path) -> None:
    from newsbot.index.storage.merge_plan import MAX_SEGMENTS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    note = "Note {n}\n\nThe quillet{n} council met in Quetta on Monday. It agreed a budget. The mayor spoke.\n"
    (corpus / "base.txt").write_text(note.format(n="base"))
    engine = load(corpus, tmp_path / "index")
    most = 0
    for n in range(2 * MAX_SEGMENTS + 6):  # each file as large as the first: none is a quarter of the largest
        (corpus / f"n{n}.txt").write_text(note.format(n=n))
        engine.refresh()
        most = max(most, engine.stats().segments)
    assert most <= 2 * MAX_SEGMENTS
    assert engine.answer(f"where did the quillet{2 * MAX_SEGMENTS + 5} council meet?").quotes


def test_a_reader_racing_a_writer_never_rebuilds(seed_corpus: Path, tmp_path: Path) -> None:
    import threading

    index = tmp_path / "index"
    writer = load(seed_corpus, index)
    stop = threading.Event()

    def keep_refreshing() -> None:
        n = 0
        while not stop.is_set():
            (seed_corpus / f"r{n % 3}.txt").write_text(f"Race {n}\n\nThe raceword{n} report came out.\n")
            writer.refresh()
            n += 1

    thread = threading.Thread(target=keep_refreshing)
    thread.start()
    try:
        for _ in range(40):
            assert not load(seed_corpus, index, refresh_corpus=False).last_report
    finally:
        stop.set()
        thread.join(timeout=30)


def test_a_full_disk_leaves_no_half_build_behind_and_says_what_was_needed(seed_corpus, tmp_path, monkeypatch) -> None:
    import errno

    from newsbot.index.storage import staging as staging_module
    from newsbot.index import IndexWriteError

    engine = load(seed_corpus, tmp_path / "index")
    before = sorted(p.name for p in (tmp_path / "index").iterdir())
    real_write = staging_module.write_arrays

    def fill_the_disk(staging, *args, **kwargs):
        real_write(staging, *args, **kwargs)  # the part is written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(staging_module, "write_arrays", fill_the_disk)
    monkeypatch.setattr("newsbot.index.storage.build.write_arrays", fill_the_disk, raising=False)
    (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal on Monday.\n", encoding="utf-8")
    for _ in range(3):  # retries add nothing either
        with pytest.raises(IndexWriteError, match=r"full: the new index needed more than [\d.,]+ MB"):
            engine.refresh()
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == before
    assert engine.answer("who mediated?").quotes


def test_an_index_that_cannot_be_written_still_answers(seed_corpus, tmp_path, monkeypatch, caplog) -> None:
    import contextlib
    import logging

    caplog.set_level(logging.WARNING, logger="newsbot.index.engine")  # the CLI's --quiet may have raised it
    load(seed_corpus, tmp_path / "index")

    @contextlib.contextmanager
    def read_only(directory, wait=0):
        raise PermissionError(30, "Read-only file system")
        yield

    monkeypatch.setattr("newsbot.index.engine.writer_lock", read_only)
    engine = load(seed_corpus, tmp_path / "index")  # nothing changed: no lock is needed
    assert engine.answer("who mediated?").quotes
    (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
    engine = load(seed_corpus, tmp_path / "index")  # changed, but the index cannot be written
    assert "answers come from the last good index" in caplog.text
    assert engine.answer("who mediated?").quotes


def test_problems_live_beside_the_manifest_and_survive_later_refreshes(seed_corpus, tmp_path) -> None:
    import gzip

    (seed_corpus / "junk.jsonl.gz").write_bytes(gzip.compress(b"{}\n" * 50_000))
    engine = load(seed_corpus, tmp_path / "index")
    manifest_text = (tmp_path / "index" / "manifest.json").read_text(encoding="utf-8")
    assert "problems like these" not in manifest_text and len(manifest_text) < 20_000
    assert [str(p) for p in engine.stats().skipped][-1] == "junk.jsonl.gz: 49,980 more problems like these"
    (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
    assert load(seed_corpus, tmp_path / "index").last_report.added == ("more.txt",)
    later = load(seed_corpus, tmp_path / "index")
    assert len(later.stats().skipped) == 21  # the junk file's problems were carried over, not lost


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_caps_the_processes_a_build_uses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    import threading

    from newsbot.index.storage import build, merge

    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)  # two small files are enough to build in parallel
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 0)  # each part stays a segment, to be counted
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Story {name}\n\nThe {name} council met on Monday.\n", encoding="utf-8")
    engine = load(corpus, tmp_path / "index", workers=workers)
    # A worker process writes a segment of its own; one worker means the build stayed in this process.
    # Forking is never tried while other threads run (a test may have left some), so then it stays too.
    parallel = workers > 1 and threading.active_count() == 1
    assert engine.stats().segments == (2 if parallel else 1)
    assert engine.stats().articles == 2


@pytest.mark.parametrize(
    ("largest", "dtype"),
    [(0, "uint8"), (255, "uint8"), (256, "uint16"), (65_535, "uint16"), (65_536, "uint32")],
)
def test_term_frequencies_take_the_narrowest_type(largest: int, dtype: str) -> None:
    from newsbot.index.storage.inversion import smallest_unsigned

    assert np.dtype(smallest_unsigned(largest)) == np.dtype(dtype)


def test_postings_read_by_slices_match_the_files(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    folder = next((tmp_path / "index").glob("seg-*"))
    segment = Segment(folder)
    docs, tfs = np.load(folder / "post_docs.npy"), np.load(folder / "post_tfs.npy")
    assert tfs.dtype == np.uint8  # no word repeats 255 times in a passage here
    offsets = segment.arrays["post_offsets"]
    for local in range(0, len(offsets) - 1, 7):
        global_id = int(segment.term_sorted[np.flatnonzero(segment.term_order == local)[0]])
        found_docs, found_tfs = segment.postings(global_id)
        start, end = int(offsets[local]), int(offsets[local + 1])
        assert found_docs.tolist() == docs[start:end].tolist() and found_tfs.tolist() == tfs[start:end].tolist()


def test_adding_an_article_leaves_a_large_build_s_segments_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from newsbot.index.storage import build, merge
    from newsbot.index.storage.merge_plan import MAX_SEGMENTS

    if threading.active_count() != 1:
        pytest.skip("another test left threads running: the build would not fork workers")
    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(build, "PART_BYTES", 1)  # a part per file, as a 10M-passage build made ~60
    monkeypatch.setattr(merge, "JOINED_PASSAGES", 0)  # and kept apart, as segments of a build past the join limit
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(2 * MAX_SEGMENTS + 2):  # past twice the cap, where piled-up segments merge anyway
        text = " ".join(f"The council{n} met on Monday about item {i}." for i in range(8))
        (corpus / f"a{n:02d}.txt").write_text(f"Story {n}\n\n{text}\n", encoding="utf-8")
    engine = load(corpus, tmp_path / "index", workers=2)
    built = engine.stats().segments
    assert built == 2 * MAX_SEGMENTS + 2
    monkeypatch.undo()  # refreshes read their few bytes in one part, as they do at any size
    (corpus / "new.txt").write_text("New\n\nThe council met again.\n", encoding="utf-8")
    report = engine.refresh()
    assert report.added == ("new.txt",) and engine.stats().segments == built + 1  # nothing merged, nothing re-read
    (corpus / "newer.txt").write_text("Newer\n\nThe council met once more.\n", encoding="utf-8")
    engine.refresh()
    assert engine.stats().segments == built + 1  # the one small segment merged into the next
    assert_matches_rank_bm25(engine, ["council met", "council3 item"])


def test_article_records_are_read_one_at_a_time_and_match_the_whole_list(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST).read_text(encoding="utf-8"))
    segment = Segment(tmp_path / "index" / manifest["segments"][0])
    table = segment.articles
    whole = [record for record in table]
    assert len(table) == len(whole) == 2
    assert [table[0], table[1]] == whole == table[:] and table[-1] == whole[1]
    listed = json.loads((segment.directory / "articles.json").read_text(encoding="utf-8"))  # still one JSON array
    assert whole == [ArticleRecord.from_json(item) for item in listed]
    assert [segment.source_position(n) for n in range(2)] == [0, 1]  # two articles pasted into one file
    assert whole[1].title.startswith("Peace can only prevail")
    with pytest.raises(IndexError):
        table[2]


def test_a_run_of_sentences_reads_as_each_sentence_alone(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST).read_text(encoding="utf-8"))
    segment = Segment(tmp_path / "index" / manifest["segments"][0])
    offsets = segment.arrays["sent_offsets"].tolist()
    raw = (segment.directory / "sentences.txt").read_bytes()
    expected = [raw[start:end].decode("utf-8") for start, end in zip(offsets, offsets[1:])]
    count = len(expected)
    assert any(not text.isascii() for text in expected)  # curly quotes: byte offsets are not character offsets
    alone = [segment.sentence(n) for n in range(count)]
    assert alone == expected
    assert segment.sentences(range(count)) == alone
    for passage in range(segment.passage_count):
        numbers = segment.passage_sentences(passage)
        assert segment.sentences(numbers) == alone[numbers.start : numbers.stop]
    assert segment.sentences(range(3, 3)) == []


def test_a_segment_is_freed_as_soon_as_it_is_dropped(seed_corpus: Path, tmp_path: Path) -> None:
    # Its article table points back at it weakly: no cycle keeps a replaced segment's files open.
    import gc
    import weakref

    load(seed_corpus, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST).read_text(encoding="utf-8"))
    segment = Segment(tmp_path / "index" / manifest["segments"][0])
    assert segment.articles[1].title.startswith("Peace can only prevail")
    gone = weakref.ref(segment)
    gc.disable()
    try:
        del segment
        assert gone() is None
    finally:
        gc.enable()
