#!/usr/bin/env python3
"""Development chat set 3: account numbers and names, written blind (round 15).

Written 2026-12-05 by a helper who saw neither the PII rules, their tests and docs,
the detector's output, nor the held-out sets (bench/pii_chat_heldout*.py): 70 account
templates x 6 (bank, credit union, utility, telecom, insurance, brokerage, loan and HSA
numbers as companies print them: letter prefixes and suffixes, digit groups, leading
zeros, routing numbers beside them, the cue before, after or only implied), 70 name
templates x 5 (first names alone, lower-case full names, surnames after titles, full
names in unusual places) and 150 negatives in the same contexts. Development data:
rules are changed against it (unlike the held-out sets); ``bench/pii_chat_dev3.py``
scores it. Kept as the helper wrote it, apart from the output path, formatting and the
span checks and fill loop, now shared with sets 4-7 (bench/pii_chat_dev_records.py).

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id};
kinds: account, first, full_lower, last, full. Negatives have spans == [].
Placeholders: {key} or {key.l} (lower) / {key.c} (canonical capitalisation).
"""

# ruff: noqa: UP031, E741

import json
import random
import re
import string
from collections import Counter, OrderedDict

from faker import Faker
from pii_chat_dev_records import RecordBuilder, check_record, fill_without_values

SEED = 3303
random.seed(SEED)
fake = Faker("en_US")
Faker.seed(SEED)

OUT = "dev3.jsonl"  # main() only; bench/pii_chat_dev3.py calls build()

# ---------------------------------------------------------------- names
# by origin: (female firsts, male firsts, surnames)
ORIGINS = {
    "hispanic": (
        [
            "Maria",
            "Guadalupe",
            "Ximena",
            "Alejandra",
            "Yesenia",
            "Marisol",
            "Lucia",
            "Daniela",
            "Rocio",
        ],
        ["Jose", "Alejandro", "Luis", "Jesus", "Santiago", "Rodrigo", "Efrain", "Joaquin"],
        [
            "Hernandez",
            "Gonzalez",
            "Ramirez",
            "Vasquez",
            "Castillo",
            "Ortiz",
            "Villanueva",
            "Quintero",
            "Del Valle",
        ],
    ),
    "black_american": (
        [
            "Latoya",
            "Shaniqua",
            "Keisha",
            "Imani",
            "Aaliyah",
            "Ebony",
            "Tamika",
            "Jasmine",
            "Shanice",
            "Tanya",
        ],
        [
            "DeShawn",
            "Jamal",
            "Tyrone",
            "Darnell",
            "Malik",
            "DeAndre",
            "Terrell",
            "Marquis",
            "Marcus",
        ],
        ["Washington", "Jefferson", "Jackson", "Booker", "Banks", "Toussaint", "Freeman", "Mosley"],
    ),
    "west_african": (
        ["Chiamaka", "Adaeze", "Ama"],
        ["Kwame", "Chukwuemeka", "Kofi"],
        ["Okafor", "Mensah", "Obi", "Adeyemi", "Owusu"],
    ),
    "south_asian": (
        ["Priya", "Ananya", "Lakshmi", "Deepika", "Sunita", "Kavya", "Farah", "Nandini"],
        ["Rahul", "Arjun", "Vikram", "Sanjay", "Imran", "Rohan", "Sandeep"],
        [
            "Patel",
            "Ramaswamy",
            "Chaudhary",
            "Venkataraman",
            "Iyer",
            "Siddiqui",
            "Banerjee",
            "Gupta",
        ],
    ),
    "east_asian": (
        ["Mei", "Yuki", "Ji-woo", "Xiaoling", "Hana", "Soo-jin", "Min-seo"],
        ["Wei", "Hiroshi", "Min-jun", "Jian", "Takeshi", "Jae-hyun", "Kenji"],
        ["Chen", "Zhang", "Kim", "Park", "Tanaka", "Yamamoto", "Liu", "Wong", "Takahashi"],
    ),
    "southeast_asian": (
        ["Thuy", "Linh", "Siriporn", "Maricel", "Dao", "Rosalinda"],
        ["Minh", "Tuan", "Somchai", "Bayani", "Khanh"],
        ["Nguyen", "Tran", "Pham", "Le", "Santos", "Reyes", "Bautista", "Suwannarat", "Dela Cruz"],
    ),
    "arabic": (
        ["Fatima", "Aisha", "Layla", "Noor", "Yasmin", "Mariam", "Rania"],
        ["Mohammed", "Omar", "Khalid", "Youssef", "Tariq", "Ahmad", "Bilal"],
        ["Al-Sayed", "Haddad", "Abdullah", "Nasser", "El-Amin", "Khoury", "Mansour"],
    ),
    "eastern_european": (
        ["Olga", "Katarzyna", "Svetlana", "Ioana", "Milena", "Agnieszka", "Oksana"],
        ["Dmitri", "Piotr", "Bogdan", "Vladimir", "Tomasz", "Andrei", "Mykola"],
        ["Kowalski", "Nowak", "Petrov", "Popescu", "Horvath", "Wisniewski", "Shevchenko", "Dvorak"],
    ),
    "irish_italian": (
        ["Siobhan", "Aoife", "Francesca", "Giulia", "Maeve", "Bridget", "Niamh"],
        ["Seamus", "Liam", "Giuseppe", "Vincenzo", "Declan", "Padraig"],
        [
            "O'Connor",
            "O'Brien",
            "D'Angelo",
            "DiMaggio",
            "McCarthy",
            "O'Neill",
            "Lo Bianco",
            "Esposito",
        ],
    ),
    "misc_us": (
        ["Brittany", "Kayleigh", "Heather", "Megan", "Dolores"],
        ["Cody", "Travis", "Dwayne", "Brandon", "Earl"],
        ["Whitfield", "Tatum", "Hollister", "Pruitt"],
    ),
}
ORIGIN_KEYS = list(ORIGINS)
FIRST_F = [n for k in ORIGIN_KEYS for n in ORIGINS[k][0]]
FIRST_M = [n for k in ORIGIN_KEYS for n in ORIGINS[k][1]]
LAST = [n for k in ORIGIN_KEYS for n in ORIGINS[k][2]]
# first names that are also ordinary words / places
WORD_F = [
    "Hope",
    "Faith",
    "Grace",
    "Summer",
    "June",
    "Paris",
    "Georgia",
    "Rose",
    "April",
    "Joy",
    "Dawn",
    "Autumn",
    "Ivy",
    "Destiny",
    "Precious",
    "Charity",
    "Sunny",
]
WORD_M = [
    "Austin",
    "Jordan",
    "Will",
    "Mark",
    "Bill",
    "Chase",
    "Hunter",
    "Grant",
    "Miles",
    "Dallas",
    "Rich",
    "Frank",
    "Buck",
    "Lance",
]

HYPHEN_LAST = [
    "Garcia-Ruiz",
    "Smith-Okafor",
    "Johnson-Lee",
    "Martinez-Ortega",
    "Nguyen-Tran",
    "Kowalski-Brown",
    "Perez-Whitfield",
    "Haddad-Moore",
    "Reyes-Santos",
    "Chen-Baptiste",
]
# compound/complete full names (first part, last part, gender)
SPECIAL_FULL = [
    ("Maria del Carmen", "Lopez", "f"),
    ("Juan Carlos", "de la Cruz", "m"),
    ("Ana Sofia", "Garcia-Ruiz", "f"),
    ("Mary Kate", "O'Brien", "f"),
    ("Jean-Pierre", "Baptiste", "m"),
    ("Abdul Rahman", "Al-Farsi", "m"),
    ("Anne-Marie", "Kowalczyk", "f"),
    ("Sri Lakshmi", "Venkatesan", "f"),
    ("Jose Luis", "Vargas Llosa", "m"),
    ("Nguyen Thi", "Mai", "f"),
    ("Mary Beth", "Fitzgerald", "f"),
    ("Luz Maria", "Ochoa-Benitez", "f"),
    ("Ji-hoon", "Park", "m"),
    ("Bao Anh", "Tran", "f"),
    ("Mohammed Ali", "Rahman", "m"),
    ("Billy Ray", "Tatum", "m"),
    ("Laquisha", "Jenkins-Freeman", "f"),
    ("Kevin", "O'Sullivan-Reyes", "m"),
]
SUFFIXES = ["Jr.", "Sr.", "III", "II", "Jr", "IV"]


def _first(g):
    if random.random() < 0.25:
        return fake.first_name_female() if g == "f" else fake.first_name_male()
    return random.choice(FIRST_F if g == "f" else FIRST_M)


def _last():
    r = random.random()
    if r < 0.1:
        return random.choice(HYPHEN_LAST)
    if r < 0.3:
        return fake.last_name()
    return random.choice(LAST)


def _full(g=None, middle=True):
    g = g or random.choice("fm")
    if random.random() < 0.2:
        cands = [x for x in SPECIAL_FULL if x[2] == g]
        f, l, _ = random.choice(cands)
        return f + " " + l
    r = random.random()
    if r < 0.6:
        o = ORIGINS[random.choice(ORIGIN_KEYS)]
        f, last = random.choice(o[0] if g == "f" else o[1]), random.choice(o[2])
    else:
        f, last = _first(g), _last()
    parts = [f]
    if middle and random.random() < 0.2:
        parts.append(random.choice(string.ascii_uppercase.replace("X", "").replace("Q", "")) + ".")
    parts.append(last)
    return " ".join(parts)


def _full_suffix(g=None):
    g = g or "m"
    parts = [_first(g)]
    if random.random() < 0.5:
        parts.append(random.choice("ABCDEGHJKLMNRSTW") + ".")
    parts.append(_last())
    parts.append(random.choice(SUFFIXES))
    return " ".join(parts)


def casefix(v, mod, default_lower_p=0.5):
    if mod == "l":
        return v.lower()
    if mod == "c":
        return v
    return v.lower() if random.random() < default_lower_p else v


# ---------------------------------------------------------------- account values
DIG = string.digits
UPP = "ABCDEFGHJKLMNPRSTUVWXYZ"


def D(n):
    return str(random.randint(1, 9)) + "".join(random.choice(DIG) for _ in range(n - 1))


def Z(n, k=None):
    """n digits with k leading zeros"""
    k = k if k is not None else random.randint(1, 4)
    return "0" * k + D(n - k)


def L(n):
    return "".join(random.choice(UPP) for _ in range(n))


def grp(s, sizes, sep):
    out, i = [], 0
    for sz in sizes:
        out.append(s[i : i + sz])
        i += sz
    assert i == len(s), (s, sizes)
    return sep.join(out)


def routing():
    while True:
        pre = random.choice(["%02d" % i for i in list(range(1, 13)) + list(range(21, 33))])
        body = pre + "".join(random.choice(DIG) for _ in range(6))
        d = [int(c) for c in body]
        for last in range(10):
            dd = [*d, last]
            s = 3 * (dd[0] + dd[3] + dd[6]) + 7 * (dd[1] + dd[4] + dd[7]) + (dd[2] + dd[5] + dd[8])
            if s % 10 == 0:
                return body + str(last)


SHAPES = {
    "chk": [
        lambda: D(random.choice([8, 9, 10, 11, 12])),
        lambda: Z(12, 3),
        lambda: grp(D(12), [4, 4, 4], " "),
        lambda: grp(D(10), [4, 6], "-"),
        lambda: D(random.choice([13, 14, 15, 17])),
        lambda: grp(Z(10, 1), [3, 3, 4], "-"),
    ],
    "chk0": [lambda: Z(random.choice([10, 12]), random.choice([2, 3, 4]))],
    "chksp": [
        lambda: grp(D(12), [4, 4, 4], " "),
        lambda: grp(D(10), [3, 3, 4], " "),
        lambda: grp(Z(11, 1), [3, 4, 4], " "),
    ],
    "sav": [
        lambda: D(random.choice([8, 9, 10, 11])),
        lambda: D(9) + "-0" + random.choice("123456789"),
        lambda: D(9) + "S",
        lambda: Z(10, 2),
        lambda: grp(D(10), [5, 5], " "),
    ],
    "cu": [
        lambda: D(random.choice([6, 7, 8, 9])),
        lambda: Z(7, 2),
        lambda: "M" + D(7),
        lambda: D(6) + "-" + D(2),
    ],
    "util": [
        lambda: grp(D(12), [4, 4, 4], " "),
        lambda: D(10) + "-" + random.choice(DIG),
        lambda: grp(D(10), [2, 4, 4], "-"),
        lambda: Z(10, 1),
        lambda: grp(D(13), [1, 4, 4, 4], " "),
        lambda: L(2) + D(9),
        lambda: grp(D(11), [3, 5, 3], "-"),
    ],
    "tel": [
        lambda: grp("8" + D(15), [4, 4, 4, 4], " "),
        lambda: D(12),
        lambda: D(9) + "-0000" + random.choice("123456789"),
        lambda: D(10),
        lambda: "8" + D(15),
        lambda: grp(D(9), [3, 3, 3], "-"),
    ],
    "pol": [
        lambda: L(random.choice([2, 3])) + "-" + D(8),
        lambda: L(1) + D(8),
        lambda: L(3) + " " + grp(Z(8, 2), [4, 4], " "),
        lambda: L(3) + D(7),
        lambda: grp(Z(10, 2), [4, 3, 3], "-"),
        lambda: D(2) + "-" + L(2) + "-" + D(6) + "-" + random.choice(DIG),
        lambda: D(9) + "-" + L(2),
    ],
    "brk": [
        lambda: random.choice("XYZ") + D(2) + "-" + D(6),
        lambda: grp(D(8), [4, 4], "-"),
        lambda: L(3) + "-" + Z(7, 2),
        lambda: D(9),
        lambda: L(2) + D(8),
    ],
    "loan": [
        lambda: "LN-" + D(8),
        lambda: Z(10, 2),
        lambda: D(10) + "-0" + random.choice("123456789"),
        lambda: "L" + Z(10, 2),
        lambda: grp(D(12), [3, 3, 6], "-"),
    ],
    "mort": [
        lambda: D(10),
        lambda: grp(Z(10, 2), [4, 3, 3], "-"),
        lambda: "MTG " + grp(Z(10, 2), [5, 5], " "),
        lambda: Z(13, 1),
        lambda: D(7),
    ],
    "stu": [
        lambda: L(3) + " " + grp(D(8), [4, 4], " "),
        lambda: "ST-" + Z(10, 2),
        lambda: D(10),
        lambda: Z(10, 3),
    ],
    "hsa": [
        lambda: "HSA-" + Z(8, 2),
        lambda: D(random.choice([10, 11, 12])),
        lambda: "HS" + D(7),
    ],
    "pay": [lambda: D(random.randint(8, 17)), lambda: Z(12, 2)],
}


def acct(cat):
    if cat == "any":
        cat = random.choice(
            ["chk", "sav", "cu", "util", "tel", "pol", "brk", "loan", "mort", "stu", "hsa"]
        )
    return random.choice(SHAPES[cat])()


# ---------------------------------------------------------------- fillers (non personal)
MONTHS = ["jan", "feb", "march", "april", "may", "june", "july", "aug", "sept", "oct", "nov", "dec"]
WEEKDAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "thurs",
    "tues",
    "fri",
]
CITIES = [
    "charlotte",
    "austin",
    "jackson",
    "madison",
    "tulsa",
    "fresno",
    "columbus",
    "raleigh",
    "orlando",
    "spokane",
    "tacoma",
    "boise",
    "savannah",
    "aurora",
    "florence",
    "marion",
    "lafayette",
    "lincoln",
    "el paso",
    "san antonio",
    "st louis",
    "kansas city",
    "chattanooga",
    "dayton",
    "irving",
]
COMPANIES = [
    "wells fargo",
    "chase",
    "ally",
    "discover",
    "dick's",
    "wendy's",
    "marshall's",
    "kohl's",
    "macy's",
    "lowe's",
    "trader joe's",
    "dillard's",
    "mcdonald's",
    "jimmy john's",
    "papa john's",
    "charles schwab",
    "edward jones",
    "morgan stanley",
    "ross",
    "walgreens",
    "dave & buster's",
    "sherwin-williams",
    "ruth's chris",
    "tj maxx",
    "ace hardware",
    "publix",
    "kroger",
    "h-e-b",
]
MERCHANTS = [
    "dick's",
    "wendy's",
    "marshall's",
    "kohl's",
    "macy's",
    "lowe's",
    "trader joe's",
    "dillard's",
    "mcdonald's",
    "jimmy john's",
    "papa john's",
    "ross",
    "walgreens",
    "dave & buster's",
    "tj maxx",
    "ace hardware",
    "publix",
    "kroger",
    "h-e-b",
    "sherwin-williams",
]
PHONES = [
    "iphone 15 pro",
    "iphone 13 mini",
    "galaxy s23",
    "galaxy a15",
    "pixel 8",
    "moto g stylus 5g",
    "iphone 14 plus",
    "galaxy z flip 5",
    "iphone se",
    "pixel 7a",
]
PLANS = [
    "unlimited plus",
    "unlimited welcome",
    "essentials 55+",
    "go5g",
    "basic 5gb",
    "family premier",
    "unlimited ultimate",
    "magenta max",
    "connect 12gb",
]


def amt():
    r = random.random()
    if r < 0.4:
        return "$%d.%02d" % (random.randint(3, 900), random.randint(0, 99))
    if r < 0.6:
        return "%d.%02d" % (random.randint(10, 400), random.randint(0, 99))
    if r < 0.8:
        return "$" + f"{random.choice([50, 75, 100, 120, 200, 250, 500, 1200, 1500, 2300]):,}"
    return "%d bucks" % random.choice([20, 35, 40, 60, 80, 150])


def date():
    r = random.random()
    if r < 0.3:
        return "%d/%d" % (random.randint(1, 12), random.randint(1, 28))
    if r < 0.5:
        return "%s %d" % (random.choice(MONTHS), random.randint(1, 28))
    if r < 0.7:
        return "the {}".format(
            random.choice(["1st", "2nd", "3rd", "5th", "12th", "15th", "21st", "28th"])
        )
    if r < 0.85:
        return f"last {random.choice(WEEKDAYS[:7])}"
    return "%d/%d/%d" % (random.randint(1, 12), random.randint(1, 28), random.choice([23, 24, 25]))


def tme():
    return random.choice(
        ["7:45", "10am", "3 pm", "noon", "11:30", "like 9", "6:15pm", "8 am", "1:20", "midnight"]
    )


def ver():
    return random.choice(["17.4.1", "v2.3", "5.12.0", "18.0", "3.1.4", "v10.2", "24.1.7", "2.0.11"])


def nth():
    return random.choice(["1st", "3rd", "5th", "10th", "15th", "20th", "25th"])


# ---------------------------------------------------------------- generators
def gen(key, mod):
    # account kinds
    if key in SHAPES or key == "any":
        return acct(key), "account"
    if key == "rt":
        return routing(), "account"
    # names
    if key == "first":
        return casefix(_first(random.choice("fm")), mod), "first"
    if key == "first_f":
        return casefix(_first("f"), mod), "first"
    if key == "first_m":
        return casefix(_first("m"), mod), "first"
    if key == "word":
        return casefix(random.choice(WORD_F + WORD_M), mod), "first"
    if key == "word_f":
        return casefix(random.choice(WORD_F), mod), "first"
    if key == "word_m":
        return casefix(random.choice(WORD_M), mod), "first"
    if key in ("full", "full_f", "full_m"):
        g = {"full": None, "full_f": "f", "full_m": "m"}[key]
        return _full(g), "full"
    if key == "fullx":
        return _full_suffix("m"), "full"
    if key in ("fl", "fl_f", "fl_m"):
        g = {"fl": None, "fl_f": "f", "fl_m": "m"}[key]
        return _full(g).lower(), "full_lower"
    if key == "last":
        return casefix(_last(), mod), "last"
    # fillers
    simple = {
        "amt": amt,
        "date": date,
        "time": tme,
        "ver": ver,
        "nth": nth,
        "n": lambda: str(random.randint(2, 12)),
        "last4": lambda: "%04d" % random.randint(0, 9999),
        "store": lambda: random.choice(
            ["%d" % random.randint(100, 4999), "0%d" % random.randint(10, 99)]
        ),
        "city": lambda: random.choice(CITIES),
        "company": lambda: random.choice(COMPANIES),
        "merchant": lambda: random.choice(MERCHANTS),
        "samt": lambda: "$%d.%02d" % (random.randint(6, 45), random.randint(0, 99)),
        "window": lambda: random.choice(
            ["8 and 12", "1 and 5", "noon and 4", "10am and 2pm", "8am and noon"]
        ),
        "phone": lambda: random.choice(PHONES),
        "plan": lambda: random.choice(PLANS),
        "weekday": lambda: random.choice(WEEKDAYS),
        "month": lambda: random.choice(MONTHS),
    }
    if key in simple:
        return simple[key](), None
    raise KeyError(key)


PH = re.compile(r"\{(\w+)(?:\.([lc]))?\}")


def fill(tpl):
    out, spans, pos, cur = [], [], 0, 0
    for m in PH.finditer(tpl):
        lit = tpl[pos : m.start()]
        out.append(lit)
        cur += len(lit)
        val, kind = gen(m.group(1), m.group(2))
        if kind:
            spans.append([kind, cur, cur + len(val)])
        out.append(val)
        cur += len(val)
        pos = m.end()
    out.append(tpl[pos:])
    return "".join(out), spans


# ---------------------------------------------------------------- ACCOUNT templates (70)
ACCOUNT_T = [
    "hi my checking acct # is {chk} and i cant see my direct deposit from friday",
    "{chk} is my checking, the savings one is {sav}",
    "you asked for the account number: {chk}",
    "it's {chksp}",
    "acct: {chk}\nrouting: {rt}\nname: {full}",
    "routing {rt} acct {chk} for the direct deposit form pls update asap my check is supposed to hit {weekday}",
    "credit union member # {cu}",
    "member number is {cu} i been a member since like 2009 and never had this issue with a hold",
    "im trying to pay my electric bill online but it keeps saying invalid account, the number on my bill is {util} what am i doing wrong",
    "gas acct {util} , service is still in my name from the old place and i moved out {date}",
    "water bill account no. {util} we got charged twice this month {amt} each",
    "ok so the policy number is {pol} and the claim is for the hail damage on the roof",
    "Policy {pol}",
    "{pol} thats the policy # off the insurance card",
    "my 401k acct is {brk} i need to change my contribution to 6 percent starting next paycheck",
    "brokerage account {brk}, want to know why the transfer is still pending after {n} days",
    "loan number {loan} can i get a payoff quote good thru the end of the month",
    "mortgage acct {mort} escrow went up by {amt} a month and nobody told me??",
    "student loan acct number {stu} im on the income driven plan and my payment just doubled",
    "hsa account {hsa} card got declined at the pharmacy even tho theres money in it",
    "for payroll, direct deposit to {pay}, routing {rt}, its a checking",
    "sorry for the delay had to dig out the statement. account {chk}. also my wife {first_f} is on it too so she might call",
    "Account Number: {chk}\nAccount Holder: {full}",
    "--- forwarded message ---\nfrom: billing dept\nyour account {util} is past due\n---\ncan you tell me why i got this i paid on {date}",
    "the # on my cable bill is {tel} but the app shows a different one",
    "internet keeps dropping every night. acct {tel}. already restarted the modem 3 times",
    "phone acct {tel} wait no thats the old one, new one is {tel}",
    "can you look up {chk}",
    "yes thats right, {chk}, and the last payment was {amt}",
    "here: {loan}",
    "here you go {sav}",
    "ok its {cu} and i dont remember the pin so dont ask lol",
    "the account is under my name, number {chk}, i opened it at the branch downtown",
    "i called yesterday and the rep said to message here with the number from the top right corner of my statement so here it is {util} thanks",
    "{mort} - i need a copy of the 1098 for taxes, thats for my mortgage btw",
    "I need to set up autopay from my savings ({sav}) to the car loan ({loan})",
    "transfer {amt} from {sav} to {chk} please both are mine",
    "my acct num is {chk} pls close it i already moved everything out",
    "Acct#{chk}",
    "acct no {chk} / rtg {rt}",
    "hi, policy holder here. Policy No: {pol}. I want to add my son {first_m.c} as a driver he just got his license",
    "renters insurance policy {pol} is it still active or did it lapse",
    "health insurance member id {pol} , the pharmacy says it doesnt come up",
    "fidelity acct {brk} rollover check was mailed {date} and still nothing",
    "ira account number {brk} need the 5498 form",
    "payoff for auto loan {loan} pls, i want to pay it off this week",
    "pls update the direct deposit on file new bank account {pay} routing number {rt} the old one is closed",
    "Routing: {rt} Account: {chk}",
    "chk {chk} sav {sav}",
    "the lady on the phone asked for my utility account so: {util}",
    "> what is the account number on the bill?\n{util}",
    "Q: account number?\nA: {tel}",
    "you wanted the acct number right? {chk}. sorry it took me so long i was at work",
    "my student loans moved to a new servicer and the new acct is {stu} but the old one was {stu} which one do i use",
    "for my hsa ({hsa}) what is the contribution limit this year for family",
    "this is about acct {chk} ... i dont recognize a charge for {amt} on {date}",
    "{chk} <- thats my account",
    "numbers are {util} (electric) and {util} (gas) both at the same house",
    "I have 2 accounts with you, {chk} and {sav}, please combine the statements",
    "mortgage loan number {mort} I'm {full}, reaching out about the forbearance",
    "heloc acct {loan}, the draw period ends next year right?",
    "its my dads account {chk} hes in the hospital and i have POA, what do you need from me",
    "pls reference {cu} on the ticket so i dont have to explain again",
    "my savings is {sav} and i want to open a cd with {amt} from it",
    "the account number on the direct deposit form from hr says {pay} but that doesnt look like mine is it right",
    "member #{cu} , share draft acct {chk}",
    "hi its about my wifes policy, {pol}, shes the policyholder, her name is {fl_f}",
    "acct {chk} thanks\n- {first.c}",
    "Loan #: {stu}\nBorrower: {full}\nPlease advise",
    "i typed {chk0} into the app and it said no account found, i also tried it without the zeros in front",
]

# ---------------------------------------------------------------- NAME templates
FIRST_T = [
    "can i talk to {first_f} again she helped me last week with the same thing",
    "my husband {first_m} set up the account so idk the password",
    "this is {first} i was chatting earlier and got disconnected",
    "ok thanks, {first.c}! have a good one",
    "ask for {first_f} when u call back she knows the situation",
    "my daughter {word_f.l} is on my plan and her phone stopped working yesterday",
    "Hi {word.c}, yes i'm still here sorry",
    "{word_m.l} at the store told me i could return it within 30 days but now they say no",
    "my son {word_m} is 17 can he be an authorized user on my card",
    "the last rep, {word_f.c} i think, said the fee would be waived",
    "{first_f} said she would call me back and never did",
    "i spoke w/ {first_m} yesterday and he said the tech is coming thurs",
    "my roommate {first} pays half the bill can we split it into 2 payments",
    "ok {first} i appreciate it",
    "this is {first_f} on behalf of my mom, she's sitting right here",
    "is {word_f.l} still working today she was super helpful",
    "please tell {first_f.c} thank you from me, she went above and beyond",
    "ok that worked thank you so much\n\n-{first}",
    "my name is {first} and i have a question about my bill",
    "{first_m}'s phone is the one with the cracked screen, mine is fine",
    "me and my fiance {word_m.l} are moving in together and want to combine plans",
    "our tech {word_m.c} was great pls let his manager know",
    "hey its {first} again lol still not working",
    "so my sister {word_f.l} added me to her account and now i cant see my own bills",
]
FULL_LOWER_T = [
    "name on the account is {fl}",
    "its under {fl}",
    "the acct holder is my mom {fl_f} she passed away last month what do i need to send",
    "{fl} here, i need to change the email on file",
    "my name is {fl} and i was charged twice",
    "im messaging for {fl_f} shes my grandma and she doesnt use computers",
    "package says delivered but it was addressed to {fl} who doesnt even live here anymore",
    "can you add {fl} as an authorized user",
    "first and last name? {fl}",
    "yes the card is in the name of {fl}",
    "remove my ex {fl_m} from the account pls we are divorced",
    "the tech who came out was {fl_m} i think, his badge said that",
    "thanks\n{fl}",
    "it was {fl_f} who opened the acct not me im just the spouse",
    "name: {fl} , same as on my id",
    "beneficiary should be {fl_m} my son not my brother",
]
LAST_T = [
    "mrs {last.l} called me about the overdraft yesterday",
    "can i get dr. {last}'s office on the line? the bill is from them",
    "is mr {last.l} available he is my account manager",
    "i was told by ms. {last} in the branch that the hold would be released today",
    "Per Mr. {last.c}, the fee was supposed to be refunded",
    "i was referred by dr {last.l} for the payment plan",
    "the account is for the {last.c} family, we have 4 lines",
    "please escalate to supervisor {last.c} she said to ask for her",
    "officer {last.l} took the police report for the stolen card",
    "my lawyer, attorney {last.c}, will be sending the paperwork",
    "professor {last} asked me to get an itemized receipt for the dept",
    "Mrs. {last.c} is my mother in law and she is on the plan",
    "i'm emailing on behalf of Dr. {last.c}",
    "sgt {last.l} at the base said to contact you about the scra rate",
    "the statement is addressed to Mr. and Mrs. {last.c} but we never opened that",
]
FULL_T = [
    "i spoke with {full_f} yesterday and she said it was fixed",
    "authorized users: me, {full}, and {full}",
    "the check was made out wrong, {full} is how it should read",
    "Thank you,\n{full}\nOffice Manager",
    "Regards,\nDr. {full}",
    "Best,\n{fullx}",
    "forwarding this for {full_f}, she's out today",
    "Called {full} at the branch and got voicemail twice",
    "hi, {full} here. my card got declined at the gas pump",
    "transfer ownership from {full} to {full}",
    "per our conversation, {full} will be the new primary on the account",
    "cc'ing my accountant {full_f} so she can see this",
    "Signed,\n{full}, CPA",
    "My wife and I ({full_f} and {full_m}) both need online access",
    "Please send the forms to {full_m} and not to me, he handles the bills now",
]

# ---------------------------------------------------------------- NEGATIVE templates
NEG_T = [
    "i was charged {amt} twice on {date} can you reverse one of them",
    "my bill went from {amt} to {amt} with no explanation",
    "card ending in {last4} got declined at {merchant} this morning",
    "i have the {phone} and the screen is flickering after the {ver} update",
    "trying to trade in my galaxy s23 for the s24 ultra how much credit would i get",
    "which plan is cheaper {plan} or go5g plus for {n} lines",
    "store #{store} in {city} said they cant do returns without a receipt",
    "will the refund go back to the same card? the one ending {last4}",
    "may i ask why my payment is still pending its been {n} days",
    "i transferred money from my chase account to my ally savings and its not showing yet",
    "my wells fargo app says the deposit posted at {time} but the balance didnt change",
    "i moved my ira from charles schwab to you guys last month, did it finish",
    "i returned the shoes to dick's on {date} and still no refund",
    "the wendy's charge for {samt} is showing twice",
    "the marshall's by my job charged me {samt} but the receipt says less",
    "the tech is supposed to come between {window} on {weekday}",
    "it's on the corner of maple and 3rd, theres no sign, turn left after the gas station",
    "take elm st past the walmart, the drop box is on the right by the exit",
    "i will be home all day so whenever works",
    "the promo ends in june right? i want to lock in the price",
    "may or june is fine for the install, just not july",
    "yes i did that already, restarted it and reset to factory settings",
    "ok done, it says confirmed",
    "i ordered 6 of the chargers and only got 4",
    "the router is a netgear nighthawk ax12 and its on firmware {ver}",
    "my laptop is windows 11 version 23h2 and the app keeps crashing",
    "app version {ver} on android 14, still broken",
    "i paid {amt} on {date} and it says i still owe {amt}",
    "interest rate went from 4.5% to 6.25% why",
    "the apr on the card is 24.99% thats insane",
    "i live in {city} and the outage map says no outage but i have no power since {time}",
    "is the discover card accepted for the down payment",
    "i had the basic plan for {n} years and now it says premium??",
    "we have {n} tvs and {n} boxes, do we need another box for the bedroom",
    "the package was supposed to arrive by {weekday} and its now {weekday}",
    "thanks for your help today, have a good night",
    "ok will do, ill check back tomorrow",
    "my order had 3 items and the box only had 2, can you check",
    "where is the nearest branch to downtown {city}",
    "I got a text saying my card ending {last4} was locked, is that real or a scam",
    "the atm on broadway ate my card at {time}",
    "the pixel 8 keeps overheating when i charge it",
    "Is the 5G home internet available in {city}?",
    "the fee was {amt}, i was told it would be waived",
    "I set autopay for the {nth} of each month, but it pulled on the {nth}",
    "my statement closing date is the 22nd and payment due the 17th, can i move that",
    "i tried logging in {n} times and now im locked out",
    "the hold on the check is {n} business days? i need that money",
    "macbook air m2 13 inch, the keyboard stopped working after {n} weeks",
    "can i upgrade from the 500 mbps plan to gig without a new contract",
    "its the xfinity x1 box, model xg1v4, the light is blinking orange",
    "the smart meter says {n}00 kwh this month which is double last month",
    "our water usage was 14,000 gallons? we're only 2 people",
    "transaction on {date} at {merchant} for {amt} isnt mine",
    "mark it as resolved pls, everything works now",
    "bill me later, is that an option at checkout",
    "last time i got a grace period, can i get a grace period again this month",
    "i hope this gets fixed soon because i work from home",
    "i have faith you guys will sort it out",
    "when do the summer rates kick in",
    "i got a chase sapphire and a discover it, which one should i put on autopay",
    "the dillard's card payment isnt going through on the website",
    "went to the lowe's on route 9 and they said to contact you",
    "the verification code never came, can you resend",
    "i already paid the {amt} balance in full on {date}",
    "rose gold case for the {phone} is out of stock everywhere",
    "austin area outage? everything down since {time}",
    "flight out of paris got cancelled and i was charged a foreign transaction fee of {amt}",
    "georgia power bill is due {date} but my autopay from you failed",
    "can i speak to a supervisor please",
    "the edward jones transfer took {n} weeks, is that normal",
    "ordered ben & jerry's on doordash and got charged {samt}",
    "mcdonald's charged me twice for the same order, {samt} both times",
    "my checking has {amt} in it but the app says {amt}",
    "the jordan 4s i ordered never came, order placed {date}",
    "the sherwin-williams charge is legit, the other one isnt",
    "will this affect my credit score",
    "is the 401k match 4% or 6%",
    "i need to dispute {n} charges from last week",
    "the total was {amt} with tax and i had a 20% off coupon that didnt apply",
]

# ---------------------------------------------------------------- build
KINDS = {"account", "first", "full_lower", "last", "full"}


def check(rec, values=None):
    """Spans well formed (see pii_chat_dev_records.check_record); an account number has
    6-17 digits."""
    check_record(rec, KINDS, values, _check_account_digits)


def _check_account_digits(rec, kind, val):
    if kind == "account":
        nd = sum(c.isdigit() for c in val)
        assert 6 <= nd <= 17, (val, nd)


def build():
    builder = RecordBuilder(fill=fill_without_values(fill), check=check, max_tries=200)
    assert len(ACCOUNT_T) == 70, len(ACCOUNT_T)
    assert len(FIRST_T) + len(FULL_LOWER_T) + len(LAST_T) + len(FULL_T) == 70
    builder.add_templates(ACCOUNT_T, "acct", 6, "account")
    builder.add_templates(FIRST_T, "first", 5, "first")
    builder.add_templates(FULL_LOWER_T, "flow", 5, "full_lower")
    builder.add_templates(LAST_T, "last", 5, "last")
    builder.add_templates(FULL_T, "full", 5, "full")
    records, seen = builder.records, builder.seen

    # negatives: 150 messages, round robin over the negative templates
    assert len(set(NEG_T)) == len(NEG_T)
    neg_count = Counter()
    i = 0
    tries = 0
    while sum(neg_count.values()) < 150:
        tries += 1
        assert tries < 5000
        idx = i % len(NEG_T)
        i += 1
        text, spans = fill(NEG_T[idx])
        assert spans == []
        if text in seen:
            continue
        seen.add(text)
        records.append({"text": text, "spans": [], "context": "neg_%02d" % (idx + 1)})
        neg_count[idx] += 1
    return records


def main():
    records = build()
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # re-read and verify
    n = 0
    with open(OUT, encoding="utf-8") as f:
        for line in f:
            check(json.loads(line))
            n += 1
    span_kinds = Counter(k for r in records for k, _, _ in r["spans"])
    msg_group = Counter(r["context"].split("_")[0] for r in records)
    per_ctx = OrderedDict()
    for r in records:
        per_ctx[r["context"]] = per_ctx.get(r["context"], 0) + 1
    print("wrote %d lines to %s" % (n, OUT))
    print("messages per template group:", dict(msg_group))
    print("spans per kind:", dict(span_kinds))
    print("messages with >1 span:", sum(1 for r in records if len(r["spans"]) > 1))
    print("templates:", len(per_ctx))
    print("per context:")
    for c, k in per_ctx.items():
        print("  %s %d" % (c, k))


if __name__ == "__main__":
    main()
