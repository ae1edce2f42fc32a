"""The writer lock: readers never wait on it, writers wait a bounded time, and forked workers never keep it."""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from newsbot.index import IndexBusyError, load
from newsbot.index.storage.locks import forget_inherited_locks, writer_lock


def hold_from_elsewhere(index_dir: Path) -> int:
    """Take the lock through a descriptor of its own, as another process would, writing its note."""
    descriptor = os.open(index_dir / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(descriptor, b"pid 4242 since 2026-01-01 00:00:00 UTC\n")
    return descriptor


def test_a_reader_answers_at_once_while_another_process_refreshes(seed_corpus: Path, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="newsbot.index.engine")  # the CLI's --quiet may have raised it
    load(seed_corpus, tmp_path / "index")
    held = hold_from_elsewhere(tmp_path / "index")
    try:
        (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
        started = time.monotonic()
        engine = load(seed_corpus, tmp_path / "index")
        assert time.monotonic() - started < 5  # no wait on the writer lock
        assert "answering from the current index" in caplog.text and "pid 4242" in caplog.text
        assert engine.answer("who mediated?").quotes
    finally:
        os.close(held)


def test_a_second_writer_waits_a_bounded_time_and_says_who_holds_the_lock(seed_corpus: Path, tmp_path: Path) -> None:
    engine = load(seed_corpus, tmp_path / "index")
    held = hold_from_elsewhere(tmp_path / "index")
    try:
        (seed_corpus / "more.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
        with pytest.raises(IndexBusyError, match="pid 4242 since 2026-01-01"):
            engine.refresh(wait=0.3)
    finally:
        os.close(held)
    assert engine.refresh().added == ("more.txt",)


def _worker(pids) -> None:
    forget_inherited_locks()  # what every build worker does first
    pids.put(os.getpid())
    time.sleep(30)


def _refresher(directory: Path, pids) -> None:
    """Hold the lock and fork a worker, as a parallel build does; then wait to be killed."""
    context = multiprocessing.get_context("fork")
    with writer_lock(directory):
        context.Process(target=_worker, args=(pids,), daemon=False).start()
        time.sleep(30)


def test_a_killed_refresh_leaves_neither_the_lock_nor_its_workers(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    pids = context.Queue()
    refresher = context.Process(target=_refresher, args=(tmp_path, pids))
    refresher.start()
    worker = pids.get(timeout=10)
    os.kill(refresher.pid, signal.SIGKILL)
    refresher.join(10)
    with writer_lock(tmp_path, wait=5):  # free although the worker was forked holding it
        pass
    for _ in range(50):  # bounded: the worker is killed with its parent
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        raise AssertionError("the worker outlived its killed parent")
