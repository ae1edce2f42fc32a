"""Feeds and pages from a local web server: subscribe, poll, dedupe, fail well, answer."""

from __future__ import annotations

import json
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from newsbot.index import load
from newsbot.index.errors import SourceError
from newsbot.index.web.errors import WebError
from newsbot.index.web.fetch import WebPolicy
from newsbot.index.corpus import corpus_lock
from newsbot.index.web.poll import MAX_NEW_ITEMS_PER_FEED, add_page, poll_and_refresh, poll_feeds
from newsbot.index.web.state import load_state, state_lock
from newsbot.index.web.subscribe import add_feed, list_feeds, remove_feed
from newsbot.index.web.urls import article_id
from tests.index.web.feeds import atom, rss
from tests.index.web.server import LocalWeb, Route, article_page

DAM = ["The new dam on the Indus opened on Tuesday after nine years of work, officials said.",
       "It will supply water to four million people in the province of Sindh.",
       "Engineers said the reservoir would be full by June."]
PORT = ["Ships waited outside the harbour of Karachi on Monday morning as the tide fell, pilots said.",
        "The port authority expects traffic to resume by the evening once the channel is clear."]
DAY = "Tue, 04 Mar 2025 09:00:00 GMT"


def corpus_lines(corpus: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(corpus.rglob("*.jsonl")) for line in path.read_text().splitlines()]


def snapshot(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    return tmp_path / "corpus"


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


def test_rss_subscribe_and_poll_writes_day_files(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/news/dam", article_page("Dam opens in the valley", DAM))
    feed = web.page("/rss.xml", rss("Valley Times", [("Dam opens", dam + "?utm_source=rss", DAY, "Short.")]), content_type="application/rss+xml")

    added = add_feed(state, feed, policy=policy)
    assert (added.name, added.title, added.items) == ("valley-times", "Valley Times", 1)
    report = poll_feeds(state, corpus, policy=policy)

    assert [(f.name, f.new, f.skipped, f.failed) for f in report.feeds] == [("valley-times", 1, 0, ())]
    assert report.changed_files == ("feeds/valley-times/2025-03-04.jsonl",)
    [line] = corpus_lines(corpus)
    assert line == {"id": article_id(dam), "title": "Dam opens in the valley", "published": "2025-03-04", "url": dam,
                    "outlet": "Valley Times", "author": "Jane Roe", "text": "\n\n".join(DAM)}
    [info] = list_feeds(state)
    assert info.articles == 1 and info.last_polled and info.error is None
    # Article pages are fetched only after robots.txt was asked, with newsbot's User-Agent.
    assert web.paths_asked().index("/robots.txt") < web.paths_asked().index("/news/dam?utm_source=rss")
    assert all(headers["User-Agent"].startswith("newsbot/") for _, headers in web.requests)


def test_atom_feed_and_items_added_between_polls(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/atom", atom("Wire", [("Dam", dam, "2025-03-04T09:00:00Z", "<p>x</p>")]), content_type="application/atom+xml")
    add_feed(state, web.url("/atom"), name="wire", policy=policy)
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1

    port = web.page("/port", article_page("Quiet day at the port", PORT, published="2025-03-05T08:00:00Z"))
    web.page("/atom", atom("Wire", [("Port", port, "2025-03-05T08:00:00Z", "<p>y</p>"), ("Dam", dam, "2025-03-04T09:00:00Z", "<p>x</p>")]),
             content_type="application/atom+xml")
    second = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (second.new, second.skipped, second.failed) == (1, 1, ())
    assert sorted(p.name for p in (corpus / "feeds" / "wire").iterdir()) == ["2025-03-04.jsonl", "2025-03-05.jsonl"]


def test_page_linking_its_feed_resolves_to_it(web: LocalWeb, policy: WebPolicy, state: Path) -> None:
    web.page("/feed.xml", rss("Valley Times", []), content_type="application/rss+xml")
    home = web.page("/", '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Home</body></html>')
    added = add_feed(state, home, policy=policy)
    assert added.url == web.url("/feed.xml") and added.items == 0
    with pytest.raises(SourceError):
        add_feed(state, web.url("/feed.xml"), policy=policy)  # already subscribed


def test_not_modified_feed_sends_validators_and_changes_nothing(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.routes["/rss"] = Route(rss("V", [("Dam", dam, DAY, "")]).encode(), "application/rss+xml", etag='"v1"',
                               headers={"Last-Modified": "Tue, 04 Mar 2025 10:00:00 GMT"})
    add_feed(state, web.url("/rss"), policy=policy)
    poll_feeds(state, corpus, policy=policy)
    before = snapshot(corpus)
    web.requests.clear()

    report = poll_feeds(state, corpus, policy=policy)

    [(path, headers)] = web.requests
    assert path == "/rss" and headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == "Tue, 04 Mar 2025 10:00:00 GMT"
    assert report.feeds[0].not_modified and not report.corpus_changed
    assert snapshot(corpus) == before


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(b"x" * 300_000), "larger than 100,000 bytes"),
        (Route(b"<html></html>", delay_s=2.0), "timed out"),
        (Route(b"", status=404), "HTTP 404"),
        (Route(b"%PDF-1.4", content_type="application/pdf"), "not an HTML page"),
        (Route(b"<html><body><nav><a href='/'>Home</a></nav></body></html>"), "no article text"),
        (Route(b"", status=302, headers={"Location": "/page"}), "redirect loop"),
    ],
    ids=["oversized", "slow", "404", "not-html", "no-text", "redirect-loop"],
)
def test_a_failing_item_is_reported_and_the_rest_goes_on(web: LocalWeb, corpus: Path, state: Path, route: Route, reason: str) -> None:
    policy = WebPolicy(timeout_s=0.5, max_bytes=100_000, host_delay_s=0.0, allow_private=True)
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.routes["/page"] = route
    web.page("/rss", rss("V", [("Bad", web.url("/page"), DAY, ""), ("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="v", policy=policy)

    [feed] = poll_feeds(state, corpus, policy=policy).feeds

    assert feed.new == 1 and [f.url for f in feed.failed] == [web.url("/page")]
    assert reason in feed.failed[0].reason
    assert [line["title"] for line in corpus_lines(corpus)] == ["Dam opens in the valley"]
    # The failed item stays unseen: the next poll tries it again.
    assert poll_feeds(state, corpus, policy=policy).feeds[0].failed[0].url == web.url("/page")


def test_a_failing_page_falls_back_to_the_feeds_own_text(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    web.page("/rss", atom("Wire", [("Dam opens", web.url("/gone"), "2025-03-04T09:00:00Z", "".join(f"<p>{p}</p>" for p in DAM))]),
             content_type="application/atom+xml")
    add_feed(state, web.url("/rss"), policy=policy)
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1
    [line] = corpus_lines(corpus)
    assert line["text"] == "\n\n".join(DAM) and line["published"] == "2025-03-04" and line["outlet"] == "Wire"


def test_broken_feed_is_reported_and_other_feeds_poll(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/good", rss("Good", [("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    web.page("/bad", rss("Bad", []), content_type="application/rss+xml")
    add_feed(state, web.url("/bad"), name="bad", policy=policy)
    add_feed(state, web.url("/good"), name="good", policy=policy)
    web.page("/bad", "<?xml version='1.0'?><rss><channel><title>Bad</tit", content_type="application/rss+xml")

    bad, good = poll_feeds(state, corpus, policy=policy).feeds

    assert bad.new == 0 and bad.failed[0].url == web.url("/bad") and "feed" in bad.failed[0].reason
    assert good.new == 1
    assert {f.name: f.error for f in list_feeds(state)}["bad"] == bad.failed[0].reason


def test_page_without_a_date_takes_the_feed_items_date(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    port = web.page("/port", article_page("Quiet day at the port", PORT, published=None, author=None))
    web.page("/rss", rss("Harbour News", [("Port", port, "Wed, 05 Mar 2025 08:00:00 GMT", "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="harbour", policy=policy)
    poll_feeds(state, corpus, policy=policy)
    [line] = corpus_lines(corpus)
    assert line["published"] == "2025-03-05" and "author" not in line
    assert (corpus / "feeds" / "harbour" / "2025-03-05.jsonl").is_file()


def test_same_story_in_two_feeds_is_one_article(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    copy = web.page("/syndicated/dam", article_page("Dam opens in the valley", DAM, site="Other Paper"))
    web.page("/a", rss("A", [("Dam", dam + "?utm_campaign=a", DAY, "")]), content_type="application/rss+xml")
    web.page("/b", rss("B", [("Dam", dam + "#top", DAY, ""), ("Dam again", copy, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/a"), name="a", policy=policy)
    add_feed(state, web.url("/b"), name="b", policy=policy)

    a, b = poll_feeds(state, corpus, policy=policy).feeds

    assert (a.new, b.new, b.skipped) == (1, 0, 2)
    assert len(corpus_lines(corpus)) == 1


def test_updated_story_replaces_its_line(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    assert add_page(state, corpus, dam, policy=policy, today=date(2025, 3, 4)).status == "new"
    assert add_page(state, corpus, dam, policy=policy).status == "unchanged"
    web.page("/dam", article_page("Dam opens in the valley", [*DAM, "Officials later said the opening was delayed by a day."]))
    added = add_page(state, corpus, dam, policy=policy)
    assert added.status == "updated" and added.source == f"web/2025-03-04.jsonl#{article_id(dam)}"
    [line] = corpus_lines(corpus)
    assert line["text"].endswith("delayed by a day.")


def test_private_address_refused_without_the_flag(web: LocalWeb, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    with pytest.raises(WebError, match="private or local address"):
        add_page(state, corpus, dam, policy=WebPolicy(host_delay_s=0.0))
    with pytest.raises(WebError, match="only http and https"):
        add_page(state, corpus, "file:///etc/passwd", policy=WebPolicy(allow_private=True))
    assert web.requests == []


def test_every_redirect_hop_is_checked(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    web.routes["/go"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(WebError, match="only http and https"):
        add_page(state, corpus, web.url("/go"), policy=policy)


def test_robots_txt_disallow_falls_back_or_fails(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    web.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    secret = web.page("/private/dam", article_page("Dam opens in the valley", DAM))
    with pytest.raises(WebError, match="robots.txt"):
        add_page(state, corpus, secret, policy=policy)
    assert "/private/dam" not in web.paths_asked()


def test_keep_days_drops_old_day_files(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/rss", rss("V", [("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="v", policy=policy)
    poll_feeds(state, corpus, policy=policy, today=date(2025, 3, 5), keep_days=7)
    assert corpus_lines(corpus)
    report = poll_feeds(state, corpus, policy=policy, today=date(2025, 3, 20), keep_days=7)
    assert report.removed_files == ("feeds/v/2025-03-04.jsonl",) and corpus_lines(corpus) == []
    assert load_state(state).articles == ()


def test_remove_keeps_articles_unless_purged(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/rss", rss("V", [("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="v", policy=policy)
    poll_feeds(state, corpus, policy=policy)
    assert remove_feed(state, "v").purged_files == () and corpus_lines(corpus)
    add_feed(state, web.url("/rss"), name="v", policy=policy)
    assert remove_feed(state, "v", corpus_dir=corpus, purge=True).purged_files == ("feeds/v/2025-03-04.jsonl",)
    assert corpus_lines(corpus) == [] and list_feeds(state) == ()
    with pytest.raises(SourceError):
        remove_feed(state, "v")


def test_poll_and_refresh_makes_a_new_item_answerable(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path, tmp_path: Path) -> None:
    (corpus / "old.txt").write_text("Old news\n\nThe council met on Monday to discuss the budget for schools.\n")
    engine = load(corpus, tmp_path / "index")
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/rss", rss("V", [("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), policy=policy)

    report, refreshed = poll_and_refresh(engine, state, policy=policy)

    assert report.feeds[0].new == 1 and refreshed is not None and refreshed.added == report.changed_files
    answer = engine.answer("How many people will the dam supply with water?")
    assert "four million people" in answer.quotes[0].text
    assert answer.quotes[0].article.url == dam and answer.quotes[0].article.title == "Dam opens in the valley"
    # Nothing new: no refresh at all.
    assert poll_and_refresh(engine, state, policy=policy)[1] is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"subscriptions": [{"name": "../../../x", "url": "http://x/rss"}]}, "'../../../x' is not a feed name"),
        ({"subscriptions": [{"name": "Wire", "url": "http://x/rss"}]}, "'Wire' is not a feed name"),
        ({"articles": [{"id": "a", "url": "http://x/a", "content_hash": "h", "file": "../outside.jsonl"}]}, "not a file inside the corpus"),
        ({"articles": [{"id": "a", "url": "http://x/a", "content_hash": "h", "file": "/tmp/outside.jsonl"}]}, "not a file inside the corpus"),
        ({"articles": [{"id": "a", "url": "http://x/a", "content_hash": "h", "file": "web/2025-03-04.txt"}]}, "not a file inside the corpus"),
    ],
)
def test_a_hand_edited_state_leading_outside_the_corpus_is_refused(corpus: Path, state: Path, edit: dict, message: str) -> None:
    state.mkdir()
    (state / "feeds.json").write_text(json.dumps({"version": 1, "subscriptions": [], "articles": [], **edit}))
    with pytest.raises(WebError, match=message):
        load_state(state)
    with pytest.raises(WebError, match=message):
        poll_feeds(state, corpus, policy=WebPolicy(allow_private=True))
    assert snapshot(corpus) == {} and not (corpus.parent / "x").exists()


def test_a_removed_page_can_be_added_again_and_its_emptied_day_file_goes(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path, tmp_path: Path) -> None:
    (corpus / "old.txt").write_text("Old news\n\nThe council met on Monday to discuss the budget for schools.\n")
    engine = load(corpus, tmp_path / "index")
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    added = add_page(state, corpus, dam, policy=policy, today=date(2025, 3, 4))
    engine.refresh()
    engine.remove_sources([added.source], keep_dir=tmp_path / "kept")
    # The day file held only that article: it is deleted, not left empty (a "Skipped: empty file" at every refresh).
    assert not (corpus / "web" / "2025-03-04.jsonl").exists()
    assert engine.refresh().skipped == ()

    again = add_page(state, corpus, dam, policy=policy)
    assert (again.status, again.source) == ("new", added.source)
    assert [line["url"] for line in corpus_lines(corpus)] == [dam]
    engine.refresh()
    assert added.source in {s.source for s in engine.sources()}


def test_a_poll_takes_at_most_fifty_new_items_per_feed_newest_first(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    # robots.txt forbids the pages: each article comes from the feed's own text, so the test asks no page.
    web.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(60)]
    items = [(f"Story {n}", web.url(f"/s/{n}"), f"{day:%a, %d %b %Y} 09:00:00 GMT", f"Story number {n} happened on {day}.")
             for n, day in enumerate(days)]  # oldest first, as some feeds list them
    web.page("/rss", rss("V", items), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="v", policy=policy)

    first = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (first.new, first.skipped) == (MAX_NEW_ITEMS_PER_FEED, 0) == (50, 0)
    assert sorted(p.name for p in (corpus / "feeds" / "v").iterdir())[0] == f"{days[10]}.jsonl"  # the newest fifty
    second = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (second.new, second.skipped) == (10, 50)
    assert len(corpus_lines(corpus)) == 60 and poll_feeds(state, corpus, policy=policy).feeds[0].new == 0


def test_pages_are_fetched_with_the_state_lock_free(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM), delay_s=1.0)
    web.page("/rss", rss("V", [("Dam", dam, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="v", policy=policy)
    polling = threading.Thread(target=poll_feeds, args=(state, corpus), kwargs={"policy": policy})
    polling.start()
    while "/dam" not in web.paths_asked():
        time.sleep(0.02)
    with state_lock(state, wait=0.3), corpus_lock(corpus, wait=0.3):  # free while the slow page is read
        assert polling.is_alive()
    polling.join()
    assert [line["url"] for line in corpus_lines(corpus)] == [dam]


def test_a_failed_item_is_fetched_again_though_the_feed_answers_304(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.routes["/port"] = Route(b"", status=503)
    web.routes["/rss"] = Route(rss("V", [("Port", web.url("/port"), DAY, ""), ("Dam", dam, DAY, "")]).encode(), "application/rss+xml", etag='"v1"')
    add_feed(state, web.url("/rss"), name="v", policy=policy)
    first = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert first.new == 1 and [f.url for f in first.failed] == [web.url("/port")]

    web.page("/port", article_page("Quiet day at the port", PORT))  # back; the feed itself has not changed
    second = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (second.new, second.failed, second.not_modified) == (1, (), False)
    assert sorted(line["title"] for line in corpus_lines(corpus)) == ["Dam opens in the valley", "Quiet day at the port"]

    # Nothing pending now: the feed is asked conditionally again, and costs one short reply.
    web.requests.clear()
    assert poll_feeds(state, corpus, policy=policy).feeds[0].not_modified
    assert [(path, headers.get("If-None-Match")) for path, headers in web.requests] == [("/rss", '"v1"')]


def test_items_past_the_cap_are_fetched_at_the_next_pass_though_the_feed_answers_304(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    web.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")  # each article from the feed's own text
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(MAX_NEW_ITEMS_PER_FEED + 5)]
    items = [(f"Story {n}", web.url(f"/s/{n}"), f"{day:%a, %d %b %Y} 09:00:00 GMT", f"Story number {n} happened on {day}.")
             for n, day in enumerate(days)]
    web.routes["/rss"] = Route(rss("V", items).encode(), "application/rss+xml", etag='"v1"')
    add_feed(state, web.url("/rss"), name="v", policy=policy)

    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == MAX_NEW_ITEMS_PER_FEED
    second = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (second.new, second.not_modified) == (5, False)
    assert len(corpus_lines(corpus)) == MAX_NEW_ITEMS_PER_FEED + 5
    assert poll_feeds(state, corpus, policy=policy).feeds[0].not_modified


def test_validators_of_an_older_state_are_dropped_so_pending_items_are_fetched(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    # Written by a newsbot that kept the ETag while an item was pending: every poll since got a 304.
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.routes["/rss"] = Route(rss("V", [("Dam", dam, DAY, "")]).encode(), "application/rss+xml", etag='"v1"')
    state.mkdir()
    (state / "feeds.json").write_text(json.dumps({"version": 1, "articles": [], "subscriptions": [
        {"name": "v", "url": web.url("/rss"), "title": "V", "etag": '"v1"', "seen": []}]}))
    assert load_state(state).subscriptions[0].etag is None
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1
    assert load_state(state).subscriptions[0].etag == '"v1"'  # nothing pending: kept from now on


def test_a_purge_keeps_the_articles_another_feed_or_add_url_carried_too(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path, tmp_path: Path) -> None:
    # Sections of one paper list the same stories: b's copies were skipped as duplicates of a's (one by its
    # address, one by its text), and a page added by hand duplicated another of a's.
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    copy = web.page("/syndicated/dam", article_page("Dam opens in the valley", DAM, site="Other Paper"))
    port = web.page("/port", article_page("Quiet day at the port", PORT, published="2025-03-05T08:00:00Z"))
    web.page("/a", rss("A", [("Dam", dam, DAY, ""), ("Port", port, DAY, "")]), content_type="application/rss+xml")
    web.page("/b", rss("B", [("Dam", dam + "#top", DAY, ""), ("Dam again", copy, DAY, "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/a"), name="a", policy=policy)
    add_feed(state, web.url("/b"), name="b", policy=policy)
    a, b = poll_feeds(state, corpus, policy=policy).feeds
    assert (a.new, b.new, b.skipped) == (2, 0, 2)
    web.page("/mirror/port", article_page("Quiet day at the port", PORT, published="2025-03-05T08:00:00Z"))
    assert add_page(state, corpus, web.url("/mirror/port"), policy=policy).status == "duplicate"

    removed = remove_feed(state, "a", corpus_dir=corpus, keep_dir=tmp_path / "kept", purge=True)

    assert {p.relative_to(corpus).as_posix(): [json.loads(line)["url"] for line in p.read_text().splitlines()]
            for p in corpus.rglob("*.jsonl")} == {"feeds/b/2025-03-04.jsonl": [dam], "web/2025-03-05.jsonl": [port]}
    assert removed.kept == (f"feeds/b/2025-03-04.jsonl#{article_id(dam)}", f"web/2025-03-05.jsonl#{article_id(port)}")
    assert not (corpus / "feeds" / "a").exists()
    assert {f.name: f.articles for f in list_feeds(state)} == {"b": 1}
    # b's next poll finds its items seen and its article where the state says.
    before = snapshot(corpus)
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 0 and snapshot(corpus) == before
    # Purging b now takes the story with it: nothing else carries it.
    assert remove_feed(state, "b", corpus_dir=corpus, purge=True).purged_files == ("feeds/b/2025-03-04.jsonl",)
    assert [line["url"] for line in corpus_lines(corpus)] == [port]


CONSENT = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body><main><h1>{title}</h1>
<p>We use cookies and data to deliver and maintain our services, track outages and protect against spam, fraud and abuse.</p>
<p>If you choose to accept all, we will also use cookies and data to develop and improve new services and to measure ads.</p>
<p>Select reject all to decline the use of cookies for these additional purposes.</p></main></body></html>"""
TRAM = ["The city opened a six kilometre extension of the tram line to the airport on Monday, the transport office said.",
        "Trams will run every ten minutes from six in the morning."]
BAKERY = ["A family bakery in the old town won the national bread prize for its rye loaf, judges announced on Tuesday.",
          "The bakery has used the same sourdough starter since 1921."]


def serve_walled_feed(web: LocalWeb, wall_title: str, tram_title: str = "Tram line extended to airport", bakery_title: str = "Bakery wins national prize") -> None:
    """Serve a feed of two stories whose links both lead to one consent page; the tram item has text of its own."""
    web.page("/consent", CONSENT.format(title=wall_title))
    for story in ("tram", "bakery"):
        web.routes[f"/wall/{story}"] = Route(status=302, headers={"Location": f"/consent?continue=%2Fwall%2F{story}"})
    web.page("/rss", rss("Euro Post", [(tram_title, web.url("/wall/tram"), DAY, " ".join(TRAM)),
                                       (bakery_title, web.url("/wall/bakery"), DAY, "")]), content_type="application/rss+xml")


@pytest.mark.parametrize(
    ("wall_title", "tram_title", "bakery_title"),
    [
        ("Before you continue", "Tram line extended to airport", "Bakery wins national prize"),
        # A wall's title may share a word with the items' (the paper's name): one page for two links gives it away.
        ("Sign in to read the City Post", "City tram line extended to airport", "City bakery wins national prize"),
    ],
    ids=["title-shares-nothing", "one-page-for-two-links"],
)
def test_a_consent_wall_is_no_article_and_hides_no_story(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path, wall_title: str, tram_title: str, bakery_title: str) -> None:
    serve_walled_feed(web, wall_title, tram_title, bakery_title)
    add_feed(state, web.url("/rss"), name="euro", policy=policy)

    [feed] = poll_feeds(state, corpus, policy=policy).feeds

    # The tram item has text of its own, which stands in; the bakery item has none and fails, reported.
    assert [(line["title"], line["text"]) for line in corpus_lines(corpus)] == [(tram_title, " ".join(TRAM))]
    assert feed.new == 1 and [f.url for f in feed.failed] == [web.url("/wall/bakery")]
    assert "consent or login wall" in feed.failed[0].reason
    # Not seen: once the wall is gone, the next poll fetches the story.
    web.page("/wall/bakery", article_page(bakery_title, BAKERY))
    again = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (again.new, again.failed) == (1, ())
    assert bakery_title in [line["title"] for line in corpus_lines(corpus)]


def test_an_unexpected_error_fails_one_feed_or_item_and_the_poll_goes_on(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug newsbot has not met yet, in the reading of one feed and of one page (injected: no input is known to cause one).
    import newsbot.index.web.poll as poll_module

    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/good", rss("Good", [("Dam", dam, DAY, ""), ("Port", web.url("/port"), DAY, " ".join(PORT))]), content_type="application/rss+xml")
    web.page("/bad", rss("Bad", []), content_type="application/rss+xml")
    add_feed(state, web.url("/bad"), name="bad", policy=policy)
    add_feed(state, web.url("/good"), name="good", policy=policy)
    real_parse, real_fetch = poll_module.parse_feed, poll_module.fetch_article

    def parse_feed(body: bytes, url: str, **kwargs: object):
        if url.endswith("/bad"):
            raise AttributeError("object has no attribute 'version'")
        return real_parse(body, url, **kwargs)

    def fetch_article(fetcher, url: str, **kwargs: object):
        if url.endswith("/port"):
            raise KeyError("og:title")
        return real_fetch(fetcher, url, **kwargs)

    monkeypatch.setattr(poll_module, "parse_feed", parse_feed)
    monkeypatch.setattr(poll_module, "fetch_article", fetch_article)

    bad, good = poll_feeds(state, corpus, policy=policy).feeds

    assert bad.failed == (poll_module.Failure(web.url("/bad"), "unexpected error (AttributeError: object has no attribute 'version')"),)
    assert (good.new, good.failed) == (2, ())  # the port item's page failed: the feed's own text stands in
    assert sorted(line["text"] for line in corpus_lines(corpus)) == sorted(["\n\n".join(DAM), " ".join(PORT)])


def test_a_wall_met_by_one_item_at_a_time_hides_no_later_story(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    # One walled link a poll: no second link to give the wall away, only its title, which is no item's.
    serve_walled_feed(web, "Before you continue")
    web.page("/rss", rss("Euro Post", [("Tram line extended to airport", web.url("/wall/tram"), DAY, " ".join(TRAM))]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="euro", policy=policy)
    assert poll_feeds(state, corpus, policy=policy).feeds[0].new == 1
    serve_walled_feed(web, "Before you continue")  # the bakery item, with no text of its own, is listed now

    feed = poll_feeds(state, corpus, policy=policy).feeds[0]

    assert (feed.new, feed.skipped, [f.url for f in feed.failed]) == (0, 1, [web.url("/wall/bakery")])
    assert [line["title"] for line in corpus_lines(corpus)] == ["Tram line extended to airport"]


def test_a_site_asking_for_a_long_rest_is_left_alone_by_later_polls_too(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    with LocalWeb() as site:
        site.routes["/dam"] = Route(b"busy", status=429, headers={"Retry-After": "3600"})
        web.page("/rss", rss("Wire", [("Dam opens", site.url("/dam"), "Tue, 04 Mar 2025 09:00:00 GMT", "")]), content_type="application/rss+xml")
        add_feed(state, web.url("/rss"), name="wire", policy=policy)
        [failure] = poll_feeds(state, corpus, policy=policy).feeds[0].failed
        assert "retry after 3600 s" in failure.reason
        asked = len(site.requests)
        [failure] = poll_feeds(state, corpus, policy=policy).feeds[0].failed  # a new poll, a new fetcher
        assert "asked newsbot to wait" in failure.reason and len(site.requests) == asked  # the site was not asked again
        with pytest.raises(WebError, match="asked newsbot to wait"):
            add_page(state, corpus, site.url("/dam"), policy=policy)
        assert len(site.requests) == asked
        assert set(load_state(state).resting_hosts()) == {site.url("/")[len("http://"):].rstrip("/")}


def test_one_story_under_links_tagged_per_feed_is_kept_once_not_taken_for_a_wall(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    story = web.url("/dam")
    web.page("/dam", article_page("Dam opens in the valley", DAM, canonical=story))
    for name in ("world", "top"):  # each section's feed tags the link ("?cmpid=rss_world"); the page names its clean address
        web.page(f"/{name}.xml", rss(name, [("Dam opens in the valley", f"{story}?cmpid=rss_{name}", "Tue, 04 Mar 2025 09:00:00 GMT", "")]),
                 content_type="application/rss+xml")  # fmt: skip
        add_feed(state, web.url(f"/{name}.xml"), name=name, policy=policy)
    feeds = poll_feeds(state, corpus, policy=policy).feeds
    assert [(f.new, f.skipped, f.failed) for f in feeds] == [(1, 0, ()), (0, 1, ())]
    assert [line["title"] for line in corpus_lines(corpus)] == ["Dam opens in the valley"]


def test_an_item_whose_page_keeps_failing_is_given_up_after_some_polls(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    from newsbot.index.web.poll import MAX_ITEM_TRIES

    web.page("/rss", rss("Wire", [("Dam opens", web.url("/gone"), "Tue, 04 Mar 2025 09:00:00 GMT", "")]),
             content_type="application/rss+xml", etag='"v1"')  # fmt: skip
    add_feed(state, web.url("/rss"), name="wire", policy=policy)
    reasons = [poll_feeds(state, corpus, policy=policy).feeds[0].failed[0].reason for _ in range(MAX_ITEM_TRIES)]
    assert "given up" not in reasons[-2] and reasons[-1].endswith(f"given up after {MAX_ITEM_TRIES} polls")
    asked = web.paths_asked().count("/gone")
    again = poll_feeds(state, corpus, policy=policy).feeds[0]
    assert (again.failed, again.not_modified) == ((), True)  # the feed is asked conditionally again, and answers 304
    assert web.paths_asked().count("/gone") == asked


def test_a_page_at_its_items_own_address_is_its_story_whatever_its_headline(web: LocalWeb, policy: WebPolicy, corpus: Path, state: Path) -> None:
    page = web.page("/pm", article_page("Johnson quits as prime minister", DAM))  # the feed says "PM resigns": no word shared
    web.page("/rss", rss("Wire", [("PM resigns", page, "Tue, 04 Mar 2025 09:00:00 GMT", "")]), content_type="application/rss+xml")
    add_feed(state, web.url("/rss"), name="wire", policy=policy)
    assert (poll_feeds(state, corpus, policy=policy).feeds[0].new, [line["title"] for line in corpus_lines(corpus)]) == (
        1, ["Johnson quits as prime minister"],
    )
