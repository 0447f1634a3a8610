"""Round 17's name slots (pipelines/pii/name_contexts.py): appositive relations, signatures,
subjects of saying set off by commas, owners of devices; and the words they must leave."""

from __future__ import annotations

import pytest

from pipelines.pii import scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name, then whose relation it is
        (
            "i gave the spare key to ngozi my neighbor",
            "i gave the spare key to <PERSON_1> my neighbor",
        ),
        ("please cc oluwaseun (my husband) too", "please cc <PERSON_1> (my husband) too"),
        (
            "the refund should go to Farida, my caregiver, not me",
            "the refund should go to <PERSON_1>, my caregiver, not me",
        ),
        (
            "add tomasz wojcik my son to the plan",
            "add <PERSON_1> my son to the plan",
        ),
        # relations by marriage, and more people nouns after a possessive
        (
            "my sister-in-law Joy is on the account",
            "my sister-in-law <PERSON_1> is on the account",
        ),
        # a signature on the last line
        ("that worked, thanks!\n- anh", "that worked, thanks!\n- <PERSON_1>"),
        ("all set now\nthx, priyanka", "all set now\nthx, <PERSON_1>"),
        ("appreciate it\n~ Marisol", "appreciate it\n~ <PERSON_1>"),
        ("thanks\nduc nguyen", "thanks\n<PERSON_1>"),
        # a subject set off by commas, before a verb of saying
        (
            "the manager on duty, Vikram, told me the fee would be waived",
            "the manager on duty, <PERSON_1>, told me the fee would be waived",
        ),
        # a possessive name given with "was" ("his name was ...")
        (
            "i think her name was nkechi, at the counter",
            "i think her name was <PERSON_1>, at the counter",
        ),
        # a surname and a comma after "as" or a colon, before a first name
        (
            "the portal lists me as Nowak, Agnieszka for some reason",
            "the portal lists me as <PERSON_1>, <PERSON_2> for some reason",
        ),
        # lower-case names with letters English does not use, in a name's slot
        ("can you cc tuấn on the ticket", "can you cc <PERSON_1> on the ticket"),
        ("thx bartłomiej!!", "thx <PERSON_1>!!"),
        # hyphenated first names after a sign-off, lower case
        ("thx anne-marie, that did it", "thx <PERSON_1>, that did it"),
        # a worker's name between the role and what they did
        (
            "the courier babatunde was rude and left it in the rain",
            "the courier <PERSON_1> was rude and left it in the rain",
        ),
        ("The delivery guy Hao Wu threw it", "The delivery guy <PERSON_1> threw it"),
        # a name on its own last line, under a line that ends with thanks
        ("ok that fixed it thx\nbhavna", "ok that fixed it thx\n<PERSON_1>"),
        # a relative's capitalised name before what they do
        (
            "Our neighbor Bao has been using our wifi",
            "Our neighbor <PERSON_1> has been using our wifi",
        ),
        # orders, accounts and forms under a name
        (
            "pickup order under Whitlock, im parked out front",
            "pickup order under <PERSON_1>, im parked out front",
        ),
        (
            "the account might be under Mehta, try that",
            "the account might be under <PERSON_1>, try that",
        ),
        ("FYI the policy holder is BAO NGUYEN", "FYI the policy holder is <PERSON_1>"),
        ("Shipping to: Min-jun Park", "Shipping to: <PERSON_1>"),
        # a form's next field ends a lower-case name
        ("acct holder mei chen dob 06/19/1996", "acct holder <PERSON_1> dob <DATE_OF_BIRTH_1>"),
        # the owner of a device opening a sentence
        (
            "ok. maddie's phone still says no service",
            "ok. <PERSON_1>'s phone still says no service",
        ),
    ],
)
def test_context_names_are_scrubbed(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # relations without a name before them
        "i talked to my wife about it",
        "me and my husband both use the app",
        "Hello my friend, can you help",
        # a typo before the relation is no name: a slot word must come before it
        "Legume wtih my boyfriend",
        # list items and device signatures are no signatures
        "what i ordered:\n- shoes\n- socks",
        "what i ordered:\n- shirts\n- nike",
        "thanks\n- sent from my iphone",
        "thanks again",
        "thank you sir",
        "thanks\nSupport Team",
        "- done",
        # a firm or a frequent word as the subject of saying
        "i called the carrier, Verizon, said they never got it",
        "then the store, Target, said no",
        "on the second call, Monday, told me nothing",
        # accented words that are English or Spanish, and sign-offs before words
        "thx, café was great",
        "thx for the help, está bien",
        "thx again",
        # authorizing a thing
        "i authorize payment of the balance",
        # a place after "as"
        "I was listed as Jackson, Mississippi",
        # a role before a word that is no name, and adverbs or firms after a relative
        "the driver app was down all day",
        "the driver just left without ringing",
        "the tech support team was great",
        "my son Never got it",
        "my husband Always pays the bill",
        "my advisor Fidelity said to wait",
        # "under" before a thing
        "my account is under review",
        "it's spelled wrong on the bill",
        "ok thanks\nbye",
        # a thing, not a person, owning a device
        "The phone's screen is cracked. my phone still works",
    ],
)
def test_context_words_stay(text: str) -> None:
    assert scrub(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "please cc oluwaseun (my husband) too",
        "that worked, thanks!\n- anh",
        "thanks\nduc nguyen",
        "the manager on duty, Vikram, told me the fee would be waived",
        "ok. maddie's phone still says no service",
    ],
)
def test_context_names_scrub_once(text: str) -> None:
    once = scrub(text).text
    assert scrub(once).text == once
