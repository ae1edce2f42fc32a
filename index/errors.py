"""The engine's errors: one base class, a few named kinds the front ends translate."""


class NewsbotError(Exception):
    """Base class for every error newsbot raises on purpose."""


class CorpusError(NewsbotError):
    """The corpus folder is missing, unreadable or holds no readable article."""


class CorpusGoneError(CorpusError):
    """The corpus folder is missing or holds no article file while the index holds articles from it: the index is kept."""


class CorpusBusyError(CorpusError):
    """Another process is changing the corpus folder for longer than this one would wait."""


class ArticleFormatError(NewsbotError):
    """An article file cannot be parsed (bad encoding, binary, malformed line)."""


class IndexFormatError(NewsbotError):
    """The on-disk index is corrupt, or of a format this version cannot read."""


class QuestionError(NewsbotError):
    """The question is empty, or holds no searchable word."""


class SourceError(NewsbotError):
    """An article source cannot be added or removed (unknown, clashing or unsafe name)."""


class UnknownSourceError(SourceError):
    """The index holds no source of that name (the front end says where its sources are listed)."""


class IndexVersionError(NewsbotError):
    """The index was written by a newer newsbot and is left untouched.

    Not an IndexFormatError: damage is repaired by rebuilding, a newer format never is.
    """


class IndexOwnerError(NewsbotError):
    """The index folder holds the index of another corpus folder, which still exists: it is left alone."""


class IndexWriteError(NewsbotError):
    """The index folder cannot be created or written (permissions, a file in the way, a full disk)."""


class IndexDamagedError(IndexWriteError):
    """The index is damaged and cannot be rebuilt where it lies (a read-only index folder): says what, and why not."""

    def __init__(self, damaged: tuple[str, ...], cannot_rebuild: str) -> None:
        super().__init__(f"{'; '.join(damaged)}, and it cannot be rebuilt: {cannot_rebuild}")
        self.damaged = damaged
        self.cannot_rebuild = cannot_rebuild


class IndexBusyError(IndexWriteError):
    """Another process holds the index's writer lock longer than this one would wait."""
