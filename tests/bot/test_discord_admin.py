"""Corpus changes from Discord: /refresh, /add, /remove, who may use them, the audit log, the watcher."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import threading
import time
from pathlib import Path

import pytest

from newsbot.bot import discord_commands
from newsbot.bot.audit import read_audit
from newsbot.bot.discord_guard import check_upload_bytes
from newsbot.bot.settings import Settings
from newsbot.index import kept_sources
from tests.bot.fake_discord import FakeDiscord

NEW_ARTICLE = {
    "id": "balloon-1",
    "title": "Balloon race crosses the channel",
    "published": "2025-07-04",
    "text": "DOVER: Forty hot-air balloons crossed the channel on Friday in the annual balloon race.",
}


async def command(fake: FakeDiscord, name: str, options: dict | None = None, **kwargs: object) -> str:
    """Run an admin slash command; return what the user was told (all of it ephemeral)."""
    callback, followup = await fake.run_command(name, options, **kwargs)
    if followup is None:
        assert callback.json["data"]["flags"] & 64, "refusals are ephemeral"
        return callback.json["data"]["content"]
    assert callback.json["data"]["flags"] & 64 and followup.json["flags"] & 64
    return followup.json["content"]


def jsonl(*records: dict) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


@pytest.mark.parametrize("name", ["refresh", "add", "remove"])
async def test_member_without_manage_server_is_refused(fake, start_bot, corpus: Path, name: str) -> None:
    await start_bot()
    before = sorted(p.name for p in corpus.iterdir())
    options = {
        "refresh": None,
        "add": {"file": fake.add_attachment("new.jsonl", jsonl(NEW_ARTICLE))},
        "remove": {"source": "arab_news.txt"},
    }[name]
    reply = await command(fake, name, options, user=fake.member)
    assert "Manage Server" in reply
    assert sorted(p.name for p in corpus.iterdir()) == before


async def test_admin_commands_are_off_without_an_admin_guild(fake, start_bot) -> None:
    await start_bot(discord_admin_guild_ids=[])
    reply = await command(fake, "refresh", user=fake.admin)
    assert "turned off" in reply


async def test_admin_commands_only_in_the_admin_guild(fake, start_bot) -> None:
    await start_bot(discord_admin_guild_ids=[12345])
    assert "admin server" in await command(fake, "refresh", user=fake.admin)


async def test_add_makes_an_upload_answerable_and_is_audited(fake, start_bot, corpus: Path, tmp_path: Path) -> None:
    bot = await start_bot()
    data = jsonl(NEW_ARTICLE)
    reply = await command(fake, "add", {"file": fake.add_attachment("balloons.jsonl", data)}, user=fake.admin)
    assert "Added balloons.jsonl" in reply and "`balloons.jsonl`" in reply
    assert (corpus / "balloons.jsonl").read_bytes() == data
    quotes = (await bot.answer("how many balloons crossed the channel?")).quotes
    assert quotes and "Forty hot-air balloons" in quotes[0].text
    [entry] = read_audit(Settings(_env_file=None, corpus_dir=corpus).resolved_state_dir())
    assert entry["action"] == "add" and entry["file"] == "balloons.jsonl"
    assert entry["user"] == fake.admin.id and entry["guild"] == fake.guild_id
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["when"].endswith("+00:00")


async def test_add_downloads_the_upload_once(fake, start_bot, corpus: Path) -> None:
    await start_bot()
    attachment = fake.add_attachment("balloons.jsonl.gz", gzip.compress(jsonl(NEW_ARTICLE)))
    reply = await command(fake, "add", {"file": attachment}, user=fake.admin)
    assert "Added balloons.jsonl.gz" in reply
    assert fake.downloads == [int(attachment["id"])]


async def test_refused_upload_is_answered_by_the_error_handler_before_any_download(fake, start_bot, caplog) -> None:
    await start_bot(max_upload_bytes=100)
    for attachment, why in [
        (fake.add_attachment(".hidden.txt", b"Title\n\nBody text here.\n"), "hidden files are not accepted"),
        (fake.add_attachment("big.jsonl", jsonl(NEW_ARTICLE)), "the limit is 100"),
    ]:
        with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
            callback, followup = await fake.run_command("add", {"file": attachment}, user=fake.admin)
        # The SourceError came before the defer: on_error answers the interaction itself, once.
        assert followup is None and callback.json["type"] == 4 and callback.json["data"]["flags"] & 64
        assert callback.json["data"]["content"].startswith("Not added: ") and why in callback.json["data"]["content"]
    assert fake.downloads == [] and not caplog.records


async def test_add_gzipped_jsonl(fake, start_bot, corpus: Path) -> None:
    await start_bot()
    data = gzip.compress(jsonl(NEW_ARTICLE))
    reply = await command(fake, "add", {"file": fake.add_attachment("b.jsonl.gz", data)}, user=fake.owner)
    assert "Added b.jsonl.gz" in reply and (corpus / "b.jsonl.gz").is_file()


async def test_upload_with_a_traversal_name_lands_inside_the_corpus(fake, start_bot, corpus: Path, tmp_path) -> None:
    await start_bot()
    attachment = fake.add_attachment("../../evil.txt", b"Evil headline\n\nThe evil plan was revealed on Monday.\n")
    reply = await command(fake, "add", {"file": attachment}, user=fake.admin)
    assert "evil.txt" in reply
    assert (corpus / "evil.txt").is_file()
    assert not (tmp_path / "evil.txt").exists() and not (corpus.parent.parent / "evil.txt").exists()


@pytest.mark.parametrize(
    ("filename", "data", "why"),
    [
        (".hidden.txt", b"Title\n\nBody text here.\n", "hidden"),
        ("notes.pdf", b"%PDF-1.4", "only article files (.txt, .html, .htm, .md, .jsonl, .jsonl.gz) are accepted"),
        ("broken.jsonl", b'{"title": "no text"}\nnot json\n', "does not read as articles"),
        ("binary.txt", b"\x00\x01\x02" * 10, "does not read as articles"),
    ],
)
async def test_bad_uploads_are_refused_and_the_corpus_is_unchanged(
    fake, start_bot, corpus: Path, filename: str, data: bytes, why: str
) -> None:
    await start_bot()
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    reply = await command(fake, "add", {"file": fake.add_attachment(filename, data)}, user=fake.admin)
    assert reply.startswith("Not added") and why in reply
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


async def test_oversized_upload_is_refused(fake, start_bot, corpus: Path) -> None:
    await start_bot(max_upload_bytes=100)
    reply = await command(fake, "add", {"file": fake.add_attachment("big.jsonl", jsonl(NEW_ARTICLE))}, user=fake.admin)
    assert "the limit is 100" in reply and not (corpus / "big.jsonl").exists()


async def test_a_compressed_upload_is_limited_once_decompressed(fake, start_bot, corpus: Path) -> None:
    import gzip

    await start_bot(max_upload_bytes=100_000)
    bomb = gzip.compress(b" " * 10_000_000)  # 10 MB of spaces in about 10 kB
    reply = await command(fake, "add", {"file": fake.add_attachment("bomb.jsonl.gz", bomb)}, user=fake.admin)
    assert "over 100,000 bytes (decompressed)" in reply and not (corpus / "bomb.jsonl.gz").exists()


async def test_upload_never_silently_overwrites_a_different_file(fake, start_bot, corpus: Path) -> None:
    await start_bot()
    original = (corpus / "pings.jsonl").read_bytes()
    reply = await command(fake, "add", {"file": fake.add_attachment("pings.jsonl", jsonl(NEW_ARTICLE))},
                          user=fake.admin)
    assert reply.startswith("Not added") and "already in the corpus" in reply
    assert (corpus / "pings.jsonl").read_bytes() == original
    reply = await command(fake, "add", {"file": fake.add_attachment("pings.jsonl", original)}, user=fake.admin)
    assert "nothing changed" in reply


async def test_remove_drops_a_source_and_is_audited(fake, start_bot, corpus: Path, tmp_path: Path) -> None:
    bot = await start_bot()
    digest = hashlib.sha256((corpus / "pings.jsonl").read_bytes()).hexdigest()
    reply = await command(fake, "remove", {"source": "pings.jsonl"}, user=fake.admin)
    assert "Removed pings.jsonl" in reply and "`pings.jsonl`" in reply
    assert not (corpus / "pings.jsonl").exists()
    assert (await bot.answer("what did the mayor post about the zeppelin festival?")).no_answer
    settings = Settings(_env_file=None, corpus_dir=corpus)
    [entry] = read_audit(settings.resolved_state_dir())
    assert (entry["action"], entry["file"], entry["sha256"]) == ("remove", "pings.jsonl", digest)
    [kept] = kept_sources(settings.removed_dir())  # recoverable with `newsbot restore`, as from the CLI
    assert (kept.source, kept.file, kept.whole_file) == ("pings.jsonl", "pings.jsonl", True)


async def test_remove_unknown_source_is_one_ephemeral_follow_up_from_the_error_handler(fake, start_bot, caplog) -> None:
    await start_bot()
    mark = len(fake.requests)
    with caplog.at_level(logging.ERROR, logger="newsbot.bot.discord_bot"):
        callback, followup = await fake.run_command("remove", {"source": "../../etc/passwd"}, user=fake.admin)
        await fake.run_command("stats")  # a later command: the refusal had its chance to repeat
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & 64  # deferred, privately
    assert followup.json["flags"] & 64
    assert followup.json["content"] == "Not removed: ../../etc/passwd: no such source in the index (see /sources)"
    assert len(fake.sent("POST", rf"/webhooks/{fake.app_id}/.+", after=mark)) == 1
    assert not caplog.records  # a refusal is not a fault


async def test_remove_one_json_lines_article_whose_id_holds_a_hash(fake, start_bot, corpus: Path) -> None:
    keep = {**NEW_ARTICLE, "id": "keep#1"}
    drop = {**NEW_ARTICLE, "id": "drop#1", "title": "Zeppelin lands in Dover",
            "text": "DOVER: A zeppelin landed on the cliffs on Saturday."}
    (corpus / "two.jsonl").write_bytes(jsonl(keep, drop))
    bot = await start_bot()
    reply = await command(fake, "remove", {"source": "two.jsonl#drop#1"}, user=fake.admin)
    assert "Removed two.jsonl#drop#1" in reply
    assert (corpus / "two.jsonl").read_bytes() == jsonl(keep) + b"\n"  # the file the engine's rule names, its line left blank
    assert "two.jsonl#keep#1" in {info.source for info in bot.require_engine().sources()}
    assert "two.jsonl#drop#1" not in {info.source for info in bot.require_engine().sources()}


async def test_remove_suggests_files_and_articles_by_the_engines_rule(fake, start_bot, corpus: Path) -> None:
    (corpus / "two.jsonl").write_bytes(jsonl({**NEW_ARTICLE, "id": "a#1"}, {**NEW_ARTICLE, "id": "b"}))
    (corpus / "notes#2.txt").write_bytes(b"Notes headline\n\nThe notes were read out on Monday.\n")
    await start_bot()
    suggested = await fake.autocomplete("remove", "source", "two", user=fake.admin)
    assert sorted(suggested) == ["two.jsonl", "two.jsonl#a#1", "two.jsonl#b"]
    # A "#" in a plain file's name is part of the name: "notes" is no file to suggest.
    assert await fake.autocomplete("remove", "source", "notes", user=fake.admin) == ["notes#2.txt"]


async def test_refresh_reports_changes_and_is_audited(fake, start_bot, corpus: Path, tmp_path: Path) -> None:
    await start_bot()
    (corpus / "balloons.jsonl").write_bytes(jsonl(NEW_ARTICLE))
    (corpus / "pings.jsonl").unlink()
    leftover = corpus / ".big.jsonl.k2x_9q0a.adding"  # what an `add` killed halfway left
    leftover.write_bytes(jsonl(NEW_ARTICLE))
    reply = await command(fake, "refresh", user=fake.admin)
    assert "Added: `balloons.jsonl`" in reply and "Removed: `pings.jsonl`" in reply
    assert not leftover.exists()
    [entry] = read_audit(Settings(_env_file=None, corpus_dir=corpus).resolved_state_dir())
    assert entry["action"] == "refresh" and entry["added"] == ["balloons.jsonl"]
    assert entry["removed"] == ["pings.jsonl"]


async def until_answerable(bot, failure: str) -> None:
    """Wait until the watcher has indexed the balloons article, or fail saying why."""
    for _ in range(100):  # bounded: the watcher reacts within about a second
        if not (await bot.answer("how many balloons crossed the channel?")).no_answer:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(failure)


async def test_watched_corpus_picks_up_a_dropped_file(fake, start_bot, corpus: Path) -> None:
    bot = await start_bot(watch=True)
    (corpus / "balloons.jsonl").write_bytes(jsonl(NEW_ARTICLE))
    await until_answerable(bot, "the dropped file never became answerable")
    _, followup = await fake.ask("how many balloons crossed the channel?")
    assert "Forty hot-air balloons" in followup.json["embeds"][0]["description"]


async def test_watcher_survives_a_symlink_loop(fake, start_bot, corpus: Path) -> None:
    bot = await start_bot(watch=True)
    (corpus / "loop.txt").symlink_to("loop.txt")  # a link to itself
    (corpus / "balloons.jsonl").write_bytes(jsonl(NEW_ARTICLE))
    await until_answerable(bot, "the watcher stopped at the symlink loop")
    assert [str(p) for p in bot.require_engine().last_report.skipped] == ["loop.txt: symlink loop"]


async def test_sources_and_stats(fake, start_bot) -> None:
    await start_bot()
    callback, _ = await fake.run_command("sources")
    description = callback.json["data"]["embeds"][0]["description"]
    assert "`2 June 2025` Town hall meeting sparks online storm" in description
    assert description.index("2026") < description.index("2025")  # newest first
    callback, _ = await fake.run_command("stats", channel=fake.plain)
    assert "**Articles:** 3" in callback.json["data"]["content"]


async def test_a_slow_upload_check_leaves_the_bot_answering(fake, start_bot, corpus: Path, monkeypatch) -> None:
    # A check as slow as decompressing a crafted gzip once was: the bot must answer others while it runs.
    started, finished = threading.Event(), threading.Event()

    def slow_check(name: str, data: bytes, limit: int) -> None:
        started.set()
        time.sleep(3)  # blocking, as decompression is
        check_upload_bytes(name, data, limit)
        finished.set()

    monkeypatch.setattr(discord_commands, "check_upload_bytes", slow_check)
    await start_bot()
    mark = len(fake.requests)
    add = await fake.send_command("add", {"file": fake.add_attachment("b.jsonl.gz", gzip.compress(jsonl(NEW_ARTICLE)))},
                                  user=fake.admin)  # fmt: skip
    assert await asyncio.to_thread(started.wait, 10)
    callback, _ = await fake.run_command("stats", channel=fake.plain)
    assert "**Articles:** 3" in callback.json["data"]["content"]
    assert not finished.is_set(), "/stats waited for the upload check"
    followup = await fake.wait_for_request("POST", rf"/webhooks/{fake.app_id}/{add['token']}", after=mark)
    assert "Added b.jsonl.gz" in followup.json["content"] and (corpus / "b.jsonl.gz").is_file()
