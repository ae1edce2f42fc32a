"""The feed benchmark runs end to end at a tiny size."""

from __future__ import annotations

from benchmarks.feeds import run


def test_feed_benchmark_smoke() -> None:
    rows = dict(run(5))
    assert rows["first poll: new / failed"] == "5 / 0"
    assert rows["question about the last item answered"] == "yes"
    assert rows["second poll: requests, all conditional"] == "1, yes"
    assert rows["second poll: article or index file changed"] == "no"
