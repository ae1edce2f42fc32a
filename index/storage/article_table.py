"""A segment's article list read from disk record by record, the last ones read kept parsed."""

from __future__ import annotations

import functools
import json
import operator
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar, overload

from newsbot.index.errors import IndexFormatError
from newsbot.index.storage.records import ArticleRecord

if TYPE_CHECKING:
    from newsbot.index.storage.segment import Segment

T = TypeVar("T")

ARTICLE_CACHE = 256  # article records a segment keeps parsed: a question's quotes come from a few dozen


class ArticleTable(Sequence[ArticleRecord]):
    """A segment's article list, each record read from disk (its JSON alone) when asked for.

    Parsed whole, the lists of a ten-million-passage index were a million
    Python objects, most of the serving process's own memory; the last
    ARTICLE_CACHE records read are kept. A format-11 segment has no record
    offsets: its list is parsed whole on first use and kept.
    """

    def __init__(self, segment: Segment) -> None:
        # The segment keeps its table: a strong reference back would make a cycle, and a
        # replaced segment's files would stay open until the garbage collector came by.
        self._segment = weakref.proxy(segment)
        self._offsets = segment.arrays.get("art_offsets")
        self._kept: dict[int, ArticleRecord] = {}  # the last ARTICLE_CACHE records read, oldest first
        self._kept_lock = threading.Lock()

    def __len__(self) -> int:
        return self._segment.article_count

    @overload
    def __getitem__(self, index: int) -> ArticleRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[ArticleRecord]: ...
    def __getitem__(self, index: int | slice) -> ArticleRecord | list[ArticleRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = operator.index(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("article number out of range")
        with self._kept_lock:
            record = self._kept.get(index)
        if record is None:
            record = self._read(index)
            with self._kept_lock:
                if len(self._kept) >= ARTICLE_CACHE:
                    del self._kept[next(iter(self._kept))]
                self._kept[index] = record
        return record

    def source(self, index: int) -> str:
        """Return an article's source: from its record when kept, else from its JSON alone, no record built or kept.

        A search names its hits this way, most of them not kept (a question's
        hits are seldom the last ones'): ten hits at 1M passages took 88 µs
        with their records built, 67 µs this way. Raises IndexFormatError
        when the record is damaged.
        """
        with self._kept_lock:
            record = self._kept.get(index)
        if record is None and self._segment.legacy:
            record = self._whole[index]
        return self._parse(index, operator.itemgetter("source")) if record is None else record.source

    def __iter__(self) -> Iterator[ArticleRecord]:
        """Yield every record, the list read and parsed in one go (and not kept)."""
        yield from self._whole if self._segment.legacy else self._parse_all()

    @functools.cached_property
    def _whole(self) -> list[ArticleRecord]:
        """Return a format-11 segment's records, parsed once and kept (as format 11 itself did)."""
        return self._parse_all()

    def _parse_all(self) -> list[ArticleRecord]:
        """Return every record, the whole list read and parsed; IndexFormatError when it is damaged."""
        segment = self._segment
        try:
            data = segment.read_bytes("articles.json", 0, segment.articles_size)
            records = [ArticleRecord.from_json(item) for item in json.loads(data.decode("utf-8"))]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexFormatError(
                f"the index segment {segment.directory} is damaged ({exc}): run `newsbot refresh --rebuild`"
            ) from exc
        if len(records) != segment.article_count:
            raise IndexFormatError(f"the index segment {segment.directory} is damaged: {len(records)} article records "
                                   f"for {segment.article_count} articles: run `newsbot refresh --rebuild`")  # fmt: skip
        return records

    def _read(self, index: int) -> ArticleRecord:
        """Return one record, read and parsed; IndexFormatError when it is damaged."""
        if self._segment.legacy:
            return self._whole[index]
        return self._parse(index, ArticleRecord.from_json)

    def _parse(self, index: int, build: Callable[[dict], T]) -> T:
        """Return build(a record's JSON), read from the list on disk (format 12 on); IndexFormatError when it is damaged."""
        segment = self._segment
        try:
            data = segment.read_bytes("articles.json", int(self._offsets[index]), int(self._offsets[index + 1]) - 1)
            return build(json.loads(data.decode("utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexFormatError(
                f"the index segment {segment.directory} is damaged ({exc}): run `newsbot refresh --rebuild`"
            ) from exc
