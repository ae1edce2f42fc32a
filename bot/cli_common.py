"""What every `newsbot` command shares: the common options, loading the index with a progress bar, printing reports."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from newsbot.bot import render
from newsbot.bot.paths import record_corpus
from newsbot.bot.settings import Settings
from newsbot.index import ARTICLE_SUFFIXES, Engine, Progress, RefreshReport, load


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add the options every command takes, before its name or after it.

    After the name they default to SUPPRESS: a command's parser would
    otherwise overwrite with its defaults what was given before the name.
    """
    default = {} if top_level else {"default": argparse.SUPPRESS}
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="corpus folder (default: NEWSBOT_CORPUS_DIR, else the bundled articles)", **default)
    parser.add_argument("--index", type=Path, metavar="DIR", help="index folder (default: NEWSBOT_INDEX_DIR, else one per corpus in the user data dir)", **default)
    parser.add_argument("--state", type=Path, metavar="DIR", help="state folder: feed subscriptions, audit log, removed files kept for restore (default: NEWSBOT_STATE_DIR, else one per corpus in the user data dir)", **default)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or index messages", **default)


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


def load_engine(args: argparse.Namespace, settings: Settings, *, refresh_corpus: bool = True) -> Engine:
    """Load the index of the settings' corpus (refreshing it unless told not to), with a progress bar."""
    corpus, index_dir = settings.resolved_corpus_dir(), settings.resolved_index_dir()
    with progress_bar(args.quiet) as progress:
        engine = load(corpus, index_dir, settings.index_config(), progress=progress, refresh_corpus=refresh_corpus)
    record_corpus(index_dir, corpus)
    return engine


def open_engine(args: argparse.Namespace, settings: Settings) -> Engine:
    """Load the index, telling stderr what the refresh on opening changed and when the corpus is empty."""
    engine = load_engine(args, settings)
    report = engine.last_report
    if report is not None and not args.quiet and (report.rebuilt or not report.unchanged):
        for line in render.report_text(report).splitlines():
            print(f"newsbot: {line}", file=sys.stderr)
    note_if_empty(args, engine)
    return engine


def note_if_empty(args: argparse.Namespace, engine: Engine) -> None:
    """Say so on stderr when the index holds no article: an answer of "the articles don't say" would hide why."""
    if args.quiet or engine.stats().articles:
        return
    print(f"newsbot: the corpus folder {engine.corpus_dir} holds no articles ({', '.join(ARTICLE_SUFFIXES)})", file=sys.stderr)


def emit_json(value: object) -> None:
    """Print a value as one line of JSON."""
    print(json.dumps(value, ensure_ascii=False))


def print_report(args: argparse.Namespace, engine: Engine, report: RefreshReport, *, extra_json: dict | None = None) -> int:
    """Print what a refresh changed (JSON with --json, after extra_json's keys); return the exit code: 1 when nothing could be indexed."""
    shown = {**(extra_json or {}), **render.report_json(report)}
    print(json.dumps(shown, ensure_ascii=False, indent=1) if args.json else render.report_text(report))
    note_if_empty(args, engine)
    indexed = engine.stats().articles
    return 0 if indexed or not report.skipped else 1
