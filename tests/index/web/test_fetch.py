"""The fetcher on the wire: addresses checked where they are dialled, pages keyed on their own host, charsets, timing, robots.txt at every hop, Retry-After."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from newsbot.index.web.errors import WebError
from newsbot.index.web.fetch import Fetcher, StatusError, WebPolicy
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
            slow_site.page("/a", "<p>a</p>")
            web.page("/b", "<p>b</p>")
            waiting = threading.Thread(target=lambda: fetcher.get(slow_site.url("/a"), robots=True))
            waiting.start()
            time.sleep(0.1)
            started = time.monotonic()
            assert fetcher.get(web.url("/b"), robots=True).body == b"<p>b</p>"
            elapsed = time.monotonic() - started
            waiting.join()
    assert elapsed < 0.5


class _TimedRequests(list[tuple[str, dict[str, str]]]):
    """A LocalWeb's request log that also notes when each request came."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[str, list[float]] = {}

    def append(self, request: tuple[str, dict[str, str]]) -> None:
        self.at.setdefault(request[0], []).append(time.monotonic())
        super().append(request)


def _timed(server: LocalWeb) -> _TimedRequests:
    server.requests = _TimedRequests()
    return server.requests


def test_a_redirect_hop_is_asked_of_its_own_sites_robots_txt(web: LocalWeb, policy: WebPolicy) -> None:
    # A feed link through a redirector on one site must not get round the target site's robots.txt.
    with LocalWeb() as target:
        target.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
        flood = target.page("/flood.html", article_page("Flood in the valley", DAM))
        web.routes["/go/flood"] = Route(status=302, headers={"Location": flood})
        with Fetcher(policy) as fetcher, pytest.raises(WebError, match=f"robots.txt does not allow newsbot to fetch {flood}"):
            fetcher.get(web.url("/go/flood"), robots=True)
        assert target.paths_asked() == ["/robots.txt"]
    assert web.paths_asked() == ["/robots.txt", "/go/flood"]


def test_add_url_through_a_redirector_is_refused_by_the_target_sites_robots_txt(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    with LocalWeb() as target:
        target.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
        flood = target.page("/flood.html", article_page("Flood in the valley", DAM))
        web.routes["/go/flood"] = Route(status=302, headers={"Location": flood})
        with pytest.raises(WebError, match="robots.txt does not allow"):
            add_page(tmp_path / "state", tmp_path / "corpus", web.url("/go/flood"), policy=policy)
        assert target.paths_asked() == ["/robots.txt"]  # the page itself never


def test_a_redirect_hops_robots_txt_is_read_once_and_its_host_waited_for(web: LocalWeb) -> None:
    delay = 0.3
    with LocalWeb() as target:
        asked = _timed(target)
        target.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        page = target.page("/dam", "<p>dam</p>")
        web.routes["/go/dam"] = Route(status=302, headers={"Location": page})
        with Fetcher(WebPolicy(timeout_s=2.0, host_delay_s=delay, allow_private=True)) as fetcher:
            assert fetcher.get(web.url("/go/dam"), robots=True).url == page
            assert fetcher.get(web.url("/go/dam"), robots=True).url == page
        assert target.paths_asked() == ["/robots.txt", "/dam", "/dam"]
        assert asked.at["/dam"][0] - asked.at["/robots.txt"][0] >= delay * 0.9  # the page waited its turn after robots.txt


def test_fetching_without_robots_asks_no_robots_txt_at_any_hop(web: LocalWeb, policy: WebPolicy) -> None:
    # Feeds are fetched as the user subscribed them; robots.txt is for article pages.
    with LocalWeb() as target:
        feed = target.page("/feed.xml", "<rss/>", content_type="application/rss+xml")
        web.routes["/go/feed"] = Route(status=301, headers={"Location": feed})
        with Fetcher(policy) as fetcher:
            assert fetcher.get(web.url("/go/feed")).url == feed
        assert target.paths_asked() == ["/feed.xml"]


@pytest.mark.parametrize("url", ["http://news..example.com/x", "http://.example.com/", f"http://{'a' * 64}.example.com/"])
@pytest.mark.parametrize("allow_private", [True, False])
def test_a_malformed_host_is_a_bad_address_with_or_without_private_addresses(url: str, allow_private: bool, tmp_path: Path) -> None:
    policy = WebPolicy(timeout_s=2.0, host_delay_s=0.0, allow_private=allow_private)
    with Fetcher(policy) as fetcher, pytest.raises(WebError, match="bad address"):
        fetcher.get(url, robots=True)
    (tmp_path / "corpus").mkdir()
    with pytest.raises(WebError, match="bad address"):  # `newsbot add` and a poll's item: one clear line, not a traceback
        add_page(tmp_path / "state", tmp_path / "corpus", url, policy=policy)


def test_a_redirect_to_a_malformed_host_is_a_bad_address(web: LocalWeb, policy: WebPolicy) -> None:
    web.routes["/go"] = Route(status=302, headers={"Location": "http://news..example.com/x"})
    with Fetcher(policy) as fetcher, pytest.raises(WebError, match="bad address"):
        fetcher.get(web.url("/go"))


def test_the_backend_refuses_a_malformed_host_when_private_addresses_are_allowed() -> None:
    # The connect-time check, for a host that reaches the dial without check_url.
    with pytest.raises(WebError, match="bad address"):
        CheckedBackend(allow_private=True).connect_tcp("news..example.com", 80, timeout=1.0)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(500, False), (503, False), (429, False), (401, False), (403, False), (404, True), (410, True), (400, True)],
)
def test_a_failed_robots_txt_decides_by_its_status(web: LocalWeb, policy: WebPolicy, status: int, allowed: bool) -> None:
    # RFC 9309 2.3.1: a server error (and a 429) leaves robots.txt unread, so nothing is fetched for now;
    # another 4xx means there is none. 401/403 stay forbidding, as urllib's reader has them.
    web.routes["/robots.txt"] = Route(b"busy", status=status, content_type="text/plain")
    page = web.page("/dam", "<p>dam</p>")
    with Fetcher(policy) as fetcher:
        if allowed:
            assert fetcher.get(page, robots=True).body == b"<p>dam</p>"
        else:
            with pytest.raises(WebError, match=f"robots.txt .*{'answered HTTP' if status in (429, 500, 503) else 'does not allow'}"):
                fetcher.get(page, robots=True)
    assert web.paths_asked() == ["/robots.txt"] + (["/dam"] if allowed else [])


def test_a_server_error_on_robots_txt_keeps_add_from_fetching_the_page(web: LocalWeb, policy: WebPolicy, tmp_path: Path) -> None:
    web.routes["/robots.txt"] = Route(b"down", status=503, content_type="text/plain")
    url = web.page("/dam", article_page("Dam opens in the valley", DAM))
    (tmp_path / "corpus").mkdir()
    with pytest.raises(WebError, match="robots.txt"):
        add_page(tmp_path / "state", tmp_path / "corpus", url, policy=policy)
    assert web.paths_asked() == ["/robots.txt"]


def _in_an_hour() -> str:
    return format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)


@pytest.mark.parametrize(
    ("status", "retry_after", "said"),
    [(429, "3600", "retry after 3600 s"), (503, "3600", "retry after 3600 s"), (429, None, ""), (429, "date", "retry after 3[56]\\d\\d s")],
)
def test_a_long_retry_after_closes_the_host_for_the_run(web: LocalWeb, policy: WebPolicy, status: int, retry_after: str | None, said: str) -> None:
    headers = {} if retry_after is None else {"Retry-After": _in_an_hour() if retry_after == "date" else retry_after}
    web.routes["/a"] = Route(b"slow down", status=status, headers=headers)
    web.page("/b", "<p>b</p>")
    with Fetcher(policy) as fetcher:
        with pytest.raises(StatusError, match=f"HTTP {status} .*{said}.*not asked again in this run") as refused:
            fetcher.get(web.url("/a"))
        assert refused.value.status == status
        with pytest.raises(WebError, match=f"asked newsbot to wait \\(HTTP {status}.*{said}.*not asked again in this run"):
            fetcher.get(web.url("/b"))
    assert web.paths_asked() == ["/a"]


def test_a_short_retry_after_is_waited_out_before_the_host_is_asked_again(web: LocalWeb, policy: WebPolicy) -> None:
    asked = _timed(web)
    web.routes["/a"] = Route(b"slow down", status=429, headers={"Retry-After": "1"})
    web.page("/b", "<p>b</p>")
    with Fetcher(policy) as fetcher:
        with pytest.raises(StatusError, match="retry after 1 s"):
            fetcher.get(web.url("/a"))
        assert fetcher.get(web.url("/b")).body == b"<p>b</p>"
    assert asked.at["/b"][0] - asked.at["/a"][0] >= 0.9


def test_a_server_error_without_retry_after_does_not_close_the_host(web: LocalWeb, policy: WebPolicy) -> None:
    web.routes["/a"] = Route(b"oops", status=503)
    web.page("/b", "<p>b</p>")
    with Fetcher(policy) as fetcher:
        with pytest.raises(StatusError, match="HTTP 503"):
            fetcher.get(web.url("/a"))
        assert fetcher.get(web.url("/b")).body == b"<p>b</p>"


@pytest.mark.parametrize(("header", "rest_h"), [
    ("31536000", 24.0),  # a year asked: a day at most
    ("1000000000000", 24.0),  # too large for a date once added: no crash
    ("Fri, 31 Dec 9999 23:59:59 GMT", 24.0),
    ("\u00b2", None),  # "²" is a digit to Python, not to HTTP: no Retry-After
    ("soon", None),
])  # fmt: skip
def test_a_retry_after_is_bounded_and_an_odd_one_is_none(web: LocalWeb, policy: WebPolicy, header: str, rest_h: float | None) -> None:
    web.routes["/busy"] = Route(b"busy", status=429, headers={"Retry-After": header})
    with Fetcher(policy) as fetcher:
        with pytest.raises(WebError, match="HTTP 429"):
            fetcher.get(web.url("/busy"))
        rests = fetcher.resting
    if rest_h is None:
        assert rests == {}
    else:
        [until] = rests.values()
        assert timedelta(hours=rest_h - 0.1) < until - datetime.now(timezone.utc) <= timedelta(hours=rest_h)
