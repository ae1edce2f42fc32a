"""What the Discord bot checks before doing work: question length, per-user cooldown, uploads."""

from __future__ import annotations

import math
import re
import time
from collections import deque
from collections.abc import Callable

from newsbot.index import ARTICLE_SUFFIXES, SourceError, gunzip

COOLDOWN_WINDOW = 60.0  # seconds; the setting is "questions per minute"
UPLOAD_SUFFIXES = ARTICLE_SUFFIXES  # what the article reader understands
UPLOAD_NAME_LIMIT = 100  # characters; long enough for any sensible article file name
_UNSAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")
_MENTION_RE = re.compile(r"<@([!&]?)(\d+)>")  # a user ("<@1>", "<@!1>") or a role ("<@&1>")
# What people say to a bot that answered them: thanks and acknowledgements, not questions. On a busy
# server a reply of its own to each would be noise (see `is_chit_chat`).
CHIT_CHAT_WORDS = frozenset(
    "thanks thank thx ty tysm cheers you much so very a lot ok okay k kk cool great nice good perfect awesome "
    "got it lol haha yes yeah yep no nope sure wow bot newsbot".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_CUSTOM_EMOJI_RE = re.compile(r"<a?:\w+:\d+>")  # Discord's "<:name:id>" for a server's own emoji


class Cooldown:
    """A sliding window of at most `per_minute` questions per user per 60 seconds (0: no limit)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}

    def hit(self, user_id: int) -> int | None:
        """Count one question; return the seconds to wait instead when the user is over the limit."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        self._forget_before(now - COOLDOWN_WINDOW)
        asked = self._asked.setdefault(user_id, deque())
        if len(asked) >= self.per_minute:
            return max(1, math.ceil(asked[0] + COOLDOWN_WINDOW - now))
        asked.append(now)
        return None

    def _forget_before(self, start: float) -> None:
        for user_id in list(self._asked):
            asked = self._asked[user_id]
            while asked and asked[0] <= start:
                asked.popleft()
            if not asked:
                del self._asked[user_id]


def question_refusal(question: str, max_chars: int) -> str | None:
    """Return why a question is refused, or None when it may be asked."""
    if not question.strip():
        return "Ask a question about the articles, e.g. `when were ambassadors agreed?`"
    if len(question) > max_chars:
        return f"That question is {len(question):,} characters long; the limit is {max_chars:,}. Please shorten it."
    return None


def strip_mentions(content: str, user_id: int, role_id: int | None = None) -> str:
    """Return message content without mentions of user_id (the bot) or role_id (its own role), whitespace tidied."""

    def mine(match: re.Match[str]) -> bool:
        return int(match.group(2)) == (role_id if match.group(1) == "&" else user_id)

    text = _MENTION_RE.sub(lambda match: "" if mine(match) else match.group(0), content)
    return " ".join(text.split())


def is_chit_chat(text: str) -> bool:
    """Return True for a message that asks nothing: thanks, an acknowledgement, emoji ("thanks!", "ok 👍")."""
    said = _CUSTOM_EMOJI_RE.sub(" ", text)
    if not text.strip() or any(c.isdigit() for c in said):  # "2024?" asks about a year
        return False
    return all(word in CHIT_CHAT_WORDS for word in _WORD_RE.findall(said.lower()))


def safe_upload_name(filename: str) -> str:
    """Return the name an uploaded article file is saved under: its base name, in safe characters.

    Raises SourceError for a hidden file, a name with nothing left, or a type
    the article reader does not understand.
    """
    base = re.split(r"[\\/]", filename.strip())[-1].strip()
    if base.startswith("."):
        raise SourceError(f"{base!r}: hidden files are not accepted")
    name = _UNSAFE_NAME_RE.sub("_", base)
    if not name.strip("._-"):
        raise SourceError(f"{filename!r}: not a usable file name")
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise SourceError(f"{name}: only article files ({', '.join(UPLOAD_SUFFIXES)}) are accepted")
    if len(name) > UPLOAD_NAME_LIMIT:
        raise SourceError(f"{name[:40]}…: file names are limited to {UPLOAD_NAME_LIMIT} characters")
    return name


def check_upload_size(name: str, size: int, limit: int) -> None:
    """Refuse an upload of `size` bytes over `limit` (asked before downloading it).

    Raises SourceError when it is over.
    """
    if size > limit:
        raise SourceError(f"{name} is {size:,} bytes; the limit is {limit:,}")


def check_upload_bytes(name: str, data: bytes, limit: int) -> None:
    """Refuse downloaded upload bytes over `limit`, counted decompressed for a gzip file.

    Raises SourceError when they are over. Decompression stops at the limit,
    so a small gzip bomb costs no more than `limit` bytes.
    """
    check_upload_size(name, len(data), limit)  # what came, not what Discord said would come
    if name.lower().endswith(".gz") and gunzip(data, limit, name)[0] is None:
        raise SourceError(f"{name} is over {limit:,} bytes (decompressed)")
