"""Tests for bot.discord_guard and bot.audit: cooldown, question checks, upload names, the audit log."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import pytest

from newsbot.bot.audit import AUDIT_FILE, AuditEntry, append_audit, read_audit
from newsbot.bot.discord_guard import (
    Cooldown,
    check_upload_bytes,
    check_upload_size,
    question_refusal,
    safe_upload_name,
    strip_mentions,
)
from newsbot.index import SourceError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cooldown_allows_n_per_minute_then_says_how_long() -> None:
    clock = Clock()
    cooldown = Cooldown(2, clock)
    assert cooldown.hit(1) is None
    clock.now += 10
    assert cooldown.hit(1) is None
    clock.now += 5
    assert cooldown.hit(1) == 45  # the first question leaves the window at 1060
    assert cooldown.hit(2) is None  # others are not held back
    clock.now += 45
    assert cooldown.hit(1) is None


def test_cooldown_refusals_do_not_extend_the_wait() -> None:
    clock = Clock()
    cooldown = Cooldown(1, clock)
    assert cooldown.hit(1) is None
    for _ in range(5):
        clock.now += 10
        cooldown.hit(1)
    clock.now += 10
    assert cooldown.hit(1) is None


def test_cooldown_zero_is_off() -> None:
    cooldown = Cooldown(0)
    assert all(cooldown.hit(1) is None for _ in range(100))


@pytest.mark.parametrize(
    ("question", "limit", "refused"),
    [
        ("when were ambassadors agreed?", 300, None),
        ("x" * 10, 10, None),
        ("   ", 300, "Ask a question"),
        ("x" * 11, 10, "11 characters long; the limit is 10"),
    ],
)
def test_question_refusal(question: str, limit: int, refused: str | None) -> None:
    result = question_refusal(question, limit)
    assert result is None if refused is None else refused in (result or "")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<@42> when were ambassadors agreed?", "when were ambassadors agreed?"),
        ("<@!42>   who   hosted <@7>?", "who hosted <@7>?"),
        ("hey <@42>", "hey"),
        ("<@42>", ""),
    ],
)
def test_strip_mentions(content: str, expected: str) -> None:
    assert strip_mentions(content, 42) == expected


@pytest.mark.parametrize(
    ("filename", "saved"),
    [
        ("news.txt", "news.txt"),
        ("../../evil.txt", "evil.txt"),
        ("..\\..\\windows.jsonl", "windows.jsonl"),
        ("/etc/cron.d/x.txt", "x.txt"),
        ("my report (v2).JSONL", "my_report_v2_.JSONL"),
        ("archive.jsonl.gz", "archive.jsonl.gz"),
        ("naïve\u202etxt.txt", "na_ve_txt.txt"),
    ],
)
def test_safe_upload_name(filename: str, saved: str) -> None:
    assert safe_upload_name(filename) == saved


@pytest.mark.parametrize(
    ("filename", "why"),
    [
        (".env.txt", "hidden"),
        ("../.hidden.jsonl", "hidden"),
        ("notes.pdf", "only article files"),
        ("archive.gz", "only article files"),
        ("evil.txt/", "not a usable"),
        ("x" * 200 + ".txt", "limited to"),
    ],
)
def test_unsafe_upload_names_are_refused(filename: str, why: str) -> None:
    with pytest.raises(SourceError, match=why):
        safe_upload_name(filename)


@pytest.mark.parametrize(
    ("size", "limit", "refused"),
    [
        (100, 100, None),
        (0, 100, None),
        (101, 100, "a.txt is 101 bytes; the limit is 100"),
        (2_000_000, 1_000_000, "a.txt is 2,000,000 bytes; the limit is 1,000,000"),
    ],
)
def test_check_upload_size(size: int, limit: int, refused: str | None) -> None:
    if refused is None:
        check_upload_size("a.txt", size, limit)
    else:
        with pytest.raises(SourceError, match=refused):
            check_upload_size("a.txt", size, limit)


@pytest.mark.parametrize(
    ("name", "data", "limit", "refused"),
    [
        ("a.txt", b"x" * 100, 100, None),
        ("a.txt", b"x" * 101, 100, "is 101 bytes; the limit is 100"),
        ("a.jsonl.gz", gzip.compress(b"x" * 100), 100, None),
        ("a.jsonl.gz", gzip.compress(b"x" * 101), 100, r"over 100 bytes \(decompressed\)"),
        ("A.JSONL.GZ", gzip.compress(b" " * 1_000_000), 5000, "decompressed"),  # small, but a bomb
        ("a.jsonl", gzip.compress(b" " * 1_000_000), 2000, None),  # not named .gz: taken as it came
    ],
)
def test_check_upload_bytes(name: str, data: bytes, limit: int, refused: str | None) -> None:
    if refused is None:
        check_upload_bytes(name, data, limit)
    else:
        with pytest.raises(SourceError, match=refused):
            check_upload_bytes(name, data, limit)


def test_audit_log_appends_json_lines(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    append_audit(index_dir, AuditEntry("add", 1, 2, "a.txt", "ab" * 32, added=("a.txt",)))
    append_audit(index_dir, AuditEntry("refresh", None, 3))
    lines = (index_dir / AUDIT_FILE).read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first)[:6] == ["when", "action", "guild", "user", "file", "sha256"]
    assert first["added"] == ["a.txt"] and first["when"].endswith("+00:00")
    assert read_audit(index_dir)[1]["action"] == "refresh"


def test_audit_log_keeps_every_line_under_concurrent_writers(tmp_path: Path) -> None:
    threads = [
        threading.Thread(target=lambda n=n: append_audit(tmp_path, AuditEntry("add", 1, n, f"{n}.txt")))
        for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert sorted(entry["user"] for entry in read_audit(tmp_path)) == list(range(20))
