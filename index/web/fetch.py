"""Fetch pages politely: conditional requests, bounded time and size, a delay per host, robots.txt.

One `Fetcher` serves one poll. It is safe to share between threads: httpx's
client is, the per-host clock is taken under a lock, and a semaphore keeps at
most `max_in_flight` requests open at once. Every connection goes through
`transport.CheckedTransport`, which checks the address it dials.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsbot.index.web.errors import WebError
from newsbot.index.web.transport import CheckedBackend, CheckedTransport
from newsbot.index.web.urls import check_url

__all__ = ["Fetcher", "Response", "WebPolicy", "user_agent"]

ROBOTS_MAX_BYTES = 500_000  # Google reads the first 500 KiB of a robots.txt and ignores the rest
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}


def user_agent() -> str:
    """Return the User-Agent newsbot names itself by."""
    try:
        version = metadata.version("newsbot")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"newsbot/{version} (news question-answering bot; feed reader)"


@dataclass(frozen=True)
class WebPolicy:
    """How newsbot behaves on the web; the front ends fill it from their settings."""

    timeout_s: float = 15.0  # a whole request, connect to last byte
    max_bytes: int = 5_000_000  # a response larger than this is stopped: news pages are well under 2 MB
    host_delay_s: float = 1.0  # between two requests to one host; crawlers commonly use 1 s
    max_in_flight: int = 4  # requests open at once, across hosts
    max_redirects: int = 5  # hops followed; browsers allow 20, a news link needs one or two
    allow_private: bool = False  # loopback and private addresses (NEWSBOT_ALLOW_PRIVATE_URLS; tests)
    respect_robots: bool = True  # robots.txt is asked before an article page


@dataclass(frozen=True)
class Response:
    """One response, redirects followed; a 304 has no body."""

    url: str  # where the body came from, after redirects
    status: int
    content_type: str  # media type without parameters, lower case
    body: bytes = b""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """Return True for a 304: the page is as it was when last fetched."""
        return self.status == 304

    def text(self) -> str:
        """Return the body decoded by its declared charset, else UTF-8 (bad bytes replaced).

        For an HTML page with no charset in its header, hand the extractor
        `body` instead: the page's own <meta charset> may name another.
        """
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


class Fetcher:
    """A polite HTTP client for one poll; use as a context manager."""

    def __init__(self, policy: WebPolicy | None = None, *, backend: CheckedBackend | None = None) -> None:
        """Open a client; backend (tests: a resolver of their own) defaults to the system's DNS, checked per the policy."""
        self.policy = policy or WebPolicy()
        self._backend = backend or CheckedBackend(allow_private=self.policy.allow_private)
        self._client = httpx.Client(
            headers={"User-Agent": user_agent()},
            timeout=httpx.Timeout(self.policy.timeout_s),
            follow_redirects=False,  # followed by hand, so every hop's URL is checked before it is asked
            transport=CheckedTransport(self._backend),  # no proxy: the address check must dial the real host
            trust_env=False,  # nor anything else from the environment (proxies, .netrc)
        )
        self._slots = threading.BoundedSemaphore(self.policy.max_in_flight)
        self._clock = threading.Lock()
        self._next_turn: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_locks: dict[str, threading.Lock] = {}  # one per site: a slow robots.txt holds up its own pages only
        self._robots_locks_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch a URL, following redirects to the policy's bound, conditionally when etag or last_modified is given.

        Raises WebError for a refused address (at any hop), a timeout, a
        response over the size limit, a redirect loop or too many redirects,
        and any status other than 2xx or 304.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = {url}
        for _ in range(self.policy.max_redirects + 1):
            check_url(url, self.policy.allow_private, self._backend.resolve)
            response = self._request(url, headers)
            if response.status not in _REDIRECTS:
                return response
            target = response.url
            if target in seen:
                raise WebError(f"redirect loop at {target}")
            seen.add(target)
            url = target
        raise WebError(f"more than {self.policy.max_redirects} redirects")

    def allowed(self, url: str) -> bool:
        """Return True when the site's robots.txt lets newsbot fetch the URL (always, when the policy ignores robots)."""
        if not self.policy.respect_robots:
            return True
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._robots_locks_lock:
            site_lock = self._robots_locks.setdefault(site, threading.Lock())
        with site_lock:  # one robots.txt fetch per site, however many of its pages ask at once
            rules = self._robots.get(site)
            if rules is None:
                rules = self._robots[site] = self._read_robots(site)
        return rules.can_fetch(user_agent(), url)

    def _read_robots(self, site: str) -> RobotFileParser:
        """Fetch and parse a site's robots.txt, as urllib's own reader decides: 401/403 forbid all, other failures allow all."""
        rules = RobotFileParser(f"{site}/robots.txt")
        try:
            response = self.get(f"{site}/robots.txt")
            rules.parse(response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        except WebError as error:
            if str(error).startswith(("HTTP 401", "HTTP 403")):
                rules.disallow_all = True
            else:
                rules.allow_all = True
        return rules

    def _wait_turn(self, host: str) -> None:
        """Sleep until this host may be asked again; book the next turn."""
        with self._clock:
            now = time.monotonic()
            turn = max(now, self._next_turn.get(host, now))
            self._next_turn[host] = turn + self.policy.host_delay_s
        if turn > now:
            time.sleep(turn - now)

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        """Send one GET and read its body within the time and size limits; a redirect comes back unread."""
        # The slot first, then the host's turn, then the clock: waiting for a slot neither eats into
        # the deadline nor lets two queued requests to one host go back to back.
        with self._slots:
            self._wait_turn(urlsplit(url).netloc.lower())
            deadline = time.monotonic() + self.policy.timeout_s
            try:
                with self._client.stream("GET", url, headers=headers) as reply:
                    content_type = reply.headers.get("content-type", "")
                    media = content_type.split(";")[0].strip().lower()
                    if reply.status_code in _REDIRECTS:
                        location = reply.headers.get("location")
                        if not location:
                            raise WebError(f"HTTP {reply.status_code} without a Location")
                        return Response(urljoin(url, location), reply.status_code, media)
                    if reply.status_code == 304:
                        return Response(url, 304, media, etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"))
                    if not 200 <= reply.status_code < 300:
                        raise WebError(f"HTTP {reply.status_code} {reply.reason_phrase}".rstrip())
                    body = self._read_body(reply, deadline)
                    return Response(
                        url, reply.status_code, media, body, charset=reply.charset_encoding,
                        etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"),
                    )  # fmt: skip
            except httpx.TimeoutException:
                raise WebError(f"timed out after {self.policy.timeout_s:g} s") from None
            except httpx.HTTPError as error:
                raise WebError(f"request failed: {error}") from None

    def _read_body(self, reply: httpx.Response, deadline: float) -> bytes:
        """Read a body, stopping past the size limit or the request's deadline (a trickle never resets it)."""
        limit = self.policy.max_bytes
        declared = reply.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise WebError(f"larger than {limit:,} bytes ({int(declared):,} declared)")
        chunks: list[bytes] = []
        size = 0
        for chunk in reply.iter_bytes(_CHUNK):  # decompressed bytes: a gzip bomb stops at the limit too
            size += len(chunk)
            if size > limit:
                raise WebError(f"larger than {limit:,} bytes")
            if time.monotonic() > deadline:
                raise WebError(f"timed out after {self.policy.timeout_s:g} s")
            chunks.append(chunk)
        return b"".join(chunks)
