"""Where newsbot keeps its files: the checkout's corpus, else a copy of the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.bot import paths
from newsbot.bot.settings import Settings
from tests.conftest import REPO


def test_checkout_uses_its_own_corpus() -> None:
    assert paths.default_corpus_dir() == REPO / "corpus"


def test_installed_copy_goes_to_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site-packages"  # as a wheel installs it: corpus/ beside bot/, no pyproject.toml
    (site / "corpus").mkdir(parents=True)
    (site / "corpus" / "arab_news.txt").write_bytes((REPO / "corpus" / "arab_news.txt").read_bytes())
    monkeypatch.setattr(paths, "_ROOT", site)
    corpus = paths.default_corpus_dir()
    assert corpus == paths.user_data_dir() / "corpus"
    assert (corpus / "arab_news.txt").read_bytes() == (REPO / "corpus" / "arab_news.txt").read_bytes()
    (corpus / "mine.txt").write_text("Mine\n\nA user's own article.\n")
    assert paths.default_corpus_dir() == corpus and (corpus / "mine.txt").exists()  # copied once only


def test_default_index_dir_is_per_corpus(tmp_path: Path) -> None:
    one = Settings(_env_file=None, corpus_dir=tmp_path / "a").resolved_index_dir()
    two = Settings(_env_file=None, corpus_dir=tmp_path / "b").resolved_index_dir()
    assert one != two and one.parent == paths.user_data_dir() / "index"


def test_env_file_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsbot.bot.settings import get_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSBOT_TOP_K=5\nDISCORD_TOKEN=abc\nNEWSBOT_DISCORD_GUILD_IDS=1, 2\n")
    settings = get_settings()
    assert settings.top_k == 5 and settings.discord_guild_ids == [1, 2] and settings.admin_guild_ids() == [1, 2]
    assert settings.discord_token.get_secret_value() == "abc" and "abc" not in repr(settings)
    assert get_settings(top_k=2).top_k == 2
    monkeypatch.setenv("NEWSBOT_DISCORD_TOKEN", "wins")
    assert get_settings().discord_token.get_secret_value() == "wins"


def test_default_state_dir_is_per_corpus_beside_the_indexes(tmp_path: Path) -> None:
    one = Settings(_env_file=None, corpus_dir=tmp_path / "a")
    two = Settings(_env_file=None, corpus_dir=tmp_path / "b")
    assert one.resolved_state_dir() != two.resolved_state_dir()
    assert one.resolved_state_dir().parent == paths.user_data_dir() / "state"
    assert one.resolved_state_dir().name == one.resolved_index_dir().name  # the same hash of the corpus path
    assert one.removed_dir() == one.resolved_state_dir() / "removed"
    # An index folder set elsewhere does not move the state: it outlives any index.
    moved = Settings(_env_file=None, corpus_dir=tmp_path / "a", index_dir=tmp_path / "idx")
    assert moved.resolved_state_dir() == one.resolved_state_dir()


def test_state_dir_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsbot.bot.settings import get_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"NEWSBOT_STATE_DIR={tmp_path / 'state'}\n")
    assert get_settings().resolved_state_dir() == tmp_path / "state"
    assert get_settings(state_dir=tmp_path / "other").resolved_state_dir() == tmp_path / "other"


def test_env_example_names_every_setting() -> None:
    example = (REPO / ".env.example").read_text()
    for name in Settings.model_fields:
        if name != "discord_token":
            assert f"NEWSBOT_{name.upper()}=" in example, name
