"""Measure how well newsbot's quotes answer labelled questions, beside two plain BM25 peers.

    python benchmarks/quality.py [--sets bundled stories reuters] [--squad] [--squad-limit N] [--misses]

For each labelled set (benchmarks/questions/<set>.jsonl; see its README) newsbot
indexes the set's corpus in a temporary folder and answers every question with
three quotes; rank-bm25 (lower-case white-space tokens) and bm25s (stop words,
Snowball stems) rank exactly the sentences newsbot indexed and return their best
three. A quote hits when it holds a gold substring (case and white space
folded). `--squad` does the same over SQuAD v1.1 dev, where a hit is the very
sentence that holds the gold answer. Prints markdown tables and writes JSON
(default benchmarks/results/quality.json), per question too.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.peers import PEERS, Sentence, corpus_sentences, make_peer

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO.parent / "shared" / "data"
QUESTIONS_DIR = REPO / "benchmarks" / "questions"
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_SETS = ("bundled", "stories", "reuters")
TOP_K = 3
NEWSBOT = "newsbot"
CRASH = "crash: "  # how a crashed question's error starts
PEER_LIBRARIES = {"rank-bm25": "rank_bm25", "bm25s": "bm25s"}

REUTERS_FILE = "reuters21578.jsonl.gz"
REUTERS_FIRST, REUTERS_LAST = date(1987, 3, 2), date(1987, 3, 6)
SQUAD_FILE = "squad_dev-v1.1.json.gz"
SQUAD_CORPUS_FILE = "squad.jsonl"

# The questions README's categories, in its order; tables list any other after them.
CATEGORIES = (
    "who", "what", "when", "where", "how_many", "how_much", "why", "yes_no", "keyword",
    "paraphrase", "typo", "accent", "time", "off_topic", "near_topic",
)  # fmt: skip
UNANSWERABLE = ("off_topic", "near_topic")

# Invisible characters newsbot's reader removes (index/text.py) and the mapper must skip.
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")


def default_corpora(data_dir: Path) -> dict[str, Path | Callable[[Path], Path]]:
    """Return each known set's corpus: a folder, or a function writing one into a work folder."""
    return {
        "bundled": REPO / "corpus",
        "stories": QUESTIONS_DIR / "stories",
        "reuters": lambda workdir: write_reuters_corpus(data_dir / REUTERS_FILE, workdir / "reuters-corpus"),
    }


# ---------------------------------------------------------------- labelled questions


@dataclass(frozen=True)
class LabelledQuestion:
    """One line of a labelled set."""

    id: str
    question: str
    category: str
    answerable: bool
    gold: tuple[str, ...]
    published: str | None
    event_date: str | None
    as_of: date | None
    note: str = ""


def read_questions(path: Path) -> tuple[list[LabelledQuestion], list[str]]:
    """Read a labelled set; a malformed line is a problem (reported, skipped), never an exception."""
    questions: list[LabelledQuestion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            question = _labelled_question(record)
        except (ValueError, TypeError, KeyError) as error:
            problems.append(f"{path.name}:{number}: {error}")
            continue
        if question.id in seen:
            problems.append(f"{path.name}:{number}: duplicate id {question.id!r}")
            continue
        seen.add(question.id)
        questions.append(question)
    return questions, problems


def _labelled_question(record: object) -> LabelledQuestion:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "question", "category"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise ValueError(f"missing or empty {key!r}")
    answerable = record.get("answerable")
    if not isinstance(answerable, bool):
        raise ValueError("'answerable' must be true or false")
    gold = record.get("gold") or []
    if not isinstance(gold, list) or not all(isinstance(g, str) and g.strip() for g in gold):
        raise ValueError("'gold' must be a list of non-empty strings")
    if answerable and not gold:
        raise ValueError("an answerable question needs 'gold'")
    for key in ("published", "event_date", "as_of"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"{key!r} must be a string or null")
    as_of = date.fromisoformat(record["as_of"]) if record.get("as_of") else None
    return LabelledQuestion(
        id=record["id"],
        question=record["question"],
        category=record["category"],
        answerable=answerable,
        gold=tuple(gold),
        published=record.get("published") or None,
        event_date=record.get("event_date") or None,
        as_of=as_of,
        note=record.get("note") or "",
    )


def fold(text: str) -> str:
    """Return text as the gold comparison sees it: NFC, case folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def hit_rank(texts: Iterable[str], gold: Iterable[str]) -> int | None:
    """Return the 1-based rank of the first text holding a gold substring, or None."""
    wanted = [fold(g) for g in gold]
    for rank, text in enumerate(texts, start=1):
        folded = fold(text)
        if any(g in folded for g in wanted):
            return rank
    return None


# ---------------------------------------------------------------- newsbot


@dataclass
class Newsbot:
    """newsbot's engine over one corpus, asked the way the benchmark asks."""

    engine: object
    takes_as_of: bool
    saw_tentative: bool = False  # some answer carried a `tentative` attribute
    crashes: int = 0  # questions on which engine.answer() raised something other than QuestionError
    first_crash: str | None = None  # the first such traceback

    @classmethod
    def load(cls, corpus_dir: Path, index_dir: Path) -> tuple[Newsbot, float]:
        from newsbot.index import load

        start = time.perf_counter()
        engine = load(corpus_dir, index_dir)
        seconds = time.perf_counter() - start
        parameters = inspect.signature(engine.answer).parameters
        takes = "as_of" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        return cls(engine, takes), seconds

    def ask(self, question: str, as_of: date | None) -> tuple[object | None, str | None, float]:
        """Return (answer, error, seconds); a question newsbot rejects has no answer and an error.

        A crash (any other exception) is counted and kept as "crash: ..." in the error, so
        one bad question does not end a long run; the run then exits non-zero.
        """
        from newsbot.index import QuestionError

        extra = {"as_of": as_of} if self.takes_as_of else {}
        start = time.perf_counter()
        try:
            answer = self.engine.answer(question, top_k=TOP_K, **extra)
        except QuestionError as error:
            return None, str(error), time.perf_counter() - start
        except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
            self.crashes += 1
            if self.first_crash is None:
                self.first_crash = traceback.format_exc()
            return None, f"{CRASH}{type(error).__name__}: {error}", time.perf_counter() - start
        seconds = time.perf_counter() - start
        if hasattr(answer, "tentative"):
            self.saw_tentative = True
        return answer, None, seconds


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def quote_record(quote) -> dict:
    """Return a quote as plain JSON."""
    return {
        "text": quote.text,
        "title": quote.article.title,
        "published": _iso(quote.article.published),
        "source": quote.article.source,
        "event_date": quote.event_date.iso() if quote.event_date is not None else None,
        "score": quote.score,
    }


# ---------------------------------------------------------------- one labelled set


@dataclass
class SetRun:
    """The outcome of one labelled set."""

    name: str
    questions_file: str
    corpus: str
    articles: int
    sentences: int
    problems: list[str]
    records: list[dict]
    build_s: dict[str, float]
    ms_per_question: dict[str, float]
    peers: list[str]
    as_of_passed: bool
    tentative_seen: bool
    notes: list[str] = field(default_factory=list)
    crashes: int = 0
    first_crash: str | None = None


def _available_peers() -> list[str]:
    return [p for p in PEERS if importlib.util.find_spec(PEER_LIBRARIES[p]) is not None]


def _dates_right(gold: LabelledQuestion, published: str | None, event_date: str | None, *, check_event: bool) -> bool:
    if published != gold.published:
        return False
    return not (check_event and gold.event_date is not None and event_date != gold.event_date)


def run_set(
    name: str,
    questions: list[LabelledQuestion],
    corpus_dir: Path,
    workdir: Path,
    peers: list[str],
    say: Callable[[str], None],
) -> SetRun:
    """Ask every question of a set of newsbot and the peers; return per-question records and timings."""
    sentences, articles, problems = corpus_sentences(corpus_dir)
    say(f"[{name}] {len(questions)} questions; corpus {corpus_dir}: {articles} articles, {len(sentences)} sentences")
    records = [
        {
            "id": q.id,
            "question": q.question,
            "category": q.category,
            "answerable": q.answerable,
            "gold": list(q.gold),
            "published": q.published,
            "event_date": q.event_date,
            "as_of": _iso(q.as_of),
        }
        for q in questions
    ]
    build_s: dict[str, float] = {}
    ms: dict[str, float] = {}
    # Peers first, then newsbot.
    texts = [s.text for s in sentences]
    for peer_name in peers:
        start = time.perf_counter()
        peer = make_peer(peer_name, texts)
        build_s[peer_name] = time.perf_counter() - start
        spent = 0.0
        for q, record in zip(questions, records):
            start = time.perf_counter()
            top = peer.top(q.question, TOP_K)
            spent += time.perf_counter() - start
            found = [sentences[i] for i in top]
            rank = hit_rank((s.text for s in found), q.gold) if q.answerable else None
            right = None
            if rank is not None:
                right = _dates_right(q, _iso(found[rank - 1].published), None, check_event=False)
            record[peer_name] = {
                "hit_rank": rank,
                "dates_right": right,
                "top": [{"text": s.text, "source": s.source, "published": _iso(s.published)} for s in found],
            }
        ms[peer_name] = 1000 * spent / max(1, len(questions))
        say(f"[{name}] {peer_name}: built in {build_s[peer_name]:.2f} s, {ms[peer_name]:.2f} ms a question")

    index_dir = workdir / f"index-{name}"
    shutil.rmtree(index_dir, ignore_errors=True)
    bot, build_s[NEWSBOT] = Newsbot.load(corpus_dir, index_dir)
    spent = 0.0
    as_of_ignored = 0
    for q, record in zip(questions, records):
        answer, error, seconds = bot.ask(q.question, q.as_of)
        spent += seconds
        quotes = tuple(answer.quotes) if answer is not None else ()
        tentative = bool(getattr(answer, "tentative", False)) if answer is not None else False
        rank = hit_rank((quote.text for quote in quotes), q.gold) if q.answerable else None
        right = None
        if rank is not None:
            first = quotes[rank - 1]
            event = first.event_date.iso() if first.event_date is not None else None
            right = _dates_right(q, _iso(first.article.published), event, check_event=True)
        if q.as_of is not None and not bot.takes_as_of:
            as_of_ignored += 1
        record[NEWSBOT] = {
            "quotes": [quote_record(quote) for quote in quotes],
            "hit_rank": rank,
            "dates_right": right,
            "refused": not quotes,
            "tentative": tentative,
            "confident": bool(quotes) and not tentative,
            "error": error,
            "as_of_passed": bot.takes_as_of,
        }
    ms[NEWSBOT] = 1000 * spent / max(1, len(questions))
    say(f"[{name}] newsbot: built in {build_s[NEWSBOT]:.2f} s, {ms[NEWSBOT]:.2f} ms a question")
    notes = []
    if as_of_ignored:
        notes.append(
            f"{as_of_ignored} question(s) carry an as_of date, but engine.answer() takes no as_of yet: "
            "asked without it."
        )
    return SetRun(
        name=name,
        questions_file="",
        corpus=str(corpus_dir),
        articles=articles,
        sentences=len(sentences),
        problems=problems,
        records=records,
        build_s=build_s,
        ms_per_question=ms,
        peers=list(peers),
        as_of_passed=bot.takes_as_of,
        tentative_seen=bot.saw_tentative,
        notes=notes,
        crashes=bot.crashes,
        first_crash=bot.first_crash,
    )


# ---------------------------------------------------------------- metrics


def rate(count: int, of: int) -> dict:
    """Return a share with its counts; the share is None when nothing was counted."""
    return {"rate": round(count / of, 4) if of else None, "count": count, "of": of}


def metrics(records: list[dict], system: str) -> dict:
    """Return one system's numbers over some questions."""
    answerable = [r for r in records if r["answerable"] and system in r]
    mine = [r[system] for r in answerable]
    checked = [m for m in mine if m["hit_rank"] is not None]
    out = {
        "questions": sum(1 for r in records if system in r),
        "answerable": len(answerable),
        "hit@1": rate(sum(m["hit_rank"] == 1 for m in mine), len(mine)),
        "hit@3": rate(sum(m["hit_rank"] is not None and m["hit_rank"] <= 3 for m in mine), len(mine)),
        "dates_right": rate(sum(bool(m["dates_right"]) for m in checked), len(checked)),
    }
    if system != NEWSBOT:
        return out
    every = [r[system] for r in records if system in r]
    off = [r[system] for r in records if r["category"] == "off_topic" and system in r]
    near = [r[system] for r in records if r["category"] == "near_topic" and system in r]
    out.update(
        {
            "refused": rate(sum(m["refused"] for m in every), len(every)),
            "confident": rate(sum(m["confident"] for m in every), len(every)),
            "tentative": rate(sum(m["tentative"] for m in every), len(every)),
            "rejected": rate(sum(_rejected(m) for m in every), len(every)),
            "crashed": rate(sum(_crashed(m) for m in every), len(every)),
            "answerable_refused": rate(sum(m["refused"] for m in mine), len(mine)),
            "answerable_confident": rate(sum(m["confident"] for m in mine), len(mine)),
            "off_topic_refused": rate(sum(m["refused"] for m in off), len(off)),
            "near_topic_confident": rate(sum(m["confident"] for m in near), len(near)),
        }
    )
    return out


def _rejected(mine: dict) -> bool:
    return mine["error"] is not None and not mine["error"].startswith(CRASH)


def _crashed(mine: dict) -> bool:
    return mine["error"] is not None and mine["error"].startswith(CRASH)


def _per_question(seconds: float, questions: int) -> float:
    return round(1000 * seconds / max(1, questions), 3)


def _category_order(records: list[dict]) -> list[str]:
    present = {r["category"] for r in records}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def summarise(records: list[dict], systems: list[str]) -> dict:
    """Return the metrics over all the records and per category, per system."""
    return {
        "overall": {s: metrics(records, s) for s in systems},
        "categories": {
            c: {s: metrics([r for r in records if r["category"] == c], s) for s in systems}
            for c in _category_order(records)
        },
    }


# ---------------------------------------------------------------- tables


def _share(value: dict) -> str:
    return "—" if value["rate"] is None else f"{100 * value['rate']:.0f}%"


def _fraction(value: dict) -> str:
    return "—" if not value["of"] else f"{value['count']}/{value['of']}"


def format_table(summary: dict, systems: list[str], records: list[dict]) -> str:
    """Return a markdown table: a row per category and one for all, newsbot and the peers side by side."""
    peers = [s for s in systems if s != NEWSBOT]
    head = ["category", "n", "newsbot hit@1", "hit@3"]
    for peer in peers:
        head += [f"{peer} hit@1", "hit@3"]
    head += ["dates ✓ newsbot"] + peers + ["newsbot refused", "newsbot confident"]
    lines = ["| " + " | ".join(head) + " |", "| --- | " + " | ".join("---:" for _ in head[1:]) + " |"]
    rows = [(c, summary["categories"][c]) for c in summary["categories"]] + [("**all**", summary["overall"])]
    for label, numbers in rows:
        n = numbers[NEWSBOT]["questions"]
        cells = [label, str(n)]
        for system in systems:
            cells += [_share(numbers[system]["hit@1"]), _share(numbers[system]["hit@3"])]
        cells += [_fraction(numbers[system]["dates_right"]) for system in systems]
        cells += [_share(numbers[NEWSBOT]["refused"]), _share(numbers[NEWSBOT]["confident"])]
        lines.append("| " + " | ".join(cells) + " |")
    overall = summary["overall"][NEWSBOT]

    def said(name: str, value: dict) -> str:
        return f"{name} {_share(value)} ({_fraction(value)})"

    lines.append("")
    lines.append(
        "newsbot: "
        + "; ".join(
            [
                said("answerable refused", overall["answerable_refused"]),
                said("answerable answered confidently", overall["answerable_confident"]),
                said("off_topic refused", overall["off_topic_refused"]),
                said("near_topic answered confidently", overall["near_topic_confident"]),
            ]
        )
    )
    if overall["rejected"]["count"]:
        lines.append(f"newsbot rejected {_fraction(overall['rejected'])} questions as having no words to search for.")
    if overall["crashed"]["count"]:
        lines.append(f"**newsbot CRASHED on {_fraction(overall['crashed'])} questions** (counted as refused above).")
    return "\n".join(lines)


def format_misses(run_name: str, records: list[dict], peers: list[str]) -> str:
    """Return newsbot's misses: answerable questions not hit at 1, unanswerable ones answered confidently."""
    lines = [f"newsbot misses in {run_name}:"]
    for r in records:
        mine = r[NEWSBOT]
        if r["answerable"] and mine["hit_rank"] == 1:
            continue
        if not r["answerable"] and not mine["confident"]:
            continue
        first = mine["quotes"][0]["text"] if mine["quotes"] else "(refused)"
        if r["answerable"]:
            where = f"hit at {mine['hit_rank']}" if mine["hit_rank"] else "no hit"
        else:
            where = "answered, should refuse"
        if mine["tentative"]:
            where += ", tentative"
        others = ", ".join(f"{p} {r[p]['hit_rank'] or '—'}" for p in peers if p in r and r["answerable"])
        lines.append(f"- {r['id']} [{r['category']}] {r['question']!r} ({where}{'; ' + others if others else ''})")
        lines.append(f"    → {first}")
        if r["answerable"]:
            lines.append(f"    gold: {' | '.join(r['gold'])}")
    if len(lines) == 1:
        lines.append("- none")
    return "\n".join(lines)


# ---------------------------------------------------------------- corpora


def write_reuters_corpus(source: Path, folder: Path) -> Path:
    """Write the Reuters articles published 1987-03-02..06 into folder as one JSON-lines file."""
    folder.mkdir(parents=True, exist_ok=True)
    kept = 0
    with (
        gzip.open(source, "rt", encoding="utf-8") as lines,
        open(folder / "reuters.jsonl", "w", encoding="utf-8") as out,
    ):
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                published = date.fromisoformat(str(record.get("published") or "")[:10])
            except ValueError:
                continue
            if REUTERS_FIRST <= published <= REUTERS_LAST:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                kept += 1
    if not kept:
        raise ValueError(f"no article in {source} was published {REUTERS_FIRST}..{REUTERS_LAST}")
    return folder


# ---------------------------------------------------------------- SQuAD


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    paragraph: str  # the paragraph's article id
    answer_start: int
    answer_end: int


def write_squad_corpus(source: Path, folder: Path) -> tuple[dict[str, str], list[SquadQuestion]]:
    """Write every SQuAD paragraph as one JSON-lines article; return the paragraphs by id and the questions."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs: dict[str, str] = {}
    questions: list[SquadQuestion] = []
    with open(folder / SQUAD_CORPUS_FILE, "w", encoding="utf-8") as out:
        for a, article in enumerate(data["data"]):
            title = article["title"].replace("_", " ")
            for p, paragraph in enumerate(article["paragraphs"]):
                pid = f"{a:02d}-{p:03d}"
                context = paragraph["context"]
                paragraphs[pid] = context
                out.write(json.dumps({"id": pid, "title": title, "text": context}, ensure_ascii=False) + "\n")
                for qa in paragraph["qas"]:
                    gold = qa["answers"][0]
                    start = int(gold["answer_start"])
                    end = start + max(1, len(gold["text"]))
                    questions.append(SquadQuestion(qa["id"], qa["question"], pid, start, end))
    return paragraphs, questions


def _compact(text: str) -> tuple[str, list[int]]:
    """Return text without white space, invisibles and control characters, decomposed (NFD), with each
    kept character's offset in text."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        if c.isspace() or c in _INVISIBLE or unicodedata.category(c) == "Cc":
            continue
        for d in unicodedata.normalize("NFD", c):
            chars.append(d)
            offsets.append(i)
    return "".join(chars), offsets


def locate_sentences(raw: str, sentences: list[str]) -> list[tuple[int, int] | None]:
    """Return each sentence's (start, end) character span in raw, or None where it cannot be found.

    newsbot's sentences are the raw text with white space collapsed and some
    invisible characters dropped, so both are compared with those removed,
    searching on from where the previous sentence ended.
    """
    packed, offsets = _compact(raw)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for sentence in sentences:
        wanted, _ = _compact(sentence)
        if not wanted:
            spans.append(None)
            continue
        at = packed.find(wanted, cursor)
        if at < 0:
            at = packed.find(wanted)
        if at < 0:
            spans.append(None)
            continue
        spans.append((offsets[at], offsets[at + len(wanted) - 1] + 1))
        cursor = at + len(wanted)
    return spans


def gold_sentences(spans: list[tuple[int, int] | None], start: int, end: int) -> set[int]:
    """Return the numbers of the sentences whose span overlaps the answer's [start, end)."""
    return {i for i, span in enumerate(spans) if span is not None and span[0] < end and start < span[1]}


def run_squad(
    source: Path,
    workdir: Path,
    peers: list[str],
    limit: int | None,
    say: Callable[[str], None],
) -> dict:
    """Ask SQuAD v1.1 dev questions of the peers, then newsbot; a hit is the sentence holding the answer."""
    corpus = workdir / "squad-corpus"
    paragraphs, questions = write_squad_corpus(source, corpus)
    if limit is not None:
        questions = questions[:limit]
    sentences, _, problems = corpus_sentences(corpus)
    by_paragraph: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        by_paragraph.setdefault(sentence.source.partition("#")[2], []).append(sentence)
    spans = {pid: locate_sentences(paragraphs[pid], [s.text for s in by_paragraph.get(pid, [])]) for pid in paragraphs}
    unplaced = sum(span is None for found in spans.values() for span in found)
    gold: list[tuple[str, frozenset[str]]] = []  # (article source, texts of the gold sentences)
    no_gold = 0
    for q in questions:
        numbers = gold_sentences(spans[q.paragraph], q.answer_start, q.answer_end)
        no_gold += not numbers
        found = by_paragraph.get(q.paragraph, [])
        gold.append((f"{SQUAD_CORPUS_FILE}#{q.paragraph}", frozenset(found[i].text for i in numbers)))
    say(
        f"[squad] {len(questions):,} questions; {len(paragraphs):,} paragraphs, {len(sentences):,} sentences "
        f"({unplaced} not located in their paragraph; {no_gold} questions without a gold sentence)"
    )

    def rank_of(found: Iterable[tuple[str, str]], wanted: tuple[str, frozenset[str]]) -> int | None:
        for rank, (where, text) in enumerate(found, start=1):
            if where == wanted[0] and text in wanted[1]:
                return rank
        return None

    records = [{"id": q.id, "question": q.question, "paragraph": q.paragraph} for q in questions]
    systems: dict[str, dict] = {}
    texts = [s.text for s in sentences]
    for peer_name in peers:
        start = time.perf_counter()
        peer = make_peer(peer_name, texts)
        built = time.perf_counter() - start
        spent = 0.0
        for q, wanted, record in zip(questions, gold, records):
            start = time.perf_counter()
            top = peer.top(q.question, TOP_K)
            spent += time.perf_counter() - start
            record[peer_name] = {"hit_rank": rank_of(((sentences[i].source, sentences[i].text) for i in top), wanted)}
        systems[peer_name] = {"build_s": round(built, 3), "ms_per_question": _per_question(spent, len(questions))}
        say(f"[squad] {peer_name}: built in {built:.2f} s, {systems[peer_name]['ms_per_question']:.2f} ms a question")

    bot, built = Newsbot.load(corpus, workdir / "index-squad")
    spent = 0.0
    for q, wanted, record in zip(questions, gold, records):
        answer, error, seconds = bot.ask(q.question, None)
        spent += seconds
        quotes = tuple(answer.quotes) if answer is not None else ()
        tentative = bool(getattr(answer, "tentative", False)) if answer is not None else False
        record[NEWSBOT] = {
            "hit_rank": rank_of(((quote.article.source, quote.text) for quote in quotes), wanted),
            "refused": not quotes,
            "tentative": tentative,
            "error": error,
            "first": quotes[0].text if quotes else None,
        }
    systems[NEWSBOT] = {"build_s": round(built, 3), "ms_per_question": _per_question(spent, len(questions))}
    say(f"[squad] newsbot: built in {built:.2f} s, {systems[NEWSBOT]['ms_per_question']:.2f} ms a question")

    order = [NEWSBOT, *peers]
    for system in order:
        mine = [r[system] for r in records]
        systems[system].update(
            {
                "hit@1": rate(sum(m["hit_rank"] == 1 for m in mine), len(mine)),
                "hit@3": rate(sum(m["hit_rank"] is not None for m in mine), len(mine)),
                "refused": rate(sum(m.get("refused", False) for m in mine), len(mine)),
            }
        )
        if system == NEWSBOT:
            systems[system]["tentative"] = rate(sum(m["tentative"] for m in mine), len(mine))
            systems[system]["rejected"] = rate(sum(_rejected(m) for m in mine), len(mine))
            systems[system]["crashed"] = rate(sum(_crashed(m) for m in mine), len(mine))
    return {
        "source": str(source),
        "questions": len(questions),
        "limit": limit,
        "paragraphs": len(paragraphs),
        "sentences": len(sentences),
        "sentences_not_located": unplaced,
        "questions_without_gold_sentence": no_gold,
        "reader_problems": problems,
        "tentative_seen": bot.saw_tentative,
        "crashes": bot.crashes,
        "first_crash": bot.first_crash,
        "systems": {s: systems[s] for s in order},
        "per_question": records,
    }


def format_squad_table(squad: dict) -> str:
    """Return SQuAD's results as a markdown table."""
    lines = [
        f"SQuAD v1.1 dev: {squad['questions']:,} questions over {squad['paragraphs']:,} paragraphs "
        f"({squad['sentences']:,} sentences); a hit is the sentence holding the first gold answer",
        "",
        "| system | hit@1 | hit@3 | refused | tentative | build s | ms/question |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for system, numbers in squad["systems"].items():
        tentative = _share_1(numbers["tentative"]) if "tentative" in numbers else "—"
        lines.append(
            f"| {system} | {_share_1(numbers['hit@1'])} | {_share_1(numbers['hit@3'])} | "
            f"{_share_1(numbers['refused'])} | {tentative} | {numbers['build_s']:.2f} | "
            f"{numbers['ms_per_question']:.2f} |"
        )
    newsbot = squad["systems"].get(NEWSBOT, {})
    if newsbot.get("rejected", {}).get("count"):
        lines.append(f"\nnewsbot rejected {_fraction(newsbot['rejected'])} questions as having no words to search for.")
    if newsbot.get("crashed", {}).get("count"):
        lines.append(f"\n**newsbot CRASHED on {_fraction(newsbot['crashed'])} questions** (counted as refused).")
    return "\n".join(lines)


def _share_1(value: dict) -> str:
    return "—" if value["rate"] is None else f"{100 * value['rate']:.1f}%"


# ---------------------------------------------------------------- the run


def revision() -> str | None:
    """Return the short commit measured, with "+dirty" when the tree has changes (None without git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if status else head


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.writing")
    staging.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(staging, path)


def _corpus_option(text: str) -> tuple[str, Path]:
    name, sep, folder = text.partition("=")
    if not sep or not name or not folder:
        raise argparse.ArgumentTypeError(f"expected SET=FOLDER, got {text!r}")
    return name, Path(folder)


def main(argv: list[str] | None = None) -> int:
    """Run the quality benchmark from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=list(DEFAULT_SETS), metavar="SET",
                        help="labelled sets to run (default: %(default)s); none with --squad alone")  # fmt: skip
    parser.add_argument("--questions", type=Path, default=QUESTIONS_DIR, metavar="DIR",
                        help="folder of <set>.jsonl files (default: benchmarks/questions)")  # fmt: skip
    parser.add_argument("--corpus", type=_corpus_option, action="append", default=[], metavar="SET=FOLDER",
                        help="use FOLDER as SET's corpus (repeatable; overrides the README's mapping)")  # fmt: skip
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--squad", action="store_true", help="also run SQuAD v1.1 dev")
    parser.add_argument("--squad-limit", type=int, metavar="N", help="ask only the first N SQuAD questions")
    parser.add_argument("--out", type=Path, default=RESULTS / "quality.json", help="JSON results file")
    parser.add_argument("--misses", action="store_true", help="list newsbot's misses per set")
    parser.add_argument("--workdir", type=Path, help="keep corpora and indexes here (default: a temp dir, removed)")
    args = parser.parse_args(argv)
    if args.squad_limit is not None and args.squad_limit < 1:
        parser.error("--squad-limit must be at least 1")

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    commit = revision()
    say(f"measuring newsbot at {commit or 'an unknown revision'}")
    corpora: dict[str, Path | Callable[[Path], Path]] = default_corpora(args.data)
    corpora.update(dict(args.corpus))
    peers = _available_peers()
    notes = [f"{p} is not installed: skipped (pip install -e '.[bench]')." for p in PEERS if p not in peers]
    for note in notes:
        say(note)
    systems = [NEWSBOT, *peers]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsbot-quality-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runs: list[SetRun] = []
    skipped: dict[str, str] = {}
    squad: dict | None = None
    try:
        for name in args.sets:
            questions_file = args.questions / f"{name}.jsonl"
            if not questions_file.is_file():
                skipped[name] = f"no questions file {questions_file}"
                say(f"[{name}] skipped: {skipped[name]}")
                continue
            if name not in corpora:
                skipped[name] = "no corpus for this set (pass --corpus NAME=FOLDER)"
                say(f"[{name}] skipped: {skipped[name]}")
                continue
            corpus = corpora[name]
            if callable(corpus):
                try:
                    corpus = corpus(workdir)
                except (OSError, ValueError) as error:
                    skipped[name] = f"cannot write its corpus: {error}"
                    say(f"[{name}] skipped: {skipped[name]} (is {args.data} there?)")
                    continue
            if not Path(corpus).is_dir():
                skipped[name] = f"corpus folder {corpus} not found"
                say(f"[{name}] skipped: {skipped[name]}")
                continue
            questions, problems = read_questions(questions_file)
            for problem in problems:
                say(f"[{name}] bad question line skipped: {problem}")
            if not questions:
                skipped[name] = f"no readable question in {questions_file}"
                say(f"[{name}] skipped: {skipped[name]}")
                continue
            run = run_set(name, questions, Path(corpus), workdir, peers, say)
            run.questions_file = str(questions_file)
            run.problems = problems + [f"corpus: {p}" for p in run.problems]
            runs.append(run)
        if args.squad:
            source = args.data / SQUAD_FILE
            if source.is_file():
                squad = run_squad(source, workdir, peers, args.squad_limit, say)
            else:
                skipped["squad"] = f"{source} not found"
                say(f"[squad] skipped: {skipped['squad']}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started

    from benchmarks.report import machine

    print(f"newsbot quality, commit {commit or 'unknown'}; top {TOP_K} quotes; peers: {', '.join(peers) or 'none'}")
    api = {
        "as_of": any(run.as_of_passed for run in runs),
        "tentative": any(run.tentative_seen for run in runs) or bool(squad and squad["tentative_seen"]),
    }
    if not api["tentative"]:
        print("(answers carry no `tentative` flag yet: every answer with quotes counts as confident)")
    sets_json: dict[str, dict] = {}
    for run in runs:
        summary = summarise(run.records, systems)
        timing = ", ".join(
            f"{s} build {run.build_s[s]:.2f} s, {run.ms_per_question[s]:.2f} ms/question" for s in systems
        )
        print(f"\n### {run.name}: {len(run.records)} questions; {run.articles} articles, {run.sentences} sentences\n")
        print(format_table(summary, systems, run.records))
        print(f"timing: {timing}")
        for note in run.notes:
            print(f"note: {note}")
        for problem in run.problems:
            print(f"problem: {problem}")
        if args.misses:
            print()
            print(format_misses(run.name, run.records, peers))
        sets_json[run.name] = {
            "questions_file": run.questions_file,
            "corpus": run.corpus,
            "articles": run.articles,
            "sentences": run.sentences,
            "problems": run.problems,
            "notes": run.notes,
            "build_s": {k: round(v, 3) for k, v in run.build_s.items()},
            "ms_per_question": {k: round(v, 3) for k, v in run.ms_per_question.items()},
            **summary,
            "per_question": run.records,
        }
    everything = [r for run in runs for r in run.records]
    all_sets = summarise(everything, systems) if everything else None
    if all_sets and len(runs) > 1:
        print(f"\n### all sets ({', '.join(run.name for run in runs)}): {len(everything)} questions\n")
        print(format_table(all_sets, systems, everything))
    if squad is not None:
        print()
        print(format_squad_table(squad))
    for name, reason in skipped.items():
        print(f"\nskipped {name}: {reason}")
    crashed = [(run.name, run.crashes, run.first_crash) for run in runs if run.crashes]
    if squad is not None and squad["crashes"]:
        crashed.append(("squad", squad["crashes"], squad["first_crash"]))
    for name, count, first in crashed:
        print(f"\nnewsbot CRASHED on {count} question(s) of {name}; the first:\n{first}")
    print(f"\nMeasured commit {commit or 'unknown'}; wall time {seconds:.1f} s")

    _write_json(
        args.out,
        {
            "benchmark": "quality",
            "commit": commit,
            "seconds": round(seconds, 1),
            "machine": machine(),
            "top_k": TOP_K,
            "systems": systems,
            "api": api,
            "notes": notes,
            "skipped": skipped,
            "sets": sets_json,
            "all_sets": all_sets,
            "squad": squad,
        },
    )
    say(f"wrote {args.out}")
    if not runs and squad is None:
        say("nothing was measured")
        return 1
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
