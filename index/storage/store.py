"""The on-disk index: a versioned JSON manifest naming segments and statistics.

Layout of an index folder:
    manifest.json      what is live: format, settings, corpus files, segments, statistics
    vocab-<gen>.txt    global terms, one a line, append-only (a new file per rebuild)
    df-<gen>.npy       live document frequency per term id, one file per generation
    seg-<gen>/         immutable segments (see `segment.py`)
Writers build new files beside the old ones and swap the manifest in last
(write, fsync, rename), so a reader always sees one whole generation.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsbot.index.analysis import analyser_settings
from newsbot.index.errors import IndexFormatError, IndexVersionError
from newsbot.index.storage.files import write_beside
from newsbot.index.models import IndexConfig, Problem


FORMAT_VERSION = 12  # bump when the layout changes; older indexes are rebuilt, newer refused
# Formats this newsbot opens and answers from: an older one among them is rebuilt as FORMAT_VERSION
# while it answers (`load(..., rebuild_in_background=True)`), any other older one before.
# Format 11 lacks each segment's art_offsets.npy and art_position.npy (see segment._SINCE_FORMAT_12).
# When format 13 comes: make this (12, 13), and drop `segment.Segment.legacy` with what hangs on it.
READABLE_FORMATS = (11, FORMAT_VERSION)
MANIFEST = "manifest.json"
# Files named after a generation ("seg-000012-00", "df-000012.npy", ...): the collector's and the numbering's.
GENERATION_FILES = ("seg-", "df-", "vocab-", "problems-")


@dataclass(frozen=True)
class Placement:
    """Where some of a file's articles lie: consecutive article numbers of one segment."""

    segment: str
    first: int
    count: int

    @property
    def articles(self) -> range:
        """Return the segment-local numbers of these articles."""
        return range(self.first, self.first + self.count)


@dataclass(frozen=True)
class FileEntry:
    """A corpus file as last indexed: its identity, and where its articles went."""

    size: int
    mtime_ns: int
    sha256: str
    # In file order; a large JSON-lines file is built in byte ranges, each its own segment.
    placements: tuple[Placement, ...] = ()
    # Kept beside the manifest (`problems-<gen>.json`), not in it: `ask` reads the manifest,
    # never the problems. Not part of equality: a manifest read back has them unloaded.
    problems: tuple[Problem, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Manifest:
    """Everything that says which generation of the index is live."""

    config: IndexConfig
    generation: int = 0
    vocab_file: str = "vocab-000000.txt"
    vocab_size: int = 0
    vocab_bytes: int = 0  # where the valid terms end in the vocabulary file
    documents: int = 0
    tokens: int = 0
    segments: tuple[str, ...] = ()
    files: dict[str, FileEntry] = field(default_factory=dict)
    last_refresh: str | None = None
    sums: dict[str, int] = field(default_factory=dict)  # CRC-32 of the df file and the vocabulary's valid bytes
    format: int = FORMAT_VERSION
    analyser: dict = field(default_factory=analyser_settings)
    corpus: str | None = None  # the corpus folder it indexes (None: written before newsbot recorded it)

    def to_json(self) -> dict:
        """Return the manifest as JSON-ready values."""
        return {
            "format": self.format,
            "corpus": self.corpus,
            "analyser": self.analyser,
            "config": dataclasses.asdict(self.config),
            "generation": self.generation,
            "vocab_file": self.vocab_file,
            "vocab_size": self.vocab_size,
            "vocab_bytes": self.vocab_bytes,
            "documents": self.documents,
            "tokens": self.tokens,
            "segments": list(self.segments),
            "last_refresh": self.last_refresh,
            "sums": self.sums,
            "files": {
                name: {
                    "size": e.size,
                    "mtime_ns": e.mtime_ns,
                    "sha256": e.sha256,
                    "placements": [[p.segment, p.first, p.count] for p in e.placements],
                }
                for name, e in sorted(self.files.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        """Rebuild a manifest from `to_json`'s values; KeyError/TypeError/ValueError when malformed."""
        files = {
            name: FileEntry(
                size=int(e["size"]),
                mtime_ns=int(e["mtime_ns"]),
                sha256=str(e["sha256"]),
                placements=tuple(Placement(str(seg), int(first), int(count)) for seg, first, count in e["placements"]),
            )
            for name, e in data["files"].items()
        }
        return cls(
            format=int(data["format"]),
            analyser=dict(data["analyser"]),
            config=IndexConfig(**data["config"]),
            generation=int(data["generation"]),
            vocab_file=str(data["vocab_file"]),
            vocab_size=int(data["vocab_size"]),
            vocab_bytes=int(data["vocab_bytes"]),
            documents=int(data["documents"]),
            tokens=int(data["tokens"]),
            segments=tuple(data["segments"]),
            files=files,
            last_refresh=data.get("last_refresh"),
            sums={str(k): int(v) for k, v in data.get("sums", {}).items()},
            corpus=None if data.get("corpus") is None else str(data["corpus"]),
        )


def read_manifest(directory: Path) -> Manifest | None:
    """Read the live manifest, or return None when there is no index yet.

    An index of an older format that this newsbot cannot read (not in
    READABLE_FORMATS) comes back as a manifest naming only its format.
    Raises IndexFormatError when the manifest is unreadable or of a newer format.
    """
    path = directory / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexFormatError(f"cannot read the index manifest {path}: {exc}") from exc
    try:
        data = json.loads(text)
        version = int(data["format"])
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"the index manifest {path} is corrupt: {exc}") from exc
    if version > FORMAT_VERSION:
        raise IndexVersionError(
            f"the index in {directory} has format {version}, newer than this newsbot's "
            f"{FORMAT_VERSION}: upgrade newsbot or choose another --index folder"
        )
    if version not in READABLE_FORMATS:
        return Manifest(config=IndexConfig(), format=version)  # stale: the caller rebuilds
    try:
        return Manifest.from_json(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"the index manifest {path} is corrupt: {exc}") from exc


def other_corpus(manifest: Manifest, corpus_dir: Path) -> Path | None:
    """Return the corpus folder an index was built for, when that is another folder that still exists; else None.

    Two corpora pointed at one index folder would take it over in turn, each
    refresh throwing the other's articles away. An index written before its
    corpus was recorded, or for a folder since moved or gone (a corpus
    renamed, an index copied to another machine), serves the corpus it is
    opened with.
    """
    if manifest.corpus is None or Path(manifest.corpus) == corpus_dir:
        return None
    other = Path(manifest.corpus)
    return other if other.is_dir() else None


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Swap a new manifest in atomically: a fresh sibling, fsynced, renamed over, the folder fsynced."""
    write_beside(directory / MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def problems_path(directory: Path, generation: int) -> Path:
    """Return the file holding what a generation's files could not read."""
    return directory / f"problems-{generation:06d}.json"


def write_problems(directory: Path, generation: int, files: dict[str, FileEntry]) -> None:
    """Write each file's problems for a generation, durably (not yet live)."""
    table = {name: [dataclasses.asdict(p) for p in e.problems] for name, e in sorted(files.items()) if e.problems}
    path = problems_path(directory, generation)
    with path.open("w", encoding="utf-8") as handle:
        json.dump(table, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())


def read_problems(directory: Path, manifest: Manifest) -> dict[str, tuple[Problem, ...]]:
    """Return each file's problems as the live generation recorded them (none when unreadable)."""
    try:
        table = json.loads(problems_path(directory, manifest.generation).read_text(encoding="utf-8"))
        return {name: tuple(Problem(**p) for p in items) for name, items in table.items()}
    except (OSError, ValueError, TypeError):
        return {}


def df_path(directory: Path, generation: int) -> Path:
    """Return the document-frequency file of a generation."""
    return directory / f"df-{generation:06d}.npy"


def write_df(directory: Path, generation: int, df: np.ndarray) -> int:
    """Write a generation's document frequencies durably (not yet live); return the file's CRC-32."""
    path = df_path(directory, generation)
    with path.open("wb") as handle:
        np.save(handle, df.astype(np.int64))
        handle.flush()
        os.fsync(handle.fileno())
    return zlib.crc32(path.read_bytes())


def vocabulary_sum(directory: Path, manifest: Manifest) -> int:
    """Return the CRC-32 of the vocabulary file's valid bytes."""
    with (directory / manifest.vocab_file).open("rb") as handle:
        return zlib.crc32(handle.read(manifest.vocab_bytes))


def check_statistics(directory: Path, manifest: Manifest) -> None:
    """Raise ValueError when the df file or the vocabulary no longer match their recorded sums."""
    if manifest.sums.get("df") is not None and manifest.vocab_size:
        if zlib.crc32(df_path(directory, manifest.generation).read_bytes()) != manifest.sums["df"]:
            raise ValueError(f"{df_path(directory, manifest.generation).name} does not match its checksum")
    if manifest.sums.get("vocab") is not None and vocabulary_sum(directory, manifest) != manifest.sums["vocab"]:
        raise ValueError(f"{manifest.vocab_file} does not match its checksum")


def collect_garbage(directory: Path, manifest: Manifest) -> None:
    """Delete segments and statistics the live manifest no longer names."""
    live = set(manifest.segments) | {
        df_path(directory, manifest.generation).name, manifest.vocab_file, problems_path(directory, manifest.generation).name,
    }  # fmt: skip
    for path in directory.iterdir():
        stale = path.name.startswith(GENERATION_FILES) and path.name not in live
        if stale:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def format_reason(manifest: Manifest) -> str | None:
    """Return why an index of an older format must be rebuilt as the current one, or None when it is current."""
    if manifest.format == FORMAT_VERSION:
        return None
    return f"the index has format {manifest.format}, rebuilding it as format {FORMAT_VERSION}"
