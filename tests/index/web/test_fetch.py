"""The fetcher on the wire: addresses checked where they are dialled, pages keyed on their own host, charsets, timing."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsbot.index.web.errors import WebError
from newsbot.index.web.fetch import Fetcher, WebPolicy
from newsbot.index.web.poll import add_page
from newsbot.index.web.transport import CheckedBackend
from tests.index.web.server import LocalWeb, Route, article_page

# example.com's long-time address: public, so it passes the check, and never dialled here (routed to the local server).
PUBLIC = "93.184.216.34"
DAM = ["The new dam on the Indus opened on Tuesday after nine years of work, officials said.",
       "It will supply water to four million people in the province of Sindh."]
PORT = ["Ships waited outside the harbour of Karachi on Monday morning as the tide fell, pilots said.",
        "The port authority expects traffic to resume by the evening once the channel is clear."]
FERRY = ["A new ferry to Muscat will leave Gwadar twice a week from April, the port said on Monday.",
         "Tickets go on sale next week at the harbour office and online."]


class RoutedBackend(CheckedBackend):
    """The checking backend with DNS and routing played by the test: the check itself is the real one.

    `answers` gives each name its DNS answers, one per lookup (the last one
    repeats); other names go to the system resolver. PUBLIC is routed to the
    local server.
    """

    def __init__(self, web: LocalWeb, answers: dict[str, list[str]]) -> None:
        super().__init__(resolve=self._resolve)
        self.answers = {name: list(addresses) for name, addresses in answers.items()}
        self.port = web.server.server_address[1]

    def _resolve(self, host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        answers = self.answers.get(host)
        if answers is None:
            return socket.getaddrinfo(host, port, *args)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    def dial(self, address: str, port: int, *rest: Any) -> Any:
        if address == PUBLIC:
            address = "127.0.0.1"
        return super().dial(address, port, *rest)


STRICT = WebPolicy(timeout_s=2.0, host_delay_s=0.0, allow_private=False)


def test_a_name_that_looks_public_reaches_the_page(web: LocalWeb) -> None:
    web.page("/dam", "<p>dam</p>")
    with Fetcher(STRICT, backend=RoutedBackend(web, {"news.test": [PUBLIC]})) as fetcher:
        assert fetcher.get(f"http://news.test:{web.server.server_address[1]}/dam").body == b"<p>dam</p>"


def test_dns_rebinding_is_refused_where_the_connection_is_made(web: LocalWeb) -> None:
    # The check sees a public address; the connection's own lookup gets loopback.
    web.page("/dam", "<p>dam</p>")
    backend = RoutedBackend(web, {"news.test": [PUBLIC, "127.0.0.1"]})
    with Fetcher(STRICT, backend=backend) as fetcher, pytest.raises(WebError, match="127.0.0.1, a private or local address"):
        fetcher.get(f"http://news.test:{web.server.server_address[1]}/dam")
    assert web.requests == []


@pytest.mark.parametrize("target", ["http://inside.test:{port}/secret", "http://127.0.0.1:{port}/secret", "http://[::ffff:10.0.0.1]/"])
def test_a_redirect_to_a_private_address_is_refused(web: LocalWeb, target: str) -> None:
    port = web.server.server_address[1]
    web.routes["/go"] = Route(status=302, headers={"Location": target.format(port=port)})
    web.page("/secret", "<p>secret</p>")
    backend = RoutedBackend(web, {"news.test": [PUBLIC], "inside.test": ["10.1.2.3"]})
    with Fetcher(STRICT, backend=backend) as fetcher, pytest.raises(WebError, match="a private or local address"):
        fetcher.get(f"http://news.test:{port}/go")
    assert web.paths_asked() == ["/go"]


def test_a_page_names_its_own_address_but_no_other_sites(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    # localhost and 127.0.0.1 are one server but two hosts: a victim site and a hostile one.
    corpus, state = tmp_path / "corpus", tmp_path / "state"
    corpus.mkdir()
    victim = web.page("/dam", article_page("Dam opens in the valley", DAM)).replace("127.0.0.1", "localhost")
    assert add_page(state, corpus, victim, policy=policy).status == "new"
    hostile = web.page("/evil", article_page("Dam bursts", PORT, canonical=victim))
    added = add_page(state, corpus, hostile, policy=policy)
    assert (added.url, added.status) == (hostile, "new")
    # A canonical link on the page's own host is followed: the article is known by it.
    own = web.page("/amp/ferry", article_page("Ferry to Muscat", FERRY, canonical=web.url("/ferry")))
    assert add_page(state, corpus, own, policy=policy).url == web.url("/ferry")
    lines = [json.loads(line) for path in sorted(corpus.rglob("*.jsonl")) for line in path.read_text().splitlines()]
    assert {line["url"]: line["title"] for line in lines} == {
        victim: "Dam opens in the valley", hostile: "Dam bursts", web.url("/ferry"): "Ferry to Muscat",
    }  # fmt: skip


def test_a_latin1_page_without_a_header_charset_reads_by_its_meta(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    words = ["Le café de São Paulo a rouvert ses portes lundi, après une longue rénovation du bâtiment historique.",
             "Les habitués ont salué la qualité du crème brûlée et la façade restaurée avec soin."]
    page = article_page("Réouverture du café", words).replace("<head>", '<head><meta charset="iso-8859-1">')
    url = web.page("/cafe", page.encode("iso-8859-1"), content_type="text/html")
    (tmp_path / "corpus").mkdir()
    add_page(tmp_path / "state", tmp_path / "corpus", url, policy=policy)
    [line] = [json.loads(line) for path in (tmp_path / "corpus").rglob("*.jsonl") for line in path.read_text().splitlines()]
    assert line["title"] == "Réouverture du café" and "São Paulo" in line["text"] and "crème brûlée" in line["text"]


def test_waiting_for_a_slot_does_not_count_against_the_deadline(web: LocalWeb) -> None:
    web.page("/slow", "<p>slow</p>", delay_s=0.7)
    web.page("/next", "<p>next</p>", delay_s=0.5)
    results: dict[str, object] = {}
    with Fetcher(WebPolicy(timeout_s=1.0, host_delay_s=0.0, max_in_flight=1, allow_private=True)) as fetcher:

        def fetch(path: str) -> None:
            try:
                results[path] = fetcher.get(web.url(path)).body
            except WebError as error:
                results[path] = error

        first = threading.Thread(target=fetch, args=("/slow",))
        first.start()
        time.sleep(0.1)
        fetch("/next")  # queued 0.6 s behind /slow, then 0.5 s of its own: within its 1 s
        first.join()
    assert results == {"/slow": b"<p>slow</p>", "/next": b"<p>next</p>"}


def test_a_slow_robots_txt_holds_up_only_its_own_site(web: LocalWeb) -> None:
    with LocalWeb() as slow_site:
        slow_site.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain", delay_s=1.0)
        web.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        with Fetcher(WebPolicy(timeout_s=3.0, host_delay_s=0.0, allow_private=True)) as fetcher:
            waiting = threading.Thread(target=fetcher.allowed, args=(slow_site.url("/a"),))
            waiting.start()
            time.sleep(0.1)
            started = time.monotonic()
            assert fetcher.allowed(web.url("/b"))
            elapsed = time.monotonic() - started
            waiting.join()
    assert elapsed < 0.5
