"""Where newsbot keeps its files: the bundled corpus and the user data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import platformdirs

from newsbot.index import ARTICLE_SUFFIXES

# The folder holding the `bot` package: the checkout, or site-packages for a
# regular install (the wheel puts the bundled `corpus/` beside `bot/`).
_ROOT = Path(__file__).resolve().parent.parent


def user_data_dir() -> Path:
    """Return newsbot's folder in the user data directory (not created)."""
    return Path(platformdirs.user_data_dir("newsbot", appauthor=False))


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
