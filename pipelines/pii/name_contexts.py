"""Five more slots a name fills, where the words around it say "a person" even when the
name alone says little (a lower-case name, one no list holds, one that is also a word):

* an appositive relation: "sent it back via takeshi my neighbor", "cc simran (my
  wife)", "should have gone to Yuna, my caregiver";
* a signature, the message's last line: "\\n- thao", "\\nthx, raj", "thanks\\ndao tran";
* a subject set off by commas before a verb of saying: "the guy i talked to, Rajesh,
  said the credit would show up";
* the owner of a device opening a sentence: "lexi's phone keeps saying SIM not
  provisioned";
* a worker's name between their role and what they did: "the driver gurpreet was so
  rude", "the installer Duc said".

Hand-written, as the rest of the person rules are: no library reads these slots. Each
rule takes a token only when it is name-like (a listed name, or a word no English list
holds), so "my wife", "talked to my wife" and "- sent from my iphone" stay as they are.
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
# How far back from a relation or a device the token before it is read.
_LOOK_BACK = 80
# Before "takeshi my neighbor" without a comma: a word that takes a person. Otherwise a
# rare word there is mostly a typo of one ("Legume wtih my boyfriend").
_SLOT_BEFORE = frozenset(["to", "for", "from", "by", "with", "via", "cc", "and", "ask", "tell"])
# The message's last line, after an earlier one: a dash, tilde or thanks, then one or two
# tokens ("- thao", "thx, raj", "~ Mariela Ortiz", "Thanks,\nJo" is the cues' slot).
_THANKS = r"(?:thx|thanks|thank[ \t]+you|ty|tks|cheers|regards|sincerely)"
SIGNATURE = re.compile(
    r"(?:^|\n)[ \t]*(?:(?P<dash>[-–—~]{1,2})[ \t]*"
    rf"|{_THANKS}[ \t]*[,!.]*(?:[ \t]*\n[ \t]*|[ \t]+)"
    # "ok thx\nnandini vo": a line that ends with thanks, the name on the line below
    rf"|[^\n]*?\b{_THANKS}[ \t]*[,!.]*[ \t]*\n[ \t]*)"
    rf"(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)[ \t]*[.!]*[ \t]*\Z",
    re.IGNORECASE,
)
# The line before a dash signature, when it is a list's item ("- shoes\n- socks").
_DASH_ITEM = re.compile(r"(?:^|\n)[ \t]*[-–—~*•][^\n]*\Z")
# "lexi's phone keeps ...": a message or sentence opening with someone's device (the
# device searched first, the owner read back from it).
DEVICE = re.compile(
    r"['’]s[ \t]+(?:phone|iphone|cell|ipad|tablet|laptop|computer|kindle|watch)\b", re.IGNORECASE
)
OWNER_BEFORE = re.compile(rf"(?:^|(?<=[.!?])[ \t]+|(?<=\n)[ \t]*)({_TOKEN})\Z")
# "the driver gurpreet was so rude", "the installer Duc said": a name between a worker's
# role and a verb of what they did.
_ROLES = (
    r"driver|delivery[ \t]+(?:guy|driver|person)|installer|technician|tech|agent|rep"
    r"|representative|cashier|manager|supervisor|courier|mail[ \t]*(?:man|carrier)|plumber"
    r"|electrician|adjuster|pharmacist|receptionist|clerk|employee|associate|guy|lady"
)
_DEEDS = (
    r"was|is|said|says|told|has|had|did|didnt|never|just|left|dropped|came|called|hung"
    r"|threw|kept|keeps|promised|refused|yelled|took"
)
ROLE_NAME = re.compile(
    rf"\bthe[ \t]+(?:{_ROLES})[ \t]+({_TOKEN})(?:[ \t]+({_TOKEN}))?[ \t]+(?:{_DEEDS})\b",
    re.IGNORECASE,
)
# ", Rajesh, said" / ", Ivy, told me": a capitalised token set off by commas as the
# subject of a verb of saying.
SAYING_SUBJECT = re.compile(
    r",[ \t]*([A-Z][^\W\d_]+(?:['’-][^\W\d_]+)?)[ \t]*,[ \t]*"
    r"(?:said|says|told|promised|mentioned|explained|assured|confirmed)\b"
)


# Words this rare in English text (wordfreq's rank) are mostly names: "dao" 29,233.
_RARE_RANK = 20_000


def _name_like(token: str, names: Gazetteer) -> bool:
    """A listed first name or surname that is no common word, a given name written with
    its capital, or (longer than two letters) a word no English list holds or one rarer
    than ``_RARE_RANK`` ("Rajesh" is wordfreq's 39,513th English word)."""
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
        or (len(low) > 2 and names.english_rank.get(low, _RARE_RANK) >= _RARE_RANK)
    )


def _name_part(token: str, names: Gazetteer) -> bool:
    """A token of a two-word name: name-like, a surname, or a word rare in English."""
    low = token.lower()
    return (_name_like(token, names) or names.is_surname(low)) and low not in STOPWORDS


def context_names(text: str, names: Gazetteer, relations: list[int]) -> list[Span]:
    """PERSON spans of the five slots above in ``text``; ``relations``: where a possessive
    and a person noun start ("my son"), as the person cues found them."""
    spans: list[Span] = []
    for start in relations:
        if RELATION.match(text, start) is None:
            continue  # "their son", "your rep": not the relations read here
        m = BEFORE_RELATION.search(text, max(0, start - _LOOK_BACK), start)
        if m is not None:
            token, previous = m.group(2), (m.group(1) or "").lower()
            if not _name_like(token, names):
                continue
            # "bilal al-sayed my son": a first name before the surname starts the name
            given = previous in names.first_names and previous not in names.common_words
            if (
                given
                or m.group("set_off") is not None
                or token.lower() in names.listed
                or previous in _SLOT_BEFORE
            ):
                start = m.start(1) if given else m.start(2)
                spans.append(Span("PERSON", start, m.end(2), 0.75))
    last_break = text.rfind("\n")
    if last_break >= 0:
        # the last two lines hold a signature, if any
        signature = SIGNATURE.search(text, max(0, text.rfind("\n", 0, last_break)))
        if signature is not None:
            before = text[: signature.start()]
            tokens = signature.group("name").split()
            dash = signature.group("dash") is not None
            if (
                # a dash line alone, or under a list's item, is no signature
                not (dash and (not before.strip() or _DASH_ITEM.search(before)))
                and (
                    _name_like(tokens[0], names)
                    if len(tokens) == 1
                    # "dao tran", "jo ann": a surname, or words rare in English text
                    else all(_name_part(token, names) for token in tokens)
                )
            ):
                spans.append(Span("PERSON", signature.start("name"), signature.end("name"), 0.75))
    if "s " in text:
        for device in DEVICE.finditer(text):
            owner = OWNER_BEFORE.search(text, max(0, device.start() - _LOOK_BACK), device.start())
            if owner is not None and _name_like(owner.group(1), names):
                spans.append(Span("PERSON", owner.start(1), owner.end(1), 0.75))
    if "the " in text or "The " in text or "THE " in text:
        for role in ROLE_NAME.finditer(text):
            first, last = role.group(1), role.group(2)
            if _name_like(first, names) and (last is None or _name_part(last, names)):
                spans.append(Span("PERSON", role.start(1), role.end(2 if last else 1), 0.75))
    if ", " in text:
        for subject in SAYING_SUBJECT.finditer(text):
            token = subject.group(1)
            # not a frequent word: firms are subjects of saying too ("the bank, Chase, said")
            if _name_like(token, names) and token.lower() not in names.frequent_words:
                spans.append(Span("PERSON", subject.start(1), subject.end(1), 0.75))
    return spans
