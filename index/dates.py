"""The words of time in news text: find the time expressions in a sentence or a question.

A time expression is a date ("21 May 2025", "2025-05-21"), a month or year
("March 2024", "in 2023"), a weekday, a day word ("yesterday"), a relative
period ("last month", "two weeks ago") or a vague one ("in recent months",
"the 1980s"). What each one dates is resolved in event_dates.py; the date
lines articles carry are read in published.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from newsbot.index.models import EventDate

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
WEEKDAY_NUMBERS = {
    name: number
    for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# Older or later four-digit numbers are far likelier to be counts than years.
FIRST_YEAR, LAST_YEAR = 1900, 2099

# "May" and "March" are also a modal verb and a verb: only capitalised (or
# all-caps, as in datelines) spellings count as months.
MONTH = (
    r"(?:January|February|(?-i:March|MARCH)|April|(?-i:May|MAY)|June|July|August"
    r"|September|October|November|December"
    r"|(?:Jan|Feb|(?-i:Mar)|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_FULL_MONTH = (
    r"(?:January|February|(?-i:March|MARCH)|April|(?-i:May|MAY)|June|July|August"
    r"|September|October|November|December)"
)
WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?-i:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat)\.)"
)
YEAR = r"(?:19|20)\d\d"
DAY = r"(?<![\d,.$])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# "may" and "march" are words before they are months, so those two must have a capital, unless a year follows:
# "in may 2025", "on 21 march 2026", typed in lower case, name no verb.
_MONTH_BEFORE_YEAR = rf"(?:{MONTH}|(?:march|may)(?=(?:\s+{DAY})?,?\s+(?:of\s+)?{YEAR}(?!\d)))"
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
        rf"(?:on\s+)?(?<!\d)(?P<iso_y>{YEAR})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)(?!\d)"
        r"(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?"
    ),
    "mdy": (
        rf"(?:on\s+)?(?:{WEEKDAY},?\s+)?(?P<mdy_m>{_MONTH_BEFORE_YEAR})\s+(?P<mdy_d>{DAY})"
        rf"(?:,?\s+(?P<mdy_y>{YEAR}))?(?![\d,]\d)"
    ),
    "dmy": (
        rf"(?:on\s+)?(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<dmy_d>{DAY})\s+(?:of\s+)?"
        rf"(?P<dmy_m>{_MONTH_BEFORE_YEAR})(?:,?\s+(?P<dmy_y>{YEAR})(?!\d))?"
    ),
    "month_rel_year": (
        rf"(?:{_PREP}\s+)?{_PART}?(?P<mry_m>{_FULL_MONTH})\s+(?:of\s+)?"
        r"(?P<mry_rel>last|this|next)\s+year\b"
    ),
    "month_year": (
        rf"(?:{_PREP}\s+)?{_PART}?(?P<my_m>{_MONTH_BEFORE_YEAR}),?\s+(?:of\s+)?(?P<my_y>{YEAR})(?!\d)"
    ),
    # A number after the month makes it a day ("since March 3"), left to "mdy".
    "month": (
        rf"(?:(?:{_PREP}\s+{_PART}?|{_PART}|(?P<m_rel>last|this|next)\s+)"
        rf"(?P<m_m>{_FULL_MONTH})(?!\.?\s+\d)|(?P<m_m2>{_FULL_MONTH})(?=['’]s\b)){_POSSESSIVE}"
    ),
    "weekday": (
        rf"(?:{_PREP}\s+)?(?:(?P<wd_rel>last|next|this|past|coming)\s+)?(?P<wd>{WEEKDAY})"
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
        rf"(?:{_PREP}\s+{_PART}?|{_PART})(?P<y>{YEAR})(?![\d%]|-\d\d-\d|\s*per\s*cent)"
        rf"|(?<![\d$])(?P<y2>{YEAR})(?=['’]s\b){_POSSESSIVE}"
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
    rf"|(?P<year>{YEAR})\b(?![-/.]\d){COUNTED_AFTER})",
    re.IGNORECASE,
)
_ENDS_IN_YEAR_RE = re.compile(rf"\b{YEAR}$")  # ...unless that named its own: "in 2020, 2021 and 2022"
# A comma before a month named in full in a list, whatever follows it: "in March, April 2024", "in May, June, 2025".
_LISTED_MONTH_RE = re.compile(rf"\s*,\s*(?=(?:{DAY}\s+(?:of\s+)?)?{_FULL_MONTH}\b)", re.IGNORECASE)
# A day alone before a joining word and a day of a month: "between 3 and 9 December", "3-9 December";
# and after a month's day, with a year or ending the question's clause: "December 3 to 9?", "Nov. 3-9, 2025 and
# later" (not "December 3 to 9 people").
_DAY_BEFORE_RE = re.compile(rf"(?P<day>{DAY})\s*(?:and|to|through|thru|-|\u2013)\s*$", re.I)
_DAY_AFTER_RE = re.compile(
    rf"\s*(?:and|to|through|thru|-|\u2013)\s*(?:the\s+)?(?P<day>{DAY})"
    rf"(?:,?\s+(?P<year>{YEAR})\b(?![-/.,]\d){COUNTED_AFTER}|(?=\s*(?:[?!.;]|,\s|$)))",
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
        return (day_number(before["day"]), None, before.start(), end) if before else None
    if found.get("mdy_d") and not found.get("mdy_y"):
        after = _DAY_AFTER_RE.match(text, end)
        return (day_number(after["day"]), int(after["year"]) if after["year"] else None, start, after.end()) if after else None
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


def month_number(text: str) -> int:
    """Return the number of a month named in full or cut short ("Sept.", "mar")."""
    return MONTH_NUMBERS[text[:3].lower()]


def day_number(text: str) -> int:
    """Return the number of a day of a month written "3", "03" or "3rd"."""
    return int(text.rstrip("stndrhSTNDRH"))


def event_year(year: int) -> EventDate | None:
    """Return a year as an event date, or None outside FIRST_YEAR to LAST_YEAR."""
    return EventDate(year) if FIRST_YEAR <= year <= LAST_YEAR else None


def make_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when there is no such day."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def as_event(value: date | None) -> EventDate | None:
    """Return a day as an event date, None staying None."""
    return EventDate(value.year, value.month, value.day) if value else None
