"""A segment's article list as written: each article's record as JSON, and the records' numbers as arrays.

The list is one JSON array whose records can be read one at a time
(`art_offsets`); dates, passage spans and positions among a source's
articles are kept apart as arrays too, so dating or counting reads no JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ARTICLE_ARRAYS = ("art_first_passage", "art_passages", "art_day", "art_position")


@dataclass(frozen=True)
class ArticleRecord:
    """An article as a segment stores it: metadata plus where its text lies."""

    title: str
    published: date | None
    source: str
    url: str | None
    first_passage: int
    passages: int

    def to_json(self) -> dict:
        """Return the record as JSON-ready values, its passage numbers last (see `ArticleList.moved`)."""
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "url": self.url,
            "first_passage": self.first_passage,
            "passages": self.passages,
        }

    @classmethod
    def from_json(cls, data: dict) -> ArticleRecord:
        """Rebuild a record from `to_json`'s values."""
        published = data.get("published")
        return cls(
            title=data["title"],
            published=date.fromisoformat(published) if published else None,
            source=data["source"],
            url=data.get("url"),
            first_passage=int(data["first_passage"]),
            passages=int(data["passages"]),
        )


@dataclass(frozen=True)
class ArticleList:
    """The records of a segment's articles as stored: each one's JSON, and their numbers (`ARTICLE_ARRAYS`)."""

    items: list[bytes]
    arrays: dict[str, np.ndarray]

    @classmethod
    def of(cls, records: Sequence[ArticleRecord]) -> ArticleList:
        """Encode records."""
        arrays = {
            "art_first_passage": np.array([r.first_passage for r in records], np.int32),
            "art_passages": np.array([r.passages for r in records], np.int32),
            # Published dates as day ordinals (0: undated), so dating passages reads no article list.
            "art_day": np.array([r.published.toordinal() if r.published else 0 for r in records], np.int32),
            "art_position": source_positions([r.source for r in records]),
        }
        return cls([_encode(r.to_json()) for r in records], arrays)

    @classmethod
    def read(cls, folder: Path) -> ArticleList:
        """Read the list a staged or placed segment folder holds (format 12 and later)."""
        data = (folder / "articles.json").read_bytes()
        starts = np.load(folder / "art_offsets.npy").tolist()
        items = [data[start : end - 1] for start, end in zip(starts, starts[1:])]  # each record is followed by "," or "]"
        return cls(items, {name: np.load(folder / f"{name}.npy") for name in ARTICLE_ARRAYS})

    def moved(self, passages: int) -> ArticleList:
        """Return the list with every record's passages numbered `passages` later.

        Only the numbers at the end of each record's JSON are written anew:
        parsing and encoding 100,000 records took 1.2 s of a 2.9 s join of a
        million passages, the time spent alone while both cores wait.
        """
        firsts, counts = self.arrays["art_first_passage"].tolist(), self.arrays["art_passages"].tolist()
        items = []
        for item, first, count in zip(self.items, firsts, counts):
            tail = _passage_numbers(first, count)
            if not item.endswith(tail):
                raise ValueError(f"an article record does not end in its passage numbers: {item[-60:]!r}")
            items.append(item[: -len(tail)] + _passage_numbers(first + passages, count))
        arrays = self.arrays | {"art_first_passage": self.arrays["art_first_passage"] + np.int32(passages)}
        return ArticleList(items, arrays)

    @classmethod
    def joined(cls, lists: Sequence[ArticleList]) -> ArticleList:
        """Return the lists one after another (their passage numbers as they are)."""
        arrays = {name: np.concatenate([np.zeros(0, np.int32), *(a.arrays[name] for a in lists)]) for name in ARTICLE_ARRAYS}
        # A source's articles that run on from one list into the next go on counting (`source_positions`).
        positions, end = arrays["art_position"], 0
        for before, after in zip(lists, lists[1:]):
            end += len(before.items)
            if before.items and after.items and _source(before.items[-1]) == _source(after.items[0]):
                run = end + _leading_run(after.arrays["art_position"])
                positions[end:run] += positions[end - 1] + 1
        return cls([item for a in lists for item in a.items], arrays)

    def write(self, folder: Path) -> None:
        """Write the list and its arrays into a segment folder."""
        for name, array in self.arrays.items():
            np.save(folder / f"{name}.npy", array)
        # A JSON array whose records can be read one at a time: art_offsets[i] is where record i
        # starts, and each record is followed by one byte ("," or "]").
        starts = np.zeros(len(self.items) + 1, np.int64)
        np.cumsum([len(item) + 1 for item in self.items], out=starts[1:])
        np.save(folder / "art_offsets.npy", starts + 1)  # after the opening "["
        (folder / "articles.json").write_bytes(b"[" + b",".join(self.items) + b"]")


def source_positions(sources: Sequence[str]) -> np.ndarray:
    """Return each article's number among the articles of its source in this list (they lie together)."""
    positions = np.zeros(len(sources), np.int32)
    for i in range(1, len(sources)):
        if sources[i] == sources[i - 1]:
            positions[i] = positions[i - 1] + 1
    return positions


def _encode(values: dict) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _passage_numbers(first: int, count: int) -> bytes:
    """Return how a record's JSON ends: `to_json` puts these last (`moved` checks each record)."""
    return b'"first_passage":%d,"passages":%d}' % (first, count)


def _source(item: bytes) -> str:
    return json.loads(item)["source"]


def _leading_run(positions: np.ndarray) -> int:
    """Return how many articles open a list with the first one's source."""
    restarts = np.flatnonzero(positions[1:] == 0)
    return int(restarts[0]) + 1 if len(restarts) else len(positions)
