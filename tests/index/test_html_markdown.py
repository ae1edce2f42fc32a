"""The .html/.htm and .md readers: title, date, body paragraphs, boilerplate out; web JSON lines read like any."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsbot.index.reading.articles import read_file
from newsbot.index.reading.html import extract_html
from newsbot.index.reading.markdown import read_markdown
from tests.index.web.server import article_page

BODY = [
    "The new dam on the Indus opened on Tuesday after nine years of work, officials said.",
    "It will supply water to four million people in the province of Sindh.",
    "Engineers said the reservoir would be full by June.",
]
BOILERPLATE = [
    "We use cookies to improve your experience on our site.",
    "Save forty percent on premium garden furniture this weekend only.",
    "Markets slide as oil prices climb again",
    "This is the best news I have read all year, well done everyone involved!",
    "All rights reserved.",
    "Home",
]


def test_page_body_is_the_articles_paragraphs_and_nothing_else() -> None:
    page = extract_html(article_page("Dam opens in the valley", BODY, canonical="https://valley.example/dam"))
    assert page is not None
    assert page.paragraphs == tuple(BODY)  # every sentence of the article, in order
    text = " ".join(page.paragraphs)
    for line in BOILERPLATE:
        assert line not in text
    assert (page.title, page.published, page.outlet, page.author, page.url) == (
        "Dam opens in the valley", date(2025, 3, 4), "Valley Times", "Jane Roe", "https://valley.example/dam",
    )  # fmt: skip


def test_page_without_a_date_or_text() -> None:
    page = extract_html(article_page("Dam opens in the valley", BODY, published=None))
    assert page is not None and page.published is None
    assert extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>") is None


@pytest.mark.parametrize(
    ("text", "title", "published", "paragraphs"),
    [
        ("# Dam opens\n\nThe dam opened on Tuesday.\n", "Dam opens", None, ("The dam opened on Tuesday.",)),
        ("---\ntitle: 'Dam opens'\ndate: 2025-03-04\n---\nThe dam opened.\n", "Dam opens", date(2025, 3, 4), ("The dam opened.",)),
        ("# Dam opens\n\nPublished 4 March 2025\n\nThe dam opened.\n", "Dam opens", date(2025, 3, 4), ("The dam opened.",)),
        ("Dam opens\n\nThe *dam* [opened](http://x).\n", "Dam opens", None, ("The dam opened.",)),
        ("# Dam\n\n## Background\n\nIt took nine years.\n\n```\ncode()\n```\n\n- Four million served\n\n> Officials said so.\n\n![photo](a.png)\n",
         "Dam", None, ("It took nine years.", "Four million served", "Officials said so.")),
        ("# Dam\n\nISLAMABAD: The dam opened.\n", "Dam", None, ("The dam opened.",)),
    ],
    ids=["heading", "front-matter", "date-line", "no-heading-inline", "blocks", "dateline"],
)
def test_markdown_reader(text: str, title: str, published: date | None, paragraphs: tuple[str, ...]) -> None:
    [article], problems = read_markdown(text, "a.md")
    assert problems == []
    assert (article.title, article.published, article.paragraphs) == (title, published, paragraphs)


def test_markdown_without_body_is_a_problem() -> None:
    assert read_markdown("# Only a title\n", "a.md")[0] == []


@pytest.mark.parametrize("name", ["story.html", "story.htm", "story.md"])
def test_corpus_files_of_the_new_kinds_are_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".md"):
        path.write_text("# Dam opens in the valley\n\n" + "\n\n".join(BODY) + "\n")
    else:
        path.write_text(article_page("Dam opens in the valley", BODY))
    [article], problems = read_file(path, tmp_path)
    assert problems == [] and article.title == "Dam opens in the valley" and article.paragraphs == tuple(BODY)
    assert article.source == name


def test_web_json_lines_with_outlet_author_and_unknown_fields_read(tmp_path: Path) -> None:
    line = ('{"id": "ab12", "title": "Dam opens", "published": "2025-03-04", "url": "https://v.example/dam",'
            ' "outlet": "Valley Times", "author": "Jane Roe", "tags": ["x"], "text": "The dam opened.\\n\\nIt took years."}')
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "2025-03-04.jsonl").write_text(line + "\n")
    [article], problems = read_file(tmp_path / "feeds" / "2025-03-04.jsonl", tmp_path)
    assert problems == []
    assert (article.source, article.url, article.paragraphs) == ("feeds/2025-03-04.jsonl#ab12", "https://v.example/dam", ("The dam opened.", "It took years."))


def test_a_date_line_the_page_shows_dates_it_and_is_no_sentence(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Bridge opens</title></head><body><article><h1>Bridge opens</h1>"
        "<p>Published 3 November 2025</p>"
        "<p>WESTHAVEN: The new bridge opened on Monday, the council said in a statement to reporters.</p>"
        "<p>The mayor cut the ribbon in front of a large crowd of residents and officials.</p></article></body></html>"
    )
    (tmp_path / "bridge.html").write_text(page, encoding="utf-8")
    [article], problems = read_file(tmp_path / "bridge.html", tmp_path)
    assert (article.published, article.dateline, problems) == (date(2025, 11, 3), "WESTHAVEN", [])
    assert article.paragraphs[0].startswith("The new bridge opened on Monday")


@pytest.mark.parametrize(
    ("head", "published", "problems"),
    [
        ("", None, ["unreadable date 'Published 31 February 2025'; article read without a date"]),
        # The page's own markup dates it: the line shown is still no sentence, and nothing is amiss.
        ('<meta property="article:published_time" content="2025-11-03T09:00:00Z">', date(2025, 11, 3), []),
    ],
)
def test_a_page_date_line_that_cannot_be_read_is_said(tmp_path: Path, head: str, published: date | None, problems: list[str]) -> None:
    page = (
        f"<html><head><title>Bridge opens</title>{head}</head><body><article><h1>Bridge opens</h1>"
        "<p>Published 31 February 2025</p>"
        "<p>The new bridge opened on Monday, the council said in a statement to reporters.</p>"
        "<p>The mayor cut the ribbon in front of a large crowd of residents and officials.</p></article></body></html>"
    )
    (tmp_path / "bridge.html").write_text(page, encoding="utf-8")
    [article], found = read_file(tmp_path / "bridge.html", tmp_path)
    assert (article.published, [p.reason for p in found], [p.source for p in found]) == (published, problems, ["bridge.html"] * len(problems))
    assert article.paragraphs[0].startswith("The new bridge opened on Monday")


@pytest.mark.parametrize(
    ("text", "published", "unreadable"),
    [
        ("---\ntitle: Bridge opens\ndate: 31 February 2025\n---\n\nThe new bridge opened on Monday.\n", None, "31 February 2025"),
        ("# Bridge opens\n\nDate: 31 February 2025\n\nThe new bridge opened on Monday.\n", None, "Date: 31 February 2025"),
        # The text on the line under the date line: CommonMark makes one paragraph of the two.
        ("# Bridge opens\n\nDate: 3 November 2025\nThe new bridge opened on Monday.\n", date(2025, 11, 3), None),
        ("# Bridge opens\n\nBy Jane Doe | 12 March 2026\nThe new bridge opened on Monday.\n", date(2026, 3, 12), None),
        # With a date in the front matter, a date line shown is still no sentence, nor one under the text.
        ("---\ndate: 2025-11-03\n---\n# Bridge opens\n\nPublished 3 November 2025\n\nThe new bridge opened on Monday.\n\n"
         "Updated 4 November 2025\n", date(2025, 11, 3), None),
    ],
)
def test_markdown_date_lines(tmp_path: Path, text: str, published: date | None, unreadable: str | None) -> None:
    [article], problems = read_markdown(text, "bridge.md")
    assert (article.title, article.published, article.paragraphs) == ("Bridge opens", published, ("The new bridge opened on Monday.",))
    assert [p.reason for p in problems] == ([f"unreadable date {unreadable!r}; article read without a date"] if unreadable else [])


def test_a_markdown_paragraph_opening_on_a_date_is_one_sentence() -> None:
    # "On 3 May 2025" is how a sentence begins, not a date line: the paragraph is not cut after it.
    [article], problems = read_markdown("# Budget approved\n\nOn 3 May 2025\nthe council approved the budget.\n", "b.md")
    assert (article.published, article.paragraphs, problems) == (None, ("On 3 May 2025 the council approved the budget.",), [])
