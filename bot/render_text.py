"""One-line text for the command line: names with control characters escaped, counts, short lists, times, sizes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


def when(moment: datetime) -> str:
    """Return a moment to the minute, as stats, index folders and feeds show it: "2025-03-04 09:30 UTC"."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def listed(names: Sequence[str], most: int = 10) -> str:
    """Return the first few names of a list on one line, "…" after them when there are more."""
    return ", ".join(map(shown, names[:most])) + (" …" if len(names) > most else "")


def shown(name: str) -> str:
    """Return a file name or source fit for one line: control characters (a newline, say) escaped."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def counted(number: int, noun: str) -> str:
    """Return a number with its noun, plural unless one: "1 article", "3 passages"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def format_size(count: int) -> str:
    """Return a byte count for people: "812 B", "26.0 KB", "1.4 GB"."""
    size = float(count)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"
