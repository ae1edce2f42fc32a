"""Tests for index.reading.pasted: heads, titles and bodies of pasted news, read through `read_file`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsbot.index.reading.articles import read_file

FIRST = (
    "Afghanistan and Pakistan to work to upgrade diplomatic ties\n\nShort Url\nUpdated 21 May 2025\nFollow\n\n"
    "Afghanistan and Pakistan to work to upgrade diplomatic ties\n\n"
    "ISLAMABAD: Pakistan and Afghanistan plan to upgrade diplomatic ties, Beijing said on Wednesday.\n\n"
    "The officials also decided to hold the next meeting in Kabul.\n\n\n"
)
FIRST_PARAGRAPHS = (
    "Pakistan and Afghanistan plan to upgrade diplomatic ties, Beijing said on Wednesday.",
    "The officials also decided to hold the next meeting in Kabul.",
)
AIRPORT = "Saudi Arabia opens new airport terminal in Riyadh"
AIRPORT_CAPTION = "Passengers arrive at the new terminal at King Khalid International Airport in Riyadh."
AIRPORT_BODY = "Saudi Arabia opened a new terminal at King Khalid International Airport on Tuesday, the civil aviation authority said."


def _read(tmp_path: Path, text: str) -> tuple[list, list]:
    path = tmp_path / "paste.txt"
    path.write_text(text, encoding="utf-8")
    return read_file(path, tmp_path)


@pytest.mark.parametrize(
    "title",
    ["Can Pakistan and Afghanistan make peace?", "Pakistan and Afghanistan: enough!", "Talks end. What comes next?”"],
)
def test_a_headline_ending_like_a_sentence_heads_its_article_when_the_page_repeats_it(tmp_path: Path, title: str) -> None:
    # No caption, and the article before ends in a sentence: the title repeated under the date line still heads it.
    text = FIRST + (
        f"{title}\n\nShort Url\nUpdated 04 March 2026\nFollow\n\n{title}\n\n"
        "ISLAMABAD: Pakistan’s army chief said on Wednesday that peace can only prevail if Kabul renounces support for militants.\n"
    )
    articles, problems = _read(tmp_path, text)
    assert [(a.title, a.published, a.dateline, a.paragraphs) for a in articles] == [
        ("Afghanistan and Pakistan to work to upgrade diplomatic ties", date(2025, 5, 21), "ISLAMABAD", FIRST_PARAGRAPHS),
        (title, date(2026, 3, 4), "ISLAMABAD", (
            "Pakistan’s army chief said on Wednesday that peace can only prevail if Kabul renounces support for militants.",
        )),
    ]  # fmt: skip
    assert problems == []


@pytest.mark.parametrize(
    "between",
    [
        "Arab News\n",
        "https://arab.news/8ftxa\n",
        "Arab News\nhttps://arab.news/8ftxa\n",
        "https://arab.news/8ftxa\nArab News\n",
    ],
)
def test_an_author_or_short_link_line_in_a_pasted_head_is_no_title(tmp_path: Path, between: str) -> None:
    text = (
        f"{AIRPORT}\n\n{AIRPORT_CAPTION} (SPA)\n{between}Short Url\nUpdated 12 July 2025\nFollow\n\n{AIRPORT}\n\n"
        f"RIYADH: {AIRPORT_BODY}\n"
    )
    [article], problems = _read(tmp_path, text)
    assert (article.title, article.published, article.caption, article.dateline, article.paragraphs) == (
        AIRPORT, date(2025, 7, 12), AIRPORT_CAPTION, "RIYADH", (AIRPORT_BODY,),
    )
    assert problems == []  # the title is no "text before the first article"


def test_a_short_link_in_a_pasted_head_is_no_title_without_the_repeated_title(tmp_path: Path) -> None:
    text = (
        f"{AIRPORT}\n\n{AIRPORT_CAPTION} (SPA)\nhttps://arab.news/8ftxa\nShort Url\nUpdated 12 July 2025\nFollow\n\n"
        f"RIYADH: {AIRPORT_BODY}\n"
    )
    [article], problems = _read(tmp_path, text)
    assert (article.title, article.caption, article.dateline, article.paragraphs, problems) == (
        AIRPORT, AIRPORT_CAPTION, "RIYADH", (AIRPORT_BODY,), [],
    )


def test_hard_wrapped_lines_of_an_article_with_a_closing_credit_are_joined(tmp_path: Path) -> None:
    # The closing credit makes it pasted news; its wrapped lines are still whole sentences, the credit none.
    text = (
        "Central bank holds rates steady as inflation eases\nPublished 3 November 2025\n\n"
        "LONDON (Reuters) - The Bank of England kept interest rates on hold\non Thursday, saying inflation was easing "
        "faster than expected but\nthat it was too early to declare victory over rising prices.\n\n"
        "Governor Andrew Bailey said the bank would cut rates in December\nif the data allowed it.\n\n"
        "With inputs from Reuters\n"
    )
    [article], problems = _read(tmp_path, text)
    assert (article.title, article.published, article.dateline, problems) == (
        "Central bank holds rates steady as inflation eases", date(2025, 11, 3), "LONDON", [],
    )
    assert article.paragraphs == (
        "The Bank of England kept interest rates on hold on Thursday, saying inflation was easing faster than expected "
        "but that it was too early to declare victory over rising prices.",
        "Governor Andrew Bailey said the bank would cut rates in December if the data allowed it.",
    )


def test_hard_wrapped_pasted_bodies_keep_highlights_and_left_out_lines_apart(tmp_path: Path) -> None:
    # A highlight, a "Share" line and a date line each end the paragraph before them; wrapped lines are joined.
    text = (
        "Floods kill dozens in Karachi\nShort Url\nUpdated 21 May 2025\nFollow\n\nFloods kill dozens in Karachi\n"
        "\u2022 Army called in\n  \u2022 Schools closed\nKARACHI: Heavy floods killed dozens\nof people on Monday.\nShare\n"
        "Rescuers worked through the night.\nPublished 1 May 1990\nThe last such flood\nwas decades ago.\n"
    )
    [article], problems = _read(tmp_path, text)
    assert (article.title, article.published, article.highlights, article.dateline, problems) == (
        "Floods kill dozens in Karachi", date(2025, 5, 21), ("Army called in", "Schools closed"), "KARACHI", [],
    )
    assert article.paragraphs == (
        "Heavy floods killed dozens of people on Monday.", "Rescuers worked through the night.", "The last such flood was decades ago.",
    )


SECOND = "Budget passes after long debate\n\nShort Url\nUpdated 22 May 2025\nFollow\n\nBudget passes after long debate\n\nISLAMABAD: Parliament passed the budget on Tuesday.\n"


@pytest.mark.parametrize(
    "box",
    [
        "Related\n\nPakistan floods: death toll rises to 40\n\nPublished 3 March 2025\n\n",
        "Related\nPakistan floods: death toll rises to 40\nPublished 3 March 2025\n",
        "Related articles:\nPakistan floods: death toll rises to 40\nPublished 3 March 2025\n"
        "Why Karachi floods every year?\nPublished 1 March 2025\n\n",
    ],
)
def test_a_related_box_in_a_pasted_body_heads_no_article(tmp_path: Path, box: str) -> None:
    text = (
        "Floods kill dozens in Karachi\n\nShort Url\nUpdated 21 May 2025\nFollow\n\nFloods kill dozens in Karachi\n\n"
        "KARACHI: Heavy floods killed dozens of people in Karachi on Monday, officials said.\n\n"
        f"{box}Rescue teams worked through the night to reach stranded families.\n\n\n{SECOND}"
    )
    articles, problems = _read(tmp_path, text)
    assert [(a.title, a.published, a.paragraphs) for a in articles] == [
        ("Floods kill dozens in Karachi", date(2025, 5, 21), (
            "Heavy floods killed dozens of people in Karachi on Monday, officials said.",
            "Rescue teams worked through the night to reach stranded families.",
        )),
        ("Budget passes after long debate", date(2025, 5, 22), ("Parliament passed the budget on Tuesday.",)),
    ]  # fmt: skip
    assert problems == []


@pytest.mark.parametrize(
    "head",
    [
        "Related\n\nBudget passes after long debate\n\nShort Url\nUpdated 22 May 2025\nFollow\n\n",  # the site's boilerplate
        "Related\n\nBudget passes after long debate\nUpdated 22 May 2025\n\nBudget passes after long debate\n\n",  # repeated
    ],
)
def test_an_article_under_a_related_line_is_still_an_article(tmp_path: Path, head: str) -> None:
    text = (
        "Floods kill dozens in Karachi\n\nShort Url\nUpdated 21 May 2025\nFollow\n\nFloods kill dozens in Karachi\n\n"
        f"KARACHI: Heavy floods killed dozens of people in Karachi on Monday, officials said.\n\n{head}"
        "ISLAMABAD: Parliament passed the budget on Tuesday.\n"
    )
    articles, problems = _read(tmp_path, text)
    assert [(a.title, a.published, a.paragraphs) for a in articles] == [
        ("Floods kill dozens in Karachi", date(2025, 5, 21), (
            "Heavy floods killed dozens of people in Karachi on Monday, officials said.",
        )),  # "Related" alone heads nothing quotable: a subheading (text.is_subheading)
        ("Budget passes after long debate", date(2025, 5, 22), ("Parliament passed the budget on Tuesday.",)),
    ]  # fmt: skip
    assert problems == []
