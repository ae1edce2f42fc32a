"""Resolve the time expressions in news sentences to dates.

Relative expressions ("on Tuesday", "last month", "in December") are resolved
against the article's published date, the way news copy uses them: a bare
weekday or month is the most recent one on or before publication. Without a
published date only explicit dates ("21 May 2025", "March 2024", "in 2023")
resolve. Vague expressions ("last week", "in recent months", "the 1980s")
count as time expressions but resolve to no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsbot.index.analysis import IRREGULAR
from newsbot.index.dates import (
    NUMBER_WORDS,
    WEEKDAY_NUMBERS,
    as_event,
    day_number,
    event_year,
    make_date,
    month_number,
    time_matches,
)
from newsbot.index.models import EventDate

# A clause boundary: ", " (not the comma in "80,000"), ";", ": ", dashes, brackets.
_BOUNDARY_RE = re.compile(r"[,;:](?=\s)|[()—–]|\s-\s")
# Words that open a relative or subordinate clause; an expression after one of
# these, in the same clause, dates the clause and not the sentence.
_SUBORDINATE_RE = re.compile(
    r"\b(?:that|which|who|whom|whose|where|when|while|although|though|whereas)\b",
    re.IGNORECASE,
)
# ", agreed in December," or ", bringing the total this year to 2,000," : a participle phrase set off by commas.
_PARTICIPLE_RE = re.compile(r"\s*(?:[a-z]+(?:ed|ing)|due)\b")  # ", due to open in 2027," too
# A participle right before a time expression, after the subject ("The ceasefire agreed in December..."),
# and a verb alone between that expression and the next ("...collapsed on Monday").
_PARTICIPLE_BEFORE_RE = re.compile(r"^\S+(?:\s+\S+){0,3}\s+[a-z]+ed\s+$")
_LONE_VERB_RE = re.compile(rf"\s+(?:[a-z]{{2,}}ed|{'|'.join(IRREGULAR)})\s+")
# How far back (in words) a subordinating word still governs an expression.
_SUBORDINATE_WINDOW = 6
# Tense of the clause around an expression: a future marker makes a bare month,
# weekday or day resolve forward from publication ("will start in September"
# in a July paper is this September), a past one keeps it back.
_FUTURE_RE = re.compile(
    r"\b(?:will|won't|shall|would(?!\s+have)|is\s+to|are\s+to|(?:is|are)\s+due|due\s+to|set\s+to"
    r"|expected\s+to|scheduled|planned|plans?\s+to|planning\s+to|going\s+to|upcoming|next"
    r"|as\s+(?:from|of)|effective|starting|until|till|expects?|predicts?|anticipates?"
    r"|(?:agreed|decided|promised|pledged|vowed|voted|intends?|hopes?|aims?|wants?)\s+to)\b",
    re.IGNORECASE,
)
# Past forms; in lower case only, and not after a hyphen: a capitalised word ending in -ed is a name ("United",
# "Ahmed", "Rose"), a hyphenated one an adjective ("Zürich-based", "state-owned"; "re-elected" is a verb), and a
# few common words only look like past forms.
_PAST_RE = re.compile(
    r"\b(?i:was|were|had|did|said|told|ago|last)\b"
    r"|(?<![\w-])(?:(?:re|co|pre|de|mis|over|under|out)-)?(?!(?:hundred|indeed|need|speed|proceed|succeed|exceed"
    r"|sacred|naked|wicked)\b)[a-z]{2,}ed\b"
    r"|(?<![\w-])(?:" + "|".join(IRREGULAR) + r")\b",
)
# Before a past form, words that take its tense away: a modal or "to" ("will hit", "is expected to hit": "hit" is
# also the present), perhaps with an adverb between; in lower case ("Corbyn and May clashed" has no modal).
_NO_TENSE_BEFORE_RE = re.compile(r"\b(?:will|would|shall|should|can|could|may|might|must|to)\s+(?:[a-z]+ly\s+)?$")
# Before a past form, a present perfect ("has issued", "have been closed"): its deed is past, but a time named
# after it may belong to what it made ("has issued a warning from Thursday until Friday"), so it gives way to a
# word looking ahead after the expression or a "from"/"for" opening it (see `_weak_past_gives_way`).
_PERFECT_BEFORE_RE = re.compile(
    r"\b(?:has|have|hasn't|haven't|'ve|’ve)\s+(?:(?:not|never|also|already|just|now|[a-z]+ly)\s+)?(?:been\s+)?$",
    re.IGNORECASE,
)
# A span opened before the expression: "from 6am on Thursday", "for Thursday".
_SPAN_OPENS_RE = re.compile(r"\b(?:from|for)\s+(?:\d[\w:.]*\s+)?$", re.IGNORECASE)
# "since Monday" always looks back, whatever the clause's tense ("has been closed since Monday").
_SINCE_RE = re.compile(r"since\b", re.IGNORECASE)
_SINCE_BEFORE_RE = re.compile(r"\bsince\s+$", re.IGNORECASE)
# A participle after "be" is passive, its tense the verb's before it: "will be (formally) held" is to come, "are
# expected in September" has none of its own.
_PASSIVE_BE_RE = re.compile(r"\b(?:be|is|are)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
# An attribution right before a time expression: "Apple said on Monday", "told reporters on Tuesday".
_ATTRIBUTION_BEFORE_RE = re.compile(
    r"\b(?:said|says|told(?:\s+[a-z]+){1,2}|announced|confirmed|added|stated|warned|predicted)\s+$", re.IGNORECASE
)
_RELATIVE_RE = re.compile(r"\b(?:which|who|whom|whose|where|when|while|although|though|whereas)\b", re.IGNORECASE)
_NEXT_WEEK_RE = re.compile(r"(?:(?:earlier|later)\s+)?next\s+week", re.IGNORECASE)


@dataclass(frozen=True)
class _Expression:
    """One matched time expression and where it sits in its sentence."""

    match: re.Match[str]
    subordinate: bool


def event_date(sentence: str, published: date | None) -> EventDate | None:
    """Return when the sentence says its main event happened, or None.

    The expression governing the main clause wins; failing one, the first
    expression in a subordinate clause; and a plan reported after an
    attribution it dates wins over the saying (see `_reported_plan`). Vague
    expressions and relative ones without a published date give None.
    """
    expressions = _find_expressions(sentence)
    if not expressions:
        return None
    main = [expression for expression in expressions if not expression.subordinate]
    chosen = (main or expressions)[0].match
    said = resolve_expression(chosen, published, future=is_future(sentence, chosen))
    reported = _reported_plan(sentence, chosen, [expression.match for expression in expressions])
    planned = resolve_expression(reported, published, future=True) if reported is not None else None
    if said is not None and planned is not None and planned.first_day() > said.last_day():
        return planned
    return said


def saying_verbs(sentence: str) -> list[str] | None:
    """Return the verbs of saying every time expression of a sentence follows ("the council said on Monday"),
    or None when one dates anything else (or there is none).

    Such a date is the report's, not the event's: "Solberg will lead the
    inquiry, the council said on Monday" does not say when the crack was
    found.
    """
    verbs = []
    for match in time_matches(sentence):
        saying = _ATTRIBUTION_BEFORE_RE.search(sentence, 0, match.start())
        if saying is None:
            return None
        verbs.append(saying.group(0).split()[0])
    return verbs or None


def _reported_plan(sentence: str, chosen: re.Match[str], matches: list[re.Match[str]]) -> re.Match[str] | None:
    """Return the expression of a plan reported after an attribution the chosen expression dates, or None.

    In "Apple said on Monday it would release iOS 19.2 next month" the news
    is the release, not the saying: a time to come in the clause reported
    ("(that) it would/will ...", no comma or relative word between) dates the
    sentence when it begins after the saying. A past one ("said on Tuesday
    that the attack happened on Monday") does not: the saying is the news.
    """
    if not _ATTRIBUTION_BEFORE_RE.search(sentence, 0, chosen.start()):
        return None
    for match in matches:
        if match.start() < chosen.end():
            continue
        between = sentence[chosen.end() : match.start()]
        if _BOUNDARY_RE.search(between) or _RELATIVE_RE.search(between):
            return None
        if is_future(sentence, match) is True:
            return match
    return None


def _find_expressions(sentence: str) -> list[_Expression]:
    """Return the sentence's expressions, each marked main or subordinate."""
    matches = time_matches(sentence)
    if not matches:
        return []
    boundaries = [match.end() for match in _BOUNDARY_RE.finditer(sentence)]
    expressions = []
    previous_end = 0
    for number, match in enumerate(matches):
        subordinate = _is_subordinate(sentence, match.start(), previous_end, boundaries) or (
            number + 1 < len(matches) and _qualifies_subject(sentence, match, matches[number + 1])
        )
        expressions.append(_Expression(match, subordinate))
        previous_end = match.end()
    return expressions


def _qualifies_subject(sentence: str, match: re.Match[str], following: re.Match[str]) -> bool:
    """Return True when an expression dates a participle after the subject, the sentence's verb coming after it:
    "The ceasefire agreed in December collapsed on Monday" (not "Talks began in May and ended in June")."""
    verb = _LONE_VERB_RE.fullmatch(sentence, match.end(), following.start())
    return verb is not None and _PARTICIPLE_BEFORE_RE.search(sentence, 0, match.start()) is not None


def _is_subordinate(sentence: str, start: int, previous_end: int, boundaries: list[int]) -> bool:
    """Return True when the expression at start sits in a subordinate clause.

    The clause runs back to the last boundary or the previous expression: in
    "the drive that began in 2023 was renewed in March" the relative clause
    is taken to end with its own date, leaving "in March" to the main clause.
    """
    clause_start = max((end for end in boundaries if end <= start), default=0)
    words = sentence[max(clause_start, previous_end) : start].split()[-_SUBORDINATE_WINDOW:]
    if _SUBORDINATE_RE.search(" ".join(words)):
        return True
    # ", agreed in December, the truce ..." : a participle phrase between commas.
    closed = any(end > start for end in boundaries)
    return clause_start > 0 and closed and _PARTICIPLE_RE.match(sentence, clause_start) is not None


def is_future(sentence: str, match: re.Match[str]) -> bool | None:
    """Return True when the clause around an expression speaks of the future, None when it has no tense.

    The words before it in its clause decide ("said on Tuesday" is past, "will
    open in March" future); a fronted expression ("In September, the works will
    start") takes the tense of the words after it, up to the next clause. A
    present perfect gives way to a word looking ahead after the expression
    ("has issued a warning from 6am on Thursday until 9pm on Friday": the
    coming Thursday), and "since" always looks back.
    """
    clause = sentence[: match.start()]
    cut = max((m.end() for m in _BOUNDARY_RE.finditer(clause)), default=0)
    cut = max([cut] + [m.start() for m in _SUBORDINATE_RE.finditer(clause)])
    before = clause[cut:]
    after = _SUBORDINATE_RE.split(sentence[match.end() :], maxsplit=1)[0]
    after = _BOUNDARY_RE.split(after, maxsplit=1)[0]  # not the next clause: "is in September, the ministry said"
    if _SINCE_RE.match(match.group(0)) or _SINCE_BEFORE_RE.search(sentence, 0, match.start()):
        return False
    ahead = [m.start() for m in _FUTURE_RE.finditer(after)]
    for text, nearest in ((before, max), (after, min)):  # the marker nearest the expression decides
        markers = [(m.start(), True) for m in _FUTURE_RE.finditer(text)]
        markers += [(m.start(), False) for m in _PAST_RE.finditer(text) if _is_past_form(text, m.start())]
        if not markers:
            continue
        position, future = nearest(markers)
        if not future and text is before and _PERFECT_BEFORE_RE.search(text, 0, position):
            if ahead:  # "has issued a warning from Thursday until Friday"
                return True
            if _SPAN_OPENS_RE.search(before):
                return None
        return future
    return None


def _is_past_form(text: str, start: int) -> bool:
    """Return True when a past form found at start marks the past: not a passive after "be" (its tense is the
    verb's before it) nor a form after a modal or "to" ("will hit")."""
    return not _PASSIVE_BE_RE.search(text, 0, start) and not _NO_TENSE_BEFORE_RE.search(text, 0, start)


def resolve_expression(match: re.Match[str], anchor: date | None, *, future: bool | None = False) -> EventDate | None:
    """Return the date a matched time expression names, relative expressions read from anchor.

    Bare months, weekdays and days resolve to the latest one on or before the
    anchor, or with future set, the first one on or after it. In a clause
    without tense (future None: "the deadline is March 7", "the summit is in
    September", "the truce begins on Thursday") they are the nearest such
    one, the earlier when both are as near; other expressions then read as
    past.
    """
    published = anchor
    kind = match.lastgroup
    if kind == "iso":
        return as_event(make_date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])))
    if kind in ("mdy", "dmy"):
        month, day = month_number(match[f"{kind}_m"]), day_number(match[f"{kind}_d"])
        if match[f"{kind}_y"]:
            return as_event(make_date(int(match[f"{kind}_y"]), month, day))
        return as_event(_nearest_day(month, day, published, future)) if published else None
    tenseless, future = future is None, bool(future)
    if kind == "month_year":
        return EventDate(int(match["my_y"]), month_number(match["my_m"]))
    if kind == "year":
        return event_year(int(match["y"] or match["y2"]))
    if published is None:
        return None
    if kind == "month_rel_year":
        shift = {"last": -1, "this": 0, "next": 1}[match["mry_rel"].lower()]
        return EventDate(published.year + shift, month_number(match["mry_m"]))
    if kind == "month":
        month = month_number(match["m_m"] or match["m_m2"])
        if tenseless and not match["m_rel"]:
            back, on = _relative_month(month, None, published), _relative_month(month, "next", published)
            months = published.year * 12 + published.month
            return on if on.year * 12 + on.month - months < months - (back.year * 12 + back.month) else back
        return _relative_month(month, match["m_rel"] or ("coming" if future else None), published)
    if kind == "weekday":
        weekday = WEEKDAY_NUMBERS[match["wd"][:3].lower()]
        if match["wd_week"]:  # "on Tuesday last week": that week's Tuesday
            weeks = {"last": -1, "this": 0, "next": 1}[match["wd_week"].lower()]
            return as_event(published + timedelta(days=weekday - published.weekday(), weeks=weeks))
        if tenseless and not match["wd_rel"]:
            back, on = _relative_weekday(weekday, None, published), _relative_weekday(weekday, "coming", published)
            return as_event(on if on - published < published - back else back)
        return as_event(_relative_weekday(weekday, match["wd_rel"] or ("coming" if future else None), published))
    if kind == "day":
        word = (match["day_word"] or "").lower()
        if match["day_night"] or word == "yesterday":
            return as_event(published - timedelta(days=1))
        if word == "tomorrow":
            return as_event(published + timedelta(days=1))
        return as_event(published)
    if kind == "period":
        shift = {"last": -1, "this": 0, "next": 1}[match["per_rel"].lower()]
        if match["per_unit"].lower() == "year":
            return EventDate(published.year + shift)
        return _shift_month(published, shift)
    if kind == "ago":
        return _ago(match["ago_n"].lower(), match["ago_unit"].lower(), published)
    if _NEXT_WEEK_RE.fullmatch(match.group(0)):  # the one vague expression a day can stand for
        return as_event(published + timedelta(days=7 - published.weekday()))
    return None  # vague


def _relative_weekday(weekday: int, relation: str | None, published: date) -> date:
    """Return the weekday nearest the published date in the stated direction."""
    relation = (relation or "").lower()
    if relation in ("next", "coming"):
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if relation in ("last", "past"):
        back = back or 7  # "last Wednesday" in a Wednesday paper is a week ago
    return published - timedelta(days=back)


def _relative_month(month: int, relation: str | None, published: date) -> EventDate:
    """Return the named month nearest the published month in the stated direction ("coming": this one or later)."""
    relation = (relation or "").lower()
    if relation == "this":
        return EventDate(published.year, month)
    if relation == "next":
        return EventDate(published.year + (month <= published.month), month)
    if relation == "coming":  # "will open in May" in a May paper: this May, "next May" being the one after
        return EventDate(published.year + (month < published.month), month)
    if relation == "last":
        return EventDate(published.year - (month >= published.month), month)
    return EventDate(published.year - (month > published.month), month)


def _nearest_day(month: int, day: int, published: date, future: bool | None) -> date | None:
    """Return the latest such day on or before the published date, or the first on or after it.

    With future None, the nearer of the two.
    """
    if future is None:
        found = [d for d in (_nearest_day(month, day, published, False), _nearest_day(month, day, published, True)) if d]
        return min(found, key=lambda d: (abs((d - published).days), d > published), default=None)
    step = 1 if future else -1
    # The next or last year with such a day: for 29 February up to eight years away (1896 to 1904).
    for year in range(published.year, published.year + 9 * step, step):
        candidate = make_date(year, month, day)
        if candidate is not None and (candidate >= published if future else candidate <= published):
            return candidate
    return None


def _ago(count_text: str, unit: str, published: date) -> EventDate | None:
    """Return the date "N units ago" names; weeks are too loose for a day."""
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS[count_text]
    if unit == "day":
        return as_event(published - timedelta(days=count))
    if unit == "month":
        return _shift_month(published, -count)
    if unit == "year":
        return event_year(published.year - count)
    return None


def _shift_month(published: date, shift: int) -> EventDate:
    """Return the month shift months from the published month."""
    index = published.year * 12 + published.month - 1 + shift
    return EventDate(index // 12, index % 12 + 1)
