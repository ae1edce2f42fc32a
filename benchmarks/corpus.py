"""Build the benchmark's corpora: a pool of real sentences, recombined into passages.

Every system gets the same passages. The pool holds only sentences that
newsbot's own reader gives back unchanged when the sentence is a paragraph of
its own (checked once, by reading them back through `index.articles.read_file`),
so an article written as 2k+1 such paragraphs is cut by newsbot into exactly k
windows of three sentences: (0,1,2), (2,3,4), ... Those windows, as pool
sentence numbers, are the passages the peers index; their tokens are the pool
sentences' newsbot tokens, concatenated, just as newsbot counts them.

`index` is imported inside functions only: a benchmark child process must not
have paid for newsbot's import before its cold-start clock starts.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

POOL_VERSION = 2  # bump when the pool's contents or files change: cached pools are rebuilt
CORPUS_VERSION = 2  # likewise for generated corpora
SENTENCES_PER_PASSAGE = 3  # newsbot's default window (IndexConfig.passage_sentences) ...
PASSAGE_STEP = 2  # ... with one sentence of overlap, so windows start every two sentences
PASSAGES_PER_ARTICLE = 10  # an article of 21 sentences gives ten full windows
ARTICLES_PER_FILE = 1_000  # JSON-lines files of this many articles: 100 files at 1M passages
LAYOUTS = ("many-files", "one-file")  # ARTICLES_PER_FILE a file, or every article in one file
MAX_SENTENCE_CHARS = 400  # longer "sentences" are Reuters tables run together, not prose
GENERATED_WORDS = 20_000  # vocabulary of the generated-text fallback
GENERATED_ZIPF = 1.07  # Zipf exponent of word ranks in English text (roughly 1)
GENERATED_SENTENCES = 120_000  # pool size of the generated fallback, close to the real pool's
EXTRA_ARTICLE_NAME = "zz-refresh-one.jsonl"  # sorts after every corpus file

_WORD_RE = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class SentencePool:
    """Distinct sentences that read back unchanged, with their newsbot tokens."""

    sentences: list[str]  # empty when the pool was opened without them (`open_corpus`)
    vocabulary: list[str]  # token strings; token ids index this list
    token_ids: np.ndarray  # int32, every sentence's tokens end to end
    offsets: np.ndarray  # int64, len(sentences) + 1: sentence i is token_ids[offsets[i]:offsets[i+1]]
    origin: str  # where the text came from, for the report
    real: bool  # False for the generated-text fallback
    directory: Path  # where the pool is cached

    @property
    def count(self) -> int:
        """Return how many sentences the pool holds."""
        return len(self.offsets) - 1


@dataclass(frozen=True)
class Corpus:
    """A corpus folder for newsbot and the same passages for the peers."""

    size: int  # passages
    directory: Path  # article files newsbot reads
    passages: np.ndarray  # (size, 3) int32 pool sentence numbers, passage p in newsbot's order
    pool: SentencePool

    @property
    def root(self) -> Path:
        """Return the folder holding the articles folder and the passage table."""
        return self.directory.parent

    def passage_text(self, number: int) -> str:
        """Return a passage's text: its three sentences joined by spaces."""
        return " ".join(self.pool.sentences[i] for i in self.passages[number])

    def passage_token_ids(self, start: int = 0, stop: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the token ids of passages start..stop (default: all) end to end, and the offsets into them."""
        lengths = np.diff(self.pool.offsets)
        sentence_ids = self.passages[start:stop].reshape(-1)
        starts = self.pool.offsets[sentence_ids]
        counts = lengths[sentence_ids]
        flat = _gather(self.pool.token_ids, starts, counts)
        passage_lengths = counts.reshape(-1, SENTENCES_PER_PASSAGE).sum(axis=1)
        return flat, np.concatenate([[0], np.cumsum(passage_lengths)]).astype(np.int64)

    def passage_tokens(self) -> list[list[str]]:
        """Return every passage's tokens as strings (what rank-bm25 takes)."""
        flat, offsets = self.passage_token_ids()
        words = np.array(self.pool.vocabulary, dtype=object)[flat].tolist()
        return [words[offsets[i] : offsets[i + 1]] for i in range(self.size)]


@dataclass(frozen=True)
class Question:
    """A benchmark question: four content words of one corpus sentence."""

    text: str
    tokens: tuple[str, ...]  # newsbot's analysis of the text, handed to the peers ready-made


def _gather(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return values[starts[i]:starts[i]+counts[i]] for every i, end to end."""
    total = int(counts.sum())
    if total == 0:
        return values[:0]
    ends = np.cumsum(counts)
    index = np.arange(total) - np.repeat(ends - counts, counts) + np.repeat(starts, counts)
    return values[index]


# ---------------------------------------------------------------- the sentence pool


def load_pool(workdir: Path, data_dir: Path | None, generated_sentences: int = GENERATED_SENTENCES) -> SentencePool:
    """Return the sentence pool, from the workdir's cache or built anew.

    Real news text comes from `data_dir` (Reuters-21578 and BBC News); when it is
    None or lacks both, `generated_sentences` sentences of made-up words are used.
    """
    sources = _real_sources(data_dir) if data_dir is not None else []
    key = "real" if sources else f"generated-{generated_sentences}"
    cache = Path(workdir) / f"pool-{key}"
    pool = _read_pool(cache)
    if pool is not None:
        return pool
    if sources:
        sentences = _real_sentences(sources)
        origin = "real news text: " + ", ".join(p.name for p in sources) + f" in {data_dir}"
    else:
        sentences = _generated_sentences(generated_sentences)
        origin = "generated text (random words, Zipf-distributed; real news data not found)"
    sentences = _reads_back_unchanged(sentences, Path(workdir))
    pool = _tokenise_pool(sentences, origin, real=bool(sources), directory=cache)
    _write_pool(cache, pool)
    return pool


def _real_sources(data_dir: Path) -> list[Path]:
    found = []
    reuters = Path(data_dir) / "reuters21578.jsonl.gz"
    if reuters.is_file():
        found.append(reuters)
    bbc = Path(data_dir) / "bbc"
    if bbc.is_dir() and any(bbc.glob("*/*.txt")):
        found.append(bbc)
    return found


def _real_sentences(sources: list[Path]) -> list[str]:
    """Return the distinct sentences of the source articles, cut by newsbot's splitter."""
    from newsbot.index.reading.articles import read_file
    from newsbot.index.reading.passages import article_sentences

    files: list[tuple[Path, Path]] = []
    for source in sources:
        if source.is_dir():
            files.extend((path, source) for path in sorted(source.glob("*/*.txt")))
        else:
            files.append((source, source.parent))
    seen: dict[str, None] = {}
    for path, root in files:
        articles, _ = read_file(path, root)
        for article in articles:
            for sentence in article_sentences(article).sentences:
                if len(sentence) <= MAX_SENTENCE_CHARS and not _quotes_unsettled(sentence):
                    seen.setdefault(sentence)
    return list(seen)


def _quotes_unsettled(sentence: str) -> bool:
    """Return True for a sentence whose quotation marks do not pair, or that holds a sentence end beside one.

    newsbot keeps a quotation the sentence closes whole ("What a game! I've never seen anything like it,"
    said Doyle.), so such a sentence, drawn beside another whose mark pairs with its own, may not read back as
    drawn. About 3.5% of the real sentences; left out of the pool.
    """
    unpaired = sentence.count('"') % 2 or sentence.count("“") != sentence.count("”") or sentence.count("«") != sentence.count("»")
    return bool(unpaired) or (_QUOTE_MARK_RE.search(sentence) is not None and _INNER_END_RE.search(sentence[:-1]) is not None)


_QUOTE_MARK_RE = re.compile(r"[\"“”«»]")
_INNER_END_RE = re.compile(r"[.!?]['’\"”]?\s")


def _generated_sentences(count: int, seed: int = 6) -> list[str]:
    """Return `count` sentences of made-up words whose frequencies follow Zipf's law."""
    rng = np.random.default_rng(seed)
    consonants, vowels = list("bcdfghjklmnprstvwz"), list("aeiou")
    words: dict[str, None] = {}
    while len(words) < GENERATED_WORDS:
        syllables = rng.integers(2, 5)
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables))
        words.setdefault(word)
    vocabulary = np.array(list(words), dtype=object)
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** GENERATED_ZIPF
    lengths = rng.integers(8, 30, size=count)
    drawn = vocabulary[rng.choice(len(vocabulary), size=int(lengths.sum()), p=weights / weights.sum())]
    sentences, at = [], 0
    for length in lengths:
        text = " ".join(drawn[at : at + length])
        at += length
        sentences.append(text[0].upper() + text[1:] + ".")
    return list(dict.fromkeys(sentences))


def _reads_back_unchanged(sentences: list[str], workdir: Path) -> list[str]:
    """Keep the sentences newsbot reads back as one unchanged sentence when each is a paragraph.

    Each sentence is written as the first paragraph of a one-article JSON line
    (where a dateline would be cut off) and read back with newsbot's reader.
    """
    from newsbot.index.reading.articles import read_file
    from newsbot.index.reading.passages import article_sentences

    probe = workdir / "pool-probe.jsonl"
    workdir.mkdir(parents=True, exist_ok=True)
    with probe.open("w", encoding="utf-8") as handle:
        for number, sentence in enumerate(sentences):
            handle.write(json.dumps({"id": number, "title": "probe", "text": sentence + "\n\nEnd."}) + "\n")
    articles, _ = read_file(probe, workdir)
    probe.unlink()
    kept = []
    for article in articles:
        number = int(article.source.rpartition("#")[2])
        if article_sentences(article).sentences == (sentences[number], "End."):
            kept.append(sentences[number])
    return kept


def _tokenise_pool(sentences: list[str], origin: str, real: bool, directory: Path) -> SentencePool:
    from newsbot.index.analysis import Analyser

    analyser = Analyser()
    ids: dict[str, int] = {}
    flat: list[int] = []
    offsets = [0]
    for sentence in sentences:
        for token in analyser.tokens(sentence):
            flat.append(ids.setdefault(token, len(ids)))
        offsets.append(len(flat))
    return SentencePool(
        sentences=sentences,
        vocabulary=list(ids),
        token_ids=np.array(flat, np.int32),
        offsets=np.array(offsets, np.int64),
        origin=origin,
        real=real,
        directory=directory,
    )


def _write_pool(cache: Path, pool: SentencePool) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "sentences.txt").write_text("".join(s + "\n" for s in pool.sentences), encoding="utf-8")
    (cache / "vocabulary.txt").write_text("".join(t + "\n" for t in pool.vocabulary), encoding="utf-8")
    np.save(cache / "token_ids.npy", pool.token_ids)
    np.save(cache / "offsets.npy", pool.offsets)
    info = {"version": POOL_VERSION, "origin": pool.origin, "real": pool.real, "sentences": len(pool.sentences)}
    (cache / "pool.json").write_text(json.dumps(info), encoding="utf-8")  # written last: marks the cache complete


def _read_pool(cache: Path, with_sentences: bool = True) -> SentencePool | None:
    try:
        info = json.loads((cache / "pool.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("version") != POOL_VERSION:
        return None
    sentences = (cache / "sentences.txt").read_text(encoding="utf-8").split("\n")[:-1] if with_sentences else []
    vocabulary = (cache / "vocabulary.txt").read_text(encoding="utf-8").split("\n")[:-1]
    return SentencePool(
        sentences=sentences,
        vocabulary=vocabulary,
        token_ids=np.load(cache / "token_ids.npy"),
        offsets=np.load(cache / "offsets.npy"),
        origin=info["origin"],
        real=info["real"],
        directory=cache,
    )


# ---------------------------------------------------------------- corpora


def load_corpus(workdir: Path, pool: SentencePool, size: int, seed: int = 6, layout: str = "many-files") -> Corpus:
    """Return a corpus of `size` passages, from the workdir's cache or written anew.

    The layout (`LAYOUTS`) only changes how the same articles are cut into files.
    """
    key = "real" if pool.real else "generated"
    one_file = layout == "one-file"
    directory = Path(workdir) / f"corpus-{key}-{size}{'-one-file' if one_file else ''}"
    articles_dir = directory / "articles"
    info_path = directory / "corpus.json"
    wanted = {"version": CORPUS_VERSION, "size": size, "seed": seed, "pool_sentences": len(pool.sentences)}
    wanted |= {"layout": layout} if one_file else {}  # many-files caches from before layouts stay valid
    try:
        if json.loads(info_path.read_text(encoding="utf-8")) == wanted:
            return Corpus(size, articles_dir, np.load(directory / "passages.npy"), pool)
    except (OSError, ValueError):
        pass
    rng = np.random.default_rng([seed, size])
    counts = article_sentence_counts(size)
    drawn = rng.integers(0, pool.count, size=int(counts.sum()), dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    passages = _windows(drawn, starts, counts)
    if articles_dir.exists():
        for old in articles_dir.iterdir():
            old.unlink()
    articles_dir.mkdir(parents=True, exist_ok=True)
    _write_articles(articles_dir, pool, drawn, starts, counts, len(counts) if one_file else ARTICLES_PER_FILE)
    np.save(directory / "passages.npy", passages)
    info_path.write_text(json.dumps(wanted), encoding="utf-8")  # last: marks the cache complete
    return Corpus(size, articles_dir, passages, pool)


def open_corpus(pool_dir: Path, root: Path, with_sentences: bool = True) -> Corpus:
    """Return a corpus `load_corpus` wrote, from its folder and its pool's cache folder.

    Without sentences (the peers need only tokens) the pool takes less memory.
    """
    pool = _read_pool(Path(pool_dir), with_sentences)
    if pool is None:
        raise FileNotFoundError(f"no sentence pool cached in {pool_dir}")
    passages = np.load(Path(root) / "passages.npy")
    return Corpus(len(passages), Path(root) / "articles", passages, pool)


def article_sentence_counts(size: int) -> np.ndarray:
    """Return the sentence count of each article: 2k+1 sentences give k three-sentence windows."""
    full, rest = divmod(size, PASSAGES_PER_ARTICLE)
    counts = [PASSAGES_PER_ARTICLE] * full + ([rest] if rest else [])
    return np.array([PASSAGE_STEP * k + 1 for k in counts], np.int64)


def _windows(drawn: np.ndarray, starts: np.ndarray, layout: np.ndarray) -> np.ndarray:
    """Return (passages, 3) pool sentence numbers, in newsbot's passage order."""
    per_article = (layout - 1) // PASSAGE_STEP
    first = np.repeat(starts, per_article) + PASSAGE_STEP * (
        np.arange(int(per_article.sum())) - np.repeat(np.cumsum(per_article) - per_article, per_article)
    )
    return drawn[first[:, None] + np.arange(SENTENCES_PER_PASSAGE)].astype(np.int32)


def _article_record(pool: SentencePool, number: int, sentence_ids: np.ndarray) -> dict:
    published = date(1987, 1, 1) + timedelta(days=number % 365)
    return {
        "id": str(number),
        "title": f"Benchmark article {number}",
        "text": "\n\n".join(pool.sentences[i] for i in sentence_ids),
        "published": published.isoformat(),
    }


def _write_articles(
    directory: Path, pool: SentencePool, drawn: np.ndarray, starts: np.ndarray, counts: np.ndarray, per_file: int
) -> None:
    for file_no, first in enumerate(range(0, len(counts), per_file)):
        with (directory / f"part-{file_no:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for number in range(first, min(first + per_file, len(counts))):
                ids = drawn[starts[number] : starts[number] + counts[number]]
                handle.write(json.dumps(_article_record(pool, number, ids), ensure_ascii=False) + "\n")


def extra_article(pool: SentencePool, seed: int = 7) -> tuple[str, np.ndarray]:
    """Return one more article (a JSON line of 21 pool sentences; "" without sentences) and its ten passages."""
    rng = np.random.default_rng(seed)
    count = PASSAGE_STEP * PASSAGES_PER_ARTICLE + 1
    drawn = rng.integers(0, pool.count, size=count, dtype=np.int32)
    line = json.dumps(_article_record(pool, 10**9, drawn), ensure_ascii=False) + "\n" if pool.sentences else ""
    return line, _windows(drawn, np.array([0]), np.array([count]))


def verify_corpus(corpus: Corpus, max_files: int | None = None) -> int:
    """Read corpus files back with newsbot's reader and check its windows are our passages.

    Returns how many passages were checked; raises AssertionError on a difference.
    """
    from newsbot.index.reading.articles import read_file
    from newsbot.index.models import IndexConfig
    from newsbot.index.reading.passages import article_sentences, passage_windows

    config = IndexConfig()
    assert (config.passage_sentences, config.passage_sentences - config.passage_overlap) == (
        SENTENCES_PER_PASSAGE,
        PASSAGE_STEP,
    ), "newsbot's default passage window changed: update benchmarks/corpus.py"
    files = sorted(corpus.directory.glob("part-*.jsonl"))
    picked = files if max_files is None or len(files) <= max_files else [files[0], files[len(files) // 2], files[-1]]
    checked = 0
    for path in picked:
        first_article = int(path.stem.split("-")[1]) * ARTICLES_PER_FILE  # one file: part-00000, from article 0
        passage = first_article * PASSAGES_PER_ARTICLE
        articles, problems = read_file(path, corpus.directory)
        assert not problems, problems
        for article in articles:
            sentences = article_sentences(article).sentences
            for start, end in passage_windows(len(sentences), config.passage_sentences, config.passage_overlap):
                assert " ".join(sentences[start:end]) == corpus.passage_text(passage), (path, passage)
                passage += 1
                checked += 1
    return checked


# ---------------------------------------------------------------- questions


def make_questions(corpus: Corpus, count: int, seed: int = 6) -> list[Question]:
    """Return `count` questions: four content words, in order, of random sentences of the corpus."""
    from newsbot.index.analysis import Analyser

    analyser = Analyser()
    rng = np.random.default_rng([seed, corpus.size])
    questions: list[Question] = []
    tries = 0
    while len(questions) < count and tries < count * 50:
        tries += 1
        sentence = corpus.pool.sentences[int(corpus.passages[rng.integers(corpus.size), rng.integers(3)])]
        words, terms = [], set()
        for word in _WORD_RE.findall(sentence):
            term = analyser.tokens(word)
            if len(term) == 1 and term[0] not in terms:
                terms.add(term[0])
                words.append(word)
        if len(words) < 4:
            continue
        chosen = sorted(rng.choice(len(words), size=4, replace=False))
        text = " ".join(words[i] for i in chosen)
        questions.append(Question(text, tuple(analyser.tokens(text))))
    return questions
