"""Bring the index in line with the corpus folder, touching only what changed."""

from __future__ import annotations

import contextlib
import ctypes
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from newsbot.index.analysis import Analyser
from newsbot.index.storage.build import Progress, build_parts, discard_part, place_part
from newsbot.index.storage.corpus_diff import CorpusDiff, diff_corpus, refuse_to_empty
from newsbot.index.storage.merge import join_parts, ready_join
from newsbot.index.storage.merge_plan import MergePlan, plan_merges
from newsbot.index.storage.generations import highest_generation, live_generation, remove_failed_generation
from newsbot.index.models import IndexConfig, Problem, RefreshReport, source_file
from newsbot.index.storage.segment import Segment
from newsbot.index.storage.state import IndexState, empty_state, open_state
from newsbot.index.storage.vocabulary import Vocabulary
from newsbot.index.storage.store import (
    FileEntry,
    Placement,
    Manifest,
    collect_garbage,
    vocabulary_sum,
    write_df,
    write_manifest,
    write_problems,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retired:
    """The index's statistics once the dropped files' articles are taken out."""

    vocabulary: Vocabulary  # a copy: readers keep the old one
    df: np.ndarray
    documents: int
    tokens: int
    articles_removed: int
    passages_removed: int
    merged_passages: int  # passages of merging files, which come back unchanged


@dataclass(frozen=True)
class Built:
    """The new generation's segments, file table and statistics, not yet live."""

    segments: tuple[str, ...]  # every segment a file still refers to, old ones first
    files: dict[str, FileEntry]
    vocabulary: Vocabulary
    df: np.ndarray
    documents: int
    tokens: int
    articles_added: int
    passages_added: int  # net of the merged passages that came back


@dataclass(frozen=True)
class Refreshed:
    """A refresh's outcome: the index now live, what changed, and what the corpus folder holds that no file records."""

    state: IndexState
    report: RefreshReport
    unlisted: tuple[Problem, ...]  # see `contents.problems_of`


def refresh(
    state: IndexState,
    corpus_dir: Path,
    config: IndexConfig,
    *,
    rebuild_reason: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    allow_empty: bool = False,
) -> Refreshed:
    """Index added and changed corpus files, drop removed ones, and swap the result in.

    With `rebuild_reason`, everything is read anew; `workers` is how many processes
    build (None: as many as the machine has cores, up to `MAX_WORKERS`). Call under `writer_lock`.
    Raises CorpusGoneError when the corpus folder holds no article file while
    the index holds articles (unless `allow_empty`: the user emptied it),
    CorpusError when the corpus folder cannot be read, IndexWriteError
    when the disk fills while the new generation is written.
    """
    directory = state.directory
    held = len(state.live_articles)
    if rebuild_reason is not None:
        state = empty_state(directory, config, highest_generation(directory))
    diff = diff_corpus(state.manifest, corpus_dir)
    before = state.manifest.files
    if not allow_empty:
        refuse_to_empty(corpus_dir, len(diff.files), held)
    if rebuild_reason is None and not diff.changes:
        return Refreshed(_restamp(state, diff, corpus_dir), RefreshReport(skipped=diff.unreadable), diff.unreadable)
    plan = plan_merges(state, diff)
    retired = _retire(state, plan)
    generation = max(state.manifest.generation, highest_generation(directory)) + 1  # never a name in use
    try:
        built = _build(state, plan, retired, corpus_dir, config, generation, progress, workers)
        manifest = _write_generation(state, config, generation, built, corpus_dir)
    except BaseException as error:
        # Writing the manifest may fail after its rename, which made the new generation live: never remove that.
        if live_generation(directory) != generation:
            remove_failed_generation(directory, generation, error)
        raise
    # From here the new generation is the live index; a failure leaves it so.
    collect_garbage(directory, manifest)
    opened = {segment.name: segment for segment in state.segments}
    state = open_state(directory, manifest, vocabulary=built.vocabulary, df=built.df, opened=opened)
    fresh = [s for s in state.segments if s.name not in opened]
    report = _report(diff, plan, retired, built, fresh, rebuild_reason, before)
    del built, plan, retired
    _give_back_freed_memory()
    return Refreshed(state, report, diff.unreadable)


def _give_back_freed_memory() -> None:
    """Return the memory a refresh freed to the system, where the C library can (glibc's malloc_trim).

    malloc keeps what is freed for later use, and a process that goes on
    serving (the bot, which builds in-process) would hold it for good: 511 MB
    anonymous after building a million passages here, about 290 MB trimmed.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _restamp(state: IndexState, diff: CorpusDiff, corpus_dir: Path) -> IndexState:
    """Remember the new mtimes of files touched without a change; the index stays as it was."""
    if diff.files == state.manifest.files:
        return state
    manifest = replace(state.manifest, files=diff.files, corpus=str(corpus_dir))
    write_manifest(state.directory, manifest)
    return replace(state, manifest=manifest)


def _retire(state: IndexState, plan: MergePlan) -> Retired:
    """Take the dropped files' articles out of a copy of the index's statistics."""
    old = state.manifest
    analyser = Analyser()
    vocabulary = state.vocabulary.copy()  # readers keep the old one
    df = np.array(state.scorer.stats.df, np.int64)
    documents, tokens = old.documents, old.tokens
    articles_removed = passages_removed = merged_passages = 0
    by_name = {s.name: s for s in state.segments}
    for name in plan.dropped:
        for placed in old.files[name].placements:
            for number in placed.articles:
                gone_docs, gone_tokens = _uncount(by_name[placed.segment], number, analyser, vocabulary, df)
                documents -= gone_docs
                tokens -= gone_tokens
                if name in plan.merging:  # merged files come back unchanged: not news to report
                    merged_passages += gone_docs
                else:
                    passages_removed += gone_docs
                    articles_removed += 1
    return Retired(vocabulary, df, documents, tokens, articles_removed, passages_removed, merged_passages)


def _build(
    state: IndexState,
    plan: MergePlan,
    retired: Retired,
    corpus_dir: Path,
    config: IndexConfig,
    generation: int,
    progress: Progress | None,
    workers: int | None,
) -> Built:
    """Build the files to read into the generation's segments and count them into the statistics."""
    directory = state.directory
    vocabulary, files = retired.vocabulary, dict(plan.files)
    documents, tokens = retired.documents, retired.tokens
    segments = list(state.manifest.segments)
    sizes = {name: files[name].size for name in plan.to_read}
    parts = build_parts(
        list(plan.to_read), sizes, corpus_dir, config, lambda i: directory / f"seg-{generation:06d}-{i:02d}.tmp", progress,
        workers=workers, meanwhile=ready_join,
    )  # fmt: skip
    parts = join_parts(parts, lambda i: directory / f"seg-{generation:06d}-joined-{i:02d}.tmp", progress)
    df = np.concatenate([retired.df, np.zeros(len(vocabulary) - len(retired.df), np.int64)])
    articles_added, passages_added = 0, -retired.merged_passages
    placements: dict[str, list[Placement]] = {name: [] for name in plan.to_read}
    problems: dict[str, list[Problem]] = {name: [] for name in plan.to_read}
    for number, part in enumerate(parts):
        name = f"seg-{generation:06d}-{number:02d}"
        if not part.passages:
            discard_part(part)
        else:
            global_ids = place_part(part, vocabulary, directory / name)
            segments.append(name)
            df = np.concatenate([df, np.zeros(len(vocabulary) - len(df), np.int64)])
            np.add.at(df, global_ids, part.df)
            passages_added += part.passages
            documents += part.passages
            tokens += part.tokens
        first = 0
        for outcome in part.files:  # a file built in byte ranges has an outcome in each range's part
            for problem in outcome.problems:
                log.info("skipped %s", problem)
            if outcome.articles and part.passages:
                placements[outcome.name].append(Placement(name, first, outcome.articles))
            first += outcome.articles
            articles_added += outcome.articles if outcome.name not in plan.merging else 0
            problems[outcome.name].extend(outcome.problems)
            files[outcome.name] = replace(files[outcome.name], sha256=outcome.sha256)
    for name in plan.to_read:
        files[name] = replace(files[name], placements=tuple(placements[name]), problems=tuple(problems[name]))
    referenced = {p.segment for e in files.values() for p in e.placements}
    live = tuple(s for s in segments if s in referenced)
    return Built(live, files, vocabulary, df, documents, tokens, articles_added, passages_added)


def _write_generation(state: IndexState, config: IndexConfig, generation: int, built: Built, corpus_dir: Path) -> Manifest:
    """Write the generation's vocabulary, problems and statistics, then its manifest: the rename that makes it live."""
    directory, old = state.directory, state.manifest
    vocab_bytes = built.vocabulary.save(directory / old.vocab_file, old.vocab_size, old.vocab_bytes)
    manifest = Manifest(
        corpus=str(corpus_dir),
        config=config,
        generation=generation,
        vocab_file=old.vocab_file,
        vocab_size=len(built.vocabulary),
        vocab_bytes=vocab_bytes,
        documents=built.documents,
        tokens=built.tokens,
        segments=built.segments,
        files=built.files,
        last_refresh=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    write_problems(directory, generation, built.files)
    sums = {"df": write_df(directory, generation, built.df), "vocab": vocabulary_sum(directory, manifest)}
    manifest = replace(manifest, sums=sums)
    write_manifest(directory, manifest)
    return manifest


def _report(
    diff: CorpusDiff,
    plan: MergePlan,
    retired: Retired,
    built: Built,
    fresh: list[Segment],
    rebuild_reason: str | None,
    before: dict[str, FileEntry],
) -> RefreshReport:
    """Return what the refresh changed, merged files left out: they came back as they were.

    Files added or changed are those whose articles came into the index or
    left it (`before`: the files as the index held them): a file that gave
    no article, before or now (an empty file, a title alone, one the reader
    skipped), is listed under skipped only. Files removed are all that left
    the corpus folder: `remove` of a skipped file says it did so.
    """
    undated = sorted(
        source for segment in fresh for source in segment.undated_sources()
        if source_file(source, built.files.keys()) not in plan.merging
    )  # fmt: skip
    problems = [*diff.unreadable, *(p for name in plan.to_read if name not in plan.merging for p in built.files[name].problems)]
    return RefreshReport(
        added=tuple(name for name in diff.added if built.files[name].placements),
        changed=tuple(name for name in diff.changed if before[name].placements or built.files[name].placements),
        removed=diff.removed,
        skipped=tuple(p for p in problems if p.skipped),
        warnings=tuple(p for p in problems if not p.skipped),
        articles_added=built.articles_added,
        articles_removed=retired.articles_removed,
        passages_added=built.passages_added,
        passages_removed=retired.passages_removed,
        rebuilt=rebuild_reason is not None,
        reason=rebuild_reason,
        undated=tuple(undated),
    )


def _uncount(
    segment: Segment, number: int, analyser: Analyser, vocabulary, df: np.ndarray
) -> tuple[int, int]:
    """Take one article's passages out of the document frequencies; return (passages, tokens)."""
    record = segment.articles[number]
    terms_of: dict[int, set[int]] = {}
    for passage in range(record.first_passage, record.first_passage + record.passages):
        distinct: set[int] = set()
        for sentence in segment.passage_sentences(passage):
            if sentence not in terms_of:
                terms_of[sentence] = {vocabulary.get(t) for t in analyser.tokens(segment.sentence(sentence))}
            distinct |= terms_of[sentence]
        distinct.discard(None)
        if distinct:
            df[np.fromiter(distinct, np.int64)] -= 1
    lengths = segment.lengths[record.first_passage : record.first_passage + record.passages]
    return record.passages, int(np.sum(lengths))
