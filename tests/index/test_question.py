"""Reading a question: kind, search terms, corrections, variants and the period its words name."""

from __future__ import annotations

from datetime import date

import pytest

from newsbot.index.analysis import Analyser
from newsbot.index.errors import QuestionError
from newsbot.index.models import Period, QuestionKind
from newsbot.index.follow_ups import follow_up_question
from newsbot.index.question import SYNONYM_WEIGHT, read_question

AS_OF = date(2025, 11, 20)  # a Thursday
# Document frequencies of a small imaginary index.
DF = {
    "govern": 500, "announc": 40, "cover": 300, "bridg": 10, "extens": 3, "extend": 9, "leader": 5,
    "lead": 50, "ambassador": 4, "afghanistan": 30, "merger": 5, "agre": 7, "agreement": 9, "decid": 5,
    "decis": 3, "zurich": 2, "open": 8, "reopen": 2, "call": 40, "team": 6, "win": 9, "council": 4,
    "crack": 6, "flood": 5, "senat": 30, "sentenc": 3, "herald": 2, "free": 20, "enterpris": 4,
}  # fmt: skip


def read(question: str, as_of: date = AS_OF, **kwargs):
    return read_question(question, Analyser(), lambda term: DF.get(term, 0), as_of=as_of, **kwargs)


@pytest.mark.parametrize(
    ("question", "corrections"),
    [
        ("goverment anounced the brigde", (("goverment", "government"), ("anounced", "announced"), ("brigde", "bridge"))),
        ("ambasadors to Afganistan", (("ambasadors", "ambassadors"), ("afganistan", "afghanistan"))),
        ("when did the wall fall?", ()),  # "fall" is one edit from "call", but typos keep the first letter
        ("who lost the vote?", ()),  # short words sit one edit from too many others
        ("the government announced", ()),  # known words are never corrected
        ("who is leading the crak inquiry?", (("crak", "crack"),)),  # four letters: a left-out letter only
        ("how many homes were in the flod?", (("flod", "flood"),)),  # and "many", a frame word, is left alone
        ("what is the flud level?", ()),  # no left-out letter makes "flud" a word of the index
        # "senatance" (stem "senat") is commoner, but "sentance" misspells "sentence": sentanc/sentenc.
        ("what sentance did he get?", (("sentance", "sentence"),)),
    ],
)
def test_typos_are_corrected_against_the_vocabulary(question: str, corrections: tuple) -> None:
    assert read(question).corrections == corrections


def test_a_word_spelled_right_is_never_shown_corrected_to_a_non_word() -> None:
    df = {"club": 5, "decis": 3, "injuri": 2, "defens": 4, "chief": 3}

    def read_with(question: str):
        return read_question(question, Analyser(), lambda term: df.get(term, 0), as_of=AS_OF)

    decide = read_with("when will the club decide?")
    # "decise" (one edit away, the stem of "decision") is searched all the same, but it is no fix of "decide".
    assert decide.corrections == () and decide.searched_words == ("club", "decide")
    assert "decis" in {t.term for t in decide.terms}
    assert read_with("was anyone injured?").corrections == ()
    assert read_with("where did the defence chief go?").corrections == (("defence", "defense"),)  # its other spelling


@pytest.mark.parametrize(
    ("question", "term", "variant"),
    [
        ("when was the extension agreed?", "extens", "extend"),
        ("when will they extend it?", "extend", "extens"),
        ("who leads the party?", "lead", "leader"),
        ("when was it agreed?", "agre", "agreement"),
        ("what did the council decide?", "decid", "decis"),
        ("is the airport open again?", "open", "reopen"),
    ],
)
def test_derived_variants_the_index_holds_count_at_lower_weight(question: str, term: str, variant: str) -> None:
    terms = {t.term: t for t in read(question).terms}
    assert terms[term].weight == 1.0
    assert terms[variant].stands_for == term and terms[variant].weight < 1.0


def test_words_news_uses_for_the_same_thing_count_at_lower_weight_where_the_index_holds_them() -> None:
    df = {"donovan": 2, "resign": 3, "storm": 4, "die": 2}

    def terms_of(question: str) -> dict:
        found = read_question(question, Analyser(), lambda term: df.get(term, 0), as_of=AS_OF).terms
        return {t.term: t for t in found}

    quit_ = terms_of("when did Donovan quit?")
    assert quit_["resign"].stands_for == "quit" and quit_["resign"].weight == SYNONYM_WEIGHT < 1.0
    killed = terms_of("was anyone killed in the storm?")
    assert killed["die"].stands_for == "kill"
    assert "dead" not in killed  # only what the index holds


def test_a_common_word_is_corrected_only_to_its_other_spelling_or_a_form_of_it() -> None:
    # "trying" is one edit from "tying", "bring" from "BRI": other words, not typos of these.
    df = {"tie": 3, "bri": 4, "back": 2, "ceasefir": 2, "colour": 2}
    found = read_question("who is trying to bring back a truce?", Analyser(), lambda t: df.get(t, 0), as_of=AS_OF)
    assert found.corrections == () and {"tie", "bri"}.isdisjoint(t.term for t in found.terms)
    assert {t.term: t.stands_for for t in found.terms}["ceasefir"] == "truce"
    recoloured = read_question("what color is the flag?", Analyser(), lambda t: df.get(t, 0), as_of=AS_OF)
    assert recoloured.corrections == (("color", "colour"),)


def test_accented_and_plain_spellings_search_the_same_terms() -> None:
    assert read("news from Zürich").terms == read("news from Zurich").terms


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("what happened in June 2025?", date(2025, 6, 1), date(2025, 6, 30)),
        ("what happened in 2024?", date(2024, 1, 1), date(2024, 12, 31)),
        ("what did the council decide since May?", date(2025, 5, 1), None),
        ("anything about Zurich before 2026?", None, date(2025, 12, 31)),
        ("what happened after March 2025?", date(2025, 4, 1), None),
        ("what happened yesterday?", date(2025, 11, 19), date(2025, 11, 19)),
        ("what happened on Tuesday?", date(2025, 11, 18), date(2025, 11, 18)),
        ("which team won this week?", date(2025, 11, 17), date(2025, 11, 20)),
        ("which team won last week?", date(2025, 11, 10), date(2025, 11, 16)),
        ("news from the past few days", date(2025, 11, 13), date(2025, 11, 20)),
        ("what happened last month?", date(2025, 10, 1), date(2025, 10, 31)),
        ("what is planned next week?", date(2025, 11, 24), date(2025, 11, 30)),  # the whole week, not its Monday
        ("what happened in the past month?", date(2025, 10, 20), date(2025, 11, 20)),
        ("what happened in the past year?", date(2024, 11, 19), date(2025, 11, 20)),
        # A day alone before a day of a month starts the range; a year alone after a joining word ends it.
        ("what happened between 3 and 9 November?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened from 3 to 9 November?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened 3-9 November?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened between the 3rd and the 9th of November?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened November 3 to 9?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened from Nov. 3-9?", date(2025, 11, 3), date(2025, 11, 9)),
        ("what happened Nov. 3-9, 2024?", date(2024, 11, 3), date(2024, 11, 9)),  # the year named after the days
        # A month without a year is in the year the rest of the question names.
        ("what did the minister say last year in March?", date(2024, 3, 1), date(2024, 3, 31)),
        ("who won last year's final in May?", date(2024, 5, 1), date(2024, 5, 31)),
        ("news in 2024 since May", date(2024, 5, 1), date(2024, 12, 31)),
        ("what happened in 2024 from March to May?", date(2024, 3, 1), date(2024, 5, 31)),  # joined, no year either
        ("what did they agree in 2010 in May?", date(2010, 5, 1), date(2010, 5, 31)),  # years back, not a few
        # A weekday in a name, or every such day, names no day.
        ("when did Monday Night Football move to ESPN?", None, None),
        ("what film program debuted on Sundays in 1962?", date(1962, 1, 1), date(1962, 12, 31)),
        ("what happened Feb. 20-29, 2024?", date(2024, 2, 20), date(2024, 2, 29)),  # the year before the day
        ("what happened on November 3 and 9 people died?", date(2025, 11, 3), date(2025, 11, 3)),  # no day of a range
        ("what happened between 2020 and 2022?", date(2020, 1, 1), date(2022, 12, 31)),
        ("what happened from 2023 to 2024?", date(2023, 1, 1), date(2024, 12, 31)),
        # A list of years, with or without the last comma; a year after a comma alone is that of what went before.
        ("what happened in 2020, 2021 and 2022?", date(2020, 1, 1), date(2022, 12, 31)),
        ("what happened in 2020, 2021, and 2022?", date(2020, 1, 1), date(2022, 12, 31)),
        ("what happened in May, June, and July?", date(2025, 5, 1), date(2025, 7, 31)),
        ("what happened in May, 2024?", date(2024, 5, 1), date(2024, 5, 31)),
        # Months listed with commas share the year named last, whatever the last one names with it.
        ("what happened in March, April 2024?", date(2024, 3, 1), date(2024, 4, 30)),
        ("what happened in May, June, 2024?", date(2024, 5, 1), date(2024, 6, 30)),
        ("what happened on 3 March, 4 April 2024?", date(2024, 3, 3), date(2024, 4, 4)),
        ("what happened in 2024, in May?", date(2024, 5, 1), date(2024, 5, 31)),  # no list: May of 2024
        ("what happened in may 2025?", date(2025, 5, 1), date(2025, 5, 31)),  # typed in lower case, before a year
        ("what happened on Tuesday last week?", date(2025, 11, 11), date(2025, 11, 11)),  # one day, not the week
        # A question speaking of the future asks of the next month or weekday; any other, of the last (asked
        # Thursday 20 November 2025).
        ("what will happen in September?", date(2026, 9, 1), date(2026, 9, 30)),
        ("who will play on Saturday?", date(2025, 11, 22), date(2025, 11, 22)),
        ("inflation in March?", date(2025, 3, 1), date(2025, 3, 31)),  # no tense: the last March
        ("who plays on Saturday?", date(2025, 11, 15), date(2025, 11, 15)),
        ("who played on Saturday?", date(2025, 11, 15), date(2025, 11, 15)),
        # A year after a range of days names its year, the clause going on or not.
        ("what happened Nov. 3-9, 2024 and after?", date(2024, 11, 3), date(2024, 11, 9)),
        ("what happened November 3 to 9, 2024 in Paris?", date(2024, 11, 3), date(2024, 11, 9)),
        ("what happened November 3 to 9 people said?", date(2025, 11, 3), date(2025, 11, 3)),  # "9 people": no day
        # A number before what it counts is no year.
        ("how many people died in 2019, 2000 of them children?", date(2019, 1, 1), date(2019, 12, 31)),
        ("who marched on May 1 and 2, 2000 workers?", date(2025, 5, 1), date(2025, 5, 2)),
        ("what happened on 29 February?", date(2024, 2, 29), date(2024, 2, 29)),  # the last one, years back
        ("what followed the 2 to 1 vote on 9 November?", date(2025, 11, 9), date(2025, 11, 9)),  # "1 vote" no day
    ],
)
def test_time_words_name_a_period_read_on_the_day_of_asking(question: str, since: date | None, until: date | None) -> None:
    assert read(question).period == (Period(since, until) if since or until else None)


def test_time_words_leave_the_search_and_recency_is_its_own_wish() -> None:
    latest = read("what is the latest on the merger?")
    assert [t.term for t in latest.terms] == ["merger"] and latest.recency and latest.period is None
    period_only = read("what happened in June 2025?")
    assert period_only.terms == () and {"june", "2025"} <= period_only.time_words


def test_take_place_frames_the_question_but_take_over_is_asked_about() -> None:
    assert [t.term for t in read("when did the meeting take place?").terms if t.stands_for == t.term] == ["meet"]
    assert "take" in [t.term for t in read("when does the new chief executive take over?").terms]


def test_a_question_with_did_asks_about_a_deed_done() -> None:
    assert read("which engine maker did Qantas pick?").asks_done and read("why didn't the board agree?").asks_done
    assert not read("who will build the station?").asks_done


def test_a_what_question_about_a_thing_wants_it_named() -> None:
    assert read("what drug did the FDA approve for hemophiliacs?").thing == "drug"
    assert read("what brand name will the medicine be sold under?").thing == "name"
    assert read("what did the council decide?").thing is None  # no thing: "did" follows "what"
    assert read("which team won this week?").thing is None  # asks who (a WHO question)
    assert read("what else did the council decide?").thing is None


def test_a_forecast_wants_the_newest_word_and_keeps_its_words_in_the_search() -> None:
    forecast = read("when is the bridge expected to open?")
    assert forecast.recency and forecast.period is None and "expect" in [t.term for t in forecast.terms]
    assert not read("how much will the bridge cost?").recency  # "will" alone asks about the future, not a forecast


def test_a_period_the_asker_chose_wins_over_the_question_words() -> None:
    chosen = Period(date(2025, 1, 1), date(2025, 1, 31))
    question = read("what happened in June 2025?", period=chosen)
    assert question.period == chosen and question.period_chosen


@pytest.mark.parametrize(
    "question",
    ["what happened since June 2025 until March 2025?", "what happened from June 2025 to March 2025?", "in March 2025 in May 2024"],
)
def test_time_words_that_leave_no_days_name_an_empty_period(question: str) -> None:
    # Not a refusal: "debuted on Sundays in 1962" reads "on Sundays" as a day, and an undated corpus answers all the same.
    period = read(question).period
    assert period.since > period.until
    assert read("what happened between June 2025 and March 2025?").period == Period(date(2025, 3, 1), date(2025, 6, 30))


def test_a_range_of_days_ending_on_29_february_goes_back_a_year_to_the_28th() -> None:
    from newsbot.index.question import earlier_year

    question = read("what happened between 20 and 29 February?", as_of=date(2024, 3, 10))
    assert question.period == Period(date(2024, 2, 20), date(2024, 2, 29)) and question.year_open
    assert earlier_year(question).period == Period(date(2023, 2, 20), date(2023, 2, 28))  # it raised


def test_a_question_of_pages_is_refused() -> None:
    with pytest.raises(QuestionError, match="too long"):
        read("what happened" + " in May" * 2000)


def test_a_question_without_time_words_has_no_period() -> None:
    question = read("who leads the party?")
    assert question.period is None and not question.recency and question.kind is QuestionKind.WHO


def test_names_of_several_words_are_kept_together() -> None:
    assert read("who is the president of the United States?").phrases == (("united states", ("unit", "state")),)


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        # A text naming "Julian Hawthorne, the writer," holds the name without the possessive.
        ("what was Julian Hawthorne's relation to Tesla?", (("julian hawthorne", ("julian", "hawthorn")),)),
        ("what was Warsaw's Old Town listed as?", (("old town", ("old", "town")),)),  # two names, one of two words
        ("what did Pakistan's UN envoy write?", ()),  # two names of one word each
    ],
)
def test_a_possessive_ends_a_name(question: str, phrases: tuple) -> None:
    assert read(question).phrases == phrases


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        ("   ", "the question is empty"),
        ("@everyone @newsbot", "the question is empty"),  # only addressed to people
        ("who?", "no word to search for"),
        ("what was it and where?", "no word to search for"),
        ("🙂🙂🙂", "no word to search for"),
    ],
)
def test_a_question_without_words_to_search_is_refused(question: str, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        read(question)


@pytest.mark.parametrize(
    ("previous", "reply", "expected"),
    [
        ("who mediated?", "and when?", "when mediated?"),
        ("who mediated?", "and when was that?", "when was that mediated?"),
        ("who mediated?", "and Turkey?", "who mediated Turkey?"),
        ("when were ambassadors agreed?", "where?", "where ambassadors agreed?"),
        ("what did China say about CPEC?", "why?", "why China say CPEC?"),
        ("@newsbot who mediated?", "<@123> and when?", "when mediated?"),
        # A reply asking about enough of its own is a new question.
        ("who mediated?", "who is the Pakistani army chief?", "who is the Pakistani army chief?"),
    ],
)
def test_follow_up_question_takes_the_previous_subject(previous: str, reply: str, expected: str) -> None:
    assert follow_up_question(previous, reply, Analyser()) == expected


def test_only_words_of_ordinary_length_and_a_few_per_question_are_corrected() -> None:
    hostile = "x" * 5000 + " goverment"
    assert read(hostile).corrections == (("goverment", "government"),)  # the long word is never tried
    assert read("x" * 25 + " goverment").corrections == (("goverment", "government"),)
    many = " ".join(["qwertyuiopzxcvbnm"] * 9 + ["goverment"])  # nine unknown words use up the tries
    assert read(many).corrections == ()
    assert read(" ".join(["qwertyuiopzxcvbnm"] * 7 + ["goverment"])).corrections == (("goverment", "government"),)


def test_a_misspelt_word_ends_a_name_rather_than_break_it() -> None:
    question = read("who owns the Herald of Free Enterprize ferry")
    assert question.corrections == (("enterprize", "enterprise"),)
    # Not "herald of free enterprize", which no sentence holds: the name's words would all be dropped.
    assert question.phrases == (("herald of free", ("herald", "free")),)


def test_unknown_words_carry_how_common_they_are_in_english() -> None:
    terms = {t.term: t.english for t in read("has anyone verified the sourdough claims?").terms}
    assert terms["anyon"] > 5  # "anyone": an ordinary word the index happens not to use
    assert terms["sourdough"] == 0  # after "the": the thing asked about, weighed in full however common
    assert terms["verifi"] > 0
    # Known words are not looked up: only the words the index lacks need telling apart.
    assert {t.term: t.english for t in read("the government announced").terms} == {"govern": 0.0, "announc": 0.0}


def test_a_word_a_determiner_introduces_counts_as_the_thing_asked_about() -> None:
    # "season" is as common as "start", but "this season" names what is asked about.
    assert {t.term: t.english for t in read("how many goals this season?").terms}["season"] == 0
    assert {t.term: t.english for t in read("when did the season start?").terms}["start"] > 5


def test_a_determiner_introduces_its_noun_not_the_words_describing_it() -> None:
    # "next" in "the next meeting" describes the meeting: a common word, weighed as one.
    english = {t.term: t.english for t in read("when is the next meeting?").terms}
    assert english["next"] > 5 and english["meet"] == 0


def test_a_common_word_is_not_shown_corrected_to_a_word_spelled_alike() -> None:
    # "hours" reads as "hors" under colour/color, but "hors" is no English word: no fix to show.
    found = read_question("how many hours did it take?", Analyser(), lambda t: {"hor": 3}.get(t, 0), as_of=AS_OF)
    assert found.corrections == ()


@pytest.mark.parametrize(
    ("question", "score"),
    [
        ("what was the final score?", True),
        ("whats the score?", True),
        ("what was the half time score?", True),
        ("what was the result of the Rovers game?", True),
        ("what was the result of the referendum?", False),
        ("what were the results of the vote?", False),
    ],
)
def test_a_score_question_is_one_about_a_match(question: str, score: bool) -> None:
    assert (read(question).thing == "score") is score


@pytest.mark.parametrize(
    ("question", "ahead"),
    [("when will the metro line open?", True), ("When would it end?", True), ("when did the line open?", False),
     ("what will happen in September?", False)],  # not a "when" question
)
def test_a_when_question_may_ask_about_what_is_still_to_come(question: str, ahead: bool) -> None:
    assert read(question).asks_ahead is ahead
