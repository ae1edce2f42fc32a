"""Feedback on answers: 👍/👎 votes in `feedback.jsonl` in the state folder, and what they add up to.

One JSON line per click: {"time", "guild", "user", "answer", "question",
"quotes", "verdict"}. `user` is the clicker's id hashed with a salt made once
per install (`feedback-salt` beside the log), so the file names nobody yet
still tells one person's votes apart. A second click appends a new line; the
newest line for a (user, answer) pair is the vote that counts.

Several writers may append at once (the bot's processes, each of its threads)
while `newsbot feedback` reads: each line is one append-mode write, so lines
never interleave, and a reader takes only whole lines. A click needs the
clicker's previous vote: `cast_vote` reads the log once per process and then
only what was appended since (`VoteLog`), not the whole log per click.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FEEDBACK_FILE = "feedback.jsonl"
SALT_FILE = "feedback-salt"
VERDICTS = ("up", "down")
_LOCK = threading.Lock()  # one writer at a time within the process; each vote is one write


@dataclass(frozen=True)
class Vote:
    """One counted vote: the newest click of one user on one answer."""

    time: str
    guild: int | None
    user: str  # hashed
    answer: int  # the answer message's id
    question: str
    quotes: tuple[str, ...]
    verdict: str  # "up" or "down"


@dataclass(frozen=True)
class FeedbackSummary:
    """What the votes add up to."""

    up: int
    down: int
    most_down: tuple[tuple[str, int], ...]  # (question, down votes on its answers), most first


def feedback_path(state_dir: Path) -> Path:
    """Return where the feedback log of a state folder lives."""
    return Path(state_dir) / FEEDBACK_FILE


def hash_user(state_dir: Path, user: int) -> str:
    """Return a user id hashed with this install's salt (made on first use, readable by its owner only)."""
    path = Path(state_dir) / SALT_FILE
    with _LOCK:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole beside it, then linked into place: another process sees no salt or
            # the whole salt, never an empty file; if it made one first, that one is kept.
            descriptor, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{SALT_FILE}.")
            try:
                with os.fdopen(descriptor, "w", encoding="ascii") as handle:  # mkstemp: owner only
                    handle.write(secrets.token_hex(16))
                with contextlib.suppress(FileExistsError):
                    os.link(staging, path)
            finally:
                os.unlink(staging)
    salt = path.read_text(encoding="ascii").strip()
    return hashlib.sha256(f"{salt}:{user}".encode()).hexdigest()[:32]


def record_vote(
    state_dir: Path, *, guild: int | None, user: int, answer: int, question: str, quotes: list[str], verdict: str
) -> Path:
    """Append one vote to the feedback log; return its path.

    Raises ValueError for a verdict other than "up" or "down".
    """
    _require_verdict(verdict)
    path = feedback_path(state_dir)
    _append(path, _vote_line(guild, hash_user(state_dir, user), answer, question, quotes, verdict))
    return path


def cast_vote(
    state_dir: Path, *, guild: int | None, user: int, answer: int, question: str, quotes: list[str], verdict: str
) -> str | None:
    """Append one vote to the feedback log; return the verdict that counted before for this user and answer, if any.

    Raises ValueError for a verdict other than "up" or "down".
    """
    _require_verdict(verdict)
    hashed = hash_user(state_dir, user)
    return vote_log(state_dir).cast(hashed, answer, _vote_line(guild, hashed, answer, question, quotes, verdict))


def read_votes(state_dir: Path) -> list[Vote]:
    """Return the votes that count (the newest per user and answer), oldest first; unreadable lines are skipped."""
    newest: dict[tuple[str, int], Vote] = {}
    try:
        with feedback_path(state_dir).open("rb") as handle:
            for line in handle:
                vote = _parse_vote(line)
                if vote is not None:
                    newest.pop((vote.user, vote.answer), None)
                    newest[(vote.user, vote.answer)] = vote  # re-inserted: the dict keeps click order
    except FileNotFoundError:
        return []
    return list(newest.values())


class VoteLog:
    """One feedback log and the verdict that counts per (user, answer): read once, then only what was appended since.

    Another process may append too (a second bot process, say): each use reads
    the lines added since the last, in the file's order, whoever wrote them. A
    log replaced or cut short is read again from its start. About 130 bytes of
    memory per (user, answer) voted on.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # one vote of this process at a time: look up, then append
        self._file: tuple[int, int] | None = None  # (device, inode) of the file read so far
        self._read_to = 0  # bytes read so far: every one of them in whole lines
        self._verdicts: dict[str, str] = {}  # _key(user, answer) -> the verdict that counts

    def cast(self, user: str, answer: int, line: bytes) -> str | None:
        """Append a vote's line (made by `_vote_line`); return the verdict that counted before for user and answer."""
        with self._lock:
            self._catch_up()
            before = self._verdicts.get(_key(user, answer))
            _append(self.path, line)  # read back with the next catch-up, in its place among other writers' lines
            return before

    def _catch_up(self) -> None:
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            self._file, self._read_to, self._verdicts = None, 0, {}
            return
        with handle:
            status = os.fstat(handle.fileno())
            if (status.st_dev, status.st_ino) != self._file or status.st_size < self._read_to:
                self._file, self._read_to, self._verdicts = (status.st_dev, status.st_ino), 0, {}
            handle.seek(self._read_to)
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # still being written, or cut by a crash: taken when whole
                self._read_to += len(line)
                vote = _parse_vote(line)
                if vote is not None:
                    self._verdicts[_key(vote.user, vote.answer)] = vote.verdict


_LOGS: dict[str, VoteLog] = {}  # one per log in this process, so every click shares what was read


def vote_log(state_dir: Path) -> VoteLog:
    """Return this process's `VoteLog` of a state folder's feedback log (nothing is read until it is used)."""
    path = feedback_path(state_dir)
    key = os.path.abspath(path)
    with _LOCK:
        if key not in _LOGS:
            _LOGS[key] = VoteLog(path)
        return _LOGS[key]


def _key(user: str, answer: int) -> str:
    return f"{answer}:{user}"  # one string, not a tuple: half the memory in a long log


def _require_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")


def _vote_line(guild: int | None, user: str, answer: int, question: str, quotes: list[str], verdict: str) -> bytes:
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "guild": guild,
        "user": user,  # hashed
        "answer": answer,
        "question": question,
        "quotes": list(quotes),
        "verdict": verdict,
    }
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _append(path: Path, line: bytes) -> None:
    """Append a line in one append-mode write, so it never interleaves with another writer's."""
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            end = os.fstat(descriptor).st_size
            if end and os.pread(descriptor, 1, end - 1) != b"\n":
                line = b"\n" + line  # a line cut short by a crash would swallow this one
            written = os.write(descriptor, line)
            while written < len(line):  # a disk nearly full, say
                written += os.write(descriptor, line[written:])
        finally:
            os.close(descriptor)


def _parse_vote(line: bytes) -> Vote | None:
    """Return the vote of one log line, or None for a line cut short by a crash or written by hand."""
    try:
        item = json.loads(line.decode("utf-8", errors="replace"))
        vote = Vote(
            time=str(item["time"]), guild=item.get("guild"), user=str(item["user"]), answer=int(item["answer"]),
            question=str(item["question"]), quotes=tuple(str(q) for q in item.get("quotes", ())),
            verdict=str(item["verdict"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, OverflowError):  # OverflowError: "answer": 1e999
        return None
    return vote if vote.verdict in VERDICTS else None


def summarise(votes: list[Vote], limit: int = 10) -> FeedbackSummary:
    """Count votes by verdict and list the questions whose answers were voted down most."""
    down = collections.Counter(vote.question for vote in votes if vote.verdict == "down")
    return FeedbackSummary(
        up=sum(vote.verdict == "up" for vote in votes),
        down=sum(down.values()),
        most_down=tuple(down.most_common(limit)),
    )


def export_down_votes(votes: list[Vote], path: Path) -> int:
    """Write each down-voted question once as a JSON line shaped like benchmarks/questions; return how many.

    The labeller fills in `category`, `answerable` and `gold`; `note` keeps
    the quotes that were voted down.
    """
    seen: dict[str, Vote] = {}
    for vote in votes:
        if vote.verdict == "down" and vote.question not in seen:
            seen[vote.question] = vote
    lines = []
    for vote in seen.values():
        # An id from the question itself: exporting again, or from another install, never reuses one for another question.
        key = hashlib.sha256(vote.question.encode("utf-8")).hexdigest()[:10]
        lines.append(json.dumps({
            "id": f"feedback-{key}", "question": vote.question, "category": None, "answerable": None,
            "gold": [], "published": None, "event_date": None, "as_of": None,
            "note": f"voted down on {vote.time[:10]} (set as_of to that day if the question is bound to its time); "
            "quoted: " + " | ".join(vote.quotes),
        }, ensure_ascii=False))  # fmt: skip
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
