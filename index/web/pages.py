"""Turn one article page (or, when the page fails, its feed item's own text) into a `WebArticle`."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from newsbot.index.reading.html import extract_html
from newsbot.index.reading.text import normalise_text, take_date_line
from newsbot.index.web.errors import WebError
from newsbot.index.web.feed import FeedItem
from newsbot.index.web.fetch import Fetcher
from newsbot.index.web.store import WebArticle
from newsbot.index.web.urls import article_id, canonical_url

__all__ = ["article_from_feed_item", "fetch_article"]

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Elements of a feed item's HTML that end a paragraph where they start and where they end: HTML's block
# elements, and <br>, which feeds put between paragraphs ("claims.<br><br>The company denied ...").
_BREAK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
))  # fmt: skip
# Put where an element breaks a paragraph: U+2029 PARAGRAPH SEPARATOR, as a newline in the markup is
# only a space (and lxml refuses control characters in text).
_PARAGRAPH_BREAK = "\u2029"
# Elements whose text is no reader's text.
_HIDDEN_TAGS = ("script", "style", "noscript", "template")
# The path of a site's front page: "", "/", "/index.html".
_FRONT_PAGE_RE = re.compile(r"/?(?:index\.[a-z]{2,5})?", re.IGNORECASE)
# A link line closing a feed's text, not part of the story: "Read more", "Continue reading →",
# WordPress's "The post ... appeared first on ...".
_READ_MORE_RE = re.compile(
    r"(?:read more|continue reading|read the full (?:story|article)|full story)(?:\W.{0,80})?"
    r"|the post .{1,300} appeared first on .{1,120}",
    re.IGNORECASE,
)


def fetch_article(fetcher: Fetcher, url: str, *, outlet: str | None = None, item: FeedItem | None = None) -> WebArticle:
    """Fetch a page and extract its article; the feed item's title, date and author fill what the page lacks.

    Raises WebError when robots.txt forbids the page (or a page a redirect
    passes through), it cannot be fetched, it is not HTML, or it holds no
    article text.
    """
    response = fetcher.get(url, robots=True)
    if response.content_type not in HTML_TYPES:
        raise WebError(f"not an HTML page ({response.content_type or 'no content type'})")
    # Without a charset in the header, the bytes go to trafilatura, which honours the page's <meta charset>.
    page = extract_html(response.text() if response.charset else response.body, response.url)
    if page is None:
        raise WebError("no article text found in the page")
    shown, paragraphs = _without_date_lines(list(page.paragraphs), response.url)
    if not paragraphs:
        raise WebError("no article text found in the page")
    address = canonical_url(_own_canonical(page.url, response.url))
    return WebArticle(
        id=article_id(address),
        title=page.title or (item.title if item else ""),
        published=page.published or shown or (item.day if item else None),
        url=address,
        outlet=_named_outlet(page.outlet, address) or outlet or _host(address),
        text="\n\n".join(paragraphs),
        author=page.author or (item.author if item else None),
    )


def article_from_feed_item(item: FeedItem, outlet: str | None) -> WebArticle | None:
    """Return the article a feed item carries in its own text, or None when it has no title or no text."""
    shown, paragraphs = _without_date_lines(_feed_paragraphs(item.content), item.url)
    if not item.title or not paragraphs:
        return None
    address = canonical_url(item.url)
    return WebArticle(
        id=article_id(address), title=item.title, published=item.day or shown, url=address,
        outlet=outlet or _host(address), text="\n\n".join(paragraphs), author=item.author,
    )  # fmt: skip


def _without_date_lines(paragraphs: list[str], url: str) -> tuple[date | None, list[str]]:
    """Return the date a date line shows ("Published 3 November 2025") and the paragraphs without date lines.

    The same rule as an .html file in the corpus (`reading.html.read_html`):
    a date shown only in the text dates the article and is no sentence of it.
    """
    shown, paragraphs, unreadable = take_date_line(paragraphs)
    if unreadable:
        log.info("%s: unreadable date line %r", url, unreadable)
    return shown, paragraphs


def _feed_paragraphs(content: str) -> list[str]:
    """Return the paragraphs of a feed item's HTML (or plain) text, a closing "Read more" left out."""
    if not content.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return [text for text in [normalise_text(content)] if text]
    for element in list(root.iter(*_HIDDEN_TAGS)):
        element.drop_tree()  # its tail stays
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BREAK_TAGS:  # comments have no str tag
            element.text = _PARAGRAPH_BREAK + (element.text or "")
            element.tail = _PARAGRAPH_BREAK + (element.tail or "")
    pieces = root.text_content().split(_PARAGRAPH_BREAK)
    paragraphs = [text for text in (normalise_text(piece) for piece in pieces) if text]
    if len(paragraphs) > 1 and _READ_MORE_RE.fullmatch(paragraphs[-1]):
        paragraphs.pop()
    return paragraphs


def _own_canonical(claimed: str | None, fetched: str) -> str:
    """Return the page's canonical link when it names an article on the host the page came from, else the address it came from.

    A page is trusted to name its own address, never another site's: a
    canonical link to elsewhere would let any page replace that site's
    article. Nor the site's front page, which sites give every page as
    canonical by a template's mistake: all their articles would be one.
    """
    if not claimed:
        return fetched
    canonical, page = urlsplit(canonical_url(claimed)), urlsplit(fetched)
    if (canonical.hostname or "").lower() != (page.hostname or "").lower():
        return fetched
    if _FRONT_PAGE_RE.fullmatch(canonical.path) and not canonical.query:  # "?p=123" is WordPress's article address
        return fetched
    return claimed


def _named_outlet(name: str | None, url: str) -> str | None:
    """Return the site's name a page gives, None when it is only its address (trafilatura's guess without one):
    the feed's title is the better name then."""
    if name is None or name.lower().removeprefix("www.") in (_host(url).lower(), (urlsplit(url).netloc or "").lower()):
        return None
    return name


def _host(url: str) -> str:
    """Return a URL's host without "www.", the outlet's name when nothing better is known."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def today_utc() -> date:
    """Return today's date in UTC, the day undated articles are filed under."""
    return datetime.now(timezone.utc).date()
