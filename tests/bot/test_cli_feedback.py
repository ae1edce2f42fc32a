"""`newsbot feedback` in-process: votes counted from the state folder's feedback log, down-voted questions exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbot.bot.feedback import record_vote
from tests.bot.cli_run import Run, cli  # noqa: F401  (the fixture)
from tests.conftest import REPO

MEDIATED = "who mediated?"
CHIEF = "who is the army chief?"


@pytest.fixture
def votes(tmp_path: Path) -> Path:
    """Return the cli fixture's state folder holding six clicks: three down votes that count, two up."""
    state = tmp_path / "state"
    clicks = [
        (1, 10, MEDIATED, "down"),
        (2, 10, MEDIATED, "down"),
        (2, 11, "when were ambassadors agreed?", "up"),
        (3, 12, "what did China say?", "down"),
        (3, 12, "what did China say?", "up"),  # changed their mind: the newer vote counts
        (3, 13, CHIEF, "down"),
    ]
    for user, answer, question, verdict in clicks:
        record_vote(state, guild=1, user=user, answer=answer, question=question, quotes=[f"quote for {question}"], verdict=verdict)
    return state


def test_no_feedback_yet_says_so(cli: Run, tmp_path: Path) -> None:
    result = cli("feedback")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("No feedback yet.") and "👍/👎 buttons" in result.out
    data = json.loads(cli("feedback", "--json").out)
    assert data == {"up": 0, "down": 0, "most_down": [], "state_dir": str((tmp_path / "state").resolve())}


def test_no_feedback_writes_no_export(cli: Run, tmp_path: Path) -> None:
    result = cli("feedback", "--export", str(tmp_path / "out.jsonl"))
    assert result.code == 0 and result.out.startswith("No feedback yet.")
    assert not (tmp_path / "out.jsonl").exists()


def test_counts_by_verdict_and_the_questions_voted_down_most(cli: Run, votes: Path) -> None:
    result = cli("feedback")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Votes: 2 up 👍, 3 down 👎."
    assert lines[2:] == ["Voted down most:", "  down  question", f"     2  {MEDIATED}", f"     1  {CHIEF}"]


def test_json_has_the_counts_and_the_state_folder(cli: Run, votes: Path) -> None:
    data = json.loads(cli("feedback", "--json").out)
    assert data == {
        "up": 2,
        "down": 3,
        "most_down": [{"question": MEDIATED, "down": 2}, {"question": CHIEF, "down": 1}],
        "state_dir": str(votes.resolve()),
    }


def test_export_writes_each_down_voted_question_once_shaped_like_a_labelled_set(cli: Run, votes: Path, tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    result = cli("feedback", "--export", str(path))
    assert result.code == 0, result.err
    assert f"Wrote 2 down-voted questions to {path}" in result.out
    written = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["question"] for line in written] == [MEDIATED, CHIEF]
    labelled = json.loads((REPO / "benchmarks" / "questions" / "bundled.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert all(set(line) == set(labelled) for line in written)  # the fields benchmarks/questions/README.md names
    assert "quote for who mediated?" in written[0]["note"]


def test_export_in_json_says_what_it_wrote(cli: Run, votes: Path, tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    data = json.loads(cli("feedback", "--json", "--export", str(path)).out)
    assert data["exported"] == {"file": str(path), "questions": 2} and data["down"] == 3
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


def test_export_never_overwrites_a_file(cli: Run, votes: Path, tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text('{"id": "feedback-001", "category": "who"}\n', encoding="utf-8")
    result = cli("feedback", "--export", str(path))
    assert result.code == 1 and "already exists" in result.err and result.out == ""
    assert path.read_text(encoding="utf-8") == '{"id": "feedback-001", "category": "who"}\n'


def test_export_with_only_up_votes_writes_nothing(cli: Run, tmp_path: Path) -> None:
    record_vote(tmp_path / "state", guild=None, user=1, answer=1, question=MEDIATED, quotes=[], verdict="up")
    path = tmp_path / "out.jsonl"
    result = cli("feedback", "--export", str(path))
    assert result.code == 0
    assert result.out.splitlines() == ["Votes: 1 up 👍, 0 down 👎.", "No answer voted down.", f"No question voted down: {path} not written."]
    assert not path.exists()
    assert json.loads(cli("feedback", "--json", "--export", str(path)).out)["exported"] == {"file": None, "questions": 0}
