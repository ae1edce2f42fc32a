"""`newsbot ask` with time: --as-of, --since, --until, and the JSON fields that report how a question was read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbot.bot.cli import main


def ask(capsys: pytest.CaptureFixture[str], seed_corpus: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["ask", "--corpus", str(seed_corpus), "--index", str(tmp_path / "index"), "--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_as_of_reads_the_latest_against_that_day(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--as-of", "2025-06-01", "what is the latest on Pakistan and Afghanistan?")
    data = json.loads(out)
    assert code == 0 and data["answers"][0]["article"]["published"] == "2025-05-21"
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--as-of", "2026-03-10", "what is the latest on Pakistan and Afghanistan?")
    assert json.loads(out)["answers"][0]["article"]["published"] == "2026-03-04"


def test_since_and_until_set_the_period_in_json(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--since", "2026-03", "--until", "2026", "who mediated?")
    data = json.loads(out)
    assert code == 0 and data["period"] == {"since": "2026-03-01", "until": "2026-12-31"}
    assert {a["article"]["published"] for a in data["answers"]} == {"2026-03-04"}
    assert data["undated_left_out"] == 0


def test_period_named_in_the_question_is_reported(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "what happened in May 2025?")
    data = json.loads(out)
    assert data["period"] == {"since": "2025-05-01", "until": "2025-05-31"}
    assert data["answers"] and all(a["article"]["published"] == "2025-05-21" for a in data["answers"])


def test_corrected_words_are_shown(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "when were ambasadors agreed?")
    data = json.loads(out)
    assert data["searched_for"] == ["ambassadors", "agreed"]
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "when were ambasadors agreed?")
    assert out.startswith("Searched for: ambassadors agreed\n")


def test_tentative_answers_say_so(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "who leads the TTP?")
    data = json.loads(out)
    assert code == 0 and data["tentative"] is True and data["no_answer"] is False and data["answers"]
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "who leads the TTP?")
    assert out.startswith("Not sure; the closest I found:\n")


@pytest.mark.parametrize("flag", ["--since", "--until", "--as-of"])
@pytest.mark.parametrize("value", ["2025/06", "June", "2025-13"])
def test_bad_dates_are_usage_errors(capsys, seed_corpus: Path, tmp_path: Path, flag: str, value: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ask", "--index", str(tmp_path / "index"), flag, value, "who mediated?"])
    assert exit_info.value.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_a_range_that_ends_before_it_starts_is_refused(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, _, err = ask(capsys, seed_corpus, tmp_path, "--since", "2026", "--until", "2025", "who mediated?")
    assert code == 2 and "starts (2026-01-01) after it ends (2025-12-31)" in err


def test_batch_questions_share_as_of(capsys, monkeypatch, seed_corpus: Path, tmp_path: Path) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("what is the latest?\nwhat happened yesterday?\n"))
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--as-of", "2025-05-22", "-")
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["answers"][0]["article"]["published"] == "2025-05-21"
    assert second["period"] == {"since": "2025-05-21", "until": "2025-05-21"}


def test_refresh_and_stats_report_undated_articles(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dated.txt").write_text("Bridge deal\nDate: 3 November 2025\n\nThe council signed the deal.\n", encoding="utf-8")
    (corpus / "undated.txt").write_text("Library reopens\n\nThe library reopened on Saturday.\n", encoding="utf-8")
    common = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--quiet"]
    assert main(["refresh", "--json", *common]) == 0
    assert json.loads(capsys.readouterr().out)["undated"] == ["undated.txt"]
    (corpus / "undated.txt").write_text("Library reopens\n\nThe library reopened on Sunday.\n", encoding="utf-8")
    assert main(["refresh", *common]) == 0
    assert "No date found (1): undated.txt" in capsys.readouterr().out
    assert main(["stats", "--json", *common]) == 0
    assert json.loads(capsys.readouterr().out)["undated"] == 1
    assert main(["sources", "--json", *common]) == 0
    published = {item["source"]: item["published"] for item in json.loads(capsys.readouterr().out)}
    assert published == {"dated.txt": "2025-11-03", "undated.txt": None}



def test_a_question_of_time_words_only_with_a_range(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--until", "2026", "what was said on Wednesday?")
    assert code == 0 and json.loads(out)["period"]["until"] == "2026-12-31"


def test_a_question_of_mentions_only_is_empty(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, _, err = ask(capsys, seed_corpus, tmp_path, "@everyone @here")
    assert code == 2 and "empty" in err


def test_years_outside_the_calendar_are_refused(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ask", "--index", str(tmp_path / "index"), "--as-of", "0001-01-03", "what happened in the past few years?"])
    assert exit_info.value.code == 2


def test_time_words_that_leave_no_days_say_so(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    """"from June 2025 to March 2025" ends before it starts: the text says the period holds no days, not just its ends."""
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "who mediated from June 2025 to March 2025?")
    assert code == 0 and out.splitlines()[0] == (
        "Period: from 1 June 2025 to 31 March 2025, which holds no days (it ends before it starts): "
        "only undated articles can answer."
    )
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "who mediated from June 2025 to March 2025?")
    assert json.loads(out)["period"] == {"since": "2025-06-01", "until": "2025-03-31"}  # as README documents


def test_since_and_until_say_they_replace_the_questions_time_words(capsys, seed_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--since", "2026-03", "who mediated in May?")
    assert code == 0 and out.splitlines()[0] == (
        "Period: since 1 March 2026, as --since set it (any time words in the question are not used)."
    )
    code, out, _ = ask(capsys, seed_corpus, tmp_path, "--json", "--since", "2026-03", "who mediated in May?")
    assert json.loads(out)["period"] == {"since": "2026-03-01", "until": None}


def test_a_when_answer_from_an_undated_article_says_it_has_no_date(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rail.txt").write_text("Rail line closed\n\nThe rail line was closed after the storm.\n", encoding="utf-8")
    code, out, _ = ask(capsys, corpus, tmp_path, "when was the rail line closed?")
    assert code == 0 and "\n\nThe sentence gives no date, and the article is undated.\n“The rail line was closed after the storm.”\n" in out
