"""Starting and stopping: the factory, the token, signals, intents, and the command surface."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
from discord.voice_client import VoiceClient

from newsbot.bot.discord_background import FIRST_POLL_DELAY_S, first_poll_wait
from newsbot.bot.discord_bot import NewsBot, create_bot
from newsbot.bot.discord_run import run_discord, serve_discord
from newsbot.bot.discord_commands import NewsCommands
from newsbot.bot.settings import Settings
from tests.bot.conftest import START_SECONDS
from tests.bot.fake_discord import FLAG_MESSAGE_CONTENT_LIMITED, INTENT_MESSAGE_CONTENT
from tests.bot.test_discord_admin import command
from tests.bot.test_discord_feeds import QUESTION, answerable, glacier_feed

REPO = Path(__file__).resolve().parents[2]


def test_importing_the_bot_reads_and_loads_nothing(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NEWSBOT_TOP_K=not-a-number\n")  # would fail if anything read it
    code = (
        "import sys, bot.discord_bot\n"
        "assert 'newsbot.bot.discord_commands' in sys.modules\n"
        "assert not any(name.startswith('aiohttp.web') for name in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=30)
    assert result.returncode == 0, result.stderr


def test_create_bot_is_unstarted_and_offline(make_settings) -> None:
    bot = create_bot(make_settings())
    assert isinstance(bot, NewsBot)
    assert bot.engine is None and bot.user is None and not bot.is_ready()
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}
    assert not bot.intents.message_content and not bot.intents.members


def test_create_bot_without_settings_reads_the_environment_and_dotenv(make_settings, monkeypatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("DISCORD_TOKEN=from-dotenv\nNEWSBOT_COOLDOWN_PER_MINUTE=4\n")
    monkeypatch.setenv("NEWSBOT_DISCORD_ASK_CHANNELS", "42")
    bot = create_bot()
    assert bot.settings.discord_token.get_secret_value() == "from-dotenv"
    assert bot.cooldown.per_minute == 4
    assert bot.intents.message_content  # ask channels need every message's text


def test_missing_token_is_one_line_and_exit_code_2(capsys) -> None:
    assert run_discord(Settings(_env_file=None, discord_token=None)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NEWSBOT_DISCORD_TOKEN" in err


async def test_rejected_token_is_one_line_and_exit_code_2(fake, make_settings, capsys) -> None:
    code = await serve_discord(make_settings(discord_token="wrong-token"), watch_corpus=False)
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rejected the bot token" in err and "wrong-token" not in err


def test_newsbot_discord_without_a_token_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_") and k != "DISCORD_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "newsbot.bot", "discord"], cwd=tmp_path, capture_output=True,
                            text=True, env={**env, "PYTHONPATH": str(REPO)}, timeout=30)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "NEWSBOT_DISCORD_TOKEN" in result.stderr


async def test_unloadable_corpus_is_one_line_and_exit_code_1(fake, make_settings, tmp_path, capsys) -> None:
    code = await serve_discord(make_settings(corpus_dir=tmp_path / "missing"), watch_corpus=False)
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing" in err


async def test_sigterm_stops_the_bot_cleanly(fake, make_settings) -> None:
    runner = asyncio.create_task(serve_discord(make_settings(), watch_corpus=True))
    await fake.wait_connected(timeout=10)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(runner, 10) == 0
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # our handler is gone again


async def test_ask_channel_without_the_intent_warns_and_answers_mentions(fake, start_bot, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="newsbot.bot.discord_bot"):
        bot = await start_bot(discord_ask_channels=[fake.ask_channel.id])
    assert any("Message Content intent" in record.getMessage() for record in caplog.records)
    assert not int(fake.identifies[0]["intents"]) & INTENT_MESSAGE_CONTENT
    mark = len(fake.requests)
    await fake.send_message(f"<@{bot.user.id}> when were ambassadors agreed?", channel=fake.ask_channel)
    reply = await fake.wait_for_request("POST", rf"/channels/{fake.ask_channel.id}/messages", after=mark)
    assert "send ambassadors" in reply.json["embeds"][0]["description"]


async def test_ask_channel_with_the_intent_answers_every_message(fake, start_bot) -> None:
    fake.app_flags = FLAG_MESSAGE_CONTENT_LIMITED
    await start_bot(discord_ask_channels=[fake.ask_channel.id])
    assert int(fake.identifies[0]["intents"]) & INTENT_MESSAGE_CONTENT
    mark = len(fake.requests)
    message = await fake.send_message("when were ambassadors agreed?", channel=fake.ask_channel)
    reply = await fake.wait_for_request("POST", rf"/channels/{fake.ask_channel.id}/messages", after=mark)
    assert int(reply.json["message_reference"]["message_id"]) == int(message["id"])


async def test_voice_warnings_are_silenced_and_other_warnings_pass(
    fake, start_bot, caplog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # discord.py warns once per process; make this start the one that would warn.
    monkeypatch.setattr(VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(VoiceClient, "warn_dave", True)
    with caplog.at_level(logging.WARNING, logger="discord"):
        await start_bot()
        logging.getLogger("discord.client").warning("the gateway is slow")
    messages = [record.getMessage() for record in caplog.records if record.name == "discord.client"]
    assert not VoiceClient.warn_nacl and not VoiceClient.warn_dave  # the client did reach its warnings
    assert not any("voice will NOT be supported" in message for message in messages)
    assert "the gateway is slow" in messages


def test_every_slash_command_is_described_and_unique() -> None:
    cog = NewsCommands.__new__(NewsCommands)
    commands = cog.__cog_app_commands__
    names = [command.name for command in commands]
    assert sorted(names) == ["add", "ask", "feed", "refresh", "remove", "sources", "stats"]
    assert len(set(names)) == len(names)
    feed = next(command for command in commands if command.name == "feed")
    assert sorted(sub.name for sub in feed.commands) == ["add", "list", "remove"]
    assert feed.description and feed.default_permissions == discord.Permissions(manage_guild=True) and feed.guild_only
    for slash in [c for c in commands if c is not feed] + list(feed.commands):
        assert slash.description and slash.description != "…", slash.qualified_name
        for parameter in slash.parameters:
            assert parameter.description and parameter.description != "…", (slash.qualified_name, parameter.name)
    ask = next(command for command in commands if command.name == "ask")
    assert [parameter.name for parameter in ask.parameters] == ["question", "since", "until", "top"]
    admin = [command for command in commands if command.name in ("add", "remove", "refresh")]
    assert all(command.default_permissions == discord.Permissions(manage_guild=True) for command in admin)


# -- the feed poller across restarts ----------------------------------------------------

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
HOUR = 3600.0


async def close_once_ready(bot: NewsBot) -> None:
    """Close a bot once discord.py has called it ready, as a bot that ran before its restart was.

    discord.py dispatches `ready` from a task of its own, guild_ready_timeout
    (2 s) after the last guild arrived, and `close()` leaves that task running:
    a bot closed sooner would dispatch `ready` later, into the closed client on
    this test's loop, and drop the event's coroutine unawaited (a RuntimeWarning).
    """
    await asyncio.wait_for(bot.wait_until_ready(), START_SECONDS)
    await bot.close()


@pytest.mark.parametrize(
    ("last_polled", "wait"),
    [
        ([None], FIRST_POLL_DELAY_S),  # never polled: soon
        (["2025-06-01T10:00:00+00:00"], FIRST_POLL_DELAY_S),  # overdue: soon
        (["2025-06-01T11:30:00+00:00"], HOUR / 2),  # polled half an hour ago: in half an hour
        (["2025-06-01T11:30:00+00:00", None], FIRST_POLL_DELAY_S),  # the most overdue feed decides
        (["2025-06-01T11:59:59+00:00"], HOUR - 1),  # a restart loop does not poll at every start
        (["2025-06-01T13:00:00+00:00"], HOUR),  # a clock set back: at most one interval
        (["not a time"], FIRST_POLL_DELAY_S),
        ([], HOUR),  # no feed: adding one polls at once
    ],
)
def test_first_poll_after_a_start(last_polled: list[str | None], wait: float) -> None:
    assert first_poll_wait(last_polled, HOUR, NOW) == pytest.approx(wait)


def test_first_poll_never_waits_longer_than_a_short_interval() -> None:
    assert first_poll_wait([None], 0.6, NOW) == 0.6


async def test_a_restarted_bot_polls_its_feeds_soon_not_a_whole_interval_later(fake, start_bot, web, tmp_path) -> None:
    options = {"allow_private_urls": True, "web_host_delay_seconds": 0, "state_dir": tmp_path / "state"}
    first = await start_bot(feed_poll_minutes=0, **options)
    await command(fake, "feed add", {"url": glacier_feed(web)}, user=fake.admin)  # subscribed, never polled
    await close_once_ready(first)
    bot = await start_bot(feed_poll_minutes=60, **options)  # restarted more often than hourly, it never polled
    assert await answerable(bot, QUESTION), "the restarted bot did not poll its overdue feed"


async def test_a_bot_restarted_right_after_a_poll_waits_its_turn(fake, start_bot, web, tmp_path) -> None:
    options = {"allow_private_urls": True, "web_host_delay_seconds": 0, "state_dir": tmp_path / "state"}
    first = await start_bot(feed_poll_minutes=0, **options)
    await command(fake, "feed add", {"url": glacier_feed(web)}, user=fake.admin)
    await asyncio.to_thread(first.poll_feeds_once)
    await close_once_ready(first)
    mark = len(web.requests)
    await start_bot(feed_poll_minutes=60, **options)
    await asyncio.sleep(FIRST_POLL_DELAY_S + 1)
    assert web.requests[mark:] == []  # the next pass is an hour after the last one, restart or not
