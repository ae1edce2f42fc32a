"""Read web pages: the article's title, date, byline and body paragraphs, boilerplate out.

Extraction is trafilatura's (it scores the page's blocks and keeps the main
text, drops navigation, footers and comments, and reads the metadata:
OpenGraph, JSON-LD, <meta> tags, htmldate for the date). This module only
adds what trafilatura keeps on news pages: ad slots and cookie banners inside
the article block, and the headline repeated as the first line.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from datetime import date

from newsbot.index.published import parse_published
from newsbot.index.models import Article, Problem
from newsbot.index.reading.text import normalise_text, split_dateline, take_date_line, unreadable_date

__all__ = ["HtmlPage", "extract_html", "read_html"]

log = logging.getLogger(__name__)


def _class_token(token: str) -> str:
    """Return an XPath test for one whole word of the class or id attribute."""
    return " or ".join(
        f"contains(concat(' ', normalize-space(translate(@{attr}, '-_', '  ')), ' '), ' {token} ')" for attr in ("class", "id")
    )


# Blocks trafilatura keeps when they sit inside the article element: whole
# class/id words, so "ad" never matches "header" or "lead".
_BOILERPLATE_WORDS = (
    "ad", "ads", "advert", "advertisement", "sponsored", "promo", "cookie", "cookies", "consent",
    "banner", "newsletter", "subscribe", "related", "share", "social", "comments", "comment",
)  # fmt: skip
_PRUNE_XPATH = [f"//*[{_class_token(word)}]" for word in _BOILERPLATE_WORDS] + ["//aside", "//form"]
# Publication dates only: htmldate's extensive search guesses from any date in
# the text ("© 2024"), which would date an undated page wrongly.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class HtmlPage:
    """What one web page says about its article."""

    title: str
    published: date | None
    paragraphs: tuple[str, ...]
    url: str | None = None  # the page's canonical address, when it names one
    outlet: str | None = None  # the site's name (og:site_name and the like)
    author: str | None = None


def extract_html(html: str | bytes, url: str | None = None) -> HtmlPage | None:
    """Return a page's article, or None when it holds no title or no body text."""
    with warnings.catch_warnings():
        # urllib3, which trafilatura pulls in, warns that SOCKS proxies need PySocks: newsbot uses none.
        warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
        import trafilatura  # here, not at import: it costs half a second of every cold start, and few pages come

    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            prune_xpath=_PRUNE_XPATH, date_extraction_params=_DATE_PARAMS,
        )  # fmt: skip
    except (ValueError, TypeError) as error:  # trafilatura raises these on markup it cannot parse
        log.info("%s: no article extracted: %s", url or "page", error)
        return None
    if document is None or not document.text:
        return None
    title = normalise_text(document.title or "")
    paragraphs = [normalise_text(line) for line in document.text.split("\n")]
    paragraphs = [line for line in paragraphs if line]
    if paragraphs and title and paragraphs[0] == title:  # the headline is the title, not body text
        paragraphs = paragraphs[1:]
    if not title or not paragraphs:
        return None
    return HtmlPage(
        title=title,
        published=_iso_date(document.date),
        paragraphs=tuple(paragraphs),
        url=document.url or None,
        outlet=normalise_text(document.sitename or "") or None,
        author=normalise_text(document.author or "") or None,
    )


def read_html(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read one article from an .html/.htm file in the corpus."""
    page = extract_html(text)
    if page is None:
        return [], [Problem(source, "no article text found in the page")]
    found, paragraphs, unreadable = take_date_line(list(page.paragraphs))  # "Published 3 November 2025" shown
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        return [], [Problem(source, "no article text found in the page")]
    published = page.published or found
    article = Article(
        title=page.title, published=published, source=source,
        paragraphs=tuple(paragraphs), dateline=dateline, url=page.url,
    )  # fmt: skip
    return [article], [unreadable_date(source, unreadable)] if unreadable and not published else []


def _iso_date(value: str | None) -> date | None:
    """Return the date of trafilatura's "YYYY-MM-DD", or None (see `published.parse_published`)."""
    return parse_published(value[:10]) if value else None
