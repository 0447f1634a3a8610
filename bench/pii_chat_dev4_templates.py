#!/usr/bin/env python3
"""Development chat set 4: personal names, written blind.

Written 2026-12-05 by a helper who saw neither the PII rules, their tests and docs,
the detector's output, nor the held-out sets (bench/pii_chat_heldout*.py). It is
development data: rules are changed against it (unlike the held-out sets).

Name templates, each filled 5 times (the primary kind decides the template group;
a template may plant further names of other kinds):
  first       32 templates  (first names alone: family, roommates, landlords, drivers,
                             techs, store staff, previous agents, sign-offs, "@", "w/",
                             "per", "cc", "via", parentheses, lists, possessives, quotes,
                             names that are also words or places, nicknames, lower case,
                             ALL CAPS, names of many origins)
  last        15 templates  (surnames alone: after titles, lower-case titles, alone)
  full        14 templates  (capitalised full names, ALL CAPS, "Surname, First")
  full_lower  13 templates  (full names typed in lower case)
  apos        15 templates  (apostrophes, hyphens, Mc/Mac, St., Ng, inner capitals,
                             accents: O'Connor, N'Golo, St. John, José, Zoë, Łukasz)
  = 89 name templates x 5 = 445 messages, plus 126 negative templates x 1 = 126
  negative messages (no personal name, but brands, places, months, products and
  words that look like names, in the same contexts).

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id};
kinds: first, last, full, full_lower, apos. Negatives have spans == [].
Placeholders: {key} or {key:l} (lower) / {key:u} (upper) / {key:c} (as listed).
Deterministic: build() reseeds its own random.Random every call.
The record checks, fill loops and command line are shared with the other sets:
bench/pii_chat_dev_records.py.
"""

# ruff: noqa: UP031

import random
import re

from pii_chat_dev_records import RecordBuilder, check_record, fill_without_values, run_main

SEED = 4404
RNG = random.Random(SEED)

# ---------------------------------------------------------------- first names
FEMALE = [
    # general / Anglo
    "Kayla", "Brittany", "Tiffany", "Courtney", "Heather", "Amanda", "Megan", "Lindsey",
    "Stephanie", "Rebecca", "Allison", "Hannah", "Brianna", "Kelsey", "Danielle", "Haley",
    "Whitney", "Caroline", "Margaret", "Deborah", "Patricia", "Sharon", "Denise", "Brenda",
    "Tonya", "Melissa", "Kristen", "Shelby", "Paige", "Abigail", "Gretchen", "Darlene",
    "Loretta", "Bethany", "Mackenzie",
    # African American
    "Shanice", "Latoya", "Imani", "Aaliyah", "Ebony", "Keisha", "Tamika", "Jasmine",
    "Monique", "Deja", "Tanisha", "Nia", "Kiara", "Shaniqua", "Jazmine", "Tierra",
    "Ayanna", "Kendra", "Lakisha", "Zaria",
    # Hispanic
    "Yadira", "Esmeralda", "Araceli", "Leticia", "Maribel", "Paola", "Itzel", "Graciela",
    "Beatriz", "Consuelo", "Dulce", "Fernanda", "Karina", "Veronica", "Perla", "Yolanda",
    "Nayeli",
    # South Asian
    "Priya", "Ananya", "Deepika", "Lakshmi", "Kavya", "Shreya", "Sunita", "Neha", "Pooja",
    "Divya", "Aarti", "Harpreet", "Simran",
    # East Asian
    "Mei", "Jia", "Yuna", "Haruka", "Yuki", "Xiaoling", "Hana", "Sakura", "Eun", "Qian",
    # Vietnamese
    "Linh", "Thuy", "Huong", "Ngoc", "Trang", "Hanh", "Phuong", "Thao", "Vy",
    # Filipino
    "Maricel", "Rowena", "Jocelyn", "Marites", "Lorna", "Analyn", "Rhea", "Divina",
    "Jonalyn", "Cherilyn",
    # Nigerian
    "Chiamaka", "Ngozi", "Adaeze", "Folasade", "Funmilayo", "Chinwe", "Amaka", "Yetunde",
    "Temitope", "Ifeoma", "Bisola",
    # Arabic
    "Fatima", "Aisha", "Layla", "Noor", "Yasmin", "Mariam", "Rania", "Huda", "Salma",
    "Amira", "Dalia", "Hiba",
    # Eastern European
    "Katarzyna", "Agnieszka", "Olena", "Oksana", "Svetlana", "Irina", "Natalia", "Yulia",
    "Daria", "Milena", "Anastasia", "Bogdana",
    # Native American
    "Winona", "Aiyana", "Halona", "Tallulah", "Chenoa", "Kimimela", "Nizhoni",
]  # fmt: skip

MALE = [
    # general / Anglo
    "Travis", "Cody", "Dustin", "Kyle", "Brandon", "Tyler", "Garrett", "Wesley", "Colton",
    "Bryce", "Derek", "Trevor", "Shane", "Randy", "Gary", "Dennis", "Raymond", "Harold",
    "Walter", "Curtis", "Leon", "Calvin", "Dale", "Clifford", "Jeremy", "Kurt", "Russell",
    "Wyatt", "Ethan", "Caleb", "Logan",
    # African American
    "Marcus", "Tyrone", "Terrence", "Jamal", "Darnell", "Andre", "Malik", "Cedric",
    "Reggie", "Xavier", "Isaiah", "Elijah", "Jalen", "Devin", "Demetrius", "Lamar",
    "Rashad", "Quentin", "Kendrick", "Dwayne", "Jermaine",
    # Hispanic
    "Francisco", "Javier", "Eduardo", "Armando", "Rigoberto", "Fernando", "Ignacio",
    "Mauricio", "Ernesto", "Hector", "Gerardo", "Cesar", "Osvaldo", "Arturo", "Adrian",
    "Emilio", "Marco",
    # South Asian
    "Rohan", "Arjun", "Vikram", "Sanjay", "Rajesh", "Aditya", "Karthik", "Nikhil",
    "Siddharth", "Rahul", "Gurpreet", "Harjit", "Amit",
    # East Asian
    "Wei", "Jun", "Hao", "Tao", "Hiroshi", "Kenji", "Takeshi", "Seung", "Jae", "Zhiwei",
    "Daisuke", "Jiho",
    # Vietnamese
    "Minh", "Duc", "Tuan", "Quang", "Huy", "Khoa", "Bao", "Thanh", "Hieu", "Phuc",
    # Filipino
    "Rommel", "Jomar", "Arnel", "Ronaldo", "Jayson", "Ramil", "Edgardo", "Reynaldo",
    # Nigerian
    "Chukwuemeka", "Emeka", "Obinna", "Tunde", "Babajide", "Olumide", "Chidi", "Ikenna",
    "Segun", "Oluwaseun", "Uchenna",
    # Arabic
    "Omar", "Khalid", "Youssef", "Tariq", "Hamza", "Karim", "Bilal", "Samir", "Nabil",
    "Mustafa", "Ibrahim", "Waleed", "Faisal", "Imran",
    # Eastern European
    "Piotr", "Tomasz", "Dmitri", "Sergei", "Andriy", "Vasyl", "Bogdan", "Nikolai",
    "Mykola", "Pavel", "Radek", "Marek", "Stanislav", "Oleksandr",
    # Native American
    "Chayton", "Takoda", "Ahanu", "Hototo", "Tahoma", "Kele", "Dyami",
]  # fmt: skip

# first names that are also common words, places, months or titles
WORD_FEMALE = [
    "Hope", "Faith", "Summer", "Savannah", "Brooklyn", "Paris", "June", "Ivy", "Destiny",
    "Precious", "Joy", "Autumn", "Dawn", "Amber", "Crystal", "Rose", "Madison", "Sierra",
    "April", "Harmony", "Heaven", "Trinity", "Raven", "Essence", "Unique", "Star",
    "Charity", "Liberty", "Journey", "Genesis", "Serenity", "Blessing", "Patience",
    "Mercy", "River", "Sky",
]  # fmt: skip
WORD_MALE = [
    "Will", "Bill", "Austin", "Rich", "Miles", "Grant", "Chase", "Dallas", "King", "Major",
    "Justice", "Hunter", "Jordan", "Dakota", "Mark", "Ray", "Frank", "Cash", "Prince",
    "Lincoln", "Jackson", "Phoenix", "Royal", "Rocky", "Colt", "Lane", "Chance", "Reed",
    "Pierce", "Wade", "Clay", "Dean", "Drew", "Gene", "Sterling", "River", "Sky",
]  # fmt: skip

NICK_FEMALE = [
    "Beth", "Jen", "Liz", "Katie", "Becky", "Steph", "Nikki", "Deb", "Patty", "Kat",
    "Jess", "Tori", "Bree", "Lexi", "Maddie", "Abby", "Cici", "Mandy", "Trish", "Val",
    "Gabby", "Lupita",
]  # fmt: skip
NICK_MALE = [
    "Bobby", "Mike", "Tony", "Danny", "Jimmy", "Rob", "Nate", "Dom", "Trey", "Ty", "Zeke",
    "Gabe", "Pete", "Sully", "Benny", "Kenny", "Manny", "Raj", "Vik", "Mo", "Chuy", "Memo",
]  # fmt: skip

# ---------------------------------------------------------------- surnames
SURNAMES = [
    # general / Anglo / Irish / Cajun / Amish / Scandinavian
    "Whitaker", "Holloway", "Pruitt", "Beasley", "Schneider", "Hoffmann", "Lindqvist",
    "Gallagher", "Sullivan", "Fitzgerald", "Brennan", "Donnelly", "Kavanagh", "Thibodeaux",
    "Boudreaux", "Landry", "Hebert", "Broussard", "Yoder", "Stoltzfus", "Lundgren",
    "Carlson", "Nygaard", "Abernathy", "Crenshaw", "Vance", "Hargrove", "Pickett",
    "Whitfield", "Pennington", "Ashworth", "Underwood", "Kessler",
    # African American
    "Washington", "Jefferson", "Robinson", "Freeman", "Booker", "Gaines", "Dorsey",
    "Mayfield", "Pettaway", "Jenkins", "Coleman", "Simmons", "Blackmon", "Tolliver",
    "Mosley", "Gadson",
    # Hispanic
    "Morales", "Gutierrez", "Delgado", "Aguilar", "Espinoza", "Navarro", "Salazar",
    "Cervantes", "Zamora", "Ochoa", "Trujillo", "Guerrero", "Cabrera", "Maldonado",
    "Escobar", "Fuentes", "Medina", "Rosales", "Valenzuela", "Sandoval",
    # South Asian
    "Patel", "Shah", "Reddy", "Iyer", "Krishnan", "Chaudhary", "Banerjee", "Mehta",
    "Desai", "Venkatesan", "Bhattacharya", "Agarwal", "Nair", "Joshi", "Kulkarni",
    "Siddiqui", "Malhotra", "Pillai", "Gupta", "Sandhu", "Grewal",
    # East Asian
    "Chen", "Wang", "Zhang", "Liu", "Huang", "Lin", "Zhao", "Kim", "Park", "Choi", "Jung",
    "Kang", "Yoon", "Tanaka", "Nakamura", "Yamamoto", "Sato", "Watanabe",
    # Vietnamese
    "Nguyen", "Tran", "Pham", "Hoang", "Vo", "Dang", "Bui", "Huynh", "Truong", "Dinh", "Vu",
    # Filipino
    "Santos", "Reyes", "Bautista", "Mendoza", "Aquino", "Manalo", "Pangilinan",
    "Dimaculangan", "Soriano", "Tolentino", "Magbanua", "Gatchalian",
    # Nigerian
    "Okafor", "Okonkwo", "Adeyemi", "Eze", "Nwosu", "Balogun", "Ogunleye", "Adebayo",
    "Okoro", "Olatunji", "Chukwu", "Obi", "Afolabi", "Oyelaran",
    # Arabic
    "Haddad", "Nasser", "Khoury", "Mansour", "Saleh", "Hussein", "Abdullah", "Farouk",
    "Hamdan", "Aziz", "Rahman", "Darwish", "Suleiman", "Qureshi",
    # Eastern European
    "Kowalski", "Nowak", "Wisniewski", "Zielinski", "Petrov", "Shevchenko", "Kovalenko",
    "Bondarenko", "Horvath", "Dvorak", "Popescu", "Jovanovic", "Lewandowski", "Sokolov",
    "Melnyk", "Tkachenko",
    # Native American
    "Begay", "Yazzie", "Tsosie", "Benally", "Nez", "Harjo", "Redcloud", "Littlefeather",
    "Whitehorse", "Manygoats", "Attakai", "Deschenie", "Tso",
]  # fmt: skip

# surnames that are also common words
WORD_SURNAMES = [
    "King", "Major", "Grant", "Chase", "Miles", "Rice", "Young", "Brown", "Long", "Bishop",
    "Cook", "Fox", "Price", "Banks", "Love", "Black", "Hill", "Bell", "Rich", "Best",
    "Little", "Sharp", "Strong", "Wise", "Moody", "Church", "Parks", "Short", "Day", "Cash",
    "Lamb", "Stone", "Frost", "Snow", "Battle", "Rivers", "Woods", "Meadows", "Waters",
    "Sterling", "Knight", "Hope", "Do",
]  # fmt: skip

# ---------------------------------------------------------------- apostrophes, accents, Mc/Mac
APOS_FEMALE = [
    "Zoë", "Renée", "Chloé", "Inés", "Sofía", "Małgorzata", "Hélène", "Anaïs", "Noémie",
    "Siobhán", "Thúy", "Mary-Kate", "Anne-Marie", "Jo-Ann", "Min-ji", "Seo-yeon", "Ji-woo",
    "La'Tanya", "D'Asia", "Sha'Carri", "Ja'Nya", "Mi'Kayla", "LaToya", "LaKeisha",
]  # fmt: skip
APOS_MALE = [
    "José", "Łukasz", "Raúl", "Andrés", "Héctor", "Nicolás", "Ramón", "Joaquín", "Björn",
    "Søren", "François", "Jiří", "Tomáš", "Zoltán", "Ömer", "N'Golo", "D'Andre",
    "Ja'Marcus", "Da'Quan", "Ke'Shawn", "De'Aaron", "DeShawn", "DeAndre", "Jean-Luc",
    "Jean-Pierre", "Min-jun", "Jae-hyun", "Abdul-Rahman",
]  # fmt: skip
APOS_SURNAMES = [
    "O'Connor", "O'Neil", "O'Brien", "O'Malley", "O'Hara", "O'Shea", "D'Angelo", "D'Souza",
    "D'Amico", "N'Diaye", "McAllister", "McKenzie", "MacDonald", "MacLeod", "McCray",
    "McGowan", "McNeil", "McElroy", "MacArthur", "St. John", "St. Pierre", "St. Clair",
    "Ng", "Nuñez", "Peña", "Ibáñez", "Muñoz", "Báez", "Jiménez", "Sánchez", "Müller",
    "Schäfer", "Wiśniewski", "Łukaszewski", "Dvořák", "Al-Sayed", "Abu-Ghazaleh",
    "El-Amin", "Garcia-Lopez", "Lloyd-Evans", "De La Cruz", "Dela Cruz", "Van der Berg",
    "LeBlanc", "DuBois", "DeLuca", "LaFleur", "Nguyễn",
]  # fmt: skip

# ---------------------------------------------------------------- non-name fillers
CITIES = [
    "Austin", "Savannah", "Dallas", "Paris TX", "Brooklyn", "Charlotte", "Jackson",
    "Madison", "Phoenix", "Tulsa", "El Paso", "Fresno", "Tacoma", "Boise", "Mesa",
    "Lubbock", "Hialeah", "Dayton", "Raleigh", "Omaha", "Lafayette", "Lincoln",
]  # fmt: skip
STREETS = [
    "Oak St", "Maple Ave", "Lincoln Ave", "Washington Blvd", "Cedar Ln", "Elm St",
    "MLK Jr Blvd", "Kings Hwy", "Pine Ridge Rd", "Jefferson St", "Main St", "3rd Ave",
    "Lakeview Dr", "Sunset Blvd", "Hope St", "Grant Ave", "Summer St",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "Monday", "Friday"]
HANDLE_WORDS = [
    "blue", "taco", "tuesday", "coffee", "lake", "pine", "gamer", "mama", "papa", "tiger",
    "happy", "lucky", "south", "side", "night", "owl", "rocket", "cactus", "maple", "cloud",
]  # fmt: skip
DOMAINS = ["gmail.com", "yahoo.com", "icloud.com", "hotmail.com", "aol.com", "outlook.com"]
AREA = ["512", "214", "469", "713", "404", "312", "602", "718", "919", "305", "206", "414"]


def _pick(seq):
    return RNG.choice(seq)


def _digits(n):
    return "".join(RNG.choice("0123456789") for _ in range(n))


def _phone():
    a, x = _pick(AREA), "01%s" % _digits(2)
    return _pick(
        ["(%s) 555-%s" % (a, x), "%s-555-%s" % (a, x), "%s555%s" % (a, x), "%s.555.%s" % (a, x)]
    )


def _email():
    return "%s%s%s@%s" % (_pick(HANDLE_WORDS), _pick(HANDLE_WORDS), _digits(2), _pick(DOMAINS))


def _order():
    return _pick(
        [
            "#%s" % _digits(8),
            "W%s" % _digits(9),
            "%s-%s-%s" % (_digits(3), _digits(7), _digits(7)),
            "ORD-%s" % _digits(6),
            "#%s" % _digits(6),
        ]
    )


def _amt():
    return _pick(["$%d.%s" % (RNG.randint(9, 480), _digits(2)), "$%d" % RNG.randint(20, 900)])


def _date():
    m = RNG.randint(1, 12)
    d = RNG.randint(1, 28)
    return _pick(["%d/%d" % (m, d), "%s %d" % (MONTHS[m - 1], d), "%d/%d/26" % (m, d)])


# ---------------------------------------------------------------- name generators
def _first_any():
    r = RNG.random()
    if r < 0.08:
        return _pick(WORD_FEMALE + WORD_MALE)
    if r < 0.16:
        return _pick(NICK_FEMALE + NICK_MALE)
    return _pick(FEMALE + MALE)


def _first_g(g):
    r = RNG.random()
    if g == "f":
        if r < 0.08:
            return _pick(WORD_FEMALE)
        if r < 0.15:
            return _pick(NICK_FEMALE)
        return _pick(FEMALE)
    if r < 0.08:
        return _pick(WORD_MALE)
    if r < 0.15:
        return _pick(NICK_MALE)
    return _pick(MALE)


def _surname():
    return _pick(WORD_SURNAMES) if RNG.random() < 0.08 else _pick(SURNAMES)


def _full(g=None):
    first = _first_any() if g is None else _first_g(g)
    if RNG.random() < 0.2:
        return "%s %s. %s" % (first, _pick("ABCDEFGHJKLMNPRSTW"), _surname())
    return "%s %s" % (first, _surname())


def _apos_first(g=None):
    if g == "f":
        return _pick(APOS_FEMALE)
    if g == "m":
        return _pick(APOS_MALE)
    return _pick(APOS_FEMALE + APOS_MALE)


def _apos_full(g=None):
    r = RNG.random()
    if r < 0.4:
        first = _first_any() if g is None else _first_g(g)
        return "%s %s" % (first, _pick(APOS_SURNAMES))
    if r < 0.8:
        return "%s %s" % (_apos_first(g), _pick(SURNAMES))
    return "%s %s" % (_apos_first(g), _pick(APOS_SURNAMES))


# key -> (generator, base kind)
NAME_GEN = {
    "first": (_first_any, "first"),
    "ff": (lambda: _first_g("f"), "first"),
    "fm": (lambda: _first_g("m"), "first"),
    "fw": (lambda: _pick(WORD_FEMALE + WORD_MALE), "first"),
    "fwf": (lambda: _pick(WORD_FEMALE), "first"),
    "fwm": (lambda: _pick(WORD_MALE), "first"),
    "nickf": (lambda: _pick(NICK_FEMALE), "first"),
    "nickm": (lambda: _pick(NICK_MALE), "first"),
    "nick": (lambda: _pick(NICK_FEMALE + NICK_MALE), "first"),
    "last": (_surname, "last"),
    "lw": (lambda: _pick(WORD_SURNAMES), "last"),
    "full": (_full, "full"),
    "fullf": (lambda: _full("f"), "full"),
    "fullm": (lambda: _full("m"), "full"),
    "rev": (lambda: "%s, %s" % (_surname(), _first_any()), "full"),
    "af": (_apos_first, "apos"),
    "aff": (lambda: _apos_first("f"), "apos"),
    "afm": (lambda: _apos_first("m"), "apos"),
    "al": (lambda: _pick(APOS_SURNAMES), "apos"),
    "afull": (_apos_full, "apos"),
    "afullf": (lambda: _apos_full("f"), "apos"),
    "afullm": (lambda: _apos_full("m"), "apos"),
}

OTHER_GEN = {
    "order": _order,
    "amt": _amt,
    "date": _date,
    "day": lambda: _pick(DAYS),
    "month": lambda: _pick(MONTHS),
    "phone": _phone,
    "email": _email,
    "l4": lambda: _digits(4),
    "n": lambda: str(RNG.randint(2, 9)),
    "id": lambda: _digits(5),
    "city": lambda: _pick(CITIES),
    "street": lambda: "%d %s" % (RNG.randint(100, 9899), _pick(STREETS)),
    "zip": lambda: "7%s" % _digits(4),
    "track": lambda: (
        "1Z%s" % "".join(RNG.choice("0123456789ABCDEFGHJKLMNPRTUVWXY") for _ in range(16))
    ),
    "time": lambda: (
        "%d:%s%s"
        % (RNG.randint(1, 12), _pick(["00", "15", "30", "45"]), _pick(["pm", "am", " pm"]))
    ),
    "store": lambda: str(RNG.randint(100, 4999)),
}


def _case(val, mod):
    if mod == "l":
        return val.lower()
    if mod == "u":
        return val.upper()
    return val


# inner-capital names that look like ordinary names once typed in lower case
PLAIN_WHEN_LOWER = {
    "latoya",
    "lakeisha",
    "deshawn",
    "deandre",
    "leblanc",
    "dubois",
    "deluca",
    "lafleur",
}


def gen(key, mod):
    if key in NAME_GEN:
        fn, kind = NAME_GEN[key]
        val = _case(fn(), mod)
        # a lower-cased apos name must keep its apostrophe, accent, hyphen, Mc/Mac, St., Ng ...
        while kind == "apos" and mod == "l" and set(val.split()) & PLAIN_WHEN_LOWER:
            val = _case(fn(), mod)
        if kind == "full" and mod == "l":
            kind = "full_lower"
        return val, kind
    if key in OTHER_GEN:
        return _case(OTHER_GEN[key](), mod), None
    raise KeyError(key)


PH = re.compile(r"\{([a-z0-9]+)(?::([luc]))?\}")


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


# ---------------------------------------------------------------- FIRST (32)
FIRST_T = [
    "the guy i talked to yesterday, {fm}, said the credit would show up in 3-5 business days and its been 2 weeks",
    "my roommate {ff:l} is the one who set up the wifi, can i still call about it or does it have to be her",
    "hi, my daughter {fwf} bought {n} skins on the xbox with my card without asking. can i get that {amt} back?",
    "{nick:l}'s phone keeps saying SIM not provisioned ever since the update last night",
    "the delivery driver ({fm}) left it at the wrong house, the app shows a photo of somebody else's porch",
    "can you add my son {fwm} as an authorized user? he's 17 and just got his license",
    "@{first:l} are you still there? its been like 10 min",
    "per {first} in your returns dept I was supposed to get a prepaid label emailed to {email}, still nothing",
    "I'm on the phone w/ {ff} from the {city} store right now and she says you guys are the ones who have to fix it",
    "cc {ff:l} (my wife) on everything please, she handles the bills in our house",
    "i sent the box back via {fm:l} my neighbor, he dropped it at the ups store on {day}",
    "the lines on our plan are me, {first}, {first} and {fw} so why are there 5 lines on the bill??",
    "my landlord {fm} says the router has to stay in the hallway closet, can the tech install it there",
    "the tech that came out, i think his name was {fm:l}?, didnt finish hooking up the second cable box",
    "HELLO?? {first:u} SAID SOMEONE WOULD CALL ME BACK TODAY AND NOBODY DID",
    "my mother-in-law {ff} is living with us now and wants to be added to our plan, she's 72 does she get the senior discount",
    "honestly i dont even know whose name the account is in, might be my ex {fm:l}, we split up in {month:l} and i kept the apartment",
    "Hi {first}! My name is {first} and I'll be helping you today. Could you verify the email address on the account?",
    "the lady at the front desk, {fwf}, told me to message here instead of calling",
    'why does my receipt say "{ff}"?? thats my sisters name and she has never been in that store',
    "{fm}!! from the {city} store!! he was so helpful, please tell his manager",
    "order {order} should have gone to {ff}, my caregiver, at the same address",
    "you can text {ff} at {phone}, she's my emergency contact if i don't pick up",
    "babysitter {ff:l} needs to be able to pick up my son's prescription, how do i authorize her",
    "{nickf} helped me last time and fixed it in like 5 minutes, is she working today?",
    "ok that's everything, thank you so much!!\n- {ff:l}",
    "cool ty that fixed it\nthx, {nickm:l}",
    "hola, my abuela {ff} doesn't speak english, can i do the chat for her? the account is hers",
    "Miss {ff} in the front office said to ask y'all about the autopay thing",
    "hey {first} sorry i stepped away, im back now",
    "my uncle {fm:l} ({phone}) is picking it up for me tomorrow, he has a copy of my ID",
    "sorry that was my kid {fw:l} typing lol. anyway the remote still wont pair with the tv",
]

# ---------------------------------------------------------------- LAST (15)
LAST_T = [
    "tell {last:l} to call me back, he has my number",
    "is {last} still the manager at the {city} location? they were super helpful last time",
    "mr {last:l} at the store said the warranty covers water damage",
    "miss {last:l} at the pharmacy counter told me my insurance rejected it",
    "Dr. {last} sent the prescription over on {day} and it's still not showing in the app",
    "Officer {last} said I need a copy of the transaction history for the police report",
    "our property manager ms. {lw:l} wants proof of renters insurance by friday, can you email it",
    "Coach {last} is picking up the team order for us, can he sign for it?",
    "the work order says Technician: {last}, but nobody ever showed up",
    "{last} from your fraud team called me about a charge, is that legit?",
    "I spoke to Agent {last} (ID {id}) on {day} and was promised a callback within 24 hours.",
    "Thank you for your patience, Mr. {lw}. I've applied a {amt} credit to your account.",
    "the account is under my married name, {last}, not my maiden name",
    "professor {last:l} said we get the student discount through the school, is that true",
    "pls note Mrs. {lw} is NOT authorized on my account anymore",
]

# ---------------------------------------------------------------- FULL (14)
FULL_T = [
    "the account is in my husband's name, {fullm}, he said it's ok for me to call about it",
    "Name on card: {full}\nLast 4: {l4}\nit keeps getting declined online",
    "please send the replacement to {full}, {street}, {city} {zip}",
    "Hi, this is {full}. I called on {day} about being charged twice",
    "the label says SHIP TO: {full:u} but that's not me, I think I got the wrong package",
    "On {day}, {full} <{email}> wrote:\n> please confirm the cancellation\n\nhi can someone actually answer this? been waiting a week",
    "My landlord {full} is technically the account holder but I pay the bill every month",
    "the installer's badge said {fullm} and he was really rude to my mom",
    "I want to change the beneficiary to {fullf} (my daughter)",
    "the form has me as {rev} and I can't edit it",
    "My name is {full} and my sister {fullf} is on the same plan",
    "can you confirm {full} is listed as an authorized user on order {order}?",
    "I've updated the billing name to {full}. Is there anything else I can help you with today?",
    "The account holder, {full}, passed away last month. I'm the executor and need to close it.",
]

# ---------------------------------------------------------------- FULL_LOWER (13)
FULL_LOWER_T = [
    "my name is {full:l} and ive been a customer for 9 years, this is ridiculous",
    "hi its {full:l} again the chat got disconnected",
    "um so the account is under {fullf:l} thats my grandma, she passed in {month:l} and i need to take it over",
    "pls cancel the order for {full:l} i put the wrong name on it",
    "{full:l} {phone} call me",
    "ok\nname: {full:l}\nemail: {email}\norder: {order}",
    "can u check if {fullf:l} is on the account too shes my roommate",
    "lol no im not {fullm:l}, thats my brother, he used my email to sign up",
    "account holder {full:l} (me) and i want to remove the second line",
    "yes i authorize {full:l} to talk about my account",
    "i got a package addressed to {full:l} but nobody by that name lives here",
    "the driver was {fullm:l} according to the app and he threw the box over the fence",
    "doing this for my dad {fullm:l} hes not good with computers",
]

# ---------------------------------------------------------------- APOS (15)
APOS_T = [
    "{al:l} from the warehouse said it already shipped, so where is it",
    "dr. {al:l} wants my records faxed over, can you do that from here",
    "Hi, I'm {afull} and I can't log in to my account",
    "my son {afm} is the secondary user, he needs his own login",
    "talked to {afm} at the {city} store and he said to contact you",
    "the name on the ticket should be {afull}, your system keeps messing up the spelling",
    "order is under {afull:l} not my name",
    "Mrs. {al} is my landlord and she needs a copy of my payment history",
    "your site won't let me type {af} in the first name box, says invalid characters",
    "NAME ON ACCOUNT: {afull:u}",
    "pls cc {aff:l} on the emails, she's my assistant",
    "the tech, {al}, was great, please pass that along to his supervisor",
    "thx {af:l}!! you're the best",
    "my mom's name is {afullf}, she's the one who placed the order",
    "Coach {al}'s card got charged for the whole team's uniforms",
]

# ---------------------------------------------------------------- NEGATIVES (no personal names)
NEG_T = [
    "i have a Chase card ending in {l4} and it got declined at Best Buy",
    "Will do, thanks!",
    "hope so lol. last time it took forever",
    "my bill went up {amt} this month and nobody told me why",
    "Can I get the summer plan price again? It ended in {month}",
    "how many miles earned on my last trip? it still shows 0",
    "the grant money from the school hasn't posted to my account yet",
    "my email signature is showing up as rich text instead of plain text, how do i fix that",
    "Ordered a Dr Pepper 12 pack and got a Pepsi one lol",
    "the Ben & Jerry's pints were completely melted when the delivery came",
    "i bought a ring at Kay Jewelers with this card and want to dispute it",
    "Wells Fargo says the transfer went through on their end on {date}",
    "the Dollar General on {street} had no power so i couldn't pay my bill in cash",
    "is the Paris store open on sunday? Paris TX not France lol",
    "I live in Austin TX, do you deliver to 787{n}{n}?",
    "my June bill was almost double the May one",
    "the Savannah GA location said they can't do returns for online orders",
    "the Brooklyn warehouse keeps saying my package is in transit",
    "King size mattress came with a queen frame",
    "Major issue: the app crashes every time I open my statements",
    "Sky blue case was out of stock so they sent black, I want a refund",
    "the River Oaks branch has no working ATM",
    "the Dallas store manager said to call this number",
    "the ivy plant i ordered arrived dead",
    "Destiny 2 expansion didn't unlock after I paid {amt}",
    "do you guys offer a precious metals IRA? i want to hold gold in my account",
    "I'm honestly losing faith in this company",
    "ok i'll talk to my landlord and get back to you",
    "the delivery driver left it out in the rain and the box is soaked",
    "the guy at the store said you could help me with this",
    "your agent yesterday said it would be fixed in 24 hrs",
    "Alexa keeps ordering stuff on its own, how do i turn off voice purchasing",
    "the Mercedes dealership needs proof of insurance before i can pick up the car",
    "Wendy's charged me twice on my debit card",
    "McDonald's app says payment failed but my bank shows the charge",
    "the Trader Joe's gift card balance isn't showing in my wallet",
    "returned it at Kohl's on {date}, still no refund",
    "the Lowe's delivery team scratched up my floor",
    "the Jordan 4s I ordered came in the wrong size",
    "my Dell laptop won't charge, is it still under warranty?",
    "Victoria's Secret order {order} never arrived",
    "St. Louis office never called me back",
    "can I move my San Jose to Houston flight to {day}?",
    "the Lincoln NE branch closed early today and I needed a cashier's check",
    "the Washington Ave location is out of stock again",
    "moved from Jackson MS to Madison WI, need to update my address",
    "the lounge at the Charlotte airport wouldn't accept my card",
    "APRIL STATEMENT IS WRONG",
    "since August ive been charged a late fee every single month",
    "the Customer Service Rep said to hold the power button for 30 sec, didn't work",
    "thx, will try that",
    "please cancel my subscription\n\nSent from my iPhone",
    "cc: billing dept, fraud team",
    "per your email on {date}, my payment is due {date}",
    "via the app or the website? which one is faster",
    "w/ the new update the bluetooth doesnt work at all",
    "@support why is nobody answering",
    "(my husband) set up the account but he's out of town this week",
    "my wife's phone keeps dropping calls",
    "my son's xbox account got banned for no reason",
    "the receipt doesn't have a cashier name on it, just Store #{store}",
    "the Mr. Coffee maker I bought last week leaks all over the counter",
    "Dr. Scholl's inserts were the wrong size",
    "Mrs. Meyer's soap was missing from my order",
    "Papa John's order {order} came cold and an hour late",
    "Jimmy John's delivery never came but I was charged",
    "the Little Caesars pickup code didn't work",
    "Chick-fil-A app charged me twice for one meal",
    "my Sherwin-Williams paint order is still processing",
    "TJ Maxx wont take the return without the receipt",
    "Marshalls gift card shows $0 but I never used it",
    "I need to make a payment on my Macy's card",
    "is the Tylenol in my order part of the recall?",
    "the Hope St branch was closed during business hours",
    "bill pay isn't working on the app",
    "BILL PAY IS DOWN AGAIN",
    "the Grant Park parking pass I bought didn't scan",
    "I want to upgrade to the Chase Sapphire card",
    "my frequent flyer miles didn't post from the {city} trip",
    "did the summer sale end on {date}?",
    "June 1st is when my lease starts, can the install be then?",
    "the Dawn dish soap leaked all over the box",
    "Crystal Light packets arrived crushed",
    "my Ring doorbell went offline after the outage",
    "the amber light on the router keeps blinking",
    "I ordered the rose gold case and got silver",
    "the Salvation Army angel tree donation didn't go through",
    "i live in Prince George's County MD, is that in your service area?",
    "the Phoenix AZ store has the item but your site says out of stock",
    "the Sierra Nevada 12 pack was missing from my grocery order",
    "I moved to North Dakota, can I keep the same plan?",
    "Frank's RedHot was missing from my order too",
    "my Ray-Ban order came with a scratched lens",
    "you can mark this as resolved, thanks",
    "the Autumn collection sweater I ordered shrank",
    "my Joy-Con has stick drift, can I send it in",
    "my Genesis G70 lease payment didn't go through",
    "the Logitech Harmony remote stopped syncing",
    "Jackson Hewitt said my refund was sent to your bank on {date}",
    "the Ross store on {street} wouldn't honor the price",
    "Wells Fargo and Chase both say the money left, so where is it",
    "the Carter's baby clothes came in the wrong size",
    "I ordered Hunter boots and they sent sneakers",
    "Mason jars arrived broken, 4 out of 12",
    "my Lincoln Financial 401k rollover is stuck",
    "the Ford dealer says my warranty is expired",
    "Hey Siri isn't working since the update",
    "Casey's gas station charged me $100 pre-auth",
    "Sam's Club membership auto renewed without asking",
    "the Sally Beauty order never shipped",
    "will I get charged again if I reorder?",
    "the premium plan is too rich for my budget honestly",
    "can you grant me access to the shared account",
    "Bill is wrong again this month, it says {amt}",
    "Hope you can help, my card was declined",
    "Summer hours for the {city} store?",
    "i had to chase down the delivery guy to get my package",
    "ok so i will try again tmrw but if the bill still says {amt} i hope someone can chase this down bc im not paying it",
    "Thank you for contacting us! Is there anything else I can help you with today?",
    "I've escalated this to our Tier 2 team. You'll get an email at {email} within 48 hours.",
    "Account Holder and Authorized User have to both be present at the store?",
    "call me at {phone} after {time}",
    "tracking number {track} hasn't updated since {day}",
    "HBO Max is charging me even though I canceled",
    "Justice store at the mall said I have to contact you about the gift card",
    "the Precious Moments figurine arrived with the wing broken",
]


# ---------------------------------------------------------------- build
KINDS = {"first", "last", "full", "full_lower", "apos"}


def check(rec, values=None):
    """Spans well formed (see pii_chat_dev_records.check_record)."""
    check_record(rec, KINDS, values)


def build():
    RNG.seed(SEED)
    builder = RecordBuilder(fill=fill_without_values(fill), check=check, max_tries=200)
    assert len(FIRST_T) == 32 and len(LAST_T) == 15 and len(FULL_T) == 14
    assert len(FULL_LOWER_T) == 13 and len(APOS_T) == 15
    builder.add_templates(FIRST_T, "first", 5, "first")
    builder.add_templates(LAST_T, "last", 5, "last")
    builder.add_templates(FULL_T, "full", 5, "full")
    builder.add_templates(FULL_LOWER_T, "flow", 5, "full_lower")
    builder.add_templates(APOS_T, "apos", 5, "apos")
    assert len(NEG_T) == 126, len(NEG_T)
    builder.add_negatives(NEG_T)
    return builder.records


def main():
    run_main(build, count_negatives=False, n_samples=0)


if __name__ == "__main__":
    main()
