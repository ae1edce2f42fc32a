"""The Discord bot's work in the background: upgrading the index format, refreshing when the corpus folder changes, polling feeds.

`BackgroundWork` is a mixin of `NewsBot`: it uses the bot's `settings`,
`require_engine()`, the events `_watch_stop` and `_poll_now` and the task
`_upgrader` the bot makes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from watchfiles import Change, awatch

from newsbot.bot.discord_guard import UPLOAD_SUFFIXES
from newsbot.bot.process_lock import try_lock
from newsbot.index import NewsbotError, PollReport, Progress, RefreshReport, list_feeds, poll_and_refresh

log = logging.getLogger(__name__)

WATCH_STEP_MS = 300  # a change is picked up once the folder has been quiet this long
WATCH_DEBOUNCE_MS = 1600  # ...or at the latest after this long (watchfiles' default)
POLLER_LOCK = "feed-poller.lock"  # in the state folder: of the processes sharing it, one polls at a time
SECONDS_PER_MINUTE = 60
# The first feed poll after a start waits this long after the bot is ready: the gateway's first events,
# and the questions of people who waited out the restart, go first.
FIRST_POLL_DELAY_S = 3.0
PROGRESS_LOG_PERCENT = 10  # the index upgrade logs its progress each time it moves on this many percent
T = TypeVar("T")


_FAILED = object()  # what `_one_pass` returns for a pass that raised


async def _one_pass(what: str, work: Callable[[], T]) -> T | object:
    """Run one pass of background work in a thread; log a failure and return _FAILED (the next pass still comes)."""
    try:
        return await asyncio.to_thread(work)
    except NewsbotError as error:
        log.error("%s failed: %s", what, error)
    except Exception:  # one bad pass must not stop the watching or the polling
        log.exception("%s failed", what)
    return _FAILED


async def _cancelled(task: asyncio.Task[None] | None) -> None:
    """Cancel a background task, if there is one, and wait until it has stopped."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def first_poll_wait(last_polled: Iterable[str | None], interval: float, now: datetime) -> float:
    """Return the seconds from `now` (the bot ready) to its first feed poll, given each feed's last poll (ISO, UTC).

    The first pass comes when the feed polled longest ago (or never) is due
    again, but no sooner than FIRST_POLL_DELAY_S and no later than one
    interval: a restart neither skips a pass (a bot restarted more often than
    its interval still polls) nor adds one (a bot restarting in a loop does
    not poll at every start).
    """
    due = [_seconds_since(polled, now) for polled in last_polled]
    if not due:
        return interval  # no feed yet; adding one polls at once (`poll_soon`)
    return min(interval, max(FIRST_POLL_DELAY_S, interval - max(due)))


def _seconds_since(polled: str | None, now: datetime) -> float:
    """Return the seconds since an ISO time; never polled, or unreadable, is infinitely long ago."""
    try:
        when = datetime.fromisoformat(polled) if polled else None
    except ValueError:
        when = None
    if when is None:
        return float("inf")
    return (now - (when if when.tzinfo else when.replace(tzinfo=timezone.utc))).total_seconds()


def _logged_progress(what: str) -> Progress:
    """Return a progress callback that logs each stage's start, every PROGRESS_LOG_PERCENT percent, and its end."""
    logged: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        step = percent // PROGRESS_LOG_PERCENT
        if logged.get(stage, -1) < step:
            logged[stage] = step
            log.info("%s: %s %d%% (%s of %s)", what, stage, percent, f"{done:,}", f"{total:,}")

    return update


class BackgroundWork:
    """The index upgrade, the corpus watcher and the feed poller of a `NewsBot`."""

    # -- the index upgrade ---------------------------------------------------------

    async def _upgrade_index(self) -> None:
        """Rebuild an index of an older format in a thread, questions answered from it meanwhile.

        The new index answers once it is in; changes to the corpus made while it
        was built are then picked up by one more refresh.
        """
        engine = self.require_engine()
        log.info("%s in the background; answering from the old index until the new one is in", engine.upgrade_pending)
        report = await _one_pass("the index upgrade", functools.partial(engine.refresh, _logged_progress("rebuilding the index")))
        if report is _FAILED:
            return
        if report.rebuilt:
            log.info("the index is rebuilt: %d article(s), %d passage(s); answering from it", report.articles_added, report.passages_added)
        else:  # a process sharing the index (another shard) rebuilt it first
            log.info("the index was rebuilt by another process; answering from it")
        await _one_pass("refresh after the index upgrade", engine.refresh)

    async def _stop_upgrader(self) -> None:
        await _cancelled(self._upgrader)  # a rebuild under way in its thread finishes there; it swaps itself in
        self._upgrader = None

    # -- the corpus watcher -------------------------------------------------------

    async def _watch(self, corpus: Path) -> None:
        """Refresh the index whenever article files in the corpus folder change."""
        index_dir = self.require_engine().index_dir.resolve()

        def is_article(change: Change, path: str) -> bool:
            file = Path(path)
            if file.name.startswith(".") or not file.name.lower().endswith(UPLOAD_SUFFIXES):
                return False
            try:
                return not file.resolve().is_relative_to(index_dir)
            except (OSError, RuntimeError):  # a symlink loop: the refresh reports it as skipped
                return True

        try:
            async for changes in awatch(
                corpus, watch_filter=is_article, stop_event=self._watch_stop,
                debounce=WATCH_DEBOUNCE_MS, step=WATCH_STEP_MS,
            ):
                log.info("%d change(s) in the corpus folder; refreshing", len(changes))
                report = await _one_pass("refresh after a corpus change", self.require_engine().refresh)
                if report is _FAILED:
                    continue
                log.info("refreshed: added %s, changed %s, removed %s, skipped %d",
                         list(report.added), list(report.changed), list(report.removed), len(report.skipped))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the corpus watcher stopped; changes now need /refresh")

    async def _stop_watcher(self) -> None:
        if self._watcher is None:
            return
        self._watch_stop.set()
        try:
            # The watch thread notices the stop event within one step.
            await asyncio.wait_for(asyncio.shield(self._watcher), timeout=2)
        except TimeoutError:
            self._watcher.cancel()
        self._watcher = None


    # -- the feed poller -----------------------------------------------------------

    def poll_soon(self) -> None:
        """Have the feed poller poll now rather than at its next turn (a feed was just added); nothing when it is off."""
        self._poll_now.set()

    async def _poll_feeds(self) -> None:
        """Poll every feed each NEWSBOT_FEED_POLL_MINUTES (or when woken), refreshing the index when articles arrive.

        The first pass comes soon after the bot is ready when a feed is due
        (see `first_poll_wait`), not one whole interval after every start.

        The poll and refresh run in a thread, so questions are answered meanwhile;
        a failed pass is logged and the next one comes at its time. New articles
        are only ever seen in answers: nothing is posted to any channel. Of the
        processes sharing a state folder (shards), one polls at a time.
        """
        interval = self.settings.feed_poll_minutes * SECONDS_PER_MINUTE
        await self.wait_until_ready()
        wait = await self._first_poll_wait(interval)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poll_now.wait(), timeout=wait)
            wait = interval
            self._poll_now.clear()
            polled = await _one_pass("feed poll", self.poll_feeds_once)
            if polled is _FAILED:
                continue
            if polled is None:
                log.debug("another newsbot process is polling the feeds; this pass is skipped")
                continue
            report, refreshed = polled
            new = sum(feed.new for feed in report.feeds)
            failed = sum(len(feed.failed) for feed in report.feeds)
            level = logging.INFO if new or failed or refreshed else logging.DEBUG
            log.log(level, "polled %d feed(s): %d new article(s), %d failed; index %s",
                    len(report.feeds), new, failed, "refreshed" if refreshed else "unchanged")

    async def _first_poll_wait(self, interval: float) -> float:
        """Return the seconds to the first poll of this run (see `first_poll_wait`), read from the feeds' last polls."""
        try:
            feeds = await asyncio.to_thread(list_feeds, self.settings.resolved_state_dir())
        except NewsbotError:  # the first pass says what is wrong
            return min(interval, FIRST_POLL_DELAY_S)
        return first_poll_wait((feed.last_polled for feed in feeds), interval, datetime.now(timezone.utc))

    def poll_feeds_once(self) -> tuple[PollReport, RefreshReport | None] | None:
        """Poll every feed and refresh, unless another process sharing the state folder is polling (then None)."""
        settings = self.settings
        state_dir = settings.resolved_state_dir()
        with try_lock(state_dir / POLLER_LOCK) as held:
            if not held:
                return None
            return poll_and_refresh(
                self.require_engine(), state_dir, policy=settings.web_policy(), keep_days=settings.feed_keep_days
            )

    async def _stop_poller(self) -> None:
        await _cancelled(self._poller)  # a poll under way in its thread finishes there; its result is dropped
        self._poller = None
