"""Turn the engine's answers and reports, the feeds' and the votes', into text and JSON for the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from newsbot.bot.feedback import FeedbackSummary
from newsbot.bot.paths import IndexFolder, Places
from newsbot.index import (
    Answer,
    FeedAdded,
    FeedInfo,
    KEEP_DAYS,
    FeedRemoved,
    IndexStats,
    KeptSource,
    PageAdded,
    PollReport,
    Problem,
    QuestionKind,
    Quote,
    RefreshReport,
    SourceInfo,
    format_date,
)

NO_ANSWER = "The articles don't say."
TENTATIVE = "Not sure; the closest I found:"


def when_lead(quote: Quote, mark: Callable[[str], str] = str) -> str:
    """Return what a "when" answer says of a quote's date: the event's, else that the sentence gives none.

    The article's published date is no event's date, so it is never shown as
    one. `mark` dresses the date (Discord makes it bold).
    """
    if quote.event_date is not None:
        return mark(format_date(quote.event_date))
    if quote.article.published is not None:
        return f"The sentence gives no date; the article was published {mark(format_date(quote.article.published))}."
    return "The sentence gives no date, and the article is undated."


def refused_json(question: str, error: str) -> dict:
    """Return the `ask --json` object for a question not asked (see `answer_json`): no quote, and why."""
    return {"question": question, "no_answer": True, "tentative": False, "answers": [], "error": error}


def answer_json(answer: Answer) -> dict:
    """Return the `ask --json` object for one answer (the CLI contract).

    `tentative` is true when the quotes are only the closest found; `no_answer`
    when there are none. `searched_for` appears when a typed word was
    corrected, `period` when the question or the options bound it to dates.
    """
    value: dict = {
        "question": answer.question,
        "no_answer": answer.no_answer,
        "tentative": answer.tentative,
        "answers": [
            {
                "quote": q.text,
                "article": {
                    "title": q.article.title,
                    "published": q.article.published.isoformat() if q.article.published else None,
                    "source": q.article.source,
                    "url": q.article.url,
                },
                "event_date": q.event_date.iso() if q.event_date else None,
                "score": q.score,
            }
            for q in answer.quotes
        ],
    }
    if answer.searched_for:
        value["searched_for"] = list(answer.searched_for)
    if answer.period is not None:
        value["period"] = {
            "since": answer.period.since.isoformat() if answer.period.since else None,
            "until": answer.period.until.isoformat() if answer.period.until else None,
        }
        value["undated_left_out"] = answer.undated_left_out
    return value


def answer_notes(answer: Answer, *, chosen_by: str = "") -> list[str]:
    """Return the lines that say how a question was read: corrected words, the period, what it left out.

    `chosen_by` names the options that set the period ("--since/--until"),
    which replace any time words in the question: the note says so, as the
    question's own "in July" would otherwise vanish without a word.
    """
    notes = []
    if answer.searched_for:
        notes.append(f"Searched for: {' '.join(answer.searched_for)}")
    if answer.period is not None:
        since, until = answer.period.since, answer.period.until
        if since and until:
            span = f"from {format_date(since)} to {format_date(until)}" if since != until else f"on {format_date(since)}"
        else:
            span = f"since {format_date(since)}" if since else f"until {format_date(until)}"
        if not answer.period.has_days():  # "from June 2025 to March 2025"
            span += ", which holds no days (it ends before it starts): only undated articles can answer"
        elif chosen_by:
            span += f", as {chosen_by} set it (any time words in the question are not used)"
        left = f"; {_count(answer.undated_left_out, 'undated article')} left out" if answer.undated_left_out else ""
        notes.append(f"Period: {span}{left}.")
    return notes


def answer_text(answer: Answer, *, chosen_by: str = "") -> str:
    """Return a readable answer: each quote in quotation marks, with its article and date (see `answer_notes`)."""
    notes = answer_notes(answer, chosen_by=chosen_by)
    if answer.no_answer:
        return "\n".join([*notes, NO_ANSWER])
    if answer.tentative:
        notes.append(TENTATIVE)
    blocks = ["\n".join(notes)] if notes else []
    for quote in answer.quotes:
        published = format_date(quote.article.published)
        said = f"“{quote.text}”"
        if answer.kind is QuestionKind.WHEN:
            lead = when_lead(quote)
            said = f"{lead}: {said}" if quote.event_date is not None else f"{lead}\n{said}"
        where = f"{quote.article.title} ({published}; {shown(quote.article.source)})"
        if quote.event_date and answer.kind is not QuestionKind.WHEN:
            where += f", about {format_date(quote.event_date)}"
        if quote.article.url:
            where += f" <{quote.article.url}>"
        blocks.append(f"{said}\n    — {where}")
    return "\n\n".join(blocks)


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
        f"{format_date(s.published):<{width}}  {s.title}  [{shown(s.source)}, {_count(s.passages, 'passage')}]"
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
        lines += [f"  {shown(k.source)}  removed {_when(k.removed_at)}, kept until {_when(k.expires)}" for k in removed]
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
        refreshed = _when(f.last_changed) if f.last_changed else "never"
        lines += [shown(str(f.index_dir)), f"    {corpus}; {format_size(f.bytes_on_disk)}; last refreshed {refreshed}"]
    return "\n".join(lines)


def feed_added_text(added: FeedAdded, asked: str) -> str:
    """Return what `feed add` says: the name, the feed's title, how many items it lists (and its address when a page led to it)."""
    title = shown(added.title) if added.title else "(untitled)"
    via = f" (the feed at {shown(added.url)})" if added.url != asked else ""
    return (f"Subscribed to {title} as {shown(added.name)}{via}: it lists {_count(added.items, 'item')}.\n"
            "`newsbot feed poll` fetches them.")  # fmt: skip


def feeds_json(feeds: Sequence[FeedInfo]) -> list[dict]:
    """Return the `feed list --json` list: name, url, title, last_polled, articles, error per feed."""
    return [
        {"name": f.name, "url": f.url, "title": f.title, "last_polled": f.last_polled, "articles": f.articles, "error": f.error}
        for f in feeds
    ]


def feeds_text(feeds: Sequence[FeedInfo]) -> str:
    """Return the subscribed feeds, two or three lines each: name and title; address, articles and last poll; its error."""
    if not feeds:
        return "No feeds. Subscribe with `newsbot feed add URL`."
    lines = []
    for feed in feeds:
        polled = _when(datetime.fromisoformat(feed.last_polled)) if feed.last_polled else "never"
        lines += [f"{shown(feed.name)}  {shown(feed.title) if feed.title else '(untitled)'}",
                  f"    {shown(feed.url)}; {_count(feed.articles, 'article')}; last polled {polled}"]  # fmt: skip
        if feed.error:
            lines.append(f"    last poll failed: {shown(feed.error)}")
    return "\n".join(lines)


def feed_removed_text(removed: FeedRemoved) -> str:
    """Return what `feed remove` says: the feed gone, the day files purged with it, and the articles kept for
    the other feeds (or `add URL`) that carried them too."""
    kept = (f" Kept {_count(len(removed.kept), 'article')} another feed or `add URL` carried too: {_listed(removed.kept)}."
            if removed.kept else "")  # fmt: skip
    if not removed.purged_files:
        if removed.kept:
            return f"Unsubscribed from {shown(removed.name)}.{kept}"
        return f"Unsubscribed from {shown(removed.name)}; its articles stay in the corpus (--purge deletes them)."
    return (f"Unsubscribed from {shown(removed.name)} and deleted its {_count(len(removed.purged_files), 'day file')} "
            f"(kept for {KEEP_DAYS} days: `newsbot restore FILE` puts one back).{kept}")  # fmt: skip


def feed_removed_json(removed: FeedRemoved, report: RefreshReport | None) -> dict:
    """Return the `feed remove --json` object: the name, the purged files, the articles kept for other feeds, and the
    refresh after a purge."""
    return {
        "name": removed.name, "purged_files": list(removed.purged_files), "kept": list(removed.kept),
        "refresh": report_json(report) if report else None,
    }  # fmt: skip


def poll_json(report: PollReport) -> list[dict]:
    """Return the `feed poll --json` list: per feed its name, new, skipped and failed ([{"url", "reason"}])."""
    return [
        {"name": f.name, "new": f.new, "skipped": f.skipped, "failed": [{"url": x.url, "reason": x.reason} for x in f.failed]}
        for f in report.feeds
    ]


def poll_text(report: PollReport) -> str:
    """Return one poll, a line per feed (new, skipped) and a line per failure (address and why)."""
    if not report.feeds:
        return "No feeds. Subscribe with `newsbot feed add URL`."
    lines = []
    for feed in report.feeds:
        lines.append(f"{shown(feed.name)}: {feed.new} new, {feed.skipped} skipped (seen before or duplicates)"
                     + (f", {len(feed.failed)} failed" if feed.failed else ""))  # fmt: skip
        lines += [f"    failed: {shown(failure.url)}: {shown(failure.reason)}" for failure in feed.failed]
    return "\n".join(lines)


def feedback_json(summary: FeedbackSummary, state_dir: Path) -> dict:
    """Return the `feedback --json` object: votes by verdict, the questions voted down most, the state folder."""
    return {
        "up": summary.up,
        "down": summary.down,
        "most_down": [{"question": question, "down": down} for question, down in summary.most_down],
        "state_dir": str(state_dir),
    }


def feedback_text(summary: FeedbackSummary, state_dir: Path) -> str:
    """Return the votes by verdict and a table of the questions voted down most; or that there are none yet."""
    if not summary.up and not summary.down:
        return (f"No feedback yet. Votes come from the 👍/👎 buttons under the Discord bot's answers "
                f"and are kept in {shown(str(state_dir))}.")  # fmt: skip
    lines = [f"Votes: {summary.up} up 👍, {summary.down} down 👎."]
    if not summary.most_down:
        return "\n".join([*lines, "No answer voted down."])
    lines += ["", "Voted down most:", f"  {'down':>4}  question"]
    lines += [f"  {down:>4}  {shown(question)}" for question, down in summary.most_down]
    return "\n".join(lines)


def feedback_exported_text(written: int, path: Path) -> str:
    """Return what `feedback --export` says: how many questions it wrote, and what is left to fill in."""
    if not written:
        return f"No question voted down: {shown(str(path))} not written."
    return (f"Wrote {_count(written, 'down-voted question')} to {shown(str(path))}; fill in category, "
            "answerable and gold (benchmarks/questions/README.md) before adding them to a set.")  # fmt: skip


def page_json(page: PageAdded) -> dict:
    """Return one `add URL --json` "pages" item."""
    return {"url": page.url, "title": page.title, "source": page.source, "status": page.status}


def page_text(page: PageAdded) -> str:
    """Return what `add URL` says of a page: its title and source, and whether it was new."""
    title, source = shown(page.title) or "(untitled)", shown(page.source)
    return {
        "new": f"Added “{title}” as {source}",
        "updated": f"Updated “{title}” in {source}",
        "unchanged": f"“{title}” is already in the corpus, unchanged: {source}",
        "duplicate": f"“{title}” is already in the corpus under another address: {source}",
    }.get(page.status, f"“{title}”: {page.status}, {source}")


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


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
            lines.append(f"Files {label} ({len(names)}): {_listed(names)}")
    if not report.unchanged:
        lines.append(
            f"Articles: +{report.articles_added} −{report.articles_removed}; "
            f"passages: +{report.passages_added} −{report.passages_removed}."
        )
    if report.undated:  # their quotes carry no date, and time-bound questions leave them out
        lines.append(f"No date found ({len(report.undated)}): {_listed(report.undated)}")
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


def _listed(names: Sequence[str], most: int = 10) -> str:
    """Return the first few names of a list on one line, "…" after them when there are more."""
    return ", ".join(map(shown, names[:most])) + (" …" if len(names) > most else "")


def shown(name: str) -> str:
    """Return a file name or source fit for one line: control characters (a newline, say) escaped."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def format_size(count: int) -> str:
    """Return a byte count for people: "812 B", "26.0 KB", "1.4 GB"."""
    size = float(count)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"
