#!/usr/bin/env python3
"""Development chat set 5: personal names, written blind.

Written by a helper who saw neither the PII rules, their tests and docs, the
detector's output, nor the held-out sets, nor the template or name lists of the
earlier development sets (only dev set 4's docstring and its fill/check/build, to
copy the record format). Development data: rules may be changed against it.

Messages a US consumer app's customers type to a support chatbot or a human agent
(telecom, banking, delivery, retail, streaming, ride share, insurance, pharmacy,
utilities), typed the way people type: lower case, no punctuation, typos, ALL CAPS,
run-ons, several lines.

Name templates, each filled 5 times (the primary kind decides the template group;
a template may plant further names of other kinds):
  first       35 templates  (first names alone: spouses, exes, in-laws, neighbors,
                             coworkers, caregivers, landlords, drivers, techs, adjusters,
                             agents greeted or signed off, "@", parentheses, quotes,
                             lists, possessives, start and end of message, names that
                             are also words (Hope, Will, Grant...), nicknames)
  last        15 templates  (surnames alone: Mr./Ms./Dr./Sgt./officer/nurse/coach/
                             professor, lower-case titles, ALL CAPS, "under X", "the X
                             family", surnames that are words (Brown, Rice, Wolf...))
  full        14 templates  (capitalised full names: forms "Name:", "Recipient -",
                             signatures, quotes, "Surname, First", ALL CAPS, middle
                             initials)
  full_lower  13 templates  (full names typed in lower case, incl. "surname, first")
  apos        13 templates  (apostrophes, hyphens, Mc/Mac, particles de/van/al-/dela,
                             accents and other non-ASCII letters: O'Shea, D'Andre,
                             Mary-Kate, MacPherson, de la Rosa, al-Hakim, Muñoz, Trần)
  = 90 name templates x 5 = 450 messages, plus 120 negative templates x 1 = 120
  negative messages (no personal name, but brands named after people, products,
  places and streets, months, weekdays, holidays, teams, apps and plans, job titles
  alone, and words such as Will, May, Grant, Bill, Chase, Mark, Hope, Max).

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id};
kinds: first, last, full, full_lower, apos. Negatives have spans == []. Only names are
annotated; phone numbers, emails, order numbers, amounts and dates are planted as
context and not scored. The span of a surname after a title covers the surname only.
Placeholders: {key}, {key:l} (lower) / {key:u} (upper); a digit after the key
({fn1} ... {fn1}) repeats the same value within one message.
Deterministic: build() reseeds its own random.Random(5505) every call.
The record checks, fill loops and command line are shared with the other sets:
bench/pii_chat_dev_records.py.
"""

# ruff: noqa: UP031

import random
import re

from pii_chat_dev_records import RecordBuilder, check_record, run_main

SEED = 5505
RNG = random.Random(SEED)
KINDS = ("first", "last", "full", "full_lower", "apos")


def words(s):
    """A list written as one space-separated string."""
    return s.split()


# ---------------------------------------------------------------- names by origin
# origin: (male first names, female first names, surnames)
ORIGINS = {
    "anglo": (
        words(
            "Kyle Dustin Cody Travis Brandon Dale Gary Derek Chad Randy Shane Harold Wesley "
            "Garrett Clint Troy Russell Doug Brett Colton Gordon"
        ),
        words(
            "Brittany Heather Megan Tammy Lindsey Courtney Kristen Becky Erin Marjorie Doris "
            "Shelby Kelsey Paige Gretchen Bonnie Darlene Leah Whitney"
        ),
        words(
            "Whitaker Jennings Holloway Pruitt Callahan Gallagher Caldwell Thornton Sutton "
            "Hensley Abernathy Prescott Dunbar Kimball Ratliff Pickett Hollister Tillman "
            "Crenshaw Beasley"
        ),
    ),
    "black": (
        words(
            "Jamal Darnell Tyrone Jaylen Marquis Terrell Malik Deandre Trevon Cedric Reginald "
            "Antwan Dwayne Jerome Kareem Desmond"
        ),
        words(
            "Tamika Keisha Imani Aaliyah Ebony Shaniqua Kiara Tanisha Jazmine Lakisha Latrice "
            "Nia Monique Shanice Ayanna Tiana"
        ),
        words(
            "Washington Jefferson Robinson Coleman Simmons Gaines Pettaway Mayfield Dorsey "
            "Whitfield Bynum Toussaint Hairston Tubbs Battle"
        ),
    ),
    "hispanic": (
        words(
            "Alejandro Javier Rigoberto Mauricio Eduardo Francisco Ricardo Ernesto Arturo "
            "Gerardo Rodrigo Efrain"
        ),
        words(
            "Guadalupe Yesenia Marisol Esperanza Xiomara Itzel Araceli Luz Maribel Yolanda "
            "Graciela Nayeli Rocio Beatriz"
        ),
        words(
            "Gutierrez Hernandez Ramirez Villarreal Contreras Espinoza Salazar Cervantes "
            "Ochoa Zamora Delgado Quintanilla Arellano Trujillo Fuentes"
        ),
    ),
    "south_asian": (
        words("Rohan Arjun Sanjay Nikhil Vikram Aditya Karthik Imran Farhan Siddharth Gurpreet"),
        words("Priya Anjali Deepa Kavya Meera Sunita Divya Lakshmi Shreya Nandini Harleen Ayesha"),
        words(
            "Patel Shah Iyer Reddy Chaudhry Malhotra Banerjee Nair Desai Gupta Singh "
            "Venkataraman Krishnan Bhattacharya Mehta Qureshi"
        ),
    ),
    "east_asian": (
        words("Wei Kenji Haruto Jin Hao Takeshi Jae Hyun Daisuke Zhiwei"),
        words("Mei Hana Yuki Jia Yuna Xiu Aiko Minji Ling"),
        words(
            "Chen Wang Liu Zhang Kim Park Choi Tanaka Nakamura Yamamoto Huang Lin Wu Cho "
            "Sato Zhao Lim"
        ),
    ),
    "vietnamese": (
        words("Minh Tuan Bao Duc Khanh Hung Quang Thanh Vinh Hieu"),
        words("Linh Huong Phuong Quynh Trang Thao Ngoc Hanh Mai Lan Thuy"),
        words("Nguyen Tran Pham Hoang Vo Dang Bui Huynh Truong Ngo Ly Duong Vu"),
    ),
    "filipino": (
        words("Jomar Arnel Rodel Rommel Jericho Reynaldo Marvin Jayson Ronaldo Efren"),
        words("Marivic Lorna Rowena Jhoanna Mylene Analyn Jenalyn Maricel Cristina Rosario Ligaya"),
        words(
            "Santos Reyes Bautista Villanueva Mendoza Aquino Manalo Pangilinan Soriano "
            "Dimaculangan Tolentino Magbanua Sison Dizon Lacson"
        ),
    ),
    "nigerian": (
        words("Chidi Emeka Tunde Obinna Olumide Chinedu Babajide Ikenna Segun Uchenna"),
        words("Ngozi Adaeze Chiamaka Folake Yetunde Ifeoma Funmilayo Nneka Amaka Titilayo"),
        words(
            "Nwachukwu Ogunleye Afolabi Okeke Adeyemi Ezeani Obi Oyelaran Balogun Nnaji Akinola Eze"
        ),
    ),
    "arabic": (
        words("Yousef Khalid Tariq Omar Samir Bilal Hamza Karim Walid Nabil Ziad"),
        words("Mariam Layla Noor Rania Hala Amira Yasmin Dalia Salma Reem Huda"),
        words("Haddad Mansour Khoury Saleh Nasser Hamdan Aziz Farah Barakat Shalabi Rahman Jaber"),
    ),
    "east_european": (
        words("Dmitri Bogdan Andrei Piotr Vasyl Zoran Tomasz Mykola Sergei Radek Marek Stanislav"),
        words(
            "Oksana Natalia Svetlana Katarzyna Milena Yulia Irina Agnieszka Daria Halyna "
            "Ludmila Jelena"
        ),
        words(
            "Kowalski Petrov Ivanova Shevchenko Novak Horvat Popescu Kuznetsov Lewandowski "
            "Bondarenko Zielinski Sokolov Marchenko Dabrowski Kovac"
        ),
    ),
    "native": (
        words("Dakota Koda Sequoyah Ahanu"),
        words("Winona Cheyenne Aiyana Tallulah"),
        words("Begay Yazzie Tsosie Benally Harjo Chee Attakai Etsitty Tohee Lente"),
    ),
}

# first names that are also ordinary English words
WORD_FIRST_M = words(
    "Will Grant Rich Chase Hunter Bill Mark Heath Reed Cash Dusty Miles Art Rocky Royal Gene"
)
WORD_FIRST_F = words(
    "Hope Summer Faith Joy Dawn Ivy Destiny Autumn Pearl Penny Holly Crystal Precious "
    "Sunny April June Rose Ruby Amber Jade"
)
# surnames that are also ordinary English words
WORD_LAST = words(
    "Brown Rice Wolf Fox Hill Stone Price Long Young Black King Bird Banks Frost Hart "
    "Love Church Baker Mason Cash Gray Woods Rivers Lamb Swift Bell Sharp Moody Little"
)
NICK_M = words("Bobby Jimmy Kenny Manny Chuy Tito Nacho Pepe Mitch Gabe Vinny Benny Tommy Danny Moe Trey Jojo")  # fmt: skip
NICK_F = words("Deb Cathy Liz Trish Lupe Bev Tina Nikki Kat Kiki Lulu Patty Becca Mimi")  # fmt: skip

# apostrophes, hyphens, accents and other non-ASCII letters in first names, by the
# origin whose surnames they are paired with in a full name
APOS_FIRST_BY = {
    "black": ["D'Andre", "Ja'Nae", "Da'Quan", "Sha'Niya", "Ma'Kayla", "Renée"],
    "anglo": ["Mary-Kate", "Jean-Luc", "Anne-Marie", "Kerry-Ann", "Zoë", "Chloé",
              "Raphaël", "Björn", "Thérèse", "Sinéad", "Aurélie", "Søren"],
    "east_asian": ["Min-jun", "Ji-woo"],
    "hispanic": ["José", "Inés", "Ramón", "Jesús", "Tomás", "Héctor", "Joaquín"],
    "east_european": ["Łucja", "Małgorzata", "Jiří", "Zoltán"],
    "vietnamese": ["Ngọc", "Thảo"],
}  # fmt: skip
# apostrophes, Mc/Mac, particles, hyphens, accents and other non-ASCII letters in
# surnames, by the origin whose first names they are paired with
APOS_LAST_BY = {
    "anglo": ["O'Shea", "O'Rourke", "O'Hara", "McIntosh", "McBride", "McAllister",
              "MacDougall", "MacPherson", "van der Meer", "Van Dyke", "Van Horn",
              "Müller", "Sørensen", "Bélanger", "Dubois-Smith", "St. Clair", "D'Amato"],
    "black": ["O'Neal", "McGee", "St. Clair", "Whitfield-Adeyemi"],
    "south_asian": ["D'Souza"],
    "hispanic": ["de la Rosa", "De Leon", "Castañeda", "Muñoz", "Jiménez", "Peña",
                 "Ibáñez", "Garcia-Lopez", "da Silva"],
    "filipino": ["Dela Cruz", "de los Santos", "De Leon"],
    "arabic": ["al-Hakim", "al-Masri", "El-Amin", "Abdel-Rahman", "Ben-David"],
    "vietnamese": ["Nguyễn", "Trần", "Huỳnh", "Phạm"],
    "east_european": ["Wiśniewska", "Dvořák"],
    "nigerian": ["Okonkwo-Eze", "Whitfield-Adeyemi"],
}  # fmt: skip
APOS_FIRST = sorted({n for v in APOS_FIRST_BY.values() for n in v})
APOS_LAST = sorted({n for v in APOS_LAST_BY.values() for n in v})
APOS_FULL = [
    "Siobhan O'Shea", "Ahmed al-Hakim", "Pieter van der Meer", "María José Peña",
    "Nguyễn Thị Lan", "Trần Văn Minh", "Kerry-Ann McIntosh", "D'Andre Whitfield",
    "Ja'Nae Robinson", "Zoë Castañeda", "Łucja Wiśniewska", "Jiří Dvořák",
    "Björn Sørensen", "Héctor Muñoz", "Raphaël D'Amato", "Fatima El-Amin",
    "Omar Abdel-Rahman", "Angela Dela Cruz", "Rowena de los Santos", "Liam MacDougall",
    "Ngozi Okonkwo-Eze", "Tomás Ibáñez", "Chloé Van Dyke", "Min-jun Park",
    "Ji-woo Choi", "Mary-Kate O'Neal", "Luz María de la Rosa", "Ramón Jiménez",
    "Denise St. Clair", "Yousef al-Masri", "Thérèse Bélanger", "Rosa Garcia-Lopez",
]  # fmt: skip

# ---------------------------------------------------------------- other fillers
CITIES = [
    "Tucson", "Fresno", "Boise", "Tampa", "Dayton", "Spokane", "Omaha", "Albuquerque",
    "Baton Rouge", "Modesto", "Akron", "Lubbock", "Knoxville", "Reno", "El Paso",
    "Tulsa", "Des Moines", "Little Rock", "Syracuse", "Tacoma", "Chattanooga",
]  # fmt: skip
STREET_NAMES = [
    "Maple St", "Oak Ave", "Cedar Ridge Dr", "Sunset Blvd", "Pinecrest Ct",
    "Willow Bend Rd", "Elm St", "Meadowbrook Ln", "Lakeview Dr", "3rd St",
    "14th Ave", "Juniper Way", "Cottonwood Trl", "Ridgeline Rd", "Harbor Pointe Dr",
]  # fmt: skip
MONTHS = words("January February March April May June July August September October November December")  # fmt: skip
DAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
EMAILS = [
    "bluejay_77@gmail.com", "tacotuesday4life@yahoo.com", "sk8rdad1999@hotmail.com",
    "gardenfan22@outlook.com", "night.owl.reads@gmail.com", "mustangfan88@aol.com",
    "coffee.and.chaos@icloud.com", "lakehouse2015@gmail.com",
]  # fmt: skip
ORDINALS = ["1st", "3rd", "15th", "21st", "28th", "30th"]


def _phone():
    a = RNG.choice(["512", "713", "206", "919", "602", "404", "312", "858"])
    b = "%04d" % RNG.randint(100, 199)
    fmt = RNG.choice(["%s-555-%s", "(%s) 555-%s", "%s555%s", "%s.555.%s"])
    return fmt % (a, b)


def _amt():
    if RNG.random() < 0.5:
        return "$%d.%02d" % (RNG.randint(12, 480), RNG.randint(0, 99))
    return "$%d" % RNG.randint(12, 480)


def _order():
    return RNG.choice(["#%d" % RNG.randint(1000000, 9999999), "W%09d" % RNG.randint(1, 999999999),
                       "%d-%d" % (RNG.randint(100, 999), RNG.randint(1000000, 9999999))])  # fmt: skip


FILLERS = {
    "city": lambda: RNG.choice(CITIES),
    "street": lambda: "%d %s" % (RNG.randint(12, 9899), RNG.choice(STREET_NAMES)),
    "month": lambda: RNG.choice(MONTHS),
    "day": lambda: RNG.choice(DAYS),
    "dnum": lambda: str(RNG.randint(1, 28)),
    "date": lambda: "%d/%d" % (RNG.randint(1, 12), RNG.randint(1, 28)),
    "time": lambda: RNG.choice(["4:45", "5:20", "6pm", "5:03", "7:15pm"]),
    "amt": _amt,
    "order": _order,
    "phone": _phone,
    "email": lambda: RNG.choice(EMAILS),
    "cardend": lambda: "%04d" % RNG.randint(0, 9999),
    "acct": lambda: "%010d" % RNG.randint(0, 9999999999),
    "claim": lambda: "%s-%d" % (RNG.choice(["CLM", "PR", "24"]), RNG.randint(100000, 999999)),
    "dob": lambda: "%02d/%02d/%d" % (RNG.randint(1, 12), RNG.randint(1, 28), RNG.randint(1940, 2001)),
    "plate": lambda: "%d%s%d" % (RNG.randint(1, 9), "".join(RNG.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(3)), RNG.randint(100, 999)),
    "year": lambda: str(RNG.randint(2016, 2024)),
    "zip": lambda: "%05d" % RNG.randint(10000, 99950),
    "n": lambda: str(RNG.randint(2, 9)),
    "ordinal": lambda: RNG.choice(ORDINALS),
}  # fmt: skip


def _origin():
    return ORIGINS[RNG.choice(list(ORIGINS))]


def _first(gender):
    m, f, _ = _origin()
    if gender == "m":
        return RNG.choice(m)
    if gender == "f":
        return RNG.choice(f)
    return RNG.choice(m + f)


def _full(gender=None, reverse=False):
    m, f, surnames = _origin()
    pool = m if gender == "m" else f if gender == "f" else m + f
    first = RNG.choice(pool)
    last = RNG.choice(surnames) if RNG.random() < 0.9 else RNG.choice(_origin()[2])
    if reverse:
        return "%s, %s" % (last, first)
    r = RNG.random()
    if r < 0.15:
        return "%s %s. %s" % (first, RNG.choice("ABCDEGJLMRST"), last)
    if r < 0.2:
        return "%s %s %s" % (first, RNG.choice("ABCDEGJLMRST"), last)
    return "%s %s" % (first, last)


def _last():
    return RNG.choice(_origin()[2])


def _apos_full():
    r = RNG.random()
    if r < 0.45:
        return RNG.choice(APOS_FULL)
    if r < 0.75:
        origin = RNG.choice(list(APOS_LAST_BY))
        m, f, _ = ORIGINS[origin]
        return "%s %s" % (RNG.choice(m + f), RNG.choice(APOS_LAST_BY[origin]))
    origin = RNG.choice(list(APOS_FIRST_BY))
    return "%s %s" % (RNG.choice(APOS_FIRST_BY[origin]), RNG.choice(ORIGINS[origin][2]))


# key -> (generator, kind)
NAMES = {
    "fm": (lambda: _first("m"), "first"),
    "ff": (lambda: _first("f"), "first"),
    "fn": (lambda: _first(None), "first"),
    "fwm": (lambda: RNG.choice(WORD_FIRST_M), "first"),
    "fwf": (lambda: RNG.choice(WORD_FIRST_F), "first"),
    "nk": (lambda: RNG.choice(NICK_M + NICK_F), "first"),
    "ln": (_last, "last"),
    "lw": (lambda: RNG.choice(WORD_LAST), "last"),
    "full": (lambda: _full(), "full"),
    "fullm": (lambda: _full("m"), "full"),
    "fullf": (lambda: _full("f"), "full"),
    "fullr": (lambda: _full(reverse=True), "full"),
    "apf": (lambda: RNG.choice(APOS_FIRST), "apos"),
    "apl": (lambda: RNG.choice(APOS_LAST), "apos"),
    "apfull": (_apos_full, "apos"),
}
PARTICLES = {"de", "la", "los", "del", "van", "der", "von", "al", "el", "da", "dos", "st"}  # fmt: skip
PH = re.compile(r"\{([a-z]+)(\d?)(?::([lu]))?\}")


def gen(key, mod, state, bind):
    """One placeholder value and its kind (None for context that is not scored)."""
    if bind and (key, bind) in state["bound"]:
        val = state["bound"][(key, bind)]
        kind = NAMES[key][1]
    elif key in NAMES:
        make, kind = NAMES[key]
        for _ in range(50):
            val = make()
            if val.lower() not in state["used"]:
                break
        state["used"].add(val.lower())
        if bind:
            state["bound"][(key, bind)] = val
    else:
        val, kind = FILLERS[key](), None
    if mod == "l":
        val = val.lower()
        if kind == "full":
            kind = "full_lower"
    elif mod == "u":
        val = val.upper()
    return val, kind


def fill(tpl):
    """Fill a template: (text, spans, values), spans [[kind, start, end], ...]."""
    out, spans, values, pos, cur = [], [], [], 0, 0
    state = {"used": set(), "bound": {}}
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
    """False if a word of a planted name also occurs outside the spans (e.g. the name
    Will in a message that also says "will"): such a message would be mislabelled."""
    for _, s, e in spans:
        for tok in re.findall(r"[^\W\d_]+", text[s:e]):
            if len(tok) < 3 or tok.lower() in PARTICLES:
                continue
            for m in re.finditer(r"(?<![^\W_])%s(?![^\W_])" % re.escape(tok), text, re.I):
                if not any(ps <= m.start() and m.end() <= pe for _, ps, pe in spans):
                    return False
    return True


# ---------------------------------------------------------------- FIRST (35)
FIRST_T = [
    "my husband {fm} changed the password on our account and now neither of us can get in lol",
    "hey so i ordered a bday gift for my niece {ff:l} and it says deliverd but she never got it. order {order}",
    "{fn} here again. still no refund for order {order}, its been {n} days",
    "my home health aide {ff} called in my refill this morning and was told there are none left. My doctor sent 3",
    "the driver {fm:l} was so rude and threw the box over the fence. 1 star isnt enough",
    "i was chatting with {fn1} earlier and the chat closed on me. can you see what {fn1} already did so i dont have to start over",
    "WHY IS {fm:u} STILL ON MY ACCOUNT. WE DIVORCED IN {year}. TAKE HIM OFF",
    "my coworker {ff:l} said she got a $200 credit when she switched over how come i didnt get that",
    "the installer said {fm} would come back thursday to finish the wiring. its saturday. nobody showed",
    "how do i send money to my roommate {ff} if she doesnt have the app",
    "my son {fwm} is away at college in {city} and his phone keeps saying no service, can you check his line",
    "i let my cousin {fm:l} borrow the car and he rear ended someone in a parking lot. is he covered under my policy",
    "Hi {fn}, yes I can verify. Last 4 of the card is {cardend}",
    "need to take my ex {ff:l} off the electric acct, she moved out in {month:l} and im not paying for her place",
    "Our neighbor {fm} has been using our wifi without asking. Can I change the password from the app or do I need to call",
    "so me my mom and my stepdad {fm} are all on the family plan and only HIS phone got the upgrade offer??",
    "{nk} at the {city} location said my trade in was worth $300 and now the app says $85??",
    "please mail the replacement card to my caregiver {ff}, she checks my mailbox on weekdays",
    "yes you can talk to {ff:l} about my account, she is my daughter and she's sitting right here",
    "i asked at the counter and the pharmacy tech (her tag said {ff}) told me insurance wont cover it but the app says $0 copay???",
    'gift note on order {order} should say "Happy birthday {fn}, love you!!" can i still change it',
    "people who are allowed on my account: me, {fn}, {fn}. nobody else. ESPECIALLY not {fm}",
    "@{nk:l} can u check if my payment went thru",
    "My grandson {fm} set up this streaming thing for me and now it is asking for a code I do not have",
    "{fwf:l} and i share the account and she keeps getting kicked off when i watch on the tv",
    "my driver today, {fm}, has my airpods in his car. how do i contact him",
    "filed the claim last week. the adjuster {ff} said she'd call me back by {day} and nothing",
    "Is this still {fn}? or did I get transferred again",
    "thanks for nothing.\n\n-{fn}",
    "hey its {ff:l}, the one with the broken dishwasher from last week, any update on the part",
    "Hello,\nMy landlord {fm} says the gas bill has to be in my name starting {month} 1st.\nHow do I do that?\nThanks\n{ff}",
    "{ff}'s phone got stolen at the game last night, can we suspend line {phone} until we get a new one",
    "im messaging for my dad {fwm}. he had a stroke and cant really type anymore, can you help me with his bill",
    "your rep {fn} promised a callback between 2 and 4 and it is now {time}. unbelievable",
    "my sister in law {ff} and her boyfriend {fm} are staying with us this month so we need more data",
]

# ---------------------------------------------------------------- LAST (15)
LAST_T = [
    "Mr. {ln} at the {city} branch opened my account and said there would be no monthly fee. now theres a $12 fee",
    "dr {ln:l} sent the prescription over on monday and you guys still say you dont have it",
    "I spoke with a supervisor, Ms. {ln}, who promised the late fee would be taken off, and {fm} in billing said the same thing. It's still there.",
    "the account might be under {ln}, my first name gets spelled wrong a lot so try the last name",
    "pickup order under {lw}, im parked in spot 6 out front",
    "officer {ln} took the police report for the accident if you need it for the claim, report # {claim}",
    "the {ln} family next door keeps getting our packages and they never bring them over",
    "MRS {ln:u} IS NOT MY NAME. I TOLD YOU THREE TIMES I AM NOT MARRIED",
    "coach {lw:l} needs the team jerseys by saturday and the order says backordered",
    "Please address the package to Dr. {ln}, it's for the office not for me personally",
    "nurse {ln} at the clinic faxed the prior auth over yesterday can you check if you got it",
    "can i get {ln} again? he handled my case last time and actually knew what he was doing",
    "Sgt. {ln} is my husband, he's deployed right now and I have power of attorney for his accounts",
    "my professor {lw} said i need this textbook by monday, why does tracking say 2 weeks",
    "tell mr {lw:l} in billing that im NOT paying this until someone explains it",
]

# ---------------------------------------------------------------- FULL (14)
FULL_T = [
    "Name: {full}\nAcct #: {acct}\nIssue: charged twice for the {month} bill",
    "Recipient - {full}\nAddress - {street}, {city}\nthe order keeps going to my old address",
    "the package was addressed to {full} but nobody by that name lives here, what do i do with it",
    "I would like to add {full} as an authorized user on my card ending in {cardend}.",
    "{fullf} (my mother) passed away last month and I need to close her account. What do you need from me?",
    "FYI the policy holder is {fullm:u}, i am his wife and i handle all the bills",
    "The agent who hung up on me was {full}. I wrote it down.",
    "Please cancel the whole order, I don't want it anymore.\n\nRegards,\n{full}",
    "the name on the lease is {fullr} if that helps find the account",
    "beneficiary: {fullm}, relationship: son",
    'my statement shows "{full}" as the cardholder but thats my old roommate, not me',
    "my daughter {fullf} is the primary on the account, she's at work til 6, her cell is {phone}",
    "Hello my name is {full} and I have been a customer for 11 years and I have never been treated like this",
    "Technician {fullm} showed up at 3 and left without finishing the install. I took off work for this",
]

# ---------------------------------------------------------------- FULL_LOWER (13)
FULL_LOWER_T = [
    "hi my name is {full:l} and my phone bill is wrong again",
    "acct holder {full:l} dob {dob}",
    "can u send it to {fullf:l} instead shes my roommate same address\nthx {nk:l}",
    "who is {full:l} and why are they on my bank statement??",
    "my mom {fullf:l} is trying to log in and it keeps saying account locked",
    "ok thx\n{full:l}",
    "the refund should go to {full:l} not me, they paid for it",
    "{full:l} here i called about the outage yesterday still nothing",
    "the insurance card says {full:l} but the pharmacy has me under a diffrent spelling",
    "driver was {fullm:l} according to the app, plate {plate}, he took the long way on purpose",
    "pls transfer the service to {full:l}, im moving out on the {ordinal}",
    "the order is under {fullr:l} (last name first bc thats how the form did it)",
    "im writing for my neighbor {fullf:l}, she doesnt have internet to do this herself",
]

# ---------------------------------------------------------------- APOS (13)
APOS_T = [
    "Ms. {apl} at the {city} branch helped me last time, is she in today?",
    "my stepkid {apfull} just got their permit and needs to be added as a driver on our policy",
    "the name on my card is {apfull} but the app won't let me type it the right way so the payment keeps failing",
    "{apf} is on my account as an authorized user and can answer anything you need",
    "it's spelled {apl}, not the way you have it on the bill",
    "Shipping to: {apfull}\n{street}\n{city}",
    "my roommate {apf:l} keeps getting charged for my subscription somehow",
    "Dr. {apl} prescribed it, can you call the office at {phone}",
    "hey it's {apfull:l}, any update on my claim {claim}",
    "thanks {apf}! that fixed it",
    "the previous tenant was {apfull}, I keep getting their bills and collection letters. my name is {full} and I have lived here since {year}",
    "{apfull}\n{phone}\nplease call me back before 5",
    "the tech {apf} said the modem was bad but nobody ever brought a new one",
]

# ---------------------------------------------------------------- NEGATIVE (120)
NEG_T = [
    # brands named after people
    "is there a Wendy's gift card in the rewards catalog or did they take it out",
    "got charged twice at Trader Joe's on {month} {dnum}, {amt} each time. can you reverse one",
    "my instacart order had diet Dr Pepper instead of regular and they charged me full price",
    "Chase declined my card at McDonald's but I have money in the account. what is going on",
    "the manager at the Macy's in {city} said I had to do the return online",
    "the Ben & Jerry's pints were completely melted when they got here",
    "My Chick-fil-A order through DoorDash was missing a whole sandwich",
    "my Dillard's card payment didnt go thru on {date} and now theres a late fee",
    "Dunkin charged me $6.49 for a coffee i never got, its on my Chase Sapphire",
    "Lowe's delivery team was a no show for the washer, i waited all day",
    "can I use my Kohl's Cash online or only in store",
    "I bought a Michael Kors watch from you and it stopped working after a week",
    "is Kate Spade included in the spring sale or is it excluded like last time",
    "Sam's Club membership renewal got charged to the wrong card",
    "Jimmy John's order took over an hour, so much for freaky fast",
    "papa johns refund still hasnt shown up on my card, order {order}",
    "Wells Fargo wont let me link my account to pay my bill here",
    "moving money over from my Charles Schwab account and it says the routing number is invalid",
    "my Victoria's Secret order came in the wrong size AGAIN",
    "is the Mrs. Meyer's hand soap subscription still 20% off",
    "Dr. Scholl's insoles were supposed to be buy one get one",
    "the Arby's in {city} charged my card twice for one meal",
    "Jack in the Box drive thru gave me someone elses order and still charged me",
    "Carl's Jr app keeps crashing when i try to redeem my points",
    "do you sell Tim Hortons gift cards at the register",
    "Barnes & Noble order is showing delivered but its not here",
    "Dick's Sporting Goods return, can i take it to a different store than where i bought it",
    "the Sherwin-Williams paint I ordered for pickup is the wrong color",
    "Dave & Buster's gift card balance says $0 but I never used it",
    "Little Caesars order never got made, the store was closed when i got there",
    "Jersey Mike's app charged my card but the order didnt go through",
    "are the Marie Callender's pot pies on the recall list? I bought {n} of them",
    "we booked a party at Chuck E. Cheese and need to move the date",
    "the Hardee's on Route 9 was out of biscuits at 8am?? how",
    "the Casey's by my house wont take the app coupon",
    "Domino's tracker has said out for delivery for 50 min",
    "Jack Daniel's bottle was broken in the delivery bag and soaked everything",
    "the Dr. Martens boots I returned on {date} still havent been refunded",
    "Mr. Clean magic erasers were missing from the order but I got charged",
    "the Mr. Coffee maker I bought sparks when I plug it in",
    "do you carry Dr. Bronner's in the big bottle",
    "the Air Jordans I ordered came as two different sizes",
    "my Ray-Ban order says returned to sender, why",
    "is Dawn dish soap part of the household bundle",
    # words that are also names
    "Will I get charged a fee if I cancel before the end of the month?",
    "May I speak to a manager please. This is the third time I'm asking.",
    "how do i grant access to my account to someone else so they can pay the bill",
    "Bill pay isnt working in the app, it just spins and spins",
    "Mark as read doesnt work in the message center, they all stay bold",
    "I hope someone can help me because this is getting ridiculous",
    "Hope this makes sense, I'm not great with this stuff",
    "will call pickup or can i have it shipped",
    "my Chase Freedom card was declined for no reason at the grocery store",
    "the Summer Savings promo code doesnt work at checkout",
    "my phone keeps giving amber alerts at 3am, how do i turn them off",
    "rose gold iphone 15 in stock at any store near {zip}?",
    "jasmine rice was missing from my grocery order",
    "the ginger ale in my order was leaking all over the bag",
    "do you deliver brandy or just beer and wine",
    "hunter green is backordered?? i ordered it {n} weeks ago",
    "pearl white paint got scratched during delivery",
    "my Joy-Con has drift, does the protection plan cover that",
    "the Earl Grey tea I ordered is decaf, I didnt order decaf",
    "caesar salad kit in my order was expired by 2 days",
    "Max keeps logging me out on the roku, every night",
    "to be frank this is the worst service ive ever had",
    "IF THIS ISNT FIXED BY FRIDAY I WILL SUE",
    # places, streets
    "going to St. Louis for Thanksgiving, will my plan work there or do i need to add something",
    "the Austin store on South Lamar told me to contact you guys",
    "which door at the Charlotte airport do i go to for rideshare pickup",
    "I'm moving to Madison in August, can I transfer my internet service or do I have to cancel",
    "the address on file says Jackson St but it should be {street}",
    "Is the Lincoln Ave location open on Presidents Day?",
    "is there a store near Grant Park, im in Chicago for the weekend and my phone cracked",
    "Walgreens on Jefferson Ave says my prescription is on hold, why",
    "Im in Victoria TX and have no bars at all since {day}",
    "shipping to Orlando for the holidays, will it arrive by the 20th",
    "flying into Houston tomorrow, will my international plan work once im back",
    "does the Tyler store do screen repairs or just sales",
    "roaming charges in Eugene OR?? thats not even out of the country",
    "outage in Florence KY? internet has been down since noon",
    "I live in Georgia but the bill says the tax is for another state",
    "power has been out on Washington Blvd for 6 hours, when is it coming back",
    "the bus stop at King St and Church St is where i got dropped, not my address",
    # months, days, holidays
    "June bill is way higher than May and my usage was the same",
    "do you deliver Monday through Friday only or also Saturday",
    "Merry Christmas! Is the store open on Christmas Eve?",
    "will the pharmacy be open on Memorial Day or should I pick up before",
    "are you open St. Patrick's Day",
    "I need the Valentine's Day flowers delivered by 5 pm",
    "will my order arrive before Mother's Day if i order today",
    "what are the Easter weekend hours for the branch",
    "Juneteenth hours? is the office closed",
    "Black Friday price adjustment please, I bought it a week before at full price",
    "i need the tax form before April 15",
    # teams, vehicles
    "the Lakers game keeps buffering on the sports package, every single time",
    "cowboys game sunday and my cable box is dead, need a tech out before then PLEASE",
    "Carolina Panthers games, are they included in the sports tier",
    "the Yankees game cut out in the 9th inning, can I get a credit",
    "my Ford F-150 got added to the policy twice",
    "quote for a Harley Davidson, do you insure motorcycles",
    "the Lincoln Navigator on our policy was sold, please remove it",
    "my Mercedes is in the shop, does my policy cover a rental",
    # apps, plans, features
    "I want to switch to the Unlimited Plus plan but keep my current phone",
    "Apple Pay isnt working with my new card, says card not supported",
    "my Alexa wont connect to the new router you sent",
    "can i add Peacock and Paramount+ to my bundle",
    "Cash App transfer to my account failed twice",
    "switching over from Cricket, can i keep my number {phone}",
    # job titles and family words alone
    "your rep said i would get a callback in 24 hrs. its been 3 days",
    "the driver left it at the front desk instead of my door even tho I paid for door delivery",
    "the pharmacist said my refill wont be in until {day}",
    "the installer left a mess in the yard and cable wire across the driveway",
    "my landlord wants proof of renters insurance by the 1st, where do i download it",
    "my mom wants to be added to the plan, she's 68",
    "Grandma's phone is locked, she forgot the passcode",
    # forms, multi-line, shouting, signatures without names
    "WHY IS MY BILL {amt} THIS MONTH. I DIDNT CHANGE ANYTHING",
    "Order #: {order}\nIssue: wrong item\nContact: {email}",
    "Hi there,\nMy internet has been dropping every evening since {month} {dnum}.\nThanks in advance\n\nSent from my iPhone",
    "Please call me at {phone} when the supervisor is available. Thank you.",
]


def check(rec, values=None):
    """Spans well formed and (if given) equal to the values that were filled in (see
    pii_chat_dev_records.check_record)."""
    check_record(rec, KINDS, values)


def _name_key(value):
    """No name twice among one template's fills."""
    return {value.lower()}


def build():
    RNG.seed(SEED)
    builder = RecordBuilder(fill=fill, check=check, unambiguous=unambiguous, value_keys=_name_key)
    assert len(FIRST_T) == 35 and len(LAST_T) == 15 and len(FULL_T) == 14
    assert len(FULL_LOWER_T) == 13 and len(APOS_T) == 13
    builder.add_templates(FIRST_T, "first", 5, "first")
    builder.add_templates(LAST_T, "last", 5, "last")
    builder.add_templates(FULL_T, "full", 5, "full")
    builder.add_templates(FULL_LOWER_T, "flow", 5, "full_lower")
    builder.add_templates(APOS_T, "apos", 5, "apos")
    assert len(NEG_T) == 120, len(NEG_T)
    builder.add_negatives(NEG_T)
    return builder.records


def main():
    run_main(build)


if __name__ == "__main__":
    main()
