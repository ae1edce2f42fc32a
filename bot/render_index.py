"""Turn what the index holds and what a refresh changed into text and JSON: sources, stats, index folders, refresh reports."""

from __future__ import annotations

from collections.abc import Sequence

from newsbot.bot.paths import IndexFolder, Places
from newsbot.bot.render_text import counted, format_size, listed, shown, when
from newsbot.index import IndexStats, KeptSource, Problem, RefreshReport, SourceInfo, format_date


def source_json(source: SourceInfo) -> dict:
    """Return one `sources --json` item."""
    return {
        "title": source.title,
        "published": source.published.isoformat() if source.published else None,
        "source": source.source,
        "url": source.url,
        "passages": source.passages,
    }


def sources_text(sources: list[SourceInfo]) -> str:
    """Return the article list, one line each."""
    if not sources:
        return "No articles are indexed."
    width = max(len(format_date(s.published)) for s in sources)
    lines = [
        f"{format_date(s.published):<{width}}  {s.title}  [{shown(s.source)}, {counted(s.passages, 'passage')}]"
        for s in sources
    ]
    return "\n".join(lines)


def stats_json(stats: IndexStats, places: Places | None = None, removed: Sequence[KeptSource] = ()) -> dict:
    """Return the `stats --json` object; with places, where the corpus, index and state live, and what is kept."""
    value = {
        "articles": stats.articles,
        "passages": stats.passages,
        "vocabulary": stats.vocabulary,
        "segments": stats.segments,
        "bytes_on_disk": stats.bytes_on_disk,
        "last_refresh": stats.last_refresh,
        "skipped": [_problem_json(p) for p in stats.skipped],
        "warnings": [_problem_json(p) for p in stats.warnings],
        "undated": stats.undated,
    }
    if places is not None:
        value |= {
            "corpus_dir": str(places.corpus_dir),
            "index_dir": str(places.index_dir),
            "state_dir": str(places.state_dir),
            "removed": [kept_json(k) for k in removed],
        }
    return value


def stats_text(stats: IndexStats, places: Places | None = None, removed: Sequence[KeptSource] = ()) -> str:
    """Return the index's counts, one per line; with places, where things live and what removed files are kept."""
    lines = []
    if places is not None:
        lines += [
            f"corpus:        {shown(str(places.corpus_dir))}",
            f"index:         {shown(str(places.index_dir))}",
            f"state:         {shown(str(places.state_dir))}",
        ]
    lines += [
        f"articles:      {stats.articles}",
        f"passages:      {stats.passages}",
        f"vocabulary:    {stats.vocabulary} terms",
        f"segments:      {stats.segments}",
        f"size on disk:  {format_size(stats.bytes_on_disk)}",
        f"last refresh:  {stats.last_refresh or 'never'}",
        f"undated:       {stats.undated} articles",
        f"skipped:       {len(stats.skipped)}",
    ]
    lines += [f"  {shown(str(p))}" for p in stats.skipped]
    if stats.warnings:  # articles indexed all the same
        lines.append(f"warnings:      {len(stats.warnings)}")
        lines += [f"  {shown(str(p))}" for p in stats.warnings]
    if places is not None:
        lines.append(f"removed, kept: {len(removed)}" + (" (`newsbot restore SOURCE` puts one back)" if removed else ""))
        lines += [f"  {shown(k.source)}  removed {when(k.removed_at)}, kept until {when(k.expires)}" for k in removed]
    return "\n".join(lines)


def kept_json(kept: KeptSource) -> dict:
    """Return one `stats --json` "removed" item."""
    return {"source": kept.source, "removed_at": kept.removed_at.isoformat(), "expires": kept.expires.isoformat()}


def indexes_json(folders: Sequence[IndexFolder]) -> list[dict]:
    """Return the `indexes --json` list."""
    return [
        {
            "index_dir": str(f.index_dir),
            "corpus_dir": str(f.corpus_dir) if f.corpus_dir is not None else None,
            "corpus_exists": f.corpus_dir is not None and f.corpus_dir.is_dir(),
            "bytes_on_disk": f.bytes_on_disk,
            "last_refresh": f.last_changed.isoformat(timespec="seconds") if f.last_changed else None,
        }
        for f in folders
    ]


def indexes_text(folders: Sequence[IndexFolder]) -> str:
    """Return the index folders, two lines each: the folder, then its corpus, size and last refresh."""
    if not folders:
        return "No indexes in the user data directory."
    lines = []
    for f in folders:
        if f.corpus_dir is None:
            corpus = "corpus unknown (built before newsbot recorded it)"
        else:
            corpus = shown(str(f.corpus_dir)) + (" (gone)" if f.stale else "")
        refreshed = when(f.last_changed) if f.last_changed else "never"
        lines += [shown(str(f.index_dir)), f"    {corpus}; {format_size(f.bytes_on_disk)}; last refreshed {refreshed}"]
    return "\n".join(lines)


def report_json(report: RefreshReport) -> dict:
    """Return a refresh summary as JSON-ready values."""
    return {
        "added": list(report.added),
        "changed": list(report.changed),
        "removed": list(report.removed),
        "skipped": [_problem_json(p) for p in report.skipped],
        "warnings": [_problem_json(p) for p in report.warnings],
        "articles_added": report.articles_added,
        "articles_removed": report.articles_removed,
        "passages_added": report.passages_added,
        "passages_removed": report.passages_removed,
        "rebuilt": report.rebuilt,
        "reason": report.reason,
        "undated": list(report.undated),
    }


def report_text(report: RefreshReport) -> str:
    """Return what a refresh changed, in a few lines."""
    lines = []
    if report.rebuilt and report.reason:
        lines.append(f"Indexed the corpus from scratch: {report.reason}.")
    if report.unchanged and not report.rebuilt:
        lines.append("Nothing changed.")
    for label, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if names:
            lines.append(f"Files {label} ({len(names)}): {listed(names)}")
    if not report.unchanged:
        lines.append(
            f"Articles: +{report.articles_added} −{report.articles_removed}; "
            f"passages: +{report.passages_added} −{report.passages_removed}."
        )
    if report.undated:  # their quotes carry no date, and time-bound questions leave them out
        lines.append(f"No date found ({len(report.undated)}): {listed(report.undated)}")
    if report.skipped:
        lines.append(f"Skipped ({len(report.skipped)}):")
        lines += [f"  {shown(str(p))}" for p in report.skipped]
    if report.warnings:
        lines.append(f"Indexed with warnings ({len(report.warnings)}):")
        lines += [f"  {shown(str(p))}" for p in report.warnings]
    return "\n".join(lines)


def _problem_json(problem: Problem) -> dict:
    """Return a skipped file's (or line's) problem, or a warning, as JSON-ready values."""
    return {"source": problem.source, "line": problem.line, "reason": problem.reason}

