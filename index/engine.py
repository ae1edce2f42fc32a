"""The engine: load an index for a corpus, answer questions, keep it current."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

from newsbot.index import answer as answering
from newsbot.index.analysis import Analyser
from newsbot.index.candidates import document_frequency
from newsbot.index.compiled import settle
from newsbot.index.contents import count_index, find_around, list_sources, name_hits, read_passages
from newsbot.index.corpus import check_corpus, copy_into_corpus, remove_from_corpus
from newsbot.index.dates import FIRST_YEAR, LAST_YEAR
from newsbot.index.errors import (
    CorpusError,
    IndexBusyError,
    IndexFormatError,
    IndexOwnerError,
    IndexVersionError,
    IndexWriteError,
    NewsbotError,
    QuestionError,
)
from newsbot.index.models import (
    Answer,
    IndexConfig,
    IndexedPassage,
    IndexStats,
    Period,
    Problem,
    RefreshReport,
    SearchHit,
    SourceInfo,
    Verification,
)
from newsbot.index.follow_ups import follow_up_question, is_follow_up
from newsbot.index.following import latest_state, manifest_stamp
from newsbot.index.question import question_terms, read_question
from newsbot.index.storage.locks import READ_ONLY_ERRNOS, WRITER_WAIT_S, reading_lock, writer_lock
from newsbot.index.storage.corpus_diff import refuse_to_empty, scan_corpus
from newsbot.index.storage.build import Progress
from newsbot.index.storage.refresh import refresh
from newsbot.index.storage.state import IndexState
from newsbot.index.storage.store import check_statistics, format_reason

log = logging.getLogger(__name__)

# How often a loaded engine looks whether another process wrote a newer index.
MANIFEST_CHECK_S = 2.0
# A corpus whose newest article is older than this is an archive: relative time
# words in questions are read against its newest day, not today.
ARCHIVE_GAP_DAYS = 31


class Engine:
    """A loaded index over one corpus folder.

    Answers are read from an immutable state that a refresh replaces in one
    assignment, so questions keep being answered from the old index until the
    new one is in place. Refreshes hold a lock (within the process and across
    processes). `workers` caps the processes a refresh builds in (None: one
    per core, up to a limit; 1: in this process).
    """

    def __init__(
        self, corpus_dir: Path, index_dir: Path, config: IndexConfig, state: IndexState, *, workers: int | None = None
    ) -> None:
        self.corpus_dir = corpus_dir
        self.index_dir = index_dir
        self.config = config
        self.workers = workers
        self._state = state
        self._lock = threading.RLock()  # held by a refresh, and by corpus changes around theirs
        self._analyser = Analyser()
        self.last_report: RefreshReport | None = None
        self._unlisted: tuple[Problem, ...] = ()  # what the last scan found that no file records (`contents.problems_of`)
        self._repaired: list[str] = []  # damage found and rebuilt while this engine ran, for `verify` to report
        self._manifest_seen = manifest_stamp(index_dir)
        self._refused: tuple[int, int, int] | None = None  # a manifest `_follow` would not move to (said once)
        self._manifest_checked = time.monotonic()

    def _follow(self) -> IndexState:
        """Return the state to answer from, moving to a newer manifest another process wrote.

        Costs one stat of the manifest every MANIFEST_CHECK_S seconds at most.
        """
        now = time.monotonic()
        if now - self._manifest_checked >= MANIFEST_CHECK_S:
            self._manifest_checked = now
            stamp = manifest_stamp(self.index_dir)
            if stamp not in (self._manifest_seen, self._refused) and self._lock.acquire(blocking=False):
                try:
                    state, reason = self._latest_state()
                    if reason is not None:
                        log.warning("%s; answering from the index loaded before", reason)
                    self._state = state
                    self._manifest_seen = stamp
                except (IndexVersionError, IndexOwnerError) as exc:
                    # Said once; not seen, so a refresh looks again and says why it cannot go on.
                    log.warning("%s; answering from the index loaded before", exc)
                    self._refused = stamp
                finally:
                    self._lock.release()
        return self._state

    def analyse(self, question: str) -> list[str]:
        """Return a question's search terms.

        Raises QuestionError when the question is empty or holds only stop words.
        """
        return question_terms(question, self._analyser)

    def answer(
        self,
        question: str,
        top_k: int = 3,
        *,
        as_of: date | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Answer:
        """Answer a question with up to top_k quoted source sentences.

        Time words in the question ("this week", "latest") are read against
        `as_of` (default: today in UTC). `since` and `until` keep only articles
        published in that range (inclusive) and win over the question's own
        time words. Raises QuestionError for an empty or stop-word-only
        question, or a range that ends before it starts.
        """
        question = " ".join(question.split())
        state = self._follow()
        period = Period(since, until) if since is not None or until is not None else None
        as_of = as_of or datetime.now(timezone.utc).date()
        if isinstance(as_of, datetime):  # a moment: its day
            as_of = as_of.date()
        if not FIRST_YEAR <= as_of.year <= LAST_YEAR:  # "last week" read from year 1 would leave the calendar
            raise QuestionError(f"the day to read time words against ({as_of}) is not between {FIRST_YEAR} and {LAST_YEAR}")
        newest = state.newest_published_by(as_of)
        if newest is not None and (as_of - newest).days > ARCHIVE_GAP_DAYS:
            # An archive: "on March 6" and "the latest" mean its own recent past.
            as_of = newest
        read = read_question(  # the one analysis; raises QuestionError for an empty or stop-word-only question
            question, self._analyser, functools.partial(document_frequency, state),
            as_of=as_of, period=period,
        )  # fmt: skip
        if since is not None and until is not None and since > until:  # after the question: an empty one is told first
            raise QuestionError(f"the range starts ({since}) after it ends ({until})")
        try:
            return answering.answer(state, self._analyser, read, max(1, top_k))
        except IndexFormatError as exc:  # damage found as the quotes were read: rebuild, then answer
            self._rebuild_damaged(exc)
            return answering.answer(self._state, self._analyser, read, max(1, top_k))
        finally:
            settle()  # what loading the compiled loops left is collected within the call (see `compiled.settle`)

    def search(self, question: str, k: int = 10) -> list[SearchHit]:
        """Return the k passages BM25 scores highest for a question, best first: retrieval alone.

        Only passages holding a question term are returned; equal scores keep
        the index's order. Raises QuestionError for an empty or stop-word-only
        question.
        """
        terms = self.analyse(question)
        state = self._follow()
        try:
            return name_hits(state, state.scorer.top([state.vocabulary.get(t) for t in terms], k))
        except IndexFormatError as exc:  # an article list found damaged: rebuild, then search
            self._rebuild_damaged(exc)
            state = self._state
            return name_hits(state, state.scorer.top([state.vocabulary.get(t) for t in terms], k))
        finally:
            settle()

    def passages(self) -> Iterator[IndexedPassage]:
        """Yield every live passage: articles by source, then in file order; each article's passages in order.

        The passages are those of the index as it is when the iteration
        starts, whatever a refresh swaps in meanwhile. Raises IndexFormatError
        when a segment's text or article list is damaged on disk (`verify`
        rebuilds it).
        """
        yield from read_passages(self._follow())

    def is_follow_up(self, question: str) -> bool:
        """Return True when a question leans on the one before it ("and when?", "what about Turkey?", "why?").

        Every front end asks this one rule: see `follow_ups.is_follow_up`.
        """
        return is_follow_up(question, self._analyser)

    def follow_up(self, previous: str, question: str) -> str:
        """Return a follow-up question read with the previous question's subject ("and when?" → "when mediated?").

        A question that is no follow-up (`is_follow_up`) comes back as it is.
        """
        return follow_up_question(previous, question, self._analyser)

    def sentences_around(
        self, source: str, sentence: str, around: int = 2, *, prefix: bool = False
    ) -> tuple[str, ...] | None:
        """Return a quoted sentence with up to `around` sentences either side of it in its article.

        With prefix, `sentence` is the start of a quote shown cut short, and the
        first sentence of the article that starts with it is the one. None when
        no live article of that source holds the sentence any more (the article
        was removed or changed since it was quoted).
        """
        return find_around(self._follow(), source, sentence, around, prefix=prefix)

    def sources(self) -> list[SourceInfo]:
        """Return every indexed article, newest first (undated last)."""
        try:
            return list_sources(self._follow())
        except IndexFormatError as exc:
            self._rebuild_damaged(exc)
            return list_sources(self._state)

    def stats(self) -> IndexStats:
        """Return counts and facts about the live index.

        Its skipped and warnings lists are the index's whole lists (every file's
        problems, and what the last refresh's scan found besides), where a
        `RefreshReport` holds only what that refresh read.
        """
        return count_index(self._follow(), self.index_dir, self._unlisted)

    @property
    def upgrade_pending(self) -> str | None:
        """Return why the index answered from must be rebuilt as the current format, or None.

        Set when `load(..., rebuild_in_background=True)` opened an index of an
        older format it still reads: the next `refresh` rebuilds it (with
        progress), answers coming from the old index until the new one is in.
        """
        return format_reason(self._state.manifest)

    def refresh(
        self,
        progress: Progress | None = None,
        *,
        rebuild_reason: str | None = None,
        wait: float = WRITER_WAIT_S,
        allow_empty: bool = False,
        take_over: bool = False,
    ) -> RefreshReport:
        """Index what changed in the corpus folder and swap the new index in.

        An index of an older format (see `upgrade_pending`) is rebuilt whole.
        A corpus folder that is missing, or holds no article file (a share not
        mounted), never empties an index holding articles: that raises
        CorpusGoneError, unless `allow_empty` says the user emptied it on purpose.
        Raises CorpusError when the corpus folder is gone, IndexBusyError when
        another process holds the writer lock for more than `wait` seconds,
        IndexWriteError when the index folder cannot be written, IndexOwnerError
        when another process made the index another corpus folder's (unless
        `take_over`, with a `rebuild_reason`: this one's again).
        """
        check_corpus(self.corpus_dir, len(self._state.live_articles))
        if rebuild_reason is None and self.upgrade_pending is None:
            # Nothing changed since the index this engine holds: no lock, no write, so a
            # read-only index answers, and a reader never waits on a writer.
            scan = scan_corpus(self.corpus_dir, self._state.manifest.files)
            if not allow_empty:
                refuse_to_empty(self.corpus_dir, scan.files, len(self._state.live_articles))
            self._unlisted = scan.unreadable
            if not scan.changed and manifest_stamp(self.index_dir) == self._manifest_seen:
                self.last_report = RefreshReport(skipped=scan.unreadable)
                return self.last_report
        try:
            with self._changing(wait), writer_lock(self.index_dir, wait):
                state, damage = self._latest_state(take_over=take_over and rebuild_reason is not None)
                # Never build on an index this engine cannot read, nor add segments to one of an older format.
                rebuild_reason = rebuild_reason or damage or format_reason(state.manifest)
                refreshed = refresh(
                    state, self.corpus_dir, self.config,
                    rebuild_reason=rebuild_reason, progress=progress, workers=self.workers, allow_empty=allow_empty,
                )  # fmt: skip
                self._state, report, self._unlisted = refreshed.state, refreshed.report, refreshed.unlisted
                self._manifest_seen = manifest_stamp(self.index_dir)
        except OSError as exc:
            raise _write_error(self.index_dir, exc) from exc
        self.last_report = report
        return report

    def warm(self) -> None:
        """Read now what the first question would read (one answer's worth of postings, text and articles).

        A long-running front end calls it once after loading, so the first
        question does not pay for it.
        """
        self._follow()
        with contextlib.suppress(NewsbotError):
            self.answer("what is the latest news?")

    @contextlib.contextmanager
    def _changing(self, wait: float = WRITER_WAIT_S):
        """Hold this engine's lock for a change, waiting at most `wait` seconds for another thread's."""
        if not self._lock.acquire(timeout=wait):
            raise IndexBusyError(f"another change of the index in {self.index_dir} is running in this process")
        try:
            yield
        finally:
            self._lock.release()

    def note_repaired(self, damage: str) -> None:
        """Record damage found and rebuilt before this engine answered (by `load`), for `verify` to report."""
        self._repaired.append(damage)

    def verify(self) -> Verification:
        """Check every block of every index file against its checksum; rebuild when any is damaged.

        The damage this engine found and repaired before (opening the index
        checks its small files whole) is reported with what the check finds.
        Checking writes nothing, so a read-only index is checked too; damage
        in one is reported with why it was not rebuilt.
        """
        earlier = tuple(self._repaired)
        try:
            return self._verify(earlier)
        finally:
            self._repaired.clear()  # reported once: the next verify says only what it finds then

    def _verify(self, earlier: tuple[str, ...]) -> Verification:
        with self._changing(), reading_lock(self.index_dir):  # no refresh deletes files while they are read
            state, damage = self._latest_state()
            self._state = state
            problems = [damage] if damage else []
            try:
                check_statistics(self.index_dir, state.manifest)
            except (OSError, ValueError) as exc:
                problems.append(str(exc))
            for segment in state.segments:
                problems += segment.verify()
        if not problems:
            return Verification(earlier, rebuilt=bool(earlier))
        try:
            self._rebuild_damaged(IndexFormatError("; ".join(problems[:3])))
        except IndexBusyError:
            raise  # another writer: not a read-only index
        except IndexWriteError as exc:
            return Verification((*earlier, *problems), cannot_rebuild=str(exc))
        return Verification((*earlier, *problems), rebuilt=True)

    def _rebuild_damaged(self, damage: IndexFormatError) -> None:
        """Rebuild the index from the corpus after damage was found, saying so."""
        log.warning("%s; rebuilding the index from the corpus", damage)
        self.refresh(rebuild_reason=f"damage found ({damage})")
        self._repaired.append(str(damage))

    def _latest_state(self, *, take_over: bool = False) -> tuple[IndexState, str | None]:
        """Return the index as the live manifest has it now, and why it must be rebuilt before this engine changes it (see `latest_state`)."""
        return latest_state(self.index_dir, self.corpus_dir, self.config, self._state, take_over=take_over)

    def add_files(self, paths: list[Path], progress: Progress | None = None) -> RefreshReport:
        """Copy article files into the corpus folder, then refresh.

        Raises SourceError when a file is missing, unreadable as articles, or
        would overwrite a different file of the same name.
        """
        with self._changing():  # one change of the corpus at a time in this process
            return self._add_files(paths, progress)

    def _add_files(self, paths: list[Path], progress: Progress | None) -> RefreshReport:
        copy_into_corpus(paths, self.corpus_dir, self.config)
        return self.refresh(progress)

    def remove_sources(
        self, sources: list[str], progress: Progress | None = None, *, keep_dir: Path | None = None
    ) -> RefreshReport:
        """Remove articles by source (a corpus file, or "file#id" for one JSON-lines article), then refresh.

        With keep_dir, what is removed is first kept there (`kept.keep_removed`:
        the file, or the article's line) so `restore_kept` can put it back,
        and copies kept longer than KEEP_DAYS are dropped. Raises SourceError
        for a source the index does not hold, a file that cannot be
        rewritten, or a copy that cannot be kept; then nothing is removed.
        """
        with self._changing():  # one change of the corpus at a time in this process
            return self._remove_sources(sources, progress, keep_dir)

    def _remove_sources(self, sources: list[str], progress: Progress | None, keep_dir: Path | None) -> RefreshReport:
        held = {s.source for s in self.sources()}
        remove_from_corpus(sources, self.corpus_dir, set(self._state.manifest.files), held, keep_dir)
        return self.refresh(progress, allow_empty=True)  # removing the last article empties the index on purpose


def _write_error(index_dir: Path, error: OSError) -> NewsbotError:
    """Name the folder an OSError of a refresh came from: the index's, unless it names a file elsewhere (the corpus)."""
    if error.filename and not Path(error.filename).resolve().is_relative_to(index_dir):
        return CorpusError(f"cannot read {error.filename}: {error.strerror or error}")
    if error.errno in READ_ONLY_ERRNOS:
        return IndexWriteError(f"cannot write the index in {index_dir}: the index folder is read-only ({error.strerror or error})")
    return IndexWriteError(f"cannot write the index in {index_dir}: {error.strerror or error}")
