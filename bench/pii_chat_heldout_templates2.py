"""Held-out support-chat templates, set 2: values planted in US customer-support messages.

Written 2026-12-04 by a helper who never saw the PII rules, their tests or docs, or the
detector's output on these messages. Not to be used to change a rule: a miss found here
is reported, not fixed against these templates (a fix needs its own development
examples, and then a new held-out set). Set 1's templates (bench/pii_chat_heldout.py)
become development data; these 60 replace them as the held-out measure.

What it covers: US support chat in lower case, with typos, run-ons, no punctuation,
multi-sentence messages, sign-off blocks and "name: / dob: / phone:" forms; customers
forwarding someone else's details (a parent, a client, a spouse); phone cues such as
"cell", "callback number", "best # to reach me", "ext"; order and ticket talk with
ordinary numbers ("2 items", "$49.99", "3 to 5 business days") that are not personal
data. Values: names from Faker en_US, from first names that are English words or
places ("Georgia", "Hazel", "Chance"), and from common US names of Hispanic, Asian,
African-American and European origin; names with titles (Dr./Mr./Ms./Mrs., with and
without the period, sometimes lower case), suffixes (Jr., Sr., II, III), hyphenated and
apostrophe surnames (Smith-Jones, O'Neil), lower-case names; phones in every common US
shape (with and without +1 or 1, dots, dashes, parentheses, spaces, bare digits; any
area code, since customers mistype); emails with plus-addressing, subdomains and mixed
case; street addresses with and without commas, apartments/units/suites, PO boxes;
cards plain or grouped by spaces or dashes; SSNs dashed, spaced or bare; dates of birth
in several formats; account numbers; IPv4 and some IPv6. The last four of an SSN is not
a slot (too ambiguous to plant). The template text around the values holds no personal
data of its own, so any predicted span outside a planted value is a false positive.

``messages2(n, seed)`` returns ``(text, [(kind, start, end), ...])`` like set 1's
``messages``; ``ACCEPTED2[kind]`` is the set of entity types that count as finding a
value of that kind, ``TYPE_OF2[kind]`` the type it is reported under. This module does
not import the detector.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from faker import Faker

# First names that are also English words or places (different from set 1's list).
WORD_NAMES2 = """
    Georgia Dallas Savannah Madison Sierra River Autumn Harmony Melody Hazel Ivy Violet
    Holly Heather Sage Forrest Dale Wade Cliff Drew Lane Reed Miles Sterling Chance
    Brooklyn Phoenix Denver Aspen Sydney Paris Jordan Trinity Raven Storm Rocky Sunny
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)

# Common US first names and surnames of Hispanic, Asian, African-American and European
# origin (accents kept on a few, as some customers type them).
OTHER_FIRST = """
    José María Guadalupe Alejandro Luis Carmen Juan Rosa Javier Ximena Minh Linh Thanh
    Jin Wei Mei Priya Raj Arjun Hiroshi Yuki Seo-yeon DeShawn Jamal LaToya Tyrone Keisha
    Darnell Imani Malik Aaliyah Terrell Shaniqua Giuseppe Sven Siobhan Niamh Lars
    Katarzyna Dmitri Ingrid
    """.split()  # noqa: SIM905
OTHER_LAST = """
    Hernández Garcia Rodriguez Martinez Gonzalez Lopez Ramirez Castillo Nguyen Tran Le
    Pham Kim Park Lee Chen Wang Li Zhang Patel Shah Singh Gupta Tanaka Yamamoto
    Washington Jefferson Jackson Banks Booker Kowalski Nowak Schmidt Müller Rossi
    Bianchi McAllister Papadopoulos Ivanov
    """.split()  # noqa: SIM905
OTHER_LAST += ["Van Buren", "De la Cruz"]  # two-word surnames
APOS_LAST = ["O'Neil", "O'Brien", "O'Connor", "D'Angelo", "D'Souza", "O'Malley", "O'Hara"]
TITLES = ["Dr.", "Dr", "Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Miss"]
SUFFIXES = ["Jr.", "Jr", "Sr.", "II", "III", "IV"]

# {slot} names the value kind; the kind gives the accepted entity types.
TEMPLATES2 = (
    "hi im {first} and my package says delivered but its not here",
    "Hello, this is {title_name}. I was charged twice for the same order ($49.99 each time).",
    "cell is {phone} text me when the tech is on the way",
    "best # to reach me is {phone}, anytime after 6",
    "callback number {phone}, ask for {first}",
    "Please update my shipping address to {address_unit}. Thanks!",
    "send the replacement to {po_box} we dont get deliveries at the house",
    "Forwarding this for my mom, her name is {name} and her email is {email}",
    "my dad {name_suffix} passed away last month and i need to close his account",
    "acct holder: {hyphen_name}\nemail: {email}\nphone: {phone}",
    "i typed my card wrong the first time, its {card}",
    "I need to verify my identity so here: ssn {ssn} dob {dob}",
    "my brother {apos_name} needs access too, his cell is {phone}",
    "my birthday is {dob} but the form keeps saying invalid date",
    "Date of birth: {dob}",
    "the rep earlier, i think it was {first}, said 3 to 5 business days",
    "{lname} here. cant log in since the update, tried 4 times",
    "Can you add {name} as an authorized user on my account?",
    "wire it to account {account}, routing is already on file",
    "Direct deposit should go to acct {account} starting next month.",
    "my ip is {ip} if that helps your security team",
    "keep getting blocked from {ip} everytime i try to pay",
    "Thank you for your help today!\n\nBest,\n{title_name}",
    "thx\n{first}",
    "Sincerely,\n{name_suffix}",
    "hi there my name is {lname} i ordered 2 items and only recieved 1 can someone look "
    "into it asap",
    "Hi, I am writing on behalf of my client {title_name}. Please send all correspondence "
    "to {email}.",
    "The order was placed by {apos_name} but I'm the one paying for it.",
    "Please don't call my home line. My cell is {phone}.",
    "re: my ticket from yesterday - the order for {name} still says pending. their email "
    "is {email}",
    "work phone is {phone} ext 12, ask the front desk to transfer you",
    "I was born {dob}, the signup page says im too young but im not",
    "I signed up with {email} but the confirmation went to spam",
    "pls change the email on file to {email} thank u",
    "deliver to {address_unit}, buzzer is broken so call {phone} when you arrive",
    "Billing: {address}\nShipping: {address_unit}",
    "my old address was {address} and now im at {address_unit}",
    "is it safe to type my full card in here? its {card}",
    "ok the card is {card} and the name on it is {name_suffix}",
    "My social is {ssn}. Why do you need it for a $25 refund?",
    "social security number {ssn}, i hope this chat is secure",
    "Patient name {title_name}, DOB {dob}, callback {phone}",
    "hey its {first} {last_lower} again lol, still waiting on that refund of $120",
    "{first} at the store told me to message you here about the warranty",
    "I spoke with {name} last week and was promised a credit on my next bill",
    "my wife {hyphen_name} set up the account, im just trying to get the password reset",
    "the package got delivered to my neighbor {lname} by mistake, can you send another",
    "Please cancel the subscription for {name}, account {account}.",
    "checking acct ending in... actually here's the whole thing {account}",
    "name: {name} / dob: {dob} / phone: {phone} / email: {email}",
    "Who is {name}? That person isn't on my account and they placed an order for 6 items!",
    "I'm {title_name}'s assistant, following up on the invoice from last week.",
    "can u send the invoice to {email} and cc {email}",
    "My son {first} is 12 and used my card without asking. Can I get a refund for the 3 games?",
    "the login alert showed {ip} and that wasnt me, i havent left the house all week",
    "Hi team, please reship to {address_unit}. The first box came damaged (2 of the 4 mugs "
    "broken).",
    "mail the check to {po_box} please, thats the only place we get mail",
    "This is {name_suffix} calling back about my claim. Best number is {phone}.",
    "ordered under my maiden name {name} but now its {hyphen_name}",
    "{name}\n{address_unit}\n{phone}",
)
ACCEPTED2 = {
    "name": {"PERSON"},
    "lname": {"PERSON"},
    "first": {"PERSON"},
    "last_lower": {"PERSON"},
    "title_name": {"PERSON"},
    "name_suffix": {"PERSON"},
    "hyphen_name": {"PERSON"},
    "apos_name": {"PERSON"},
    "phone": {"PHONE"},
    "email": {"EMAIL"},
    "address": {"STREET_ADDRESS"},
    "address_unit": {"STREET_ADDRESS"},
    "po_box": {"STREET_ADDRESS"},
    "card": {"CREDIT_CARD"},
    "ssn": {"US_SSN"},
    "dob": {"DATE_OF_BIRTH"},
    "account": {"BANK_ACCOUNT", "ID_NUMBER"},
    "ip": {"IP_ADDRESS"},
}
TYPE_OF2 = {
    "name": "PERSON",
    "lname": "PERSON",
    "first": "PERSON",
    "last_lower": "PERSON",
    "title_name": "PERSON",
    "name_suffix": "PERSON",
    "hyphen_name": "PERSON",
    "apos_name": "PERSON",
    "phone": "PHONE",
    "email": "EMAIL",
    "address": "STREET_ADDRESS",
    "address_unit": "STREET_ADDRESS",
    "po_box": "STREET_ADDRESS",
    "card": "CREDIT_CARD",
    "ssn": "US_SSN",
    "dob": "DATE_OF_BIRTH",
    "account": "ACCOUNT",
    "ip": "IP_ADDRESS",
}
_SLOT = re.compile(r"\{(\w+)\}")


def _first(fake: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(WORD_NAMES2)
    if roll < 0.5:
        return rng.choice(OTHER_FIRST)
    return fake.first_name()


def _last(fake: Faker, rng: random.Random) -> str:
    return rng.choice(OTHER_LAST) if rng.random() < 0.25 else fake.last_name()


def _phone(fake: Faker, rng: random.Random) -> str:
    d = fake.numerify("%##%##%###")
    a, b, c = d[:3], d[3:6], d[6:]
    shapes = (
        f"({a}) {b}-{c}",
        f"({a}){b}-{c}",
        f"{a}-{b}-{c}",
        f"{a}.{b}.{c}",
        f"{a} {b} {c}",
        f"+1 {a} {b} {c}",
        f"+1-{a}-{b}-{c}",
        f"+1 ({a}) {b}-{c}",
        f"+1{d}",
        f"1-{a}-{b}-{c}",
        f"1 ({a}) {b}-{c}",
        d,
    )
    return rng.choice(shapes)


def _email(fake: Faker, rng: random.Random) -> str:
    user = fake.user_name()
    roll = rng.random()
    if roll < 0.3:
        return fake.email()
    if roll < 0.55:
        tag = rng.choice(("orders", "shop", "returns", "bills", "2024", "support"))
        return f"{user}+{tag}@{fake.free_email_domain()}"
    if roll < 0.8:
        sub = rng.choice(("mail", "email", "us", "corp", "students", "alumni"))
        return f"{user}@{sub}.{fake.domain_name()}"
    local = f"{fake.first_name()}.{fake.last_name()}{rng.choice(('', '84', '1', '07'))}"
    domain = fake.free_email_domain()
    return f"{local}@{domain.capitalize()}"


def _address(fake: Faker, rng: random.Random) -> str:
    street = fake.street_address()
    city, state, zipcode = fake.city(), fake.state_abbr(include_territories=False), fake.zipcode()
    shapes = (
        fake.address().replace("\n", ", "),
        f"{street}, {city}, {state} {zipcode}",
        f"{street} {city} {state} {zipcode}".lower(),
        f"{street}, {city} {state}",
        street,
    )
    return rng.choice(shapes)


def _address_unit(fake: Faker, rng: random.Random) -> str:
    street = f"{fake.building_number()} {fake.street_name()}"
    unit = rng.choice(
        (
            f"Apt {fake.numerify('%#')}{rng.choice('ABCD')}",
            f"Apt. {fake.numerify('%##')}",
            f"apt {fake.numerify('%')}",
            f"Unit {fake.numerify('%#')}",
            f"#{fake.numerify('%##')}",
            f"Suite {fake.numerify('%00')}",
            f"Ste {fake.numerify('%#0')}",
        )
    )
    city, state, zipcode = fake.city(), fake.state_abbr(include_territories=False), fake.zipcode()
    shapes = (
        f"{street} {unit}, {city}, {state} {zipcode}",
        f"{street}, {unit}, {city}, {state} {zipcode}",
        f"{street} {unit} {city} {state} {zipcode}".lower(),
        f"{street} {unit}",
    )
    return rng.choice(shapes)


def _po_box(fake: Faker, rng: random.Random) -> str:
    box = fake.numerify(rng.choice(("%#", "%##", "%###", "%####")))
    label = rng.choice(("PO Box", "P.O. Box", "po box", "P O Box", "Post Office Box"))
    city, state, zipcode = fake.city(), fake.state_abbr(include_territories=False), fake.zipcode()
    shapes = (
        f"{label} {box}, {city}, {state} {zipcode}",
        f"{label} {box} {city} {state} {zipcode}",
        f"{label} {box}",
    )
    return rng.choice(shapes)


def _card(fake: Faker, rng: random.Random) -> str:
    number = fake.credit_card_number(
        card_type=rng.choice(["visa16", "mastercard", "amex", "discover"])
    )
    groups = (4, 6, 5) if len(number) == 15 else (4,) * (len(number) // 4)
    parts, at = [], 0
    for size in groups:
        parts.append(number[at : at + size])
        at += size
    if at < len(number):
        parts.append(number[at:])
    return rng.choice((number, " ".join(parts), "-".join(parts)))


def _ssn(fake: Faker, rng: random.Random) -> str:
    ssn = fake.ssn()
    return rng.choice((ssn, ssn, ssn.replace("-", " "), ssn.replace("-", "")))


_ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def _dob(fake: Faker, rng: random.Random) -> str:
    born = fake.date_of_birth(minimum_age=18, maximum_age=90)
    m, d, y = born.month, born.day, born.year
    shapes = (
        born.strftime("%m/%d/%Y"),
        f"{m}/{d}/{y}",
        f"{m}/{d}/{y % 100:02d}",
        born.strftime("%m-%d-%Y"),
        born.strftime("%Y-%m-%d"),
        born.strftime("%B %d, %Y"),
        f"{born.strftime('%B')} {d} {y}".lower(),
        f"{born.strftime('%b')} {d}{_ORDINAL.get(d, 'th')}, {y}",
        f"{d} {born.strftime('%B')} {y}",
    )
    return rng.choice(shapes)


def value2(kind: str, fake: Faker, rng: random.Random) -> str:
    """A value of ``kind`` drawn from ``fake`` (en_US, seeded) and ``rng``."""
    if kind == "name":
        return f"{_first(fake, rng)} {_last(fake, rng)}"
    if kind == "lname":
        return f"{_first(fake, rng)} {_last(fake, rng)}".lower()
    if kind == "first":
        return _first(fake, rng)
    if kind == "last_lower":
        return _last(fake, rng).lower()
    if kind == "title_name":
        title = rng.choice(TITLES)
        roll = rng.random()
        if roll < 0.45:
            return f"{title} {_first(fake, rng)} {_last(fake, rng)}"
        if roll < 0.85:
            return f"{title} {_last(fake, rng)}"
        return f"{title} {_last(fake, rng)}".lower()
    if kind == "name_suffix":
        return f"{_first(fake, rng)} {_last(fake, rng)} {rng.choice(SUFFIXES)}"
    if kind == "hyphen_name":
        return f"{_first(fake, rng)} {_last(fake, rng)}-{_last(fake, rng)}"
    if kind == "apos_name":
        name = f"{_first(fake, rng)} {rng.choice(APOS_LAST)}"
        return name.lower() if rng.random() < 0.2 else name
    if kind == "phone":
        return _phone(fake, rng)
    if kind == "email":
        return _email(fake, rng)
    if kind == "address":
        return _address(fake, rng)
    if kind == "address_unit":
        return _address_unit(fake, rng)
    if kind == "po_box":
        return _po_box(fake, rng)
    if kind == "card":
        return _card(fake, rng)
    if kind == "ssn":
        return _ssn(fake, rng)
    if kind == "dob":
        return _dob(fake, rng)
    if kind == "account":
        return fake.numerify("#" * rng.choice((8, 10, 12, 14)))
    if kind == "ip":
        return fake.ipv6() if rng.random() < 0.15 else fake.ipv4_public()
    raise ValueError(kind)


def plant(
    templates: tuple[str, ...],
    value: Callable[[str, Faker, random.Random], str],
    n: int,
    seed: int,
) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``n`` messages from ``templates`` in turn, each slot filled by ``value(kind, fake,
    rng)``, with the planted values (kind, start, end). Set 1 plants its own templates
    with it too."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        template = templates[i % len(templates)]
        text, planted, cursor = "", [], 0
        for m in _SLOT.finditer(template):
            text += template[cursor : m.start()]
            filled = value(m.group(1), fake, rng)
            planted.append((m.group(1), len(text), len(text) + len(filled)))
            text += filled
            cursor = m.end()
        out.append((text + template[cursor:], planted))
    return out


def messages2(n: int, seed: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``n`` messages with their planted values (kind, start, end)."""
    return plant(TEMPLATES2, value2, n, seed)
