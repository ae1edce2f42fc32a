"""Read the dates articles give for themselves, and write dates as people read them.

A date line under a title ("Date: 3 November 2025", "Published 2025-11-03",
"By Jane Doe | 12 March 2026"), a published value in a feed or a JSON line,
the bounds of --since and --until.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsbot.index.dates import (
    DAY,
    FIRST_YEAR,
    LAST_YEAR,
    MONTH,
    MONTH_NAMES,
    WEEKDAY,
    YEAR,
    day_number,
    make_date,
    month_number,
)
from newsbot.index.models import EventDate

# A weekday before a published date: a full name, an abbreviation with a dot, or one with a comma ("Tue, 4 Nov 2025")
# or before the day's number ("Mon 3 Nov 2025 14:05 GMT", as The Guardian prints it).
_PUBLISHED_WEEKDAY = rf"(?:{WEEKDAY},?|(?-i:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:,|(?=\s+\d)))"
# Words that head a date line under an article's title ("Date: 3 November 2025"), "on" aside.
_DATE_LABELS = r"(?:date|dated|published|first\s+published|updated|last\s+updated|posted)"
_DATE_LINE_LABEL_RE = re.compile(rf"^(?:(?:{_DATE_LABELS}|on)\b\s*:?\s*(?:on\b\s*)?)", re.IGNORECASE)
# A line labelled as a date line whose date has a date's shape, read or not ("Date: 31 February 2025",
# "Published 0000-01-01", "Published: November 2025", "Last updated: 3 hours ago", "Posted on November 4,
# 2025 by Jane Doe"); not "Updated: 3 dead, 12 injured" or "Published 2019, the plan was never funded".
_DATE_SHAPE = (
    rf"(?:\d{{1,5}}[-/.]\d{{1,2}}[-/.]\d{{1,5}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+\d{{1,5}}"
    rf"|{MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4,5}}"
    r"|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)(?!\d)"
)
_LABELLED_DATE_LINE_RE = re.compile(
    rf"^(?=.{{0,80}}$){_DATE_LABELS}\b\s*:?\s*(?:on\s+)?(?:{_PUBLISHED_WEEKDAY}\s+)?{_DATE_SHAPE}", re.IGNORECASE
)
# Parts of a date line, each tried in turn: "By Jane Doe | 12 March 2026", "Published 3 November 2025, updated 4
# November 2025" (the first date that reads is the article's).
_DATE_LINE_PARTS_RE = re.compile(r"\||[,;]\s*(?=(?:last\s+)?updated\b)", re.IGNORECASE)
_BOUND_RE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?")
_PUBLISHED_DMY_RE = re.compile(
    rf"^(?:{_PUBLISHED_WEEKDAY}\s+)?(?P<d>{DAY})\s+(?P<m>{MONTH}),?\s+(?P<y>{YEAR})", re.IGNORECASE
)
_PUBLISHED_MDY_RE = re.compile(
    rf"^(?:{_PUBLISHED_WEEKDAY}\s+)?(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})", re.IGNORECASE
)
# With a tail ISO does not allow; year first with slashes too ("2025/11/03": no day-month order to guess).
_PUBLISHED_ISO_RE = re.compile(rf"^(?P<y>{YEAR})(?P<cut>[-/])(?P<m>\d\d)(?P=cut)(?P<d>\d\d)")
_ZONE_IN_BRACKETS = r"\([A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d\d)?)?\)"  # "(GMT)", "(GMT+3)", "(UTC-05:30)"
# What may follow a date in a published line: a time of day and a zone, or a zone alone in brackets.
_PUBLISHED_TAIL_RE = re.compile(
    r"^(?:\s*(?:,|at|-|\u2013|\u2014|\|)?\s*\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?\s*[A-Z+\d:-]{0,9}"
    rf"(?:\s*{_ZONE_IN_BRACKETS})?|\s*{_ZONE_IN_BRACKETS})?\s*$",
    re.IGNORECASE,
)


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
    if match is not None and not FIRST_YEAR <= int(match["y"]) <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years newsbot reads ({FIRST_YEAR}-{LAST_YEAR})")
    try:
        if match is None:
            raise ValueError
        month, day = match["m"], match["d"]
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
            return make_date(int(match["y"]), month_number(match["m"]), day_number(match["d"]))
    match = _PUBLISHED_ISO_RE.match(text)  # "2025-11-03 14:32 GMT", "2025-11-03, 14:32"
    if match and _PUBLISHED_TAIL_RE.match(text[match.end() :]):
        return make_date(int(match["y"]), int(match["m"]), int(match["d"]))
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
