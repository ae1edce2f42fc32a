"""Questions that lean on the one before: "and when?", "what about Turkey?"."""

from __future__ import annotations

import re

from newsbot.index.analysis import Analyser
from newsbot.index.question import without_mentions

# Words that open a follow-up without adding to it: "and when?", "what about Turkey?".
_FOLLOW_UP_LEAD_RE = re.compile(r"^\s*(?:(?:and|but|so|also|then|ok(?:ay)?|what about|how about)\b[\s,]*)+", re.I)
# A question's opening words, before its subject: "who", "how many", "when did", "which country".
_OPENING_RE = re.compile(
    r"^\s*(?:(?:who|whom|whose|what|when|where|why|which\s+\w+|how(?:\s+(?:many|much|long|far|old|big))?)\b"
    r"(?:\s+(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could))?|(?:is|are|was|were|did|does|do|has|have|had|will|can)\b)",
    re.I,
)
FRESH_FOLLOW_UP_TERMS = 3  # a follow-up with this many words of its own is a new question after all
# What makes a question a follow-up by its first words: "and when?", "but why?", "what about Turkey?",
# "ok, and Turkey?". "so", "also", "then" and "ok" alone do not: "so who won the vote?" asks afresh.
_FOLLOW_UP_OPENING_RE = re.compile(
    r"^\s*(?:(?:so|also|then|ok(?:ay)?)\b[\s,]*)*(?:and|but|what\s+about|how\s+about)\b", re.I
)


def is_follow_up(text: str, analyser: Analyser) -> bool:
    """Return True when a question leans on the question before it.

    It does when it opens with "and", "but", "what about" or "how about", or
    when it has no word of its own to search for: every word a stop word, the
    question word too ("when?", "where was that?", "why did they?"). Anything
    else is a question of its own: "what did Turkey say?", "thanks!".
    """
    text = without_mentions(text)
    return _FOLLOW_UP_OPENING_RE.match(text) is not None or not analyser.tokens(text)


def follow_up_question(previous: str, text: str, analyser: Analyser) -> str:
    """Return a follow-up read with the previous question's subject.

    "and when?" after "who mediated?" is "when mediated?"; "and Turkey?" after
    "who mediated?" is "who mediated Turkey?". A question that is no follow-up
    (see `is_follow_up`), or one that asks about enough of its own
    (FRESH_FOLLOW_UP_TERMS words), is returned as it is.
    """
    text = " ".join(without_mentions(text).split())
    if not is_follow_up(text, analyser):
        return text
    asked = _FOLLOW_UP_LEAD_RE.sub("", text).strip() or text
    own = set(analyser.tokens(asked))
    if len(own) >= FRESH_FOLLOW_UP_TERMS:
        return text
    previous = " ".join(without_mentions(previous).split())
    opening = _OPENING_RE.match(previous)
    subject = previous[opening.end() :] if opening else previous
    added = [word for word in subject.strip(" ?!.").split() if not set(analyser.tokens(word)) <= own]
    if _OPENING_RE.match(asked):
        return " ".join([asked.rstrip(" ?!."), *added]) + "?"
    lead = opening.group(0).strip() if opening else ""
    return " ".join(filter(None, [lead, subject.strip(" ?!."), asked.rstrip(" ?!.")])) + "?"
