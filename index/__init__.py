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
from newsbot.index.models import ARTICLE_SUFFIXES, Answer, Article, IndexConfig, Period, Quote, source_file

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
    "IndexVersionError",
    "IndexWriteError",
    "NewsbotError",
    "Period",
    "QuestionError",
    "Quote",
    "SourceError",
    "format_date",
    "load",
    "parse_date_bound",
    "source_file",
]
