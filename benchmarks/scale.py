"""Measure newsbot against rank-bm25, bm25s and tantivy on 10k to 10M passages of news text.

    python benchmarks/scale.py --sizes 10000 100000 1000000 --queries 200

Every system indexes the same passages (three sentences of real news, recombined
to reach the size; see benchmarks/corpus.py) and answers the same questions,
each phase in a process of its own so peak memory is per system. Prints a
markdown table, writes JSON and a log-log chart under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import (
    ARTICLES_PER_FILE,
    LAYOUTS,
    Corpus,
    Question,
    load_corpus,
    load_pool,
    make_questions,
    verify_corpus,
)
from benchmarks.process import SAMPLE_SECONDS, Task, run_phase
from benchmarks.report import Row, draw_chart, format_table, machine, write_json
from benchmarks.systems import LIBRARIES, PHASES

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO.parent / "shared" / "data"
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_SIZES = (10_000, 100_000)
SYSTEMS = ("newsbot", "rank-bm25", "bm25s", "tantivy")
# rank-bm25 scores every passage for every question: ~117 ms a question at 100k
# passages and ~1 s at 1M on a 2-core EPYC, so it gets fewer questions there.
RANK_BM25_CAPS = ((500_000, 5), (50_000, 20))  # (more than this many passages, at most this many questions)
# rank-bm25 and bm25s build from every passage's tokens held in Python lists: at
# 1M passages that input alone is 0.4 and 1.4 GB (details.build.input_mb), and
# rank-bm25 takes ~1 s a question; ten times both at 10M. Above 1M only newsbot
# and tantivy (whose input is gathered batch by batch) are measured.
IN_MEMORY_PEERS = ("rank-bm25", "bm25s")
IN_MEMORY_PEERS_UP_TO = 1_000_000

METHOD = [
    (
        "Passages: newsbot's own windows (3 sentences, overlap 1) of articles built from real sentences; the peers "
        "index the very same windows, tokenised once beforehand with newsbot's analyser (untimed)."
    ),
    (
        "Build: newsbot from the article files to the index on disk (reading, splitting, analysing, writing); "
        "peers from ready tokens to their index on disk (rank-bm25 has no persistence: pickled). A peer's build "
        "peak includes its input tokens (details.build.input_mb in the JSON)."
    ),
    (
        "Refresh-one: newsbot writes one 21-sentence article file and runs engine.refresh(); tantivy adds the same "
        "10 passages and commits; rank-bm25 and bm25s cannot add, so their refresh is a rebuild (= build time)."
    ),
    (
        "Cold start: a fresh process imports the library, loads the index from disk (rank-bm25: pickle.load) and "
        "answers the first question; the page cache is warm, the index having just been written."
    ),
    (
        "Serve RSS: the serving process's resident memory after its last question, the index still loaded (VmRSS); of it anon: the "
        "anonymous part (RssAnon), which has nowhere to go but swap. The rest is file-backed (a memory-mapped "
        "index, libraries): page cache the kernel reclaims under pressure and reads back on demand."
    ),
    (
        "Latency: every question once untimed, then timed one at a time; newsbot's include analysing the question "
        "(answer(): also picking, scoring and dating quotes), the peers' start from newsbot's tokens."
    ),
]


@dataclass(frozen=True)
class Benchmark:
    """The results of one run."""

    rows: list[Row]
    machine: dict
    text_origin: str
    seconds: float
    notes: list[str]
    baseline_mb: float  # peak memory of a child process that does nothing


def rank_bm25_questions(size: int, wanted: int) -> int:
    """Return how many questions rank-bm25 is asked at a corpus size."""
    for above, cap in RANK_BM25_CAPS:
        if size > above:
            return min(wanted, cap)
    return wanted


def _summary(latencies: list[float]) -> tuple[float, float]:
    if len(latencies) == 1:
        return latencies[0], latencies[0]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return statistics.median(latencies), cuts[94]


def _available(system: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(LIBRARIES[system]) is not None


def _run(task: Task) -> dict:
    """Run a task's phase of its system in a fresh process (see `run_phase`)."""
    return run_phase(task, PHASES[task.system][task.phase])


def measure_system(
    system: str,
    corpus: Corpus,
    questions: list[Question],
    workdir: Path,
    say: Callable[[str], None],
    profile_to: Path | None = None,
) -> list[Row]:
    """Build, serve and refresh one system on one corpus, each in a fresh process."""
    index_dir = workdir / "indexes" / f"{system}-{corpus.size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    base = {"pool_dir": corpus.pool.directory, "corpus_root": corpus.root, "index_dir": index_dir, "size": corpus.size}
    try:
        build = _run(Task(system, "build", **base))
        say(f"[{corpus.size:,}] {system}: built in {build['build_s']:.2f} s, peak {build['peak_mb']:.0f} MB")
        serve = _run(Task(system, "serve", questions=tuple(questions), **base))
        say(f"[{corpus.size:,}] {system}: cold start {serve['cold_start_s']:.2f} s, {len(questions)} questions")
        refresh = _run(Task(system, "refresh", **base)) if "refresh" in PHASES[system] else None
        if profile_to is not None:
            shutil.rmtree(index_dir, ignore_errors=True)
            _run(Task(system, "build", profile_to=profile_to, **base))
            say(f"[{corpus.size:,}] {system}: build profile written to {profile_to}")
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    common = {
        "size": corpus.size,
        "build_s": build["build_s"],
        "refresh_s": refresh["refresh_s"] if refresh else build["build_s"],
        "refresh_is_rebuild": refresh is None,
        "cold_start_s": serve["cold_start_s"],
        "build_peak_mb": build["peak_mb"],
        "serve_peak_mb": serve["peak_mb"],
        "serve_rss_mb": serve["resident"]["total_mb"],
        "serve_anon_mb": serve["resident"]["anonymous_mb"],
        "index_mb": build["index_mb"],
        "details": {
            phase: {k: v for k, v in result.items() if k not in ("search", "answer")}
            for phase, result in (("build", build), ("serve", serve), ("refresh", refresh))
            if result is not None
        },
    }
    search = serve["search"]
    p50, p95 = _summary(search["latencies_ms"])
    if system != "newsbot":
        return [
            Row(system=system, p50_ms=p50, p95_ms=p95, queries=len(questions), tops=tuple(search["tops"]), **common)
        ]
    a50, a95 = _summary(serve["answer"]["latencies_ms"])
    no_answer = f"no answer to {serve['no_answer']} of {len(questions)}"
    return [
        Row(system="newsbot answer", p50_ms=a50, p95_ms=a95, queries=len(questions), agreement=no_answer, **common),
        Row(
            system="newsbot search",
            p50_ms=p50,
            p95_ms=p95,
            queries=len(questions),
            agreement="reference",
            tops=tuple(search["tops"]),
            **common,
        ),
    ]


def compare_with_newsbot(rows: list[Row]) -> list[Row]:
    """Fill in how each peer's top 10 compares with newsbot search's at the same size."""
    from dataclasses import replace

    reference = {row.size: row.tops for row in rows if row.system == "newsbot search"}
    out = []
    for row in rows:
        ours = reference.get(row.size)
        if ours is None or not row.tops or row.system.startswith("newsbot"):
            out.append(row)
            continue
        pairs = list(zip(ours, row.tops))
        if row.system == "rank-bm25":
            # Same formula: compare the scores rank by rank (ties may order passages differently).
            worst = max(
                (abs(a[1] - b[1]) for mine, theirs in pairs for a, b in zip(mine, theirs)),
                default=0.0,
            )
            text = f"max Δscore {worst:.1e} over {len(pairs)} questions"
        else:
            overlap = statistics.mean(
                len({p for p, _ in mine} & {p for p, _ in theirs}) / max(1, len(mine)) for mine, theirs in pairs
            )
            text = f"top-10 overlap {overlap:.0%}"
        out.append(replace(row, agreement=text))
    return out


def run_benchmark(
    sizes: list[int],
    systems: list[str],
    queries: int,
    workdir: Path,
    data_dir: Path | None,
    *,
    skip_peers_above: int | None = None,
    profile_dir: Path | None = None,
    generated_sentences: int | None = None,
    layout: str = "many-files",
    say: Callable[[str], None] = lambda text: None,
) -> Benchmark:
    """Run every system on every size; return the rows, the machine and notes."""
    started = time.perf_counter()
    notes: list[str] = list(METHOD)
    notes.append(
        "Layout: every article in one JSON-lines file." if layout == "one-file"
        else f"Layout: JSON-lines files of {ARTICLES_PER_FILE:,} articles (100 files at 1M passages)."
    )  # fmt: skip
    pool = load_pool(workdir, data_dir, **({"generated_sentences": generated_sentences} if generated_sentences else {}))
    if not pool.real:
        notes.append(f"Real news text not found ({data_dir}): passages are GENERATED text, not news.")
    say(f"sentence pool: {len(pool.sentences):,} sentences, {len(pool.vocabulary):,} terms ({pool.origin})")
    baseline = _run(Task("baseline", "noop", pool.directory, workdir, workdir, 0))["peak_mb"]
    notes.append(
        "Peak memory per phase is the larger of the child process's own peak resident set (VmHWM) and the "
        f"most its process tree (newsbot builds in worker processes) held, as summed PSS sampled every "
        f"{SAMPLE_SECONDS * 1000:.0f} ms; "
        f"a child that only starts and imports the benchmark (Python, numpy) peaks at {baseline:.0f} MB, "
        "included in every figure."
    )
    missing = [s for s in systems if not _available(s)]
    for system in missing:
        notes.append(f"{system} is not installed: skipped (pip install -e '.[bench]').")
    rows: list[Row] = []
    for size in sizes:
        corpus = load_corpus(workdir, pool, size, layout=layout)
        checked = verify_corpus(corpus, max_files=3)
        questions = make_questions(corpus, queries)
        say(f"[{size:,}] corpus ready: {checked:,} passages read back through newsbot's reader match")
        for system in systems:
            if system in missing:
                continue
            if system in IN_MEMORY_PEERS and size > IN_MEMORY_PEERS_UP_TO:
                notes.append(f"{system} skipped at {size:,} passages: its input tokens alone outgrow memory.")
                continue
            if system != "newsbot" and skip_peers_above is not None and size > skip_peers_above:
                notes.append(f"{system} skipped at {size:,} passages (--skip-peers-above {skip_peers_above:,}).")
                continue
            asked = questions[: rank_bm25_questions(size, queries)] if system == "rank-bm25" else questions
            if len(asked) < len(questions):
                notes.append(
                    f"rank-bm25 was asked {len(asked)} of the {len(questions)} questions at {size:,} passages."
                )
            profile = profile_dir / f"newsbot-build-{size}.prof" if profile_dir and system == "newsbot" else None
            rows.extend(measure_system(system, corpus, asked, workdir, say, profile))
    info = {**machine(), "newsbot_revision": revision()}
    return Benchmark(compare_with_newsbot(rows), info, pool.origin, time.perf_counter() - started, notes, baseline)


def revision() -> str | None:
    """Return the checkout's git revision, "+dirty" when files differ from it (None without git)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty=+dirty"],
            capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _print_profile(path: Path, count: int = 15) -> None:
    import pstats

    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(count)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes in passages")
    parser.add_argument("--queries", type=int, default=200, help="questions per size (rank-bm25 gets fewer above 50k)")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    parser.add_argument("--workdir", type=Path, help="keep corpora here and reuse them (default: a temp dir, removed)")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="real news text (default: ../shared/data)")
    parser.add_argument("--generated", action="store_true", help="use generated text even when real text is there")
    parser.add_argument("--layout", choices=LAYOUTS, default=LAYOUTS[0], help="newsbot's article files: many, or one big one")
    parser.add_argument("--skip-peers-above", type=int, metavar="N", help="run only newsbot on corpora above N")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json", help="JSON results file")
    parser.add_argument("--chart", type=Path, default=RESULTS / "scale.png", help="PNG chart file")
    parser.add_argument("--profile", action="store_true", help="also profile a newsbot build per size (cProfile)")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsbot-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    profile_dir = args.out.parent if args.profile else None
    try:
        result = run_benchmark(
            args.sizes, args.systems, args.queries, workdir.resolve(), None if args.generated else args.data,
            skip_peers_above=args.skip_peers_above, profile_dir=profile_dir, layout=args.layout, say=say,
        )  # fmt: skip
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(format_table(result.rows, result.machine, result.text_origin))
    for note in result.notes:
        print(f"\n- {note}")
    print(f"\nTotal time: {result.seconds:.0f} s")
    extra = {
        "text": result.text_origin,
        "sizes": args.sizes,
        "layout": args.layout,
        "questions": args.queries,
        "seconds": round(result.seconds, 1),
        "notes": result.notes,
        "baseline_mb": round(result.baseline_mb, 1),
    }
    write_json(args.out, result.rows, result.machine, extra)
    draw_chart(args.chart, result.rows, result.machine)
    say(f"wrote {args.out} and {args.chart}")
    if profile_dir:
        for size in args.sizes:
            path = profile_dir / f"newsbot-build-{size}.prof"
            if path.exists():
                say(f"newsbot build at {size:,} passages, top 15 by cumulative time:")
                _print_profile(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
