"""One immutable segment of the index: its articles, sentences, passages and postings.

A refresh writes the articles it read as a new segment; nothing already on
disk is rewritten. Postings are grouped by the segment's own term numbers;
`term_sorted` holds the global ids of `Vocabulary` (so segments share one
document-frequency table) in ascending order, and `term_order` the segment's
number of each, so a global id is found by binary search.
"""

from __future__ import annotations

import functools
import os
import zlib
from pathlib import Path

import numpy as np

from newsbot.index.storage.article_table import ArticleTable
from newsbot.index.storage.checksums import BLOCK, CHECKSUMS, SMALL_FILE, check_file, read_sums
from newsbot.index.errors import IndexFormatError
from newsbot.index.storage.posting_reads import NEAR_GAP, NEAR_SHARE, PostingFiles, near_runs
from newsbot.index.storage.records import source_positions


_ARRAYS = (
    "sent_offsets", "sent_article", "sent_highlight",
    "pas_first", "pas_count", "lengths", "art_first_passage", "art_passages",
    "term_order", "term_sorted", "term_peak", "peak_reference",
    "post_offsets", "art_day", "art_offsets", "art_position",
)  # fmt: skip
# Added by format 12: where each record lies in articles.json, and each article's number among its
# source's. A format-11 segment lacks them: its list is parsed whole once and its positions counted
# from it. When format 11 is no longer read (store.READABLE_FORMATS), drop this, `Segment.legacy`
# and the branches on it (`ArticleTable._whole`, `Segment._positions`, `Segment._check`).
_SINCE_FORMAT_12 = ("art_offsets", "art_position")
UNDATED_ONE_BY_ONE = 16  # undated records are read one by one while at most one article in this many is undated
_READ = ("post_docs", "post_tfs")  # read by slices (see _FileArray), not mapped
_NO_SKIPS = np.empty(0, np.int32)  # a segment without a block index (read-only, as a mapped index is: one compiled variant)
_NO_SKIPS.flags.writeable = False


class Segment:
    """A segment opened from disk: arrays memory-mapped, sentence text read (pread) on demand.

    `legacy` opens a segment written by format 11, which lacks the arrays
    format 12 added (`_SINCE_FORMAT_12`); it answers the same, its article
    list parsed whole.
    """

    def __init__(self, directory: Path, *, legacy: bool = False) -> None:
        self.directory = directory
        self.name = directory.name
        self.legacy = legacy
        # Memory-mapped, seen as plain arrays: slicing a np.memmap costs far more per call.
        self._sums = read_sums(directory)
        damaged = [problem for path in directory.iterdir() if path.name != CHECKSUMS and path.stat().st_size <= SMALL_FILE
                   if (problem := check_file(path, self._sums.get(path.name)))]  # fmt: skip
        if damaged:
            raise ValueError(f"segment {self.name}: {damaged[0]}")
        names = [name for name in _ARRAYS if not (legacy and name in _SINCE_FORMAT_12)]
        self.arrays = {name: np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r")) for name in names}
        # Read with pread, not mapped: on a kernel whose page cache holds large folios a
        # fault maps a whole 2 MB of text into this process for one quoted sentence.
        self._text_fd = os.open(directory / "sentences.txt", os.O_RDONLY | os.O_CLOEXEC)
        self._text_size = os.fstat(self._text_fd).st_size
        self._checked: dict[str, set[int]] = {}  # blocks of sentence text and article list found intact
        # Everything is mapped or held open now: another process may replace this
        # segment and delete its files while this one still answers from it.
        self._articles_fd = os.open(directory / "articles.json", os.O_RDONLY | os.O_CLOEXEC)
        self.articles_size = os.fstat(self._articles_fd).st_size
        self._size = sum(p.stat().st_size for p in directory.iterdir())
        self.term_sorted = self.arrays["term_sorted"]
        self.term_order = self.arrays["term_order"]
        self.post_offsets = self.arrays["post_offsets"]
        self.post_docs, self.post_tfs = (_FileArray(directory / f"{name}.npy") for name in _READ)
        skips = directory / "post_skips.npy"
        self._skips = np.asarray(np.load(skips, mmap_mode="r")) if skips.exists() else None
        self._block = int(np.load(directory / "post_block.npy")[0]) if skips.exists() else 0
        self.posting_files = PostingFiles(
            self.post_docs.fd, self.post_docs.start, self.post_tfs.fd, self.post_tfs.start,
            np.empty(0, self.post_docs.dtype), np.empty(0, self.post_tfs.dtype),
            _NO_SKIPS if self._skips is None else self._skips, self._block,
        )  # fmt: skip
        self.lengths = self.arrays["lengths"]
        self._check()

    def _check(self) -> None:
        a = self.arrays
        passages = len(a["lengths"])
        if not (
            len(a["pas_first"]) == len(a["pas_count"]) == passages
            and len(a["post_offsets"]) == len(a["term_sorted"]) + 1 == len(a["term_order"]) + 1
            and len(self.post_docs) == len(self.post_tfs) == int(a["post_offsets"][-1] if len(a["post_offsets"]) else 0)
            and len(a["sent_offsets"]) == len(a["sent_article"]) + 1
            and len(a["art_day"]) == len(a["art_passages"]) == len(a["art_first_passage"])
            and (self.legacy or (
                len(a["art_position"]) == len(a["art_day"])
                and len(a["art_offsets"]) == len(a["art_day"]) + 1
                and int(a["art_offsets"][-1]) == self.articles_size
            ))
            and int(a["art_passages"].sum()) == passages
            and int(a["sent_offsets"][-1]) == self._text_size
        ):
            raise ValueError(f"segment {self.name} is inconsistent")

    @functools.cached_property
    def articles(self) -> ArticleTable:
        """Return the segment's articles, each record read from disk when first asked for."""
        return ArticleTable(self)

    def read_bytes(self, name: str, start: int, end: int) -> bytes:
        """Return bytes start to end of the segment's sentence text or article list, their blocks checked.

        Raises IndexFormatError when a block does not match its checksum.
        """
        fd = self._text_fd if name == "sentences.txt" else self._articles_fd
        checked = self._checked.setdefault(name, set())
        sums = self._sums.get(name, [])
        for block in range(start // BLOCK, (max(end, start + 1) - 1) // BLOCK + 1):
            if block not in checked:
                data = os.pread(fd, BLOCK, block * BLOCK)
                if block >= len(sums) or zlib.crc32(data) != sums[block]:
                    raise IndexFormatError(f"the index segment {self.directory} is damaged: {name} block {block} does not match its checksum")
                checked.add(block)
        # pread: no shared file position, so threads reading at once cannot disturb each other.
        return os.pread(fd, end - start, start)

    def __del__(self) -> None:
        # No contextlib here: at interpreter exit a module's names may already be None.
        for name in ("_articles_fd", "_text_fd"):
            try:
                os.close(getattr(self, name))
            except (AttributeError, OSError, TypeError):  # never opened, closed already, or os gone
                pass

    @property
    def passage_count(self) -> int:
        """Return how many passages the segment holds, deleted ones included."""
        return len(self.lengths)

    def local_term(self, term_id: int) -> int | None:
        """Return the segment's own number for a global term id, or None when it lacks the term."""
        at = int(np.searchsorted(self.term_sorted, term_id))
        if at >= len(self.term_sorted) or self.term_sorted[at] != term_id:
            return None
        return int(self.term_order[at])

    def local_terms(self, term_ids: np.ndarray) -> np.ndarray:
        """Return the segment's own numbers for several global term ids at once, -1 where it lacks one."""
        sought = term_ids
        if len(term_ids) and term_ids.max() <= np.iinfo(self.term_sorted.dtype).max:
            # Of the ids' own type NumPy would convert the whole list of terms to search it: 8.6 µs, not 1.1, at 1M.
            sought = term_ids.astype(self.term_sorted.dtype)
        at = np.minimum(np.searchsorted(self.term_sorted, sought), max(len(self.term_sorted) - 1, 0))
        if not len(self.term_sorted):
            return np.full(len(term_ids), -1, np.int64)
        return np.where(self.term_sorted[at] == term_ids, self.term_order[at], -1)

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (passages, term frequencies) for a global term id, or None."""
        local = self.local_term(term_id)
        return None if local is None else self.local_postings(local)

    def local_postings(self, local: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (passages, term frequencies) for one of the segment's own term numbers (see `local_term`)."""
        start, end = self.posting_span(local)
        return self.post_docs.read(start, end), self.post_tfs.read(start, end)

    def posting_count(self, local: int) -> int:
        """Return how many postings one of the segment's own terms has."""
        return int(self.post_offsets[local + 1]) - int(self.post_offsets[local])

    def local_postings_near(self, local: int, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return those of a term's postings that may hold any of the sorted passages: the blocks they fall in.

        Every passage of the postings that is one of `passages` is among them,
        in order, with the blocks between two wanted ones when fewer than
        NEAR_GAP; the whole list when blocks would not save much, or the
        segment has no block index (see `posting_reads.near_runs`). Compiled
        code reads them itself (`postings.probe_near`); this is its way
        from Python.
        """
        start, end = self.posting_span(local)
        files = self.posting_files
        starts, ends = near_runs(files.skips, files.block, start, end, passages, NEAR_SHARE, NEAR_GAP)
        runs = [(self.post_docs.read(a, b), self.post_tfs.read(a, b)) for a, b in zip(starts.tolist(), ends.tolist())]
        if len(runs) == 1:
            return runs[0]
        return np.concatenate([docs for docs, _ in runs]), np.concatenate([tfs for _, tfs in runs])

    def posting_span(self, local: int) -> tuple[int, int]:
        """Return where one of the segment's own terms' postings start and end among all of its postings."""
        return int(self.post_offsets[local]), int(self.post_offsets[local + 1])

    def term_peak(self, term_id: int, avgdl: float) -> float | None:
        """Return the most a term's frequency part of BM25 reaches in this segment at mean length avgdl.

        The segment stores it at its own mean length; a longer mean shrinks every
        passage's length penalty by at most their ratio, so the stored peak over
        that ratio bounds it (and a shorter mean only lowers it).
        """
        local = self.local_term(term_id)
        return None if local is None else self.local_peak(local, avgdl)

    def local_peak(self, local: int, avgdl: float) -> float:
        """Return `term_peak` for one of the segment's own term numbers (see `local_term`)."""
        reference = float(self.arrays["peak_reference"][0])
        return float(self.arrays["term_peak"][local]) * max(1.0, avgdl / reference)

    def sentence(self, index: int) -> str:
        """Return the text of one sentence, its blocks checked against their checksums on first read.

        Raises IndexFormatError when the text was changed on disk.
        """
        return self.sentences(range(index, index + 1))[0]

    def sentences(self, numbers: range) -> list[str]:
        """Return the texts of a run of sentences (a passage's, an article's), read at once; see `sentence`."""
        if not numbers:
            return []
        offsets = self.arrays["sent_offsets"][numbers.start : numbers.stop + 1].tolist()
        data = self.read_bytes("sentences.txt", offsets[0], offsets[-1])
        first = offsets[0]
        return [data[start - first : end - first].decode("utf-8") for start, end in zip(offsets, offsets[1:])]

    def verify(self) -> list[str]:
        """Return what is wrong with any file of the segment, checking every block of every file."""
        found = [self.directory / name for name in self._sums]
        problems = [problem for path in found if (problem := check_file(path, self._sums[path.name]))]
        listed = {path.name for path in self.directory.iterdir()} - {CHECKSUMS}
        problems += [f"{name}: not in {CHECKSUMS}" for name in sorted(listed - set(self._sums))]
        return [f"{self.name}/{problem}" for problem in problems]

    def passage_sentences(self, passage: int) -> range:
        """Return the sentence numbers of a passage."""
        first = int(self.arrays["pas_first"][passage])
        return range(first, first + int(self.arrays["pas_count"][passage]))

    def passage_article(self, passage: int) -> int:
        """Return the segment's number for the article a passage belongs to."""
        return self.sentence_article(int(self.arrays["pas_first"][passage]))

    def sentence_article(self, sentence: int) -> int:
        """Return the segment's number for the article a sentence belongs to."""
        return int(self.arrays["sent_article"][sentence])

    def article_passages(self, article: int) -> range:
        """Return the passage numbers of one of the segment's articles."""
        first = int(self.arrays["art_first_passage"][article])
        return range(first, first + int(self.arrays["art_passages"][article]))

    def source_position(self, article: int) -> int:
        """Return an article's number among the articles of its source, from 0 (a plain file may hold several).

        A file's articles lie next to each other in one segment, in file order.
        """
        return int(self._positions[article])

    @functools.cached_property
    def _positions(self) -> np.ndarray:
        """Return each article's number among its source's: stored, or counted from a format-11 segment's records."""
        return source_positions([r.source for r in self.articles]) if self.legacy else self.arrays["art_position"]

    def undated_sources(self) -> list[str]:
        """Return the sources of the articles with no published date, removed ones included.

        Only their records are read, one at a time, when they are few; when many
        are (SQuAD's paragraphs, say), the whole list is parsed in one go.
        """
        numbers = np.flatnonzero(self.arrays["art_day"] == 0)
        if len(numbers) * UNDATED_ONE_BY_ONE > self.article_count:
            return [record.source for record in self.articles if record.published is None]
        return [self.articles[int(number)].source for number in numbers]

    def passage_days(self) -> np.ndarray:
        """Return each passage's article published date as a day ordinal (0: undated)."""
        return np.repeat(self.arrays["art_day"], self.arrays["art_passages"])

    @property
    def article_count(self) -> int:
        """Return how many articles the segment holds, removed ones included."""
        return len(self.arrays["art_first_passage"])

    def is_highlight(self, sentence: int) -> bool:
        """Return True when a sentence comes from the article's highlights."""
        return bool(self.arrays["sent_highlight"][sentence])

    def bytes_on_disk(self) -> int:
        """Return the size of the segment's files, as they were when opened."""
        return self._size


class _FileArray:
    """A flat .npy array read by slices with pread, never mapped.

    Postings are read a term at a time: mapped, each fault on a kernel whose
    page cache holds large folios would map 2 MB of them into the process,
    until a few hundred questions had made the whole file resident.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, self.dtype = read_header(handle)
            self._start = handle.tell()
        if fortran or len(shape) != 1:
            raise ValueError(f"{path.name}: not a flat array")
        self._length = shape[0]
        self._fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)

    @property
    def fd(self) -> int:
        """Return the open file's descriptor, for compiled code that reads it (see `posting_reads`)."""
        return self._fd

    @property
    def start(self) -> int:
        """Return the byte where the array's first element starts in its file."""
        return self._start

    def __len__(self) -> int:
        return self._length

    def read(self, start: int, end: int) -> np.ndarray:
        """Return the elements from start to end (end excluded)."""
        # Read into a fresh array, not a bytes object: NumPy asks the kernel for huge pages for a large
        # one, so far fewer page faults. 8 MB of postings: 4.4-7.3 ms by os.pread, 1.9-3.4 ms this way.
        out = np.empty(end - start, self.dtype)
        done = os.preadv(self._fd, [out], self._start + start * self.dtype.itemsize) if len(out) else 0
        if done != out.nbytes:
            raise IndexFormatError(f"an index file ends early ({done} of {out.nbytes} bytes)")
        return out

    def __del__(self) -> None:
        try:  # no contextlib: see Segment.__del__
            os.close(self._fd)
        except (AttributeError, OSError, TypeError):
            pass
