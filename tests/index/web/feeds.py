"""Feed documents for the tests, built inline."""

from __future__ import annotations

from xml.sax.saxutils import escape


def rss(title: str, items: list[tuple[str, str, str, str]]) -> str:
    """Return an RSS 2.0 feed of (title, link, pubDate, description) items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{date}</pubDate><description>{escape(text)}</description></item>"
        for t, link, date, text in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title><link>http://x/</link><description>d</description>{entries}</channel></rss>'


def atom(title: str, items: list[tuple[str, str, str, str]]) -> str:
    """Return an Atom feed of (title, link, updated ISO, html content) entries."""
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/><id>{escape(link)}</id>'
        f'<updated>{date}</updated><content type="html">{escape(text)}</content></entry>'
        for t, link, date, text in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title><id>urn:x</id><updated>2025-03-04T00:00:00Z</updated>{entries}</feed>'
