"""Feeds and pages from Discord: /feed add|list|remove, /add url:, who may use them, and the background poll."""

from __future__ import annotations

import asyncio
import logging

import pytest

from newsbot.bot.audit import read_audit
from newsbot.index import kept_sources
from newsbot.index.web.state import Subscription, WebState, save_state
from tests.bot.fake_discord import FakeDiscord
from tests.bot.test_discord_admin import command
from tests.index.web.feeds import rss
from tests.index.web.server import LocalWeb, article_page

GLACIER = ["The Batura glacier advanced forty metres over the winter, surveyors from Gilgit said on Monday.",
           "Villagers in the Hunza valley were told to move their herds to higher pastures."]
FERRY = ["A new ferry service between Gwadar and Muscat carried its first two hundred passengers on Friday.",
         "The operator plans three crossings a week from April."]
DAY = "Mon, 03 Mar 2025 09:00:00 GMT"
QUESTION = "how far did the Batura glacier advance?"


def glacier_feed(web: LocalWeb) -> str:
    page = web.page("/news/glacier", article_page("Glacier advances in the north", GLACIER, published="2025-03-03T09:00:00Z"))
    return web.page("/rss.xml", rss("Northern @everyone Wire", [("Glacier advances", page, DAY, "Short.")]), content_type="application/rss+xml")


async def answerable(bot, question: str) -> bool:
    """Wait (bounded) until the bot answers the question from the articles."""
    for _ in range(200):  # a poll with a page fetch takes about a second (robots.txt, then the page, 1 s apart)
        if not (await bot.answer(question)).no_answer:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_feed_add_list_and_remove_with_autocomplete(fake: FakeDiscord, start_bot, web: LocalWeb) -> None:
    bot = await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0)
    feed = glacier_feed(web)
    reply = await command(fake, "feed add", {"url": feed}, user=fake.admin)
    assert reply.startswith(r"Subscribed to **Northern @everyone Wire** as `northern-everyone-wire`")
    assert f"(<{feed}>); it lists 1 item;" in reply and "`newsbot feed poll` fetches them" in reply

    listed = await command(fake, "feed list", user=fake.admin)
    assert listed.startswith("**Feeds** (1)\n`northern-everyone-wire` **Northern @everyone Wire** — ")
    assert "0 articles · not polled yet" in listed
    assert await fake.autocomplete("feed remove", "name", "north", user=fake.admin) == ["northern-everyone-wire"]
    assert await fake.autocomplete("feed remove", "name", "coast", user=fake.admin) == []

    removed = await command(fake, "feed remove", {"name": "northern-everyone-wire"}, user=fake.admin)
    assert removed == "Unsubscribed from `northern-everyone-wire`; its articles stay (`purge:` removes them too)."
    assert "No feeds yet" in await command(fake, "feed list", user=fake.admin)
    unknown = await command(fake, "feed remove", {"name": "northern-everyone-wire"}, user=fake.admin)
    assert unknown == "Not removed: no feed named 'northern-everyone-wire'"

    entries = read_audit(bot.settings.resolved_state_dir())
    assert [(e["action"], e["feed"], e["url"]) for e in entries] == [
        ("feed add", "northern-everyone-wire", feed), ("feed remove", "northern-everyone-wire", None)]
    assert all(e["user"] == fake.admin.id and e["guild"] == fake.guild_id for e in entries)
    # Nothing reached a channel, and nothing the bot sent could ping (the feed's title says @everyone).
    assert fake.sent("POST", r"/channels/\d+/messages") == []
    assert all(r.json.get("allowed_mentions") == {"parse": []} for r in fake.sent("POST", r"/webhooks/.*"))


async def test_add_url_fetches_a_page_and_is_audited(fake: FakeDiscord, start_bot, web: LocalWeb) -> None:
    bot = await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0)
    page = web.page("/story/ferry", article_page("Ferry links Gwadar and Muscat", FERRY, published="2025-03-07T08:00:00Z"))
    reply = await command(fake, "add", {"url": page}, user=fake.admin)
    assert reply.startswith("Added **Ferry links Gwadar and Muscat** as `web/2025-03-07.jsonl#")
    assert "Added: `web/2025-03-07.jsonl`" in reply
    quotes = (await bot.answer("how many passengers did the Gwadar ferry carry?")).quotes
    assert quotes and quotes[0].text.startswith("A new ferry service between Gwadar and Muscat")
    [entry] = read_audit(bot.settings.resolved_state_dir())
    assert (entry["action"], entry["url"], entry["added"]) == ("add", page, ["web/2025-03-07.jsonl"])
    assert entry["file"].startswith("web/2025-03-07.jsonl#")

    again = await command(fake, "add", {"url": page}, user=fake.admin)
    assert again.startswith("Already in the corpus, unchanged: **Ferry links Gwadar and Muscat**")


@pytest.mark.parametrize("options", [{}, "both"])
async def test_add_wants_exactly_one_of_file_and_url(fake: FakeDiscord, start_bot, web: LocalWeb, options) -> None:
    await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0)
    if options == "both":
        options = {"file": fake.add_attachment("a.txt", b"Title\n\nText.\n"), "url": web.url("/a")}
    reply = await command(fake, "add", options, user=fake.admin)
    assert reply == "Not added: give one of file: (an article file to upload) or url: (a news article page), not both or neither"
    assert web.requests == [] and fake.downloads == []


async def test_a_private_address_is_refused_without_the_setting(fake: FakeDiscord, start_bot, web: LocalWeb) -> None:
    await start_bot(feed_poll_minutes=0)
    reply = await command(fake, "feed add", {"url": glacier_feed(web)}, user=fake.admin)
    assert reply.startswith("Not subscribed: 127.0.0.1 resolves to 127.0.0.1, a private or local address")
    assert web.requests == []


@pytest.mark.parametrize(("name", "options"), [
    ("feed add", {"url": "https://example.com/rss"}), ("feed list", None),
    ("feed remove", {"name": "wire"}), ("add", {"url": "https://example.com/story"}),
])  # fmt: skip
async def test_member_without_manage_server_is_refused(fake: FakeDiscord, start_bot, name: str, options) -> None:
    bot = await start_bot(feed_poll_minutes=0)
    reply = await command(fake, name, options, user=fake.member)
    assert "Manage Server" in reply
    assert read_audit(bot.settings.resolved_state_dir()) == []


async def test_background_poll_makes_a_new_item_answerable(fake: FakeDiscord, start_bot, web: LocalWeb) -> None:
    bot = await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0.01)  # a pass every 0.6 s
    await command(fake, "feed add", {"url": glacier_feed(web)}, user=fake.admin)
    assert await answerable(bot, QUESTION), "the polled item never became answerable"
    _, followup = await fake.ask(QUESTION)
    description = followup.json["embeds"][0]["description"]
    assert "The Batura glacier advanced forty metres" in description and "Glacier advances in the north" in description
    assert fake.sent("POST", r"/channels/\d+/messages") == []  # new articles show in answers only


async def test_a_failed_poll_is_logged_and_polling_goes_on(fake: FakeDiscord, start_bot, web: LocalWeb, caplog) -> None:
    bot = await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0.005)  # a pass every 0.3 s
    state = bot.settings.resolved_state_dir()
    state.mkdir(parents=True, exist_ok=True)
    (state / "feeds.json").write_text("not json")
    with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
        for _ in range(100):
            if any("feed poll failed" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.05)
    assert any("feed poll failed: cannot read" in r.getMessage() for r in caplog.records)
    (state / "feeds.json").unlink()  # the state repaired: the next passes work again
    await command(fake, "feed add", {"url": glacier_feed(web)}, user=fake.admin)
    assert await answerable(bot, QUESTION), "polling stopped after a failed pass"


async def test_feed_remove_purge_keeps_the_day_files_for_restore(fake: FakeDiscord, start_bot, web: LocalWeb) -> None:
    bot = await start_bot(allow_private_urls=True, web_host_delay_seconds=0, feed_poll_minutes=0)
    await command(fake, "feed add", {"url": glacier_feed(web), "name": "north"}, user=fake.admin)
    await asyncio.to_thread(bot.poll_feeds_once)
    assert not (await bot.answer(QUESTION)).no_answer
    corpus = bot.require_engine().corpus_dir
    [day_file] = (corpus / "feeds" / "north").glob("*.jsonl")
    await command(fake, "feed remove", {"name": "north", "purge": True}, user=fake.admin)
    assert not day_file.exists() and (await bot.answer(QUESTION)).no_answer
    kept = kept_sources(bot.settings.removed_dir())  # `newsbot restore` can put them back, for 30 days
    assert [k.source for k in kept] == [day_file.relative_to(corpus).as_posix()]


async def test_feed_list_pages_through_every_feed(fake: FakeDiscord, start_bot, make_settings) -> None:
    subscriptions = tuple(
        Subscription(f"feed-{n:02d}", f"https://news{n}.example.com/rss/world-news/latest.xml", f"Example News {n}: World",
                     last_polled="2025-06-01T12:00:00+00:00", last_error="the host answered 503 Service Unavailable" if n % 3 else None)
        for n in range(12)
    )  # fmt: skip
    save_state(make_settings().resolved_state_dir(), WebState(subscriptions))
    await start_bot()
    pages = [await command(fake, "feed list", {"page": page}, user=fake.admin) for page in (1, 2, 3)]
    assert [[f"`feed-{n:02d}`" in text for n in range(12)].count(True) for text in pages] == [5, 5, 2]
    assert all(f"`feed-{n:02d}`" in pages[n // 5] for n in range(12))  # each feed on its page, none left out
    assert all(f"*Page {page} of 3 · 12 feeds · use page: to see more*" in pages[page - 1] for page in (1, 2, 3))
    assert "more not shown" not in "".join(pages)
    assert await command(fake, "feed list", user=fake.admin) == pages[0]  # page 1 unless asked
    assert await command(fake, "feed list", {"page": 9}, user=fake.admin) == pages[2]  # held to the last page
