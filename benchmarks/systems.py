"""The systems under test: for each, the phases a child process runs.

A phase is `build` (index the corpus and write it to disk), `serve` (load
from disk and answer the first question — the cold start — then time every
question), or `refresh` (add one article). Phases take a `Task` and return
plain dicts; `benchmarks.process.run_phase` runs them in a child process.

Libraries are imported inside the phases, so a serve child's cold-start clock
covers importing the library, loading the index and answering.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from benchmarks.corpus import EXTRA_ARTICLE_NAME, PASSAGES_PER_ARTICLE, Corpus, Question, extra_article, open_corpus
from benchmarks.process import Task, current_memory_mb, resident_memory

if TYPE_CHECKING:  # imported by the phases themselves, inside the cold-start clock
    from newsbot.index import SearchHit

TOP = 10  # passages each retriever returns per question
NEWSBOT_TOP_K = 3  # quotes per answer, newsbot's default


def _articles(task: Task) -> Path:
    return task.corpus_root / "articles"


def _peer_corpus(task: Task) -> Corpus:
    """Open the corpus for a peer: tokens only, no sentence text (it would only add memory)."""
    return open_corpus(task.pool_dir, task.corpus_root, with_sentences=False)


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def _warm_up(questions: tuple[Question, ...], ask: Callable[[Question], object]) -> None:
    """Ask every question once, untimed, so the timed pass finds the index's pages in memory."""
    for question in questions:
        ask(question)


def _latencies(questions: tuple[Question, ...], ask: Callable[[Question], list]) -> dict:
    """Time every question; return latencies in ms and each question's top passages."""
    times, tops = [], []
    for question in questions:
        start = time.perf_counter()
        top = ask(question)
        times.append((time.perf_counter() - start) * 1000)
        tops.append(top)
    return {"latencies_ms": times, "tops": tops}


# ---------------------------------------------------------------- newsbot


def _newsbot_build(task: Task) -> dict:
    from newsbot.index import load

    # Profiled, the build stays in this process, where cProfile sees the work.
    workers = 1 if task.profile_to is not None else None
    engine, seconds = _timed(lambda: load(_articles(task), task.index_dir, workers=workers))
    stats = engine.stats()
    if stats.passages != task.size:
        raise AssertionError(f"newsbot cut {stats.passages} passages, the benchmark wrote {task.size}")
    return {"build_s": seconds, "passages": stats.passages, "index_mb": stats.bytes_on_disk / 2**20}


def _newsbot_serve(task: Task) -> dict:
    start = time.perf_counter()
    from newsbot.index import load

    engine = load(_articles(task), task.index_dir, refresh_corpus=False)
    engine.answer(task.questions[0].text, top_k=NEWSBOT_TOP_K)
    cold = time.perf_counter() - start
    _warm_up(task.questions, lambda q: engine.answer(q.text, top_k=NEWSBOT_TOP_K))
    search = _latencies(task.questions, lambda q: engine.search(q.text, k=TOP))
    answers = []

    def ask(question: Question) -> list:
        answers.append(engine.answer(question.text, top_k=NEWSBOT_TOP_K))
        return []

    answered = _latencies(task.questions, ask)
    search["tops"] = [[(_benchmark_number(hit), hit.score) for hit in top] for top in search["tops"]]
    return {
        "cold_start_s": cold,
        "resident": resident_memory().to_json(),  # the engine still loaded
        "search": search,
        "answer": {"latencies_ms": answered["latencies_ms"]},
        "no_answer": sum(a.no_answer for a in answers),
    }


def _benchmark_number(hit: SearchHit) -> int:
    """Return the benchmark's number of a passage newsbot found (a `SearchHit`).

    A benchmark article is one JSON line whose source ends in its id, the
    benchmark's article number; its passages are numbered from number ×
    PASSAGES_PER_ARTICLE.
    """
    return int(hit.source.rpartition("#")[2]) * PASSAGES_PER_ARTICLE + hit.passage


def _newsbot_refresh(task: Task) -> dict:
    from newsbot.index import load

    engine = load(_articles(task), task.index_dir, refresh_corpus=False)
    line, _ = extra_article(open_corpus(task.pool_dir, task.corpus_root).pool)
    extra = _articles(task) / EXTRA_ARTICLE_NAME
    extra.write_text(line, encoding="utf-8")
    try:
        report, seconds = _timed(engine.refresh)
    finally:
        extra.unlink()
    if report.passages_added != 10:
        raise AssertionError(f"refresh added {report.passages_added} passages, expected 10")
    return {"refresh_s": seconds}


# ---------------------------------------------------------------- rank-bm25


def _rank_bm25_build(task: Task) -> dict:
    from rank_bm25 import BM25Okapi

    tokens = _peer_corpus(task).passage_tokens()
    input_mb = current_memory_mb()
    start = time.perf_counter()
    model = BM25Okapi(tokens)
    index_s = time.perf_counter() - start
    del tokens
    task.index_dir.mkdir(parents=True, exist_ok=True)
    path = task.index_dir / "bm25okapi.pickle"

    def save() -> None:
        with path.open("wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)

    _, save_s = _timed(save)
    return {
        "build_s": index_s + save_s, "index_s": index_s, "save_s": save_s,
        "index_mb": path.stat().st_size / 2**20, "input_mb": input_mb,
    }  # fmt: skip


def _rank_bm25_top(model, tokens: tuple[str, ...]) -> list[tuple[int, float]]:
    scores = model.get_scores(list(tokens))
    best = np.argpartition(-scores, TOP - 1)[:TOP] if len(scores) > TOP else np.arange(len(scores))
    best = best[np.lexsort((best, -scores[best]))]
    return [(int(i), float(scores[i])) for i in best]


def _rank_bm25_serve(task: Task) -> dict:
    start = time.perf_counter()
    import rank_bm25  # noqa: F401  (the class the pickle names)

    with (task.index_dir / "bm25okapi.pickle").open("rb") as handle:
        model = pickle.load(handle)  # rank-bm25 has no save/load of its own
    _rank_bm25_top(model, task.questions[0].tokens)
    cold = time.perf_counter() - start
    _warm_up(task.questions, lambda q: _rank_bm25_top(model, q.tokens))
    search = _latencies(task.questions, lambda q: _rank_bm25_top(model, q.tokens))
    return {"cold_start_s": cold, "search": search, "resident": resident_memory().to_json()}


# ---------------------------------------------------------------- bm25s


def _bm25s_build(task: Task) -> dict:
    import bm25s

    corpus = _peer_corpus(task)
    flat, offsets = corpus.passage_token_ids()
    ids = [flat[offsets[i] : offsets[i + 1]].tolist() for i in range(corpus.size)]
    vocabulary = {token: number for number, token in enumerate(corpus.pool.vocabulary)}
    del corpus, flat, offsets
    input_mb = current_memory_mb()
    model = bm25s.BM25(k1=1.5, b=0.75)  # rank-bm25's k1 and b; bm25s's own ("lucene") idf
    _, index_s = _timed(lambda: model.index((ids, vocabulary), show_progress=False))
    _, save_s = _timed(lambda: model.save(str(task.index_dir)))
    size = sum(p.stat().st_size for p in task.index_dir.iterdir())
    return {
        "build_s": index_s + save_s, "index_s": index_s, "save_s": save_s,
        "index_mb": size / 2**20, "input_mb": input_mb,
    }  # fmt: skip


def _bm25s_top(model, tokens: tuple[str, ...]) -> list[tuple[int, float]]:
    docs, scores = model.retrieve([list(tokens)], k=TOP, show_progress=False, n_threads=0)
    return [(int(d), float(s)) for d, s in zip(docs[0], scores[0])]


def _bm25s_serve(task: Task) -> dict:
    start = time.perf_counter()
    import bm25s

    model = bm25s.BM25.load(str(task.index_dir), show_progress=False)
    _bm25s_top(model, task.questions[0].tokens)
    cold = time.perf_counter() - start
    _warm_up(task.questions, lambda q: _bm25s_top(model, q.tokens))
    search = _latencies(task.questions, lambda q: _bm25s_top(model, q.tokens))
    return {"cold_start_s": cold, "search": search, "resident": resident_memory().to_json()}


# ---------------------------------------------------------------- tantivy

TANTIVY_HEAP = 256_000_000  # writer memory budget; tantivy's docs suggest 50 MB to a few hundred
# Passages whose tokens are gathered at once: at 10M passages the whole corpus's
# token ids (and the gather's int64 indexes) would take gigabytes that tantivy never needs.
TANTIVY_BATCH = 200_000


def _tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    # Tokens come pre-analysed by newsbot's analyser, space-separated; no positions (BM25 needs none).
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field("pid", stored=True)
    return builder.build()


def _tantivy_add(writer, vocabulary: list[str], flat: np.ndarray, offsets: np.ndarray, first_pid: int) -> None:
    """Add passages as documents of space-separated newsbot tokens, made one at a time."""
    import tantivy

    words = np.array(vocabulary, dtype=object)
    for number in range(len(offsets) - 1):
        text = " ".join(words[flat[offsets[number] : offsets[number + 1]]])
        writer.add_document(tantivy.Document(body=text, pid=first_pid + number))


def _tantivy_build(task: Task) -> dict:
    import tantivy

    corpus = _peer_corpus(task)
    input_mb = current_memory_mb()
    task.index_dir.mkdir(parents=True, exist_ok=True)

    gathering = 0.0  # time spent making the ready tokens, taken out of the build time

    def build() -> None:
        nonlocal gathering
        index = tantivy.Index(_tantivy_schema(), path=str(task.index_dir))
        writer = index.writer(TANTIVY_HEAP)
        for first in range(0, corpus.size, TANTIVY_BATCH):
            (flat, offsets), seconds = _timed(lambda: corpus.passage_token_ids(first, first + TANTIVY_BATCH))
            gathering += seconds
            _tantivy_add(writer, corpus.pool.vocabulary, flat, offsets, first)
        writer.commit()
        writer.wait_merging_threads()

    _, seconds = _timed(build)
    size = sum(p.stat().st_size for p in task.index_dir.iterdir() if p.is_file())
    return {"build_s": seconds - gathering, "gather_s": gathering, "index_mb": size / 2**20, "input_mb": input_mb}


def _tantivy_query(schema, tokens: tuple[str, ...]):
    import tantivy

    clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", t, index_option="freq")) for t in tokens]
    return tantivy.Query.boolean_query(clauses)


def _tantivy_top(searcher, schema, tokens: tuple[str, ...]) -> list[tuple[int, float]]:
    hits = searcher.search(_tantivy_query(schema, tokens), TOP).hits
    return [(searcher.doc(address)["pid"][0], float(score)) for score, address in hits]


def _tantivy_serve(task: Task) -> dict:
    start = time.perf_counter()
    import tantivy

    index = tantivy.Index.open(str(task.index_dir))
    searcher, schema = index.searcher(), index.schema
    _tantivy_top(searcher, schema, task.questions[0].tokens)
    cold = time.perf_counter() - start
    _warm_up(task.questions, lambda q: _tantivy_top(searcher, schema, q.tokens))
    search = _latencies(task.questions, lambda q: _tantivy_top(searcher, schema, q.tokens))
    return {"cold_start_s": cold, "search": search, "resident": resident_memory().to_json()}


def _tantivy_refresh(task: Task) -> dict:
    import tantivy

    corpus = _peer_corpus(task)
    _, passages = extra_article(corpus.pool)
    extra = Corpus(len(passages), corpus.directory, passages, corpus.pool)
    flat, offsets = extra.passage_token_ids()

    def add() -> int:
        index = tantivy.Index.open(str(task.index_dir))
        writer = index.writer(TANTIVY_HEAP)
        _tantivy_add(writer, corpus.pool.vocabulary, flat, offsets, corpus.size)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return index.searcher().num_docs

    docs, seconds = _timed(add)
    if docs != corpus.size + len(passages):
        raise AssertionError(f"tantivy holds {docs} passages after adding one article")
    return {"refresh_s": seconds}


def _noop(task: Task) -> dict:
    """Do nothing: the peak memory of a child that only imports the benchmark (its baseline)."""
    return {}


PHASES: dict[str, dict[str, Callable[[Task], dict]]] = {
    "newsbot": {"build": _newsbot_build, "serve": _newsbot_serve, "refresh": _newsbot_refresh},
    "rank-bm25": {"build": _rank_bm25_build, "serve": _rank_bm25_serve},
    "bm25s": {"build": _bm25s_build, "serve": _bm25s_serve},
    "tantivy": {"build": _tantivy_build, "serve": _tantivy_serve, "refresh": _tantivy_refresh},
    "baseline": {"noop": _noop},
}
LIBRARIES = {"newsbot": "newsbot.index", "rank-bm25": "rank_bm25", "bm25s": "bm25s", "tantivy": "tantivy"}
