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


def test_refresh_of_an_emptied_corpus_keeps_the_index_and_fails_until_rebuild_empties_it(capsys, caplog, seed_corpus: Path, tmp_path: Path) -> None:
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index")]
    assert main(["refresh", "-q", *common]) == 0
    articles = json.loads((capsys.readouterr(), main(["stats", "--json", "-q", *common]), capsys.readouterr().out)[2])["articles"]
    (seed_corpus / "arab_news.txt").rename(tmp_path / "arab_news.txt")  # the share went away: an empty mount point
    assert main(["ask", *common, "who mediated?"]) == 0
    assert "holds no article file, but the index holds" in caplog.text and "mediat" in capsys.readouterr().out
    assert main(["refresh", *common]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the index is kept as it was" in err and "`newsbot refresh --rebuild`" in err
    assert json.loads((main(["stats", "--json", "-q", *common]), capsys.readouterr().out)[1])["articles"] == articles
    assert main(["refresh", "--rebuild", *common]) == 1  # emptied on purpose: nothing is indexed
    assert "holds no articles" in capsys.readouterr().err
    assert json.loads((main(["stats", "--json", "-q", *common]), capsys.readouterr().out)[1])["articles"] == 0


def test_a_first_refresh_of_an_empty_corpus_folder_fails(capsys, tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    assert main(["refresh", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")]) == 1
    assert "holds no articles" in capsys.readouterr().err


def test_skipped_is_one_list_everywhere_and_articles_read_undated_are_warnings(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "a.txt").write_text("Budget story\nDate: 31 February 2025\n\nThe council approved the budget on Monday.\n", encoding="utf-8")
    (corpus / "w.jsonl").write_text(
        json.dumps({"title": "Frog", "text": "Scientists found a frog in Peru.", "published": "yesterday"}) + "\n"
        + json.dumps({"title": "No text"}) + "\n", encoding="utf-8",
    )  # fmt: skip
    common = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--state", str(tmp_path / "state"), "-q"]
    lists = []
    for command in (["refresh", "--json"], ["refresh", "--json"], ["stats", "--json"]):
        assert main([*command, *common]) == 0
        shown = json.loads(capsys.readouterr().out)
        lists.append(([p["source"] for p in shown["skipped"]], [p["source"] for p in shown["warnings"]]))
    assert lists == [(["doc.pdf", "w.jsonl"], ["a.txt", "w.jsonl"])] * 3
    import io
    import sys

    stdin, sys.stdin = sys.stdin, io.StringIO(":stats\n")
    try:
        assert main(["prompt", *common]) == 0
    finally:
        sys.stdin = stdin
    out = capsys.readouterr().out
    assert "skipped:       2" in out and "doc.pdf: unsupported" in out and "warnings:      2" in out


def test_a_corpus_none_of_whose_files_could_be_indexed_says_so(capsys, monkeypatch, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Bridge deal\n\nThe council signed the bridge deal on Monday.\n", encoding="utf-8")
    (corpus / "w.jsonl").write_text(json.dumps({"title": "Frog", "text": "Scientists found a frog in Peru."}) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_MAX_ARTICLE_BYTES", "10")
    assert main(["refresh", "--corpus", str(corpus), "--index", str(tmp_path / "index")]) == 1
    captured = capsys.readouterr()
    assert "Skipped (2):" in captured.out
    assert captured.err.endswith(f"none of the 2 article files in the corpus folder {corpus} could be indexed (see Skipped)\n")


def test_a_command_for_another_corpus_refuses_the_index_until_rebuild_takes_it_over(capsys, tmp_path: Path) -> None:
    for name, text in (("a", "Bridge deal\n\nThe council signed the bridge deal.\n"), ("b", "Ferry strike\n\nThe ferry crews struck.\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text(text, encoding="utf-8")
    shared = ["--index", str(tmp_path / "shared"), "--state", str(tmp_path / "state")]
    assert main(["refresh", "-q", "--corpus", str(tmp_path / "a"), *shared]) == 0
    capsys.readouterr()
    assert main(["refresh", "--corpus", str(tmp_path / "b"), *shared]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"newsbot: the index in {tmp_path / 'shared'} belongs to the corpus folder {tmp_path / 'a'}; "
        "choose another --index folder, or take it over for this corpus with `newsbot refresh --rebuild`\n"
    )
    assert main(["refresh", "--rebuild", "--corpus", str(tmp_path / "b"), *shared]) == 0
    assert capsys.readouterr().out.startswith(f"Indexed the corpus from scratch: the index belonged to the corpus folder {tmp_path / 'a'}")
    assert main(["ask", "-q", "--corpus", str(tmp_path / "a"), *shared, "bridge deal"]) == 1


def test_files_that_gave_no_article_are_listed_as_skipped_not_added(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    common = ["--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--state", str(tmp_path / "state")]
    assert main(["refresh", *common]) == 0
    capsys.readouterr()
    (seed_corpus / "empty.txt").write_text("", encoding="utf-8")
    (seed_corpus / "title.txt").write_text("Just a title line\n", encoding="utf-8")
    (seed_corpus / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)  # the reader skips it: a binary file
    (seed_corpus / "dam.txt").write_text("Dam bursts\n\nThe Kakhovka dam burst on Tuesday night.\n", encoding="utf-8")
    assert main(["refresh", *common]) == 0
    out = capsys.readouterr().out
    assert "Files added (1): dam.txt\n" in out and "Articles: +1 " in out
    assert "Skipped (3):\n  blob.txt: binary file\n  empty.txt: empty file\n  title.txt: no body text under the title" in out

    (seed_corpus / "title.txt").write_text("Another title alone\n", encoding="utf-8")  # changed, and still no article
    (seed_corpus / "empty2.md").write_text("\n\n", encoding="utf-8")
    assert main(["refresh", "--json", *common]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["changed"], report["articles_added"]) == ([], [], 0)
    assert {p["source"] for p in report["skipped"]} == {"blob.txt", "empty.txt", "empty2.md", "title.txt"}
    (seed_corpus / "title.txt").write_text("Another title\n\nNow it has a body.\n", encoding="utf-8")  # now it gives one
    assert main(["refresh", "--json", *common]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["changed"], report["articles_added"]) == (["title.txt"], 1)
