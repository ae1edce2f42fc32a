"""Read article files from a corpus folder.

Three formats are read:

- the client's pasted-news ``.txt``: several articles in one file, each with a
  title, an "Updated 21 May 2025" (or "Published ...") line, web-page
  boilerplate, bullet highlights and body paragraphs;
- plain ``.txt``: the first non-blank line is the title, the rest is the body;
- JSON Lines (``.jsonl``, ``.jsonl.gz``): one article object per line.

Bad content never raises: it becomes a `Problem`, and the rest of the file is
still read.
"""

from __future__ import annotations

import itertools
import gzip
import json
import logging
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from index.errors import CorpusError
from index.models import Article, Problem

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz")

# A line shorter than this is taken as hard-wrapped (Reuters wraps at ~70);
# web and BBC text puts a whole paragraph on one line, far longer than this.
_WRAP_WIDTH = 100
# Compressed bytes fed to zlib at a time; small enough to lose little at a break.
_GZIP_PIECE = 64 * 1024

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

# "Updated 21 May 2025", "Published 4 Mar. 2026 14:05", "Updated 21 May 2025, 2:05 PM GMT+3".
_DATE_LINE_RE = re.compile(
    r"(?P<kind>Updated|Published)\s*:?\s+(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?)?",
    re.IGNORECASE,
)
_BOILERPLATE_RE = re.compile(r"short url|follow|share|print", re.IGNORECASE)
_CLOSING_RE = re.compile(r"\(?\s*with inputs? from [\w ,&/.-]+?\.?\s*\)?", re.IGNORECASE)
_BULLET_RE = re.compile(r"[\u2022\u25cf\u25aa\u25a0\u2023]\s*")
# A photo caption ends in a parenthesised credit: "(AFP)", "(Handout/MOFA)", "(AP Photo/K.M. Chaudary)".
_CREDIT_RE = re.compile(r"\s*\((?P<credit>[^()]{1,80})\)$")
_CREDIT_WORDS_RE = re.compile(
    r"/|photo|handout|file|afp|reuters|\bap\b|getty|epa|anadolu|xinhua|spa|wam|supplied|courtesy|pool",
    re.IGNORECASE,
)
# "ISLAMABAD: ...", "NEW YORK — ...", "LONDON (Reuters) - ..."; the place is all capitals.
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z'\u2019./-]+(?: [A-Z][A-Z'\u2019./-]+)*)"
    r"(?:\s*\([^()]{1,30}\))?\s*(?::|\u2014|\u2013|(?<=\)) -)\s+(?=\S)"
)
# Reuters datelines carry the date: "SALVADOR, Feb 26 -" -> "SALVADOR".
_DATELINE_TAIL_RE = re.compile(r"(?:,\s*[A-Za-z]{3,9}\.? \d{1,2})?\s*[-:\u2013\u2014]?\s*$")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")
# Invisible characters: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)


def normalise_text(text: str) -> str:
    """Return text in NFC with odd spaces made plain, invisibles removed and whitespace collapsed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(c in text for c in _INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE)
    # str.split() splits on every Unicode space (NBSP, thin, ideographic ...) and is
    # several times faster than a regex over a whole corpus.
    return " ".join(text.split())


def corpus_files(root: Path) -> list[Path]:
    """Return the readable article files under root, sorted by relative path.

    Hidden files and folders (name starting with ".") are skipped. Folder
    symlinks are not followed; a file symlink is kept only when its target
    lies inside root.
    """
    root = Path(root)
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                continue
            path = Path(folder, name)
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                log.warning("skipping %s: symlink leads outside the corpus", path)
                continue
            if path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
    return [path for _, path in sorted(found)]


def read_articles(root: Path) -> tuple[list[Article], list[Problem]]:
    """Read every article under root.

    Raises:
        CorpusError: root is not a directory.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in corpus_files(root):
        file_articles, file_problems = read_file(path, root)
        articles.extend(file_articles)
        problems.extend(file_problems)
    return articles, problems


def read_file(path: Path, root: Path) -> tuple[list[Article], list[Problem]]:
    """Read the articles of one file; bad content becomes a Problem, never an exception."""
    path, root = Path(path), Path(root)
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        source = Path(os.path.relpath(path, root)).as_posix()
    problems: list[Problem] = []
    try:
        if path.name.lower().endswith(".gz"):
            data, truncated = _read_gzip(path)
            if truncated:
                problems.append(Problem(source, "truncated or corrupt gzip; lines before the break were read"))
        else:
            data = path.read_bytes()
    except OSError as error:
        return [], [Problem(source, f"cannot read file: {error.strerror or error}")]
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [*problems, Problem(source, "binary file")]
    text = _decode(data, source)
    if not text.strip():
        return [], problems or [Problem(source, "empty file")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.name.lower().endswith((".jsonl", ".jsonl.gz")):
        articles, found = _read_jsonl(text, source)
    elif any(_DATE_LINE_RE.fullmatch(normalise_text(line)) for line in text.split("\n")):
        articles, found = _read_pasted(text, source)
    else:
        articles, found = _read_plain(text, source)
    return articles, [*problems, *found]


def _read_gzip(path: Path) -> tuple[bytes, bool]:
    """Return the decompressed bytes, cut to whole lines, and whether the stream broke.

    zlib is fed in small pieces so that everything before a break is kept
    (gzip.open loses the whole read that hits the break).
    """
    raw = path.read_bytes()
    chunks: list[bytes] = []
    while raw.strip(b"\x00"):  # gzip allows several members and zero padding
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16: expect a gzip header
        try:
            for offset in range(0, len(raw), _GZIP_PIECE):
                chunks.append(stream.decompress(raw[offset : offset + _GZIP_PIECE]))
                if stream.eof:
                    break
        except zlib.error as error:
            log.warning("%s: gzip stream broke: %s", path, error)
        if not stream.eof:
            data = b"".join(chunks)
            return data[: data.rfind(b"\n") + 1], True
        raw = stream.unused_data + raw[offset + _GZIP_PIECE :]
    return b"".join(chunks), False


def _decode(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (BOM allowed) or UTF-16 with BOM, else cp1252, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        log.info("%s: not UTF-8, read as cp1252", source)
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        log.info("%s: not UTF-8, read as Latin-1", source)
    return text


def _paragraphs(text: str) -> list[str]:
    """Split raw text into normalised paragraphs.

    Blank lines always separate paragraphs. Inside a block, a line starts a new
    paragraph when it is indented or bulleted, or when the line before is long
    (one paragraph per line, as web and BBC text has it); short lines are taken
    as hard-wrapped and joined (Reuters).
    """
    paragraphs: list[str] = []
    for block in _BLANK_LINE_RE.split(text):
        current: list[str] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            starts_new = line[:1].isspace() or _BULLET_RE.match(line.strip()) is not None
            if current and (starts_new or len(current[-1]) >= _WRAP_WIDTH):
                paragraphs.append(normalise_text(" ".join(current)))
                current = []
            current.append(line)
        if current:
            paragraphs.append(normalise_text(" ".join(current)))
    return [p for p in paragraphs if p]


def _split_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take a leading "ISLAMABAD: " off the first paragraph; return the place and the paragraphs."""
    if not paragraphs:
        return None, paragraphs
    match = _DATELINE_RE.match(paragraphs[0])
    if match is None or sum(c.isalpha() for c in match["place"]) < 3:
        return None, paragraphs
    return match["place"], [paragraphs[0][match.end() :], *paragraphs[1:]]


def _read_plain(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read a plain file: title line, then paragraphs."""
    title, _, body = text.strip().partition("\n")
    dateline, paragraphs = _split_dateline(_paragraphs(body))
    if not paragraphs:
        return [], [Problem(source, "no body text under the title")]
    article = Article(
        title=normalise_text(title), published=None, source=source,
        paragraphs=tuple(paragraphs), dateline=dateline,
    )
    return [article], []


def _read_jsonl(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read one article per JSON line; a bad line is a Problem and is skipped."""
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            article = _article_from_json(line, source, number)
        except ValueError as error:
            problems.append(Problem(source, str(error), line=number))
            continue
        if article.source in seen:
            problems.append(Problem(source, f"duplicate id {article.source.partition('#')[2]!r}", line=number))
            continue
        seen.add(article.source)
        articles.append(article)
    return articles, problems


def _article_from_json(line: str, source: str, number: int) -> Article:
    """Build an Article from one JSON line; raise ValueError saying what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    title, body = record.get("title"), record.get("text")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("missing or empty 'title'")
    if not isinstance(body, str):
        raise ValueError("missing 'text'")
    dateline, paragraphs = _split_dateline(_paragraphs(body))
    if not paragraphs:
        raise ValueError("empty 'text'")
    if isinstance(record.get("dateline"), str) and record["dateline"].strip():
        dateline = _DATELINE_TAIL_RE.sub("", normalise_text(record["dateline"])) or dateline
    identifier = _json_id(record, number)
    url = record.get("url")
    return Article(
        title=normalise_text(title),
        published=_parse_iso_date(record.get("published")),
        source=f"{source}#{identifier}",
        paragraphs=tuple(paragraphs),
        dateline=dateline,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
    )


def _json_id(record: dict, number: int) -> str:
    """Return the id of a JSON-lines article: its `id`, else its 1-based line number."""
    identifier = record.get("id")
    if identifier is None or (isinstance(identifier, str) and not identifier.strip()):
        identifier = number
    return str(identifier)


def drop_json_articles(path: Path, root: Path, sources: set[str]) -> set[str]:
    """Rewrite a JSON-lines file without the lines of the given article sources, atomically.

    Every line is matched against the file as it is before anything is
    removed, so line-number ids stay right however many go at once. Returns
    the sources that were found and removed.
    """
    relative = path.relative_to(root).as_posix()
    data, _ = _read_gzip(path) if path.name.lower().endswith(".gz") else (path.read_bytes(), False)
    lines = _decode(data, relative).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, removed = [], set()
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            record = None
        source = f"{relative}#{_json_id(record, number)}" if isinstance(record, dict) else None
        if source in sources:
            removed.add(source)
        else:
            kept.append(line)
    payload = "\n".join(kept).encode("utf-8")
    staging = path.with_name(f".{path.name}.removing")
    if path.name.lower().endswith(".gz"):
        payload = gzip.compress(payload)
    staging.write_bytes(payload)
    os.replace(staging, path)
    return removed


def _parse_iso_date(value: object) -> date | None:
    """Return the date of an ISO date or datetime (an aware datetime keeps its own local date)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"bad 'published' date: {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"bad 'published' date: {value!r}") from None


def _parse_date_line(match: re.Match[str] | None) -> date | None:
    """Return the date of an "Updated 21 May 2025" match, or None when it is not a real date."""
    month = _MONTHS.get(match["month"].lower()) if match else None
    if match is None or month is None:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _is_caption(line: str) -> bool:
    """Return True when a line ends in a photo credit like "(AFP)" or "(Handout/MOFA)"."""
    match = _CREDIT_RE.search(line)
    return match is not None and _CREDIT_WORDS_RE.search(match["credit"]) is not None


def _read_pasted(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read the client's pasted-news format: several articles, each with an "Updated" line."""
    lines = [normalise_text(line) for line in text.split("\n")]
    problems: list[Problem] = []
    heads = _find_heads(lines)
    if heads and any(lines[: heads[0].first]):
        problems.append(Problem(source, "text before the first article was ignored", line=1))
    articles: list[Article] = []
    for number, head in enumerate(heads):
        end = heads[number + 1].first if number + 1 < len(heads) else len(lines)
        article, problem = _pasted_article(lines, head, end, source)
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


def _find_heads(lines: list[str]) -> list[_Head]:
    """Find each article's head by walking back from its date line to the title."""
    heads: list[_Head] = []
    index = 0
    floor = 0
    while index < len(lines):
        if not _DATE_LINE_RE.fullmatch(lines[index]):
            index += 1
            continue
        # Date lines of one article ("Published ..." then "Updated ...") form one head.
        dates = [index]
        last = index
        probe = index + 1
        while probe < len(lines) and (_is_head_noise(lines[probe]) or _DATE_LINE_RE.fullmatch(lines[probe])):
            if lines[probe]:
                last = probe
                if _DATE_LINE_RE.fullmatch(lines[probe]):
                    dates.append(probe)
            probe += 1
        repeated = lines[probe] if probe < len(lines) else ""
        above = (i for i in range(index - 1, floor - 1, -1) if not _is_head_noise(lines[i]))
        candidates = list(itertools.islice(above, 2))
        title, caption = _pick_title(lines, candidates, repeated)
        if title is None:
            title = probe  # nothing above the date line: take the title printed below it
        heads.append(_Head(title, caption, tuple(dates), last))
        floor = last + 1
        index = probe
    return heads


def _pick_title(lines: list[str], candidates: list[int], repeated: str) -> tuple[int | None, int | None]:
    """Choose the title (and caption) among the nearest lines above a date line."""
    if not candidates:
        return None, None
    nearest = candidates[0]
    if lines[nearest] == repeated or len(candidates) == 1:
        return nearest, None
    if lines[candidates[1]] == repeated or _is_caption(lines[nearest]):
        return candidates[1], nearest
    return nearest, None


def _pasted_article(
    lines: list[str], head: _Head, end: int, source: str
) -> tuple[Article | None, Problem | None]:
    """Build one pasted article from its head and the body lines up to end."""
    title = lines[head.title] if head.title < len(lines) else ""
    if not title:
        return None, Problem(source, "article without a title", line=head.dates[0] + 1)
    caption_line = lines[head.caption] if head.caption is not None else None
    caption = _CREDIT_RE.sub("", caption_line) or None if caption_line else None
    highlights: list[str] = []
    body_lines: list[str] = []
    title_seen = False
    for index in range(head.last + 1, end):
        line = lines[index]
        if _is_head_noise(line) or _CLOSING_RE.fullmatch(line) or line == caption_line:
            continue
        if not body_lines and not title_seen and line == title:
            title_seen = True  # the page repeats the title above the body
            continue
        bullet = _BULLET_RE.match(line)
        if bullet is not None:
            text = line[bullet.end() :]
            (body_lines if body_lines else highlights).append(text)
            continue
        body_lines.append(line)
    dateline, paragraphs = _split_dateline(body_lines)
    if not paragraphs:
        return None, Problem(source, f"article {title!r} has no body text", line=head.title + 1)
    # A "Published" date wins over an "Updated" one: it is when the article first appeared.
    date_index = min(head.dates, key=lambda i: not lines[i].lower().startswith("published"))
    published = _parse_date_line(_DATE_LINE_RE.fullmatch(lines[date_index]))
    problem = None
    if published is None:
        problem = Problem(
            source, f"unreadable date {lines[date_index]!r}; article read without a date", line=date_index + 1
        )
    article = Article(
        title=title, published=published, source=source, paragraphs=tuple(paragraphs),
        highlights=tuple(highlights), dateline=dateline, caption=caption,
    )
    return article, problem
