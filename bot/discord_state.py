"""What an answer message carries, so replies to it and its buttons need no memory of it.

Every answer ends with a state line: the question and the options it was
asked with ("Q: who mediated? · top 3 · since 2025-06-01"), in the embed's
footer or, for a plain-text answer, as the message's last (subtext) line.
The quotes an answer shows are read back from its quote blocks. A bot
restarted since, or another process of it, reads the same message the same
way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import discord
from discord.utils import escape_markdown

STATE_PREFIX = "Q: "
SUBTEXT = "-# "  # Discord's small grey line: where a plain-text answer keeps its state
QUOTE_MARK = "> "  # a quote block: "> sentence" then a line of facts, its source last
FACTS_MARK = "\n— "
FACTS_SEPARATOR = " · "
ELLIPSIS = "…"  # what marks text an answer cut short to fit Discord's limits
_STATE_RE = re.compile(
    r"Q: (?P<question>.+) · top (?P<top>\d+)"
    r"(?: · since (?P<since>\d{4}-\d\d-\d\d))?(?: · until (?P<until>\d{4}-\d\d-\d\d))?(?: · after (?P<start>\d+))?",
    re.DOTALL,
)  # greedy: a question that itself holds " · top 3" still ends at the last one
_QUOTE_BLOCK_RE = re.compile(r"^> (?P<text>.*)\n— (?P<facts>.*)$", re.MULTILINE)
_LINKED_SOURCE_RE = re.compile(r"\[(?P<name>.*)\]\(<[^>]*>\)")
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class AnswerState:
    """What an answer was asked: the question, how many quotes, the date range, and how many came before."""

    question: str
    top: int
    since: date | None = None
    until: date | None = None
    start: int = 0  # quotes shown before this message's (a "More" reply shows the ones after them)


@dataclass(frozen=True)
class ShownQuote:
    """A quote as an answer message shows it: its sentence and source (read back), and the block's text as rendered."""

    text: str
    source: str
    rendered: str

    @property
    def cut(self) -> bool:
        """Whether the answer may show the sentence cut short (its text then ends in "…")."""
        return self.text.endswith(ELLIPSIS)

    @property
    def prefix(self) -> str:
        """Return the part of the sentence the answer shows: its start, when it was cut short."""
        return self.text.removesuffix(ELLIPSIS).rstrip()


def state_line(state: AnswerState) -> str:
    """Return the line an answer carries its state in (plain text: embed footers show no markdown).

    The whole question, never cut: a button or a follow-up asks it again, and a
    cut question would be another one. Settings' MAX_QUESTION_CHARS keeps it short
    enough to fit.
    """
    question = " ".join(state.question.split())
    parts = [f"{STATE_PREFIX}{question}", f"top {state.top}"]
    if state.since is not None:
        parts.append(f"since {state.since.isoformat()}")
    if state.until is not None:
        parts.append(f"until {state.until.isoformat()}")
    if state.start:
        parts.append(f"after {state.start}")
    return FACTS_SEPARATOR.join(parts)


def subtext_state_line(state: AnswerState) -> str:
    """Return the state line as a plain-text answer's last line: subtext, its question escaped."""
    return SUBTEXT + escape_markdown(state_line(state))


def read_state(message: discord.Message) -> AnswerState | None:
    """Return the state an answer message carries, or None when it carries none (not an answer, or an older one)."""
    line = _state_text(message)
    found = _STATE_RE.fullmatch(line) if line else None
    if found is None:
        return None
    try:
        since = date.fromisoformat(found["since"]) if found["since"] else None
        until = date.fromisoformat(found["until"]) if found["until"] else None
    except ValueError:
        return None
    return AnswerState(found["question"], int(found["top"]), since, until, int(found["start"] or 0))


def shown_quotes(message: discord.Message) -> tuple[ShownQuote, ...]:
    """Return the quotes an answer message shows, in order (a block cut short by Discord's limits is left out)."""
    body = message.embeds[0].description if message.embeds else message.content
    quotes = []
    for block in _QUOTE_BLOCK_RE.finditer(body or ""):
        source = block["facts"].rsplit(FACTS_SEPARATOR, 1)[-1]
        linked = _LINKED_SOURCE_RE.fullmatch(source)
        name = linked["name"] if linked else source
        quotes.append(ShownQuote(unescape(block["text"]), unescape(name), block["text"]))
    return tuple(quotes)


def unescape(text: str) -> str:
    """Undo discord.py's escape_markdown, which puts a backslash before each character it escapes."""
    return _ESCAPE_RE.sub(r"\1", text)


def _state_text(message: discord.Message) -> str | None:
    if message.embeds:
        footer = message.embeds[0].footer.text or ""
        return footer.rsplit("\n", 1)[-1]
    last = (message.content or "").rsplit("\n", 1)[-1]
    return unescape(last[len(SUBTEXT):]) if last.startswith(SUBTEXT) else None
