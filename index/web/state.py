"""Subscriptions and what newsbot knows of web articles, kept in `<state>/feeds.json`.

The file lives in the state folder, not the index, so deleting the index
loses no subscription. It is versioned like the index manifest: an older
version is read, a newer one refused. Writes go through a fresh sibling that
is fsynced and renamed, under a lock file, so two polls never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsbot.index.storage.files import write_beside
from newsbot.index.web.errors import WebError

__all__ = ["STATE_FILE", "KnownArticle", "Subscription", "WebState", "load_state", "save_state", "state_lock"]

STATE_FILE = "feeds.json"
STATE_VERSION = 1
LOCK_FILE = ".feeds.lock"
LOCK_WAIT_S = 60.0  # a poll of many feeds takes a while; a second one waits, then says so
_LOCK_POLL_S = 0.1


@dataclass(frozen=True)
class Subscription:
    """One feed and its poll state."""

    name: str
    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()  # keys of the items the feed listed at its last poll
    last_polled: str | None = None  # ISO timestamp, UTC
    last_error: str | None = None


@dataclass(frozen=True)
class KnownArticle:
    """An article newsbot wrote into the corpus from the web."""

    id: str  # article_id of its canonical URL
    url: str
    content_hash: str  # of its title and text, to know the same story under another address
    file: str  # corpus-relative day file that holds its line
    feed: str | None = None  # the feed it came from; None for `add URL`


@dataclass(frozen=True)
class WebState:
    """Every subscription and every web article, as feeds.json holds them."""

    subscriptions: tuple[Subscription, ...] = ()
    articles: tuple[KnownArticle, ...] = field(default_factory=tuple)

    def subscription(self, name: str) -> Subscription | None:
        """Return the subscription of that name, or None."""
        return next((s for s in self.subscriptions if s.name == name), None)


def load_state(state_dir: Path) -> WebState:
    """Read feeds.json; a missing file is an empty state.

    Raises WebError for a file that is not valid state, or one written by a
    newer newsbot (left untouched).
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
    try:
        subscriptions = tuple(
            Subscription(**{**item, "seen": tuple(item.get("seen", ()))}) for item in raw.get("subscriptions", [])
        )
        articles = tuple(KnownArticle(**item) for item in raw.get("articles", []))
    except TypeError as error:
        raise WebError(f"{path} is not newsbot's feed state: {error}") from None
    return WebState(subscriptions, articles)


def save_state(state_dir: Path, state: WebState) -> None:
    """Write feeds.json durably: a fresh sibling, fsynced, renamed over the old file."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": STATE_VERSION,
        "subscriptions": [{**asdict(s), "seen": list(s.seen)} for s in state.subscriptions],
        "articles": [asdict(a) for a in state.articles],
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
    descriptor = os.open(state_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WebError(f"another newsbot is polling feeds in {state_dir}") from None
                time.sleep(_LOCK_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
