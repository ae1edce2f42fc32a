"""Build segments from article files, in worker processes when there is much to read.

A part is a set of corpus files that becomes one segment. Its builder reads
the files, splits and analyses the sentences, and writes the segment's arrays
with part-local term ids. The parent then maps those local ids to the global
vocabulary, which needs only the part's (small) vocabulary, never its
postings: so parts build in parallel and nothing large crosses processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from newsbot.index.reading.articles import read_file
from newsbot.index.reading.jsonl_ranges import LineRange, read_jsonl_range, split_jsonl
from newsbot.index.storage.inversion import chunk_table, invert, process_table, sentence_terms
from newsbot.index.storage.locks import forget_inherited_locks
from newsbot.index.models import Article, IndexConfig, Problem, ProblemList
from newsbot.index.reading.passages import article_sentences, window_counts, window_table
from newsbot.index.storage.records import ArticleRecord
from newsbot.index.storage.staging import finish_segment, write_arrays
from newsbot.index.storage.vocabulary import Vocabulary

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)

PARALLEL_BYTES = 8 << 20  # below this much to read, building in-process beats starting workers
PART_BYTES = 48 << 20  # aim for parts of about this size, so progress moves and memory stays flat
MAX_WORKERS = 8


@dataclass(frozen=True)
class FileRange:
    """What a part reads of one corpus file: all of it, or a range of a large JSON-lines file."""

    name: str
    lines: LineRange | None = None  # None: the whole file


@dataclass(frozen=True)
class FileOutcome:
    """What one corpus file (or range of one) gave: how many articles (in part order) and its problems."""

    name: str
    sha256: str  # "" for a range: the parent hashes the file once
    articles: int
    problems: tuple[Problem, ...]
    # A range's, for the parent that joins a file's ranges (`_join_ranges`):
    open_problems: ProblemList | None = None  # problems not yet closed: the file's count runs on across ranges
    sources: frozenset[str] = frozenset()  # an id repeated in another range is the whole file's to reject
    readable: bool = True  # False: not UTF-8, so the whole file must be read to pick its encoding


@dataclass
class Part:
    """A segment written with part-local term ids, waiting for global ids."""

    staging: Path
    terms: list[str]  # the part's vocabulary; local id = position
    df: np.ndarray  # passages holding each local term
    passages: int
    tokens: int
    files: list[FileOutcome]


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_part(
    items: Sequence[FileRange],
    corpus_dir: Path,
    config: IndexConfig,
    staging: Path,
    read: Callable[[int], None] | None = None,
    *,
    in_worker: bool = False,
) -> Part:
    """Read corpus files (or ranges of them) and write them as one segment with local term ids; `read` hears each size read.

    A build worker's parts share its process's table of chunks; a build in
    this process has one of its own, so a long-lived process keeps none.
    """
    about: list[tuple[str, date | None, str, str | None]] = []  # each article's title, date, source and url
    files: list[FileOutcome] = []
    sentences: list[str] = []
    sentence_counts: list[int] = []
    highlight_counts: list[int] = []
    for item in items:
        articles, outcome = _read_item(item, corpus_dir, config)
        files.append(outcome)
        if read:
            with contextlib.suppress(OSError):  # a file gone meanwhile was reported by read_file
                read(item.lines.stop - item.lines.start if item.lines else (corpus_dir / item.name).stat().st_size)
        for article in articles:
            cut = article_sentences(article)
            about.append((article.title, article.published, article.source, article.url))
            sentences.extend(cut.sentences)
            sentence_counts.append(len(cut.sentences))
            highlight_counts.append(cut.highlight_count)

    per_article = np.array(sentence_counts, np.int64)
    bounds = window_table(per_article, config.passage_sentences, config.passage_overlap)  # part-wide sentence ranges
    passages = window_counts(per_article, config.passage_sentences, config.passage_overlap)
    first_passages = np.cumsum(passages) - passages
    records = [ArticleRecord(*a, first, count) for a, first, count in zip(about, first_passages.tolist(), passages.tolist())]
    terms = sentence_terms(sentences, process_table() if in_worker else chunk_table())
    arrays = invert(terms, bounds, config)
    firsts = np.cumsum(per_article) - per_article
    arrays.update(
        sent_article=np.repeat(np.arange(len(records), dtype=np.int32), per_article),
        # A sentence is a highlight when it lies among its article's first highlight_count.
        sent_highlight=(
            np.arange(len(sentences)) - np.repeat(firsts, per_article) < np.repeat(highlight_counts, per_article)
        ).astype(np.uint8),
        pas_first=bounds[:, 0].astype(np.int32),
        pas_count=(bounds[:, 1] - bounds[:, 0]).astype(np.int32),
    )
    write_arrays(staging, arrays, sentences, records)
    return Part(
        staging=staging,
        terms=terms.terms,
        df=np.diff(arrays["post_offsets"]),
        passages=len(bounds),
        tokens=int(arrays["lengths"].sum()),
        files=files,
    )


def _read_item(item: FileRange, corpus_dir: Path, config: IndexConfig) -> tuple[list[Article], FileOutcome]:
    """Read a file whole (hashing it), or one range of a JSON-lines file; return its articles and outcome."""
    path = corpus_dir / item.name
    if item.lines is None:
        try:
            digest = file_hash(path)
        except OSError:
            digest = ""  # gone or unreadable: read_file below says so as a problem
        articles, problems = read_file(path, corpus_dir, config)
        return articles, FileOutcome(item.name, digest, len(articles), tuple(problems))
    found = read_jsonl_range(path, corpus_dir, item.lines, config)
    if found is None:
        return [], FileOutcome(item.name, "", 0, (), readable=False)
    articles, problems = found
    sources = frozenset(a.source for a in articles)
    return articles, FileOutcome(item.name, "", len(articles), (), open_problems=problems, sources=sources)


def build_parts(
    names: list[str],
    sizes: dict[str, int],
    corpus_dir: Path,
    config: IndexConfig,
    staging_for: Callable[[int], Path],
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[Part]:
    """Build segments for the named files: in-process for a little, in worker processes for a lot.

    `workers` caps the worker processes (1: build in this process); None
    means one per core, at most MAX_WORKERS. `meanwhile` is work this
    process will need after a build in workers (readying the join of the
    parts), done in a thread while they build. A large JSON-lines file is cut
    into ranges at line ends, each a part of its own, so one big file builds
    on every worker too; its articles and their sources are those a reading
    of the whole file gives.
    """
    total = sum(sizes[n] for n in names)
    workers = min(MAX_WORKERS, os.cpu_count() or 1) if workers is None else max(1, workers)
    # Workers are forked: no re-import of the caller's script (spawn and forkserver
    # run an unguarded one again). Forking a process with other threads running
    # (the Discord bot) can deadlock, so there the build stays in-process.
    alone = threading.active_count() == 1
    if total < PARALLEL_BYTES or workers < 2 or not alone:
        groups = [[FileRange(n) for n in names]]
    else:
        # `meanwhile` runs while the files are cut into parts, and ends before the workers are forked:
        # they inherit what it loaded (numba's first load in a process, 0.2-0.3 s, then costs none of them).
        with ThreadPoolExecutor(1) as early:
            ready = early.submit(meanwhile) if meanwhile else None
            groups = _groups(names, sizes, corpus_dir, config, workers)
        if ready and ready.exception():  # only a head start: what needs it does the work itself
            log.warning("getting ready for after the build failed: %s", ready.exception())
    if len(groups) <= 1:  # no files at all still make one (empty) part
        return [_build_here(groups[0] if groups else [], total, corpus_dir, config, staging_for(0), progress)]
    return _build_in_workers(groups, sizes, total, corpus_dir, config, staging_for, progress, workers)


def _groups(
    names: list[str], sizes: dict[str, int], corpus_dir: Path, config: IndexConfig, workers: int
) -> list[list[FileRange]]:
    """Return the parts to build: each range of a large JSON-lines file alone, then the other files balanced."""
    total = sum(sizes[n] for n in names)
    target = max(1, min(PART_BYTES, total // workers))  # every worker busy, parts no larger than PART_BYTES
    ranged: list[list[FileRange]] = []
    whole: list[str] = []
    for name in names:
        lines = split_jsonl(corpus_dir / name, -(-sizes[name] // target), config) if sizes[name] > target else None
        if lines:
            ranged.extend([FileRange(name, part)] for part in lines)
        else:
            whole.append(name)
    if not whole:
        return ranged
    rest = sum(sizes[n] for n in whole)
    count = min(len(whole), max(workers - len(ranged), -(-rest // PART_BYTES), 1))
    return ranged + [[FileRange(n) for n in group] for group in _balanced(whole, sizes, count)]


def _build_here(
    items: list[FileRange], total: int, corpus_dir: Path, config: IndexConfig, staging: Path, progress: Progress | None
) -> Part:
    """Build one part in this process, telling progress as each file is read."""
    done_bytes = 0
    if progress:
        progress("indexing (bytes)", 0, total)

    def read(size: int) -> None:
        nonlocal done_bytes
        done_bytes += size
        if progress:
            progress("indexing (bytes)", done_bytes, total)

    part = build_part(items, corpus_dir, config, staging, read)
    if progress:
        progress("indexing (bytes)", total, total)
    return part


def _item_size(item: FileRange, sizes: dict[str, int]) -> int:
    return item.lines.stop - item.lines.start if item.lines else sizes[item.name]


def _build_in_workers(
    groups: list[list[FileRange]],
    sizes: dict[str, int],
    total: int,
    corpus_dir: Path,
    config: IndexConfig,
    staging_for: Callable[[int], Path],
    progress: Progress | None,
    workers: int,
) -> list[Part]:
    """Build the groups in forked worker processes; join the ranges of each large file."""
    ranged = sorted({item.name for group in groups for item in group if item.lines})
    done_bytes = 0
    if progress:
        progress("indexing (bytes)", 0, total)
    parts_by_group: dict[int, Part] = {}
    context = get_context("fork")
    # Workers drop the writer lock they inherit and die with this process: a killed
    # refresh leaves neither a locked index nor writers behind.
    with (
        ProcessPoolExecutor(min(workers, len(groups)), mp_context=context, initializer=forget_inherited_locks) as pool,
        ThreadPoolExecutor(1) as aside,
    ):
        futures = {
            pool.submit(build_part, group, corpus_dir, config, staging_for(i), in_worker=True): i for i, group in enumerate(groups)
        }
        # The workers are forked by now: with "fork", CPython 3.11 starts them all at the first submit
        # (none later), so the thread below is never forked. A large file cut into ranges is hashed there,
        # once, while they read it (hashlib lets go of the GIL): before them, it held both cores idle,
        # 0.4 s for 276 MB.
        cut = {item.name: item.lines.file_id for group in groups for item in group if item.lines}
        digests = {name: aside.submit(_hash_as_cut, corpus_dir / name, file_id) for name, file_id in cut.items()}
        for future in as_completed(futures):
            index = futures[future]
            parts_by_group[index] = future.result()
            done_bytes += sum(_item_size(item, sizes) for item in groups[index])
            if progress:
                progress("indexing (bytes)", done_bytes, total)
    parts = [parts_by_group[i] for i in range(len(groups))]
    for name in ranged:
        parts = _join_ranges(parts, name, digests[name].result(), corpus_dir, config, staging_for(len(groups) + ranged.index(name)))
    if progress:
        progress("indexing (bytes)", total, total)
    return parts


def _hash_as_cut(path: Path, file_id: tuple[int, int, int]) -> str | None:
    """Return the SHA-256 of a file cut into ranges, or None when it is no longer the file that was cut."""
    try:
        digest = file_hash(path)
        st = path.stat()
    except OSError:
        return None
    return digest if (st.st_ino, st.st_size, st.st_mtime_ns) == file_id else None


def _join_ranges(
    parts: list[Part], name: str, digest: str | None, corpus_dir: Path, config: IndexConfig, staging: Path
) -> list[Part]:
    """Make the ranges of one file read as the whole file reads: its hash on each, its problems on the first.

    An id that two ranges both hold (the whole-file reader keeps only the
    first), a range that is not UTF-8, or a file changed since it was cut
    (digest None: see `_hash_as_cut`), makes the ranges' parts give way to
    one part that reads the file whole, here.
    """
    mine = [(p, i) for p in parts for i, o in enumerate(p.files) if o.name == name]
    outcomes = [p.files[i] for p, i in mine]
    sources = [o.sources for o in outcomes]
    if (
        digest is None or not all(o.readable for o in outcomes)
        or sum(map(len, sources)) != len(frozenset().union(*sources))
    ):  # fmt: skip
        log.info("%s: read whole, %s", name, "it changed as it was read" if digest is None else "its ranges did not read as the file does")
        for part, _ in mine:
            discard_part(part)
        at = parts.index(mine[0][0])
        rest = [p for p in parts if all(p is not q for q, _ in mine)]
        return [*rest[:at], build_part([FileRange(name)], corpus_dir, config, staging), *rest[at:]]
    joined = ProblemList(name)
    for outcome in outcomes:
        joined.extend(outcome.open_problems)
    problems = joined.closed()
    if not problems and not any(o.articles for o in outcomes):
        problems = [Problem(name, "empty file")]  # read_file's word for a file of blank lines
    for number, (part, i) in enumerate(mine):
        part.files[i] = FileOutcome(name, digest, outcomes[number].articles, tuple(problems) if number == 0 else ())
    return parts
def _balanced(names: list[str], sizes: dict[str, int], count: int) -> list[list[str]]:
    """Split files into `count` groups of similar total size, each in corpus order."""
    loads = [0] * count
    groups: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(names, key=lambda n: -sizes[n]):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += sizes[name]
    order = {name: i for i, name in enumerate(names)}
    return [sorted(g, key=order.__getitem__) for g in groups if g]


def place_part(part: Part, vocabulary: Vocabulary, directory: Path) -> np.ndarray:
    """Give a part's terms global ids, move it into place as a segment; return those ids."""
    global_ids = np.array(vocabulary.add_all(part.terms), np.int64)
    finish_segment(part.staging, global_ids, directory)
    return global_ids


def discard_part(part: Part) -> None:
    """Remove a part that will not be placed."""
    shutil.rmtree(part.staging, ignore_errors=True)
