"""Votes on a long feedback log: a click is acknowledged first, and the log is read once, not once per click."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from pathlib import Path

from newsbot.bot.discord_answers import THANKS
from newsbot.bot.feedback import SALT_FILE, cast_vote, feedback_path, hash_user, read_votes, record_vote, summarise

EPHEMERAL = 64
DEFERRED = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "newsbot is thinking…" until the follow-up
ANSWER = 10**18  # an answer message's id: none of _write_votes' answers
QUOTE = "Islamabad and Kabul had agreed in principle to send ambassadors to each other’s capitals as soon as possible."


def _cast(state: Path, user: int, answer: int, verdict: str) -> str | None:
    return cast_vote(state, guild=1, user=user, answer=answer, question="who mediated?", quotes=[QUOTE], verdict=verdict)


def _write_votes(path: Path, count: int) -> None:
    """Write a log of `count` votes by as many other users, as the bot writes them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps({"time": "2025-01-01T00:00:00+00:00", "guild": 1, "user": f"{n:032x}", "answer": n,
                                     "question": "when were ambassadors agreed?", "quotes": [QUOTE] * 3,
                                     "verdict": "up"}, ensure_ascii=False) + "\n")  # fmt: skip


def _rewrite_in_place(path: Path, old: str, new: str) -> None:
    """Change bytes of the log where they are (same file, same size), as no writer ever does."""
    assert len(old) == len(new)
    data = path.read_bytes()
    assert old.encode() in data
    with path.open("r+b") as handle:
        handle.write(data.replace(old.encode(), new.encode()))


# -- the log -------------------------------------------------------------------


def test_the_log_is_read_once_then_only_what_was_appended(tmp_path: Path) -> None:
    path = feedback_path(tmp_path)
    _write_votes(path, 20_000)
    record_vote(tmp_path, guild=1, user=5, answer=ANSWER, question="who mediated?", quotes=[], verdict="up")
    assert _cast(tmp_path, user=6, answer=ANSWER, verdict="up") is None  # the first vote reads the whole log
    five = hash_user(tmp_path, 5)
    _rewrite_in_place(path, f'"user": "{five}", ', f'"user": "{five}"; ')  # its line unreadable, if read again
    assert not any(vote.user == five for vote in read_votes(tmp_path))  # as the whole log now says
    assert _cast(tmp_path, user=5, answer=ANSWER, verdict="down") == "up"  # remembered, not read again
    assert _cast(tmp_path, user=5, answer=ANSWER, verdict="down") == "down"  # its own appended line, read back


def test_votes_appended_by_another_process_are_seen(tmp_path: Path) -> None:
    assert _cast(tmp_path, user=1, answer=100, verdict="up") is None
    # Another process of the bot (it has its own memory of the log) appends to the same file.
    record_vote(tmp_path, guild=1, user=1, answer=100, question="who mediated?", quotes=[], verdict="down")
    assert _cast(tmp_path, user=1, answer=100, verdict="down") == "down"
    assert _cast(tmp_path, user=2, answer=100, verdict="down") is None


def test_a_log_cut_short_or_replaced_is_read_again(tmp_path: Path) -> None:
    path = feedback_path(tmp_path)
    assert _cast(tmp_path, user=1, answer=100, verdict="up") is None
    assert _cast(tmp_path, user=1, answer=100, verdict="up") == "up"
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text("", encoding="utf-8")  # emptied where it is: shorter than what was read
    assert _cast(tmp_path, user=1, answer=100, verdict="down") is None
    staging = path.with_name("staging")
    staging.write_text(first_line + "\n", encoding="utf-8")
    os.replace(staging, path)  # another file in its place
    assert _cast(tmp_path, user=1, answer=100, verdict="down") == "up"


def test_a_line_cut_short_by_a_crash_swallows_no_vote(tmp_path: Path) -> None:
    path = feedback_path(tmp_path)
    assert _cast(tmp_path, user=1, answer=100, verdict="up") is None
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2025-01-01T00:00:00+00:00", "user": "x", "answ')  # the crash: no newline
    assert _cast(tmp_path, user=2, answer=100, verdict="down") is None
    assert _cast(tmp_path, user=2, answer=100, verdict="up") == "down"
    assert [(vote.answer, vote.verdict) for vote in read_votes(tmp_path)] == [(100, "up"), (100, "up")]


def test_votes_cast_at_once_are_whole_lines_and_all_counted(tmp_path: Path) -> None:
    threads = [
        threading.Thread(target=lambda user=user: [_cast(tmp_path, user, answer, "down") for answer in range(50)])
        for user in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = feedback_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and all(json.loads(line)["verdict"] == "down" for line in lines)
    assert summarise(read_votes(tmp_path)).down == 400


def test_an_existing_log_counts_as_before(tmp_path: Path) -> None:
    # Written by an older newsbot (text-mode appends), with a broken line and a hand-written last line without newline.
    lines = [
        {"time": "t", "guild": 1, "user": "a", "answer": 1, "question": "q1", "quotes": ["x"], "verdict": "down"},
        {"time": "t", "guild": None, "user": "b", "answer": 1, "question": "q1", "quotes": [], "verdict": "up"},
        {"time": "t", "guild": 1, "user": "a", "answer": 1, "question": "q1", "quotes": ["x"], "verdict": "up"},
    ]
    path = feedback_path(tmp_path)
    path.write_text("\n".join(map(json.dumps, lines)) + '\n{"broken\n' + json.dumps({**lines[0], "answer": 2}), encoding="utf-8")
    summary = summarise(read_votes(tmp_path))
    assert (summary.up, summary.down, summary.most_down) == (2, 1, (("q1", 1),))


# -- over the wire -------------------------------------------------------------


class _SaltGate:
    """The install's salt as a named pipe: every read of it waits until the gate is opened, then gets the salt."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        self.path, self._opened, self._closing = path, threading.Event(), False
        self._server = threading.Thread(target=self._serve, daemon=True)
        self._server.start()

    def _serve(self) -> None:
        self._opened.wait()
        while not self._closing:
            with contextlib.suppress(BrokenPipeError), self.path.open("w", encoding="ascii") as pipe:  # waits for a reader
                pipe.write("0" * 32)

    def open(self) -> None:
        self._opened.set()

    def close(self) -> None:
        self._closing = True
        self._opened.set()
        while self._server.is_alive():  # a reader that comes and goes frees the server's waiting open
            os.close(os.open(self.path, os.O_RDONLY | os.O_NONBLOCK))
            self._server.join(0.05)


async def test_a_vote_is_acknowledged_before_any_of_its_work(fake, start_bot, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    bot = await start_bot(state_dir=state_dir)
    _, followup = await fake.ask("when were ambassadors agreed?")
    answer = fake.message_of(followup)
    gate = _SaltGate(Path(bot.settings.resolved_state_dir()) / SALT_FILE)  # a vote's first step reads the salt
    mark = len(fake.requests)
    click = asyncio.ensure_future(fake.click(answer, "newsbot:up"))
    try:
        callback = await fake.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback", after=mark, timeout=10)
        assert callback.json["type"] == DEFERRED and callback.json["data"]["flags"] & EPHEMERAL
        assert not fake.sent("POST", rf"/webhooks/{fake.app_id}/.+", after=mark)  # the vote is still waiting
    finally:
        gate.open()  # the vote goes on (a failed test must not leave it blocked)
        callback, followup = await click
        gate.close()
    assert followup.json["content"] == THANKS and followup.json["flags"] & EPHEMERAL
    assert [vote.verdict for vote in read_votes(state_dir)] == ["up"]


async def test_votes_on_a_long_log_are_answered_from_what_was_read_once(fake, start_bot, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    bot = await start_bot(state_dir=state_dir)
    _, followup = await fake.ask("when were ambassadors agreed?")
    answer = fake.message_of(followup)
    path = feedback_path(bot.settings.resolved_state_dir())
    _write_votes(path, 30_000)
    record_vote(state_dir, guild=fake.guild_id, user=fake.member.id, answer=int(answer["id"]), question="q", quotes=[], verdict="up")
    callback, followup = await fake.click(answer, "newsbot:down", user=fake.admin)  # the first click reads the log
    assert callback.json["type"] == DEFERRED and followup.json["content"] == THANKS
    mine = f'"user": "{hash_user(state_dir, fake.member.id)}"'
    _rewrite_in_place(path, f"{mine}, ", f"{mine}; ")  # the member's vote unreadable, if the log were read again
    callback, followup = await fake.click(answer, "newsbot:down")
    assert callback.json["type"] == DEFERRED and followup.json["content"] == "Changed your vote to 👎."
    assert {vote.verdict for vote in read_votes(state_dir) if vote.answer == int(answer["id"])} == {"down"}
