"""Every writer of corpus files waits for the corpus lock: held by another, nothing is written until it is let go."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsbot.index import corpus_lock, load, restore_into_corpus
from newsbot.index.corpus import CORPUS_LOCK_FILE
from newsbot.index.web.fetch import WebPolicy
from newsbot.index.web.poll import add_page, poll_feeds
from newsbot.index.web.subscribe import add_feed, remove_feed
from tests.index.web.feeds import rss
from tests.index.web.server import LocalWeb, article_page

DAM = ["The new dam on the Indus opened on Tuesday after nine years of work, officials said.",
       "It will supply water to four million people in the province of Sindh."]
POLICY = WebPolicy(timeout_s=2.0, host_delay_s=0.0, allow_private=True)


def files(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in corpus.rglob("*") if p.is_file() and p.name != CORPUS_LOCK_FILE}


def writers(corpus: Path, tmp_path: Path, web: LocalWeb) -> dict[str, Callable[[], object]]:
    """Return each writer, set up and ready to change the corpus."""
    keep, state = tmp_path / "kept", tmp_path / "state"
    engine = load(corpus, tmp_path / "index")
    new = tmp_path / "new.txt"
    new.write_text("Bridge opens\n\nThe bridge opened on Monday.\n", encoding="utf-8")
    dam = web.page("/dam", article_page("Dam opens in the valley", DAM))
    web.page("/rss", rss("V", [("Dam", dam, "Tue, 04 Mar 2025 09:00:00 GMT", "")]), content_type="application/rss+xml")
    return {
        "remove": lambda: engine.remove_sources(["wire.jsonl#1"], keep_dir=keep),
        "add files": lambda: engine.add_files([new]),
        "restore": lambda: restore_into_corpus(keep, "wire.jsonl#1", corpus),
        "add page": lambda: add_page(state, corpus, dam, policy=POLICY),
        "poll": lambda: poll_feeds(state, corpus, policy=POLICY),
        "purge feed": lambda: remove_feed(state, "v", corpus_dir=corpus, keep_dir=keep, purge=True),
    }


@pytest.mark.parametrize("name", ["remove", "add files", "restore", "add page", "poll", "purge feed"])
def test_each_corpus_writer_waits_for_the_corpus_lock(name: str, tmp_path: Path, web: LocalWeb) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [{"id": str(n), "title": title, "published": "2025-07-01", "text": f"{title} happened today."}
             for n, title in ((1, "Port reopens"), (2, "Dam bursts"))]  # fmt: skip
    (corpus / "wire.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    ready = writers(corpus, tmp_path, web)
    if name == "restore":
        ready["remove"]()
    if name in ("poll", "purge feed"):
        add_feed(tmp_path / "state", web.url("/rss"), name="v", policy=POLICY)
    if name == "purge feed":
        ready["poll"]()
    before = files(corpus)

    with corpus_lock(corpus):
        writer = threading.Thread(target=ready[name])
        writer.start()
        time.sleep(0.5)  # long enough for any writer here to reach its write
        assert writer.is_alive() and files(corpus) == before
    writer.join(timeout=10)
    assert not writer.is_alive() and files(corpus) != before
