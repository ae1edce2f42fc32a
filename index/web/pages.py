"""Turn one article page (or, when the page fails, its feed item's own text) into a `WebArticle`."""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from newsbot.index.reading.html import extract_html
from newsbot.index.reading.text import normalise_text
from newsbot.index.web.errors import WebError
from newsbot.index.web.feed import FeedItem
from newsbot.index.web.fetch import Fetcher
from newsbot.index.web.store import WebArticle
from newsbot.index.web.urls import article_id, canonical_url

__all__ = ["article_from_feed_item", "fetch_article"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Block elements of a feed item's HTML whose text is one paragraph each.
_BLOCK_TAGS = ("p", "li", "blockquote", "h2", "h3")


def fetch_article(fetcher: Fetcher, url: str, *, outlet: str | None = None, item: FeedItem | None = None) -> WebArticle:
    """Fetch a page and extract its article; the feed item's title, date and author fill what the page lacks.

    Raises WebError when robots.txt forbids the page, it cannot be fetched,
    it is not HTML, or it holds no article text.
    """
    if not fetcher.allowed(url):
        raise WebError("robots.txt does not allow newsbot to fetch this page")
    response = fetcher.get(url)
    if response.content_type not in HTML_TYPES:
        raise WebError(f"not an HTML page ({response.content_type or 'no content type'})")
    # Without a charset in the header, the bytes go to trafilatura, which honours the page's <meta charset>.
    page = extract_html(response.text() if response.charset else response.body, response.url)
    if page is None:
        raise WebError("no article text found in the page")
    address = canonical_url(_own_canonical(page.url, response.url))
    return WebArticle(
        id=article_id(address),
        title=page.title or (item.title if item else ""),
        published=page.published or (item.day if item else None),
        url=address,
        outlet=page.outlet or outlet or _host(address),
        text="\n\n".join(page.paragraphs),
        author=page.author or (item.author if item else None),
    )


def article_from_feed_item(item: FeedItem, outlet: str | None) -> WebArticle | None:
    """Return the article a feed item carries in its own text, or None when it has no title or no text."""
    paragraphs = _feed_paragraphs(item.content)
    if not item.title or not paragraphs:
        return None
    address = canonical_url(item.url)
    return WebArticle(
        id=article_id(address), title=item.title, published=item.day, url=address,
        outlet=outlet or _host(address), text="\n\n".join(paragraphs), author=item.author,
    )  # fmt: skip


def _feed_paragraphs(content: str) -> list[str]:
    """Return the paragraphs of a feed item's HTML (or plain) text."""
    if not content.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return [normalise_text(content)]
    blocks = [normalise_text(element.text_content()) for element in root.iter(*_BLOCK_TAGS)]
    blocks = [block for block in blocks if block]
    return blocks or [text for text in [normalise_text(root.text_content())] if text]


def _own_canonical(claimed: str | None, fetched: str) -> str:
    """Return the page's canonical link when it names the host the page came from, else the address it came from.

    A page is trusted to name its own address, never another site's: a
    canonical link to elsewhere would let any page replace that site's article.
    """
    if claimed and (urlsplit(claimed).hostname or "").lower() == (urlsplit(fetched).hostname or "").lower():
        return claimed
    return fetched


def _host(url: str) -> str:
    """Return a URL's host without "www.", the outlet's name when nothing better is known."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def today_utc() -> date:
    """Return today's date in UTC, the day undated articles are filed under."""
    return datetime.now(timezone.utc).date()
