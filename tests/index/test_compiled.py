"""newsbot's compiled loops work where numba cannot write its cache (a service account, a read-only install)."""

from __future__ import annotations

import logging

import pytest

from newsbot.index import compiled as compiled_module
from newsbot.index.compiled import compiled


def test_a_function_numba_cannot_cache_is_compiled_without_a_cache(caplog, monkeypatch) -> None:
    monkeypatch.setattr(compiled_module, "_warned", False)
    namespace: dict = {}
    # Defined from a string: no source file to put a cache beside, as with a read-only install and no home.
    exec("def add_one(x):\n    return x + 1\n", namespace)  # noqa: S102
    with pytest.raises(RuntimeError, match="cannot cache"):
        compiled_module.njit(cache=True)(namespace["add_one"])  # what numba itself does with it
    with caplog.at_level(logging.WARNING, logger="newsbot.index.compiled"):
        add_one = compiled(namespace["add_one"])
        compiled(namespace["add_one"])
    assert add_one(41) == 42 and add_one.stats.cache_path is None
    assert len(caplog.records) == 1 and "compiling in each process" in caplog.records[0].getMessage()


def test_a_module_s_function_is_compiled_with_its_cache() -> None:
    from newsbot.index import postings

    assert postings.merge.stats.cache_path  # numba keeps its compiled code on disk


def test_the_garbage_of_compiling_is_collected_when_asked_once() -> None:
    import gc

    from newsbot.index.compiled import settle

    namespace: dict = {}
    exec("def twice(x):\n    return 2 * x\n", namespace)  # noqa: S102
    twice = compiled_module.njit(nogil=True)(namespace["twice"])
    settle()  # what came before
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            collections.append(1)

    gc.callbacks.append(count)
    gc.disable()  # only settle's collections counted, none an allocation sets off
    try:
        settle()
        assert collections == []  # nothing compiled since: no collection
        assert twice(21) == 42  # compiled now
        settle()
        assert collections == [1]
        settle()
        assert collections == [1]
    finally:
        gc.enable()
        gc.callbacks.remove(count)
