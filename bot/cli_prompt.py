"""`newsbot prompt`: question after question with the index loaded once, a follow-up read with the question before it."""

from __future__ import annotations

import argparse
import contextlib
import sys

from newsbot.bot import render_index, render_text
from newsbot.bot.cli_common import add_as_of_option, add_common_options, add_top_option, ask_one, open_engine
from newsbot.bot.settings import Settings
from newsbot.index import Engine, NewsbotError

PROMPT_HELP = "Type a question, or :sources, :stats, :refresh, :new (forget the previous question), :help, :quit."
RESET_COMMANDS = (":new", ":reset")
QUIT_COMMANDS = (":quit", ":q", ":exit")


def add_prompt_parser(sub: argparse._SubParsersAction) -> None:
    """Register `newsbot prompt`, its function beside its options."""
    prompt = sub.add_parser(
        "prompt", help="ask question after question, index loaded once",
        description="An interactive prompt: questions, and :sources, :stats, :refresh, :new, :help, :quit. "
        'A follow-up ("and when?", "what about Turkey?", "why?") is read with the previous question\'s subject, '
        "and the reading is shown; :new forgets the previous question. Ctrl-C clears the line, Ctrl-D quits.",
    )  # fmt: skip
    add_top_option(prompt, "per answer")
    add_as_of_option(prompt)
    add_common_options(prompt)
    prompt.set_defaults(func=_cmd_prompt)


def _read_line(engine: Engine, previous: str | None, line: str) -> str:
    """Return the question a line asks: a follow-up (`Engine.is_follow_up`) with the previous question's subject, else the line itself."""
    if previous is None or not engine.is_follow_up(line):
        return line
    return engine.follow_up(previous, line)


def _cmd_prompt(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_engine(args, settings)
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        print(f"newsbot: {engine.stats().articles} articles. {PROMPT_HELP} Ctrl-C clears the line, Ctrl-D quits.")
    previous: str | None = None  # the last question asked, as it was read
    while True:
        try:
            line = input("newsbot> " if interactive else "")
        except EOFError:
            if interactive:
                print()
            break
        except KeyboardInterrupt:
            if not interactive:
                raise
            print()  # as a shell does: the line is dropped, the prompt stays
            continue
        line = line.strip()
        if not line:
            continue
        if line in QUIT_COMMANDS:
            break
        try:
            if line == ":sources":
                print(render_index.sources_text(engine.sources()))
            elif line == ":stats":
                print(render_index.stats_text(engine.stats()))
            elif line == ":refresh":
                print(render_index.report_text(engine.refresh()))
            elif line in RESET_COMMANDS:
                previous = None
                print("(previous question forgotten: the next one stands on its own)")
            elif line == ":help":
                print(PROMPT_HELP)
            elif line.startswith(":"):
                print(f"Unknown command {render_text.shown(line.split()[0])}. {PROMPT_HELP}")
            else:
                question = _read_line(engine, previous, line)
                if question != line:
                    print(f"(reading it as: {question})")
                if ask_one(engine, question, settings.top_k, args):
                    previous = question
        except NewsbotError as exc:  # the prompt carries on with the index it has
            print(f"newsbot: {exc}", file=sys.stderr)
        except KeyboardInterrupt:
            if not interactive:
                raise
            print("(interrupted)")
        print()
        sys.stdout.flush()
    return 0
