"""Turn the engine's answers, and the votes on them, into text and JSON for the command line.

The CLI's other renderings are in render_index.py (sources, stats, index
folders, refresh reports), render_feeds.py (feeds, polls, pages added) and
render_text.py (the one-line helpers they share).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsbot.bot.feedback import FeedbackSummary
from newsbot.bot.render_text import counted, shown
from newsbot.index import Answer, QuestionKind, Quote, format_date

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
        left = f"; {counted(answer.undated_left_out, 'undated article')} left out" if answer.undated_left_out else ""
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
    return (f"Wrote {counted(written, 'down-voted question')} to {shown(str(path))}; fill in category, "
            "answerable and gold (benchmarks/questions/README.md) before adding them to a set.")  # fmt: skip

