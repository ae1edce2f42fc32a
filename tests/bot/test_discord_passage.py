"""The Passage button: every quoted sentence whole and in bold, the sentences around it trimmed to fit one message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsbot.bot.discord_text import CONTENT_LIMIT
from tests.bot.fake_discord import FakeDiscord

_QUOTE_RE = re.compile(r"^> (.*)\n— ", re.MULTILINE)  # an answer's quote block: its sentence, as rendered


async def passage_of(fake: FakeDiscord, question: str, top: int) -> tuple[list[str], str]:
    """Ask with /ask and click Passage; return the quoted sentences as the answer rendered them, and the reply."""
    _, followup = await fake.run_command("ask", {"question": question, "top": top})
    answer = fake.message_of(followup)
    quotes = _QUOTE_RE.findall(answer["embeds"][0]["description"])
    assert len(quotes) == top
    _, passage = await fake.click(answer, "newsbot:passage")
    return quotes, passage.json["content"]


@pytest.mark.parametrize("top", [1, 2, 3, 4])
async def test_passage_shows_every_quote_whole_and_bold_trimming_the_sentences_around(fake, start_bot, top) -> None:
    await start_bot()
    quotes, text = await passage_of(fake, "who hosted the talks?", top)
    assert len(text) <= CONTENT_LIMIT
    blocks = text.split("\n\n")
    assert len(blocks) == top and all(block.startswith("arab\\_news.txt:\n") for block in blocks)
    for quote, block in zip(quotes, blocks, strict=True):
        assert f"**{quote}**" in block and block.count("**") == 2  # whole, and its bold closed
        before, _, after = block.removeprefix("arab\\_news.txt:\n").split("**")
        assert "…" not in before[1:] and "…" not in after[:-1]  # the sentences around are trimmed at their far ends
    assert ("…" in text) == (top > 2)  # two quotes have room for all their sentences around; more share the message


def long_sentence(n: int) -> str:
    towns = ", ".join(f"the {word} of town {n}{k}" for k, word in enumerate(["mayor", "band", "choir", "crowd"] * 7))
    return f"The quorvex parade number {n} was cheered by {towns}."


async def test_passage_shows_as_many_whole_quotes_as_fit_and_counts_the_rest(fake, start_bot, corpus: Path) -> None:
    sentences = [long_sentence(n) for n in range(5)]
    assert all(600 < len(s) < 700 for s in sentences)  # three are too many for one message, with their sources
    (corpus / "parades.txt").write_text("Parade report\n\nThe council met on Monday. " + " ".join(sentences) + "\n",
                                        encoding="utf-8")  # fmt: skip
    await start_bot()
    quotes, text = await passage_of(fake, "who cheered the quorvex parade?", 5)
    assert len(text) <= CONTENT_LIMIT
    *blocks, note = text.split("\n\n")
    assert note == "*3 more not shown (Discord's length limit).*"
    assert len(blocks) == 2
    for quote, block in zip(quotes, blocks, strict=False):  # whole and bold; the sentences around trimmed
        assert block.startswith("parades.txt:\n…") and f" **{quote}** " in block and block.endswith("…")
