"""The compiled posting loops give what plain NumPy gives on the same postings."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.index import postings

K1 = 1.5


def reference_part(tfs: np.ndarray, norms: np.ndarray, weight: float) -> np.ndarray:
    tfs = tfs.astype(np.float64)
    return weight * (tfs * (K1 + 1) / (tfs + norms))


@st.composite
def segments(draw):
    """A segment's length norms and a few terms' sorted postings (passages, tfs) in it."""
    size = draw(st.integers(1, 400))
    norms = np.array(draw(st.lists(st.floats(0.2, 4.0), min_size=size, max_size=size)))
    terms = []
    for _ in range(draw(st.integers(1, 4))):
        docs = np.array(sorted(draw(st.sets(st.integers(0, size - 1), max_size=size))), np.int32)
        tfs = np.array(draw(st.lists(st.integers(1, 300), min_size=len(docs), max_size=len(docs))), np.uint16)
        terms.append((docs, tfs, draw(st.floats(-1.0, 5.0))))  # a floored idf can be zero or below
    return norms, terms


@settings(max_examples=200, deadline=None)
@given(segments(), st.sampled_from([0, 16, 10**9]))
def test_add_and_collect_sum_each_touched_passage_once_in_order(segment, sort_share) -> None:
    norms, terms = segment
    expected = np.zeros(len(norms))
    holders = np.zeros(len(norms), bool)
    for docs, tfs, weight in terms:
        expected[docs] += reference_part(tfs, norms[docs], weight)
        holders[docs] = True
    scores, held = np.zeros(len(norms) + 5), np.zeros(len(norms) + 5, bool)  # scratch longer than the segment
    share, postings.SORT_SHARE = postings.SORT_SHARE, sort_share  # 0: always listed and sorted; 10**9: marks read
    total = sum(len(docs) for docs, _, _ in terms)
    try:
        touched = postings.listing(total, len(norms))
    finally:
        postings.SORT_SHARE = share
    assert len(touched) == (total if total * sort_share < len(norms) else 0)
    count = 0
    for docs, tfs, weight in terms:
        count = postings.add(docs, tfs, weight, norms, K1, scores, held, touched, count)
    assert count == holders.sum()
    found, sums = np.full(3 + count + 1, -7, np.int64), np.full(3 + count, -7.0)  # written after 3 from an earlier segment
    assert postings.collect(scores, held, touched, count, len(norms), 1000, found, sums, 3) == 3 + count
    assert found[:3].tolist() == [-7, -7, -7] and sums[:3].tolist() == [-7.0, -7.0, -7.0]
    assert (found[3:3 + count] - 1000).tolist() == np.flatnonzero(holders).tolist()  # zero scores too: holding is what counts
    np.testing.assert_allclose(sums[3:], expected[found[3:3 + count] - 1000], rtol=0, atol=1e-12)
    assert not scores.any() and not held.any()  # the scratch is left zeroed for the next search


@settings(max_examples=200, deadline=None)
@given(segments(), st.data())
def test_probe_adds_a_terms_part_exactly_where_its_postings_hold_the_passage(segment, data) -> None:
    norms, terms = segment
    docs, tfs, weight = terms[0]
    passages = np.array(sorted(data.draw(st.sets(st.integers(0, len(norms) - 1)))), np.int64)
    scores = np.full(len(passages), 0.5)
    postings.probe(docs, tfs, weight, norms, K1, passages, scores)
    at = np.minimum(np.searchsorted(docs, passages), max(len(docs) - 1, 0))
    hit = (docs[at] == passages) if len(docs) else np.zeros(len(passages), bool)
    expected = np.full(len(passages), 0.5)
    expected[hit] += reference_part(tfs[at[hit]], norms[passages[hit]], weight)
    np.testing.assert_array_equal(scores, expected)


def test_probe_finds_passages_far_apart_in_a_long_list() -> None:
    docs = np.arange(0, 1_000_000, 3, dtype=np.int32)  # gallops far past most of the list
    tfs = np.ones(len(docs), np.uint8)
    norms = np.ones(1_000_000)
    passages = np.array([0, 1, 3, 299_997, 500_002, 999_999], np.int64)
    scores = np.zeros(len(passages))
    postings.probe(docs, tfs, 2.0, norms, K1, passages, scores)
    part = 2.0 * (1 * (K1 + 1) / (1 + 1.0))
    assert scores.tolist() == [part, 0.0, part, part, 0.0, part]


def test_tf_parts_is_bm25s_term_frequency_part() -> None:
    got = postings.tf_parts(np.array([1, 2, 10], np.uint8), np.array([1.5, 0.75, 3.0]), K1)
    np.testing.assert_allclose(got, [2.5 / 2.5, 5.0 / 2.75, 25.0 / 13.0], rtol=1e-15)
