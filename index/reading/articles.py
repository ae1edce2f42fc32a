"""Read article files from a corpus folder.

Five formats are read, each in its own module:

- the client's pasted-news ``.txt`` (`index.pasted`): several articles in one
  file, each with a title, an "Updated 21 May 2025" (or "Published ...") line,
  web-page boilerplate, bullet highlights and body paragraphs;
- plain ``.txt`` (here): the first non-blank line is the title, the rest is the body;
- HTML (``.html``, ``.htm``; `index.html`): one saved page, its article extracted (trafilatura);
- Markdown (``.md``; `index.markdown`): one article, its front matter or first heading the title;
- JSON Lines (``.jsonl``, ``.jsonl.gz``; `index.jsonlines`): one article object per line.

This module finds the files, reads their bytes (decoded in decoding.py) and
picks the format. Bad content never raises: it becomes a `Problem`, and the rest of the
file is still read.
"""

from __future__ import annotations

import dataclasses
import errno
import gzip
import logging
import mmap
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsbot.index.compiled import compiled

from newsbot.index.errors import CorpusError, SourceError
from newsbot.index.reading.decoding import (
    BINARY_NUL_SHARE,
    TOO_MANY_GZIP_MEMBERS,
    decode_text,
    looks_binary,
    read_gzip,
)
from newsbot.index.reading.html import read_html
from newsbot.index.reading.jsonlines import drop_lines, read_jsonl, read_jsonl_lines
from newsbot.index.reading.markdown import read_markdown
from newsbot.index.models import ARTICLE_SUFFIXES, Article, IndexConfig, Problem, ProblemList
from newsbot.index.reading.pasted import is_pasted, read_pasted
from newsbot.index.reading.text import (
    DATE_LINE_REACH,
    find_date_line,
    is_byline,
    normalise_text,
    printable,
    split_dateline,
    split_paragraphs,
    unreadable_date,
    without_date_lines,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "UNSUPPORTED",
    "corpus_files",
    "within_unseen",
    "drop_json_articles",
    "take_json_articles",
    "LineRange",
    "read_articles",
    "read_file",
    "read_jsonl_range",
    "split_jsonl",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES
# Why a file of another type (.pdf, .docx, .rtf) is not read: listed, not ignored in silence.
UNSUPPORTED = f"unsupported file type (newsbot reads {', '.join(SUPPORTED_SUFFIXES)})"
NOT_UTF8_NAME = "the file name is not UTF-8: rename the file to have it read"
# A first line longer than this is no title but an article pasted as one line (headlines run to about 100).
LONGEST_TITLE = 300
# Why a linked folder is not read: a link may lead anywhere, or loop (`sub/loop -> .`).
FOLDER_LINK = "symlink to a folder; not followed (move or copy the folder in)"


def corpus_files(root: Path, problems: list[Problem] | None = None, unseen: list[str] | None = None) -> list[Path]:
    """Return the readable article files under root, sorted by relative path.

    Hidden files and folders (name starting with ".") and editor backups
    ("news.txt~", "#news.txt#") are skipped in silence. A file of another
    type (`UNSUPPORTED`) is left out. Folder symlinks are not followed; a
    file symlink is kept only when its target lies inside root. A link that
    loops, dangles or leads outside is left out. What is left out, other
    than hidden entries and backups, is appended to `problems` with its
    reason when given.

    A folder that cannot be listed, or a file that cannot be looked at
    (permissions), is a problem too, and its corpus-relative path ("." for
    root) is appended to `unseen`: its files are still there as far as
    anyone can tell, so an index keeps what it holds of them
    (`within_unseen`) rather than dropping it as deleted.
    """
    root = Path(root)
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []

    def cannot_see(path: Path, error: OSError, what: str) -> None:
        relative = Path(os.path.relpath(path, root)).as_posix()
        reason = f"cannot read {what}: {error.strerror or error}"
        log.warning("skipping %s: %s", printable(relative), reason)
        if problems is not None:
            problems.append(Problem(printable(relative), reason))
        if unseen is not None:
            unseen.append(relative)

    def walk_error(error: OSError) -> None:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):  # gone since its parent was listed: removed
            cannot_see(Path(error.filename), error, "folder")

    for folder, dirnames, filenames in os.walk(root, onerror=walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in dirnames:
            if (link := Path(folder, name)).is_symlink() and problems is not None:
                problems.append(Problem(printable(link.relative_to(root).as_posix()), FOLDER_LINK))
        for name in filenames:
            if _skipped_quietly(name):
                continue
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if (shown := printable(relative)) != relative:  # bytes that are not UTF-8, as the file system has them
                log.warning("skipping %s: %s", shown, NOT_UTF8_NAME)
                if problems is not None:
                    problems.append(Problem(shown, NOT_UTF8_NAME))
                continue
            if not name.lower().endswith(SUPPORTED_SUFFIXES):
                if problems is not None:
                    problems.append(Problem(relative, UNSUPPORTED))
                continue
            try:
                link = stat.S_ISLNK(path.lstat().st_mode)
            except FileNotFoundError:
                continue  # gone since its folder was listed: removed
            except OSError as error:  # a folder that may be listed but not entered
                cannot_see(path, error, "file")
                continue
            reason = _link_problem(path, real_root) if link else None
            if reason is not None:
                log.warning("skipping %s: %s", path, reason)
                if problems is not None:
                    problems.append(Problem(relative, reason))
                continue
            if path.is_file():
                found.append((relative, path))
    return [path for _, path in sorted(found)]


def within_unseen(name: str, unseen: list[str] | tuple[str, ...]) -> bool:
    """Return True when a corpus-relative file lies in (or is) an entry `corpus_files` could not see."""
    return any(entry in (".", name) or name.startswith(f"{entry}/") for entry in unseen)


def _skipped_quietly(name: str) -> bool:
    """Return True for a file no one means as an article: hidden, or an editor's backup or autosave."""
    return name.startswith(".") or name.endswith("~") or (len(name) > 1 and name.startswith("#") and name.endswith("#"))


def _link_problem(path: Path, real_root: Path) -> str | None:
    """Return why a symlink in the corpus cannot be read as an article, or None when it can."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so; 3.13 raises OSError(ELOOP)
        return "symlink loop"
    except OSError as error:
        return "symlink loop" if error.errno == errno.ELOOP else "symlink to nothing"
    if not target.is_relative_to(real_root):
        return "symlink leads outside the corpus"
    return None


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


def read_file(path: Path, root: Path, config: IndexConfig | None = None) -> tuple[list[Article], list[Problem]]:
    """Read the articles of one file; bad content becomes a Problem, never an exception.

    A file larger than `config.max_file_bytes` once decompressed is not read,
    and an article larger than `config.max_article_bytes` is skipped: a small
    gzip bomb costs a few megabytes, not gigabytes.
    """
    path, root = Path(path), Path(root)
    limits = config or IndexConfig()
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        source = Path(os.path.relpath(path, root)).as_posix()
    problems: list[Problem] = []
    too_big = Problem(source, f"larger than {limits.max_file_bytes:,} bytes once decompressed (NEWSBOT_MAX_FILE_BYTES); not read")
    try:
        if path.name.lower().endswith(".gz"):
            try:
                data, truncated = read_gzip(path, limits.max_file_bytes, source)
            except SourceError:
                return [], [Problem(source, TOO_MANY_GZIP_MEMBERS)]
            if data is None:
                return [], [too_big]
            if truncated:
                problems.append(Problem(source, "truncated or corrupt gzip; lines before the break were read"))
        elif path.stat().st_size > limits.max_file_bytes:
            return [], [too_big]
        else:
            data = path.read_bytes()
    except OSError as error:
        return [], [Problem(source, f"cannot read file: {error.strerror or error}")]
    json_lines = path.name.lower().endswith((".jsonl", ".jsonl.gz"))
    if looks_binary(data, json_lines):
        return [], [*problems, Problem(source, "binary file")]
    text, undecoded = decode_text(data, source)
    if undecoded is not None:
        problems.append(undecoded)
    if not text.strip():
        return [], problems or [Problem(source, "empty file")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pasted = not json_lines and is_pasted(text)
    if json_lines:
        articles, found = read_jsonl(text, source, limits.max_article_bytes)
    elif len(data) > limits.max_article_bytes and not pasted:
        return [], [*problems, Problem(source, f"an article of over {limits.max_article_bytes:,} bytes (NEWSBOT_MAX_ARTICLE_BYTES); not read")]
    elif path.suffix.lower() in (".html", ".htm"):
        articles, found = read_html(text, source)
    elif path.suffix.lower() == ".md":
        articles, found = read_markdown(text, source)
    elif pasted:
        articles, found = read_pasted(text, source)
    else:
        articles, found = _read_plain(text, source)
    return articles, [*problems, *found]


@dataclass(frozen=True)
class LineRange:
    """A byte range of a JSON-lines file that starts at the beginning of a line."""

    start: int
    stop: int
    first_line: int  # the number `read_file` gives the range's first line
    file_id: tuple[int, int, int] = (0, 0, 0)  # (inode, size, mtime) of the file the ranges were cut from


def split_jsonl(path: Path, pieces: int, config: IndexConfig | None = None) -> list[LineRange] | None:
    """Cut a JSON-lines file into about `pieces` byte ranges at line ends, to be read apart (`read_jsonl_range`).

    Returns None when the file is not one to cut: compressed, UTF-16, binary,
    too large to read at all, or holding too few lines; `read_file` then reads
    it whole and says what is wrong. The bytes are read here once, a range
    at a time, to number the lines.
    """
    limits = config or IndexConfig()
    if not path.name.lower().endswith(".jsonl") or pieces < 2:
        return None
    try:
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            st = os.fstat(handle.fileno())
            size = len(data)
            if size > limits.max_file_bytes or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                return None
            cuts = [0]
            for piece in range(1, pieces):
                end = data.find(b"\n", max(cuts[-1], size * piece // pieces))
                if end < 0:
                    break
                if end + 1 < size:
                    cuts.append(end + 1)
            cuts.append(size)
            ranges, line, nuls = [], 1, 0
            # Counted through a map of its own: a view of `data` still held when an error unwinds
            # would keep `data` from closing (BufferError), where np.memmap closes when dropped.
            counted = np.memmap(handle, np.uint8, mode="r", shape=(size,))
            spans = [(start, stop) for start, stop in zip(cuts, cuts[1:]) if stop > start]
            # A cut follows a \n: no \r\n straddles one. The ranges are counted on every core (the
            # loop lets go of the GIL), before the build's workers start: 0.30 s alone for 265 MB, 0.15 s on two.
            with ThreadPoolExecutor(max(1, min(len(spans), os.cpu_count() or 1))) as counting:
                counts = list(counting.map(lambda span: _line_ends(counted[span[0] : span[1]]), spans))
            for (start, stop), (ends, zeros) in zip(spans, counts):
                ranges.append(LineRange(start, stop, line))
                line, nuls = line + ends, nuls + zeros
            del counted
    except (OSError, ValueError):  # ValueError: mmap of an empty file
        return None
    if len(ranges) < 2 or (nuls and nuls * BINARY_NUL_SHARE > size):
        return None
    # Each range is read by another process later: it checks the file is still the one cut here.
    file_id = (st.st_ino, st.st_size, st.st_mtime_ns)
    return [dataclasses.replace(r, file_id=file_id) for r in ranges]


@compiled
def _line_ends(data: np.ndarray) -> tuple[int, int]:
    r"""Return the line ends in bytes as read_file counts them (\r\n, \r and \n each one), and the NUL bytes.

    One compiled pass: counted by bytes.count, each kind a pass of its own
    over a copy of the range, a 276 MB file took 1.0 s; this takes 0.1 s.
    """
    ends, zeros, size = 0, 0, len(data)
    for at in range(size):
        byte = data[at]
        if byte == 10:
            ends += 1
        elif byte == 13:
            ends += at + 1 == size or data[at + 1] != 10  # a \r\n is counted at its \n
        elif byte == 0:
            zeros += 1
    return ends, zeros


def read_jsonl_range(
    path: Path, root: Path, part: LineRange, config: IndexConfig | None = None
) -> tuple[list[Article], ProblemList] | None:
    """Read the articles of one range of a JSON-lines file as `read_file` reads them in the whole file.

    Returns None when the range is not UTF-8 (the whole file then falls back
    to another encoding, which only a reading of all of it can decide), or
    when the file changed since it was cut (a range would start mid-line).
    Problems come back open, to be joined range after range (`ProblemList.extend`).
    """
    limits = config or IndexConfig()
    source = path.relative_to(root).as_posix()
    try:
        with path.open("rb") as handle:
            st = os.fstat(handle.fileno())
            if (st.st_ino, st.st_size, st.st_mtime_ns) != part.file_id:
                return None
            data = os.pread(handle.fileno(), part.stop - part.start, part.start)
    except OSError as error:
        problems = ProblemList(source)
        problems.add(f"cannot read file: {error.strerror or error}")
        return [], problems
    try:
        text = data.decode("utf-8-sig" if part.start == 0 else "utf-8")
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return read_jsonl_lines(text, source, limits.max_article_bytes, part.first_line)


def drop_json_articles(path: Path, root: Path, sources: set[str]) -> bytes:
    """Return a JSON-lines file's bytes with the lines of the given article sources blanked (nothing is written).

    A removed line is left empty, so every later line keeps its number (the
    name of an article without an `id`); a later line with the same id goes
    too (see `jsonlines.drop_lines`). Every other line is kept byte for byte;
    write the result with `index.files.write_beside`. Raises SourceError for
    a file that is a symlink, a compressed file whose tail cannot be read
    (rewriting it would lose that tail without a word) or of too many
    members, or a source the file does not hold.
    """
    return take_json_articles(path, root, sources)[0]


def take_json_articles(path: Path, root: Path, sources: set[str]) -> tuple[bytes, dict[str, bytes]]:
    """Return a JSON-lines file's bytes without the given articles, and each removed article's own lines.

    As `drop_json_articles` (and raising as it does); the lines come back
    uncompressed, each ending in a newline, so they can be appended to a
    file again: one line, or the line and its duplicates, in file order.
    """
    relative = path.relative_to(root).as_posix()
    if path.is_symlink():
        raise SourceError(f"{relative}: a symlink; articles are removed only from the file itself")
    compressed = path.name.lower().endswith(".gz")
    data, truncated = read_gzip(path, name=relative) if compressed else (path.read_bytes(), False)
    if truncated:
        raise SourceError(f"{relative}: truncated or corrupt gzip; not rewritten, as its unreadable tail would be lost")
    def decode(data: bytes) -> str:
        return decode_text(data, relative)[0]  # as the file was read; a stray byte is reported when it is read

    payload, removed = drop_lines(data, relative, sources, decode)
    if removed != sources:
        raise SourceError(f"{', '.join(sorted(sources - removed))}: not found in {relative}")
    lines = {source: _blanked_lines(data, drop_lines(data, relative, {source}, decode)[0]) for source in sorted(sources)}
    return (gzip.compress(payload) if compressed else payload), lines


def _blanked_lines(data: bytes, blanked: bytes) -> bytes:
    """Return the lines of data that `blanked` holds empty, each ending in a newline (no other line differs)."""
    before, after = data.splitlines(keepends=True), blanked.splitlines(keepends=True)
    after += [b""] * (len(before) - len(after))  # a last line with no ending left nothing
    return b"".join(old.rstrip(b"\r\n") + b"\n" for old, new in zip(before, after) if old != new)


def _no_body(source: str, title: str) -> Problem:
    """Say why a plain file gave no article: a title alone, or a whole article pasted as one line."""
    if len(title) > LONGEST_TITLE:
        return Problem(source, f"one line of {len(title):,} characters and nothing under it: put the title on a line of its own, then the text")
    return Problem(source, "no body text under the title")


def _read_plain(text: str, source: str) -> tuple[list[Article], list[Problem]]:
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
