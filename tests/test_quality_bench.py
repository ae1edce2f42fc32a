"""The quality benchmark runs in-process, offline, on tiny hand-made sets whose peer hits are known."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks.quality import REPO, gold_sentences, hit_rank, locate_sentences, main

BUNDLED_SET = REPO / "benchmarks" / "questions" / "bundled.jsonl"

ARTICLES = [
    {
        "id": "chess",
        "title": "Chess final in Oslo",
        "published": "2025-06-10",
        "text": (
            "Maria Lopez won the chess tournament in Oslo on Sunday. "
            "The city paid five million euros for the new hall. "
            "Spectators filled the hall for the final game."
        ),
    },
    {
        "id": "bridge",
        "title": "Bridge opens",
        "published": "2025-06-11",
        "text": (
            "The new bridge over the river opened to traffic on Monday. "
            "Engineers spent four years building it. "
            "Local shops expect more customers."
        ),
    },
]


def _question(number: int, question: str, category: str, gold: list[str], published: str | None) -> dict:
    return {
        "id": f"tiny-{number:03d}",
        "question": question,
        "category": category,
        "answerable": bool(gold),
        "gold": gold,
        "published": published,
        "event_date": None,
        "as_of": None,
    }


# rank-bm25 sees lower-case white-space tokens ("tournament?" is not "tournament"):
# 1. "won" and "chess" are only in the answer sentence: hit at 1.
# 2. "bridge" and "to" are only in the answer sentence: hit at 1.
# 3. "spent" is only in "Engineers spent four years ..."; the answer ("five million euros")
#    shares nothing with the question but "the": not hit at 1.
# 4. Nothing is about bitcoin: not answerable, so it counts for no peer.
QUESTIONS = [
    _question(1, "who won the chess tournament?", "who", ["Maria Lopez won"], "2025-06-10"),
    _question(2, "when did the bridge open to traffic?", "when", ["opened to traffic"], "2025-06-11"),
    _question(3, "how much money was spent on the hall?", "how_much", ["five million euros"], "2025-06-10"),
    _question(4, "what is the price of bitcoin?", "off_topic", [], None),
]


def _write_lines(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rates(node: object) -> list[dict]:
    """Return every {"rate", "count", "of"} value anywhere in the JSON."""
    if isinstance(node, dict):
        if set(node) == {"rate", "count", "of"}:
            return [node]
        return [r for value in node.values() for r in _rates(value)]
    if isinstance(node, list):
        return [r for value in node for r in _rates(value)]
    return []


def _check_rates(data: dict) -> None:
    rates = _rates(data)
    assert rates
    for value in rates:
        assert 0 <= value["count"] <= value["of"]
        if value["of"]:
            assert 0.0 <= value["rate"] <= 1.0
            assert value["rate"] == round(value["count"] / value["of"], 4)
        else:
            assert value["rate"] is None


def test_tiny_set_peer_hits_are_known(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = _write_lines(tmp_path / "questions" / "tiny.jsonl", QUESTIONS)
    corpus = tmp_path / "corpus"
    _write_lines(corpus / "articles.jsonl", ARTICLES)
    out = tmp_path / "quality.json"

    status = main(
        ["--sets", "tiny", "--questions", str(questions.parent), "--corpus", f"tiny={corpus}", "--out", str(out)]
    )

    assert status == 0
    printed = capsys.readouterr().out
    assert "### tiny: 4 questions; 2 articles, 6 sentences" in printed
    assert "| **all** | 4 |" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["benchmark"] == "quality" and data["top_k"] == 3
    assert data["systems"][:2] == ["newsbot", "rank-bm25"]
    tiny = data["sets"]["tiny"]
    assert tiny["articles"] == 2 and tiny["sentences"] == 6
    assert [q["id"] for q in tiny["per_question"]] == [q["id"] for q in QUESTIONS]

    peer = tiny["overall"]["rank-bm25"]
    assert peer["answerable"] == 3
    assert peer["hit@1"] == {"rate": 0.6667, "count": 2, "of": 3}
    assert peer["dates_right"]["of"] >= 2 and peer["dates_right"]["count"] == peer["dates_right"]["of"]
    ranks = [q["rank-bm25"]["hit_rank"] for q in tiny["per_question"]]
    assert ranks[:2] == [1, 1] and ranks[2] != 1 and ranks[3] is None
    assert tiny["categories"]["who"]["rank-bm25"]["hit@1"]["count"] == 1
    assert tiny["categories"]["how_much"]["rank-bm25"]["hit@1"]["count"] == 0
    assert all(len(q["rank-bm25"]["top"]) == 3 for q in tiny["per_question"])  # peers never refuse

    for question in tiny["per_question"]:
        mine = question["newsbot"]
        assert set(mine) >= {"quotes", "hit_rank", "tentative", "refused", "confident", "dates_right"}
        assert mine["refused"] == (not mine["quotes"])
        assert mine["error"] is None
        for quote in mine["quotes"]:
            assert quote["source"] in ("articles.jsonl#chess", "articles.jsonl#bridge")
    newsbot = tiny["overall"]["newsbot"]
    assert newsbot["off_topic_refused"]["of"] == 1 and newsbot["near_topic_confident"]["of"] == 0
    _check_rates(data)


def test_bundled_set(tmp_path: Path) -> None:
    if not BUNDLED_SET.is_file():
        pytest.skip("benchmarks/questions/bundled.jsonl is not written yet")
    out = tmp_path / "quality.json"
    assert main(["--sets", "bundled", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    bundled = data["sets"]["bundled"]
    lines = [line for line in BUNDLED_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(bundled["per_question"]) + len(bundled["problems"]) >= len(lines)
    assert set(bundled["overall"]) == set(data["systems"])
    for category, numbers in bundled["categories"].items():
        assert set(numbers) == set(data["systems"]), category
    _check_rates(data)


def test_sentence_spans_survive_white_space_and_invisibles() -> None:
    raw = "Paris  lies on the\nriver Seine.   The Seine is 777\u200b km long.  "
    spans = locate_sentences(raw, ["Paris lies on the river Seine.", "The Seine is 777 km long."])
    assert [raw[a:b] for a, b in spans] == ["Paris  lies on the\nriver Seine.", "The Seine is 777\u200b km long."]
    seine = raw.index("Seine")  # the first "Seine", in the first sentence
    assert gold_sentences(spans, seine, seine + 5) == {0}
    assert gold_sentences(spans, raw.index("long"), raw.index("long") + 4) == {1}
    assert gold_sentences(spans, raw.index("Seine.") + 2, raw.index("The Seine") + 3) == {0, 1}  # straddles
    assert locate_sentences("abc", ["xyz"]) == [None]


def test_gold_substrings_fold_case_and_white_space() -> None:
    assert hit_rank(["Nothing here.", "Maria   LOPEZ won it."], ["maria lopez\nwon"]) == 2
    assert hit_rank(["Nothing here."], ["maria"]) is None


def test_squad_hit_is_the_answer_sentence_not_any_holding_the_answer(tmp_path: Path) -> None:
    context = "The river is long. Paris lies on the river Seine. The Seine is 777 km long."
    first_seine = context.index("Seine")
    squad = {
        "version": "1.1",
        "data": [
            {
                "title": "Seine_river",
                "paragraphs": [
                    {
                        "context": context,
                        "qas": [
                            # The answer string is in the third sentence too, which rank-bm25 ranks first
                            # ("seine", "777", "km"); only the second sentence holds answer_start.
                            {"id": "q1", "question": "is the seine 777 km long",
                             "answers": [{"answer_start": first_seine, "text": "Seine"}]},
                            {"id": "q2", "question": "where does paris lie on the river",
                             "answers": [{"answer_start": first_seine, "text": "Seine"}]},
                        ],
                    },
                    {"context": "Lyon lies on the Rhone. It is a city.", "qas": []},
                ],
            }
        ],
    }  # fmt: skip
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with gzip.open(data_dir / "squad_dev-v1.1.json.gz", "wt", encoding="utf-8") as handle:
        json.dump(squad, handle)
    out = tmp_path / "quality.json"

    assert main(["--sets", "--squad", "--data", str(data_dir), "--out", str(out)]) == 0

    result = json.loads(out.read_text(encoding="utf-8"))["squad"]
    assert result["questions"] == 2 and result["paragraphs"] == 2 and result["sentences"] == 5
    assert result["sentences_not_located"] == 0 and result["questions_without_gold_sentence"] == 0
    assert [q["rank-bm25"]["hit_rank"] for q in result["per_question"]][0] != 1
    assert result["per_question"][1]["rank-bm25"]["hit_rank"] == 1
    assert result["systems"]["rank-bm25"]["hit@1"] == {"rate": 0.5, "count": 1, "of": 2}
    assert list(result["systems"])[0] == "newsbot"
    _check_rates(result)


def test_missing_squad_data_is_skipped_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "quality.json"
    assert main(["--sets", "--squad", "--data", str(tmp_path / "absent"), "--out", str(out)]) == 1  # nothing ran
    assert "skipped squad" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["skipped"]["squad"].endswith("not found")
