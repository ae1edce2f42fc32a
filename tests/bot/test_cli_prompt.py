"""`newsbot prompt` in-process: a follow-up is read with the previous question's subject, :new forgets it."""

from __future__ import annotations

import pytest

from newsbot.index import Engine
from tests.bot.cli_run import Run, cli  # noqa: F401  (the fixture)

CEASEFIRE = "Ankara would help reinstate a ceasefire"


@pytest.mark.parametrize(
    ("line", "follows"),
    [
        ("and when?", True),
        ("And Turkey?", True),
        ("but why?", True),
        ("what about Turkey?", True),
        ("how about the ambassadors?", True),
        ("when?", True),
        ("where?", True),
        ("why did they?", True),  # every word a stop word
        ("who mediated?", False),
        ("when were ambassadors agreed?", False),
        ("Andrew Tate?", False),  # "and" only as a whole word
        ("how many ambassadors?", False),
        ("ok, and Turkey?", True),
        ("so what about the ambassadors?", True),
        ("<@123> and when?", True),  # a mention is no word of the question
        ("so who hosted the talks?", False),
        ("what did Turkey say?", False),  # a new question, however few its words
        ("thanks!", False),
    ],
)
def test_what_counts_as_a_follow_up(engine: Engine, line: str, follows: bool) -> None:
    assert engine.is_follow_up(line) is follows  # the one rule the prompt and the Discord bot both ask


def test_a_follow_up_is_read_with_the_previous_question(cli: Run) -> None:
    result = cli("prompt", "--top", "1", stdin="who mediated?\nand when?\nwhere?\n")
    assert result.code == 0, result.err
    blocks = result.out.split("\n\n")
    assert CEASEFIRE in blocks[0] and "reading it as" not in blocks[0]
    assert blocks[1].startswith("(reading it as: when mediated?)\n3 March 2026: “")
    # The reading becomes the previous question: its subject carries on.
    assert blocks[2].startswith("(reading it as: where mediated?)\n")


def test_a_fresh_question_is_read_as_typed(cli: Run) -> None:
    result = cli("prompt", stdin="who mediated?\nwhen were ambassadors agreed?\nwhat did Turkey say?\n")
    assert result.code == 0, result.err
    assert "reading it as" not in result.out


def test_a_follow_up_after_ok_is_read_with_the_previous_question(cli: Run) -> None:
    result = cli("prompt", "--top", "1", stdin="who mediated?\nok, and when?\n")
    assert result.code == 0, result.err
    assert "(reading it as: when mediated?)" in result.out


def test_new_forgets_the_previous_question(cli: Run) -> None:
    for command in (":new", ":reset"):
        result = cli("prompt", stdin=f"who mediated?\n{command}\nwhen?\n")
        assert result.code == 0
        assert "previous question forgotten" in result.out and "reading it as" not in result.out
        assert "no word to search for" in result.err  # "when?" alone asks nothing


def test_a_refused_question_is_not_the_previous_one(cli: Run) -> None:
    result = cli("prompt", stdin="who mediated?\nthe\nand when?\n")
    assert "(reading it as: when mediated?)" in result.out


def test_help_lists_new(cli: Run) -> None:
    result = cli("prompt", stdin=":help\n")
    assert ":new (forget the previous question)" in result.out
