"""Subscribe to feeds, list them, unsubscribe: `newsbot feed add|list|remove` and Discord's /feed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from newsbot.index.analysis import fold
from newsbot.index.corpus import corpus_lock
from newsbot.index.errors import SourceError
from newsbot.index.web.errors import WebError
from newsbot.index.web.feed import ParsedFeed, find_feed_links, parse_feed
from newsbot.index.web.fetch import Fetcher, WebPolicy
from newsbot.index.web.state import FEED_NAME_RULE, KnownArticle, Subscription, is_feed_name, load_state, save_state, state_lock
from newsbot.index.web.store import FEEDS_FOLDER, PAGES_FOLDER, move_articles, purge_folder
from newsbot.index.web.urls import canonical_url

__all__ = ["FeedAdded", "FeedInfo", "FeedRemoved", "add_feed", "list_feeds", "remove_feed"]

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_NAME_LENGTH = 40


@dataclass(frozen=True)
class FeedAdded:
    """A new subscription: `feed add` prints its name, title and how many items the feed lists."""

    name: str
    url: str  # the feed's own URL (the page's linked feed, when a page was given)
    title: str
    items: int


@dataclass(frozen=True)
class FeedInfo:
    """One subscription, as `feed list` shows it."""

    name: str
    url: str
    title: str
    last_polled: str | None  # ISO timestamp, UTC
    articles: int  # articles from this feed in the corpus
    error: str | None  # why the last poll of the feed failed


@dataclass(frozen=True)
class FeedRemoved:
    """A subscription that went, and the corpus files purged with it (none unless purge)."""

    name: str
    purged_files: tuple[str, ...] = ()
    # Its articles another feed (or `add URL`) carried too, moved to that one's day files, not purged: "feeds/b/2025-03-04.jsonl#<id>".
    kept: tuple[str, ...] = ()


def add_feed(state_dir: Path, url: str, *, name: str | None = None, policy: WebPolicy | None = None) -> FeedAdded:
    """Subscribe to a feed, or to the feed a page links with <link rel="alternate">.

    Raises WebError when the URL is refused or cannot be fetched, or is no
    feed and links none; SourceError when the name is not a valid folder
    name, is taken, or the feed is already subscribed.
    """
    if name is not None and not is_feed_name(name):
        raise SourceError(f"{name!r} is not a feed name: {FEED_NAME_RULE}")
    with Fetcher(policy) as fetcher:
        feed_url, parsed = _resolve_feed(fetcher, url)
    with state_lock(state_dir):
        state = load_state(state_dir)
        if any(canonical_url(s.url) == canonical_url(feed_url) for s in state.subscriptions):
            raise SourceError(f"already subscribed to {feed_url}")
        taken = {s.name for s in state.subscriptions}
        if name is None:
            name = _free_name(_slug(parsed.title) or _slug(urlsplit(feed_url).hostname or "") or "feed", taken)
        elif name in taken:
            raise SourceError(f"a feed named {name!r} already exists")
        subscription = Subscription(name=name, url=feed_url, title=parsed.title)
        save_state(state_dir, replace(state, subscriptions=(*state.subscriptions, subscription)))
    return FeedAdded(name=name, url=feed_url, title=parsed.title, items=len(parsed.items))


def list_feeds(state_dir: Path) -> tuple[FeedInfo, ...]:
    """Return every subscription with its last poll and article count.

    Raises WebError when the state file cannot be read.
    """
    state = load_state(state_dir)
    counts: dict[str, int] = {}
    for article in state.articles:
        if article.feed is not None:
            counts[article.feed] = counts.get(article.feed, 0) + 1
    return tuple(
        FeedInfo(s.name, s.url, s.title, s.last_polled, counts.get(s.name, 0), s.last_error) for s in state.subscriptions
    )


def remove_feed(
    state_dir: Path, name: str, *, corpus_dir: Path | None = None, keep_dir: Path | None = None, purge: bool = False
) -> FeedRemoved:
    """Unsubscribe; with purge, take the feed's day files out of the corpus too (the caller refreshes).

    A purge keeps the feed's articles that another subscribed feed (or
    `add URL`) carried too, skipped there as duplicates: each moves to that
    one's day file. With keep_dir (as `remove` is given it), each purged
    file is kept there first so `restore_into_corpus` can put it back.
    Raises SourceError for an unknown name, purge without a corpus folder,
    or files that cannot be kept (then nothing is removed, though the
    articles kept have moved); CorpusBusyError when another writer holds
    the corpus lock too long.
    """
    if purge and corpus_dir is None:
        raise SourceError("purging a feed's articles needs the corpus folder")
    with state_lock(state_dir):
        state = load_state(state_dir)
        if state.subscription(name) is None:
            raise SourceError(f"no feed named {name!r}")
        subscriptions = tuple(s for s in state.subscriptions if s.name != name)
        articles = tuple(replace(a, also=tuple(f for f in a.also if f != name)) for a in state.articles)  # it carries nothing now
        purged: list[str] = []
        moved: dict[str, KnownArticle] = {}
        if purge and corpus_dir is not None:
            subscribed = {s.name for s in subscriptions}
            moved = {a.id: new for a in articles if a.feed == name and (new := _rehomed(a, subscribed)) is not None}
            with corpus_lock(corpus_dir):
                move_articles(corpus_dir, [(a.id, a.file, moved[a.id].file) for a in articles if a.id in moved])
                articles = tuple(moved.get(a.id, a) for a in articles)
                try:
                    purged = purge_folder(corpus_dir, f"{FEEDS_FOLDER}/{name}", keep_dir)
                except OSError as exc:
                    save_state(state_dir, replace(state, articles=articles))  # the kept articles are in their new files
                    raise SourceError(f"cannot keep a copy of feed {name}'s files in {keep_dir}: {exc.strerror or exc}; nothing removed") from exc
            articles = tuple(a for a in articles if a.feed != name)
        save_state(state_dir, replace(state, subscriptions=subscriptions, articles=articles))
    return FeedRemoved(name=name, purged_files=tuple(purged), kept=tuple(f"{a.file}#{a.id}" for a in moved.values()))


def _rehomed(article: KnownArticle, subscribed: set[str]) -> KnownArticle | None:
    """Return a purged feed's article as another source holds it: the first subscribed feed that carried it, else `add URL`'s; None when none did."""
    day = PurePosixPath(article.file).name  # a day file's name, YYYY-MM-DD.jsonl: the same day in the new folder
    feed = next((f for f in article.also if f is not None and f in subscribed), None)
    if feed is not None:
        return replace(article, file=f"{FEEDS_FOLDER}/{feed}/{day}", feed=feed, also=tuple(f for f in article.also if f != feed))
    if None in article.also:
        return replace(article, file=f"{PAGES_FOLDER}/{day}", feed=None, also=tuple(f for f in article.also if f is not None))
    return None


def _resolve_feed(fetcher: Fetcher, url: str) -> tuple[str, ParsedFeed]:
    """Return the feed's URL and contents: the URL itself when it is a feed, else the first feed the page links."""
    response = fetcher.get(url)
    try:
        return response.url, parse_feed(response.body, response.url, charset=response.charset)
    except WebError as not_a_feed:
        links = find_feed_links(response.body, response.url)
        if not links:
            raise WebError(f"{url} is not a feed and links none ({not_a_feed})") from None
    linked = fetcher.get(links[0])
    return linked.url, parse_feed(linked.body, linked.url, charset=linked.charset)


def _slug(text: str) -> str:
    """Return a folder-safe name made of a title's words, accents dropped ("Zürich": "zurich")."""
    return _SLUG_RE.sub("-", fold(text)).strip("-")[:_NAME_LENGTH].strip("-")


def _free_name(base: str, taken: set[str]) -> str:
    """Return base, or base-2, base-3 ... whichever is free."""
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    return name
