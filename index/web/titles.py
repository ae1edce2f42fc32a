"""Whether titles tell one story: a page against its feed item's (a wall answers every link), two items against each other."""

from __future__ import annotations

import functools

from newsbot.index.analysis import Analyser

__all__ = ["ONE_STORY_SHARE", "one_story", "same_story"]

# Two items' titles sharing at least half their words (of both together) tell one story: a story in two sections
# keeps its title, where a wall's two stories share at most a name.
ONE_STORY_SHARE = 0.5


@functools.lru_cache(maxsize=1)
def _analyser() -> Analyser:
    """Return the analyser titles are compared with, made once: its cache of words serves every poll."""
    return Analyser()


def _title_words(title: str) -> set[str]:
    """Return a title's words as the index compares them: folded, stemmed, stop words left out."""
    return set(_analyser().tokens(title))


def same_story(page_title: str, item_title: str) -> bool:
    """Return False when a page's title shares no word with its feed item's: the link led to some other page.

    A consent or login wall answers every link of a site with one page
    ("Before you continue"); taken as the article, it would stand for the
    first item and make every later one its duplicate, skipped for good.
    Words are compared as the index compares them (folded, stemmed, stop
    words left out); a title with no such word cannot tell, and passes.
    """
    page, item = _title_words(page_title), _title_words(item_title)
    return not page or not item or bool(page & item)


def one_story(title: str, other: str) -> bool:
    """Return True when two feed items' titles tell one story: most of their words the same (a paper's name, or
    "City", shared by two stories is not enough)."""
    words, others = _title_words(title), _title_words(other)
    if not words or not others:
        return title == other
    return len(words & others) >= ONE_STORY_SHARE * len(words | others)
