"""Where newsbot keeps its files: the bundled corpus, and index and state folders in the user data directory."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from newsbot.index import ARTICLE_SUFFIXES

# The folder holding the `bot` package: the checkout, or site-packages for a
# regular install (the wheel puts the bundled `corpus/` beside `bot/`).
_ROOT = Path(__file__).resolve().parent.parent
# Beside each default index folder `<hash>`, `<hash>.corpus.json` names the corpus it serves.
_RECORD_SUFFIX = ".corpus.json"


def user_data_dir() -> Path:
    """Return newsbot's folder in the user data directory (not created)."""
    return Path(platformdirs.user_data_dir("newsbot", appauthor=False))


def indexes_dir() -> Path:
    """Return the folder holding one default index folder per corpus."""
    return user_data_dir() / "index"


def states_dir() -> Path:
    """Return the folder holding one default state folder per corpus, beside the indexes."""
    return user_data_dir() / "state"


def corpus_key(corpus_dir: Path) -> str:
    """Return the short name a corpus's default index and state folders share: a hash of its path."""
    return hashlib.sha256(str(corpus_dir).encode()).hexdigest()[:12]


def default_corpus_dir() -> Path:
    """Return the default corpus: the checkout's `corpus/`, else a copy of the bundled articles.

    An editable install (or a run from the checkout) reads `corpus/` in place.
    A regular install ships the articles as package data; they are copied
    once into the user data directory, so nothing is ever written into
    site-packages.
    """
    bundled = _ROOT / "corpus"
    if (_ROOT / "pyproject.toml").is_file():
        return bundled
    target = user_data_dir() / "corpus"
    if not target.exists():
        _copy_bundled(bundled, target)
    return target


def _copy_bundled(source: Path, target: Path) -> None:
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_file() and item.name.endswith(ARTICLE_SUFFIXES):
            shutil.copyfile(item, staging / item.name)
    staging.rename(target)


@dataclass(frozen=True)
class Places:
    """Where one corpus's files live: the articles, their index, and the state that outlives the index."""

    corpus_dir: Path
    index_dir: Path
    state_dir: Path


@dataclass(frozen=True)
class IndexFolder:
    """A default index folder in the user data directory, and the corpus it was built from."""

    index_dir: Path
    corpus_dir: Path | None  # None: built before newsbot recorded its corpus
    bytes_on_disk: int
    last_changed: datetime | None  # the newest file in it: its last refresh

    @property
    def stale(self) -> bool:
        """Return True when the corpus it was built from is gone."""
        return self.corpus_dir is not None and not self.corpus_dir.is_dir()


def record_corpus(index_dir: Path, corpus_dir: Path) -> None:
    """Note beside a default index folder which corpus it serves, for `newsbot indexes` (no-op elsewhere)."""
    if index_dir.parent != indexes_dir():
        return
    record = index_dir.with_name(index_dir.name + _RECORD_SUFFIX)
    text = json.dumps({"corpus_dir": str(corpus_dir)}, ensure_ascii=False)
    with contextlib.suppress(OSError):  # a record it cannot write only makes the listing vaguer
        if not record.is_file() or record.read_text(encoding="utf-8") != text:
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(text, encoding="utf-8")


def list_indexes() -> list[IndexFolder]:
    """Return the default index folders, by corpus path (unknown corpora last)."""
    root = indexes_dir()
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        size, newest = 0, None
        for path in folder.rglob("*"):
            with contextlib.suppress(OSError):  # a writer may delete it meanwhile
                st = path.stat()
                if path.is_file():
                    size += st.st_size
                    newest = max(newest or 0.0, st.st_mtime)
        found.append(IndexFolder(folder, _recorded_corpus(folder), size, datetime.fromtimestamp(newest, UTC) if newest else None))
    return sorted(found, key=lambda f: (f.corpus_dir is None, str(f.corpus_dir or ""), f.index_dir.name))


def delete_index(folder: IndexFolder) -> None:
    """Delete a default index folder and its corpus record (never a state folder)."""
    shutil.rmtree(folder.index_dir)
    folder.index_dir.with_name(folder.index_dir.name + _RECORD_SUFFIX).unlink(missing_ok=True)


def _recorded_corpus(index_dir: Path) -> Path | None:
    try:
        return Path(json.loads(index_dir.with_name(index_dir.name + _RECORD_SUFFIX).read_text(encoding="utf-8"))["corpus_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
