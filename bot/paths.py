"""Where newsbot keeps its files: the bundled corpus and the user data directory."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import platformdirs

_CHECKOUT = Path(__file__).resolve().parent.parent
_BUNDLED_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz")


def user_data_dir() -> Path:
    """Return newsbot's folder in the user data directory (not created)."""
    return Path(platformdirs.user_data_dir("newsbot", appauthor=False))


def default_corpus_dir() -> Path:
    """Return the default corpus: the checkout's `corpus/`, else a copy of the bundled articles.

    An editable install (or a run from the checkout) reads `corpus/` in place.
    An installed wheel ships the articles as package data; they are copied
    once into the user data directory, so nothing is ever written into
    site-packages.
    """
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "corpus").is_dir():
        return _CHECKOUT / "corpus"
    target = user_data_dir() / "corpus"
    if not target.exists():
        _copy_bundled(target)
    return target


def _copy_bundled(target: Path) -> None:
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in resources.files("corpus").iterdir():
        if item.is_file() and item.name.endswith(_BUNDLED_SUFFIXES):
            (staging / item.name).write_bytes(item.read_bytes())
    staging.rename(target)
