"""Read article files from a corpus folder.

Five formats are read, each in its own module:

- the client's pasted-news ``.txt`` (`index.pasted`): several articles in one
  file, each with a title, an "Updated 21 May 2025" (or "Published ...") line,
  web-page boilerplate, bullet highlights and body paragraphs;
- plain ``.txt`` (`index.plain`): the first non-blank line is the title, the rest is the body;
- HTML (``.html``, ``.htm``; `index.html`): one saved page, its article extracted (trafilatura);
- Markdown (``.md``; `index.markdown`): one article, its front matter or first heading the title;
- JSON Lines (``.jsonl``, ``.jsonl.gz``; `index.jsonlines`): one article object per line.

This module finds the files, reads their bytes (decoded in decoding.py) and
picks the format. Bad content never raises: it becomes a `Problem`, and the rest of the
file is still read. A large JSON-lines file is also read in ranges
(jsonl_ranges.py), and articles are taken out of one in jsonl_removal.py.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

from newsbot.index.errors import CorpusError, SourceError
from newsbot.index.reading.decoding import TOO_MANY_GZIP_MEMBERS, decode_text, looks_binary, read_gzip
from newsbot.index.reading.html import read_html
from newsbot.index.reading.jsonlines import read_jsonl
from newsbot.index.reading.markdown import read_markdown
from newsbot.index.models import ARTICLE_SUFFIXES, Article, IndexConfig, Problem
from newsbot.index.reading.pasted import is_pasted, read_pasted
from newsbot.index.reading.plain import read_plain
from newsbot.index.reading.text import printable

__all__ = [
    "SUPPORTED_SUFFIXES",
    "UNSUPPORTED",
    "corpus_files",
    "within_unseen",
    "read_articles",
    "read_file",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES
# Why a file of another type (.pdf, .docx, .rtf) is not read: listed, not ignored in silence.
UNSUPPORTED = f"unsupported file type (newsbot reads {', '.join(SUPPORTED_SUFFIXES)})"
NOT_UTF8_NAME = "the file name is not UTF-8: rename the file to have it read"
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
        articles, found = read_plain(text, source)
    return articles, [*problems, *found]
