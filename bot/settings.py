"""newsbot's settings: environment variables prefixed NEWSBOT_, and `.env`."""

from __future__ import annotations

import difflib
import logging
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from dotenv import dotenv_values
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from newsbot.bot.paths import corpus_key, default_corpus_dir, indexes_dir, states_dir
from newsbot.index import IndexConfig, NewsbotError, WebPolicy

log = logging.getLogger(__name__)

PREFIX = "NEWSBOT_"
# The settings file read from the working directory, beside the environment.
ENV_FILE = ".env"

# Quotes per answer: at least one; past 20 an answer is a page of search results, not an answer.
TOP_K_MIN, TOP_K_MAX = 1, 20
# The longest question accepted at most. An answer carries its whole question in its state line;
# in a plain-text answer that line is escaped (a backslash before each markdown character, so up to
# 2 x 600) after "-# Q: " and before " · top 20 · since … · until … · after N" (about 70): under 1,300
# of Discord's 2,000 message characters, leaving 700 for the quotes. An embed's footer holds 2,048.
MAX_QUESTION_CHARS = 600
# Where a removed source is kept, inside the state folder.
REMOVED_FOLDER = "removed"


def _split_ids(value: object) -> object:
    """Accept "1, 2,3" (or a single number) for a list of ids."""
    if isinstance(value, int):
        return [value]
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    return value


class SettingsFileError(NewsbotError):
    """The .env file could not be read: not UTF-8 text, or not readable."""


class Settings(BaseSettings):
    """Every setting newsbot reads; see `.env.example` for one line on each."""

    # An empty value ("NEWSBOT_CORPUS_DIR=", as .env.example lists them) means the default, for every
    # setting: without env_ignore_empty an empty path would be "." and an empty number an error.
    # inf and nan are no number a setting can mean.
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore",
        env_ignore_empty=True, allow_inf_nan=False,
    )  # fmt: skip

    corpus_dir: Path | None = None
    index_dir: Path | None = None
    state_dir: Path | None = None
    top_k: int = Field(3, ge=TOP_K_MIN, le=TOP_K_MAX)
    passage_sentences: int = Field(3, ge=1, le=20)
    passage_overlap: int = Field(1, ge=0)
    bm25_k1: float = Field(1.5, gt=0)
    bm25_b: float = Field(0.75, ge=0, le=1)
    bm25_epsilon: float = Field(0.25, ge=0)

    # Discord. NEWSBOT_DISCORD_TOKEN wins over DISCORD_TOKEN when both are set.
    discord_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEWSBOT_DISCORD_TOKEN", "DISCORD_TOKEN")
    )
    discord_guild_ids: Annotated[list[int], NoDecode] = []
    discord_admin_guild_ids: Annotated[list[int], NoDecode] | None = None
    discord_ask_channels: Annotated[list[int], NoDecode] = []
    cooldown_per_minute: int = Field(6, ge=0)  # questions per user per minute; 0 turns it off
    max_question_chars: int = Field(300, ge=1)
    max_upload_bytes: int = Field(2_000_000, ge=1)  # an /add upload, once decompressed
    max_file_bytes: int = Field(2_000_000_000, ge=1)  # one corpus file, once decompressed
    max_article_bytes: int = Field(10_000_000, ge=1)  # one article
    discord_threads: bool = False  # /ask answers open a thread named after the question
    # Sharding: "auto" (Discord's recommended count) or a count; unset runs one unsharded connection.
    discord_shards: Literal["auto"] | Annotated[int, Field(ge=1)] | None = None
    discord_shard_ids: Annotated[list[int], NoDecode] | None = None  # the shards this process runs (needs a count)

    # Feeds and web pages.
    feed_keep_days: int = Field(0, ge=0)  # feed articles older than this are dropped at each poll; 0 keeps all
    feed_poll_minutes: float = Field(30, ge=0)  # the Discord bot's poll interval; 0 turns its polling off
    allow_private_urls: bool = False  # loopback and private addresses may be fetched (a feed on the same host; tests)
    web_host_delay_seconds: float = Field(1.0, ge=0, le=60)  # between two requests to one host

    @field_validator(
        "discord_guild_ids", "discord_admin_guild_ids", "discord_ask_channels", "discord_shard_ids", mode="before"
    )
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("discord_shards", mode="before")
    @classmethod
    def _parse_shards(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return None if not value else value if value == "auto" else int(value) if value.isdigit() else value
        return value

    @model_validator(mode="after")
    def _shard_ids_within_count(self) -> Settings:
        ids = self.discord_shard_ids
        if not ids:
            return self
        count = self.discord_shards
        if not isinstance(count, int):
            raise ValueError("NEWSBOT_DISCORD_SHARD_IDS needs a shard count in NEWSBOT_DISCORD_SHARDS (a number, not auto)")
        outside = sorted({shard for shard in ids if not 0 <= shard < count})
        if outside:
            raise ValueError(f"NEWSBOT_DISCORD_SHARD_IDS {outside} are not shards of {count} (0 to {count - 1})")
        if len(set(ids)) != len(ids):
            raise ValueError("NEWSBOT_DISCORD_SHARD_IDS names a shard twice")
        return self

    @field_validator("max_question_chars")
    @classmethod
    def _question_fits_an_answer(cls, value: int) -> int:
        if value > MAX_QUESTION_CHARS:
            raise ValueError(
                f"must be at most {MAX_QUESTION_CHARS}: an answer carries its whole question in its last line, "
                "and a longer one would not fit a 2,000-character Discord message beside the quotes"
            )
        return value

    @field_validator("passage_overlap")
    @classmethod
    def _overlap_below_window(cls, value: int, info) -> int:
        window = info.data.get("passage_sentences", 3)
        if value >= window:
            raise ValueError(f"must be smaller than passage_sentences ({window})")
        return value

    def resolved_corpus_dir(self) -> Path:
        """Return the corpus folder: the setting, else the bundled articles."""
        return (self.corpus_dir or default_corpus_dir()).expanduser().resolve()

    def resolved_index_dir(self) -> Path:
        """Return the index folder: the setting, else one per corpus under the user data dir."""
        if self.index_dir is not None:
            return self.index_dir.expanduser().resolve()
        return indexes_dir() / corpus_key(self.resolved_corpus_dir())

    def resolved_state_dir(self) -> Path:
        """Return the state folder (what must outlive an index): the setting, else one per corpus beside the indexes."""
        if self.state_dir is not None:
            return self.state_dir.expanduser().resolve()
        return states_dir() / corpus_key(self.resolved_corpus_dir())

    def removed_dir(self) -> Path:
        """Return where removed sources are kept until restored or expired: inside the state folder."""
        return self.resolved_state_dir() / REMOVED_FOLDER

    def index_config(self) -> IndexConfig:
        """Return the engine settings these settings hold."""
        return IndexConfig(
            passage_sentences=self.passage_sentences,
            passage_overlap=self.passage_overlap,
            k1=self.bm25_k1,
            b=self.bm25_b,
            epsilon=self.bm25_epsilon,
            max_file_bytes=self.max_file_bytes,
            max_article_bytes=self.max_article_bytes,
        )

    def web_policy(self) -> WebPolicy:
        """Return how newsbot behaves on the web: the library's polite defaults, private addresses as set."""
        return WebPolicy(allow_private=self.allow_private_urls, host_delay_s=self.web_host_delay_seconds)

    def sharded(self) -> bool:
        """Return whether the bot runs shards (NEWSBOT_DISCORD_SHARDS is set)."""
        return self.discord_shards is not None

    def admin_guild_ids(self) -> list[int]:
        """Return the guilds whose Manage Server members may change the corpus."""
        if self.discord_admin_guild_ids is None:
            return list(self.discord_guild_ids)
        return list(self.discord_admin_guild_ids)


def setting_names() -> set[str]:
    """Return every environment variable name newsbot reads as a setting, upper case."""
    return {f"{PREFIX}{name.upper()}" for name in Settings.model_fields} | {f"{PREFIX}DISCORD_TOKEN", "DISCORD_TOKEN"}


def _read_env_file() -> dict[str, str | None]:
    """Return the names and values in `.env` ({} when there is none).

    Raises SettingsFileError when it is not UTF-8 text (Notepad's "Unicode" is
    UTF-16) or cannot be read.
    """
    path = Path(ENV_FILE)
    if not path.is_file():
        return {}
    try:
        return dotenv_values(path, encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsFileError(f"{path.absolute()} is not UTF-8 text (saved as UTF-16 or \"Unicode\"?): save it as UTF-8") from None
    except OSError as exc:
        raise SettingsFileError(f"{path.absolute()} cannot be read: {exc.strerror or exc}") from None


def _warn_unknown_names(env_file: dict[str, str | None]) -> None:
    """Warn of each NEWSBOT_ name that is no setting: a misspelt one would otherwise be ignored without a word."""
    known = setting_names()
    for where, names in (("the environment", os.environ), (ENV_FILE, env_file)):
        for name in sorted(n for n in names if n.upper().startswith(PREFIX) and n.upper() not in known):
            close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]}?" if close else ""
            log.warning("%s in %s is not a setting and is ignored%s", name, where, hint)


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment and `.env`, then apply overrides.

    Warns of NEWSBOT_ names that are no setting. Raises SettingsFileError when
    `.env` cannot be read, and pydantic's ValidationError for a bad value.
    """
    env_file = _read_env_file()
    _warn_unknown_names(env_file)
    values = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**values)
