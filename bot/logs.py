"""Third-party loggers the entry points turn down: what they say is noise to a newsbot user."""

from __future__ import annotations

import logging

# trafilatura logs an ERROR for every page it cannot parse; newsbot reports the page as failed itself.
# httpx logs every request at INFO; a poll makes dozens.
NOISY_LOGGERS = {"trafilatura": logging.CRITICAL, "httpx": logging.WARNING}


def quiet_noisy_loggers() -> None:
    """Raise the level of the third-party loggers in NOISY_LOGGERS (entry points only)."""
    for name, level in NOISY_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
