"""newsbot's engine: read articles, index their passages with BM25, answer with quotes."""

from newsbot.index.corpus import corpus_lock, restore_into_corpus, sweep_corpus
from newsbot.index.published import format_date, parse_date_bound
from newsbot.index.engine import Engine
from newsbot.index.loading import load
from newsbot.index.errors import (
    ArticleFormatError,
    CorpusBusyError,
    CorpusError,
    CorpusGoneError,
    IndexBusyError,
    IndexDamagedError,
    IndexFormatError,
    IndexOwnerError,
    IndexVersionError,
    IndexWriteError,
    NewsbotError,
    QuestionError,
    SourceError,
    UnknownSourceError,
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
    Verification,
    source_file,
)
from newsbot.index.reading.articles import read_file
from newsbot.index.reading.decoding import gunzip
from newsbot.index.reading.text import printable
from newsbot.index.storage.build import Progress, file_hash
from newsbot.index.storage.kept import KEEP_DAYS, KeptSource, drop_expired, kept_sources, restore_kept
from newsbot.index.storage.files import write_beside
from newsbot.index.storage.locks import exclusive_lock
from newsbot.index.web.errors import WebError
from newsbot.index.web.fetch import WebPolicy
from newsbot.index.web.urls import ALLOWED_SCHEMES
from newsbot.index.web.poll import add_page, add_page_and_refresh, poll_and_refresh
from newsbot.index.web.reports import FeedPoll, PageAdded, PollReport
from newsbot.index.web.subscribe import FeedAdded, FeedInfo, FeedRemoved, add_feed, list_feeds, remove_feed

__all__ = [
    "ALLOWED_SCHEMES",
    "ARTICLE_SUFFIXES",
    "Answer",
    "Article",
    "ArticleFormatError",
    "ArticleRef",
    "CorpusBusyError",
    "CorpusError",
    "CorpusGoneError",
    "Engine",
    "EventDate",
    "FeedAdded",
    "FeedInfo",
    "FeedPoll",
    "FeedRemoved",
    "IndexBusyError",
    "IndexConfig",
    "IndexDamagedError",
    "IndexFormatError",
    "IndexOwnerError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "IndexedPassage",
    "KEEP_DAYS",
    "KeptSource",
    "NewsbotError",
    "PageAdded",
    "Period",
    "PollReport",
    "Problem",
    "Progress",
    "QuestionError",
    "QuestionKind",
    "Quote",
    "RefreshReport",
    "SearchHit",
    "SourceError",
    "SourceInfo",
    "UnknownSourceError",
    "Verification",
    "WebError",
    "WebPolicy",
    "add_feed",
    "add_page",
    "add_page_and_refresh",
    "corpus_lock",
    "drop_expired",
    "exclusive_lock",
    "file_hash",
    "format_date",
    "gunzip",
    "kept_sources",
    "list_feeds",
    "load",
    "parse_date_bound",
    "poll_and_refresh",
    "printable",
    "read_file",
    "remove_feed",
    "restore_into_corpus",
    "restore_kept",
    "source_file",
    "sweep_corpus",
    "write_beside",
]
