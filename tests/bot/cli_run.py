"""Run the `newsbot` command line in-process: `main(argv)` with captured output and a given stdin."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsbot.bot.cli import main


@dataclass(frozen=True)
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str


class Stdin(io.StringIO):
    """Standard input holding the given text, a terminal or not."""

    def __init__(self, text: str = "", terminal: bool = False) -> None:
        super().__init__(text)
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


Run = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """Return a runner of `newsbot ARGS` with its index and state folders under tmp_path.

    The common options go before the command (after it when `after=True`);
    `stdin` is what the command reads, `terminal` whether it is a terminal.
    """
    monkeypatch.chdir(tmp_path)
    engine_logger = logging.getLogger("newsbot.index")
    level = engine_logger.level

    def run(*args: str, corpus: Path | None = None, stdin: str = "", terminal: bool = False, after: bool = False) -> Result:
        common = ["--index", str(tmp_path / "index"), "--state", str(tmp_path / "state")]
        if corpus is not None:
            common += ["--corpus", str(corpus)]
        monkeypatch.setattr(sys, "stdin", Stdin(stdin, terminal))
        try:
            code = main([*args, *common] if after else [*common, *args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    yield run
    engine_logger.setLevel(level)  # main() sets it; other tests read the engine's warnings
