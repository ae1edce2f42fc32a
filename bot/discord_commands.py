"""newsbot's slash commands: /ask, /sources, /stats, and the admin commands /refresh, /add, /remove.

The commands let the engine's errors rise: `NewsTree.on_error` (discord_bot)
answers them all in one place, after the words in the command's `extras`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from newsbot.bot.audit import AuditEntry, append_audit
from newsbot.bot.discord_guard import check_upload_bytes, check_upload_size, safe_upload_name
from newsbot.bot.discord_render import (
    render_answer_embed,
    render_answer_text,
    render_problems,
    render_report,
    render_sources_embed,
    render_sources_text,
    render_stats_embed,
    render_stats_text,
)
from newsbot.index import RefreshReport, SourceError, file_hash, parse_date_bound, read_file, source_file

if TYPE_CHECKING:
    from newsbot.bot.discord_bot import NewsBot

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES = 25  # Discord shows at most 25 suggestions
FAILED = "failed"  # the key, in a command's extras, of the words its refusals follow ("Not added: …")


class NewsCommands(commands.Cog):
    """Questions for everyone; corpus changes for Manage Server members of an admin server."""

    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    # -- for everyone -------------------------------------------------------

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, e.g. “when were ambassadors agreed?”",
        since="Only articles published on or after this day: 2025-06-14, 2025-06 or 2025.",
        until="Only articles published on or before this day: 2025-06-14, 2025-06 or 2025.",
    )
    async def ask(
        self, interaction: discord.Interaction, question: str, since: str | None = None, until: str | None = None
    ) -> None:
        """Ask about the news articles; the answer quotes them word for word, with dates."""
        try:
            first = parse_date_bound(since) if since else None
            last = parse_date_bound(until, end=True) if until else None
        except ValueError as error:
            await interaction.response.send_message(f"{error}.", ephemeral=True)
            return
        refusal = self.bot.question_refusal(question, interaction.user.id)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        await interaction.response.defer(thinking=True)  # Discord wants a reply within 3 seconds
        # "Yesterday" and "this week" are read against when the question was asked.
        answer = await self.bot.answer(question, as_of=interaction.created_at.date(), since=first, until=last)
        if interaction.app_permissions.embed_links:
            await interaction.followup.send(embed=render_answer_embed(answer))
        else:
            await interaction.followup.send(render_answer_text(answer))

    @app_commands.command(name="sources")
    @app_commands.describe(page="Which page of the list to show (10 articles a page).")
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
    @app_commands.describe(file="An article file: .txt, .jsonl or .jsonl.gz.")
    async def add(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Add an article file to the corpus and index it."""
        if not await self._admin_allowed(interaction):
            return
        limit = self.bot.settings.max_upload_bytes
        name = safe_upload_name(file.filename)
        check_upload_size(name, file.size, limit)  # before downloading it
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()  # the one download: everything below works on these bytes
        check_upload_bytes(name, data, limit)
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
        self, action: str, guild: int | None, user: int, report: RefreshReport,
        *, file: str | None = None, sha256: str | None = None,
    ) -> None:
        entry = AuditEntry(
            action=action, guild=guild, user=user, file=file, sha256=sha256,
            added=report.added, changed=report.changed, removed=report.removed,
        )
        append_audit(self.bot.settings.resolved_state_dir(), entry, legacy_index_dir=self.bot.require_engine().index_dir)
