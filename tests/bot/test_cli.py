"""The `newsbot` command line, end to end in a subprocess on real files."""

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

from newsbot.bot.cli import COMMANDS, build_parser
from newsbot.index import load
from tests.conftest import REPO, write_jsonl

AMBASSADORS = "Islamabad and Kabul had agreed in principle to send ambassadors"


def run(tmp_path: Path, *args: str, stdin: str | None = None, corpus: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m newsbot.bot` with its index (and optionally corpus) under tmp_path."""
    extra = ["--index", str(tmp_path / "index")]
    if corpus is not None:
        extra += ["--corpus", str(corpus)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_") and k != "DISCORD_TOKEN"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    command = [sys.executable, "-m", "newsbot.bot", *args]
    if args and args[0] in COMMANDS:
        command += extra
    return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)


def test_ask_json_on_the_bundled_corpus(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "--json", "when were ambassadors agreed?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"question", "no_answer", "tentative", "answers"}
    assert data["question"] == "when were ambassadors agreed?" and data["no_answer"] is False
    first = data["answers"][0]
    assert set(first) == {"quote", "article", "event_date", "score"}
    assert set(first["article"]) == {"title", "published", "source", "url"}
    assert first["quote"].startswith(AMBASSADORS)
    assert first["article"]["published"] == "2025-05-21"
    assert first["article"]["title"].startswith("Afghanistan and Pakistan to work to upgrade diplomatic ties")
    assert isinstance(first["score"], float)


def test_who_mediated_json(tmp_path: Path) -> None:
    data = json.loads(run(tmp_path, "ask", "--json", "who mediated?").stdout)
    first = data["answers"][0]
    assert "Ankara would help reinstate a ceasefire" in first["quote"]
    assert (first["article"]["published"], first["event_date"]) == ("2026-03-04", "2026-03-03")


def test_ask_text_quotes_with_title_and_leading_date(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "when were ambassadors agreed?")
    assert result.returncode == 0
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith(f"21 May 2025: “{AMBASSADORS}")
    assert "Afghanistan and Pakistan to work to upgrade diplomatic ties" in result.stdout


def test_ask_no_answer(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "What is the capital of France?")
    assert (result.returncode, result.stdout.strip()) == (0, "The articles don't say.")
    data = json.loads(run(tmp_path, "ask", "--json", "Who won the 2022 World Cup?").stdout)
    assert data == {"question": "Who won the 2022 World Cup?", "no_answer": True, "tentative": False, "answers": []}


def test_ask_stdin_answers_each_line_in_order(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "-", "--json", stdin="who mediated?\n\n   \nthe\nwhen were ambassadors agreed?\n")
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["who mediated?", "the", "when were ambassadors agreed?"]
    assert "error" in lines[1] and lines[1]["no_answer"]
    assert lines[2]["answers"][0]["quote"].startswith(AMBASSADORS)
    assert result.stderr.count("Indexed the corpus") == 1  # one index load for all lines


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("ask",), 2, "required: question"),
        (("ask", "   "), 2, "the question is empty"),
        (("ask", "who is it?"), 2, "no word to search for"),
        (("ask", "--top", "0", "who mediated?"), 2, "--top must be at least 1"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_corpus_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "who mediated?", corpus=tmp_path / "missing")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"newsbot: the corpus folder {tmp_path / 'missing'} does not exist or is not a folder"]


def test_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NEWSBOT_TOP_K=many\n")
    result = run(tmp_path, "ask", "who mediated?")
    assert result.returncode == 2 and "bad setting top_k" in result.stderr and "Traceback" not in result.stderr


def test_newer_index_is_refused_clearly(tmp_path: Path) -> None:
    assert run(tmp_path, "stats").returncode == 0
    manifest = tmp_path / "index" / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"format": 99}))
    result = run(tmp_path, "ask", "who mediated?")
    assert result.returncode == 1 and "newer than this newsbot" in result.stderr


def test_sources_and_stats_json(tmp_path: Path) -> None:
    sources = json.loads(run(tmp_path, "sources", "--json").stdout)
    assert [(s["published"], s["source"]) for s in sources] == [("2026-03-04", "arab_news.txt"), ("2025-05-21", "arab_news.txt")]
    assert all(set(s) == {"title", "published", "source", "url", "passages"} and s["passages"] > 0 for s in sources)
    stats = json.loads(run(tmp_path, "stats", "--json").stdout)
    assert stats["articles"] == 2 and stats["passages"] == sum(s["passages"] for s in sources)
    assert stats["vocabulary"] > 100 and stats["bytes_on_disk"] > 0 and stats["last_refresh"]
    assert stats["skipped"] == []
    text = run(tmp_path, "sources").stdout
    assert text.splitlines()[0].startswith("4 March 2026")


def test_refresh_add_change_delete(tmp_path: Path, seed_corpus: Path) -> None:
    assert run(tmp_path, "refresh", corpus=seed_corpus).returncode == 0
    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": "w1", "title": "Glacier melts", "published": "2025-07-01", "text": "The Rhone glacier lost a record amount of ice this summer."},
        {"id": "w2", "title": "Port reopens", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping on Tuesday."},
    ])  # fmt: skip
    (seed_corpus / "broken.jsonl").write_text('{"title": "x"\n')
    result = run(tmp_path, "refresh", "--json", corpus=seed_corpus)
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert (report["added"], report["articles_added"]) == (["broken.jsonl", "wire.jsonl"], 2)
    assert report["skipped"][0]["source"] == "broken.jsonl" and report["skipped"][0]["line"] == 1
    assert "Rhone glacier" in run(tmp_path, "ask", "which glacier lost ice?", corpus=seed_corpus).stdout

    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": "w2", "title": "Port reopens", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping on Tuesday."},
    ])  # fmt: skip
    report = json.loads(run(tmp_path, "refresh", "--json", corpus=seed_corpus).stdout)
    assert (report["changed"], report["articles_removed"], report["articles_added"]) == (["wire.jsonl"], 2, 1)
    assert run(tmp_path, "ask", "which glacier lost ice?", corpus=seed_corpus).stdout.strip() == "The articles don't say."
    assert "Gwadar" in run(tmp_path, "ask", "when did the port reopen?", corpus=seed_corpus).stdout

    (seed_corpus / "wire.jsonl").unlink()
    report = json.loads(run(tmp_path, "refresh", "--json", corpus=seed_corpus).stdout)
    assert report["removed"] == ["wire.jsonl"]
    gone = run(tmp_path, "ask", "when did the port reopen?", corpus=seed_corpus).stdout
    assert "Gwadar" not in gone and not gone.startswith("21 May 2025")  # at most the closest found, said so
    assert gone.startswith(("The articles don't say.", "Not sure; the closest I found:"))
    assert "Ankara" in run(tmp_path, "ask", "who mediated?", corpus=seed_corpus).stdout


def test_refresh_with_nothing_changed_reads_nothing(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbot.index.storage.build as building
    import newsbot.index.storage.refresh as refreshing

    engine = load(seed_corpus, tmp_path / "index")
    calls = []
    real_read, real_hash = building.read_file, refreshing.file_hash
    monkeypatch.setattr(building, "read_file", lambda *a: calls.append(a) or real_read(*a))
    monkeypatch.setattr(refreshing, "file_hash", lambda *a: calls.append(a) or real_hash(*a))
    report = engine.refresh()
    assert report.unchanged and calls == []
    os.utime(seed_corpus / "arab_news.txt")  # touched, same bytes: hashed, not re-read
    report = engine.refresh()
    assert report.unchanged and [len(c) for c in calls] == [1]


def test_refresh_exits_nonzero_only_when_nothing_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "junk.txt").write_bytes(b"\x00\x01\x02binary")
    result = run(tmp_path, "refresh", corpus=corpus)
    assert result.returncode == 1 and "junk.txt" in result.stdout


def test_add_copies_refuses_clashes_and_remove(tmp_path: Path, seed_corpus: Path) -> None:
    outside = tmp_path / "incoming"
    outside.mkdir()
    story = outside / "dam.txt"
    story.write_text("Dam opens\n\nThe Mohmand dam began producing power on Monday.\n")
    result = run(tmp_path, "add", str(story), corpus=seed_corpus)
    assert result.returncode == 0, result.stderr
    assert (seed_corpus / "dam.txt").read_bytes() == story.read_bytes()
    assert "dam.txt" in result.stdout
    assert "Mohmand" in run(tmp_path, "ask", "which dam began producing power?", corpus=seed_corpus).stdout

    assert run(tmp_path, "add", str(story), corpus=seed_corpus).returncode == 0  # same bytes: nothing to do
    clash = tmp_path / "other" / "dam.txt"
    clash.parent.mkdir()
    clash.write_text("Another dam\n\nSomething else entirely happened here.\n")
    result = run(tmp_path, "add", str(clash), corpus=seed_corpus)
    assert result.returncode == 1 and "already in the corpus" in result.stderr
    assert (seed_corpus / "dam.txt").read_bytes() == story.read_bytes()

    result = run(tmp_path, "remove", "dam.txt", corpus=seed_corpus)
    assert result.returncode == 0 and "dam.txt" in result.stdout
    assert not (seed_corpus / "dam.txt").exists()
    result = run(tmp_path, "remove", "nothing.txt", corpus=seed_corpus)
    assert result.returncode == 1 and "no such source" in result.stderr


def test_remove_one_json_lines_article(tmp_path: Path, seed_corpus: Path) -> None:
    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": 7, "title": "Glacier", "published": "2025-07-01", "text": "The Rhone glacier lost a record amount of ice."},
        {"id": 8, "title": "Port", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping."},
    ])  # fmt: skip
    result = run(tmp_path, "remove", "wire.jsonl#7", corpus=seed_corpus)
    assert result.returncode == 0, result.stderr
    sources = [s["source"] for s in json.loads(run(tmp_path, "sources", "--json", corpus=seed_corpus).stdout)]
    assert "wire.jsonl#8" in sources and "wire.jsonl#7" not in sources


def test_interrupted_refresh_leaves_the_previous_index_loadable(tmp_path: Path, seed_corpus: Path) -> None:
    assert run(tmp_path, "refresh", corpus=seed_corpus).returncode == 0
    words = "minister border trade talks ceasefire army market election court drought harvest".split()
    write_jsonl(seed_corpus / "big.jsonl", [
        {"id": n, "title": f"Story {n}", "published": "2025-01-01",
         "text": " ".join(f"The {words[(n + i) % 11]} report number {n} said {words[i % 11]} news on day {i}." for i in range(12))}
        for n in range(4000)
    ])  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsbot.bot", "refresh", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index")],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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


def test_prompt_through_stdin(tmp_path: Path) -> None:
    result = run(tmp_path, stdin="who mediated?\n:sources\n:stats\n:bogus\n:refresh\n:quit\nwhen were ambassadors agreed?\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ankara would help reinstate a ceasefire" in out
    assert "4 March 2026" in out and "articles:      2" in out
    assert ":sources" in out  # the help line for an unknown command
    assert "Nothing changed." in out
    assert AMBASSADORS not in out  # nothing after :quit is read


def test_piped_output_has_no_progress_bar(tmp_path: Path) -> None:
    result = run(tmp_path, "refresh")
    assert "━" not in result.stderr and "\r" not in result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps its subparsers here
    assert set(commands) == set(COMMANDS)
    for name, sub in commands.items():
        assert sub.description, name
        assert f"newsbot {name}" in readme, name
        assert sub.format_help().startswith(f"usage: newsbot {name}")


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("newsbot")
    if not script.exists():
        pytest.skip("the newsbot console script is not installed next to this interpreter")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and re.search(r"usage: newsbot", result.stdout)


def test_terminal_gets_a_progress_bar(tmp_path: Path, seed_corpus: Path) -> None:
    import pty

    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": n, "title": f"Story {n}", "published": "2025-01-01", "text": f"Report {n} on the border talks went on."}
        for n in range(3000)
    ])  # fmt: skip
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")} | {"COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsbot.bot", "refresh", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=follower,
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


def test_remove_several_id_less_json_lines_at_once(tmp_path: Path, seed_corpus: Path) -> None:
    import gzip

    lines = [{"title": f"Art{n}", "published": f"2025-07-0{n}", "text": f"The quorp{n} report was filed."} for n in range(1, 5)]
    (seed_corpus / "w.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in lines).encode()))
    result = run(tmp_path, "remove", "w.jsonl.gz#2", "w.jsonl.gz#3", corpus=seed_corpus)
    assert result.returncode == 0, result.stderr
    sources = json.loads(run(tmp_path, "sources", "--json", corpus=seed_corpus).stdout)
    assert sorted(s["title"] for s in sources if s["source"].startswith("w.jsonl.gz")) == ["Art1", "Art4"]
    result = run(tmp_path, "remove", "w.jsonl.gz#1", "w.jsonl.gz#9", corpus=seed_corpus)
    assert result.returncode == 1 and "w.jsonl.gz#9" in result.stderr
    assert len(json.loads(run(tmp_path, "sources", "--json", corpus=seed_corpus).stdout)) == 4  # nothing removed
