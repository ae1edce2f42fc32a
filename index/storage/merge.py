"""Join a build's parts into fewer, larger segments, array by array: nothing is read or analysed again.

A build cuts the corpus into parts so that workers share it and memory stays
flat; but a question visits every segment, and each visit costs a binary
search, a read and a few array operations per question term. Joined after the
workers are done, a million passages answer from one segment instead of six:
on the same million passages and 200 questions (best of three each), search
p50 / p95 went from 2.10-2.25 / 6.85-7.38 ms to 1.42-1.54 / 6.12-6.87 ms, and
answers from 3.17-3.25 / 9.47-9.69 to 2.40-2.67 / 8.44-9.45 ms; two segments
of 500,000 measured between the two.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from newsbot.index.compiled import compiled
from newsbot.index.storage.build import Part, Progress
from newsbot.index.storage.inversion import smallest_unsigned
from newsbot.index.storage.records import ArticleList
from newsbot.index.storage.staging import fresh_staging, write_staged_arrays, write_text

JOINED_PASSAGES = 2_000_000  # a joined segment holds at most this many passages (a search splits its work by segments)


def join_parts(parts: list[Part], staging: Callable[[int], Path], progress: Progress | None = None) -> list[Part]:
    """Return the parts with neighbours joined into parts of at most JOINED_PASSAGES passages, in order.

    A joined part is written in the staging folder `staging(n)` (n counts the
    groups) and replaces the parts it holds, whose folders are removed; a part
    alone in its group is kept as it is. `progress` hears the passages joined.
    """
    groups: list[list[Part]] = []
    for part in parts:
        if groups and sum(p.passages for p in groups[-1]) + part.passages <= JOINED_PASSAGES:
            groups[-1].append(part)
        else:
            groups.append([part])
    total = sum(p.passages for group in groups if len(group) > 1 for p in group)
    done = 0
    joined = []
    for number, group in enumerate(groups):
        if len(group) == 1:
            joined.append(group[0])
            continue
        if progress:
            progress("joining parts (passages)", done, total)
        joined.append(_join(group, staging(number)))
        for part in group:
            shutil.rmtree(part.staging, ignore_errors=True)
        done += joined[-1].passages
    if progress and total:
        progress("joining parts (passages)", total, total)
    return joined


@compiled
def _place(offsets, part_docs, part_tfs, starts, passage_base, docs, tfs):
    """Copy each of a part's terms' postings to where that term's postings go next, passages shifted by passage_base.

    One pass in the part's order: its postings are read once, front to back,
    and each term's run is written as a run. The same in NumPy (positions
    spread with repeat and arange, then a scatter) made three temporary arrays
    as long as the postings: 1.2 s of a 1M-passage join.
    """
    for term in range(len(starts)):
        at = starts[term] - offsets[term]
        for i in range(offsets[term], offsets[term + 1]):
            docs[at + i] = part_docs[i] + passage_base
            tfs[at + i] = part_tfs[i]


def ready_join() -> None:
    """Load the join's compiled loop for the usual types, as `_join` calls it (parts mapped read-only,
    term frequencies under 256; others load their own when joined).

    The first call in a process costs 0.2-0.4 s, which a build's parent
    spends while its workers build (see `build_parts`), not alone after them.
    """
    read_only = [np.zeros(size, dtype) for size, dtype in ((2, np.int64), (1, np.int32), (1, np.uint8))]
    for array in read_only:
        array.flags.writeable = False
    _place(*read_only, np.zeros(1, np.int64), 0, np.zeros(1, np.int32), np.zeros(1, np.uint8))


def _join(parts: list[Part], staging: Path) -> Part:
    """Return one part holding the given parts' articles, passages and postings, in their order.

    The parts' sentence text is copied in a thread meanwhile: alone, the
    copy took 0.2-0.9 s of a 1M-passage join (250 MB, the page cache
    throttling writes).
    """
    fresh_staging(staging)
    with ThreadPoolExecutor(1) as copying:
        text = copying.submit(write_text, staging, [part.staging / "sentences.txt" for part in parts])
        joined = _join_arrays(parts, staging)
        text.result()
    return joined


def _join_arrays(parts: list[Part], staging: Path) -> Part:
    """Write all but the text of `_join`'s part into staging (made by `fresh_staging`); return the part."""
    loaded = [{name.stem: np.load(name, mmap_mode="r") for name in part.staging.glob("*.npy")} for part in parts]
    terms = list(dict.fromkeys(term for part in parts for term in part.terms))
    number = {term: i for i, term in enumerate(terms)}
    maps = [np.array([number[t] for t in part.terms], np.int64) for part in parts]  # part-local id → joined id

    # Postings: a joined term's postings are its postings in each part, in part order,
    # their passages shifted by the passages before that part (so they stay ascending).
    counts = np.zeros(len(terms), np.int64)
    for arrays, mapping in zip(loaded, maps):
        counts[mapping] += np.diff(arrays["post_offsets"])  # a part's terms are distinct: no repeated index
    offsets = np.zeros(len(terms) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    filled = offsets[:-1].copy()  # where each term's next part's postings go
    # The postings are written where they will stay, in files mapped to memory: put together in memory
    # and then written, they cost a copy of 190 MB at 1M passages (0.5 s).
    docs = _file_array(staging / "post_docs.npy", np.int32, int(offsets[-1]))
    tf_type = smallest_unsigned(max(int(a["post_tfs"].max(initial=0)) for a in loaded))
    tfs = _file_array(staging / "post_tfs.npy", tf_type, int(offsets[-1]))
    lengths = np.concatenate([a["lengths"] for a in loaded])
    reference = float(lengths.mean()) if len(lengths) else 1.0
    peak = np.zeros(len(terms), np.float64)
    passage_base = 0
    for arrays, mapping in zip(loaded, maps):
        sizes = np.diff(arrays["post_offsets"])
        _place(arrays["post_offsets"], arrays["post_docs"], arrays["post_tfs"], filled[mapping], passage_base, docs, tfs)
        filled[mapping] += sizes
        # A part's peaks are at its own mean length; at a longer mean each is bounded by
        # the peak times the ratio of the means (see Segment.term_peak), a shorter one only lowers it.
        scale = max(1.0, reference / float(arrays["peak_reference"][0]))
        peak[mapping] = np.maximum(peak[mapping], arrays["term_peak"] * scale)
        passage_base += len(arrays["lengths"])

    # Sentences, passages and articles: concatenated, each numbering shifted by what came before.
    sentence_bases = np.cumsum([0] + [len(a["sent_article"]) for a in loaded])
    article_bases = np.cumsum([0] + [len(a["art_day"]) for a in loaded])
    passage_bases = np.cumsum([0] + [len(a["lengths"]) for a in loaded])
    text_bases = np.cumsum([0] + [int(a["sent_offsets"][-1]) for a in loaded])
    articles = ArticleList.joined([ArticleList.read(part.staging).moved(int(base)) for part, base in zip(parts, passage_bases)])
    arrays = {
        "lengths": lengths,
        "post_offsets": offsets,
        "post_docs": docs,
        "post_tfs": tfs,
        "term_peak": peak,
        "peak_reference": np.array([reference]),
        "sent_offsets": np.concatenate([[0], *(a["sent_offsets"][1:] + b for a, b in zip(loaded, text_bases))]),
        "sent_article": np.concatenate([a["sent_article"] + b for a, b in zip(loaded, article_bases)]).astype(np.int32),
        "sent_highlight": np.concatenate([a["sent_highlight"] for a in loaded]),
        "pas_first": np.concatenate([a["pas_first"] + b for a, b in zip(loaded, sentence_bases)]).astype(np.int32),
        "pas_count": np.concatenate([a["pas_count"] for a in loaded]),
    }
    write_staged_arrays(staging, arrays, articles)
    return Part(
        staging=staging,
        terms=terms,
        df=counts,
        passages=int(passage_bases[-1]),
        tokens=sum(part.tokens for part in parts),
        files=[outcome for part in parts for outcome in part.files],
    )


def _file_array(path: Path, dtype: type, length: int) -> np.memmap:
    """Return a new .npy file of `length` zeros, mapped to memory to be filled in place.

    Its disk space is taken at once (posix_fallocate, where the system has
    it): a full disk is then an OSError here, which the build reports as for
    any file it writes, not a SIGBUS that kills the process when a page of
    the map is first written.
    """
    array = np.lib.format.open_memmap(path, "w+", dtype, (length,))
    if hasattr(os, "posix_fallocate"):
        with path.open("r+b") as handle:
            os.posix_fallocate(handle.fileno(), 0, os.fstat(handle.fileno()).st_size)
    return array
