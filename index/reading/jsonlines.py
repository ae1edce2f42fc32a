"""Read JSON-lines articles (one article object per line) and drop lines by article source."""

from __future__ import annotations

import json
from collections.abc import Callable
import re
from datetime import date

from newsbot.index.published import parse_published
from newsbot.index.models import Article, Problem, ProblemList
from newsbot.index.reading.text import normalise_text, split_dateline, split_paragraphs

# Reuters datelines carry the date: "SALVADOR, Feb 26 -" -> "SALVADOR".
_DATELINE_TAIL_RE = re.compile(r"(?:,\s*[A-Za-z]{3,9}\.? \d{1,2})?\s*[-:\u2013\u2014]?\s*$")


def read_jsonl(text: str, source: str, max_line: int | None = None) -> tuple[list[Article], list[Problem]]:
    """Read one article per JSON line; a bad line (or one of more than max_line bytes in UTF-8) is a Problem and is skipped."""
    articles, problems = read_jsonl_lines(text, source, max_line)
    return articles, problems.closed()


def read_jsonl_lines(
    text: str, source: str, max_line: int | None = None, first_line: int = 1
) -> tuple[list[Article], ProblemList]:
    """Read JSON lines as `read_jsonl` does, numbering them from first_line; return the problems still open.

    A file read in pieces (each starting at a line) numbers each from the
    line it starts at; the open problem lists join with `ProblemList.extend`.
    """
    articles: list[Article] = []
    problems = ProblemList(source)
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        if "\x00" in line:
            problems.add("a NUL byte in the line", number)
            continue
        # Bytes, as the setting says and as a whole file is measured: a character is never more than 4 of them.
        if max_line is not None and len(line) > max_line // 4 and len(line.encode("utf-8", "surrogatepass")) > max_line:
            problems.add(f"an article of over {max_line:,} bytes (NEWSBOT_MAX_ARTICLE_BYTES); not read", number)
            continue
        try:
            article, note = _article_from_json(line, source, number)
        except ValueError as error:
            problems.add(str(error), number)
            continue
        if article.source in seen:
            problems.add(f"duplicate id {article.source.partition('#')[2]!r}", number)
            continue
        if note is not None:  # read all the same
            problems.add(note, number)
        seen.add(article.source)
        articles.append(article)
    return articles, problems


def _article_from_json(line: str, source: str, number: int) -> tuple[Article, str | None]:
    """Build an Article from one JSON line, with what is wrong but does not keep it out (a bad date);
    raise ValueError saying what is wrong when nothing can be read."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    except RecursionError:
        raise ValueError("not JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    title, body = record.get("title"), record.get("text")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("missing or empty 'title'")
    if not isinstance(body, str):
        raise ValueError("missing 'text'")
    # JSON can spell a lone surrogate ("\ud800"), which no file can hold: in any field the article keeps.
    for name in ("title", "text", "id", "url", "dateline"):
        value = record.get(name)
        try:
            if isinstance(value, str):
                value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"invalid Unicode in {name!r} (a lone surrogate escape)") from None
    dateline, paragraphs = split_dateline(split_paragraphs(body))
    if not paragraphs:
        raise ValueError("empty 'text'")
    if isinstance(record.get("dateline"), str) and record["dateline"].strip():
        dateline = _DATELINE_TAIL_RE.sub("", normalise_text(record["dateline"])) or dateline
    identifier = _json_id(record, number)
    url = record.get("url")
    published, note = _published(record.get("published"))
    article = Article(
        title=normalise_text(title),
        published=published,
        source=f"{source}#{identifier}",
        paragraphs=tuple(paragraphs),
        dateline=dateline,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
    )
    return article, note


def _json_id(record: dict, number: int) -> str:
    """Return the id of a JSON-lines article: its `id`, else its 1-based line number."""
    identifier = record.get("id")
    if identifier is None or (isinstance(identifier, str) and not identifier.strip()):
        identifier = number
    return str(identifier)


def drop_lines(data: bytes, relative: str, sources: set[str], decode: Callable[[bytes], str]) -> tuple[bytes, set[str]]:
    """Return JSON-lines bytes with the lines of the given article sources blanked, and the sources removed.

    relative is the file's corpus-relative path, the part of a source before
    "#". A removed line is left empty (its line ending kept), not taken out:
    an article without an `id` is named by its line number, and every later
    line keeps its number, so a name `sources` showed still means the same
    article after a removal. Every line that reads as the source goes: the
    one the index holds, and any later duplicate of its id (skipped when
    read, it would take the name over). A line the reader skips for another
    reason was never the source and stays; so does every other byte.
    """
    kept, removed = [], set()
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        body = raw.rstrip(b"\r\n")
        source = None
        if body.strip():
            try:  # the reader's own rules: a line it skipped was never the indexed one
                source = _article_from_json(decode(body), relative, number)[0].source
            except ValueError:
                source = None
        if source in sources:
            removed.add(source)
            kept.append(raw[len(body) :])
        else:
            kept.append(raw)
    return b"".join(kept), removed


def _published(value: object) -> tuple[date | None, str | None]:
    """Return the date of a "published" value (see `published.parse_published`), and what is wrong with a bad one."""
    if value is None or value == "":
        return None, None
    found = parse_published(value) if isinstance(value, str) else None
    return found, None if found is not None else f"bad 'published' date: {value!r}; article read without a date"


