"""Conversations around an answer: its buttons, follow-up replies, and the "Ask newsbot" message menu.

Nothing here remembers an answer. Each answer message carries its question
and options (discord_state) and shows its quotes; a button click or a reply
reads them back from the message and asks the index again. So the buttons
keep working after a restart, and in another process of the same bot: the
view is registered once with fixed custom ids (`AnswerView`, in setup_hook),
and answers are sent with a stopped copy of it, which Discord shows but
discord.py does not keep per message.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import ui

from newsbot.bot.discord_render import (
    NO_MORE,
    render_answer_embed,
    render_answer_text,
    render_passages,
    shows_quote,
    thread_name,
)
from newsbot.bot.discord_state import AnswerState, ShownQuote, read_state, shown_quotes
from newsbot.bot.feedback import cast_vote
from newsbot.index import Answer

if TYPE_CHECKING:
    from newsbot.bot.discord_bot import NewsBot

log = logging.getLogger(__name__)

MORE_ID = "newsbot:more"
PASSAGE_ID = "newsbot:passage"
VOTE_IDS = {"newsbot:up": "up", "newsbot:down": "down"}
VOTE_EMOJI = {"up": "👍", "down": "👎"}
NOT_AN_ANSWER = "I can't read that answer any more (it comes from an older newsbot): please ask again."
STALE = "This answer is older than the index (articles were added, changed or removed since): please ask again."
NO_QUOTES = "This answer quotes nothing."
THANKS = "Thanks — noted."


class AnswerView(ui.View):
    """The buttons under every answer: More, Passage, 👍 and 👎 (persistent: registered once, fixed ids)."""

    def __init__(self, bot: NewsBot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    @ui.button(label="More", style=discord.ButtonStyle.secondary, custom_id=MORE_ID)
    async def more(self, interaction: discord.Interaction, button: ui.Button[AnswerView]) -> None:
        """Show the next quotes for the same question, after those already shown."""
        await show_more(self.bot, interaction)

    @ui.button(label="Passage", style=discord.ButtonStyle.secondary, custom_id=PASSAGE_ID)
    async def passage(self, interaction: discord.Interaction, button: ui.Button[AnswerView]) -> None:
        """Show each quoted sentence with the sentences around it in its article."""
        await show_passages(self.bot, interaction)

    @ui.button(emoji=VOTE_EMOJI["up"], style=discord.ButtonStyle.secondary, custom_id="newsbot:up")
    async def up(self, interaction: discord.Interaction, button: ui.Button[AnswerView]) -> None:
        """Record that this answer helped."""
        await vote(self.bot, interaction, "up")

    @ui.button(emoji=VOTE_EMOJI["down"], style=discord.ButtonStyle.secondary, custom_id="newsbot:down")
    async def down(self, interaction: discord.Interaction, button: ui.Button[AnswerView]) -> None:
        """Record that this answer did not help."""
        await vote(self.bot, interaction, "down")

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: ui.Item[AnswerView]) -> None:
        await self.bot.tell_failure(interaction, error, f"button {getattr(item, 'custom_id', '?')}")


class _MoreOnly(ui.View):
    """The one button under a "More" reply; its clicks reach AnswerView's More by the shared custom id."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(ui.Button(label="More", style=discord.ButtonStyle.secondary, custom_id=MORE_ID))


def answer_buttons(bot: NewsBot) -> ui.View:
    """Return the buttons to send under an answer."""
    return _sent(AnswerView(bot))


def _sent(view: ui.View) -> ui.View:
    # A live view is stored per message it is sent with, for as long as the bot runs; a stopped
    # one is only drawn. Its clicks reach the one AnswerView registered in setup_hook.
    view.stop()
    return view


async def send_answer(
    bot: NewsBot, interaction: discord.Interaction, answer: Answer, state: AnswerState, *, ephemeral: bool = False
) -> discord.WebhookMessage:
    """Send an answer as the interaction's follow-up, with its buttons (only More under a "More" reply)."""
    view = _sent(_MoreOnly()) if state.start else answer_buttons(bot)
    if interaction.app_permissions.embed_links:
        return await interaction.followup.send(embed=render_answer_embed(answer, state), view=view, ephemeral=ephemeral)
    return await interaction.followup.send(render_answer_text(answer, state), view=view, ephemeral=ephemeral)


async def open_thread(channel: discord.TextChannel, message: discord.abc.Snowflake, question: str) -> None:
    """Open a thread on an answer, named after its question, so a conversation stays together."""
    try:
        await channel.create_thread(name=thread_name(question), message=message)
    except discord.HTTPException:  # no Create Public Threads permission here, say: the answer stands alone
        log.warning("could not open a thread on answer %s in channel %s", message.id, channel.id, exc_info=True)


# -- the buttons ----------------------------------------------------------------


async def _start_search(bot: NewsBot, interaction: discord.Interaction) -> bool:
    """Count a button's search against the clicker's cooldown; defer (ephemeral) and return True, or say why not."""
    refusal = bot.cooldown_refusal(interaction.user.id)
    if refusal:
        await _say(interaction, refusal)
        return False
    await interaction.response.defer(ephemeral=True, thinking=True)
    return True


async def show_more(bot: NewsBot, interaction: discord.Interaction) -> None:
    """Answer a More click: ask again for more quotes and show those after the ones already shown (ephemeral)."""
    message = interaction.message
    state = read_state(message) if message else None
    if message is None or state is None:
        await _say(interaction, NOT_AN_ANSWER)
        return
    if not await _start_search(bot, interaction):
        return
    shown = shown_quotes(message)
    start = state.start + len(shown)
    answer = await bot.answer(
        state.question, as_of=message.created_at.date(), since=state.since, until=state.until, top_k=start + state.top
    )  # fmt: skip
    # Asked again, the index must give the quotes this message shows where it showed them;
    # if it does not, the index changed since, and "the next ones" would mean nothing.
    again = answer.quotes[state.start:start]
    if len(again) != len(shown) or not all(map(shows_quote, shown, again)):
        await interaction.followup.send(STALE, ephemeral=True)
    elif len(answer.quotes) <= start:
        await interaction.followup.send(NO_MORE, ephemeral=True)
    else:
        await send_answer(bot, interaction, answer, replace(state, start=start), ephemeral=True)


async def show_passages(bot: NewsBot, interaction: discord.Interaction) -> None:
    """Answer a Passage click: each quoted sentence among its neighbours in the article (ephemeral)."""
    message = interaction.message
    shown = shown_quotes(message) if message else ()
    if not shown:
        await _say(interaction, NO_QUOTES if message and read_state(message) else NOT_AN_ANSWER)
        return
    if not await _start_search(bot, interaction):
        return
    engine = bot.require_engine()

    def around() -> list[tuple[ShownQuote, tuple[str, ...] | None]]:
        # A quote shown cut short to fit Discord is looked up by the start it shows.
        return [(quote, engine.sentences_around(quote.source, quote.prefix if quote.cut else quote.text, prefix=quote.cut))
                for quote in shown]

    await interaction.followup.send(render_passages(await asyncio.to_thread(around)), ephemeral=True)


async def vote(bot: NewsBot, interaction: discord.Interaction, verdict: str) -> None:
    """Record a 👍 or 👎 on an answer (the newest click of a user counts) and thank them (ephemeral)."""
    message = interaction.message
    state = read_state(message) if message else None
    if message is None or state is None:
        await _say(interaction, NOT_AN_ANSWER)
        return
    # Acknowledged before the log is touched, as the other buttons' searches are: the first vote
    # since the bot started reads the whole log (seconds for a long one), and Discord waits 3 s.
    await interaction.response.defer(ephemeral=True, thinking=True)
    quotes = [quote.text for quote in shown_quotes(message)]
    before = await asyncio.to_thread(
        cast_vote, bot.settings.resolved_state_dir(), guild=interaction.guild_id, user=interaction.user.id,
        answer=message.id, question=state.question, quotes=quotes, verdict=verdict,
    )  # fmt: skip
    if before is None:
        reply = THANKS
    elif before == verdict:
        reply = f"You had already voted {VOTE_EMOJI[verdict]}; it stays."
    else:
        reply = f"Changed your vote to {VOTE_EMOJI[verdict]}."
    await interaction.followup.send(reply, ephemeral=True)


async def _say(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True)


# -- follow-ups -----------------------------------------------------------------


async def previous_answer(bot: NewsBot, message: discord.Message) -> AnswerState | None:
    """Return the state of the answer a message follows up on, or None when it follows none of this bot's answers.

    That is the bot's answer it replies to, or, in a thread the bot opened, the
    answer the thread was opened on. A deleted answer, another bot's message or
    a user's is none: the message is then a fresh question.
    """
    me = bot.user
    target: discord.Message | None = None
    reference = message.reference
    if reference is not None and reference.message_id is not None:
        if isinstance(reference.resolved, discord.Message):
            target = reference.resolved
        elif not isinstance(reference.resolved, discord.DeletedReferencedMessage):
            target = await _fetch(message.channel, reference.message_id)
    elif isinstance(message.channel, discord.Thread) and me is not None and message.channel.owner_id == me.id:
        parent = message.channel.parent
        if parent is not None:  # a thread opened on a message shares that message's id
            target = await _fetch(parent, message.channel.id)
    if target is None or me is None or target.author.id != me.id:
        return None
    return read_state(target)


async def _fetch(channel: object, message_id: int) -> discord.Message | None:
    fetch = getattr(channel, "fetch_message", None)
    if fetch is None:
        return None
    try:
        return await fetch(message_id)
    except discord.HTTPException:  # deleted since, or not ours to read
        log.debug("could not fetch message %s", message_id, exc_info=True)
        return None
