"""Passage windows: every sentence in a window, neighbours sharing the overlap."""

from __future__ import annotations

import pytest

from newsbot.index.reading.passages import passage_windows


@pytest.mark.parametrize(
    ("sentences", "size", "overlap", "windows"),
    [
        (0, 3, 1, []),
        (-1, 3, 1, []),
        (1, 3, 1, [(0, 1)]),
        (3, 3, 1, [(0, 3)]),
        (4, 3, 1, [(0, 3), (2, 4)]),
        (5, 3, 1, [(0, 3), (2, 5)]),
        (6, 3, 1, [(0, 3), (2, 5), (4, 6)]),
        (7, 3, 1, [(0, 3), (2, 5), (4, 7)]),  # a last window (6, 7) inside the one before: dropped
        (5, 2, 0, [(0, 2), (2, 4), (4, 5)]),
        (3, 1, 0, [(0, 1), (1, 2), (2, 3)]),
        (4, 3, 2, [(0, 3), (1, 4)]),
        (3, 3, 3, [(0, 3)]),  # overlap as large as the window: step 1, and the rest lies inside the first
    ],
)
def test_passage_windows(sentences: int, size: int, overlap: int, windows: list[tuple[int, int]]) -> None:
    assert passage_windows(sentences, size, overlap) == windows
