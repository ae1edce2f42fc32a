"""Run the Discord bot: `run_discord` for `newsbot discord`, `serve_discord` on a running event loop.

`run_discord` runs the bot until SIGTERM or SIGINT; a missing or rejected
token is one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

import aiohttp
import discord

from newsbot.bot.discord_bot import create_bot
from newsbot.bot.logs import quiet_noisy_loggers
from newsbot.bot.settings import Settings
from newsbot.index import NewsbotError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2  # a missing or rejected token, or a refused privileged intent
CLOSE_TIMEOUT = 10.0  # seconds to let a closing bot finish before giving up on it
_NO_TOKEN = "newsbot discord: no bot token; set NEWSBOT_DISCORD_TOKEN (or DISCORD_TOKEN) in the environment or .env"


def run_discord(settings: Settings) -> int:
    """Run the Discord bot in the foreground and return the process exit code."""
    if _token(settings) is None:
        print(_NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.INFO)
    quiet_noisy_loggers()
    return asyncio.run(serve_discord(settings))


async def serve_discord(settings: Settings, *, watch_corpus: bool = True) -> int:
    """Run the bot on the running loop until it stops or a stop signal arrives; return the exit code."""
    token = _token(settings)
    if token is None:
        print(_NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    bot = create_bot(settings, watch_corpus=watch_corpus)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows, not off the main thread
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    runner = asyncio.create_task(bot.start(token), name="newsbot-discord")
    stopper = asyncio.create_task(stop.wait(), name="newsbot-stop-signal")
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            log.info("stop signal received; closing")
            await _close(bot, runner)
            return EXIT_OK
        return _exit_code(runner.exception())
    finally:
        stopper.cancel()
        for signum in handled:
            loop.remove_signal_handler(signum)
        if not bot.is_closed():
            await bot.close()


async def _close(bot: discord.Client, runner: asyncio.Task[None]) -> None:
    await bot.close()
    try:
        await asyncio.wait_for(runner, CLOSE_TIMEOUT)
    except TimeoutError:
        log.warning("the bot did not stop within %.0f s; leaving it", CLOSE_TIMEOUT)
    except (asyncio.CancelledError, Exception):
        log.debug("the bot raised while closing", exc_info=True)


def _exit_code(error: BaseException | None) -> int:
    if error is None:
        return EXIT_OK
    if isinstance(error, discord.LoginFailure):
        print("newsbot discord: Discord rejected the bot token; check NEWSBOT_DISCORD_TOKEN", file=sys.stderr)
        return EXIT_CONFIG
    if isinstance(error, discord.PrivilegedIntentsRequired):
        print("newsbot discord: Discord refused a privileged intent; enable Message Content in the "
              "Developer Portal or clear NEWSBOT_DISCORD_ASK_CHANNELS", file=sys.stderr)
        return EXIT_CONFIG
    if isinstance(error, NewsbotError):
        print(f"newsbot discord: {error}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(error, (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError)):
        print(f"newsbot discord: cannot reach Discord: {error}", file=sys.stderr)
        return EXIT_FAILED
    raise error


def _token(settings: Settings) -> str | None:
    secret = settings.discord_token
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value or None
