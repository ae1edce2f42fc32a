"""Tests for index.articles."""

from __future__ import annotations

import gzip
import json
import os
from datetime import date
from pathlib import Path

import pytest

from newsbot.index.reading.articles import SUPPORTED_SUFFIXES, corpus_files, read_articles, read_file
from newsbot.index.reading.text import normalise_text, split_paragraphs
from newsbot.index.errors import CorpusError
from newsbot.index.models import Article, Problem

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpus" / "arab_news.txt"
FIXTURES = REPO / "tests" / "data" / "articles"
SHARED_DATA = REPO / ".." / "shared" / "data"

SEED_TITLE_1 = "Afghanistan and Pakistan to work to upgrade diplomatic ties after trilateral talks in Beijing"
SEED_TITLE_2 = "Peace can only prevail if Afghanistan renounces support for ‘terrorism’— Pakistan defense chief"
BOILERPLATE = ("Short Url", "Follow", "With inputs from Reuters", "(Handout/MOFA)", "In this handout photo")


@pytest.fixture(scope="module")
def seed() -> list[Article]:
    articles, problems = read_file(SEED, SEED.parent)
    assert problems == []
    return articles


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# --- the client's seed file -------------------------------------------------------------


def test_seed_has_two_articles_with_titles_and_dates(seed: list[Article]) -> None:
    assert [a.title for a in seed] == [SEED_TITLE_1, SEED_TITLE_2]
    assert [a.published for a in seed] == [date(2025, 5, 21), date(2026, 3, 4)]
    assert [a.source for a in seed] == ["arab_news.txt", "arab_news.txt"]
    assert [a.dateline for a in seed] == ["ISLAMABAD", "ISLAMABAD"]


def test_seed_highlights(seed: list[Article]) -> None:
    assert seed[0].highlights == (
        "Pakistan and Afghanistan agree to work to extend China-Pakistan Economic Corridor to Afghanistan",
        "Neighbors decide in principle to send ambassadors to each other’s capitals as soon as possible",
    )
    assert seed[1].highlights == (
        "Pakistan’s chief of defense forces visits South Waziristan district bordering Afghanistan",
        "Pakistan says has killed 481 Afghan Taliban operatives since clashes began last Thursday",
    )


def test_seed_first_and_last_paragraphs(seed: list[Article]) -> None:
    first, second = seed
    assert first.paragraphs[0].startswith("Pakistan and Afghanistan plan to upgrade diplomatic ties")
    assert first.paragraphs[-1] == (
        "The meeting also agreed on security cooperation, combating terrorist forces and safeguarding regional "
        "peace and stability, he said."
    )
    assert len(first.paragraphs) == 17
    assert second.paragraphs[0].startswith("Pakistan’s Chief of Defense Forces Field Marshal Syed Asim Munir said")
    assert second.paragraphs[-1].startswith("Turkish President Recep Tayyip Erdogan told Pakistani Prime Minister")
    assert "Ankara would help reinstate a ceasefire" in second.paragraphs[-1]
    assert len(second.paragraphs) == 14


def test_seed_has_no_boilerplate(seed: list[Article]) -> None:
    for article in seed:
        texts = [*article.paragraphs, *article.highlights]
        assert article.title not in texts
        for text in texts:
            assert not text.startswith(("ISLAMABAD", "•")), text
            assert "\u00a0" not in text and text == normalise_text(text)
            for phrase in BOILERPLATE:
                assert phrase not in text, (phrase, text)


def test_seed_caption_keeps_text_without_credit(seed: list[Article]) -> None:
    assert seed[0].caption is not None
    assert seed[0].caption.startswith("In this handout photo, released by Pakistan’s Foreign Ministry")
    assert seed[0].caption.endswith("in Beijing, China on May 21, 2025.")
    assert seed[1].caption is None


# --- the fixture corpus -----------------------------------------------------------------


def test_corpus_files_skips_hidden_and_unsupported() -> None:
    names = [p.relative_to(FIXTURES).as_posix() for p in corpus_files(FIXTURES)]
    assert names == [
        "bbc_style.txt",
        "binary.txt",
        "latin1.txt",
        "nested/deeper/single_newlines.txt",
        "notes.md",  # Markdown is read since issue 12
        "pasted.txt",
        "wire.jsonl",
        "wire_archive.jsonl.gz",
    ]


def test_read_fixture_corpus() -> None:
    articles, problems = read_articles(FIXTURES)
    assert [a.source for a in articles] == [
        "bbc_style.txt",
        "latin1.txt",
        "nested/deeper/single_newlines.txt",
        "pasted.txt",
        "pasted.txt",
        "wire.jsonl#w-1",
        "wire.jsonl#4",
        "wire_archive.jsonl.gz#7",
        "wire_archive.jsonl.gz#8",
    ]
    assert problems == [
        Problem("binary.txt", "binary file"),
        Problem("notes.md", "no title or no body text"),
        Problem("wire.jsonl", "not JSON: Expecting value", line=2),
    ]


def test_plain_file() -> None:
    [article], problems = read_file(FIXTURES / "bbc_style.txt", FIXTURES)
    assert problems == []
    assert article == Article(
        title="Local bakery wins national bread award",
        published=None,
        source="bbc_style.txt",
        paragraphs=(
            "A family bakery has won the top prize at the national bread awards.",
            "The judges praised its sourdough loaf, which is proved for 36 hours. "
            'Owner Mr. Sam Pike said the win was "a dream come true."',
            "The bakery opened in 1987 and employs 12 people.",
        ),
    )


def test_plain_file_with_single_newlines() -> None:
    [article], _ = read_file(FIXTURES / "nested" / "deeper" / "single_newlines.txt", FIXTURES)
    assert article.title == "Council approves new cycle lanes after long debate"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[1].startswith("The plan, which will cost about £2m")


def test_latin1_file() -> None:
    assert b"\xa3500" in (FIXTURES / "latin1.txt").read_bytes()
    [article], problems = read_file(FIXTURES / "latin1.txt", FIXTURES)
    assert problems == []
    assert article.title == "Café owner fined over prices"
    assert "fined £500" in article.paragraphs[0]


def test_pasted_fixture() -> None:
    first, second = read_file(FIXTURES / "pasted.txt", FIXTURES)[0]
    assert first.title == "Harbour city opens new ferry line to island villages"
    assert first.published == date(2024, 1, 3)  # "Published 3 Jan 2024 14:05"
    assert first.caption == (
        "A ferry leaves the harbour at dawn on the first day of the new service in Port Avalon on January 3, 2024."
    )
    assert first.highlights == (
        "Service links four villages that had no regular boat",
        "Tickets cost half the price of the old private launches",
    )
    assert first.dateline == "PORT AVALON"
    assert first.paragraphs[0].startswith("The city council opened a ferry line")
    assert first.paragraphs[-1].endswith("had advised on the design.")
    assert not any("With input from AP" in p for p in first.paragraphs)
    assert second.title == "Storm closes schools across the northern districts"
    assert second.published == date(2024, 2, 12)
    assert second.highlights == ("Schools to reopen on Monday",)
    assert second.dateline is None and second.caption is None
    assert second.paragraphs[-1].startswith("Gen. Tomas Vidal")


def test_jsonl_fixture() -> None:
    articles, problems = read_file(FIXTURES / "wire.jsonl", FIXTURES)
    assert problems == [Problem("wire.jsonl", "not JSON: Expecting value", line=2)]
    first, second = articles
    assert first.source == "wire.jsonl#w-1" and first.file == "wire.jsonl"
    assert first.published == date(2024, 3, 1)
    assert first.dateline == "ROTTERDAM"  # from "ROTTERDAM, March 1 -"
    assert first.url == "https://example.com/w-1"
    # A hard-wrapped line joins its paragraph; an indented line starts a new one.
    assert first.paragraphs == (
        "The port reopened on Friday after a three-day strike by dock workers.",
        "Unions said talks would continue next week.",
    )
    assert second.source == "wire.jsonl#4"  # no id: the line number
    assert second.published == date(2024, 3, 2)  # an aware datetime keeps its own date
    assert second.paragraphs == ("The airline said it would add five routes.", "The first flights start in May.")


def test_jsonl_gz_fixture() -> None:
    articles, problems = read_file(FIXTURES / "wire_archive.jsonl.gz", FIXTURES)
    assert problems == []
    assert [(a.source, a.published) for a in articles] == [
        ("wire_archive.jsonl.gz#7", date(2024, 4, 10)),
        ("wire_archive.jsonl.gz#8", date(2024, 4, 11)),
    ]


def test_binary_file() -> None:
    assert read_file(FIXTURES / "binary.txt", FIXTURES) == ([], [Problem("binary.txt", "binary file")])


# --- edge cases in tmp_path -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not JSON: Expecting value"),
        ("[1, 2]", "not a JSON object"),
        ('{"text": "Body."}', "missing or empty 'title'"),
        ('{"title": " ", "text": "Body."}', "missing or empty 'title'"),
        ('{"title": "T"}', "missing 'text'"),
        ('{"title": "T", "text": "  \\n "}', "empty 'text'"),
    ],
)
def test_jsonl_bad_lines(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"title": "Good", "text": "Fine body.", "published": "2024-01-01T10:00:00"})
    path = _write(tmp_path / "feed.jsonl", f"{good}\n\n{line}\n{good.replace('Good', 'Also good')}\n")
    articles, problems = read_file(path, tmp_path)
    assert problems == [Problem("feed.jsonl", reason, line=3)]
    assert [(a.title, a.source) for a in articles] == [("Good", "feed.jsonl#1"), ("Also good", "feed.jsonl#4")]


@pytest.mark.parametrize(
    ("published", "read"),
    [
        ("2024-02-30", None),
        ("last week", None),
        (20240101, None),
        # A placeholder year: "yesterday" read back from it would leave the calendar.
        ("0001-01-01", None),
        ("9999-12-31T23:59:59", None),
        # Forms fromisoformat and the date lines read.
        ("20251103", date(2025, 11, 3)),
        ("2025-11-03T09:30:00+05:00", date(2025, 11, 3)),
        ("3 November 2025", date(2025, 11, 3)),
    ],
)
def test_jsonl_bad_published_dates_leave_the_article_undated_and_say_so(tmp_path: Path, published: object, read: date | None) -> None:
    line = json.dumps({"title": "T", "text": "Body.", "published": published})
    [article], problems = read_file(_write(tmp_path / "feed.jsonl", line + "\n"), tmp_path)
    assert article.published == read
    assert problems == ([] if read else [Problem("feed.jsonl", f"bad 'published' date: {published!r}; article read without a date", line=1)])


def test_jsonl_duplicate_id(tmp_path: Path) -> None:
    line = json.dumps({"id": "a", "title": "T", "text": "Body."})
    articles, problems = read_file(_write(tmp_path / "f.jsonl", f"{line}\n{line}\n"), tmp_path)
    assert len(articles) == 1
    assert problems == [Problem("f.jsonl", "duplicate id 'a'", line=2)]


def test_truncated_gzip_keeps_lines_before_the_break(tmp_path: Path) -> None:
    lines = [json.dumps({"id": n, "title": f"T{n}", "text": f"Body {n}. " * 50}) for n in range(200)]
    whole = gzip.compress("\n".join(lines).encode())
    path = _write(tmp_path / "cut.jsonl.gz", whole[: len(whole) // 2])
    articles, problems = read_file(path, tmp_path)
    assert problems == [Problem("cut.jsonl.gz", "truncated or corrupt gzip; lines before the break were read")]
    assert 0 < len(articles) < 200
    assert [a.title for a in articles] == [f"T{n}" for n in range(len(articles))]


def test_not_gzip_at_all(tmp_path: Path) -> None:
    articles, problems = read_file(_write(tmp_path / "fake.jsonl.gz", "plain text\n"), tmp_path)
    assert articles == []
    assert [p.reason for p in problems] == ["truncated or corrupt gzip; lines before the break were read"]


@pytest.mark.parametrize("content", ["", "  \n\n\t\n", "\ufeff"])
def test_empty_file_is_a_problem(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path / "empty.txt", content)
    assert read_file(path, tmp_path) == ([], [Problem("empty.txt", "empty file")])


def test_title_without_body_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.txt", "Just a title\n\n")
    assert read_file(path, tmp_path) == ([], [Problem("t.txt", "no body text under the title")])


def test_utf8_bom_crlf_and_cp1252(tmp_path: Path) -> None:
    bom = _write(tmp_path / "bom.txt", "\ufeffTitle\r\n\r\nBody “quoted” here.\r\n".encode())
    [article], _ = read_file(bom, tmp_path)
    assert (article.title, article.paragraphs) == ("Title", ("Body “quoted” here.",))
    cp = _write(tmp_path / "cp.txt", "Title\n\nIt cost €5 – “cheap”.\n".encode("cp1252"))
    [article], _ = read_file(cp, tmp_path)
    assert article.paragraphs == ("It cost €5 – “cheap”.",)


def test_a_stray_byte_in_a_utf8_file_is_replaced_and_said_not_the_whole_file_misread(tmp_path: Path) -> None:
    text = "Title\n\nThe minister’s “plan” was agreed.\nCopyright © Arab News\n".encode().replace("©".encode(), b"\xa9")
    [article], problems = read_file(_write(tmp_path / "stray.txt", text), tmp_path)
    assert article.paragraphs == ("The minister’s “plan” was agreed. Copyright \ufffd Arab News",)  # no "â€™"
    assert problems == [Problem("stray.txt", "not UTF-8 in 1 place, read as \ufffd", 4)]
    _, problems = read_file(_write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + text), tmp_path)
    assert problems == [Problem("bom.txt", "not UTF-8 in 1 place, read as \ufffd", 4)]  # the same line after a BOM


@pytest.mark.parametrize(
    ("data", "title", "paragraph", "problem"),
    [
        # t1's file: one valid "é" and one stray "©" byte, a tie the old count of valid against bad lost.
        (b"No BOM one stray\nDate: 5 May 2025\n\nThe caf\xc3\xa9 in Rome shows a \xa9 sign.\n",
         "No BOM one stray", "The café in Rome shows a \ufffd sign.", ("not UTF-8 in 1 place, read as \ufffd", 4)),
        # A UTF-8 BOM is UTF-8 always, even with no other valid character: it never reaches the title.
        (b"\xef\xbb\xbfBOM one stray\n\nA \xa9 sign on the wall.\n",
         "BOM one stray", "A \ufffd sign on the wall.", ("not UTF-8 in 1 place, read as \ufffd", 3)),
        # Stray bytes outnumbering the valid characters still leave a UTF-8 file UTF-8.
        (b"Title\n\nThe caf\xc3\xa9 sign \xa9 \xae \xa9.\n",
         "Title", "The café sign \ufffd \ufffd \ufffd.", ("not UTF-8 in 3 places, read as \ufffd", 3)),
        # A cp1252 file: é, €, £ and curly quotes as single bytes, no valid UTF-8 sequence among them.
        ("Café news\n\nIt cost €5, or £4 – “cheap”, she said’s.\n".encode("cp1252"),
         "Café news", "It cost €5, or £4 – “cheap”, she said’s.", None),
        # An accented capital before a curly quote ("É”", \xc9\x94) is valid UTF-8 by chance: one such among
        # more bad bytes leaves the file cp1252.
        ("ÉTÉ résumé\n\nNaïve “ÉTÉ” café.\n".encode("cp1252"), "ÉTÉ résumé", "Naïve “ÉTÉ” café.", None),
        # Cyrillic in UTF-8 (two-byte sequences cp1252 could hold) outnumbering one stray byte stays UTF-8.
        ("Новости\n\nМэр сказал: да.\n".encode() + b"\xa9\n", "Новости", "Мэр сказал: да. \ufffd",
         ("not UTF-8 in 1 place, read as \ufffd", 4)),
    ],
)
def test_a_utf8_file_stays_utf8_and_a_cp1252_file_stays_cp1252(
    tmp_path: Path, data: bytes, title: str, paragraph: str, problem: tuple | None
) -> None:
    [article], problems = read_file(_write(tmp_path / "a.txt", data), tmp_path)
    assert (article.title, article.paragraphs) == (title, (paragraph,))
    assert problems == ([Problem("a.txt", *problem)] if problem else [])


def test_pasted_format_variants(tmp_path: Path) -> None:
    text = (
        "Intro line nobody wants\n\n"
        "First title\nShort Url\nUpdated 21 May 2025 14:05\nFollow\nFirst title\n\n"
        "MUZAFFARABAD (Reuters) - Body one.\n\n(With inputs from Reuters and AFP)\n\n"
        "Second title\nPublished 1 Sept 2024\nUpdated 2 September 2024\n\nBody two.\n\n"
        "Third title\n\nUpdated 31 February 2025\n\nBody three.\n"
    )
    articles, problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert [(a.title, a.published, a.paragraphs) for a in articles] == [
        ("First title", date(2025, 5, 21), ("Body one.",)),
        ("Second title", date(2024, 9, 1), ("Body two.",)),  # "Published" wins over "Updated"
        ("Third title", None, ("Body three.",)),
    ]
    assert articles[0].dateline == "MUZAFFARABAD"
    assert problems == [
        Problem("paste.txt", "text before the first article was ignored", line=1),
        Problem("paste.txt", "unreadable date 'Updated 31 February 2025'; article read without a date", line=21),
    ]


def test_pasted_articles_are_headed_by_any_date_line_form(tmp_path: Path) -> None:
    # The reader of date lines is the one `published.parse_date_line`: a second article dated otherwise is no part of the first.
    text = (
        "Pakistan and Afghanistan agree to upgrade ties\n\nShort Url\nUpdated 21 May 2025\nFollow\n\n"
        "ISLAMABAD: Pakistan and Afghanistan plan to upgrade diplomatic ties, Beijing said on Wednesday.\n\n"
        "With inputs from local residents, police identified the suspect within hours.\n\n"
        "(With inputs from Reuters, AP and Arab News)\n\n\n"
        "Floods kill dozens in Karachi\nBy Jane Doe\n\nShort Url\nUpdated May 22, 2025 at 14:05\nFollow\n\n"
        "KARACHI: Heavy floods killed dozens of people in Karachi on Monday, officials said.\n\n"
        "Third story\n\nLast Updated 2025-05-23\n\nBody three.\n"
    )
    articles, problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert [(a.title, a.published, a.paragraphs) for a in articles] == [
        ("Pakistan and Afghanistan agree to upgrade ties", date(2025, 5, 21), (
            "Pakistan and Afghanistan plan to upgrade diplomatic ties, Beijing said on Wednesday.",
            "With inputs from local residents, police identified the suspect within hours.",  # a sentence, no credit
        )),
        ("Floods kill dozens in Karachi", date(2025, 5, 22), (  # the byline is not the title
            "Heavy floods killed dozens of people in Karachi on Monday, officials said.",
        )),
        ("Third story", date(2025, 5, 23), ("Body three.",)),
    ]  # fmt: skip
    assert problems == []


def test_a_plain_file_with_a_published_line_keeps_its_wrapped_lines_together(tmp_path: Path) -> None:
    # One date line, of whatever label, makes no pasted file (and a pasted file would not keep "Updated: 3 dead...").
    text = (
        "Council approves new bridge over the river\nPublished: 2025-11-03\n\n"
        "WESTHAVEN (Reuters) - The city council approved a new bridge over the\nriver on Monday, officials\nsaid.\n\n"
        "Updated: 3 dead, 12 injured\n"
    )
    [article], problems = read_file(_write(tmp_path / "bridge.txt", text), tmp_path)
    assert (article.published, article.dateline, problems) == (date(2025, 11, 3), "WESTHAVEN", [])
    assert article.paragraphs == (
        "The city council approved a new bridge over the river on Monday, officials said.", "Updated: 3 dead, 12 injured",
    )


def test_pasted_heads_and_credits_that_only_look_like_them(tmp_path: Path) -> None:
    slashes = "With inputs from " + "/".join(["AFP"] * 40) + ":"  # no credit (the colon), and cut one way only
    text = (
        "Floods kill dozens in Karachi\n\nShort Url\nUpdated 21 May 2025\nFollow\n\n"
        f"KARACHI: Heavy floods killed dozens of people on Monday.\n\n{slashes}\n\nRescue teams worked through the night.\n\n"
        "By The Numbers: Pakistan's 2025 Budget\n\nShort Url\nUpdated 22 May 2025\nFollow\n\n"
        "The government unveiled its budget on Tuesday.\n"
    )
    articles, problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert [(a.title, a.paragraphs) for a in articles] == [
        ("Floods kill dozens in Karachi", ("Heavy floods killed dozens of people on Monday.", slashes, "Rescue teams worked through the night.")),
        ("By The Numbers: Pakistan's 2025 Budget", ("The government unveiled its budget on Tuesday.",)),  # a headline, no byline
    ]  # fmt: skip
    assert problems == []


@pytest.mark.parametrize(
    "byline",
    ["By Jane Doe", "By Jane Doe, Riyadh Bureau Chief, Arab News", "By Jane Doe in Riyadh", "By Jane Doe | Arab News",
     "By Jane Doe \u2013 Special to Arab News", "By Dr. Ana Reyes"],
)
def test_a_byline_above_a_pasted_date_line_is_no_title(tmp_path: Path, byline: str) -> None:
    text = f"Floods kill dozens in Karachi\n{byline}\nShort Url\nUpdated 21 May 2025\nFollow\n\nKARACHI: Heavy floods killed dozens.\n"
    [article], problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert (article.title, article.paragraphs, problems) == ("Floods kill dozens in Karachi", ("Heavy floods killed dozens.",), [])


def test_one_pasted_article_without_the_sites_boilerplate_is_still_pasted(tmp_path: Path) -> None:
    text = (
        "Floods kill dozens in Karachi\nRescuers search a flooded street in Karachi on Monday. (AFP)\nUpdated 21 May 2025\n\n"
        "\u2022 Army called in\n\nKARACHI: Heavy floods killed dozens of people on Monday.\n\nWith inputs from AFP\n"
    )
    [article], problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert (article.title, article.caption, article.highlights, article.dateline, article.paragraphs, problems) == (
        "Floods kill dozens in Karachi", "Rescuers search a flooded street in Karachi on Monday.", ("Army called in",),
        "KARACHI", ("Heavy floods killed dozens of people on Monday.",), [],
    )


def test_a_date_line_under_body_text_in_a_pasted_article_heads_nothing(tmp_path: Path) -> None:
    text = (
        "Floods kill dozens\nShort Url\nUpdated 21 May 2025\nFollow\n\nKARACHI: Heavy floods killed dozens on Monday.\n\n"
        "The last such flood was reported decades ago.\n\nPublished 1 May 1990\n\nRescuers worked through the night.\n"
    )
    [article], problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert (article.published, problems) == (date(2025, 5, 21), [])
    assert article.paragraphs == (
        "Heavy floods killed dozens on Monday.", "The last such flood was reported decades ago.", "Rescuers worked through the night.",
    )


def test_a_pasted_caption_without_a_credit_is_still_no_title(tmp_path: Path) -> None:
    text = (
        "Minister resigns over budget row\nThe minister leaves parliament after the vote on Tuesday.\n"
        "Short Url\nUpdated 21 May 2025\nFollow\n\nISLAMABAD: The finance minister resigned on Tuesday.\n"
    )
    [article], problems = read_file(_write(tmp_path / "paste.txt", text), tmp_path)
    assert (article.title, article.caption, problems) == (
        "Minister resigns over budget row", "The minister leaves parliament after the vote on Tuesday.", [],
    )


@pytest.mark.parametrize(
    ("text", "published", "paragraphs", "problem"),
    [
        # Blank lines between the title, a byline and the date line do not put the date line out of reach;
        # the byline is no sentence.
        ("Bridge opens\n\nBy Jane Doe\n\nDate: 3 November 2025\n\nThe new bridge opened.\n",
         date(2025, 11, 3), ("The new bridge opened.",), None),
        ("Updated: 31 February 2025\nBridge opens\n\nThe new bridge opened.\n",  # an unreadable date line above the title
         None, ("The new bridge opened.",), ("unreadable date 'Updated: 31 February 2025'; article read without a date", 1)),
        ("Bridge opens\nUpdated 21 May 2025\nPublished 20 May 2025\n\nThe new bridge opened.\n",  # first published
         date(2025, 5, 20), ("The new bridge opened.",), None),
        # An "Updated" line inside the text heads no second article (no headline above it).
        ("Bridge opens\nPublished 3 November 2025\n\nThe new bridge opened.\n\nUpdated 4 November 2025\n\nWork starts in May.\n",
         date(2025, 11, 3), ("The new bridge opened.", "Work starts in May."), None),
        # A date line that cannot be read is said, and not quoted.
        ("Bridge opens\nDate: 31 February 2025\n\nThe new bridge opened.\n",
         None, ("The new bridge opened.",), ("unreadable date 'Date: 31 February 2025'; article read without a date", 2)),
        ("\n\nBridge opens\nPublished 0001-01-01\n\nThe new bridge opened.\n",
         None, ("The new bridge opened.",), ("unreadable date 'Published 0001-01-01'; article read without a date", 4)),
        # An "Updated" line under the text makes no pasted file of a plain one, and is no sentence.
        ("Bridge opens\nDate: 3 November 2025\n\nThe new bridge opened.\n\nThe mayor cut the ribbon.\n\n"
         "Updated 4 November 2025\n", date(2025, 11, 3), ("The new bridge opened.", "The mayor cut the ribbon."), None),
        ("Bridge opens\nUpdated figures show 3 dead.\n\nThe new bridge opened.\n",
         None, ("Updated figures show 3 dead.", "The new bridge opened."), None),
    ],
)
def test_plain_file_date_lines(tmp_path: Path, text: str, published: date | None, paragraphs: tuple, problem: tuple | None) -> None:
    [article], problems = read_file(_write(tmp_path / "bridge.txt", text), tmp_path)
    assert (article.title, article.published, article.paragraphs) == ("Bridge opens", published, paragraphs)
    assert problems == ([Problem("bridge.txt", problem[0], line=problem[1])] if problem else [])


def test_corpus_files_nested_hidden_and_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(root / "a.txt", "A\n\nBody.")
    _write(root / "sub" / "b.jsonl", "")
    _write(root / "sub" / "c.jsonl.gz", b"")
    _write(root / ".git" / "d.txt", "hidden")
    _write(root / "sub" / ".e.txt", "hidden")
    _write(root / "f.json", "{}")
    outside = _write(tmp_path / "outside.txt", "Secret\n\nBody.")
    os.symlink(outside, root / "escape.txt")
    os.symlink(root / "a.txt", root / "inside.txt")
    names = [p.relative_to(root).as_posix() for p in corpus_files(root)]
    assert names == ["a.txt", "inside.txt", "sub/b.jsonl", "sub/c.jsonl.gz"]


def test_read_articles_needs_a_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        read_articles(tmp_path / "missing")
    with pytest.raises(CorpusError):
        read_articles(_write(tmp_path / "file.txt", "x"))


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".md", ".jsonl", ".jsonl.gz")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a \u00a0 b\u202fc\n\td  ", "a b c d"),
        ("zero\u200bwidth\u2060joined\ufeff", "zerowidthjoined"),
        ("soft\u00adhyphen", "softhyphen"),
        ("cafe\u0301", "café"),  # NFC
        ("“curly” ‘quotes’ stay", "“curly” ‘quotes’ stay"),
        ("", ""),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


# --- the real data sets, when present -----------------------------------------------------


def test_real_bbc_folder() -> None:
    bbc = SHARED_DATA / "bbc"
    if not bbc.is_dir():
        pytest.skip("shared BBC data not present")
    articles, problems = read_articles(bbc)
    assert problems == []
    in_categories = [a for a in articles if "/" in a.source]
    assert len(in_categories) == 2225  # every NNN.txt; the folder's README.TXT is read as one more
    assert all(a.paragraphs and a.title and a.published is None for a in in_categories)
    [mutu] = [a for a in articles if a.source == "sport/199.txt"]  # the one Latin-1 file
    assert "£15.8m" in mutu.paragraphs[1]


def test_real_reuters_file() -> None:
    reuters = SHARED_DATA / "reuters21578.jsonl.gz"
    if not reuters.is_file():
        pytest.skip("shared Reuters data not present")
    articles, problems = read_file(reuters, reuters.parent)
    assert problems == []
    assert len(articles) == 19043
    first = articles[0]
    assert (first.source, first.title, first.published, first.dateline) == (
        "reuters21578.jsonl.gz#reuters-1", "BAHIA COCOA REVIEW", date(1987, 2, 26), "SALVADOR",
    )
    assert first.paragraphs[1] == "The dry period means the temporao will be late this year."


def test_json_control_characters_and_lone_surrogates(tmp_path: Path) -> None:
    from newsbot.index import load

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "w.jsonl").write_text(
        '{"id": 1, "title": "Nul", "text": "Alpha \\u0000 beta rose. Gamma fell."}\n'
        '{"id": 2, "title": "Bad", "text": "Broken \\ud800 text."}\n'
        '{"id": 3, "title": "Oil", "text": "Oil price rise hit markets."}\n'
        '{"id": "a\\udc00", "title": "Bad id", "text": "Kept text."}\n'
        '{"id": 5, "title": "Bad url", "text": "Kept text.", "url": "https://example.com/\\ud800"}\n'
    )
    articles, problems = read_file(corpus / "w.jsonl", corpus)
    assert [a.title for a in articles] == ["Nul", "Oil"]
    assert articles[0].paragraphs == ("Alpha beta rose. Gamma fell.",)
    assert [(p.line, p.reason) for p in problems] == [
        (2, "invalid Unicode in 'text' (a lone surrogate escape)"),
        (4, "invalid Unicode in 'id' (a lone surrogate escape)"),
        (5, "invalid Unicode in 'url' (a lone surrogate escape)"),
    ]
    engine = load(corpus, tmp_path / "index")
    assert engine.answer("what happened to the oil price?").quotes[0].text == "Oil price rise hit markets."
    assert engine.answer("what did gamma do?").quotes[0].text == "Gamma fell."


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("Bridge deal signed\nDate: 3 November 2025\n", date(2025, 11, 3)),
        ("Bridge deal signed\n\nPublished 2025-11-03\n", date(2025, 11, 3)),
        ("Bridge deal signed\nBy Jane Doe\nNovember 3, 2025\n", date(2025, 11, 3)),
        ("Bridge deal signed\nPosted: Monday, 3 November 2025 14:32 GMT\n", date(2025, 11, 3)),
        ("November 3, 2025\nBridge deal signed\n", date(2025, 11, 3)),
        ("Bridge deal signed\n", None),
    ],
)
def test_plain_file_date_line_dates_the_article_and_leaves_the_body(tmp_path: Path, head: str, published: date | None) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(head + "\nThe council signed the contract on Monday.\n\nWork starts in May.\n", encoding="utf-8")
    [article], problems = read_file(path, tmp_path)
    assert problems == [] and article.title == "Bridge deal signed" and article.published == published
    assert article.paragraphs[-2:] == ("The council signed the contract on Monday.", "Work starts in May.")


def test_symlink_loops_and_dangling_links_are_skipped_entries(tmp_path: Path) -> None:
    from newsbot.index.reading.articles import corpus_files
    from newsbot.index.models import Problem

    (tmp_path / "real.txt").write_text("Title\n\nBody text here.\n", encoding="utf-8")
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    problems: list[Problem] = []
    assert [p.name for p in corpus_files(tmp_path, problems)] == ["real.txt"]
    assert sorted(map(str, problems)) == [
        "a.txt: symlink loop", "b.txt: symlink loop", "gone.txt: symlink to nothing", "self.txt: symlink loop",
    ]


def test_problems_of_one_file_are_capped_and_the_rest_counted(tmp_path: Path) -> None:
    path = tmp_path / "junk.jsonl.gz"
    path.write_bytes(gzip.compress(b"{}\n" * 100_000))
    articles, problems = read_file(path, tmp_path)
    assert articles == [] and len(problems) == 21
    assert str(problems[-1]) == "junk.jsonl.gz: 99,980 more problems like these"


def test_a_nul_byte_spoils_one_json_line_only(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(n), "title": f"T{n}", "text": "Body."}) for n in range(1000)]
    lines[500] = lines[500].replace("Body.", "Bo\x00dy.")  # a raw NUL byte, not JSON's escape
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, problems = read_file(path, tmp_path)
    assert len(articles) == 999 and [(p.line, p.reason) for p in problems] == [(501, "a NUL byte in the line")]


def test_a_gzip_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    from newsbot.index.models import IndexConfig

    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b" " * 50_000_000))  # 50 MB of spaces in about 50 kB
    articles, problems = read_file(path, tmp_path, IndexConfig(max_file_bytes=1_000_000))
    assert articles == [] and "larger than 1,000,000 bytes once decompressed" in problems[0].reason


def test_articles_over_the_article_limit_are_skipped(tmp_path: Path) -> None:
    from newsbot.index.models import IndexConfig

    config = IndexConfig(max_article_bytes=1_000)
    wire = tmp_path / "wire.jsonl"
    wire.write_text(json.dumps({"id": "big", "title": "Big", "text": "word " * 500}) + "\n"
                    + json.dumps({"id": "small", "title": "Small", "text": "A short story."}) + "\n", encoding="utf-8")
    articles, problems = read_file(wire, tmp_path, config)
    assert [a.title for a in articles] == ["Small"] and problems[0].line == 1
    plain = tmp_path / "huge.txt"
    plain.write_text("Huge\n\n" + "word " * 500, encoding="utf-8")
    assert read_file(plain, tmp_path, config)[0] == []
    # One unit for one setting: a line of 600 characters but 1,200 bytes is over 1,000 bytes, as a file would be.
    accents = tmp_path / "accents.jsonl"
    accents.write_text(json.dumps({"id": "e", "title": "E", "text": "é" * 580}, ensure_ascii=False) + "\n", encoding="utf-8")
    articles, problems = read_file(accents, tmp_path, config)
    assert articles == [] and "over 1,000 bytes (NEWSBOT_MAX_ARTICLE_BYTES)" in problems[0].reason


# --- lists, subheadings and credits: one rule (index.reading.text) for plain, pasted and Markdown files -------------

_BODY = (
    "The Green Party won the Northfield by-election on Thursday.\n\n"
    "The results were:\n{mark}Green (Maria Lopez): 12,408\n{mark}Labour (Peter Grant): 10,951\n\n"
    "Reaction\n\n"
    "He resigned.\n\n"
    "Photo: Reuters\n"
)
_PARAGRAPHS = (
    "The Green Party won the Northfield by-election on Thursday.", "The results were:",
    "Green (Maria Lopez): 12,408", "Labour (Peter Grant): 10,951", "He resigned.",
)  # fmt: skip


@pytest.mark.parametrize("mark", ["- ", "* ", "• ", "+ "])
@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("plain.txt", "Greens win Northfield\nDate: 7 November 2025\n\n"),
        ("pasted.txt", "Greens win Northfield\n\nShort Url\nUpdated 7 November 2025\nFollow\n\nGreens win Northfield\n\n"),
        ("story.md", "# Greens win Northfield\n\nDate: 7 November 2025\n\n"),
    ],
)
def test_list_items_stand_alone_and_subheadings_and_credits_are_left_out_in_every_reader(
    tmp_path: Path, name: str, head: str, mark: str
) -> None:
    [article], problems = read_file(_write(tmp_path / name, head + _BODY.format(mark=mark)), tmp_path)
    assert (article.title, article.published, problems) == ("Greens win Northfield", date(2025, 11, 7), [])
    assert article.paragraphs == _PARAGRAPHS


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        # Numbered items, under a colon or numbered one after another.
        ("Top scorers:\n1. Kane 20\n2. Salah 18", ["Top scorers:", "Kane 20", "Salah 18"]),
        ("The plan has two steps\n2) Build 3) no\n3) Test it", ["The plan has two steps", "Build 3) no", "Test it"]),
        # A hard-wrapped line that starts with a day's number or a dash once is no item.
        ("The bank met on March\n13. It said rates would rise in\n- a move many expected.",
         ["The bank met on March 13. It said rates would rise in - a move many expected."]),
        ("Prices:\n1. Apples 3\n2. Pears 4\nseen on March\n13. The bank said so.",
         ["Prices:", "Apples 3", "Pears 4 seen on March 13. The bank said so."]),
        # A formula's number wrapped onto a line ("(O" / "3) is"), or leading a paragraph, keeps its text.
        ("Dioxygen (O\n2) is stable.\nTrioxygen (O\n3) is usually known as ozone.",
         ["Dioxygen (O 2) is stable. Trioxygen (O 3) is usually known as ozone."]),
        ("Solvents include acetone, methanol, ethanol, isopropanol, furan, diethyl ether and ethyl acetate. Acetone ((CH\n"
         "3)\n2CO) is a feeder material.", [
             "Solvents include acetone, methanol, ethanol, isopropanol, furan, diethyl ether and ethyl acetate. Acetone ((CH",
             "3) 2CO) is a feeder material."]),
        # Items under a first one set at another indent, as BBC text has them.
        ("- Spending on health rose\n - Spending on schools rose", ["Spending on health rose", "Spending on schools rose"]),
        # A lone paragraph led by a dash, with no list around it, keeps the dash.
        ("He spoke.\n\n - For the survey, 1,324 bosses were asked.", ["He spoke.", "- For the survey, 1,324 bosses were asked."]),
        # A wrapped item's next line starting with "- " beside indented items is no item of its own.
        (" - Barges bid 135 pct/140\noffered - up five.\n - Next week 120 pct/127\n- no comparison.",
         ["Barges bid 135 pct/140 offered - up five.", "Next week 120 pct/127 - no comparison."]),
        # Credits end a paragraph and are left out; short sentences and list items stay; headings go.
        ("The minister resigned.\nPhotograph: Jane Doe/Getty Images\nWith inputs from Reuters",
         ["The minister resigned."]),
        ("What next\n\nHe resigned.\n\nNo.\n\n- Green\n- Labour\n\nREUTER", ["He resigned.", "No.", "Green", "Labour"]),
        ("Reaction from the opposition\n\nTalks resumed in 2025\n\nYes, he did", [
            "Reaction from the opposition", "Talks resumed in 2025", "Yes, he did"]),
        # A text of short lines only heads nothing: it is the text (a Reuters item whose whole text is "New York").
        ("New York", ["New York"]),
    ],
)
def test_split_paragraphs_list_items_credits_and_subheadings(text: str, paragraphs: list[str]) -> None:
    assert split_paragraphs(text) == paragraphs


@pytest.mark.parametrize(
    "text",
    [
        "Photo: Reuters\n\nHe resigned today after a long row.",
        "Reaction\n\nHe resigned today after a long row.\n\nPhotograph: Jane Doe/Getty Images",
        "New York",
        "He said so.\n\n(With inputs from AFP)",
        "He spoke.\n\nWhat next\n\nMore words here.",
        "Shr 1.35 dlrs vs two dlrs\n\nNet 16.93 mln vs 5.47 mln\n\nRevs 2.3 mln vs 2.0 mln",
        "With inputs from Reuters, AP and Arab News agencies today\n\nHe spoke.",
    ],
)
def test_clean_text_is_cut_as_the_long_way_cuts_it(text: str) -> None:
    # Clean text (one line a paragraph) takes a fast path; it must leave out what the long way leaves out.
    from newsbot.index.reading.text import _clean_paragraphs, _paragraphs

    assert _clean_paragraphs(text) is not None and _clean_paragraphs(text) == _paragraphs(text)
