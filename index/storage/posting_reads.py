"""Which posting blocks a probe reads, and reading them from compiled code (pread), without coming back to Python.

A probe seeks a few hundred candidate passages in a term's postings: the
blocks they fall in are read, those close together in one read (`near_runs`).
Planned and read from Python (NumPy's searches, two `preadv` calls a run, an
array for each and their joining), a probe cost about 11 µs and each run 3.5
µs more, the kernel's work included; a median question at a million passages
reads 34 runs in four probes. `read_near` plans and reads them in one compiled
call, without the GIL.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from newsbot.index.compiled import compiled

NEAR_SHARE = 4  # a probe reads blocks only while they come to under 1/NEAR_SHARE of the postings
# Blocks of a probe closer than NEAR_GAP are read in one go, those between included: a read
# of its own (pread, a NumPy array, joining) costs about what 2,000 postings more do. Measured
# at 1M passages, 200 questions, CPU ms search p50 / p95: gap 0 1.45 / 5.22, 4 1.39 / 5.02,
# 16 1.34 / 4.78, 64 1.44 / 5.03, 256 1.61 / 5.33.
NEAR_GAP = 16


class PostingFiles(NamedTuple):
    """Where a segment's postings lie on disk, for compiled code that reads them itself (numba takes a NamedTuple)."""

    docs_fd: int  # post_docs.npy, open
    docs_at: int  # the byte where its first passage number starts
    tfs_fd: int  # post_tfs.npy, open
    tfs_at: int
    docs: np.ndarray  # an empty array of the passage numbers' type
    tfs: np.ndarray  # and of the frequencies'
    skips: np.ndarray  # every block-th passage of the postings; empty when the segment has no block index
    block: int  # postings a block (0: no block index)


@intrinsic
def _pread(typingctx, fd, address, size, offset):
    """Call the C library's pread(fd, address, size, offset): the bytes read, or -1."""
    signature = types.int64(types.int64, types.intp, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        c_pread = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.IntType(64), [ir.IntType(32), ir.IntType(8).as_pointer(), ir.IntType(64), ir.IntType(64)]),
            "pread",
        )
        fd, address, size, offset = args
        return builder.call(c_pread, [builder.trunc(fd, ir.IntType(32)), builder.inttoptr(address, ir.IntType(8).as_pointer()), size, offset])

    return signature, codegen


@njit(inline="always")
def _read_into(fd, at, out):
    """Read len(out) elements of a file from byte `at` into out; False when the file ends early or the read fails."""
    if len(out) == 0:
        return True
    # A regular file's pread returns every byte asked for unless it ends first (os.preadv does not loop either).
    return _pread(fd, out.ctypes.data, out.nbytes, at) == out.nbytes


@njit(inline="always")
def _near_runs(skips, block, start, end, passages, share, gap):
    """Return (run starts, run ends), the positions of a term's postings [start, end) to read for sorted passages.

    The blocks the passages can lie in, joined when fewer than `gap` blocks
    apart; the whole list as one run when blocks would not save much (they
    would come to 1/share of it or more) or there is no block index.
    """
    if block == 0 or len(passages) * block * share >= end - start:
        return np.array([start], np.int64), np.array([end], np.int64)
    first = -(-start // block)  # the kept passages at positions k × block in [start, end)
    kept = -(-end // block) - first
    run_starts = np.empty(len(passages), np.int64)
    run_ends = np.empty(len(passages), np.int64)
    runs = 0
    j = 0  # kept passages at or below the current one: it can only lie in block j, from bounds(j) to bounds(j + 1)
    for i in range(len(passages)):
        wanted = passages[i]
        if j < kept and skips[first + j] <= wanted:  # gallop to the last kept passage at or below it
            low, step = j, 1  # skips[first + low] <= wanted
            high = low + 1
            while high < kept and skips[first + high] <= wanted:
                low = high
                step *= 2
                high = low + step
            if high > kept:
                high = kept
            j = low + 1
            while j < high:  # j - 1: at or below; high: above or past the end
                middle = (j + high) // 2
                if skips[first + middle] <= wanted:
                    j = middle + 1
                else:
                    high = middle
        block_start = start if j == 0 else (first + j - 1) * block
        block_end = end if j == kept else (first + j) * block
        if runs and block_start - run_ends[runs - 1] <= gap * block:
            run_ends[runs - 1] = block_end  # the same block again, or near enough to read with the run
        else:
            run_starts[runs] = block_start
            run_ends[runs] = block_end
            runs += 1
    return run_starts[:runs], run_ends[:runs]


@compiled
def near_runs(skips, block, start, end, passages, share, gap):
    """Return `_near_runs`: the runs of a term's postings a probe for sorted passages reads."""
    return _near_runs(skips, block, start, end, passages, share, gap)


@njit(inline="always")
def read_near(files, start, end, passages, share, gap):
    """Return (passages, frequencies, True) of the runs `_near_runs` names, read one after the other (for compiled code);
    (empty, empty, False) when a read fails or a file ends early."""
    run_starts, run_ends = _near_runs(files.skips, files.block, start, end, passages, share, gap)
    size = 0
    for r in range(len(run_starts)):
        size += run_ends[r] - run_starts[r]
    docs = np.empty(size, files.docs.dtype)
    tfs = np.empty(size, files.tfs.dtype)
    at = 0
    for r in range(len(run_starts)):
        count = run_ends[r] - run_starts[r]
        if not (_read_into(files.docs_fd, files.docs_at + run_starts[r] * docs.itemsize, docs[at : at + count])
                and _read_into(files.tfs_fd, files.tfs_at + run_starts[r] * tfs.itemsize, tfs[at : at + count])):  # fmt: skip
            return docs[:0], tfs[:0], False
        at += count
    return docs, tfs, True
