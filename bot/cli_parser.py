"""The `newsbot` argument parser: usage errors are one line that names the command's help, and exit 2."""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Sequence

# argparse's "argument --top: must be ..." read as one phrase: "--top must be ...".
_ARGUMENT_RE = re.compile(r"^argument ([^:/]+)(?:/[^:]+)?: ")
_CHOICE_RE = re.compile(r"invalid choice: '(.*?)'")
# The command a bare `newsbot` runs, and so the one an option before no command was meant for.
DEFAULT_COMMAND = "prompt"


class UsageError(Exception):
    """A command was given what it cannot take (an empty question, say): `main` words it as argparse's errors, exit 2."""


def usage_line(prog: str, message: str) -> str:
    """Return a usage error as every command words it: "newsbot ask: error: ... (see newsbot ask --help)"."""
    return f"{prog}: error: {message} (see {prog} --help)"


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, pointing at the command's help, and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        match = _ARGUMENT_RE.match(message)
        if match and match.group(1) == "COMMAND":
            chosen = _CHOICE_RE.search(message)
            message = f"unknown command {chosen.group(1)!r}; the commands are {', '.join(subcommands(self))}" if chosen else message[match.end():]
        elif match:
            rest = message[match.end():]
            message = f"{match.group(1)} {rest}" if rest.startswith("must ") else f"{match.group(1)}: {rest}"
        self.exit(2, usage_line(self.prog, message) + "\n")

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        """Parse as argparse does, but name an unknown option instead of listing every leftover word."""
        if args is not None:
            self._refuse_misplaced_option(args)
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            parser = subcommands(self).get(getattr(parsed, "command", None) or "", self)
            word = extras[0]
            if word.startswith("-") and word != "-":
                option = word.partition("=")[0]
                known = _options(parser)
                close = difflib.get_close_matches(option, known, n=1, cutoff=0.8)  # a typo, not any option
                parser.error(f"unknown option {option}" + (f"; did you mean {close[0]}?" if close else ""))
            parser.error(f"unexpected argument {word!r}")
        return parsed

    def _refuse_misplaced_option(self, args: Sequence[str]) -> None:
        """Refuse a command's option given before the command's name (`newsbot --json ask`), saying where it goes.

        argparse would call it unknown, or take its value for the command's
        name (`newsbot --top 1`: "unknown command '1'").
        """
        commands = subcommands(self)
        if not commands:
            return
        own = {option: action for action in self._actions for option in action.option_strings}
        named = next((word for word in args if word in commands), None)
        skip = False
        for at, word in enumerate(args):
            if skip:
                skip = False
                continue
            if word == "--" or word in commands:
                return
            if not word.startswith("-") or word == "-":
                continue
            option = word.partition("=")[0]
            if option in own or any(o.startswith(option) for o in own if o.startswith("--")):  # argparse takes prefixes
                skip = "=" not in word and own.get(option) is not None and own[option].nargs != 0
                continue
            takers = [name for name in ([named] if named else [DEFAULT_COMMAND, *commands]) if option in _options(commands[name])]
            if not takers:
                continue
            name = takers[0]
            action = next(a for a in commands[name]._actions if option in a.option_strings)
            given = word if "=" in word or action.nargs == 0 or at + 1 >= len(args) else f"{word} {args[at + 1]}"
            if named:
                message = f"{option} goes after the command name: newsbot {name} {given} ..."
            else:
                message = f"{option} is an option of a command and goes after its name: newsbot {name} {given} ..."
            self.exit(2, usage_line(commands[name].prog if named else self.prog, message) + "\n")


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """Return every option string a parser knows."""
    return [option for action in parser._actions for option in action.option_strings]  # argparse's own list


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Return the parser of each command, by name."""
    for action in parser._actions:  # argparse keeps its subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
