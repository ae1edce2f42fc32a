"""A segment's staging folder: its arrays, sentence text and article list written, then moved into place durably."""

from __future__ import annotations

import functools
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from newsbot.index.storage.checksums import write_sums
from newsbot.index.storage.records import ArticleList, ArticleRecord

# Every POSTING_BLOCK-th passage of the postings is kept apart (`post_skips.npy`), so probing a
# long list for a few candidates reads only the blocks they fall in. Segments written before
# it was added (earlier format-12 ones, format 11) have none and are read whole.
POSTING_BLOCK = 128


def write_arrays(staging: Path, arrays: dict[str, np.ndarray], sentences: list[str], records: list[ArticleRecord]) -> None:
    """Write a segment's arrays (postings by part-local term id), text and articles into a staging folder."""
    # Byte lengths: a character each for ASCII sentences, the encoded length for the rest.
    sizes = np.fromiter((len(s) if s.isascii() else len(s.encode("utf-8")) for s in sentences), np.int64, len(sentences))
    offsets = np.zeros(len(sentences) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    fresh_staging(staging)
    write_text(staging, ["".join(sentences).encode("utf-8")])
    write_staged_arrays(staging, arrays | {"sent_offsets": offsets}, ArticleList.of(records))


def fresh_staging(staging: Path) -> None:
    """Make an empty staging folder, removing what a crashed build left there."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)


def write_text(staging: Path, texts: list[bytes | Path]) -> None:
    """Write a staged segment's sentence text from bytes or files, in turn."""
    with (staging / "sentences.txt").open("wb") as handle:
        for text in texts:
            if isinstance(text, Path):
                with text.open("rb") as source:
                    shutil.copyfileobj(source, handle, 1 << 20)
            else:
                handle.write(text)


def write_staged_arrays(staging: Path, arrays: dict[str, np.ndarray], articles: ArticleList) -> None:
    """Write a staged segment's arrays (sentence offsets included), its postings' skips and its article list."""
    spans = {}
    if "post_docs" in arrays:
        spans["post_skips"] = np.ascontiguousarray(arrays["post_docs"][::POSTING_BLOCK])
        spans["post_block"] = np.array([POSTING_BLOCK], np.int64)
    for name, array in (arrays | spans).items():
        path = staging / f"{name}.npy"
        if isinstance(array, np.memmap) and array.filename is not None and path.exists() and os.path.samefile(array.filename, path):
            continue  # written in place (see `merge._join_arrays`): saving it would truncate the file it maps
        np.save(path, array)
    articles.write(staging)  # made durable by `finish_segment`, if it is placed


def finish_segment(staging: Path, global_ids: np.ndarray, directory: Path) -> None:
    """Record the global id of each local term, then move the segment into place durably."""
    order = np.argsort(global_ids, kind="stable")
    for name, array in (("term_order", order), ("term_sorted", global_ids[order])):
        np.save(staging / f"{name}.npy", array.astype(np.int32))
    # Synced here, not when staged: the parts a build joins are deleted before they reach the disk
    # (half a gigabyte for a million passages); a worker waited 0.1-0.3 s for each part's sync.
    # The files go to disk while their sums are worked out, each 0.2 s at 1M passages.
    with ThreadPoolExecutor(1) as syncing:
        synced = list(map(functools.partial(syncing.submit, _fsync), sorted(staging.iterdir())))
        sums = write_sums(staging)
        for done in synced:
            done.result()
    _fsync(sums)
    _fsync(staging)
    shutil.rmtree(directory, ignore_errors=True)  # left by a refresh that crashed before its swap
    os.replace(staging, directory)
    _fsync(directory.parent)


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
