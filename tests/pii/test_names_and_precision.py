"""Round-2 name classes, phones after a cue, and the over-scrubbing negatives."""

from __future__ import annotations

import re

import pytest

from pipelines.pii import ConversationScrubber, scrub, scrub_conversation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # first names that are also English words or places, after introductions
        ("Hi, this is Mark Davis, I need help", "Hi, this is <PERSON_1>, I need help"),
        (
            "this is Crystal Adams calling about a refund",
            "this is <PERSON_1> calling about a refund",
        ),
        ("Hello, this is April Powell", "Hello, this is <PERSON_1>"),
        ("This is Hunter Jordan", "This is <PERSON_1>"),
        ("this is Austin Schroeder", "this is <PERSON_1>"),
        ("this is mark davis", "this is <PERSON_1>"),
        # sign-offs with a suffix
        ("Thanks, Daisy Smith MD", "Thanks, <PERSON_1>"),
        # a US first name that is also a word, closing a sign-off or greeting
        ("Take care Sue", "Take care <PERSON_1>"),
        ("Thanks, April!", "Thanks, <PERSON_1>!"),
        ("Thank you, Grace", "Thank you, <PERSON_1>"),
        # whose a card is
        ("The card belongs to Cole.", "The card belongs to <PERSON_1>."),
        ("the card belongs to gisbert.", "the card belongs to <PERSON_1>."),
        # lower-case and half lower-case names
        ("jane doe", "<PERSON_1>"),
        ("Jane doe", "<PERSON_1>"),
        ("sarah brown", "<PERSON_1>"),
        # a word-name with a known name after it
        ("Crystal Minh", "<PERSON_1>"),
        # ... and a third listed name: one person, not a name and a surname left alone
        ("Crystal Minh Tran called", "<PERSON_1> called"),
        (
            "My cousin is Grace Ann Porter, she lives nearby.",
            "My cousin is <PERSON_1>, she lives nearby.",
        ),
    ],
)
def test_name_classes(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # first names that are words, known from the US Census 1990 lists
        ("hey it's Hope Fernandez, my order is late", "hey it's <PERSON_1>, my order is late"),
        ("Ruby Wilson here, the app logs me out", "<PERSON_1> here, the app logs me out"),
        ("so June Carter told me it was waived", "so <PERSON_1> told me it was waived"),
        ("my name is ruby jones and i need help", "my name is <PERSON_1> and i need help"),
        ("my name is will smith", "my name is <PERSON_1>"),
        ("ask for Will Washington at the desk", "ask for <PERSON_1> at the desk"),
        # surnames that are venue or place words, after a first name
        ("ask for Sarah Hall at the front desk", "ask for <PERSON_1> at the front desk"),
        ("my name is Nathan Hall and I need a refund", "my name is <PERSON_1> and I need a refund"),
        ("transfer me to my wife Cindy Hampton", "transfer me to my wife <PERSON_1>"),
        # the cue says what follows: "it's under", "account holder to", "name on card"
        ("it's under hunter bryant, table for two", "it's under <PERSON_1>, table for two"),
        ("update the account holder to Jenna Hill", "update the account holder to <PERSON_1>"),
        ("change the account holder to Christopher Le", "change the account holder to <PERSON_1>"),
        ("name on card Ruby Ho", "name on card <PERSON_1>"),
        # a lower-case surname closing an introduction
        ("yes this is Chase lambert", "yes this is <PERSON_1>"),
        # a relative's or acquaintance's name
        ("my son Hope made the purchase", "my son <PERSON_1> made the purchase"),
        ("left with my neighbor Sky Turner", "left with my neighbor <PERSON_1>"),
    ],
)
def test_word_names_and_place_surnames(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "it's under warranty, right?",
        "yes this is the right lane",
        "I hope you can help me",
        "my son will pay next week",
        "the concert at Carnegie Hall was moved",
        "we stayed at the Hampton Inn",
        "it's under review still",
        "yes this is Summer vacation pricing",
        "I'm Sorry, what?",
        # found by a review of round 14 (each was scrubbed by a first version)
        "thanks will call back later",
        "it's under will call",
        "Will Ford cover this under warranty?",
        "Rose Gold iPhone, the Gold one not Silver",
        "it's Rose gold.",
        "this is Summer camp.",
        "Denver Post subscription",
        "Candy Land game",
        "which bank? It's Chase.",
        "my daughter Got hurt.",
        "my sister Hope you can help",
        "I'm Sunny, side up lol",
        "Name on card Required",
    ],
)
def test_word_name_rules_leave_words(text: str) -> None:
    assert "<PERSON_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # how chat spells "account", and money moving to or from a number
        ("acc# 405795005566 pls check", "acc# <BANK_ACCOUNT_1> pls check"),
        ("accnt 1882407340", "accnt <BANK_ACCOUNT_1>"),
        ("acount 66362148", "acount <BANK_ACCOUNT_1>"),
        ("my acc number 534973974", "my acc number <BANK_ACCOUNT_1>"),
        ("autopay from 443596405", "autopay from <BANK_ACCOUNT_1>"),
        ("deposit went to 42649832983", "deposit went to <BANK_ACCOUNT_1>"),
        ("transfer from 184327215 to my savings", "transfer from <BANK_ACCOUNT_1> to my savings"),
    ],
)
def test_account_number_spellings_and_money_moves(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "the act 12345678 passed",
        "refund to order 12345678 please",
        "deposit in 20240101",
        "I was transferred to 3 agents",
        "refund of 12000000 points",
    ],
)
def test_money_move_rule_leaves_other_numbers(text: str) -> None:
    assert "<BANK_ACCOUNT_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first name that is a word, alone, in a slot only people fill
        ("Faith here, quick question", "<PERSON_1> here, quick question"),
        ("Ruby said it would ship monday", "<PERSON_1> said it would ship monday"),
        ("is Ruby there?", "is <PERSON_1> there?"),
        ("can I talk to Hope", "can I talk to <PERSON_1>"),
        ("ask for Frank at the desk", "ask for <PERSON_1> at the desk"),
        ("your rep Dawn promised a refund", "your rep <PERSON_1> promised a refund"),
        # a lower-case first name before the surname that was found
        ("ship to hope flores", "ship to <PERSON_1>"),
        # found by review: a capitalised first name that is a word, before a surname the
        # model found alone ("Ruby <PERSON_1>" before)
        ("Ruby Okafor lives in San Jose", "<PERSON_1> lives in San Jose"),
        # found by review: a relative of a found name, as after "my wife"
        ("Mark Davis's wife Ruby called", "<PERSON_1>'s wife <PERSON_2> called"),
        ("Mark Davis's son, Hunter, is sick", "<PERSON_1>'s son, <PERSON_2>, is sick"),
    ],
)
def test_word_first_names_alone(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ask for Summer pricing", "Summer"),  # a plan, not a person
        ("i hope smith can help", "hope"),  # a verb after "i"
        ("Is Spotify available?", "Spotify"),  # a product asked about
        ("booked by june tran on monday", "june"),  # a month's name is not taken
        ("how is Austin doing?", "Austin"),  # a first name that is a town, alone
        ("In May Okafor called me", "May"),  # a month before a surname
        ("Will Okafor call me back?", "Will"),  # an auxiliary before a surname
        ("Mark Davis's manager Will called", "Will"),  # a stopword after a relation
    ],
)
def test_word_first_name_rules_leave_words(text: str, kept: str) -> None:
    assert kept in scrub(text).text.split()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lower-case first name before a found surname in a message not all lower case
        (
            "this is kristen cruz hernandez calling about order #A248",
            "this is <PERSON_1> calling about order #A248",
        ),
        # a two-letter surname before a verb of the person's
        ("my mom phuong vo passed away", "my mom <PERSON_1> passed away"),
        ("kevin do it", "<PERSON_1> do it"),
        # after an object cue, a listed first name and a listed surname in lower case, in
        # text not all lower case
        (
            "package for rachel bradshaw was left at Grand Ave, wrong address",
            "package for <PERSON_1> was left at Grand Ave, wrong address",
        ),
        # and since round 45 a listed first name alone after a verb that takes a person
        ("I talked to ethan about it at Grand Ave", "I talked to <PERSON_1> about it at Grand Ave"),
        # a first name that is a word, before a listed surname closing the phrase
        ("I spoke with hope martinez on Monday", "I spoke with <PERSON_1> on Monday"),
        ("I spoke with hope on Monday", "I spoke with hope on Monday"),
        ("can you tell mark davis I called", "can you tell <PERSON_1> I called"),
        (
            "I need to add my wife summer jones to the Account",
            "I need to add my wife <PERSON_1> to the Account",
        ),
        ("I sent hope white roses", "I sent hope white roses"),
        ("my wife may call you", "my wife may call you"),
        (
            "package for the office was left at Grand Ave",
            "package for the office was left at Grand Ave",
        ),
    ],
)
def test_name_pieces_beside_a_found_name_round_41(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hyphenated surnames of two listed surnames, apostrophe surnames
        ("ask for Christian Rogers-Ward", "ask for <PERSON_1>"),
        ("cc Regina Harris-Taylor", "cc <PERSON_1>"),
        # "Surname, First" opening a line
        ("O'Neil, Joanna", "<PERSON_1>, <PERSON_2>"),
        ("Sanchez-Brown, Jonathan", "<PERSON_1>, <PERSON_2>"),
        # last name first after a cue that states a name: the given name after the comma
        (
            "the name on the lease is Kim, Jia if that helps",
            "the name on the lease is <PERSON_1>, <PERSON_2> if that helps",
        ),
        (
            "the order is under hoang, duc (last name first)",
            "the order is under <PERSON_1>, <PERSON_2> (last name first)",
        ),
        ("Patient: Yamamoto, Zhiwei", "Patient: <PERSON_1>, <PERSON_2>"),
        # in lower case: a listed surname before a comma and a found first name
        ("insured johnson, kayla", "insured <PERSON_1>, <PERSON_2>"),
        ("patient name nelson, ethan", "patient name <PERSON_1>, <PERSON_2>"),
        (
            "insurance card says holloway, steven is that right",
            "insurance card says <PERSON_1>, <PERSON_2> is that right",
        ),
    ],
)
def test_compound_and_inverted_surnames(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Washington, Maria Lopez said", "Washington,"),  # a place before the comma
        ("O'Reilly Auto Parts has it", "O'Reilly"),
        ("Hello, John", "Hello,"),
        # after the found surname, a common word or a word that does not close the phrase
        ("the name on the account is Garcia, thanks", "thanks"),
        ("my name is Garcia, please help", "please"),
        ("the name on the lease is Kim, Jia Industries", "Jia"),
        ("the account is under Garcia, Venmo also charged me", "Venmo"),
        # a place before the comma, in lower case and in no slot for a name
        ("we went to jackson, mary drove", "jackson,"),
        ("my cat is brown, john said", "brown,"),
    ],
)
def test_surname_comma_rule_leaves_places_and_words(text: str, kept: str) -> None:
    assert kept in scrub(text).text.split()


def test_a_found_name_is_scrubbed_in_later_turns() -> None:
    texts = ["this is Crystal Minh", "what about membership level Crystal?"]
    out = [r.text for r in scrub_conversation(texts) if r is not None]
    assert out == ["this is <PERSON_1>", "what about membership level <PERSON_1>?"]


def test_phone_after_a_cue_with_an_unissued_area_code() -> None:
    assert scrub("call me at (004) 555-4942").text == "call me at <PHONE_1>"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # written in a US phone's shape: a phone whatever the area code, cue or not
        ("KS 84572, (111) 536-9299", "KS 84572, <PHONE_1>"),
        ("it's 103.506.6599 thanks", "it's <PHONE_1> thanks"),
        # "my number", "best #", "callback": phone cues in chat
        ("my number is 7711701307", "my number is <PHONE_1>"),
        ("best # is 1635854633", "best # is <PHONE_1>"),
        ("callback 1635854633 pls", "callback <PHONE_1> pls"),
        # the phone of a contact block, after a name, an address or an email
        ("Regards,\nKelly Cooper\n1722425393", "Regards,\n<PERSON_1>\n<PHONE_1>"),
        ("a.b@example.com, 0045554942.", "<EMAIL_1>, <PHONE_1>."),
        # a state's abbreviation joined to the area code is no "MEID" cue: the whole
        # phone is scrubbed, not its last seven digits
        ("in MD (784) 462-8388", "in MD <PHONE_1>"),
    ],
)
def test_phones_by_shape_cue_and_contact_block(text: str, scrubbed: str) -> None:
    assert scrub(text).text == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "my order number is 1635854633",  # an order number is kept on purpose
        "my number is 12 on the list",  # too short for a phone
        "Mark Davis, 0045554942.5",  # a decimal, not a contact block's phone
        "version 1.2.3 and 4.5.6",
        # found by a review of round 14
        "my number one complaint is that order 12345678 was late",
        "best # of attempts was 3, ticket 12345678",
        "1234567890 is my order number",
        "callback ID 1000234567",
    ],
)
def test_phone_rules_leave_other_numbers(text: str) -> None:
    assert "<PHONE_" not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        # each was scrubbed in two passes by a first version of round 14
        "Mark Davis and Sarah Hall",
        "call 415-555-0132 Sarah Hall",
        "ref 12345678901 (111) 536-9299",
    ],
)
def test_round_14_rules_scrub_in_one_pass(text: str) -> None:
    once = scrub(text).text
    assert scrub(once).text == once
    assert not re.search(r"\d", re.sub(r"<[A-Z_]+_\d+>", "", once))
    assert "Hall" not in once and "Davis" not in once


@pytest.mark.parametrize(
    "text",
    [
        "I stayed at the Hilton last week",
        "we ate at the Lucca",
        # a venue after "the" where the sentence reads like a person's (SGD's bot turns)
        "Great, the Lucca is happy to accommodate you.\nCan I confirm your reservation?",
        "The Lucca is available, would you like me to reserve it now?",
        "Does the Legume have higher reviews than the Lucca?",
        "turn left on Murray and then right",
        "57 square",
        "okay what about 3 or 4",
        "the 2 court dates moved",
        # a sign-off's word that is not closing it, or is not a first name
        "Thanks, May I ask something?",
        "thanks, great work",
        "Take care of it please",
        "this belongs to Amazon",
        "the account belongs to my wife",
    ],
)
def test_places_and_small_numbers_are_not_people_or_addresses(text: str) -> None:
    assert scrub(text).text == text


def test_a_name_after_the_is_still_read_when_a_surname_follows() -> None:
    # "the" rules out a word standing alone, not a full name used as a modifier
    assert scrub("I talked to Lucca yesterday").text == "I talked to <PERSON_1> yesterday"
    assert "Rossi" not in scrub("please close the Lucca Rossi account").text
    # nor when the word is a US first name or surname (a review's cases)
    for text, name in [
        ("the Maria at the front desk was rude", "Maria"),
        ("Please transfer me to the Amanda", "Amanda"),
    ]:
        assert name not in scrub(text).text, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my account number is 4111111111111111", "my account number is <BANK_ACCOUNT_1>"),
        ("card 4111 1111 1111 1111", "card <CREDIT_CARD_1>"),
        ("Order ID: 3348917502", "Order ID: <ORDER_ID_1>"),
        ("call me on 334-891-7502", "call me on <PHONE_1>"),
    ],
)
def test_types_follow_the_words(text: str, expected: str) -> None:
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "deposit in 50000000 VND",
        "refund to 112-1234567-1234567",
        "debit from 11022024 is wrong",
        "autopay from 202401150930",
        "refund to 12345678 rma",
        "acc to the app 12345678 is pending",
        "car acc charger model 12345678",
    ],
)
def test_money_move_and_acc_leave_other_numbers(text: str) -> None:
    assert "<BANK_ACCOUNT_" not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "I need to talk to Chase about this charge",
        "ask for Chase Sapphire",
        "talk to Hope Depot",
        "talk to Crystal Springs about delivery",
        "Is Venmo there as a payment option?",
        "Is Geico there?",
        "Summer is so hot, my AC broke",
        "Bill says 120 but I used less",
        "I need Chase's routing number",
        "I have cards from Citi, Discover, Chase.",
        "Colors available: blue, Amber, Ruby.",
    ],
)
def test_word_first_name_slots_leave_firms_and_words(text: str) -> None:
    assert "<PERSON_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [("pay the bill flores sent", "bill"), ("we sent it, hope gonzalez got it", "hope")],
)
def test_lower_given_before_surname_not_a_verb(text: str, kept: str) -> None:
    assert kept in scrub(text).text.split()


# Account numbers as banks, utilities, insurers and brokerages print them, after the
# word that names them (cues.py BANK_ACCOUNT), from blind-written development examples
# (round 15): letter prefixes and suffixes, a capital prefix before digit groups, the
# cue after the value, an amount between a transfer and its account.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "brokerage account XZA-0092349, want to know why",
            "brokerage account <BANK_ACCOUNT_1>, want to know why",
        ),
        ("my 401k acct is RH70301341 i need", "my 401k acct is <BANK_ACCOUNT_1> i need"),
        ("the savings one is 975683415S", "the savings one is <BANK_ACCOUNT_1>"),
        ("for my hsa (HSA-00256494) what is", "for my hsa (<BANK_ACCOUNT_1>) what is"),
        (
            "student loan acct number YTC 5377 3219 im on",
            "student loan acct number <BANK_ACCOUNT_1> im on",
        ),
        ("Policy YMW 0015 3881", "Policy <ID_NUMBER_1>"),
        ("phone acct 8242 0055 2276 7815 wait", "phone acct <BANK_ACCOUNT_1> wait"),
        ("000837955830 <- thats my account", "<BANK_ACCOUNT_1> <- thats my account"),
        ("0954887797, that's my old checking", "<BANK_ACCOUNT_1>, that's my old checking"),
        (
            "transfer $246.60 from 774825900 to savings",
            "transfer $246.60 from <BANK_ACCOUNT_1> to savings",
        ),
    ],
)
def test_account_numbers_as_printed(text: str, expected: str) -> None:
    assert scrub(text).text == expected
    assert scrub(expected).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "my account since 2019 has been fine",
        "account balance 250 and then 12345",
        "checking 4 items and 120 dollars",
        "the act 123456 passed",  # "act" is not "acct" here
        "what an accent 1234567",
        "Verify with the IMEI 356938035643809",  # a cue word is not a prefix
    ],
)
def test_account_words_leave_other_numbers(text: str) -> None:
    assert "BANK_ACCOUNT" not in scrub(text).text


def test_a_phone_named_after_the_account_word_stays_a_phone() -> None:
    assert scrub("my account phone number is 415-555-0132").text == (
        "my account phone number is <PHONE_1>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "my phone bill is wrong",
        "my bill went from 40 bucks to $1,500 with no explanation",
        "ira account number MNT-0017722 need the 5498 form",
        "a penny short on the refund",
    ],
)
def test_lower_case_money_words_are_not_names(text: str) -> None:
    """The name model read lower-case "bill" and "ira" (US first names) as names in
    billing talk; after a determiner or a bill's kind, or before an account word, they
    are the money words (name_model._MONEY_NOUNS)."""
    assert "PERSON" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("this is bill from accounting", "bill"),
        ("my husband bill set it up", "bill"),
        ("my name is bill", "bill"),
    ],
)
def test_money_words_as_names_elsewhere_stay_names(text: str, name: str) -> None:
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("its under jean-pierre baptiste", "its under <PERSON_1>"),
        ("Called Juan Carlos de la Cruz at the branch", "Called <PERSON_1> at the branch"),
        ("name: alejandra del valle , same as on my id", "name: <PERSON_1> , same as on my id"),
        (
            "remove my ex abdul rahman al-farsi from the account",
            "remove my ex <PERSON_1> from the account",
        ),
        ("Best,\nAhmad N. Thomas Jr", "Best,\n<PERSON_1>"),
        ("Best,\nBogdan Whitfield Sr.", "Best,\n<PERSON_1>"),
        (
            "yes the card is in the name of mariam j. vasquez",
            "yes the card is in the name of <PERSON_1>",
        ),
        (
            "declan d'angelo here, i need to change the email",
            "<PERSON_1> here, i need to change the email",
        ),
        ("talk to Anna van der Berg please", "talk to <PERSON_1> please"),
    ],
)
def test_a_name_found_in_parts_is_scrubbed_whole(text: str, expected: str) -> None:
    """name_parts.complete_names: hyphenated parts, surname particles, a middle initial,
    a generational suffix; one person, one placeholder."""
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my son dallas is 17 can he be an authorized user", "dallas"),
        ("my husband sanjay set up the account so idk the password", "sanjay"),
        ("officer siddiqui took the police report", "siddiqui"),
        ("mrs whitfield called me about the overdraft", "whitfield"),
        ("can i get dr. okafor's office on the line?", "okafor"),
        ("my lawyer, attorney Petrov, will be sending the paperwork", "Petrov"),
        ("sgt smith-okafor at the base said to contact you", "smith-okafor"),
        ("this is Siriporn on behalf of my mom", "Siriporn"),
    ],
)
def test_names_in_relative_title_and_introduction_slots(text: str, name: str) -> None:
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "my girlfriend raves about this place",
        "my mother-in-law is visiting",
        "my husband will call you back",
        "the officer said no",
        "my dr appointment is at 3",
        "I'm sorry I think we are miss communicating",
        "the attorney general said so",
        "Im exhasuted, hows your day going?",
        "It's strapless and I have heels to go with it",
        "they put me on an iv drip",
    ],
)
def test_words_in_those_slots_stay_words(text: str) -> None:
    assert "PERSON" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("here you go 0023760764", "here you go <ID_NUMBER_1>"),
        ("Sure, it's 93418043810", "Sure, it's <ID_NUMBER_1>"),
        ("84318931431 at PNC", "<ID_NUMBER_1> at PNC"),
        # a contact block's phone stays a phone
        ("Regards,\nRose Lee\n1361023662", "Regards,\n<PERSON_1>\n<PHONE_1>"),
    ],
)
def test_an_unknown_speakers_long_number_nothing_explains_is_an_identifier(
    text: str, expected: str
) -> None:
    """A message without its speaker (``scrub``, the CLI's {"id","text"} lines) may be
    the customer's: its long numbers that no rule explains are scrubbed as a customer's
    are (asked.unexplained_numbers)."""
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "we had 10000000 users last year",
        "the payment was 12500000 USD",
        "it reached 25000000 views",
        "it costs $12345678",
        "my order number is 33489175",
        "flight 4418820 was cancelled",
        "Your reference is 84318931431",
        "the deposit on 20240101 never arrived",
        "autopay from 2024-01-15 to 2024-02-15",
        "deposit 25000000 won into my wallet",
        "1234567890 is my order number",
        "refund to 772345678901 fedex",
    ],
)
def test_an_unknown_speakers_numbers_explained_by_their_words_stay(text: str) -> None:
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my roommate mariam is the one who set up the wifi", "mariam"),
        ("my uncle armando (713-555-0183) is picking it up for me", "armando"),
        ("On Friday, Jun Huang <rocketlucky30@hotmail.com> wrote:", "Jun Huang"),
        ("Rose Yoon <lakehappy84@outlook.com> wrote:", "Yoon"),
        ("NAME ON ACCOUNT: COLTON DUBOIS", "COLTON"),
        ("the label says SHIP TO: QUENTIN LANDRY but that's not me", "LANDRY"),
        ("yes i authorize rajesh g. abernathy to talk about my account", "abernathy"),
        ("i got a package addressed to vy r. patel but nobody lives here", "patel"),
        ("HELLO?? REBECCA SAID SOMEONE WOULD CALL ME BACK TODAY", "REBECCA"),
        ("denise said she would call me back and never did", "denise"),
    ],
)
def test_names_of_development_set_4(text: str, name: str) -> None:
    """Classes the blind-written development set 4 found (bench/pii_chat_dev4_templates.py)."""
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "Support <support@example.com> wrote:",
        "Billing Team <billing@example.com>",
        "Chase Bank <alerts@example.com>",
        "see pg. 5 of the manual",
        "call me at 5 p.m. today",
        "ok. mom said its fine",
        "STORE SAID NO",
        "the agent said yes",
    ],
)
def test_senders_that_are_teams_and_initials_that_are_not_names(text: str) -> None:
    assert "PERSON" not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        # found by round 16's review: brands, things and verbs in the new slots
        "usps said it was lost",
        "VENMO SAID IT WENT THROUGH",
        "your rep hung up on me",
        "my son chase card was declined",
        "my dad roku stopped working",
        "i need a dr referral",
        "ms excel wont open",
        "the officer rose from his chair",
        "Ship to: Store Pickup",
        "Name on account: Business Checking",
        "From: PayPal <service@paypal.com>",
    ],
)
def test_words_in_round_16s_slots_stay_words(text: str) -> None:
    assert "PERSON" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("thanks maria lo siento", "lo siento"),
        ("my name is maria de la mañana", "de la mañana"),
        ("non-John Smith content", "non-"),
        ("Thanks, John Smith Sr. Hunter Douglas blinds are broken", "blinds are broken"),
        ("On Mon, Jan 5, 2024 at 3:12 PM Jun Huang <j@example.com> wrote:", "3:12 PM"),
    ],
)
def test_a_name_grows_over_its_own_parts_only(text: str, kept: str) -> None:
    assert kept in scrub(text).text


def test_a_number_beside_a_found_value_is_read_alone() -> None:
    """The unknown speaker's number rule reads the text between found values: "0132
    0023760764" read as one run lost to the phone and left the second number."""
    for text in ("415-555-0132 0023760764", "0023760764 415-555-0132"):
        once = scrub(text).text
        assert "0023760764" not in once and scrub(once).text == once


def test_payload_strings_keep_their_numbers() -> None:
    """A payload (actor None) is no one's message: its numbers are not read as a
    customer's (a bot's sku and timestamp stay)."""
    result = ConversationScrubber().scrub("sku 88213377 at 20240115103000", None)
    assert result is not None and result.text == "sku 88213377 at 20240115103000"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the card says MICHAEL BROWN on it", "MICHAEL BROWN"),
        ("it was printed as JENNIFER LOPEZ on the card", "JENNIFER LOPEZ"),
        ("embossed name is WILLIAM DAVIS", "WILLIAM DAVIS"),
        ("the statement is addressed to THOMAS ANDERSON", "THOMAS ANDERSON"),
        ("the package label says MARIA HERNANDEZ", "MARIA HERNANDEZ"),
        ("i think the label said JOSEPH MARTIN not me", "JOSEPH MARTIN"),
        ("the card has ROBERT J SMITH printed on the front", "ROBERT J SMITH"),
    ],
)
def test_a_name_in_capitals_inside_mixed_case_text(text: str, name: str) -> None:
    """As printed on a card or a label: a US first name and surname in capitals, which
    the rules otherwise skip as acronyms."""
    scrubbed = scrub(text).text
    assert name not in scrubbed and "<PERSON_1>" in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "my order from BEST BUY is late",
        "the INSTANT POT lid is cracked",
        "we use AT&T and VERIZON",
        "the HOME DEPOT receipt",
        "CALL ME ASAP",
        "Call me ASAP",
        "CALL ME ASAP PLEASE",
        "CALL ME TOMORROW",
        "CALL ME PLS",
        "I took a wrong turn! Please help me Mr/Mrs AI Assistant!",
    ],
)
def test_capitals_that_are_no_name_stay(text: str) -> None:
    assert "<PERSON_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("CALL ME MIKE", "MIKE"),
        ("MY NAME IS MARK", "MARK"),
        ("FYI the policy holder is BAO NGUYEN, i am his wife", "BAO NGUYEN"),
        ("THE ACCOUNT IS UNDER DE LA GARZA NOT MY HUSBANDS NAME", "DE LA GARZA"),
    ],
)
def test_a_name_in_capitals_after_a_cue_stays_found(text: str, name: str) -> None:
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("last name is thompson", "thompson"),
        ("surname is okafor", "okafor"),
        ("my surname is okafor", "okafor"),
        ("our friends last name is wheeler. she's the third wheel", "wheeler"),
        ("its under garcia", "garcia"),
        ("its under the name lopez", "lopez"),
        ("it's under the name lopez", "lopez"),
    ],
)
def test_name_fields_without_my_and_its_without_its_apostrophe(text: str, name: str) -> None:
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "last name is required",
        "surname is optional",
        "the last name is wrong on my card",
        "first name is fine but last name is misspelled",
        "its under warranty",
        "its under review still",
        "its registered to my old address",
    ],
)
def test_name_field_cues_leave_words(text: str) -> None:
    assert "<PERSON_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("sorry tyler isnt home right now", "isnt home"),
        ("james doesnt work here", "doesnt work"),
        ("maria garcia wasnt told", "wasnt told"),
    ],
)
def test_a_contraction_without_its_apostrophe_is_no_surname(text: str, kept: str) -> None:
    scrubbed = scrub(text).text
    assert kept in scrubbed and "<PERSON_1>" in scrubbed


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("for verification 03/14/1988 is my birthday", "03/14/1988"),
        ("03/14/1988 (dob)", "03/14/1988"),
        ("03/14/1988, my date of birth", "03/14/1988"),
        ("b-day is march 14 1988", "march 14 1988"),
    ],
)
def test_a_birth_cue_after_the_date_or_spelled_b_day(text: str, date: str) -> None:
    scrubbed = scrub(text).text
    assert date not in scrubbed and "<DATE_OF_BIRTH_1>" in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "delivered 03/14/2024 - my bday gift is late",
        "ordered 03/14/2024 for my sons birthday",
        "the date 03/14/2024 was my order date",
    ],
)
def test_a_birthday_s_thing_leaves_the_date(text: str) -> None:
    assert "<DATE_OF_BIRTH_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the last 4 of my social are 6621", "6621"),
        ("last four of my ssn is 6621", "6621"),
        ("last 4 ssn 6621", "6621"),
        ("my ssn ends in 6621", "6621"),
        ("ssn last 4: 6621", "6621"),
        ("Social Security number ending in 6621", "6621"),
    ],
)
def test_the_last_four_of_an_ssn_volunteered(text: str, value: str) -> None:
    scrubbed = scrub(text).text
    assert value not in scrubbed and "<US_SSN_1>" in scrubbed


@pytest.mark.parametrize(
    "text",
    ["the last 4 of my card are 4417", "I need the social media team, ends in 2024"],
)
def test_other_last_fours_stay(text: str) -> None:
    assert "<US_SSN_" not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the delivery guy (tony) left it at the wrong house", "tony"),
        ("my neighbor (Linda) has a key", "Linda"),
        ("the cashier (mark) was rude", "mark"),
    ],
)
def test_a_first_name_in_parentheses_after_a_person_noun(text: str, name: str) -> None:
    assert name not in scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "the tech guy said it was fine",
        "that guy was rude",
        "the cable guy never came",
        "thanks guys",
        "my manager (the new one) approved it",
        "my son (17) ordered it",
    ],
)
def test_guy_in_lower_case_is_a_noun(text: str) -> None:
    assert "<PERSON_" not in scrub(text).text


@pytest.mark.parametrize(
    "text", ["this is guy from billing", "my name is guy", "thx guy", "Guy said he would call"]
)
def test_guy_without_a_determiner_is_still_a_name(text: str) -> None:
    assert "<PERSON_1>" in scrub(text).text
