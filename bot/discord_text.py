"""Text for Discord: its length limits, markdown escaped, cuts at word and block boundaries, links.

Everything here is pure. Text from articles and users is escaped so it cannot
break the markdown around it; what does not fit is cut with a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import discord
from discord.utils import escape_markdown

from newsbot.bot.discord_state import ELLIPSIS

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
# Discord's documented limits (https://discord.com/developers/docs/resources/message).
CONTENT_LIMIT = 2000  # characters of message content
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # title + description + fields + footer + author, all together
THREAD_NAME_LIMIT = 100  # https://discord.com/developers/docs/resources/channel (name, 1-100 characters)

TITLE_LIMIT = 250
COLOUR = discord.Colour.blurple()
_SPACE_RE = re.compile(r"\s+")
# What a source name escapes: markdown, and the brackets that would end the link text it sits in.
_SOURCE_MARKDOWN_RE = re.compile(r"([\\_*~|`#<>\[\]])")
# A link target we are willing to put inside markdown: http(s), no spaces, no parentheses or angle brackets.
_SAFE_URL_RE = re.compile(r"https?://[^\s()<>]+")


def fit(head: list[str], blocks: list[str], limit: int, *, separator: str = "\n\n") -> str:
    """Join head and as many whole blocks as fit in limit, with a note on how many were left out."""
    parts = [truncate(part, limit) for part in head]
    shown = whole_blocks(parts, blocks, limit, separator)
    parts += blocks[:shown]
    if blocks and not shown:
        # Not even one whole block fits: show the first one cut, rather than nothing.
        room = limit - len(separator.join(parts)) - len(separator) * bool(parts) - note_room(len(blocks) - 1, separator)
        parts.append(truncate(blocks[0], max(room, 1)))
        shown = 1
    if shown < len(blocks):
        parts.append(left_out(len(blocks) - shown))
    return truncate(separator.join(parts), limit)


def whole_blocks(head: list[str], blocks: list[str], limit: int, separator: str = "\n\n") -> int:
    """Return how many of blocks fit whole after head in limit, with room for the note on the ones after them."""
    shown = 0
    while shown < len(blocks):
        joined = separator.join([*head, *blocks[:shown + 1]])
        if len(joined) + note_room(len(blocks) - shown - 1, separator) > limit:
            break
        shown += 1
    return shown


def note_room(count: int, separator: str = "\n\n") -> int:
    """Return the characters the note on blocks left out takes, its separator included (none when none are)."""
    return len(separator) + len(left_out(count)) if count else 0


def left_out(count: int) -> str:
    return f"*{count} more not shown (Discord's length limit).*"


def one_line(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def truncate(text: str, limit: int) -> str:
    """Cut text to limit characters at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    # Never leave a lone escaping backslash in front of the ellipsis.
    return cut.rstrip("\\ ") + ELLIPSIS


def escaped(text: str, limit: int, escape: Callable[[str], str] = escape_markdown) -> str:
    """Escape markdown in text (on one line) and cut it so the escaped form fits limit."""
    raw = one_line(text)
    out = escape(raw)
    while len(out) > limit and raw:
        raw = raw[: max(0, len(raw) - (len(out) - limit) - 1)].rstrip()
        out = escape(raw) + ELLIPSIS
    return out or ELLIPSIS


def escaped_whole(text: str) -> str:
    """Escape markdown in text, on one line, uncut."""
    return escape_markdown(one_line(text))


def _escape_source(name: str) -> str:
    """Put a backslash before each markdown character of a source name, brackets included (unescape undoes it)."""
    return _SOURCE_MARKDOWN_RE.sub(r"\\\1", name)


def link(url: str, limit: int = 500) -> str:
    """Return an address as text that does not unfurl a preview; one we would not link, or longer than limit, stays code."""
    if _SAFE_URL_RE.fullmatch(url) and len(url) <= limit:
        return f"<{url}>"
    return code(url if len(url) <= limit else url[:limit - len(ELLIPSIS)] + ELLIPSIS)


def code(name: str) -> str:
    return "`" + one_line(name).replace("`", "'") + "`"


def source_link(source: str, url: str | None) -> str:
    # Escaped, not altered: a button reads the name back (unescaped) and looks the article up by it.
    name = escaped(source, TITLE_LIMIT, _escape_source)
    if url and _SAFE_URL_RE.fullmatch(url):
        return f"[{name}](<{url}>)"  # angle brackets: no link preview under the answer
    return name
