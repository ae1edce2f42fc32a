"""Faults at the command line: bad corpus entries are skipped with a reason, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from newsbot.bot.cli import main


def test_a_symlink_loop_is_one_skipped_entry_not_a_crash(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    (seed_corpus / "loop.txt").symlink_to("loop.txt")
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--quiet"]
    assert main(["refresh", "--json", *common]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == [{"source": "loop.txt", "line": None, "reason": "symlink loop"}]
    assert main(["ask", *common, "who mediated?"]) == 0


def test_a_newline_in_a_file_name_is_escaped_in_text_output(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "two\nlines.txt").write_text("Bridge deal\n\nThe council signed the deal.\n", encoding="utf-8")
    common = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--quiet"]
    assert main(["sources", *common]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "two\\nlines.txt" in out
    assert main(["refresh", "--rebuild", *common]) == 0
    assert "two\\nlines.txt" in capsys.readouterr().out
