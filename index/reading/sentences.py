"""Split paragraphs into verbatim sentences.

A compiled regex finds candidate boundaries (terminal punctuation, any closing
quotes or brackets, then whitespace); a cheap check per candidate looks at the
word before and the word after to reject abbreviations, initials and the like.

Ambiguous abbreviations ("U.S.", "Inc.", "a.m.", "Jr.", "St.", single
initials) often end a sentence and often do not. After one of them the text is
split only when the next word is a common sentence opener ("The", "He", "In",
...) or an opening quote, so "in the U.S. The next day" splits while "the U.S.
Treasury" and "George W. Bush" do not.

Inside a double quotation the paragraph closes soon after, a sentence end
of the speaker's is none of the article's: `"What a game! I've never seen
anything like it," said Sam Doyle.` and `The engineer replied: "Is it
tight? Yes."` are one sentence each, so a quote keeps its speaker and its
closing mark. A quotation reaching further than QUOTATION_REACH is split as
any text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from newsbot.index.reading.text import normalise_text

# A candidate boundary: terminal punctuation, closing quotes/brackets, whitespace;
# the lookahead captures the next word without consuming it. Tried only where a run of
# terminal punctuation starts: from inside one it matches only what it would from the
# start, and trying every dot of "....x" made 20,000 of them take 6 s.
_BOUNDARY_RE = re.compile(
    r"(?<![.!?\u2026])(?P<term>[.!?\u2026]+)(?P<close>[\"'\u201d\u2019\u00bb)\]]*)\s+(?=(?P<next>\S+))"
)
# Where _BOUNDARY_RE may match (at a run's last terminator), found about six times faster: a
# pattern that opens on a group is tried at every character, one that opens on a set is not.
_CANDIDATE_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s+(?=\S)")
_DOTTED_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, e.g, a.m, D.C (final dot is the terminator)
_OPENERS = "\"'\u201c\u2018\u00ab([{"
# A question the text answers at once, the answer attributed: "Is this unusual for January? Not really, said the
# forecaster." The question alone would quote nobody, and the answer alone would not say what was asked.
_ANSWERED_RE = re.compile(r"[A-Z][\w'’]*(?: [\w'’]+){0,3}, (?:(?:he|she|they|we|I) )?(?:said|says|replied|replies|answered|answers|added|adds)\b(?!,)")
# Double quotation marks, straight, curly and angled (French). Single quotes are
# left out: "’" and "'" are apostrophes far more often ("I’ve", "Rovers'"), and they nest inside double ones.
_QUOTE_MARK_RE = re.compile("[\"\u201c\u201d\u00ab\u00bb]")
# How far a sentence may reach, from its start to a quotation's closing mark, and be kept whole across the sentence
# ends inside that quotation. 99% of the sentences of the BBC, Reuters and bundled corpora are shorter than 266
# characters (99.5%: 288), so a sentence kept whole is no longer than the longest ordinary ones; a quoted paragraph
# longer than this is split at its sentence ends as any text.
QUOTATION_REACH = 300

# Titles and other abbreviations that never end a sentence.
_NEVER_END = frozenset(
    "mr mrs ms messrs mme mmes dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr brig "
    "sen rep gov pres supt insp rev hon fr vs v e.g i.e cf viz approx ca".split()
)
# Abbreviations that do not end a sentence when a number follows ("No. 5", "Jan. 21").
_BEFORE_NUMBER = frozenset(
    "no nos vol vols p pp fig figs art sec ch para op ed "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that may end a sentence: split only before a common opener.
_AMBIGUOUS = frozenset("inc co corp ltd bros cos plc jr sr st mt ft etc al".split())
# Words that commonly open a sentence; after an ambiguous abbreviation they mark a split.
_STARTERS = frozenset(
    "a an the he she it they we i you this that these those there here his her its their our my "
    "in on at as by of to from for with without after before during since until under over "
    "when while if but and or so yet however meanwhile also still then now thus "
    "some many most several all both each other such one two no not only last earlier later "
    "what why how who where which officials according despite although though".split()
)


def split_sentences(text: str, *, normalised: bool = False) -> list[str]:
    """Split text into sentences, each a verbatim slice of the whitespace-normalised text.

    Pass normalised=True for text already through `normalise_text` (article paragraphs are).
    """
    if not normalised:
        text = normalise_text(text)
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    quotations = _quotations(text) if _QUOTE_MARK_RE.search(text) else []
    for match in _BOUNDARY_RE.finditer(text):
        if _is_boundary(text, match) and not _inside_quotation(quotations, match, start):
            sentences.append(text[start : match.end("close")])
            start = match.end()
    sentences.append(text[start:])
    return [s for s in sentences if s]


def split_paragraphs_sentences(paragraphs: Sequence[str]) -> list[str]:
    """Return the sentences of normalised paragraphs in order, as `split_sentences` cuts each one.

    Most news paragraphs are one sentence with no candidate boundary inside.
    One search over the paragraphs joined by NUL (no white space, so no
    candidate reaches across a paragraph's end) finds those that hold one,
    and only they are split: a call per paragraph cost 0.7 s of CPU per
    170,000 passages (34 µs an article), most of it calls that found nothing.
    """
    joined = "\x00".join(paragraphs)
    found = [match.start() for match in _CANDIDATE_RE.finditer(joined)]
    if not found:
        return [p for p in paragraphs if p]
    ends = list(accumulate(len(p) + 1 for p in paragraphs))  # just past each paragraph's NUL
    holding = {bisect_right(ends, at) for at in found}
    return [s for n, p in enumerate(paragraphs) for s in (split_sentences(p, normalised=True) if n in holding else (p,) if p else ())]


def _quotations(text: str) -> list[tuple[int, int]]:
    """Return where each double quotation that text opens and closes starts and ends: the indices of its two marks.

    Curly and angle marks say which way they face. A straight mark opens when
    no quotation is open and it stands before a word, not after one (a `55"`
    screen opens nothing); it closes the open quotation when it follows a
    character that is no space. One before a word after a space while a
    quotation is open opens another: the first was never closed. A quotation
    that ends its sentence with a question is left out (`_ends_asking`).
    """
    found: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE_MARK_RE.finditer(text):
        at = mark.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if mark[0] == '"':
            if opened is not None and before and not before.isspace():
                opening = False
            elif after and not after.isspace() and not before.isalnum():
                opening = True
            else:
                continue
        else:
            opening = mark[0] in "\u201c\u00ab"
        if opening:
            opened = at
        elif opened is not None:
            if not _ends_asking(text, at):
                found.append((opened, at))
            opened = None
    return found


def _ends_asking(text: str, closing: int) -> bool:
    """Return True when a quotation closing at `closing` ends its sentence with a question ("... this?" Then ...).

    Kept whole, the sentence would end in "?" and read as a question, which is never quoted; split, its statements
    still can be. A question the text goes on from ("?" he asked) is no end.
    """
    if text[closing - 1 : closing] != "?":
        return False
    after = text[closing + 1 :].lstrip("\"'\u201d\u2019\u00bb)]")
    return not after.strip() or after[:1].isspace() and not after.lstrip()[:1].islower()


def _inside_quotation(quotations: list[tuple[int, int]], match: re.Match[str], start: int) -> bool:
    """Return True when a candidate boundary lies inside a quotation that the sentence opens and closes within
    QUOTATION_REACH of its start (a closing mark among the candidate's own closes the quotation there).

    The tail of a quotation too long to keep whole is split as any text, not kept whole without its start.
    """
    return any(
        start <= opening < match.start() and closing >= match.end("close") and closing < start + QUOTATION_REACH
        for opening, closing in quotations
    )


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Return True when a candidate boundary really ends a sentence."""
    term = match["term"]
    following = match["next"].lstrip(_OPENERS)
    opens_quote = following != match["next"]
    first = following[:1]
    if not first.isalnum():
        return False  # a dash or stray punctuation follows: keep going
    if first.islower():
        return False  # "etc. and", "“Why?” he asked", "... and then"
    if term != "." or match["close"]:
        # "!", "?", an ellipsis, or a full stop inside a closing quote/bracket.
        return term != "?" or match["close"] or _ANSWERED_RE.match(text, match.end()) is None
    word = text[text.rfind(" ", 0, match.start()) + 1 : match.start()].lstrip(_OPENERS)
    lowered = word.lower()
    if lowered in _NEVER_END:
        return False
    if lowered in _BEFORE_NUMBER and first.isdigit():
        return False
    ambiguous = (
        lowered in _AMBIGUOUS
        or (len(word) == 1 and word.isupper())  # an initial: "George W. Bush"
        or _DOTTED_RE.fullmatch(word) is not None  # "U.S.", "a.m."
    )
    if ambiguous:
        return opens_quote or following.rstrip(",;:").lower() in _STARTERS
    return True
