"""Held-out set 9: synthetic US customer-support chats with planted personal values.

Written BLIND on 2026-12-07: its author did not open, read, grep or list the PII
scrubber's code, tests, docs, word lists or the earlier chat benches and templates
(``pipelines/pii/``, ``tests/pii/``, ``docs/pii.md``, ``bench/pii_chat_*.py``,
``bench/pii_chat_heldout_templates*.py``, ``bench/name_model_templates.py``,
``bench/train_name_model.py``, ``bench/pii_quality.py``,
``bench/pii_idempotence_hunt.py``), ran no detector, scrubber, ``closedloop`` command,
test or pipeline, and imports nothing from ``pipelines``. Only ``schemas/canonical.py``,
``docs/ingestion.md`` and the conversation layout of ``bench/pii_warehouse_leaks.py``
were read, so the set measures how the scrubber generalises to chats its authors never
saw.

What it contains: ``conversations(n, seed)`` draws ``n`` canonical conversations (the
JSONL shape of ``docs/ingestion.md``) on 2026-01-05 from 71 scripted flows of a
consumer app's support chat (banking, telecom, delivery, subscriptions, travel,
account access): a bot, sometimes an agent after a handoff, and a customer. Most flows
have the bot or agent ask for an identifier and the customer answer it the way real
customers do (the bare value, with filler, with a correction, in lower case, with
typos around it, two values in one turn, one turn late after asking why, or
volunteered unasked); some have the bot or agent echo a value back. About 15 % of the
conversations (the ``clean_*`` flows) hold no personal value at all, and every flow
mixes in numbers and capitalised words that are not personal (prices, times, delivery
days, product and plan names, store and bank names, store cities, "Will" opening a
question), which are never recorded.

Per conversation id it returns the planted values as ``(slot_kind, entity_type,
value)``: each value exactly as it appears in an event text (verbatim, 3+ characters,
deduplicated case-insensitively within the conversation, echoes included once). A
value never also occurs as a word outside its planted slots in the same conversation
(a drawn conversation that would break this is drawn again), and the conversation id
never contains one.

Entity types: PERSON, PHONE, EMAIL, STREET_ADDRESS (ZIP codes too), DATE_OF_BIRTH,
US_SSN (full and last four), CREDENTIAL (PIN, passcode, password, one-time code,
security answers) and ACCOUNT_NUMBER (account number, member ID, card last four when
asked, an order number used to look the customer up).

Run: ``.venv/bin/python bench/pii_conv_heldout9.py`` prints aggregate counts only.
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from faker import Faker

SOURCE = "heldout9"
DAY = datetime(2026, 1, 5, tzinfo=UTC)
CLEAN_SHARE = 0.15

PERSON = "PERSON"
PHONE = "PHONE"
EMAIL = "EMAIL"
ADDRESS = "STREET_ADDRESS"
DOB = "DATE_OF_BIRTH"
SSN = "US_SSN"
CREDENTIAL = "CREDENTIAL"
ACCOUNT = "ACCOUNT_NUMBER"

T = TypeVar("T")

# Words that are also first names or surnames. A name drawn for an ordinary name slot
# is never one of them (a surname alone like "brown" would be a common word); the
# word-like first names are planted on purpose in their own slot kind.
_COMMON_WORDS_TEXT = """
    will grant hope pearl mason rose faith joy grace hunter summer june autumn violet
    ivy hazel dawn brandy crystal destiny sky chase melody amber ruby jasper dale
    sterling royal lily iris daisy heather holly robin jay rich mark bill frank guy art
    gene ray drew pat sue rob jack bob don earl dean miles norm lance penny candy april
    may august bishop brown white green black young king hill long park wood stone bell
    cook gray grey hall ward price rice hunt lane banks bird cross day love little sharp
    strong short page mills rivers walker baker carpenter fisher miller potter turner
    weaver shepherd porter cole fox wolf lamb snow frost moon star rain storm brook
    brooks ford fields field marsh berry bush church house street north south west east
    english french best good golden silver gold diamond jewel case cash child christian
    dove duke free freeman glass hale hardy hart head hood hurt keen knight law lord
    major moody noble paradise parks person pike pool post power pride prince quick
    ready reed rush sage salmon savage shields small spring stamp steel summers swift
    tanner temple thorn towns vale wall waters webb well wells wise woods graves bean
    clay barker ball bass beach bond bolt booth bowman boyd bride bridges buck burns
    butler cannon carter castle chambers chance clark cooper crane curry dixon gates
    glover goodwin hammer hawk hicks holmes horn hudson jordan joseph lee lucky mann
    marshall nash newman norman oakley patch paul payne pitt ramsey roach roman rowe
    sawyer sexton singer skinner slater spencer steward stewart stokes strange sweet
    terry tucker vance vega watt wheeler winter worth wren
    """
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())

WORDLIKE_FIRST_NAMES = (
    "Hope", "Grant", "Will", "Pearl", "Mason", "Rose", "Faith", "Joy", "Grace", "Hunter",
    "Summer", "June", "Autumn", "Violet", "Ivy", "Hazel", "Dawn", "Crystal", "Destiny",
    "Chase", "Melody", "Amber", "Ruby", "Jasper", "Dale", "Sterling", "Lily", "Iris",
    "Daisy", "Heather", "Holly", "Robin", "Mark", "Frank", "Ray", "Drew", "Miles", "Lance",
    "Penny", "April", "Hunter", "Sage", "Christian", "Major", "Royal", "Sky", "Rich",
)  # fmt: skip

APOSTROPHE_SURNAMES = (
    "O'Connor", "O'Brien", "O'Neill", "O'Malley", "O'Hara", "O'Donnell", "O'Reilly",
    "O'Sullivan", "O'Keefe", "O'Toole", "D'Angelo", "D'Amico", "D'Souza", "D'Agostino",
    "DeLuca", "McKay", "LaForge", "St. Clair",
)  # fmt: skip

CITIES = (
    ("Denver", "CO"), ("Tucson", "AZ"), ("Columbus", "OH"), ("Raleigh", "NC"),
    ("Spokane", "WA"), ("Boise", "ID"), ("Albany", "NY"), ("Fresno", "CA"),
    ("Omaha", "NE"), ("Tulsa", "OK"), ("Richmond", "VA"), ("Savannah", "GA"),
    ("Knoxville", "TN"), ("Austin", "TX"), ("El Paso", "TX"), ("Des Moines", "IA"),
    ("Baton Rouge", "LA"), ("Portland", "OR"), ("Reno", "NV"), ("Akron", "OH"),
    ("Dayton", "OH"), ("Lansing", "MI"), ("Wichita", "KS"), ("Charleston", "SC"),
    ("Trenton", "NJ"), ("Hartford", "CT"), ("Duluth", "MN"), ("Provo", "UT"),
    ("Pasadena", "CA"), ("Scottsdale", "AZ"), ("Naperville", "IL"), ("Gainesville", "FL"),
)  # fmt: skip

STREET_NAMES = (
    "Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lincoln", "Lakeview",
    "Sunset", "Highland", "Jefferson", "Franklin", "Ridge", "Willow", "Mill", "Center",
    "Adams", "Chestnut", "Walnut", "Cherry", "Magnolia", "Dogwood", "Birch", "Sycamore",
    "Hawthorne", "Juniper", "Prospect", "Grandview", "Riverside", "Fairview", "Orchard",
    "Monroe", "Kensington", "Bayberry", "Cottonwood", "Meadowbrook",
)  # fmt: skip
STREET_SUFFIXES = (
    "St", "Street", "Ave", "Avenue", "Rd", "Road", "Dr", "Drive", "Ln", "Lane", "Blvd",
    "Ct", "Court", "Way", "Pl", "Terrace", "Circle", "Pkwy",
)  # fmt: skip
UNITS = ("Apt 4B", "Apt. 12", "Unit 7", "#305", "Apt 2", "Unit 1410", "Apt 3C", "Ste 200")

PET_NAMES = (
    "Biscuit", "Shadow", "Coco", "Peanut", "Rocky", "Bella", "Duke", "Pepper", "Oreo",
    "Ginger", "Buster", "Rusty", "Sadie", "Bandit", "Mittens", "Snickers", "Pumpkin",
    "Taco", "Nugget", "Waffles", "Zeus", "Luna", "Sparky", "Muffin", "Scooter", "Goldie",
    "Bubbles", "Tinkerbell", "Boomer", "Princess", "Cheddar", "Pickles",
)  # fmt: skip
FIRST_CARS = (
    "Honda Civic", "Ford Ranger", "Toyota Corolla", "Chevy Cavalier", "Jeep Cherokee",
    "Dodge Neon", "Nissan Sentra", "VW Jetta", "Pontiac Grand Am", "Geo Metro",
    "Mazda Protege", "Saturn SL2", "Buick LeSabre", "Ford Taurus", "Plymouth Voyager",
    "Toyota Camry", "Honda Accord", "Chevy S10", "Ford Escort", "Mercury Sable",
)  # fmt: skip
PARENT_CITIES = (
    "Toledo", "Scranton", "Fresno", "Duluth", "Savannah", "Boise", "Akron", "Dayton",
    "Tulsa", "Omaha", "Wichita", "Lubbock", "Macon", "Flint", "Erie", "Pueblo",
    "El Paso", "Baton Rouge", "Green Bay", "Des Moines", "Syracuse", "Youngstown",
    "Chattanooga", "Albuquerque", "Sacramento", "Honolulu", "Anchorage", "Biloxi",
)  # fmt: skip
PASSWORD_WORDS = (
    "Bluebird", "Sunflower", "Maplewood", "Goldfish", "Thunder", "Pancake", "Starlight",
    "Kayak", "Dolphin", "Tigerlily", "Snowball", "Firefly", "Pinecone", "Hotsauce",
)  # fmt: skip

STORES = ("Target", "Walmart", "Costco", "Walgreens", "CVS", "Best Buy", "Kroger", "Home Depot")
BANKS = ("Chase", "Wells Fargo", "Bank of America", "Citi", "Capital One")
RESTAURANTS = ("Chipotle", "Panera", "Shake Shack", "Taco Bell", "Olive Garden", "Sweetgreen")
PRODUCTS = (
    "AirPods Pro", "Galaxy Buds", "Instant Pot", "Kindle Paperwhite", "Ninja blender",
    "Yeti tumbler", "Roku stick", "Fitbit Charge 6", "Dyson V8", "Keurig K-Mini",
)  # fmt: skip
PLANS = ("Unlimited Plus", "Unlimited Starter", "Basic 5GB", "Premium Family", "Standard")
PHONES = ("iPhone 15", "Pixel 8", "Galaxy S24", "iPhone 13 mini", "Moto G Power")
STORE_CITIES = ("Denver", "Phoenix", "Orlando", "Chicago", "Atlanta", "Seattle", "Dallas")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class P:
    """A planted value in a message: the text as typed, its slot kind and entity type."""

    value: str
    kind: str
    etype: str


Part = str | P


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    full: str


@dataclass
class Turn:
    actor: str
    parts: list[Part]
    agent_id: str | None


class Rejected(Exception):
    """The drawn conversation breaks a rule of the set; it is drawn again."""


# ---------------------------------------------------------------------------- values


class Gen:
    """Every random value of the set, from one ``random.Random`` and one seeded Faker."""

    def __init__(self, rng: random.Random, fake: Faker) -> None:
        self.rng = rng
        self.fake = fake

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def digits(self, k: int, *, lead: bool = True) -> str:
        head = str(self.rng.randint(1, 9)) if lead else str(self.rng.randint(0, 9))
        return head + "".join(str(self.rng.randint(0, 9)) for _ in range(k - 1))

    def letters(self, k: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(k))

    # names
    def first_name(self, *, male: bool = False) -> str:
        while True:
            name = self.fake.first_name_male() if male else self.fake.first_name()
            if len(name) >= 3 and name.isalpha() and name.lower() not in COMMON_WORDS:
                return name

    def last_name(self) -> str:
        while True:
            name = self.fake.last_name()
            if len(name) >= 3 and name.isalpha() and name.lower() not in COMMON_WORDS:
                if name.startswith("Mc") and len(name) > 3:
                    name = "Mc" + name[2].upper() + name[3:]
                return name

    def wordlike_first(self) -> str:
        return self.pick(WORDLIKE_FIRST_NAMES)

    def person(self, *, wordlike: bool = False, middle: float = 0.1) -> Person:
        first = self.wordlike_first() if wordlike else self.first_name()
        last = self.last_name()
        mid = f" {self.pick(string.ascii_uppercase)}." if self.chance(middle) else ""
        return Person(first, last, f"{first}{mid} {last}")

    def odd_surname(self) -> str:
        if self.chance(0.5):
            return self.pick(APOSTROPHE_SURNAMES)
        return f"{self.last_name()}-{self.last_name()}"

    def odd_person(self) -> Person:
        first = self.first_name()
        last = self.odd_surname()
        return Person(first, last, f"{first} {last}")

    def titled_person(self) -> Person:
        form = self.rng.randrange(6)
        # Jr., Sr. and III are sons' suffixes: a male first name for them
        first, last = self.first_name(male=form in (0, 1, 3, 4)), self.last_name()
        if form == 0:
            full = f"{first} {last} Jr."
        elif form == 1:
            full = f"{first} {last} Sr."
        elif form == 2:
            full = f"Dr. {first} {last}"
        elif form == 3:
            full = f"{first} {last} III"
        elif form == 4:
            full = f"{first} {last}, Jr."
        else:
            full = f"Dr. {first} {self.pick(string.ascii_uppercase)}. {last}"
        return Person(first, last, full)

    # contact
    def phone(self, *, unusual: bool = False) -> str:
        area = f"{self.rng.randint(2, 9)}{self.rng.randint(0, 8)}{self.rng.randint(0, 9)}"
        exchange = f"{self.rng.randint(2, 9)}{self.rng.randint(0, 9)}{self.rng.randint(2, 9)}"
        line = f"{self.rng.randint(0, 9999):04d}"
        usual = (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"{area}{exchange}{line}",
            f"{area}-{exchange}-{line}",
            f"({area}) {exchange}-{line}",
        )
        odd = (
            f"{area} {exchange} {line}",
            f"+1 {area} {exchange} {line}",
            f"+1{area}{exchange}{line}",
            f"1-{area}-{exchange}-{line}",
            f"+1 ({area}) {exchange}-{line}",
            f"({area}){exchange}-{line}",
            f"{area} 555 {line}",
            f"1 {area} {exchange} {line}",
        )
        return self.pick(odd if unusual or self.chance(0.3) else usual)

    def email(self, person: Person | None = None) -> str:
        person = person or self.person()
        first = person.first.lower()
        last = re.sub(r"[^a-z]", "", person.last.lower())
        domain = self.pick(
            ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com")
        )
        local = self.pick(
            (
                f"{first}.{last}",
                f"{first[0]}{last}{self.rng.randint(1, 99)}",
                f"{last}.{first}{self.rng.randint(70, 99)}",
                f"{first}{last}",
                f"{first}_{last[:4]}{self.rng.randint(1, 999)}",
                f"{first}{self.rng.randint(1960, 2005)}",
            )
        )
        return f"{local}@{domain}"

    def street_line(self) -> str:
        number = str(self.rng.randint(2, 99999)) if self.chance(0.7) else self.digits(3)
        direction = self.pick(("N ", "S ", "E ", "W ", "NE ", "SW ")) if self.chance(0.2) else ""
        line = f"{number} {direction}{self.pick(STREET_NAMES)} {self.pick(STREET_SUFFIXES)}"
        if self.chance(0.3):
            line += self.pick((" ", ", ")) + self.pick(UNITS)
        return line

    def city_zip(self) -> tuple[str, str, str]:
        city, state = self.pick(CITIES)
        return city, state, self.fake.zipcode_in_state(state)

    def address(self) -> tuple[str, str, str]:
        """A full address as typed, its street line and its ZIP."""
        line = self.street_line()
        city, state, zipcode = self.city_zip()
        form = self.rng.randrange(4)
        if form == 0:
            full = f"{line}, {city}, {state} {zipcode}"
        elif form == 1:
            full = f"{line} {city} {state} {zipcode}"
        elif form == 2:
            full = f"{line}, {city} {state} {zipcode}"
        else:
            full = f"{line}, {city}, {state}, {zipcode}".lower()
            line = line.lower()
        return full, line, zipcode

    def dob(self) -> str:
        born: date = self.fake.date_of_birth(minimum_age=19, maximum_age=82)
        m, d, y = born.month, born.day, born.year
        month = MONTHS[m - 1]
        suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return self.pick(
            (
                f"{m:02d}/{d:02d}/{y}",
                f"{m}-{d}-{y % 100:02d}",
                f"{month} {d} {y}",
                f"{d} {month.lower()} {y}",
                f"{m:02d}{d:02d}{y % 100:02d}",
                f"{month} {d}, {y}",
                f"{m}/{d}/{y % 100:02d}",
                f"{y}-{m:02d}-{d:02d}",
                f"{month[:3].lower()} {d} {y}",
                f"{m}.{d}.{y}",
                f"{month} {d}{suffix} {y}",
                f"{m}/{d}/{y}",
            )
        )

    # government and credentials
    def ssn(self) -> str:
        area = self.rng.randint(1, 899)
        while area == 666:
            area = self.rng.randint(1, 899)
        group, serial = self.rng.randint(1, 99), self.rng.randint(1, 9999)
        return self.pick(
            (
                f"{area:03d}-{group:02d}-{serial:04d}",
                f"{area:03d}-{group:02d}-{serial:04d}",
                f"{area:03d}{group:02d}{serial:04d}",
                f"{area:03d} {group:02d} {serial:04d}",
            )
        )

    def four(self) -> str:
        return f"{self.rng.randint(0, 9999):04d}"

    def pin(self) -> str:
        return self.digits(self.pick((4, 4, 4, 5, 6)), lead=False)

    def passcode(self) -> str:
        if self.chance(0.6):
            return self.digits(self.pick((6, 7, 8)), lead=False)
        word = self.pick(("tiger", "maple", "river", "rocket", "cobalt", "falcon", "mango"))
        return f"{word}{self.digits(self.pick((2, 4)))}"

    def password(self) -> str:
        word = self.pick(PASSWORD_WORDS)
        if self.chance(0.3):
            word = word.lower()
        symbol = self.pick("!#$@*_")
        tail = self.digits(self.pick((2, 2, 3, 4)), lead=False)
        return self.pick(
            (f"{word}{symbol}{tail}", f"{word}{tail}{symbol}", f"{tail}{word}{symbol}")
        )

    def otp(self) -> str:
        code = self.digits(6, lead=False)
        return f"{code[:3]} {code[3:]}" if self.chance(0.15) else code

    def teacher(self) -> str:
        return self.last_name()

    # accounts
    def account_number(self) -> str:
        number = self.digits(self.rng.randint(8, 17))
        if len(number) >= 12 and self.chance(0.2):
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def member_id(self) -> str:
        form = self.rng.randrange(6)
        if form == 0:
            value = f"{self.letters(2)}{self.digits(8)}"
        elif form == 1:
            value = f"MBR{self.digits(7)}"
        elif form == 2:
            value = f"{self.letters(1)}{self.digits(2)}-{self.digits(4)}-{self.digits(3)}"
        elif form == 3:
            value = f"{self.letters(3)}{self.digits(6)}"
        elif form == 4:
            value = "".join(self.pick("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(9))
            if not any(ch.isdigit() for ch in value):
                value = value[:-1] + "7"
        else:
            value = f"{self.digits(3)}{self.letters(2)}{self.digits(5)}"
        return value.lower() if self.chance(0.15) else value

    def order_number(self) -> str:
        return self.pick(
            (
                f"W{self.digits(9)}",
                f"{self.digits(3)}-{self.digits(7)}-{self.digits(7)}",
                f"DD{self.digits(8)}",
                self.digits(10),
                f"ORD-{self.digits(6)}",
            )
        )

    # things that are not personal
    def price(self, low: int = 5, high: int = 300) -> str:
        return f"${self.rng.randint(low, high)}.{self.rng.randint(0, 99):02d}"

    def clock(self) -> str:
        hour = self.rng.randint(1, 11)
        minute = self.pick(("00", "15", "30", "45", f"{self.rng.randint(0, 59):02d}"))
        return f"{hour}:{minute} {self.pick(('pm', 'am', 'PM', 'AM'))}"

    def soon(self) -> str:
        return f"{self.pick(WEEKDAYS)}, Jan {self.rng.randint(6, 28)}"


def perturb(g: Gen, value: P) -> P | None:
    """A near miss of ``value`` (a changed digit, a dropped letter): a typo the customer
    then corrects."""
    text = value.value
    spots = [i for i, ch in enumerate(text) if ch.isdigit()]
    if spots:
        i = g.pick(spots)
        wrong = text[:i] + str((int(text[i]) + g.rng.randint(1, 9)) % 10) + text[i + 1 :]
    else:
        spots = [i for i in range(1, len(text) - 1) if text[i].isalpha()]
        if len(text) < 5 or not spots:
            return None
        i = g.pick(spots)
        wrong = text[:i] + text[i + 1 :]
    if wrong.lower() == text.lower() or len(wrong) < 3:
        return None
    return P(wrong, value.kind, value.etype)


# ----------------------------------------------------------------------------- chat

_FORMATTER = string.Formatter()

GREETINGS = (
    "Hi! I'm the virtual assistant. What can I help you with today?",
    "Hello, thanks for reaching out. How can I help?",
    "Hey there! Tell me what you need help with and I'll get you sorted.",
    "Welcome back! What brings you here today?",
    "Hi, you're chatting with our automated assistant. What's going on?",
)
WHY = (
    "why do you need that?",
    "why do u need that",
    "is this secure?",
    "wait is this actually the company or a scam",
    "do i have to give that?",
    "what do you need that for",
    "ugh why",
    "is it safe to put that in chat?",
    "Why? I already logged in.",
    "hmm why is that needed",
)
BECAUSE = (
    "It's only used to verify your identity, and this chat is encrypted.",
    "We ask so we know we're speaking with the account holder. It isn't shared.",
    "I need it to pull up the right account. Totally understand the concern!",
    "Good question. It's a required security step before I can make changes.",
    "It's just to confirm it's you. I can't see or change anything without it.",
)
FILLERS = (
    "umm its {v} i think",
    "it's {v}",
    "sure, {v}",
    "ok its {v}",
    "should be {v}",
    "{v} i believe",
    "yeah {v}",
    "hmm i think it's {v}",
    "{v} :)",
    "ok here: {v}",
    "that would be {v}",
    "pretty sure it's {v}",
    "{v} is what i have",
    "It's {v}.",
    "Sure! {v}",
    "{v}.",
    "ok one sec... {v}",
)
TYPOS = (
    "its {v} thnaks",
    "ok hold on lemme chekc... {v}",
    "its {v} i thikn",
    "heres it {v}",
    "{v} thx",
    "shoudl be {v}",
    "okk {v}",
    "sry its {v}",
    "{v} i beleive",
    "hang on.... ok {v}",
    "yea its {v} i thnk",
    "ummm {v} ??",
)
CORRECTIONS = (
    "{wrong} wait no, {v}",
    "{wrong} sorry typo, {v}",
    "{wrong}... no wait it's {v}",
    "{wrong} oops i meant {v}",
    "{wrong}. sorry, {v}*",
    "{wrong} actually scratch that, {v}",
)

ASKS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "Can I get the full name on the account?",
        "What's the account holder's full name?",
        "To get started, could you tell me your first and last name?",
        "Please enter your full name as it appears on your account.",
        "Who am I chatting with today? First and last name, please.",
    ),
    "last_name": (
        "What's the last name on the account?",
        "Can you give me the last name the account is under?",
        "Please type the account holder's last name.",
    ),
    "first_name": (
        "And the first name?",
        "Thanks. And the first name on the account?",
        "Got it. What's the first name?",
    ),
    "dob": (
        "What's your date of birth?",
        "Please confirm your date of birth.",
        "Can you verify your DOB for me?",
        "For security, what is the date of birth on file?",
        "What's the birth date on the account?",
    ),
    "phone": (
        "What's the phone number on the account?",
        "Can you give me the mobile number linked to your account?",
        "Please enter the phone number you signed up with.",
        "What number can we reach you at?",
    ),
    "email": (
        "What's the email address on your account?",
        "Can you share the email you use to sign in?",
        "Please enter the email linked to your account.",
        "Which email is the account under?",
    ),
    "address": (
        "What's the full street address, including ZIP?",
        "Please type the complete address (street, city, state, ZIP).",
        "Where should we send it? I'll need the full address.",
    ),
    "zip": (
        "What's the billing ZIP code?",
        "And the ZIP code on file?",
        "Can you confirm your 5-digit ZIP?",
    ),
    "ssn": (
        "What's your Social Security number?",
        "Please enter your full SSN so I can finish the application.",
        "I'll need your 9-digit Social Security number to continue.",
    ),
    "ssn4": (
        "What are the last 4 digits of your SSN?",
        "Please verify the last four of your Social Security number.",
        "Can you give me the last 4 of your social?",
    ),
    "pin": (
        "Can you verify the PIN on the account?",
        "Please enter your account PIN.",
        "What's the 4 to 6 digit security PIN on the account?",
    ),
    "passcode": (
        "What's your account passcode?",
        "Please verify the account passcode.",
        "I need the security passcode on the account before I can make that change.",
    ),
    "otp": (
        "I just texted you a 6-digit code. Please type it here.",
        "I've sent a verification code to your phone. What's the code?",
        "Please enter the one-time code we just sent you.",
    ),
    "maiden": (
        "For security, what's your mother's maiden name?",
        "Please answer your security question: mother's maiden name?",
        "Can you confirm your mother's maiden name?",
    ),
    "pet": (
        "Security question: what was the name of your first pet?",
        "What was your first pet's name?",
        "Please answer: name of your first pet?",
    ),
    "car": (
        "Security question: what was the make and model of your first car?",
        "What was your first car?",
    ),
    "parents_city": (
        "Security question: in what city did your parents meet?",
        "What city did your parents meet in?",
    ),
    "teacher": (
        "Security question: who was your favorite teacher?",
        "What was the last name of your favorite teacher?",
    ),
    "account": (
        "What's your account number?",
        "Can you give me the account number? It's at the top of your statement.",
        "Please enter the account number.",
    ),
    "member_id": (
        "What's your member ID? It's on the back of your card.",
        "Please enter your rewards member number.",
        "Can you share your member ID?",
    ),
    "card4": (
        "What are the last four digits of the card?",
        "Can you give me the last 4 digits of the card that was charged?",
        "Which card was it? Just the last four digits, please.",
    ),
    "order_lookup": (
        "Can you give me the email or order number on the account so I can look you up?",
        "To find your account, please share the order number or the email you ordered with.",
        "What's the order number, or the email on the account?",
    ),
}


class Chat:
    """A conversation being written: turns of literal text and planted values."""

    def __init__(self, g: Gen) -> None:
        self.g = g
        self.turns: list[Turn] = []
        self.agent_id: str | None = None

    def say(self, actor: str, template: str, slots: dict[str, Part]) -> None:
        parts: list[Part] = []
        for literal, name, _spec, _conversion in _FORMATTER.parse(template):
            if literal:
                parts.append(literal)
            if name is not None:
                value = slots[name]
                # values under 3 characters are never planted
                parts.append(
                    value.value if isinstance(value, P) and len(value.value) < 3 else value
                )
        self.turns.append(Turn(actor, parts, self.agent_id if actor == "agent" else None))

    def bot(self, template: str, **slots: Part) -> None:
        self.say("bot", template, slots)

    def cust(self, template: str, **slots: Part) -> None:
        self.say("customer", template, slots)

    def agent(self, template: str, **slots: Part) -> None:
        self.say("agent", template, slots)

    def staff(self, template: str, **slots: Part) -> None:
        self.say("agent" if self.agent_id else "bot", template, slots)

    def greet(self) -> None:
        if self.g.chance(0.7):
            self.bot(self.g.pick(GREETINGS))

    def handoff(self) -> None:
        g = self.g
        self.bot(
            g.pick(
                (
                    "Let me connect you with a specialist.",
                    "I'm transferring you to an agent now, one moment please.",
                    "This one needs a member of our team. Connecting you...",
                    "I'll hand you over to a live agent who can help with that.",
                )
            )
        )
        self.agent_id = f"agent-{g.rng.randint(1, 140):03d}"
        self.agent(
            g.pick(
                (
                    "Hi there, thanks for waiting. I've read the chat above.",
                    "Hello! I'm with the account team and can take it from here.",
                    "Thanks for holding. I can help you with this.",
                    "Hi! Sorry for the wait. Let me take a look.",
                )
            )
        )

    def answer(self, value: P, *, late: float = 0.12, fix: bool = True, lower: bool = False) -> P:
        """The customer's answer to the question just asked, in one of many styles;
        returns the value as typed."""
        g = self.g
        if g.chance(late):
            self.cust(g.pick(WHY))
            self.staff(g.pick(BECAUSE))
        used = value
        if lower and g.chance(0.4):
            used = P(value.value.lower(), value.kind, value.etype)
        roll = g.rng.random()
        wrong = perturb(g, used) if fix and roll < 0.1 else None
        if wrong is not None:
            self.cust(g.pick(CORRECTIONS), wrong=wrong, v=used)
        elif roll < 0.4:
            self.cust("{v}", v=used)
        elif roll < 0.72:
            self.cust(g.pick(FILLERS), v=used)
        else:
            self.cust(g.pick(TYPOS), v=used)
        return used

    def ask(
        self, what: str, value: P, *, late: float = 0.12, fix: bool = True, lower: bool = False
    ) -> P:
        self.staff(self.g.pick(ASKS[what]))
        return self.answer(value, late=late, fix=fix, lower=lower)

    def wrap_up(self) -> None:
        g = self.g
        if g.chance(0.6):
            self.staff(
                g.pick(
                    (
                        "Is there anything else I can help with?",
                        "Anything else today?",
                        "Can I help with anything else?",
                    )
                )
            )
            self.cust(
                g.pick(("no thats all", "nope, thanks!", "No, that's it. Thank you", "all good ty"))
            )
        if g.chance(0.5):
            self.staff(
                g.pick(
                    (
                        "Have a great day!",
                        "Thanks for chatting with us.",
                        "Take care!",
                        "Hope that helps!",
                        "I'll mark this chat as resolved. Take care!",
                        "Glad I could help. Will you rate this chat below?",
                    )
                )
            )


# ---------------------------------------------------------------------------- flows

FlowFn = Callable[[Chat], None]


@dataclass(frozen=True)
class Flow:
    name: str
    intent: str
    clean: bool
    run: FlowFn


FLOWS: list[Flow] = []


def flow(name: str, intent: str, *, clean: bool = False) -> Callable[[FlowFn], FlowFn]:
    def register(fn: FlowFn) -> FlowFn:
        FLOWS.append(Flow(name, intent, clean, fn))
        return fn

    return register


def full_p(person: Person, kind: str = "full_name") -> P:
    return P(person.full, kind, PERSON)


def first_p(person: Person, kind: str = "first_name") -> P:
    return P(person.first, kind, PERSON)


def last_p(person: Person, kind: str = "last_name") -> P:
    return P(person.last, kind, PERSON)


def last4(value: str) -> str:
    return re.sub(r"\D", "", value)[-4:]


def two_values(c: Chat, a: P, b: P) -> None:
    c.cust(
        c.g.pick(
            (
                "{a}, {b}",
                "{a} {b}",
                "{a} and {b}",
                "{a} / {b}",
                "ok {a}, {b}",
                "its {a} and {b}",
                "{a}\n{b}",
            )
        ),
        a=a,
        b=b,
    )


@flow("bank_card_declined", "card_declined")
def bank_card_declined(c: Chat) -> None:
    g = c.g
    me = g.person()
    store, amount = g.pick(STORES), g.price(20, 400)
    c.greet()
    if g.chance(0.5):
        c.cust(
            g.pick(
                (
                    "hi this is {name}, my debit card just got declined at {store} for {amt}",
                    "Hello, {name} here. Card declined at {store}, {amt}. What's going on?",
                    "my name is {name} and my card keeps getting declined at {store}",
                )
            ),
            name=full_p(me),
            store=store,
            amt=amount,
        )
    else:
        c.cust(
            g.pick(
                (
                    "my card got declined at {store} for {amt} whats going on",
                    "Card declined at {store} just now?? I have money in the account",
                )
            ),
            store=store,
            amt=amount,
        )
        c.ask("full_name", full_p(me), lower=True)
    card = P(g.four(), "card_last4", ACCOUNT)
    c.ask("card4", card)
    c.bot(
        "Thanks, {first}. I see a declined purchase at {store} for {amt}. It was flagged as "
        "unusual activity. Was this you?",
        first=first_p(me),
        store=store,
        amt=amount,
    )
    c.cust(g.pick(("yes that was me", "yes!!", "Yes, I'm standing at the register")))
    c.bot(
        "Got it. I've removed the hold on the card ending in {card}. Please try the purchase again.",
        card=card,
    )
    c.wrap_up()


@flow("bank_login_locked", "account_access")
def bank_login_locked(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        g.pick(
            (
                "I'm locked out of online banking after too many tries",
                "cant log in, says my account is locked",
                "Locked out of the app again. 3rd time this month",
            )
        )
    )
    c.ask("email", P(g.email(), "email", EMAIL), lower=False)
    c.ask("dob", P(g.dob(), "dob", DOB))
    phone = g.phone()
    c.bot(
        "Thanks. I've sent a 6-digit code to the phone number ending in {ph4}. Please type it here.",
        ph4=P(last4(phone), "phone_last4", PHONE),
    )
    c.answer(P(g.otp(), "one_time_code", CREDENTIAL), late=0.0)
    c.bot(
        "You're verified and the account is unlocked. Please reset your password before "
        "{time} tonight.",
        time=g.clock(),
    )
    c.wrap_up()


@flow("bank_password_volunteered", "password_reset")
def bank_password_volunteered(c: Chat) -> None:
    g = c.g
    pw = P(g.password(), "password", CREDENTIAL)
    c.greet()
    c.cust(
        g.pick(
            (
                "my new password {pw} isnt working, i just changed it yesterday",
                "I reset my password to {pw} and it still says incorrect??",
                "tried {pw} like 5 times and it keeps saying wrong password",
            )
        ),
        pw=pw,
    )
    c.bot(
        "Please don't share your password in chat, even with us. I'd recommend resetting it "
        "again. What's the email on the account?"
    )
    email = c.answer(P(g.email(), "email", EMAIL), late=0.0)
    c.bot("I've sent a reset link to {email}. It expires in 30 minutes.", email=email)
    c.cust(g.pick(("got it", "ok thanks", "Got the email, thank you!")))
    c.wrap_up()


@flow("bank_verify_name_ssn4", "credit_limit")
def bank_verify_name_ssn4(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust(g.pick(("can i get a higher credit limit", "Id like a credit limit increase pls")))
    c.bot("I can check that for you. Please give me your full name and the last 4 of your SSN.")
    if g.chance(0.2):
        c.cust(g.pick(WHY))
        c.bot(g.pick(BECAUSE))
    name = full_p(me)
    if g.chance(0.3):
        name = P(me.full.lower(), "full_name", PERSON)
    two_values(c, name, P(g.four(), "ssn_last4", SSN))
    c.bot(
        "Thanks, {first}. Your current limit is $5,000. You're pre-approved for $8,500. "
        "Would you like to accept?",
        first=first_p(me),
    )
    c.cust(g.pick(("yes please", "Yes!", "sure")))
    c.wrap_up()


@flow("bank_wire_agent", "wire_transfer")
def bank_wire_agent(c: Chat) -> None:
    g = c.g
    amount = f"${g.rng.randint(2, 9)},{g.rng.randint(100, 999)}"
    c.greet()
    c.cust(
        g.pick(
            (
                "need to send a wire to my landlord for {amt} and it says I hit a limit",
                "Wire transfer of {amt} blocked. I need it out today",
            )
        ),
        amt=amount,
    )
    c.handoff()
    c.ask("account", P(g.account_number(), "account_number", ACCOUNT))
    maiden = P(
        g.last_name() if g.chance(0.8) else g.fake.last_name(), "mothers_maiden_name", CREDENTIAL
    )
    c.ask("maiden", maiden, lower=True)
    c.agent(
        "Thank you. Your daily wire limit is $2,000. I've raised it to $10,000 for today only. "
        "Wires sent before 4 pm ET go out the same day."
    )
    c.cust(g.pick(("perfect thank you", "ok great", "thank u so much")))
    c.wrap_up()


@flow("bank_authorized_user", "add_authorized_user")
def bank_authorized_user(c: Chat) -> None:
    g = c.g
    relation = g.pick(("wife", "husband", "daughter", "son", "mom", "partner"))
    family = g.person(wordlike=g.chance(0.35))
    c.greet()
    c.cust("I want to add my {rel} as an authorized user on my credit card", rel=relation)
    c.bot("Sure! What's their full name?")
    c.answer(full_p(family, "family_member_name"), lower=True)
    c.bot("And their date of birth?")
    c.answer(P(g.dob(), "family_dob", DOB))
    c.bot(
        "Thanks. {first} will get a card in 7-10 business days, with the same account number.",
        first=first_p(family, "family_member_name"),
    )
    c.wrap_up()


@flow("bank_address_change", "update_address")
def bank_address_change(c: Chat) -> None:
    g = c.g
    full, line, _zip = g.address()
    c.greet()
    c.cust(g.pick(("I moved, need to update my address", "how do i change my mailing address")))
    c.ask("address", P(full, "street_address", ADDRESS))
    old_zip = P(g.city_zip()[2], "zip", ADDRESS)
    c.bot("And the ZIP code of your old address, just to confirm it's you?")
    c.answer(old_zip)
    c.bot(
        "Done! Statements will now go to {line}. A confirmation letter goes to the old address too.",
        line=P(line, "street_line", ADDRESS),
    )
    c.wrap_up()


@flow("bank_dispute_charge", "dispute_charge")
def bank_dispute_charge(c: Chat) -> None:
    g = c.g
    merchant = g.pick(("Uber Eats", "Spotify", "Amazon", "Hulu", "a gas station in Ohio"))
    c.greet()
    c.cust(
        "there's a charge from {m} for {amt} on Jan 2 that i didn't make",
        m=merchant,
        amt=g.price(9, 250),
    )
    c.ask("card4", P(g.four(), "card_last4", ACCOUNT))
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot(
        "Thanks. I've opened a dispute and issued a temporary credit. You'll get an update "
        "within 10 business days."
    )
    c.wrap_up()


@flow("bank_open_account_ssn", "open_account")
def bank_open_account_ssn(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        g.pick(
            (
                "trying to open a savings account and the app is stuck on the SSN step",
                "Your app froze on the social security page while opening a checking acct",
            )
        )
    )
    c.ask("ssn", P(g.ssn(), "ssn", SSN), late=0.45)
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot("Thanks! Your High Yield Savings account is open. The current rate is 4.10% APY.")
    c.wrap_up()


@flow("bank_pin_volunteered", "pin_reset")
def bank_pin_volunteered(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("i forgot my debit card pin", "ATM says wrong PIN")))
    c.ask("ssn4", P(g.four(), "ssn_last4", SSN))
    pin = P(g.pin(), "pin", CREDENTIAL)
    c.bot("Verified, thanks. Do you remember the old PIN at all?")
    c.cust(
        g.pick(
            (
                "i thought it was {pin} but its not working",
                "I've been using {pin} for years",
                "{pin}?? thats what i always use",
            )
        ),
        pin=pin,
    )
    c.bot(
        "For your security, please never share your PIN in chat. I've sent a PIN reset link "
        "to your phone."
    )
    c.wrap_up()


@flow("bank_joint_account", "joint_account")
def bank_joint_account(c: Chat) -> None:
    g = c.g
    spouse = g.odd_person()
    c.greet()
    c.cust(
        g.pick(
            (
                "My wife and I want to make our savings joint. Her name is {name}",
                "adding my husband to my checking, he's {name}",
                "how do i add {name} to my account as a joint owner",
            )
        ),
        name=full_p(spouse, "family_member_name"),
    )
    c.ask("account", P(g.account_number(), "account_number", ACCOUNT))
    c.bot(
        "Thanks! I've sent an invite. {first} will need to sign in and accept it within 14 days.",
        first=first_p(spouse, "family_member_name"),
    )
    c.wrap_up()


@flow("telecom_port_out", "port_out")
def telecom_port_out(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("switching carriers, the new one needs my account number and transfer PIN")
    c.ask("phone", P(g.phone(), "phone", PHONE))
    c.ask("passcode", P(g.passcode(), "passcode", CREDENTIAL), lower=True)
    c.bot(
        "Verified. Your account number is {acct} and your Number Transfer PIN is {tpin}. "
        "The PIN is valid for 7 days.",
        acct=P(g.account_number(), "account_number", ACCOUNT),
        tpin=P(g.digits(6, lead=False), "transfer_pin", CREDENTIAL),
    )
    c.cust(g.pick(("thanks", "ok cool", "👍")))


@flow("telecom_bill_high", "billing")
def telecom_bill_high(c: Chat) -> None:
    g = c.g
    phone = g.phone()
    c.greet()
    c.cust("why is my bill {p} this month?? its usually $65", p=g.price(120, 260))
    c.ask("phone", P(phone, "phone", PHONE))
    c.bot(
        "Thanks. On the line ending in {ph4} I see a one-time activation fee of $35 and "
        "international roaming from Dec 28 on your {plan} plan.",
        ph4=P(last4(phone), "phone_last4", PHONE),
        plan=g.pick(PLANS),
    )
    c.cust("Will the activation fee be removed? I didn't activate anything")
    c.bot("I've credited the $35 back. It shows on your next bill.")
    c.wrap_up()


@flow("telecom_sim_swap", "sim_replacement")
def telecom_sim_swap(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("got a new {ph} and the SIM won't activate", ph=g.pick(PHONES))
    c.bot("For SIM changes we need extra verification.")
    c.ask("passcode", P(g.passcode(), "passcode", CREDENTIAL))
    if g.chance(0.5):
        c.handoff()
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.staff("Thanks. The eSIM has been pushed to your device; restart it in about 5 minutes.")
    c.wrap_up()


@flow("telecom_add_line", "add_line")
def telecom_add_line(c: Chat) -> None:
    g = c.g
    kid = g.person(wordlike=g.chance(0.5))
    c.greet()
    c.cust(g.pick(("want to add a line for my kid", "Adding a line for my teenager, how much?")))
    c.bot("Sure! What's the name of the person who'll be using the line?")
    if g.chance(0.5):
        c.answer(first_p(kid, "family_member_name"), lower=True)
    else:
        c.answer(full_p(kid, "family_member_name"), lower=True)
    c.bot(
        g.pick(
            (
                "Will {first} keep an existing number, or get a new one?",
                "Does {first} want to keep an existing number, or get a new one?",
            )
        ),
        first=first_p(kid, "family_member_name"),
    )
    c.cust("new one please")
    c.bot(
        "A new line on {plan} is $30/mo with AutoPay. The SIM ships by {day}.",
        plan=g.pick(PLANS),
        day=g.soon(),
    )
    c.wrap_up()


@flow("telecom_lost_phone", "lost_device")
def telecom_lost_phone(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "I lost my phone at the airport in {city}, please block it",
        city=g.pick(STORE_CITIES),
    )
    c.bot("I'm sorry! What's the number of the lost phone?")
    c.answer(P(g.phone(unusual=True), "phone", PHONE))
    c.bot("I've suspended service. What email should we send the replacement confirmation to?")
    c.answer(P(g.email(), "email", EMAIL))
    c.bot(
        "Done. A replacement {ph} can be picked up at any store after 2 pm tomorrow.",
        ph=g.pick(PHONES),
    )
    c.wrap_up()


@flow("telecom_security_agent", "account_access")
def telecom_security_agent(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("i forgot my account passcode and need to change my plan")
    c.handoff()
    c.agent("No problem, we can verify you with your security questions instead.")
    c.ask("pet", P(g.pick(PET_NAMES), "first_pet", CREDENTIAL), lower=True)
    c.ask("parents_city", P(g.pick(PARENT_CITIES), "parents_met_city", CREDENTIAL), lower=True)
    c.agent(
        "Thank you, you're verified. Which plan would you like? {a} is $80/mo, {b} $65/mo.",
        a=PLANS[0],
        b=PLANS[1],
    )
    c.cust("the cheaper one")
    c.wrap_up()


@flow("delivery_missing_order", "missing_order")
def delivery_missing_order(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        g.pick(
            (
                "my order never showed up, it said delivered at {t}",
                "App says delivered at {t} but theres nothing at my door",
            )
        ),
        t=g.clock(),
    )
    c.staff(g.pick(ASKS["order_lookup"]))
    if g.chance(0.5):
        value = P(g.order_number(), "order_lookup", ACCOUNT)
    else:
        value = P(g.email(), "email", EMAIL)
    c.answer(value)
    c.bot(
        "Found it: your {r} order for {total}. I'm sorry it didn't arrive. I've issued a full "
        "refund to your original payment method.",
        r=g.pick(RESTAURANTS),
        total=g.price(12, 80),
    )
    c.wrap_up()


@flow("delivery_wrong_address", "address_issue")
def delivery_wrong_address(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("the driver keeps going to the wrong building", "drivers cant find my place")))
    c.bot("Let's fix the address. What's the correct street address?")
    c.answer(P(g.street_line(), "street_line", ADDRESS))
    c.ask("zip", P(g.city_zip()[2], "zip", ADDRESS))
    c.bot(
        "Updated. Your current order from {r} should arrive by {t}.",
        r=g.pick(RESTAURANTS),
        t=g.clock(),
    )
    c.wrap_up()


@flow("delivery_driver_contact", "driver_contact")
def delivery_driver_contact(c: Chat) -> None:
    g = c.g
    c.cust(
        g.pick(
            (
                "driver said he couldnt reach me, my number is {ph}",
                "The courier has an old number. Please use {ph} instead",
                "can the driver call me at {ph}? im at the side door",
            )
        ),
        ph=P(g.phone(), "phone", PHONE),
    )
    c.bot(
        "I've updated the contact number on the order. It should arrive between {a} and {b}.",
        a="6:40",
        b="6:55 pm",
    )
    c.wrap_up()


@flow("delivery_refund_lookup", "refund")
def delivery_refund_lookup(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("my {r} order was missing half the items, i want a refund", r=g.pick(RESTAURANTS))
    c.ask("full_name", full_p(me), lower=True)
    c.ask("email", P(g.email(me), "email", EMAIL))
    c.bot(
        "Thanks! I've refunded {amt} to your Visa. It takes 3-5 business days.", amt=g.price(6, 40)
    )
    c.wrap_up()


@flow("delivery_account_hacked", "account_compromised")
def delivery_account_hacked(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "someone ordered food on my account! i never ordered from {r} in {city}",
        r=g.pick(RESTAURANTS),
        city=g.pick(STORE_CITIES),
    )
    c.bot("Let's secure your account right away.")
    c.ask("email", P(g.email(), "email", EMAIL))
    c.ask("otp", P(g.otp(), "one_time_code", CREDENTIAL), late=0.0)
    if g.chance(0.6):
        c.cust(
            g.pick(
                (
                    "my password was {pw} should i change it",
                    "I used {pw} on another site too, ugh",
                )
            ),
            pw=P(g.password(), "password", CREDENTIAL),
        )
        c.bot("Yes, please change it now and don't reuse it anywhere.")
    c.bot("I've signed out all devices and refunded the {amt} order.", amt=g.price(15, 90))
    c.wrap_up()


@flow("sub_cancel", "cancel_subscription")
def sub_cancel(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("cancel my subscription please", "How do I cancel?? cant find it in the app")))
    email = c.ask("email", P(g.email(), "email", EMAIL))
    c.bot(
        "Thanks! I found the account for {email}. Your Premium plan ($15.49/mo) will end on "
        "Feb 4 and you won't be charged again.",
        email=email,
    )
    c.cust(g.pick(("thx", "great thanks", "ok")))


@flow("sub_charged_twice", "billing_dispute")
def sub_charged_twice(c: Chat) -> None:
    g = c.g
    me = g.titled_person()
    c.greet()
    c.cust("i got charged twice for {p} this month", p=g.price(8, 30))
    c.ask("full_name", P(me.full, "name_with_suffix", PERSON))
    c.ask("card4", P(g.four(), "card_last4", ACCOUNT))
    c.bot(
        "Thank you, {title} {last}. I see the duplicate charge and I've refunded it.",
        title="Dr." if me.full.startswith("Dr.") else "Mr.",
        last=last_p(me),
    )
    c.wrap_up()


@flow("sub_change_email", "update_email")
def sub_change_email(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("need to change the email on my account")
    c.bot("Sure. What's the current email address?")
    old, new = P(g.email(me), "email", EMAIL), P(g.email(me), "email", EMAIL)
    if old.value == new.value:
        raise Rejected
    c.answer(old)
    c.cust(g.pick(("and the new one is {e}", "new one: {e}", "change it to {e} please")), e=new)
    c.bot("Done. We sent a confirmation link to {e}.", e=new)
    c.wrap_up()


@flow("sub_family_plan", "family_plan")
def sub_family_plan(c: Chat) -> None:
    g = c.g
    kid1 = g.person(wordlike=g.chance(0.5))
    kid2 = g.person()
    if kid1.first == kid2.first:
        raise Rejected
    c.greet()
    c.cust(
        g.pick(
            (
                "how do i add my kids to the family plan? their names are {a} and {b}",
                "want {a} and {b} on my Premium Family plan",
            )
        ),
        a=first_p(kid1, "family_member_name"),
        b=first_p(kid2, "family_member_name"),
    )
    c.bot(
        "Premium Family is $22.99/mo for up to 6 members. Go to Settings > Family and tap "
        "Invite; each member gets a link by text."
    )
    c.wrap_up()


@flow("sub_member_id", "membership")
def sub_member_id(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("my membership discount isnt showing", "Gold member but I'm paying full price")))
    c.ask("member_id", P(g.member_id(), "member_id", ACCOUNT))
    c.bot("Thanks! Your Gold membership is active until March 1. I've re-applied the 10% discount.")
    c.wrap_up()


@flow("travel_change_flight", "change_booking")
def travel_change_flight(c: Chat) -> None:
    g = c.g
    me = g.titled_person() if g.chance(0.5) else g.person(middle=0.3)
    c.greet()
    c.cust(
        "need to move my flight {f} from {a} to {b} to the next day",
        f=f"{g.pick(('UA', 'DL', 'AA', 'WN'))} {g.rng.randint(100, 2999)}",
        a=g.pick(STORE_CITIES),
        b="Austin",
    )
    c.bot("What's the passenger's name exactly as it appears on the booking?")
    c.answer(
        P(
            me.full,
            "name_with_suffix" if me.full != f"{me.first} {me.last}" else "full_name",
            PERSON,
        )
    )
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot("Thanks. The change fee is $0; the fare difference is {p}. Confirm?", p=g.price(20, 150))
    c.cust("yes")
    c.wrap_up()


@flow("travel_loyalty", "loyalty_points")
def travel_loyalty(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("my points from the {city} trip never posted", city=g.pick(STORE_CITIES))
    c.ask("member_id", P(g.member_id(), "member_id", ACCOUNT))
    c.bot("I see 2,340 points pending from Dec 19. They post within 6-8 weeks of travel.")
    c.wrap_up()


@flow("travel_add_passenger", "add_passenger")
def travel_add_passenger(c: Chat) -> None:
    g = c.g
    who = g.pick(("mother", "dad", "grandma", "sister"))
    family = g.odd_person() if g.chance(0.4) else g.person()
    c.greet()
    c.cust("need to add my {w} to the reservation", w=who)
    c.bot("Of course. What's their full name as shown on their ID?")
    c.answer(full_p(family, "family_member_name"), lower=True)
    c.bot("And the date of birth?")
    c.answer(P(g.dob(), "family_dob", DOB))
    c.bot("Added. The fare for the extra seat is {p}.", p=g.price(89, 420))
    c.wrap_up()


@flow("travel_lost_bag", "lost_baggage")
def travel_lost_bag(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("my bag didnt make it on the connection in {city}", city=g.pick(STORE_CITIES))
    c.bot("I'm sorry! Where should we deliver it once it's found?")
    c.answer(P(g.address()[0], "street_address", ADDRESS))
    c.bot("And a phone number the courier can call?")
    c.answer(P(g.phone(), "phone", PHONE))
    c.bot("Got it. Most bags are delivered within 24 hours. We'll reimburse up to $50 a day.")
    c.wrap_up()


@flow("travel_hotel_surname", "booking_lookup")
def travel_hotel_surname(c: Chat) -> None:
    g = c.g
    if g.chance(0.5):
        me = g.odd_person()
        last_kind = "odd_surname"
    else:
        me = g.person()
        last_kind = "last_name"
    c.greet()
    c.cust("can you check my hotel reservation for this weekend")
    c.ask("last_name", P(me.last, last_kind, PERSON), lower=True)
    c.ask("first_name", first_p(me), lower=True)
    c.bot(
        "I found the reservation for {full} at our {city} Downtown location, checking in "
        "{day}, 2 nights.",
        full=full_p(me),
        city=g.pick(STORE_CITIES),
        day=g.soon(),
    )
    c.wrap_up()


@flow("account_security_questions", "account_access")
def account_security_questions(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("locked out, dont have my phone for the code", "I can't get the text code")))
    c.bot("We can verify you with your security questions instead.")
    c.ask("parents_city", P(g.pick(PARENT_CITIES), "parents_met_city", CREDENTIAL), lower=True)
    teacher = P(g.teacher(), "favorite_teacher", CREDENTIAL)
    c.staff(g.pick(ASKS["teacher"]))
    c.cust(
        g.pick(("{t}", "mrs {t}", "Mr. {t}", "ms {t} from 4th grade", "Mrs. {t}!")),
        t=teacher,
    )
    c.bot("Thanks, you're verified. You can set up a new device now.")
    c.wrap_up()


@flow("account_first_car", "account_access")
def account_first_car(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("need to reset my security settings")
    car = P(g.pick(FIRST_CARS), "first_car", CREDENTIAL)
    c.staff(g.pick(ASKS["car"]))
    if g.chance(0.5):
        car = P(car.value.lower(), car.kind, car.etype)
    c.cust(
        g.pick(("{car}", "a {car}", "it was a {year} {car}", "{car} lol")),
        car=car,
        year=str(g.rng.randint(1985, 2008)),
    )
    if g.chance(0.5):
        c.bot("That doesn't match. Let's try another one.")
        c.ask("pet", P(g.pick(PET_NAMES), "first_pet", CREDENTIAL), lower=True)
    c.bot("Thanks, you're verified.")
    c.wrap_up()


@flow("account_recovery_phone", "account_recovery")
def account_recovery_phone(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("I can't get into my account, I changed phones")
    c.ask("phone", P(g.phone(unusual=True), "phone", PHONE))
    c.ask("zip", P(g.city_zip()[2], "zip", ADDRESS))
    c.bot("Thanks! I've sent a recovery link to the email on file.")
    c.wrap_up()


@flow("account_update_phone", "update_phone")
def account_update_phone(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("need to change the phone number on my account")
    c.bot("Sure. What's the old number?")
    c.answer(P(g.phone(), "phone", PHONE))
    c.bot("And the new number?")
    new = c.answer(P(g.phone(), "phone", PHONE))
    c.bot("Updated. We'll text {n} to confirm.", n=new)
    c.wrap_up()


@flow("verify_dob_zip", "verify_identity")
def verify_dob_zip(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(g.pick(("i need to update my payment method", "want to change my autopay date")))
    c.bot("Please send your date of birth and billing ZIP code.")
    dob = P(g.dob(), "dob", DOB)
    zipcode = P(g.city_zip()[2], "zip", ADDRESS)
    if g.chance(0.5):
        two_values(c, dob, zipcode)
    else:
        two_values(c, zipcode, dob)
    c.bot(
        "Thanks, you're verified. AutoPay is now set for the {d}th of each month.",
        d=str(g.rng.randint(5, 28)),
    )
    c.wrap_up()


@flow("bank_credit_limit", "credit_limit")
def bank_credit_limit(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust(
        "can I get a credit limit increase? I make about ${k},000 now",
        k=str(g.rng.randint(45, 140)),
    )
    c.ask("ssn4", P(g.four(), "ssn_last4", SSN))
    c.ask("full_name", full_p(me), lower=True)
    c.bot("Thanks {first}, you're approved for $8,500, up from $5,000.", first=first_p(me))
    c.wrap_up()


@flow("telecom_payment_arrangement", "payment_arrangement")
def telecom_payment_arrangement(c: Chat) -> None:
    g = c.g
    acct = g.account_number()
    c.cust(
        g.pick(
            (
                "acct {a} - I need more time to pay my bill",
                "Hi, account number {a}. can i split my payment this month",
            )
        ),
        a=P(acct, "account_number", ACCOUNT),
    )
    c.bot(
        "Thanks! I found the account ending in {l4}. Your balance is $184.20, due Jan 12.",
        l4=P(last4(acct), "account_last4", ACCOUNT),
    )
    c.cust("can i pay $90 on the 15th and the rest on the 30th")
    c.handoff()
    c.ask("pin", P(g.pin(), "pin", CREDENTIAL))
    c.agent("Thank you. I've set up the arrangement: $90 on Jan 15 and $94.20 on Jan 30.")
    c.wrap_up()


@flow("delivery_gift_recipient", "gift_delivery")
def delivery_gift_recipient(c: Chat) -> None:
    g = c.g
    friend = g.person(wordlike=g.chance(0.3))
    c.greet()
    c.cust(
        "I sent a {prod} to my friend {f} and it says undeliverable",
        prod=g.pick(PRODUCTS),
        f=full_p(friend, "other_person_name")
        if g.chance(0.6)
        else first_p(friend, "other_person_name"),
    )
    c.bot("Let me check. What address did you ship it to?")
    c.answer(P(g.address()[0], "street_address", ADDRESS))
    c.bot(
        "The carrier says the unit number was missing. I've asked them to re-attempt on {d}.",
        d=g.soon(),
    )
    c.wrap_up()


@flow("sub_student_discount", "student_discount")
def sub_student_discount(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("does the student discount work with Arizona State emails?")
    c.bot("It does! To verify student status, what's your full name and date of birth?")
    two_values(
        c,
        full_p(me) if g.chance(0.7) else P(me.full.lower(), "full_name", PERSON),
        P(g.dob(), "dob", DOB),
    )
    c.bot(
        "Thanks, {first}. The discount ($5.99/mo instead of $11.99) starts on your next bill.",
        first=first_p(me),
    )
    c.wrap_up()


@flow("bank_deceased_relative", "estate")
def bank_deceased_relative(c: Chat) -> None:
    g = c.g
    dad = g.titled_person() if g.chance(0.6) else g.person()
    c.greet()
    c.cust("my father passed away last month, how do I close his account")
    c.handoff()
    c.agent("I'm very sorry for your loss. What was your father's full name?")
    c.answer(
        P(
            dad.full,
            "name_with_suffix" if dad.full != f"{dad.first} {dad.last}" else "family_member_name",
            PERSON,
        ),
        fix=False,
        late=0.0,
    )
    c.agent("And the last 4 of his Social Security number?")
    c.answer(P(g.four(), "ssn_last4", SSN), late=0.0)
    c.agent(
        "Thank you. Please upload the death certificate in the app under Documents; "
        "it takes about 5 business days to review."
    )
    c.wrap_up()


@flow("telecom_surname_zip", "account_lookup")
def telecom_surname_zip(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("can you check if my upgrade is eligible yet")
    c.staff(g.pick(ASKS["last_name"]))
    surname = P(me.last.lower() if g.chance(0.6) else me.last, "last_name", PERSON)
    c.cust(g.pick(("{s}", "{s}", "its {s}", "{s} (S as in Sam)")), s=surname)
    c.ask("zip", P(g.city_zip()[2], "zip", ADDRESS))
    c.bot(
        "Thanks! On the {s} account, your {ph} is eligible for an upgrade on {d}.",
        s=last_p(me),
        ph=g.pick(PHONES),
        d=g.soon(),
    )
    c.wrap_up()


@flow("bank_wrong_zelle", "p2p_payment")
def bank_wrong_zelle(c: Chat) -> None:
    g = c.g
    meant = g.person(wordlike=g.chance(0.3))
    c.greet()
    c.cust(
        "I sent ${amt} on Zelle to the wrong number, it went to {ph}",
        amt=str(g.rng.randint(20, 900)),
        ph=P(g.phone(), "other_phone", PHONE),
    )
    c.bot("I'm sorry. Who did you mean to send it to?")
    c.answer(full_p(meant, "other_person_name"), lower=True)
    c.bot(
        "Zelle payments to an enrolled user can't be cancelled, but I've opened a recovery "
        "request. You'll hear back in 3 business days."
    )
    c.wrap_up()


@flow("telecom_voicemail_pin", "voicemail")
def telecom_voicemail_pin(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("forgot my voicemail password")
    c.ask("pin", P(g.pin(), "pin", CREDENTIAL))
    c.bot("Verified. Your voicemail password is reset; dial 123 from your phone to set a new one.")
    c.wrap_up()


@flow("bank_login_agent_dob", "login_issue")
def bank_login_agent_dob(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "i typed {pw} like 5 times and it keeps saying incorrect",
        pw=P(g.password(), "password", CREDENTIAL),
    )
    c.handoff()
    c.agent("Please don't type passwords here. I can reset it for you.")
    c.ask("full_name", full_p(g.person(middle=0.25)), lower=True)
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.agent("Thanks, a reset link is on its way. It's valid until {t}.", t=g.clock())
    c.wrap_up()


@flow("delivery_order_lookup_agent", "order_status")
def delivery_order_lookup_agent(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("my {prod} order is 4 days late", prod=g.pick(PRODUCTS))
    c.handoff()
    c.agent(g.pick(ASKS["order_lookup"]))
    order = P(g.order_number(), "order_lookup", ACCOUNT)
    c.answer(order)
    c.agent(
        "Thanks. It left the {city} warehouse on Jan 3 and should arrive {d}.",
        city=g.pick(STORE_CITIES),
        d=g.soon(),
    )
    c.wrap_up()


@flow("sub_volunteer_everything", "billing")
def sub_volunteer_everything(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.cust(
        g.pick(
            (
                "Hi my name is {name}, email {e}, phone {ph}. I was charged after cancelling",
                "{name} here ({e}), got charged {p} after i cancelled",
            )
        ),
        name=full_p(me),
        e=P(g.email(me), "email", EMAIL),
        ph=P(g.phone(), "phone", PHONE),
        p=g.price(9, 20),
    )
    c.bot("Thanks, {first}. I see the charge from Jan 1 and I've refunded it.", first=first_p(me))
    c.wrap_up()


@flow("travel_known_name_dob_late", "check_in")
def travel_known_name_dob_late(c: Chat) -> None:
    g = c.g
    me = g.person(wordlike=g.chance(0.3))
    c.greet()
    c.cust("online check in isnt working for my flight at {t}", t=g.clock())
    c.bot("I can check you in. What's your first name?")
    c.answer(
        first_p(me, "first_name_wordlike" if me.first in WORDLIKE_FIRST_NAMES else "first_name"),
        late=0.3,
        lower=True,
    )
    c.bot("And your last name?")
    c.answer(last_p(me), lower=True)
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot("You're checked in, seat 14C. Boarding starts 40 minutes before departure.")
    if g.chance(0.5):
        c.cust("Will the boarding pass show up in the app?")
        c.bot("Yes, under Trips. You can also add it to your wallet.")
    c.wrap_up()


@flow("bank_account_verify_agent", "account_closure")
def bank_account_verify_agent(c: Chat) -> None:
    g = c.g
    me = g.person()
    acct = g.account_number()
    c.greet()
    c.cust("I'd like to close my checking account, moving to {bank}", bank=g.pick(BANKS))
    c.handoff()
    c.ask("full_name", full_p(me))
    c.ask("account", P(acct, "account_number", ACCOUNT))
    c.ask("ssn4", P(g.four(), "ssn_last4", SSN))
    c.agent(
        "Thank you, {first}. The account ending in {l4} has a balance of {b}. Where should we "
        "send it?",
        first=first_p(me),
        l4=P(last4(acct), "account_last4", ACCOUNT),
        b=g.price(50, 2000),
    )
    c.cust("can you mail a check")
    c.agent("Yes, to the address on file. It usually arrives within 7-10 days.")
    c.wrap_up()


@flow("telecom_email_and_dob", "upgrade")
def telecom_email_and_dob(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("want to upgrade to the {ph}, is there a deal", ph=g.pick(PHONES))
    c.bot("There's $200 off with trade-in. To check eligibility, I need to verify you.")
    c.ask("email", P(g.email(), "email", EMAIL), late=0.25)
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot("You're eligible. The upgrade is $8.33/mo for 36 months after trade-in.")
    c.wrap_up()


@flow("travel_passenger_lower", "seat_change")
def travel_passenger_lower(c: Chat) -> None:
    g = c.g
    me = g.person(wordlike=g.chance(0.4))
    c.greet()
    c.cust("can i change my seat, im stuck in 32E")
    c.bot("Sure. What's the name on the booking?")
    wordlike = me.first in WORDLIKE_FIRST_NAMES
    c.answer(P(me.full.lower(), "full_name", PERSON), fix=False)
    c.bot(
        "Thanks, {first}. I can move you to 21A (window) for $29, or 18C (aisle) for free.",
        first=first_p(me, "first_name_wordlike" if wordlike else "first_name"),
    )
    c.cust("18C please")
    c.wrap_up()


@flow("bank_member_id_and_name", "rewards")
def bank_member_id_and_name(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("my cashback rewards from {store} are missing", store=g.pick(STORES))
    c.bot("Please send me your member ID and your last name.")
    two_values(c, P(g.member_id(), "member_id", ACCOUNT), P(me.last, "last_name", PERSON))
    c.bot(
        "Found it. 3% back on {store} posts 2 days after the purchase settles.",
        store=g.pick(STORES),
    )
    c.wrap_up()


@flow("sub_gift_card_family", "gift_subscription")
def sub_gift_card_family(c: Chat) -> None:
    g = c.g
    family = g.person(wordlike=True)
    c.greet()
    c.cust(
        "I bought a gift subscription for my {rel} {n} but they never got the email",
        rel=g.pick(("niece", "nephew", "cousin", "grandkid")),
        n=first_p(family, "first_name_wordlike"),
    )
    c.bot("What email address did you send it to?")
    c.answer(P(g.email(family), "family_email", EMAIL), late=0.0)
    c.bot("I've resent the gift. It can take up to 15 minutes; ask them to check Spam.")
    c.wrap_up()


@flow("account_otp_then_passcode", "account_access")
def account_otp_then_passcode(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("new phone, need to log in on it")
    c.ask("otp", P(g.otp(), "one_time_code", CREDENTIAL), late=0.0)
    c.bot("Thanks. One more step for new devices.")
    c.ask("passcode", P(g.passcode(), "passcode", CREDENTIAL))
    c.bot("All set. This device is now trusted for 30 days.")
    c.wrap_up()


@flow("bank_maiden_and_dob_agent", "card_replacement")
def bank_maiden_and_dob_agent(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "my card got stolen at a {store} in {city}", store=g.pick(STORES), city=g.pick(STORE_CITIES)
    )
    c.bot("I've frozen your cards for now.")
    c.handoff()
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.ask("maiden", P(g.fake.last_name(), "mothers_maiden_name", CREDENTIAL), lower=True)
    c.agent("Thank you. A new card ships today and arrives by {d}.", d=g.soon())
    c.wrap_up()


@flow("delivery_address_full_volunteer", "address_issue")
def delivery_address_full_volunteer(c: Chat) -> None:
    g = c.g
    full, _line, zipcode = g.address()
    c.cust(
        g.pick(
            (
                "please deliver to {a} instead, I'm not home",
                "Can you change the address to {a}?? typo on my end",
            )
        ),
        a=P(full, "street_address", ADDRESS),
    )
    c.bot(
        "Updated. Your order from {store} will go to the ZIP {z} address by {t}.",
        store=g.pick(STORES),
        z=P(zipcode, "zip", ADDRESS),
        t=g.clock(),
    )
    c.wrap_up()


@flow("bank_tax_form_ssn", "tax_documents")
def bank_tax_form_ssn(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust(
        g.pick(
            (
                "my 1099-INT for 2025 has the wrong social security number on it",
                "The tax form in the app shows someone elses SSN??",
            )
        )
    )
    c.bot("I can request a correction. What's the correct Social Security number?")
    c.answer(P(g.ssn(), "ssn", SSN), late=0.35)
    c.bot("And the name exactly as it should appear on the form?")
    c.answer(full_p(me), lower=True)
    c.bot("Thanks. A corrected 1099-INT will be in Documents by Feb 15.")
    c.wrap_up()


@flow("telecom_credit_check", "new_service")
def telecom_credit_check(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "signing up for the {speed} internet plan for {p}/mo and it says my credit check failed",
        speed=g.pick(("300 Mbps", "500 Mbps", "1 Gig")),
        p=g.pick(("$55", "$65", "$80")),
    )
    c.bot("Sorry about that! I can run it again here.")
    c.ask("ssn", P(g.ssn(), "ssn", SSN), late=0.3)
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.bot("Thanks. And the service address?")
    c.answer(P(g.address()[0], "street_address", ADDRESS))
    c.bot("You're approved! The earliest install window is {d}, 8 am to 12 pm.", d=g.soon())
    c.wrap_up()


@flow("sub_receipt_lookup", "receipt")
def sub_receipt_lookup(c: Chat) -> None:
    g = c.g
    me = g.person()
    c.greet()
    c.cust("need a receipt for my annual plan ($119.88) for work")
    c.bot("Sure! What's the email or phone number on your account?")
    if g.chance(0.5):
        c.answer(P(g.email(me), "email", EMAIL))
    else:
        c.answer(P(g.phone(), "phone", PHONE))
    work = P(
        f"{me.first.lower()}.{re.sub(r'[^a-z]', '', me.last.lower())}@"
        f"{g.pick(('acmecorp.com', 'brightpath.io', 'northfieldhealth.org', 'kestrel-labs.com'))}",
        "work_email",
        EMAIL,
    )
    c.cust(g.pick(("can you send it to my work email {w}", "pls send to {w} instead")), w=work)
    c.bot("Done! The receipt for $119.88 is on its way to {w}.", w=work)
    c.wrap_up()


@flow("delivery_update_contact", "update_contact")
def delivery_update_contact(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("need to update my phone and email, got a new job and a new number")
    c.bot("Happy to help. Please send the new phone number and email address.")
    phone, email = P(g.phone(), "phone", PHONE), P(g.email(), "email", EMAIL)
    if g.chance(0.5):
        two_values(c, phone, email)
    else:
        two_values(c, email, phone)
    c.bot("All updated. Your Dash Pass renews on Jan 20 at $9.99.")
    c.wrap_up()


@flow("account_teacher_and_pet", "account_access")
def account_teacher_and_pet(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("the app says I need to verify my identity before I can transfer money")
    c.handoff()
    teacher = P(g.teacher(), "favorite_teacher", CREDENTIAL)
    c.agent(g.pick(ASKS["teacher"]))
    if g.chance(0.2):
        c.cust(g.pick(WHY))
        c.agent(g.pick(BECAUSE))
    c.cust(g.pick(("{t}", "mr {t}", "Mrs. {t} (3rd grade)", "ms. {t} i think")), t=teacher)
    c.ask("pet", P(g.pick(PET_NAMES), "first_pet", CREDENTIAL), lower=True)
    c.agent("Thank you, you're verified. Transfers up to $2,500 are now unlocked.")
    c.wrap_up()


@flow("bank_scam_ssn_volunteered", "fraud_alert")
def bank_scam_ssn_volunteered(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("got a text saying my account was suspended and i clicked the link")
    c.bot("We never ask for personal details by text. Did you enter anything on that page?")
    c.cust(
        g.pick(
            (
                "yes they asked for my social and i put {ssn} :(",
                "I typed my SSN ({ssn}) and my card number",
                "ugh yes, ssn {ssn} and my login",
            )
        ),
        ssn=P(g.ssn(), "ssn", SSN),
    )
    c.handoff()
    c.agent("I've locked your online banking and placed a fraud alert. Let's verify you.")
    c.ask("dob", P(g.dob(), "dob", DOB))
    c.agent(
        "Thank you. Please also place a free credit freeze with Equifax, Experian and "
        "TransUnion. A new card is on its way."
    )
    c.wrap_up()


# ---------------------------------------------------------------------- clean flows


@flow("clean_store_hours", "store_info", clean=True)
def clean_store_hours(c: Chat) -> None:
    g = c.g
    store, city = g.pick(STORES), g.pick(STORE_CITIES)
    c.greet()
    c.cust("what time does the {s} in {c} stop delivering tonight", s=store, c=city)
    c.bot(
        "The {s} store in {c} delivers until 9:30 pm today and opens at 8 am tomorrow.",
        s=store,
        c=city,
    )
    c.cust("Will it be open on Sunday?")
    c.bot("Yes, Sunday hours are 9 am to 8 pm.")
    c.wrap_up()


@flow("clean_plan_compare", "plan_info", clean=True)
def clean_plan_compare(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("whats the difference between Unlimited Plus and Unlimited Starter")
    c.bot(
        "Unlimited Plus is $80/mo with 50 GB hotspot and HD streaming. Unlimited Starter "
        "is $65/mo with 5 GB hotspot."
    )
    c.cust(g.pick(("Will I lose my discount if I switch?", "does autopay still give $10 off")))
    c.bot("You keep the $10 AutoPay discount on both plans.")
    c.wrap_up()


@flow("clean_delivery_eta", "order_status", clean=True)
def clean_delivery_eta(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("Will my {p} still arrive by {d}?", p=g.pick(PRODUCTS), d=g.soon())
    c.bot("Orders placed before 2 pm ship the same day. Standard shipping takes 3-5 business days.")
    c.cust("ok what about express")
    c.bot("Express is {p} and arrives in 1-2 business days.", p=g.price(9, 25))
    c.wrap_up()


@flow("clean_baggage_policy", "baggage", clean=True)
def clean_baggage_policy(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust(
        "how much is a checked bag on a flight to {city}",
        city=g.pick(("Orlando", "Miami", "Denver")),
    )
    c.bot("The first checked bag is $35 and the second is $45, up to 50 lb each.")
    c.cust("and a carry on?")
    c.bot("One carry-on and one personal item are free on Main Cabin fares.")
    c.wrap_up()


@flow("clean_app_crash", "app_issue", clean=True)
def clean_app_crash(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("the app keeps crashing on my {ph} since the update", ph=g.pick(PHONES))
    c.bot("Sorry about that! Version 7.2.1 fixes a crash on launch. Can you update from the store?")
    c.cust("ok updated, works now")
    c.wrap_up()


@flow("clean_refund_policy", "refund_policy", clean=True)
def clean_refund_policy(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("if i cancel today do i get the {p} back", p=g.price(9, 30))
    c.bot(
        "Cancellations within 30 days of renewal are refunded in full. After that, access "
        "continues until the end of the billing period."
    )
    c.wrap_up()


@flow("clean_promo_code", "promo", clean=True)
def clean_promo_code(c: Chat) -> None:
    g = c.g
    code = g.pick(("SAVE20", "WELCOME10", "FREESHIP", "NEWYEAR25"))
    c.greet()
    c.cust("promo code {c} isnt working", c=code)
    c.bot(
        "{c} needs a minimum order of $35. Your cart is {p} right now.", c=code, p=g.price(12, 34)
    )
    c.cust("ah ok")
    c.wrap_up()


@flow("clean_transfer_limits", "transfer_limits", clean=True)
def clean_transfer_limits(c: Chat) -> None:
    g = c.g
    c.greet()
    c.cust("whats the daily limit for sending money to my {b} account", b=g.pick(BANKS))
    c.bot(
        "External transfers are limited to $2,500 a day and $10,000 a month. Zelle is $1,000 a day."
    )
    c.cust("Will that go up if I have direct deposit?")
    c.bot("Yes, after 90 days of direct deposit the daily limit doubles.")
    c.wrap_up()


# ------------------------------------------------------------------------- assembly


def _word(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)


def _planted(turns: list[Turn]) -> list[tuple[str, str, str]]:
    seen: set[str] = set()
    planted: list[tuple[str, str, str]] = []
    for turn in turns:
        for part in turn.parts:
            if isinstance(part, P) and len(part.value) >= 3 and part.value.lower() not in seen:
                seen.add(part.value.lower())
                planted.append((part.kind, part.etype, part.value))
    return planted


def _check(turns: list[Turn], planted: list[tuple[str, str, str]]) -> None:
    """A planted value must not occur outside its planted slots (as a word, or for a
    value with digits anywhere), so every occurrence of it is one the set records."""
    rest = "\n".join(
        "".join(part if isinstance(part, str) else "\x00" for part in turn.parts) for turn in turns
    )
    for _kind, _etype, value in planted:
        if _word(value).search(rest):
            raise Rejected
        if any(ch.isdigit() for ch in value) and value.lower() in rest.lower():
            raise Rejected


def _conversation_id(seed: int, index: int, planted: list[tuple[str, str, str]]) -> str:
    for salt in range(1000):
        digest = hashlib.sha256(f"{SOURCE}:{seed}:{index}:{salt}".encode()).hexdigest()[:12]
        cid = f"c9-{digest}"
        if not any(value.lower() in cid for _k, _e, value in planted):
            return cid
    raise RuntimeError("no conversation id free of planted values")


def _events(g: Gen, turns: list[Turn]) -> list[dict]:
    at = DAY + timedelta(seconds=g.rng.randint(5 * 60, 21 * 3600))
    events: list[dict] = []
    for seq, turn in enumerate(turns):
        if seq:
            pause = g.rng.randint(8, 90) if turn.actor == "customer" else g.rng.randint(2, 40)
            at += timedelta(seconds=pause)
        events.append(
            {
                "seq": seq,
                "sent_at": at.isoformat(),
                "actor": turn.actor,
                "event_type": "message",
                "text": "".join(p if isinstance(p, str) else p.value for p in turn.parts),
                "agent_id": turn.agent_id,
                "payload": None,
            }
        )
    if g.chance(0.85):
        at += timedelta(seconds=g.rng.randint(1, 120))
        events.append(
            {
                "seq": len(events),
                "sent_at": at.isoformat(),
                "actor": "system",
                "event_type": "closed",
                "text": None,
                "agent_id": None,
                "payload": None,
            }
        )
    return events


def flow_names() -> list[str]:
    return [f.name for f in FLOWS]


def conversations(
    n: int = 600, seed: int = 9
) -> tuple[list[dict], dict[str, list[tuple[str, str, str]]]]:
    """n canonical conversations and, per conversation_id, its planted values as
    (slot_kind, entity_type, value)."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    g = Gen(rng, fake)
    clean_flows = [f for f in FLOWS if f.clean]
    pii_flows = [f for f in FLOWS if not f.clean]
    out: list[dict] = []
    planted_by_id: dict[str, list[tuple[str, str, str]]] = {}
    deck: list[Flow] = []
    for index in range(n):
        if g.chance(CLEAN_SHARE):
            chosen = g.pick(clean_flows)
        else:
            # dealt from a shuffled deck, so every flow is drawn about as often
            if not deck:
                deck = pii_flows.copy()
                rng.shuffle(deck)
            chosen = deck.pop()
        for _attempt in range(200):
            chat = Chat(g)
            try:
                chosen.run(chat)
                planted = _planted(chat.turns)
                _check(chat.turns, planted)
            except Rejected:
                continue
            break
        else:
            raise RuntimeError(f"flow {chosen.name} could not be drawn")
        if chosen.clean and planted:
            raise AssertionError(f"clean flow {chosen.name} planted a value")
        events = _events(g, chat.turns)
        cid = _conversation_id(seed, index, planted)
        out.append(
            {
                "conversation_id": cid,
                "source": SOURCE,
                "started_at": events[0]["sent_at"],
                "ended_at": events[-1]["sent_at"],
                "channel": g.pick(("web", "ios", "android")),
                "locale": "en-US",
                "market": "US",
                "customer_id": f"h9-cust-{index}",
                "bot_version": "v1",
                "intent": chosen.intent,
                "csat_score": None,
                "csat_submitted_at": None,
                "events": events,
            }
        )
        planted_by_id[cid] = planted
    # self-check: every planted value is verbatim in its conversation, never in its id
    for conversation in out:
        cid = conversation["conversation_id"]
        texts = [e["text"] for e in conversation["events"] if e["text"]]
        for _kind, _etype, value in planted_by_id[cid]:
            assert len(value) >= 3
            assert any(value in text for text in texts), "planted value not in its conversation"
            assert value.lower() not in cid.lower(), "planted value in a conversation id"
        assert conversation["ended_at"][:10] == "2026-01-05"
    assert len(planted_by_id) == n, "conversation ids collide"
    return out, planted_by_id


if __name__ == "__main__":
    convs, planted_values = conversations()
    by_type: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for values in planted_values.values():
        for slot_kind, entity_type, _value in values:
            by_type[entity_type] += 1
            by_kind[slot_kind] += 1
    print(f"conversations: {len(convs)}")
    print(f"events: {sum(len(c['events']) for c in convs)}")
    print(f"clean conversations: {sum(1 for v in planted_values.values() if not v)}")
    print(f"flows: {len(FLOWS)} ({sum(1 for f in FLOWS if f.clean)} clean)")
    print(f"planted values: {sum(by_type.values())}")
    print("by entity_type:")
    for name, count in sorted(by_type.items()):
        print(f"  {name}: {count}")
    print("by slot_kind:")
    for name, count in sorted(by_kind.items()):
        print(f"  {name}: {count}")
