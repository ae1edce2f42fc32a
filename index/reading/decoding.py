"""Article file bytes to text: gzip within limits, binary refused, UTF-8 or Windows-1252 told apart.

Bad bytes never raise but a file with too many gzip members: they become a
`Problem` (a stray byte), a cut (a truncated gzip) or a refusal (binary).
"""

from __future__ import annotations

import codecs
import logging
import re
import zlib
from pathlib import Path

from newsbot.index.errors import SourceError
from newsbot.index.models import Problem

log = logging.getLogger(__name__)

# JSON lines are binary when more than one byte in this many is NUL.
BINARY_NUL_SHARE = 100
# Compressed bytes fed to zlib at a time; small enough to lose little at a break.
_GZIP_PIECE = 64 * 1024
# The first piece of each gzip member; pieces double from it to _GZIP_PIECE. zlib copies out what
# a piece holds past its member's end, so a 20-byte member must not be handed 64 KB; and the piece
# ends (64 B, 128 B, ... 64 KB, then every 64 KB) include every end of fixed 64 KB pieces, so no
# more is lost at a break than with those.
_GZIP_FIRST_PIECE = 64
# Members read from one gzip file at most. Real files have one, a few (`cat a.gz b.gz`), one per
# appended article, or one per 64 KB block (bgzip: about 32,000 for a 2 GB file). An empty member
# (20 bytes) costs a zlib set-up, about a microsecond, but adds no byte against the size limit, so
# without this bound work would grow with the file's size unseen by any limit; at it, the set-ups
# cost about 0.1 s. Past it the file is refused whole, like one past the size limit: reading up to
# it would pass off a cut file as whole (or as "truncated", which it is not).
MAX_GZIP_MEMBERS = 100_000
TOO_MANY_GZIP_MEMBERS = f"more than {MAX_GZIP_MEMBERS:,} gzip members; not read"
_NOT_NUL_RE = re.compile(rb"[^\x00]")
# Well-formed UTF-8 sequences (RFC 3629) that cp1252 text holds only as mojibake: "Ã©" for "é", "Â£" for "£", and three
# or four bytes, which cp1252 reads as a small accented letter and two symbols ("â€™" for "’"). _AMBIGUOUS_UTF8_RE: one
# that cp1252 text may hold, an accented capital right before a curly quote or symbol ("CAFÉ”" is \xc9\x94, "ɔ").
_PLAIN_UTF8_RE = re.compile(
    rb"[\xc2\xc3][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_AMBIGUOUS_UTF8_RE = re.compile(rb"[\xc4-\xdf][\x80-\xbf]")


def read_gzip(path: Path, limit: int | None = None, name: str | None = None) -> tuple[bytes | None, bool]:
    """Return a gzip file's decompressed bytes (None past limit) and whether the stream broke: see `gunzip`."""
    return gunzip(path.read_bytes(), limit, name or str(path))


def gunzip(raw: bytes, limit: int | None = None, name: str = "gzip data") -> tuple[bytes | None, bool]:
    """Return decompressed bytes, cut to whole lines, and whether the stream broke.

    zlib is fed in small pieces so that everything before a break is kept
    (gzip.open loses the whole read that hits the break), and each piece may
    give at most what is left of `limit`: past it the bytes are None, and a
    bomb is stopped having cost no more than the limit. The buffer is walked
    once, member after member, never copied: the work grows with its length.

    Raises SourceError for more than MAX_GZIP_MEMBERS members.
    """
    view = memoryview(raw)
    chunks: list[bytes] = []
    room = limit if limit is not None else -1
    start, members = 0, 0
    while _NOT_NUL_RE.search(raw, start):  # gzip allows several members and zero padding
        members += 1
        if members > MAX_GZIP_MEMBERS:
            raise SourceError(f"{name}: {TOO_MANY_GZIP_MEMBERS}")
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16: expect a gzip header
        offset = start
        try:
            while offset < len(view) and not stream.eof:
                piece = view[offset : offset + min(max(offset - start, _GZIP_FIRST_PIECE), _GZIP_PIECE)]
                offset += len(piece)
                while piece:
                    out = stream.decompress(piece, room + 1 if limit is not None else 0)
                    chunks.append(out)
                    if limit is not None:
                        room -= len(out)
                        if room < 0:
                            return None, False
                    piece = stream.unconsumed_tail
        except zlib.error as error:
            log.warning("%s: gzip stream broke: %s", name, error)
        if not stream.eof:
            data = b"".join(chunks)
            return data[: data.rfind(b"\n") + 1], True
        start = offset - len(stream.unused_data)  # the next member starts where this one's bytes end
    return b"".join(chunks), False


def looks_binary(data: bytes, json_lines: bool) -> bool:
    """Return True for bytes that are no text: NUL bytes outside UTF-16.

    In JSON lines a stray NUL spoils only its own line (the reader skips
    that line), so there the file is binary only when NULs are common.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data:
        return False
    return not json_lines or data.count(b"\x00") * BINARY_NUL_SHARE > len(data)


def decode_text(data: bytes, source: str) -> tuple[str, Problem | None]:
    """Decode bytes as UTF-8 (BOM allowed) or UTF-16 with BOM, else cp1252, else Latin-1.

    A file that starts with a UTF-8 BOM is UTF-8, whatever follows. So is one
    holding a UTF-8 sequence that cp1252 text holds only as mojibake ("é" as
    \xc3\xa9, "’" as \xe2\x80\x99; see _PLAIN_UTF8_RE), however many bytes
    are not UTF-8: a UTF-8 file with a stray byte of another encoding ("\xa9"
    for © pasted from an old page) may hold a single "é" beside it. Sequences
    cp1252 text may hold by chance (Greek, Cyrillic, "Ł" in UTF-8; "É”" in
    cp1252) make it UTF-8 only when they outnumber the bad bytes. The stray
    bytes are read as U+FFFD and reported with the first one's line: a misread
    this way is said, where a UTF-8 file read as cp1252 would turn every "’"
    and "é" to mojibake without a word.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        first_bad = error.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)  # counted after the BOM "utf-8-sig" drops
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # a U+FFFD in the file itself is no bad byte
    utf8 = (
        data.startswith(codecs.BOM_UTF8)
        or _PLAIN_UTF8_RE.search(data) is not None
        or len(_AMBIGUOUS_UTF8_RE.findall(data)) > bad
    )
    if utf8:
        line = data.count(b"\n", 0, first_bad) + 1
        return text, Problem(source, f"not UTF-8 in {bad} place{'s' if bad != 1 else ''}, read as \ufffd", line)
    try:
        text = data.decode("cp1252")
        log.info("%s: not UTF-8, read as cp1252", source)
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        log.info("%s: not UTF-8, read as Latin-1", source)
    return text, None
