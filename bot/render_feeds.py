"""Turn feed subscriptions, polls and pages added by address into text and JSON: `feed add|list|remove|poll`, `add URL`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsbot.bot.render_index import report_json
from newsbot.bot.render_text import counted, listed, shown, when
from newsbot.index import KEEP_DAYS, FeedAdded, FeedInfo, FeedRemoved, PageAdded, PollReport, RefreshReport


def feed_added_text(added: FeedAdded, asked: str) -> str:
    """Return what `feed add` says: the name, the feed's title, how many items it lists (and its address when a page led to it)."""
    title = shown(added.title) if added.title else "(untitled)"
    via = f" (the feed at {shown(added.url)})" if added.url != asked else ""
    return (f"Subscribed to {title} as {shown(added.name)}{via}: it lists {counted(added.items, 'item')}.\n"
            "`newsbot feed poll` fetches them.")  # fmt: skip


def feeds_json(feeds: Sequence[FeedInfo]) -> list[dict]:
    """Return the `feed list --json` list: name, url, title, last_polled, articles, error per feed."""
    return [
        {"name": f.name, "url": f.url, "title": f.title, "last_polled": f.last_polled, "articles": f.articles, "error": f.error}
        for f in feeds
    ]


def feeds_text(feeds: Sequence[FeedInfo]) -> str:
    """Return the subscribed feeds, two or three lines each: name and title; address, articles and last poll; its error."""
    if not feeds:
        return "No feeds. Subscribe with `newsbot feed add URL`."
    lines = []
    for feed in feeds:
        polled = when(datetime.fromisoformat(feed.last_polled)) if feed.last_polled else "never"
        lines += [f"{shown(feed.name)}  {shown(feed.title) if feed.title else '(untitled)'}",
                  f"    {shown(feed.url)}; {counted(feed.articles, 'article')}; last polled {polled}"]  # fmt: skip
        if feed.error:
            lines.append(f"    last poll failed: {shown(feed.error)}")
    return "\n".join(lines)


def feed_removed_text(removed: FeedRemoved) -> str:
    """Return what `feed remove` says: the feed gone, the day files purged with it, and the articles kept for
    the other feeds (or `add URL`) that carried them too."""
    kept = (f" Kept {counted(len(removed.kept), 'article')} another feed or `add URL` carried too: {listed(removed.kept)}."
            if removed.kept else "")  # fmt: skip
    if not removed.purged_files:
        if removed.kept:
            return f"Unsubscribed from {shown(removed.name)}.{kept}"
        return f"Unsubscribed from {shown(removed.name)}; its articles stay in the corpus (--purge deletes them)."
    return (f"Unsubscribed from {shown(removed.name)} and deleted its {counted(len(removed.purged_files), 'day file')} "
            f"(kept for {KEEP_DAYS} days: `newsbot restore FILE` puts one back).{kept}")  # fmt: skip


def feed_removed_json(removed: FeedRemoved, report: RefreshReport | None) -> dict:
    """Return the `feed remove --json` object: the name, the purged files, the articles kept for other feeds, and the
    refresh after a purge."""
    return {
        "name": removed.name, "purged_files": list(removed.purged_files), "kept": list(removed.kept),
        "refresh": report_json(report) if report else None,
    }  # fmt: skip


def poll_json(report: PollReport) -> list[dict]:
    """Return the `feed poll --json` list: per feed its name, new, skipped and failed ([{"url", "reason"}])."""
    return [
        {"name": f.name, "new": f.new, "skipped": f.skipped, "failed": [{"url": x.url, "reason": x.reason} for x in f.failed]}
        for f in report.feeds
    ]


def poll_text(report: PollReport) -> str:
    """Return one poll, a line per feed (new, skipped) and a line per failure (address and why)."""
    if not report.feeds:
        return "No feeds. Subscribe with `newsbot feed add URL`."
    lines = []
    for feed in report.feeds:
        lines.append(f"{shown(feed.name)}: {feed.new} new, {feed.skipped} skipped (seen before or duplicates)"
                     + (f", {len(feed.failed)} failed" if feed.failed else ""))  # fmt: skip
        lines += [f"    failed: {shown(failure.url)}: {shown(failure.reason)}" for failure in feed.failed]
    return "\n".join(lines)


def page_json(page: PageAdded) -> dict:
    """Return one `add URL --json` "pages" item."""
    return {"url": page.url, "title": page.title, "source": page.source, "status": page.status}


def page_text(page: PageAdded) -> str:
    """Return what `add URL` says of a page: its title and source, and whether it was new."""
    title, source = shown(page.title) or "(untitled)", shown(page.source)
    return {
        "new": f"Added “{title}” as {source}",
        "updated": f"Updated “{title}” in {source}",
        "unchanged": f"“{title}” is already in the corpus, unchanged: {source}",
        "duplicate": f"“{title}” is already in the corpus under another address: {source}",
    }.get(page.status, f"“{title}”: {page.status}, {source}")
