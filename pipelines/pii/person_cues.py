"""The words around a person's name: cues that introduce one ("my name is", "this is",
"said"), the slots a name fills (speaker labels, vocatives, subjects of personal verbs),
and the place and business words that make a capitalised run something else."""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.pii.matching import by_first_letter, first_letter_guard

# Strong cues introduce a name for certain: any token that is not a function word is
# taken. Weak cues ("this is", "hi", "thanks") also precede ordinary words, so the token
# after them must be a known first name, or a capitalised word that ends the phrase.
# Titles spelled out before a name ("Professor Hill", "Officer Diaz", "Judge Reinholt"):
# strong cues, but the word after one must be name-like ("Coach Class" is no person).
_TITLE_WORDS = (
    r"professor|doctor|sir|dame|lord|lady|captain|capt\.?|officer|detective|det\.|judge"
    r"|justice|senator|sen\.|governor|gov\.|mayor|coach|rev\.?|reverend|pastor|rabbi|imam"
    r"|sergeant|sgt\.?|lieutenant|lt\.|colonel|col\.|general|gen\.|admiral|nurse|councillor"
    r"|councilman|councilwoman|congressman|congresswoman|representative|rep\.|ambassador"
    r"|attorney|atty\.?"
)


def _each(words: str, rest: str) -> str:
    """``w1<rest>|w2<rest>|...`` for the words of ``words`` ("a|b|c"): cue alternatives
    that open with a plain letter, so ``by_first_letter`` can group them (an alternative
    opening with a group is tried at every word start)."""
    return "|".join(word + rest for word in words.split("|"))


def _guarded(words: str, rest: str) -> str:
    """``(?=[first letters])(?:words)<rest>``: one alternative for a long ``rest`` shared
    by several words (``_each`` would copy it per word, and compiling the copies costs
    start-up); the lookahead rejects a word start with one character test."""
    letters = "".join(sorted({word[0] for word in words.split("|")}))
    return rf"(?=[{letters}])(?:{words}){rest}"


_POSSESSORS = "my|his|her|their|your|our"
# People a form or a record names ("patient name", "insured name is"): not "user", whose
# name is a login ("user name is jdoe77": a credential's field), nor the parties of a
# payment, which are firms as often ("payee name is Duke Energy", "recipient name").
NAMED_PEOPLE = (
    "patient|customer|member|guest|passenger|insured|subscriber|student|employee|resident"
    "|caller|client|borrower|applicant|traveler|traveller|cardholder|policyholder|tenant"
    "|driver|child|baby|contact"
)
# What is held under a person's name ("the acct is under adler", "reservation under
# anderson", "the membership should be under Vu").
HELD_UNDER = (
    "account|acct|order|booking|reservation|policy|ticket|subscription|membership"
    "|appointment|claim|lease|plan|rental|table|room"
)
# Before a person noun whose name may follow: a possessive, or "the" ("the driver
# gurpreet was so rude", "the installer said Duc would come back").
_KIN_OWNERS = f"{_POSSESSORS}|the"
_RELATIVES = (
    "wife|husband|spouse|son|daughter|mother|father|mom|dad|brother|sister|partner|child"
    "|kid|grandma|grandpa|grandmother|grandfather|aunt|uncle|cousin|nephew|niece"
)
# After a relative: "my wife's name is", "my son is called", "my wife, Anna".
_NAMED_RELATIVE = r"(?:'s\s+name\s+is|\s+is\s+called|\s+is\s+named|,)"
_STRONG_CUES = "|".join(
    (
        _guarded(
            _POSSESSORS,
            r"(?:\s+[\w]+['’]s)?\s+(?:(?:full\s+|first\s+|last\s+|legal\s+|maiden\s+|middle\s+"
            r"|real\s+|given\s+|family\s+|married\s+|preferred\s+|previous\s+|former\s+"
            r"|birth\s+)?name|surname|nickname)\s+(?:is|was)",
        ),
        # "last name is thompson", "surname is okafor": a person's name field, without
        # "my" ("name is" alone also names files and plans)
        r"(?:first|last|family|middle|given)\s+name\s+(?:is|was)|surname\s+(?:is|was)",
        # "Patient name Garcia, John", "insured name is Kim", "guest name: Vu": a name
        # field named by the person it belongs to ("file name", "plan name" name things)
        _guarded(
            NAMED_PEOPLE,
            r"(?:['’]s)?\s+(?:full\s+|first\s+|last\s+|legal\s+)?name(?:\s+(?:is|was)|\s*:)?",
        ),
        r"my\s+name's|name's|names\s+is|what's\s+your\s+name\?|maiden\s+(?:name(?:\s+(?:is|was))?|is|was)"
        # "I only have my mother's maiden Sanchez": the field without its "name"
        r"|mother'?s\s+maiden(?!\s+(?:name|nmae|anme|naem|is|was)\b)"
        # "it's spelled O'Rourke, not the way you have it": a name spelled out
        r"|(?:it'?s|it\s+is|name\s+is|that'?s)\s+spelled(?:\s+like)?"
        r"|name\s*:|call\s+me|calls\s+me|under\s+the\s+name(?:\s+of)?|in\s+the\s+name\s+of"
        r"|named(?:\s+(?:him|her|them|me))?|called\s+(?:him|her|them|me)"
        r"|name\s+(?:on|in|for)\s+the\s+(?:account|card|order|booking|reservation|profile"
        r"|ticket|lease|bill|policy|deed|title|check)\s+(?:is|was|says)"
        r"|under\s+(?:my|his|her|their|our)\s+(?:\w+['’]s\s+)?"
        r"(?:(?:married|maiden|legal|full|real|previous|former|birth)\s+)?name",
        _guarded(
            f"{HELD_UNDER}|card|profile|it",
            r"(?:'s|’s|\s+is|\s+(?:might|should|could|may|must|would)\s+be)"
            r"\s+(?:under(?!\s+(?:the|my|his|her|their|our|your|a|an)\b)|registered\s+to"
            r"|held\s+by|in\s+the\s+name\s+of)",
        ),
        # "its under garcia": "it's" typed without its apostrophe
        r"its\s+(?:under(?!\s+(?:the|my|his|her|their|our|your|a|an)\b)|registered\s+to"
        r"|held\s+by|in\s+the\s+name\s+of)",
        # "pickup order under Stone", "ordered under baek" (the name must be name-like:
        # persons._FORM_CUE); not before "the name", which is its own cue
        _guarded(
            f"{HELD_UNDER}|ordered|booked|reserved|filed|listed|saved",
            r"\s+under(?!\s+(?:the|my|his|her|their|our|your|a|an)\b)",
        ),
        _guarded(
            "change|update|correct|set",
            r"\s+(?:the\s+|my\s+)?name\s+(?:on\s+(?:file|record|the\s+\w+|my\s+\w+)\s+)?to",
        ),
        r"registered\s+(?:to|under)|(?:account|acct|policy)\s*holder(?:\s+(?:is|to))?"
        r"|cardholder(?:\s+(?:is|to))?|name\s+on\s+(?:the\s+)?(?:card|account)"
        r"|ship(?:ping)?\s+to\s*:|(?:beneficiary|recipient)\s*[:\-]",
        _each("mr|mrs|ms|miss|mx|dr|prof", r"\.?"),
        _TITLE_WORDS,
        rf"my\s+(?:{_RELATIVES})(?:-in-law)?{_NAMED_RELATIVE}",
        _each(_RELATIVES, _NAMED_RELATIVE),
    )
)
# After a capitalised word that opens a line: a speaker label ("Ubul: What a wife.") or
# an address before a question ("Kuba, can I ...").
LINE_START_FOLLOW = re.compile(
    r":[ \t]|,[ \t]+(?:can|could|would|will|i|you|do|did|have|are|is|what|where|when"
    r"|how|why)\b"
)
# After a capitalised word: a verb of personal action whose subject it is ("Tomomi is
# from ...", "Dexter lives on ...").
SUBJECT_FOLLOW = re.compile(
    r"[ \t]+(?:is\s+from|was\s+born|lives|lived|spent|listed|works|worked|wrote|had\s+given"
    r"|just\s+has|is\s+so|was\s+so|said|says|scored|resigned|retired|graduated|married"
    r"|texted|emailed|replied|smiled|laughed|cried|apologi[sz]ed|complained|promised"
    r"|told\s+(?:me|us|him|her|them)|asked\s+(?:me|us|him|her|them)|thinks|thought|believes"
    r"|wants|wanted|needs|needed\s+to|loves|loved|hates|hated|knows|knew"
    r"|(?:is|was)\s+(?:a|an|the|my|our|his|her|their)\s+(?:(?:new|former|retired|local|senior"
    r"|junior|head|chief|great|good|best|old)\s+)?(?:nurse|doctor|teacher|lawyer|engineer|chef"
    r"|clerk|nanny|student|manager|director|friend|colleague|neighbou?r|cousin|sister|brother"
    r"|mother|father|wife|husband|son|daughter|accountant|dentist|surgeon|pilot|driver|writer"
    r"|singer|actor|actress|artist|painter|author|journalist|professor|coach|mentor|tenant"
    r"|landlord|boss|founder|ceo|cfo|cto|volunteer|member|partner|consultant|architect"
    r"|designer|developer|programmer|plumber|electrician|farmer|officer|detective)"
    r"|(?:and|&)\s+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+\s+(?:are|were)\s+(?:getting\s+)?(?:married|engaged"
    r"|divorced|coming|visiting|moving))\b"
)
# A sender or recipient written as email clients write them: "Jun Huang
# <rocketlucky30@hotmail.com>" (a quoted reply's "On Friday, ... wrote:", a To: line).
NAME_BEFORE_ADDRESS = re.compile(
    r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’-][^\W\d_]+)?(?:[ \t]+(?:[A-Z]\.|[A-ZÀ-ÖØ-ÞĀ-Ž]"
    r"[^\W\d_]*(?:['’-][^\W\d_]+)?)){0,3})[ \t]*<[^<>@\s]+@[^<>@\s]+>"
)
# A first name, a middle initial and a surname in lower case ("rajesh g. abernathy").
# (Each look-behind on the character before a name's first letter follows that letter,
# here and in NAMED_AS: a pattern that opens with a character class lets ``re`` skip to
# candidates in C instead of trying it at every position.)
LOWER_INITIAL_NAME = re.compile(
    r"([a-z](?<![\w'’-][a-z])[a-z]+(?:-[a-z]+)?) ([a-z])\. ([a-z]{2,}(?:['’-][a-z]+)?)(?![\w'’-])"
)
# A capitalised word declared a name: "White is the last name", "Smith was her maiden
# name". Any word, even one that is English too, when a sentence says it is a name.
NAMED_AS = re.compile(
    r"([A-ZÀ-ÖØ-ÞĀ-Ž](?<![\w'’-][A-ZÀ-ÖØ-ÞĀ-Ž])[^\W\d_]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)?)[ \t]+(?:is|was)[ \t]+"
    r"(?:my|the|his|her|their|our|your)[ \t]+(?:last|first|family|middle|maiden|sur|given)"
    r"[ \t]*name\b"
)
# A name opening a clause, then where the person works, then what they said: "Liz at
# the Tulsa location said", "mccray from the warehouse said", "Jin in billing said".
# The workplace words are a company's places and teams, so "Amazon said" or "Someone at
# the store said" do not qualify on their own (the name is checked in ``persons``).
WORKPLACE_SAID = re.compile(
    r"(?:^|(?<=[.!?,;:\n])[ \t]*|(?<=\bper )|(?<=\band ))"
    r"(?!(?:and|per|but|so|then)\b)"
    r"(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+[^\W\d_][\w'’-]*){0,2}?)[ \t]+(?:at|from|in)[ \t]+"
    r"(?:(?:the|your|our|ur)[ \t]+)?(?:[\w-]+[ \t]+){0,2}?(?:store|location|branch|office"
    r"|warehouse|billing|support|returns|shipping|counter|desk|department|dept|team|center"
    r"|centre|shop)[ \t]+(?:said|told|says|promised|mentioned|confirmed|assured)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Before and after a surname: "the Wilson family", "the Okafor household", "the gomez
# kids", "Quinn residence" (opening a line). Any case: a lower-case word must be a
# listed surname or no English word (``persons``).
FAMILY_NAME = re.compile(
    r"(?:\b[Tt]he[ \t]+|^[ \t]*)([^\W\d_]+(?:-[^\W\d_]+)?)[ \t]+"
    r"(?:family|families|household|twins|clan|kids|residence)\b"
    # not a product's ("the tmobile family plan", "Roblox kids account")
    r"(?![ \t]+(?:plans?|accounts?|profiles?|mode|channel|pack|bundle|sharing|link"
    r"|subscription|app|menu|meal|size|edition|section|inn|hall|version)\b)",
    re.MULTILINE,
)
# A verb that takes a person and a thing, then a capitalised word and a possessive
# pronoun: the word is the person ("had given Angel his address", "sent Mark her CV";
# not "their", which firms take too).
GIVEN_TO_PERSON = re.compile(
    r"\b(?:give|gives|gave|given|giving|send|sends|sent|show|shows|showed|shown|hand|handed"
    r"|offer|offered|lend|lent|tell|told|ask|asked|owe|owed|bring|brought|pass|passed)[ \t]+"
    r"([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)[ \t]+(?:his|her)\b"
)
# After a name: the rest of a question whose subject it is ("Why is
# Glyceria so impulsive?", "Is Pedro still coming?", "How was Ayna feeling?").
QUESTION_AFTER = re.compile(
    r"[ \t]+(?:so|such|always|never|still|not|really|ever|coming|going|feeling|doing"
    r"|working|sleeping|joining|helping|calling|acting|behaving|crying|laughing|leaving"
    r"|staying|arriving|bringing|driving|waiting|talking|lying|hiding)\b"
)
# Before it: the auxiliary, at a sentence start or after a question word.
QUESTION_BEFORE = re.compile(
    r"(?:^|[.!?\n]|\b(?:why|how|where|when|what))[ \t]*"
    r"(?:is|was|does|did|has|had|will|would|can|could)[ \t]+$",
    re.IGNORECASE,
)
# "hi, Anna here", "hello its marek here": a greeting, one or two words, then "here".
# Possessive runs (``*+``, ``++``): with plain ones, a greeting, a long run of blanks and
# "here" split the run every way before failing, quadratic in the run's length (20,000
# blanks took 11 s). Same matches (checked on 200k random greeting-like strings).
HERE_INTRO = re.compile(
    r"\b(?:hi|hello|hey|yo|morning|evening)(?:[ \t]*+,)?[ \t]++(?:it's[ \t]++|its[ \t]++)?"
    r"([^\W\d_]{2,}+(?:[ \t]++[^\W\d_]{2,}+)?)[ \t]++here\b",
    re.IGNORECASE,
)
# A lower-case first name and surname opening a message or a line, then "here" ("hope
# martinez here, need help"); both words are checked in ``persons``.
# Matched at each line's start (``matching.line_starts``).
HERE_START = re.compile(r"[ \t]*+([a-z]{2,}+)[ \t]++([a-z][a-z'’-]++)[ \t]++here\b")
# After a name and its "'s": a thing of theirs ("Oprea's report", "Meza's song"), a
# lower-case word that is not a function word (venue nouns are left to ``venues``).
POSSESSED_THING = re.compile(
    r"[ \t]+(?:(?:new|old|own|latest|first|last|best|favou?rite|whole)[ \t]+)?"
    r"(?!(?:a|an|the|and|or|but|is|was|are|were|has|had|in|on|at|to|of|for|with|by|from"
    r"|not|so|very|too|just|also|been|being|will|would|can|could|should|did|does)\b)[a-z]{3,}\b"
)
# After a name: another capitalised word joined to it ("Gladys and Logan", "Gladys to
# Logan" in "said Gladys to Logan").
PAIRED_NAME = re.compile(r"[ \t]+(?:and|&|or|to|with)[ \t]+([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]{2,})(?![\w'’-])")
# A full name, then "and"/"or"/"to" and another first name and surname ("Daniela Quintero
# and Ji-hoon Park", "from Kevin O'Sullivan-Reyes to Earl Hollister").
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:['’-][A-Za-zÀ-ÖØ-öø-ž][^\W\d_]*)?"
PAIRED_FULL_NAME = re.compile(
    rf"[ \t]*,?[ \t]+(?:and|&|or|to)[ \t]+({_NAME_WORD})[ \t]+({_NAME_WORD})(?![\w'’-])"
)
# "Kónya, Becker and Vasquez": a list of capitalised words, all names if two are known.
# (The first capital comes before the look-behind at its own start: see CAP_RUN.)
NAME_LIST = re.compile(
    r"[A-ZÀ-ÖØ-ÞĀ-Ž](?<![\w'].)[^\W\d_]+(?:,[ \t]*[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)+,?[ \t]+(?:and|&)"
    r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+"
)
# The same list typed all in lower case ("natalina, thomas, omar and brandy"); held to
# the same bar: a known name and at most one word that is not name-like.
LOWER_NAME_LIST = re.compile(
    r"(?<![\w'])[^\W\d_]{3,}(?:,[ \t]*[^\W\d_]{3,})+,?[ \t]+(?:and|&)[ \t]+[^\W\d_]{3,}"
)
# Before a list of surnames alone: the slot of a firm named after its partners ("a year
# at Jones, Mitchell and Williams", "works for ...", "joined ..."). Not "with" or "from":
# people are met with and heard from in lists too.
# "is from" too: a person is from a firm ("Tomomi is from Hawkins, Richardson and Santana").
ORGANISATION_BEFORE = re.compile(
    r"\b(?:at|for|joined|join|(?:is|are|was|were|am|i'm|i’m)[ \t]+from)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
# After a list of surnames alone: the firm's description ("... and Coleman is a design
# agency", "... and Garcia songwriter"): a group of people takes "are", and is not
# followed by an agent noun as a modifier.
ORGANISATION_AFTER = re.compile(
    r"[ \t]+(?:(?:is|was|has\s+been)\s+(?:a|an|the|one)\b"
    r"|(?!(?:never|ever|after|under|other|over|rather|either|neither|together|later|"
    r"were|sent|went|spent|meant|want)\b)[a-z]+(?:er|or|ist|ant|ent|ian)s?\b)"
)
# Before a run of capitalised words that are not English: the slot of a firm ("I work
# for Wolters Kluwer", "which later became Berkery Noyes Mandasoft").
EMPLOYER_BEFORE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|joined|became"
    r"|acquired[ \t]+by|subsidiary[ \t]+of)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]+")
# Verbs and prepositions that take a person as object ("said Gladys", "directed by
# Joakim Westgard", "follow up with ..."). They also take companies and places, so the
# name must be capitalised and name-like: a known name or not a common English word.
# Scanned in the same pass as the weak cues (one regex pass instead of two).
PEOPLE_NOUNS = (
    "friend|colleague|boss|manager|co-?worker|neighbou?r|roommate|landlord|tenant|teacher"
    "|lawyer|doctor|nurse|driver|agent|assistant|cousin|niece|nephew|aunt|uncle|grandson"
    "|granddaughter|fiancée?|girlfriend|boyfriend|wife|husband|spouse|son|daughter|mother"
    "|father|mom|dad|brother|sister|partner|child|kid|grandma|grandpa|grandmother"
    "|grandfather|stepson|stepdaughter|fiancé|fiance|rep|representative|agent|advisor"
    "|specialist|supervisor|technician|tech|caregiver|caretaker|babysitter|nanny|stepmom"
    "|stepdad|stepmother|stepfather|stepkid|ex-wife|ex-husband|ex-girlfriend|ex-boyfriend|ex"
    "|buddy|pal|bestie|bff|best\\s+friend|classmate|teammate|flatmate|housemate"
    "|caseworker|trainer|walker|pharmacist|tutor|therapist|counselou?r|mechanic|plumber"
    "|electrician|contractor|installer|courier|mailman|cashier|teller|banker|realtor"
    "|dentist|instructor|co-?signer|stylist|groomer|sitter|dogsitter|housekeeper|cleaner"
)
# "guy" in lower case after a determiner, the word after it or not ("that guy was rude",
# "the tech guy said"), and "guys" anywhere, are nouns for a person; "hi its guy" and
# "my name is guy" are a name.
_NOUN_DETERMINERS = frozenset(
    [
        "the",
        "that",
        "this",
        "a",
        "an",
        "some",
        "one",
        "any",
        "every",
        "each",
        "no",
        "another",
        "same",
        "other",
    ]
)
# The word between the determiner and "guy" modifies it ("the tech guy"), unless it is
# the verb of an introduction ("this is guy from billing").
_NOT_A_MODIFIER = frozenset(["is", "was", "are", "were", "its"])
_GUY_NOUN_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(_NOUN_DETERMINERS))})[ \t]+"
    rf"(?:(?!(?:{'|'.join(sorted(_NOT_A_MODIFIER))})\b)[a-z]+[ \t]+)?\Z"
)


def lower_case_person_noun(text: str, start: int, word: str) -> bool:
    """Whether the lower-case ``word`` at ``start`` is "guys", or "guy" after a
    determiner: a noun for a person, not a name."""
    if word == "guys":
        return True
    return word == "guy" and _GUY_NOUN_BEFORE.search(text, max(0, start - 40), start) is not None


# Which one of them: "the last rep", "my old landlord", "the other driver".
_WHICH_ONE = "last|first|previous|other|new|old|same|second"
# Words that make a person noun a trade ("the dog walker", "my delivery driver", "the
# leasing agent"): the noun after them is still the person, and the name follows it.
_ROLE_MODIFIERS = (
    "dog|delivery|uber|lyft|cab|taxi|bus|tow|night|day|home|cable|pharmacy|bank|insurance"
    "|leasing|property|building|case|claims|loan|mortgage|store|front\\s+desk|moving|lawn"
    "|pool|house|pet|school|hospice|travel|tax|repair|install|installation|service"
)
# A person noun, or a relation by marriage ("son" alone would leave "-in-law" to be read
# as a name after it).
PERSON_NOUN = rf"(?:{PEOPLE_NOUNS})(?:-in-law)?"
# After a name's "'s": a relative or acquaintance and their name ("Mark Davis's wife
# Ruby"), the slot that "my wife Ruby" reads, owned by a name instead of "my".
RELATIVE_OF_NAME = re.compile(
    rf"['’]s[ \t]+{PERSON_NOUN}[ \t]*,?[ \t]+([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]{{2,}})(?![\w'’-])"
)
# "<message> from", "<greeting> to": tried before the weak and object cues they start
# with ("email", "regards", "hi"), so the longer cue wins.
_LONGER_OBJECT_CUES = "|".join(
    (
        _each(
            "email|e-mail|message|call|text|letter|note|gift|reply|news|invitation|hear|heard",
            r"\s+from",
        ),
        _each("regards|greetings|love|hello|hi", r"\s+to"),
    )
)
_OBJECT_CUES = "|".join(
    (
        _LONGER_OBJECT_CUES,
        r"said|says|asked|told|ask|speak\s+(?:to|with)|reach(?:ed)?\s+out\s+to|according\s+to"
        r"|interview(?:ed)?(?:\s+with)?|thanks\s+to|remind|ping|cc|assign(?:ed)?\s+to"
        r"|nominated|appointed|promoted|elected|praised|blamed|replaced|visited\s+by|loved\s+by"
        r"|talk(?:ed|ing)?\s+(?:to|with)|spoke\s+(?:to|with)|meet|met|follow\s+up\s+with"
        r"|chat(?:ted|ting)?\s+with|transfer(?:red)?\s+me\s+(?:back\s+)?to"
        r"|connect\s+me\s+(?:to|with)|put\s+me\s+through\s+to"
        r"|assistant\s+to",
        _each(
            "directed|sung|written|performed|played|signed|sent|approved|hosted|presented|arranged",
            r"\s+by",
        ),
        r"starring",
        # "the card belongs to Cole": whose a card or an account is
        r"belongs?\s+to|belonged\s+to",
        _each("change|update|correct", r"\s+(?:it|the\s+name)\s+to"),
        r"add|guardian|heard|fan\s+of"
        r"|tell|contact|call|text|email|e-mail|message|invite[ds]?|invited|introduce[ds]?|thank"
        r"|marr(?:y|ied)|hired?|congratulate|who\s+is|by|how\s+old\s+is|how\s+is",
        _each("send|give|forward|pass|ship|mail|deliver", r"\s+(?:it\s+)?to"),
        r"addressed\s+to",
        # "the order is for ruby garcia": whom a parcel is for (not a booking: "a
        # reservation for Tamarind" names the restaurant)
        _guarded("order|package|parcel|delivery", r"\s+(?:is\s+|was\s+)?for"),
        _guarded(_KIN_OWNERS, rf"\s+(?:(?:{_WHICH_ONE}|{_ROLE_MODIFIERS})\s+)?{PERSON_NOUN}"),
    )
)
# All person cues in ONE regex pass (a pass costs microseconds per message); the named
# group says which kind matched. Strong cues come first, so "it's under X" is strong.
_WEAK_CUES = (
    r"this\s+is|i'm|i’m|im|i\s+am|it's|its|it\s+is|speaking\s+with|hi|hello|hey|dear"
    r"|thanks|thx|thank\s+you|regards|cheers|sincerely|best|bye|goodbye|signed|with|from|ask\s+for"
    r"|take\s+care|ok|okay|alright|sure"
)
# Acknowledgements before a vocative ("ok Crystal, I'll try that"): with a comma right
# after it, a US first name that is also a word is the name.
ACKNOWLEDGEMENTS = frozenset({"ok", "okay", "alright", "sure"})
# All person cues in ONE regex pass, grouped by first letter (see _by_first_letter):
# a pass costs microseconds per message. Strong cues come first within a letter, so
# "it's under X" is read as the strong cue, not as "it's". Which kind of cue matched is
# decided afterwards on the few matches, by _STRONG_CUE_TEXT and _OBJECT_CUE_TEXT.
PERSON_CUE = re.compile(
    first_letter_guard(
        rf"\b(?:{by_first_letter('|'.join((_STRONG_CUES, _LONGER_OBJECT_CUES, _WEAK_CUES, _OBJECT_CUES)))})"
        r"(?![\w'])[ \t]*[,:\-]?[ \t]*(?:\n[ \t]*)?"
    ),
    re.IGNORECASE,
)
# A person noun after a possessive ("my son", "her neighbor"): the slot of a relative's
# or an acquaintance's name, where a first name that is also a word is a name ("my son
# Will", "my neighbor Sky Turner").
KIN_CUE = re.compile(
    rf"(?:{_KIN_OWNERS})\s+(?:(?:{_WHICH_ONE}|{_ROLE_MODIFIERS})\s+)?{PERSON_NOUN}\W*",
    re.IGNORECASE,
)
# The same right before a name ("my roommate |mariam"): a person, whatever follows.
KIN_BEFORE = re.compile(rf"\b(?:{_POSSESSORS})\s+{PERSON_NOUN}[ \t,:]*\Z", re.IGNORECASE)
# The same right after a name ("takeshi| my neighbor", "Yuna|, my caregiver"): a person.
KIN_AFTER = re.compile(
    rf"[ \t]*(?:,[ \t]*|\([ \t]*)?(?:{_POSSESSORS})\s+{PERSON_NOUN}\b", re.IGNORECASE
)
TITLE = re.compile(rf"(?:mr|mrs|ms|miss|mx|dr|prof)\.?|(?:{_TITLE_WORDS})")
# The spelled-out titles alone (the name after one must be name-like).
TITLE_WORD = re.compile(rf"(?:{_TITLE_WORDS})")
_STRONG_CUE_TEXT = re.compile(rf"(?:{_STRONG_CUES})", re.IGNORECASE)
_OBJECT_CUE_TEXT = re.compile(rf"(?:{_OBJECT_CUES})", re.IGNORECASE)


@lru_cache(maxsize=4096)  # cue texts are a small vocabulary; the regexes are large
def cue_kind(cue: str) -> str:
    """ "strong", "object" or "weak" for the (lower-cased, space-normalised) cue text."""
    if _STRONG_CUE_TEXT.fullmatch(cue):
        return "strong"
    return "object" if _OBJECT_CUE_TEXT.fullmatch(cue) else "weak"


INTRODUCTIONS = frozenset(
    {"this is", "i'm", "i’m", "im", "i am", "it's", "its", "it is", "speaking with", "signed"}
)
# Greetings and sign-offs: a capitalised word that closes the phrase ("Hi Xochitl,",
# "Thanks, Priya!") is a name even when the gazetteer does not know it.
ADDRESSING = re.compile(
    r"(?:hi|hello|hey|dear|thanks|thx|thank you|regards|cheers|sincerely|best|signed|take care)",
    re.IGNORECASE,
)
NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
INITIAL = re.compile(r"[A-Z]\.?")
# A run of capitalised words (Latin-1/Latin Extended-A capitals included). The
# look-behind "(?<![\w@])" at the run's start is written after its first capital, as
# "(?<![\w@].)": a pattern that opens with a character class lets ``re`` skip to the
# next capital, one that opens with a look-behind is tried at every position (a third
# of the scan's time). The same matches, at the same offsets.
CAP_RUN = re.compile(
    r"[A-ZÀ-ÖØ-ÞĀ-Ž](?<![\w@].)[^\W\d_]*(?:['’-][^\W\d_]+)*"
    # surname particles ("Maika van de Noort", "Luis de la Vega") and middle initials
    r"(?:[ \t]+(?:(?:van|von|de|der|den|da|di|del|della|dos|das|du|la|le|bin|ibn|al)[ \t]+){0,3}"
    r"(?:[A-Z]\.[ \t]+)?[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’-][^\W\d_]+)*)*"
)
# After a capitalised word: it is addressed at the end of a sentence ("..., Chelsea?").
VOCATIVE_END = re.compile(r"[ \t]*(?:[!?]|\.(?:\s|$)|$)")
# After a capitalised word: a possessive of something only people have.
# What only a person has: after a name and its "'s", the name is a person's.
_PERSONS_OWN = (
    "phone|email|e-mail|wife|husband|son|daughter|mother|father|mom|dad|brother|sister"
    "|friend|partner|birthday"
)
PERSONAL_POSSESSIVE = re.compile(
    rf"['’]s[ \t]+(?:{_PERSONS_OWN}|address|number|account|card|name|family|house|home)\b"
)
# The same, for a first name that is also a word ("Rose's phone", "Ruby's birthday"): only
# what a person has ("Summer's home sale", "Chase's routing number" are things').
KIN_POSSESSIVE = re.compile(rf"['’]s[ \t]+(?:{_PERSONS_OWN}|cell|boyfriend|girlfriend)\b")
# After a first name: a lower-case word closing the phrase ("Jane doe", "Jane doe, ...").
LOWER_SURNAME = re.compile(r"[ \t]+([a-z][a-z'’-]+)(?=[ \t]*(?:[,.!?;:)\n]|$))")
# Before a single name: a place or a venue ("at the Hilton", "turn left on Murray").
LOCATION_BEFORE = re.compile(
    r"\b(?:(?:in|to|from|at|near|visit|visiting|via|of|on|onto)\s+(?:the\s+)?|the\s+)$",
    re.IGNORECASE,
)
# Capitalised words that make the run a place or a business, not a person: "San Jose",
# "El Camino", "Allison Road", "Lucca Restaurant".
PLACE_WORDS = frozenset(
    """
    san santa santo são sao st saint ste el la las los le rue fort port mount mt lake new
    road rd street st avenue ave boulevard blvd lane ln drive dr way court place plaza
    square park city county hill valley beach springs falls hotel inn restaurant cafe café bar grill club airport station
    university college school hospital clinic center centre bank mall theater theatre
    via rua piazza piazzetta calle avenida avda ul utca strasse straße
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Words that name a business or venue: after one of them a cue's "name" is not a person
# ("fly with Delta Airlines"). Also place words for capitalised runs.
BUSINESS_WORDS = frozenset(
    """
    airport airlines airline airways international hotel hotels inn resort motel restaurant
    ristorante cucina trattoria osteria brasserie bistro izakaya pizzeria taqueria kitchen
    cafe café bar grill club house garden inc ltd llc corp corporation co company gmbh
    group holdings partners associates investments orchestra band players studio studios
    lines bros foundation bank mall theater theatre hospital clinic university college
    steakhouse chophouse diner tavern pub brewery bakery deli lounge cantina bistro sushi
    noodle noodles ramen bbq barbecue burger burgers pizza thai hotel bungalow playhouse
    auditorium hall stadium arena museum gallery cinema
    marriott hyatt hilton sheraton westin radisson ritz hampton courtyard suites expo
    agency ratings software systems solutions technologies consulting consultants services
    labs ventures financial insurance industries enterprises logistics networks
    communications pharmaceuticals electronics entertainment publishing marketing realty
    properties construction engineering healthcare institute llp plc
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
PLACE_WORDS = PLACE_WORDS | BUSINESS_WORDS
# Place words that are also common US surnames (Census 2010 top 1,000).
SURNAME_PLACE_WORDS = frozenset(
    ["lane", "park", "hill", "lake", "beach", "court", "street", "fort", "hall", "hampton"]
)
# Place words that are also East Asian surnames, which Vietnamese and Korean names put
# before the given name: "Le Van Hung", "Park Ji-hoon" (not "Le Mans", "Park Avenue").
SURNAME_FIRST_PLACE_WORDS = frozenset(["le", "park"])
# What follows such a surname in a name: the Vietnamese middle names Van (men) and Thi
# (women), or a given name written with a hyphen ("Ji-hoon", "Seo-yeon", "Xiao-ming").
# Hand-written: no name list holds romanized Korean or Chinese given names.
SURNAME_FIRST_GIVEN = re.compile(r"(?:Van|Thi|[A-Z][a-z]{1,5}-[a-z]{2,6})(?![\w'’-])")
