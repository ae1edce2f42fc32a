"""What a sentence holds that a question asks for (the kind-fit grades)."""

from __future__ import annotations

import pytest

from newsbot.index.weights import KIND_CONFIDENT
from newsbot.index.evidence import AGENT_FIT, OTHER_EVENT_DATE_FIT, REPORT_DATE_FIT, SCORE, UNNAMED_THING_FIT, VAGUE_COUNT_FIT, kind_fit
from newsbot.index.models import QuestionKind

Q = {"who", "replaced", "claire", "donovan", "as", "health", "minister"}


@pytest.mark.parametrize(
    ("kind", "sentence", "dated", "fit"),
    [
        (QuestionKind.WHO, "Prime Minister Daniel Reyes appointed Farah Haddad as health minister.", False, 1.0),
        (QuestionKind.WHO, "Health Minister Claire Donovan handed in her resignation.", False, 0.0),
        (QuestionKind.WHO, "The plant was bought by a cooperative of local dairy farmers.", False, 0.7),
        # One name, said to be a company of a country: "the Danish group Nordmark" is as named as a full name.
        (QuestionKind.WHO, "The brands were sold to the Danish group Nordmark.", False, 1.0),
        (QuestionKind.WHO, "The brands were sold to Nordmark.", False, 0.8),
        # Accented names are whole names, not a stray "Sorelle".
        (QuestionKind.WHO, "The station will be built by the French firm Sorelle Génie Civil.", False, 1.0),
        # Two capitalised words opening a sentence are a name.
        (QuestionKind.WHO, "Maynard Glitman, who heads the American team, spoke.", False, 1.0),
        (QuestionKind.WHO, "Officials said the team would meet.", False, 0.0),
        (QuestionKind.HOW_MUCH, "The project will cost €1.2 billion.", False, 1.0),
        (QuestionKind.HOW_MUCH, "It has 21,000 employees.", False, 0.5),
        (QuestionKind.HOW_MANY, "About 850 homes were evacuated.", False, 0.9),  # a number; Q names no homes
        (QuestionKind.HOW_MANY, "The homes were evacuated.", False, 0.0),
        (QuestionKind.WHEN, "The school opened.", True, 1.0),
        (QuestionKind.WHEN, "Ambassadors will be sent as soon as possible.", False, 0.6),
        (QuestionKind.WHERE, "The crack was found in a pier near Ferrybank.", False, 1.0),
        (QuestionKind.WHERE, "Afghan forces attacked military posts along their shared border.", False, 0.6),
        (QuestionKind.WHY, "The roles were cut because it wants to spend more on AI.", False, 1.0),
        (QuestionKind.WHY, "Veltrix will cut 800 roles.", False, 0.0),
        (QuestionKind.OTHER, "Anything at all.", False, 1.0),
    ],
)
def test_kind_fit(kind: QuestionKind, sentence: str, dated: bool, fit: float) -> None:
    assert kind_fit(kind, sentence, dated, Q) == fit


def test_who_bought_is_answered_by_whom_it_was_sold_to_and_who_sold_is_not() -> None:
    sentence = "The plant was sold in December to a cooperative of local dairy farmers."
    bought, sold = frozenset({"buy", "plant"}), frozenset({"sell", "plant"})
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "bought", "the", "plant"}, asked=bought) == AGENT_FIT
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "sold", "the", "plant"}, asked=sold) == 0.0
    assert kind_fit(QuestionKind.WHO, "The plant was sold for 12 million.", False, {"who"}, asked=bought) == 0.0


def test_a_described_name_answers_who_only_when_it_is_not_the_one_asked_about() -> None:
    sentence = "The brands were bought by the Danish group Nordmark."
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "bought", "the", "brands"}) == 1.0
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "did", "nordmark", "buy"}) < 1.0


@pytest.mark.parametrize(
    ("kind", "sentence", "enough"),
    [
        (QuestionKind.WHEN, "Ambassadors will be sent as soon as possible.", True),
        (QuestionKind.WHERE, "Afghan forces attacked military posts along their shared border.", True),
        (QuestionKind.WHO, "The plant was bought by a cooperative of local dairy farmers.", True),
        (QuestionKind.WHO, "The deal was praised by Haddad.", True),
        (QuestionKind.HOW_MUCH, "It has 21,000 employees.", False),
        (QuestionKind.WHERE, "The deal pleased Ferrybank.", False),
    ],
)
def test_partial_evidence_is_enough_for_a_confident_quote_only_where_it_names_the_thing(
    kind: QuestionKind, sentence: str, enough: bool
) -> None:
    # A vague time, a spot or a doer answers "when", "where", "who"; a bare count is no price, a name no place.
    assert (kind_fit(kind, sentence, False, Q) >= KIND_CONFIDENT) is enough


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("Kilbarry goalkeeper Tomás Ruiz made eight saves.", 1.0),  # a role before the name
        ("Tomás Ruiz, the goalkeeper, made eight saves.", 1.0),  # an apposition after it
        ("The club named Tomás Ruiz on Friday.", 0.0),  # "named" is no role, "Friday" no name
        ("Tomás Ruiz made eight saves.", 0.0),  # the name and nothing about who he is
    ],
)
def test_who_is_a_name_is_answered_by_what_they_are(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "is", "tomas", "ruiz"}) == fit


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("The party voted against the deal, saying it would hurt rice growers.", 1.0),
        ("Donovan handed in her resignation on Friday after a report found she had failed to declare links.", 0.7),
        ("Haddad was appointed health minister a week after Donovan's resignation.", 0.0),  # when, not why
        ("It was the first time Donovan had resigned since 2023.", 0.0),  # "since" and a year: a time
        ("After a long career, Donovan resigned.", 0.0),  # "after" before the event named: no reason given
        # A need not yet met explains what was not done ("why didn't the DOT ban smoking?").
        ("The DOT said more study was needed of the health effects.", 0.7),
        ("The party said it needs more time.", 0.7),
        ("The party needed 12 seats.", 0.0),
        # What someone stood against is their reason ("why did the board reject the merger?").
        ("The board objected to a requirement that Baker sell its pump business.", 1.0),
        ("Hughes balked at the terms of the consent decree.", 1.0),
        ("Shareholders were unhappy with the price Baker offered.", 1.0),
        ("The museum lent 40 objects to the exhibition in Paris.", 0.0),  # "objects" the noun: no stance
        ("Nobody objected to the merger at the meeting.", 0.0),  # denied: no reason
        ("The company said it had no objections to the merger.", 0.0),
        ("The minister dismissed concerns over safety.", 0.0),  # someone else's concern
    ],
)
def test_why_weighs_how_surely_a_sentence_gives_a_reason(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.WHY, sentence, False, {"why", "did", "donovan", "resign", "party", "vote"}) == fit


def test_how_much_a_thing_costs_wants_money_not_a_measure() -> None:
    cost = {"how", "much", "does", "the", "extension", "cost"}
    assert kind_fit(QuestionKind.HOW_MUCH, "A 90-metre machine began digging the extension.", False, cost) == 0.5
    assert kind_fit(QuestionKind.HOW_MUCH, "The cost of the extension has risen to €960 million.", False, cost) == 1.0
    rain = {"how", "much", "rain", "fell"}  # no price asked: a measure is the answer
    assert kind_fit(QuestionKind.HOW_MUCH, "About 120 millimetres fell, or 40 tonnes a metre.", False, rain) == 1.0


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("The dam stands 32 kilometres above Whakatane on the Rangitaiki river.", 1.0),
        ("The ship is lodged on rocks opposite Hope Creek.", 1.0),
        ("The dam was inspected on Monday.", 0.0),  # a day is no place
        ("The dam was inspected in May.", 0.0),
        # A compass word between, a place noun with "of", "among": a named place all the same.
        ("The offensive began among the peaks of the border area of northeast Iraq.", 1.0),
        ("The dam was built in northern Thailand.", 1.0),
        ("The group will be based in the home town of Ballymore.", 1.0),
        ("The dam was built in northern parts.", 0.0),
    ],
)
def test_where_takes_places_after_more_prepositions_but_not_days(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.WHERE, sentence, False, {"where", "is", "the", "dam"}) == fit


def test_how_many_prefers_a_number_before_what_the_question_counts() -> None:
    asked = {"how", "many", "taliban", "fighters", "has", "pakistan", "killed"}
    assert kind_fit(QuestionKind.HOW_MANY, "The military has killed 481 Taliban operatives.", False, asked) == 1.0
    assert kind_fit(QuestionKind.HOW_MANY, "Fighting between the two neighbours broke out.", False, asked) == 0.9
    assert kind_fit(QuestionKind.HOW_MANY, "Fighting broke out.", False, asked) == 0.0


def test_a_number_word_in_a_name_counts_nothing() -> None:
    asked = {"how", "many", "countries", "does", "the", "belt", "and", "road", "cover"}
    # "One Belt One Road" is a name: no count of the belt or the road.
    assert kind_fit(QuestionKind.HOW_MANY, "The Belt and Road, or One Belt One Road, is China's project.", False, asked) == 0.0
    assert kind_fit(QuestionKind.HOW_MANY, "It covers projects in over 150 countries.", False, asked) == 1.0
    # A number opening the sentence is still a count.
    assert kind_fit(QuestionKind.HOW_MANY, "Three countries joined the Belt and Road.", False, asked) == 1.0


def test_when_a_date_of_another_event_counted_from_the_asked_one_is_no_date_of_it() -> None:
    asked = {"when", "did", "the", "health", "minister", "resign"}
    other = "Reyes on Thursday appointed Haddad as health minister, a week after Donovan's resignation."
    assert kind_fit(QuestionKind.WHEN, other, True, asked) == OTHER_EVENT_DATE_FIT
    assert kind_fit(QuestionKind.WHEN, "Health Minister Donovan handed in her resignation on Friday.", True, asked) == 1.0
    # The asked event before "a week after" is the one dated.
    assert kind_fit(QuestionKind.WHEN, "Donovan resigned on Friday, a week after the report.", True, asked) == 1.0


def test_when_a_date_only_of_the_saying_is_no_date_of_the_event() -> None:
    asked = {"when", "was", "the", "crack", "discovered"}
    report = "Solberg will lead the investigation into the crack, the city council said on Monday."
    assert kind_fit(QuestionKind.WHEN, report, True, asked) == REPORT_DATE_FIT
    assert kind_fit(QuestionKind.WHEN, "The crack was spotted on Monday, the department said.", True, asked) == 1.0
    # Asked about the saying itself, its date is the answer.
    assert kind_fit(QuestionKind.WHEN, report, True, {"when", "did", "the", "council", "say", "so"}) == 1.0


def test_how_many_a_share_of_the_counted_thing_is_no_count() -> None:
    asked = {"how", "many", "jets", "did", "the", "navy", "ground"}
    assert kind_fit(QuestionKind.HOW_MANY, "The Navy grounded half of its jets.", False, asked) == VAGUE_COUNT_FIT
    assert kind_fit(QuestionKind.HOW_MANY, "The Navy grounded 186 jets.", False, asked) == 1.0


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("The FDA said the drug, tranemaxic acid, would lessen the need for transfusions.", 1.0),  # apposition
        ("It will be sold under the trade name Cyklokapron.", 1.0),
        ("Regulators cleared a drug called tranemaxic acid.", 1.0),
        ("The FDA said it approved a drug that reduces bleeding in hemophiliacs.", UNNAMED_THING_FIT),
        ("The drug, which is available abroad, was approved.", UNNAMED_THING_FIT),  # a clause, no name
        ("The Food and Drug Administration approved it for marketing.", UNNAMED_THING_FIT),  # "Drug" in a name
    ],
)
def test_a_what_question_about_a_thing_wants_its_name(sentence: str, fit: float) -> None:
    asked = {"what", "drug", "did", "the", "fda", "approve"}
    thing = "name" if "trade name" in sentence else "drug"
    assert kind_fit(QuestionKind.OTHER, sentence, False, asked, thing) == fit
    assert kind_fit(QuestionKind.OTHER, sentence, False, asked) == 1.0  # no thing asked about: anything goes


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("William invaded Scotland in 1072, riding as far as Abernethy.", 1.0),  # older than the dates newsbot reads
        ("Luther wrote a German Mass, which he published in early 1526.", 1.0),
        ("By the 1680s most Huguenots had left.", 1.0),
        ("Throughout the 1580s, riots led to the expulsion of Jews.", 1.0),
        ("Britain's ambitions can be seen as early as the sixteenth century.", 1.0),  # a century is a time too
        ("The collection of 18th-century porcelain is the largest.", 1.0),
        ("The plant's output rose from 833,000 tonnes.", 0.0),  # part of a larger number
        ("The jet replaces the one bought from 747-300 operators.", 0.0),
        ("The disease was found in 1200 cases.", 0.0),  # a count of something, not a year
        ("The disease killed 300 in 1500 of its worst outbreaks.", 0.0),
        ("The camp held 900 after 1200 people fled.", 0.0),
    ],
)
def test_when_is_answered_by_a_year_of_history(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.WHEN, sentence, False, {"when"}) == fit


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("Galileo first described the characteristics of falling objects.", AGENT_FIT),
        ("Nurses treat 80% of the population who visit dispensaries.", AGENT_FIT),  # a doer, named or not
        ("Officials said the nurses would treat more people.", 0.0),  # the opening subject did something else
        ("The falling objects were described long ago.", 0.0),  # a stop word opens: no subject told
        ("Tesla's assistant described him.", 0.0),  # the question's own name is no answer
    ],
)
def test_who_is_answered_by_the_subject_opening_a_sentence(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.WHO, sentence, False, {"who", "tesla", "described", "treats", "falling", "objects"}) == fit


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("Ms. Lopez, a former GP, said people here wanted change.", 1.0),
        ('"I am so happy to be here," Lopez told reporters.', 1.0),
        ("Atletico signed Lopez from Bayern, the club said on Monday.", 0.5),  # the club speaks, not Lopez
        ('Lopez signed for "Real Ebro" on Monday.', 0.5),  # a quoted name is nobody's words
        ("Lopez signed a four-year contract.", 0.0),
    ],
)
def test_what_someone_said_wants_a_verb_of_saying_beside_them(sentence: str, fit: float) -> None:
    asked = frozenset({"maria", "lopez"})
    assert kind_fit(QuestionKind.SAID, sentence, False, {"what", "did", "maria", "lopez", "say"}, asked=asked) == fit


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("Rovers beat City 3-2 on Saturday.", 1.0),
        ("Kilbarry and Rovers drew 0-0 at Kilbarry Road.", 1.0),
        ("Ashford's 2-1 win leaves them top.", 1.0),
        ("Niall Corrigan scored both goals for Rovers.", 0.0),
        ("Talks will take place April 13-16, after Rovers won the vote.", 0.0),  # a range of days
        ("Craxi won a postwar record of 3-1/2 years in office.", 0.0),
        ("Labour won the seat in elections held on 3-4 May.", 0.0),
        ("The striker won the award for players aged 18-21.", 0.0),
        ("The index lost 2-3 percent on Monday.", 0.0),
        ("The firm won contracts worth 10-15 million euros.", 0.0),
        ("Portmore City beat Westhaven Rovers 3-1 at Harlow Park.", 1.0),
        ("The Broncos defeated the Pittsburgh Steelers in the divisional round, 23–16.", 1.0),
        ("Labour won in the elections held on 3-4 May, the party said.", 0.0),
    ],
)
def test_what_was_the_score_wants_a_match_score(sentence: str, fit: float) -> None:
    assert kind_fit(QuestionKind.OTHER, sentence, False, {"what", "was", "the", "score"}, SCORE) == fit
