"""The `newsbot` command line in-process through `main(argv)`: answers, usage errors, refresh, add and the prompt."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path

import pytest

from newsbot.bot.cli import build_parser
from newsbot.bot.cli_parser import subcommands
from newsbot.index import load
from tests.bot.cli_run import Run, cli  # noqa: F401  (the fixture)
from tests.conftest import REPO, write_jsonl

AMBASSADORS = "Islamabad and Kabul had agreed in principle to send ambassadors"


def test_a_ctrl_c_while_the_engine_answers_is_raised_once_the_answer_is_done() -> None:
    import signal

    from newsbot.bot.cli_common import interrupts_held

    # Set as a terminal's Python has it: a test run in the background inherits SIGINT ignored.
    outside = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        done = []
        with pytest.raises(KeyboardInterrupt), interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("answered")  # what the block does goes on to its end, uninterrupted
        assert done == ["answered"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
        with pytest.raises(KeyboardInterrupt), interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)  # a second one does not wait (a rebuild may take long)
            done.append("went on")
        assert done == ["answered"]
    finally:
        signal.signal(signal.SIGINT, outside)


def test_ask_json_on_the_bundled_corpus(cli: Run) -> None:
    result = cli("ask", "--json", "when were ambassadors agreed?")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"question", "no_answer", "tentative", "answers"}
    assert data["question"] == "when were ambassadors agreed?" and data["no_answer"] is False
    first = data["answers"][0]
    assert set(first) == {"quote", "article", "event_date", "score"}
    assert set(first["article"]) == {"title", "published", "source", "url"}
    assert first["quote"].startswith(AMBASSADORS)
    assert first["article"]["published"] == "2025-05-21"
    assert first["article"]["title"].startswith("Afghanistan and Pakistan to work to upgrade diplomatic ties")
    assert isinstance(first["score"], float)


def test_who_mediated_json(cli: Run) -> None:
    first = json.loads(cli("ask", "--json", "who mediated?").out)["answers"][0]
    assert "Ankara would help reinstate a ceasefire" in first["quote"]
    assert (first["article"]["published"], first["event_date"]) == ("2026-03-04", "2026-03-03")


def test_an_unquoted_question_is_its_words_joined(cli: Run) -> None:
    result = cli("ask", "when", "were", "ambassadors", "agreed?")
    assert result.code == 0, result.err
    # The sentence names no day: the answer says so rather than give the article's date as the event's.
    lead, quote = result.out.splitlines()[:2]
    assert lead == "The sentence gives no date; the article was published 21 May 2025." and quote.startswith(f"“{AMBASSADORS}")
    assert "Afghanistan and Pakistan to work to upgrade diplomatic ties" in result.out
    assert json.loads(cli("ask", "--json", "who", "mediated?").out)["question"] == "who mediated?"


def test_ask_no_answer(cli: Run) -> None:
    result = cli("ask", "What is the capital of France?")
    assert (result.code, result.out.strip()) == (0, "The articles don't say.")
    data = json.loads(cli("ask", "--json", "Who won the 2022 World Cup?").out)
    assert data == {"question": "Who won the 2022 World Cup?", "no_answer": True, "tentative": False, "answers": []}


def test_ask_stdin_json_answers_each_line_in_order(cli: Run) -> None:
    result = cli("ask", "-", "--json", stdin="who mediated?\n\n   \nthe\nwhen were ambassadors agreed?\n")
    assert result.code == 0
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [line["question"] for line in lines] == ["who mediated?", "the", "when were ambassadors agreed?"]
    assert "error" in lines[1] and lines[1]["no_answer"] and lines[1]["tentative"] is False  # the keys of every answer
    assert lines[2]["answers"][0]["quote"].startswith(AMBASSADORS)
    assert result.err.count("Indexed the corpus") == 1  # one index load for all lines


def test_ask_stdin_text_prints_each_question_above_its_answer(cli: Run) -> None:
    result = cli("ask", "-", stdin="who mediated?\nthe\nwhen were ambassadors agreed?\n")
    blocks = result.out.strip().split("\n\nQ: ")
    assert len(blocks) == 3
    assert blocks[0].startswith("Q: who mediated?\n“") and "Ankara" in blocks[0]
    assert blocks[1].startswith("the\nNot asked: the question has no word to search for")
    assert blocks[2].startswith(f"when were ambassadors agreed?\nThe sentence gives no date; the article was published 21 May 2025.\n“{AMBASSADORS}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask",), "newsbot ask: error: the following arguments are required: QUESTION (see newsbot ask --help)"),
        (("ask", "--topp", "2", "who mediated?"), "newsbot ask: error: unknown option --topp; did you mean --top? (see newsbot ask --help)"),
        (("ask", "--top", "50", "who mediated?"), "newsbot ask: error: --top must be between 1 and 20 (got '50') (see newsbot ask --help)"),
        (("ask", "--top", "0", "who mediated?"), "newsbot ask: error: --top must be between 1 and 20 (got '0') (see newsbot ask --help)"),
        (("ask", "--top", "many", "who mediated?"), "newsbot ask: error: --top must be between 1 and 20 (got 'many') (see newsbot ask --help)"),
        (("ask", "--since", "June", "who mediated?"), "newsbot ask: error: --since: 'June' is not a date (YYYY-MM-DD, YYYY-MM or YYYY) (see newsbot ask --help)"),
        (("sources", "extra"), "newsbot sources: error: unexpected argument 'extra' (see newsbot sources --help)"),
        (("--bogus",), "newsbot: error: unknown option --bogus (see newsbot --help)"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert (result.code, result.out, result.err.splitlines()) == (2, "", [message])


def test_an_unknown_command_lists_the_commands(cli: Run) -> None:
    result = cli("frobnicate")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert result.err.startswith("newsbot: error: unknown command 'frobnicate'; the commands are ask, sources, stats")


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (("   ",), "newsbot ask: error: the question is empty (see newsbot ask --help)"),
        (("who is it?",), "newsbot ask: error: the question has no word to search for (only common words like 'who' or 'the') (see newsbot ask --help)"),
        (("--since", "2026-02-01", "--until", "2026-01-01", "x"), "newsbot ask: error: the range starts (2026-02-01) after it ends (2026-01-01) (see newsbot ask --help)"),
        (("-", "extra", "words"), 'newsbot ask: error: "-" reads the questions from stdin, one a line, and takes no other words (see newsbot ask --help)'),
        (("--since", "1899", "x"), "newsbot ask: error: --since: '1899' is outside the years newsbot reads (1900-2099) (see newsbot ask --help)"),
        (("--as-of", "2025-12", "x"), "newsbot ask: error: --as-of: '2025-12' is not a date (YYYY-MM-DD) (see newsbot ask --help)"),
    ],
)
def test_refused_questions_are_usage_errors(cli: Run, question: tuple[str, ...], message: str) -> None:
    """What `ask` cannot take is worded as every usage error is, naming the command's help, and exits 2."""
    assert cli("refresh").code == 0  # so that building the index says nothing
    result = cli("ask", *question)
    assert (result.code, result.out, result.err.splitlines()) == (2, "", [message])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--json", "ask", "who mediated?"), "newsbot ask: error: --json goes after the command name: newsbot ask --json ... (see newsbot ask --help)"),
        (("--top", "1"), "newsbot: error: --top is an option of a command and goes after its name: newsbot prompt --top 1 ... (see newsbot --help)"),
        (("--as-of=2025-01-01", "ask", "x"), "newsbot ask: error: --as-of goes after the command name: newsbot ask --as-of=2025-01-01 ... (see newsbot ask --help)"),
    ],
)
def test_a_command_option_before_the_command_says_where_it_goes(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert (result.code, result.out, result.err.splitlines()) == (2, "", [message])


def test_common_options_still_go_before_the_command_abbreviated_or_not(cli: Run) -> None:
    result = cli("-q", "--corp", "gone", "stats")  # argparse's prefix of --corpus: the command runs, on that corpus
    assert result.code == 1 and "the corpus folder" in result.err and "gone" in result.err
    assert cli("--quiet", "stats", "--json").code == 0


def test_common_options_go_before_or_after_the_command(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text("Dam opens\n\nThe Mohmand dam began producing power on Monday.\n")
    before = cli("ask", "which dam began producing power?", corpus=seed_corpus)
    after = cli("ask", "which dam began producing power?", corpus=seed_corpus, after=True)
    assert before.code == after.code == 0 and "Mohmand" in before.out and before.out == after.out


def test_options_with_no_command_open_the_prompt(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text("Dam opens\n\nThe Mohmand dam began producing power on Monday.\n")
    result = cli(corpus=seed_corpus, stdin="which dam began producing power?\n")
    assert result.code == 0 and "Mohmand" in result.out


def test_missing_corpus_is_one_clear_line(cli: Run, tmp_path: Path) -> None:
    result = cli("ask", "who mediated?", corpus=tmp_path / "missing")
    assert result.code == 1
    assert result.err.splitlines() == [f"newsbot: the corpus folder {tmp_path / 'missing'} does not exist or is not a folder"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("NEWSBOT_TOP_K=many", "newsbot: bad setting NEWSBOT_TOP_K (top_k): Input should be a valid integer"),
        ("NEWSBOT_TOP_K=50", "newsbot: bad setting NEWSBOT_TOP_K (top_k): Input should be less than or equal to 20"),
    ],
)
def test_bad_setting_is_one_line_naming_the_variable(cli: Run, tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / ".env").write_text(line + "\n")
    result = cli("ask", "who mediated?")
    assert result.code == 2 and len(result.err.splitlines()) == 1 and result.err.startswith(message)


def test_newer_index_is_refused_clearly(cli: Run, tmp_path: Path) -> None:
    assert cli("stats").code == 0
    manifest = tmp_path / "index" / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"format": 99}))
    result = cli("ask", "who mediated?")
    assert result.code == 1 and "newer than this newsbot" in result.err


def test_sources_and_stats_json(cli: Run, tmp_path: Path) -> None:
    sources = json.loads(cli("sources", "--json").out)
    assert [(s["published"], s["source"]) for s in sources] == [("2026-03-04", "arab_news.txt"), ("2025-05-21", "arab_news.txt")]
    assert all(set(s) == {"title", "published", "source", "url", "passages"} and s["passages"] > 0 for s in sources)
    stats = json.loads(cli("stats", "--json").out)
    assert stats["articles"] == 2 and stats["passages"] == sum(s["passages"] for s in sources)
    assert stats["vocabulary"] > 100 and stats["bytes_on_disk"] > 0 and stats["last_refresh"]
    assert stats["skipped"] == [] and stats["removed"] == []
    assert (stats["corpus_dir"], stats["index_dir"], stats["state_dir"]) == (
        str(REPO / "corpus"), str(tmp_path / "index"), str(tmp_path / "state"),
    )  # fmt: skip
    assert cli("sources").out.splitlines()[0].startswith("4 March 2026")


def test_stats_text_says_where_things_live(cli: Run, tmp_path: Path) -> None:
    lines = cli("stats").out.splitlines()
    assert lines[:3] == [f"corpus:        {REPO / 'corpus'}", f"index:         {tmp_path / 'index'}", f"state:         {tmp_path / 'state'}"]
    assert "removed, kept: 0" in lines


def test_refresh_add_change_delete(cli: Run, seed_corpus: Path) -> None:
    assert cli("refresh", corpus=seed_corpus).code == 0
    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": "w1", "title": "Glacier melts", "published": "2025-07-01", "text": "The Rhone glacier lost a record amount of ice this summer."},
        {"id": "w2", "title": "Port reopens", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping on Tuesday."},
    ])  # fmt: skip
    (seed_corpus / "broken.jsonl").write_text('{"title": "x"\n')
    result = cli("refresh", "--json", corpus=seed_corpus)
    report = json.loads(result.out)
    assert result.code == 0
    assert (report["added"], report["articles_added"]) == (["wire.jsonl"], 2)  # broken.jsonl gave no article: skipped only
    assert report["skipped"][0]["source"] == "broken.jsonl" and report["skipped"][0]["line"] == 1
    assert "Rhone glacier" in cli("ask", "which glacier lost ice?", corpus=seed_corpus).out

    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": "w2", "title": "Port reopens", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping on Tuesday."},
    ])  # fmt: skip
    report = json.loads(cli("refresh", "--json", corpus=seed_corpus).out)
    assert (report["changed"], report["articles_removed"], report["articles_added"]) == (["wire.jsonl"], 2, 1)
    assert cli("ask", "which glacier lost ice?", corpus=seed_corpus).out.strip() == "The articles don't say."
    assert "Gwadar" in cli("ask", "when did the port reopen?", corpus=seed_corpus).out

    (seed_corpus / "wire.jsonl").unlink()
    report = json.loads(cli("refresh", "--json", corpus=seed_corpus).out)
    assert report["removed"] == ["wire.jsonl"]
    gone = cli("ask", "when did the port reopen?", corpus=seed_corpus).out
    assert "Gwadar" not in gone and not gone.startswith("21 May 2025")  # at most the closest found, said so
    assert gone.startswith(("The articles don't say.", "Not sure; the closest I found:"))
    assert "Ankara" in cli("ask", "who mediated?", corpus=seed_corpus).out


def test_refresh_with_nothing_changed_reads_nothing(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbot.index.storage.build as building
    import newsbot.index.storage.corpus_diff as diffing

    engine = load(seed_corpus, tmp_path / "index")
    calls = []
    real_read, real_hash = building.read_file, diffing.file_hash
    monkeypatch.setattr(building, "read_file", lambda *a: calls.append(a) or real_read(*a))
    monkeypatch.setattr(diffing, "file_hash", lambda *a: calls.append(a) or real_hash(*a))
    report = engine.refresh()
    assert report.unchanged and calls == []
    os.utime(seed_corpus / "arab_news.txt")  # touched, same bytes: hashed, not re-read
    report = engine.refresh()
    assert report.unchanged and [len(c) for c in calls] == [1]


def test_refresh_exits_nonzero_only_when_nothing_indexed(cli: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "junk.txt").write_bytes(b"\x00\x01\x02binary")
    result = cli("refresh", corpus=corpus)
    assert result.code == 1 and "junk.txt" in result.out


def test_files_of_other_types_are_listed_as_skipped(cli: Run, seed_corpus: Path) -> None:
    for name in ("slides.pptx", "scan.pdf", "sub/old.json.gz"):
        (seed_corpus / name).parent.mkdir(exist_ok=True)
        (seed_corpus / name).write_text("not an article file\n")
    (seed_corpus / ".hidden.pdf").write_text("hidden files stay unmentioned\n")
    report = json.loads(cli("refresh", "--json", corpus=seed_corpus).out)
    skipped = [(p["source"], p["reason"].split(" (")[0]) for p in report["skipped"]]
    assert skipped == [(name, "unsupported file type") for name in ("scan.pdf", "slides.pptx", "sub/old.json.gz")]
    stats = json.loads(cli("stats", "--json", corpus=seed_corpus).out)
    assert [p["source"] for p in stats["skipped"]] == ["scan.pdf", "slides.pptx", "sub/old.json.gz"]
    text = cli("stats", corpus=seed_corpus).out
    assert "skipped:       3" in text
    assert "  scan.pdf: unsupported file type (newsbot reads .txt, .html, .htm, .md, .jsonl, .jsonl.gz)" in text
    assert "Skipped (3):" in cli("refresh", corpus=seed_corpus).out


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_answers(cli: Run, seed_corpus: Path) -> None:
    import os

    # Latin-1 "café.txt" and a folder of the same: the index keeps names as UTF-8, and they have none.
    with open(os.path.join(os.fsencode(seed_corpus), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Bridge opens\n\nThe new bridge opened on Monday.\n")
    os.mkdir(os.path.join(os.fsencode(seed_corpus), b"d\xe9p\xeache"))
    with open(os.path.join(os.fsencode(seed_corpus), b"d\xe9p\xeache", b"notes.pdf"), "wb") as handle:
        handle.write(b"not an article file\n")
    report = json.loads(cli("refresh", "--json", corpus=seed_corpus).out)
    assert [(p["source"], p["reason"]) for p in report["skipped"]] == [
        ("caf\ufffd.txt", "the file name is not UTF-8: rename the file to have it read"),
        ("d\ufffdp\ufffdche/notes.pdf", "the file name is not UTF-8: rename the file to have it read"),
    ]
    answer = json.loads(cli("ask", "--json", "who mediated?", corpus=seed_corpus).out)
    assert not answer["no_answer"]


def test_a_question_of_bytes_that_are_not_utf8_is_answered_and_echoed_readably(cli: Run, seed_corpus: Path) -> None:
    # A terminal in a UTF-8 locale hands Python "\xff" as the surrogate escape "\udcff", which no stream can write.
    result = cli("ask", "--json", "who mediated \udcff?", corpus=seed_corpus)
    assert result.code == 0 and json.loads(result.out)["question"] == "who mediated \ufffd?"


def test_an_empty_corpus_says_so(cli: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    expected = f"newsbot: the corpus folder {corpus} holds no articles (.txt, .html, .htm, .md, .jsonl, .jsonl.gz)"
    for args in (("refresh",), ("stats",), ("ask", "who mediated?")):
        result = cli(*args, corpus=corpus)
        assert expected in result.err.splitlines(), args
    assert expected not in cli("stats", "--quiet", corpus=corpus).err


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("inbox", "newsbot: inbox: is a folder; add takes article files or page addresses (http:// or https://)"),
        ("ftp://example.com/a.txt", "newsbot: ftp://example.com/a.txt: no such file, and only http:// and https:// addresses are fetched"),
        ("missing.txt", "newsbot: missing.txt: no such file"),
    ],
)
def test_add_says_why_an_argument_is_no_file(cli: Run, tmp_path: Path, seed_corpus: Path, argument: str, message: str) -> None:
    (tmp_path / "inbox").mkdir()  # the working directory
    result = cli("add", argument, corpus=seed_corpus)
    assert (result.code, result.err.splitlines()) == (1, [message])
    assert sorted(p.name for p in seed_corpus.iterdir()) == ["arab_news.txt"]


def test_add_copies_and_refuses_clashes(cli: Run, tmp_path: Path, seed_corpus: Path) -> None:
    outside = tmp_path / "incoming"
    outside.mkdir()
    story = outside / "dam.txt"
    story.write_text("Dam opens\n\nThe Mohmand dam began producing power on Monday.\n")
    result = cli("add", str(story), corpus=seed_corpus)
    assert result.code == 0, result.err
    assert (seed_corpus / "dam.txt").read_bytes() == story.read_bytes() and "dam.txt" in result.out
    assert "Mohmand" in cli("ask", "which dam began producing power?", corpus=seed_corpus).out

    assert cli("add", str(story), corpus=seed_corpus).code == 0  # same bytes: nothing to do
    clash = tmp_path / "other" / "dam.txt"
    clash.parent.mkdir()
    clash.write_text("Another dam\n\nSomething else entirely happened here.\n")
    result = cli("add", str(clash), corpus=seed_corpus)
    assert result.code == 1 and "already in the corpus" in result.err
    assert (seed_corpus / "dam.txt").read_bytes() == story.read_bytes()


def test_prompt_through_stdin(cli: Run) -> None:
    result = cli(stdin="who mediated?\n:sources\n:stats\n:bogus\n:refresh\n:quit\nwhen were ambassadors agreed?\n")
    assert result.code == 0, result.err
    out = result.out
    assert "Ankara would help reinstate a ceasefire" in out
    assert "4 March 2026" in out and "articles:      2" in out
    assert "Unknown command :bogus. Type a question, or :sources" in out
    assert "Nothing changed." in out
    assert AMBASSADORS not in out  # nothing after :quit is read


def test_prompt_ctrl_c_clears_the_line_and_ctrl_d_quits(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter([KeyboardInterrupt, "who mediated?", KeyboardInterrupt, EOFError])

    def keyboard(prompt: str = "") -> str:  # the terminal: each item is a line typed, or a key pressed
        key = next(typed)
        if isinstance(key, type):
            raise key()
        return key

    monkeypatch.setattr(builtins, "input", keyboard)
    result = cli("prompt", terminal=True)
    assert result.code == 0, result.err
    assert "Ctrl-C clears the line, Ctrl-D quits." in result.out
    assert "Ankara would help reinstate a ceasefire" in result.out
    assert next(typed, None) is None  # it read on after each Ctrl-C, and stopped at Ctrl-D


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    commands = subcommands(build_parser())
    assert {"ask", "sources", "stats", "refresh", "add", "remove", "restore", "verify", "indexes", "prompt", "discord", "feed", "feedback"} == set(commands)
    for name, sub in commands.items():
        assert sub.description, name
        assert f"newsbot {name}" in readme, name
        assert sub.format_help().startswith(f"usage: newsbot {name}")
    for name, sub in subcommands(commands["feed"]).items():
        assert sub.description, name
        assert f"newsbot feed {name}" in readme, name
        assert sub.format_help().startswith(f"usage: newsbot feed {name}")


def test_help_states_the_top_range_and_that_remove_deletes() -> None:
    commands = subcommands(build_parser())
    assert "1 to 20" in " ".join(commands["ask"].format_help().split())
    remove_help = " ".join(commands["remove"].format_help().split())
    assert "Delete articles from the corpus folder" in remove_help and "kept for 30 days" in remove_help
