"""Read a question: what it asks for, the words to search, and the time it is bound to.

Questions are typed fast: words are misspelled, accents left out (the
analyser folds those), and a reporter's "extension" is a reader's "extend".
A question word the index has never seen is corrected against the index's
own vocabulary, and every question term brings its variants the index holds
(see word_forms.py), at a lower weight. A word the index has never seen and
cannot correct is weighed by how common it is in English generally: "start"
is phrasing, not a topic the corpus lacks. Time words ("latest", "this week", "in June
2025", "since May") are taken out of the search and become a period or a
wish for recency, read against the day the question is asked; a question
about a forecast ("when is it expected to open?") wishes for recency too,
its words kept in the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from newsbot.index.analysis import Analyser, fold
from newsbot.index.errors import QuestionError
from newsbot.index.evidence import SCORE
from newsbot.index.models import Period, QuestionKind
from newsbot.index.time_words import read_time_words, year_earlier
from newsbot.index.word_forms import (
    MAX_CORRECTED_WORD,
    MIN_CORRECTED_WORD,
    MIN_FILLED_WORD,
    correct_word,
    derived_variants,
    english_zipf,
    place_variants,
    reading_of,
    synonym_variants,
)

# Stems of words that frame a question rather than say what it is about
# ("how many", "take place", "what did X say"): left out of search and coverage
# unless the question has nothing else.
QUESTION_FILLER = frozenset(
    "mani much place happen occur say tell know mean get make go come thing would "
    "could may might must also like exact ever describ latest recent current newest late "
    "updat news anyth someth everyth".split()
)
# Words asking what is expected: a forecast is revised as news comes, so its newest word is wanted too
# ("when is the bridge expected to open?"). They stay in the search: the answer says them.
_FORECAST_RE = re.compile(r"\b(?:expected|due|scheduled)\b", re.I)

# A question about a deed done: "did the board accept the offer?", "which engine maker did Qantas pick?".
_DONE_RE = re.compile(r"\bdid(?:n['’]?t)?\b", re.I)
# A question asking yes or no: "was Okafor acquitted?", "did Rovers win?".
_YES_NO_RE = re.compile(r"\s*(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b", re.I)
# "which team won?" asks for a name; the answer seldom says the word ("Ashford United beat Portmore City 3-0"), so the
# word weighs nothing in coverage (it still searches). Not a title ("which minister", "which president": the answer
# says "Minister X") nor a word often part of the name ("Portmore City", "Paktika province", "the Wagner Group").
# Measured (at hit@1 178, hit@3 195, 180 confident; with the deeper search by variants, gathering.py): stories-096
# "which team won this week?" first (was refused), nothing else moves.
_CATEGORY_RE = re.compile(
    r"^\s*which\s+(teams?|compan(?:y|ies)|firms?|countr(?:y|ies)|organi[sz]ations?|towns?|person|people)\b", re.I
)
# A "when" question about what is still to come: "when will the line open?".
_AHEAD_WHEN_RE = re.compile(r"\s*when\s+(?:will|would|shall)\b", re.I)

# A "what" question about a thing ("what drug did the FDA approve?", "which brand name will it carry?") wants
# the thing's name: the noun before the verb, one or two words after "what" or "which" ("what else did...",
# "which one is..." name no thing).
_AUXILIARY = r"(?:did|does|do|is|was|are|were|will|would|has|have|had|can)\b"
_THING_RE = re.compile(
    rf"^\s*(?:what|which)\s+(?:(?!{_AUXILIARY})[a-z]+\s+)?(?!{_AUXILIARY}|(?:else|one|ones)\b)([a-z]{{3,}})\s+{_AUXILIARY}",
    re.I,
)

# "What was the score?" wants a match's score ("beat City 3-2"), not a line on who scored.
_SCORE_QUESTION_RE = re.compile(
    r"^\s*what(?:['’]?s|\s+is|\s+was|\s+were)\s+the\s+(?:(?:final|latest|half[- ]?time|full[- ]?time)\s+)?score(?:line)?\b"
    r"|^\s*what(?:['’]?s|\s+is|\s+was)\s+the\s+(?:final\s+)?result\s+of\s+the\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:match|game|final|derby|tie|fixture)\b",  # not "the result of the referendum"
    re.I,
)

# Nouns that name an amount of money: "what was Limmat's profit?" asks how much, as "what is the price?" does.
_AMOUNT_NOUNS = r"(?:price|cost|value|profits?|revenues?|sales|turnover|earnings|budget|salary|fine|debts?|deficit|fee|fare)"

_KIND_RES = (
    (QuestionKind.WHEN, re.compile(r"^\s*(?:when|since when|until when|what (?:time|date|day|year|month)|which (?:day|date|year|month)|how long ago)\b", re.I)),
    (QuestionKind.HOW_MUCH, re.compile(rf"^\s*(?:how much|what (?:price|sum|amount)|what(?:'s| is| was| were) (?:the )?(?:(?:(?-i:[A-Z])[\w-]* )*[\w-]+['’]s? )?{_AMOUNT_NOUNS}|how expensive)\b", re.I)),
    (QuestionKind.HOW_MANY, re.compile(r"^\s*(?:how (?:many|large|big|far|long|old|high|deep|fast)|what (?:number|percentage|share|proportion))\b", re.I)),
    (QuestionKind.WHY, re.compile(r"^\s*(?:why|what (?:caused|led to|was the reason)|for what reason)\b", re.I)),
    (QuestionKind.WHO, re.compile(r"^\s*(?:who|whom|whose|which (?:person|people|official|leader|country|countries|group|organi[sz]ation|minister|president|team|company|firm))\b", re.I)),
    (QuestionKind.WHERE, re.compile(r"^\s*(?:where|which (?:city|town|place|region|province|district|area))\b", re.I)),
    (QuestionKind.SAID, re.compile(r"^\s*what\s+(?:did|does|do|has|have|had|will|would)\b.{0,80}?\b(?:say|said|tell|told|add|added|reply|replied)\b", re.I)),
)  # fmt: skip

# A question longer than this is refused: no one asks in pages, and reading time words goes over the
# question once per expression (100,000 characters of "in May" took a minute; 10,000 take 0.4 s).
MAX_QUESTION_CHARS = 10_000
MAX_CORRECTED_WORDS = 8  # unknown words tried per question: a question of gibberish stays cheap
VARIANT_WEIGHT = 0.6  # share of its idf a variant counts with: a hint, never the answer by itself
# Countries' peoples and capitals as variants (`place_variants`), measured (at hit@1 167, hit@3 186, 172 confident; SQuAD dev
# hit@1 7,244, hit@3 8,642, refused 120 of 10,570): hit@1 168, hit@3 188, 173 confident ("what did Turkey say
# yesterday?" answered by "the Turkish Presidency said"); SQuAD 7,255 / 8,646 / 117; off- and near-topic unmoved.
SYNONYM_WEIGHT = 0.6  # the same, for a word news uses for the same thing (`synonyms.py`)
# Measured (at hit@1 169, hit@3 189, 173 confident, off-topic 24/24, near-topic 3/26; SQuAD dev 7,245 / 8,648 /
# 117 refused), with the follow-on and commonness rules they needed (gathering.py, candidates.py): hit@1 174, hit@3
# 193, 177 confident, off-topic 24/24, near-topic 4/26 ("how many Pakistani soldiers have died?" now confident on
# "has killed 481 Taliban operatives"); SQuAD 7,259 / 8,658 / 122. With a common word no longer "corrected" to
# another word ("trying": "tying"), and a date only of the saying graded down (evidence.py): hit@1 176, 180 confident.
CORRECTED_WEIGHT = 0.9  # a corrected word may be a wrong guess
_CAPITAL_WORD_RE = re.compile(r"\b[A-Z][^\W\d_]*")  # a word written with a capital, the first word too
_CAPITALISED_RE = re.compile(r"(?<=\S)\s+([A-Z][\w'’-]*)")  # not the question's first word
_PHRASE_RE = re.compile(r"(?<=\S\s)[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)+")
# A possessive ends a name: "Warsaw's Old Town" names Warsaw and the Old Town; "Louis XIV's France", Louis XIV.
# Measured (at hit@1 167, hit@3 185, 171 confident; SQuAD dev hit@1 67.7%, hit@3 80.6%, 1.5% refused): 172
# confident (reuters-054, "Pakistan's UN envoy", gold first), near-topic still 3/26; SQuAD 68.0%, 81.0%, 1.1% refused.
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_MENTION_RE = re.compile(r"<@[!&]?\d+>|(?<!\w)@\w+")  # "<@123>" as Discord sends a mention, "@everyone"
# Words that introduce a noun: the word after one names a thing asked about ("the weather", "this season").
_DETERMINERS = frozenset("the a an this that these those its their his her my our your each every any some no".split())
# Common words that describe the noun after them rather than name it: "the next meeting" asks about a meeting.
_DESCRIBING = frozenset("next last first second third new old same other latest previous current final main whole".split())


@dataclass(frozen=True)
class SearchTerm:
    """One index term searched for a question, and what it stands for."""

    term: str
    weight: float  # share of its idf it counts with: 1 for the question's own words
    stands_for: str  # the question term it counts towards (itself, or the word it varies)
    # How common the word is in English generally (see `english_zipf`), for a word the index does not
    # know and no determiner introduces; 0 (taken as rare) for any other.
    english: float = 0.0
    category: bool = False  # names what kind of thing the answer is ("which team won?"): a name answers it


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
    asks_ahead: bool = False  # "when will...?": asks the date of what is still to come
    yes_no: bool = False  # asks yes or no: "was Okafor acquitted?"
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
    said = read_time_words(text, as_of)
    said_period, year_open = said.period, said.year_open
    recency = said.recent or _FORECAST_RE.search(text) is not None
    blanked = text
    score = _SCORE_QUESTION_RE.match(text)  # "what was the final score" frames the question...
    frame = [score.span()] if score and re.search(r"\w", text[score.end() :]) else []  # ...when more follows
    for start, end in [*said.spans, *frame]:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    time_words = frozenset(tokens) - frozenset(analyser.tokens(blanked))
    corrections: list[tuple[str, str]] = []
    forms: dict[str, str] = {}  # a form searched for a word spelled right → that word, as typed (not shown)
    content: list[tuple[str, str]] = []  # (word as searched, its term)
    tries = 0
    named_things: set[str] = set()  # terms of words a determiner introduces: "the casualty claims", "this season"
    previous = ""
    for word in analyser.words(blanked):
        term = analyser.term(word)
        # A word describing what comes next ("the next meeting", "its new chief") lets the determiner reach on.
        after, previous = previous, (previous if word in _DESCRIBING and previous in _DETERMINERS else word)
        if term is None:
            continue
        if after in _DETERMINERS and word not in _DESCRIBING:
            named_things.add(term)
        if (
            document_frequency(term) == 0 and word.isalpha() and MIN_FILLED_WORD <= len(word) <= MAX_CORRECTED_WORD
            and tries < MAX_CORRECTED_WORDS and term not in QUESTION_FILLER
        ):
            tries += 1
            fixed = correct_word(word, analyser, document_frequency, inserts_only=len(word) < MIN_CORRECTED_WORD)
            reading = reading_of(word, term, *fixed) if fixed is not None else None
            if reading is not None:
                corrections.append((word, fixed[0]))
                if reading == "form":
                    forms[fixed[0]] = word
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
        places = place_variants(term, document_frequency) if term in capitalised else []
        for variant in (*derived_variants(term, document_frequency), *places):
            if variant not in own:
                own.add(variant)
                terms.append(SearchTerm(variant, VARIANT_WEIGHT, term))
    yes_no = _YES_NO_RE.match(text) is not None
    kind = question_kind(text)
    for term in [t.term for t in terms if t.stands_for == t.term]:
        for other in synonym_variants(term, document_frequency, yes_no=yes_no, who=kind is QuestionKind.WHO):
            if other not in own:
                own.add(other)
                terms.append(SearchTerm(other, SYNONYM_WEIGHT, term))
    if category := _CATEGORY_RE.match(text):
        word = analyser.term(category.group(1))
        terms = [replace(t, category=True) if t.term == word else t for t in terms]
    return Question(
        text=text,
        kind=kind,
        terms=tuple(terms),
        corrections=tuple((typed, fixed) for typed, fixed in corrections if fixed not in forms),
        searched_words=tuple(dict.fromkeys(forms.get(w, w) for w, _ in kept)),
        period=said_period,
        period_chosen=period is not None,
        recency=recency,
        time_words=time_words,
        as_of=as_of,
        named=_named_terms(fixed_text, analyser, {t.term for t in terms}),
        phrases=_phrases(fixed_text, analyser),
        yes_no=yes_no,
        asks_done=_DONE_RE.search(text) is not None,
        asks_ahead=kind is QuestionKind.WHEN and _AHEAD_WHEN_RE.match(text) is not None,
        year_open=year_open and period is None,
        thing=SCORE if score else _thing(fixed_text, kind),
    )


def _thing(text: str, kind: QuestionKind) -> str | None:
    """Return the thing a "what" question wants named, folded: "what drug did the FDA approve?" gives "drug".

    Only for a question of no other kind: "which team won?" asks who.
    """
    match = _THING_RE.match(text) if kind is QuestionKind.OTHER else None
    return fold(match[1]) if match else None


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


def earlier_year(question: Question) -> Question:
    """Return the question with its period a year earlier (see `time_words.year_earlier`)."""
    assert question.period is not None
    return replace(question, period=year_earlier(question.period))
