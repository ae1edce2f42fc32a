"""Feedback on answers: 👍/👎 votes in `feedback.jsonl` in the state folder, and what they add up to.

One JSON line per click: {"time", "guild", "user", "answer", "question",
"quotes", "verdict"}. `user` is the clicker's id hashed with a salt made once
per install (`feedback-salt` beside the log), so the file names nobody yet
still tells one person's votes apart. A second click appends a new line; the
newest line for a (user, answer) pair is the vote that counts.
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
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "guild": guild,
        "user": hash_user(state_dir, user),
        "answer": answer,
        "question": question,
        "quotes": list(quotes),
        "verdict": verdict,
    }
    path = feedback_path(state_dir)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return path


def read_votes(state_dir: Path) -> list[Vote]:
    """Return the votes that count (the newest per user and answer), oldest first; unreadable lines are skipped."""
    path = feedback_path(state_dir)
    if not path.exists():
        return []
    newest: dict[tuple[str, int], Vote] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
            vote = Vote(
                time=str(item["time"]), guild=item.get("guild"), user=str(item["user"]), answer=int(item["answer"]),
                question=str(item["question"]), quotes=tuple(str(q) for q in item.get("quotes", ())),
                verdict=str(item["verdict"]),
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash, or written by hand
        if vote.verdict in VERDICTS:
            newest.pop((vote.user, vote.answer), None)
            newest[(vote.user, vote.answer)] = vote  # re-inserted: the dict keeps click order
    return list(newest.values())


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
