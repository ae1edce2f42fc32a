"""Run one conversation with the Discord bot against the tests' fake Discord and print what the bot sent.

A question by mention, a follow-up by reply, then More, Passage and 👎 on the
follow-up's answer. The real discord.py client talks to the fake over HTTP
and a websocket on 127.0.0.1; every REST request it makes is printed with its
JSON body (long strings trimmed, ids named). `docs/conversation.md` holds its
output.

    python -m benchmarks.conversation
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from newsbot.bot.discord_bot import create_bot
from newsbot.bot.settings import Settings
from tests.bot.fake_discord import FakeDiscord

REPO = Path(__file__).resolve().parents[1]
TRIM = 200  # characters of a string in a body; the rest is "…"
_SNOWFLAKE_RE = re.compile(r"\d{15,}")
_NOISE = {"nonce": None, "enforce_nonce": None, "tts": None, "color": None, "type": "rich", "flags": 0}  # key: the value not worth showing (None: any)


async def run_conversation() -> str:
    """Run the conversation and return its transcript (markdown)."""
    fake = FakeDiscord()
    await fake.start()
    old = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = fake.api, yarl.URL(fake.gateway_url)
    with tempfile.TemporaryDirectory(prefix="newsbot-conversation-") as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        shutil.copy(REPO / "corpus" / "arab_news.txt", corpus / "arab_news.txt")
        settings = Settings(
            _env_file=None, discord_token=fake.token, corpus_dir=corpus, index_dir=Path(scratch) / "index",
            state_dir=Path(scratch) / "state", discord_guild_ids=[fake.guild_id], cooldown_per_minute=0,
            feed_poll_minutes=0,
        )  # fmt: skip
        bot = create_bot(settings, watch_corpus=False)
        runner = asyncio.create_task(bot.start(fake.token))
        try:
            await fake.wait_connected(timeout=30)
            while bot.get_guild(fake.guild_id) is None:
                await asyncio.sleep(0.01)
            return await _converse(fake, bot.user.id)
        finally:
            await bot.close()
            await asyncio.gather(runner, return_exceptions=True)
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old
            await fake.close()


async def _converse(fake: FakeDiscord, bot_id: int) -> str:
    names = _Names(fake)
    lines: list[str] = []

    async def step(said: str, action: Any, wait: tuple[str, str] | None = None) -> Any:
        mark = len(fake.requests)
        result = await action
        if wait is not None:
            await fake.wait_for_request(*wait, after=mark)
        lines.append(f"### {said}\n")
        lines.append("```")
        for request in fake.requests[mark:]:
            lines.append(f"{request.method} {names.path(request.path)}")
            if request.json is not None:
                lines.append(json.dumps(names.body(request.json), ensure_ascii=False, indent=1))
        lines.append("```\n")
        return result

    messages = r"/channels/\d+/messages"
    await step("member: @newsbot when were ambassadors agreed?", fake.send_message(f"<@{bot_id}> when were ambassadors agreed?"), ("POST", messages))
    first = fake.message_of(fake.sent("POST", messages)[-1])
    names.name(first["id"], "answer-1")
    await step("member replies to it: @newsbot and where?",
               fake.send_message(f"<@{bot_id}> and where?", reply_to=first), ("POST", messages))  # fmt: skip
    second = fake.message_of(fake.sent("POST", messages)[-1])
    names.name(second["id"], "answer-2")
    await step("member clicks More under answer-2", fake.click(second, "newsbot:more"))
    await step("member clicks Passage under answer-2", fake.click(second, "newsbot:passage"))
    await step("member clicks 👎 under answer-2", fake.click(second, "newsbot:down"))
    return "\n".join(lines)


class _Names:
    """Readable names for the snowflakes in paths and bodies: the fake's own, then #1, #2, ... by first sight."""

    def __init__(self, fake: FakeDiscord) -> None:
        self._names = {
            str(fake.app_id): "{app}", str(fake.guild_id): "{guild}", str(fake.general.id): "{#general}",
            str(fake.bot_user.id): "{newsbot}", str(fake.member.id): "{member}",
        }  # fmt: skip

    def name(self, snowflake: str, name: str) -> None:
        self._names[snowflake] = "{" + name + "}"

    def path(self, path: str) -> str:
        return _SNOWFLAKE_RE.sub(self._sub, path)

    def body(self, value: Any) -> Any:
        if isinstance(value, dict):
            shown = {k: v for k, v in value.items() if k not in _NOISE or _NOISE[k] not in (None, v)}
            return {key: self._value(key, item) for key, item in shown.items()}
        if isinstance(value, list):
            return [self.body(item) for item in value]
        if isinstance(value, str):
            value = _SNOWFLAKE_RE.sub(self._sub, value)
            return value if len(value) <= TRIM else value[: TRIM - 1] + "…"
        if isinstance(value, int) and not isinstance(value, bool) and value >= 10**15:
            return self._sub(_SNOWFLAKE_RE.match(str(value)))
        return value

    def _value(self, key: str, value: Any) -> Any:
        if key == "components":  # the buttons, as a user sees them
            buttons = [c for row in value for c in row.get("components", [])]
            return " ".join(f"[{(b.get('emoji') or {}).get('name') or b.get('label')}: {b.get('custom_id')}]" for b in buttons)
        return self.body(value)

    def _sub(self, match: re.Match[str]) -> str:
        return self._names.setdefault(match.group(0), f"{{#{len(self._names) - 4}}}")


def main() -> int:
    """Print the transcript."""
    sys.stdout.write(asyncio.run(run_conversation()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
