"""The `newsbot` command line: ask, list and refresh from a terminal (the feed commands are in cli_feeds)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from newsbot.bot import render_feeds, render_index, render_text
from newsbot.bot.audit import carry_over_audit
from newsbot.bot.cli_common import (
    NotConfirmed,
    add_as_of_option,
    add_common_options,
    add_top_option,
    add_yes_option,
    ask_one,
    confirm,
    date_bound,
    emit_json,
    load_engine,
    open_engine,
    print_report,
    progress_bar,
)
from newsbot.bot.cli_feedback import add_feedback_parser
from newsbot.bot.cli_feeds import add_feed_parser, add_pages, is_url
from newsbot.bot.cli_parser import Parser, UsageError, usage_line
from newsbot.bot.cli_prompt import add_prompt_parser
from newsbot.bot.logs import quiet_noisy_loggers
from newsbot.bot.paths import Places, delete_index, list_indexes
from newsbot.bot.settings import Settings, SettingsFileError, get_settings
from newsbot.index import (
    ARTICLE_SUFFIXES,
    KEEP_DAYS,
    CorpusGoneError,
    IndexDamagedError,
    IndexOwnerError,
    NewsbotError,
    SourceError,
    UnknownSourceError,
    Verification,
    drop_expired,
    kept_sources,
    restore_into_corpus,
    sweep_corpus,
)

def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every command, each command's function beside its options."""
    parser = Parser(
        prog="newsbot",
        description="Answer questions about news articles with quoted, dated source sentences. "
        "With no command, opens an interactive prompt.",
    )
    add_common_options(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    ask = sub.add_parser("ask", help="answer a question from the articles", description="Answer a question with quoted source sentences, their articles and dates.")
    ask.add_argument("question", nargs="+", metavar="QUESTION", help='the question (quotes optional: the words are joined); "-" reads one question per line from stdin')
    add_top_option(ask, "per answer")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--since", type=date_bound(end=False), metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)")
    ask.add_argument("--until", type=date_bound(end=True), metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY)")
    add_as_of_option(ask)
    add_common_options(ask)
    ask.set_defaults(func=_cmd_ask)

    sources = sub.add_parser("sources", help="list the indexed articles, newest first", description="List the indexed articles with their dates, newest first.")
    sources.add_argument("--json", action="store_true", help="print a JSON list")
    add_common_options(sources)
    sources.set_defaults(func=_cmd_sources)

    stats = sub.add_parser("stats", help="show where the index lives, its counts, size, last refresh and removed files", description="Show the corpus, index and state folders; articles, passages, vocabulary, size on disk, last refresh and skipped files; and removed files kept for restore.")
    stats.add_argument("--json", action="store_true", help="print a JSON object")
    add_common_options(stats)
    stats.set_defaults(func=_cmd_stats)

    refresh = sub.add_parser("refresh", help="index added or changed articles, drop removed ones", description="Compare the corpus folder with the index, read only what changed, and swap the result in. The state folder is never touched.")
    refresh.add_argument("--json", action="store_true", help="print the summary as JSON")
    refresh.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the corpus")
    add_common_options(refresh)
    refresh.set_defaults(func=_cmd_refresh)

    add = sub.add_parser(
        "add", help="copy article files (or fetch article pages) into the corpus and refresh",
        description=f"Copy article files ({', '.join(ARTICLE_SUFFIXES)}) into the corpus folder, then refresh. "
        "An argument starting with http:// or https:// is an article page: it is fetched, its article "
        "extracted into web/YYYY-MM-DD.jsonl, and its title and source printed.",
    )  # fmt: skip
    add.add_argument("files", nargs="+", metavar="FILE|URL", help="article files, or addresses of article pages, to add")
    add.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_common_options(add)
    add.set_defaults(func=_cmd_add)

    remove = sub.add_parser(
        "remove", help="delete articles from the corpus (kept 30 days for restore) and refresh",
        description='Delete articles from the corpus folder by source: a corpus file ("news.txt"), or one JSON-lines '
        'article ("wire.jsonl#42", which rewrites that file without its line), then refresh. Asks first on a terminal. '
        f"What is deleted is kept for {KEEP_DAYS} days in the state folder; `newsbot restore SOURCE` puts it back.",
    )  # fmt: skip
    remove.add_argument("sources", nargs="+", metavar="SOURCE", help="sources as `newsbot sources` lists them")
    remove.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_yes_option(remove, "delete")
    add_common_options(remove)
    remove.set_defaults(func=_cmd_remove)

    restore = sub.add_parser("restore", help="put removed articles back into the corpus and refresh", description=f"Put sources removed in the last {KEEP_DAYS} days back into the corpus folder (a file under its name, a JSON-lines article appended to its file), then refresh. `newsbot stats` lists what can be restored.")
    restore.add_argument("sources", nargs="+", metavar="SOURCE", help="sources as `newsbot stats` lists them under removed")
    restore.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_common_options(restore)
    restore.set_defaults(func=_cmd_restore)

    verify = sub.add_parser("verify", help="check every index file against its checksums", description="Check every block of every index file against the checksums written with it; rebuild the index from the corpus when anything is damaged.")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    add_common_options(verify)
    verify.set_defaults(func=_cmd_verify)

    indexes = sub.add_parser("indexes", help="list the indexes in the user data dir; --prune deletes stale ones", description="List the index folders newsbot keeps in the user data directory, one per corpus: the corpus, size and last refresh. --prune deletes those whose corpus folder is gone (state folders are kept).")
    indexes.add_argument("--json", action="store_true", help="print a JSON list")
    indexes.add_argument("--prune", action="store_true", help="delete the indexes whose corpus folder no longer exists")
    add_yes_option(indexes, "prune")
    add_common_options(indexes)
    indexes.set_defaults(func=_cmd_indexes)

    add_prompt_parser(sub)

    discord = sub.add_parser("discord", help="run the Discord bot", description="Run the Discord bot (token from DISCORD_TOKEN or NEWSBOT_DISCORD_TOKEN; see the README).")
    add_common_options(discord)
    discord.set_defaults(func=_cmd_discord)

    add_feed_parser(sub)
    add_feedback_parser(sub)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return get_settings(corpus_dir=args.corpus, index_dir=args.index, state_dir=args.state, top_k=getattr(args, "top", None))


def _places(settings: Settings) -> Places:
    return Places(settings.resolved_corpus_dir(), settings.resolved_index_dir(), settings.resolved_state_dir())


def _tend_state(settings: Settings) -> Places:
    """Bring the state folder up to date: an old index's audit log carried over, removed files past KEEP_DAYS dropped."""
    places = _places(settings)
    carry_over_audit(places.index_dir, places.state_dir)
    drop_expired(settings.removed_dir())
    return places


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = " ".join(args.question)
    if args.question[0] == "-" and len(args.question) > 1:
        raise UsageError('"-" reads the questions from stdin, one a line, and takes no other words')
    if question != "-" and not question.strip():
        raise UsageError("the question is empty")
    if args.since is not None and args.until is not None and args.since > args.until:
        raise UsageError(f"the range starts ({args.since}) after it ends ({args.until})")
    engine = open_engine(args, settings)
    if question != "-":
        return 0 if ask_one(engine, question, settings.top_k, args, command="newsbot ask") else 2
    first = True
    for line in sys.stdin:
        if not line.strip():
            continue
        if not args.json:
            if not first:
                print()
            print(f"Q: {line.strip()}")
        first = False
        ask_one(engine, line.strip(), settings.top_k, args, batch=True)
        sys.stdout.flush()
    return 0


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    sources = open_engine(args, settings).sources()
    print(json.dumps([render_index.source_json(s) for s in sources], ensure_ascii=False, indent=1) if args.json else render_index.sources_text(sources))
    return 0


def _cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_engine(args, settings)
    places = _tend_state(settings)
    stats = engine.stats()
    removed = kept_sources(settings.removed_dir())
    if args.json:
        print(json.dumps(render_index.stats_json(stats, places, removed), ensure_ascii=False, indent=1))
    else:
        print(render_index.stats_text(stats, places, removed))
    return 0


def _cmd_refresh(args: argparse.Namespace, settings: Settings) -> int:
    places = _tend_state(settings)
    sweep_corpus(places.corpus_dir)  # what an add, remove or restore killed halfway left: hidden, never indexed
    with progress_bar(args.quiet) as progress:
        engine = load_engine(args, settings, refresh_corpus=False, take_over=args.rebuild)
        report = engine.last_report
        if report is None or (args.rebuild and not report.rebuilt):
            # --rebuild is also how an index is emptied on purpose, after every article left the corpus folder.
            report = engine.refresh(
                progress, rebuild_reason="asked to rebuild" if args.rebuild else None, allow_empty=args.rebuild, take_over=args.rebuild
            )
    return print_report(args, engine, report)


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    urls = [argument for argument in args.files if is_url(argument)]
    files = [Path(argument).expanduser() for argument in args.files if not is_url(argument)]
    for argument in args.files:  # before any page is fetched: a typo must not leave pages added but unreported
        path = Path(argument).expanduser()
        if is_url(argument) or path.is_file():
            continue
        if path.is_dir():
            raise SourceError(f"{argument}: is a folder; add takes article files or page addresses (http:// or https://)")
        if "://" in argument:
            raise SourceError(f"{argument}: no such file, and only http:// and https:// addresses are fetched")
        raise SourceError(f"{argument}: no such file")
    engine = open_engine(args, settings)
    pages, failed = add_pages(engine, settings, urls)
    if urls and not pages and not files:
        return 1
    with progress_bar(args.quiet) as progress:
        # One refresh for everything added: the pages' day files and the copied files.
        report = engine.add_files(files, progress) if files else engine.refresh(progress)
    if not args.json:
        for page in pages:
            print(render_feeds.page_text(page))
    code = print_report(args, engine, report, extra_json={"pages": [render_feeds.page_json(p) for p in pages]} if urls else None)
    return 1 if failed else code


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    places = _tend_state(settings)
    listed = ", ".join(map(render_text.shown, args.sources))
    confirm(
        args,
        f"Delete {listed} from {places.corpus_dir}? A copy is kept for {KEEP_DAYS} days "
        f"(`newsbot restore SOURCE` puts it back).",
        f"remove deletes {listed} from the corpus folder",
    )
    engine = open_engine(args, settings)
    with progress_bar(args.quiet) as progress:
        report = engine.remove_sources(args.sources, progress, keep_dir=settings.removed_dir())
    return print_report(args, engine, report, empty_fails=False)


def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_engine(args, settings)
    _tend_state(settings)
    restored = 0
    for source in args.sources:
        try:
            restore_into_corpus(settings.removed_dir(), source, engine.corpus_dir)
            restored += 1
        except SourceError as exc:  # the others are still put back
            print(f"newsbot: {exc}", file=sys.stderr)
    failed = restored < len(args.sources)
    if not restored:
        return 1
    with progress_bar(args.quiet) as progress:
        report = engine.refresh(progress)
    code = print_report(args, engine, report)
    return 1 if failed else code


def _cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    try:
        engine = open_engine(args, settings)
    except IndexDamagedError as exc:  # opening found damage it could not repair (a read-only index): still a report
        found, checked = Verification(exc.damaged, cannot_rebuild=exc.cannot_rebuild), _folder_size(settings.resolved_index_dir())
    else:
        checked = engine.stats().bytes_on_disk
        found = engine.verify()  # with what opening the index found and repaired first
    if args.json:
        emit_json({"damaged": list(found.damaged), "rebuilt": found.rebuilt, "checked_bytes": checked, "cannot_rebuild": found.cannot_rebuild})
    elif found.damaged:
        done = "The index was rebuilt from the corpus." if found.rebuilt else f"The index was not rebuilt: {found.cannot_rebuild}."
        print("\n".join([f"Damaged ({len(found.damaged)}):", *(f"  {p}" for p in found.damaged), done]))
    else:
        print(f"No damage: every block of the index ({render_text.format_size(checked)}) matches its checksum.")
    return 1 if found.damaged else 0


def _folder_size(folder: Path) -> int:
    """Return the bytes of the files in a folder and its subfolders (those it can list)."""
    size = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            size += path.stat().st_size if path.is_file() else 0
    return size


def _cmd_indexes(args: argparse.Namespace, settings: Settings) -> int:
    folders = list_indexes()
    if not args.prune:
        print(json.dumps(render_index.indexes_json(folders), ensure_ascii=False, indent=1) if args.json else render_index.indexes_text(folders))
        return 0
    stale = [f for f in folders if f.stale]
    if stale:
        size = render_text.format_size(sum(f.bytes_on_disk for f in stale))
        confirm(args, f"{render_index.indexes_text(stale)}\nDelete these {len(stale)} indexes ({size}), whose corpus folders are gone?", "--prune deletes index folders")
        for folder in stale:
            delete_index(folder)
    if args.json:
        print(json.dumps(render_index.indexes_json(stale), ensure_ascii=False, indent=1))
    else:
        print(f"Deleted {len(stale)} {'index' if len(stale) == 1 else 'indexes'} whose corpus folder is gone." if stale else "No index has lost its corpus folder.")
    return 0


def _cmd_discord(args: argparse.Namespace, settings: Settings) -> int:
    from newsbot.bot.discord_run import run_discord

    return run_discord(settings)


def configure_logging(quiet: bool) -> None:
    """Send log records to stderr as "newsbot: ...", the engine's only when they warn.

    A handler on the root logger and levels, nothing more: filters that the
    Discord bot puts on discord.py's loggers (its voice warnings) keep
    working, as nothing here replaces loggers, handlers or filters.
    """
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="newsbot: %(message)s")
    # The engine logs each refresh, and each failing feed, for long-running front ends; here the report says it.
    logging.getLogger("newsbot.index").setLevel(logging.ERROR if quiet else logging.WARNING)
    logging.getLogger("newsbot.index.web").setLevel(logging.ERROR)
    quiet_noisy_loggers()


def _setting_name(problem: dict) -> str:
    """Return the environment variable a settings problem is about (NEWSBOT_TOP_K)."""
    field = str(problem["loc"][0]) if problem.get("loc") else "?"
    return f"NEWSBOT_{field.upper()}"


def _hint(error: NewsbotError) -> str:
    """Return the command that helps after a refusal the engine words without naming one ("" when none does)."""
    if isinstance(error, UnknownSourceError):
        return " (see `newsbot sources`)"
    if isinstance(error, IndexOwnerError):
        return "; choose another --index folder, or take it over for this corpus with `newsbot refresh --rebuild`"
    if isinstance(error, IndexDamagedError):
        return "; `newsbot verify` lists the damage, and any command rebuilds the index once its folder can be written"
    if isinstance(error, CorpusGoneError):
        return "; if they are gone for good, `newsbot refresh --rebuild` over an empty corpus folder empties the index"
    return ""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "prompt"])
    configure_logging(args.quiet)
    with contextlib.suppress(AttributeError, ValueError):  # questions read from stdin: bytes not UTF-8 become U+FFFD
        sys.stdin.reconfigure(errors="replace")
    try:
        settings = _settings(args)
    except SettingsFileError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        problem = exc.errors()[0]
        print(f"newsbot: bad setting {_setting_name(problem)} ({problem['loc'][0] if problem['loc'] else '?'}): {problem['msg']}", file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except UsageError as exc:
        print(usage_line(f"newsbot {args.command}", str(exc)), file=sys.stderr)
        return 2
    except NotConfirmed as exc:  # the user said no, or could not be asked: nothing was done
        print(f"newsbot: {exc}", file=sys.stderr)
        return exc.code
    except NewsbotError as exc:
        print(f"newsbot: {exc}{_hint(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(f"newsbot: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
