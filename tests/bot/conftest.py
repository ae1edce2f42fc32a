"""Fixtures for the Discord tests: a fake Discord on 127.0.0.1, a tmp corpus, a started bot."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from newsbot.bot.discord_bot import NewsBot, create_bot
from newsbot.bot.settings import Settings
from tests.bot.fake_discord import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 10.0  # loading a tiny index and connecting takes well under a second

EVERYONE_ARTICLE = {
    "id": "ping-1",
    "title": "Town hall meeting sparks online storm",
    "published": "2025-06-02",
    "url": "https://example.com/town-hall",
    "text": "SPRINGFIELD: The mayor posted @everyone and @here and <@&123> in the council chat "
            "about the zeppelin festival on June 1, 2025. Residents complained about the zeppelin noise.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus of the bundled Arab News articles plus one article that tries to ping everyone."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REPO / "corpus" / "arab_news.txt", folder / "arab_news.txt")
    (folder / "pings.jsonl").write_text(json.dumps(EVERYONE_ARTICLE) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord, with discord.py pointed at it (and restored afterwards)."""
    server = FakeDiscord()
    await server.start()
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = server.api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    try:
        yield server
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway
        await server.close()


@pytest.fixture
def make_settings(
    tmp_path: Path, corpus: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Settings]:
    """Build Settings for the fake server, ignoring the real environment and any .env."""
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def _make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "discord_token": fake.token,
            "corpus_dir": corpus,
            "index_dir": tmp_path / "index",
            "discord_guild_ids": [fake.guild_id],
            "cooldown_per_minute": 0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return _make


@pytest.fixture
async def start_bot(
    fake: FakeDiscord, make_settings: Callable[..., Settings]
) -> AsyncIterator[Callable[..., Awaitable[NewsBot]]]:
    """Start bots against the fake (watcher off unless watch=True); close them all afterwards."""
    running: list[tuple[NewsBot, asyncio.Task[None]]] = []

    async def _start(*, watch: bool = False, shards: int = 1, guild: bool = True, **overrides: object) -> NewsBot:
        """Start a bot; `shards` is how many IDENTIFYs it makes, `guild` whether one of them gets the guild."""
        bot = create_bot(make_settings(**overrides), watch_corpus=watch)
        identifies = len(fake.identifies) + shards
        task = asyncio.create_task(bot.start(fake.token))
        running.append((bot, task))
        await _wait_ready(bot, task, fake, identifies, guild=guild)
        return bot

    yield _start
    for bot, task in running:
        await bot.close()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), START_SECONDS)


async def _wait_ready(
    bot: NewsBot, task: asyncio.Task[None], fake: FakeDiscord, identifies: int = 1, *, guild: bool = True
) -> None:
    """Wait until the bot has identified and, when asked, holds the guild (or its start failed)."""
    waiter = asyncio.ensure_future(fake.wait_connected(identifies=identifies, timeout=START_SECONDS))
    done, _ = await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED, timeout=START_SECONDS)
    if task in done:
        waiter.cancel()
        task.result()  # raises what stopped the bot
        raise AssertionError("the bot stopped before connecting")
    assert waiter in done, "the bot did not connect in time"
    waiter.result()
    if not guild:
        return
    for _ in range(200):  # GUILD_CREATE is on the wire; wait (bounded) until discord.py has parsed it
        if bot.get_guild(fake.guild_id) is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot never saw the guild")
