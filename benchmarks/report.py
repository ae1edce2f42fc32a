"""Present benchmark results: the machine, a markdown table, JSON and a chart."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

DISTRIBUTIONS = ("newsbot", "rank-bm25", "bm25s", "tantivy", "numpy")
COLOURS = {"newsbot": "C0", "rank-bm25": "C1", "bm25s": "C2", "tantivy": "C3"}  # one colour per system in both panels


@dataclass(frozen=True)
class Row:
    """One system at one corpus size."""

    size: int  # passages
    system: str  # "newsbot answer", "newsbot search", "rank-bm25", "bm25s", "tantivy"
    build_s: float | None = None
    refresh_s: float | None = None
    refresh_is_rebuild: bool = False  # no incremental add: refresh_s is the build time
    cold_start_s: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int = 0
    build_peak_mb: float | None = None
    serve_peak_mb: float | None = None
    serve_rss_mb: float | None = None  # resident after the last question
    serve_anon_mb: float | None = None  # of which anonymous (not file-backed)
    index_mb: float | None = None
    agreement: str = ""  # how its top 10 compare with newsbot search's
    details: dict = field(default_factory=dict, compare=False)  # the phases' other numbers, for the JSON
    tops: tuple = field(default=(), repr=False, compare=False)  # per question: ((passage, score), ...)


def machine() -> dict:
    """Return the CPU model, cores, RAM, Python and library versions of this machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def machine_line(info: dict) -> str:
    """Return the machine as one line for the table's header."""
    return f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, Python {info['python']}"


def _number(value: float | None, digits: int) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def format_table(rows: list[Row], info: dict, text_origin: str) -> str:
    """Return the results as a markdown table under a header naming the machine and the text."""
    lines = [
        f"Machine: {machine_line(info)}; newsbot {info.get('newsbot_revision') or 'revision unknown'}",
        f"Text: {text_origin}",
        "",
        (
            "| passages | system | build s | refresh-one s | cold start s | p50 ms | p95 ms | queries "
            "| build peak MB | serve peak MB | serve RSS MB | of it anon MB | index MB | vs newsbot search |"
        ),
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        refresh = _number(row.refresh_s, 3) + (" (rebuild)" if row.refresh_is_rebuild else "")
        lines.append(
            f"| {row.size:,} | {row.system} | {_number(row.build_s, 2)} | {refresh} | "
            f"{_number(row.cold_start_s, 3)} | {_number(row.p50_ms, 2)} | {_number(row.p95_ms, 2)} | "
            f"{row.queries} | {_number(row.build_peak_mb, 0)} | {_number(row.serve_peak_mb, 0)} | "
            f"{_number(row.serve_rss_mb, 0)} | {_number(row.serve_anon_mb, 0)} | {_number(row.index_mb, 0)} | {row.agreement} |"
        )
    return "\n".join(lines)


def write_json(path: Path, rows: list[Row], info: dict, extra: dict) -> None:
    """Write the rows, machine and run facts as JSON (write, then rename)."""
    data = {
        "machine": info,
        **extra,
        "rows": [{k: v for k, v in asdict(row).items() if k != "tops"} for row in rows],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.writing")
    staging.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(staging, path)


def draw_chart(path: Path, rows: list[Row], info: dict) -> None:
    """Draw p50 latency and peak memory against corpus size, log-log, one line per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(dict.fromkeys(row.system for row in rows))
    figure, (latency, memory) = plt.subplots(1, 2, figsize=(12, 4.8))
    for system in systems:
        mine = sorted((r for r in rows if r.system == system), key=lambda r: r.size)
        timed = [r for r in mine if r.p50_ms is not None]
        colour = COLOURS.get(system.split()[0])
        style = ":" if system == "newsbot search" else "-"
        if timed:
            latency.plot([r.size for r in timed], [r.p50_ms for r in timed], marker="o", linestyle=style,
                         color=colour, label=system)  # fmt: skip
            latency.fill_between(
                [r.size for r in timed], [r.p50_ms for r in timed], [r.p95_ms for r in timed],
                color=colour, alpha=0.12,
            )  # fmt: skip
        served = [r for r in mine if r.serve_peak_mb is not None and system != "newsbot search"]
        if served:
            memory.plot([r.size for r in served], [r.serve_peak_mb for r in served], marker="o", color=colour,
                        label=f"{system.split()[0]} serving")  # fmt: skip
            built = [r for r in served if r.build_peak_mb is not None]
            memory.plot([r.size for r in built], [r.build_peak_mb for r in built], marker="x", linestyle="--",
                        color=colour, label=f"{system.split()[0]} building")  # fmt: skip
    latency.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms per question (p50; band to p95)",
                title="Query latency")  # fmt: skip
    memory.set(xscale="log", yscale="log", xlabel="passages", ylabel="peak RSS, MB", title="Peak memory per process")
    for axes in (latency, memory):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.suptitle(f"newsbot scale benchmark — {machine_line(info)}", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
