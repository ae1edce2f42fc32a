"""The compiled posting loops give what plain NumPy gives on the same postings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.index import postings

K1, B = 1.5, 0.75


def reference_norms(lengths: np.ndarray, avgdl: float) -> np.ndarray:
    return K1 * (1 - B + B * np.asarray(lengths, np.float64) / avgdl)  # rank-bm25's, written out


def constants(avgdl: float, table: int) -> tuple:
    """Return the loops' constants: k1, b, avgdl, and the norms of the lengths below table, which they look up."""
    return (K1, B, avgdl, postings.length_norms(np.arange(table), (K1, B, avgdl)))


def reference_part(tfs: np.ndarray, norms: np.ndarray, weight: float) -> np.ndarray:
    tfs = tfs.astype(np.float64)
    return weight * (tfs * (K1 + 1) / (tfs + norms))


@st.composite
def segments(draw):
    """A segment's passage lengths, the loops' constants (see `constants`), and a few terms' sorted postings (passages, tfs) in it."""
    size = draw(st.integers(1, 400))
    longest = draw(st.sampled_from([np.iinfo(np.uint16).max, 70_000]))  # kept in two bytes, or as written (see passage_lengths)
    lengths = np.array(draw(st.lists(st.integers(0, longest), min_size=size, max_size=size)), np.uint16 if longest < 70_000 else np.int32)
    fixed = constants(draw(st.floats(0.5, 500.0)), draw(st.integers(0, 300)))  # longer passages' norms worked out
    terms = []
    for _ in range(draw(st.integers(1, 4))):
        docs = np.array(sorted(draw(st.sets(st.integers(0, size - 1), max_size=size))), np.int32)
        tfs = np.array(draw(st.lists(st.integers(1, 300), min_size=len(docs), max_size=len(docs))), np.uint16)
        terms.append((docs, tfs, draw(st.floats(-1.0, 5.0))))  # a floored idf can be zero or below
    return lengths, fixed, terms


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**31 - 1), max_size=50), st.floats(0.1, 3.0), st.floats(0.0, 1.0), st.floats(0.01, 1e6))
def test_length_norms_are_the_formula_rank_bm25_writes_bit_for_bit(lengths: list[int], k1: float, b: float, avgdl: float) -> None:
    # The loops work a passage's norm out from its length; scores must stay the ones rank-bm25 gives.
    expected = k1 * (1 - b + b * np.array(lengths, np.float64) / avgdl)
    got = postings.length_norms(np.array(lengths, np.int64), (k1, b, avgdl))
    assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()


@settings(max_examples=200, deadline=None)
@given(segments())
def test_merge_gives_each_held_passage_once_in_order_with_its_terms_parts(segment) -> None:
    lengths, fixed, terms = segment
    norms = reference_norms(lengths, fixed[2])
    expected = np.zeros(len(norms))
    holders = np.zeros(len(norms), bool)
    for docs, tfs, weight in terms:
        expected[docs] += reference_part(tfs, norms[docs], weight)  # term by term, as a score per passage adds them
        holders[docs] = True
    docs = np.concatenate([d for d, _, _ in terms])
    tfs = np.concatenate([t for _, t, _ in terms])
    starts = np.cumsum([0] + [len(d) for d, _, _ in terms])
    weights = np.array([w for _, _, w in terms])
    # Written after 3 from an earlier segment, in room for every posting; what lies past that room stays.
    found, sums = np.full(3 + len(docs) + 2, -7, np.int64), np.full(3 + len(docs) + 2, -7.0)
    end = postings.merge(docs, tfs, starts, weights, lengths, fixed, 1000, found, sums, 3)
    assert end == 3 + holders.sum()
    assert found[:3].tolist() == [-7, -7, -7] and sums[:3].tolist() == [-7.0, -7.0, -7.0]
    assert found[end:].tolist() == [-7] * (len(found) - end) and sums[end:].tolist() == [-7.0] * (len(sums) - end)
    assert (found[3:end] - 1000).tolist() == np.flatnonzero(holders).tolist()  # zero scores too: holding is what counts
    np.testing.assert_array_equal(sums[3:end], expected[found[3:end] - 1000])  # the same sums, added in the same order


@pytest.mark.parametrize(
    ("seed", "passages", "shares", "sparse"),
    [(0, 1_200_000, (0.02, 0.01, 0.005), True), (1, 1_200_000, (0.03, 0.01, 0.001), True), (2, 30_000, (0.5, 0.2, 0.05), False),
     (3, 1_000_000, (0.02, 0.01, 0.005), False)],  # fmt: skip
)
def test_merge_stays_exact_past_the_passages_it_notes_at_a_time(seed: int, passages: int, shares: tuple[float, ...], sparse: bool) -> None:
    # Sparse postings in a segment whose lengths outgrow the cache are noted a few thousand passages at a time
    # before they are weighed: tens of thousands cross that many times. Others are weighed at once.
    rng = np.random.default_rng(seed)
    lengths, fixed = rng.integers(1, 200, passages).astype(np.uint16), constants(60.5, 100)
    norms = reference_norms(lengths, fixed[2])
    terms = []
    for share in shares:
        docs = np.flatnonzero(rng.random(len(norms)) < share).astype(np.int32)
        terms.append((docs, rng.integers(1, 300, len(docs)).astype(np.uint16), float(rng.uniform(0.1, 5.0))))
    assert (sum(len(d) for d, _, _ in terms) * postings.DENSE < passages and lengths.nbytes > postings.CACHED_LENGTHS) == sparse
    expected, holders = np.zeros(len(norms)), np.zeros(len(norms), bool)
    for docs, tfs, weight in terms:
        expected[docs] += reference_part(tfs, norms[docs], weight)
        holders[docs] = True
    docs = np.concatenate([d for d, _, _ in terms])
    found, sums = np.empty(len(docs), np.int64), np.empty(len(docs))
    starts = np.cumsum([0] + [len(d) for d, _, _ in terms])
    end = postings.merge(docs, np.concatenate([t for _, t, _ in terms]), starts, np.array([w for _, _, w in terms]),
                         lengths, fixed, 10, found, sums, 0)  # fmt: skip
    assert (found[:end] - 10).tolist() == np.flatnonzero(holders).tolist()
    np.testing.assert_array_equal(sums[:end], expected[holders])
    docs[len(terms[0][0]) - 1] = docs[len(terms[0][0]) - 2]  # the first term's last posting repeated, far past the first few thousand
    assert postings.merge(docs, np.ones(len(docs), np.uint8), starts, np.ones(3), lengths, fixed, 0, found, sums, 0) == -1


@pytest.mark.parametrize(
    "second",
    [[-1, 1], [1, 5, 3], [1, 9], [3, 1, 4], [1, 1, 2]],  # outside the segment (first, last, past), out of order, twice
)
@pytest.mark.parametrize("passages", [5, postings.CACHED_LENGTHS])  # dense postings, then sparse ones noted first (see merge)
def test_merge_refuses_damaged_postings_of_a_later_term(second: list[int], passages: int) -> None:
    lengths = np.ones(passages, np.uint16)
    second = [p if p < 5 else passages + p - 5 for p in second]  # past the segment's end stays past it
    docs = np.array([0, 2, 4, *second], np.int32)
    assert (len(docs) * postings.DENSE < passages) == (passages > 5)
    tfs = np.ones(len(docs), np.uint8)
    found, sums = np.zeros(len(docs), np.int64), np.zeros(len(docs))
    starts = np.array([0, 3, len(docs)])
    assert postings.merge(docs, tfs, starts, np.array([1.0, 1.0]), lengths, constants(1.0, 10), 0, found, sums, 0) == -1


@settings(max_examples=200, deadline=None)
@given(segments(), st.data())
def test_probe_adds_a_terms_part_exactly_where_its_postings_hold_the_passage(segment, data) -> None:
    lengths, fixed, terms = segment
    norms = reference_norms(lengths, fixed[2])
    docs, tfs, weight = terms[0]
    passages = np.array(sorted(data.draw(st.sets(st.integers(0, len(norms) - 1)))), np.int64)
    scores = np.full(len(passages), 0.5)
    postings.probe(docs, tfs, weight, lengths, fixed, passages, scores)
    at = np.minimum(np.searchsorted(docs, passages), max(len(docs) - 1, 0))
    hit = (docs[at] == passages) if len(docs) else np.zeros(len(passages), bool)
    expected = np.full(len(passages), 0.5)
    expected[hit] += reference_part(tfs[at[hit]], norms[passages[hit]], weight)
    np.testing.assert_array_equal(scores, expected)


def test_probe_finds_passages_far_apart_in_a_long_list() -> None:
    docs = np.arange(0, 1_000_000, 3, dtype=np.int32)  # gallops far past most of the list
    tfs = np.ones(len(docs), np.uint8)
    lengths = np.full(1_000_000, 10, np.uint16)  # at the mean length: a norm of k1
    passages = np.array([0, 1, 3, 299_997, 500_002, 999_999], np.int64)
    scores = np.zeros(len(passages))
    postings.probe(docs, tfs, 2.0, lengths, constants(10.0, 4096), passages, scores)
    part = 2.0 * (1 * (K1 + 1) / (1 + K1))
    assert scores.tolist() == [part, 0.0, part, part, 0.0, part]


def test_tf_parts_is_bm25s_term_frequency_part() -> None:
    got = postings.tf_parts(np.array([1, 2, 10], np.uint8), np.array([1.5, 0.75, 3.0]), K1)
    np.testing.assert_allclose(got, [2.5 / 2.5, 5.0 / 2.75, 25.0 / 13.0], rtol=1e-15)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0.0, 10.0) | st.sampled_from([0.0, 1.0, 2.5]), min_size=1, max_size=3000), st.integers(1, 50), st.booleans())
def test_largest_finds_the_largest_values(values: list[float], size: int, ordered: bool) -> None:
    values = np.sort(values) if ordered else np.array(values)  # in order: every value beats the heap's least
    found = postings.largest(values, size)
    assert found.tolist() == sorted(set(found.tolist())) and len(found) == min(size, len(values))
    assert sorted(values[found].tolist()) == sorted(values.tolist())[len(values) - len(found):]
