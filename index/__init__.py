"""newsbot's engine: read articles, index their passages with BM25, answer with quotes."""

from newsbot.index.dates import format_date, parse_date_bound
from newsbot.index.engine import Engine, load
from newsbot.index.errors import (
    ArticleFormatError,
    CorpusError,
    IndexBusyError,
    IndexFormatError,
    IndexVersionError,
    IndexWriteError,
    NewsbotError,
    QuestionError,
    SourceError,
)
from newsbot.index.models import (
    ARTICLE_SUFFIXES,
    Answer,
    Article,
    IndexConfig,
    IndexStats,
    Period,
    QuestionKind,
    Quote,
    RefreshReport,
    SourceInfo,
    source_file,
)
from newsbot.index.storage.kept import KEEP_DAYS, KeptSource, drop_expired, kept_sources, restore_kept
from newsbot.index.storage.refresh import Progress

__all__ = [
    "ARTICLE_SUFFIXES",
    "Answer",
    "Article",
    "ArticleFormatError",
    "CorpusError",
    "Engine",
    "IndexBusyError",
    "IndexConfig",
    "IndexFormatError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "KEEP_DAYS",
    "KeptSource",
    "NewsbotError",
    "Period",
    "Progress",
    "QuestionError",
    "QuestionKind",
    "Quote",
    "RefreshReport",
    "SourceError",
    "SourceInfo",
    "drop_expired",
    "format_date",
    "kept_sources",
    "load",
    "parse_date_bound",
    "restore_kept",
    "source_file",
]
