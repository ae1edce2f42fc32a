"""Read plain-text articles (a ``.txt`` that is not pasted news): the first non-blank line is the title, the rest is the body.

A date line near the title dates the article and a byline under it is left
out: neither is a sentence to quote.
"""

from __future__ import annotations

from newsbot.index.models import Article, Problem
from newsbot.index.reading.text import (
    DATE_LINE_REACH,
    find_date_line,
    is_byline,
    normalise_text,
    split_dateline,
    split_paragraphs,
    unreadable_date,
    without_date_lines,
)

__all__ = ["read_plain"]

# A first line longer than this is no title but an article pasted as one line (headlines run to about 100).
LONGEST_TITLE = 300


def _no_body(source: str, title: str) -> Problem:
    """Say why a plain file gave no article: a title alone, or a whole article pasted as one line."""
    if len(title) > LONGEST_TITLE:
        return Problem(source, f"one line of {len(title):,} characters and nothing under it: put the title on a line of its own, then the text")
    return Problem(source, "no body text under the title")


def read_plain(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read a plain file: title line, an optional date line, then paragraphs."""
    lines = text.strip().split("\n")
    problems = []
    # A date line sits just under the title (or, on some sites, above it), blank lines between or not.
    near = [i for i, line in enumerate(lines) if line.strip()][: DATE_LINE_REACH + 1]
    published, at = find_date_line([normalise_text(lines[i]) for i in near])
    if at is not None:
        if published is None:  # "Date: 31 February 2025" is no sentence either: left out, and said
            stripped = text[: len(text) - len(text.lstrip())].count("\n")  # blank lines before the title
            problems.append(unreadable_date(source, normalise_text(lines[near[at]]), stripped + near[at] + 1))
        del lines[near[at]]
    # A byline under the title ("By Jane Doe") says who wrote it, not what happened.
    under_title = [i for i, line in enumerate(lines) if line.strip()][1 : DATE_LINE_REACH + 1]
    bylines = {i for i in under_title if is_byline(normalise_text(lines[i]))}
    lines = [line for i, line in enumerate(lines) if i not in bylines]
    title, _, body = "\n".join(lines).strip().partition("\n")
    # A date line lower down ("Updated 4 November 2025" under the text) is no sentence either.
    dateline, paragraphs = split_dateline(without_date_lines(split_paragraphs(body)))
    if not paragraphs:
        return [], [_no_body(source, title)]
    article = Article(
        title=normalise_text(title), published=published, source=source,
        paragraphs=tuple(paragraphs), dateline=dateline,
    )
    return [article], problems
