"""The article list a segment stores: records moved and joined as bytes read as if encoded whole."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from newsbot.index.storage.records import ArticleList, ArticleRecord


def _records(sources: list[str], first: int = 0) -> list[ArticleRecord]:
    return [
        ArticleRecord(f"Title {n} \u201cquoted\u201d, \"first_passage\":9", date(2024, 1, 1 + n) if n % 2 else None,
                      source, None if n % 3 else f"https://example.org/{n}", first + 2 * n, 2)
        for n, source in enumerate(sources)
    ]  # fmt: skip


def _same(a: ArticleList, b: ArticleList) -> None:
    assert a.items == b.items
    assert a.arrays.keys() == b.arrays.keys()
    for name in a.arrays:
        assert a.arrays[name].tolist() == b.arrays[name].tolist(), name


@pytest.mark.parametrize(
    "groups",
    [
        [["a.jsonl#1", "a.jsonl#2"], ["b.txt", "b.txt"], ["c.md"]],
        [["pasted.txt", "pasted.txt"], ["pasted.txt", "pasted.txt", "other.txt"]],  # a source running on
        [[], ["x.txt"], []],
    ],
)
def test_moved_and_joined_lists_read_as_the_records_encoded_whole(groups: list[list[str]]) -> None:
    lists, whole, passages = [], [], 0
    for sources in groups:
        lists.append(ArticleList.of(_records(sources)).moved(passages))
        whole.extend(_records(sources, first=passages))
        passages += 2 * len(sources)
    _same(ArticleList.joined(lists), ArticleList.of(whole))


def test_a_list_written_and_read_back_is_the_same(tmp_path: Path) -> None:
    articles = ArticleList.of(_records(["a.txt", "a.txt", "b.txt"]))
    articles.write(tmp_path)
    _same(ArticleList.read(tmp_path), articles)
    listed = json.loads((tmp_path / "articles.json").read_text(encoding="utf-8"))
    assert [ArticleRecord.from_json(item) for item in listed] == _records(["a.txt", "a.txt", "b.txt"])
    starts = np.load(tmp_path / "art_offsets.npy")
    data = (tmp_path / "articles.json").read_bytes()
    assert json.loads(data[starts[1] : starts[2] - 1])["first_passage"] == 2


def test_a_record_not_ending_in_its_passage_numbers_is_refused() -> None:
    articles = ArticleList.of(_records(["a.txt"]))
    damaged = ArticleList([articles.items[0].replace(b'"passages":2}', b'"passages":3}')], articles.arrays)
    with pytest.raises(ValueError, match="passage numbers"):
        damaged.moved(10)
