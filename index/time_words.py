"""Read the time words of a question: the period they name ("in May and June 2025", "since March", "this
week"), read against the day it is asked, and whether it asks for the newest news ("latest", "now").

A period the question names leaves the search; the articles' own dates are
read in `dates`, and what a period lets in is decided in `periods`.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsbot.index.dates import joined_day, joined_time, listed_after, time_matches, year_left_open
from newsbot.index.event_dates import is_future, resolve_expression
from newsbot.index.models import Period

__all__ = ["TimeWords", "read_time_words", "year_earlier"]

# Words asking for the newest news rather than a period.
_RECENCY_RE = re.compile(r"\b(?:latest|most\s+recent|recent(?:ly)?|newest|now|current(?:ly)?|lately|so\s+far)\b", re.I)
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
_OPEN_AFTER = {"since", "from", "after"}
_OPEN_BEFORE = {"before", "until", "till", "by"}
_JOINING = {"and", "or", "to", "through", "thru"}  # between two time expressions: one range over both


@dataclass(frozen=True)
class TimeWords:
    """What a question's time words say."""

    period: Period | None  # the days they name, None when they name none
    spans: tuple[tuple[int, int], ...]  # where they stand in the question: they leave its search
    year_open: bool  # one month or day named without a year (see `Question.year_open`)
    recent: bool  # "latest", "recently", "now": the newest news is wanted


def read_time_words(text: str, as_of: date) -> TimeWords:
    """Return the period a question's time words name read on as_of, where they are, and whether the year is open
    (see `TimeWords`)."""
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
    # A question with one time expression that speaks of the future asks of the next month or weekday it names
    # without a year ("what will happen in September?"); any other asks of the last one ("inflation in March?",
    # "who played on Saturday?"): news is mostly of what happened. Joined ones ("in May and June") stay the last.
    single = len(found_here) == 1 and joined_time(text, found_here[0][2]) is None and listed_after(text, found_here[0][2]) is None
    while found_here:
        match, start, end, joined = found_here.pop(0)  # joined: a month or year alone after the one before ("and June")
        if any(s <= start < e for s, e in spans):
            continue
        named = _named_range(match, as_of, future=single and is_future(text, match) is True)
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
    return TimeWords(Period(since, until) if found else None, tuple(spans), year_open, _RECENCY_RE.search(text) is not None)


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


def _named_range(match: re.Match[str], as_of: date, *, future: bool | None = False) -> tuple[date, date] | None:
    """Return the first and last day a time expression in a question names (future: as `event_dates.resolve_expression`)."""
    phrase = " ".join(match.group(0).lower().split())
    if match.lastgroup == "weekday":  # "on Tuesday last week" is one day
        when = resolve_expression(match, as_of, future=future)
        return (when.first_day(), when.last_day()) if when is not None else None
    if re.search(r"\b(?:this|current)\s+week\b", phrase):
        return as_of - timedelta(days=as_of.weekday()), as_of
    if re.search(r"\b(?:last|past|next)\s+week\b", phrase):
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=1 if "next" in phrase else -1)
        return monday, monday + timedelta(days=6)
    when = resolve_expression(match, as_of, future=future)
    return (when.first_day(), when.last_day()) if when is not None else None


def year_earlier(period: Period) -> Period:
    """Return a period a year earlier: "in December", asked in March 2026, may mean December 2024.

    A whole month stays whole ("in February" of 2025 back to all of February
    2024, the 29th included); 29 February goes back to the leap year before.
    """
    assert period.since is not None and period.until is not None
    since, until = period.since, period.until
    if (since.month, since.day) == (2, 29):
        year = since.year - 4
        while not calendar.isleap(year):  # 1900 and 2100 have no 29 February
            year -= 4
        return Period(since.replace(year=year), until.replace(year=year + until.year - since.year))
    earlier_since = _years_on(since, -1)
    if since.day == 1 and until.day == calendar.monthrange(until.year, until.month)[1]:  # whole months stay whole
        year = until.year - 1
        earlier_until = date(year, until.month, calendar.monthrange(year, until.month)[1])
    else:  # "between 20 and 29 February": the 28th in a year without a 29th
        earlier_until = _years_on(until, -1)
    return Period(earlier_since, earlier_until)
