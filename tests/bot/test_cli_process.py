"""The `newsbot` command line as a separate process: the installed script, signals, pipes, a terminal, logging."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsbot.index import load
from tests.conftest import write_jsonl


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_") and k != "DISCORD_TOKEN"}
    return env | {"XDG_DATA_HOME": str(tmp_path / "xdg")}


def test_the_installed_script_answers(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("newsbot")
    if not script.exists():
        pytest.skip("the newsbot console script is not installed next to this interpreter")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and re.search(r"usage: newsbot", result.stdout)
    result = subprocess.run(
        [str(script), "--index", str(tmp_path / "index"), "ask", "--json", "who", "mediated?"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=_env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Ankara" in json.loads(result.stdout)["answers"][0]["quote"]


def _ask_process(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsbot.bot", "ask", "-", "--index", str(tmp_path / "index")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=_env(tmp_path),
        # A test run in the background ignores SIGINT, and so would its children: Python
        # installs its KeyboardInterrupt handler only where SIGINT is not ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def test_sigint_while_reading_questions_exits_130_quietly(tmp_path: Path) -> None:
    process = _ask_process(tmp_path)
    process.stdin.write(b"who mediated?\n")
    process.stdin.flush()
    assert process.stdout.readline().startswith(b"Q: who mediated?")  # loaded and answering
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and b"Traceback" not in err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    process = _ask_process(tmp_path)
    process.stdin.write(b"who mediated?\n")
    process.stdin.flush()
    assert process.stdout.readline()
    process.stdout.close()  # `| head -1`
    process.stdin.write(b"who mediated?\n" * 50)
    process.stdin.close()
    process.wait(timeout=60)
    err = process.stderr.read()
    assert process.returncode == 141 and b"Traceback" not in err and b"Broken pipe" not in err


def test_interrupted_refresh_leaves_the_previous_index_loadable(tmp_path: Path, seed_corpus: Path) -> None:
    load(seed_corpus, tmp_path / "index")
    words = "minister border trade talks ceasefire army market election court drought harvest".split()
    write_jsonl(seed_corpus / "big.jsonl", [
        {"id": n, "title": f"Story {n}", "published": "2025-01-01",
         "text": " ".join(f"The {words[(n + i) % 11]} report number {n} said {words[i % 11]} news on day {i}." for i in range(12))}
        for n in range(4000)
    ])  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "newsbot.bot", "refresh", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index")],
        cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if any((tmp_path / "index").glob("seg-*.tmp")):
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    engine = load(seed_corpus, tmp_path / "index", refresh_corpus=False)
    assert "Ankara" in engine.answer("who mediated?").quotes[0].text
    engine.refresh()  # whether the killed refresh got to swap its index in or not
    assert engine.stats().articles == 4002


def test_terminal_gets_a_progress_bar(tmp_path: Path, seed_corpus: Path) -> None:
    import pty

    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": n, "title": f"Story {n}", "published": "2025-01-01", "text": f"Report {n} on the border talks went on."}
        for n in range(3000)
    ])  # fmt: skip
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsbot.bot", "refresh", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index")],
        cwd=tmp_path, env=_env(tmp_path) | {"COLUMNS": "120", "TERM": "xterm"}, stdout=subprocess.PIPE, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    screen = seen.decode("utf-8", "replace")
    assert re.search(r"(reading|indexing).*\d+/\d+", screen), screen[-500:]
    piped = subprocess.run(
        [sys.executable, "-m", "newsbot.bot", "refresh", "--rebuild", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index")],
        capture_output=True, text=True, cwd=tmp_path, env=_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0 and "━" not in piped.stderr and "\r" not in piped.stderr


def test_logging_setup_keeps_filters_on_discords_loggers(tmp_path: Path) -> None:
    # As the Discord bot silences discord.py's voice warnings: a filter on its logger.
    program = (
        "import logging\n"
        "from newsbot.bot.cli import configure_logging\n"
        "logging.getLogger('discord.client').addFilter(lambda record: 'PyNaCl' not in record.getMessage())\n"
        "configure_logging(quiet=False)\n"
        "logging.getLogger('discord.client').warning('PyNaCl is not installed, voice will NOT be supported')\n"
        "logging.getLogger('discord.client').warning('logged in')\n"
        "logging.getLogger('newsbot.index.engine').info('refreshed')\n"
        "logging.getLogger('newsbot.index.engine').warning('damaged')\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, env=_env(tmp_path))
    assert result.stderr.splitlines() == ["newsbot: logged in", "newsbot: damaged"]
