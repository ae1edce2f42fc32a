"""Open the index of a corpus: build it, upgrade it or repair it when needed, then hand over an Engine."""

from __future__ import annotations

import logging
from pathlib import Path

from newsbot.index.analysis import analyser_settings
from newsbot.index.corpus import check_corpus
from newsbot.index.engine import Engine
from newsbot.index.errors import (
    CorpusError,
    CorpusGoneError,
    IndexBusyError,
    IndexDamagedError,
    IndexFormatError,
    IndexOwnerError,
    IndexWriteError,
)
from newsbot.index.models import IndexConfig
from newsbot.index.storage.locks import WRITER_WAIT_S, reading_lock
from newsbot.index.storage.build import Progress
from newsbot.index.storage.state import IndexState, empty_state, open_state
from newsbot.index.storage.store import (
    READABLE_FORMATS,
    format_reason,
    other_corpus,
    read_manifest,
)

log = logging.getLogger(__name__)


def load(
    corpus_dir: Path,
    index_dir: Path,
    config: IndexConfig | None = None,
    *,
    progress: Progress | None = None,
    refresh_corpus: bool = True,
    workers: int | None = None,
    rebuild_in_background: bool = False,
    take_over: bool = False,
) -> Engine:
    """Open the index of a corpus, building or updating it when needed.

    An index of an older format, built with other settings, or damaged, is
    rebuilt (the reason is in `engine.last_report.reason`); unless
    refresh_corpus is False, files changed since the last refresh are indexed.
    With rebuild_in_background, an index of an older format this newsbot
    still reads is opened as it is and answers at once: the caller runs
    `engine.refresh()` (in a thread of its own) while `engine.upgrade_pending`
    is set, and answers come from the new index once it is in; the corpus is
    not refreshed meanwhile, as that rebuild reads it all.
    `workers` caps the processes this engine's builds use (None: one per
    core, up to a limit; 1: in this process only).
    A corpus folder that is missing or holds no article file (a share not
    mounted) while the index holds articles from it changes nothing: the last
    good index answers, with a warning. An index folder holding the index of
    another corpus folder (one that still exists) is refused with
    IndexOwnerError, unless `take_over` says to rebuild it for this corpus.
    Raises CorpusError for a missing corpus folder when there is no such
    index, IndexVersionError for an index written by a newer newsbot, and
    IndexDamagedError for a damaged index that cannot be rebuilt (a read-only
    index folder): it names the damage and why.
    """
    config = config or IndexConfig()
    corpus_dir = Path(corpus_dir).expanduser().resolve()
    index_dir = Path(index_dir).expanduser().resolve()
    state, reason, damage = _open_index(index_dir, config, corpus_dir, take_over)
    if reason is not None and format_reason(state.manifest) is None and index_dir.is_dir():
        # It may only look damaged because a writer swapped generations and
        # cleaned up while we read: look again while no writer can run.
        try:
            with reading_lock(index_dir):
                state, reason, damage = _open_index(index_dir, config, corpus_dir, take_over)
        except OSError as exc:
            raise IndexWriteError(f"cannot lock the index in {index_dir}: {exc.strerror or exc}") from exc
    engine = Engine(corpus_dir, index_dir, config, state, workers=workers)
    upgrading = engine.upgrade_pending is not None  # an older format, opened: it can answer
    if upgrading and rebuild_in_background:
        log.info("%s; answering from it meanwhile", reason)  # the caller's refresh rebuilds it
    elif reason is not None:
        log.info("%s", reason)
        try:
            engine.refresh(progress, rebuild_reason=reason, wait=0 if upgrading else WRITER_WAIT_S, take_over=take_over)
        except (IndexBusyError, CorpusGoneError) as exc:
            if not upgrading:
                raise
            # Another process is writing (most likely this very rebuild), or the corpus is away:
            # answer from the old index until it is in.
            log.warning("%s; answering from the index of format %d meanwhile", exc, state.manifest.format)
        except IndexWriteError as exc:
            if damage is None:
                raise
            raise IndexDamagedError((damage,), str(exc)) from exc  # `verify` still reports it
        else:
            if damage is not None:
                engine.note_repaired(damage)  # for `verify` to report: opening found it first
    elif refresh_corpus:
        try:
            # A reader never waits on a writer: another process refreshing now will have the changes in.
            engine.refresh(progress, wait=0 if state.segments else WRITER_WAIT_S)
        except IndexBusyError as exc:
            log.warning("%s; answering from the current index", exc)
        except CorpusGoneError as exc:
            log.warning("%s; answering from it", exc)
        except (IndexWriteError, CorpusError) as exc:
            if not state.segments:
                raise
            log.warning("%s; the corpus changed, but answers come from the last good index", exc)
    elif not state.live_articles:
        check_corpus(corpus_dir, 0)  # nothing to answer from, nor to refresh from
    return engine


def _open_index(
    index_dir: Path, config: IndexConfig, corpus_dir: Path, take_over: bool
) -> tuple[IndexState, str | None, str | None]:
    """Open the live index of a corpus, or return an empty one, with why it must be built anew (or None), and
    the damage found, if that is why (or None).

    An index of an older format this newsbot still reads (READABLE_FORMATS)
    is opened as it is, with the reason to rebuild it: it may answer meanwhile.
    Raises IndexVersionError for an index written by a newer newsbot,
    IndexOwnerError for one of another corpus folder (unless `take_over`).
    """
    try:
        manifest = read_manifest(index_dir)
    except IndexFormatError as exc:
        return empty_state(index_dir, config), f"{exc}; rebuilding it", str(exc)
    if manifest is None:
        return empty_state(index_dir, config), "no index yet", None
    if (other := other_corpus(manifest, corpus_dir)) is not None:
        if not take_over:
            raise IndexOwnerError(f"the index in {index_dir} belongs to the corpus folder {other}")
        return empty_state(index_dir, config), f"the index belonged to the corpus folder {other}; rebuilding it for this one", None
    if manifest.format not in READABLE_FORMATS:
        return empty_state(index_dir, config), format_reason(manifest), None
    if manifest.config != config or manifest.analyser != analyser_settings():
        return empty_state(index_dir, config), "the index was built with other settings; rebuilding it", None
    try:
        return open_state(index_dir, manifest), format_reason(manifest), None
    except IndexFormatError as exc:
        return empty_state(index_dir, config), f"{exc}; rebuilding it", str(exc)
