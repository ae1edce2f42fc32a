"""Silent corruption never becomes a wrong answer (attack faults 10 and 11)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsbot.index.storage import segment
from newsbot.bot.cli import main
from newsbot.index import load

QUOTE = "Pakistan has expelled more than 80,000 Afghan nationals"


def segment_dir(index_dir: Path) -> Path:
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    return index_dir / manifest["segments"][0]


def flip(path: Path, offset: int = -3) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_edited_sentence_text_is_never_quoted_as_source(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    text = segment_dir(tmp_path / "index") / "sentences.txt"
    text.write_bytes(text.read_bytes().replace(b"80,000", b"90,000"))
    engine = load(seed_corpus, tmp_path / "index")
    assert engine.last_report.rebuilt and "checksum" in engine.last_report.reason
    assert engine.answer("how many Afghans were expelled?").quotes[0].text.startswith(QUOTE)


def test_sentence_blocks_are_checked_as_quotes_are_first_read(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(segment, "SMALL_FILE", 0)  # as for a large segment: nothing checked whole at open
    engine = load(seed_corpus, tmp_path / "index")
    text = segment_dir(tmp_path / "index") / "sentences.txt"
    text.write_bytes(text.read_bytes().replace(b"80,000", b"90,000"))  # the engine's map sees the change
    answer = engine.answer("how many Afghans were expelled?")
    assert answer.quotes[0].text.startswith(QUOTE)  # damage found, index rebuilt, then answered
    assert engine.last_report.rebuilt and "sentences.txt block 0" in engine.last_report.reason


def test_article_list_blocks_are_checked_as_records_are_first_read(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(segment, "SMALL_FILE", 0)  # as for a large segment: nothing checked whole at open
    load(seed_corpus, tmp_path / "index")
    engine = load(seed_corpus, tmp_path / "index")  # opened, no record read yet
    articles = segment_dir(tmp_path / "index") / "articles.json"
    articles.write_bytes(articles.read_bytes().replace(b"Beijing", b"Beijinx"))  # same length, other bytes
    answer = engine.answer("how many Afghans were expelled?")
    assert answer.quotes[0].text.startswith(QUOTE)  # damage found, index rebuilt, then answered
    assert engine.last_report.rebuilt and "articles.json block 0" in engine.last_report.reason


def test_postings_naming_passages_a_segment_lacks_are_damage_not_a_crash(seed_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(segment, "SMALL_FILE", 0)  # as for a large segment: postings are not checked at open
    engine = load(seed_corpus, tmp_path / "index")
    docs_file = segment_dir(tmp_path / "index") / "post_docs.npy"
    docs = np.load(docs_file)
    np.save(docs_file, np.full_like(docs, 10**6))  # same size, every posting past the segment's end
    answer = engine.answer("how many Afghans were expelled?")
    assert answer.quotes[0].text.startswith(QUOTE)  # scoring found it, the index was rebuilt, then answered
    assert engine.last_report.rebuilt and "postings name passages it lacks" in engine.last_report.reason


@pytest.mark.parametrize("damaged", ["lengths.npy", "articles.json", "post_docs.npy"])
def test_damage_to_any_segment_file_is_rebuilt_the_same_way(seed_corpus: Path, tmp_path: Path, damaged: str) -> None:
    load(seed_corpus, tmp_path / "index")
    flip(segment_dir(tmp_path / "index") / damaged)
    engine = load(seed_corpus, tmp_path / "index")
    assert engine.last_report.rebuilt and damaged in engine.last_report.reason
    assert engine.answer("how many Afghans were expelled?").quotes[0].text.startswith(QUOTE)
    assert len(engine.sources()) == 2


def test_a_damaged_document_frequency_file_is_rebuilt(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    flip(next((tmp_path / "index").glob("df-*.npy")))
    engine = load(seed_corpus, tmp_path / "index")
    assert engine.last_report.rebuilt and "df-" in engine.last_report.reason


def test_verify_checks_every_block_and_rebuilds_what_is_damaged(seed_corpus: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--quiet"]
    assert main(["verify", *common]) == 0
    assert capsys.readouterr().out.startswith("No damage: every block of the index (")
    monkeypatch.setattr(segment, "SMALL_FILE", 0)  # damage that opening alone would not see
    flip(segment_dir(tmp_path / "index") / "post_tfs.npy")
    assert main(["verify", "--json", *common]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["rebuilt"] and "post_tfs.npy: block 0 of 1 does not match its checksum" in result["damaged"][0]
    assert main(["verify", *common]) == 0


def test_verify_reports_damage_that_opening_the_index_found_and_rebuilt_first(seed_corpus: Path, tmp_path: Path, capsys) -> None:
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--quiet"]
    load(seed_corpus, tmp_path / "index")
    flip(segment_dir(tmp_path / "index") / "post_docs.npy")  # a small file: opening checks it whole
    assert main(["verify", "--json", *common]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["rebuilt"] and result["cannot_rebuild"] is None
    assert len(result["damaged"]) == 1 and "post_docs.npy: block 0 of 1 does not match its checksum" in result["damaged"][0]
    assert main(["verify", *common]) == 0 and capsys.readouterr().out.startswith("No damage")


def test_a_repair_found_at_opening_is_reported_by_one_verify_only(seed_corpus: Path, tmp_path: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    flip(segment_dir(tmp_path / "index") / "post_docs.npy")
    engine = load(seed_corpus, tmp_path / "index")  # finds the damage and rebuilds
    first = engine.verify()
    assert first.rebuilt and len(first.damaged) == 1
    again = engine.verify()  # a long-running bot's next /verify: nothing new
    assert not again.rebuilt and again.damaged == ()


def _read_only(index_dir: Path) -> None:
    for path in [index_dir, *index_dir.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def test_a_read_only_index_is_verified_and_damage_in_it_is_said_not_rebuilt(seed_corpus: Path, tmp_path: Path, capsys) -> None:
    from tests.permissions import permissions_enforced

    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index")]
    engine = load(seed_corpus, tmp_path / "index")
    _read_only(tmp_path / "index")
    with permissions_enforced():
        assert main(["verify", *common]) == 0
        assert capsys.readouterr().out.startswith("No damage: every block of the index (")
    flip(segment_dir(tmp_path / "index") / "sentences.txt")  # the disk's doing: root may write the file
    with permissions_enforced():
        found = engine.verify()
    assert found.damaged and "sentences.txt: block 0 of 1 does not match its checksum" in found.damaged[0]
    assert not found.rebuilt and found.cannot_rebuild.startswith("cannot write the index in ")


def test_verify_of_a_read_only_index_damaged_where_opening_checks_still_reports(seed_corpus: Path, tmp_path: Path, capsys) -> None:
    from tests.permissions import permissions_enforced

    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index")]  # not --quiet: later tests read the engine's warnings
    load(seed_corpus, tmp_path / "index")
    flip(segment_dir(tmp_path / "index") / "post_docs.npy")  # a small file: opening finds it, and cannot rebuild
    _read_only(tmp_path / "index")
    read_only = f"cannot write the index in {tmp_path / 'index'}: the index folder is read-only (Permission denied)"
    with permissions_enforced():
        assert main(["verify", "--json", *common]) == 1
        result = json.loads(capsys.readouterr().out)
        assert (result["rebuilt"], result["cannot_rebuild"]) == (False, read_only) and result["checked_bytes"] > 0
        assert len(result["damaged"]) == 1 and "post_docs.npy: block 0 of 1 does not match its checksum" in result["damaged"][0]
        assert main(["verify", *common]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == "Damaged (1):" and "post_docs.npy: block 0 of 1" in lines[1]
        assert lines[2:] == [f"The index was not rebuilt: {read_only}."]
        assert main(["ask", *common, "who mediated?"]) == 1  # nothing to answer from: one line, saying what to do
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and read_only in err and "`newsbot verify` lists the damage" in err
