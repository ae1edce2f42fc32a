"""Find the time expressions in news sentences and resolve them to dates.

Relative expressions ("on Tuesday", "last month", "in December") are resolved
against the article's published date, the way news copy uses them: a bare
weekday or month is the most recent one on or before publication. Without a
published date only explicit dates ("21 May 2025", "March 2024", "in 2023")
resolve. Vague expressions ("last week", "in recent months", "the 1980s")
count as time expressions but resolve to no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsbot.index.analysis import IRREGULAR
from newsbot.index.models import EventDate

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS = {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
_WEEKDAYS = {
    name: number
    for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# Older or later four-digit numbers are far likelier to be counts than years.
FIRST_YEAR, LAST_YEAR = 1900, 2099

# "May" and "March" are also a modal verb and a verb: only capitalised (or
# all-caps, as in datelines) spellings count as months.
_MONTH = (
    r"(?:January|February|(?-i:March|MARCH)|April|(?-i:May|MAY)|June|July|August"
    r"|September|October|November|December"
    r"|(?:Jan|Feb|(?-i:Mar)|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_FULL_MONTH = (
    r"(?:January|February|(?-i:March|MARCH)|April|(?-i:May|MAY)|June|July|August"
    r"|September|October|November|December)"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?-i:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat)\.)"
)
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?<![\d,.$])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# "may" and "march" are words before they are months, so those two must have a capital, unless a year follows:
# "in may 2025", "on 21 march 2026", typed in lower case, name no verb.
_MONTH_BEFORE_YEAR = rf"(?:{_MONTH}|(?:march|may)(?=(?:\s+{_DAY})?,?\s+(?:of\s+)?{_YEAR}(?!\d)))"
_PREP = r"(?:in|on|since|by|until|till|from|during|through|throughout|before|after|between|at)"
# "early March", "mid-2023", "the end of March", "the summer of 2023"
_PART = (
    r"(?:(?:early|late|end)[-\s]|mid-?\s?"
    r"|the\s+(?:end|start|beginning|middle|turn|first\s+half|second\s+half"
    r"|spring|summer|autumn|fall|winter)\s+of\s+)"
)
_POSSESSIVE = r"(?:['’]s\b)?"

# Each alternative is one kind of expression; where two start at the same
# place the earlier alternative wins, so longer, explicit forms come first.
_ALTERNATIVES = {
    "iso": (
        rf"(?:on\s+)?(?<!\d)(?P<iso_y>{_YEAR})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)(?!\d)"
        r"(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?"
    ),
    "mdy": (
        rf"(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?P<mdy_m>{_MONTH_BEFORE_YEAR})\s+(?P<mdy_d>{_DAY})"
        rf"(?:,?\s+(?P<mdy_y>{_YEAR}))?(?![\d,]\d)"
    ),
    "dmy": (
        rf"(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<dmy_d>{_DAY})\s+(?:of\s+)?"
        rf"(?P<dmy_m>{_MONTH_BEFORE_YEAR})(?:,?\s+(?P<dmy_y>{_YEAR})(?!\d))?"
    ),
    "month_rel_year": (
        rf"(?:{_PREP}\s+)?{_PART}?(?P<mry_m>{_FULL_MONTH})\s+(?:of\s+)?"
        r"(?P<mry_rel>last|this|next)\s+year\b"
    ),
    "month_year": (
        rf"(?:{_PREP}\s+)?{_PART}?(?P<my_m>{_MONTH_BEFORE_YEAR}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})(?!\d)"
    ),
    # A number after the month makes it a day ("since March 3"), left to "mdy".
    "month": (
        rf"(?:(?:{_PREP}\s+{_PART}?|{_PART}|(?P<m_rel>last|this|next)\s+)"
        rf"(?P<m_m>{_FULL_MONTH})(?!\.?\s+\d)|(?P<m_m2>{_FULL_MONTH})(?=['’]s\b)){_POSSESSIVE}"
    ),
    "weekday": (
        rf"(?:{_PREP}\s+)?(?:(?P<wd_rel>last|next|this|past|coming)\s+)?(?P<wd>{_WEEKDAY})"
        rf"{_POSSESSIVE}(?:\s+(?:morning|afternoon|evening|night))?(?:\s+(?P<wd_week>last|this|next)\s+week\b)?"
    ),
    "day": (
        r"(?:(?:earlier|later)\s+)?(?P<day_word>today|tonight|yesterday|tomorrow)\b"
        r"|this\s+(?P<day_this>morning|afternoon|evening)\b|(?P<day_night>last\s+night)\b"
    ),
    "period": (
        r"(?:(?:earlier|later)\s+)?(?<!\bthe\s)(?P<per_rel>this|last|next)\s+"
        r"(?P<per_unit>month|year)\b"
    ),
    "ago": (
        r"(?P<ago_n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
        r"(?P<ago_unit>day|week|month|year)s?\s+ago\b"
    ),
    "year": (
        rf"(?:{_PREP}\s+{_PART}?|{_PART})(?P<y>{_YEAR})(?![\d%]|-\d\d-\d|\s*per\s*cent)"
        rf"|(?<![\d$])(?P<y2>{_YEAR})(?=['’]s\b){_POSSESSIVE}"
    ),
    # Recognised so a sentence counts as saying when, but no precise date.
    "vague": (
        r"(?:(?:earlier|later)\s+)?(?:this|last|next|the\s+past|the\s+last)\s+(?:week|weekend)\b"
        r"|(?:the\s+)?(?:past|last)\s+(?:few\s+)?(?:days|weeks|months|years)\b"
        r"|(?:the\s+)?(?:past|last)\s+(?:month|year)\b"
        r"|in\s+recent\s+(?:days|weeks|months|years)\b"
        r"|(?:several|a\s+few|few|many)\s+(?:days|weeks|months|years)\s+ago\b"
        r"|(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:19|20)\d0s\b"
    ),
}
_DATE_RE = re.compile(
    r"(?<![\w$])(?:" + "|".join(rf"(?P<{kind}>{pattern})" for kind, pattern in _ALTERNATIVES.items()) + ")",
    re.IGNORECASE,
)
# Scanning every position with _DATE_RE costs ~1 µs a character. Every
# expression holds a trigger word and starts with a start word (or the
# trigger itself) at most _LOOKBACK characters before it, so _DATE_RE is only
# tried there. Both run on the lower-cased sentence.
_TRIGGER_RE = re.compile(
    r"(?<![\w$])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|mon|tue|wed|thu|fri|sat|sun|today|tonight|yesterday|tomorrow"
    r"|morning|afternoon|evening|night|day|week|month|year|ago|(?:19|20)\d\d)"
)
_START_RE = re.compile(
    r"(?<![\w$])(?:(?:in|on|since|by|until|till|from|during|through|throughout|before|after"
    r"|between|at|the|early|late|end|mid|last|this|next|past|coming|earlier|later|an?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many)\b|\d)"
)
_LOOKBACK = 40  # "throughout the second half of 2023": 30 characters before the year

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
    r"|as\s+(?:from|of)|effective|starting|until|till"
    r"|(?:agreed|decided|promised|pledged|vowed|voted|intends?|hopes?|aims?|wants?)\s+to)\b",
    re.IGNORECASE,
)
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|[a-z]{2,}ed)\b|\b(?:" + "|".join(IRREGULAR) + r")\b",
    re.IGNORECASE,
)
# A participle after "be" is passive, its tense the verb's before it: "will be (formally) held" is to come, "are
# expected in September" has none of its own.
_PASSIVE_BE_RE = re.compile(r"\b(?:be|is|are)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)

# A weekday before a published date: a full name, an abbreviation with a dot, or one with a comma ("Tue, 4 Nov 2025")
# or before the day's number ("Mon 3 Nov 2025 14:05 GMT", as The Guardian prints it).
_PUBLISHED_WEEKDAY = rf"(?:{_WEEKDAY},?|(?-i:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:,|(?=\s+\d)))"
# Words that head a date line under an article's title ("Date: 3 November 2025"), "on" aside.
_DATE_LABELS = r"(?:date|dated|published|first\s+published|updated|last\s+updated|posted)"
_DATE_LINE_LABEL_RE = re.compile(rf"^(?:(?:{_DATE_LABELS}|on)\b\s*:?\s*(?:on\b\s*)?)", re.IGNORECASE)
# A line labelled as a date line whose date has a date's shape, read or not ("Date: 31 February 2025",
# "Published 0000-01-01", "Published: November 2025", "Last updated: 3 hours ago", "Posted on November 4,
# 2025 by Jane Doe"); not "Updated: 3 dead, 12 injured" or "Published 2019, the plan was never funded".
_DATE_SHAPE = (
    rf"(?:\d{{1,5}}[-/.]\d{{1,2}}[-/.]\d{{1,5}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{1,5}}"
    rf"|{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4,5}}"
    r"|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)(?!\d)"
)
_LABELLED_DATE_LINE_RE = re.compile(
    rf"^(?=.{{0,80}}$){_DATE_LABELS}\b\s*:?\s*(?:on\s+)?(?:{_PUBLISHED_WEEKDAY}\s+)?{_DATE_SHAPE}", re.IGNORECASE
)
# Parts of a date line, each tried in turn: "By Jane Doe | 12 March 2026", "Published 3 November 2025, updated 4
# November 2025" (the first date that reads is the article's).
_DATE_LINE_PARTS_RE = re.compile(r"\||[,;]\s*(?=(?:last\s+)?updated\b)", re.IGNORECASE)
_BOUND_RE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?")
_NEXT_WEEK_RE = re.compile(r"(?:(?:earlier|later)\s+)?next\s+week", re.IGNORECASE)
_PUBLISHED_DMY_RE = re.compile(
    rf"^(?:{_PUBLISHED_WEEKDAY}\s+)?(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})", re.IGNORECASE
)
_PUBLISHED_MDY_RE = re.compile(
    rf"^(?:{_PUBLISHED_WEEKDAY}\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})", re.IGNORECASE
)
# With a tail ISO does not allow; year first with slashes too ("2025/11/03": no day-month order to guess).
_PUBLISHED_ISO_RE = re.compile(rf"^(?P<y>{_YEAR})(?P<cut>[-/])(?P<m>\d\d)(?P=cut)(?P<d>\d\d)")
_ZONE_IN_BRACKETS = r"\([A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d\d)?)?\)"  # "(GMT)", "(GMT+3)", "(UTC-05:30)"
# What may follow a date in a published line: a time of day and a zone, or a zone alone in brackets.
_PUBLISHED_TAIL_RE = re.compile(
    r"^(?:\s*(?:,|at|-|\u2013|\u2014|\|)?\s*\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?\s*[A-Z+\d:-]{0,9}"
    rf"(?:\s*{_ZONE_IN_BRACKETS})?|\s*{_ZONE_IN_BRACKETS})?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Expression:
    """One matched time expression and where it sits in its sentence."""

    match: re.Match[str]
    subordinate: bool


def time_matches(sentence: str) -> list[re.Match[str]]:
    """Return the matches of the time expressions in a sentence, in order (see `resolve_expression`)."""
    return list(_scan(sentence))


# A month or year named alone after a time expression and a word joining them: "in May and June", "in May,
# June, and July", "in 2020, 2021 and 2022". A year after a comma alone is the year of what went before ("in
# May, 2025", "December 3 to 9, 2025")...
# A number before a counted noun or a share counts, and is no year: "in 2019, 2000 of them children", "May 1
# and 2, 2000 workers", "2000 people".
COUNTED_AFTER = r"(?!\s*(?:%|per\b|percent\b|people\b|of\b|(?!was\b|has\b|is\b|as\b|this\b|its\b)[a-z]+s\b))"
_JOINED_ALONE_RE = re.compile(
    rf"\s*(?:(?:,\s*)?(?:and|or|to|through|thru)\s+|(?P<comma>,)\s*)(?:(?P<month>{_FULL_MONTH})\b(?!\.?\s+\d)"
    rf"|(?P<year>{_YEAR})\b(?![-/.]\d){COUNTED_AFTER})",
    re.IGNORECASE,
)
_ENDS_IN_YEAR_RE = re.compile(rf"\b{_YEAR}$")  # ...unless that named its own: "in 2020, 2021 and 2022"
# A comma before a month named in full in a list, whatever follows it: "in March, April 2024", "in May, June, 2025".
_LISTED_MONTH_RE = re.compile(rf"\s*,\s*(?=(?:{_DAY}\s+(?:of\s+)?)?{_FULL_MONTH}\b)", re.IGNORECASE)
# A day alone before a joining word and a day of a month: "between 3 and 9 December", "3-9 December";
# and after a month's day, with a year or ending the question's clause: "December 3 to 9?", "Nov. 3-9, 2025 and
# later" (not "December 3 to 9 people").
_DAY_BEFORE_RE = re.compile(rf"(?P<day>{_DAY})\s*(?:and|to|through|thru|-|\u2013)\s*$", re.I)
_DAY_AFTER_RE = re.compile(
    rf"\s*(?:and|to|through|thru|-|\u2013)\s*(?:the\s+)?(?P<day>{_DAY})"
    rf"(?:,?\s+(?P<year>{_YEAR})\b(?![-/.,]\d){COUNTED_AFTER}|(?=\s*(?:[?!.;]|,\s|$)))",
    re.I,
)
_DAY_REACH = 24  # characters before a day of a month searched for the day that starts its range


def joined_time(text: str, end: int) -> tuple[re.Match[str], int, int] | None:
    """Return a month or year named alone just after a time expression that ends at `end` and a word joining
    the two ("in May and June": June; "between 2020 and 2022": 2022), as a time expression's match, with
    where it starts and ends in text.

    Only after a time expression: "Johnson and May" or "a letter to May" name no month.
    """
    found = _JOINED_ALONE_RE.match(text, end)
    if found is None:
        return None
    if found["year"] and found["comma"] and not _ENDS_IN_YEAR_RE.search(text, 0, end):
        return None
    alone = found["month"] or found["year"]
    match = _DATE_RE.fullmatch(f"in {alone}")
    return (match, found.start(found.lastgroup), found.end(found.lastgroup)) if match else None


def listed_after(text: str, end: int) -> int | None:
    """Return where a month listed after a time expression that ends at `end` starts, or None.

    "in March, April 2024" gives where "April" starts: one range over both,
    as "in March and April 2024" is (see `joined_time` for the words that
    join). The month may name its year or day as well, unlike in `joined_time`.
    """
    found = _LISTED_MONTH_RE.match(text, end)
    return found.end() if found else None


def joined_day(text: str, start: int, end: int, match: re.Match[str]) -> tuple[int, int | None, int, int] | None:
    """Return the other end of a range of days of one month around a time expression: the day, the year
    named after it if any, and the range's new start and end in text.

    "between 3 and 9 December" and "from the 3rd to the 9th of December" give
    3 (its start moved back); "December 3 to 9?" gives 9 and "Nov. 3-9, 2024"
    9 and 2024 (its end moved on).
    """
    found = match.groupdict()
    if found.get("dmy_d"):
        before = _DAY_BEFORE_RE.search(text, max(0, start - _DAY_REACH), start)
        return (_day(before["day"]), None, before.start(), end) if before else None
    if found.get("mdy_d") and not found.get("mdy_y"):
        after = _DAY_AFTER_RE.match(text, end)
        return (_day(after["day"]), int(after["year"]) if after["year"] else None, start, after.end()) if after else None
    return None


def year_left_open(match: re.Match[str]) -> bool:
    """Return True when a time expression from `time_matches` names a month, or a day of one, but no year.

    "in December" and "on March 6" are; "December 2024", "last December" and
    "this March" are not: they say which year.
    """
    found = match.groupdict()
    if found.get("m_m") or found.get("m_m2"):
        return found.get("m_rel") is None
    if found.get("mdy_m"):
        return found.get("mdy_y") is None
    if found.get("dmy_m"):
        return found.get("dmy_y") is None
    return False


def time_expressions(sentence: str) -> list[str]:
    """Return the time expressions in a sentence, in order."""
    return [match.group(0) for match in _scan(sentence)]


def has_time_expression(sentence: str) -> bool:
    """Return True when the sentence holds a time expression."""
    return next(_scan(sentence), None) is not None


def event_date(sentence: str, published: date | None) -> EventDate | None:
    """Return when the sentence says its main event happened, or None.

    The expression governing the main clause wins; failing one, the first
    expression in a subordinate clause. Vague expressions and relative ones
    without a published date give None.
    """
    expressions = _find_expressions(sentence)
    if not expressions:
        return None
    main = [expression for expression in expressions if not expression.subordinate]
    chosen = (main or expressions)[0].match
    return resolve_expression(chosen, published, future=is_future(sentence, chosen))


def parse_date_line(line: str) -> date | None:
    """Return the date of a line that says only when an article appeared, or None.

    "Date: 3 November 2025", "Published 2025-11-03", "November 3, 2025",
    "Posted: Tuesday, 4 November 2025 14:32 GMT", "By Jane Doe | 12 March 2026".
    """
    for part in _DATE_LINE_PARTS_RE.split(line):
        part = _DATE_LINE_LABEL_RE.sub("", part.strip())
        found = parse_published(part) if part else None
        if found is not None:
            return found
    return None


def parse_date_bound(text: str, *, end: bool = False) -> date:
    """Return the first (or with end, the last) day of "YYYY-MM-DD", "YYYY-MM" or "YYYY".

    Raises ValueError for anything else.
    """
    match = _BOUND_RE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        month, day = match["m"], match["d"]
        if not FIRST_YEAR <= int(match["y"]) <= LAST_YEAR:
            raise ValueError
        named = EventDate(int(match["y"]), int(month) if month else None, int(day) if day else None)
        first = named.first_day()  # refuses month 13 and 30 February
        return named.last_day() if end else first
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def parse_published(text: str) -> date | None:
    """Return the date in a published line ("21 May 2025", ISO...), or None.

    An aware ISO datetime keeps its own local date. Years outside FIRST_YEAR
    to LAST_YEAR give None: "0001-01-01" is a placeholder, not a date, and
    reading "yesterday" back from it would leave the calendar.
    """
    text = " ".join(text.split())
    if not text:
        return None
    try:
        found = datetime.fromisoformat(text).date()
    except ValueError:
        pass
    else:
        return found if FIRST_YEAR <= found.year <= LAST_YEAR else None
    for pattern in (_PUBLISHED_DMY_RE, _PUBLISHED_MDY_RE):
        match = pattern.match(text)
        if match and _PUBLISHED_TAIL_RE.match(text[match.end() :]):
            return _make_date(int(match["y"]), _month(match["m"]), _day(match["d"]))
    match = _PUBLISHED_ISO_RE.match(text)  # "2025-11-03 14:32 GMT", "2025-11-03, 14:32"
    if match and _PUBLISHED_TAIL_RE.match(text[match.end() :]):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    return None


def is_labelled_date_line(line: str) -> bool:
    """Return True when a line says it is a date line ("Date: ...", "Published ...") and holds a date's shape.

    Such a line under a title is no sentence of the article, even when its
    date cannot be read ("Date: 31 February 2025").
    """
    return _LABELLED_DATE_LINE_RE.match(line.strip()) is not None


def format_date(value: date | EventDate | None) -> str:
    """Return a date as people read it: "21 May 2025", "May 2025", "2025" or "undated"."""
    if value is None:
        return "undated"
    if isinstance(value, date):
        return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
    if value.month is None:
        return str(value.year)
    if value.day is None:
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def _find_expressions(sentence: str) -> list[_Expression]:
    """Return the sentence's expressions, each marked main or subordinate."""
    matches = list(_scan(sentence))
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


def _scan(sentence: str) -> Iterator[re.Match[str]]:
    """Yield what _DATE_RE.finditer would, trying only the places a match can start."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a few characters lower-case to two
        yield from _DATE_RE.finditer(sentence)
        return
    candidates: set[int] = set()
    for trigger in _TRIGGER_RE.finditer(lowered):
        candidates.add(trigger.start())
        lookback = max(0, trigger.start() - _LOOKBACK)
        candidates.update(start.start() for start in _START_RE.finditer(lowered, lookback, trigger.start()))
    scanned_to = 0
    for position in sorted(candidates):
        if position < scanned_to:
            continue
        match = _DATE_RE.match(sentence, position)
        if match:
            yield match
            scanned_to = match.end()


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
    start") takes the tense of the words after it, up to the next clause.
    """
    clause = sentence[: match.start()]
    cut = max((m.end() for m in _BOUNDARY_RE.finditer(clause)), default=0)
    cut = max([cut] + [m.start() for m in _SUBORDINATE_RE.finditer(clause)])
    before = clause[cut:]
    after = _SUBORDINATE_RE.split(sentence[match.end() :], maxsplit=1)[0]
    after = _BOUNDARY_RE.split(after, maxsplit=1)[0]  # not the next clause: "is in September, the ministry said"
    for text, nearest in ((before, max), (after, min)):  # the marker nearest the expression decides
        markers = [(m.start(), True) for m in _FUTURE_RE.finditer(text)]
        markers += [(m.start(), False) for m in _PAST_RE.finditer(text) if not _PASSIVE_BE_RE.search(text, 0, m.start())]
        if markers:
            return nearest(markers)[1]
    return None


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
        return _event(_make_date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])))
    if kind in ("mdy", "dmy"):
        month, day = _month(match[f"{kind}_m"]), _day(match[f"{kind}_d"])
        if match[f"{kind}_y"]:
            return _event(_make_date(int(match[f"{kind}_y"]), month, day))
        return _event(_nearest_day(month, day, published, future)) if published else None
    tenseless, future = future is None, bool(future)
    if kind == "month_year":
        return EventDate(int(match["my_y"]), _month(match["my_m"]))
    if kind == "year":
        return _year(int(match["y"] or match["y2"]))
    if published is None:
        return None
    if kind == "month_rel_year":
        shift = {"last": -1, "this": 0, "next": 1}[match["mry_rel"].lower()]
        return EventDate(published.year + shift, _month(match["mry_m"]))
    if kind == "month":
        month = _month(match["m_m"] or match["m_m2"])
        if tenseless and not match["m_rel"]:
            back, on = _relative_month(month, None, published), _relative_month(month, "next", published)
            months = published.year * 12 + published.month
            return on if on.year * 12 + on.month - months < months - (back.year * 12 + back.month) else back
        return _relative_month(month, match["m_rel"] or ("next" if future else None), published)
    if kind == "weekday":
        weekday = _WEEKDAYS[match["wd"][:3].lower()]
        if match["wd_week"]:  # "on Tuesday last week": that week's Tuesday
            weeks = {"last": -1, "this": 0, "next": 1}[match["wd_week"].lower()]
            return _event(published + timedelta(days=weekday - published.weekday(), weeks=weeks))
        if tenseless and not match["wd_rel"]:
            back, on = _relative_weekday(weekday, None, published), _relative_weekday(weekday, "coming", published)
            return _event(on if on - published < published - back else back)
        return _event(_relative_weekday(weekday, match["wd_rel"] or ("coming" if future else None), published))
    if kind == "day":
        word = (match["day_word"] or "").lower()
        if match["day_night"] or word == "yesterday":
            return _event(published - timedelta(days=1))
        if word == "tomorrow":
            return _event(published + timedelta(days=1))
        return _event(published)
    if kind == "period":
        shift = {"last": -1, "this": 0, "next": 1}[match["per_rel"].lower()]
        if match["per_unit"].lower() == "year":
            return EventDate(published.year + shift)
        return _shift_month(published, shift)
    if kind == "ago":
        return _ago(match["ago_n"].lower(), match["ago_unit"].lower(), published)
    if _NEXT_WEEK_RE.fullmatch(match.group(0)):  # the one vague expression a day can stand for
        return _event(published + timedelta(days=7 - published.weekday()))
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
    """Return the named month nearest the published month in the stated direction."""
    relation = (relation or "").lower()
    if relation == "this":
        return EventDate(published.year, month)
    if relation == "next":
        return EventDate(published.year + (month <= published.month), month)
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
        candidate = _make_date(year, month, day)
        if candidate is not None and (candidate >= published if future else candidate <= published):
            return candidate
    return None


def _ago(count_text: str, unit: str, published: date) -> EventDate | None:
    """Return the date "N units ago" names; weeks are too loose for a day."""
    count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS[count_text]
    if unit == "day":
        return _event(published - timedelta(days=count))
    if unit == "month":
        return _shift_month(published, -count)
    if unit == "year":
        return _year(published.year - count)
    return None


def _shift_month(published: date, shift: int) -> EventDate:
    """Return the month shift months from the published month."""
    index = published.year * 12 + published.month - 1 + shift
    return EventDate(index // 12, index % 12 + 1)


def _month(text: str) -> int:
    return _MONTHS[text[:3].lower()]


def _day(text: str) -> int:
    return int(text.rstrip("stndrhSTNDRH"))


def _year(year: int) -> EventDate | None:
    return EventDate(year) if FIRST_YEAR <= year <= LAST_YEAR else None


def _make_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when there is no such day."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _event(value: date | None) -> EventDate | None:
    return EventDate(value.year, value.month, value.day) if value else None
