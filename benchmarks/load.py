"""Load test: many users ask at once through the real discord.py client against the tests' fake Discord.

The bot runs in a process of its own (`newsbot discord`'s code path), the fake
in this one. Every question must be answered; the table gives the longest
stall of the bot's event loop (how late a 5 ms timer fired: the goal is 100 ms)
and the bot process's resident memory before and after each round (the goal:
flat).

    python benchmarks/load.py [--users 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import signal
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import yarl  # noqa: E402
from discord.gateway import DiscordWebSocket  # noqa: E402
from discord.http import Route  # noqa: E402

from newsbot.bot.settings import Settings  # noqa: E402
from tests.bot.fake_discord import FakeDiscord  # noqa: E402
from tests.bot.fake_guild import FakeUser  # noqa: E402

QUESTIONS = REPO / "benchmarks" / "questions"
TICK_S = 0.005  # the stall monitor's timer
STALL_GOAL_MS = 100.0


def rss_mb() -> float:
    """Return this process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def corpus_and_questions(workdir: Path) -> tuple[Path, list[str]]:
    """Return a corpus of the bundled and the stories articles, and their labelled questions."""
    corpus = workdir / "corpus"
    shutil.copytree(REPO / "corpus", corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(QUESTIONS / "stories", corpus / "stories")
    questions = [
        json.loads(line)["question"]
        for name in ("bundled.jsonl", "stories.jsonl")
        for line in (QUESTIONS / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return corpus, questions


async def watch(report: dict, stop: asyncio.Event) -> None:
    """Record, with wall-clock stamps, how late each short timer fires (the loop's stalls) and the RSS."""
    next_rss = 0.0
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK_S)
        late = (time.perf_counter() - start - TICK_S) * 1000
        now = time.time()
        if late > 1:
            report["stalls"].append((now, round(late, 2)))
        if now >= next_rss:
            report["rss"].append((now, rss_mb()))
            next_rss = now + 0.05


async def serve(api: str, gateway: str, token: str, corpus: Path, index_dir: Path, guild: int, out: Path) -> int:
    """Run the bot in this process, as a user would, watching its event loop; write what was seen to out."""
    from newsbot.bot.discord_run import serve_discord

    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = api, yarl.URL(gateway)
    settings = Settings(
        _env_file=None, discord_token=token, corpus_dir=corpus, index_dir=index_dir,
        discord_guild_ids=[guild], cooldown_per_minute=0,
    )  # fmt: skip
    report: dict = {"stalls": [], "rss": []}
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch(report, stop))
    code = await serve_discord(settings, watch_corpus=False)  # until SIGTERM
    stop.set()
    await watcher
    out.write_text(json.dumps(report), encoding="utf-8")
    return code


async def run(users: int, rounds: int, workdir: Path) -> dict:
    """Start the fake here and the bot in its own process; ask `users` questions at once per round."""
    corpus, questions = corpus_and_questions(workdir)
    server = FakeDiscord()
    await server.start()
    out = workdir / "bot-report.json"
    bot = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve-bot", server.api, server.gateway_url, server.token, str(corpus),
        str(workdir / "index"), str(server.guild_id), str(out),
    )  # fmt: skip
    people = [FakeUser(server.snowflake(), f"reader{i}") for i in range(users)]
    spans = []
    try:
        await server.wait_connected(timeout=60)
        await server.wait_until(lambda: server.commands, 60)
        await asyncio.sleep(1)  # let the bot settle after connecting
        for number in range(1, rounds + 1):
            asked = [questions[(number * users + i) % len(questions)] for i in range(users)]
            started = time.time()
            replies = await asyncio.gather(*(server.ask(q, user=u) for q, u in zip(asked, people)))
            answered = sum(1 for _, f in replies if f is not None and (f.json.get("embeds") or f.json.get("content")))
            spans.append((number, started, time.time(), answered))
            await asyncio.sleep(0.5)
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 60)
        await server.close()
    seen = json.loads(out.read_text(encoding="utf-8"))
    rows = []
    for number, started, ended, answered in spans:
        stalls = [late for stamp, late in seen["stalls"] if started <= stamp <= ended + 0.1]
        before = [mb for stamp, mb in seen["rss"] if stamp <= started] or [float("nan")]
        after = [mb for stamp, mb in seen["rss"] if stamp <= ended + 0.3] or [float("nan")]
        rows.append({
            "round": number, "users": users, "answered": answered, "seconds": round(ended - started, 2),
            "longest_stall_ms": round(max(stalls, default=0.0), 1), "rss_before_mb": round(before[-1], 1),
            "rss_after_mb": round(after[-1], 1),
        })  # fmt: skip
    return {"rows": rows, "goal_stall_ms": STALL_GOAL_MS}


def format_rows(rows: list[dict]) -> str:
    """Return the rounds as a Markdown table."""
    lines = [
        "| round | users | answered | seconds | longest loop stall ms | RSS before MB | RSS after MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['round']} | {r['users']} | {r['answered']} | {r['seconds']} | {r['longest_stall_ms']} | {r['rss_before_mb']} | {r['rss_after_mb']} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the load test; return 0 when every question was answered."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="users asking at once in each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, to see whether memory stays flat")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--serve-bot", nargs=7, metavar="ARG", help=argparse.SUPPRESS)  # the bot's own process
    args = parser.parse_args(argv)
    if args.serve_bot:
        api, gateway, token, corpus, index_dir, guild, out = args.serve_bot
        return asyncio.run(serve(api, gateway, token, Path(corpus), Path(index_dir), int(guild), Path(out)))
    with tempfile.TemporaryDirectory(prefix="newsbot-load-") as scratch:
        result = asyncio.run(run(args.users, args.rounds, Path(scratch)))
    print(format_rows(result["rows"]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0 if all(r["answered"] == r["users"] for r in result["rows"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
