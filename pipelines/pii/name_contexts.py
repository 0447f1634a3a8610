"""Four more slots a name fills, where the words around it say "a person" even when the
name alone says little (a lower-case name, one no list holds, one that is also a word):

* an appositive relation: "sent it back via takeshi my neighbor", "cc simran (my
  wife)", "should have gone to Yuna, my caregiver";
* a signature, the message's last line: "\\n- thao", "\\nthx, raj", "ok thx\\ndao tran";
* a subject set off by commas before a verb of saying: "the guy i talked to, Rajesh,
  said the credit would show up";
* the owner of a device opening a sentence: "lexi's phone keeps saying SIM not
  provisioned".

Hand-written, as the rest of the person rules are: no library reads these slots. Each
rule takes a token only when it is name-like, and the slots that firms, places and nouns
fill as well take only listed first names or words no English list holds: "my wife",
"from Brooklyn, my wife", "Lenovo's laptop", "my bank, Chime, said", "thanks\nlmk" and
"- sent from my iphone" stay as they are. No pattern spans the whole message where
blanks could be split two ways (the signature's lines are read on their own): a message
of 100,000 blanks takes as long as any other.
"""

from __future__ import annotations

import re

from pipelines.pii.names import STOPWORDS, Gazetteer
from pipelines.pii.person_cues import PERSON_NOUN
from pipelines.pii.spans import Span

_TOKEN = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
# ", my wife" / " (my wife)" / " my neighbor" after a token: whose relation it is. The
# relations are the person cues' (persons.py finds them in its one pass over the
# message); the token is read back from each.
RELATION = re.compile(rf"(?:my|our|his|her)[ \t]+{PERSON_NOUN}\b", re.IGNORECASE)
BEFORE_RELATION = re.compile(
    rf"(?:(?<![\w'’-])([^\W\d_]+)[ \t]+)?(?<![\w'’-])({_TOKEN})"
    r"(?:(?P<set_off>[ \t]*,[ \t]*|[ \t]*\([ \t]*)|[ \t]+)\Z"
)
# After a relation, a verb: the relation is a clause's subject, not what the word before
# it is ("we ordered from doordash, my husband picked it up").
_CLAUSE_VERB = re.compile(
    r"[ \t]+(?:is|was|has|had|set|got|paid|sent|put|said|does|did|can|will|would|could"
    r"|should|never|always|just|also|still|[a-z]+ed|[a-z]{2,}[^s\W]s)\b"
)
# How far back from a relation or a device the token before it is read.
_LOOK_BACK = 80
# Before "takeshi my neighbor" (or "Yuna, my caregiver"): a word that takes a person.
# Otherwise the token must be a listed first name: a rare word there is mostly a typo ("Legume
# wtih my boyfriend"), a place or a firm ("from Brooklyn, my wife", "with zelle my husband").
_SLOT_BEFORE = frozenset(["to", "for", "from", "by", "via", "cc", "ask", "tell"])
# Chat shorthand no word list holds, which a name's slot must not take ("thanks\nlmk").
SHORTHAND = frozenset(
    """
    lmk nvm brb ttyl omw gtg smdh smh xoxo idk imo imho tbh ngl jk lol lmao rofl thx tx ty
    tyvm tysm pls plz yall ya np kk ok okay asap fyi btw irl ikr wtf omg prolly nevermind
    cya gn gm hmu wyd wbu ily bc cuz tho dm
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
_VOWELS = re.compile(r"[aeiouyà-öø-ÿāăąēĕėęěīįıōőœūůűų]", re.IGNORECASE)
# A signature: the message's last non-blank line, read on its own (never a pattern over
# the whole message: blanks a pattern can split two ways are tried every way).
_THANKS = r"(?:thx|thanks|thank[ \t]+you|ty|tks|cheers|regards|sincerely)"
_NAME_WORDS = rf"(?P<name>{_TOKEN}(?:[ \t]++{_TOKEN})?)"
# "- thao", "~ Mariela Ortiz"
DASH_LINE = re.compile(rf"[-–—~]{{1,2}}[ \t]*+{_NAME_WORDS}[.!]*+")
# "thx, raj", "thanks dao tran"
THANKS_LINE = re.compile(rf"{_THANKS}[ \t]*+[,!.]*+[ \t]*+{_NAME_WORDS}[.!]*+", re.IGNORECASE)
# "dao tran" under a line that ends with thanks ("ok thx", "thanks,")
NAME_LINE = re.compile(rf"{_NAME_WORDS}[.!]*+")
ENDS_WITH_THANKS = re.compile(rf"(?<![^\W\d_]){_THANKS}[,!.]*+\Z", re.IGNORECASE)
# A list's item or a list's heading above a dash line ("- shoes\n- socks", "missing:\n- x").
_LIST_ABOVE = re.compile(r"(?:^[-–—~*•]|:$)")
# "lexi's phone keeps ...": a message or sentence opening with someone's device (the
# device searched first, the owner read back from it).
DEVICE = re.compile(
    r"['’]s[ \t]+(?:phone|iphone|cell|cellphone|mobile|ipad|tablet|laptop|macbook|chromebook"
    r"|computer|kindle|watch)\b",
    re.IGNORECASE,
)
OWNER_BEFORE = re.compile(rf"(?:^|(?<=[.!?,])[ \t]+|(?<=\n)[ \t]*)({_TOKEN})\Z")
# ", Rajesh, said" / ", Ivy Chen, told me": one or two capitalised tokens set off by
# commas as the subject of a verb of saying.
SAYING_SUBJECT = re.compile(
    r",[ \t]*+([A-Z][^\W\d_]+(?:['’-][^\W\d_]+)?(?:[ \t]+[A-Z][^\W\d_]+(?:['’-][^\W\d_]+)?)?)"
    r"[ \t]*+,[ \t]*+(?:said|says|told|tells|promised|mentioned|explained|assured|confirmed"
    r"|claimed|stated)\b"
)
# Before ", Chime, said": a firm's kind, whose name follows ("my bank, Chime, said").
_FIRM_BEFORE = re.compile(
    r"(?:bank|carrier|courier|store|shop|pharmacy|insurer|insurance|provider|company|app"
    r"|service|retailer|lender|isp|airline|hotel|restaurant)[ \t]*+\Z",
    re.IGNORECASE,
)
# A subject of saying rarer than this in English text is a name ("Rajesh" 39,513).
_SAYER_RANK = 30_000
# Abbreviated labels of a form's fields: no English list holds them, so they read as
# name parts ("acct holder mei chen dob 06/19/1996"; persons.py ends a name before one).
FIELD_LABELS = frozenset(["dob", "ssn", "acct", "addr", "tel", "ph", "zip", "cvv", "exp"])


def _name_like(token: str, names: Gazetteer) -> bool:
    """A listed first name or surname that is no common word, a given name written with
    its capital, or (longer than two letters) a rare word (``Gazetteer.is_rare_word``:
    "Rajesh" is wordfreq's 39,513th English word)."""
    low = token.lower()
    if low in STOPWORDS or len(low) < 2:
        return False
    if token[0].isupper() and low in names.given_names:
        return True  # "Ivy", "Hope": a US first name, written as one
    if low in names.common_words:
        return False
    return (
        low in names.first_names
        or low in names.last_names
        # no English word, or one rare enough to be a name: "sanjay" ranks 25,195
        or (len(low) > 2 and names.is_rare_word(low))
    )


def _name_part(token: str, names: Gazetteer) -> bool:
    """A token of a two-word name: name-like, a surname, or a word rare in English."""
    low = token.lower()
    return (_name_like(token, names) or names.is_surname(low)) and low not in STOPWORDS


def _shorthand(low: str) -> bool:
    """Chat shorthand, a form's label or a word without a vowel ("lmk", "ssn", "brb")."""
    return low in SHORTHAND or low in FIELD_LABELS or _VOWELS.search(low) is None


def _given_like(token: str, names: Gazetteer) -> bool:
    """Stricter than ``_name_like``, for slots that firms and nouns fill too: a listed
    first name that is no common word, a given name written with its capital, or a word
    no English list holds at all ("gurpreet"; not "fee", a surname, nor "invoice")."""
    low = token.lower()
    if low in STOPWORDS or len(low) < 2 or _shorthand(low):
        return False
    if token[0].isupper() and low in names.given_names:
        return True
    if low in names.common_words:
        return False
    return low in names.first_names or (len(low) > 2 and low not in names.english_rank)


def context_names(text: str, names: Gazetteer, relations: list[int]) -> list[Span]:
    """PERSON spans of the four slots above in ``text``; ``relations``: where a possessive
    and a person noun start ("my son"), as the person cues found them."""
    spans: list[Span] = []
    for start in relations:
        relation = RELATION.match(text, start)
        if relation is None:
            continue  # "their son", "your rep": not the relations read here
        m = BEFORE_RELATION.search(text, max(0, start - _LOOK_BACK), start)
        if m is None:
            continue
        token, previous = m.group(2), (m.group(1) or "").lower()
        low = token.lower()
        if not _name_like(token, names) or _shorthand(low):
            continue
        if _CLAUSE_VERB.match(text, relation.end()) is not None:
            continue  # "via venmo my wife uses it": the relation opens a clause of its own
        # "bilal al-sayed my son": a first name before the surname starts the name
        given = previous in names.first_names and previous not in names.common_words
        if (
            given
            or previous in _SLOT_BEFORE
            or (low in names.first_names and low not in names.common_words)
            or (token[0].isupper() and low in names.given_names)
        ):
            spans.append(Span("PERSON", m.start(1) if given else m.start(2), m.end(2), 0.75))
    signature = _signature(text, names)
    if signature is not None:
        spans.append(signature)
    if "'" in text or "’" in text:
        for device in DEVICE.finditer(text):
            owner = OWNER_BEFORE.search(text, max(0, device.start() - _LOOK_BACK), device.start())
            if owner is None:
                continue
            low = owner.group(1).lower()
            # a listed first name: firms own devices too ("Lenovo's laptop", "Garmin's watch")
            if (low in names.first_names and low not in names.common_words) or (
                owner.group(1)[0].isupper() and low in names.given_names
            ):
                spans.append(Span("PERSON", owner.start(1), owner.end(1), 0.75))
    if "," in text:
        upper = text.isupper()
        for subject in SAYING_SUBJECT.finditer(text):
            words = subject.group(1).split()
            low = words[0].lower()
            if (
                (upper or not any(word.isupper() for word in words))  # "USPS", "DHL"
                and _FIRM_BEFORE.search(text, max(0, subject.start() - 30), subject.start()) is None
                and low not in STOPWORDS
                and (
                    low in names.first_names
                    or low in names.given_names
                    or names.english_rank.get(low, _SAYER_RANK) >= _SAYER_RANK
                )
                and all(_name_part(word, names) for word in words[1:])
            ):
                spans.append(Span("PERSON", subject.start(1), subject.end(1), 0.75))
    return spans


def _signature(text: str, names: Gazetteer) -> Span | None:
    """The name on the message's last non-blank line, when that line is a signature: a
    dash and a name under an earlier line that is no list's item or heading ("- thao"),
    thanks and a name ("thx, raj"), or a name alone under a line that ends with thanks
    ("ok thx\nnandini vo"). Only those two lines are read, each on its own."""
    if "\n" not in text:
        return None  # one line: the person cues read "thanks, Raj"
    end = _blank_end(text, len(text))
    line_start = text.rfind("\n", 0, end) + 1
    if line_start == 0:
        return None
    pos = line_start
    while pos < end and text[pos] in " \t":
        pos += 1
    if pos == end:
        return None
    if text[pos] in "-–—~":
        match = DASH_LINE.fullmatch(text, pos, end)
        if match is None:
            return None
        previous = _line_above(text, line_start)
        if not previous or _LIST_ABOVE.search(previous):
            return None
    else:
        match = THANKS_LINE.fullmatch(text, pos, end)
        if match is None:
            match = NAME_LINE.fullmatch(text, pos, end)
            if match is None or not ENDS_WITH_THANKS.search(_line_above(text, line_start)):
                return None
    tokens = match.group("name").split()
    if any(_shorthand(token.lower()) for token in tokens):
        return None
    if len(tokens) == 1 and not _given_like(tokens[0], names):
        return None
    # "dao tran", "jo ann": a surname, or words rare in English text
    if len(tokens) == 2 and not all(_name_part(token, names) for token in tokens):
        return None
    return Span("PERSON", match.start("name"), match.end("name"), 0.75)


def _line_above(text: str, line_start: int) -> str:
    """The last non-blank line before the one starting at ``line_start``, stripped."""
    end = _blank_end(text, line_start - 1)
    return text[text.rfind("\n", 0, end) + 1 : end].strip()


def _blank_end(text: str, end: int) -> int:
    """``end`` moved back over the blanks before it (``rstrip`` without copying)."""
    while end and text[end - 1].isspace():
        end -= 1
    return end
