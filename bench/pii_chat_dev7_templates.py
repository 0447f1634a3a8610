#!/usr/bin/env python3
"""Development chat set 7: bank account numbers, member IDs and phone numbers, written blind.

Written by a helper (a sub-session started by the lead engineer's session) who saw
neither the PII rules, their tests and docs, the detector's output, the held-out sets,
nor the template or name lists of the earlier development sets: only dev set 6's
docstring and its words/gen/fill/unambiguous/check/build/main machinery and PH/PARTICLES
constants, to copy the record format. Development data: rules may be changed against it.

Messages a US consumer app's customers type to a support chatbot or a human agent
(banking, fintech, payroll, utilities, insurance, telecom, retail credit, government
benefits, brokerage, rent payment apps), typed the way people type: lower case, no
punctuation, typos, abbreviations (u, ur, pls, acct, a/c, dd, w/), ALL CAPS, run-ons,
several lines, pasted form lines, quoted chat.

Templates, each filled 5 times (the primary kind decides the template group; a template
may plant further values of other kinds):
  account  60 templates  (bank and financial account numbers: 8, 9, 10, 11, 12, 14, 16
                          or 17 digits; plain digits most of the time, about 1 in 3
                          exactly 10 digits and most of those shaped like a US phone
                          number (first and fourth digit 2-9); some with spaces or dashes
                          inside ("4830 0219 57", "483-002-1957"), some with a letter
                          prefix or suffix ("CD48830021", "0048213977-S1"). Contexts
                          vary widely and most do not put the word "account" right before
                          the number: acct, acc, a/c, #, no., checking, savings, routing
                          and account, direct deposit to, ach from, wire to, autopay
                          pulls from, refund went to, statement for, closed, frozen,
                          locked, overdrawn, "my number with you guys is", "the one
                          ending in", the old one, the joint one, questions, the number
                          before its cue, after a name, next to a routing number, an
                          amount or a date, ALL CAPS, form lines, multi-line, quoted chat)
  member   20 templates  (member, customer, policy, subscriber, loan, benefits, claimant,
                          Medicaid and case-holder IDs: digits only or letters+digits,
                          6-14 characters, upper or lower case)
  phone    30 templates  (US phone numbers where a phone is meant: bare 10 digits, dashes,
                          dots, spaces, parentheses, +1, 1-; call me back at, text, the
                          number on file, my cell, reach me, update my number to, zelle
                          to, venmo, form lines "phone: ...", a phone that the system
                          shows as the account, a phone next to an account number)
  = 110 templates x 5 = 550 messages, plus 60 negative templates x 1 = 60 negative
  messages (no personal identifier, but numbers: order totals, order numbers,
  confirmation codes and payment confirmation numbers (some 10 digits), tracking numbers
  (UPS, USPS, FedEx), model numbers, ZIP codes, dates, times, counts, store numbers,
  flight numbers, merchant transaction ids, error codes, years, routing numbers alone,
  check numbers, ticket numbers, invoice numbers, app versions, interest rates).
  Total 610 messages. Spans: account 345, member 105, phone 180 (some templates plant two
  or three values; main() prints these counts). Of the 345 account numbers 119 have
  exactly 10 digits (71 of them plain digits shaped like a phone number), 54 have spaces
  or dashes inside, 26 a letter prefix or suffix; 40 follow "account"/"acct" directly.

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id};
kinds: account, member, phone. Negatives have spans == []. Only account numbers, member
IDs and phone numbers are annotated. Routing numbers (9 digits, valid ABA checksum),
card or account last-4 digits, amounts, dates, times, ZIP codes, confirmation and
reference codes, bank and merchant names, and (in one account template) a person's name
are planted as context and not scored. A span covers the whole value as typed, with its
inner spaces and dashes, its letter prefix or suffix, and a phone's "+1", "1-" and
parentheses. No planted value (nor its digits) occurs a second time in its message.
Placeholders: {key}, {key:l} (lower) / {key:u} (upper); a digit after the key
({mon1} ... {mon1}) repeats the same value within one message (fillers only).
Values come from Python's random, not Faker. Deterministic: build() reseeds its own
random.Random(7707) every call.
The record checks, fill loops and command line are shared with the other sets:
bench/pii_chat_dev_records.py.
"""

import random
import re
from collections import Counter

from pii_chat_dev_records import RecordBuilder, check_record, run_main

SEED = 7707
RNG = random.Random(SEED)
KINDS = ("account", "member", "phone")


def words(s):
    """A list written as one space-separated string."""
    return s.split()


# ---------------------------------------------------------------- digits
def _digits(n, first=None):
    """n random digits; first (a string of allowed digits) constrains the first one."""
    head = RNG.choice(first) if first else str(RNG.randrange(10))
    return head + "".join(str(RNG.randrange(10)) for _ in range(n - 1))


def _phone10():
    """Ten digits shaped like a NANP number: area NXX (not N11, no N9X), exchange NXX
    (not N11)."""
    while True:
        area = RNG.choice("23456789") + RNG.choice("012345678") + str(RNG.randrange(10))
        exch = RNG.choice("23456789") + str(RNG.randrange(10)) + str(RNG.randrange(10))
        if area[1:] == "11" or exch[1:] == "11" or exch == "555":
            continue
        return area + exch + _digits(4)


def _group(d, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(d[i : i + n])
        i += n
    return sep.join(out)


ACCT_LENGTHS = [8, 9, 10, 11, 12, 14, 16, 17]
ACCT_WEIGHTS = [10, 11, 27, 9, 12, 9, 11, 11]
ACCT_PREFIX = ["A", "X", "CD", "SV", "S"]
ACCT_SUFFIX = ["S", "S01", "-S1", "-L01", "C", "-S00"]
SPLITS = {
    8: [[4, 4]],
    9: [[3, 3, 3], [4, 5]],
    10: [[3, 3, 4], [4, 6], [4, 4, 2], [2, 8]],
    11: [[3, 4, 4], [4, 7]],
    12: [[4, 4, 4], [3, 3, 6], [6, 6]],
    14: [[4, 4, 6], [2, 12], [4, 10]],
    16: [[4, 4, 4, 4]],
    17: [[4, 4, 4, 5], [3, 14]],
}


def _acct_digits():
    n = RNG.choices(ACCT_LENGTHS, ACCT_WEIGHTS)[0]
    if n == 10:
        if RNG.random() < 0.72:
            return _phone10()
        d = _digits(10)
        while d[0] in "23456789" and d[3] in "23456789":  # not phone-shaped
            d = _digits(10)
        return d
    if n in (12, 14, 17) and RNG.random() < 0.3:
        return "000" + _digits(n - 3)  # leading zeros, as statements print them
    return _digits(n, "123456789" if RNG.random() < 0.8 else None)


def _acct():
    d = _acct_digits()
    r = RNG.random()
    if r < 0.74:
        return d
    if r < 0.83:
        return _group(d, RNG.choice(SPLITS[len(d)]), " ")
    if r < 0.92:
        return _group(d, RNG.choice(SPLITS[len(d)]), "-")
    if RNG.random() < 0.4:
        return RNG.choice(ACCT_PREFIX) + d
    return d + RNG.choice(ACCT_SUFFIX)


def _acctp():
    """A plain 10-digit account number shaped like a US phone number."""
    return _phone10()


MEM_PREFIX = words("W XJH MBR ZGP H SUB LN CUS R YKM P AUT HMO N")


def _member():
    r = RNG.random()
    if r < 0.4:  # digits only, 6-14
        return _digits(RNG.randint(6, 14), "123456789" if RNG.random() < 0.8 else None)
    if r < 0.85:  # letters then digits
        pre = RNG.choice(MEM_PREFIX)
        return pre + _digits(RNG.randint(max(6 - len(pre), 5), 14 - len(pre)))
    if r < 0.93:  # digits then one letter
        return _digits(RNG.randint(7, 11), "123456789") + RNG.choice("ABCDHJ")
    # Medicare-style MBI: 11 characters, letters and digits interleaved
    alpha = "ACDEFGHJKMNPQRTUVWXY"
    pat = "NAXNAXNAANN"
    out = []
    for i, p in enumerate(pat):
        if p == "N":
            out.append(RNG.choice("123456789") if i == 0 else str(RNG.randrange(10)))
        elif p == "A":
            out.append(RNG.choice(alpha))
        else:
            out.append(RNG.choice(alpha + "0123456789"))
    return "".join(out)


def _phone():
    d = _phone10()
    a, b, c = d[:3], d[3:6], d[6:]
    return RNG.choices(
        [
            d,
            f"{a}-{b}-{c}",
            f"({a}) {b}-{c}",
            f"({a}){b}-{c}",
            f"{a}.{b}.{c}",
            f"{a} {b} {c}",
            f"+1 {a}-{b}-{c}",
            f"+1{d}",
            f"+1 ({a}) {b}-{c}",
            f"1-{a}-{b}-{c}",
        ],
        [30, 25, 9, 5, 8, 7, 4, 3, 3, 6],
    )[0]


# ---------------------------------------------------------------- unscored fillers
def _routing():
    """A 9-digit ABA routing number with a valid checksum."""
    head = RNG.choice([f"{i:02d}" for i in list(range(1, 13)) + list(range(21, 33))])
    d = [int(c) for c in head + _digits(6)]
    s = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])
    return "".join(map(str, d)) + str((10 - s % 10) % 10)


def _amt():
    r = RNG.random()
    if r < 0.4:
        return f"${RNG.randint(5, 950)}.{RNG.randrange(100):02d}"
    if r < 0.6:
        return f"${RNG.randint(1, 9)},{RNG.randrange(1000):03d}.{RNG.randrange(100):02d}"
    if r < 0.8:
        return f"${RNG.choice([20, 25, 35, 40, 50, 75, 100, 150, 200, 300, 500, 1200])}"
    return f"{RNG.randint(12, 480)}.{RNG.randrange(100):02d}"


MONTHS = words(
    "january february march april may june july august september october november december"
)
MON_SHORT = words("jan feb mar apr may jun jul aug sep oct nov dec")


def _nth(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _date():
    m, d = RNG.randint(1, 12), RNG.randint(1, 28)
    return RNG.choice(
        [
            f"{m}/{d}",
            f"{m:02d}/{d:02d}",
            f"{m}/{d}/{RNG.choice([23, 24, 25])}",
            f"{m:02d}/{d:02d}/{RNG.choice([2023, 2024, 2025])}",
            f"{MONTHS[m - 1]} {d}",
            f"{MON_SHORT[m - 1]} {_nth(d)}",
            f"{MONTHS[m - 1]} {_nth(d)}",
        ]
    )


def _time():
    return RNG.choice(
        ["8am", "9:30", "noon", "3pm", "4:15pm", "6 pm", "7:45am", "10pm", "5:30", "2 pm"]
    )


def _zip():
    return _digits(5)


def _store():
    return str(RNG.randint(102, 4899))


def _flight():
    al = RNG.choice(["UA", "DL", "AA", "WN", "B6", "AS", "NK", "F9", "ua", "dl", "aa"])
    return al + RNG.choice(["", " "]) + str(RNG.randint(12, 3999))


def _ups():
    alnum = "ABCDEFGHJKLMNPRSTVWXY0123456789"
    return "1Z" + "".join(RNG.choice(alnum) for _ in range(6)) + _digits(10)


def _usps():  # 22 digits, sometimes grouped
    d = RNG.choice(["9400", "9205", "9261", "9405"]) + _digits(18)
    if RNG.random() < 0.4:
        return _group(d, [4, 4, 4, 4, 4, 2], " ")
    return d


def _fedex():
    return _digits(12, "123456789")


def _track():
    return RNG.choice([_ups, _usps, _fedex])()


def _order():
    r = RNG.random()
    if r < 0.35:
        return f"{RNG.randint(111, 114)}-{_digits(7)}-{_digits(7)}"
    if r < 0.55:
        return "W" + _digits(9)
    if r < 0.8:
        return _digits(RNG.choice([7, 8, 9]), "123456789")
    return "SO-" + _digits(6)


def _conf():
    r = RNG.random()
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    if r < 0.4:
        return "".join(RNG.choice(alnum) for _ in range(RNG.choice([6, 7, 8])))
    if r < 0.65:
        return _digits(10, "23456789")
    if r < 0.85:
        return RNG.choice(["C", "PMT", "CNF", "P"]) + _digits(RNG.choice([8, 9, 10]))
    return _digits(RNG.choice([11, 12]), "123456789")


def _txn():
    r = RNG.random()
    if r < 0.35:
        return _digits(RNG.choice([10, 11, 12]), "123456789")
    if r < 0.6:
        return "TXN" + _digits(8)
    if r < 0.8:
        return "".join(RNG.choice("0123456789abcdef") for _ in range(RNG.choice([8, 12])))
    return f"{_digits(4)}-{_digits(6)}-{_digits(4)}"


MODELS = [
    "WRF555SDFZ",
    "SM-S918U",
    "A2484",
    "XR-55X90K",
    "SB8200",
    "TC4400",
    "NVG443B",
    "C4000XG",
    "HP 8025e",
    "LG 55UQ7570",
    "DCD771C2",
    "MXF-2201",
    "iphone 13",
    "pixel 7a",
    "A1932",
    "HS-BT35",
]
ERRORS = [
    "E1203",
    "0x80070005",
    "403",
    "ERR_502",
    "2002",
    "E-4012",
    "RC-17",
    "500",
    "BNK-221",
    "9001",
    "NSF-03",
    "AUTH_FAILED_12",
]
BANKS = [
    "chase",
    "wells fargo",
    "bofa",
    "citi",
    "capital one",
    "ally",
    "navy federal",
    "pnc",
    "td bank",
    "us bank",
    "chime",
    "my credit union",
    "regions",
    "truist",
    "usaa",
]
MERCHANTS = [
    "amazon",
    "walmart",
    "target",
    "uber eats",
    "doordash",
    "shell",
    "costco",
    "netflix",
    "spotify",
    "home depot",
    "walgreens",
    "apple.com",
    "best buy",
    "lyft",
    "kroger",
]
PEOPLE = [
    "maria gonzalez",
    "kevin nguyen",
    "DeShawn Carter",
    "tina marie brooks",
    "Robert Haines",
    "jessica o'neal",
    "luis ramirez",
    "Priya Raman",
]


def _pick(seq):
    return lambda: RNG.choice(seq)


FILLERS = {
    "routing": _routing,
    "amt": _amt,
    "date": _date,
    "time": _time,
    "zip": _zip,
    "last": lambda: _digits(4),
    "mon": _pick(MONTHS),
    "year": lambda: str(RNG.randint(2018, 2025)),
    "nth": lambda: _nth(RNG.randint(1, 28)),
    "day": _pick(words("monday tuesday wednesday thursday friday saturday sunday")),
    "bank": _pick(BANKS),
    "merchant": _pick(MERCHANTS),
    "person": _pick(PEOPLE),
    "err": _pick(ERRORS),
    "conf": _conf,
    "order": _order,
    "track": _track,
    "ups": _ups,
    "usps": _usps,
    "fedex": _fedex,
    "model": _pick(MODELS),
    "store": _store,
    "flight": _flight,
    "txn": _txn,
    "count": lambda: str(RNG.randint(2, 30)),
    "pct": lambda: RNG.choice(["4.25%", "19.99%", "0.5%", "24.9%", "3.75%", "29.99%", "1.1%"]),
    "ticket": lambda: RNG.choice(["", "CS-", "INC"]) + _digits(RNG.choice([6, 7]), "123456789"),
    "invoice": lambda: RNG.choice(["INV-", "INV", "inv "]) + _digits(RNG.choice([5, 6])),
    "ver": lambda: f"{RNG.randint(3, 9)}.{RNG.randint(0, 30)}.{RNG.randint(0, 9)}",
    "checkno": lambda: str(RNG.randint(1001, 1499)),
    "sku": lambda: _digits(RNG.choice([6, 8]), "123456789"),
    "gate": lambda: RNG.choice("ABCDE") + str(RNG.randint(1, 40)),
    "promo": _pick(["SAVE20", "WELCOME10", "FREESHIP", "SPRING25", "BONUS300", "REFER50"]),
    "mins": lambda: str(RNG.choice([10, 15, 20, 30, 45, 90])),
    "code": lambda: _digits(6),
}
SCORED = {
    "acct": (_acct, "account"),
    "acctp": (_acctp, "account"),
    "mem": (_member, "member"),
    "phone": (_phone, "phone"),
    "phoneb": (_phone10, "phone"),
}

PH = re.compile(r"\{([a-z]+)(\d?)(?::([lu]))?\}")
DIGIT_RUN = re.compile(r"\d(?:\d|[ .\-/](?=\d))*")


def _dig(val):
    return re.sub(r"\D", "", val)


def gen(key, mod, state, bind):
    """One placeholder value and its kind (None for context that is not scored). Values
    of one message differ, as strings and as digit strings."""
    if bind and (key, bind) in state["bound"]:
        val, kind = state["bound"][(key, bind)]
    else:
        make, kind = SCORED[key] if key in SCORED else (FILLERS[key], None)
        for _ in range(80):
            val = make()
            d = _dig(val)
            if val.lower() not in state["used"] and (not d or d not in state["digits"]):
                break
        state["used"].add(val.lower())
        if _dig(val):
            state["digits"].add(_dig(val))
        if bind:
            assert kind is None, key  # planted values are never repeated
            state["bound"][(key, bind)] = (val, kind)
    if mod == "l":
        val = val.lower()
    elif mod == "u":
        val = val.upper()
    return val, kind


def fill(tpl):
    """Fill a template: (text, spans, values), spans [[kind, start, end], ...]."""
    out, spans, values, pos, cur = [], [], [], 0, 0
    state = {"used": set(), "digits": set(), "bound": {}}
    for m in PH.finditer(tpl):
        lit = tpl[pos : m.start()]
        out.append(lit)
        cur += len(lit)
        val, kind = gen(m.group(1), m.group(3), state, m.group(2))
        if kind:
            spans.append([kind, cur, cur + len(val)])
            values.append(val)
        out.append(val)
        cur += len(val)
        pos = m.end()
    out.append(tpl[pos:])
    return "".join(out), spans, values


def unambiguous(text, spans):
    """False if a planted value occurs a second time in the message: its text (case
    folded) outside the spans, its digits inside another number outside the spans, or
    two planted values with the same digits."""
    rest = list(text)
    for _, s, e in spans:
        rest[s:e] = ["\n"] * (e - s)
    rest = "".join(rest)
    runs = [_dig(r) for r in DIGIT_RUN.findall(rest)]
    seen = set()
    for _, s, e in spans:
        val = text[s:e]
        d = _dig(val)
        if val.lower() in rest.lower() or d in seen:
            return False
        if any(d in r for r in runs):
            return False
        seen.add(d)
    return True


# ---------------------------------------------------------------- ACCOUNT (60)
ACCT_T = [
    "hi i need to know why my acct {acct} got hit with a {amt} overdraft fee",
    "why is {acctp} showing negative i deposited {amt} yesterday",
    "{acct} is my checking, the savings is {acct}. can u move {amt} from savings to checking pls",
    "routing {routing} account {acct} thats where my direct deposit is supposed to go",
    "direct deposit to {acct} never showed up, it was supposed to hit on {date}",
    "my number with you guys is {acctp} not sure if thats what u need",
    "Acct#: {acct}\nName on acct: same as my login\nIssue: debit card declined at the gas station",
    "a/c {acct} pls unfreeze asap i have rent due {date}",
    "ACH FROM {acct} WAS RETURNED AND NOW I HAVE A {amt} FEE WHAT IS GOING ON",
    "i set up a wire to {acct} at {bank} (routing {routing}) for {amt}, did it go thru??",
    "autopay pulls from {acct} but i closed that one at my old bank can you switch it to {acct}",
    "the refund went to {acct} which is closed now, what happens to the money",
    "can i get a statement for {acct} for {mon} and {mon}, my landlord wants 2 months",
    "closed {acct} last month but yall are still chargin me the monthly maintainance fee",
    "my savings got frozen??? {acct} i didnt do anything wrong this is ridiculous",
    "locked out of {acct} after 3 wrong tries, can somebody reset it",
    "overdrawn again on {acct} by {amt}... can you waive the fee one time im begging",
    "Agent: Can you confirm the account number please?\nMe: its {acct}",
    "number is {acct} checking, the card ending in {last} is the one that got stolen",
    "the joint one is {acct}, its me and my husband on it and he wants to be removed",
    "the old one {acct} still shows on my app how do i remove it",
    "Savings Acct No. {acct}\nAmount: {amt}\nReason: transfer not recieved",
    "not the one ending in {last}, the other one {acct}",
    "checking {acct}\nsavings {acct}\nthe roth is {acctp}\ncan you confirm all 3 are under my ssn",
    "ACCOUNT NUMBER: {acct}\nROUTING: {routing}\nBANK: {bank:u}",
    "hey so {acct} has a pending charge from {merchant} for {amt} that i did not make",
    "its under {person} {acct} i have power of attorney, the paperwork is on file",
    "acc {acct} balance? app wont load",
    "ok so my payroll dd goes to {acct} rtn {routing} but my employer says it bounced back on {date}",
    "i have 2 accounts with yall {acct} and {acct} and i want to combine them into one",
    "plz help the account keeps saying restricted. the number {acct}. i already uploaded my id twice",
    "Sent {amt} on {date} from {acct} and it never got to my landlord, rent portal shows nothing",
    "my rent app says bank acct {acct} is invalid but its the right number i checked w {bank}",
    "premium is drafted from {acct} every month, can i change the draft date to the {nth}",
    "pls update my bank info for autopay on the electric bill. new checking {acct} routing {routing}",
    "want to transfer {amt} out of my brokerage {acct} to my bank, how long does it take",
    "what do i give my job for routing and account, is it {routing} and {acct}??",
    "is {acct} the right one for the irs refund or should i use my other one",
    "my moms account {acct}, she passed away in {mon} and i need to close it. im the executor",
    "IS {acctp} STILL ACTIVE OR DID YOU GUYS CLOSE IT WITHOUT TELLING ME",
    "hello,\ni made a deposit on {date} at the atm\namount {amt}\nto {acct}\nit still isnt showing\nthanks",
    "lol i typed it wrong its {acct} not {acct}",
    "> Please provide the account number you are inquiring about.\n{acct}",
    "the agent said to send the number here so: {acct}",
    "savings {acct} shows {amt} but the app says available {amt}?? which one is right",
    "ach debit from my credit union {acct} for the car payment failed on {date}, can you retry it",
    "cant link my bank to the app, keeps failing. acct {acct} rout {routing}. been trying since {date}",
    "on {date} {amt} came out of {acct} twice, pls reverse one",
    "ok heres the info\nchecking: {acct}\nphone: {phone}\nbest time to call {time}",
    "wire to {acct} is on hold?? beneficiary bank says they never got it, ref {conf}",
    "the acct ending in {last} is mine but {acct} is not, someone opened it in my name",
    "heloc {acct} payment posted late but i paid on {date}, pls remove the late fee",
    "CHECKING ACCT {acct} OVERDRAFT PROTECTION IS SUPPOSED TO BE LINKED TO SAVINGS {acct}",
    "my paycheck went into {acct} which is my old acount, how do i get it moved",
    "need a letter with my acct info for {acct} for my new job, they wont take a screenshot",
    "called yesterday and the lady said {acct} would be unlocked in 24 hrs and its still locked smh",
    "ira {acct} contribution for {year} was coded wrong, it should be for the prior year",
    "close my acct pls. number {acct}. send the remaining balance as a check to my address on file",
    "trying to do a transfer but it says {acct} is not eligible ??? error {err}",
    "my husbands checking {acct} and mine {acctp} both have the same fraud charge from {merchant}",
]

# ---------------------------------------------------------------- MEMBER (20)
MEM_T = [
    "member id {mem} i need a new card mailed, mine broke",
    "my policy number is {mem}, i want to add my son as a driver, he just got his license",
    "customer # {mem} - bill is way higher than usual this month",
    "Subscriber ID: {mem}\nDate of service: {date}\nClaim denied for no reason??",
    "loan {mem} payoff amount pls, good thru {date}",
    "my ebt case number is {mem:l} and my benefits didnt load on the {nth}",
    "policy {mem:l} renewal went up {amt}? why",
    "hi, i'm a member, {mem} , can't log into the portal since the update",
    "CUSTOMER ID {mem} WHY WAS MY SERVICE DISCONNECTED I PAID",
    "{mem} is my member number, the app says not found",
    "the loan number on my statement is {mem} but the website wont accept it",
    "unemployment claimant id {mem}, payment pending since {date}",
    "auto claim for policy {mem} - accident on {date}, other driver at fault",
    "pls merge my 2 profiles, customer ids {mem} and {mem}",
    "subscriber {mem:l} tv box keeps rebooting every {mins} min",
    "ref my member no. {mem}, need my 1099 for {year}",
    "im an authorized user, the primary's customer number is {mem}",
    "Medicaid ID: {mem}\nPharmacy says coverage inactive, i renewed in {mon}",
    "ok my case number for snap is {mem} and the caseworker said to call this line",
    "member {mem:l} here, pls call me back {phone} about my claim",
]

# ---------------------------------------------------------------- PHONE (30)
PHONE_T = [
    "call me back at {phone} pls",
    "text me {phone} when the tech is on the way",
    "the number on file is {phone} but i dont have that phone anymore, update my number to {phone}",
    "my cell {phoneb}",
    "reach me at {phone} after {time}",
    "update my number to {phoneb} and remove the old one",
    "zelle to {phone} failed, it says recipient not enrolled",
    "i sent venmo to {phoneb} by mistake its the wrong person can i get it back",
    "phone: {phone}\nzip: {zip}\nissue: double charged on {date}",
    "PLEASE CALL {phone} ASAP MY CARD WAS STOLEN",
    "2fa codes still going to {phone} which is my old number",
    "my acct {acct} and my phone {phoneb}",
    "can u call {phoneb} instead, {phone} is my work line",
    "my wifes number is {phone} she can confirm its ok",
    "contact #: {phone}\nbest time: {time}",
    "callback {phoneb}",
    "hi its me again, text me at the same number {phoneb}",
    "> What is the best number to reach you?\n{phone}",
    "got a scam call from {phone} pretending to be you guys, they knew my name",
    "sms alerts stopped coming to {phone} since {date}",
    "my mom doesnt have email but her cell is {phone}, she needs access to the joint account",
    "phone on the account should be {phone} not {phone}",
    "CELL {phoneb} HOME {phone}",
    "im at work txt only {phone}",
    "my landlord says he never got the zelle, his number is {phone}",
    "I'd like to add {phone} as my recovery number",
    "emergency contact {phone}",
    "the verification code never comes, is it sending to {phoneb}??",
    "plz have a manager ring me {phone} im free till {time}",
    "ur system shows {phoneb} as my acct?? thats my phone number lol",
]

# ---------------------------------------------------------------- NEGATIVE (60)
NEG_T = [
    "my order {order} total was {amt} but i got charged twice",
    "tracking {track} says delivered but nothing is here",
    "confirmation code {conf} for my payment, it still says pending",
    "the model is {model} and it wont turn on after the update",
    "which branch is closest to {zip}",
    "i was at store #{store} on {date} around {time} and the card reader was broken",
    "flight {flight} got cancelled, does my travel insurance cover it",
    "transaction id {txn} from {merchant} shows up twice",
    "getting error {err} every time i try to log in",
    "how do i download my {year} tax forms",
    "i have {count} pending transactions and none of them posted",
    "payment confirmation number is {conf}, can you check if it went through",
    "what is the routing number for wires, is it {routing}?",
    "check #{checkno} for {amt} cleared twice",
    "my support ticket {ticket} has been open for {count} days",
    "invoice {invoice} was paid on {date} but it still shows due",
    "the app is on version {ver} and still crashes",
    "why did my apr go to {pct}",
    "ORDER {order} NEVER ARRIVED I WANT A REFUND",
    "usps tracking {usps} hasnt moved since {date}",
    "ref {txn} from {merchant}, i was charged {amt} instead of {amt}",
    "promo code {promo} didnt apply at checkout",
    "the {model} i bought at store {store} is defective",
    "my flight {flight} on {date} was delayed {count} hours can i get the fee back",
    "error {err} when i try to add money",
    "is the office in {zip} open on {day}",
    "sku {sku} is out of stock everywhere",
    "i paid {amt} on {date} at {time} and got confirmation {conf}",
    "what time do you close on {day}, i need to come in before {time}",
    "gate {gate} flight {flight}, i lost my card at the airport",
    "charged {amt} by {merchant} on {date}, reference {txn}, i never ordered",
    "my {year} 1099-INT says {amt} interest but i only had {amt}",
    "the atm at the {merchant} on {day} ate my card",
    "code {code} didnt work, it expired after {mins} minutes",
    "fedex {fedex} stuck in memphis",
    "returned order {order} on {date}, refund of {amt} still not back",
    "need {count} new checks, the ones that start at {checkno}",
    "hi i got a letter dated {date} about a rate change to {pct}",
    "THE TRANSFER OF {amt} ON {date} STILL SAYS PROCESSING ERROR {err}",
    "bill pay confirmation {conf} - sent to my electric company on {date}",
    "the router model {model} keeps dropping wifi every {mins} min",
    "i ordered on {date}, order {order}, tracking {track}",
    "Order #: {order}\nTotal: {amt}\nZip: {zip}\nIssue: charged twice, pls refund one",
    "my card was declined at store #{store} in {zip} at {time}",
    "just want to confirm {routing} is your routing number, my employer asked",
    "i was charged a late fee of {amt} on {date} even tho autopay was on",
    "rebooked to {flight} can i use my points",
    "txn {txn} status?",
    "my statements from {mon} {year} to {mon} {year} are missing",
    "app says error {err} and then version {ver} is required",
    "ticket {ticket}, still waiting on a call back",
    "got {count} emails about invoice {invoice}, i already paid {amt}",
    "PROMO {promo} SAID {amt} BONUS AFTER {count} DEPOSITS WHERE IS IT",
    "ups {ups} was supposed to come {day}",
    "my paycheck of {amt} usually hits by {time} on {day}, its {time} now",
    "does the {pct} apy apply to balances over {amt}",
    "merchant says the refund was sent on {date}, their ref {txn}",
    "im returning the {model}, order {order}",
    "your branch on store {store} closed? the one near {zip}",
    "wait time was {mins} min on the phone yesterday, ridiculous",
]


def check(rec, values=None):
    """Spans well formed and (if given) equal to the values that were filled in (see
    pii_chat_dev_records.check_record); values well formed; none repeated."""
    check_record(rec, KINDS, values, _check_value)
    assert unambiguous(rec["text"], rec["spans"]), rec


def _check_value(rec, kind, val):
    """An account number has one of ACCT_LENGTHS digits without its letter prefix or
    suffix; a member ID is 6-14 letters and digits with a digit among them; a phone has
    10 digits (11 with a leading 1), its area code and exchange starting with 2-9."""
    d = _dig(val)
    if kind == "account":
        core = _dig(re.sub(r"^[A-Z]+|-?[A-Z]\d*$", "", val))  # without prefix/suffix
        assert len(core) in ACCT_LENGTHS, (rec, val)
        assert re.fullmatch(r"[A-Z]{0,2}\d[\d -]*\d(-?[A-Z]\d{0,2})?", val), (rec, val)
    elif kind == "member":
        assert re.fullmatch(r"[A-Za-z0-9]{6,14}", val) and d, (rec, val)
    else:
        assert len(d) == 10 or (len(d) == 11 and d[0] == "1"), (rec, val)
        assert d[-10] in "23456789" and d[-7] in "23456789", (rec, val)


def build():
    RNG.seed(SEED)
    builder = RecordBuilder(fill=fill, check=check, unambiguous=unambiguous)
    assert len(ACCT_T) == 60 and len(MEM_T) == 20 and len(PHONE_T) == 30
    builder.add_templates(ACCT_T, "account", 5, "account")
    builder.add_templates(MEM_T, "member", 5, "member")
    builder.add_templates(PHONE_T, "phone", 5, "phone")
    assert len(NEG_T) == 60, len(NEG_T)
    builder.add_negatives(NEG_T)
    return builder.records


def _shape(val):
    d = _dig(val)
    if not val.isdigit():
        return "letters" if re.search(r"[A-Za-z]", val) else "separated"
    if len(d) == 10 and d[0] in "23456789" and d[3] in "23456789":
        return "plain, phone-shaped 10"
    return "plain"


def _account_report(records):
    """How the planted account numbers are shaped: digit lengths, the share of exactly
    10 digits, shapes, and how many sit right after "account"/"acct"."""
    accts = [r["text"][s:e] for r in records for k, s, e in r["spans"] if k == "account"]
    lens = Counter(len(_dig(re.sub(r"^[A-Z]+|-?[A-Z]\d*$", "", v))) for v in accts)
    cue = re.compile(r"(account|acct)\W{0,3}$", re.I)
    after_cue = sum(
        1
        for r in records
        for k, s, _ in r["spans"]
        if k == "account" and cue.search(r["text"][max(0, s - 12) : s])
    )
    return [
        f"account digit lengths: {dict(sorted(lens.items()))}",
        f"account exactly 10 digits: {lens[10]}/{len(accts)} = {lens[10] / len(accts):.2f}",
        f"account shapes: {dict(Counter(_shape(v) for v in accts))}",
        f"account spans right after 'account'/'acct': {after_cue} of {len(accts)}",
    ]


def main():
    run_main(build, extra_lines=_account_report, n_samples=6)


if __name__ == "__main__":
    main()
