"""Turn engine answers, source lists, stats, refresh reports and feeds into Discord messages.

Everything here is pure: values in, an `Embed` or a string out. Discord's
length limits hold by construction, article text is escaped so it cannot
break the markdown around it, and long answers are cut at quote boundaries
with a note saying so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

import discord
from discord.utils import escape_markdown

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
from newsbot.bot.render import NO_ANSWER, TENTATIVE, answer_notes, format_size
from newsbot.index import (
    Answer,
    FeedAdded,
    FeedInfo,
    FeedRemoved,
    IndexStats,
    NewsbotError,
    PageAdded,
    QuestionError,
    QuestionKind,
    Quote,
    RefreshReport,
    SourceInfo,
    UnknownSourceError,
    format_date,
)

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
CONTENT_LIMIT = 2000  # characters of message content
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # title + description + fields + footer + author, all together
THREAD_NAME_LIMIT = 100  # https://discord.com/developers/docs/resources/channel (name, 1-100 characters)

SOURCES_PER_PAGE = 10  # 10 lines of at most _SOURCE_LINE_LIMIT fit both an embed and a message
_SOURCE_LINE_LIMIT = 180
FEEDS_PER_PAGE = 5  # 5 lines of at most _FEED_LINE_LIMIT, the heading and the page note fit a message
# A feed's name (64 at most), title (80), address (120), articles, poll time (40) and its error (the rest).
_FEED_LINE_LIMIT = 380
_FEED_URL_LIMIT = 120  # a longer address is shown cut, as code
# One quote block stays under 1,800 characters, so the first always fits a 2,000-character message.
_QUOTE_LIMIT = 1200
_TITLE_LIMIT = 250
_COLOUR = discord.Colour.blurple()
_VERBATIM = "Quoted word for word from the indexed articles."
ARTICLE_GONE = "That article is no longer in the index (removed or changed since this answer)."
NO_MORE = "No more quotes."
_FAILED = "That did not work"  # what a refusal follows when the command names no words of its own
_ELLIPSIS = ELLIPSIS
_SHORTEST_CUT_QUOTE = 40  # a quote cut shorter than this to fit is cut as a whole block instead (its facts go too)
_MARK = len(_ELLIPSIS + " ")  # what trimmed sentences beside a Passage's quote shrink to at least
_CUT_QUOTE_NEIGHBOURS = 300  # characters a quote too long for a message on its own leaves the sentences around it
_SPACE_RE = re.compile(r"\s+")
_T = TypeVar("_T")  # what a paged list holds
# What a source name escapes: markdown, and the brackets that would end the link text it sits in.
_SOURCE_MARKDOWN_RE = re.compile(r"([\\_*~|`#<>\[\]])")
# A link target we are willing to put inside markdown: http(s), no spaces, no parentheses or angle brackets.
_SAFE_URL_RE = re.compile(r"https?://[^\s()<>]+")


def render_answer_embed(answer: Answer, state: AnswerState | None = None) -> discord.Embed:
    """Return an answer as an embed: the question as title, one block quote per quote, the state in the footer.

    With a state whose start is set (a "More" reply), the quotes before it are left out.
    """
    quotes = answer.quotes[state.start:] if state else answer.quotes
    embed = discord.Embed(title=_escaped(answer.question, EMBED_TITLE_LIMIT), colour=_COLOUR)
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
    shown = _whole_blocks([], bare, CONTENT_LIMIT) or 1
    rest = len(parts) - shown
    parts, bare = parts[:shown], bare[:shown]
    room = CONTENT_LIMIT - _note_room(rest) - len("\n\n".join(bare))
    wants = [_side_want(side) for part in parts for side in (part.before, part.after)]
    if room < 0:  # the first quote alone is too long: cut it, leaving its neighbours some room
        neighbours = min(sum(wants), _CUT_QUOTE_NEIGHBOURS)
        parts[0] = replace(parts[0], quote=_truncate(parts[0].quote, len(parts[0].quote) + room - neighbours))
        room = CONTENT_LIMIT - _note_room(rest) - len(parts[0].render(_MARK, _MARK))
    shares = _shares(wants, room)
    blocks = [part.render(_MARK + shares[2 * n], _MARK + shares[2 * n + 1]) for n, part in enumerate(parts)]
    return "\n\n".join([*blocks, _left_out(rest)] if rest else blocks)


def thread_name(question: str) -> str:
    """Return the name of a thread opened on an answer: its question, on one line, cut to Discord's limit."""
    return _truncate(_one_line(question), THREAD_NAME_LIMIT) or "newsbot"


def render_sources_embed(sources: Sequence[SourceInfo], page: int = 1) -> discord.Embed:
    """Return one page of the article list as an embed."""
    page, pages, shown = _page(sources, page, SOURCES_PER_PAGE)
    embed = discord.Embed(title="Indexed articles", colour=_COLOUR)
    embed.description = "\n".join(map(_source_line, shown)) if shown else "No articles are indexed."
    embed.set_footer(text=_page_note(page, pages, len(sources), "article"))
    return embed


def render_sources_text(sources: Sequence[SourceInfo], page: int = 1) -> str:
    """Return one page of the article list as plain message content."""
    page, pages, shown = _page(sources, page, SOURCES_PER_PAGE)
    if not shown:
        return "No articles are indexed."
    lines = [*map(_source_line, shown), f"*{_page_note(page, pages, len(sources), 'article')}*"]
    return _fit(["**Indexed articles**"], lines, CONTENT_LIMIT, separator="\n")


def source_pages(sources: Sequence[SourceInfo]) -> int:
    """Return how many pages the article list takes."""
    return _pages(len(sources), SOURCES_PER_PAGE)


def render_stats_embed(stats: IndexStats) -> discord.Embed:
    """Return the index counts as an embed."""
    embed = discord.Embed(title="Index", colour=_COLOUR)
    for name, value in _stats_rows(stats):
        embed.add_field(name=name, value=value, inline=True)
    if stats.skipped:
        embed.add_field(name="Skipped", value=_problems(stats.skipped, EMBED_FIELD_VALUE_LIMIT), inline=False)
    return embed


def render_stats_text(stats: IndexStats) -> str:
    """Return the index counts as plain message content."""
    lines = [f"**{name}:** {value}" for name, value in _stats_rows(stats)]
    if stats.skipped:
        lines.append("**Skipped:**\n" + _problems(stats.skipped, 1000))
    return _fit(["**Index**"], lines, CONTENT_LIMIT, separator="\n")


def render_report(report: RefreshReport, *, action: str) -> str:
    """Return what a refresh, add or remove changed, as message content."""
    if report.unchanged and not report.skipped:
        return _truncate(f"{action}: nothing changed.", CONTENT_LIMIT)
    lines = [f"**{action}**"]
    for label, files in (("Added", report.added), ("Changed", report.changed), ("Removed", report.removed)):
        if files:
            lines.append(f"{label}: " + ", ".join(_code(name) for name in files))
    if not report.unchanged:
        lines.append(
            f"Articles +{report.articles_added} / -{report.articles_removed}, "
            f"passages +{report.passages_added} / -{report.passages_removed}."
        )
    if report.rebuilt:
        lines.append("The whole index was rebuilt" + (f" ({_one_line(report.reason)})." if report.reason else "."))
    if report.skipped:
        lines.append("Skipped:\n" + _problems(report.skipped, 900))
    return _fit([], lines, CONTENT_LIMIT, separator="\n")


def render_feed_added(added: FeedAdded, poll_minutes: float) -> str:
    """Return what /feed add says: the name, the feed's title, how many items it lists, when they arrive."""
    title = _escaped(added.title, _TITLE_LIMIT) if added.title else "(untitled)"
    items = f"{added.items} item{'' if added.items == 1 else 's'}"
    when = (f"its new articles are fetched every {poll_minutes:g} minutes, starting now" if poll_minutes > 0
            else "this bot does not poll feeds (NEWSBOT_FEED_POLL_MINUTES is 0); `newsbot feed poll` fetches them")  # fmt: skip
    return _truncate(f"Subscribed to **{title}** as {_code(added.name)} ({_link(added.url)}); it lists {items}; {when}.", CONTENT_LIMIT)


def render_feeds(feeds: Sequence[FeedInfo], page: int = 1) -> str:
    """Return one page of the subscribed feeds, one line each: name, title, address, articles, last poll and its error."""
    if not feeds:
        return "No feeds yet: `/feed add url:` subscribes to one."
    page, pages, shown = _page(feeds, page, FEEDS_PER_PAGE)
    lines = [*map(_feed_line, shown), *([f"*{_page_note(page, pages, len(feeds), 'feed')}*"] if pages > 1 else [])]
    return _fit([f"**Feeds** ({len(feeds)})"], lines, CONTENT_LIMIT, separator="\n")


def feed_pages(feeds: Sequence[FeedInfo]) -> int:
    """Return how many pages the feed list takes."""
    return _pages(len(feeds), FEEDS_PER_PAGE)


def render_feed_removed(removed: FeedRemoved, report: RefreshReport | None) -> str:
    """Return what /feed remove says: the feed gone, and what a purge took out of the index."""
    if report is None:
        return f"Unsubscribed from {_code(removed.name)}; its articles stay (`purge:` removes them too)."
    return render_report(report, action=f"Unsubscribed from {removed.name} and removed its articles")


def render_page_added(page: PageAdded, report: RefreshReport | None) -> str:
    """Return what /add url: says: the page's title and source, and whether it changed the corpus."""
    title = _escaped(page.title, _TITLE_LIMIT) if page.title else "(untitled)"
    said = {
        "new": "Added", "updated": "Updated",
        "unchanged": "Already in the corpus, unchanged:", "duplicate": "Already in the corpus under another address:",
    }.get(page.status, "Added")  # fmt: skip
    head = f"{said} **{title}** as {_code(page.source)} ({_link(page.url)})."
    if report is None or report.unchanged:
        return _truncate(head, CONTENT_LIMIT)
    return _fit([head], [render_report(report, action="Index")], CONTENT_LIMIT, separator="\n")


def render_problems(problems: Iterable[object], limit: int = 1500) -> str:
    """Return problems (anything with a useful str) as an escaped bullet list within limit."""
    return _problems(tuple(problems), limit)


def render_failure(error: NewsbotError, failed: str | None = None) -> str:
    """Return what the user is told when the engine refuses: why, after what failed ("Not added"), and where to look."""
    if isinstance(error, QuestionError):
        return _truncate(f"I can't search for that: {error}.", CONTENT_LIMIT)
    hint = " (see /sources)" if isinstance(error, UnknownSourceError) else ""  # the engine names no front end's command
    return _truncate(f"{failed or _FAILED}: {error}{hint}", CONTENT_LIMIT)


# -- answers ---------------------------------------------------------------


def _answer_body(answer: Answer, quotes: Sequence[Quote], limit: int) -> str:
    """Return the notes and quote blocks within limit; a first block too long to fit whole has its sentence cut."""
    head = _answer_head(answer, quotes)
    blocks = _quote_blocks(quotes)
    if blocks:
        room = limit - _note_room(len(blocks) - 1) - (len("\n\n".join(head)) + len("\n\n") if head else 0)
        over = len(blocks[0]) - room
        if over > 0:  # cut the sentence, not the block, so the facts and source stay readable
            text_limit = len(rendered_quote_text(quotes[0])) - over
            if text_limit >= _SHORTEST_CUT_QUOTE:
                blocks[0] = _quote_block(quotes[0], text_limit)
    return _fit(head, blocks, limit)


def shows_quote(shown: ShownQuote, quote: Quote) -> bool:
    """Return whether an answer's quote block shows this quote: all of it as rendered, or its start cut short."""
    if shown.rendered == rendered_quote_text(quote):
        return True
    return shown.cut and bool(shown.prefix) and _one_line(quote.text).startswith(shown.prefix)


def _answer_head(answer: Answer, quotes: Sequence[Quote]) -> list[str]:
    notes = [_escaped(note, _QUOTE_LIMIT) for note in answer_notes(answer)]
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
    if quote.event_date is not None:
        return f"**{format_date(quote.event_date)}**"
    if quote.article.published is not None:
        return f"The sentence gives no date; the article was published **{format_date(quote.article.published)}**."
    return "The sentence gives no date, and the article is undated."


def _quote_blocks(quotes: Sequence[Quote]) -> list[str]:
    return [_quote_block(quote) for quote in quotes]


def _quote_block(quote: Quote, text_limit: int = _QUOTE_LIMIT) -> str:
    article = quote.article
    facts = [f"**{_escaped(article.title, _TITLE_LIMIT)}**", _published(article.published)]
    if quote.event_date is not None:
        facts.append(f"about {format_date(quote.event_date)}")
    facts.append(_source(article.source, article.url))
    # One line, so the block quote marker covers the whole sentence.
    return f"{QUOTE_MARK}{_escaped(quote.text, text_limit)}{FACTS_MARK}" + FACTS_SEPARATOR.join(facts)


def rendered_quote_text(quote: Quote) -> str:
    """Return a quote's sentence as an answer shows it (escaped, on one line, cut to fit)."""
    return _escaped(quote.text, _QUOTE_LIMIT)


def _published(published: date | None) -> str:
    return f"published {format_date(published)}" if published is not None else "undated"


def _source(source: str, url: str | None) -> str:
    # Escaped, not altered: a button reads the name back (unescaped) and looks the article up by it.
    name = _escaped(source, _TITLE_LIMIT, _escape_source)
    if url and _SAFE_URL_RE.fullmatch(url):
        return f"[{name}](<{url}>)"  # angle brackets: no link preview under the answer
    return name


# -- passages ----------------------------------------------------------------


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
        return _Passage(QUOTE_MARK, _escaped_whole(shown.text), tail=f"\n{ARTICLE_GONE}", bold=False)
    head = f"{_escaped(shown.source, 100)}:\n"
    quoted = next((i for i, s in enumerate(sentences) if s == shown.text), None)
    if quoted is None and shown.cut:  # the answer showed it cut short: the first sentence starting so is it
        quoted = next((i for i, s in enumerate(sentences) if s.startswith(shown.prefix)), None)
    if quoted is None:
        return _Passage(head, _escaped_whole(shown.text))
    before, after = sentences[:quoted], sentences[quoted + 1:]
    return _Passage(head, _escaped_whole(sentences[quoted]), " ".join(map(_escaped_whole, before)),
                    " ".join(map(_escaped_whole, after)))  # fmt: skip


def _lead_in(text: str, room: int) -> str:
    """Return the sentences before a quote within room characters, the space before it included: their end kept."""
    if not text or len(text) + 1 <= room:
        return f"{text} " if text else ""
    words = text[len(text) - max(room - _MARK, 0):]
    return _ELLIPSIS + (words[words.index(" ") + 1:] if " " in words else "") + " "  # starts on a whole word


def _lead_out(text: str, room: int) -> str:
    """Return the sentences after a quote within room characters, the space after it included: their start kept."""
    if not text or len(text) + 1 <= room:
        return f" {text}" if text else ""
    words = text[:max(room - _MARK, 0) + 1]  # one more: a space just after the last whole word
    return " " + (words[:words.rindex(" ")] if " " in words else "") + _ELLIPSIS


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


# -- sources and stats -------------------------------------------------------


def _page(items: Sequence[_T], page: int, per_page: int) -> tuple[int, int, Sequence[_T]]:
    """Return the page asked for (held to those there are), how many pages there are, and that page's items."""
    pages = _pages(len(items), per_page)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return page, pages, items[start:start + per_page]


def _pages(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def _source_line(info: SourceInfo) -> str:
    when = format_date(info.published)
    tail = " — " + _source(info.source, None)
    room = _SOURCE_LINE_LIMIT - len(when) - len(tail) - 6
    return f"`{when}` {_escaped(info.title, max(room, 20))}{tail}"


def _page_note(page: int, pages: int, count: int, noun: str) -> str:
    """Return the line under a page of a list: which page, of how many, of how many things (noun, singular)."""
    note = f"Page {page} of {pages} · {count} {noun}{'' if count == 1 else 's'}"
    return note + (" · use page: to see more" if pages > 1 else "")


def _feed_line(feed: FeedInfo) -> str:
    title = _escaped(feed.title, 80) if feed.title else "(untitled)"
    polled = f"polled {_escaped(feed.last_polled, 40)}" if feed.last_polled else "not polled yet"
    articles = f"{feed.articles:,} article{'' if feed.articles == 1 else 's'}"
    line = f"{_code(feed.name)} **{title}** — {_link(feed.url, _FEED_URL_LIMIT)} · {articles} · {polled}"
    if not feed.error:
        return line
    failed = " · last poll failed: "
    return line + failed + _escaped(feed.error, max(_FEED_LINE_LIMIT - len(line) - len(failed), 1))


def _stats_rows(stats: IndexStats) -> list[tuple[str, str]]:
    return [
        ("Articles", f"{stats.articles:,}"),
        ("Passages", f"{stats.passages:,}"),
        ("Vocabulary", f"{stats.vocabulary:,} words"),
        ("Segments", f"{stats.segments:,}"),
        ("On disk", format_size(stats.bytes_on_disk)),
        ("Last refresh", _truncate(stats.last_refresh or "never", EMBED_FIELD_VALUE_LIMIT)),
    ]


def _problems(problems: Sequence[object], limit: int) -> str:
    lines = [f"• {_escaped(str(problem), 300)}" for problem in problems]
    return _fit([], lines, limit, separator="\n")


# -- text helpers ------------------------------------------------------------


def _fit(head: list[str], blocks: list[str], limit: int, *, separator: str = "\n\n") -> str:
    """Join head and as many whole blocks as fit in limit, with a note on how many were left out."""
    parts = [_truncate(part, limit) for part in head]
    shown = _whole_blocks(parts, blocks, limit, separator)
    parts += blocks[:shown]
    if blocks and not shown:
        # Not even one whole block fits: show the first one cut, rather than nothing.
        room = limit - len(separator.join(parts)) - len(separator) * bool(parts) - _note_room(len(blocks) - 1, separator)
        parts.append(_truncate(blocks[0], max(room, 1)))
        shown = 1
    if shown < len(blocks):
        parts.append(_left_out(len(blocks) - shown))
    return _truncate(separator.join(parts), limit)


def _whole_blocks(head: list[str], blocks: list[str], limit: int, separator: str = "\n\n") -> int:
    """Return how many of blocks fit whole after head in limit, with room for the note on the ones after them."""
    shown = 0
    while shown < len(blocks):
        joined = separator.join([*head, *blocks[:shown + 1]])
        if len(joined) + _note_room(len(blocks) - shown - 1, separator) > limit:
            break
        shown += 1
    return shown


def _note_room(left_out: int, separator: str = "\n\n") -> int:
    """Return the characters the note on blocks left out takes, its separator included (none when none are)."""
    return len(separator) + len(_left_out(left_out)) if left_out else 0


def _left_out(count: int) -> str:
    return f"*{count} more not shown (Discord's length limit).*"


def _one_line(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _truncate(text: str, limit: int) -> str:
    """Cut text to limit characters at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    # Never leave a lone escaping backslash in front of the ellipsis.
    return cut.rstrip("\\ ") + _ELLIPSIS


def _escaped(text: str, limit: int, escape: Callable[[str], str] = escape_markdown) -> str:
    """Escape markdown in text (on one line) and cut it so the escaped form fits limit."""
    raw = _one_line(text)
    escaped = escape(raw)
    while len(escaped) > limit and raw:
        raw = raw[: max(0, len(raw) - (len(escaped) - limit) - 1)].rstrip()
        escaped = escape(raw) + _ELLIPSIS
    return escaped or _ELLIPSIS


def _escaped_whole(text: str) -> str:
    """Escape markdown in text, on one line, uncut."""
    return escape_markdown(_one_line(text))


def _escape_source(name: str) -> str:
    """Put a backslash before each markdown character of a source name, brackets included (unescape undoes it)."""
    return _SOURCE_MARKDOWN_RE.sub(r"\\\1", name)


def _link(url: str, limit: int = 500) -> str:
    """Return an address as text that does not unfurl a preview; one we would not link, or longer than limit, stays code."""
    if _SAFE_URL_RE.fullmatch(url) and len(url) <= limit:
        return f"<{url}>"
    return _code(url if len(url) <= limit else url[:limit - len(_ELLIPSIS)] + _ELLIPSIS)


def _code(name: str) -> str:
    return "`" + _one_line(name).replace("`", "'") + "`"
