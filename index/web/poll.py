"""Poll every feed once, or add one page: fetch, extract, dedupe, write day files (`newsbot feed poll`, `newsbot add URL`).

A poll reads in phases: read the state; fetch each feed (conditionally);
fetch the pages of items not seen before, newest first and at most
MAX_NEW_ITEMS_PER_FEED a feed, a few at once; then, holding the state and
corpus locks only now, drop day files past keep_days, place each article
(new, an update of a known one, or a duplicate), write the day files and
save the state. The index refresh is the caller's, or `poll_and_refresh`'s.
A failing feed or item is reported and skipped; nothing already in the
corpus is touched except to replace an updated story's line. An item whose
page is not its story (a consent or login wall) takes the feed's own text
or fails, and a failed item is fetched again at the next poll.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from newsbot.index.corpus import corpus_lock
from newsbot.index.models import RefreshReport
from newsbot.index.web.errors import WebError
from newsbot.index.web.feed import FeedItem, parse_feed
from newsbot.index.web.fetch import Fetcher, WebPolicy
from newsbot.index.web.ledger import Ledger
from newsbot.index.web.pages import article_from_feed_item, fetch_article, today_utc
from newsbot.index.web.reports import Failure, FeedPoll, PageAdded, PollReport
from newsbot.index.web.state import Subscription, WebState, load_state, save_state, state_lock
from newsbot.index.web.store import FEEDS_FOLDER, PAGES_FOLDER, WebArticle, drop_days_before, write_articles
from newsbot.index.web.titles import one_story, same_story
from newsbot.index.web.urls import canonical_url

if TYPE_CHECKING:
    from newsbot.index.engine import Engine

__all__ = ["add_page", "add_page_and_refresh", "poll_and_refresh", "poll_feeds"]

log = logging.getLogger(__name__)

# Pages fetched per feed in one poll: a first poll of a feed listing hundreds of items (or a feed
# that suddenly lists new ones by the hundred) is spread over several polls, newest first.
MAX_NEW_ITEMS_PER_FEED = 50
# Polls in a row an item's page may fail (a 404 with no feed text of its own) before it is given up and counted
# seen: each pending item keeps its feed read in full and its page asked again at every poll.
MAX_ITEM_TRIES = 5


def poll_feeds(
    state_dir: Path, corpus_dir: Path, *, policy: WebPolicy | None = None, keep_days: int = 0, today: date | None = None
) -> PollReport:
    """Poll every subscribed feed once and write new articles into the corpus (no index refresh).

    keep_days > 0 drops feed day files older than that many days, and
    leaves out items older. Feed and item failures are reported, not
    raised. Raises WebError when the state file cannot be read or another
    poll holds its lock; CorpusBusyError when another writer holds the
    corpus lock too long.
    """
    today = today or today_utc()
    cutoff = today - timedelta(days=keep_days) if keep_days > 0 else None
    with state_lock(state_dir):
        before = load_state(state_dir)
    subscriptions = before.subscriptions
    # The web is read with no lock held: a slow site never keeps a subscription change or a removal waiting.
    with Fetcher(policy, resting=before.resting_hosts()) as fetcher:
        fetched = [_fetch_feed(fetcher, subscription) for subscription in subscriptions]
        plans = [_plan(feed, cutoff) for feed in fetched]
        wanted = [(plan.feed, item) for plan in plans for item in plan.taken]
        with ThreadPoolExecutor(max_workers=fetcher.policy.max_in_flight) as pool:
            results = list(pool.map(lambda pair: _item_article(fetcher, pair[0], pair[1]), wanted))
    outcomes = {id(item): result for (_, item), result in zip(wanted, _refuse_shared_pages(wanted, results))}
    with state_lock(state_dir), corpus_lock(corpus_dir):
        state = load_state(state_dir)  # as it is now: a feed may have been added or removed meanwhile
        removed = drop_days_before(corpus_dir, FEEDS_FOLDER, cutoff) if cutoff else []
        gone = set(removed)
        ledger = Ledger.of(replace(state, articles=tuple(a for a in state.articles if a.file not in gone)), corpus_dir)
        polled: dict[str, Subscription] = {}
        placements, polls = [], []
        for plan in plans:
            current = state.subscription(plan.feed.subscription.name)
            if current is None or current.url != plan.feed.subscription.url:
                continue  # unsubscribed (or the name given to another feed) while this poll read the web: nothing placed
            poll, feed_placements, subscription = _place_feed(plan, outcomes, ledger, today)
            polls.append(poll)
            placements.extend(feed_placements)
            polled[subscription.name] = subscription
        changed = write_articles(corpus_dir, placements)
        subscriptions = tuple(polled.get(s.name, s) for s in state.subscriptions)
        save_state(state_dir, WebState(subscriptions, ledger.articles(), _rests(state, fetcher)))
    return PollReport(tuple(polls), tuple(changed), tuple(removed))


def add_page(state_dir: Path, corpus_dir: Path, url: str, *, policy: WebPolicy | None = None, today: date | None = None) -> PageAdded:
    """Fetch one article page into the corpus's `web/` day files (no index refresh).

    Raises WebError when the page is refused, cannot be fetched, is not HTML
    or holds no article text, or when another poll holds the state's lock;
    CorpusBusyError when another writer holds the corpus lock too long.
    """
    today = today or today_utc()
    with state_lock(state_dir):
        resting = load_state(state_dir).resting_hosts()
    with Fetcher(policy, resting=resting) as fetcher:
        try:
            article = fetch_article(fetcher, url)
        except WebError:
            if fetcher.resting != resting:  # the site asked to be left alone: the next poll or add waits too
                with state_lock(state_dir):
                    state = load_state(state_dir)
                    save_state(state_dir, replace(state, resting=_rests(state, fetcher)))
            raise
    with state_lock(state_dir), corpus_lock(corpus_dir):
        state = load_state(state_dir)
        ledger = Ledger.of(state, corpus_dir)
        status, placement = ledger.place(article, PAGES_FOLDER, None, today)
        if placement is not None:
            write_articles(corpus_dir, [placement])
        if ledger.articles() != state.articles:  # a placement, or a removed article forgotten
            save_state(state_dir, replace(state, articles=ledger.articles()))
        known = ledger.by_hash[article.content_hash] if status == "duplicate" else ledger.by_id[article.id]
    return PageAdded(url=article.url, title=article.title, source=f"{known.file}#{known.id}", status=status)


def _rests(state: WebState, fetcher: Fetcher) -> tuple[tuple[str, datetime], ...]:
    """Return the hosts resting after a fetcher's run: those of the state still resting, with those it met added."""
    return tuple(sorted({**state.resting_hosts(), **fetcher.resting}.items()))


def poll_and_refresh(
    engine: Engine, state_dir: Path, *, policy: WebPolicy | None = None, keep_days: int = 0
) -> tuple[PollReport, RefreshReport | None]:
    """Poll every feed into the engine's corpus, then refresh the index once when anything changed.

    Raises what `poll_feeds` and `Engine.refresh` raise.
    """
    report = poll_feeds(state_dir, engine.corpus_dir, policy=policy, keep_days=keep_days)
    # Day files dropped as too old leave on purpose: they may empty the index (`Engine.refresh`).
    return report, engine.refresh(allow_empty=bool(report.removed_files)) if report.corpus_changed else None


def add_page_and_refresh(
    engine: Engine, state_dir: Path, url: str, *, policy: WebPolicy | None = None
) -> tuple[PageAdded, RefreshReport | None]:
    """Add one page to the engine's corpus, then refresh the index when it changed.

    Raises what `add_page` and `Engine.refresh` raise.
    """
    added = add_page(state_dir, engine.corpus_dir, url, policy=policy)
    return added, engine.refresh() if added.status in ("new", "updated") else None


@dataclass(frozen=True)
class _FetchedFeed:
    """One feed as this poll found it."""

    subscription: Subscription
    new_items: tuple[FeedItem, ...] = ()
    listed: tuple[str, ...] | None = None  # keys the feed lists now; None when it was not read
    seen_count: int = 0
    failed: tuple[Failure, ...] = ()
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None

    def updated_subscription(self, retry: set[str], tries: dict[str, int]) -> Subscription:
        """Return the subscription with this poll's state: validators, seen keys, failed tries, time, error."""
        s = self.subscription
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        error = self.failed[0].reason if self.failed else None
        if self.listed is None:  # 304 or a failure: what was seen stays seen, and so do the tries
            return replace(s, last_polled=now, last_error=error)
        # Validators only when no item is left for later: with one pending, the next poll must read the feed
        # in full, as a 304 would hide the item for good.
        etag, last_modified = (None, None) if retry else (self.etag, self.last_modified)
        return replace(
            s, etag=etag, last_modified=last_modified, last_polled=now, last_error=error,
            seen=tuple(key for key in self.listed if key not in retry), tries=tuple(sorted(tries.items())),
        )  # fmt: skip


def _fetch_feed(fetcher: Fetcher, subscription: Subscription) -> _FetchedFeed:
    """Fetch and read one feed, conditionally; a failure is reported in the result, not raised."""
    try:
        response = fetcher.get(subscription.url, etag=subscription.etag, last_modified=subscription.last_modified)
        if response.not_modified:
            return _FetchedFeed(subscription, not_modified=True)
        parsed = parse_feed(response.body, response.url, charset=response.charset)
    except WebError as error:
        log.warning("feed %s: %s", subscription.name, error)
        return _FetchedFeed(subscription, failed=(Failure(subscription.url, str(error)),))
    except Exception as error:  # a bug one feed's document runs into fails that feed, not the whole poll
        log.exception("feed %s: unexpected error", subscription.name)
        return _FetchedFeed(subscription, failed=(Failure(subscription.url, _unexpected(error)),))
    seen = set(subscription.seen)
    new_items = tuple(item for item in parsed.items if item.key not in seen)
    return _FetchedFeed(
        replace(subscription, title=parsed.title or subscription.title), new_items,
        listed=tuple(item.key for item in parsed.items), seen_count=len(parsed.items) - len(new_items),
        etag=response.etag, last_modified=response.last_modified,
    )  # fmt: skip


def _item_article(fetcher: Fetcher, feed: _FetchedFeed, item: FeedItem) -> WebArticle | Failure:
    """Fetch an item's page; when that fails or is some other page, fall back to the feed's own text of the item."""
    outlet = feed.subscription.title or None
    try:
        article = fetch_article(fetcher, item.url, outlet=outlet, item=item)
    except WebError as error:
        return _feed_text(item, outlet, str(error))
    except Exception as error:  # a bug one page runs into fails that item, not the whole poll
        log.exception("%s: unexpected error", item.url)
        return _feed_text(item, outlet, _unexpected(error))
    # Only a page the link led away to (a redirect, a canonical link elsewhere) may be a wall: a page at the item's
    # own address is its story, whatever headline it gives itself.
    if article.url != canonical_url(item.url) and not same_story(article.title, item.title):
        return _feed_text(item, outlet, f"the page is not this item's story (its title is {article.title!r}; a consent or login wall?)")
    return article


def _feed_text(item: FeedItem, outlet: str | None, reason: str) -> WebArticle | Failure:
    """Return the feed's own text of an item whose page failed, or the failure when the item has none."""
    fallback = article_from_feed_item(item, outlet)
    if fallback is None:
        return Failure(item.url, reason)
    log.info("%s: %s; the feed's own text was used", item.url, reason)
    return fallback


def _unexpected(error: Exception) -> str:
    """Return the reason shown for an error newsbot did not foresee (a bug: the log has its traceback)."""
    return f"unexpected error ({type(error).__name__}: {error})"



def _refuse_shared_pages(wanted: list[tuple[_FetchedFeed, FeedItem]], results: list[WebArticle | Failure]) -> list[WebArticle | Failure]:
    """Replace a page that items of different stories were led away to with the item's feed text (or a failure).

    One page reached from the links of items whose titles tell different
    stories is a wall whose title happened to share a word with one of them.
    One story under several links (syndicated, in two sections, tagged per
    feed: "?cmpid=rss_world") is one story, and stays: the duplicate rule
    keeps one copy. A page counts as led to only when its address is not the
    item's link (a redirect, or a canonical link naming another page).
    """
    titles: dict[str, list[str]] = defaultdict(list)  # content hash -> the titles of the items whose links gave it
    for (_, item), result in zip(wanted, results):
        if isinstance(result, WebArticle):
            titles[result.content_hash].append(item.title)
    refused = []
    for (feed, item), result in zip(wanted, results):
        if (
            isinstance(result, WebArticle) and result.url != canonical_url(item.url)
            and any(not one_story(other, item.title) for other in titles[result.content_hash])
        ):  # fmt: skip
            reason = f"the page it leads to, {result.url}, is where other stories' items lead too (a consent or login wall?)"
            result = _feed_text(item, feed.subscription.title or None, reason)
        refused.append(result)
    return refused


@dataclass(frozen=True)
class _FeedPlan:
    """Which of a feed's new items this poll fetches, and which it leaves."""

    feed: _FetchedFeed
    taken: tuple[FeedItem, ...]  # newest first, at most MAX_NEW_ITEMS_PER_FEED
    too_old: tuple[FeedItem, ...]  # older than keep_days: skipped, and seen
    later: tuple[FeedItem, ...]  # past the cap: left unseen for the next poll


def _plan(feed: _FetchedFeed, cutoff: date | None) -> _FeedPlan:
    """Split a feed's new items into those fetched now, those too old to fetch, and those left for later."""
    too_old = tuple(item for item in feed.new_items if cutoff is not None and item.day is not None and item.day < cutoff)
    fresh = [item for item in feed.new_items if item not in too_old]
    # Newest first; undated items keep their place in the feed's order after the dated ones (sort is stable).
    fresh.sort(key=lambda item: item.published.timestamp() if item.published else float("-inf"), reverse=True)
    return _FeedPlan(feed, tuple(fresh[:MAX_NEW_ITEMS_PER_FEED]), too_old, tuple(fresh[MAX_NEW_ITEMS_PER_FEED:]))


def _place_feed(
    plan: _FeedPlan, outcomes: dict[int, WebArticle | Failure], ledger: Ledger, today: date
) -> tuple[FeedPoll, list[tuple[str, WebArticle, str | None]], Subscription]:
    """Place one feed's fetched articles; return its report, its placements and its subscription's new state."""
    feed = plan.feed
    name = feed.subscription.name
    failed = list(feed.failed)
    retry = {item.key for item in plan.later}  # unseen items stay unseen, so the next poll takes them
    tried = dict(feed.subscription.tries)
    tries = {key: tried[key] for key in retry if key in tried}  # left for later: not tried this time
    placements = []
    skipped = feed.seen_count + len(plan.too_old)
    for item in plan.taken:
        result = outcomes[id(item)]
        if isinstance(result, Failure):
            tries[item.key] = tried.get(item.key, 0) + 1
            if tries[item.key] < MAX_ITEM_TRIES:
                retry.add(item.key)
            else:  # given up: seen from now on
                result = Failure(result.url, f"{result.reason}; given up after {MAX_ITEM_TRIES} polls")
                del tries[item.key]
            failed.append(result)
            continue
        _, placement = ledger.place(result, f"{FEEDS_FOLDER}/{name}", name, today)
        if placement is None:
            skipped += 1
        else:
            placements.append(placement)
    poll = FeedPoll(name, len(placements), skipped, tuple(failed), feed.not_modified)
    return poll, placements, feed.updated_subscription(retry, tries)
