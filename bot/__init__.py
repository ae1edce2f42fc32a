"""newsbot's front ends: the `newsbot` command line and the Discord bot."""

__all__ = ["create_bot"]


def __getattr__(name: str):
    # `from bot import create_bot` without loading discord.py for every CLI command.
    if name == "create_bot":
        from bot.discord_bot import create_bot

        return create_bot
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
