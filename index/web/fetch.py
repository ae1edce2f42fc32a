"""Fetch pages politely: conditional requests, bounded time and size, a delay per host, Retry-After, robots.txt.

One `Fetcher` serves one poll. It is safe to share between threads: httpx's
client is, the per-host clock is taken under a lock, and a semaphore keeps at
most `max_in_flight` requests open at once. Every connection goes through
`transport.CheckedTransport`, which checks the address it dials.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from importlib import metadata
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsbot.index.web.errors import WebError
from newsbot.index.web.transport import CheckedBackend, CheckedTransport
from newsbot.index.web.urls import check_url

__all__ = ["Fetcher", "Response", "StatusError", "WebPolicy", "user_agent"]

ROBOTS_MAX_BYTES = 500_000  # Google reads the first 500 KiB of a robots.txt and ignores the rest
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# The longest rest a Retry-After may ask of newsbot: a day, so a mistaken or hostile "a year" (kept across polls in
# feeds.json) cannot silence a feed for good; a site that still wants rest says so again.
MAX_REST_S = 24 * 3600.0
_SECONDS_RE = re.compile(r"[0-9]+")  # delay-seconds (RFC 9110 section 10.2.3), ASCII digits only ("²" is no number)
# The statuses whose Retry-After says when a host will take requests again: RFC 6585 (429), RFC 9110 section 10.2.3 (503).
_BUSY = {429, 503}


class StatusError(WebError):
    """A response with a status other than 2xx, 304 or a redirect."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


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

    def __init__(
        self, policy: WebPolicy | None = None, *, backend: CheckedBackend | None = None, resting: dict[str, datetime] | None = None
    ) -> None:
        """Open a client; backend (tests: a resolver of their own) defaults to the system's DNS, checked per the policy.

        resting: hosts that asked (Retry-After) to be left alone until a time, as an earlier fetcher's `resting` gave them.
        """
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
        self._closed: dict[str, str] = {}  # host -> why: it asked (429, Retry-After) for a longer rest than a request may wait
        self._rest_until: dict[str, datetime] = {}  # host -> until when, for the rests a Retry-After named
        now = datetime.now(timezone.utc)
        for host, until in (resting or {}).items():
            if until > now:
                self._rest_until[host] = until
                self._closed[host] = f"Retry-After until {until:%Y-%m-%d %H:%M} UTC"
        self._robots: dict[str, _SiteRobots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}  # one per site: a slow robots.txt holds up its own pages only
        self._robots_locks_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    @property
    def resting(self) -> dict[str, datetime]:
        """Return the hosts that asked to be left alone past this fetcher's run, and until when (UTC), to keep for the next."""
        with self._clock:
            return dict(self._rest_until)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None, robots: bool = False) -> Response:
        """Fetch a URL, following redirects to the policy's bound, conditionally when etag or last_modified is given.

        With robots (an article page), each hop's robots.txt is asked, as the
        policy says, before the hop is requested. Raises WebError for a refused
        address (at any hop), a hop its robots.txt forbids or whose robots.txt
        answered a server error or 429, a timeout, a response over the size
        limit, a redirect loop or too many redirects, and a host that asked
        newsbot (Retry-After) to wait longer than a request may; StatusError,
        a WebError, for any status other than 2xx or 304.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = {url}
        for _ in range(self.policy.max_redirects + 1):
            check_url(url, self.policy.allow_private, self._backend.resolve)
            if robots:  # at every hop: a redirector must not lead round the target site's robots.txt
                self._check_robots(url)
            response = self._request(url, headers)
            if response.status not in _REDIRECTS:
                return response
            target = response.url
            if target in seen:
                raise WebError(f"redirect loop at {target}")
            seen.add(target)
            url = target
        raise WebError(f"more than {self.policy.max_redirects} redirects")

    def _check_robots(self, url: str) -> None:
        """Raise WebError unless the site's robots.txt lets newsbot fetch the URL now."""
        if not self.policy.respect_robots:
            return
        robots = self._site_robots(url)
        if robots.unreadable is not None:
            raise WebError(f"robots.txt of {robots.site} answered {robots.unreadable}: its pages are not fetched until it can be read")
        if not robots.rules.can_fetch(user_agent(), url):
            raise WebError(f"robots.txt does not allow newsbot to fetch {url}")

    def _site_robots(self, url: str) -> _SiteRobots:
        """Return the robots.txt of a URL's site, read once per fetcher."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._robots_locks_lock:
            site_lock = self._robots_locks.setdefault(site, threading.Lock())
        with site_lock:  # one robots.txt fetch per site, however many of its pages ask at once
            robots = self._robots.get(site)
            if robots is None:
                robots = self._robots[site] = self._read_robots(site)
        return robots

    def _read_robots(self, site: str) -> _SiteRobots:
        """Fetch and parse a site's robots.txt; a failure decides as RFC 9309 section 2.3.1 does, 401/403 stricter.

        A server error or a 429 leaves the site's robots.txt unread, so none of
        its pages is fetched by this fetcher (one poll): the next poll asks
        again. 401 and 403 forbid all, as urllib's reader decides (the RFC
        would allow all); any other 4xx allows all. A failure without a status
        (timeout, refused address) allows all: the page's own request meets it
        too, and reports it as itself.
        """
        rules = RobotFileParser(f"{site}/robots.txt")
        try:
            response = self.get(f"{site}/robots.txt")
            rules.parse(response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        except StatusError as error:
            if error.status >= 500 or error.status == 429:
                return _SiteRobots(site, rules, unreadable=str(error))
            if error.status in (401, 403):
                rules.disallow_all = True
            else:
                rules.allow_all = True
        except WebError:
            rules.allow_all = True
        return _SiteRobots(site, rules)

    def _wait_turn(self, host: str) -> None:
        """Sleep until this host may be asked again and book the next turn; raise WebError for a host closed to this fetcher."""
        with self._clock:
            if host in self._closed:
                raise WebError(f"{host} asked newsbot to wait ({self._closed[host]}): not asked again in this run")
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
                        message = f"HTTP {reply.status_code} {reply.reason_phrase}".rstrip()
                        if reply.status_code in _BUSY:
                            message += self._back_off(urlsplit(url).netloc.lower(), reply.status_code, reply.headers.get("retry-after"))
                        raise StatusError(message, reply.status_code)
                    body = self._read_body(reply, deadline)
                    return Response(
                        url, reply.status_code, media, body, charset=reply.charset_encoding,
                        etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"),
                    )  # fmt: skip
            except httpx.TimeoutException:
                raise WebError(f"timed out after {self.policy.timeout_s:g} s") from None
            except httpx.HTTPError as error:
                raise WebError(f"request failed: {error}") from None

    def _back_off(self, host: str, status: int, retry_after: str | None) -> str:
        """Keep away from a host that answered 429 or 503 for as long as its Retry-After asks; return what was done, for the error.

        A rest no longer than one request's timeout is waited out: the host's
        next turn moves past it. A longer one, or a 429 without a Retry-After,
        closes the host to this fetcher: a poll does not hang on one site, and
        its pages are asked again at the next poll. A 503 without a Retry-After
        is one failed request, nothing more.
        """
        rest = _retry_after_s(retry_after)
        with self._clock:
            if rest is not None and rest <= self.policy.timeout_s:
                self._next_turn[host] = max(self._next_turn.get(host, 0.0), time.monotonic() + rest)
                return f" (retry after {rest:.0f} s)"
            if rest is not None:
                self._closed[host] = f"HTTP {status}, retry after {rest:.0f} s"
                self._rest_until[host] = datetime.now(timezone.utc) + timedelta(seconds=rest)
                return f" (retry after {rest:.0f} s: not asked again in this run)"
            if status == 429:
                self._closed[host] = "HTTP 429"
                return " (not asked again in this run)"
        return ""

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


@dataclass(frozen=True)
class _SiteRobots:
    """A site's robots.txt as one fetcher read it."""

    site: str  # scheme://host[:port]
    rules: RobotFileParser
    unreadable: str | None = None  # why it could not be read (a server error, 429): the site's pages wait


def _retry_after_s(value: str | None) -> float | None:
    """Return the seconds a Retry-After header asks for, from delay-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if _SECONDS_RE.fullmatch(value):
        return min(float(value), MAX_REST_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT (RFC 9110 section 5.6.7); "-0000" parses naive
        when = when.replace(tzinfo=timezone.utc)
    return min(max(0.0, (when - datetime.now(timezone.utc)).total_seconds()), MAX_REST_S)
