"""BM25 scores equal rank_bm25.BM25Okapi's on the same tokens, across segments and removals."""

from __future__ import annotations

import json
import os
import random
from concurrent.futures import ThreadPoolExecutor
import threading
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from newsbot.index import Engine, IndexConfig, load
from newsbot.index import bm25, parallel
from newsbot.index.bm25_formula import NORM_TABLE, idf, length_norm, passage_lengths, tf_part
from newsbot.index.errors import IndexFormatError
from tests.conftest import assert_matches_rank_bm25, engine_over, passage_tokens, write_jsonl

WORDS = (
    "pakistan afghanistan china talks ceasefire border militant ambassador trade corridor minister "
    "kabul beijing islamabad treaty army drone refugee election market oil price bank"
).split()


@pytest.mark.parametrize(
    "corpus",
    [
        [["a"]],  # one document: the only idf is negative, floored at epsilon × itself
        [["a"], ["b"]],
        [["a", "b"], ["a"], ["a", "c"]],  # "a" in every document: floored at epsilon × mean idf
        [["a", "a", "b"], ["b", "c"], ["c", "d"], ["d"], ["e"]],
    ],
)
@pytest.mark.parametrize("epsilon", [0.25, 0.5])
def test_idf_is_rank_bm25s(corpus: list[list[str]], epsilon: float) -> None:
    terms = sorted({t for doc in corpus for t in doc})
    df = np.array([sum(t in doc for doc in corpus) for t in terms] + [0])  # and a term in no document
    oracle = BM25Okapi(corpus, epsilon=epsilon)
    np.testing.assert_allclose(idf(df, len(corpus), epsilon), [oracle.idf[t] for t in terms] + [0.0], rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("tf", "length", "avgdl", "k1", "b", "expected"),
    [
        (0, 10, 10.0, 1.5, 0.75, 0.0),
        (1, 10, 10.0, 1.5, 0.75, 1.0),  # a mean-length passage: norm k1, so 1 × 2.5 / 2.5
        (2, 10, 10.0, 1.5, 0.75, 5 / 3.5),
        (2, 20, 10.0, 1.0, 1.0, 1.0),  # twice the mean length, full normalisation: 2 × 2 / (2 + 2)
        (3, 5, 10.0, 1.2, 0.0, 3 * 2.2 / 4.2),  # b = 0: length does not count
    ],
)
def test_tf_part(tf: int, length: int, avgdl: float, k1: float, b: float, expected: float) -> None:
    got = tf_part(np.array([tf]), length_norm(np.array([length]), avgdl, k1, b), k1)
    assert got[0] == pytest.approx(expected, abs=1e-12)


def test_a_passage_too_long_for_two_bytes_keeps_its_length_and_its_score(tmp_path: Path) -> None:
    # The scorer keeps passage lengths in two bytes where they fit (bm25_formula.passage_lengths); a pasted
    # transcript with no full stop is one sentence of 70,000 words, and its length must not wrap.
    long_one = " ".join(random.Random(5).choices(["harbour", "crane", "strike", "union", "wage", "dock"], k=70_000))
    records = [
        {"title": "Dock strike", "text": "The dock strike ended on Monday after the union agreed a wage deal.", "published": "2025-01-02"},
        {"title": "Transcript", "text": long_one + ".", "published": "2025-01-03"},
        {"title": "Cranes", "text": "New cranes arrived at the harbour. The strike had delayed them.", "published": "2025-01-04"},
    ]
    engine = engine_over(tmp_path, records)
    assert max(len(tokens) for tokens in passage_tokens(engine)[1]) == 70_000
    assert_matches_rank_bm25(engine, ["dock strike wage", "harbour cranes", "union"])
    short, long = (passage_lengths(np.array([3, longest], np.int32), longest) for longest in (65_535, 70_000))
    assert (short.dtype, short.tolist(), long.dtype, long.tolist()) == (np.uint16, [3, 65_535], np.int32, [3, 70_000])


def test_one_word_scores_are_rank_bm25s_bit_for_bit(tmp_path: Path) -> None:
    # A one-word question's score is idf × tf × (k1 + 1) / (tf + norm), computed in rank-bm25's order: equal,
    # not only within 1e-9, however the loops came by the passage's norm (looked up, or worked out for a
    # passage of 4,096 words or more, see NORM_TABLE).
    rng = random.Random(11)
    words = [f"{first}{second}" for first in ("harbour", "crane", "strike", "union", "wage") for second in ("", "s", "men", "side")]
    records = [{"title": f"Story {n}", "text": " ".join(rng.choices(words, k=rng.choice([2, 3, 5, 12, 40]))) + ".",
                "published": "2025-01-02"} for n in range(60)]  # fmt: skip
    records.append({"title": "Transcript", "text": " ".join(rng.choices(words, k=NORM_TABLE + 50)) + ".", "published": "2025-01-03"})
    engine = engine_over(tmp_path, records)
    keys, corpus = passage_tokens(engine)
    assert max(map(len, corpus)) > NORM_TABLE
    oracle = BM25Okapi(corpus, k1=engine.config.k1, b=engine.config.b, epsilon=engine.config.epsilon)
    checked = 0
    for term in sorted({t for doc in corpus for t in doc}):
        if sum(term in doc for doc in corpus) >= len(corpus) / 2:
            continue  # a word in most passages has a floored idf, its mean summed in another order
        expected = oracle.get_scores([term])
        found = {(hit.source, hit.article, hit.passage): hit.score for hit in engine.search(term, k=len(keys))}
        assert [found.get(key, 0.0) for key in keys] == expected.tolist(), term
        checked += 1
    assert checked >= 5


def test_seed_scores_match_rank_bm25(engine: Engine) -> None:
    questions = ["who mediated?", "Pakistan", "Afghanistan and Pakistan", "the ambassador agreed",
                 "Pakistan, Pakistan and Kabul", "unknownterm", "Taliban unknownterm China"]  # fmt: skip
    assert_matches_rank_bm25(engine, questions)
    # "pakistan" is in most passages: rank-bm25 floors its idf, and the scores above followed.
    _, corpus = passage_tokens(engine)
    oracle = BM25Okapi(corpus, k1=engine.config.k1, b=engine.config.b, epsilon=engine.config.epsilon)
    assert engine.analyse("Pakistan") == ["pakistan"]
    assert oracle.idf["pakistan"] == pytest.approx(engine.config.epsilon * oracle.average_idf)


def test_passages_are_listed_by_source_each_in_order(engine: Engine) -> None:
    passages = list(engine.passages())
    keys = [(p.source, p.article, p.passage) for p in passages]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert {p.article for p in passages} == {0, 1}  # the seed file holds two articles
    assert len(passages) == engine.stats().passages == sum(s.passages for s in engine.sources())
    assert all(p.text == " ".join(p.sentences) and p.sentences for p in passages)
    hit = engine.search("who mediated?", 1)[0]
    found = next(p for p in passages if (p.source, p.article, p.passage) == (hit.source, hit.article, hit.passage))
    assert "mediat" in found.text


@pytest.mark.parametrize("config", [IndexConfig(), IndexConfig(passage_sentences=1, passage_overlap=0, k1=1.2, b=0.5, epsilon=0.5)])
def test_random_corpus_across_segments_and_removals(tmp_path: Path, config: IndexConfig) -> None:
    rng = random.Random(7)
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def article(n: int) -> dict:
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(3, 12))).capitalize() + "." for _ in range(rng.randint(1, 7))]
        return {"id": n, "title": f"Story {n}", "text": " ".join(sentences), "published": "2025-01-02"}

    write_jsonl(corpus / "a.jsonl", [article(n) for n in range(40)])
    write_jsonl(corpus / "b.jsonl", [article(n) for n in range(40, 70)])
    engine = load(corpus, tmp_path / "index", config)
    questions = [" ".join(rng.sample(WORDS, k)) for k in (1, 2, 3, 4) for _ in range(5)] + ["pakistan pakistan oil"]
    assert_matches_rank_bm25(engine, questions)

    write_jsonl(corpus / "c.jsonl", [article(n) for n in range(70, 90)])  # a second segment
    engine.refresh()
    assert engine.stats().segments == 2
    assert_matches_rank_bm25(engine, questions)

    (corpus / "a.jsonl").unlink()  # passages deleted inside the first segment, b.jsonl's still live there
    engine.refresh()
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    b = manifest["files"]["b.jsonl"]
    assert b["placements"] == [[manifest["segments"][0], 40, 30]]  # after a.jsonl's 40, now dead
    assert engine.stats().articles == 50
    assert_matches_rank_bm25(engine, questions)
    engine.remove_sources(["c.jsonl#75"])
    assert engine.stats().articles == 49
    assert_matches_rank_bm25(engine, questions)

    reloaded = load(corpus, tmp_path / "index", config)
    assert reloaded.last_report.unchanged and not reloaded.last_report.rebuilt
    assert_matches_rank_bm25(reloaded, questions)


def zipf_articles(rng: random.Random, vocabulary: list[str], count: int, *, sentences: int, words: int) -> list[dict]:
    """Return articles of random sentences whose words follow Zipf's law over the vocabulary: common and rare together."""
    zipf = [1 / (n + 1) for n in range(len(vocabulary))]
    return [
        {"id": n, "title": f"S{n}", "published": "2025-01-01",
         "text": " ".join(" ".join(rng.choices(vocabulary, zipf, k=words)) + "." for _ in range(sentences))}
        for n in range(count)
    ]  # fmt: skip


def force_two_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have every search with work in two segments split it in two runs, one in a thread (see parallel.in_runs)."""
    monkeypatch.setattr(bm25, "PARALLEL_POSTINGS", 0)
    monkeypatch.setattr(bm25, "PARALLEL_CANDIDATES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def two_segments_with_deletions(tmp_path: Path, records: list[dict]) -> Engine:
    """Return an engine over the records in two segments, the first holding deleted passages: a file
    of its is rewritten shorter when a new one is added."""
    first, second = len(records) * 4 // 5, len(records) * 9 // 10
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "z.jsonl", records[:first])
    write_jsonl(corpus / "y.jsonl", records[first:second])
    engine = load(corpus, tmp_path / "index")
    write_jsonl(corpus / "y.jsonl", records[first : second - (second - first) // 5])
    write_jsonl(corpus / "more.jsonl", records[second:])
    engine.refresh()
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["segments"]) == 2
    return engine


@pytest.mark.parametrize(("sample_again", "two_runs"), [(False, False), (True, False), (False, True)])
def test_top_k_is_exact_on_a_zipfian_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_again: bool, two_runs: bool) -> None:
    # Common and rare words together: the case where top() skips walking the common words' postings;
    # sample_again: every first threshold is followed by one from a larger sample (as at 10M for common words);
    # two_runs: the segments' postings are added and probed in two runs at once, one in a helper thread.
    samples = []
    real = bm25.BM25._sampled_threshold
    monkeypatch.setattr(bm25.BM25, "_sampled_threshold", lambda self, size, *rest: samples.append(size) or real(self, size, *rest))
    if sample_again:
        monkeypatch.setattr(bm25, "SAMPLE_AGAIN_ABOVE", -1)
    runs = []
    real_runs = parallel.in_runs
    monkeypatch.setattr(bm25, "in_runs", lambda found, work: runs.append(len(found)) or real_runs(found, work))
    if two_runs:
        force_two_runs(monkeypatch)
    rng = random.Random(11)
    engine = two_segments_with_deletions(tmp_path, zipf_articles(rng, [f"w{n}x" for n in range(400)], 500, sentences=6, words=8))
    questions = ["w0x w150x", "w1x w2x w300x", "w0x w1x w3x w90x", "w399x w0x", "w5x", "w0x w1x w2x w40x w41x"]
    questions += [" ".join(f"w{n}x" for n in rng.sample(range(400), 4)) for _ in range(12)]
    assert_matches_rank_bm25(engine, questions, k=3)
    larger = bm25.SAMPLE_AGAIN_FACTOR * 3
    assert samples and (larger in samples) == sample_again  # the pruned path ran, with the second sample or without
    assert (2 in runs) == two_runs


@pytest.mark.parametrize("two_runs", [False, True])
@pytest.mark.parametrize("allowed_share", [0, 10**9])  # 0: always sought passage by passage; 10**9: never
@pytest.mark.parametrize("density", [0.03, 0.5])
def test_top_within_allowed_passages_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed_share: int, density: float, two_runs: bool
) -> None:
    # A period lets only some passages answer: the best of those, with the scores they have among all,
    # ties to the lower passage; in two segments, with deleted passages in the first.
    from newsbot.index.storage.state import open_state
    from newsbot.index.storage.store import read_manifest

    monkeypatch.setattr(bm25, "ALLOWED_SHARE", allowed_share)
    if two_runs:
        force_two_runs(monkeypatch)
    rng = random.Random(31)
    two_segments_with_deletions(tmp_path, zipf_articles(rng, [f"w{n}x" for n in range(300)], 400, sentences=6, words=8))
    state = open_state(tmp_path / "index", read_manifest(tmp_path / "index"))
    scorer = state.scorer
    assert len(scorer.segments) == 2 and len(scorer.deleted)
    for _ in range(12):
        query = [state.vocabulary.get(f"w{n}x") for n in rng.sample(range(300), rng.randint(1, 4))]
        allowed = np.array([rng.random() < density for _ in range(scorer.total)])
        every = scorer.get_scores(query)  # 0 for deleted passages
        held = np.flatnonzero(allowed & (every > 0))
        expected = sorted(held.tolist(), key=lambda p: (-round(every[p], 9), p))[:5]
        top = scorer.top(query, 5, allowed)
        assert [p for p, _ in top] == expected
        np.testing.assert_allclose([s for _, s in top], every[expected], rtol=0, atol=1e-9)


@pytest.mark.parametrize("two_runs", [False, True])
def test_searches_in_threads_at_once_give_the_scores_of_searches_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_runs: bool
) -> None:
    # Searches share their scorer; two_runs: each also splits its segments between itself and a thread.
    if two_runs:
        force_two_runs(monkeypatch)
    rng = random.Random(5)
    vocabulary = [f"v{n}y" for n in range(60)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = zipf_articles(rng, vocabulary, 300, sentences=4, words=7)
    write_jsonl(corpus / "a.jsonl", records[:150])
    engine = load(corpus, tmp_path / "index")
    write_jsonl(corpus / "b.jsonl", records[150:])  # two segments
    engine.refresh()
    questions = [" ".join(rng.sample(vocabulary, rng.randint(1, 5))) for _ in range(40)]
    expected = {q: [(h.source, h.article, h.passage, h.score) for h in engine.search(q, 7)] for q in questions}

    def ask(question: str) -> tuple[str, list]:
        return question, [(h.source, h.article, h.passage, h.score) for h in engine.search(question, 7)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        for question, found in pool.map(ask, questions * 5):
            assert found == expected[question], question


def test_probing_reads_only_the_posting_blocks_the_candidates_fall_in(tmp_path: Path, monkeypatch) -> None:
    from newsbot.index.storage import segment as segment_module
    from newsbot.index.storage import staging as staging_module

    monkeypatch.setattr(staging_module, "POSTING_BLOCK", 4)  # written into the segment (post_block.npy)
    rng = random.Random(17)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "z.jsonl", zipf_articles(rng, [f"u{n}z" for n in range(200)], 400, sentences=5, words=8))
    engine = load(corpus, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    segment = segment_module.Segment(tmp_path / "index" / manifest["segments"][0])
    for term in ("u0z", "u1z", "u2z"):  # the commonest words: hundreds of postings, blocks of 4
        local = segment.local_term(_term_id(tmp_path, term))
        docs, tfs = segment.local_postings(local)
        wanted = np.sort(rng.sample(range(segment.passage_count), 3)).astype(np.int64)
        near_docs, near_tfs = segment.local_postings_near(local, wanted)
        assert len(near_docs) < len(docs)  # blocks, not the whole list
        assert set(docs.tolist()) & set(wanted.tolist()) <= set(near_docs.tolist())
        assert dict(zip(near_docs.tolist(), near_tfs.tolist())).items() <= dict(zip(docs.tolist(), tfs.tolist())).items()
    questions = [" ".join(f"u{n}z" for n in rng.sample(range(200), 4)) for _ in range(15)] + ["u0z u1z u150z", "u0z u199z"]
    assert_matches_rank_bm25(engine, questions, k=3)


def test_the_compiled_probe_reads_the_blocks_python_reads_and_adds_the_same(tmp_path: Path, monkeypatch) -> None:
    from newsbot.index import postings
    from newsbot.index.storage import posting_reads
    from newsbot.index.storage import segment as segment_module
    from newsbot.index.storage import staging as staging_module

    monkeypatch.setattr(staging_module, "POSTING_BLOCK", 4)
    rng = random.Random(23)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "z.jsonl", zipf_articles(rng, [f"u{n}z" for n in range(200)], 400, sentences=5, words=8))
    load(corpus, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    segment = segment_module.Segment(tmp_path / "index" / manifest["segments"][0])
    lengths = segment.lengths.astype(np.uint16)
    fixed = (1.5, 0.75, 9.0, length_norm(np.arange(20), 9.0, 1.5, 0.75))
    rule = (posting_reads.NEAR_SHARE, posting_reads.NEAR_GAP)
    for term in ("u0z", "u1z", "u7z", "u60z"):  # hundreds of postings down to a few
        local = segment.local_term(_term_id(tmp_path, term))
        start, end = segment.posting_span(local)
        for count in (1, 3, 40, segment.passage_count):  # blocks, blocks joined, the whole list
            wanted = np.sort(rng.sample(range(segment.passage_count), count)).astype(np.int64)
            expected, got = np.zeros(count), np.zeros(count)
            postings.probe(*segment.local_postings_near(local, wanted), 0.7, lengths, fixed, wanted, expected)
            assert postings.probe_near(segment.posting_files, start, end, rule, 0.7, lengths, fixed, wanted, got)
            assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()
            assert expected.any() or count < 40
    # A postings file cut short: the compiled probe adds nothing and says so; read from Python, it is damage.
    local = segment.local_term(_term_id(tmp_path, "u0z"))
    start, end = segment.posting_span(local)
    os.truncate(tmp_path / "index" / manifest["segments"][0] / "post_tfs.npy", segment.post_tfs.start + start + 1)
    wanted = np.arange(segment.passage_count - 3, segment.passage_count, dtype=np.int64)
    scores = np.zeros(len(wanted))
    assert not postings.probe_near(segment.posting_files, start, end, rule, 0.7, lengths, fixed, wanted, scores)
    assert not scores.any()
    with pytest.raises(IndexFormatError, match="ends early"):
        segment.local_postings_near(local, wanted)


def _term_id(index_parent: Path, term: str) -> int:
    manifest = json.loads((index_parent / "index" / "manifest.json").read_text(encoding="utf-8"))
    words = (index_parent / "index" / manifest["vocab_file"]).read_text(encoding="utf-8").split("\n")
    return words.index(term)


def test_a_run_that_fails_in_either_thread_fails_the_search_and_leaves_no_thread() -> None:
    def work(run: range) -> int:
        if run.start == failing:
            raise ValueError(f"run {run.start}")
        return run.start

    runs = [range(0, 2), range(2, 4)]
    for failing in (0, 2):  # this thread's run, then the helper's
        before = threading.active_count()
        with pytest.raises(ValueError, match=f"run {failing}"):
            parallel.in_runs(runs, work)
        assert threading.active_count() == before
    failing = -1
    assert parallel.in_runs(runs, work) == [0, 2]


@pytest.mark.parametrize(
    ("sizes", "runs"),
    [
        ([60, 50, 40], [range(0, 1), range(1, 3)]),  # 60 | 90 beats 110 | 40
        ([1, 100, 0, 0], [range(0, 1), range(1, 4)]),  # the helper is never left without work
        ([10, 60_000, 0, 0], [range(0, 1), range(1, 4)]),
        ([0, 0, 500, 0], [range(0, 4)]),  # the work in one segment: one run
        ([30, 30], [range(0, 2)]),  # below the least work worth a thread
    ],
)
def test_runs_split_the_work_in_two_halves_both_with_some(monkeypatch: pytest.MonkeyPatch, sizes: list[int], runs: list[range]) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert parallel.split_runs(sizes, 100) == runs
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert parallel.split_runs(sizes, 100) == [range(len(sizes))]
