"""Read the client's pasted-news format: several articles per file, each headed by a date line."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from newsbot.index.published import is_labelled_date_line, parse_date_line
from newsbot.index.models import Article, Problem
from newsbot.index.reading.text import (
    BULLET_RE,
    CLOSING_CREDIT_RE,
    find_date_line,
    is_byline,
    is_credit,
    normalise_text,
    split_dateline,
    split_paragraph_items,
    unreadable_date,
)

# What heads a pasted article: an "Updated" or "Published" line in any form `published.parse_date_line` reads
# ("Updated 21 May 2025", "Published 4 Mar. 2026 14:05", "Updated May 22, 2025", "Last Updated 2025-05-22"),
# or one whose date cannot be read ("Updated 31 February 2025": said, the article read undated).
_HEAD_LABEL_RE = re.compile(r"(?:last\s+)?(?:updated|published)\b", re.IGNORECASE)
_BOILERPLATE_RE = re.compile(r"short url|follow|share|print", re.IGNORECASE)
# A short link the site prints in a head ("https://arab.news/8ftxa"): no title.
_LINK_RE = re.compile(r"https?://\S+", re.IGNORECASE)
# Lines a head may hold above its date line, noise and bylines not counted: the title, a photo caption, an author or
# source line ("Arab News") and a short link. Searched for the title the page repeats under the date line.
_HEAD_REACH = 4
# A "Related" box inside a body: this line, another article's headline, its "Published 3 March 2025" line.
_RELATED_RE = re.compile(r"related(?:\s+(?:articles?|stories|news|coverage))?:?", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*$")
# A photo caption ends in a parenthesised credit: "(AFP)", "(Handout/MOFA)", "(AP Photo/K.M. Chaudary)".
_CREDIT_RE = re.compile(r"\s*\((?P<credit>[^()]{1,80})\)$")
_CREDIT_WORDS_RE = re.compile(
    r"/|photo|handout|file|afp|reuters|\bap\b|getty|epa|anadolu|xinhua|spa|wam|supplied|courtesy|pool",
    re.IGNORECASE,
)


def is_pasted(text: str) -> bool:
    """Return True when text is pasted news: "Updated 21 May 2025" lines heading articles (see `_find_heads`),
    with the site's "Short Url" or "Follow" lines, a photo caption or a closing credit, or several such articles.

    A plain article with a date line under its title is read as a plain one
    (its hard-wrapped lines joined into paragraphs).
    """
    lines = [normalise_text(line) for line in text.split("\n")]
    heads = _find_heads(lines)
    if not heads:
        return False
    # Several articles, or the site's boilerplate, a closing credit, a photo caption.
    return len(heads) > 1 or any(
        line and (_BOILERPLATE_RE.fullmatch(line) or CLOSING_CREDIT_RE.fullmatch(line) or _is_caption(line)) for line in lines
    )


def _headline_among(lines: list[str], near: list[int]) -> bool:
    """Return True when one of the lines just above a date line is a headline or a photo caption, not body text.

    A headline ends in no full stop; a caption ends in a credit ("(AFP)"). A date line under two sentences
    of body text ("... said on Monday." then "Published 1 May 1990") heads nothing.
    """
    return any(_is_caption(lines[i]) or not _SENTENCE_END_RE.search(lines[i]) for i in near)


def _is_date_line(line: str) -> bool:
    """Return True for an "Updated"/"Published" line, its date readable or not (see _HEAD_LABEL_RE)."""
    return _HEAD_LABEL_RE.match(line) is not None and (parse_date_line(line) is not None or is_labelled_date_line(line))


def _ends(lines: list[str], start: int) -> bool:
    """Return True when no line from start on holds more than boilerplate."""
    return all(_is_head_noise(line) for line in lines[start:])


def _is_caption(line: str) -> bool:
    """Return True when a line ends in a photo credit like "(AFP)" or "(Handout/MOFA)"."""
    match = _CREDIT_RE.search(line)
    return match is not None and _CREDIT_WORDS_RE.search(match["credit"]) is not None


def read_pasted(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read the client's pasted-news format: several articles, each with an "Updated" line."""
    raw = text.split("\n")
    lines = [normalise_text(line) for line in raw]
    problems: list[Problem] = []
    heads = _find_heads(lines)
    if heads and any(lines[: heads[0].first]):
        problems.append(Problem(source, "text before the first article was ignored", line=1))
    articles: list[Article] = []
    for number, head in enumerate(heads):
        end = heads[number + 1].first if number + 1 < len(heads) else len(lines)
        article, problem = _pasted_article(raw, lines, head, end, source)
        if problem is not None:
            problems.append(problem)
        if article is not None:
            articles.append(article)
    return articles, problems


@dataclass(frozen=True)
class _Head:
    """Where one pasted article's head lies, as line indices."""

    title: int
    caption: int | None
    dates: tuple[int, ...]  # the Updated/Published lines
    last: int  # the head block's last line; the body follows

    @property
    def first(self) -> int:
        """Return the head's first line: where the previous article's body ends."""
        return min(self.title, self.dates[0])


def _is_head_noise(line: str) -> bool:
    """Return True for lines that sit between a title and its body: blank, "Short Url", "Follow"."""
    return not line or _BOILERPLATE_RE.fullmatch(line) is not None


def _is_above_title(line: str) -> bool:
    """Return True for lines between a title and its date line that are not the title: noise, a byline, a short link."""
    return _is_head_noise(line) or is_byline(line) or _LINK_RE.fullmatch(line) is not None


def _find_heads(lines: list[str]) -> list[_Head]:
    """Find each article's head by walking back from its date line to the title."""
    heads: list[_Head] = []
    index = 0
    floor = 0
    while index < len(lines):
        box = _related_box(lines, index) if heads else None
        if box is not None:  # another article's headline and date, inside this one's body
            index = box + 1
            continue
        if not _is_date_line(lines[index]) or _ends(lines, index + 1):  # a date line ending the file heads nothing
            index += 1
            continue
        # Date lines of one article ("Published ..." then "Updated ...") form one head.
        dates = [index]
        last = index
        probe = index + 1
        while probe < len(lines) and (_is_head_noise(lines[probe]) or _is_date_line(lines[probe])):
            if lines[probe]:
                last = probe
                if _is_date_line(lines[probe]):
                    dates.append(probe)
            probe += 1
        repeated = lines[probe] if probe < len(lines) else ""
        above = (i for i in range(index - 1, floor - 1, -1) if not _is_above_title(lines[i]))
        candidates = list(itertools.islice(above, _HEAD_REACH))
        shown = _repeated_title(lines, candidates, repeated)
        if shown is None:
            # Without the repeated title, only the two nearest lines are read, and one must be a headline or a caption:
            # "Published 1 May 1990" in a body heads nothing.
            candidates = candidates[:2]
            if heads and candidates and not _headline_among(lines, candidates):
                index += 1
                continue
            title, caption = _pick_title(lines, candidates)
        else:
            title, caption = candidates[shown], _caption_under(lines, candidates[:shown])
        if title is None:
            title = probe  # nothing above the date line: take the title printed below it
        heads.append(_Head(title, caption, tuple(dates), last))
        floor = last + 1
        index = probe
    return heads


def _related_box(lines: list[str], at: int) -> int | None:
    """Return the last line of a "Related" box starting at line at, or None when none starts there.

    The box is a "Related" line, then one or more headlines, each with its date line right under it, blank lines
    between or not. A date line followed by the site's boilerplate ("Follow") or by its headline repeated is an
    article's head, and ends the box before it.
    """
    if _RELATED_RE.fullmatch(lines[at]) is None:
        return None
    end = None
    filled = (i for i in range(at + 1, len(lines)) if lines[i])
    headline, date = next(filled, None), next(filled, None)
    while headline is not None and date is not None:
        if _is_head_noise(lines[headline]) or _is_date_line(lines[headline]) or not _is_date_line(lines[date]):
            break
        following = next(filled, None)
        if following is not None and (lines[following] == lines[headline] or _is_head_noise(lines[following])):
            break
        end = date
        headline, date = following, next(filled, None)
    return end


def _repeated_title(lines: list[str], candidates: list[int], repeated: str) -> int | None:
    """Return which of the lines above a date line the page prints again under it, if one is.

    The page repeats its title above the body: the surest sign of a head, whatever the title ends in ("... peace?")
    and whatever stands between it and the date line (a caption, "Arab News", a short link).
    """
    return next((k for k, i in enumerate(candidates) if lines[i] == repeated), None) if repeated else None


def _caption_under(lines: list[str], between: list[int]) -> int | None:
    """Return the caption among the lines between a title and its date line: one with a credit, or the title's next."""
    return next((i for i in between if _is_caption(lines[i])), between[-1] if between else None)


def _pick_title(lines: list[str], candidates: list[int]) -> tuple[int | None, int | None]:
    """Choose the title (and caption) among the two nearest lines above a date line that repeats no title."""
    if not candidates:
        return None, None
    nearest = candidates[0]
    if len(candidates) == 1:
        return nearest, None
    # A caption ends in a credit ("(AFP)"), or at least reads as a sentence where a headline does not.
    caption_like = _is_caption(lines[nearest]) or (_SENTENCE_END_RE.search(lines[nearest]) and not _SENTENCE_END_RE.search(lines[candidates[1]]))
    if caption_like:
        return candidates[1], nearest
    return nearest, None


def _body_lines(raw: list[str], lines: list[str], span: range, title: str, caption: str | None) -> list[str]:
    """Return the raw lines of a body for `split_paragraphs`, what is no text of it made a blank line.

    Hard-wrapped lines are then joined into paragraphs as in a plain file. A bullet stands alone: the line after
    a highlight is no part of it. Boilerplate, a closing credit, the caption, the repeated title, a "Related" box
    and date lines ("Published 1 May 1990" in a body: no sentence) are left out, and break a paragraph where they
    stood.
    """
    kept: list[str] = []
    started = title_seen = False
    box_end = -1  # the last line of a "Related" box met
    for index in span:
        line = lines[index]
        if index > box_end:
            box_end = _related_box(lines, index) or box_end
        if index <= box_end:
            kept.append("")
        elif not started and not title_seen and line == title:
            title_seen = True  # the page repeats the title above the body
            kept.append("")
        elif _is_head_noise(line) or is_credit(line) or line == caption or is_labelled_date_line(line):
            kept.append("")
        elif BULLET_RE.match(line) is not None:
            kept.extend(("", raw[index], ""))
        else:
            started = True
            kept.append(raw[index])
    return kept


def _pasted_article(
    raw: list[str], lines: list[str], head: _Head, end: int, source: str
) -> tuple[Article | None, Problem | None]:
    """Build one pasted article from its head and the body lines up to end (raw as in the file, and normalised)."""
    title = lines[head.title] if head.title < len(lines) else ""
    if not title:
        return None, Problem(source, "article without a title", line=head.dates[0] + 1)
    caption_line = lines[head.caption] if head.caption is not None else None
    caption = _CREDIT_RE.sub("", caption_line) or None if caption_line else None
    highlights: list[str] = []
    paragraphs: list[str] = []
    body = "\n".join(_body_lines(raw, lines, range(head.last + 1, end), title, caption_line))
    for paragraph, item in split_paragraph_items(body):
        # List items ("•" lines) before the body are its highlights.
        (highlights if item and not paragraphs else paragraphs).append(paragraph)
    dateline, paragraphs = split_dateline(paragraphs)
    if not paragraphs:
        return None, Problem(source, f"article {title!r} has no body text", line=head.title + 1)
    # A "Published" date wins over an "Updated" one: it is when the article first appeared.
    published, at = find_date_line([lines[i] for i in head.dates])
    problem = None
    if published is None:
        date_index = head.dates[at or 0]
        problem = unreadable_date(source, lines[date_index], date_index + 1)
    article = Article(
        title=title, published=published, source=source, paragraphs=tuple(paragraphs),
        highlights=tuple(highlights), dateline=dateline, caption=caption,
    )
    return article, problem
