"""Read feeds (RSS 0.9x/1.0/2.0, Atom) with feedparser, and find the feed a page links to."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urljoin

import feedparser
import lxml.html

from newsbot.index.reading.text import normalise_text
from newsbot.index.web.errors import WebError

__all__ = ["FeedItem", "ParsedFeed", "find_feed_links", "parse_feed"]

# What a page's <link rel="alternate" type=...> says when it points at a feed.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")


@dataclass(frozen=True)
class FeedItem:
    """One item a feed lists."""

    key: str  # what tells this version of the item from others: its id (or link) and its update time
    url: str
    title: str
    published: datetime | None
    content: str  # the feed's own text of the item (HTML or plain), "" when it has none
    author: str | None = None

    @property
    def day(self) -> date | None:
        """Return the UTC day the item says it was published, or None."""
        return self.published.astimezone(timezone.utc).date() if self.published else None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and items, in the feed's order."""

    title: str
    items: tuple[FeedItem, ...]


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """Read a feed document; relative item links resolve against url.

    Raises WebError when the document is no feed, or so broken that no item
    could be recovered from it.
    """
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise WebError(f"not an RSS or Atom feed{f': {problem}' if problem else ''}")
    if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
        raise WebError(f"broken feed XML: {parsed.get('bozo_exception')}")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            continue  # an item without a page cannot be fetched or quoted with a link
        # dict.get: feedparser's own get maps a missing "updated" to "published" with a DeprecationWarning.
        updated = dict.get(entry, "updated") or dict.get(entry, "published") or ""
        content = entry.get("content") or []
        items.append(
            FeedItem(
                key=f"{entry.get('id') or link}|{updated}",
                url=urljoin(url, link),
                title=normalise_text(entry.get("title") or ""),
                published=_when(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
                content=(content[0].get("value") if content else None) or entry.get("summary") or "",
                author=normalise_text(entry.get("author") or "") or None,
            )
        )
    return ParsedFeed(title=normalise_text(parsed.feed.get("title") or ""), items=tuple(items))


def find_feed_links(html: str | bytes, url: str) -> list[str]:
    """Return the feed URLs a page links with <link rel="alternate" type="application/rss+xml"> (or Atom), in page order."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_TYPES and href:
            found.append(urljoin(url, href.strip()))
    return found


def _when(parsed: object) -> datetime | None:
    """Return feedparser's UTC time tuple as an aware datetime."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)  # type: ignore[arg-type]
    except (OverflowError, ValueError, TypeError):
        return None
