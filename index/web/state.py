"""Subscriptions and what newsbot knows of web articles, kept in `<state>/feeds.json`.

The file lives in the state folder, not the index, so deleting the index
loses no subscription. It is versioned like the index manifest: an older
version is read, a newer one refused. Writes go through a fresh sibling that
is fsynced and renamed, under a lock file, so two polls never interleave.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from newsbot.index.storage.locks import exclusive_lock
from newsbot.index.storage.files import write_beside
from newsbot.index.web.errors import WebError

__all__ = [
    "FEED_NAME_RULE", "STATE_FILE", "KnownArticle", "Subscription", "WebState",
    "is_feed_name", "load_state", "save_state", "state_lock",
]  # fmt: skip

# A feed's name is the folder its articles land in: lower-case, no path characters.
_FEED_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
FEED_NAME_RULE = "lower-case letters, digits, '-' and '_', at most 64"
STATE_FILE = "feeds.json"
# 2: validators are kept only while no item of the feed is pending; a version 1 file may hold some
# saved while items were pending (never fetched after a 304), so they are dropped when it is read.
STATE_VERSION = 2
LOCK_FILE = ".feeds.lock"
LOCK_WAIT_S = 60.0  # a poll of many feeds takes a while; a second one waits, then says so


@dataclass(frozen=True)
class Subscription:
    """One feed and its poll state."""

    name: str
    url: str
    title: str = ""
    etag: str | None = None  # None while an item is pending: a 304 must not hide it from the next poll
    last_modified: str | None = None
    seen: tuple[str, ...] = ()  # keys of the items the feed listed at its last poll, less those still to fetch
    last_polled: str | None = None  # ISO timestamp, UTC
    last_error: str | None = None
    tries: tuple[tuple[str, int], ...] = ()  # keys of items whose fetch failed, and how many polls in a row it did


@dataclass(frozen=True)
class KnownArticle:
    """An article newsbot wrote into the corpus from the web."""

    id: str  # article_id of its canonical URL
    url: str
    content_hash: str  # of its title and text, to know the same story under another address
    file: str  # corpus-relative day file that holds its line
    feed: str | None = None  # the feed it came from; None for `add URL`
    # Other sources that carried the same story (a feed's name; None for `add URL`) and were skipped as its
    # duplicates: a purge of `feed` moves the article to one of them instead of deleting it.
    also: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class WebState:
    """Every subscription and every web article, as feeds.json holds them."""

    subscriptions: tuple[Subscription, ...] = ()
    articles: tuple[KnownArticle, ...] = field(default_factory=tuple)
    # Hosts that asked (Retry-After) to be left alone longer than one poll, and until when (UTC): later polls wait too.
    resting: tuple[tuple[str, datetime], ...] = ()

    def resting_hosts(self) -> dict[str, datetime]:
        """Return the hosts still resting now, and until when."""
        now = datetime.now(timezone.utc)
        return {host: until for host, until in self.resting if until > now}

    def subscription(self, name: str) -> Subscription | None:
        """Return the subscription of that name, or None."""
        return next((s for s in self.subscriptions if s.name == name), None)


def is_feed_name(name: str) -> bool:
    """Return True when a name may name a feed (and its folder under feeds/)."""
    return bool(_FEED_NAME_RE.match(name))


def load_state(state_dir: Path) -> WebState:
    """Read feeds.json; a missing file is an empty state.

    Raises WebError for a file that is not valid state, one written by a
    newer newsbot (left untouched), or one naming a feed or a corpus file
    that would lead outside the corpus (a hand edit): polls stop until fixed.
    """
    path = Path(state_dir) / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WebState()
    except (OSError, ValueError) as error:
        raise WebError(f"cannot read {path}: {error}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int):
        raise WebError(f"{path} is not newsbot's feed state")
    if raw["version"] > STATE_VERSION:
        raise WebError(f"{path} was written by a newer newsbot (version {raw['version']}); left untouched")
    stale = {"etag": None, "last_modified": None} if raw["version"] < 2 else {}  # see STATE_VERSION
    try:
        subscriptions = tuple(
            Subscription(**{
                **item, "seen": tuple(item.get("seen", ())), "tries": tuple((str(k), int(n)) for k, n in item.get("tries", ())), **stale,
            })
            for item in raw.get("subscriptions", [])
        )
        articles = tuple(KnownArticle(**{**item, "also": tuple(item.get("also", ()))}) for item in raw.get("articles", []))
        resting = tuple((str(host), _utc(until)) for host, until in raw.get("resting", {}).items())
    except (TypeError, ValueError, AttributeError) as error:
        raise WebError(f"{path} is not newsbot's feed state: {error}") from None
    for subscription in subscriptions:
        if not isinstance(subscription.name, str) or not is_feed_name(subscription.name):
            raise WebError(f"{path}: {subscription.name!r} is not a feed name ({FEED_NAME_RULE}); fix or remove it")
    for article in articles:
        feeds = [article.feed, *article.also]
        if not _inside_corpus(article.file) or any(feed is not None and not is_feed_name(str(feed)) for feed in feeds):
            raise WebError(f"{path}: article {article.id!r} names {article.file!r}, not a file inside the corpus; fix or remove it")
    return WebState(subscriptions, articles, resting)


def _utc(text: object) -> datetime:
    """Return the aware UTC time of an ISO timestamp; ValueError for anything else."""
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} names no time zone")
    return moment.astimezone(timezone.utc)


def _inside_corpus(file: object) -> bool:
    """Return True for a corpus-relative path that stays inside the corpus: relative, no "..", a JSON-lines file."""
    if not isinstance(file, str) or "\\" in file:
        return False
    path = PurePosixPath(file)
    return not path.is_absolute() and ".." not in path.parts and path.name.endswith(".jsonl") and not path.name.startswith(".")


def save_state(state_dir: Path, state: WebState) -> None:
    """Write feeds.json durably: a fresh sibling, fsynced, renamed over the old file."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": STATE_VERSION,
        "subscriptions": [{**asdict(s), "seen": list(s.seen), "tries": [list(t) for t in s.tries]} for s in state.subscriptions],
        "articles": [{**asdict(a), "also": list(a.also)} for a in state.articles],
        "resting": {host: until.isoformat(timespec="seconds") for host, until in state.resting_hosts().items()},
    }
    write_beside(state_dir / STATE_FILE, (json.dumps(payload, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


@contextlib.contextmanager
def state_lock(state_dir: Path, wait: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the state folder's lock (one poll or subscription change at a time, across processes).

    Raises WebError when another process holds it longer than `wait` seconds.
    A lock file of its own, not the index's writer lock: a poll refreshes
    the index while it holds this one, and the state folder may be the index's.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(state_dir / LOCK_FILE, wait, functools.partial(WebError, f"another newsbot is polling feeds in {state_dir}")):
        yield
