"""What a quote says beyond the question: names and numbers it lacks, a subject of its own, a deed still to come.

The answer reads these of its best quote before calling it confident:
whether it adds a name, number, date or place the question lacks, whether
it opens on someone the question does not name, whether it only says the
asked deed will be done ("will announce", "agreed to buy"). Like the kind
fits in evidence.py, which share the name and number patterns here, these
are cheap surface tests on the verbatim sentence, not parses.
"""

from __future__ import annotations

import re

from newsbot.index.analysis import STOP_WORDS, Analyser, fold
from newsbot.index.dates import has_time_expression

NUMBER_RE = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|hundreds|thousand|thousands|million|millions|billion|dozens?|half|percent)\b",
    re.I,
)
# A capitalised word, accents allowed ("Álvarez", "Génie", "O'Brien", "Jean-Luc"), or an acronym.
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_NAME_WORD = rf"(?:[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}]?[{_LOWER}]+)*|[A-Z]{{2,}})"
# A capitalised word that does not open the sentence: a name, an organisation or a place.
_NAME_RE = re.compile(rf"(?<=[\s(“\"'‘]){_NAME_WORD}(?:\s+{_NAME_WORD})*")
# Capitalised words opening the sentence, two or more: "Maynard Glitman, who heads the team".
# One opening capital says nothing (every sentence has one), nor does a stop word ("The Authority").
_OPENING_NAME_RE = re.compile(rf"^[\s“\"'‘]*({_NAME_WORD}(?:\s+{_NAME_WORD})+)")
# The word opening a sentence, without a possessive ("Tesla's father": "Tesla").
OPENING_WORD_RE = re.compile(rf"^[\s“\"'‘]*([{_UPPER}][{_LOWER}]+)\b")
ANY_NAME_RE = re.compile(rf"(?:^|(?<=[\s(“\"'‘])){_NAME_WORD}(?:\s+{_NAME_WORD})*")  # opening ones too
CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December".split()
)
# What is still to come: "it will announce a decision later this year", "expects to make a proposal",
# a wish ("would like to review tapes").
# ("would" is left out: reported speech puts past news in it, "said it would cut 1,200 posts".)
_AHEAD_RE = re.compile(
    r"\b(?:will|would\s+like\s+to|wants?\s+to|expects?\s+to|plans?\s+to|is\s+to|are\s+to|next\s+(?:week|month|year)"
    r"|later\s+this\s+(?:week|month|year))\b",
    re.I,
)
# A verb after a modal or "to" ("would release", "will formally open", "agreed to buy"): a deed not yet done.
_DEED_AHEAD_RE = re.compile(
    r"\b(?:will|would|shall|(?:going|plans?|planning|planned|agreed|set|expected|due|intends?|aims?|wants?|hopes?"
    r"|decided|promised|pledged|vowed|needs?|is|are|was|were)\s+to)\s+(?:[a-z]+ly\s+)?((?-i:[a-z]+))\b",
    re.I,
)  # "to" only after a word of intent: "according to police", "taken to court" name no deed; "to President" no verb
ANALYSER = Analyser()  # stems question and sentence words alike, to see which comes first


def opens_on_another(sentence: str, question_words: set[str]) -> bool:
    """Return True when the first name in a sentence, its subject as a rule, is one the question does not give:
    "The contractor's director, J. R. Pilling, was acquitted." (Pilling), not "Pakistan has not confirmed..."."""
    opening = OPENING_WORD_RE.match(sentence)
    if opening and fold(opening[1]) not in STOP_WORDS:
        first = opening[1]
    else:
        found = _NAME_RE.search(sentence)
        if found is None:
            return False
        first = found[0]
    return first not in CALENDAR_WORDS and not all(fold(w) in question_words for w in first.split())


def new_names(sentence: str, question_words: set[str]) -> list[str]:
    """Return the capitalised names in a sentence that the question does not hold."""
    names = _NAME_RE.findall(sentence)
    opening = _OPENING_NAME_RE.match(sentence)
    if opening and fold(opening[1].split()[0]) not in STOP_WORDS:
        names.append(opening[1])
    return [
        name for name in names
        if name not in CALENDAR_WORDS and not all(fold(w) in question_words for w in name.split())
    ]  # fmt: skip


def looks_ahead(sentence: str) -> bool:
    """Return True when a sentence speaks of something still to come ("will announce", "expects to make")."""
    return _AHEAD_RE.search(sentence) is not None


def deed_to_come(sentence: str, question: str) -> bool:
    """Return True when a sentence puts a deed the question asks about after a word that looks ahead: "said it
    would release iOS 19.2 next month" has "release" still to come, however much of "did Apple release iOS
    19.2?" it holds. A deed the question itself puts so ("did Muller try to buy Ebro?") does not count."""
    asked = set(ANALYSER.tokens(question)) - _deeds_ahead(question)
    return not asked.isdisjoint(_deeds_ahead(sentence))


def _deeds_ahead(text: str) -> set[str]:
    """Return the terms of the verbs a text puts after a modal or "to"."""
    return {term for match in _DEED_AHEAD_RE.finditer(text) if (term := ANALYSER.term(fold(match[1]))) is not None}


def adds_something(sentence: str, question_words: set[str]) -> bool:
    """Return True when a sentence holds a name, number, date or place the question does not."""
    if any(n.lower() not in question_words for n in NUMBER_RE.findall(sentence)):
        return True
    return bool(new_names(sentence, question_words)) or has_time_expression(sentence)
