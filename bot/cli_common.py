"""What every `newsbot` command shares: the common options, loading the index with a progress bar, asking, printing reports."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import re
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from newsbot.bot import render, render_index
from newsbot.bot.cli_parser import usage_line
from newsbot.bot.paths import record_corpus
from newsbot.bot.settings import TOP_K_MAX, TOP_K_MIN, Settings
from newsbot.index import ARTICLE_SUFFIXES, Engine, Progress, QuestionError, RefreshReport, load, parse_date_bound, printable

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add the options every command takes, before its name or after it.

    After the name they default to SUPPRESS: a command's parser would
    otherwise overwrite with its defaults what was given before the name.
    """
    default = {} if top_level else {"default": argparse.SUPPRESS}
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="corpus folder (default: NEWSBOT_CORPUS_DIR, else the bundled articles)", **default)
    parser.add_argument("--index", type=Path, metavar="DIR", help="index folder (default: NEWSBOT_INDEX_DIR, else one per corpus in the user data dir)", **default)
    parser.add_argument("--state", type=Path, metavar="DIR", help="state folder: feed subscriptions, audit log, answer votes, removed files kept for restore (default: NEWSBOT_STATE_DIR, else one per corpus in the user data dir)", **default)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or index messages", **default)


def date_bound(*, end: bool):
    """Return an argparse type reading a date bound: the first day of a month or year, or with end the last."""

    def parse(text: str) -> date:
        try:
            return parse_date_bound(text, end=end)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _top(text: str) -> int:
    """Read --top: a whole number in the range the settings allow."""
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not TOP_K_MIN <= number <= TOP_K_MAX:
        raise argparse.ArgumentTypeError(f"must be between {TOP_K_MIN} and {TOP_K_MAX} (got {text!r})")
    return number


def _day(text: str) -> date:
    """Read --as-of: one day, YYYY-MM-DD (a month or a year names no one day to read "yesterday" against)."""
    if _DAY_RE.fullmatch(text.strip()) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")
    return date_bound(end=False)(text)


def add_as_of_option(parser: argparse.ArgumentParser) -> None:
    """Add --as-of: the day relative time words are read against."""
    parser.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", help='the day "latest", "this week" and "yesterday" are read against (default: today, UTC)')


def add_top_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add --top: how many quotes an answer shows."""
    parser.add_argument("--top", type=_top, metavar="N", help=f"at most N quotes {what}, {TOP_K_MIN} to {TOP_K_MAX} (default: NEWSBOT_TOP_K, else 3)")


@contextlib.contextmanager
def progress_bar(quiet: bool) -> Iterator[Progress | None]:
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


def load_engine(args: argparse.Namespace, settings: Settings, *, refresh_corpus: bool = True, take_over: bool = False) -> Engine:
    """Load the index of the settings' corpus (refreshing it unless told not to), with a progress bar.

    With take_over, an index folder holding another corpus's index is rebuilt for this one.
    """
    corpus, index_dir = settings.resolved_corpus_dir(), settings.resolved_index_dir()
    with progress_bar(args.quiet) as progress:
        engine = load(corpus, index_dir, settings.index_config(), progress=progress, refresh_corpus=refresh_corpus, take_over=take_over)
    record_corpus(index_dir, corpus)
    return engine


def open_engine(args: argparse.Namespace, settings: Settings, *, note_empty: bool = True) -> Engine:
    """Load the index, telling stderr what the refresh on opening changed and (note_empty) when the corpus is empty."""
    engine = load_engine(args, settings)
    report = engine.last_report
    if report is not None and not args.quiet and (report.rebuilt or not report.unchanged):
        for line in render_index.report_text(report).splitlines():
            print(f"newsbot: {line}", file=sys.stderr)
    if note_empty:
        note_if_empty(args, engine)
    return engine


def note_if_empty(args: argparse.Namespace, engine: Engine, *, see: str = "`newsbot stats` says why") -> None:
    """Say so on stderr when the index holds no article: an answer of "the articles don't say" would hide why.

    `see` points to where the reasons are listed, when there are article files none of which could be indexed.
    """
    stats = engine.stats()
    if args.quiet or stats.articles:
        return
    if stats.files:
        files = f"{stats.files} article file{'s' if stats.files != 1 else ''}"
        print(f"newsbot: none of the {files} in the corpus folder {engine.corpus_dir} could be indexed ({see})", file=sys.stderr)
        return
    print(f"newsbot: the corpus folder {engine.corpus_dir} holds no articles ({', '.join(ARTICLE_SUFFIXES)})", file=sys.stderr)


def emit_json(value: object) -> None:
    """Print a value as one line of JSON."""
    print(json.dumps(value, ensure_ascii=False))


def print_report(
    args: argparse.Namespace, engine: Engine, report: RefreshReport, *, extra_json: dict | None = None, empty_fails: bool = True
) -> int:
    """Print what a refresh changed (JSON with --json, after extra_json's keys); return the exit code.

    1 when the index holds no article afterwards (nothing could be indexed), unless
    `empty_fails` is False: `remove` of the last article empties it on purpose.
    """
    stats = engine.stats()
    # What is skipped is the index's one list, as `stats` shows it, not only what this refresh read.
    report = dataclasses.replace(report, skipped=stats.skipped, warnings=stats.warnings)
    shown = {**(extra_json or {}), **render_index.report_json(report)}
    print(json.dumps(shown, ensure_ascii=False, indent=1) if args.json else render_index.report_text(report))
    note_if_empty(args, engine, see="see Skipped")
    return 1 if empty_fails and not stats.articles else 0


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) that comes while the block runs, and raise its KeyboardInterrupt after it;
    a second one raises at once (an answer that finds its index damaged rebuilds it first, which may take long).

    The engine's first answer loads its compiled loops (a tenth of a second; on
    a fresh install, compiling them takes a few), and an interrupt inside
    numba's or LLVM's code could be swallowed there or crash the process. Only
    in the main thread (where Python handles signals), and only while Ctrl-C is
    not ignored.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        if caught:
            raise KeyboardInterrupt
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)  # None: not set from Python
        if caught:
            raise KeyboardInterrupt


def ask_one(
    engine: Engine, question: str, top_k: int, args: argparse.Namespace, *, batch: bool = False, command: str | None = None
) -> bool:
    """Print the answer to one question; return False when the question was refused.

    In a text batch the refusal takes the answer's place on stdout, so every
    question printed has something under it. With `command` (as "newsbot ask")
    a refusal is that command's usage error, naming its help.
    """
    as_json = getattr(args, "json", False)
    question = printable(question)  # a terminal's bytes that are not UTF-8 could not be written back
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    try:
        with interrupts_held():
            answer = engine.answer(question, top_k, as_of=args.as_of, since=since, until=until)
    except QuestionError as exc:
        if batch and not as_json:
            print(f"Not asked: {exc}.")
        else:
            print(usage_line(command, str(exc)) if command else f"newsbot: {exc}", file=sys.stderr)
        if as_json:
            emit_json(render.refused_json(question, str(exc)))
        return False
    chosen_by = " and ".join(flag for flag, bound in (("--since", since), ("--until", until)) if bound is not None)
    print(json.dumps(render.answer_json(answer), ensure_ascii=False) if as_json else render.answer_text(answer, chosen_by=chosen_by))
    return True


def add_yes_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add --yes/-y: do `what` without asking."""
    parser.add_argument("--yes", "-y", action="store_true", help=f"{what} without asking (needed when there is no terminal to ask on)")


class NotConfirmed(Exception):
    """The user said no (exit 1), or could not be asked (a usage error: exit 2)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def confirm(args: argparse.Namespace, question: str, doing: str) -> None:
    """Ask a yes/no question on the terminal unless --yes was given.

    Raises NotConfirmed for anything but yes, and when stdin is no terminal;
    `main` reports it and exits with its code.
    """
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmed(f"{doing}; with no terminal to ask on, pass --yes to go ahead", 2)
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        reply = sys.stdin.readline()
    except KeyboardInterrupt:
        reply = ""
    if reply.strip().lower() not in ("y", "yes"):
        raise NotConfirmed("nothing done", 1)
