"""Settings from the environment and `.env`: empty values are the defaults, bad files and names are said in one line."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from newsbot.bot.cli import main
from newsbot.bot.settings import Settings, get_settings, setting_names
from newsbot.index import ARTICLE_SUFFIXES
from tests.conftest import REPO


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty working directory, the one `.env` is read from."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_a_copied_env_example_is_the_defaults(workdir: Path) -> None:
    shutil.copy(REPO / ".env.example", workdir / ".env")
    assert get_settings() == Settings(_env_file=None)


def test_every_setting_left_empty_in_the_environment_is_its_default(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in setting_names():
        monkeypatch.setenv(name, "")
    assert get_settings() == Settings(_env_file=None)


def test_empty_folders_in_env_leave_the_working_directory_alone(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`NEWSBOT_CORPUS_DIR=` and the like once made the working directory the corpus, index and state folder."""
    shutil.copy(REPO / ".env.example", workdir / ".env")
    assert main(["stats", "--json", "--quiet"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert Path(stats["corpus_dir"]) == Settings(_env_file=None).resolved_corpus_dir()
    assert workdir not in {Path(stats["index_dir"]), Path(stats["state_dir"])}
    assert stats["articles"] > 0 and sorted(p.name for p in workdir.iterdir()) == [".env"]


def test_a_utf16_env_file_is_one_line_not_a_traceback(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / ".env").write_text("NEWSBOT_TOP_K=1\n", encoding="utf-16")  # Notepad's "Unicode"
    assert main(["stats"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f'newsbot: {workdir / ".env"} is not UTF-8 text (saved as UTF-16 or "Unicode"?): save it as UTF-8']


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_number_that_is_no_number_is_a_bad_setting(workdir: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    (workdir / ".env").write_text(f"NEWSBOT_BM25_K1={value}\n")
    assert main(["stats"]) == 2
    assert capsys.readouterr().err.splitlines() == ["newsbot: bad setting NEWSBOT_BM25_K1 (bm25_k1): Input should be a finite number"]


def test_a_misspelt_setting_is_warned_of_by_name(workdir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    (workdir / ".env").write_text("NEWSBOT_TOPK=5\nNEWSBOT_CORPUS_DIR=\nOTHER_TOOL_SETTING=1\n")
    monkeypatch.setenv("NEWSBOT_COLOUR", "blue")
    with caplog.at_level(logging.WARNING, logger="newsbot.bot.settings"):
        settings = get_settings()
    assert settings.top_k == 3
    assert [r.getMessage() for r in caplog.records] == [
        "NEWSBOT_COLOUR in the environment is not a setting and is ignored",
        "NEWSBOT_TOPK in .env is not a setting and is ignored; did you mean NEWSBOT_TOP_K?",
    ]


def test_env_example_lists_every_article_file_type() -> None:
    corpus_line = next(line for line in (REPO / ".env.example").read_text().splitlines() if "Folder of article files" in line)
    assert all(suffix in corpus_line for suffix in ARTICLE_SUFFIXES)
