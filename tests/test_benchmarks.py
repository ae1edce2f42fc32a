"""The scale benchmark runs end to end at a tiny size, on generated text, offline."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import load_corpus, load_pool, verify_corpus
from benchmarks.report import format_table
from benchmarks.scale import run_benchmark


def test_scale_benchmark_smoke(tmp_path: Path) -> None:
    result = run_benchmark([2_000], ["newsbot", "rank-bm25"], 10, tmp_path, data_dir=None, generated_sentences=3_000)
    assert any("GENERATED" in note for note in result.notes)
    table = format_table(result.rows, result.machine, result.text_origin)
    assert [row.system for row in result.rows] == ["newsbot answer", "newsbot search", "rank-bm25"]
    assert table.count("\n| 2,000 |") == 3
    for row in result.rows:
        assert row.build_s > 0 and row.cold_start_s > 0 and row.p50_ms > 0 and row.serve_peak_mb > 0
        assert row.queries == 10

    # Same passages, same tokens, same formula: newsbot's retrieval scores are rank-bm25's.
    ours, theirs = result.rows[1].tops, result.rows[2].tops
    assert len(ours) == len(theirs) == 10
    for mine, oracle in zip(ours, theirs):
        assert mine, "every question holds corpus words"
        for (_, a), (_, b) in zip(mine, oracle):
            assert abs(a - b) <= 1e-9

    # Every passage newsbot cuts from the files is the passage the peers were given.
    corpus = load_corpus(tmp_path, load_pool(tmp_path, None, generated_sentences=3_000), 2_000)
    assert verify_corpus(corpus) == 2_000


def test_one_file_layout_holds_the_same_passages(tmp_path: Path) -> None:
    pool = load_pool(tmp_path, None, generated_sentences=3_000)
    many, one = load_corpus(tmp_path, pool, 2_000), load_corpus(tmp_path, pool, 2_000, layout="one-file")
    assert [p.name for p in one.directory.iterdir()] == ["part-00000.jsonl"] and one.directory != many.directory
    assert (one.passages == many.passages).all()
    assert verify_corpus(one) == 2_000


def test_load_benchmark_answers_every_user(tmp_path: Path, capsys) -> None:
    from benchmarks.load import main

    assert main(["--users", "20", "--rounds", "2", "--out", str(tmp_path / "load.json")]) == 0
    import json

    rows = json.loads((tmp_path / "load.json").read_text())["rows"]
    assert [row["answered"] for row in rows] == [20, 20]
    assert all(row["rss_before_mb"] > 30 and row["rss_after_mb"] > 30 for row in rows)  # the bot process: Python, discord.py, the index
