"""Questions as people type them: typos, accents, derived words, time words, and honest refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsbot.index import Engine, QuestionError, load
from tests.conftest import REPO, engine_over, write_jsonl

MERGER = [
    {"id": "m1", "title": "Carrow and Hillside agree to merge", "published": "2025-03-03",
     "text": "Carrow Foods and Hillside Dairies agreed on Monday to merge, creating the largest food producer. "
             "The combined company will be based in Ballymore."},
    {"id": "m2", "title": "Regulator opens merger inquiry", "published": "2025-05-14",
     "text": "The Competition Authority opened an in-depth investigation into the planned merger of Carrow Foods "
             "and Hillside Dairies on Wednesday. It said the deal could raise prices for milk."},
    {"id": "m3", "title": "Merger approved", "published": "2025-09-23",
     "text": "The Competition Authority approved the merger of Carrow Foods and Hillside Dairies on Tuesday. "
             "The companies must sell three cheese brands to win approval."},
    {"id": "z1", "title": "Zürich insurer names new chief", "published": "2025-07-15",
     "text": "Limmat Versicherung named José Álvarez as its chief executive on Tuesday. "
             "Álvarez will take over from Andreas Müller on 1 January. "
             "Construction of the new Zürich headquarters will start in September."},
]  # fmt: skip
BRIDGE = """Harbour Bridge contract signed
Date: 9 July 2025

Westhaven city council awarded the contract to build the Harbour Bridge to Dunmore Construction on Tuesday.

The project will cost €1.2 billion, making it the most expensive in the city's history.

Is the bridge worth it? Many residents asked that question at the meeting.
"""
UNDATED = """Library reopens

The central library reopened to the public on Saturday after a two-year renovation that cost €14 million.
"""


@pytest.fixture
def news(tmp_path: Path) -> Engine:
    """Return an engine over a few dated stories, a plain-text one with a date line, and an undated one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", MERGER)
    (corpus / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (corpus / "library.txt").write_text(UNDATED, encoding="utf-8")
    return load(corpus, tmp_path / "index")


def test_a_date_line_under_the_title_dates_the_article_and_is_never_quoted(news: Engine) -> None:
    bridge = next(s for s in news.sources() if s.source == "bridge.txt")
    assert bridge.published == date(2025, 7, 9)
    answer = news.answer("Date 9 July 2025 Harbour Bridge contract")
    assert all("Date:" not in q.text for q in answer.quotes)


def test_undated_articles_are_counted(news: Engine) -> None:
    assert news.stats().undated == 1
    assert news.last_report is not None and news.last_report.undated == ("library.txt",)


def test_a_few_undated_articles_among_many_are_listed(tmp_path: Path) -> None:
    # Few undated records are read one by one (many are parsed in one go, as in the fixture above).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", [
        {"id": f"d{n}", "title": f"Story {n}", "published": f"2025-03-{n + 1:02d}", "text": f"Story number {n} happened."}
        for n in range(20)
    ])  # fmt: skip
    (corpus / "library.txt").write_text(UNDATED, encoding="utf-8")
    engine = load(corpus, tmp_path / "index")
    assert engine.last_report is not None and engine.last_report.undated == ("library.txt",)
    assert engine.stats().undated == 1


def test_answer_sentence_need_not_repeat_the_subject(news: Engine) -> None:
    answer = news.answer("how much will the Harbour Bridge cost?")
    assert answer.quotes[0].text.startswith("The project will cost €1.2 billion")
    assert not answer.tentative


def test_a_sentence_that_is_itself_a_question_is_never_quoted(news: Engine) -> None:
    answer = news.answer("is the bridge worth it?")
    assert all(not q.text.endswith("?") for q in answer.quotes)


@pytest.mark.parametrize("question", ["who is Jose Alvarez?", "who is José Álvarez?", "who is JOSE ALVAREZ?"])
def test_accents_are_folded_both_ways(news: Engine, question: str) -> None:
    assert "named José Álvarez as its chief executive" in news.answer(question).quotes[0].text


def test_typos_are_corrected_against_the_index_and_shown(news: Engine) -> None:
    answer = news.answer("who did Limmat name as cheif exectuive?")
    assert "named José Álvarez" in answer.quotes[0].text
    assert answer.searched_for == ("limmat", "name", "chief", "executive")


def test_a_word_the_index_knows_is_never_corrected(news: Engine) -> None:
    assert news.answer("who named the chief executive?").searched_for == ()


def test_questions_about_words_the_corpus_never_uses_get_no_answer(news: Engine) -> None:
    answer = news.answer("what is the price of bitcoin?")
    assert answer.no_answer and not answer.tentative


def test_near_topic_question_is_not_answered_confidently(news: Engine) -> None:
    answer = news.answer("who owns Hillside Dairies?")
    assert answer.no_answer or answer.tentative


def test_the_latest_is_the_newest_up_to_the_day_of_asking(news: Engine) -> None:
    assert "opened an in-depth investigation" in news.answer("what is the latest on the merger?", as_of=date(2025, 6, 1)).quotes[0].text
    assert "approved the merger" in news.answer("what is the latest on the merger?", as_of=date(2025, 12, 1)).quotes[0].text


def test_a_forecast_is_answered_by_its_newest_revision(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "b1", "title": "Bridge contract signed", "published": "2025-07-09",
         "text": "The council signed the contract for the bridge. The bridge is due to open in the spring of 2028."},
        {"id": "b2", "title": "Bridge delayed", "published": "2025-11-04",
         "text": "Work on the bridge has stopped. The bridge opening is now expected to slip to early 2029."},
        {"id": "b3", "title": "Bridge opens", "published": "2029-02-01",
         "text": "The bridge is expected to open to traffic on Monday."},
    ])  # fmt: skip
    answer = engine.answer("when is the bridge expected to open?", as_of=date(2025, 12, 1))
    assert "early 2029" in answer.quotes[0].text  # not the older "spring of 2028", nor what was not yet written


def test_the_latest_puts_a_newer_aside_after_the_news_it_asks_for(tmp_path: Path) -> None:
    answer = engine_over(tmp_path, [
        {"id": "q1", "title": "Quakes shake New Zealand", "published": "2025-03-03",
         "text": "Earthquakes and aftershocks are still shaking northern New Zealand after a strong tremor."},
        {"id": "q2", "title": "Quakes in Japan", "published": "2025-03-02",
         "text": "Earthquakes damaged houses in northern Japan on Sunday."},
        {"id": "b1", "title": "Bank strike", "published": "2025-03-05",
         "text": "The banks affected by the strike are the Bank of New Zealand and Westpac."},
        *({"id": f"f{i}", "title": f"Markets {i}", "published": "2025-03-04", "text": "Shares rose in quiet trading."}
          for i in range(3)),
    ]).answer("what's the latest on the New Zealand earthquakes?", as_of=date(2025, 3, 6))  # fmt: skip
    # The bank story is newer and names New Zealand, but says nothing of earthquakes.
    assert answer.quotes[0].text.startswith("Earthquakes and aftershocks")


def test_the_latest_leads_with_the_newest_dated_event_of_the_newest_article(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "s1", "title": "Writers strike", "published": "1987-03-02",
         "text": "The writers guild went on strike against the networks this morning."},
        {"id": "s2", "title": "Writers strike talks", "published": "1987-03-03",
         "text": "The writers guild strike involves about 500 writers in four cities. "
                 "The writers guild strike began in early March after the contract expired. "
                 "The writers guild said it agreed to meet the networks about the strike on Thursday."},
        {"id": "x1", "title": "Metro extension", "published": "1987-03-01",
         "text": "The metro extension will cost 960 million dollars."},
        {"id": "x2", "title": "Metro digging", "published": "1987-03-04",
         "text": "A machine began digging the metro extension on Monday."},
    ])  # fmt: skip
    latest = engine.answer("latest on the writers guild strike", as_of=date(1987, 3, 7))
    # Thursday (5 March) is newer than "early March"; the undated line is background.
    assert "agreed to meet" in latest.quotes[0].text
    cost = engine.answer("how much does the metro extension cost now?", as_of=date(1987, 3, 7))
    assert "960 million" in cost.quotes[0].text  # the newest price, not the newest line naming the extension


def test_a_month_named_in_the_question_bounds_the_answer(news: Engine) -> None:
    answer = news.answer("what did the Competition Authority do in May 2025?", as_of=date(2025, 12, 1))
    assert answer.period is not None and (answer.period.since, answer.period.until) == (date(2025, 5, 1), date(2025, 5, 31))
    assert "opened an in-depth investigation" in answer.quotes[0].text
    assert all("approved" not in q.text for q in answer.quotes)


def test_a_month_without_a_year_is_the_latest_such_month_with_an_answer(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wire.jsonl", [
        {"id": "s1", "title": "Talks planned", "published": "2025-05-21",
         "text": "In December, Pakistani aircraft struck targets in the eastern Paktika province. The two sides will meet in June."},
        {"id": "l1", "title": "Library opens", "published": "2025-12-20",
         "text": "The city council opened the new central library on Friday."},
    ])  # fmt: skip
    news = load(corpus, tmp_path / "index")
    # Asked in January 2026, "in December" first reads as December 2025, which holds no strike: December 2024 does.
    answer = news.answer("where did Pakistani aircraft strike in December?", as_of=date(2026, 1, 5))
    assert answer.period is not None and (answer.period.since, answer.period.until) == (date(2024, 12, 1), date(2024, 12, 31))
    assert "Paktika" in answer.quotes[0].text and not answer.tentative
    assert answer.quotes[0].event_date is not None and answer.quotes[0].event_date.iso() == "2024-12"
    # The latest December answers when it can: the library opened in December 2025.
    assert news.answer("what did the council open in December?", as_of=date(2026, 1, 5)).period.since == date(2025, 12, 1)
    # A year said is kept as said; and when no year answers, the refusal names the period as first read.
    said = news.answer("where did Pakistani aircraft strike in December 2025?", as_of=date(2026, 1, 5))
    assert said.no_answer and said.period is not None and said.period.since == date(2025, 12, 1)
    april = news.answer("where did Pakistani aircraft strike in April?", as_of=date(2026, 1, 5))
    assert april.no_answer and april.period is not None and april.period.since == date(2025, 4, 1)


def test_a_year_earlier_keeps_whole_months_whole_and_leap_days_leap() -> None:
    from newsbot.index.analysis import Analyser
    from newsbot.index.question import earlier_year, read_question

    def back(question: str, as_of: date) -> tuple[date | None, date | None]:
        read = read_question(question, Analyser(), lambda term: 1, as_of=as_of)
        assert read.year_open and read.period is not None
        period = earlier_year(read).period
        assert period is not None
        return period.since, period.until

    assert back("what happened in February?", date(2025, 3, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert back("what happened in February?", date(2024, 3, 10)) == (date(2023, 2, 1), date(2023, 2, 28))
    assert back("what happened on February 29?", date(2024, 3, 10)) == (date(2020, 2, 29), date(2020, 2, 29))
    assert back("what happened on February 28?", date(2025, 3, 10)) == (date(2024, 2, 28), date(2024, 2, 28))


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("what happened between December 3 and December 9?", date(2025, 12, 3), date(2025, 12, 9)),
        ("what did the authority do from May 2025 to July 2025?", date(2025, 5, 1), date(2025, 7, 31)),
        ("what happened after March and before May?", date(2026, 4, 1), date(2026, 4, 30)),  # two bounds, not a range
        ("what happened in June 2025?", date(2025, 6, 1), date(2025, 6, 30)),
        ("what happened in May and June?", date(2026, 5, 1), date(2026, 6, 30)),  # a month alone after "and"
        ("what changed from March to May 2025?", date(2025, 3, 1), date(2025, 5, 31)),
        ("what happened between September and November?", date(2026, 9, 1), date(2026, 11, 30)),
        ("what changed from March 2025 to May?", date(2025, 3, 1), date(2025, 5, 31)),
        ("what happened from November 2025 to February?", date(2025, 11, 1), date(2026, 2, 28)),
    ],
)
def test_two_dates_joined_by_and_or_to_are_one_range(question: str, since: date, until: date) -> None:
    from newsbot.index.analysis import Analyser
    from newsbot.index.question import read_question

    read = read_question(question, Analyser(), lambda term: 1, as_of=date(2026, 11, 30))
    assert read.period is not None and (read.period.since, read.period.until) == (since, until)


@pytest.mark.parametrize(
    ("question", "as_of", "since", "until"),
    [
        ("what happened in May and June?", date(2026, 5, 15), date(2025, 5, 1), date(2025, 6, 30)),  # June 2026 is to come
        ("what happened between November and February?", date(2026, 3, 10), date(2025, 11, 1), date(2026, 2, 28)),
        ("what happened in May, June and July?", date(2026, 6, 10), date(2025, 5, 1), date(2025, 7, 31)),  # a list moves as one
        ("what happened in May, June and July?", date(2026, 8, 10), date(2026, 5, 1), date(2026, 7, 31)),
        ("what happened from 29 February 2024 to May?", date(2026, 3, 10), date(2024, 2, 29), date(2024, 5, 31)),
        ("what happened from March 2025 through May?", date(2026, 9, 10), date(2025, 3, 1), date(2025, 5, 31)),
        ("what happened before May or June?", date(2026, 9, 10), None, date(2026, 6, 30)),  # an open start stays open
        ("what did the letter to May say in 2019?", date(2026, 9, 10), date(2019, 1, 1), date(2019, 12, 31)),
    ],
)
def test_two_months_with_no_year_are_the_latest_pair(question: str, as_of: date, since: date | None, until: date) -> None:
    from newsbot.index.analysis import Analyser
    from newsbot.index.question import read_question

    read = read_question(question, Analyser(), lambda term: 1, as_of=as_of)
    assert read.period is not None and (read.period.since, read.period.until) == (since, until)


@pytest.mark.parametrize("question", ["what did Johnson and May agree?", "what did Trump say to May?", "who spoke to June about the budget?"])
def test_a_month_alone_is_no_time_unless_it_follows_one(question: str) -> None:
    from newsbot.index.analysis import Analyser
    from newsbot.index.question import read_question

    assert read_question(question, Analyser(), lambda term: 1, as_of=date(2026, 9, 10)).period is None


def test_a_period_alone_brings_the_news_of_that_period(news: Engine) -> None:
    answer = news.answer("what happened in September 2025?", as_of=date(2025, 12, 1))
    assert answer.quotes and answer.quotes[0].article.published == date(2025, 9, 23)


def test_since_and_until_keep_articles_published_in_the_range_and_leave_out_undated_ones(news: Engine) -> None:
    answer = news.answer("what did the Competition Authority do?", since=date(2025, 9, 1), until=date(2025, 9, 30))
    assert {q.article.published for q in answer.quotes} == {date(2025, 9, 23)}
    assert answer.undated_left_out == 1
    assert all(q.article.source != "library.txt" for q in news.answer("how much did the renovation cost?", since=date(2025, 1, 1)).quotes)
    assert news.answer("how much did the renovation cost?").quotes[0].article.source == "library.txt"
    with pytest.raises(QuestionError):
        news.answer("merger", since=date(2025, 9, 1), until=date(2025, 1, 1))


def test_a_question_without_time_words_is_unaffected_by_the_day_of_asking(news: Engine) -> None:
    first = news.answer("who will take over from Andreas Müller?", as_of=date(2025, 8, 1))
    later = news.answer("who will take over from Andreas Müller?", as_of=date(2030, 1, 1))
    assert first == later and first.period is None


def test_future_tense_resolves_forward(news: Engine) -> None:
    answer = news.answer("when will construction of the headquarters start?")
    assert answer.quotes[0].event_date is not None and answer.quotes[0].event_date.iso() == "2025-09"


def test_a_mention_is_not_a_word_of_the_question(news: Engine) -> None:
    assert news.answer("@everyone who did Limmat name as chief executive?").quotes


def test_a_period_question_over_undated_articles_does_not_fail(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plain.txt").write_text("Super Bowl 50\n\nThe game was played in 2016 in Santa Clara.\n", encoding="utf-8")
    engine = load(corpus, tmp_path / "index")
    answer = engine.answer("what happened in 2016?")
    assert answer.quotes and "played in 2016" in answer.quotes[0].text


def test_an_archive_reads_time_words_against_its_newest_day_not_one_dated_ahead(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "a", "title": "Council votes for a school", "published": "2025-06-10",
         "text": "The council voted on Tuesday to build a new school in Kilbarry."},
        {"id": "b", "title": "Harbour reopens", "published": "2099-01-01",  # a mistyped year
         "text": "The harbour reopened after repairs."},
    ])  # fmt: skip
    answer = engine.answer("what did the council vote for this week?", as_of=date(2026, 11, 30))
    assert answer.period is not None and answer.period.since == date(2025, 6, 9)  # the archive's week, not today's
    assert "new school" in answer.quotes[0].text


def test_a_question_about_what_is_to_come_finds_the_article_saying_so(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "s", "title": "Gulf leaders to meet in Doha for climate summit", "published": "2025-07-15",
         "text": "Qatar confirmed on Tuesday that it will host a regional climate summit. "
                 "The summit is in September, the foreign ministry said in a statement."},
    ])  # fmt: skip
    answer = engine.answer("what will happen in September?", as_of=date(2025, 7, 20))
    assert answer.period is not None and answer.period.since == date(2025, 9, 1)
    assert answer.quotes[0].text.startswith("The summit is in September") and str(answer.quotes[0].event_date) == "2025-09"


CITY = [
    {"id": "s1", "title": "Storm Edda floods riverside homes", "published": "2025-12-08",
     "text": "Storm Edda brought the worst flooding in thirty years to Westhaven on Sunday. "
             "About 850 homes along the River Maren were evacuated. "
             "One man, aged 71, died after his car was swept off a road near Ferrybank. "
             "The council opened three rest centres for families."},
    {"id": "c1", "title": "Council signs river crossing contract", "published": "2025-07-09",
     "text": "Westhaven council signed the contract for the new river crossing on Tuesday. "
             "The project will cost €1.2 billion. "
             "Work on the crossing starts in the spring."},
    {"id": "p1", "title": "Milk prices rise", "published": "2025-06-02",
     "text": "Milk prices rose by 4% in May, the statistics office said."},
    {"id": "p2", "title": "Fares go up", "published": "2025-06-03",
     "text": "Bus fares and ticket prices will rise in August."},
    {"id": "d1", "title": "Health minister Donovan steps down", "published": "2025-06-14",
     "text": "Health Minister Claire Donovan handed in her resignation on Friday. "
             "The prime minister thanked her for her work."},
]  # fmt: skip


def test_a_question_in_other_words_than_the_article_is_answered(tmp_path: Path) -> None:
    city = engine_over(tmp_path, CITY)
    assert city.answer("was anyone killed in the storm?").quotes[0].text.startswith("One man, aged 71, died")
    quit_ = city.answer("when did Donovan quit?")
    assert quit_.quotes[0].text.startswith("Health Minister Claire Donovan handed in her resignation")
    assert quit_.quotes[0].event_date is not None and str(quit_.quotes[0].event_date) == "2025-06-13"


def test_a_sentence_going_on_from_the_subject_answers_in_other_words(tmp_path: Path) -> None:
    # "The project will cost" holds only "cost" (for "price"); it goes on about the crossing named before it.
    answer = engine_over(tmp_path, CITY).answer("what's the price tag on the new river crossing?")
    assert answer.quotes[0].text == "The project will cost €1.2 billion."


FOOTBALL = [
    {"id": "f1", "title": "Rovers held at Kilbarry", "published": "2026-03-01",
     "text": "Kilbarry Athletic and Westhaven Rovers drew 0-0 at Kilbarry Road on Saturday. "
             "Kilbarry goalkeeper Tomás Ruiz made eight saves."},
    {"id": "f2", "title": "Corrigan double lifts Rovers", "published": "2026-02-22",
     "text": "Westhaven Rovers beat Portmore City 2-1 at Harlow Park on Saturday. "
             "Niall Corrigan scored both goals for Rovers, the second a header in the 84th minute."},
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "score"),
    [
        ("what was the final score between Kilbarry and Rovers?", "drew 0-0"),
        ("what was the score when Rovers played Portmore City?", "beat Portmore City 2-1"),
        ("what's the result of the Rovers game against Portmore?", "beat Portmore City 2-1"),
    ],
)
def test_what_was_the_score_wants_the_score_not_who_scored(tmp_path: Path, question: str, score: str) -> None:
    assert score in engine_over(tmp_path, FOOTBALL).answer(question).quotes[0].text


def test_a_word_only_the_headline_holds_does_not_make_a_question_off_topic(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "h1", "title": "Harbour Bridge deadline pushed back again", "published": "2026-03-02",
         "text": "The council now expects the crossing to open in the autumn of 2029. "
                 "Engineers said the new date depended on the repairs to the cracked pier."},
        {"id": "e1", "title": "Labour wins Westhaven by-election", "published": "2026-02-10",
         "text": "The party took 12,400 votes, ahead of the Civic Union on 9,800. Turnout was 41 percent."},
    ])  # fmt: skip
    assert engine.answer("when will the Harbour Bridge open?").quotes[0].text.startswith("The council now expects")
    assert "12,400 votes" in engine.answer("how many votes did Labour get?").quotes[0].text
    assert engine.answer("what is the price of bitcoin?").no_answer  # a headline's words, not any word


def test_a_common_word_describing_the_thing_asked_about_does_not_make_the_question_off_topic(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "t1", "title": "Ministers meet in Beijing", "published": "2025-05-21",
         "text": "The officials decided to hold the 6th trilateral meeting of foreign ministers in Kabul at a date "
                 "to be agreed. China will host a summit on trade in the autumn."},
    ])  # fmt: skip
    answer = engine.answer("when is the next trilateral meeting?")
    assert answer.quotes and "6th trilateral meeting" in answer.quotes[0].text


def test_at_an_equal_score_the_body_sentence_comes_before_the_highlight(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "limmat.txt").write_bytes((REPO / "benchmarks/questions/stories/world/limmat_news.txt").read_bytes())
    first = load(corpus, tmp_path / "index").answer("who is Jose Alvarez?").quotes[0]
    assert first.text.startswith("Limmat Versicherung, Switzerland’s fourth-largest insurer, named José Álvarez")


def test_a_sentence_saying_it_in_other_words_after_the_subject_is_still_an_answer(tmp_path: Path) -> None:
    # "She resigned" holds only a variant of "quit" and points back: it stands as an answer, dated.
    engine = engine_over(tmp_path, [
        {"id": "c1", "title": "Council shake-up", "published": "2025-03-05",
         "text": "Health minister Claire Donovan faced months of criticism over hospital waiting lists. "
                 "She resigned on Tuesday after a council vote. The council will choose a successor in April."},
        {"id": "p1", "title": "Port news", "published": "2025-03-01",
         "text": "The port handled more cargo this year. Dockers said the new cranes were faster."},
    ])  # fmt: skip
    answer = engine.answer("when did health minister Claire Donovan quit?", as_of=date(2025, 3, 10))
    assert answer.quotes[0].text == "She resigned on Tuesday after a council vote."
    assert str(answer.quotes[0].event_date) == "2025-03-04"


def test_when_will_is_not_answered_confidently_by_a_date_already_past(tmp_path: Path) -> None:
    engine = engine_over(tmp_path, [
        {"id": "m1", "title": "Green light for Line 4 metro extension", "published": "2025-04-16",
         "text": "The regional transport authority on Tuesday approved the extension of Metro Line 4 to the airport. "
                 "The first trains are scheduled to run in December 2029."},
    ])  # fmt: skip
    answer = engine.answer("when will the metro line open?", as_of=date(2025, 5, 1))
    assert answer.tentative  # the approval's Tuesday is no opening date
    assert engine.answer("when was the metro line extension approved?", as_of=date(2025, 5, 1)).quotes[0].text.startswith(
        "The regional transport authority on Tuesday approved"
    )
