"""Choose what a refresh reads: the changed files, and the unchanged files of the smallest segments so that those merge."""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsbot.index.storage.corpus_diff import CorpusDiff
from newsbot.index.storage.generations import generation_of
from newsbot.index.storage.state import IndexState
from newsbot.index.storage.store import FileEntry, read_problems

MAX_SEGMENTS = 24  # from this many segments on, a refresh merges the smaller half (queries visit each one)
MERGE_RATIO = 4  # ... of those at most a quarter the size of the largest: built parts are never re-read


@dataclass(frozen=True)
class MergePlan:
    """The files a refresh reads, and those whose articles leave the index first."""

    files: dict[str, FileEntry]  # the diff's files, unchanged ones with the problems recorded for them
    to_read: tuple[str, ...]  # added and changed files, then unchanged ones read again to merge segments
    merging: frozenset[str]  # the unchanged ones: they come back as they were, not news to report
    dropped: tuple[str, ...]  # changed, removed and merging files: their indexed articles are taken out


def plan_merges(state: IndexState, diff: CorpusDiff) -> MergePlan:
    """Return what to read: the diff's added and changed files, with the unchanged files of the smallest segments."""
    recorded = read_problems(state.directory, state.manifest)  # unchanged files keep what they could not read
    files = {
        name: e if e.problems or name not in recorded else replace(e, problems=recorded[name])
        for name, e in diff.files.items()
    }  # fmt: skip
    merged = _files_to_merge(state, files, diff.to_read)
    return MergePlan(
        files=files,
        to_read=(*diff.to_read, *merged),
        merging=frozenset(merged),
        dropped=(*diff.changed, *diff.removed, *merged),
    )


def _files_to_merge(state: IndexState, files: dict[str, FileEntry], to_read: tuple[str, ...]) -> list[str]:
    """Return unchanged files to read again so the smallest segments merge into the new one.

    Every refresh that changes something adds a segment, and a query visits
    each; past MAX_SEGMENTS the smaller half are re-read with the changed files,
    which costs about their size, never a rebuild. Segments of a large build
    (10M passages build as ~60 parts of equal size) are left alone: only those
    under 1/MERGE_RATIO of the largest count as small, so adding one article
    re-reads a few refreshes' files, not half the corpus; past 2 × MAX_SEGMENTS
    with none that small, the smaller half merge all the same, but for the
    parts of the generation holding the most passages.
    """
    if len(state.segments) < MAX_SEGMENTS:
        return []
    by_size = sorted(state.segments, key=lambda s: s.passage_count)
    largest = by_size[-1].passage_count
    smaller_half = by_size[: len(by_size) - MAX_SEGMENTS // 2]
    small = {s.name for s in smaller_half if s.passage_count * MERGE_RATIO <= largest}
    if not small and len(state.segments) >= 2 * MAX_SEGMENTS:
        # Segments of one size that are each over a quarter of the largest (a small corpus fed a day
        # file at a time) would otherwise pile up without end: past twice the cap, merge them anyway,
        # but never the parts of the generation holding the most passages: a large build's parts are
        # of one size on purpose, and merging half of 10M passages took minutes, not one article's time.
        sizes: dict[str, int] = {}
        for segment in state.segments:
            sizes[generation_of(segment.name)] = sizes.get(generation_of(segment.name), 0) + segment.passage_count
        main = max(sizes, key=sizes.__getitem__)
        small = {s.name for s in smaller_half if generation_of(s.name) != main}
    reading = set(to_read)
    return sorted(
        name for name, e in files.items() if any(p.segment in small for p in e.placements) and name not in reading
    )
