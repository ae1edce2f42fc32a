"""Feed documents and article pages read right: empty feeds, the publisher's day, header charsets, feed text, date lines, canonical links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsbot.index.web.errors import WebError
from newsbot.index.web.feed import FeedItem, parse_feed
from newsbot.index.web.fetch import Fetcher, WebPolicy
from newsbot.index.web.pages import article_from_feed_item, fetch_article
from newsbot.index.web.poll import poll_feeds
from newsbot.index.web.store import WebArticle
from newsbot.index.web.subscribe import add_feed
from newsbot.index.web.urls import article_id
from tests.index.web.feeds import atom, rss
from tests.index.web.server import LocalWeb, article_page

LIBRARY = ["The town council voted on Monday to build a new public library beside the old railway station.",
           "The library will hold 80,000 books and open in the spring of 2027, councillor Ahmed Rahim said."]
TRAM = ["The city opened a 6 km extension of the tram line to the airport on Monday, the transport office said.",
        "More details will follow later today, officials said."]
BAKERY = ["A family bakery in the old town won the national bread prize for its rye loaf, judges announced on Tuesday.",
          "More details will follow later today, officials said."]


def rss_item(title: str, description: str, *, pub_date: str = "Mon, 10 Mar 2025 10:00:00 GMT", link: str = "http://news.test/a") -> bytes:
    """Return an RSS 2.0 feed of one item whose title and description are written as given (CDATA, markup)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gazette</title><link>http://news.test/</link>'
        f"<description>x</description><item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{pub_date}</pubDate><description>{description}</description></item></channel></rss>"
    ).encode("utf-8")


def only_item(body: bytes) -> FeedItem:
    """Return the one item of a feed document."""
    [item] = parse_feed(body, "http://news.test/feed.xml").items
    return item


def fetch(policy: WebPolicy, url: str, item: FeedItem | None = None) -> WebArticle:
    """Fetch one article page with a fetcher of its own."""
    with Fetcher(policy) as fetcher:
        return fetch_article(fetcher, url, item=item)


# 1. Empty answers and empty channels


@pytest.mark.parametrize("body", [b"", b" \r\n\t"])
def test_empty_feed_body_is_a_clear_web_error(body: bytes) -> None:
    with pytest.raises(WebError, match="not an RSS or Atom feed: empty response"):
        parse_feed(body, "http://news.test/feed.xml")


def test_feed_answering_empty_fails_alone_and_the_other_feeds_poll(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    state, corpus = tmp_path / "state", tmp_path / "corpus"
    corpus.mkdir()
    page = web.page("/tram", article_page("Tram line extended to airport", TRAM))
    web.page("/flaky.xml", rss("Flaky", []), content_type="application/rss+xml")
    web.page("/good.xml", rss("Good", [("Tram", page, "Mon, 10 Mar 2025 10:00:00 GMT", "x")]), content_type="application/rss+xml")
    add_feed(state, web.url("/flaky.xml"), name="flaky", policy=policy)
    add_feed(state, web.url("/good.xml"), name="good", policy=policy)
    web.page("/flaky.xml", b"", content_type="application/rss+xml")  # the server now answers 200 with nothing

    flaky, good = poll_feeds(state, corpus, policy=policy).feeds

    assert [(f.url, f.reason) for f in flaky.failed] == [(web.url("/flaky.xml"), "not an RSS or Atom feed: empty response")]
    assert (good.new, good.failed) == (1, ())


@pytest.mark.parametrize("channel", [
    "<link>http://news.test/</link><description>d</description>",
    "",
])  # fmt: skip
def test_valid_channel_without_title_or_items_is_an_empty_feed(channel: str) -> None:
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}</channel></rss>'.encode()
    parsed = parse_feed(body, "http://news.test/feed.xml")
    assert (parsed.title, parsed.items) == ("", ())


def test_channel_read_in_another_charset_than_its_header_names_is_still_a_feed() -> None:
    # feedparser flags the override (CharacterEncodingOverride), but the document was read: no "broken feed".
    body = '<rss version="2.0"><channel><description>Café news</description></channel></rss>'.encode()
    parsed = parse_feed(body, "http://news.test/feed.xml", charset="us-ascii")
    assert (parsed.title, parsed.items) == ("", ())


def test_truncated_feed_keeps_what_it_lists_and_html_is_no_feed() -> None:
    truncated = b'<rss version="2.0"><channel><title>Gazette</title><item><title>Dam</title><link>/dam</link>'
    assert [item.url for item in parse_feed(truncated, "http://news.test/feed.xml").items] == ["http://news.test/dam"]
    with pytest.raises(WebError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>", "http://news.test/")


# 2. The publisher's day


@pytest.mark.parametrize(("body", "day"), [
    (rss_item("Opera roof", "x", pub_date="Tue, 11 Mar 2025 08:00:00 +1100"), date(2025, 3, 11)),  # 10 March in UTC
    (rss_item("Late news", "x", pub_date="Mon, 10 Mar 2025 22:00:00 -0800"), date(2025, 3, 10)),  # 11 March in UTC
    (rss_item("Eastern", "x", pub_date="Mon, 10 Mar 2025 21:00:00 EST"), date(2025, 3, 10)),
    (rss_item("Greenwich", "x", pub_date="Tue, 11 Mar 2025 08:00:00 GMT"), date(2025, 3, 11)),
    (rss_item("Day only", "x", pub_date="2025-03-11"), date(2025, 3, 11)),
    (atom("Wire", [("Opera roof", "http://news.test/a", "2025-03-11T08:00:00+11:00", "x")]).encode(), date(2025, 3, 11)),
    (atom("Wire", [("Late news", "http://news.test/a", "2025-03-10T22:00:00.250-08:00", "x")]).encode(), date(2025, 3, 10)),
])  # fmt: skip
def test_item_day_is_the_day_the_publisher_wrote(body: bytes, day: date) -> None:
    item = only_item(body)
    assert item.day == day
    assert article_from_feed_item(item, "Gazette").published == day


def test_item_time_is_the_same_instant_in_the_publishers_offset() -> None:
    item = only_item(rss_item("Opera roof", "x", pub_date="Tue, 11 Mar 2025 08:00:00 +1100"))
    assert item.published.isoformat() == "2025-03-11T08:00:00+11:00"
    assert item.published.timestamp() == only_item(rss_item("Same", "x", pub_date="Mon, 10 Mar 2025 21:00:00 GMT")).published.timestamp()


def test_undated_page_takes_the_publishers_day_of_its_feed_item(web: LocalWeb, policy: WebPolicy) -> None:
    url = web.page("/opera", article_page("Opera house roof repairs begin", LIBRARY, published=None))
    item = only_item(rss_item("Opera house roof repairs begin", "x", pub_date="Tue, 11 Mar 2025 08:00:00 +1100", link=url))
    assert fetch(policy, url, item).published == date(2025, 3, 11)


# 3. The charset of the HTTP header


def test_feed_charset_named_only_in_the_http_header_is_used(web: LocalWeb, policy: WebPolicy) -> None:
    title, text = "Мост открыт для движения", "Новый мост через реку открыли в понедельник."
    document = rss("Новости", [(title, "http://news.test/most", "Mon, 10 Mar 2025 10:00:00 GMT", text)])
    url = web.page("/ru.xml", document.encode("cp1251"), content_type="application/rss+xml; charset=windows-1251")
    with Fetcher(policy) as fetcher:
        response = fetcher.get(url)
    parsed = parse_feed(response.body, response.url, charset=response.charset)
    assert parsed.title == "Новости"
    assert [(item.title, item.content) for item in parsed.items] == [(title, text)]


def test_subscribing_and_polling_read_a_feed_by_its_header_charset(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    import json

    title, text = "Мост открыт для движения", "Новый мост через реку открыли в понедельник."
    document = rss("Новости", [(title, web.url("/gone"), "Mon, 10 Mar 2025 10:00:00 GMT", text)])  # the page 404s: the feed's text
    web.page("/ru.xml", document.encode("cp1251"), content_type="application/rss+xml; charset=windows-1251")
    state, corpus = tmp_path / "state", tmp_path / "corpus"
    corpus.mkdir()
    assert add_feed(state, web.url("/ru.xml"), name="ru", policy=policy).title == "Новости"
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1
    [line] = (corpus / "feeds" / "ru" / "2025-03-10.jsonl").read_text(encoding="utf-8").splitlines()
    assert (json.loads(line)["title"], json.loads(line)["text"]) == (title, text)


def test_feed_without_any_charset_is_read_as_utf8() -> None:
    # No header charset, no encoding in the prolog: XML's default, UTF-8.
    assert only_item(rss_item("Café reopens in Zürich", "x").replace(b' encoding="UTF-8"', b"")).title == "Café reopens in Zürich"


def test_prolog_encoding_is_read_when_the_header_names_none() -> None:
    body = rss_item("Мост открыт", "x").replace(b"UTF-8", b"windows-1251").decode("utf-8").encode("cp1251")
    assert only_item(body).title == "Мост открыт"


# 4. The feed's own text


@pytest.mark.parametrize(("description", "paragraphs"), [
    ("<![CDATA[Acme Pharma agreed on Monday to pay 8 billion dollars to settle the talc claims.<br><br>"
     "The company denied any wrongdoing.<br/>Shares rose 2 percent in early trading.]]>",
     ["Acme Pharma agreed on Monday to pay 8 billion dollars to settle the talc claims.",
      "The company denied any wrongdoing.", "Shares rose 2 percent in early trading."]),
    ("<![CDATA[<div>Port workers will vote on the new contract on Friday, the union said.</div>"
     "<div>The contract offers a 5 percent raise over two years.</div>]]>",
     ["Port workers will vote on the new contract on Friday, the union said.",
      "The contract offers a 5 percent raise over two years."]),
    # Text outside any block is kept; a newline in the markup is a space; scripts are no text.
    ("<![CDATA[Dock workers ended their strike.<p>They accepted\na pay rise.</p><script>track()</script><ul><li>Pay: 6 percent</li></ul>]]>",
     ["Dock workers ended their strike.", "They accepted a pay rise.", "Pay: 6 percent"]),
    ("<![CDATA[<p>The dam opened on Tuesday.</p><p><a href='http://news.test/a'>Read more &raquo;</a></p>]]>",
     ["The dam opened on Tuesday."]),
    ("<![CDATA[<p>The dam opened on Tuesday.</p><p>Continue reading on Valley Times.com</p>]]>",
     ["The dam opened on Tuesday."]),
    ("<![CDATA[<p>The dam opened on Tuesday.</p><p>The post Dam opens appeared first on Valley Times.</p>]]>",
     ["The dam opened on Tuesday."]),
    ("Plain text of the item, no markup at all.", ["Plain text of the item, no markup at all."]),
])  # fmt: skip
def test_feed_text_keeps_its_paragraphs_apart(description: str, paragraphs: list[str]) -> None:
    article = article_from_feed_item(only_item(rss_item("Dam opens", description)), "Gazette")
    assert article.text.split("\n\n") == paragraphs


def test_feed_text_date_line_dates_an_undated_item_and_is_no_text() -> None:
    body = rss_item("Dam opens", "<![CDATA[<p>Published 3 November 2025</p><p>The dam opened on Tuesday.</p>]]>").replace(
        b"<pubDate>Mon, 10 Mar 2025 10:00:00 GMT</pubDate>", b"")
    article = article_from_feed_item(only_item(body), "Gazette")
    assert (article.published, article.text) == (date(2025, 11, 3), "The dam opened on Tuesday.")


def test_feed_text_that_is_only_a_read_more_link_is_kept_as_it_is() -> None:
    # Never dropped when it is all there is: an article needs some text, and the title says what it is about.
    article = article_from_feed_item(only_item(rss_item("Dam opens", "Read more")), "Gazette")
    assert article.text == "Read more"


@pytest.mark.parametrize(("title", "plain"), [
    ("<![CDATA[<b>Live:</b> Port workers vote on deal]]>", "Live: Port workers vote on deal"),
    ("&lt;em&gt;Analysis&lt;/em&gt;: AT&amp;amp;T's bid", "Analysis: AT&T's bid"),
    ("AT&amp;T buys rival", "AT&T buys rival"),
    ("Why 5 &lt; 6 matters", "Why 5 < 6 matters"),
])  # fmt: skip
def test_item_titles_lose_their_markup(title: str, plain: str) -> None:
    item = only_item(rss_item(title, "Port workers will vote on the new contract on Friday."))
    assert item.title == plain
    assert article_from_feed_item(item, "Gazette").title == plain


# 5. A date the page shows only in its text


def test_page_dated_only_by_a_date_line_is_dated_and_the_line_is_no_text(web: LocalWeb, policy: WebPolicy) -> None:
    url = web.page("/library", article_page("Council approves new library", ["Published 3 November 2025", *LIBRARY], published=None))
    article = fetch(policy, url)
    assert article.published == date(2025, 11, 3)
    assert article.text.split("\n\n") == LIBRARY


def test_page_markup_date_wins_over_its_date_line_and_its_feed_items(web: LocalWeb, policy: WebPolicy) -> None:
    url = web.page("/library", article_page("Council approves new library", ["Published 3 November 2025", *LIBRARY], published="2025-11-04T09:00:00Z"))
    item = only_item(rss_item("Council approves new library", "x", pub_date="Wed, 05 Nov 2025 10:00:00 GMT", link=url))
    article = fetch(policy, url, item)
    assert article.published == date(2025, 11, 4)
    assert "Published" not in article.text


def test_page_date_line_wins_over_its_feed_items_date(web: LocalWeb, policy: WebPolicy) -> None:
    url = web.page("/library", article_page("Council approves new library", ["Published 3 November 2025", *LIBRARY], published=None))
    item = only_item(rss_item("Council approves new library", "x", pub_date="Wed, 05 Nov 2025 10:00:00 GMT", link=url))
    assert fetch(policy, url, item).published == date(2025, 11, 3)


# 6. Canonical links


def test_pages_whose_canonical_is_the_site_root_stay_apart(web: LocalWeb, policy: WebPolicy) -> None:
    tram = web.page("/tram.html", article_page("Tram line extended to airport", TRAM, canonical=web.url("/")))
    bakery = web.page("/bakery.html", article_page("Bakery wins national prize", BAKERY, canonical=web.url("/index.html")))
    articles = [fetch(policy, tram), fetch(policy, bakery)]
    assert [(a.url, a.id) for a in articles] == [(tram, article_id(tram)), (bakery, article_id(bakery))]


@pytest.mark.parametrize("canonical", ["/news/2025/tram-line", "/?p=123"])
def test_same_host_canonical_naming_an_article_is_still_trusted(web: LocalWeb, policy: WebPolicy, canonical: str) -> None:
    web.page("/tram.html", article_page("Tram line extended to airport", TRAM, canonical=web.url(canonical)))
    assert fetch(policy, web.url("/tram.html?from=home")).url == web.url(canonical)


def test_a_feed_named_from_its_title_keeps_its_accented_letters_as_plain_ones(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    web.page("/z.xml", rss("Le Journal de Zürich", []), content_type="application/rss+xml")
    assert add_feed(tmp_path / "state", web.url("/z.xml"), policy=policy).name == "le-journal-de-zurich"


def test_a_page_naming_no_site_takes_its_feeds_title_as_outlet_not_its_address(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    import json

    page = article_page("Tram line extended to airport", TRAM).replace('<meta property="og:site_name" content="Valley Times">', "")
    link = web.page("/tram", page.replace(" | Valley Times", ""))
    web.page("/feed.xml", rss("Harbour Post", [("Tram line extended to airport", link, "Mon, 10 Mar 2025 10:00:00 GMT", "x")]),
             content_type="application/rss+xml")  # fmt: skip
    state, corpus = tmp_path / "state", tmp_path / "corpus"
    corpus.mkdir()
    add_feed(state, web.url("/feed.xml"), name="harbour", policy=policy)
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1
    [line] = (corpus / "feeds" / "harbour").glob("*.jsonl")
    assert json.loads(line.read_text(encoding="utf-8"))["outlet"] == "Harbour Post"
