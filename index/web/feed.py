"""Read feeds (RSS 0.9x/1.0/2.0, Atom) with feedparser, and find the feed a page links to."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import feedparser
import lxml.html

from newsbot.index.reading.text import normalise_text
from newsbot.index.web.errors import WebError

__all__ = ["FeedItem", "ParsedFeed", "find_feed_links", "parse_feed"]

# What a page's <link rel="alternate" type=...> says when it points at a feed.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")
# What feedparser marks a title or author as when it holds markup (a CDATA "<b>Live:</b> ...").
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedItem:
    """One item a feed lists."""

    key: str  # what tells this version of the item from others: its id (or link) and its update time
    url: str
    title: str
    published: datetime | None  # aware, in the offset the feed wrote it in (UTC when it wrote none)
    content: str  # the feed's own text of the item (HTML or plain), "" when it has none
    author: str | None = None

    @property
    def day(self) -> date | None:
        """Return the day the item says it was published, in the offset its feed wrote (the publisher's day), or None."""
        return self.published.date() if self.published else None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and items, in the feed's order."""

    title: str
    items: tuple[FeedItem, ...]


def parse_feed(body: bytes, url: str, *, charset: str | None = None) -> ParsedFeed:
    """Read a feed document; relative item links resolve against url, charset is the one its HTTP header names.

    Raises WebError when the document is empty, no feed, or so broken that
    no item could be recovered from it.
    """
    if not body.strip():
        raise WebError("not an RSS or Atom feed: empty response")
    # As XML (RFC 7303): the header's charset wins, else the document's own declaration, else UTF-8.
    # Without a content type feedparser would fall back to ISO-8859-1, HTTP's default for text.
    content_type = f"application/xml; charset={charset}" if charset else "application/xml"
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type})
    problem = parsed.get("bozo_exception")
    if not parsed.get("version") and not parsed.entries:
        raise WebError(f"not an RSS or Atom feed{f': {problem}' if problem else ''}")
    # feedparser's ThingsNobodyCaresAboutButMe (an encoding it overrode, say) leave the document read.
    broken = parsed.bozo and not isinstance(problem, feedparser.exceptions.ThingsNobodyCaresAboutButMe)
    if broken and not parsed.entries and not parsed.feed.get("title"):
        raise WebError(f"broken feed XML: {problem}")
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
                title=_plain(entry, "title"),
                published=_when(entry),
                content=(content[0].get("value") if content else None) or entry.get("summary") or "",
                author=_plain(entry, "author") or None,
            )
        )
    return ParsedFeed(title=_plain(parsed.feed, "title"), items=tuple(items))


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


def _plain(element: dict, field: str) -> str:
    """Return a feed's or an item's field as plain text: one feedparser marks as HTML loses its tags and entities."""
    value = element.get(field) or ""
    detail = element.get(f"{field}_detail") or {}
    if value.strip() and detail.get("type") in _HTML_TYPES:
        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except (ValueError, lxml.etree.ParserError):
            pass  # not markup lxml can read: the text as the feed gave it
    return normalise_text(value)


def _when(entry: dict) -> datetime | None:
    """Return when an item was published (else updated), in the offset its feed wrote it in when that can be read.

    feedparser reads many more date formats than the standard library but
    keeps only the UTC instant; the written offset is what says the
    publisher's day ("Tue, 11 Mar 2025 08:00:00 +1100" is the 11th in
    Sydney, the 10th in UTC). It is used only when it names the same instant.
    """
    # dict.get: feedparser's own get maps a missing "published" to "updated" with a DeprecationWarning.
    for field in ("published", "updated"):
        utc = _utc(dict.get(entry, f"{field}_parsed"))
        if utc is not None:
            written = _written_time(dict.get(entry, field) or "")
            return written if written is not None and abs((written - utc).total_seconds()) < 1 else utc
    return None


def _utc(parsed: object) -> datetime | None:
    """Return feedparser's UTC time tuple as an aware datetime."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)  # type: ignore[arg-type]
    except (OverflowError, ValueError, TypeError):
        return None


def _written_time(text: str) -> datetime | None:
    """Return an RFC 822 (RSS) or ISO 8601 (Atom) date and time with its own offset, or None without one."""
    text = text.strip()
    for read in (parsedate_to_datetime, datetime.fromisoformat):
        try:
            when = read(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        return when if when.tzinfo is not None else None  # "-0000" and bare times say no offset
    return None
