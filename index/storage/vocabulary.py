"""The index's global vocabulary: term ids that never change once given."""

from __future__ import annotations

import os
from pathlib import Path



class Vocabulary:
    """Map terms to stable integer ids; new terms are appended, never renumbered.

    On disk it is one term a line, append-only; the manifest records how many
    lines are valid, so lines written by a refresh that crashed are ignored
    (and cut off by the next append).
    """

    def __init__(self, terms: list[str] | None = None) -> None:
        self.terms: list[str] = list(terms or [])
        self.ids: dict[str, int] = {term: i for i, term in enumerate(self.terms)}

    def copy(self) -> Vocabulary:
        """Return a copy a writer may grow while readers keep this one."""
        clone = Vocabulary()
        clone.terms = self.terms.copy()
        clone.ids = self.ids.copy()
        return clone

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, term: str) -> int | None:
        """Return the id of term, or None when the index has never seen it."""
        return self.ids.get(term)

    def add_all(self, tokens: list[str]) -> list[int]:
        """Return the ids of tokens, giving new ids to terms never seen."""
        ids = self.ids
        out = []
        for token in tokens:
            term_id = ids.get(token)
            if term_id is None:
                term_id = ids[token] = len(self.terms)
                self.terms.append(token)
            out.append(term_id)
        return out

    @classmethod
    def load(cls, path: Path, size: int) -> Vocabulary:
        """Read the first `size` terms of a vocabulary file."""
        if size == 0:
            return cls()
        with path.open("r", encoding="utf-8", newline="\n") as handle:
            terms = handle.read().split("\n", size)[:size]
        if len(terms) < size:
            raise ValueError(f"{path} holds {len(terms)} terms, the manifest expects {size}")
        return cls(terms)

    def save(self, path: Path, saved: int, saved_bytes: int) -> int:
        """Append the terms after the first `saved` (which fill `saved_bytes`) to a vocabulary file, durably.

        Whatever lies past `saved_bytes` (left by a refresh that crashed) is cut
        off first. Returns the file's valid length in bytes, for the manifest.
        """
        with path.open("a+b") as handle:
            handle.truncate(saved_bytes)
            handle.seek(0, os.SEEK_END)
            new = self.terms[saved:]
            if new:
                handle.write(("\n".join(new) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
            return handle.tell()
