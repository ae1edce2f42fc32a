"""Turn source lists, stats, refresh reports, feeds and refusals into Discord messages.

Everything here is pure: values in, an `Embed` or a string out, within
Discord's limits (see discord_text.py), long lists paged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TypeVar

import discord

from newsbot.bot.discord_text import (
    COLOUR,
    CONTENT_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    code,
    escaped,
    fit,
    link,
    one_line,
    source_link,
    truncate,
)
from newsbot.bot.render_text import format_size
from newsbot.index import (
    FeedAdded,
    FeedInfo,
    FeedRemoved,
    IndexStats,
    NewsbotError,
    PageAdded,
    QuestionError,
    RefreshReport,
    SourceInfo,
    UnknownSourceError,
    format_date,
)

SOURCES_PER_PAGE = 10  # 10 lines of at most _SOURCE_LINE_LIMIT fit both an embed and a message
_SOURCE_LINE_LIMIT = 180
FEEDS_PER_PAGE = 5  # 5 lines of at most _FEED_LINE_LIMIT, the heading and the page note fit a message
# A feed's name (64 at most), title (80), address (120), articles, poll time (40) and its error (the rest).
_FEED_LINE_LIMIT = 380
_FEED_URL_LIMIT = 120  # a longer address is shown cut, as code
_FAILED = "That did not work"  # what a refusal follows when the command names no words of its own
_T = TypeVar("_T")  # what a paged list holds


def render_sources_embed(sources: Sequence[SourceInfo], page: int = 1) -> discord.Embed:
    """Return one page of the article list as an embed."""
    page, pages, shown = _page(sources, page, SOURCES_PER_PAGE)
    embed = discord.Embed(title="Indexed articles", colour=COLOUR)
    embed.description = "\n".join(map(_source_line, shown)) if shown else "No articles are indexed."
    embed.set_footer(text=_page_note(page, pages, len(sources), "article"))
    return embed


def render_sources_text(sources: Sequence[SourceInfo], page: int = 1) -> str:
    """Return one page of the article list as plain message content."""
    page, pages, shown = _page(sources, page, SOURCES_PER_PAGE)
    if not shown:
        return "No articles are indexed."
    lines = [*map(_source_line, shown), f"*{_page_note(page, pages, len(sources), 'article')}*"]
    return fit(["**Indexed articles**"], lines, CONTENT_LIMIT, separator="\n")


def source_pages(sources: Sequence[SourceInfo]) -> int:
    """Return how many pages the article list takes."""
    return _pages(len(sources), SOURCES_PER_PAGE)


def render_stats_embed(stats: IndexStats) -> discord.Embed:
    """Return the index counts as an embed."""
    embed = discord.Embed(title="Index", colour=COLOUR)
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
    return fit(["**Index**"], lines, CONTENT_LIMIT, separator="\n")


def render_report(report: RefreshReport, *, action: str) -> str:
    """Return what a refresh, add or remove changed, as message content."""
    if report.unchanged and not report.skipped:
        return truncate(f"{action}: nothing changed.", CONTENT_LIMIT)
    lines = [f"**{action}**"]
    for label, files in (("Added", report.added), ("Changed", report.changed), ("Removed", report.removed)):
        if files:
            lines.append(f"{label}: " + ", ".join(code(name) for name in files))
    if not report.unchanged:
        lines.append(
            f"Articles +{report.articles_added} / -{report.articles_removed}, "
            f"passages +{report.passages_added} / -{report.passages_removed}."
        )
    if report.rebuilt:
        lines.append("The whole index was rebuilt" + (f" ({one_line(report.reason)})." if report.reason else "."))
    if report.skipped:
        lines.append("Skipped:\n" + _problems(report.skipped, 900))
    return fit([], lines, CONTENT_LIMIT, separator="\n")


def render_feed_added(added: FeedAdded, poll_minutes: float) -> str:
    """Return what /feed add says: the name, the feed's title, how many items it lists, when they arrive."""
    title = escaped(added.title, TITLE_LIMIT) if added.title else "(untitled)"
    items = f"{added.items} item{'' if added.items == 1 else 's'}"
    when = (f"its new articles are fetched every {poll_minutes:g} minutes, starting now" if poll_minutes > 0
            else "this bot does not poll feeds (NEWSBOT_FEED_POLL_MINUTES is 0); `newsbot feed poll` fetches them")  # fmt: skip
    return truncate(f"Subscribed to **{title}** as {code(added.name)} ({link(added.url)}); it lists {items}; {when}.", CONTENT_LIMIT)


def render_feeds(feeds: Sequence[FeedInfo], page: int = 1) -> str:
    """Return one page of the subscribed feeds, one line each: name, title, address, articles, last poll and its error."""
    if not feeds:
        return "No feeds yet: `/feed add url:` subscribes to one."
    page, pages, shown = _page(feeds, page, FEEDS_PER_PAGE)
    lines = [*map(_feed_line, shown), *([f"*{_page_note(page, pages, len(feeds), 'feed')}*"] if pages > 1 else [])]
    return fit([f"**Feeds** ({len(feeds)})"], lines, CONTENT_LIMIT, separator="\n")


def feed_pages(feeds: Sequence[FeedInfo]) -> int:
    """Return how many pages the feed list takes."""
    return _pages(len(feeds), FEEDS_PER_PAGE)


def render_feed_removed(removed: FeedRemoved, report: RefreshReport | None) -> str:
    """Return what /feed remove says: the feed gone, and what a purge took out of the index."""
    if report is None:
        return f"Unsubscribed from {code(removed.name)}; its articles stay (`purge:` removes them too)."
    return render_report(report, action=f"Unsubscribed from {removed.name} and removed its articles")


def render_page_added(page: PageAdded, report: RefreshReport | None) -> str:
    """Return what /add url: says: the page's title and source, and whether it changed the corpus."""
    title = escaped(page.title, TITLE_LIMIT) if page.title else "(untitled)"
    said = {
        "new": "Added", "updated": "Updated",
        "unchanged": "Already in the corpus, unchanged:", "duplicate": "Already in the corpus under another address:",
    }.get(page.status, "Added")  # fmt: skip
    head = f"{said} **{title}** as {code(page.source)} ({link(page.url)})."
    if report is None or report.unchanged:
        return truncate(head, CONTENT_LIMIT)
    return fit([head], [render_report(report, action="Index")], CONTENT_LIMIT, separator="\n")


def render_problems(problems: Iterable[object], limit: int = 1500) -> str:
    """Return problems (anything with a useful str) as an escaped bullet list within limit."""
    return _problems(tuple(problems), limit)


def render_failure(error: NewsbotError, failed: str | None = None) -> str:
    """Return what the user is told when the engine refuses: why, after what failed ("Not added"), and where to look."""
    if isinstance(error, QuestionError):
        return truncate(f"I can't search for that: {error}.", CONTENT_LIMIT)
    hint = " (see /sources)" if isinstance(error, UnknownSourceError) else ""  # the engine names no front end's command
    return truncate(f"{failed or _FAILED}: {error}{hint}", CONTENT_LIMIT)


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
    tail = " — " + source_link(info.source, None)
    room = _SOURCE_LINE_LIMIT - len(when) - len(tail) - 6
    return f"`{when}` {escaped(info.title, max(room, 20))}{tail}"


def _page_note(page: int, pages: int, count: int, noun: str) -> str:
    """Return the line under a page of a list: which page, of how many, of how many things (noun, singular)."""
    note = f"Page {page} of {pages} · {count} {noun}{'' if count == 1 else 's'}"
    return note + (" · use page: to see more" if pages > 1 else "")


def _feed_line(feed: FeedInfo) -> str:
    title = escaped(feed.title, 80) if feed.title else "(untitled)"
    polled = f"polled {escaped(feed.last_polled, 40)}" if feed.last_polled else "not polled yet"
    articles = f"{feed.articles:,} article{'' if feed.articles == 1 else 's'}"
    line = f"{code(feed.name)} **{title}** — {link(feed.url, _FEED_URL_LIMIT)} · {articles} · {polled}"
    if not feed.error:
        return line
    failed = " · last poll failed: "
    return line + failed + escaped(feed.error, max(_FEED_LINE_LIMIT - len(line) - len(failed), 1))


def _stats_rows(stats: IndexStats) -> list[tuple[str, str]]:
    return [
        ("Articles", f"{stats.articles:,}"),
        ("Passages", f"{stats.passages:,}"),
        ("Vocabulary", f"{stats.vocabulary:,} words"),
        ("Segments", f"{stats.segments:,}"),
        ("On disk", format_size(stats.bytes_on_disk)),
        ("Last refresh", truncate(stats.last_refresh or "never", EMBED_FIELD_VALUE_LIMIT)),
    ]


def _problems(problems: Sequence[object], limit: int) -> str:
    lines = [f"• {escaped(str(problem), 300)}" for problem in problems]
    return fit([], lines, limit, separator="\n")
