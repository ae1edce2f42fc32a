"""Countries, their peoples and their capitals: words a question and a reporter use for the same place.

"What did Turkey say?" is answered by "the Turkish Presidency said" or
"Ankara would help": a country's name, its demonym and its capital stand for
each other in news copy. The names come from countryinfo's data (256
countries and territories, read on first use in 20 ms); names of one word
only, so "United States" and "Washington D.C." are left out. The question
reader asks only for words written with a capital ("the franc" is no
France, "polish" no Poland).
"""

from __future__ import annotations

import functools

from newsbot.index.analysis import Analyser


@functools.lru_cache(maxsize=1)
def _relatives() -> dict[str, tuple[str, ...]]:
    """Return each country's, people's and capital's term with the terms of the other two, built once."""
    from countryinfo import CountryInfo  # read on first use, not with newsbot

    analyser = Analyser()

    def analyse(name: object) -> str | None:  # the term of a one-word name ("Ankara"); None for others
        found = analyser.tokens(name) if isinstance(name, str) and len(name.split()) == 1 else []
        return found[0] if len(found) == 1 else None

    countries = sorted(CountryInfo.all().values(), key=lambda c: -(c.get("population") or 0))
    owned: set[str] = set()  # a demonym several share ("French": France, Martinique...) is the most populous one's
    related: dict[str, set[str]] = {}
    for country in countries:
        terms = {t for field in ("name", "capital") if (t := analyse(country.get(field)))}
        if (people := analyse(country.get("demonym"))) and people not in owned:
            owned.add(people)
            terms.add(people)
        for one in terms:
            related.setdefault(one, set()).update(terms - {one})
    return {one: tuple(sorted(others)) for one, others in related.items()}


def place_relatives(term: str) -> tuple[str, ...]:
    """Return the terms of the other words for the country a term names: "turkey" gives "ankara", "turkish"."""
    return _relatives().get(term, ())
