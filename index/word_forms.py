"""Other forms of a question's words that the index holds: typo corrections, derivations, a country's other names.

A question word the index has never seen is corrected against the index's
own vocabulary (one edit away, the commonest such term winning); every
question term also brings its derivational variants that the index holds
("extension" and "extend"), and a country its people and capital ("Turkey":
"Turkish", "Ankara"; see `places.py`), and a word the other words news
uses for the same thing ("quit": "resign"; see `synonyms.py`). How common a
word is in English generally (`english_zipf`) tells phrasing from topic for
a word the index does not know.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable

from newsbot.index.analysis import Analyser
from newsbot.index.places import place_relatives
from newsbot.index.synonyms import converses, opposites, synonyms, takes

# Derivational endings Snowball leaves on ("leader" is not "lead"), as stems
# show them: a variant is the stem with one added or taken off.
_SUFFIXES = ("er", "or", "ers", "ement", "ist", "al", "ship", "ant", "ent", "ee", "ive")
_PREFIXES = ("re",)  # "reopened" answers "is it open again?"
# Stem endings that alternate between a verb and its noun: extend/extens,
# decid/decis, receiv/recept, absorb/absorpt.
_ALTERNATIONS = (("d", "s"), ("t", "ss"), ("ceiv", "cept"), ("b", "pt"), ("ain", "ent"))
MIN_VARIANT_STEM = 4  # shorter stems have too many unrelated neighbours ("car"/"care")
MIN_CORRECTED_WORD = 5  # shorter words sit one edit from too many others ("lost" and "last")
MIN_FILLED_WORD = 4  # shorter words still, from this length on, are corrected by a left-out letter only ("flod", "crak")
# Measured: 4 (against 5) finds "flood" and "crack" in two typo questions; no off-topic or near-topic question moves.
# Longer words are not corrected: a word's one-edit neighbours grow with its length (54n+25),
# and each is analysed, so a hostile 5,000-letter word would cost seconds. English words
# rarely pass 20 letters ("internationalization").
MAX_CORRECTED_WORD = 24
# A word at least this common in English (its Zipf frequency, see `english_zipf`) is spelled right (see
# `reading_of`). Its "correction" to its other spelling ("defence": "defense") is shown as a correction; to a
# non-word that is a form of it the index holds, searched all the same but not shown: "decide" was shown as
# "decise" (the stem of "decision"), "fighters" as "fightes" ("fighting"); to any other word, made no more:
# "trying" was searched as "tying", "bring" as "BRI" (measured: labelled hit@1 +1, bundled-035).
# Typos read 0 ("goverment", "brigde"); "Schultz" 3.5. Measured: searching such forms as derivational variants
# (weight 0.6, or 0.9) instead costs "how many Taliban fighters has Pakistan killed?" its first hit.
KNOWN_WORD_ZIPF = 4.0


@functools.lru_cache(maxsize=4096)
def english_zipf(word: str) -> float:
    """Return how common a word is in English generally: its Zipf frequency, about 7 for "the", 0 when unlisted.

    The Zipf scale is log10 of occurrences per billion words (wordfreq's
    small English list, which stops near 3: rarer words read 0). A small
    corpus never uses most ordinary words ("start", "anyone"); this tells
    them from the rare ones that say what a question is about ("bitcoin").
    wordfreq is imported on the first call, not with newsbot: its import and
    list cost about 0.1 s, paid only by a question with a word the index
    does not know.
    """
    import wordfreq  # noqa: PLC0415 - lazy: see above

    return wordfreq.zipf_frequency(word, "en", wordlist="small")


def correct_word(
    word: str, analyser: Analyser, document_frequency: Callable[[str], int], *, inserts_only: bool = False
) -> tuple[str, str] | None:
    """Return (word, term) one edit from a word the index does not know, the commonest term winning.

    A candidate whose term is itself one edit from the typed word's term
    wins over one that only spells a different word: "sentance" is
    "sentence" (sentanc/sentenc), not "senatance", whose stem "senat" is
    commoner but no misspelling of the word typed.
    """
    typed = analyser.term(word) or word
    best: tuple[bool, int, str, str] | None = None
    for candidate in _edits(word, inserts_only=inserts_only):
        term = analyser.term(candidate)
        if term is None:
            continue
        df = document_frequency(term)
        if df == 0:
            continue
        if candidate[0] != word[0] and candidate[:2] != word[1::-1]:
            continue  # typos rarely touch a word's first letter; "fall" is not "call"
        rank = (_one_edit_apart(typed, term), df)
        if best is None or rank > best[:2]:
            best = (*rank, candidate, term)
    return (best[2], best[3]) if best else None


def reading_of(word: str, term: str, candidate: str, candidate_term: str) -> str | None:
    """Return what a correction of a word the index does not know is: "fix", "form", or None (none at all).

    A rare word is a typo and its correction a fix, shown ("goverment").
    A common one (see KNOWN_WORD_ZIPF) is spelled right: corrected to its
    other spelling ("defence": "defense") it is a fix, shown; to a form of
    it the index holds ("decide": "decise", the stem of "decision") a form,
    searched but not shown; to any other word, none: "trying" is not
    "tying", nor "bring" "BRI".
    """
    if english_zipf(word) < KNOWN_WORD_ZIPF:
        return "fix"
    if english_zipf(candidate) > 0 and _spelling(word) == _spelling(candidate):
        return "fix"  # an English word too, spelled the other way
    if english_zipf(candidate) < KNOWN_WORD_ZIPF and candidate_term in derived_variants(term, lambda _: 1):
        return "form"
    return None


# British spellings and their American ones, as one: colour/color, centre/center, analyse/analyze,
# defence/defense, travelled/traveled. Each at a word's end (or before its ending): "hours" is no "hors".
_SPELLINGS = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite$|ites$)"), "or"),
    (re.compile(r"(?<=[bt])re(?=s?$|d$)"), "er"),
    (re.compile(r"(?<=[iy])s(?=e[sd]?$|ing$|ation$|ations$)"), "z"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"ll(?=ed$|ing$|er$|ers$)"), "l"),
)


def _spelling(word: str) -> str:
    """Return a word in one spelling of English (see _SPELLINGS)."""
    for pattern, american in _SPELLINGS:
        word = pattern.sub(american, word)
    return word


def _one_edit_apart(a: str, b: str) -> bool:
    """Return True when b is a at most one insertion, deletion, replacement or swap away."""
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    return a[1:] == b[1:] or a[1:] == b or a == b[1:] or (a[:2] == b[1::-1] and a[2:] == b[2:])


def _edits(word: str, *, inserts_only: bool = False) -> list[str]:
    """Return every string one edit from word, likeliest typo first.

    A letter left out ("goverment") is the commonest typo, then two swapped
    ("brigde"), one doubled, one mistyped; the first candidate of a term is
    the word shown as searched for.
    """
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    inserts = [a + c + b for a, b in splits for c in letters]
    if inserts_only:
        return list(dict.fromkeys(inserts))
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    deletes = [a + b[1:] for a, b in splits if b]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]]
    return list(dict.fromkeys(inserts + transposes + deletes + replaces))


def derived_variants(term: str, document_frequency: Callable[[str], int]) -> list[str]:
    """Return the derivational variants of a stem that the index holds."""
    if len(term) < MIN_VARIANT_STEM or not term.isalpha():
        return []
    found = []
    for suffix in _SUFFIXES:
        found.append(term + suffix)
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_VARIANT_STEM:
            found.append(term[: -len(suffix)])
    for prefix in _PREFIXES:
        found.append(prefix + term)
        if term.startswith(prefix) and len(term) - len(prefix) >= MIN_VARIANT_STEM:
            found.append(term[len(prefix) :])
    for a, b in _ALTERNATIONS:
        for old, new in ((a, b), (b, a)):
            if term.endswith(old) and len(term) - len(old) >= MIN_VARIANT_STEM - 1:
                found.append(term[: -len(old)] + new)
    return [v for v in dict.fromkeys(found) if v != term and document_frequency(v) > 0]


def place_variants(term: str, document_frequency: Callable[[str], int]) -> list[str]:
    """Return the other words for the country a term names that the index holds ("turkey": "turkish", "ankara")."""
    return [other for other in place_relatives(term) if document_frequency(other) > 0]


def synonym_variants(
    term: str, document_frequency: Callable[[str], int], *, yes_no: bool = False, who: bool = False
) -> list[str]:
    """Return the words news uses for what a term says that the index holds ("quit": "resign"), the same deed
    seen from the other side ("bought": "sold"; for "who", only from the taker's: "who bought?" is answered by
    "sold to a cooperative", but "who sold?" not by the buyer), and for a yes/no question, the words that would
    settle it the other way ("accept": "reject")."""
    other_side = converses(term) if not who or takes(term) else ()
    found = (*synonyms(term), *other_side, *(opposites(term) if yes_no else ()))
    return [other for other in dict.fromkeys(found) if document_frequency(other) > 0]
