"""Conversations over the wire: follow-up replies, the buttons under answers, the message menu, threads."""

from __future__ import annotations

import asyncio
import json

import pytest

from newsbot.bot.discord_answers import NOT_AN_ANSWER, STALE, THANKS
from newsbot.bot.discord_bot import ROLE_MENTION_UNREAD
from newsbot.bot.discord_guard import is_chit_chat, strip_mentions
from newsbot.bot.discord_render import ARTICLE_GONE, NO_MORE
from newsbot.bot.discord_text import CONTENT_LIMIT
from newsbot.bot.feedback import feedback_path, read_votes
from tests.bot.fake_guild import FLAG_MESSAGE_CONTENT, FLAG_MESSAGE_CONTENT_LIMITED

MESSAGES = r"/channels/\d+/messages"
EPHEMERAL = 64


def _buttons(message: dict) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row["components"]]


def _footer(message: dict) -> str:
    return message["embeds"][0]["footer"]["text"].rsplit("\n", 1)[-1]


async def _mention(fake, bot, text: str, **kwargs) -> dict:
    """Send a message mentioning the bot; return the message the bot replied with."""
    mark = len(fake.requests)
    await fake.send_message(f"<@{bot.user.id}> {text}", **kwargs)
    return fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))


# -- follow-ups ---------------------------------------------------------------------


async def test_a_reply_to_an_answer_is_read_with_its_question(fake, start_bot) -> None:
    bot = await start_bot()
    first = await _mention(fake, bot, "who mediated?")
    assert _footer(first) == "Q: who mediated? · top 3"  # the state the answer carries
    assert _buttons(first) == ["newsbot:more", "newsbot:passage", "newsbot:up", "newsbot:down"]
    reply = await _mention(fake, bot, "and when?", reply_to=first)
    assert reply["embeds"][0]["title"] == "when mediated?"
    assert _footer(reply) == "Q: when mediated? · top 3"
    again = await _mention(fake, bot, "and where?", reply_to=reply)  # a reply to the follow-up goes on from it
    assert again["embeds"][0]["title"] == "where mediated?"


async def test_a_reply_fetches_the_answer_when_discord_leaves_it_out(fake, start_bot) -> None:
    bot = await start_bot()
    first = await _mention(fake, bot, "who mediated?")
    mark = len(fake.requests)
    reply = await _mention(fake, bot, "and when?", reply_to=first, resolved=False)
    assert reply["embeds"][0]["title"] == "when mediated?"
    assert fake.sent("GET", rf"/channels/{fake.general.id}/messages/{first['id']}", after=mark)
    del fake.messages[int(first["id"])]  # deleted since: a fresh question
    reply = await _mention(fake, bot, "and when were ambassadors agreed?", reply_to=first, resolved=False)
    assert reply["embeds"][0]["title"] == "and when were ambassadors agreed?"


async def test_a_reply_to_a_message_that_is_not_this_bots_answer_is_a_fresh_question(fake, start_bot) -> None:
    bot = await start_bot()
    lookalike = {"title": "who mediated?", "description": "", "footer": {"text": "Q: who mediated? · top 3"}}
    for author in (fake.other_bot, fake.member):
        other = fake.add_message("", author=author, embeds=[lookalike])
        reply = await _mention(fake, bot, "and when were ambassadors agreed?", reply_to=other)
        assert reply["embeds"][0]["title"] == "and when were ambassadors agreed?"


async def test_in_an_ask_channel_a_reply_without_a_mention_follows_up(fake, start_bot) -> None:
    fake.app_flags = FLAG_MESSAGE_CONTENT_LIMITED  # every message there is read: the intent is granted
    await start_bot(discord_ask_channels=[fake.ask_channel.id])
    mark = len(fake.requests)
    await fake.send_message("who mediated?", channel=fake.ask_channel)
    first = fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))
    mark = len(fake.requests)
    await fake.send_message("and when?", channel=fake.ask_channel, reply_to=first)
    reply = fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))
    assert reply["embeds"][0]["title"] == "when mediated?"


@pytest.mark.parametrize("fresh", ["what did Turkey say?", "who is Wang Yi?", "so who hosted the talks?"])
async def test_a_new_question_in_a_reply_is_asked_as_itself(fake, start_bot, fresh: str) -> None:
    bot = await start_bot()
    _, followup = await fake.run_command("ask", {"question": "when were ambassadors agreed?", "top": 1})
    first = fake.message_of(followup)
    reply = await _mention(fake, bot, fresh, reply_to=first)
    assert reply["embeds"][0]["title"] == fresh  # not glued onto "ambassadors agreed"
    assert _footer(reply) == f"Q: {fresh} · top 3"  # nor asked with the old answer's options
    again = await _mention(fake, bot, "and when?", reply_to=first)  # a follow-up still is one, options and all
    assert _footer(again) == "Q: when ambassadors agreed? · top 1"


@pytest.mark.parametrize("chat", ["thanks!", "Thank you so much", "ok 👍", "👍"])
async def test_thanks_under_an_answer_gets_no_reply(fake, start_bot, chat: str) -> None:
    bot = await start_bot()
    first = await _mention(fake, bot, "when were ambassadors agreed?")
    mark = len(fake.requests)
    await fake.send_message(f"<@{bot.user.id}> {chat}", reply_to=first)  # a reply mentions the bot by default
    reply = await _mention(fake, bot, "and who said so?", reply_to=first)  # sent after it, answered
    assert reply["embeds"][0]["title"] == "who said so ambassadors agreed?"
    assert len(fake.sent("POST", MESSAGES, after=mark)) == 1  # the question's answer only


@pytest.mark.parametrize(
    ("text", "chat"),
    [
        ("thanks!", True), ("Thank you so much!", True), ("ok 👍", True), ("<:pepe:1234>", True), ("good bot", True),
        ("", False), ("when?", False), ("and Turkey?", False), ("thanks, and when?", False), ("Turkey", False),
        ("2024?", False), ("9/11?", False),  # a year or a date asks about it
    ],
)  # fmt: skip
def test_what_asks_nothing(text: str, chat: bool) -> None:
    assert is_chit_chat(text) is chat


def test_strip_mentions_of_the_bots_role() -> None:
    assert strip_mentions("<@&7> who <@42> mediated? <@&8> <@9>", 42, 7) == "who mediated? <@&8> <@9>"
    assert strip_mentions("<@&7> who mediated?", 42) == "<@&7> who mediated?"  # no role of its own known
    assert strip_mentions("<@&42> who?", 42, 7) == "<@&42> who?"  # a role that shares the bot's number is not it


async def test_a_mention_of_the_bots_own_role_is_a_mention_of_the_bot(fake, start_bot) -> None:
    fake.app_flags = FLAG_MESSAGE_CONTENT  # the intent granted: Discord shows every message's text
    bot = await start_bot(discord_ask_channels=[fake.ask_channel.id])
    assert bot.get_guild(fake.guild_id).self_role.id == fake.bot_role
    mark = len(fake.requests)
    await fake.send_message(f"<@&{fake.bot_role}> who mediated?")  # in #general, no ask channel
    answer = fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))
    assert answer["embeds"][0]["title"] == "who mediated?"  # the role's mention left out
    reply = await _mention(fake, bot, "and when?", reply_to=answer)
    assert reply["embeds"][0]["title"] == "when mediated?"
    mark = len(fake.requests)
    await fake.send_message(f"<@&{fake.admin_role}> who mediated?")  # another role: not the bot's business
    await fake.send_message(f"<@&{fake.bot_role}> when were ambassadors agreed?")
    answer = fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))
    assert answer["embeds"][0]["title"] == "when were ambassadors agreed?"
    assert len(fake.sent("POST", MESSAGES, after=mark)) == 1


async def test_a_role_mention_without_its_text_says_how_to_ask(fake, start_bot) -> None:
    bot = await start_bot()  # no Message Content intent: Discord may hide a role mention's text
    mark = len(fake.requests)
    await fake.send_message(f"<@&{fake.bot_role}> who mediated?")
    reply = fake.message_of(await fake.wait_for_request("POST", MESSAGES, after=mark))
    assert reply["content"] == ROLE_MENTION_UNREAD
    answer = await _mention(fake, bot, "who mediated?")  # by name, the text is shown
    assert answer["embeds"][0]["title"] == "who mediated?"


async def test_a_follow_up_obeys_the_cooldown(fake, start_bot) -> None:
    bot = await start_bot(cooldown_per_minute=1)
    first = await _mention(fake, bot, "who mediated?")
    reply = await _mention(fake, bot, "and when?", reply_to=first)
    assert reply["content"].startswith("You're asking quickly")
    assert fake.sent("POST", MESSAGES)[-1].json["allowed_mentions"]["parse"] == []


# -- buttons ---------------------------------------------------------------------------


async def test_more_shows_the_next_quotes_until_there_are_none(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.run_command("ask", {"question": "who hosted the talks?", "top": 2})
    answer = fake.message_of(followup)
    assert _footer(answer) == "Q: who hosted the talks? · top 2"
    first_two = answer["embeds"][0]["description"].count("\n> ") + 1
    assert first_two == 2
    callback, more = await fake.click(answer, "newsbot:more")
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    assert more.json["flags"] & EPHEMERAL
    shown = more.json["embeds"][0]["description"]
    assert "During the talks, China and Pakistan voiced support" in shown  # the 4th quote
    assert "Pakistan and Afghanistan plan to upgrade" not in shown  # the 1st: shown already
    assert _footer(fake.message_of(more)) == "Q: who hosted the talks? · top 2 · after 2"
    assert _buttons(fake.message_of(more)) == ["newsbot:more"]
    _, last = await fake.click(fake.message_of(more), "newsbot:more")
    assert last.json["content"] == NO_MORE and last.json["flags"] & EPHEMERAL
    assert more.json["allowed_mentions"] == {"parse": []}


async def test_passage_shows_the_sentences_around_each_quote(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.run_command("ask", {"question": "when were ambassadors agreed?", "top": 1})
    _, passage = await fake.click(fake.message_of(followup), "newsbot:passage")
    text = passage.json["content"]
    assert passage.json["flags"] & EPHEMERAL and passage.json["allowed_mentions"] == {"parse": []}
    assert "**Islamabad and Kabul had agreed in principle to send ambassadors" in text  # the quote, in bold
    assert "The announcement comes as Pakistani Deputy Prime Minister" in text  # the sentence before it
    assert "The officials also decided to hold the 6th Trilateral Meeting" in text  # two after it


async def test_passage_after_the_article_was_removed_says_so(fake, start_bot, corpus) -> None:
    bot = await start_bot()
    _, followup = await fake.ask("what did the mayor post about the zeppelin festival?")
    answer = fake.message_of(followup)
    (corpus / "pings.jsonl").unlink()
    bot.require_engine().refresh()
    _, passage = await fake.click(answer, "newsbot:passage")
    assert ARTICLE_GONE in passage.json["content"]
    assert passage.json["allowed_mentions"] == {"parse": []}  # the quote it repeats holds @everyone
    _, more = await fake.click(answer, "newsbot:more")
    assert more.json["content"] == STALE  # the index moved on since this answer


async def test_votes_are_recorded_and_the_newest_counts(fake, start_bot, tmp_path) -> None:
    bot = await start_bot(state_dir=tmp_path / "state")
    _, followup = await fake.ask("when were ambassadors agreed?")
    answer = fake.message_of(followup)
    callback, followup = await fake.click(answer, "newsbot:up")
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL  # deferred: "thinking…"
    assert followup.json["content"] == THANKS and followup.json["flags"] & EPHEMERAL
    _, followup = await fake.click(answer, "newsbot:down")
    assert followup.json["content"] == "Changed your vote to 👎."
    state_dir = bot.settings.resolved_state_dir()
    lines = [json.loads(line) for line in feedback_path(state_dir).read_text().splitlines()]
    assert [line["verdict"] for line in lines] == ["up", "down"]
    assert {line["answer"] for line in lines} == {int(answer["id"])}
    assert lines[0]["question"] == "when were ambassadors agreed?"
    assert lines[0]["quotes"][0].startswith("Islamabad and Kabul had agreed in principle")
    assert str(fake.member.id) not in feedback_path(state_dir).read_text()  # hashed
    [vote] = read_votes(state_dir)
    assert vote.verdict == "down"


async def test_buttons_work_after_a_restart(fake, start_bot, tmp_path) -> None:
    first = await start_bot(state_dir=tmp_path / "state")
    _, followup = await fake.run_command("ask", {"question": "who hosted the talks?", "top": 2})
    answer = fake.message_of(followup)
    await first.close()
    await start_bot(state_dir=tmp_path / "state")  # a new process: nothing of the old one's memory
    _, more = await fake.click(answer, "newsbot:more")
    assert "During the talks, China and Pakistan voiced support" in more.json["embeds"][0]["description"]
    _, passage = await fake.click(answer, "newsbot:passage")
    assert "**Pakistan and Afghanistan plan to upgrade diplomatic ties" in passage.json["content"]
    _, followup = await fake.click(answer, "newsbot:up")
    assert followup.json["content"] == THANKS


async def test_buttons_on_a_message_without_state_say_so(fake, start_bot) -> None:
    await start_bot()
    old = fake.add_message("", author=fake.bot_user, embeds=[{"title": "x", "description": "> quote\n— **T** · s"}])
    old["components"] = [{"type": 1, "components": [{"type": 2, "custom_id": "newsbot:more", "style": 2}]}]
    callback, _ = await fake.click(old, "newsbot:more")
    assert callback.json["data"]["content"] == NOT_AN_ANSWER


async def test_buttons_obey_the_cooldown(fake, start_bot) -> None:
    await start_bot(cooldown_per_minute=1)
    _, followup = await fake.ask("who hosted the talks?")
    callback, _ = await fake.click(fake.message_of(followup), "newsbot:more")
    assert callback.json["data"]["content"].startswith("You're asking quickly")
    assert callback.json["data"]["flags"] & EPHEMERAL


async def test_plain_text_answers_carry_their_state_too(fake, start_bot) -> None:
    bot = await start_bot()
    first = await _mention(fake, bot, "who mediated?", channel=fake.plain)  # no Embed Links there
    assert first["content"].endswith("\n-# Q: who mediated? · top 3")
    reply = await _mention(fake, bot, "and when?", channel=fake.plain, reply_to=first)
    assert reply["content"].endswith("\n-# Q: when mediated? · top 3")
    _, passage = await fake.click(first, "newsbot:passage")
    assert "**Turkish President Recep Tayyip Erdogan" in passage.json["content"]


# -- the message menu, /ask options, threads --------------------------------------------


async def test_ask_newsbot_on_a_message_asks_its_text(fake, start_bot) -> None:
    bot = await start_bot()
    said = fake.add_message(f"<@{bot.user.id}> when were ambassadors agreed?", author=fake.owner)
    callback, followup = await fake.run_context_menu("Ask newsbot", said)
    assert callback.json["type"] == 5
    assert followup.json["embeds"][0]["title"] == "when were ambassadors agreed?"
    assert _buttons(fake.message_of(followup))[0] == "newsbot:more"
    empty = fake.add_message("", author=fake.owner)
    callback, followup = await fake.run_context_menu("Ask newsbot", empty)
    assert followup is None and callback.json["data"]["flags"] & EPHEMERAL
    assert "no text to ask about" in callback.json["data"]["content"]


async def test_ask_since_and_top(fake, start_bot) -> None:
    await start_bot()
    _, followup = await fake.run_command("ask", {"question": "who hosted the talks?", "top": 1})
    assert followup.json["embeds"][0]["description"].count("> ") == 1
    _, followup = await fake.run_command("ask", {"question": "who hosted the talks?", "since": "2025-06"})
    assert "> " not in followup.json["embeds"][0]["description"]  # the talks were in May
    assert _footer(fake.message_of(followup)) == "Q: who hosted the talks? · top 3 · since 2025-06-01"
    _, followup = await fake.run_command("ask", {"question": "who hosted the talks?", "until": "2025-05"})
    assert _footer(fake.message_of(followup)) == "Q: who hosted the talks? · top 3 · until 2025-05-31"
    assert "> " in followup.json["embeds"][0]["description"]
    declared = {o["name"]: o for o in fake.find_command("ask")["options"]}
    assert (declared["top"]["min_value"], declared["top"]["max_value"]) == (1, 20)


async def test_threads_option_opens_a_thread_and_a_mention_there_follows_up(fake, start_bot) -> None:
    bot = await start_bot(discord_threads=True)
    question = "who mediated between " + "the two neighbouring countries " * 5 + "?"
    _, followup = await fake.ask(question)
    answer = fake.message_of(followup)
    opened = await fake.wait_for_request("POST", rf"/channels/{fake.general.id}/messages/{answer['id']}/threads")
    assert len(opened.json["name"]) <= 100 and opened.json["name"].startswith("who mediated between")
    thread = fake.channel(int(answer["id"]))
    for _ in range(100):  # THREAD_CREATE is on the wire; wait (bounded) until discord.py has it
        if bot.get_channel(thread.id) is not None:
            break
        await asyncio.sleep(0.01)
    reply = await _mention(fake, bot, "and when?", channel=thread)
    assert reply["channel_id"] == str(thread.id)
    assert reply["embeds"] and reply["embeds"][0]["title"].startswith("when mediated"), reply["content"]


async def test_no_thread_without_the_option(fake, start_bot) -> None:
    await start_bot()
    await fake.ask("who mediated?")
    assert fake.sent("POST", r"/channels/\d+/messages/\d+/threads") == []


# -- what an answer carries, read back whole ----------------------------------------------

# 300 characters: a question, then every markdown character an escape doubles or a line start reads.
MARKDOWN_QUESTION = ("who hosted the talks? " + "_ * ~ \\ ` > # || " * 20)[:299].rstrip() + "?"


def _plain_state(message: dict) -> str:
    return message["content"].rsplit("\n", 1)[-1]


@pytest.mark.parametrize("plain", [True, False], ids=["plain text", "embed"])
async def test_a_long_markdown_question_keeps_its_buttons_and_follow_ups(fake, start_bot, plain: bool) -> None:
    assert len(MARKDOWN_QUESTION) == 300
    bot = await start_bot()
    channel = fake.plain if plain else fake.general
    _, followup = await fake.run_command("ask", {"question": MARKDOWN_QUESTION, "top": 2}, channel=channel)
    answer = fake.message_of(followup)
    if plain:
        assert len(answer["content"]) <= CONTENT_LIMIT
        assert _plain_state(answer).endswith(" · top 2")  # the state line is whole; the quotes made room
    else:
        assert _footer(answer).endswith(" · top 2")
    _, more = await fake.click(answer, "newsbot:more")
    shown = more.json["content"] if plain else more.json["embeds"][0]["description"]
    assert more.json.get("content") not in (STALE, NOT_AN_ANSWER, NO_MORE)
    assert "During the talks, China and Pakistan voiced support" in shown  # the next quotes, asked again whole
    reply = await _mention(fake, bot, "and when?", channel=channel, reply_to=answer)
    state = _plain_state(reply) if plain else _footer(reply)
    assert state.startswith(("-# Q: when hosted", "Q: when hosted")), state  # read with the answer's question


async def test_passage_finds_an_article_whose_name_has_brackets(fake, start_bot, corpus) -> None:
    (corpus / "report [1].txt").write_text(
        "Zeppelin report\n\nThe council met on Monday. The quorvex festival drew record crowds. "
        "Organisers thanked the volunteers.\n", encoding="utf-8")  # fmt: skip
    await start_bot()
    _, followup = await fake.ask("what drew record crowds at the quorvex festival?")
    answer = fake.message_of(followup)
    assert "report \\[1\\].txt" in answer["embeds"][0]["description"]  # escaped, not altered
    _, passage = await fake.click(answer, "newsbot:passage")
    text = passage.json["content"]
    assert ARTICLE_GONE not in text
    assert "**The quorvex festival drew record crowds.**" in text and "The council met on Monday." in text


async def test_passage_finds_a_sentence_the_answer_cut_short(fake, start_bot, corpus) -> None:
    long = "The quorvex festival drew " + ", ".join(f"crowd number {n} from town {n}" for n in range(80)) + "."
    assert len(long) > 1200
    (corpus / "long.txt").write_text(f"Festival report\n\nThe council met on Monday. {long} Organisers left.\n",
                                     encoding="utf-8")  # fmt: skip
    await start_bot()
    _, followup = await fake.ask("what did the quorvex festival draw?")
    answer = fake.message_of(followup)
    assert "…\n— " in answer["embeds"][0]["description"]  # the quote is shown cut short
    _, passage = await fake.click(answer, "newsbot:passage")
    text = passage.json["content"]
    assert ARTICLE_GONE not in text
    assert "**The quorvex festival drew crowd number 0" in text and "The council met on Monday." in text
    _, more = await fake.click(answer, "newsbot:more")
    assert more.json.get("content") != STALE  # asked again, the cut quote is recognised as the same
