"""newsbot's engine: read articles, index their passages with BM25, answer with quotes."""

from index.engine import Engine, load
from index.errors import (
    ArticleFormatError,
    CorpusError,
    IndexFormatError,
    IndexVersionError,
    IndexWriteError,
    NewsbotError,
    QuestionError,
    SourceError,
)
from index.models import Answer, Article, IndexConfig, Quote

__all__ = [
    "Answer",
    "Article",
    "ArticleFormatError",
    "CorpusError",
    "Engine",
    "IndexConfig",
    "IndexFormatError",
    "IndexVersionError",
    "IndexWriteError",
    "NewsbotError",
    "QuestionError",
    "Quote",
    "SourceError",
    "load",
]
