"""The Discord bot: a `commands.Bot` made by `create_bot` (run by discord_run.py for `newsbot discord`).

Nothing happens at import time or in `create_bot`: the engine is loaded in
`setup_hook` (after login, off the event loop), the slash commands are synced
there too, and the corpus watcher and the feed poller start there and stop on
`close`.

Errors are answered in two places only: `NewsTree.on_error` for every slash
command and `NewsBot.on_message` for mentions. The engine's refusals
(`NewsbotError`) reach the user as they are; anything else is logged with its
traceback and the user gets a short apology.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import discord
from discord import app_commands
from discord.ext import commands

from newsbot.bot.discord_background import BackgroundWork
from newsbot.bot.discord_answers import AnswerView, answer_buttons, previous_answer
from newsbot.bot.discord_commands import FAILED, NewsCommands
from newsbot.bot.discord_guard import Cooldown, is_chit_chat, question_refusal, strip_mentions
from newsbot.bot.discord_lists import render_failure
from newsbot.bot.discord_render import render_answer_embed, render_answer_text
from newsbot.bot.discord_state import AnswerState
from newsbot.bot.settings import Settings, get_settings
from newsbot.index import Answer, Engine, NewsbotError, load

log = logging.getLogger(__name__)

ERROR_REPLY = "Sorry, something went wrong there. It has been logged; please try again later."
ROLE_MENTION_UNREAD = ("That mentions my role, and Discord did not show me the text. "
                       "Mention me, the bot, rather than my role, or use `/ask`.")  # fmt: skip
# discord.py warns at every start that it cannot do voice; this bot never joins a voice channel.
_VOICE_LOGGER = "discord.client"
_VOICE_WARNINGS = frozenset({
    "PyNaCl is not installed, voice will NOT be supported",
    "davey is not installed, voice will NOT be supported",
})


class NewsTree(app_commands.CommandTree):
    """The command tree: every slash command's error is answered here, ephemerally."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        # What a command raised comes wrapped in CommandInvokeError; the engine's refusals are inside.
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        command = interaction.command
        name = command.qualified_name if command else "?"  # "feed add" for a subcommand
        failed = command.extras.get(FAILED) if command else None
        await tell_failure(interaction, cause, f"/{name}", failed)


async def tell_failure(
    interaction: discord.Interaction, error: BaseException, what: str, failed: str | None = None
) -> None:
    """Tell the user ephemerally what went wrong in a command or a button; log anything but the engine's refusal."""
    where = f"{what} (guild {interaction.guild_id}, user {interaction.user.id})"
    reply = _failure_reply(error, where, failed)
    try:
        if interaction.response.is_done():  # deferred, or already answered: only a follow-up is left
            await interaction.followup.send(reply, ephemeral=True)
        else:
            await interaction.response.send_message(reply, ephemeral=True)
    except discord.HTTPException:
        log.exception("could not tell the user about the error in %s", what)


class _NoVoiceWarnings(logging.Filter):
    """Drop discord.py's warnings that voice libraries are missing; every other record passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg in _VOICE_WARNINGS)


class NewsBot(BackgroundWork, commands.Bot):
    """newsbot on Discord: /ask and friends, mentions and follow-up replies, ask channels, answer buttons."""

    def __init__(self, settings: Settings, *, watch_corpus: bool = True) -> None:
        _silence_voice_warnings()  # before discord.Client.__init__, which warns
        intents = discord.Intents.default()
        intents.typing = False
        intents.presences = False
        # Privileged: only asked for when ask channels need to read every message.
        intents.message_content = bool(settings.discord_ask_channels)
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: messages are handled in on_message
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=NewsTree,
            **_shard_options(settings),
        )
        self.settings = settings
        self.engine: Engine | None = None
        self.cooldown = Cooldown(settings.cooldown_per_minute)
        self._watch_corpus = watch_corpus
        self._watch_stop = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None
        self._poller: asyncio.Task[None] | None = None
        self._upgrader: asyncio.Task[None] | None = None
        self._poll_now = asyncio.Event()
        # Answers are pure Python work: threads would only take turns at the GIL and
        # starve the event loop, so one thread answers, one question after another.
        self._answering = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbot-answer")

    # -- start and stop -------------------------------------------------------

    async def setup_hook(self) -> None:
        self._check_message_content_intent()
        corpus, index_dir = self.settings.resolved_corpus_dir(), self.settings.resolved_index_dir()
        log.info("loading the index of %s (in %s)", corpus, index_dir)
        # An index of the previous format answers at once; its rebuild runs in the background (below).
        opening = functools.partial(load, corpus, index_dir, self.settings.index_config(), rebuild_in_background=True)
        self.engine = await asyncio.to_thread(opening)
        await asyncio.to_thread(self.engine.warm)  # the first burst of questions should not pay for first reads
        if self.engine.upgrade_pending:
            self._upgrader = asyncio.create_task(self._upgrade_index(), name="newsbot-index-upgrade")
        await self.add_cog(NewsCommands(self))
        self.add_view(AnswerView(self))  # the buttons of every answer, this run's and earlier ones'
        await self._sync_commands()
        if self._watch_corpus:
            self._watcher = asyncio.create_task(self._watch(self.engine.corpus_dir), name="newsbot-corpus-watcher")
        if self.settings.feed_poll_minutes > 0:
            self._poller = asyncio.create_task(self._poll_feeds(), name="newsbot-feed-poller")

    async def close(self) -> None:
        await self._stop_upgrader()
        await self._stop_poller()
        await self._stop_watcher()
        await super().close()
        self._answering.shutdown(wait=False, cancel_futures=True)

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))
        # What is loaded by now (the index's articles, discord.py's caches) lives as long
        # as the bot: kept out of the collector's full passes, which would otherwise walk
        # it all and stall the event loop for tens of milliseconds under load.
        gc.collect()
        gc.freeze()

    def _check_message_content_intent(self) -> None:
        if not self.settings.discord_ask_channels:
            return
        flags = self.application_flags
        if flags.gateway_message_content or flags.gateway_message_content_limited:
            return
        log.warning(
            "ask channels are set (NEWSBOT_DISCORD_ASK_CHANNELS) but the Message Content intent is not "
            "enabled for this bot (Developer Portal > Bot > Privileged Gateway Intents); "
            "those channels answer mentions only until it is"
        )
        # Discord refuses the whole connection when a privileged intent is asked for but not granted,
        # and discord.py has no public way to change intents after construction.
        self._connection._intents.message_content = False

    async def _sync_commands(self) -> None:
        """Sync to the configured guilds (instant) or, with none, globally; never both, which shows commands twice."""
        guild_ids = self.settings.discord_guild_ids
        for guild in [discord.Object(id=guild_id) for guild_id in guild_ids] or [None]:
            where = f"server {guild.id}" if guild else "all servers (global commands can take a while to appear)"
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException:
                log.exception("could not sync the slash commands to %s; the old ones stay in place", where)
            else:
                log.info("synced %d slash command(s) to %s", len(synced), where)

    # -- answering --------------------------------------------------------------

    def require_engine(self) -> Engine:
        """Return the loaded engine (it is loaded in setup_hook, before any event arrives)."""
        if self.engine is None:
            raise RuntimeError("the engine is not loaded yet")
        return self.engine

    def question_refusal(self, question: str, user_id: int) -> str | None:
        """Return why a question is refused (too long, too soon), or None; an accepted question counts."""
        return question_refusal(question, self.settings.max_question_chars) or self.cooldown_refusal(user_id)

    def cooldown_refusal(self, user_id: int) -> str | None:
        """Count one search (a question, a More or a Passage click); return why it is refused when too soon."""
        wait = self.cooldown.hit(user_id)
        return f"You're asking quickly: try again in {wait} s." if wait is not None else None

    async def answer(
        self, question: str, *, as_of: date | None = None, since: date | None = None, until: date | None = None,
        top_k: int | None = None,
    ) -> Answer:
        """Answer a question off the event loop; time words are read against as_of (the message's day).

        top_k defaults to NEWSBOT_TOP_K. Raises QuestionError for a question with no
        searchable word, or a range that ends before it starts.
        """
        engine = self.require_engine()
        top_k = top_k or self.settings.top_k
        answer = functools.partial(engine.answer, question, top_k, as_of=as_of, since=since, until=until)
        return await asyncio.get_running_loop().run_in_executor(self._answering, answer)

    async def tell_failure(self, interaction: discord.Interaction, error: BaseException, what: str) -> None:
        """Tell the user ephemerally what went wrong in a button (see `tell_failure`)."""
        await tell_failure(interaction, error, what)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return  # other bots, and ourselves
        role = message.guild.self_role if message.guild is not None else None
        by_name = any(user.id == self.user.id for user in message.mentions)
        # Discord's @-autocomplete offers the bot's own role beside the bot: either is a mention of it.
        by_role = role is not None and any(mention.id == role.id for mention in message.role_mentions)
        mentioned = by_name or by_role
        if not mentioned and message.channel.id not in self.settings.discord_ask_channels:
            return
        question = strip_mentions(message.content, self.user.id, role.id if role is not None else None)
        if not question and not mentioned:
            return  # an ask-channel message with no text (or no content intent)
        if is_chit_chat(question):
            # "thanks!" under an answer: on a busy server a reply to each would be noise, and
            # replying to the bot pings it, so these arrive as mentions.
            log.debug("message %s asks nothing; not answered", message.id)
            return
        try:
            if not question and by_role and not by_name and not self.intents.message_content:
                # Discord shows a bot the text of messages that mention it by name; of one that
                # names its role, without the intent, perhaps none.
                await message.reply(ROLE_MENTION_UNREAD, mention_author=False)
                return
            follows = bool(question) and self.require_engine().is_follow_up(question)
            previous = await previous_answer(self, message) if follows else None
            await self._reply_to_question(message, question, previous)
        except Exception as error:
            where = f"answering message {message.id} (channel {message.channel.id}, user {message.author.id})"
            try:
                await message.reply(_failure_reply(error, where), mention_author=False)
            except discord.HTTPException:
                log.exception("could not tell the user about the error in %s", where)

    async def _reply_to_question(self, message: discord.Message, question: str, previous: AnswerState | None) -> None:
        """Answer a mention; a follow-up of an answer (previous) is read with that answer's question and options."""
        refusal = self.question_refusal(question, message.author.id)
        if refusal:
            await message.reply(refusal, mention_author=False)
            return
        state = AnswerState(question, self.settings.top_k)
        if previous is not None:
            state = replace(previous, question=self.require_engine().follow_up(previous.question, question), start=0)
            limit = self.settings.max_question_chars
            if len(state.question) > limit:  # the answer could not carry it whole for its buttons
                await message.reply(f"Read with the answer it replies to, that question is {len(state.question):,} "
                                    f"characters long; the limit is {limit:,}. Please ask it on its own.",
                                    mention_author=False)  # fmt: skip
                return
        answer = await self.answer(state.question, as_of=message.created_at.date(), since=state.since,
                                   until=state.until, top_k=state.top)  # fmt: skip
        state = replace(state, question=answer.question)
        buttons = answer_buttons(self)
        if _can_embed(message):
            await message.reply(embed=render_answer_embed(answer, state), view=buttons, mention_author=False)
        else:
            await message.reply(render_answer_text(answer, state), view=buttons, mention_author=False)


class ShardedNewsBot(NewsBot, commands.AutoShardedBot):
    """newsbot on several gateway connections (shards): NEWSBOT_DISCORD_SHARDS, and NEWSBOT_DISCORD_SHARD_IDS."""


def create_bot(settings: Settings | None = None, *, watch_corpus: bool = True) -> NewsBot:
    """Return an unstarted bot, sharded when NEWSBOT_DISCORD_SHARDS is set; with no settings they are read from the environment and `.env`.

    watch_corpus=False leaves the corpus folder unwatched (changes then need /refresh).
    """
    settings = settings if settings is not None else get_settings()
    kind = ShardedNewsBot if settings.sharded() else NewsBot
    return kind(settings, watch_corpus=watch_corpus)


def _shard_options(settings: Settings) -> dict[str, object]:
    """Return the sharding keywords of discord.py's AutoShardedClient (none without NEWSBOT_DISCORD_SHARDS)."""
    if not settings.sharded():
        return {}
    count = settings.discord_shards
    # shard_count None asks Discord (GET /gateway/bot) how many shards to run.
    return {"shard_count": count if isinstance(count, int) else None, "shard_ids": settings.discord_shard_ids}


def _failure_reply(error: BaseException, where: str, failed: str | None = None) -> str:
    """Return what the user is told about an error; anything but the engine's refusal is logged with its traceback."""
    if isinstance(error, NewsbotError):
        log.info("%s refused: %s", where, error)
        return render_failure(error, failed)
    log.exception("%s failed", where, exc_info=error)
    return ERROR_REPLY


def _silence_voice_warnings() -> None:
    """Filter discord.py's voice warnings out of its client logger (once, however many bots are made)."""
    logger = logging.getLogger(_VOICE_LOGGER)
    if not any(isinstance(installed, _NoVoiceWarnings) for installed in logger.filters):
        logger.addFilter(_NoVoiceWarnings())


def _can_embed(message: discord.Message) -> bool:
    if message.guild is None:
        return True
    return message.channel.permissions_for(message.guild.me).embed_links
