"""Tests for the Discord renderers (discord_render, discord_lists, discord_text): limits, escaping, what an answer says."""

from __future__ import annotations

from datetime import date

import discord
import pytest

from newsbot.bot.discord_lists import (
    FEEDS_PER_PAGE,
    SOURCES_PER_PAGE,
    feed_pages,
    render_failure,
    render_feeds,
    render_report,
    render_sources_embed,
    render_sources_text,
    render_stats_embed,
    render_stats_text,
    source_pages,
)
from newsbot.bot.discord_render import ARTICLE_GONE, NO_ANSWER, render_answer_embed, render_answer_text, render_passages
from newsbot.bot.discord_text import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
)
from newsbot.bot.discord_state import ShownQuote
from newsbot.index import FeedInfo, IndexBusyError, QuestionError, SourceError, UnknownSourceError
from newsbot.index.models import (
    Answer,
    ArticleRef,
    EventDate,
    IndexStats,
    Problem,
    QuestionKind,
    Quote,
    RefreshReport,
    SourceInfo,
)

ARTICLE = ArticleRef("Ties upgraded", date(2025, 5, 21), "arab_news.txt", "https://example.com/ties")


def quote(text: str = "Islamabad and Kabul agreed to send ambassadors.", **changes: object) -> Quote:
    values: dict[str, object] = {"text": text, "article": ARTICLE, "event_date": None, "score": 1.0}
    values.update(changes)
    return Quote(**values)  # type: ignore[arg-type]


def assert_embed_fits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= EMBED_TITLE_LIMIT
    assert len(embed.description or "") <= EMBED_DESCRIPTION_LIMIT
    for field in embed.fields:
        assert len(field.name or "") <= 256 and len(field.value or "") <= EMBED_FIELD_VALUE_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT


def test_answer_embed_quotes_with_title_dates_and_linked_source() -> None:
    answer = Answer("when?", QuestionKind.OTHER, (quote(event_date=EventDate(2025, 5)),))
    embed = render_answer_embed(answer)
    assert embed.description is not None
    assert embed.description.startswith("> Islamabad and Kabul agreed to send ambassadors.\n")
    assert "**Ties upgraded**" in embed.description
    assert "published 21 May 2025" in embed.description
    assert "about May 2025" in embed.description
    assert "[arab\\_news.txt](<https://example.com/ties>)" in embed.description


def test_when_answer_leads_with_the_event_date() -> None:
    answer = Answer("when were ambassadors agreed?", QuestionKind.WHEN, (quote(event_date=EventDate(2025, 5, 20)),))
    assert render_answer_embed(answer).description.startswith("**20 May 2025**\n\n> ")
    assert render_answer_text(answer).startswith("**20 May 2025**\n\n> ")


def test_when_answer_without_event_date_falls_back_to_published() -> None:
    answer = Answer("when?", QuestionKind.WHEN, (quote(),))
    assert "published **21 May 2025**" in render_answer_text(answer).split("\n")[0]


@pytest.mark.parametrize("render", [lambda a: render_answer_embed(a).description, render_answer_text])
def test_no_answer_is_said_plainly(render) -> None:
    assert render(Answer("who?", QuestionKind.WHO)) == NO_ANSWER


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("**bold** and _it_", "**bold**"),
        ("a `code` span", "`code`"),
        ("||spoiler||", "||spoiler||"),
        ("~~gone~~", "~~gone~~"),
    ],
)
def test_quoted_markdown_is_escaped(text: str, raw: str) -> None:
    rendered = render_answer_text(Answer("q", QuestionKind.OTHER, (quote(text),)))
    assert raw not in rendered


def test_quote_with_newlines_stays_inside_one_block_quote() -> None:
    rendered = render_answer_text(Answer("q", QuestionKind.OTHER, (quote("first line\n# heading\n> nested"),)))
    assert rendered.split("\n")[0] == "> first line # heading > nested"  # mid-line: plain text


def test_unsafe_url_is_not_made_a_link() -> None:
    ref = ArticleRef("T", None, "x.txt", "javascript:alert(1)")
    rendered = render_answer_text(Answer("q", QuestionKind.OTHER, (quote(article=ref),)))
    assert "javascript" not in rendered and "undated" in rendered


def test_long_answer_is_cut_at_quote_boundaries_with_a_note() -> None:
    quotes = tuple(quote(f"Sentence {n} " + "word " * 200) for n in range(20))
    answer = Answer("q" * 1000, QuestionKind.WHEN, quotes)
    embed = render_answer_embed(answer)
    assert_embed_fits(embed)
    assert embed.description.rstrip().endswith("more not shown (Discord's length limit).*")
    text = render_answer_text(answer)
    assert len(text) <= CONTENT_LIMIT
    assert "more not shown" in text
    # Whole quotes only: every quote shown is followed by its article line.
    assert text.count("> Sentence") == text.count("— **Ties upgraded**")


def test_one_huge_quote_is_cut_but_keeps_its_article() -> None:
    answer = Answer("q", QuestionKind.OTHER, (quote("x" * 10_000),))
    text = render_answer_text(answer)
    assert len(text) <= CONTENT_LIMIT
    assert "— **Ties upgraded**" in text and "…" in text


def test_sources_are_paged_within_limits() -> None:
    sources = [
        SourceInfo("Title " + "long " * 100 + str(n), date(2025, 1, 1 + n % 28), f"file{n}.txt", None, 3)
        for n in range(35)
    ]
    assert source_pages(sources) == 4
    embed = render_sources_embed(sources, page=2)
    assert_embed_fits(embed)
    assert embed.description.count("\n") == SOURCES_PER_PAGE - 1
    assert "Page 2 of 4 · 35 articles" in embed.footer.text
    text = render_sources_text(sources, page=99)  # clamped to the last page
    assert len(text) <= CONTENT_LIMIT and "Page 4 of 4" in text


def test_no_sources() -> None:
    assert render_sources_text([]) == "No articles are indexed."


def test_stats_render_counts_and_skipped_files() -> None:
    stats = IndexStats(2, 21, 351, 1, 26_646, "2025-05-21T10:00:00+00:00", (Problem("bad.txt", "binary file"),))
    embed = render_stats_embed(stats)
    assert_embed_fits(embed)
    values = {field.name: field.value for field in embed.fields}
    assert values["Articles"] == "2" and values["Passages"] == "21" and values["On disk"] == "26.0 KB"
    assert "bad.txt: binary file" in values["Skipped"]
    assert "**Last refresh:** 2025-05-21T10:00:00+00:00" in render_stats_text(stats)


def test_report_lists_changes_and_skips() -> None:
    report = RefreshReport(
        added=("a.txt",), removed=("b.txt",), skipped=(Problem("c.jsonl", "not JSON", line=3),),
        articles_added=2, articles_removed=1, passages_added=9, passages_removed=4,
    )
    text = render_report(report, action="Refresh")
    assert "Added: `a.txt`" in text and "Removed: `b.txt`" in text
    assert "Articles +2 / -1" in text and "c.jsonl:3: not JSON" in text
    assert render_report(RefreshReport(), action="Refresh") == "Refresh: nothing changed."


def test_report_with_many_files_fits_a_message() -> None:
    report = RefreshReport(added=tuple(f"file-{n:04d}.txt" for n in range(500)))
    assert len(render_report(report, action="Refresh")) <= CONTENT_LIMIT


@pytest.mark.parametrize(
    ("error", "failed", "said"),
    [
        (QuestionError("no searchable word"), None, "I can't search for that: no searchable word."),
        (QuestionError("no searchable word"), "Not added", "I can't search for that: no searchable word."),
        (SourceError("x.txt: not inside the corpus folder"), "Not removed", "Not removed: x.txt: not inside the corpus folder"),
        (UnknownSourceError("x.txt: no such source in the index"), "Not removed",
         "Not removed: x.txt: no such source in the index (see /sources)"),  # Discord's command, not the CLI's
        (IndexBusyError("the index is busy"), None, "That did not work: the index is busy"),
    ],
)
def test_failure_says_why_after_what_failed(error, failed: str | None, said: str) -> None:
    assert render_failure(error, failed) == said


def test_long_failure_fits_a_message() -> None:
    said = render_failure(SourceError("bad " * 1000), "Not added")
    assert said.startswith("Not added: bad") and len(said) <= CONTENT_LIMIT


def test_feeds_are_paged_within_limits() -> None:
    worst = [FeedInfo(f"{n:02d}" + "x" * 62, "https://example.com/" + "long/" * 200 + str(n), "Title " * 100,
                      "2025-06-01T12:00:00.123456+00:00", 1_000_000 + n, "the host said no " * 100) for n in range(12)]  # fmt: skip
    assert feed_pages(worst) == 3
    for page in (1, 2, 3):
        text = render_feeds(worst, page)
        shown = [f for f in worst if f"`{f.name}`" in text]
        assert len(text) <= CONTENT_LIMIT and len(shown) == (FEEDS_PER_PAGE if page < 3 else 2)  # none left out
        assert f"*Page {page} of 3 · 12 feeds · use page: to see more*" in text
    assert render_feeds(worst, page=99) == render_feeds(worst, page=3)  # held to the last page
    few = render_feeds(worst[:1])
    assert few.startswith(f"**Feeds** (1)\n`{worst[0].name}` **Title") and "Page" not in few  # one page needs no note


def shown_quote(text: str, source: str = "wire.txt") -> ShownQuote:
    return ShownQuote(text, source, text)


@pytest.mark.parametrize("count", [1, 2, 5, 12])
def test_passages_show_each_quote_whole_and_trim_the_sentences_around(count: int) -> None:
    around = tuple(f"Context sentence {n} with a *starred* word_here and some more words to fill it up." for n in range(4))
    passages = [(shown_quote(f"Quoted sentence {n} about the **dam**."),
                 (*around[:2], f"Quoted sentence {n} about the **dam**.", *around[2:])) for n in range(count)]  # fmt: skip
    text = render_passages(passages)
    assert len(text) <= CONTENT_LIMIT
    blocks = text.split("\n\n")
    assert len(blocks) == count
    escaped = [s.replace("*", "\\*").replace("_", "\\_") for s in around]
    for n, block in enumerate(blocks):
        before, quote, after = block.removeprefix("wire.txt:\n").split("**")
        assert block.count("**") == 2 and quote == f"Quoted sentence {n} about the \\*\\*dam\\*\\*."
        # Trimmed at the far ends only, at a word: what is left of each side is whole escaped words.
        assert f" {' '.join(escaped[:2])} ".endswith(" " + before.removeprefix("…").lstrip())
        assert f" {' '.join(escaped[2:])} ".startswith(after.removesuffix("…").rstrip() + " ")
    assert ("…" in text) == (count == 12)


def test_passages_show_as_many_whole_quotes_as_fit_and_count_the_rest() -> None:
    quote = "A quoted sentence " + "that goes on " * 40 + "and ends."
    text = render_passages([(shown_quote(quote), ("Before it.", quote, "After it."))] * 4)
    *blocks, note = text.split("\n\n")
    assert len(text) <= CONTENT_LIMIT and note == "*1 more not shown (Discord's length limit).*"
    assert blocks == [f"wire.txt:\nBefore it. **{quote}** After it."] * 3


def test_a_quote_too_long_for_a_message_is_cut_inside_its_bold_and_keeps_some_neighbours() -> None:
    quote = "The festival drew " + ", ".join(f"crowd number {n}" for n in range(300)) + "."
    gone = shown_quote("An older quote.")
    text = render_passages([(shown_quote(quote), ("The council met on Monday.", quote, "Organisers left.")), (gone, None)])
    block, note = text.split("\n\n")
    assert len(text) <= CONTENT_LIMIT and note == "*1 more not shown (Discord's length limit).*"
    assert block.startswith("wire.txt:\nThe council met on Monday. **The festival drew crowd number 0")
    assert block.endswith("…** Organisers left.") and block.count("**") == 2


def test_a_quote_whose_article_is_gone_is_shown_whole() -> None:
    quote = "A quote " + "of many words " * 30 + "that was removed."
    assert render_passages([(shown_quote(quote), None)]) == f"> {quote}\n{ARTICLE_GONE}"
