"""Questions over the wire: /ask and mentions, answered by the real discord.py client against the fake."""

from __future__ import annotations

import json
import logging
import string
from pathlib import Path

import pytest

from newsbot.bot.discord_bot import ERROR_REPLY
from newsbot.bot.discord_render import NO_ANSWER
from newsbot.bot.discord_text import CONTENT_LIMIT, EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT

MESSAGES = r"/channels/\d+/messages"


async def test_ask_defers_then_follows_up_with_a_quoted_dated_embed(fake, start_bot) -> None:
    await start_bot()
    callback, followup = await fake.ask("when were ambassadors agreed?")
    assert callback.json["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "newsbot is thinking…"
    description = followup.json["embeds"][0]["description"]
    lead, _, quotes = description.partition("\n\n> ")
    assert "21 May 2025" in lead  # a "when" answer leads with the date
    assert "send ambassadors to each other’s capitals" in quotes
    assert "Afghanistan and Pakistan to work to upgrade diplomatic ties" in description
    assert "published 21 May 2025" in description
    assert followup.json["allowed_mentions"] == {"parse": []}


async def test_commands_are_synced_to_the_configured_guild_only(fake, start_bot) -> None:
    await start_bot()
    slash = [command for command in fake.commands[fake.guild_id] if command["type"] == 1]
    assert {command["name"] for command in slash} == {"ask", "sources", "stats", "refresh", "add", "remove", "feed"}
    menus = [command for command in fake.commands[fake.guild_id] if command["type"] != 1]
    assert [(menu["name"], menu["type"]) for menu in menus] == [("Ask newsbot", 3)]  # a message's Apps menu
    assert None not in fake.commands  # never also globally: that shows every command twice
    assert all(command["description"] for command in slash)
    admin = {c["name"]: c for c in fake.commands[fake.guild_id]}
    assert int(admin["add"]["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD
    assert admin["ask"]["default_member_permissions"] is None


async def test_commands_are_synced_globally_without_guilds(fake, start_bot) -> None:
    await start_bot(discord_guild_ids=[])
    assert {command["name"] for command in fake.commands[None]} >= {"ask", "sources"}
    assert fake.guild_id not in fake.commands


async def test_no_answer_is_said_plainly(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.ask("what is the capital of France?")
    assert followup.json["embeds"][0]["description"] == NO_ANSWER


async def test_stop_word_question_is_explained_once_by_the_error_handler(fake, start_bot, caplog) -> None:
    await start_bot()
    mark = len(fake.requests)
    with caplog.at_level(logging.INFO, logger="newsbot.bot.discord_bot"):
        interaction = await fake.send_command("ask", {"question": "who is the"})
        path = rf"/webhooks/{fake.app_id}/{interaction['token']}"
        followup = await fake.wait_for_request("POST", path, after=mark)
        await fake.ask("when were ambassadors agreed?")  # a later answer: the refusal had its chance to repeat
    assert followup.json["content"].startswith("I can't search for that:")
    assert followup.json["flags"] & 64  # asked for; after /ask's public "thinking…" Discord shows it to all
    assert len(fake.sent("POST", path, after=mark)) == 1
    refusals = [r for r in caplog.records if r.name == "newsbot.bot.discord_bot" and r.levelno >= logging.INFO]
    assert [r.levelno for r in refusals] == [logging.INFO] and not refusals[0].exc_info  # a refusal, not a fault


async def test_stop_word_mention_is_explained(fake, start_bot) -> None:
    bot = await start_bot()
    mark = len(fake.requests)
    message = await fake.send_message(f"<@{bot.user.id}> who is the")
    reply = await fake.wait_for_request("POST", MESSAGES, after=mark)
    assert reply.json["content"].startswith("I can't search for that:")
    assert int(reply.json["message_reference"]["message_id"]) == int(message["id"])


class Broken(RuntimeError):
    """A fault no handler expects."""


def _broken(*args: object, **kwargs: object) -> None:
    raise Broken("the disk fell off")


async def test_unexpected_error_before_replying_is_logged_and_answered_ephemerally(
    fake, start_bot, caplog, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_bot()
    monkeypatch.setattr(bot.require_engine(), "stats", _broken)  # the fault is injected below the handler
    with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
        callback, followup = await fake.run_command("stats")
    assert followup is None and callback.json["type"] == 4 and callback.json["data"]["flags"] & 64
    assert callback.json["data"]["content"] == ERROR_REPLY and "disk" not in ERROR_REPLY
    [record] = [r for r in caplog.records if r.name == "newsbot.bot.discord_bot"]
    assert record.getMessage().startswith("/stats (guild") and record.getMessage().endswith("failed")
    assert record.exc_info[0] is Broken  # unwrapped from discord.py's CommandInvokeError


async def test_unexpected_error_answering_a_mention_is_logged_and_apologised_for(
    fake, start_bot, caplog, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_bot()
    monkeypatch.setattr(bot.require_engine(), "answer", _broken)
    with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
        mark = len(fake.requests)
        await fake.send_message(f"<@{bot.user.id}> when were ambassadors agreed?")
        reply = await fake.wait_for_request("POST", MESSAGES, after=mark)
    assert reply.json["content"] == ERROR_REPLY
    [record] = [r for r in caplog.records if r.name == "newsbot.bot.discord_bot"]
    assert record.getMessage().startswith("answering message") and record.exc_info[0] is Broken


async def test_mention_gets_a_reply_to_that_message(fake, start_bot) -> None:
    bot = await start_bot()
    mark = len(fake.requests)
    message = await fake.send_message(f"<@{bot.user.id}> when were ambassadors agreed?")
    reply = await fake.wait_for_request("POST", rf"/channels/{fake.general.id}/messages", after=mark)
    assert int(reply.json["message_reference"]["message_id"]) == int(message["id"])
    assert "send ambassadors" in reply.json["embeds"][0]["description"]
    assert reply.json["allowed_mentions"]["parse"] == []


async def test_messages_without_a_mention_and_from_bots_are_ignored(fake, start_bot) -> None:
    bot = await start_bot()
    mark = len(fake.requests)
    await fake.send_message("when were ambassadors agreed?")  # no mention, not an ask channel
    await fake.send_message(f"<@{bot.user.id}> when were ambassadors agreed?", author=fake.other_bot)
    await fake.send_message(f"<@{bot.user.id}> when were ambassadors agreed?", author=fake.bot_user)
    # A later mention is answered: if the earlier ones had been, their replies would come first.
    await fake.send_message(f"<@{bot.user.id}> who hosted the talks?")
    await fake.wait_for_request("POST", MESSAGES, after=mark)
    assert len(fake.sent("POST", MESSAGES)) == 1


async def test_everyone_in_an_article_pings_no_one(fake, start_bot) -> None:
    bot = await start_bot()
    _, followup = await fake.ask("what did the mayor post about the zeppelin festival?")
    assert "@everyone" in followup.json["embeds"][0]["description"]
    assert followup.json["allowed_mentions"] == {"parse": []}
    mark = len(fake.requests)
    await fake.send_message(f"<@{bot.user.id}> @everyone @here what did the mayor post about the zeppelin?",
                            channel=fake.plain)
    reply = await fake.wait_for_request("POST", MESSAGES, after=mark)
    assert "@everyone" in reply.json["content"]  # plain text here: no Embed Links in #plain
    assert reply.json["allowed_mentions"]["parse"] == []
    assert reply.json["allowed_mentions"].get("replied_user") is False


async def test_plain_text_without_embed_links(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.ask("when were ambassadors agreed?", channel=fake.plain)
    assert not followup.json.get("embeds")
    content = followup.json["content"]
    assert content.startswith("The sentence gives no date; the article was published **21 May 2025**.")
    assert "> Islamabad and Kabul had agreed in principle to send ambassadors" in content
    assert len(followup.json["content"]) <= CONTENT_LIMIT


def _made_up_word(number: int) -> str:
    letters = ""
    for _ in range(4):
        letters += string.ascii_lowercase[number % 26]
        number //= 26
    return "v" + letters


async def test_very_long_answer_stays_within_limits(fake, start_bot, corpus: Path) -> None:
    # 25 articles, each with one long zeppelin sentence of words no other sentence shares,
    # so the engine quotes 20 of them (none is a near-duplicate of another).
    records = [
        {"id": f"z{n}", "title": f"Zeppelin report {n} " + "with a long headline " * 8, "published": "2025-06-03",
         "url": f"https://example.com/z{n}",
         "text": "The zeppelin " + " ".join(_made_up_word(n * 100 + m) for m in range(70)) + " drifted."}
        for n in range(25)
    ]
    (corpus / "long.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    await start_bot(top_k=20)
    _, followup = await fake.ask("zeppelin")
    embed = followup.json["embeds"][0]
    total = len(embed["title"]) + len(embed["description"]) + len(embed.get("footer", {}).get("text", ""))
    assert len(embed["description"]) <= EMBED_DESCRIPTION_LIMIT and total <= EMBED_TOTAL_LIMIT
    assert embed["description"].endswith("more not shown (Discord's length limit).*")
    _, followup = await fake.ask("zeppelin", channel=fake.plain)
    assert len(followup.json["content"]) <= CONTENT_LIMIT
    body, state = followup.json["content"].rsplit("\n", 1)
    assert body.endswith("more not shown (Discord's length limit).*")  # the More button shows them
    assert state == "-# Q: zeppelin · top 20"  # the answer's state, for its buttons and replies


async def test_too_long_question_is_refused(fake, start_bot) -> None:
    await start_bot(max_question_chars=20)
    callback, followup = await fake.ask("when were ambassadors agreed between the two countries?")
    assert followup is None
    assert callback.json["type"] == 4 and callback.json["data"]["flags"] & 64  # ephemeral
    assert "limit is 20" in callback.json["data"]["content"]
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}


async def test_cooldown_says_when_to_try_again(fake, start_bot) -> None:
    await start_bot(cooldown_per_minute=2)
    for _ in range(2):
        _, followup = await fake.ask("when were ambassadors agreed?")
        assert followup is not None
    callback, followup = await fake.ask("when were ambassadors agreed?")
    assert followup is None and callback.json["data"]["flags"] & 64
    assert "try again in" in callback.json["data"]["content"]
    # Another member is not held back.
    _, followup = await fake.ask("when were ambassadors agreed?", user=fake.admin)
    assert followup is not None


async def test_rate_limited_reply_is_retried(fake, start_bot) -> None:
    await start_bot()
    fake.rate_limits.append(("POST", f"/webhooks/{fake.app_id}/", 0.2))
    mark = len(fake.requests)
    interaction = await fake.send_command("ask", {"question": "when were ambassadors agreed?"})
    path = rf"/webhooks/{fake.app_id}/{interaction['token']}"
    await fake.wait_until(lambda: len(fake.sent("POST", path, after=mark)) >= 2)
    assert not fake.rate_limits  # the 429 was served, and the same follow-up came again


async def test_dropped_websocket_reconnects_and_answers_again(fake, start_bot) -> None:
    bot = await start_bot()
    await fake.drop_socket()
    await fake.wait_connected(resumes=1)
    assert fake.resumes[0]["session_id"] == "session-1"
    _, followup = await fake.ask("when were ambassadors agreed?")
    assert "send ambassadors" in followup.json["embeds"][0]["description"]
    assert not bot.is_closed()


async def test_a_failing_reply_gets_a_short_ephemeral_error_and_the_bot_goes_on(fake, start_bot, caplog) -> None:
    await start_bot()
    fake.failures.append(("POST", f"/webhooks/{fake.app_id}/", 400))
    with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
        mark = len(fake.requests)
        interaction = await fake.send_command("ask", {"question": "when were ambassadors agreed?"})
        path = rf"/webhooks/{fake.app_id}/{interaction['token']}"
        await fake.wait_until(lambda: len(fake.sent("POST", path, after=mark)) >= 2)
    error_reply = fake.sent("POST", path, after=mark)[-1]
    assert error_reply.json["flags"] & 64 and "went wrong" in error_reply.json["content"]
    assert any(record.getMessage().startswith("/ask (guild") and record.getMessage().endswith("failed")
               and record.exc_info for record in caplog.records)
    _, followup = await fake.ask("when were ambassadors agreed?")
    assert followup.json["embeds"]


async def test_ask_since_and_until_bound_the_answer_by_published_date(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.run_command("ask", {"question": "who mediated?", "since": "2026-03", "until": "2026"})
    description = followup.json["embeds"][0]["description"]
    assert description.startswith("Period: from 1 March 2026 to 31 December 2026.")
    assert "published 4 March 2026" in description and "published 21 May 2025" not in description


async def test_ask_with_a_bad_date_is_told_privately(fake, start_bot) -> None:
    await start_bot()
    callback, followup = await fake.run_command("ask", {"question": "who mediated?", "since": "last spring"})
    assert followup is None and callback.json["data"]["flags"] & 64  # ephemeral
    assert "is not a date" in callback.json["data"]["content"]


async def test_tentative_answer_says_it_is_the_closest_found(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.ask("who leads the TTP?")
    description = followup.json["embeds"][0]["description"]
    assert description.startswith("*Not sure; the closest I found:*\n\n> ")


async def test_the_latest_over_discord_is_the_newest_article(fake, start_bot) -> None:
    await start_bot()
    # The fake stamps interactions with today's time, which is also the engine's default:
    # this checks the path through /ask, not which day it reads (tests/index covers as_of).
    _, followup = await fake.ask("what is the latest between Pakistan and Afghanistan?")
    assert "published 4 March 2026" in followup.json["embeds"][0]["description"].split("\n\n")[1]
