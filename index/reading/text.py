"""Shared text helpers for every article format: normalising, paragraphs, datelines."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from newsbot.index.published import is_labelled_date_line, parse_date_line
from newsbot.index.models import Problem

# Lines (or paragraphs) under an article's title searched for its date line: a byline or a standfirst may come
# first. A plain file's line above the title is searched too, some sites putting the date there.
DATE_LINE_REACH = 3
# A byline: a name first, then what may follow it ("in Riyadh", "| Arab News", ", Staff Reporter"); no colon
# ("By The Numbers: ..." is a headline) and no sentence's end ("By then it was too late.").
_BYLINE_RE = re.compile(r"(?i:by)\s+[A-Z][^:]{0,80}(?<![.!?])")
_PUBLISHED_LABEL_RE = re.compile(r"(?:first\s+)?published\b", re.IGNORECASE)  # when it first appeared: before "Updated"
# A line shorter than this is taken as hard-wrapped (Reuters wraps at ~70);
# web and BBC text puts a whole paragraph on one line, far longer than this.
_WRAP_WIDTH = 100

BULLET_RE = re.compile(r"[\u2022\u25cf\u25aa\u25a0\u2023]\s*")
# "ISLAMABAD: ...", "NEW YORK — ...", "LONDON (Reuters) - ..."; the place is all capitals.
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z'\u2019./-]+(?: [A-Z][A-Z'\u2019./-]+)*)"
    r"(?:\s*\([^()]{1,30}\))?\s*(?::|\u2014|\u2013|(?<=\)) -)\s+(?=\S)"
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")
# Invisible characters: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)


def printable(text: str) -> str:
    """Return text that can be written out as UTF-8: bytes that were not UTF-8, as file names and a
    terminal's arguments arrive (surrogate escapes), become U+FFFD, one a byte."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")  # the bytes as they came
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")  # a surrogate of another kind ("\ud800" typed out)
    return raw.decode("utf-8", "replace")


def normalise_text(text: str) -> str:
    """Return text in NFC with odd spaces made plain, invisibles removed and whitespace collapsed."""
    if not text.isascii():  # NFC and the invisibles only concern characters outside ASCII
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if any(c in text for c in _INVISIBLE_CHARS):
            text = text.translate(_INVISIBLE)
    elif text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]:
        # Printable ASCII holds no white space but " ", so this is normal already, as most
        # paragraphs are: checked, 0.5 µs a paragraph; split and joined, 1.2 µs.
        return text
    if not text.isprintable():  # control characters (a JSON "\u0000", say) become spaces
        text = _CONTROL_RE.sub(" ", text)
    # str.split() splits on every Unicode space (NBSP, thin, ideographic ...) and is
    # several times faster than a regex over a whole corpus.
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into normalised paragraphs.

    Blank lines always separate paragraphs. Inside a block, a line starts a new
    paragraph when it is indented or bulleted, or when the line before is long
    (one paragraph per line, as web and BBC text has it); short lines are taken
    as hard-wrapped and joined (Reuters).
    """
    clean = _clean_paragraphs(text)
    return clean if clean is not None else _paragraphs(text)


def _clean_paragraphs(text: str) -> list[str] | None:
    """Return the paragraphs of text that `normalise_text` would leave as they are, cut at its blank lines; None for
    other text.

    Most feed and JSON text is such: paragraphs of single-spaced printable text, one blank line between them.
    Checked in a few passes over the whole text instead of one call a paragraph: reading 8 files of JSON lines
    took 0.40-0.42 s instead of 0.44-0.51 (about 0.1 s of a 170,000-passage part). Text outside ASCII must also be in NFC; the invisibles `normalise_text` removes are
    not printable.
    """
    flat = text.replace("\n\n", " ")  # a blank line of spaces, three newlines or one alone leave "  " or "\n"
    if not flat or not flat.isprintable() or "  " in flat or flat[0] == " " or flat[-1] == " ":
        return None
    if not flat.isascii() and not unicodedata.is_normalized("NFC", flat):
        return None
    return text.split("\n\n")


def _paragraphs(text: str) -> list[str]:
    """Return `split_paragraphs` of any text, each paragraph normalised."""
    paragraphs: list[str] = []
    for block in _BLANK_LINE_RE.split(text):
        if "\n" not in block:  # one line, one paragraph: the common case, kept cheap
            paragraphs.append(normalise_text(block))
            continue
        current: list[str] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            starts_new = line[:1].isspace() or BULLET_RE.match(line.strip()) is not None
            if current and (starts_new or len(current[-1]) >= _WRAP_WIDTH):
                paragraphs.append(normalise_text(" ".join(current)))
                current = []
            current.append(line)
        if current:
            paragraphs.append(normalise_text(" ".join(current)))
    return [p for p in paragraphs if p]


def split_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take a leading "ISLAMABAD: " off the first paragraph; return the place and the paragraphs."""
    if not paragraphs:
        return None, paragraphs
    match = _DATELINE_RE.match(paragraphs[0])
    if match is None or sum(c.isalpha() for c in match["place"]) < 3:
        return None, paragraphs
    return match["place"], [paragraphs[0][match.end() :], *paragraphs[1:]]


def is_byline(line: str) -> bool:
    """Return True for a byline ("By Jane Doe, Staff Reporter"): who wrote the article, no sentence of it."""
    return _BYLINE_RE.fullmatch(line) is not None


def find_date_line(lines: list[str]) -> tuple[date | None, int | None]:
    """Return the date a date line among lines gives and where it is, a "Published" one before an "Updated"
    one; for none, (None, where a labelled date line whose date cannot be read is) or (None, None).

    "Date: 31 February 2025" dates nothing, but it is no sentence either.
    """
    found = [(at, day) for at, line in enumerate(lines) if (day := parse_date_line(line)) is not None]
    if found:
        at, day = min(found, key=lambda item: not _PUBLISHED_LABEL_RE.match(lines[item[0]]))
        return day, at
    return None, next((at for at, line in enumerate(lines) if is_labelled_date_line(line)), None)


def unreadable_date(source: str, line: str, number: int | None = None) -> Problem:
    """Return the problem of a labelled date line whose date cannot be read: the article is read undated."""
    return Problem(source, f"unreadable date {line!r}; article read without a date", line=number)


def without_date_lines(paragraphs: list[str]) -> list[str]:
    """Return the paragraphs without labelled date lines ("Updated 4 November 2025" under the text)."""
    return [p for p in paragraphs if not is_labelled_date_line(p)]


def take_date_line(paragraphs: list[str]) -> tuple[date | None, list[str], str | None]:
    """Return the date of a date line among the first DATE_LINE_REACH paragraphs, the paragraphs without
    date lines, and the text of a labelled date line whose date cannot be read, if any (see `find_date_line`)."""
    published, at = find_date_line(paragraphs[:DATE_LINE_REACH])
    unreadable = paragraphs[at] if at is not None and published is None else None
    if at is not None:
        paragraphs = paragraphs[:at] + paragraphs[at + 1 :]
    return published, without_date_lines(paragraphs), unreadable
