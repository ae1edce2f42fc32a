"""Tests for index.reading.decoding.gunzip: gzip members, padding, limits, and the work a member costs."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import pytest

from newsbot.index.errors import SourceError
from newsbot.index.models import Problem
from newsbot.index.reading.articles import read_file
from newsbot.index.reading.decoding import MAX_GZIP_MEMBERS, TOO_MANY_GZIP_MEMBERS, gunzip

EMPTY = gzip.compress(b"", mtime=0)  # 20 bytes that decompress to nothing
BIG = os.urandom(200_000)  # incompressible: a member of several 64 KB pieces


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


class _CountingZlib:
    """zlib's decompressobj, counting the streams made and the compressed bytes handed to them."""

    def __init__(self) -> None:
        self.streams = 0
        self.fed = 0
        self._make = zlib.decompressobj

    def decompressobj(self, wbits: int) -> _CountingStream:
        self.streams += 1
        return _CountingStream(self, self._make(wbits))


class _CountingStream:
    def __init__(self, counter: _CountingZlib, stream: zlib._Decompress) -> None:
        self._counter, self._stream = counter, stream

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        self._counter.fed += len(data)
        return self._stream.decompress(data, max_length)

    def __getattr__(self, name: str) -> object:  # eof, unused_data, unconsumed_tail
        return getattr(self._stream, name)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> _CountingZlib:
    counter = _CountingZlib()
    monkeypatch.setattr(zlib, "decompressobj", counter.decompressobj)
    return counter


@pytest.mark.parametrize(
    ("raw", "limit", "expected"),
    [
        (_gz(b"a\n"), None, (b"a\n", False)),
        (_gz(b"a\n") + _gz(b"b\n"), None, (b"a\nb\n", False)),
        (_gz(b"a\n") + EMPTY * 3 + _gz(b"b\n"), None, (b"a\nb\n", False)),
        (_gz(b"a\n") + b"\x00" * 100, None, (b"a\n", False)),  # zero padding at the end
        (_gz(b"a\n") + b"\x00" * 4 + _gz(b"b\n"), None, (b"a\n", True)),  # but not between members
        (_gz(b"a\n") + b"junk", None, (b"a\n", True)),
        (_gz(b"a\nb\nc")[:-9], None, (b"a\nb\n", True)),  # cut in its trailer: the unfinished line goes
        (b"", None, (b"", False)),
        (b"\x00" * 8, None, (b"", False)),
        (_gz(BIG) + _gz(b"tail\n"), None, (BIG + b"tail\n", False)),  # a member over many pieces, then one in the same piece
        (_gz(b"a\n") * 3, 6, (b"a\n" * 3, False)),  # exactly the limit
        (_gz(b"a\n") * 4, 6, (None, False)),  # the members together are over it
    ],
    ids=["one", "two", "empty-between", "padded", "padding-between", "junk-after", "cut", "nothing", "only-padding",
         "large-then-small", "at-limit", "over-limit"],
)
def test_members_padding_and_breaks(raw: bytes, limit: int | None, expected: tuple[bytes | None, bool]) -> None:
    assert gunzip(raw, limit) == expected


def test_many_members_are_read_in_one_pass(counted: _CountingZlib) -> None:
    # Each member used to be handed a whole 64 KB piece and the rest of the file copied after it:
    # work grew with members x file size (100,000 members: 25 s).
    raw = _gz(b"x\n") * MAX_GZIP_MEMBERS
    assert gunzip(raw, 10_000_000) == (b"x\n" * MAX_GZIP_MEMBERS, False)
    assert counted.streams == MAX_GZIP_MEMBERS
    assert counted.fed <= 4 * len(raw)  # every byte handed to zlib a few times at most, not 64 KB per member


def test_a_large_member_is_not_fed_twice(counted: _CountingZlib) -> None:
    raw = _gz(BIG)
    assert gunzip(raw) == (BIG, False)
    assert counted.fed == len(raw)


def test_more_members_than_the_cap_are_refused_without_reading_on(counted: _CountingZlib) -> None:
    raw = EMPTY * (MAX_GZIP_MEMBERS + 1)  # empty members: no byte ever counts against the size limit
    with pytest.raises(SourceError, match=f"^wire.jsonl.gz: {TOO_MANY_GZIP_MEMBERS}$"):
        gunzip(raw, 2_000_000, "wire.jsonl.gz")
    assert counted.streams == MAX_GZIP_MEMBERS


def test_a_corpus_file_of_too_many_members_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl.gz"
    path.write_bytes(EMPTY * (MAX_GZIP_MEMBERS + 1))
    articles, problems = read_file(path, tmp_path)
    assert (articles, problems) == ([], [Problem("wire.jsonl.gz", TOO_MANY_GZIP_MEMBERS)])
    assert str(problems[0]) == f"wire.jsonl.gz: more than {MAX_GZIP_MEMBERS:,} gzip members; not read"
