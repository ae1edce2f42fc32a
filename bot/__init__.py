"""newsbot's front ends: the `newsbot` command line and the Discord bot."""

import warnings

__all__ = ["create_bot"]

if __name__ == "bot":
    # A checkout's folder imported under its old top-level name. Deprecated for one
    # release: the package installs as `newsbot.bot`.
    warnings.warn(
        "`import bot` is deprecated; import `newsbot.bot` instead (from newsbot.bot import create_bot)",
        DeprecationWarning,
        stacklevel=2,
    )


def __getattr__(name: str):
    # `create_bot` without loading discord.py for every CLI command.
    if name == "create_bot":
        from newsbot.bot.discord_bot import create_bot

        return create_bot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
