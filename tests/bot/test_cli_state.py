"""The state folder at the command line: remove asks and keeps, restore puts back, stats and indexes say where things are."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.bot.audit import AuditEntry, append_audit, audit_path, carry_over_audit, read_audit
from newsbot.bot.paths import indexes_dir, states_dir
from newsbot.bot.settings import Settings
from newsbot.index import corpus_lock
from newsbot.index.storage.kept import keep_removed
from tests.bot.cli_run import Run, cli  # noqa: F401  (the fixture)
from tests.conftest import write_jsonl
from tests.permissions import permissions_enforced

DAM = "Dam opens\n\nThe Mohmand dam began producing power on Monday.\n"


def sources(cli: Run, corpus: Path) -> list[str]:
    return [s["source"] for s in json.loads(cli("sources", "--json", corpus=corpus).out)]


def removed(cli: Run, corpus: Path) -> list[str]:
    return [k["source"] for k in json.loads(cli("stats", "--json", corpus=corpus).out)["removed"]]


def test_remove_without_a_terminal_needs_yes(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    result = cli("remove", "dam.txt", corpus=seed_corpus)
    assert result.code == 2 and (seed_corpus / "dam.txt").exists()
    assert result.err.splitlines() == ["newsbot: remove deletes dam.txt from the corpus folder; with no terminal to ask on, pass --yes to go ahead"]
    result = cli("remove", "--yes", "dam.txt", corpus=seed_corpus)
    assert result.code == 0 and "dam.txt" in result.out and not (seed_corpus / "dam.txt").exists()


def test_remove_asks_on_a_terminal(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    result = cli("remove", "dam.txt", corpus=seed_corpus, stdin="n\n", terminal=True)
    assert result.code == 1 and (seed_corpus / "dam.txt").exists()
    assert f"Delete dam.txt from {seed_corpus}? A copy is kept for 30 days" in result.err and "nothing done" in result.err
    result = cli("remove", "dam.txt", corpus=seed_corpus, stdin="y\n", terminal=True)
    assert result.code == 0 and not (seed_corpus / "dam.txt").exists()


def test_remove_unknown_source_changes_nothing(cli: Run, seed_corpus: Path) -> None:
    result = cli("remove", "--yes", "nothing.txt", corpus=seed_corpus)
    assert result.code == 1 and result.err.splitlines()[-1] == "newsbot: nothing.txt: no such source in the index (see `newsbot sources`)"
    assert removed(cli, seed_corpus) == []


def test_a_removed_file_is_kept_listed_and_restored(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    assert cli("remove", "--yes", "dam.txt", corpus=seed_corpus).code == 0
    stats = json.loads(cli("stats", "--json", corpus=seed_corpus).out)
    [kept] = stats["removed"]
    removed_at, expires = datetime.fromisoformat(kept["removed_at"]), datetime.fromisoformat(kept["expires"])
    assert kept["source"] == "dam.txt" and expires - removed_at == timedelta(days=30)
    assert abs(datetime.now(UTC) - removed_at) < timedelta(minutes=5)
    assert "  dam.txt  removed " in cli("stats", corpus=seed_corpus).out

    result = cli("restore", "dam.txt", corpus=seed_corpus)
    assert result.code == 0, result.err
    assert (seed_corpus / "dam.txt").read_text() == DAM and "Files added (1): dam.txt" in result.out
    assert "Mohmand" in cli("ask", "which dam began producing power?", corpus=seed_corpus).out
    assert removed(cli, seed_corpus) == []
    result = cli("restore", "dam.txt", corpus=seed_corpus)
    assert result.code == 1 and "dam.txt: nothing of that name is kept" in result.err


def test_restore_refuses_to_overwrite_a_different_file(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    assert cli("remove", "--yes", "dam.txt", corpus=seed_corpus).code == 0
    (seed_corpus / "dam.txt").write_text("Another dam\n\nSomething else happened.\n")
    result = cli("restore", "dam.txt", corpus=seed_corpus)
    assert result.code == 1 and "a different file of that name" in result.err
    assert "Another dam" in (seed_corpus / "dam.txt").read_text() and removed(cli, seed_corpus) == ["dam.txt"]


def test_one_json_lines_article_is_kept_and_appended_back(cli: Run, seed_corpus: Path) -> None:
    write_jsonl(seed_corpus / "wire.jsonl", [
        {"id": 7, "title": "Glacier", "published": "2025-07-01", "text": "The Rhone glacier lost a record amount of ice."},
        {"id": 8, "title": "Port", "published": "2025-07-02", "text": "The port of Gwadar reopened to shipping."},
    ])  # fmt: skip
    result = cli("remove", "--yes", "wire.jsonl#7", corpus=seed_corpus)
    assert result.code == 0, result.err
    assert "wire.jsonl#8" in sources(cli, seed_corpus) and "wire.jsonl#7" not in sources(cli, seed_corpus)
    assert "Rhone" not in (seed_corpus / "wire.jsonl").read_text() and removed(cli, seed_corpus) == ["wire.jsonl#7"]
    assert cli("restore", "wire.jsonl#7", corpus=seed_corpus).code == 0
    lines = (seed_corpus / "wire.jsonl").read_text().splitlines()
    assert lines[0] == "" and [json.loads(line)["id"] for line in lines[1:]] == [8, 7]  # an id is its name anywhere
    assert {"wire.jsonl#7", "wire.jsonl#8"} <= set(sources(cli, seed_corpus))


def test_restoring_an_article_that_is_back_already_is_refused(cli: Run, seed_corpus: Path) -> None:
    glacier = {"id": 7, "title": "Glacier", "published": "2025-07-01", "text": "The Rhone glacier lost a record amount of ice."}
    write_jsonl(seed_corpus / "wire.jsonl", [glacier])
    assert cli("remove", "--yes", "wire.jsonl#7", corpus=seed_corpus).code == 0
    write_jsonl(seed_corpus / "wire.jsonl", [glacier])
    result = cli("restore", "wire.jsonl#7", corpus=seed_corpus)
    assert result.code == 1 and "in the corpus again" in result.err
    assert len((seed_corpus / "wire.jsonl").read_text().splitlines()) == 1


def test_several_id_less_gzip_articles_removed_and_restored(cli: Run, seed_corpus: Path) -> None:
    lines = [{"title": f"Art{n}", "published": f"2025-07-0{n}", "text": f"The quorp{n} report was filed."} for n in range(1, 5)]
    (seed_corpus / "w.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in lines).encode()))
    result = cli("remove", "--yes", "w.jsonl.gz#2", "w.jsonl.gz#3", corpus=seed_corpus)
    assert result.code == 0, result.err
    titles = lambda: sorted(s["title"] for s in json.loads(cli("sources", "--json", corpus=seed_corpus).out) if s["source"].startswith("w.jsonl.gz"))  # noqa: E731
    assert titles() == ["Art1", "Art4"]
    assert sorted(removed(cli, seed_corpus)) == ["w.jsonl.gz#2", "w.jsonl.gz#3"]
    result = cli("remove", "--yes", "w.jsonl.gz#1", "w.jsonl.gz#9", corpus=seed_corpus)
    assert result.code == 1 and "w.jsonl.gz#9" in result.err
    assert len(sources(cli, seed_corpus)) == 4  # nothing removed
    assert cli("restore", "w.jsonl.gz#3", "w.jsonl.gz#2", corpus=seed_corpus).code == 0
    assert titles() == ["Art1", "Art2", "Art3", "Art4"]
    restored = gzip.decompress((seed_corpus / "w.jsonl.gz").read_bytes()).decode().splitlines()
    assert [json.loads(line)["title"] for line in restored] == ["Art1", "Art2", "Art3", "Art4"]  # each on its own line again


def test_kept_copies_expire_after_30_days(cli: Run, seed_corpus: Path, tmp_path: Path) -> None:
    keep_dir = tmp_path / "state" / "removed"
    long_ago = datetime.now(UTC) - timedelta(days=31)
    keep_removed(keep_dir, "old.txt", "old.txt", b"Old\n\nGone for good.\n", now=long_ago)
    keep_removed(keep_dir, "recent.txt", "recent.txt", b"Recent\n\nStill here.\n", now=datetime.now(UTC) - timedelta(days=29))
    assert removed(cli, seed_corpus) == ["recent.txt"]
    assert len(list(keep_dir.iterdir())) == 1  # the old copy is deleted, not only hidden
    result = cli("restore", "old.txt", corpus=seed_corpus)
    assert result.code == 1 and not (seed_corpus / "old.txt").exists()


def test_rebuild_and_deleting_the_index_leave_the_state_alone(cli: Run, seed_corpus: Path, tmp_path: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    assert cli("remove", "--yes", "dam.txt", corpus=seed_corpus).code == 0
    append_audit(tmp_path / "state", AuditEntry("refresh", 1, 2))
    before = sorted(p.relative_to(tmp_path / "state") for p in (tmp_path / "state").rglob("*"))
    assert cli("refresh", "--rebuild", corpus=seed_corpus).code == 0
    import shutil

    shutil.rmtree(tmp_path / "index")
    assert cli("refresh", corpus=seed_corpus).code == 0
    assert sorted(p.relative_to(tmp_path / "state") for p in (tmp_path / "state").rglob("*")) == before
    assert removed(cli, seed_corpus) == ["dam.txt"] and len(read_audit(tmp_path / "state")) == 1


def test_an_old_audit_log_in_the_index_is_carried_over_once(cli: Run, seed_corpus: Path, tmp_path: Path) -> None:
    assert cli("refresh", corpus=seed_corpus).code == 0
    old = [AuditEntry("add", 1, 2, "a.txt", when="2025-01-01T00:00:00+00:00"), AuditEntry("refresh", 1, 3, when="2025-01-02T00:00:00+00:00")]
    for entry in old:
        append_audit(tmp_path / "index", entry)  # where older newsbots wrote it
    append_audit(tmp_path / "state", AuditEntry("remove", 1, 4, "b.txt"))
    assert cli("stats", corpus=seed_corpus).code == 0
    assert [e["user"] for e in read_audit(tmp_path / "state")] == [2, 3, 4]  # the old entries first
    assert not audit_path(tmp_path / "index").exists()
    assert carry_over_audit(tmp_path / "index", tmp_path / "state") is False  # nothing left to carry


def test_a_read_only_old_audit_log_is_not_carried_twice(tmp_path: Path) -> None:
    append_audit(tmp_path / "index", AuditEntry("add", 1, 2, "a.txt"))
    copy = audit_path(tmp_path / "index").read_text()
    assert carry_over_audit(tmp_path / "index", tmp_path / "state") is True
    audit_path(tmp_path / "index").write_text(copy)  # as a read-only index folder keeps it
    assert carry_over_audit(tmp_path / "index", tmp_path / "state") is False
    assert [e["user"] for e in read_audit(tmp_path / "state")] == [2]


def test_indexes_lists_and_prunes_indexes_of_gone_corpora(cli: Run, tmp_path: Path, seed_corpus: Path) -> None:
    from newsbot.bot.cli import main

    gone = tmp_path / "gone"
    gone.mkdir()
    (gone / "dam.txt").write_text(DAM)
    for corpus in (seed_corpus, gone):  # default index folders, in the (test's) user data dir
        assert main(["--quiet", "--corpus", str(corpus), "stats"]) == 0
    gone_state = Settings(_env_file=None, corpus_dir=gone).resolved_state_dir()
    append_audit(gone_state, AuditEntry("add", 1, 2, "dam.txt"))
    cli("indexes")  # clear the captured output
    listed = json.loads(cli("indexes", "--json").out)
    assert [(i["corpus_dir"], i["corpus_exists"]) for i in listed] == sorted([(str(gone), True), (str(seed_corpus), True)])
    assert all(Path(i["index_dir"]).parent == indexes_dir() and i["bytes_on_disk"] > 0 and i["last_refresh"] for i in listed)
    text = cli("indexes").out
    assert str(seed_corpus) in text and "last refreshed" in text

    import shutil

    shutil.rmtree(gone)
    result = cli("indexes", "--prune")
    assert result.code == 2 and "pass --yes" in result.err and len(list(indexes_dir().iterdir())) == 4
    result = cli("indexes", "--prune", "--yes", "--json")
    assert result.code == 0 and [i["corpus_dir"] for i in json.loads(result.out)] == [str(gone)]
    assert [i["corpus_dir"] for i in json.loads(cli("indexes", "--json").out)] == [str(seed_corpus)]
    assert gone_state.parent == states_dir() and len(read_audit(gone_state)) == 1  # state outlives its index
    assert cli("indexes", "--prune", "--yes").out.strip() == "No index has lost its corpus folder."


def test_id_less_json_lines_keep_their_names_through_removals(cli: Run, seed_corpus: Path) -> None:
    write_jsonl(seed_corpus / "w.jsonl", [
        {"title": f"Story {n}", "published": f"2025-0{n}-01", "text": f"Story number {n} about the town of Quorp{n}."} for n in range(1, 5)
    ])  # fmt: skip
    titles = lambda: {s["source"]: s["title"] for s in json.loads(cli("sources", "--json", corpus=seed_corpus).out) if s["source"].startswith("w.")}  # noqa: E731
    assert titles()["w.jsonl#3"] == "Story 3"
    assert cli("remove", "--yes", "w.jsonl#1", corpus=seed_corpus).code == 0
    assert cli("remove", "--yes", "w.jsonl#3", corpus=seed_corpus).code == 0  # as the first listing named it
    assert titles() == {"w.jsonl#2": "Story 2", "w.jsonl#4": "Story 4"}
    assert cli("restore", "w.jsonl#1", corpus=seed_corpus).code == 0  # back on its line, under its old name
    assert titles() == {"w.jsonl#1": "Story 1", "w.jsonl#2": "Story 2", "w.jsonl#4": "Story 4"}


def test_a_remove_that_cannot_delete_keeps_nothing_and_says_what_failed(cli: Run, seed_corpus: Path) -> None:
    (seed_corpus / "dam.txt").write_text(DAM)
    assert cli("sources", corpus=seed_corpus).code == 0
    with corpus_lock(seed_corpus):  # the lock file exists, as after any earlier change
        pass
    seed_corpus.chmod(0o555)
    try:
        with permissions_enforced():
            result = cli("remove", "--yes", "dam.txt", corpus=seed_corpus)
    finally:
        seed_corpus.chmod(0o755)
    assert result.code == 1 and result.err.splitlines()[-1] == "newsbot: cannot delete dam.txt: Permission denied; nothing removed"
    assert (seed_corpus / "dam.txt").exists() and removed(cli, seed_corpus) == []
    assert cli("remove", "--yes", "dam.txt", corpus=seed_corpus).code == 0 and removed(cli, seed_corpus) == ["dam.txt"]


def test_a_plain_refresh_sweeps_the_staging_copies_a_killed_add_remove_or_restore_left(cli: Run, seed_corpus: Path) -> None:
    import time

    from newsbot.index import CorpusBusyError, exclusive_lock
    from newsbot.index.corpus import CORPUS_LOCK_FILE

    assert cli("refresh", corpus=seed_corpus).code == 0
    assert not (seed_corpus / CORPUS_LOCK_FILE).exists()  # nothing to sweep: nothing written into the corpus folder
    (seed_corpus / "desk").mkdir()
    leftovers = [seed_corpus / ".dam.txt.k2x_9q0a.adding", seed_corpus / ".wire.jsonl.0abc_def.tmp",
                 seed_corpus / "desk" / ".n.txt.zz9zz9zz.restoring"]  # fmt: skip
    others = [seed_corpus / ".notes.abcdefgh.tmp", seed_corpus / "desk" / "keep.txt.abcdefgh.adding"]  # no staging copies
    for path in (*leftovers, *others):
        path.write_text("a copy")
    assert cli("ask", "who mediated?", corpus=seed_corpus).code == 0
    assert all(p.exists() for p in leftovers)  # reading never deletes
    # Another writer holds the corpus lock: refresh does not wait for it, and sweeps at a later run.
    with exclusive_lock(seed_corpus / CORPUS_LOCK_FILE, 0, lambda: CorpusBusyError("held")):
        started = time.monotonic()
        assert cli("refresh", corpus=seed_corpus).code == 0
        assert time.monotonic() - started < 30 and all(p.exists() for p in leftovers)
    result = cli("refresh", corpus=seed_corpus)
    assert result.code == 0 and result.out.startswith("Nothing changed.\n")
    assert not any(p.exists() for p in leftovers) and all(p.exists() for p in others)
