"""A format upgrade: the bot answers from the old index while the new one is built in the background."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

from newsbot.index import load
from newsbot.index.storage.locks import writer_lock
from newsbot.index.storage.store import FORMAT_VERSION, MANIFEST
from tests.conftest import as_format

QUESTION = "when were ambassadors agreed?"
UPGRADE_SECONDS = 20.0  # the tiny corpus rebuilds in well under a second once the lock is free


def _format(index_dir: Path) -> int:
    return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["format"]


async def test_the_bot_answers_from_the_old_index_while_it_is_rebuilt(
    fake, start_bot, corpus: Path, tmp_path: Path, caplog
) -> None:
    index_dir = tmp_path / "index"
    load(corpus, index_dir)
    as_format(index_dir, 11)
    caplog.set_level(logging.INFO, logger="newsbot.bot.discord_background")
    # Another writer holds the index: the upgrade waits for it, so it is surely pending while the bot is asked.
    with writer_lock(index_dir):
        bot = await start_bot()
        assert "format 11" in bot.require_engine().upgrade_pending
        _, followup = await fake.ask(QUESTION)
        assert "send ambassadors to each other’s capitals" in followup.json["embeds"][0]["description"]
        assert _format(index_dir) == 11
    for _ in range(int(UPGRADE_SECONDS * 10)):
        if "the index is rebuilt" in caplog.text:  # logged once the new index answers
            break
        await asyncio.sleep(0.1)
    assert _format(index_dir) == FORMAT_VERSION and bot.require_engine().upgrade_pending is None
    assert "format 11, rebuilding it as format 12 in the background" in caplog.text
    assert "rebuilding the index: indexing (bytes) 0%" in caplog.text and "indexing (bytes) 100%" in caplog.text
    _, followup = await fake.ask(QUESTION)
    assert "send ambassadors to each other’s capitals" in followup.json["embeds"][0]["description"]
