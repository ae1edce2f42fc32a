"""Faults at the command line: bad corpus entries are skipped with a reason, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli import main


def test_a_symlink_loop_is_one_skipped_entry_not_a_crash(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    (seed_corpus / "loop.txt").symlink_to("loop.txt")
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--quiet"]
    assert main(["refresh", "--json", *common]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == [{"source": "loop.txt", "line": None, "reason": "symlink loop"}]
    assert main(["ask", *common, "who mediated?"]) == 0
