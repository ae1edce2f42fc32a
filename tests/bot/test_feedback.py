"""The feedback log: one line per click, the newest per user and answer counts, exports for labelling."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from newsbot.bot.feedback import export_down_votes, feedback_path, hash_user, read_votes, record_vote, summarise


def vote(state: Path, user: int, answer: int, verdict: str, question: str = "who mediated?") -> None:
    record_vote(state, guild=7, user=user, answer=answer, question=question, quotes=["China mediated."], verdict=verdict)


def test_each_click_is_a_line_and_the_newest_per_user_and_answer_counts(tmp_path: Path) -> None:
    vote(tmp_path, user=1, answer=100, verdict="up")
    vote(tmp_path, user=2, answer=100, verdict="up")
    vote(tmp_path, user=1, answer=100, verdict="down")  # changed their mind
    vote(tmp_path, user=1, answer=200, verdict="down", question="when?")
    lines = [json.loads(line) for line in feedback_path(tmp_path).read_text().splitlines()]
    assert len(lines) == 4
    assert set(lines[0]) == {"time", "guild", "user", "answer", "question", "quotes", "verdict"}
    assert lines[0]["quotes"] == ["China mediated."] and lines[0]["answer"] == 100
    votes = read_votes(tmp_path)
    assert [(v.answer, v.verdict) for v in votes] == [(100, "up"), (100, "down"), (200, "down")]
    assert summarise(votes) == summarise(read_votes(tmp_path))
    summary = summarise(votes)
    assert (summary.up, summary.down) == (1, 2)
    assert summary.most_down == (("who mediated?", 1), ("when?", 1))


def test_user_ids_are_hashed_with_a_salt_kept_private(tmp_path: Path) -> None:
    vote(tmp_path, user=123456789, answer=1, verdict="up")
    line = feedback_path(tmp_path).read_text()
    assert "123456789" not in line
    assert hash_user(tmp_path, 123456789) == json.loads(line)["user"] != hash_user(tmp_path, 987654321)
    assert hash_user(tmp_path / "other", 123456789) != hash_user(tmp_path, 123456789)  # another install
    salt = tmp_path / "feedback-salt"
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600


def test_a_broken_line_is_skipped_and_a_bad_verdict_refused(tmp_path: Path) -> None:
    vote(tmp_path, user=1, answer=1, verdict="up")
    with feedback_path(tmp_path).open("a") as handle:
        handle.write('{"time": "2026-01-01", "user": "x", "answer": \n')
    vote(tmp_path, user=2, answer=1, verdict="down")
    assert [v.verdict for v in read_votes(tmp_path)] == ["up", "down"]
    with pytest.raises(ValueError, match="verdict"):
        vote(tmp_path, user=3, answer=1, verdict="meh")


def test_down_votes_export_in_the_shape_of_the_labelled_sets(tmp_path: Path) -> None:
    vote(tmp_path, user=1, answer=1, verdict="down")
    vote(tmp_path, user=2, answer=2, verdict="down")  # the same question again: exported once
    vote(tmp_path, user=3, answer=3, verdict="up", question="when?")
    out = tmp_path / "down.jsonl"
    assert export_down_votes(read_votes(tmp_path), out) == 1
    [item] = [json.loads(line) for line in out.read_text().splitlines()]
    labelled = json.loads((Path(__file__).parents[2] / "benchmarks/questions/bundled.jsonl").read_text().splitlines()[0])
    assert set(labelled) - {"note"} <= set(item)
    assert item["question"] == "who mediated?" and item["gold"] == [] and "China mediated." in item["note"]
