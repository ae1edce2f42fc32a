"""The `newsbot` command line: ask, list and refresh from a terminal."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from newsbot.bot import render
from newsbot.bot.settings import Settings, get_settings
from newsbot.index import Engine, NewsbotError, QuestionError, load, parse_date_bound
from newsbot.index.models import RefreshReport
from newsbot.index.storage.refresh import Progress

log = logging.getLogger("newsbot")

PROMPT_HELP = "Type a question, or :sources, :stats, :refresh, :help, :quit."


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors name the subcommand and exit 2."""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="corpus folder (default: NEWSBOT_CORPUS_DIR, else the bundled articles)")
    parser.add_argument("--index", type=Path, metavar="DIR", help="index folder (default: NEWSBOT_INDEX_DIR, else one per corpus in the user data dir)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or index messages")


def _day(*, end: bool):
    """Return an argparse type reading a date bound: the first day of a month or year, or with end the last."""

    def parse(text: str) -> date:
        try:
            return parse_date_bound(text, end=end)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_day(end=False), metavar="YYYY-MM-DD", help='the day "latest", "this week" and "yesterday" are read against (default: today, UTC)')


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    parser = _Parser(
        prog="newsbot",
        description="Answer questions about news articles with quoted, dated source sentences. "
        "With no command, opens an interactive prompt.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer a question from the articles", description="Answer a question with quoted source sentences, their articles and dates.")
    ask.add_argument("question", help='the question, in quotes; "-" reads one question per line from stdin')
    ask.add_argument("--top", type=int, metavar="N", help="at most N quotes (default: NEWSBOT_TOP_K, 3)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--since", type=_day(end=False), metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)")
    ask.add_argument("--until", type=_day(end=True), metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY)")
    _as_of(ask)
    _common(ask)

    sources = sub.add_parser("sources", help="list the indexed articles, newest first", description="List the indexed articles with their dates, newest first.")
    sources.add_argument("--json", action="store_true", help="print a JSON list")
    _common(sources)

    stats = sub.add_parser("stats", help="show index counts, size and last refresh", description="Show articles, passages, vocabulary, size on disk, last refresh and skipped files.")
    stats.add_argument("--json", action="store_true", help="print a JSON object")
    _common(stats)

    refresh = sub.add_parser("refresh", help="index added or changed articles, drop removed ones", description="Compare the corpus folder with the index, read only what changed, and swap the result in.")
    refresh.add_argument("--json", action="store_true", help="print the summary as JSON")
    refresh.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the corpus")
    _common(refresh)

    add = sub.add_parser("add", help="copy article files into the corpus and refresh", description="Copy article files (.txt, .jsonl, .jsonl.gz) into the corpus folder, then refresh.")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article files to add")
    add.add_argument("--json", action="store_true", help="print the summary as JSON")
    _common(add)

    remove = sub.add_parser("remove", help="remove articles by source and refresh", description='Remove articles by source: a corpus file ("news.txt"), or one JSON-lines article ("wire.jsonl#42"), then refresh.')
    remove.add_argument("sources", nargs="+", metavar="SOURCE", help="sources as `newsbot sources` lists them")
    remove.add_argument("--json", action="store_true", help="print the summary as JSON")
    _common(remove)

    verify = sub.add_parser("verify", help="check every index file against its checksums", description="Check every block of every index file against the checksums written with it; rebuild the index from the corpus when anything is damaged.")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    _common(verify)

    prompt = sub.add_parser("prompt", help="ask question after question, index loaded once", description="An interactive prompt: questions, and :sources, :stats, :refresh, :quit.")
    prompt.add_argument("--top", type=int, metavar="N", help="at most N quotes per answer")
    _as_of(prompt)
    _common(prompt)

    discord = sub.add_parser("discord", help="run the Discord bot", description="Run the Discord bot (token from DISCORD_TOKEN or NEWSBOT_DISCORD_TOKEN; see the README).")
    _common(discord)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return get_settings(corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None), top_k=getattr(args, "top", None))


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Progress | None]:
    """Yield a progress callback drawing a bar on a terminal; None when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
             TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), transient=True,
             console=Console(stderr=True), auto_refresh=False) as bar:  # fmt: skip
        # Redrawn on each update, not from a thread of its own: with no other thread
        # running, a big build may fork its worker processes.
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total, rate="")
            task = bar.tasks[tasks[stage]]
            rate = f"{done / task.elapsed:,.0f}/s" if task.elapsed else ""
            bar.update(tasks[stage], completed=done, total=total, rate=rate)
            bar.refresh()

        yield update


def _open(args: argparse.Namespace, settings: Settings) -> Engine:
    with _progress(args.quiet) as progress:
        engine = load(settings.resolved_corpus_dir(), settings.resolved_index_dir(), settings.index_config(), progress=progress)
    report = engine.last_report
    if report is not None and not args.quiet and (report.rebuilt or not report.unchanged):
        for line in render.report_text(report).splitlines():
            print(f"newsbot: {line}", file=sys.stderr)
    return engine


def _emit(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


def _ask_one(engine: Engine, question: str, top_k: int, as_json: bool, args: argparse.Namespace) -> bool:
    """Print the answer to one question; return False when the question was refused."""
    try:
        answer = engine.answer(
            question, top_k, as_of=args.as_of, since=getattr(args, "since", None), until=getattr(args, "until", None)
        )
    except QuestionError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        if as_json:
            _emit({"question": question, "no_answer": True, "answers": [], "error": str(exc)})
        return False
    print(json.dumps(render.answer_json(answer), ensure_ascii=False) if as_json else render.answer_text(answer))
    return True


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.question != "-" and not args.question.strip():
        print("newsbot: the question is empty", file=sys.stderr)
        return 2
    engine = _open(args, settings)
    if args.question != "-":
        return 0 if _ask_one(engine, args.question, settings.top_k, args.json, args) else 2
    first = True
    for line in sys.stdin:
        if not line.strip():
            continue
        if not first and not args.json:
            print()
        first = False
        _ask_one(engine, line.strip(), settings.top_k, args.json, args)
        sys.stdout.flush()
    return 0


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    sources = _open(args, settings).sources()
    print(json.dumps([render.source_json(s) for s in sources], ensure_ascii=False, indent=1) if args.json else render.sources_text(sources))
    return 0


def _cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = _open(args, settings).stats()
    print(json.dumps(render.stats_json(stats), ensure_ascii=False, indent=1) if args.json else render.stats_text(stats))
    return 0


def _print_report(args: argparse.Namespace, engine: Engine, report: RefreshReport) -> int:
    print(json.dumps(render.report_json(report), ensure_ascii=False, indent=1) if args.json else render.report_text(report))
    indexed = engine.stats().articles
    return 0 if indexed or not report.skipped else 1


def _cmd_refresh(args: argparse.Namespace, settings: Settings) -> int:
    corpus, index_dir = settings.resolved_corpus_dir(), settings.resolved_index_dir()
    with _progress(args.quiet) as progress:
        engine = load(corpus, index_dir, settings.index_config(), progress=progress, refresh_corpus=False)
        report = engine.last_report
        if report is None or args.rebuild:
            report = engine.refresh(progress, rebuild_reason="asked to rebuild" if args.rebuild else None)
    return _print_report(args, engine, report)


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    engine = _open(args, settings)
    with _progress(args.quiet) as progress:
        report = engine.add_files([f.expanduser() for f in args.files], progress)
    return _print_report(args, engine, report)


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    engine = _open(args, settings)
    with _progress(args.quiet) as progress:
        report = engine.remove_sources(args.sources, progress)
    return _print_report(args, engine, report)


def _cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    engine = _open(args, settings)
    stats = engine.stats()
    problems = engine.verify()
    if args.json:
        _emit({"damaged": problems, "rebuilt": bool(problems), "checked_bytes": stats.bytes_on_disk})
    elif problems:
        print("\n".join([f"Damaged ({len(problems)}):", *(f"  {p}" for p in problems), "The index was rebuilt from the corpus."]))
    else:
        print(f"No damage: every block of the index ({render.format_size(stats.bytes_on_disk)}) matches its checksum.")
    return 1 if problems else 0


def _cmd_prompt(args: argparse.Namespace, settings: Settings) -> int:
    engine = _open(args, settings)
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        print(f"newsbot: {engine.stats().articles} articles. {PROMPT_HELP}")
    while True:
        try:
            line = input("newsbot> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            break
        line = line.strip()
        if not line:
            continue
        if line in (":quit", ":q", ":exit"):
            break
        try:
            if line == ":sources":
                print(render.sources_text(engine.sources()))
            elif line == ":stats":
                print(render.stats_text(engine.stats()))
            elif line == ":refresh":
                print(render.report_text(engine.refresh()))
            elif line.startswith(":"):
                print(PROMPT_HELP)
            else:
                _ask_one(engine, line, settings.top_k, False, args)
        except NewsbotError as exc:  # the prompt carries on with the index it has
            print(f"newsbot: {exc}", file=sys.stderr)
        print()
        sys.stdout.flush()
    return 0


def _cmd_discord(args: argparse.Namespace, settings: Settings) -> int:
    from newsbot.bot.discord_bot import run_discord

    return run_discord(settings)


COMMANDS = {
    "ask": _cmd_ask,
    "sources": _cmd_sources,
    "stats": _cmd_stats,
    "refresh": _cmd_refresh,
    "add": _cmd_add,
    "remove": _cmd_remove,
    "verify": _cmd_verify,
    "prompt": _cmd_prompt,
    "discord": _cmd_discord,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["prompt", *(argv or [])])
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="newsbot: %(message)s")
    for noisy in ("newsbot.index.storage.refresh", "newsbot.index.engine", "newsbot.index.reading.articles"):
        logging.getLogger(noisy).setLevel(logging.ERROR if args.quiet else logging.WARNING)
    if getattr(args, "top", None) is not None and args.top < 1:
        parser.error("--top must be at least 1")
    try:
        settings = _settings(args)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        print(f"newsbot: bad setting {where}: {problem['msg']}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, settings)
    except NewsbotError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
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
