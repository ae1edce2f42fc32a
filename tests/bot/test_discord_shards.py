"""Sharding and bot processes that share an index and a state folder."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest
from pydantic import ValidationError

import newsbot.index.engine as engine_module
from newsbot.bot.discord_background import POLLER_LOCK
from newsbot.bot.discord_bot import NewsBot, ShardedNewsBot, create_bot
from newsbot.bot.process_lock import try_lock
from newsbot.bot.settings import Settings


async def test_auto_sharding_runs_the_shards_discord_recommends(fake, start_bot) -> None:
    fake.shards = 2  # GET /gateway/bot
    bot = await start_bot(discord_shards="auto", shards=2)
    assert isinstance(bot, ShardedNewsBot) and bot.shard_count == 2
    assert sorted(tuple(identify["shard"]) for identify in fake.identifies) == [(0, 2), (1, 2)]
    assert bot.get_guild(fake.guild_id).shard_id == (fake.guild_id >> 22) % 2
    _, followup = await fake.ask("when were ambassadors agreed?")  # answered on the guild's shard
    assert "send ambassadors" in followup.json["embeds"][0]["description"]


def test_without_the_shards_setting_the_bot_is_not_sharded(make_settings) -> None:
    bot = create_bot(make_settings())
    assert type(bot) is NewsBot


def test_shard_ids_need_a_count(make_settings) -> None:
    with pytest.raises(ValidationError, match="needs a shard count in NEWSBOT_DISCORD_SHARDS"):
        make_settings(discord_shard_ids="0")
    with pytest.raises(ValidationError, match="needs a shard count"):
        make_settings(discord_shards="auto", discord_shard_ids="0")
    with pytest.raises(ValidationError, match=r"\[2\] are not shards of 2"):
        make_settings(discord_shards="2", discord_shard_ids="0,2")
    assert make_settings(discord_shards="2", discord_shard_ids="1").discord_shard_ids == [1]


@pytest.mark.parametrize("value", ["none", "0", "-1"])
def test_a_shard_count_is_auto_or_a_positive_number(make_settings, value: str) -> None:
    with pytest.raises(ValidationError):
        make_settings(discord_shards=value)


async def test_two_processes_share_an_index_and_a_refresh_in_one_is_seen_by_the_other(
    fake, start_bot, corpus, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "MANIFEST_CHECK_S", 0.0)  # look for a newer index at every question
    state = tmp_path / "state"
    home = (fake.guild_id >> 22) % 2  # the shard Discord puts the guild on
    owner = await start_bot(discord_shards=2, discord_shard_ids=[home], state_dir=state)
    other = await start_bot(discord_shards=2, discord_shard_ids=[1 - home], state_dir=state, guild=False)
    assert owner.engine is not other.engine  # each loaded the index itself
    assert other.get_guild(fake.guild_id) is None and owner.get_guild(fake.guild_id) is not None
    question = "when did the zebra parade cross the river?"
    assert other.require_engine().answer(question).no_answer
    article = {"id": "zebra", "title": "Zebra parade", "published": "2025-06-05",
               "text": "The zebra parade crossed the river on June 4, 2025, to loud cheers."}
    (corpus / "zebra.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    callback, followup = await fake.run_command("refresh", user=fake.owner)  # reaches the owner's shard only
    assert "zebra.jsonl" in followup.json["content"]
    answer = await asyncio.to_thread(other.require_engine().answer, question)
    assert answer.quotes[0].text.startswith("The zebra parade crossed the river")  # the other followed the manifest


async def test_only_one_process_polls_the_feeds(fake, start_bot, tmp_path) -> None:
    bot = await start_bot(state_dir=tmp_path / "state")
    lock = bot.settings.resolved_state_dir() / POLLER_LOCK
    with try_lock(lock) as held:  # another process polling
        assert held
        assert await asyncio.to_thread(bot.poll_feeds_once) is None
    polled = await asyncio.to_thread(bot.poll_feeds_once)  # no feeds yet: an empty pass, but a pass
    assert polled is not None and polled[0].feeds == ()


def test_try_lock_is_taken_by_one_holder_at_a_time(tmp_path) -> None:
    path = tmp_path / "state" / "x.lock"
    with try_lock(path) as first:
        with try_lock(path) as second:
            assert first and not second
    with try_lock(path) as again:
        assert again


def test_settings_name_the_sharding_rows(tmp_path) -> None:
    settings = Settings(_env_file=None, discord_shards="3", discord_shard_ids="0, 2")
    assert (settings.discord_shards, settings.discord_shard_ids, settings.sharded()) == (3, [0, 2], True)


async def test_a_refresh_in_another_os_process_is_seen_by_the_running_bot(
    fake, start_bot, corpus, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "MANIFEST_CHECK_S", 0.0)  # look for a newer index at every question
    bot = await start_bot(state_dir=tmp_path / "state")
    engine = bot.require_engine()
    article = tmp_path / "zebra.jsonl"
    article.write_text(json.dumps({"id": "zebra", "title": "Zebra parade", "published": "2025-06-05",
                                   "text": "The zebra parade crossed the river on June 4, 2025, to loud cheers."}) + "\n")
    # A second process (the CLI, as a second bot would) writes the index the running bot answers from.
    adder = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "newsbot.bot", "add", str(article), "--quiet",
        "--corpus", str(engine.corpus_dir), "--index", str(engine.index_dir), "--state", str(tmp_path / "state"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(adder.communicate(), 120)
    assert adder.returncode == 0, err.decode()
    callback, followup = await fake.run_command("ask", {"question": "when did the zebra parade cross the river?"})
    assert "The zebra parade crossed the river" in json.dumps(followup.json)
