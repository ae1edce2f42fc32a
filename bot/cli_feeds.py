"""`newsbot feed add|list|remove|poll`, and the web half of `newsbot add URL`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from newsbot.bot import render_feeds, render_index, render_text
from newsbot.bot.cli_common import add_common_options, add_yes_option, confirm, load_engine, note_if_empty, open_engine, progress_bar
from newsbot.bot.settings import Settings
from newsbot.index import (
    ALLOWED_SCHEMES,
    KEEP_DAYS,
    Engine,
    NewsbotError,
    PageAdded,
    add_feed,
    add_page,
    list_feeds,
    poll_and_refresh,
    remove_feed,
)

log = logging.getLogger(__name__)

# An `add` argument starting so is the address of an article page, not a file.
URL_PREFIXES = tuple(f"{scheme}://" for scheme in ALLOWED_SCHEMES)
SECONDS_PER_MINUTE = 60


def is_url(argument: str) -> bool:
    """Return True when an `add` argument is a web address (http:// or https://, any case)."""
    return argument.lower().startswith(URL_PREFIXES)


def add_pages(engine: Engine, settings: Settings, urls: list[str]) -> tuple[list[PageAdded], bool]:
    """Fetch article pages into the engine's corpus (no refresh); return those added and whether any failed.

    A page that cannot be added is one line on stderr; the others are still added.
    """
    pages, failed = [], False
    for url in urls:
        try:
            pages.append(add_page(settings.resolved_state_dir(), engine.corpus_dir, url, policy=settings.web_policy()))
        except NewsbotError as exc:
            print(f"newsbot: {render_text.shown(url)}: {exc}", file=sys.stderr)
            failed = True
    return pages, failed


def _minutes(text: str) -> float:
    """Read --every: a positive number of minutes (fractions allowed)."""
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not minutes > 0 or minutes == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of minutes (got {text!r})")
    return minutes


def add_feed_parser(sub: argparse._SubParsersAction) -> None:
    """Register `newsbot feed` and its subcommands, each subcommand's function beside its options."""
    feed = sub.add_parser(
        "feed", help="subscribe to news feeds (RSS, Atom), list, remove and poll them",
        description="Subscribe to RSS and Atom feeds; `newsbot feed poll` fetches their new articles into the "
        "corpus (feeds/NAME/YYYY-MM-DD.jsonl) and refreshes the index. Subscriptions live in the state folder.",
    )  # fmt: skip
    add_common_options(feed)
    feeds = feed.add_subparsers(dest="feed_command", metavar="SUBCOMMAND", required=True, parser_class=type(feed))

    add = feeds.add_parser("add", help="subscribe to a feed", description="Subscribe to an RSS or Atom feed, or to the feed a page links (<link rel=\"alternate\">). Prints the name, the feed's title and how many items it lists; `newsbot feed poll` fetches them.")
    add.add_argument("url", metavar="URL", help="the feed's address, or a page that links its feed")
    add.add_argument("--name", metavar="NAME", help="the name to know it by, also its folder under feeds/ (lower-case letters, digits, - and _; default: from its title)")
    add_common_options(add)
    add.set_defaults(func=_cmd_feed_add)

    listed = feeds.add_parser("list", help="list the subscribed feeds", description="List the subscribed feeds: name, title, address, articles in the corpus, last poll and its error.")
    listed.add_argument("--json", action="store_true", help='print a JSON list of {"name", "url", "title", "last_polled", "articles", "error"}')
    add_common_options(listed)
    listed.set_defaults(func=_cmd_feed_list)

    remove = feeds.add_parser("remove", help="unsubscribe from a feed (its articles stay unless --purge)", description=f"Unsubscribe from a feed. Its articles stay in the corpus unless --purge deletes them (feeds/NAME/), then the index is refreshed; the deleted day files are kept for {KEEP_DAYS} days, and `newsbot restore FILE` puts one back.")
    remove.add_argument("name", metavar="NAME", help="the feed's name, as `newsbot feed list` shows it")
    remove.add_argument("--purge", action="store_true", help=f"delete the feed's articles from the corpus too (kept {KEEP_DAYS} days for `newsbot restore`), then refresh")
    add_yes_option(remove, "--purge")
    remove.add_argument("--json", action="store_true", help="print the result as JSON")
    add_common_options(remove)
    remove.set_defaults(func=_cmd_feed_remove)

    poll = feeds.add_parser("poll", help="fetch new articles from every feed, then refresh", description="Fetch every feed once (conditionally), fetch the pages of items not seen before into the corpus, then refresh the index once. Prints per feed how many articles are new, how many were skipped (seen before, duplicates) and which failed, with why. --every polls again and again until stopped with Ctrl-C (for a server without the Discord bot).")
    poll.add_argument("--json", action="store_true", help='print a JSON list of {"name", "new", "skipped", "failed": [{"url", "reason"}]} per pass, one per line')
    poll.add_argument("--every", type=_minutes, metavar="MINUTES", help="poll every MINUTES minutes (fractions allowed) until stopped with Ctrl-C")
    add_common_options(poll)
    poll.set_defaults(func=_cmd_feed_poll)


def _cmd_feed_add(args: argparse.Namespace, settings: Settings) -> int:
    added = add_feed(settings.resolved_state_dir(), args.url, name=args.name, policy=settings.web_policy())
    print(render_feeds.feed_added_text(added, args.url))
    return 0


def _cmd_feed_list(args: argparse.Namespace, settings: Settings) -> int:
    feeds = list_feeds(settings.resolved_state_dir())
    print(json.dumps(render_feeds.feeds_json(feeds), ensure_ascii=False, indent=1) if args.json else render_feeds.feeds_text(feeds))
    return 0


def _cmd_feed_remove(args: argparse.Namespace, settings: Settings) -> int:
    state = settings.resolved_state_dir()
    if not args.purge:
        removed = remove_feed(state, args.name)
        print(json.dumps(render_feeds.feed_removed_json(removed, None), ensure_ascii=False, indent=1) if args.json else render_feeds.feed_removed_text(removed))
        return 0
    confirm(
        args,
        f"Delete feed {render_text.shown(args.name)}'s articles (feeds/{render_text.shown(args.name)}/) from the corpus? "
        f"A copy is kept for {KEEP_DAYS} days (`newsbot restore FILE` puts one back).",
        f"--purge deletes feed {render_text.shown(args.name)}'s articles from the corpus folder",
    )
    with progress_bar(args.quiet) as progress:
        engine = load_engine(args, settings, refresh_corpus=False)  # the refresh below reports the purge alone
        removed = remove_feed(state, args.name, corpus_dir=engine.corpus_dir, keep_dir=settings.removed_dir(), purge=True)
        report = engine.refresh(progress, allow_empty=True)  # the feed's articles were deleted on purpose
    if args.json:
        print(json.dumps(render_feeds.feed_removed_json(removed, report), ensure_ascii=False, indent=1))
    else:
        print(render_feeds.feed_removed_text(removed))
        print(render_index.report_text(report))
    return 0


def _cmd_feed_poll(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_engine(args, settings, note_empty=False)  # an empty corpus is noted after the first pass, which may fill it
    if args.every is None:
        _poll_once(args, settings, engine)
        note_if_empty(args, engine)
        return 0
    first = True
    try:
        while True:
            try:
                _poll_once(args, settings, engine)
            except NewsbotError as exc:  # a busy state lock, an index that cannot be written: the next pass may do
                print(f"newsbot: {exc}", file=sys.stderr)
            except Exception:  # a bug met by one pass (the traceback goes to stderr): polling goes on, as in Discord
                log.exception("this pass failed; the next comes at its time")
            if first:
                note_if_empty(args, engine)
                first = False
            sys.stdout.flush()
            time.sleep(args.every * SECONDS_PER_MINUTE)
    except KeyboardInterrupt:  # how --every is meant to stop
        if not args.quiet:
            print("newsbot: polling stopped", file=sys.stderr)
        return 0


def _poll_once(args: argparse.Namespace, settings: Settings, engine: Engine) -> None:
    """Poll every feed once and refresh; print the report (a refresh summary on stderr)."""
    report, refreshed = poll_and_refresh(
        engine, settings.resolved_state_dir(), policy=settings.web_policy(), keep_days=settings.feed_keep_days
    )
    print(json.dumps(render_feeds.poll_json(report), ensure_ascii=False) if args.json else render_feeds.poll_text(report))
    if refreshed is not None and not args.quiet:
        for line in render_index.report_text(refreshed).splitlines():
            print(f"newsbot: {line}", file=sys.stderr)
