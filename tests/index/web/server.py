"""A small local web server for the feed tests: routes set per test, requests recorded."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "web"


@dataclass
class Route:
    """What the server answers at one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    etag: str | None = None  # answer 304 when the request's If-None-Match matches


class LocalWeb:
    """A ThreadingHTTPServer on 127.0.0.1 in a thread; `routes` maps a path to a Route."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                web.requests.append((self.path, dict(self.headers)))
                route = web.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                if route.delay_s:
                    time.sleep(route.delay_s)
                if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag is not None:
                    self.send_header("ETag", route.etag)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: the size limit at work

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: str | bytes, **kwargs: object) -> str:
        """Serve a page (or any body) at path; return its URL."""
        self.routes[path] = Route(body.encode("utf-8") if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    def paths_asked(self) -> list[str]:
        return [path for path, _ in self.requests]


def article_page(title: str, paragraphs: list[str], *, published: str | None = "2025-03-04T09:00:00Z", site: str = "Valley Times", author: str | None = "Jane Roe", canonical: str | None = None) -> str:
    """Return a news page with the boilerplate news sites carry: navigation, cookie banner, ad, comments, footer."""
    meta = [f'<meta property="og:site_name" content="{site}">']
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[:1])
    rest = "\n".join(f"<p>{p}</p>" for p in paragraphs[1:])
    return f"""<!doctype html><html><head><title>{title} | {site}</title>{''.join(meta)}</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our site. By continuing you accept all cookies.</p><button>Accept</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{body}
<div class="ad ad-slot"><p>Advertisement: Save forty percent on premium garden furniture this weekend only.</p></div>
{rest}
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Markets slide as oil prices climb again</a></li></ul></aside>
<section class="comments" id="comments"><h3>Comments</h3><div class="comment"><p>This is the best news I have read all year, well done everyone involved!</p></div></section>
</main>
<footer><p>Copyright 2025 {site}. All rights reserved. Contact us about advertising.</p></footer>
</body></html>"""
