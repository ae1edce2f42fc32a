"""Read Markdown articles: front matter or a first heading for the title, a date line, prose paragraphs.

markdown-it-py parses the Markdown (CommonMark); code blocks, raw HTML,
images and sub-headings are left out, since they are not sentences a
question is answered from. Only the front matter's few plain `key: value`
lines are read here, so no YAML library is needed for a title and a date.
"""

from __future__ import annotations

import re
from datetime import date

from markdown_it import MarkdownIt
from markdown_it.token import Token

from newsbot.index.published import is_labelled_date_line, parse_date_line, parse_published
from newsbot.index.models import Article, Problem
from newsbot.index.reading.text import (
    is_credit,
    is_subheading,
    list_apart,
    list_items,
    normalise_text,
    split_dateline,
    take_date_line,
    unreadable_date,
)

__all__ = ["read_markdown"]

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$", re.MULTILINE)
_DATE_KEYS = ("published", "date")
# Inline pieces that are words of the sentence; images and raw HTML are not.
_TEXT_CHILDREN = {"text", "code_inline"}
_BREAK_CHILDREN = {"softbreak", "hardbreak"}


def read_markdown(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read one article from a .md file in the corpus."""
    fields, text = _front_matter(text)
    title, paragraphs = _blocks(text)
    title = fields.get("title") or title
    published = _front_matter_date(fields)
    found, paragraphs, unreadable = take_date_line(paragraphs)
    published = published or found
    unreadable = unreadable or next((fields[key] for key in _DATE_KEYS if fields.get(key, "").strip()), None)
    problems = [unreadable_date(source, unreadable)] if unreadable and not published else []
    if title is None and paragraphs:
        title = paragraphs.pop(0)  # no heading: the first line is the title, as in plain files
    dateline, paragraphs = split_dateline(paragraphs)
    if not title or not paragraphs:
        return [], [Problem(source, "no title or no body text")]
    url = fields.get("url") or fields.get("link") or None
    article = Article(
        title=title, published=published, source=source, paragraphs=tuple(paragraphs), dateline=dateline, url=url,
    )  # fmt: skip
    return [article], problems


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return the front matter's plain fields (keys lower-cased, quotes off) and the text after it."""
    match = _FRONT_MATTER_RE.match(text.lstrip("\ufeff"))
    if match is None:
        return {}, text
    fields = {m["key"].lower(): m["value"].strip("'\"") for m in _FIELD_RE.finditer(match["body"])}
    return {key: normalise_text(value) for key, value in fields.items() if value}, text[match.end() :]


def _front_matter_date(fields: dict[str, str]) -> date | None:
    """Return the front matter's publication date, or None."""
    for key in _DATE_KEYS:
        if key in fields:
            found = parse_published(fields[key])
            if found is not None:
                return found
    return None


def _blocks(text: str) -> tuple[str | None, list[str]]:
    """Return the first top-level heading and the prose paragraphs (lists and quotes included)."""
    title: str | None = None
    paragraphs: list[str] = []
    tokens = MarkdownIt("commonmark").parse(text)
    for at, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[at - 1]
        lines = _inline_lines(token)
        words = normalise_text(" ".join(lines))
        if not words:
            continue
        if opener.type == "heading_open":
            if title is None and not paragraphs:
                title = words
            continue  # sub-headings are signposts, not sentences
        listed = at >= 2 and tokens[at - 2].type == "list_item_open"
        first = title is None and not paragraphs  # without a heading, the title (see read_markdown)
        if is_credit(words) or not listed and not first and is_subheading(words):
            continue  # as in plain text: "Photo: Reuters", or a "Reaction" line that is no Markdown heading
        if len(lines) > 1 and list_items(lines):
            paragraphs.extend(list_apart(lines))
        else:
            paragraphs.extend(_date_line_apart(lines, words) if len(lines) > 1 else [words])
    return title, paragraphs


def _date_line_apart(lines: list[str], words: str) -> list[str]:
    """Return a paragraph of several lines as one (`words`), or as its first line and the rest when the first is a date line.

    "Date: 3 November 2025" with the text on the next line is one CommonMark
    paragraph; not so "On 3 May 2025" going on as "the council approved...".
    """
    first, rest = normalise_text(lines[0]), normalise_text(" ".join(lines[1:]))
    if rest and not rest[0].islower() and (parse_date_line(first) or is_labelled_date_line(first)):
        return [first, rest]
    return [words]


def _inline_lines(token: Token) -> list[str]:
    """Return an inline token's lines of words: link text kept, images and raw HTML out."""
    lines: list[str] = [""]
    for child in token.children or []:
        if child.type in _TEXT_CHILDREN:
            lines[-1] += child.content
        elif child.type in _BREAK_CHILDREN:
            lines.append("")
    return lines
