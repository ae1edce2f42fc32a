"""`newsbot feedback`: what the 👍/👎 votes on the Discord bot's answers add up to, and the down-voted questions exported for labelling."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsbot.bot import render, render_text
from newsbot.bot.cli_common import add_common_options
from newsbot.bot.feedback import FEEDBACK_FILE, export_down_votes, read_votes, summarise
from newsbot.bot.settings import Settings


def add_feedback_parser(sub: argparse._SubParsersAction) -> None:
    """Register `newsbot feedback`, its function beside its options."""
    feedback = sub.add_parser(
        "feedback", help="count the 👍/👎 votes on answers, list the questions voted down most",
        description=f"Read the votes that the Discord bot's 👍/👎 buttons keep in {FEEDBACK_FILE} in the state folder "
        "(a user's newest vote on an answer counts): print how many are up and down, and the questions voted down "
        "most. --export writes the down-voted questions as JSON lines shaped like benchmarks/questions/*.jsonl, to be labelled.",
    )  # fmt: skip
    feedback.add_argument("--json", action="store_true", help='print {"up", "down", "most_down": [{"question", "down"}], "state_dir"}, with "exported": {"file", "questions"} after --export')
    feedback.add_argument("--export", type=Path, metavar="FILE", help="write each down-voted question once to FILE (a new file) as a JSON line for benchmarks/questions")
    add_common_options(feedback)
    feedback.set_defaults(func=_cmd_feedback)


def _cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    state_dir = settings.resolved_state_dir()
    if args.export is not None and args.export.exists():
        # A labelled set made from an earlier export would lose its labels.
        print(f"newsbot: {render_text.shown(str(args.export))} already exists; export to a new file", file=sys.stderr)
        return 1
    votes = read_votes(state_dir)
    summary = summarise(votes)
    written = export_down_votes(votes, args.export) if args.export is not None and summary.down else 0
    if args.json:
        shown = render.feedback_json(summary, state_dir)
        if args.export is not None:
            shown["exported"] = {"file": str(args.export) if written else None, "questions": written}
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        return 0
    print(render.feedback_text(summary, state_dir))
    if args.export is not None and (summary.up or summary.down):
        print(render.feedback_exported_text(written, args.export))
    return 0
