"""Turn text into index terms: one analyser for passages and questions alike."""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from itertools import chain

import Stemmer

# Bump when tokens change, or the sentences the readers cut from a file (index.reading): an index built with another
# version is rebuilt. 4: a URL gives no term; quotations, lists, subheadings and credits read anew.
ANALYSER_VERSION = 4

# NLTK's English stop words (the 179 of nltk.corpus.stopwords), which include the
# question words, so "who mediated?" searches for "mediat" alone.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
    yourselves he him his himself she she's her hers herself it it's its itself they them their
    theirs themselves what which who whom this that that'll these those am is are was were be been
    being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any
    both each few more most other some such no nor not only own same so than too very s t can will
    just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn
    didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn
    mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren weren't won't wouldn
    wouldn't
    """.split()
)

# Snowball leaves irregular past forms alone ("broke" never meets "break"); news
# copy is full of them, so the commonest are mapped to their base form first.
IRREGULAR = {
    "began": "begin", "begun": "begin", "broke": "break", "broken": "break", "brought": "bring",
    "built": "build", "bought": "buy", "caught": "catch", "chose": "choose", "chosen": "choose",
    "drew": "draw", "drawn": "draw", "drove": "drive", "driven": "drive", "fell": "fall", "fallen": "fall",
    "fought": "fight", "found": "find", "fled": "flee", "flew": "fly", "flown": "fly", "forgot": "forget",
    "froze": "freeze", "frozen": "freeze", "gave": "give", "given": "give", "went": "go", "gone": "go",
    "grew": "grow", "grown": "grow", "held": "hold", "hid": "hide", "hidden": "hide", "hit": "hit",
    "kept": "keep", "knew": "know", "known": "know", "laid": "lay", "led": "lead", "lost": "lose",
    "met": "meet", "paid": "pay", "ran": "run", "rose": "rise", "risen": "rise", "said": "say",
    "saw": "see", "seen": "see", "sold": "sell", "sent": "send", "shot": "shoot", "sought": "seek",
    "spoke": "speak", "spoken": "speak", "stole": "steal", "stolen": "steal", "stood": "stand",
    "struck": "strike", "swore": "swear", "sworn": "swear", "took": "take", "taken": "take",
    "taught": "teach", "told": "tell", "thought": "think", "threw": "throw", "thrown": "throw",
    "understood": "understand", "woke": "wake", "won": "win", "wore": "wear", "worn": "wear",
    "wrote": "write", "written": "write", "withdrew": "withdraw", "withdrawn": "withdraw",
}  # fmt: skip

# Characters folded before tokenising: curly quotes and apostrophes, dashes, odd spaces.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"',
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
        # Invisible in text, and not word breaks: a soft hyphen, a word joiner, a byte-order mark.
        "\u00ad": "", "\u2060": "", "\ufeff": "",
        "\u2013": "-", "\u2014": "-",
        # Letters that carry no combining accent to drop, spelled as in English copy.
        "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
    }
)
# Dotted acronyms (U.S., U.N.) first, so they survive as "us"/"un" despite the stop list;
# then numbers with thousands separators; then words with inner apostrophes.
_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\d{1,3}(?:,\d{3})+|\d+|[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"'s?$")
# A web address, to its next white space: its words ("github.example.org/k2-18b") name no subject of the text. A
# letter or digit must follow "https://" or "www.": alone they are words, as a chunk of one word in marks has them.
_URL_RE = re.compile(r"(?:https?://|www\.)[^\W_]\S*")
# Marks around a word: a chunk that is ASCII letters once they are stripped from its ends ("said,", "(cpec)",
# "“peace”") is that one word to _WORD_RE too, and is analysed without it: a build worker's new chunks 40% faster.
_EDGE_MARKS = string.punctuation + "“”‘’«»—–…"
_CACHE_LIMIT = 2_000_000  # distinct chunks remembered; past it, new chunks are analysed each time


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    # No cache of PyStemmer's own (maxCacheSize 0): the analyser's callers keep one per chunk, and a build
    # worker's first part stems some 150,000 new words, which its 10,000-word cache made 4x slower (2.1 µs a word, not 0.5).
    return Stemmer.Stemmer("english", 0)


def fold(text: str) -> str:
    """Return text with Unicode compatibility forms, quotes, spaces and accents folded, lower-cased.

    Accents are dropped both ways, so "Zurich" meets "Zürich" and "José" meets "Jose".
    """
    if not text.isascii():  # every character folded here is outside ASCII
        text = unicodedata.normalize("NFKD", text).translate(_FOLD)
        if not text.isascii():
            text = "".join(c for c in text if not unicodedata.combining(c))
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


class Analyser:
    """Tokenise, drop stop words and possessives, and stem with Snowball (English).

    Text is cut at white space first (no token spans it), and each distinct
    chunk ("pakistan's", "(cpec),", "80,000") is tokenised and stemmed once,
    then cached: news vocabulary repeats, so most chunks cost one dictionary
    look-up, and the tokens are exactly those of `_WORD_RE` over the text.
    """

    def __init__(self) -> None:
        self._stem_word = _stemmer().stemWord
        self._chunks: dict[str, tuple[str, ...]] = {}
        self._irregular: dict[str, list[str]] | None = None  # stem of a base form → its irregular past forms

    def chunks(self, text: str) -> list[str]:
        """Return text folded and cut at white space."""
        return fold(text).split()

    def chunk_terms(self, chunk: str, *, keep: bool = True) -> tuple[str, ...]:
        """Return the index terms of one chunk from `chunks`, stop words left out.

        keep=False leaves the result out of the cache, for a caller that keeps its own.
        """
        try:
            return self._chunks[chunk]
        except KeyError:
            pass
        word = chunk.strip(_EDGE_MARKS)
        if word.isascii() and word.isalpha():  # one plain word, maybe quoted or before a comma: most chunks
            terms = () if word in STOP_WORDS else (self._stem_word(IRREGULAR.get(word, word)),)
        else:
            terms = self._word_terms(chunk)
        if keep and len(self._chunks) < _CACHE_LIMIT:
            self._chunks[chunk] = terms
        return terms

    def _word_terms(self, chunk: str) -> tuple[str, ...]:
        """Return the index terms of any chunk, word by word, a web address in it giving none."""
        return tuple(term for word in _WORD_RE.findall(_without_urls(chunk)) if (term := self._term(word)) is not None)

    def term(self, word: str) -> str | None:
        """Return the index term of one folded word, or None for a stop word."""
        return self._term(word)

    def words(self, text: str) -> list[str]:
        """Return the folded words of text, stop words included, in order; a web address has none."""
        return _WORD_RE.findall(_without_urls(fold(text)))

    def _term(self, word: str) -> str | None:
        if word[0].isdigit():
            return word.replace(",", "")
        if "." in word:
            return word.replace(".", "")  # an acronym: kept even when it spells a stop word
        base = _POSSESSIVE_RE.sub("", word) if "'" in word else word
        if word in STOP_WORDS or base in STOP_WORDS or not base:
            return None
        return self._stem_word(IRREGULAR.get(base, base))

    def probes(self, term: str) -> tuple[str, ...]:
        """Return substrings one of which the folded text of any word analysed to term holds.

        A cheap test before tokenising a sentence: a stem loses at most its
        last letter to Snowball ("countri" from "country"), numbers lose their
        separators ("80,000"), and irregular past forms look nothing like their
        base ("went" for "go").
        """
        if term.isdigit():
            return (term[:2],)
        if self._irregular is None:
            self._irregular = {}
            for word, base in IRREGULAR.items():
                self._irregular.setdefault(self._stem_word(base), []).append(word)
        return (term[: max(2, len(term) - 1)], *self._irregular.get(term, ()))

    def tokens(self, text: str) -> list[str]:
        """Return the index terms of text, in order, repeats kept."""
        return list(chain.from_iterable(map(self.chunk_terms, self.chunks(text))))

    def __call__(self, text: str) -> list[str]:
        return self.tokens(text)


def _without_urls(folded: str) -> str:
    """Return folded text with its web addresses ("https://...", "www....") made white space."""
    return _URL_RE.sub(" ", folded) if "://" in folded or "www." in folded else folded


def analyser_settings() -> dict[str, object]:
    """Return what the manifest records about the analyser."""
    return {"name": "snowball-english", "version": ANALYSER_VERSION, "stop_words": len(STOP_WORDS)}
