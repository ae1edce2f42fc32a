"""A table of the chunks of text met so far and their terms' ids, searched by compiled code.

A chunk is what `str.split()` cuts text into ("pakistan's", "(cpec),",
"80,000"). Cut by `str.split`, lower-cased by `str.lower` and looked up in a
dict, the 7.7 million chunks of a 170,000-passage part cost 2.1 s of CPU,
about 250 ns a chunk, most of it hashing fresh strings and missing the
cache. Here one compiled pass over the text's UTF-8 bytes lower-cases ASCII
letters, cuts at white space, hashes each chunk (FNV-1a), finds it by open
addressing in NumPy arrays and writes its terms' ids: 0.5 s. Only chunks
never met before come back to Python, to be analysed once.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

import numpy as np
from numba import njit

from newsbot.index.compiled import compiled

_FIRST_SLOTS = 1 << 16  # the table's first size; it doubles to stay at most half full
_FIRST_PENDING = 1 << 12  # the same, for the chunks a scan does not find


class ChunkTable:
    """Chunks numbered as first met, each with the ids of its terms; terms numbered as first met too."""

    def __init__(self, analyse: Callable[[str], tuple[str, ...]], ends: str) -> None:
        """`analyse` gives a chunk's terms; the chunk `ends` (a sentence end) stands as the id -1."""
        self._analyse = analyse
        self.terms: list[str] = []
        self._term_ids: dict[str, int] = {}
        self._slots = np.full(_FIRST_SLOTS, -1, np.int64)  # chunk number, or -1 for an empty slot
        self._hashes = np.zeros(0, np.uint64)
        self._key_starts = np.zeros(1, np.int64)  # chunk n is _key_bytes[_key_starts[n]:_key_starts[n + 1]]
        self._key_bytes = np.zeros(0, np.uint8)
        self._starts = np.zeros(0, np.int64)  # chunk n's term ids are _flat[_starts[n]:][:_sizes[n]]
        self._sizes = np.zeros(0, np.int64)
        self._flat = np.zeros(0, np.int64)
        self._number([ends.encode("utf-8")], np.ones(1, np.int64), np.full(1, -1, np.int64))

    def __len__(self) -> int:
        return len(self._hashes)

    def ids(self, text: str) -> np.ndarray:
        """Return the term ids of text's chunks, in order, its ASCII letters taken as lower case.

        The caller lower-cases what lies outside ASCII (`str.lower`), which
        no byte-wise pass can do right.
        """
        data = np.frombuffer(bytearray(text.encode("utf-8")), np.uint8)  # a copy, lower-cased in place
        ids, starts, ends = _scan(data, self._slots, self._hashes, self._key_starts, self._key_bytes, self._starts, self._sizes, self._flat)
        if not len(starts):
            return ids
        raw = data.tobytes()
        new = [raw[start:end] for start, end in zip(starts.tolist(), ends.tolist())]  # each once
        first = len(self)
        self._number(new, *self._term_numbers([self._analyse(chunk.decode("utf-8")) for chunk in new]))
        return _fill(ids, np.arange(first, len(self), dtype=np.int64), self._starts, self._sizes, self._flat)

    def _term_numbers(self, analysed: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """Return how many terms each chunk has and all their ids in turn, numbering terms never met on from the last."""
        terms = list(chain.from_iterable(analysed))
        fresh = [term for term in dict.fromkeys(terms) if term not in self._term_ids]
        self._term_ids.update(zip(fresh, range(len(self.terms), len(self.terms) + len(fresh))))
        self.terms.extend(fresh)
        sizes = np.fromiter(map(len, analysed), np.int64, len(analysed))
        return sizes, np.fromiter(map(self._term_ids.__getitem__, terms), np.int64, len(terms))

    def _number(self, chunks: list[bytes], sizes: np.ndarray, term_ids: np.ndarray) -> None:
        """Add chunks not in the table, with how many terms each has and all their ids in turn."""
        first = len(self)
        self._starts = np.concatenate([self._starts, len(self._flat) + np.cumsum(sizes) - sizes])
        self._sizes = np.concatenate([self._sizes, sizes])
        self._flat = np.concatenate([self._flat, term_ids])
        lengths = np.array([len(c) for c in chunks], np.int64)
        self._key_bytes = np.concatenate([self._key_bytes, np.frombuffer(b"".join(chunks), np.uint8)])
        self._key_starts = np.concatenate([self._key_starts, self._key_starts[-1] + np.cumsum(lengths)])
        self._hashes = np.concatenate([self._hashes, _hashes(self._key_bytes, self._key_starts, first)])
        if 2 * len(self) > len(self._slots):
            size = len(self._slots)
            while 2 * len(self) > size:
                size *= 2
            self._slots = np.full(size, -1, np.int64)
            first = 0
        _place(self._slots, self._hashes, first)


# White space as `str.isspace` has it: in ASCII tab to carriage return, the four separators
# 0x1c-0x1f and the space (_ASCII); outside it U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
# U+2029, U+202F, U+205F and U+3000, whose UTF-8 starts with one of the _LEADS (see `_wide_space`;
# tests/index/test_chunks.py checks the list). A byte's kind is looked up: testing each byte's
# value in turn took 19 ns a byte (48 ms for a 20,000-sentence batch), looked up 2.7 ns.
_OTHER, _ASCII, _LEAD = 0, 1, 2
_KINDS = np.zeros(256, np.uint8)
_KINDS[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = _ASCII
_KINDS[[0xC2, 0xE1, 0xE2, 0xE3]] = _LEAD


@compiled
def _wide_space(data: np.ndarray, at: int) -> int:
    """Return how many bytes the white space character outside ASCII at `at` takes, or 0 for another character."""
    byte = data[at]
    if at + 1 >= len(data):
        return 0
    second = data[at + 1]
    if byte == 0xC2:
        return 2 if second == 0x85 or second == 0xA0 else 0
    if at + 2 >= len(data):
        return 0
    third = data[at + 2]
    if byte == 0xE1:
        return 3 if second == 0x9A and third == 0x80 else 0
    if byte == 0xE2:
        if second == 0x80 and (third <= 0x8A or third == 0xA8 or third == 0xA9 or third == 0xAF):
            return 3
        return 3 if second == 0x81 and third == 0x9F else 0
    return 3 if byte == 0xE3 and second == 0x80 and third == 0x80 else 0


@compiled
def _space(data: np.ndarray, at: int) -> int:
    """Return how many bytes the white space character at `at` takes, 0 for another character."""
    kind = _KINDS[data[at]]
    if kind == _OTHER:
        return 0
    return 1 if kind == _ASCII else _wide_space(data, at)


@njit(inline="always")
def _hash(data: np.ndarray, start: int, end: int) -> np.uint64:
    """Return FNV-1a of the bytes, its bits then mixed (MurmurHash3's finaliser).

    A product carries bits only upwards, so FNV-1a's low bits, the ones a
    slot is picked by, hardly depend on the high bits of each byte; mixed,
    they depend on all of them (no faster on news text, measured, but no
    crowding of chunks that differ only there).
    """
    value = np.uint64(0xCBF29CE484222325)
    for k in range(start, end):
        value = (value ^ np.uint64(data[k])) * np.uint64(0x100000001B3)
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xFF51AFD7ED558CCD)
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xC4CEB9FE1A85EC53)
    value ^= value >> np.uint64(33)
    return value


@compiled
def _scan(data, slots, hashes, key_starts, key_bytes, starts, sizes, flat):  # noqa: ANN001, ANN202 (compiled)
    """Lower-case data's ASCII letters in place, cut it at white space and find each chunk.

    Return the term ids of the chunks, in order, and where the distinct
    chunks not found first stand: in the ids, each place of the n-th of
    those holds -2 - n.
    """
    for at in range(len(data)):
        if 65 <= data[at] <= 90:
            data[at] += 32
    ids = np.empty(len(data) + 1, np.int64)  # no more chunks than bytes, nor terms than chunks' bytes
    missing_starts = np.empty(len(data) // 2 + 1, np.int64)
    missing_ends = np.empty(len(data) // 2 + 1, np.int64)
    missing_hashes = np.empty(len(data) // 2 + 1, np.uint64)
    # The chunks not found so far, by hash, so that each is numbered once however often it stands in
    # the data: in a worker's first batch most chunks are new, and a list of every place of each took
    # Python 0.36 s for that batch, now 0.20. Kept at most half full.
    pending = np.full(_FIRST_PENDING, -1, np.int64)
    written, missing, at, size = 0, 0, 0, len(data)
    mask = np.uint64(len(slots) - 1)
    while True:
        while at < size:
            width = _space(data, at)
            if width == 0:
                break
            at += width
        if at >= size:
            break
        start = at
        while at < size and _space(data, at) == 0:
            at += 1
        value = _hash(data, start, at)
        slot = np.int64(value & mask)
        chunk = -1
        while slots[slot] >= 0:
            candidate = slots[slot]
            base = key_starts[candidate]
            if hashes[candidate] == value and _same(key_bytes, base, key_starts[candidate + 1], data, start, at):
                chunk = candidate
                break
            slot = np.int64((slot + 1) & mask)
        if chunk >= 0:
            for k in range(starts[chunk], starts[chunk] + sizes[chunk]):
                ids[written] = flat[k]
                written += 1
            continue
        place = _pending_place(pending, missing_hashes, missing_starts, missing_ends, data, value, start, at)
        number = pending[place]
        if number < 0:  # met for the first time: a place held for it (see `_fill`)
            number = pending[place] = missing
            missing_starts[missing] = start
            missing_ends[missing] = at
            missing_hashes[missing] = value
            missing += 1
            if 2 * missing > len(pending):  # grown, the chunks so far placed again
                pending = np.full(2 * len(pending), -1, np.int64)
                _place(pending, missing_hashes[:missing], 0)
        ids[written] = -2 - number
        written += 1
    return ids[:written].copy(), missing_starts[:missing].copy(), missing_ends[:missing].copy()


@njit(inline="always")
def _same(a: np.ndarray, a_start: int, a_end: int, b: np.ndarray, b_start: int, b_end: int) -> bool:
    """Return True when a[a_start:a_end] and b[b_start:b_end] hold the same bytes."""
    if a_end - a_start != b_end - b_start:
        return False
    for k in range(a_end - a_start):
        if a[a_start + k] != b[b_start + k]:
            return False
    return True


@njit
def _pending_place(pending, hashes, chunk_starts, chunk_ends, data, value, start, end):  # noqa: ANN001, ANN202 (compiled)
    """Return the slot of `pending` holding the chunk data[start:end], or the empty slot where it goes."""
    mask = np.uint64(len(pending) - 1)
    slot = np.int64(value & mask)
    while pending[slot] >= 0:
        number = pending[slot]
        if hashes[number] == value and _same(data, chunk_starts[number], chunk_ends[number], data, start, end):
            return slot
        slot = np.int64((slot + 1) & mask)
    return slot


@compiled
def _hashes(data: np.ndarray, starts: np.ndarray, first: int) -> np.ndarray:
    """Return the hashes of the chunks from `first` on (chunk n is data[starts[n]:starts[n + 1]])."""
    values = np.empty(len(starts) - 1 - first, np.uint64)
    for n in range(first, len(starts) - 1):
        values[n - first] = _hash(data, starts[n], starts[n + 1])
    return values


@compiled
def _place(slots: np.ndarray, hashes: np.ndarray, first: int) -> None:
    """Put chunks first.. (their hashes known) into the first empty slot from their hash on."""
    mask = np.uint64(len(slots) - 1)
    for chunk in range(first, len(hashes)):
        slot = np.int64(hashes[chunk] & mask)
        while slots[slot] >= 0:
            slot = np.int64((slot + 1) & mask)
        slots[slot] = chunk


@compiled
def _fill(ids: np.ndarray, chunks: np.ndarray, starts: np.ndarray, sizes: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """Return ids with each place held (-2 - n) replaced by the term ids of chunks[n]."""
    total = 0
    for value in ids:
        total += 1 if value > -2 else sizes[chunks[-2 - value]]
    out = np.empty(total, np.int64)
    written = 0
    for value in ids:
        if value > -2:
            out[written] = value
            written += 1
        else:
            chunk = chunks[-2 - value]
            for k in range(starts[chunk], starts[chunk] + sizes[chunk]):
                out[written] = flat[k]
                written += 1
    return out
