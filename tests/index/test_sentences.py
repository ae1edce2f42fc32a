"""Tests for index.sentences."""

from __future__ import annotations

import pytest

from newsbot.index.reading.text import normalise_text
from newsbot.index.reading.sentences import split_paragraphs_sentences, split_sentences

# (paragraph, expected sentences)
CASES = [
    # Seed-file paragraphs with more than one sentence.
    (
        "The Belt and Road Initiative, also known as the One Belt One Road or the New Silk Road, is China’s "
        "large-scale infrastructure development project aimed at connecting the world through land and sea trade "
        "routes. It involves investing in infrastructure like ports, railways, roads, and energy projects in over "
        "150 countries. CPEC is a flagship of the BRI scheme under which China has pledged over $60 billion in "
        "infrastructure, energy, industrial, and agricultural projects in Pakistan.",
        [
            "The Belt and Road Initiative, also known as the One Belt One Road or the New Silk Road, is China’s "
            "large-scale infrastructure development project aimed at connecting the world through land and sea "
            "trade routes.",
            "It involves investing in infrastructure like ports, railways, roads, and energy projects in over 150 "
            "countries.",
            "CPEC is a flagship of the BRI scheme under which China has pledged over $60 billion in infrastructure, "
            "energy, industrial, and agricultural projects in Pakistan.",
        ],
    ),
    (
        "Relations between Pakistan and Afghanistan have plummeted in recent months due to a surge in militant "
        "attacks that Islamabad blames on Afghan-based insurgents. Kabul denies it allows its territory to be used "
        "against other nations.",
        [
            "Relations between Pakistan and Afghanistan have plummeted in recent months due to a surge in militant "
            "attacks that Islamabad blames on Afghan-based insurgents.",
            "Kabul denies it allows its territory to be used against other nations.",
        ],
    ),
    (
        "Tensions appeared to ease after a rare meeting between Muttaqi and Dar in Kabul last month where the "
        "Taliban’s acting foreign minister expressed concern over the deportation of tens of thousands of Afghans "
        "from Pakistan. Pakistan has expelled more than 80,000 Afghan nationals since the end of March as part of a "
        "renewed surge in a repatriation drive that began in 2023.",
        [
            "Tensions appeared to ease after a rare meeting between Muttaqi and Dar in Kabul last month where the "
            "Taliban’s acting foreign minister expressed concern over the deportation of tens of thousands of "
            "Afghans from Pakistan.",
            "Pakistan has expelled more than 80,000 Afghan nationals since the end of March as part of a renewed "
            "surge in a repatriation drive that began in 2023.",
        ],
    ),
    (
        "Pakistan and Afghanistan have embassies in each other’s capitals, but they are led by charge d’affaires, "
        "not ambassadors. China was the first country to accept an ambassador from the Taliban-run administration "
        "in Kabul though it does not formally recognize its government. Several other states, including the UAE, "
        "followed.",
        [
            "Pakistan and Afghanistan have embassies in each other’s capitals, but they are led by charge "
            "d’affaires, not ambassadors.",
            "China was the first country to accept an ambassador from the Taliban-run administration in Kabul "
            "though it does not formally recognize its government.",
            "Several other states, including the UAE, followed.",
        ],
    ),
    (
        "Fighting between the two neighbors, the worst in decades, broke out last Thursday night after Afghan forces "
        "attacked Pakistan’s military installations along their shared border. Afghanistan said its attacks were in "
        "response to earlier airstrikes by Pakistan against alleged militant hideouts in its country.\u00a0",
        [
            "Fighting between the two neighbors, the worst in decades, broke out last Thursday night after Afghan "
            "forces attacked Pakistan’s military installations along their shared border.",
            "Afghanistan said its attacks were in response to earlier airstrikes by Pakistan against alleged "
            "militant hideouts in its country.",
        ],
    ),
    (
        "Pakistan accuses Afghanistan of sheltering militant outfits such as the Tehreek-e-Taliban Pakistan (TTP) on "
        "its soil who have launched attacks against Pakistani civilians and security forces in recent years. Kabul "
        "denies the allegations.",
        [
            "Pakistan accuses Afghanistan of sheltering militant outfits such as the Tehreek-e-Taliban Pakistan "
            "(TTP) on its soil who have launched attacks against Pakistani civilians and security forces in recent "
            "years.",
            "Kabul denies the allegations.",
        ],
    ),
    # Seed-file single sentences that hold traps: quotes, "Field Marshal", "6th", a closing ”.
    (
        "Pakistan’s Chief of Defense Forces Field Marshal Syed Asim Munir said on Wednesday that peace with "
        "Afghanistan can only prevail if Kabul renounces support for “terrorism” and “terrorist” organizations.",
        None,
    ),
    (
        "He was also briefed about “Operation Ghazab Lil Haq” or “Wrath for the Truth,” the name Pakistan has given "
        "to its military operation against Afghan forces, the ISPR said.",
        None,
    ),
    (
        "The officials also decided to hold the 6th Trilateral Meeting of Foreign Ministers in Kabul at a mutually "
        "agreeable date.",
        None,
    ),
    (
        "In a statement on Wednesday, Pakistan’s foreign office said it “welcomed positive momentum in bilateral "
        "ties, including enhanced diplomatic engagement, trade, and transit facilitation.”",
        None,
    ),
    # Abbreviations and titles.
    ("Mr. Smith met Mrs. Jones and Dr. Brown. They talked.", ["Mr. Smith met Mrs. Jones and Dr. Brown.", "They talked."]),
    ("Gen. Munir met Lt. Col. Khan and Sen. Ray. Rep. Ortiz was absent.", ["Gen. Munir met Lt. Col. Khan and Sen. Ray.", "Rep. Ortiz was absent."]),
    ("He lives on St. Mark Street. She moved to Main St. The rent is high.", ["He lives on St. Mark Street.", "She moved to Main St.", "The rent is high."]),
    ("Apple Inc. said profit rose. Acme Corp. Chief Executive Al Roy agreed.", ["Apple Inc. said profit rose.", "Acme Corp. Chief Executive Al Roy agreed."]),
    ("It bought Smith Co. The deal closed in May.", ["It bought Smith Co.", "The deal closed in May."]),
    ("Fruit, nuts, etc. are sold here. Prices vary.", ["Fruit, nuts, etc. are sold here.", "Prices vary."]),
    ("Sports, e.g. football, are popular, i.e. widely played. Fans agree.", ["Sports, e.g. football, are popular, i.e. widely played.", "Fans agree."]),
    ("It was ranked No. 1 in the world. No one argued.", ["It was ranked No. 1 in the world.", "No one argued."]),
    ("The vote is on Jan. 21 and results on Feb. 3. Turnout may be low.", ["The vote is on Jan. 21 and results on Feb. 3.", "Turnout may be low."]),
    ("The talks start at 9 a.m. Monday and end at 5 p.m. The delegates then leave.", ["The talks start at 9 a.m. Monday and end at 5 p.m.", "The delegates then leave."]),
    ("Madrid vs. Barcelona is on tonight. Tickets sold out.", ["Madrid vs. Barcelona is on tonight.", "Tickets sold out."]),
    # Initials and dotted acronyms.
    ("J. R. R. Tolkien wrote it. George W. Bush read it.", ["J. R. R. Tolkien wrote it.", "George W. Bush read it."]),
    ("The U.S. Treasury and the U.N. Security Council met. The U.K. did not.", ["The U.S. Treasury and the U.N. Security Council met.", "The U.K. did not."]),
    ("Sales rose in the U.S. The next quarter looks weaker.", ["Sales rose in the U.S.", "The next quarter looks weaker."]),
    ("Sales rose in the U.S. “We are pleased,” he said.", ["Sales rose in the U.S.", "“We are pleased,” he said."]),
    ("They met in Washington, D.C. Officials said little.", ["They met in Washington, D.C.", "Officials said little."]),
    # Numbers and money.
    ("Growth was 3.5 percent in 2024. It was 2.1 percent a year earlier.", ["Growth was 3.5 percent in 2024.", "It was 2.1 percent a year earlier."]),
    ("China pledged $60 billion. Pakistan welcomed the $1.5bn loan.", ["China pledged $60 billion.", "Pakistan welcomed the $1.5bn loan."]),
    # Quotes.
    ('He said: "We will win." The crowd cheered.', ['He said: "We will win."', "The crowd cheered."]),
    ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
    ("“Really?” she asked. He nodded.", ["“Really?” she asked.", "He nodded."]),
    ("She called it ‘a disgrace?’ Nobody replied.", ["She called it ‘a disgrace?’", "Nobody replied."]),
    ("He left. “We will return,” he said.", ["He left.", "“We will return,” he said."]),
    ('The statement read:"We have a zero tolerance policy." Mutu left.', ['The statement read:"We have a zero tolerance policy."', "Mutu left."]),
    ("Stop! Who goes there? Nobody.", ["Stop!", "Who goes there?", "Nobody."]),
    # A quotation the paragraph closes soon after holds its sentence ends: the quote keeps its speaker and its marks.
    ('"What a game! I\'ve never seen anything like it," said Rovers manager Sam Doyle. He smiled.',
     ['"What a game! I\'ve never seen anything like it," said Rovers manager Sam Doyle.', "He smiled."]),
    ('Asked whether the deadline was realistic, the engineer replied: "Is it tight? Yes. Is it impossible? No." He left.',
     ['Asked whether the deadline was realistic, the engineer replied: "Is it tight? Yes. Is it impossible? No."', "He left."]),
    ("“Is this unusual for January? Not really,” said the forecaster. Snow fell.",
     ["“Is this unusual for January? Not really,” said the forecaster.", "Snow fell."]),
    ("He said: «We won. We celebrate.» Fans sang.", ["He said: «We won. We celebrate.»", "Fans sang."]),
    ('Dr. Anand said: "She told us, \'Never operate blind.\' I still follow that rule." Ok.',
     ['Dr. Anand said: "She told us, \'Never operate blind.\' I still follow that rule."', "Ok."]),
    # A question answered at once, the answer attributed, is one sentence; a question answered otherwise is not.
    ("Is this unusual for January? Not really, said forecaster Dr. Emma Walsh. Snow fell.",
     ["Is this unusual for January? Not really, said forecaster Dr. Emma Walsh.", "Snow fell."]),
    # A parenthetical "he said," in the next sentence attributes no reply to the question.
    ("Who will win? The minister, he said, is the favourite. Others disagree.",
     ["Who will win?", "The minister, he said, is the favourite.", "Others disagree."]),
    ("Was it worth it? Absolutely, she says. Why? Nobody knows.", ["Was it worth it? Absolutely, she says.", "Why?", "Nobody knows."]),
    # A quotation ending its sentence with a question is split as before: whole, it would read as a question.
    ('He said, "In a second you would know it. Now, isn\'t that wonderful?" Then he left.',
     ['He said, "In a second you would know it.', 'Now, isn\'t that wonderful?"', "Then he left."]),
    ('"Is it over? Not yet?" she asked. He left.', ['"Is it over? Not yet?" she asked.', "He left."]),
    # Marks that open no quotation: inches, a mark after a word, one never closed (the quote goes on next paragraph).
    ('The 55" screen costs $400. A 65" one costs more.', ['The 55" screen costs $400.', 'A 65" one costs more.']),
    ('He said: "We lost. It happens. Next week we go again.', ['He said: "We lost.', "It happens.", "Next week we go again."]),
    ('He called it a "disaster. The council met. Officials said "no".', ['He called it a "disaster.', "The council met.", 'Officials said "no".']),
    # A quotation reaching past QUOTATION_REACH is split as any text, its tail too.
    ('"' + "We played well today. " * 14 + 'We won," he said.',
     ['"We played well today.', *["We played well today."] * 13, 'We won," he said.']),
    # Ellipses and brackets.
    ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    ("It was, he said, … a long road … and then some. Fine.", ["It was, he said, … a long road … and then some.", "Fine."]),
    ("Profit rose (see the table below.) Shares fell.", ["Profit rose (see the table below.)", "Shares fell."]),
    ("Profit rose 5% (the most since 2010). Shares fell.", ["Profit rose 5% (the most since 2010).", "Shares fell."]),
    ("The talks ended. — Reuters", ["The talks ended. — Reuters"]),
    # Whitespace.
    ("  One   sentence\u00a0here.\n\nTwo\tthere.  ", ["One sentence here.", "Two there."]),
    ("", []),
    ("No final stop", ["No final stop"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_split_sentences(text: str, expected: list[str] | None) -> None:
    if expected is None:
        expected = [normalise_text(text)]
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentences_are_verbatim_slices(text: str, expected: list[str] | None) -> None:
    normal = normalise_text(text)
    sentences = split_sentences(text)
    assert all(sentence in normal for sentence in sentences)
    assert " ".join(sentences) == normal


def test_paragraphs_split_together_as_each_alone() -> None:
    paragraphs = [normalise_text(text) for text, _ in CASES]
    together = split_paragraphs_sentences(paragraphs)
    assert together == [s for p in paragraphs for s in split_sentences(p, normalised=True)]
    assert split_paragraphs_sentences(["One.", "", "Two. Three."]) == ["One.", "Two.", "Three."]
    assert split_paragraphs_sentences([]) == []


def test_a_long_run_of_full_stops_is_split_once_not_tried_at_every_dot() -> None:
    # Trying the boundary at each dot of the run was quadratic: 20,000 dots took 6 s, these 200,000 hours.
    text = "Dots " + "." * 200_000 + "x. Then the minister visited Lahore. Ok"
    assert split_sentences(text) == ["Dots " + "." * 200_000 + "x.", "Then the minister visited Lahore.", "Ok"]
