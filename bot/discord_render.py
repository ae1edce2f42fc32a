"""Turn engine answers and the passages around their quotes into Discord messages.

Everything here is pure: values in, an `Embed` or a string out. Discord's
length limits hold by construction (see discord_text.py), article text is
escaped so it cannot break the markdown around it, and long answers are cut at
quote boundaries with a note saying so. Source lists, stats, reports and feeds
are rendered in discord_lists.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import discord

from newsbot.bot.discord_state import (
    ELLIPSIS,
    FACTS_MARK,
    FACTS_SEPARATOR,
    QUOTE_MARK,
    AnswerState,
    ShownQuote,
    state_line,
    subtext_state_line,
)
from newsbot.bot.discord_text import (
    COLOUR,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    THREAD_NAME_LIMIT,
    TITLE_LIMIT,
    escaped,
    escaped_whole,
    fit,
    left_out,
    note_room,
    one_line,
    source_link,
    truncate,
    whole_blocks,
)
from newsbot.bot.render import NO_ANSWER, TENTATIVE, answer_notes, when_lead
from newsbot.index import Answer, QuestionKind, Quote, format_date

# One quote block stays under 1,800 characters, so the first always fits a 2,000-character message.
_QUOTE_LIMIT = 1200
_VERBATIM = "Quoted word for word from the indexed articles."
ARTICLE_GONE = "That article is no longer in the index (removed or changed since this answer)."
NO_MORE = "No more quotes."
_SHORTEST_CUT_QUOTE = 40  # a quote cut shorter than this to fit is cut as a whole block instead (its facts go too)
_MARK = len(ELLIPSIS + " ")  # what trimmed sentences beside a Passage's quote shrink to at least
_CUT_QUOTE_NEIGHBOURS = 300  # characters a quote too long for a message on its own leaves the sentences around it


def render_answer_embed(answer: Answer, state: AnswerState | None = None) -> discord.Embed:
    """Return an answer as an embed: the question as title, one block quote per quote, the state in the footer.

    With a state whose start is set (a "More" reply), the quotes before it are left out.
    """
    quotes = answer.quotes[state.start:] if state else answer.quotes
    embed = discord.Embed(title=escaped(answer.question, EMBED_TITLE_LIMIT), colour=COLOUR)
    embed.description = _answer_body(answer, quotes, EMBED_DESCRIPTION_LIMIT)
    footer = [] if answer.no_answer else [_VERBATIM]
    if state is not None:
        footer.append(state_line(state))
    if footer:
        embed.set_footer(text="\n".join(footer))
    return embed


def render_answer_text(answer: Answer, state: AnswerState | None = None) -> str:
    """Return an answer as plain message content (for channels without Embed Links), the state on its last line.

    The state line is never cut (buttons and follow-ups read it back); the quotes make room for it.
    """
    quotes = answer.quotes[state.start:] if state else answer.quotes
    if state is None:
        return _answer_body(answer, quotes, CONTENT_LIMIT)
    line = subtext_state_line(state)
    return f"{_answer_body(answer, quotes, CONTENT_LIMIT - len(line) - 1)}\n{line}"


def render_passages(passages: Sequence[tuple[ShownQuote, tuple[str, ...] | None]]) -> str:
    """Return each quoted sentence, whole and in bold, among the sentences around it, or why its article is gone.

    The quotes come first: as many whole ones as fit one message, the rest
    counted in a note. The sentences around them share the room left, each
    side trimmed at its far end ("…"). Only a first quote too long for a
    message on its own is cut.
    """
    if not passages:
        return "This answer quotes nothing."
    parts = [_passage(shown, sentences) for shown, sentences in passages]
    bare = [part.render(_MARK, _MARK) for part in parts]
    shown = whole_blocks([], bare, CONTENT_LIMIT) or 1
    rest = len(parts) - shown
    parts, bare = parts[:shown], bare[:shown]
    room = CONTENT_LIMIT - note_room(rest) - len("\n\n".join(bare))
    wants = [_side_want(side) for part in parts for side in (part.before, part.after)]
    if room < 0:  # the first quote alone is too long: cut it, leaving its neighbours some room
        neighbours = min(sum(wants), _CUT_QUOTE_NEIGHBOURS)
        parts[0] = replace(parts[0], quote=truncate(parts[0].quote, len(parts[0].quote) + room - neighbours))
        room = CONTENT_LIMIT - note_room(rest) - len(parts[0].render(_MARK, _MARK))
    shares = _shares(wants, room)
    blocks = [part.render(_MARK + shares[2 * n], _MARK + shares[2 * n + 1]) for n, part in enumerate(parts)]
    return "\n\n".join([*blocks, left_out(rest)] if rest else blocks)


def thread_name(question: str) -> str:
    """Return the name of a thread opened on an answer: its question, on one line, cut to Discord's limit."""
    return truncate(one_line(question), THREAD_NAME_LIMIT) or "newsbot"


def _answer_body(answer: Answer, quotes: Sequence[Quote], limit: int) -> str:
    """Return the notes and quote blocks within limit; a first block too long to fit whole has its sentence cut."""
    head = _answer_head(answer, quotes)
    blocks = _quote_blocks(quotes)
    if blocks:
        room = limit - note_room(len(blocks) - 1) - (len("\n\n".join(head)) + len("\n\n") if head else 0)
        over = len(blocks[0]) - room
        if over > 0:  # cut the sentence, not the block, so the facts and source stay readable
            text_limit = len(rendered_quote_text(quotes[0])) - over
            if text_limit >= _SHORTEST_CUT_QUOTE:
                blocks[0] = _quote_block(quotes[0], text_limit)
    return fit(head, blocks, limit)


def shows_quote(shown: ShownQuote, quote: Quote) -> bool:
    """Return whether an answer's quote block shows this quote: all of it as rendered, or its start cut short."""
    if shown.rendered == rendered_quote_text(quote):
        return True
    return shown.cut and bool(shown.prefix) and one_line(quote.text).startswith(shown.prefix)


def _answer_head(answer: Answer, quotes: Sequence[Quote]) -> list[str]:
    notes = [escaped(note, _QUOTE_LIMIT) for note in answer_notes(answer)]
    if answer.no_answer:
        return [*notes, NO_ANSWER]
    if not quotes:
        return [*notes, NO_MORE]
    if answer.tentative:
        notes.append(f"*{TENTATIVE}*")
    if answer.kind is QuestionKind.WHEN:
        notes.append(_when_lead(quotes[0]))
    return ["\n".join(notes)] if notes else []


def _when_lead(quote: Quote) -> str:
    return when_lead(quote, lambda day: f"**{day}**")


def _quote_blocks(quotes: Sequence[Quote]) -> list[str]:
    return [_quote_block(quote) for quote in quotes]


def _quote_block(quote: Quote, text_limit: int = _QUOTE_LIMIT) -> str:
    article = quote.article
    facts = [f"**{escaped(article.title, TITLE_LIMIT)}**", _published(article.published)]
    if quote.event_date is not None:
        facts.append(f"about {format_date(quote.event_date)}")
    facts.append(source_link(article.source, article.url))
    # One line, so the block quote marker covers the whole sentence.
    return f"{QUOTE_MARK}{escaped(quote.text, text_limit)}{FACTS_MARK}" + FACTS_SEPARATOR.join(facts)


def rendered_quote_text(quote: Quote) -> str:
    """Return a quote's sentence as an answer shows it (escaped, on one line, cut to fit)."""
    return escaped(quote.text, _QUOTE_LIMIT)


def _published(published: date | None) -> str:
    return f"published {format_date(published)}" if published is not None else "undated"


@dataclass(frozen=True)
class _Passage:
    """One quote of a Passage reply, escaped: its heading, the sentences before it, itself, the sentences after it."""

    head: str  # "source:" and a line break, or the quote mark of a quote whose article is gone
    quote: str
    before: str = ""  # the sentences before the quote, on one line
    after: str = ""
    tail: str = ""  # the line saying its article is gone
    bold: bool = True

    def render(self, before: int, after: int) -> str:
        """Return the block, the sentences before and after the quote trimmed to those many characters."""
        quote = f"**{self.quote}**" if self.bold else self.quote
        return f"{self.head}{_lead_in(self.before, before)}{quote}{_lead_out(self.after, after)}{self.tail}"


def _passage(shown: ShownQuote, sentences: tuple[str, ...] | None) -> _Passage:
    if sentences is None:
        return _Passage(QUOTE_MARK, escaped_whole(shown.text), tail=f"\n{ARTICLE_GONE}", bold=False)
    head = f"{escaped(shown.source, 100)}:\n"
    quoted = next((i for i, s in enumerate(sentences) if s == shown.text), None)
    if quoted is None and shown.cut:  # the answer showed it cut short: the first sentence starting so is it
        quoted = next((i for i, s in enumerate(sentences) if s.startswith(shown.prefix)), None)
    if quoted is None:
        return _Passage(head, escaped_whole(shown.text))
    before, after = sentences[:quoted], sentences[quoted + 1:]
    return _Passage(head, escaped_whole(sentences[quoted]), " ".join(map(escaped_whole, before)),
                    " ".join(map(escaped_whole, after)))  # fmt: skip


def _lead_in(text: str, room: int) -> str:
    """Return the sentences before a quote within room characters, the space before it included: their end kept."""
    if not text or len(text) + 1 <= room:
        return f"{text} " if text else ""
    words = text[len(text) - max(room - _MARK, 0):]
    return ELLIPSIS + (words[words.index(" ") + 1:] if " " in words else "") + " "  # starts on a whole word


def _lead_out(text: str, room: int) -> str:
    """Return the sentences after a quote within room characters, the space after it included: their start kept."""
    if not text or len(text) + 1 <= room:
        return f" {text}" if text else ""
    words = text[:max(room - _MARK, 0) + 1]  # one more: a space just after the last whole word
    return " " + (words[:words.rindex(" ")] if " " in words else "") + ELLIPSIS


def _side_want(text: str) -> int:
    """Return how many characters the sentences on one side of a quote want beyond the bare "…" marking them."""
    return max(len(text) + 1 - _MARK, 0) if text else 0


def _shares(wants: Sequence[int], room: int) -> list[int]:
    """Split room among wants: each gets what it wants or an equal share of what is left, the smaller."""
    shares, room = [0] * len(wants), max(room, 0)
    for done, n in enumerate(sorted(range(len(wants)), key=wants.__getitem__)):
        shares[n] = min(wants[n], room // (len(wants) - done))
        room -= shares[n]
    return shares
