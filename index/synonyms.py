"""Words news copy uses for the same thing: a question says "quit", the reporter "resigned".

People ask in their own words: "was anyone killed?" is answered by "a man
died", "who bought the plant?" by "acquired", "when did she quit?" by "she
resigned". Each group below holds words a reporter and a reader use
for one deed or thing in news; a question word brings the others that the
index holds, at a variant's lower weight (see `question.SYNONYM_WEIGHT`), in
the sentence scoring only, never in retrieval unless the word itself is
unknown. One word, one meaning in news: the groups leave out words with
another common sense there ("strike" is a walkout as often as an attack,
"fire" a blaze as often as a sacking, shares "rally", a "charge" is also a
fee, "post" also mail and "post-war", "close" also "close to", "firm" also
an adjective, a "wound" also "wound up"; "take" and "name" are too broad for
any group).

A yes/no question is settled the other way too: "did Pakistan accept the
offer?" by "Pakistan rejected the offer" (`opposites`, for yes/no only).

General thesauri (WordNet) were measured on a large corpus before this list
and did not help: they join spellings and senses, rarely the word a reporter
chose. The list is read once, its words analysed as the index's are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from newsbot.index.analysis import Analyser

_GROUPS = """
buy purchase acquire acquisition
sell sale divest
buyer purchaser consumer customer shopper
quit resign resignation
hurt injure injury
kill die dead death fatal
truce ceasefire armistice
layoff redundancy
discover find spot detect uncover
decide vote
win beat defeat victory
lose lost defeat
ambassador envoy emissary
country nation
government administration regime ruler
train rail railway metro
ride journey trip
choose pick select nominate appoint
chief head boss director
spy intelligence espionage
drug medicine medication
brand trademark
payout payment compensation
cost price expense
rise rose increase climb grow jump soar surge
fall fell drop decrease slump plunge tumble
begin start launch commence
end finish conclude
stop halt suspend pause
ban prohibit outlaw
build construct
talks negotiation dialogue
arrest detain
accuse indict
sack oust
hire recruit employ
worker employee staff workforce
company corporation
army military troop soldier
fighter militant insurgent rebel combatant
attack assault raid
bomb explosion blast
money fund funding cash
profit earnings
revenue turnover
deal agreement accord pact treaty
law legislation
prison jail
election ballot
warn caution
help aid assist
restore reinstate revive
reject refuse rebuff
approve authorise authorize endorse
announce unveil
investigate investigation probe inquiry enquiry
shut closure
delay postpone defer
cancel scrap axe
plane aircraft airliner jet
ship vessel boat
car vehicle automobile
doctor physician
child children kid
protest demonstration
leave depart departure exit
tariff duty levy
forecast predict prediction projection outlook
big large huge
"""


# Words that settle a yes/no question the other way: "did Pakistan accept the offer?" is answered by "Pakistan
# rejected the offer", "did Rovers beat Kilbarry?" by "Kilbarry and Rovers drew 0-0". Each line: the asked words,
# then after "|" their opposites. Only for yes/no questions: "which team won?" is not answered by a draw. As in the
# groups above, no word with another common sense ("decline" is also a fall, "pass" also "pass on", "block" a
# building), and no word both a synonym and an opposite of another ("defeat": a win and a loss).
# Measured (at hit@1 177, hit@3 194): hit@1 178 (bundled-025 "did Pakistan accept Afghanistan's offer of talks?":
# "...but Pakistan rejected the offer" first, over "China was the first country to accept an ambassador"), hit@3 195
# (stories-059 "did Rovers beat Kilbarry Athletic?": "...drew 0-0" second), nothing lost; the same after a reviewer's
# words of two senses were taken out.
_OPPOSITES = """
accept | reject refuse rebuff
agree | reject refuse
approve | reject veto
win beat | lose draw
confirm | deny
convict | acquit
rise increase | fall decrease
"""


# Deeds seen from the other side: "when was the plant bought?" is answered by "the plant was sold on Tuesday to a
# cooperative". Each line: the taking, then after "|" the giving. Only the verb: "sales" are also a company's revenue.
# For "who", only from the taker's side: "Carrow bought Hillside" names the buyer, no answer to "who sold Hillside?"
# (and evidence.py reads "sold to a cooperative" as the buyer only when the question asks who took).
_CONVERSES = """
buy purchase acquire | sell
borrow | lend
"""


def _sides(lines: str) -> Iterator[tuple[set[str], set[str]]]:
    """Yield the terms of each "|" line's two sides: the asked (or taking) words, and the other side's."""
    analyser = Analyser()
    for line in lines.strip().splitlines():
        one, _, two = line.partition("|")
        yield (
            {term for word in one.split() if (term := analyser.term(word))},
            {term for word in two.split() if (term := analyser.term(word))},
        )


@functools.lru_cache(maxsize=2)
def _across(lines: str) -> dict[str, tuple[str, ...]]:
    """Return each word's term, on either side of a "|" line, with the terms of the other side's words, built once."""
    related: dict[str, set[str]] = {}
    for one, two in _sides(lines):
        for term in one:
            related.setdefault(term, set()).update(two)
        for term in two:
            related.setdefault(term, set()).update(one)
    return {term: tuple(sorted(others)) for term, others in related.items()}


def opposites(term: str) -> tuple[str, ...]:
    """Return the terms of words that settle a yes/no question on a term the other way ("accept": "reject")."""
    return _across(_OPPOSITES).get(term, ())


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    """Return each listed word's term with the terms of the words it shares a group with, built once."""
    analyser = Analyser()
    related: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        terms = {term for word in line.split() if (term := analyser.term(word))}
        for one in terms:
            related.setdefault(one, set()).update(terms - {one})
    return {one: tuple(sorted(others)) for one, others in related.items()}


def synonyms(term: str) -> tuple[str, ...]:
    """Return the terms of the words news uses for what a term says: "quit" gives "resign" (terms, stemmed)."""
    return _synonyms().get(term, ())


def converses(term: str) -> tuple[str, ...]:
    """Return the terms of the same deed seen from the other side: "buy" gives "sell", "sell" gives "buy"."""
    return _across(_CONVERSES).get(term, ())


@functools.lru_cache(maxsize=1)
def _taking() -> frozenset[str]:
    """Return the terms of the taking side of each deed seen from two sides (buy, borrow...), built once."""
    return frozenset(term for one, _ in _sides(_CONVERSES) for term in one)


def takes(term: str) -> bool:
    """Return True when a term is a deed of taking with a giving side ("buy": someone "sold ... to" the buyer)."""
    return term in _taking()
