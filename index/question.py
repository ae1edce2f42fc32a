"""Read a question: what it asks for, the words to search, and the time it is bound to.

Questions are typed fast: words are misspelled, accents left out (the
analyser folds those), and a reporter's "extension" is a reader's "extend".
A question word the index has never seen is corrected against the index's
own vocabulary (one edit away, the commonest such term winning); every
question term also brings its derivational variants that the index holds,
and a country its people and capital ("Turkey": "Turkish", "Ankara"; see
`places.py`), at a lower weight. A word the index has never seen and cannot correct is
weighed by how common it is in English generally: "start" is phrasing, not
a topic the corpus lacks. Time words ("latest", "this week", "in June
2025", "since May") are taken out of the search and become a period or a
wish for recency, read against the day the question is asked; a question
about a forecast ("when is it expected to open?") wishes for recency too,
its words kept in the search.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from newsbot.index.analysis import Analyser, fold
from newsbot.index.dates import (
    joined_day,
    joined_time,
    listed_after,
    resolve_expression,
    time_matches,
    year_left_open,
)
from newsbot.index.errors import QuestionError
from newsbot.index.models import Period, QuestionKind
from newsbot.index.places import place_relatives

# Stems of words that frame a question rather than say what it is about
# ("how many", "take place", "what did X say"): left out of search and coverage
# unless the question has nothing else.
QUESTION_FILLER = frozenset(
    "mani much place happen occur say tell know mean get make go come thing would "
    "could may might must also like exact ever describ latest recent current newest late "
    "updat news anyth someth everyth".split()
)
# Words asking for the newest news rather than a period.
_RECENCY_RE = re.compile(r"\b(?:latest|most\s+recent|recent(?:ly)?|newest|now|current(?:ly)?|lately|so\s+far)\b", re.I)
# Words asking what is expected: a forecast is revised as news comes, so its newest word is wanted too
# ("when is the bridge expected to open?"). They stay in the search: the answer says them.
_FORECAST_RE = re.compile(r"\b(?:expected|due|scheduled)\b", re.I)

# A question about a deed done: "did the board accept the offer?", "which engine maker did Qantas pick?".
_DONE_RE = re.compile(r"\bdid(?:n['’]?t)?\b", re.I)

# A "what" question about a thing ("what drug did the FDA approve?", "which brand name will it carry?") wants
# the thing's name: the noun before the verb, one or two words after "what" or "which" ("what else did...",
# "which one is..." name no thing).
_AUXILIARY = r"(?:did|does|do|is|was|are|were|will|would|has|have|had|can)\b"
_THING_RE = re.compile(
    rf"^\s*(?:what|which)\s+(?:(?!{_AUXILIARY})[a-z]+\s+)?(?!{_AUXILIARY}|(?:else|one|ones)\b)([a-z]{{3,}})\s+{_AUXILIARY}",
    re.I,
)

_KIND_RES = (
    (QuestionKind.WHEN, re.compile(r"^\s*(?:when|since when|until when|what (?:time|date|day|year|month)|which (?:day|date|year|month)|how long ago)\b", re.I)),
    (QuestionKind.HOW_MUCH, re.compile(r"^\s*(?:how much|what (?:price|sum|amount)|what(?:'s| is| was) the (?:price|cost|value)|how expensive)\b", re.I)),
    (QuestionKind.HOW_MANY, re.compile(r"^\s*(?:how (?:many|large|big|far|long|old|high|deep|fast)|what (?:number|percentage|share|proportion))\b", re.I)),
    (QuestionKind.WHY, re.compile(r"^\s*(?:why|what (?:caused|led to|was the reason)|for what reason)\b", re.I)),
    (QuestionKind.WHO, re.compile(r"^\s*(?:who|whom|whose|which (?:person|people|official|leader|country|countries|group|organi[sz]ation|minister|president|team|company|firm))\b", re.I)),
    (QuestionKind.WHERE, re.compile(r"^\s*(?:where|which (?:city|town|place|region|province|district|area))\b", re.I)),
)  # fmt: skip

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
# A question longer than this is refused: no one asks in pages, and reading time words goes over the
# question once per expression (100,000 characters of "in May" took a minute; 10,000 take 0.4 s).
MAX_QUESTION_CHARS = 10_000
MAX_CORRECTED_WORDS = 8  # unknown words tried per question: a question of gibberish stays cheap
VARIANT_WEIGHT = 0.6  # share of its idf a variant counts with: a hint, never the answer by itself
# Countries' peoples and capitals as variants (`_places`), measured (at hit@1 167, hit@3 186, 172 confident; SQuAD dev
# hit@1 7,244, hit@3 8,642, refused 120 of 10,570): hit@1 168, hit@3 188, 173 confident ("what did Turkey say
# yesterday?" answered by "the Turkish Presidency said"); SQuAD 7,255 / 8,646 / 117; off- and near-topic unmoved.
CORRECTED_WEIGHT = 0.9  # a corrected word may be a wrong guess
# A period named without a date ("this week", "the past few days") in days back from the asking day.
_VAGUE_SPANS = (
    (re.compile(r"(?:this|the\s+past|the\s+last|past|last)\s+(?:few\s+)?(?:days|weekend)|in\s+recent\s+days", re.I), 7),
    (re.compile(r"(?:the\s+)?(?:past|last)\s+(?:few\s+)?weeks|in\s+recent\s+weeks", re.I), 31),
    (re.compile(r"(?:the\s+)?(?:past|last)\s+(?:few\s+)?months|in\s+recent\s+months", re.I), 92),
    (re.compile(r"(?:the\s+)?(?:past|last)\s+(?:few\s+)?years|in\s+recent\s+years", re.I), 3 * 366),
    # "last month" and "last year" name the calendar's; "the past month", a month back from today.
    (re.compile(r"(?:the\s+)?past\s+month\b", re.I), 31),
    (re.compile(r"(?:the\s+)?past\s+year\b", re.I), 366),
)  # fmt: skip
_CAPITAL_WORD_RE = re.compile(r"\b[A-Z][^\W\d_]*")  # a word written with a capital, the first word too
_CAPITALISED_RE = re.compile(r"(?<=\S)\s+([A-Z][\w'’-]*)")  # not the question's first word
_PHRASE_RE = re.compile(r"(?<=\S\s)[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)+")
# A possessive ends a name: "Warsaw's Old Town" names Warsaw and the Old Town; "Louis XIV's France", Louis XIV.
# Measured (at hit@1 167, hit@3 185, 171 confident; SQuAD dev hit@1 67.7%, hit@3 80.6%, 1.5% refused): 172
# confident (reuters-054, "Pakistan's UN envoy", gold first), near-topic still 3/26; SQuAD 68.0%, 81.0%, 1.1% refused.
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_MENTION_RE = re.compile(r"<@[!&]?\d+>|(?<!\w)@\w+")  # "<@123>" as Discord sends a mention, "@everyone"
_OPEN_AFTER = {"since", "from", "after"}
_OPEN_BEFORE = {"before", "until", "till", "by"}
_JOINING = {"and", "or", "to", "through", "thru"}  # between two time expressions: one range over both
# Words that introduce a noun: the word after one names a thing asked about ("the weather", "this season").
_DETERMINERS = frozenset("the a an this that these those its their his her my our your each every any some no".split())


@dataclass(frozen=True)
class SearchTerm:
    """One index term searched for a question, and what it stands for."""

    term: str
    weight: float  # share of its idf it counts with: 1 for the question's own words
    stands_for: str  # the question term it counts towards (itself, or the word it varies)
    # How common the word is in English generally (see `english_zipf`), for a word the index does not
    # know and no determiner introduces; 0 (taken as rare) for any other.
    english: float = 0.0


@dataclass(frozen=True)
class Question:
    """A question as the engine reads it."""

    text: str
    kind: QuestionKind
    terms: tuple[SearchTerm, ...]  # the question's content terms, then their variants
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, word searched instead)
    searched_words: tuple[str, ...] = ()  # the question's words as searched, corrections applied
    period: Period | None = None
    period_chosen: bool = False  # the asker set the period (--since/--until): by published date only
    recency: bool = False  # "latest", "now", or a forecast ("expected to"): the newest news is wanted
    time_words: frozenset[str] = field(default_factory=frozenset)  # terms that only said when
    as_of: date | None = None  # the day relative time words were read against
    named: frozenset[str] = field(default_factory=frozenset)  # terms of words written with a capital: names
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # names of several words, folded, with their terms
    asks_done: bool = False  # asks about a deed done ("did"), which a sentence on what is still to come does not settle
    # The period is one month or day named without a year ("in December"): read as the latest before
    # as_of, though an earlier year's may be meant (see `earlier_year`).
    year_open: bool = False
    thing: str | None = None  # the thing a "what" question wants named, folded ("what drug did...?": "drug")


def without_mentions(text: str) -> str:
    """Return text without "@everyone", "@newsbot" and the like: addressed to people, not asked about."""
    return _MENTION_RE.sub(" ", text)


def question_terms(text: str, analyser: Analyser) -> list[str]:
    """Return a question's search terms, mentions left out.

    Raises QuestionError when the question is empty or holds only stop words.
    """
    text = without_mentions(text)
    if not text.strip():
        raise QuestionError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is too long ({len(text):,} characters; at most {MAX_QUESTION_CHARS:,})")
    terms = analyser.tokens(text)
    if not terms:
        raise QuestionError("the question has no word to search for (only common words like 'who' or 'the')")
    return terms


# Words that open a follow-up without adding to it: "and when?", "what about Turkey?".
_FOLLOW_UP_LEAD_RE = re.compile(r"^\s*(?:(?:and|but|so|also|then|ok(?:ay)?|what about|how about)\b[\s,]*)+", re.I)
# A question's opening words, before its subject: "who", "how many", "when did", "which country".
_OPENING_RE = re.compile(
    r"^\s*(?:(?:who|whom|whose|what|when|where|why|which\s+\w+|how(?:\s+(?:many|much|long|far|old|big))?)\b"
    r"(?:\s+(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could))?|(?:is|are|was|were|did|does|do|has|have|had|will|can)\b)",
    re.I,
)
FRESH_FOLLOW_UP_TERMS = 3  # a reply with this many words of its own is a new question, not a follow-up


def follow_up_question(previous: str, text: str, analyser: Analyser) -> str:
    """Return a follow-up read with the previous question's subject.

    "and when?" after "who mediated?" is "when mediated?"; "and Turkey?" after
    "who mediated?" is "who mediated Turkey?". A reply that asks about enough
    of its own (FRESH_FOLLOW_UP_TERMS words) is returned as it is.
    """
    text = " ".join(without_mentions(text).split())
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


def question_kind(question: str) -> QuestionKind:
    """Return what kind of answer a question asks for, by its opening words."""
    for kind, pattern in _KIND_RES:
        if pattern.search(question):
            return kind
    return QuestionKind.OTHER


def read_question(
    text: str,
    analyser: Analyser,
    document_frequency: Callable[[str], int],
    *,
    as_of: date,
    period: Period | None = None,
) -> Question:
    """Return what a question asks, its search terms corrected and varied against the index.

    `document_frequency` tells how many live passages hold a term (0 for
    terms the index does not know); `as_of` is the day the question is asked;
    `period`, when given, is the range the asker chose, and wins over one the
    question's words name. Raises QuestionError when the question is empty or
    holds only stop words.
    """
    text = without_mentions(text)
    tokens = question_terms(text, analyser)
    said_period, spans, year_open = _question_period(text, as_of)
    recency = _RECENCY_RE.search(text) is not None or _FORECAST_RE.search(text) is not None
    blanked = text
    for start, end in spans:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    time_words = frozenset(tokens) - frozenset(analyser.tokens(blanked))
    corrections: list[tuple[str, str]] = []
    content: list[tuple[str, str]] = []  # (word as searched, its term)
    tries = 0
    named_things: set[str] = set()  # terms of words a determiner introduces: "the casualty claims", "this season"
    previous = ""
    for word in analyser.words(blanked):
        term = analyser.term(word)
        after, previous = previous, word
        if term is None:
            continue
        if after in _DETERMINERS:
            named_things.add(term)
        if (
            document_frequency(term) == 0 and word.isalpha() and MIN_FILLED_WORD <= len(word) <= MAX_CORRECTED_WORD
            and tries < MAX_CORRECTED_WORDS and term not in QUESTION_FILLER
        ):
            tries += 1
            fixed = _correct(word, analyser, document_frequency, inserts_only=len(word) < MIN_CORRECTED_WORD)
            if fixed is not None:
                corrections.append((word, fixed[0]))
                word, term = fixed
        content.append((word, term))
    said_period = period if period is not None else said_period
    fixed_text = _with_corrections(blanked, corrections)  # a misspelt word of a name does not break the name
    # "take place" frames the question as "happen" does; "take over" asks about taking over.
    following = [t for _, t in content[1:]] + [""]
    kept = [(w, t) for (w, t), after in zip(content, following) if t not in QUESTION_FILLER and (t, after) != ("take", "place")]
    if not kept and said_period is None and not recency:
        kept = content  # "what happened?" with no time: search its words after all
    searched = [t for _, t in kept]
    corrected = {analyser.term(word) for _, word in corrections}
    english = {
        t: english_zipf(w) for w, t in kept
        if document_frequency(t) == 0 and w.isalpha() and t not in named_things
    }  # fmt: skip
    terms = [
        SearchTerm(t, CORRECTED_WEIGHT if t in corrected else 1.0, t, english.get(t, 0.0)) for t in dict.fromkeys(searched)
    ]  # fmt: skip
    own = {t.term for t in terms}
    # A country is one written with a capital: "polish" and "the franc" name none.
    capitalised = {term for word in _CAPITAL_WORD_RE.findall(fixed_text) for term in analyser.tokens(word)}
    for term in list(own):
        places = _places(term, document_frequency) if term in capitalised else []
        for variant in (*_variants(term, document_frequency), *places):
            if variant not in own:
                own.add(variant)
                terms.append(SearchTerm(variant, VARIANT_WEIGHT, term))
    kind = question_kind(text)
    return Question(
        text=text,
        kind=kind,
        terms=tuple(terms),
        corrections=tuple(corrections),
        searched_words=tuple(dict.fromkeys(w for w, _ in kept)),
        period=said_period,
        period_chosen=period is not None,
        recency=recency,
        time_words=time_words,
        as_of=as_of,
        named=_named_terms(fixed_text, analyser, {t.term for t in terms}),
        phrases=_phrases(fixed_text, analyser),
        asks_done=_DONE_RE.search(text) is not None,
        year_open=year_open and period is None,
        thing=_thing(fixed_text, kind),
    )


def _thing(text: str, kind: QuestionKind) -> str | None:
    """Return the thing a "what" question wants named, folded: "what drug did the FDA approve?" gives "drug".

    Only for a question of no other kind: "which team won?" asks who.
    """
    match = _THING_RE.match(text) if kind is QuestionKind.OTHER else None
    return fold(match[1]) if match else None


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


def _with_corrections(text: str, corrections: list[tuple[str, str]]) -> str:
    """Return text with each corrected word (matched folded, as a whole word) replaced by its correction in lower case.

    A correction is a guess: it ends a name rather than join it, so "Herald
    of Free Enterprize" is sought as "Herald of Free" together, and "Jonathan
    Polard", corrected to "poland", does not make "Jonathan Poland" a name
    every sentence must hold.
    """
    for typed, fixed in corrections:
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", fixed, text, flags=re.I)
    return text


def _named_terms(text: str, analyser: Analyser, terms: set[str]) -> frozenset[str]:
    """Return the search terms of words written with a capital after the first: names, places, bodies."""
    named = set()
    for word in _CAPITALISED_RE.findall(text):
        named.update(analyser.tokens(word))
    return frozenset(named & terms)


def _phrases(text: str, analyser: Analyser) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the names of several words in a question ("United States"), folded, with their terms.

    Their words only count where they stand together: "the United States"
    is not asked about by a sentence on several states united in a demand.
    A possessive ends a name (see _POSSESSIVE_RE): "Julian Hawthorne's
    relation" is sought as "Julian Hawthorne", which "Julian Hawthorne, the
    writer," holds.
    """
    found = []
    for match in _PHRASE_RE.finditer(text):
        for name in _POSSESSIVE_RE.split(match[0]):
            terms = tuple(analyser.tokens(name))
            if len(terms) > 1:
                found.append((" ".join(analyser.words(name)), terms))
    return tuple(found)


def _correct(
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


def _variants(term: str, document_frequency: Callable[[str], int]) -> list[str]:
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


def _places(term: str, document_frequency: Callable[[str], int]) -> list[str]:
    """Return the other words for the country a term names that the index holds ("turkey": "turkish", "ankara")."""
    return [other for other in place_relatives(term) if document_frequency(other) > 0]


def _question_period(text: str, as_of: date) -> tuple[Period | None, list[tuple[int, int]], bool]:
    """Return the period a question's time words name read on as_of, where they are, and whether the year is open.

    The year is open when the period is one month or day named without one
    (see `Question.year_open`).
    """
    spans: list[tuple[int, int]] = [m.span() for m in _RECENCY_RE.finditer(text)]
    open_years: list[bool] = []
    since: date | None = None
    until: date | None = None
    found = False
    for pattern, days in _VAGUE_SPANS:
        for match in pattern.finditer(text):
            spans.append(match.span())
            since, until = _narrow(since, until, as_of - timedelta(days=days), as_of)
            found = True
    ranges: list[tuple[date | None, date | None]] = []  # each expression's, or several joined ("May and June")
    unyeared: list[bool] = []  # per range: a month or day named without a year, not joined to another
    joinable_at = -1  # where an expression may start to join the one before: just past "and", "to"... after it
    listed_at: int | None = None  # where a month listed after the one before starts ("in March, April 2024")
    last_read: tuple[re.Match[str], str] | None = None  # the expression before, and the word that bounds it
    found_here: list[tuple[re.Match[str], int, int, bool]] = [
        (m, m.start(), m.end(), False) for m in time_matches(text) if not _weekday_of_no_day(text, m)
    ]
    while found_here:
        match, start, end, joined = found_here.pop(0)  # joined: a month or year alone after the one before ("and June")
        if any(s <= start < e for s, e in spans):
            continue
        named = _named_range(match, as_of)
        if named is None:
            continue
        own = text[start:end].split()[0].lower()
        word = own
        days = _day_range(text, start, end, match, named)  # "between 3 and 9 December": a closed range of days
        if days is not None:
            named, start, end, _ = days
            own = word = "between"
        previous = re.search(r"(\w+)\s+$", text[:start])
        if own not in _OPEN_AFTER | _OPEN_BEFORE:  # "since" may stand before the expression
            word = previous[1].lower() if previous else ""
            if word in _OPEN_AFTER | _OPEN_BEFORE:
                start = previous.start()
        if days is not None and previous is not None and previous[1].lower() in ("between", "from"):
            start, word = previous.start(), "between"  # "from 3 to 9 December" is no open range
        spans.append((start, end))
        joined = joined or start == listed_at or (own in _JOINING and start == joinable_at) or (  # "... to May"
            word in _JOINING and previous is not None and previous.start() == joinable_at
        )
        no_year = year_left_open(match) and not (days and days[3])  # "in May", "since May", "3-9 December"
        open_year = no_year and word not in _OPEN_AFTER | _OPEN_BEFORE
        if ranges and last_read and joined:  # "between 3 and 9 December", "from May to June", "in May and June"
            ranges.append(_joined(ranges.pop(), last_read, match, named, word, as_of))
            unyeared[-1] = unyeared[-1] and no_year  # "from March to May" names no year either
        else:
            ranges.append(_bounded(named, word))
            unyeared.append(no_year)
        last_read = (match, word)
        after = re.match(r"\s+", text[end:])
        joinable_at = end + (after.end() if after else 0)
        listed_at = listed_after(text, end)
        alone = joined_time(text, end)
        if alone is not None and not any(s < alone[2] and alone[1] < e for _, s, e, _ in found_here):
            found_here.insert(0, (*alone, True))  # unless read already ("through May" is an expression)
        open_years.append(open_year)
        found = True
    for first, last in (r for r, alone in zip(ranges, unyeared) if not alone):
        since, until = _narrow(since, until, first, last)
    for first, last in (r for r, alone in zip(ranges, unyeared) if alone):
        since, until = _narrow(since, until, *_into_year_named(first, last, until))
    year_open = open_years == [True] and len(spans) == 1  # one expression, and no "recently" or "this week" beside it
    return (Period(since, until) if found else None), spans, year_open


def _into_year_named(first: date | None, last: date | None, until: date | None) -> tuple[date | None, date | None]:
    """Return a range of a month or days named without a year moved back into the year the rest of the question
    ends in: "last year in March", "in May last year", "in 2010 in May".

    Unmoved when it already starts by then, or when that year lacks its day ("in 2023 on 29 February").
    """
    if until is None or first is None or first <= until:
        return first, last
    with contextlib.suppress(ValueError):
        year = until.year if first.replace(year=until.year) <= until else until.year - 1
        years = first.year - year
        return first.replace(year=year), (last.replace(year=last.year - years) if last else None)
    return first, last


# After a weekday: a plural ("on Sundays": every Sunday) or a capitalised word ("Monday Night Football").
_NO_DAY_AFTER_RE = re.compile(r"s\b|\s+[A-Z]")


def _weekday_of_no_day(text: str, match: re.Match[str]) -> bool:
    """Return True when a question's weekday names no day: every such day, or a name it is part of."""
    return bool(match.groupdict().get("wd")) and _NO_DAY_AFTER_RE.match(text, match.end()) is not None


def _day_range(
    text: str, start: int, end: int, match: re.Match[str], named: tuple[date, date]
) -> tuple[tuple[date, date], int, int, bool] | None:
    """Return the days of one month a day expression and a day alone beside it name, where they stand,
    and whether a year was named after them ("Nov. 3-9, 2024")."""
    found = joined_day(text, start, end, match)
    if found is None:
        return None
    day, year, new_start, new_end = found
    try:  # the day before starts the range, the day after ends it (and a year after that names both)
        if year is not None:
            named = (named[0].replace(year=year), named[1].replace(year=year))
        first, last = (named[0].replace(day=day), named[1]) if new_start < start else (named[0], named[1].replace(day=day))
    except ValueError:  # "30 February", "29 February 2025"
        return None
    return ((first, last), new_start, new_end, year is not None) if first <= last else None


def _joined(
    before: tuple[date | None, date | None],
    read_before: tuple[re.Match[str], str],
    match: re.Match[str],
    named: tuple[date, date],
    word: str,
    as_of: date,
) -> tuple[date | None, date | None]:
    """Return one range over a time expression and the range read before it, which it joins ("from May to June").

    `read_before` is the expression before and the word bounding it; `named`
    the days this one names, `word` the word bounding it. A year named on one
    side holds for both ("from March to May 2025", "from March 2025 to May"),
    and with none the two are the latest pair ("in May and June", asked in
    mid-May: 2025's). An open start stays open ("before May or June"); an open
    end is closed by the later one.
    """
    first, last = _bounded(named, word)
    before_first, before_last = before
    earlier, earlier_word = read_before
    again, read_first = _named_range(earlier, named[1]), _named_range(earlier, as_of)
    if year_left_open(earlier) and again is not None and read_first is not None and again != read_first:
        if (before_first, before_last) == _bounded(read_first, earlier_word):
            before_first, before_last = _bounded(again, earlier_word)
        else:  # it joined one before it ("in May, June and July"): all move by the same years
            years = again[0].year - read_first[0].year
            before_first, before_last = (_years_on(d, years) for d in (before_first, before_last))
    elif year_left_open(match) and not year_left_open(earlier) and before_first is not None:
        within = before_first + timedelta(days=364)  # the first such month after it
        first, last = _bounded(_named_range(match, within) or named, word)
    if before_last is None and before_first is not None and last is not None and before_first > last:
        return before_first, last  # "from June 2025 to March 2025": no days (not March 2025 alone)
    first = None if before_first is None or first is None else min(before_first, first)
    last = max(d for d in (before_last, last) if d is not None) if before_last or last else None
    return first, last


def earlier_year(question: Question) -> Question:
    """Return the question with its period a year earlier: "in December", asked in March 2026, may mean December 2024.

    A whole month stays whole ("in February" of 2025 back to all of February
    2024, the 29th included); 29 February goes back to the leap year before.
    """
    period = question.period
    assert period is not None and period.since is not None and period.until is not None
    since, until = period.since, period.until
    if (since.month, since.day) == (2, 29):
        year = since.year - 4
        while not calendar.isleap(year):  # 1900 and 2100 have no 29 February
            year -= 4
        return replace(question, period=Period(since.replace(year=year), until.replace(year=year + until.year - since.year)))
    earlier_since = _years_on(since, -1)
    if since.day == 1 and until.day == calendar.monthrange(until.year, until.month)[1]:  # whole months stay whole
        year = until.year - 1
        earlier_until = date(year, until.month, calendar.monthrange(year, until.month)[1])
    else:  # "between 20 and 29 February": the 28th in a year without a 29th
        earlier_until = _years_on(until, -1)
    return replace(question, period=Period(earlier_since, earlier_until))


def _narrow(since: date | None, until: date | None, first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """Return the overlap of two ranges, open ends open."""
    since = first if since is None else (since if first is None else max(since, first))
    until = last if until is None else (until if last is None else min(until, last))
    return since, until


def _years_on(day: date | None, years: int) -> date | None:
    """Return the day that many years later (earlier when negative), 29 February becoming the 28th."""
    if day is None:
        return None
    return day.replace(year=day.year + years, day=min(day.day, calendar.monthrange(day.year + years, day.month)[1]))


def _bounded(named: tuple[date, date], word: str) -> tuple[date | None, date | None]:
    """Return the range a time expression's days give with the word before it: "since" leaves it open
    after, "before" ends it the day before, and so on."""
    first, last = named
    if word == "after":
        return last + timedelta(days=1), None
    if word in _OPEN_AFTER:
        return first, None
    if word == "before":
        return None, first - timedelta(days=1)
    if word in _OPEN_BEFORE:
        return None, last
    return first, last


def _named_range(match: re.Match[str], as_of: date) -> tuple[date, date] | None:
    """Return the first and last day a time expression in a question names."""
    phrase = " ".join(match.group(0).lower().split())
    if re.search(r"\b(?:this|current)\s+week\b", phrase):
        return as_of - timedelta(days=as_of.weekday()), as_of
    if re.search(r"\b(?:last|past|next)\s+week\b", phrase):
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=1 if "next" in phrase else -1)
        return monday, monday + timedelta(days=6)
    when = resolve_expression(match, as_of)
    return (when.first_day(), when.last_day()) if when is not None else None
