"""Typed values that cross module boundaries."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta


# Article files newsbot reads; JSON-lines files hold many articles, each a "file#id" source.
JSON_LINES_SUFFIXES = (".jsonl", ".jsonl.gz")
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", *JSON_LINES_SUFFIXES)


def source_file(source: str, files: set[str] | frozenset[str] = frozenset()) -> str:
    """Return the corpus file a source names.

    "wire.jsonl#42" is article 42 of "wire.jsonl"; any other source is a file,
    "#" in its name or not ("Q&A #2.txt"). A source found in `files` is that file.
    """
    if source in files:
        return source
    at = source.find("#")
    while at != -1:  # the first "#" that follows a JSON-lines file name: ids may hold "#" too
        if source[:at].lower().endswith(JSON_LINES_SUFFIXES):
            return source[:at]
        at = source.find("#", at + 1)
    return source


@dataclass(frozen=True)
class Article:
    """One news article as read from the corpus."""

    title: str
    published: date | None
    source: str  # path relative to the corpus folder; "path#id" for a JSON-lines article
    paragraphs: tuple[str, ...]  # body paragraphs, in order, boilerplate removed
    highlights: tuple[str, ...] = ()  # bullet highlights under the title
    dateline: str | None = None  # "ISLAMABAD", without the colon
    url: str | None = None
    caption: str | None = None  # photo caption, credit removed; not indexed

    @property
    def file(self) -> str:
        """Return the corpus file this article came from."""
        return source_file(self.source)


@dataclass(frozen=True)
class IndexConfig:
    """How passages are cut and scored; stored in the manifest."""

    passage_sentences: int = 3  # sentences per passage window
    passage_overlap: int = 1  # sentences shared by neighbouring windows
    k1: float = 1.5  # rank-bm25's defaults
    b: float = 0.75
    epsilon: float = 0.25
    max_file_bytes: int = 2_000_000_000  # decompressed bytes read from one file; a larger one is skipped
    max_article_bytes: int = 10_000_000  # bytes of one article (a JSON line, a plain file); a larger one is skipped


# How the readers word a problem its article was indexed despite: a date that could not be read
# ("…; article read without a date"), bytes that are not UTF-8 ("not UTF-8 in 2 places, read as �").
_READ_ALL_THE_SAME = ("article read without a date", "read as \ufffd")


@dataclass(frozen=True)
class Problem:
    """A file (or a line of one) that could not be read, and why."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"

    @property
    def skipped(self) -> bool:
        """Return True when the problem kept something out of the index (a file, a line, an article);
        False for one its article was indexed despite (a warning: a date not read, a stray byte)."""
        return not self.reason.endswith(_READ_ALL_THE_SAME)


class ProblemList:
    """The problems of one file, the first few kept whole and the rest only counted.

    A file of a million bad lines must not become a million problems in the
    manifest: the first MAX_PER_FILE say what is wrong, one more says how many
    followed.
    """

    MAX_PER_FILE = 20

    def __init__(self, source: str) -> None:
        self.source = source
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, reason: str, line: int | None = None) -> None:
        """Record a problem, or only count it once enough are kept."""
        if len(self.kept) < self.MAX_PER_FILE:
            self.kept.append(Problem(self.source, reason, line))
        else:
            self.more += 1

    def extend(self, later: ProblemList) -> None:
        """Add the problems of a later piece of the same file, as if they had been added one by one here."""
        for problem in later.kept:
            self.add(problem.reason, problem.line)
        self.more += later.more

    def closed(self) -> list[Problem]:
        """Return the kept problems, and one that counts the rest."""
        if not self.more:
            return list(self.kept)
        return [*self.kept, Problem(self.source, f"{self.more:,} more problems like these")]


@dataclass(frozen=True)
class EventDate:
    """A date at day, month or year precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """Return "YYYY-MM-DD", "YYYY-MM" or "YYYY" by precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso()

    def first_day(self) -> date:
        """Return the first day this date covers."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """Return the last day this date covers."""
        if self.day is not None:
            return self.first_day()
        if self.month is None:
            return date(self.year, 12, 31)
        return date(self.year + (self.month == 12), self.month % 12 + 1, 1) - timedelta(days=1)


class QuestionKind(enum.Enum):
    """What kind of answer a question wants."""

    WHEN = "when"
    WHO = "who"
    WHERE = "where"
    HOW_MANY = "how_many"
    HOW_MUCH = "how_much"
    WHY = "why"
    SAID = "said"  # "what did X say?": the words someone said
    OTHER = "other"


@dataclass(frozen=True)
class ArticleRef:
    """What a quote says about its article."""

    title: str
    published: date | None
    source: str
    url: str | None = None


@dataclass(frozen=True)
class Quote:
    """One verbatim source sentence that answers a question."""

    text: str
    article: ArticleRef
    event_date: EventDate | None
    score: float


@dataclass(frozen=True)
class Period:
    """A range of days, either end open; both ends inclusive."""

    since: date | None = None
    until: date | None = None

    def __contains__(self, day: date | None) -> bool:
        if day is None:
            return False  # an undated article is in no period
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def has_days(self) -> bool:
        """Return False when the period ends before it starts ("from June 2025 to March 2025")."""
        return self.since is None or self.until is None or self.since <= self.until

    def is_to_come(self, day: date | None) -> bool:
        """Return True when the period starts after the day (of asking): "next month", "in September" in May."""
        return day is not None and self.since is not None and self.since > day


@dataclass(frozen=True)
class Answer:
    """The engine's answer to one question."""

    question: str
    kind: QuestionKind
    quotes: tuple[Quote, ...] = ()
    tentative: bool = False  # the quotes are the closest found, not a clear answer
    searched_for: tuple[str, ...] = ()  # the words searched, when a typed word was corrected
    period: Period | None = None  # the range the question or the asker bound it to
    undated_left_out: int = 0  # undated articles left out because a period was set

    @property
    def no_answer(self) -> bool:
        """Return True when no quote is shown: the articles do not answer the question."""
        return not self.quotes


@dataclass(frozen=True)
class SourceInfo:
    """One indexed article, as `sources` lists it."""

    title: str
    published: date | None
    source: str
    url: str | None
    passages: int


@dataclass(frozen=True)
class SearchHit:
    """One passage BM25 ranked for a question, named so that it stays valid after a merge."""

    source: str  # the article's source, as `sources` lists it
    article: int  # the article's number among those of its source, from 0 (a plain file may hold several)
    passage: int  # the passage's number within its article, from 0
    score: float  # rank-bm25's BM25Okapi score of the passage


@dataclass(frozen=True)
class IndexedPassage:
    """One live passage of the index: a window of an article's sentences, as BM25 scores it."""

    source: str  # the article's source, as `sources` lists it
    article: int  # the article's number among those of its source, from 0 (a plain file may hold several)
    passage: int  # the passage's number within its article, from 0
    sentences: tuple[str, ...]  # verbatim, in reading order

    @property
    def text(self) -> str:
        """Return the passage's sentences joined by spaces."""
        return " ".join(self.sentences)


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh changed, and what it skipped."""

    added: tuple[str, ...] = ()  # corpus files newly indexed
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[Problem, ...] = ()  # what this refresh found it could not take in
    warnings: tuple[Problem, ...] = ()  # problems of articles this refresh indexed all the same (`Problem.skipped`)
    articles_added: int = 0
    articles_removed: int = 0
    passages_added: int = 0
    passages_removed: int = 0
    rebuilt: bool = False  # the whole index was built anew
    reason: str | None = None  # why it was rebuilt, when it was
    undated: tuple[str, ...] = ()  # sources of newly indexed articles that have no published date

    @property
    def unchanged(self) -> bool:
        """Return True when nothing was added, changed or removed."""
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class Verification:
    """What `Engine.verify` found: the damage, whoever in this engine found it first, and what was done about it."""

    damaged: tuple[str, ...] = ()
    rebuilt: bool = False  # the index was rebuilt from the corpus after that damage
    cannot_rebuild: str | None = None  # why damage was left as it is (an index that cannot be written)


@dataclass(frozen=True)
class IndexStats:
    """Counts and facts about the index, as `stats` shows them."""

    articles: int
    passages: int
    vocabulary: int
    segments: int
    bytes_on_disk: int
    last_refresh: str | None  # ISO timestamp, UTC
    skipped: tuple[Problem, ...] = field(default_factory=tuple)  # what the index does not take in, now
    undated: int = 0  # live articles with no published date
    warnings: tuple[Problem, ...] = field(default_factory=tuple)  # problems of articles indexed all the same
    files: int = 0  # corpus files the index has read, whether or not they held an article
