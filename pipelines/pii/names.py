"""First/last-name gazetteer built from Faker's person providers.

Faker's en_US lists come from US Census and SSA name frequencies; the other locales
are its maintained national lists, so names of customers in other markets are found
too. Names that are also common English words ("Will", "Grace", "Young") are removed
because in chat text they are far more often words than names; such names are still
found after a cue ("my name is Grace").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

from faker.providers.lorem.en_US import Provider as EnglishWords

GAZETTEER_LOCALES = (
    "en_US",
    "en_GB",
    "es_ES",
    "es_MX",
    "de_DE",
    "fr_FR",
    "it_IT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
)

# Words that Faker's lorem list (the ~1,000 most common English words) misses but that
# are frequent in support chats, capitalised at a sentence start, or US place names that
# double as given names. Kept short on purpose: it is a precision guard, not a dictionary.
_EXTRA_COMMON_WORDS = frozenset(
    """
    will mark hope grace joy faith art rose june april may august summer autumn winter
    chase hunter bishop cook baker carter mason miller porter parker sterling price
    bill frank sunny dawn honey ivy lily jasmine iris ruby pearl amber crystal penny
    angel christian major royal king queen prince earl duke guy gay jack jean sue don
    lane street way court page ray rich long short hall wall holly daisy patience
    austin houston dallas denver phoenix jackson madison lincoln orlando paris sydney
    florence victoria regina chelsea aurora georgia virginia carolina dakota jordan
    israel india china kenya lima santiago mercedes lexus monday tuesday wednesday
    thursday friday saturday sunday january february march july september october
    november december thanks thank hello hi hey dear okay ok yes no sure please sorry
    great fine good cool nice perfect awesome welcome team support customer service
    agent bot manager there all everyone guys folks again so much well cash star
    """.split()
)

# Function words that never start a name; used to reject "my name is not important".
STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with about as is are was were be
    been being am not no nor so too very just only also this that these those it its
    i me my mine we us our you your he him his she her they them their what which who
    whom whose when where why how all any both each few more most other some such than
    then there here now up down out over under again further once same own can could
    would should will shall may might must do does did done have has had having going
    gonna wanna trying calling looking writing asking wondering having getting still
    really actually already sure sorry happy glad unable able ready back new important
    fine good great well ok okay yes yeah nope interested available done here calling
    """.split()
)


@dataclass(frozen=True)
class Gazetteer:
    """Lower-cased first names, last names and the common words excluded from both."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    common_words: frozenset[str]


def _provider_names(locale: str) -> tuple[set[str], set[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    firsts: set[str] = set()
    for attribute in ("first_names", "first_names_male", "first_names_female"):
        firsts.update(getattr(provider, attribute, ()))
    lasts = set(getattr(provider, "last_names", ()))
    return firsts, lasts


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load (once per process) the name sets, minus common English words."""
    common = {w.lower() for w in EnglishWords.word_list} | _EXTRA_COMMON_WORDS | STOPWORDS
    firsts: set[str] = set()
    lasts: set[str] = set()
    for locale in GAZETTEER_LOCALES:
        f, last = _provider_names(locale)
        firsts.update(n.lower() for n in f if len(n) > 2)
        lasts.update(n.lower() for n in last if len(n) > 2)
    return Gazetteer(
        first_names=frozenset(n for n in firsts if n not in common and " " not in n),
        last_names=frozenset(n for n in lasts if n not in common and " " not in n),
        common_words=frozenset(common),
    )
