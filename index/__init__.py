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
    ArticleRef,
    EventDate,
    IndexConfig,
    IndexedPassage,
    IndexStats,
    Period,
    Problem,
    QuestionKind,
    Quote,
    RefreshReport,
    SearchHit,
    SourceInfo,
    source_file,
)
from newsbot.index.reading.articles import gunzip, read_file
from newsbot.index.storage.build import file_hash
from newsbot.index.storage.kept import KEEP_DAYS, KeptSource, drop_expired, kept_sources, restore_kept
from newsbot.index.storage.refresh import Progress

__all__ = [
    "ARTICLE_SUFFIXES",
    "Answer",
    "Article",
    "ArticleFormatError",
    "ArticleRef",
    "CorpusError",
    "Engine",
    "EventDate",
    "IndexBusyError",
    "IndexConfig",
    "IndexFormatError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "IndexedPassage",
    "KEEP_DAYS",
    "KeptSource",
    "NewsbotError",
    "Period",
    "Problem",
    "Progress",
    "QuestionError",
    "QuestionKind",
    "Quote",
    "RefreshReport",
    "SearchHit",
    "SourceError",
    "SourceInfo",
    "drop_expired",
    "file_hash",
    "format_date",
    "gunzip",
    "kept_sources",
    "load",
    "parse_date_bound",
    "read_file",
    "restore_kept",
    "source_file",
]
