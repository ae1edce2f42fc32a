"""Passage windows: every sentence in a window, neighbours sharing the overlap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbot.index.reading.passages import passage_windows, window_counts, window_table


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


def _windows_one_by_one(sentences: int, size: int, overlap: int) -> list[tuple[int, int]]:
    """The windows as the rule says them, an article at a time: one every `step` sentences, a last one
    wholly inside the one before dropped."""
    step, windows = max(1, size - overlap), []
    for start in range(0, max(sentences, 0), step):
        if start > 0 and start + overlap >= sentences:
            break
        windows.append((start, min(start + size, sentences)))
    return windows


@given(counts=st.lists(st.integers(0, 40), max_size=30), size=st.integers(1, 6), overlap=st.integers(0, 6))
def test_the_windows_of_many_articles_are_each_articles_windows_in_turn(counts: list[int], size: int, overlap: int) -> None:
    expected, base = [], 0
    for count in counts:
        expected.extend([base + start, base + end] for start, end in _windows_one_by_one(count, size, overlap))
        base += count
    assert window_table(np.array(counts, np.int64), size, overlap).tolist() == expected
    assert window_counts(np.array(counts, np.int64), size, overlap).tolist() == [
        len(_windows_one_by_one(c, size, overlap)) for c in counts
    ]
    assert all(passage_windows(c, size, overlap) == _windows_one_by_one(c, size, overlap) for c in counts)
