"""Run a benchmark phase in a fresh process and measure its peak memory.

This module knows nothing of the systems under test: the caller hands it the
phase to run (`benchmarks.systems.PHASES` holds them), so the systems may use
its task and memory readers without an import cycle.
"""

from __future__ import annotations

import multiprocessing
import resource
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import Question

# How often the parent samples a child's process tree: newsbot builds in worker
# processes, whose memory the child's own peak (VmHWM) does not include. Reading
# PSS makes the kernel walk every page table, which at a gigabyte costs
# milliseconds a process: sampling more often than this takes a visible share of
# the two cores from what is being measured.
SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class Task:
    """What a child process is to do, in picklable values."""

    system: str
    phase: str  # "build", "serve" or "refresh"
    pool_dir: Path
    corpus_root: Path
    index_dir: Path
    size: int  # passages in the corpus
    questions: tuple[Question, ...] = ()
    profile_to: Path | None = None  # build phase: write cProfile stats here (the build then stays in-process)


class PhaseError(RuntimeError):
    """A child process failed; the message holds its traceback."""


def run_phase(task: Task, phase: Callable[[Task], dict]) -> dict:
    """Run a phase (a module-level function, so the child can import it) on a task in a spawned process.

    Return its results plus its peak memory.

    `self_peak_mb` is the child's own peak (VmHWM); `tree_peak_mb` the most
    that the child and its descendants were seen to hold together (PSS, sampled
    every SAMPLE_SECONDS); `peak_mb` the larger of the two.

    Raises PhaseError when the child fails or dies.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(task, phase, sender), name=f"{task.system}-{task.phase}")
    process.start()
    sender.close()
    tree_peak = 0.0
    try:
        while not receiver.poll(SAMPLE_SECONDS):
            tree_peak = max(tree_peak, _tree_memory_mb(process.pid))
        status, payload = receiver.recv()
    except EOFError:
        process.join()
        raise PhaseError(f"{task.system} {task.phase}: child died (exit code {process.exitcode})") from None
    process.join()
    if status != "ok":
        raise PhaseError(f"{task.system} {task.phase} failed:\n{payload}")
    payload["tree_peak_mb"] = tree_peak
    payload["peak_mb"] = max(payload["self_peak_mb"], tree_peak)
    return payload


def _tree_memory_mb(pid: int) -> float:
    """Return the memory a process and all its descendants hold now, in MB (0 without psutil).

    Proportional set sizes are summed, so pages the processes share (a forked
    worker's, libraries') count once; where PSS is unreadable, RSS is used.
    """
    try:
        import psutil
    except ImportError:
        return 0.0
    try:
        root = psutil.Process(pid)
        pids = [root.pid, *(child.pid for child in root.children(recursive=True))]
    except psutil.Error:
        return 0.0
    total = 0
    for number in pids:
        try:
            total += _pss_bytes(number)
        except (OSError, ValueError):
            try:
                total += psutil.Process(number).memory_info().rss
            except psutil.Error:
                continue  # it ended between listing and reading
    return total / 2**20


def _pss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise ValueError("no Pss line")


def _child(task: Task, phase: Callable[[Task], dict], sender) -> None:
    try:
        if task.profile_to is not None:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(phase, task)
            profiler.dump_stats(task.profile_to)
        else:
            result = phase(task)
        result["self_peak_mb"] = peak_memory_mb()
        sender.send(("ok", result))
    except Exception:  # noqa: BLE001  (any failure goes to the parent, which raises PhaseError)
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux's VmHWM belongs to the process's own address space. ru_maxrss is not
    used where VmHWM exists: across fork and exec it keeps the parent's size,
    so every child would report at least the benchmark runner's memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


@dataclass(frozen=True)
class Resident:
    """A process's resident memory now, split by what backs it (MB).

    File-backed pages (a memory-mapped index, libraries) are the page cache's:
    the kernel drops and re-reads them under pressure. Anonymous pages (Python
    objects, NumPy arrays built in memory) have nowhere to go but swap.
    """

    total_mb: float
    anonymous_mb: float
    file_mb: float

    def to_json(self) -> dict:
        """Return the figures as JSON-ready values."""
        return {"total_mb": self.total_mb, "anonymous_mb": self.anonymous_mb, "file_mb": self.file_mb}


def resident_memory() -> Resident:
    """Return this process's resident memory now, anonymous and file-backed apart (zeros without /proc)."""
    fields = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                fields[key] = int(value.split()[0]) / 1024  # kB
    except OSError:
        pass
    return Resident(fields.get("VmRSS", 0.0), fields.get("RssAnon", 0.0), fields.get("RssFile", 0.0) + fields.get("RssShmem", 0.0))


def current_memory_mb() -> float:
    """Return this process's resident memory now, in MB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

