"""The compiled chunk table: it cuts and lower-cases text as `str.split` and `str.lower` do, and finds what it met."""

from __future__ import annotations

import numpy as np
import pytest

from newsbot.index.storage import chunks
from newsbot.index.storage.chunks import ChunkTable

END = "\x00"


def _table() -> ChunkTable:
    # Each chunk's "terms" are itself and, when it has a hyphen, its halves: so chunks map to 0, 1 or more ids.
    return ChunkTable(lambda chunk: () if chunk == "the" else (chunk, *chunk.split("-")[: 2 if "-" in chunk else 0]), END)


def _expected(table: ChunkTable, text: str) -> list[str]:
    out = []
    for chunk in text.lower().split():
        out.extend(["|"] if chunk == END else table._analyse(chunk))
    return out


def _found(table: ChunkTable, text: str) -> list[str]:
    return ["|" if i < 0 else table.terms[i] for i in table.ids(text).tolist()]


def test_white_space_is_what_str_isspace_says() -> None:
    spaces = [c for c in map(chr, range(0x110000)) if c.isspace()]
    data = np.frombuffer("".join(spaces).encode("utf-8"), np.uint8)
    at, widths = 0, []
    while at < len(data):
        widths.append(chunks._space(data, at))
        at += max(widths[-1], 1)
    assert widths == [len(c.encode("utf-8")) for c in spaces]
    others = "".join(chr(c) for c in range(0x110000) if not chr(c).isspace() and not 0xD800 <= c < 0xE000)
    data = np.frombuffer(others.encode("utf-8"), np.uint8)
    assert not any(chunks._space(data, at) for at in range(len(data)))


@pytest.mark.parametrize(
    "texts",
    [
        ["The U.S.-led talks \x00 Talks", "talks THE u.s.-LED Talks-Again \x00 "],
        ["  \t\n\x1c a\u00a0b\u2009c\u3000d\u2028e\u0085f\u202fg\u205fh\u1680i  \x00 "],  # every kind of white space
        ["zürich ÉTÉ? é \u00e9t\u00e9 naïve-café \x00 😀 x😀y", "ZÜRICH naïve-café \x00"],  # ASCII lower-cased, the rest as given
        ["", "   ", "\x00"],
    ],
)
def test_ids_are_the_terms_of_str_split(texts: list[str]) -> None:
    table = _table()
    for text in texts:
        text = "".join(c if c.isascii() else c.lower() for c in text)  # the caller's part of lower-casing
        assert _found(table, text) == _expected(table, text)
        assert _found(table, text) == _expected(table, text)  # again, every chunk now met


def test_the_table_grows_past_its_first_size_and_still_finds_every_chunk() -> None:
    table = _table()
    words = [f"w{n}" for n in range(3 * chunks._FIRST_SLOTS // 2)]
    for start in range(0, len(words), 20_000):
        text = " ".join(words[start : start + 20_000])
        assert _found(table, text) == words[start : start + 20_000]
    assert len(table._slots) > chunks._FIRST_SLOTS
    assert _found(table, " ".join(words[::997])) == words[::997]
    assert len(table.terms) == len(words) and len(table) == len(words) + 1  # the sentence end is a chunk too


def test_a_new_chunk_met_again_in_the_same_text_is_analysed_once() -> None:
    analysed: list[str] = []

    def analyse(chunk: str) -> tuple[str, ...]:
        analysed.append(chunk)
        return () if chunk == "the" else (chunk,)

    table = ChunkTable(analyse, END)
    # More distinct new chunks than the scan's first table of them holds, each met three times.
    words = [f"w{n}" for n in range(3 * chunks._FIRST_PENDING)]
    text = " ".join(f"{w} the {w} \x00 {w}" for w in words)
    assert _found(table, text) == [t for w in words for t in (w, w, "|", w)]
    assert sorted(analysed) == sorted([*words, "the"])  # each once
