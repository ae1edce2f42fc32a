"""Shared text helpers for every article format: normalising, paragraphs, datelines."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
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

_BULLETS = "[\u2022\u25cf\u25aa\u25a0\u2023]"
BULLET_RE = re.compile(rf"{_BULLETS}\s*")
# A list item's mark: a bullet, or a dash, star, plus or number ("1.", "12)") before a space.
_LIST_MARK = rf"(?:{_BULLETS}|(?:[-*+]|\d{{1,2}}[.)])(?=\s))"
LIST_MARK_RE = re.compile(rf"{_LIST_MARK}\s*")
# Text where some line may start with a list mark: cut the long way (`_paragraphs`), not as clean text.
_MAY_LIST_RE = re.compile(rf"^\s*{_LIST_MARK}", re.MULTILINE)
# "ISLAMABAD: ...", "NEW YORK — ...", "LONDON (Reuters) - ..."; the place is all capitals.
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z'\u2019./-]+(?: [A-Z][A-Z'\u2019./-]+)*)"
    r"(?:\s*\([^()]{1,30}\))?\s*(?::|\u2014|\u2013|(?<=\)) -)\s+(?=\S)"
)
# A closing credit: "With inputs from AFP", "(With input from agencies.)", "With inputs from Reuters, AP and Arab News".
# Words split at white space, commas and slashes only, so a line is cut into words one way ("AFP/AP/...").
_CREDITED = r"(?:[A-Z][\w.&'’-]*|agenc(?:y|ies)|wires?|news|staff|correspondents?|reporters?|bureaus?|desks?|our|the|and|&)"
CLOSING_CREDIT_RE = re.compile(rf"\(?\s*(?i:with\s+inputs?\s+from)\s+{_CREDITED}(?:[\s,/]+{_CREDITED})*\.?\s*\)?")
# A photo credit line: "Photo: Reuters", "Photograph: Jane Doe/Getty Images", "Picture: PA", "Image: Nasa", "Credit: AFP".
_PHOTO_CREDIT_RE = re.compile(r"(?i:photo(?:graph)?s?|pictures?|pics?|images?|credits?)\s*:\s*\S.{0,100}")
# Where a credit of either kind may start: tried before a line is normalised and matched in full.
_CREDIT_START = r"\s*\(?\s*(?i:photo|pic|image|credit|with\s)"
_MAY_CREDIT_RE = re.compile(_CREDIT_START)
SUBHEADING_CHARS = 40  # a paragraph this short may be a subheading; a longer one never is
_WORD = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*"
# In clean text (one line a paragraph, see `_clean_paragraphs`), a paragraph after the first that is a list item,
# or that may be a credit; each starts with a blank line, which the regex engine looks for first.
_CLEAN_LIST_RE = re.compile(rf"\n\n\s*{_LIST_MARK}")
_CLEAN_CREDIT_RE = re.compile(rf"\n\n{_CREDIT_START}")
# A subheading between paragraphs ("Reaction", "What next"): one or two words, a capital first, no digit, no end mark.
_SUBHEADING_RE = re.compile(rf"{_WORD}(?: {_WORD})?")
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
    paragraph when it is indented or a list item (`list_items`), or when the
    line before is long (one paragraph per line, as web and BBC text has it);
    short lines are taken as hard-wrapped and joined (Reuters). A list item
    loses its mark ("- ", "• ", "1. "), as a Markdown list item does. Credit
    lines ("Photo: Reuters", `is_credit`) and subheadings ("Reaction",
    `is_subheading`) are left out: no sentences of the article.
    """
    clean = _clean_paragraphs(text)
    return clean if clean is not None else _paragraphs(text)


def split_paragraph_items(text: str) -> list[tuple[str, bool]]:
    """Return `split_paragraphs` of text, each paragraph with whether it is a list item (for pasted highlights)."""
    clean = _clean_paragraphs(text)
    return [(p, False) for p in clean] if clean is not None else _paragraph_items(text)


def list_items(lines: list[str]) -> set[int]:
    """Return which of a block's lines are list items, each its own paragraph.

    A bullet ("•") is always one. A dash, star or plus is one under a line
    ending in ":" ("The results were:") or when another line of the block
    starts with the same mark (an unindented line's after the first: at no
    indent either);
    a number ("2.") under a line ending in ":" or when the block numbers
    another line one before or after it. A hard-wrapped line may start with
    "- " or "13. " by chance ("... on March" / "13. The bank said ..."),
    but seldom twice, nor next to its neighbour's number.
    """
    kinds = [_mark_kind(line) for line in lines]
    counts = Counter(kinds)
    marks = Counter(kind.strip() for kind in kinds if kind)
    numbers = {kind for kind in kinds if kind and kind.isdigit()}

    def beside_its_like(at: int, kind: str) -> bool:
        if kind.isdigit():
            return f"{int(kind) - 1}" in numbers or f"{int(kind) + 1}" in numbers
        # A wrapped line's "- " stands at no indent: the first line, or an indented one, may match any indent.
        return counts[kind] > 1 or (at == 0 or kind[0].isspace()) and marks[kind.strip()] > 1

    return {
        at for at, kind in enumerate(kinds)
        if kind is not None
        and (kind == "\u2022" or at and lines[at - 1].rstrip().endswith(":") or beside_its_like(at, kind))
    }  # fmt: skip


def list_apart(lines: list[str]) -> list[str]:
    """Return lines joined into normalised paragraphs, a new one at each list item, its mark dropped (for Markdown,
    whose lists CommonMark reads, but not a "•" line inside a paragraph)."""
    items = list_items(lines)
    cuts = [0, *sorted(items - {0}), len(lines)]
    pieces = [normalise_text(" ".join(lines[start:end])) for start, end in zip(cuts, cuts[1:])]
    pieces = [without_list_mark(piece) if at in items else piece for at, piece in zip(cuts, pieces)]
    return [piece for piece in pieces if piece]


def _mark_kind(line: str) -> str | None:
    """Return the kind of list mark a line starts with, or None: "•" for any bullet, a number for a number, a dash,
    star or plus as indented ("  -": a wrapped line's "- " beside indented items is none of them)."""
    text = line.lstrip()
    mark = LIST_MARK_RE.match(text)
    if mark is None:
        return None
    first = mark[0][0]
    if BULLET_RE.match(first):
        return "\u2022"
    if first.isdigit():  # "(O\n3) is ozone": a wrapped formula's number goes on in lower case, an item does not
        return None if text[mark.end() : mark.end() + 1].islower() else mark[0].rstrip()[:-1]
    return line[: len(line) - len(text)] + first


def without_list_mark(paragraph: str) -> str:
    """Return a paragraph without the list mark it starts with, if it starts with one (a bullet alone: "")."""
    mark = LIST_MARK_RE.match(paragraph)
    return paragraph if mark is None else paragraph[mark.end() :]


def _clean_paragraphs(text: str) -> list[str] | None:
    """Return the paragraphs of text that `normalise_text` would leave as they are, cut at its blank lines; None for
    other text.

    Most feed and JSON text is such: paragraphs of single-spaced printable text, one blank line between them.
    Checked in a few passes over the whole text instead of one call a paragraph: reading 8 files of JSON lines
    took 0.40-0.42 s instead of 0.44-0.51 (about 0.1 s of a 170,000-passage part). Text outside ASCII must also be in NFC; the invisibles `normalise_text` removes are
    not printable. Text with a list mark at a line's start is cut the long way, which drops the marks; credits
    and subheadings are left out here as there (short paragraphs are common: Reuters' "Shr 1.35 dlrs vs two
    dlrs"; cutting all such text the long way made reading 3 times slower).
    """
    flat = text.replace("\n\n", " ")  # a blank line of spaces, three newlines or one alone leave "  " or "\n"
    if not flat or not flat.isprintable() or "  " in flat or flat[0] == " " or flat[-1] == " ":
        return None
    if not flat.isascii() and not unicodedata.is_normalized("NFC", flat):
        return None
    # One line a paragraph (a line break alone is not printable); the checks are written for speed: most
    # texts have a short paragraph (Reuters' "Shr 1.35 dlrs vs two dlrs"), few a subheading or a credit.
    if _MAY_LIST_RE.match(text) or _CLEAN_LIST_RE.search(text):
        return None
    paragraphs = text.split("\n\n")
    # Left out as `_paragraph_items` leaves them: credits, then subheadings (unless nothing else is left).
    if _MAY_CREDIT_RE.match(text) or _CLEAN_CREDIT_RE.search(text):
        paragraphs = [p for p in paragraphs if not _is_credit_line(p)]
    heads = [p for p in paragraphs if len(p) <= SUBHEADING_CHARS and is_subheading(p)]
    if heads:
        paragraphs = [p for p in paragraphs if p not in heads] or paragraphs
    return paragraphs


def _paragraphs(text: str) -> list[str]:
    """Return `split_paragraphs` of any text, each paragraph normalised."""
    return [paragraph for paragraph, _ in _paragraph_items(text)]


def _paragraph_items(text: str) -> list[tuple[str, bool]]:
    """Return `split_paragraph_items` of any text."""
    paragraphs: list[str] = []
    items: list[bool] = []  # whether each paragraph is a list item
    alone: list[int] = []  # the paragraphs that are a block of one line: list items or not by their neighbours
    for block in _BLANK_LINE_RE.split(text):
        if "\n" not in block:  # one line, one paragraph: the common case, kept cheap
            if not _is_credit_line(block):
                alone.append(len(paragraphs))
                paragraphs.append(normalise_text(block))
                items.append(False)
            continue
        lines = [line for line in block.split("\n") if line.strip()]
        listed = list_items(lines)
        current: list[str] = []
        for at, line in enumerate(lines):
            credit = _is_credit_line(line)  # no text of the article: it ends the paragraph it stood in
            starts_new = line[:1].isspace() or at in listed or credit
            if current and (starts_new or len(current[-1]) >= _WRAP_WIDTH):
                paragraphs.append(normalise_text(" ".join(current)))
                current = []
            if not credit:
                if not current:
                    items.append(at in listed)
                current.append(line)
        if current:
            paragraphs.append(normalise_text(" ".join(current)))
    if alone and _MAY_LIST_RE.search(text):
        listed = list_items(paragraphs)  # "- Green" between blank lines is an item as it is between line breaks
        for at in alone:
            items[at] = at in listed
    kept = [(without_list_mark(p) if item else p, item) for p, item in zip(paragraphs, items) if item or not is_subheading(p)]
    if not kept:  # short lines only ("New York"): they head nothing, they are the text
        kept = list(zip(paragraphs, items))
    return [(p, item) for p, item in kept if p]


def is_credit(line: str) -> bool:
    """Return True for a normalised line that credits a photo or the wires, no sentence of the article:
    "Photo: Reuters", "Photograph: Jane Doe/Getty Images", "With inputs from AFP"."""
    return _PHOTO_CREDIT_RE.fullmatch(line) is not None or CLOSING_CREDIT_RE.fullmatch(line) is not None


def _is_credit_line(line: str) -> bool:
    """Return True for a raw line that `is_credit`, normalised only when it may be one."""
    return _MAY_CREDIT_RE.match(line) is not None and is_credit(normalise_text(line))


def is_subheading(paragraph: str) -> bool:
    """Return True for a normalised paragraph that heads others rather than saying something: "Reaction",
    "What next", "REUTER". A sentence has more words or its end mark ("He resigned."); a list item is none."""
    return len(paragraph) <= SUBHEADING_CHARS and _SUBHEADING_RE.fullmatch(paragraph) is not None and paragraph[0].isupper()


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
