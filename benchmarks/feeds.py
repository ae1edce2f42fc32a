"""Feed benchmark: a feed of 50 items on a local server, from poll start to answerable, then a poll with nothing new.

    python benchmarks/feeds.py [--items 50]

The first poll fetches the feed, robots.txt and every item page, writes the
day files and refreshes a real engine; the clock stops when a question about
the last item is answered from it (goal: 2 s). The second poll must send only
conditional requests and change no article or index file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from newsbot.index import load  # noqa: E402
from newsbot.index.web.fetch import WebPolicy  # noqa: E402
from newsbot.index.web.poll import poll_and_refresh  # noqa: E402
from newsbot.index.web.subscribe import add_feed  # noqa: E402
from tests.index.web.feeds import rss  # noqa: E402
from tests.index.web.server import LocalWeb, Route, article_page  # noqa: E402

GOAL_S = 2.0
TOWNS = ["Quetta", "Multan", "Sukkur", "Gilgit", "Hunza", "Swat", "Thatta", "Badin", "Chitral", "Skardu"]
RIVERS = ["Indus", "Jhelum", "Chenab", "Ravi", "Sutlej", "Kabul", "Swat", "Gomal", "Zhob", "Kunhar"]


def _place(n: int) -> str:
    """Return a place named by no other item (up to 100 items), so a question picks one article."""
    return f"{TOWNS[n % len(TOWNS)]} on the {RIVERS[n // len(TOWNS) % len(RIVERS)]}"


def _files(*roots: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for root in roots for p in root.rglob("*") if p.is_file()}


def run(items: int) -> list[tuple[str, str]]:
    """Run both polls; return the table's rows."""
    policy = WebPolicy(timeout_s=5.0, host_delay_s=0.0, allow_private=True)  # one local host: no politeness delay
    with tempfile.TemporaryDirectory() as work, LocalWeb() as web:
        work_dir = Path(work)
        corpus, state, index = work_dir / "corpus", work_dir / "state", work_dir / "index"
        corpus.mkdir()
        (corpus / "seed.txt").write_text("Seed\n\nThe council met on Monday to discuss the budget for schools.\n")
        entries = []
        for n in range(items):
            town = _place(n)
            paragraphs = [
                f"Item {n}: a new bridge opened in {town} on Tuesday, connecting {n + 2} villages to the highway.",
                f"The bridge in {town} cost {n + 10} million rupees and took {n % 5 + 2} years to build, engineers said.",
                "Traffic police said the old ferry crossing would close next month.",
            ]
            url = web.page(f"/news/{n}", article_page(f"Bridge {n} opens in {town}", paragraphs, published=f"2025-03-{n % 28 + 1:02d}T09:00:00Z"))
            entries.append((f"Bridge {n}", url, f"Tue, {n % 28 + 1:02d} Mar 2025 09:00:00 GMT", ""))
        web.routes["/rss"] = Route(rss("Bridge News", entries).encode(), "application/rss+xml", etag='"feed-v1"')
        add_feed(state, web.url("/rss"), name="bridges", policy=policy)
        engine = load(corpus, index)
        web.requests.clear()

        start = time.perf_counter()
        first, refreshed = poll_and_refresh(engine, state, policy=policy)
        answer = engine.answer(f"How many villages does the bridge in {_place(items - 1)} connect?")
        answerable_s = time.perf_counter() - start
        answered = any(f"Item {items - 1}:" in quote.text for quote in answer.quotes)
        first_requests = len(web.requests)

        before = _files(corpus, index)
        web.requests.clear()
        start = time.perf_counter()
        second, second_refresh = poll_and_refresh(engine, state, policy=policy)
        second_s = time.perf_counter() - start
        conditional = all("If-None-Match" in headers for _, headers in web.requests)
        unchanged = _files(corpus, index) == before and second_refresh is None

    return [
        ("items in the feed", f"{items}"),
        ("first poll: new / failed", f"{first.feeds[0].new} / {len(first.feeds[0].failed)}"),
        ("first poll: requests", f"{first_requests}"),
        ("poll start to answerable", f"{answerable_s:.2f} s (goal {GOAL_S:g} s) {'OK' if answerable_s <= GOAL_S else 'SLOW'}"),
        ("question about the last item answered", "yes" if answered and refreshed is not None else "NO"),
        ("second poll: time", f"{second_s * 1000:.0f} ms"),
        ("second poll: requests, all conditional", f"{len(web.requests)}, {'yes' if conditional else 'NO'}"),
        ("second poll: new / 304", f"{second.feeds[0].new} / {'yes' if second.feeds[0].not_modified else 'no'}"),
        ("second poll: article or index file changed", "no" if unchanged else "YES"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args(argv)
    rows = run(args.items)
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
