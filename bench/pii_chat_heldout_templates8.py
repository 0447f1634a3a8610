"""Held-out support-chat templates, set 8: values planted in US customer-support messages.

Written 2026-12-06 by a helper who never saw the PII rules, their tests or docs, the
development templates, or the detector's output on these messages (nor ran the detector
at all while writing them). Not to be used to change a rule: a miss found here is
reported, not fixed against these templates (a fix needs its own development examples,
and then a new held-out set). The templates are new: none reuses a phrasing or situation
of set 1 (bench/pii_chat_heldout.py) or set 2 (pii_chat_heldout_templates2.py).

What it covers, weighted toward PERSON (most templates carry a name): US support chat
about internet installs, pharmacies, banks, utilities, landlords, salons, vets, camps,
airlines, streaming plans and deliveries; in lower case, with typos ("recieved",
"tommorow", "adress"), run-ons, no punctuation, emojis, and multi-line forms
("NAME ON CARD:", "Name (last, first):", "Full name -"). Names stand alone as first
names, full names, lower-case names in all-lower-case messages, surnames alone (after
"coach", "under"), agents' names as chat widgets show them ("first L."), names after
greetings and thanks ("hello", "thank you so much"), before sign-offs ("cheers",
"ty!!"), after "it's", "my name's", "name's", "u r talking to", and names of other
people: agents, technicians, family members (a newborn, a grandson, an ex), landlords,
nannies, roommates, coworkers, account holders, an estate. Values: Faker en_US names
(seeded); first names that are also English words or places, a list of this set's own
(``WORD_NAMES8``: "Pearl", "Clay", "Grant", "Virginia", "Lincoln", "Cash", ...),
planted alone and with a surname under their own slot kinds so their recall shows on
its own line; US first names and surnames of Arab, West African, Vietnamese, Korean,
Chinese, South Asian, Hispanic, Native Hawaiian, Navajo, Armenian, Jewish, Polish,
Irish, Italian, Greek and Scandinavian origin; camel-case and two-word surnames
("McKenzie", "DeLuca", "St. Clair", "Da Silva"); titles ("Dr.", "Prof.", "Rev.",
"Pastor", "Sgt.", "Capt.", "Mx.", with and without the period, sometimes lower case);
suffixes and credentials ("Jr.", "III", "Esq.", "M.D."); hyphenated first names and
surnames; apostrophe first names and surnames ("D'Andre", "O'Rourke"); middle names and
initials; "Last, First" in forms; names in capitals as printed on a card. The other
kinds reuse set 2's generators (phones in every common US shape, emails, street
addresses with and without units, PO boxes, cards, SSNs, account numbers, IPv4/IPv6);
dates of birth add a few shapes of their own (dots, two-digit years, "14th of March").
The template text around the values holds no personal data of its own (ordinary
numbers only: totals, quantities, times, delivery days, an order number, a check
number), so any predicted span outside a planted value is a false positive.

``messages8(n, seed)`` returns ``(text, [(kind, start, end), ...])`` like set 2's
``messages2``; ``ACCEPTED8[kind]`` is the set of entity types that count as finding a
value of that kind, ``TYPE_OF8[kind]`` the type it is reported under. This module does
not import the detector.
"""

from __future__ import annotations

import random

from faker import Faker
from pii_chat_heldout_templates2 import plant, value2

# First names that are also English words or places (none in set 1's or set 2's lists).
WORD_NAMES8 = """
    Pearl Iris Lily Poppy Willow Olive Ginger Candy Misty Cherry Honey Magnolia Marina
    Mercy Charity Liberty Patience Constance Precious Sandy Dusty Rusty Clay Cole Buck
    Bud Gene Guy Pat Sue Ray Rob Don Art Max Lance Grant Bob Skip Chip Cash Colt Ridge
    Glen Heath Major Royal Bishop Sonny Virginia Carolina Florence Charlotte Lincoln
    Troy Eugene Orlando Houston Cheyenne Dakota
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)

# US first names and surnames of many origins (none in set 2's lists).
OTHER_FIRST8 = """
    Mohammed Fatima Omar Aisha Yusuf Amina Chidi Ngozi Oluwaseun Kwame Ayodele Tuan Huong
    Quang Jae-won Min-jun Soo-ah Xiaoming Jiayi Deepak Ananya Sanjay Lakshmi Marisol
    Joaquín Yesenia Rigoberto Dolores Esperanza Nayeli Kalani Keanu Leilani Bogdan
    Agnieszka Thaddeus Cormac Aoife Eamon Ezekiel Shoshana Mordecai Jaylen Tremaine
    Latrice Shanice Kenji Akiko Ji-hoon Nikolai Anastasia Vartan Anahit Björn Astrid
    """.split()  # noqa: SIM905
OTHER_LAST8 = """
    Abdullah Hassan Haddad Okafor Adeyemi Mensah Nwosu Vo Huynh Dang Bui Choi Jung Kang
    Liu Huang Xu Reddy Iyer Krishnan Chaudhry Flores Morales Gutiérrez Reyes Alvarado
    Villanueva Santos Kealoha Kahananui Begay Yazzie Tsosie Petrosyan Hovsepian
    Abramowitz Goldberg Katz Kozlowski Nowicki Wiśniewski Lindqvist Johansson Fitzgerald
    McLaughlin Sullivan Esposito Romano Castellano Georgiou McKenzie MacDonald DeLuca
    LeBlanc VanDyke DiMaggio
    """.split()  # noqa: SIM905
OTHER_LAST8 += ["St. Clair", "Da Silva", "Del Rosario", "Van Houten"]  # two-word surnames
APOS_LAST8 = ["O'Donnell", "O'Rourke", "D'Amico", "O'Keefe", "D'Arcy", "O'Toole", "N'Diaye"]
APOS_FIRST8 = ["D'Andre", "Ja'Marcus", "De'Asia", "La'Shay", "Ke'Shawn", "Da'Quan"]
HYPHEN_FIRST8 = ["Mary-Kate", "Jean-Luc", "Anne-Marie", "Jo-Ellen", "Billy-Ray", "Lee-Ann"]
TITLES8 = ["Dr.", "Prof.", "Rev.", "Pastor", "Sgt.", "Capt.", "Mx.", "Mrs", "Ms", "Mr."]
SUFFIXES8 = ["Jr.", "Jr", "Sr", "II", "III", "Esq.", "M.D.", "PhD"]

# {slot} names the value kind; the kind gives the accepted entity types.
TEMPLATES8 = (
    # --- names of the customer ---
    "my name's {first} and the tech never showed, the window was 8 to 12",
    "it's {name}. the air fryer i got last week wont turn on at all",
    "u r talking to {lname} btw, the acct holder",
    "name's {first_lower}. im locked out of the app after 3 tries",
    "Good morning! I'm {title_name} and I'd like to move my appointment from Thursday to Friday.",
    "hi its {first_lower} {last_lower} i paid $86.40 but the bill still shows past due",
    "this is {word_name}, i called on monday about the leak under the sink",
    "i am {middle_name} and i dispute the $312.17 charge from the 3rd",
    "im {first_lower} lol sorry for the caps earlier, still mad about the $75 fee 😤",
    "my name is spelled {apos_name}, please fix it on the boarding pass before 6am",
    "ok thats everything for now, cheers {word_first}",
    "ty!! - {first_lower} 😊",
    "Warm regards,\n{name_suffix}\nacct {account}",
    "hello? {word_first} {last_lower} here, been on hold 40 min and the chat is my last try",
    "NAME ON CARD: {upper_name}\nCARD NO: {card}\nbilling zip is the same as before",
    "Name (last, first): {last_comma_first}\nDate of birth: {dob}\nMember since 2019",
    "its {word_first_lower} from the 2nd floor again the heat is still out",
    "i'm {first} {last} and yes i already unplugged the router for 30 seconds twice",
    # --- the agent, the technician, other staff ---
    "hello {first}, thanks for picking up so fast. my internet drops every 20 min since tuesday",
    "the technician, {name}, left the gate open and our dog got out 😡",
    "{first_initial} was super helpful yesterday, pls pass that along 👍",
    "Thank you so much {word_first}!! you saved my weekend 🙏",
    "yo {first_lower} u still there? been waiting 15 min",
    "the guy who came out, {first_lower} i think, said the part is on backorder for 6 weeks",
    "{word_first} from the front office said i could get the late fee waived this once",
    "hi, is {first} working today? she did my color last time and i want to rebook for 2",
    "pls tell {first} at the pharmacy counter that my insurance card is updated",
    "the driver (app says {first_initial}) marked it delivered at 4:52 but nothing's here",
    "please ask for {title_name} when the truck gets to the loading dock",
    "your agent {word_name} promised me a $40 credit and it isnt on this bill",
    # --- family, household, other people ---
    "can {word_first} pick up the prescription for me? shes my daughter",
    "my roommate {word_first_lower} ordered the couch, im just the one home for delivery",
    "Our landlord, {title_name}, says the meter reading is wrong.",
    "Regarding the claim for my late husband, {name_suffix}: the adjuster still hasn't called.",
    "I'm the executor for {name}'s estate, what paperwork do you need from me?",
    "my grandson {first} set this tablet up and now i cant find the settings",
    "please put the reservation under {apos_name}, party of 6 at 7:30",
    "{hyphen_name} is the new billing contact for our office, effective the 1st",
    "my ex {name} still has the streaming password and keeps changing my profile",
    "i want to remove {word_first_lower} from the family plan, we are not together anymore",
    "My coworker {middle_name} recommended you guys, is there a referral credit?",
    "The account is in my mother's name, {title_name}. She's 84 and can't use the chat, "
    "so I'm helping.",
    "hey whoever this is, my wife {word_first} says the order came in 2 boxes but we only "
    "recieved 1",
    "our nanny {first} will be home to sign for it between 2 and 4",
    "i need to add my newborn {name} to my insurance plan, born last friday!!",
    "vet appointment is under {last_lower}, the cat is 11 and throwing up again",
    "Dear support, my son {first} {last} (age 9) was enrolled twice in the day camp and "
    "we got billed $640 twice",
    "coach {last} signed the team up but the jerseys came in the wrong sizes, 11 smalls "
    "instead of 11 mediums",
    "both {first} and {word_first} are on the lease, can they each get a key fob",
    "authorized users: {name}, {first_lower} {last_lower}, and me",
    "the package says signed by {upper_name} but nobody here has that name",
    "Please void check 1042 and reissue it to {hyphen_name}.",
    "Contact person for the delivery - {name}, {phone}",
    "reply to {email} not the old one, and address it to {title_name} please",
    "I'd like my statement mailed to {address}. Also my name is misspelled, it should be "
    "{middle_name}.",
    "my sister {apos_name} is flying with me, can we sit together? confirmation is for 2 adults",
    "bought the Instant Pot at Best Buy on black friday, the receipt should be under {name}",
    "tracking said it would arrive 12/9, its 12/14 now and still nothing. this is {first} btw",
    "pls cc {word_name} on the reply too, her email is {email}",
    # --- other kinds, no name ---
    "yes you can call {phone} but only between 9 and 5 central",
    "text the updates to {phone} plz my voicemail is full",
    "new cell: {phone} (the old one got disconnected)",
    "i tried resetting my password 5 times and the code never comes to {email}",
    "can the receipt for the 2 tires go to {email}? total was $412.88",
    "move the service to {address_unit} starting tommorow, same plan please",
    "our mail goes to {po_box} cuz we're on a rural route, the street adress gets nothing",
    "the router was shipped to {address} but i moved out in october",
    "charge the $19.99 upgrade to {card}, exp is on the card lol",
    "letter from the irs says my ssn {ssn} was used on another return, what do i do",
    "born {dob} so i should get the senior discount right?",
    "DOB is {dob}, the last agent typed it in wrong",
    "savings acct # {account} pls move $500 from there to checking",
    "vpn is off and it still says {ip} is my location which isnt even my state",
    "can you whitelist {ip} for our office? we have 12 seats on the plan",
    "ordered 3 lamps (order #4471) and 1 arrived cracked, the other 2 are fine. pleese "
    "refund to {card}",
    "name: {lname}\nphone: {phone}\nbest time: after 6pm\nissue: fridge leaking water",
    "Full name - {name_suffix}\nDOB - {dob}\nSSN - {ssn}\nReason - refinance",
    "I'm calling from {phone} but the account is under {name}, my husband",
)

_PERSON_KINDS = (
    "name",
    "first",
    "lname",
    "first_lower",
    "last",
    "last_lower",
    "word_first",
    "word_first_lower",
    "word_name",
    "title_name",
    "name_suffix",
    "hyphen_name",
    "apos_name",
    "middle_name",
    "last_comma_first",
    "upper_name",
    "first_initial",
)
_OTHER_TYPES = {
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
TYPE_OF8 = {kind: "PERSON" for kind in _PERSON_KINDS} | _OTHER_TYPES
ACCEPTED8 = {
    kind: ({"BANK_ACCOUNT", "ID_NUMBER"} if entity == "ACCOUNT" else {entity})
    for kind, entity in TYPE_OF8.items()
}


def _first(fake: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(WORD_NAMES8)
    if roll < 0.45:
        return rng.choice(OTHER_FIRST8)
    return fake.first_name()


def _last(fake: Faker, rng: random.Random) -> str:
    return rng.choice(OTHER_LAST8) if rng.random() < 0.25 else fake.last_name()


def _middle(fake: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"{fake.random_uppercase_letter()}."
    if roll < 0.65:
        return fake.random_uppercase_letter()
    return fake.first_name()


_ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def _dob(fake: Faker, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return value2("dob", fake, rng)
    born = fake.date_of_birth(minimum_age=18, maximum_age=95)
    m, d, y = born.month, born.day, born.year
    shapes = (
        born.strftime("%m.%d.%Y"),
        f"{m}-{d}-{y % 100:02d}",
        f"{d}{_ORDINAL.get(d, 'th')} of {born.strftime('%B')} {y}",
        f"{born.strftime('%B')} {d}{_ORDINAL.get(d, 'th')} {y}",
        born.strftime("%b. %d %Y").lower(),
        born.strftime("%m%d%Y"),
    )
    return rng.choice(shapes)


def value8(kind: str, fake: Faker, rng: random.Random) -> str:
    """A value of ``kind`` drawn from ``fake`` (en_US, seeded) and ``rng``."""
    if kind == "name":
        return f"{_first(fake, rng)} {_last(fake, rng)}"
    if kind == "first":
        return _first(fake, rng)
    if kind == "lname":
        return f"{_first(fake, rng)} {_last(fake, rng)}".lower()
    if kind == "first_lower":
        return _first(fake, rng).lower()
    if kind == "last":
        return _last(fake, rng)
    if kind == "last_lower":
        return _last(fake, rng).lower()
    if kind == "word_first":
        return rng.choice(WORD_NAMES8)
    if kind == "word_first_lower":
        return rng.choice(WORD_NAMES8).lower()
    if kind == "word_name":
        return f"{rng.choice(WORD_NAMES8)} {_last(fake, rng)}"
    if kind == "title_name":
        title = rng.choice(TITLES8)
        if rng.random() < 0.3:
            title = title.rstrip(".")
        roll = rng.random()
        if roll < 0.4:
            return f"{title} {_first(fake, rng)} {_last(fake, rng)}"
        if roll < 0.85:
            return f"{title} {_last(fake, rng)}"
        return f"{title} {_last(fake, rng)}".lower()
    if kind == "name_suffix":
        return f"{_first(fake, rng)} {_last(fake, rng)} {rng.choice(SUFFIXES8)}"
    if kind == "hyphen_name":
        if rng.random() < 0.35:
            return f"{rng.choice(HYPHEN_FIRST8)} {_last(fake, rng)}"
        return f"{_first(fake, rng)} {_last(fake, rng)}-{_last(fake, rng)}"
    if kind == "apos_name":
        if rng.random() < 0.4:
            name = f"{rng.choice(APOS_FIRST8)} {_last(fake, rng)}"
        else:
            name = f"{_first(fake, rng)} {rng.choice(APOS_LAST8)}"
        return name.lower() if rng.random() < 0.2 else name
    if kind == "middle_name":
        return f"{_first(fake, rng)} {_middle(fake, rng)} {_last(fake, rng)}"
    if kind == "last_comma_first":
        first = _first(fake, rng)
        if rng.random() < 0.3:
            first = f"{first} {fake.random_uppercase_letter()}"
        return f"{_last(fake, rng)}, {first}"
    if kind == "upper_name":
        if rng.random() < 0.3:
            return (
                f"{_first(fake, rng)} {fake.random_uppercase_letter()} {_last(fake, rng)}".upper()
            )
        return f"{_first(fake, rng)} {_last(fake, rng)}".upper()
    if kind == "first_initial":
        return f"{_first(fake, rng)} {fake.random_uppercase_letter()}."
    if kind == "dob":
        return _dob(fake, rng)
    if kind in _OTHER_TYPES:
        return value2(kind, fake, rng)
    raise ValueError(kind)


def messages8(n: int, seed: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``n`` messages with their planted values (kind, start, end)."""
    return plant(TEMPLATES8, value8, n, seed)
