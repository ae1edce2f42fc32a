"""The web side's error, a NewsbotError the front ends translate like the engine's."""

from newsbot.index.errors import NewsbotError


class WebError(NewsbotError):
    """A page or feed cannot be fetched or read: refused address, timeout, too large, bad status, not a feed."""
