"""newsbot's slash commands: /ask, /sources, /stats, the admin commands /refresh, /add, /remove and /feed, and the "Ask newsbot" message menu.

The commands let the engine's errors rise: `NewsTree.on_error` (discord_bot)
answers them all in one place, after the words in the command's `extras`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from newsbot.bot.audit import AuditEntry, append_audit
from newsbot.bot.discord_state import AnswerState
from newsbot.bot.settings import TOP_K_MAX, TOP_K_MIN
from newsbot.bot.discord_answers import open_thread, send_answer
from newsbot.bot.discord_guard import check_upload_bytes, check_upload_size, safe_upload_name, strip_mentions
from newsbot.bot.discord_lists import (
    FEEDS_PER_PAGE,
    SOURCES_PER_PAGE,
    render_feed_added,
    render_feed_removed,
    render_feeds,
    render_page_added,
    render_problems,
    render_report,
    render_sources_embed,
    render_sources_text,
    render_stats_embed,
    render_stats_text,
)
from newsbot.index import (
    FeedAdded,
    FeedRemoved,
    NewsbotError,
    PageAdded,
    RefreshReport,
    SourceError,
    add_feed,
    add_page_and_refresh,
    file_hash,
    list_feeds,
    parse_date_bound,
    read_file,
    remove_feed,
    source_file,
    sweep_corpus,
)

if TYPE_CHECKING:
    from newsbot.bot.discord_bot import NewsBot

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES = 25  # Discord shows at most 25 suggestions
ASK_MENU = "Ask newsbot"  # the entry in a message's Apps menu
FAILED = "failed"  # the key, in a command's extras, of the words its refusals follow ("Not added: …")


class NewsCommands(commands.Cog):
    """Questions for everyone; corpus changes for Manage Server members of an admin server."""

    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        # Context menus cannot be declared in a cog's body; this one is added to the tree with the cog.
        self._ask_menu = app_commands.ContextMenu(name=ASK_MENU, callback=self.ask_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self._ask_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self._ask_menu.name, type=self._ask_menu.type)

    # -- for everyone -------------------------------------------------------

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, e.g. “when were ambassadors agreed?”",
        since="Only articles published on or after this day: 2025-06-14, 2025-06 or 2025.",
        until="Only articles published on or before this day: 2025-06-14, 2025-06 or 2025.",
        top="How many quotes to show at most (1 to 20; the More button shows further ones).",
    )
    async def ask(
        self, interaction: discord.Interaction, question: str, since: str | None = None, until: str | None = None,
        top: app_commands.Range[int, TOP_K_MIN, TOP_K_MAX] | None = None,
    ) -> None:
        """Ask about the news articles; the answer quotes them word for word, with dates."""
        try:
            first = parse_date_bound(since) if since else None
            last = parse_date_bound(until, end=True) if until else None
        except ValueError as error:
            await interaction.response.send_message(f"{error}.", ephemeral=True)
            return
        state = AnswerState(question, top or self.bot.settings.top_k, first, last)
        message = await self._answer(interaction, state)
        channel = interaction.channel
        if message is not None and self.bot.settings.discord_threads and isinstance(channel, discord.TextChannel):
            await open_thread(channel, message, state.question)

    async def ask_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Ask newsbot the text of a message (the "Ask newsbot" entry of a message's Apps menu)."""
        question = strip_mentions(message.content, self.bot.user.id if self.bot.user else 0)
        if not question:
            await interaction.response.send_message(
                "That message has no text to ask about (only an embed, a file or a sticker).", ephemeral=True
            )
            return
        await self._answer(interaction, AnswerState(question, self.bot.settings.top_k))

    async def _answer(self, interaction: discord.Interaction, state: AnswerState) -> discord.WebhookMessage | None:
        """Answer a question asked by a command, with the answer's buttons; None when it was refused."""
        refusal = self.bot.question_refusal(state.question, interaction.user.id)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return None
        await interaction.response.defer(thinking=True)  # Discord wants a reply within 3 seconds
        # "Yesterday" and "this week" are read against when the question was asked.
        answer = await self.bot.answer(state.question, as_of=interaction.created_at.date(), since=state.since,
                                       until=state.until, top_k=state.top)  # fmt: skip
        return await send_answer(self.bot, interaction, answer, replace(state, question=answer.question))

    @app_commands.command(name="sources")
    @app_commands.describe(page=f"Which page of the list to show ({SOURCES_PER_PAGE} articles a page).")
    async def sources(self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 10_000] = 1) -> None:
        """List the indexed articles with their dates, newest first."""
        sources = await asyncio.to_thread(self.bot.require_engine().sources)
        if interaction.app_permissions.embed_links:
            await interaction.response.send_message(embed=render_sources_embed(sources, page))
        else:
            await interaction.response.send_message(render_sources_text(sources, page))

    @app_commands.command(name="stats")
    async def stats(self, interaction: discord.Interaction) -> None:
        """Show how many articles and passages are indexed, and when the index was last refreshed."""
        stats = await asyncio.to_thread(self.bot.require_engine().stats)
        if interaction.app_permissions.embed_links:
            await interaction.response.send_message(embed=render_stats_embed(stats))
        else:
            await interaction.response.send_message(render_stats_text(stats))

    # -- for Manage Server members of an admin server -----------------------

    @app_commands.command(name="refresh", extras={FAILED: "Refresh failed"})
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def refresh(self, interaction: discord.Interaction) -> None:
        """Re-read the article folder and index what was added, changed or removed."""
        if not await self._admin_allowed(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await asyncio.to_thread(self._refresh, interaction.guild_id, interaction.user.id)
        await interaction.followup.send(render_report(report, action="Refresh"), ephemeral=True)

    @app_commands.command(name="add", extras={FAILED: "Not added"})
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        file="An article file: .txt, .html, .md, .jsonl or .jsonl.gz.",
        url="Or the address of a news article page, fetched and added instead of a file.",
    )
    async def add(
        self, interaction: discord.Interaction, file: discord.Attachment | None = None, url: str | None = None
    ) -> None:
        """Add an article file, or a news article page by its address, to the corpus and index it."""
        if not await self._admin_allowed(interaction):
            return
        if (file is None) == (url is None):
            raise SourceError("give one of file: (an article file to upload) or url: (a news article page), not both or neither")
        if url is not None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            page, report = await asyncio.to_thread(self._add_url, url, interaction.guild_id, interaction.user.id)
            await interaction.followup.send(render_page_added(page, report), ephemeral=True)
            return
        limit = self.bot.settings.max_upload_bytes
        name = safe_upload_name(file.filename)
        check_upload_size(name, file.size, limit)  # before downloading it
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()  # the one download: everything below works on these bytes
        await asyncio.to_thread(check_upload_bytes, name, data, limit)  # decompressing: off the event loop
        report = await asyncio.to_thread(self._add, name, data, interaction.guild_id, interaction.user.id)
        if report.unchanged:
            message = f"`{name}` is already in the corpus with the same content; nothing changed."
        else:
            message = render_report(report, action=f"Added {name}")
        await interaction.followup.send(message, ephemeral=True)

    @app_commands.command(name="remove", extras={FAILED: "Not removed"})
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(source="The article file (or file#id for one JSON-lines article), as /sources lists it.")
    async def remove(self, interaction: discord.Interaction, source: str) -> None:
        """Remove an article file (or one JSON-lines article) from the corpus and the index."""
        if not await self._admin_allowed(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await asyncio.to_thread(self._remove, source, interaction.guild_id, interaction.user.id)
        await interaction.followup.send(render_report(report, action=f"Removed {source}"), ephemeral=True)

    @remove.autocomplete("source")
    async def _remove_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        engine = self.bot.engine
        if engine is None:
            return []
        names: dict[str, None] = {}
        for info in await asyncio.to_thread(engine.sources):
            names.setdefault(source_file(info.source))
            names.setdefault(info.source)
        wanted = current.lower()
        found = [name for name in names if wanted in name.lower() and len(name) <= 100]
        return [app_commands.Choice(name=name, value=name) for name in found[:AUTOCOMPLETE_CHOICES]]

    feed = app_commands.Group(
        name="feed", description="Subscribe to news feeds (RSS, Atom) whose new articles the bot fetches.",
        guild_only=True, default_permissions=discord.Permissions(manage_guild=True),
    )  # fmt: skip

    @feed.command(name="add", extras={FAILED: "Not subscribed"})
    @app_commands.describe(
        url="The feed's address (RSS or Atom), or a news site's page that links its feed.",
        name="A short name for the feed: lower-case letters, digits, - and _ (default: from its title).",
    )
    async def feed_add(self, interaction: discord.Interaction, url: str, name: str | None = None) -> None:
        """Subscribe to a news feed: its new articles are fetched into the corpus and answered from."""
        if not await self._admin_allowed(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await asyncio.to_thread(self._feed_add, url, name, interaction.guild_id, interaction.user.id)
        self.bot.poll_soon()  # its articles now, not at the next poll
        await interaction.followup.send(render_feed_added(added, self.bot.settings.feed_poll_minutes), ephemeral=True)

    @feed.command(name="list")
    @app_commands.describe(page=f"Which page of the list to show ({FEEDS_PER_PAGE} feeds a page).")
    async def feed_list(self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 10_000] = 1) -> None:
        """List the subscribed feeds: articles fetched, last poll, and why it failed if it did."""
        if not await self._admin_allowed(interaction):
            return
        feeds = await asyncio.to_thread(list_feeds, self.bot.settings.resolved_state_dir())
        await interaction.response.send_message(render_feeds(feeds, page), ephemeral=True)

    @feed.command(name="remove", extras={FAILED: "Not removed"})
    @app_commands.describe(
        name="The feed, as /feed list names it.",
        purge="Also remove the articles already fetched from it (default: they stay).",
    )
    async def feed_remove(self, interaction: discord.Interaction, name: str, purge: bool = False) -> None:
        """Unsubscribe from a news feed; its articles stay unless purge is set."""
        if not await self._admin_allowed(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        removed, report = await asyncio.to_thread(self._feed_remove, name, purge, interaction.guild_id, interaction.user.id)
        await interaction.followup.send(render_feed_removed(removed, report), ephemeral=True)

    @feed_remove.autocomplete("name")
    async def _feed_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        try:
            feeds = await asyncio.to_thread(list_feeds, self.bot.settings.resolved_state_dir())
        except NewsbotError:  # an unreadable state file: /feed list says why
            return []
        wanted = current.lower()
        found = [f.name for f in feeds if wanted in f.name.lower() or wanted in f.title.lower()]
        return [app_commands.Choice(name=name, value=name) for name in found[:AUTOCOMPLETE_CHOICES]]

    # -- helpers --------------------------------------------------------------

    async def _admin_allowed(self, interaction: discord.Interaction) -> bool:
        """Refuse (ephemerally) anyone who may not change the corpus here; return whether allowed."""
        admin_guilds = self.bot.settings.admin_guild_ids()
        if not admin_guilds:
            refusal = "Changing the articles from Discord is turned off on this bot (no admin server is set)."
        elif interaction.guild_id not in admin_guilds:
            refusal = "Articles can only be changed from the bot's admin server."
        elif not interaction.permissions.manage_guild:
            refusal = "You need the Manage Server permission to change the articles."
        else:
            return True
        await interaction.response.send_message(refusal, ephemeral=True)
        return False

    def _refresh(self, guild: int | None, user: int) -> RefreshReport:
        engine = self.bot.require_engine()
        sweep_corpus(engine.corpus_dir)  # as `newsbot refresh` does
        report = engine.refresh()
        self._audit("refresh", guild, user, report)
        return report

    def _add(self, name: str, data: bytes, guild: int | None, user: int) -> RefreshReport:
        """Validate an upload in a scratch folder, then add it; the corpus is untouched on refusal.

        Raises SourceError when the upload does not read cleanly as articles, or clashes with a corpus file.
        """
        engine = self.bot.require_engine()
        with tempfile.TemporaryDirectory(prefix="newsbot-upload-") as scratch:
            path = Path(scratch) / name
            path.write_bytes(data)
            articles, problems = read_file(path, Path(scratch), engine.config)
            if problems or not articles:
                reason = render_problems(problems, 1500) if problems else "no article found in it"
                raise SourceError(f"{name} does not read as articles:\n{reason}")
            report = engine.add_files([path])
        self._audit("add", guild, user, report, file=name, sha256=hashlib.sha256(data).hexdigest())
        return report

    def _add_url(self, url: str, guild: int | None, user: int) -> tuple[PageAdded, RefreshReport | None]:
        """Fetch an article page into the corpus and refresh.

        Raises WebError when the page is refused, cannot be fetched or holds no article.
        """
        settings = self.bot.settings
        page, report = add_page_and_refresh(self.bot.require_engine(), settings.resolved_state_dir(), url, policy=settings.web_policy())
        self._audit("add", guild, user, report, file=page.source, url=page.url)
        return page, report

    def _feed_add(self, url: str, name: str | None, guild: int | None, user: int) -> FeedAdded:
        settings = self.bot.settings
        added = add_feed(settings.resolved_state_dir(), url, name=name, policy=settings.web_policy())
        self._audit("feed add", guild, user, url=added.url, feed=added.name)
        return added

    def _feed_remove(self, name: str, purge: bool, guild: int | None, user: int) -> tuple[FeedRemoved, RefreshReport | None]:
        engine = self.bot.require_engine()
        settings = self.bot.settings
        removed = remove_feed(  # purged day files are kept for `newsbot restore`, as /remove keeps its files
            settings.resolved_state_dir(), name, corpus_dir=engine.corpus_dir, purge=purge, keep_dir=settings.removed_dir()
        )
        report = engine.refresh(allow_empty=True) if purge else None  # deleted on purpose: may empty the index
        self._audit("feed remove", guild, user, report, feed=name)
        return removed, report

    def _remove(self, source: str, guild: int | None, user: int) -> RefreshReport:
        engine = self.bot.require_engine()
        corpus = engine.corpus_dir.resolve()
        target = (corpus / source_file(source)).resolve()
        digest = None
        if target.is_relative_to(corpus) and target.is_file():
            digest = file_hash(target)
        report = engine.remove_sources([source], keep_dir=self.bot.settings.removed_dir())
        self._audit("remove", guild, user, report, file=source, sha256=digest)
        return report

    def _audit(
        self, action: str, guild: int | None, user: int, report: RefreshReport | None = None, **details: str | None
    ) -> None:
        """Append who changed what to the audit log: details are AuditEntry's file, sha256, url and feed."""
        changes = {"added": report.added, "changed": report.changed, "removed": report.removed} if report else {}
        entry = AuditEntry(action=action, guild=guild, user=user, **changes, **details)
        append_audit(self.bot.settings.resolved_state_dir(), entry, legacy_index_dir=self.bot.require_engine().index_dir)
