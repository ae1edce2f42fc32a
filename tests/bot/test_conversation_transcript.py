"""The conversation transcript of docs/conversation.md still runs, and says what it said."""

from __future__ import annotations

from benchmarks.conversation import run_conversation


async def test_the_conversation_runs_and_records_each_step() -> None:
    transcript = await run_conversation()
    steps = [line for line in transcript.splitlines() if line.startswith("### ")]
    assert len(steps) == 5 and steps[-1] == "### member clicks 👎 under answer-2"
    assert '"title": "where ambassadors agreed?"' in transcript  # the follow-up, read with the question before
    assert "Q: where ambassadors agreed? · top 3 · after 3" in transcript  # More: the quotes after the first three
    assert '"content": "Thanks — noted."' in transcript
    assert '"parse": []' in transcript and '"parse": [\n    "everyone"' not in transcript
