"""Tests for finding and resolving time expressions in news sentences."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from newsbot.index.dates import _DATE_RE, has_time_expression, time_expressions
from newsbot.index.event_dates import event_date
from newsbot.index.published import format_date, is_labelled_date_line, parse_date_bound, parse_date_line, parse_published
from newsbot.index.models import EventDate

MAY_21 = date(2025, 5, 21)  # a Wednesday
MAR_4 = date(2026, 3, 4)  # a Wednesday


# The client's own sentences.
CLIENT_ROWS = [
    (
        MAR_4,
        "Turkish President Recep Tayyip Erdogan told Pakistani Prime Minister Shehbaz Sharif that Ankara "
        "would help reinstate a ceasefire, the Turkish Presidency said on Tuesday, as other countries that "
        "had offered to mediate have since been hit by the conflict in the Gulf.",
        "2026-03-03",
    ),
    (
        MAR_4,
        "Fighting between the two neighbors, the worst in decades, broke out last Thursday night after "
        "Afghan forces attacked Pakistan’s military installations along their shared border.",
        "2026-02-26",
    ),
    (
        MAR_4,
        "Pakistan’s Chief of Defense Forces Field Marshal Syed Asim Munir said on Wednesday that peace with "
        "Afghanistan can only prevail ...",
        "2026-03-04",
    ),
    (
        MAY_21,
        "ISLAMABAD: Pakistan and Afghanistan plan to upgrade diplomatic ties ..., Beijing said on Wednesday "
        "after hosting an informal meeting ...",
        "2025-05-21",
    ),
    (
        MAY_21,
        "Pakistan and Afghanistan plan to upgrade diplomatic ties ..., Beijing said on Wednesday after "
        "hosting an informal meeting ...",
        "2025-05-21",
    ),
    (
        MAY_21,
        "Islamabad and Kabul had agreed in principle to send ambassadors to each other’s capitals as soon as "
        "possible, Wang said after his talks with Muttaqi and Dar.",
        None,
    ),
    (
        MAY_21,
        "In December, the Afghan Taliban said bombardment by Pakistani military aircraft in Afghanistan’s "
        "eastern Paktika province had killed at least 46 people, most of whom were children and women.",
        "2024-12",
    ),
    (
        MAY_21,
        "Tensions appeared to ease after a rare meeting between Muttaqi and Dar in Kabul last month where the "
        "Taliban’s acting foreign minister expressed concern over the deportation of tens of thousands of "
        "Afghans from Pakistan.",
        "2025-04",
    ),
    (
        MAY_21,
        "Pakistan has expelled more than 80,000 Afghan nationals since the end of March as part of a renewed "
        "surge in a repatriation drive that began in 2023.",
        "2025-03",
    ),
    (
        MAY_21,
        "Wednesday’s meeting in Beijing signaled a further thaw, with all agreeing to a trilateral foreign "
        "ministers’ dialogue in Kabul as soon as possible.",
        "2025-05-21",
    ),
    (
        MAY_21,
        "Relations between Pakistan and Afghanistan have plummeted in recent months due to a surge in "
        "militant attacks ...",
        None,
    ),
    (
        MAR_4,
        "Pakistan says has killed 481 Afghan Taliban operatives since clashes began last Thursday",
        "2026-02-26",
    ),
    (MAR_4, "... 226 Afghan checkposts since clashes began.", None),
    (MAY_21, "In a handout photo ... in Beijing, China on May 21, 2025.", "2025-05-21"),
]

WEEKDAY_ROWS = [
    (MAY_21, "The talks ended on Wednesday.", "2025-05-21"),
    (MAY_21, "The talks ended on Monday.", "2025-05-19"),
    (MAY_21, "The talks ended on Thursday.", "2025-05-15"),
    (MAY_21, "The talks ended on wednesday.", "2025-05-21"),
    (MAY_21, "Wednesday's meeting was short.", "2025-05-21"),
    (MAR_4, "Fighting broke out last Thursday.", "2026-02-26"),
    (MAR_4, "They met last Wednesday.", "2026-02-25"),
    (MAR_4, "They met last Tuesday.", "2026-03-03"),
    (MAR_4, "They will meet next Monday.", "2026-03-09"),
    (MAR_4, "They will meet next Wednesday.", "2026-03-11"),
    (MAR_4, "The envoy arrived Wed. in Kabul.", "2026-03-04"),
    (MAR_4, "Clashes resumed on Sunday morning.", "2026-03-01"),
]

RELATIVE_DAY_ROWS = [
    (MAY_21, "Officials met yesterday.", "2025-05-20"),
    (MAY_21, "Officials meet today.", "2025-05-21"),
    (MAY_21, "Officials met this morning.", "2025-05-21"),
    (MAY_21, "Officials meet tonight.", "2025-05-21"),
    (MAY_21, "Officials meet tomorrow.", "2025-05-22"),
    (MAY_21, "A blast shook the city last night.", "2025-05-20"),
    (MAY_21, "Border trade resumed two days ago.", "2025-05-19"),
]

PERIOD_ROWS = [
    (MAY_21, "Envoys met last month.", "2025-04"),
    (MAY_21, "Envoys meet this month.", "2025-05"),
    (MAY_21, "Envoys met earlier this month.", "2025-05"),
    (MAY_21, "Envoys meet next month.", "2025-06"),
    (date(2025, 1, 10), "Envoys met last month.", "2024-12"),
    (date(2025, 12, 10), "Envoys meet next month.", "2026-01"),
    (MAY_21, "Trade fell last year.", "2024"),
    (MAY_21, "Trade fell this year.", "2025"),
    (MAY_21, "Trade rose three months ago.", "2025-02"),
    (MAY_21, "Trade rose a year ago.", "2024"),
    # Loose spans: a time expression, but no date.
    (MAY_21, "Envoys met last week.", None),
    (MAY_21, "Envoys met earlier this week.", None),
    (MAY_21, "Trade fell over the past year.", None),
    (MAY_21, "Trade fell over the last year.", None),
    (MAY_21, "Trade rose two weeks ago.", None),
    (MAY_21, "Trade collapsed in the 1980s.", None),
]

MONTH_ROWS = [
    (MAY_21, "In December, the Taliban said so.", "2024-12"),
    (MAY_21, "Talks stalled in May.", "2025-05"),
    (MAY_21, "Talks stalled in June.", "2024-06"),
    (MAY_21, "Talks stalled in january.", "2025-01"),
    (MAY_21, "Arrests have risen since March.", "2025-03"),
    (MAY_21, "Arrests have risen since March 3.", "2025-03-03"),
    (MAY_21, "Arrests peaked at the end of March.", "2025-03"),
    (MAY_21, "Arrests peaked in early March.", "2025-03"),
    (MAY_21, "Arrests will fall by mid-March.", "2026-03"),
    (MAY_21, "December's strikes killed 46.", "2024-12"),
    (MAY_21, "Talks stalled last December.", "2024-12"),
    (MAY_21, "Talks stalled last May.", "2024-05"),
    (MAY_21, "Talks resume next March.", "2026-03"),
    (MAY_21, "Talks stalled in March last year.", "2024-03"),
    (MAY_21, "Talks stalled in March 2024.", "2024-03"),
    (MAY_21, "Talks stalled in Sept. 2024.", "2024-09"),
]

EXPLICIT_ROWS = [
    (MAY_21, "The photo was taken on May 21, 2025.", "2025-05-21"),
    (MAY_21, "The photo was taken on 21 May 2025.", "2025-05-21"),
    (MAY_21, "The photo was taken on Wednesday, May 21, 2025.", "2025-05-21"),
    (MAY_21, "The photo was taken on 2025-05-21.", "2025-05-21"),
    (MAY_21, "The photo was taken on May 3.", "2025-05-03"),
    (MAY_21, "The photo was taken on 3rd May.", "2025-05-03"),
    (MAY_21, "The deal was signed on June 5.", "2024-06-05"),  # latest June 5 on or before publication
    (MAY_21, "The deal was signed on Dec. 5, 2024.", "2024-12-05"),
    (MAY_21, "The drive began in 2023.", "2023"),
    (MAY_21, "The drive has run since 2023.", "2023"),
    (MAY_21, "2023's drive expelled thousands.", "2023"),
    (MAY_21, "The drive, which began in 2023, expelled thousands.", "2023"),
    (MAY_21, "The truce will hold until late 2026.", "2026"),
    (MAY_21, "Elections are due by the end of 2026.", "2026"),
]

NOT_DATE_ROWS = [
    (MAY_21, "The fund holds $60 billion.", None),
    (MAY_21, "Pakistan killed 481 Taliban operatives.", None),
    (MAY_21, "The 6th Trilateral Meeting was held in Kabul.", None),
    (MAY_21, "More than 80,000 people were expelled.", None),
    (MAY_21, "The brand is sold in 150 countries.", None),
    (MAY_21, "Section 2023 of the code applies.", None),
    (MAY_21, "Turnout rose by 2023 votes.", "2023"),  # known limit: a count after a preposition reads as a year
    (MAY_21, "Talks may resume, officials said.", None),
    (MAY_21, "Protesters plan to march on the capital.", None),
    (MAY_21, "The vote passed with 2000 ballots.", None),
    (MAY_21, "Some 5,000 marched in 2023 too.", "2023"),
]

CLAUSE_ROWS = [
    # The main clause's expression beats one in a relative or participle clause.
    (MAY_21, "The drive that began in 2023 was renewed in March.", "2025-03"),
    (MAY_21, "The truce, agreed in December, collapsed on Monday.", "2025-05-19"),
    (MAY_21, "The bridge, due to open in 2027, was damaged on Monday.", "2025-05-19"),
    # A participle after the subject dates the subject; the verb after it is the sentence's.
    (MAY_21, "The ceasefire agreed in December collapsed on Monday.", "2025-05-19"),
    (MAY_21, "Talks started in May and ended in June.", "2025-05"),  # two deeds: the first
    (MAY_21, "Police said on Tuesday that the attack happened on Monday.", "2025-05-20"),
    # With no expression in the main clause, the first one anywhere.
    (MAY_21, "Officials said that the talks began in December.", "2024-12"),
    # Two in the main clause: the first.
    (MAY_21, "Ten people were killed on Monday, police said on Tuesday.", "2025-05-19"),
]

NO_PUBLISHED_ROWS = [
    (None, "The talks ended on Wednesday.", None),
    (None, "Envoys met last month.", None),
    (None, "In December, the Taliban said so.", None),
    (None, "Officials met yesterday.", None),
    (None, "The photo was taken on May 3.", None),
    (None, "The photo was taken on May 21, 2025.", "2025-05-21"),
    (None, "The photo was taken on 21 May 2025.", "2025-05-21"),
    (None, "The photo was taken on 2025-05-21.", "2025-05-21"),
    (None, "Talks stalled in March 2024.", "2024-03"),
    (None, "The drive began in 2023.", "2023"),
    # The main clause's "on Tuesday" cannot be resolved; 2023 dates only the relative clause.
    (None, "Police said on Tuesday that a drive that began in 2023 ended.", None),
]

JAN_14 = date(2026, 1, 14)  # a Wednesday
MAR_9 = date(2025, 3, 9)  # a Sunday
NOV_10 = date(2025, 11, 10)  # a Monday
DEC_10 = date(2025, 12, 10)  # a Wednesday
JUL_16 = date(2025, 7, 16)  # a Wednesday

# What marks a clause's tense, and what only looks like it.
TENSE_ROWS = [
    # A past form after a modal or "to" is the verb's base: "hit" is both.
    (JAN_14, "Storm Ellen will hit the west coast on Thursday.", "2026-01-15"),
    (JAN_14, "Storm Ellen is expected to hit the west coast on Thursday.", "2026-01-15"),
    (JAN_14, "Forecasters expect the storm to hit land on Thursday.", "2026-01-15"),
    (JAN_14, "The storm will probably hit land on Thursday.", "2026-01-15"),
    (JAN_14, "Storm Ellen hit the west coast on Thursday.", "2026-01-08"),
    (JAN_14, "A tree fell on a car on Thursday.", "2026-01-08"),
    # A present perfect gives way to a time its object looks ahead to; "since" always looks back.
    (JAN_14, "The Met Office has issued an amber warning for wind from 6am on Thursday until 9pm on Friday.", "2026-01-15"),
    (JAN_14, "The Met Office has issued a warning for Thursday.", "2026-01-15"),
    (JAN_14, "The road has been closed since Monday.", "2026-01-12"),
    (JAN_14, "The road has been closed since Thursday.", "2026-01-08"),
    (JAN_14, "The road has been closed since Thursday until further notice.", "2026-01-08"),
    (JAN_14, "A man has died after a crash on Saturday.", "2026-01-10"),
    (JAN_14, "Police have arrested a man after a stabbing on Friday.", "2026-01-09"),
    (JAN_14, "The road was closed from Friday until Sunday.", "2026-01-09"),
    (date(2025, 3, 5), "National has not been ahead in this poll since April.", "2024-04"),
    # A capitalised word ending in -ed is a name, a hyphenated one an adjective: neither is a past verb.
    (MAR_9, "Rovers' next match is against United on March 15th.", "2025-03-15"),
    (MAR_9, "Wanderers' next match is against Albion on March 15.", "2025-03-15"),
    (MAR_9, "The match against United is on March 15th.", "2025-03-15"),
    (MAR_9, "Ahmed scored on March 15th.", "2024-03-15"),
    (DEC_10, "Analysts at Zürich-based UBS expect another rise in February.", "2026-02"),
    (DEC_10, "The state-owned lender reports results in February.", "2026-02"),
    (DEC_10, "The lender re-elected its chairman in February.", "2025-02"),
    (DEC_10, "A hundred people marched in February.", "2025-02"),
    # "expect(s)" looks ahead; "had expected" does not.
    (DEC_10, "UBS expects another rise in February.", "2026-02"),
    (DEC_10, "Analysts had expected a rise in February.", "2025-02"),
    # A month to come in the month of publication is this one; "next May" is the one after.
    (MAY_21, "The shop will open in May.", "2025-05"),
    (MAY_21, "The shop will open next May.", "2026-05"),
    (MAY_21, "The shop opened in May.", "2025-05"),
]

# An attribution before a reported plan: the plan to come is the news, the saying otherwise.
REPORTED_ROWS = [
    (NOV_10, "Apple said on Monday it would release iOS 19.2 next month, fixing a battery bug reported by users "
             "since the 19.1 update.", "2025-12"),  # fmt: skip
    (NOV_10, "Apple said on Monday that it will release iOS 19.2 on December 3.", "2025-12-03"),
    (NOV_10, "Apple told reporters on Monday it would ship the update next week.", "2025-11-17"),
    (NOV_10, "Apple said on Monday it would not comment.", "2025-11-10"),
    (NOV_10, "Apple said on Monday that the update shipped on Friday.", "2025-11-10"),
    (NOV_10, "Apple said on Monday it would release the update, which ships next month.", "2025-11-10"),
    (NOV_10, "Apple said on Monday it expected sales to rise this year.", "2025-11-10"),  # not after the saying
    (JUL_16, "Wang said on Tuesday that the embassy will open in March.", "2026-03"),
]

ALL_ROWS = (
    CLIENT_ROWS + WEEKDAY_ROWS + RELATIVE_DAY_ROWS + PERIOD_ROWS + MONTH_ROWS
    + EXPLICIT_ROWS + NOT_DATE_ROWS + CLAUSE_ROWS + NO_PUBLISHED_ROWS + TENSE_ROWS + REPORTED_ROWS
)  # fmt: skip


@pytest.mark.parametrize(("published", "sentence", "expected"), ALL_ROWS)
def test_event_date(published: date | None, sentence: str, expected: str | None) -> None:
    result = event_date(sentence, published)
    assert (result.iso() if result else None) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Beijing said on Wednesday after hosting a meeting.", ["on Wednesday"]),
        ("Expelled since the end of March in a drive that began in 2023.", ["since the end of March", "in 2023"]),
        ("Wednesday’s meeting in Beijing.", ["Wednesday’s"]),
        ("Fighting broke out last Thursday night.", ["last Thursday night"]),
        ("Taken in Beijing on May 21, 2025.", ["on May 21, 2025"]),
        ("Relations have plummeted in recent months.", ["in recent months"]),
        ("Envoys met last week and will meet next month.", ["last week", "next month"]),
        ("Arrests have risen since March 3.", ["March 3"]),
        ("Wang said after his talks with Muttaqi and Dar.", []),
        ("481 operatives, $60 billion, 80,000 people, in 150 countries, Section 2023.", []),
        ("The 6th Trilateral Meeting.", []),
    ],
)
def test_time_expressions(sentence: str, expected: list[str]) -> None:
    assert time_expressions(sentence) == expected
    assert has_time_expression(sentence) is bool(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21 May 2025", date(2025, 5, 21)),
        ("04 March 2026", date(2026, 3, 4)),
        ("4 Mar 2026", date(2026, 3, 4)),
        ("May 21, 2025", date(2025, 5, 21)),
        ("Wednesday, May 21, 2025", date(2025, 5, 21)),
        ("  May 21 2025 ", date(2025, 5, 21)),
        ("21 May 2025 10:30 PKT", date(2025, 5, 21)),
        ("2025-05-21", date(2025, 5, 21)),
        ("2025-05-21T09:15:00", date(2025, 5, 21)),
        ("2025-05-21T09:15:00+05:00", date(2025, 5, 21)),
        ("2025-05-21T23:15:00Z", date(2025, 5, 21)),
        ("", None),
        ("yesterday", None),
        ("31 February 2025", None),
        ("2025-13-01", None),
        ("21 May 2025 was a good day", None),
        ("May 2025", None),
    ],
)
def test_parse_published(text: str, expected: date | None) -> None:
    assert parse_published(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 5, 21), "21 May 2025"),
        (date(2026, 3, 4), "4 March 2026"),
        (datetime(2026, 3, 4, 23, 0, tzinfo=timezone.utc), "4 March 2026"),
        (EventDate(2025, 5, 21), "21 May 2025"),
        (EventDate(2025, 4), "April 2025"),
        (EventDate(2023), "2023"),
        (None, "undated"),
    ],
)
def test_format_date(value: date | EventDate | None, expected: str) -> None:
    assert format_date(value) == expected


DENSE = (
    "Between May 2024 and December 2024, since March 3 and on Monday and Tuesday last year, in 2023 "
    "and mid-2022, throughout the second half of 2021, the 1990s, yesterday, three years ago, İstanbul."
)


@pytest.mark.parametrize("sentence", [sentence for _, sentence, _ in ALL_ROWS] + [DENSE, DENSE.replace("İ", "I")])
def test_time_expressions_match_a_full_scan(sentence: str) -> None:
    # time_expressions tries the master regex only near trigger words; a scan of every position is the oracle.
    assert time_expressions(sentence) == [match.group(0) for match in _DATE_RE.finditer(sentence)]



@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Construction will start in September.", "2025-09"),
        ("In September, the works will start.", "2025-09"),
        ("The line will reopen in March.", "2026-03"),
        ("He said the line would reopen in March.", "2026-03"),
        ("The vote will be held next week.", "2025-07-21"),
        ("The minister will meet him on Friday.", "2025-07-18"),
        ("It will open on 3 August.", "2025-08-03"),
        ("The bridge opened in December.", "2024-12"),
        # A participle after "be" is passive: the verb before it gives the tense.
        ("The talks will be held in September.", "2025-09"),
        ("The plant is to be built in March.", "2026-03"),
        ("The bridge will be formally opened in September.", "2025-09"),
        ("The talks were held in September.", "2024-09"),
        ("The talks will be held in September and October.", "2025-09"),
        # A name is no month: "to May", "and May".
        ("Johnson handed the letter to May on Friday.", "2025-07-11"),
        ("Corbyn and May clashed over Brexit on Friday.", "2025-07-11"),
        ("The line closed on Friday.", "2025-07-11"),
        # Words that look ahead without "will": "as from", "until", "agreed to".
        ("The minister said he is withdrawing the subsidy as from August 1.", "2025-08-01"),
        ("The guild said it agreed to meet the networks on Thursday.", "2025-07-17"),
        ("The guild said it met the networks on Thursday.", "2025-07-10"),
        # No tense at all: the nearer such day, ahead or back.
        ("The deadline for a final ruling is July 20.", "2025-07-20"),
        ("The deadline for a final ruling is July 2.", "2025-07-02"),
        ("Its deadline, January 10.", "2026-01-10"),
        # ...and a month or a weekday too (16 July 2025 is a Wednesday); an attribution after it is its own clause.
        ("The summit is in September, the foreign ministry said.", "2025-09"),
        ("Schools reopen in September.", "2025-09"),
        ("Talks are expected in September.", "2025-09"),
        ("The deadline is in December.", "2025-12"),
        ("Sales in May rose 5 percent.", "2025-05"),
        ("The ceasefire begins at midnight on Friday.", "2025-07-18"),
        ("The meeting is on Monday.", "2025-07-14"),
        # A weekday of a week named beside it.
        ("On Tuesday last week, the bank cut rates.", "2025-07-08"),
        ("The vote is on Friday next week.", "2025-07-25"),
        # "may" and "march" in lower case are months before a year.
        ("Talks were held in may 2025.", "2025-05"),
        ("The deal was signed on 21 march 2025.", "2025-03-21"),
        ("Prices may rise in May.", "2025-05"),
        # A participle phrase between commas dates its own clause, not the sentence.
        ("Veltrix will cut 800 roles, bringing the cuts announced this year to 2,000, the company said on Wednesday.", "2025-07-16"),
    ],
)
def test_future_tense_resolves_forward_and_past_tense_back(sentence: str, expected: str) -> None:
    assert str(event_date(sentence, JUL_16)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: 3 November 2025", date(2025, 11, 3)),
        ("Published 2025-11-03", date(2025, 11, 3)),
        ("November 3, 2025", date(2025, 11, 3)),
        ("Posted: Tuesday, 4 November 2025 14:32 GMT", date(2025, 11, 4)),
        ("Updated 2025-11-03T09:15:00Z", date(2025, 11, 3)),
        ("Last updated: 3 Nov. 2025, 10:15 a.m. EST", date(2025, 11, 3)),
        ("By Jane Doe | 12 March 2026", date(2026, 3, 12)),
        ("The minister said on 3 November 2025 that", None),
        ("Published by the council", None),
        # Labels with "on", ISO dates with a time and zone, RFC 2822 weekdays, a zone alone in brackets.
        ("Posted on November 3, 2025", date(2025, 11, 3)),
        ("Published on 3 November 2025", date(2025, 11, 3)),
        ("Published: 2025-11-03 14:32 GMT", date(2025, 11, 3)),
        ("Published 2025-11-03, 14:32", date(2025, 11, 3)),
        ("Posted: Tue, 4 Nov 2025 14:32:00 GMT", date(2025, 11, 4)),
        ("Sun, 2 Nov 2025 08:00:00 +0000", date(2025, 11, 2)),
        ("Published 3 November 2025 (GMT)", date(2025, 11, 3)),
        ("Published 3 November 2025 14:05 (GMT+3)", date(2025, 11, 3)),
        ("Published: Mon 3 Nov 2025 14:05 GMT", date(2025, 11, 3)),  # The Guardian's
        ("First published on Tue 4 Nov 2025 09.12 GMT", date(2025, 11, 4)),
        ("Published 3 November 2025, updated 4 November 2025", date(2025, 11, 3)),
        ("Published: 2025/11/03", date(2025, 11, 3)),  # year first: no order of day and month to guess
        ("Published: 03/11/2025", None),
        # Placeholders, not dates: "yesterday" read back from them would leave the calendar.
        ("Date: 0001-01-01", None),
        ("Updated 9999-12-31T23:59:59Z", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "labelled"),
    [
        ("Date: 31 February 2025", True),
        ("Published 2025-02-31", True),
        ("Updated 1 January 99999", True),
        ("Posted: Monday, 31 Feb 2025", True),
        ("Updated figures show 3 dead.", False),  # a sentence, not a date line
        ("Updated: 3 dead, 12 injured", False),  # no date's shape after the label
        ("Published 2019, the flood plan was never funded.", False),
        ("Updated 2026 forecast: growth of 3.1%", False),
        ("Updated 12 times since launch", False),
        # Date lines whose date is not read: still no sentences.
        ("Last updated: 3 hours ago", True),
        ("Posted on November 4, 2025 by Jane Doe", True),
        ("Updated 21 May 2025 \u2013 10:45", True),
        ("Published: 3rd of November 2025", True),
        ("Published by the council in 2025 after a long wait for the final report.", False),  # too long
        ("On 3 May the council voted", False),
    ],
)
def test_labelled_date_lines_are_told_by_their_label(line: str, labelled: bool) -> None:
    assert is_labelled_date_line(line) is labelled


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025-06-14", date(2025, 6, 14), date(2025, 6, 14)),
        ("2025-06", date(2025, 6, 1), date(2025, 6, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_date_bound(text: str, first: date, last: date) -> None:
    assert (parse_date_bound(text), parse_date_bound(text, end=True)) == (first, last)


@pytest.mark.parametrize("text", ["", "June", "2025/06", "2025-13", "2025-02-30", "25-06-14"])
def test_parse_date_bound_refuses_other_forms(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_bound(text)
