"""Development PII set "dev10": synthetic US customer-support chats with planted identifiers.

Written blind on 2026-12-07 as a DEVELOPMENT set: its authors did not open the scrubber's
code (pipelines/pii/), its tests (tests/pii/), docs/pii.md or any other bench module (the
held-out sets in particular), and ran no detector, scrubber, pipeline or test while writing
it. Only schemas/canonical.py and docs/ingestion.md were read, for the canonical shape. Its
misses are meant to be read to improve the scrubber; it is therefore NOT a held-out set.

What it contains: ``conversations(n, seed)`` draws ``n`` canonical conversations (the JSONL
shape of docs/ingestion.md, source "dev10", all on 2026-01-06) from 65 hand-written flows
(56 with identifiers, 9 clean) of seven fictional US consumer brands: a bank, a mobile
carrier, a food-delivery app, a streaming service, an airline, a power utility and an
insurer. A bot, sometimes a human agent after a handoff, asks for identifiers in many
phrasings (terse, formal, form-like, several questions in one turn, "for security, ..."),
and the customer answers in many ways (bare values, filler words, lower case, typos around
them, a mistyped value then its correction, two or more values in one turn, answers one or
two turns late after a question back, values volunteered unasked); bots and agents echo
some values back. 15% of the conversations are clean (no identifiers). Conversations also
carry non-personal numbers and capitalised words (prices, times, public flight numbers and
gates, promo codes, bank routing numbers, plan, product, store and brand names, sentence
openers such as "Will" or "Mark"), which are not recorded.

Planted values are returned per conversation as ``(slot_kind, entity_type, value)``:
entity types PERSON, PHONE, EMAIL, STREET_ADDRESS, DATE_OF_BIRTH, US_SSN, CREDENTIAL and
ACCOUNT_NUMBER; ``slot_kind`` names the kind of slot (``first_name``, ``zip``, ``otp``,
``card_last4``, ...), prefixed ``echo_`` when the value is a bot's or agent's echo. Each
value is the exact text of an event, at least 3 characters, occurs as a word only inside
planted slots of its conversation, and is listed once per conversation (case-insensitively).
A customer's mistyped value that is then corrected is planted as well (same slot kind).
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import faker

CLEAN_SHARE = 0.15
DAY = datetime(2026, 1, 6, tzinfo=UTC)
HOLE = "§"  # where a slot goes in a turn template

KIND_ETYPE: dict[str, str] = {
    "full_name": "PERSON",
    "first_name": "PERSON",
    "surname": "PERSON",
    "spouse_name": "PERSON",
    "child_name": "PERSON",
    "authorized_user": "PERSON",
    "recipient_name": "PERSON",
    "beneficiary_name": "PERSON",
    "phone": "PHONE",
    "email": "EMAIL",
    "street_address": "STREET_ADDRESS",
    "street_line": "STREET_ADDRESS",
    "unit": "STREET_ADDRESS",
    "zip": "STREET_ADDRESS",
    "dob": "DATE_OF_BIRTH",
    "ssn": "US_SSN",
    "ssn_last4": "US_SSN",
    "pin": "CREDENTIAL",
    "passcode": "CREDENTIAL",
    "password": "CREDENTIAL",
    "otp": "CREDENTIAL",
    "maiden_name": "CREDENTIAL",
    "pet_name": "CREDENTIAL",
    "first_car": "CREDENTIAL",
    "childhood_street": "CREDENTIAL",
    "birth_city": "CREDENTIAL",
    "favorite_teacher": "CREDENTIAL",
    "childhood_friend": "CREDENTIAL",
    "account_number": "ACCOUNT_NUMBER",
    "policy_number": "ACCOUNT_NUMBER",
    "member_id": "ACCOUNT_NUMBER",
    "account_last4": "ACCOUNT_NUMBER",
    "phone_last4": "ACCOUNT_NUMBER",
    "card_last4": "ACCOUNT_NUMBER",
    "meter_number": "ACCOUNT_NUMBER",
    "service_account": "ACCOUNT_NUMBER",
}

# Kinds whose answers customers often type in lower case.
WORDY = {
    "full_name",
    "first_name",
    "surname",
    "spouse_name",
    "child_name",
    "authorized_user",
    "recipient_name",
    "beneficiary_name",
    "maiden_name",
    "pet_name",
    "first_car",
    "childhood_street",
    "birth_city",
    "favorite_teacher",
    "childhood_friend",
    "street_line",
    "street_address",
}

# ---------------------------------------------------------------------------- word lists

WORD_FIRST = (
    "Summer", "Hunter", "Rich", "Faith", "Drew", "Sandy", "Hope", "Grace", "Joy", "Dawn",
    "April", "June", "Rose", "Penny", "Ruby", "Autumn", "Brook", "Chase", "Wade", "Cliff",
    "Dale", "Glen", "Miles", "Rusty", "Sunny", "Amber", "Crystal", "Destiny", "Melody",
    "River", "Bill", "Art", "Frank", "Grant", "Ray", "Pat", "Holly", "Ivy", "Olive",
    "Violet", "Hazel", "Daisy", "Ginger", "Misty", "Sterling", "Royal", "King", "Gene",
    "Carol", "Jack", "Robin", "Mark", "Will", "Jay", "Sky", "Honey", "Angel", "Star",
)  # fmt: skip
PUNCT_FIRST = (
    "D'Andre", "Mary-Kate", "Jo-Ann", "Anne-Marie", "Jean-Paul", "De'Shawn", "La'Keisha",
    "Mary-Beth", "Ja'Marr", "Shay-Lynn", "Ke'Andre", "Billy-Ray", "Le'Veon", "Amy-Lynn",
)  # fmt: skip
WORD_LAST = (
    "Baker", "Hunter", "Fox", "Rivers", "Young", "King", "Brown", "Green", "White", "Hill",
    "Stone", "Wood", "Lane", "Price", "Black", "Gray", "Bell", "Cook", "Fisher", "Sharp",
    "Strong", "Little", "Moody", "Church", "Love", "Bright", "Snow", "Frost", "Golden",
    "Walker", "Rich", "Story", "Means",
)  # fmt: skip
PUNCT_LAST = (
    "O'Brien", "O'Neil", "O'Connell", "D'Angelo", "D'Souza", "O'Malley", "O'Hara",
    "D'Amico", "O'Rourke", "St. John", "McAllister", "DeLuca", "MacKenzie", "Van Buren",
)  # fmt: skip
SUFFIXES = (" Jr.", " Sr.", " II", " III", " Jr", " IV")
AREA_CODES = (
    "212", "213", "214", "215", "216", "267", "301", "303", "305", "310", "312", "313",
    "314", "317", "404", "407", "410", "412", "414", "415", "425", "469", "480", "502",
    "503", "504", "512", "513", "515", "602", "614", "615", "617", "619", "626", "702",
    "703", "704", "713", "718", "720", "727", "773", "786", "801", "803", "804", "813",
    "816", "817", "832", "847", "858", "904", "916", "919", "925", "949", "952", "971",
)  # fmt: skip
DOMAINS = (
    "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
    "icloud.com", "aol.com", "comcast.net", "att.net", "protonmail.com", "me.com",
    "live.com", "msn.com", "sbcglobal.net", "verizon.net",
)  # fmt: skip
HANDLE_WORDS = ("sunny", "the", "its", "real", "mr", "mrs", "big", "lil", "just", "hey")
STREET_BASE = (
    "Oak", "Maple", "Cedar", "Elm", "Pine", "Washington", "Lincoln", "Park", "Lake",
    "Hillcrest", "Sunset", "Highland", "Ridgeview", "Meadow", "Forest", "Riverside",
    "Mill", "Spring", "Walnut", "Chestnut", "Jefferson", "Madison", "Franklin", "Willow",
    "Birch", "Cherry", "Magnolia", "Dogwood", "Hickory", "Sycamore", "Aspen", "Laurel",
    "Prospect", "Union", "Vine", "Orchard", "Valley", "Greenbrier", "Fairview", "Kingsley",
    "Brookside", "Stonegate", "Old Mill", "Cypress", "Juniper", "Peachtree", "Bluebonnet",
)  # fmt: skip
STREET_SUFFIX = (
    "St", "Street", "Ave", "Avenue", "Rd", "Road", "Dr", "Drive", "Ln", "Lane", "Blvd",
    "Ct", "Court", "Way", "Pl", "Terrace", "Circle", "Pkwy", "Trail", "St.", "Ave.",
)  # fmt: skip
DIRECTIONS = ("N", "S", "E", "W", "NE", "SW", "N.", "W.", "North", "East")
CITIES = (
    ("Columbus", "OH"), ("Austin", "TX"), ("Tucson", "AZ"), ("Raleigh", "NC"),
    ("Tampa", "FL"), ("Denver", "CO"), ("Omaha", "NE"), ("Madison", "WI"),
    ("Sacramento", "CA"), ("Portland", "OR"), ("Spokane", "WA"), ("Albany", "NY"),
    ("Richmond", "VA"), ("Nashville", "TN"), ("Louisville", "KY"), ("Des Moines", "IA"),
    ("Wichita", "KS"), ("Boise", "ID"), ("Reno", "NV"), ("Charleston", "SC"),
    ("Birmingham", "AL"), ("Little Rock", "AR"), ("Allentown", "PA"), ("Worcester", "MA"),
    ("Hartford", "CT"), ("Ann Arbor", "MI"), ("Naperville", "IL"), ("Fort Wayne", "IN"),
    ("Plano", "TX"), ("Mesa", "AZ"), ("Savannah", "GA"), ("Gainesville", "FL"),
    ("Provo", "UT"), ("Tacoma", "WA"), ("Eugene", "OR"), ("Fresno", "CA"),
    ("Baton Rouge", "LA"), ("Tulsa", "OK"), ("Knoxville", "TN"), ("Dayton", "OH"),
)  # fmt: skip
BIRTH_CITIES = (
    "Toledo", "Fresno", "Duluth", "Tulsa", "Scranton", "Boise", "El Paso", "Akron",
    "Dayton", "Savannah", "Spokane", "Lubbock", "Tacoma", "Peoria", "Knoxville", "Erie",
    "Flint", "Modesto", "Yonkers", "Syracuse", "Shreveport", "Amarillo", "Bakersfield",
    "San Juan", "Honolulu", "Anchorage", "Mobile", "Macon", "Joliet", "Pueblo",
)  # fmt: skip
PETS = (
    "Biscuit", "Rocky", "Bella", "Coco", "Pepper", "Oreo", "Ziggy", "Bandit", "Shadow",
    "Lucky", "Peanut", "Sadie", "Duke", "Gizmo", "Muffin", "Tigger", "Sparky", "Buster",
    "Rascal", "Snickers", "Pumpkin", "Mittens", "Cooper", "Luna", "Nugget", "Waffles",
    "Boomer", "Scout", "Pickles", "Mr. Whiskers", "Fluffy", "Taco", "Bubba", "Zeus",
)  # fmt: skip
CARS = (
    "Honda Civic", "Ford Taurus", "Toyota Corolla", "Chevy Cavalier", "Dodge Neon",
    "Nissan Sentra", "Jeep Cherokee", "VW Jetta", "Pontiac Grand Am", "Ford Escort",
    "Saturn Ion", "Mazda Protege", "Buick LeSabre", "Hyundai Elantra", "Toyota Camry",
    "Plymouth Voyager", "Chevy S-10", "Ford Ranger", "Geo Metro", "Oldsmobile Cutlass",
)  # fmt: skip
PASSWORD_WORDS = (
    "tacos", "sunflower", "pizza", "dragon", "buster", "soccer", "bluebird", "monkey",
    "pumpkin", "football", "cowboys", "princess", "sparkle", "butterfly", "rainbow",
    "yankees", "cheese", "coffee", "jellybean", "hotdog", "pineapple", "lakers",
)  # fmt: skip
MERCHANTS = (
    "Target", "Amazon", "Walmart", "Uber Eats", "Shell", "Best Buy", "Costco", "Apple.com",
    "Walgreens", "Home Depot", "Spotify", "DoorDash", "Sephora", "Lyft", "CVS",
)  # fmt: skip
RESTAURANTS = (
    "Chipotle", "Panda Express", "Sweetgreen", "Shake Shack", "Luigi's Pizzeria",
    "Taco Bell", "Five Guys", "Olive Garden", "Wingstop", "Golden Dragon", "Pho King Way",
)  # fmt: skip
CARRIERS = ("Verizon", "T-Mobile", "AT&T", "Mint Mobile", "Cricket", "Sprint")
AIRPORTS = (
    ("Denver", "DEN"), ("Boston", "BOS"), ("Chicago", "ORD"), ("Atlanta", "ATL"),
    ("Seattle", "SEA"), ("Phoenix", "PHX"), ("Dallas", "DFW"), ("Orlando", "MCO"),
    ("Newark", "EWR"), ("Las Vegas", "LAS"), ("Charlotte", "CLT"), ("Miami", "MIA"),
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip

BANK = "Harborline Bank"
CARRIER = "Vireo Wireless"
FOOD = "Forkful"
STREAM = "Reelhouse"
AIR = "Bluewing Airlines"
UTIL = "Tri-County Power & Light"
INS = "Keystone Mutual"

# ---------------------------------------------------------------------------- phrasings

GREETINGS = (
    "Hi! I'm the BRAND virtual assistant. What can I help you with today?",
    "Welcome to BRAND support. How can I help?",
    "Hello and thanks for contacting BRAND. Briefly describe your issue and I'll point you "
    "in the right direction.",
    "Hey there 👋 I'm BRAND's automated assistant. What brings you here today?",
    "BRAND Support: How can we help you today?",
    "Hi, you've reached BRAND. I'm a virtual agent and can help with most questions. "
    "What's going on?",
    "Good to see you! Ask me anything about your BRAND account.",
)
HANDOFF_BOT = (
    "Let me connect you with a specialist. Please hold on.",
    "I'm transferring you to a member of our team who can help with this.",
    "This one needs a human. Connecting you to an agent now, the wait is about 2 minutes.",
    "One moment while I find an available agent.",
    "I'll hand this over to our support team. They'll see everything we've discussed.",
)
AGENT_GREET = (
    "Hi, thanks for waiting! I've read through your chat.",
    "Hello, I'm with the support team and I'll take it from here.",
    "Hi there, I can help with that. Give me one moment to review.",
    "Thanks for your patience. I'm going to help you finish this up.",
    "Good afternoon! I've got your chat history in front of me.",
)
PREFIXES = (
    "For security, ",
    "Before I make any changes, ",
    "To verify your identity, ",
    "Thanks. ",
    "Great. ",
    "Okay. ",
    "Got it. ",
    "One more thing: ",
    "Next, ",
    "Perfect. ",
    "Sure! ",
    "To pull up your account, ",
)

ASK: dict[str, tuple[str, ...]] = {
    "full_name": (
        "Can I get your full name, please?",
        "What's the full name on the account?",
        "Full name:",
        "Who do I have the pleasure of chatting with? First and last name, please.",
        "Please enter the account holder's first and last name.",
        "Could you tell me the name the account is under?",
        "Name on the account?",
        "May I have your first and last name?",
        "I'll need the primary account holder's full legal name.",
        "Can you confirm your name exactly as it appears on your statement?",
        "name?",
    ),
    "first_name": (
        "What's your first name?",
        "And your first name?",
        "First name:",
        "What name should I call you?",
        "Can I get the first name on the account?",
        "Who am I chatting with? First name is fine.",
        "Before we start, what should I call you?",
    ),
    "surname": (
        "What's the last name on the account?",
        "Last name:",
        "Can you give me your surname?",
        "And the last name, please?",
        "Please confirm the account holder's last name.",
    ),
    "phone": (
        "What's the best phone number to reach you?",
        "Phone number on file?",
        "Mobile number:",
        "Can you confirm the phone number associated with your account?",
        "What number can we text updates to?",
        "Please provide the 10-digit mobile number on the account.",
        "Which number is this about?",
        "What's a good callback number in case we get disconnected?",
        "Phone:",
    ),
    "email": (
        "What email address is on the account?",
        "Email:",
        "Can I get the email you signed up with?",
        "Please confirm the email we have on file.",
        "What's your email? I'll send the confirmation there.",
        "Which email do you use to log in?",
        "What's the email address associated with your profile?",
    ),
    "street_address": (
        "What's the full address, including city, state, and ZIP?",
        "Address:",
        "Can you confirm the mailing address on your account?",
        "What address should we send it to?",
        "Please provide the street address, city, state and ZIP code.",
        "Where would you like it delivered? Full address please.",
    ),
    "street_line": (
        "What's the street address?",
        "Street address (no need for city/state):",
        "Which street address was it delivered to?",
        "What's the address on file? Just the street line is fine.",
        "Can you confirm the street address?",
    ),
    "unit": (
        "Is there an apartment or unit number?",
        "Apt/Unit #:",
        "What's the unit number?",
        "Any apartment, suite or unit number I should add?",
    ),
    "zip": (
        "What's the ZIP code on file?",
        "ZIP code:",
        "Can you confirm your billing ZIP?",
        "What's the 5-digit ZIP code on the account?",
        "What ZIP code are you in?",
        "zip?",
        "Please enter the ZIP code of the service address.",
    ),
    "dob": (
        "What's your date of birth?",
        "DOB (MM/DD/YYYY):",
        "Can you confirm your birthdate?",
        "Please provide your date of birth.",
        "And when were you born?",
        "Please enter the date of birth of the primary account holder.",
        "Date of birth:",
        "Can you verify your DOB for me?",
    ),
    "ssn": (
        "I'll need your Social Security number to run the credit check.",
        "SSN:",
        "Please provide your full Social Security number.",
        "Can you provide the nine-digit SSN?",
        "What's your social security number?",
    ),
    "ssn_last4": (
        "Can you confirm the last four digits of your Social Security number?",
        "Last 4 of SSN:",
        "What are the last 4 of your social?",
        "Please verify the last four of the primary account holder's SSN.",
        "I just need the last four of your SSN, not the whole number.",
    ),
    "pin": (
        "What's the 4-digit PIN on the account?",
        "PIN:",
        "Please enter your account PIN.",
        "Can you give me your account PIN?",
        "What's the security PIN you set up?",
        "Please type the account PIN so I can verify you.",
    ),
    "passcode": (
        "What's your account passcode?",
        "Account passcode:",
        "Please provide the passcode on the account.",
        "Can you confirm the verbal passcode we have on file?",
        "What's the passcode you set when you opened the account?",
    ),
    "otp": (
        "I just texted you a code. What is it?",
        "Verification code:",
        "Please enter the one-time code we sent to your email.",
        "Can you read me the code we just sent?",
        "Enter the code sent to your phone to continue.",
        "We emailed you a code a moment ago. Please type it here.",
        "What's the security code from the text message?",
    ),
    "maiden_name": (
        "What's your mother's maiden name?",
        "Security question: Mother's maiden name?",
        "Please answer your security question: what is your mother's maiden name?",
        "Can you confirm your mom's maiden name?",
    ),
    "pet_name": (
        "What was the name of your first pet?",
        "Security question: first pet's name?",
        "Please answer your security question: What was your first pet called?",
        "What was your first pet's name?",
    ),
    "first_car": (
        "What was the make and model of your first car?",
        "Security question: What was your first car?",
        "Please answer: what was the first car you owned?",
    ),
    "childhood_street": (
        "What street did you grow up on?",
        "Security question: Name of the street you grew up on?",
        "Please answer: on what street did you live as a child?",
    ),
    "birth_city": (
        "In what city were you born?",
        "Security question: City of birth?",
        "What city were you born in?",
    ),
    "favorite_teacher": (
        "Who was your favorite teacher?",
        "Security question: Name of your favorite teacher?",
        "Please answer: what was the last name of your favorite teacher?",
    ),
    "childhood_friend": (
        "What was the name of your best childhood friend?",
        "Security question: Childhood best friend's name?",
        "Please answer: who was your best friend growing up?",
    ),
    "account_number": (
        "What's the account number?",
        "Account #:",
        "Can you provide the account number you're asking about?",
        "Please enter your account number (you'll find it at the top of your statement).",
        "Which account number is this for?",
    ),
    "policy_number": (
        "What's your policy number?",
        "Policy #:",
        "Can you share the policy number?",
        "Please provide the policy number from your ID card.",
        "Which policy is this about? The number is on your declarations page.",
    ),
    "member_id": (
        "What's your member number?",
        "Member ID:",
        "Could you share your member ID?",
        "Can I get the member number on your profile?",
    ),
    "account_last4": (
        "Can you confirm the last four digits of the account number?",
        "Last 4 of the account:",
        "Which account is it? Just the last four digits, please.",
        "What are the last 4 digits of the account in question?",
    ),
    "phone_last4": (
        "What are the last four digits of the phone number on the account?",
        "Last 4 of your mobile number?",
        "Which line? Just give me the last four digits.",
    ),
    "card_last4": (
        "What are the last four digits of the card?",
        "Card ending in?",
        "Which card, can you give me the last 4 digits?",
        "Last four of the card:",
        "Can you confirm the last 4 of the card you used?",
    ),
    "meter_number": (
        "What's the meter number? It's printed on the meter face.",
        "Meter #:",
        "Can you read me the number on your meter?",
    ),
    "service_account": (
        "What's your service account number? It's on the top right of your bill.",
        "Service account #:",
        "Can you provide the account number from your utility bill?",
        "Which service account is this for?",
    ),
    "spouse_name": (
        "What's your spouse's full name?",
        "Name of your spouse:",
        "And what's your partner's name?",
    ),
    "child_name": (
        "What's your child's name?",
        "Who will be using it? First and last name, please.",
        "What name should go on it?",
    ),
    "authorized_user": (
        "What's the authorized user's full name?",
        "Authorized user's name (as it should appear on the card):",
        "Who would you like to add? Please give their first and last name.",
    ),
    "recipient_name": (
        "What's the recipient's name as it appears on their account?",
        "Recipient name:",
        "Who was the money sent to?",
    ),
    "beneficiary_name": (
        "Who would you like to name as the beneficiary? Full name please.",
        "Beneficiary's full legal name:",
        "What's the name of the person you'd like to add?",
    ),
}

LABEL: dict[str, str] = {
    "full_name": "full name",
    "first_name": "first name",
    "surname": "last name",
    "phone": "phone number",
    "email": "email address",
    "street_address": "full address",
    "street_line": "street address",
    "unit": "apartment number",
    "zip": "ZIP code",
    "dob": "date of birth",
    "ssn": "Social Security number",
    "ssn_last4": "last four of your SSN",
    "pin": "account PIN",
    "passcode": "account passcode",
    "otp": "verification code",
    "account_number": "account number",
    "policy_number": "policy number",
    "member_id": "member ID",
    "account_last4": "last four digits of the account",
    "phone_last4": "last four of the phone number on file",
    "card_last4": "last four digits of the card",
    "meter_number": "meter number",
    "service_account": "service account number",
}
FORM: dict[str, str] = {
    "full_name": "Full name",
    "first_name": "First name",
    "surname": "Last name",
    "phone": "Phone",
    "email": "Email",
    "street_address": "Address",
    "street_line": "Street",
    "unit": "Apt/Unit",
    "zip": "ZIP",
    "dob": "DOB",
    "ssn": "SSN",
    "ssn_last4": "SSN (last 4)",
    "pin": "PIN",
    "passcode": "Passcode",
    "otp": "Code",
    "account_number": "Account #",
    "policy_number": "Policy #",
    "member_id": "Member ID",
    "account_last4": "Account (last 4)",
    "phone_last4": "Phone (last 4)",
    "card_last4": "Card (last 4)",
    "meter_number": "Meter #",
    "service_account": "Service account #",
}
ASK2 = (
    "Can you confirm your {a} and {b}?",
    "I'll need your {a} and {b}, please.",
    "Please provide:\n{A}:\n{B}:",
    "To verify your identity, what are your {a} and {b}?",
    "For security, please send your {a} followed by your {b}.",
    "What's your {a}? And your {b}?",
    "Two quick things: your {a}, and your {b}.",
    "{A} and {b}, please.",
)

GENERIC_ANS = (
    "§",
    "§",
    "§",
    "§",
    "sure, §",
    "it's §",
    "its §",
    "yeah §",
    "ok §",
    "§ thanks",
    "§ thx",
    "umm §",
    "uh it's §",
    "§ i think",
    "that'd be §",
    "Sure thing, it's §",
    "yes §",
    "§.",
    "should be §",
    "ok so it's §",
    "hold on... §",
    "§ (hopefully that's right)",
    "ya its § sry typing on my phone",
    "lemme check.. §",
    "hi! §",
    "§ is that what you need?",
    "it is §",
    "Yes, it's §.",
)
ANS: dict[str, tuple[str, ...]] = {
    "full_name": ("my name is §", "this is §", "§ here", "it's under §", "name's §", "§ (primary)"),
    "first_name": ("i'm §", "§ :)", "you can call me §", "my first name is §", "It's §!"),
    "surname": ("last name §", "it's under §", "§ is the last name", "surname is §"),
    "phone": ("my number is §", "cell is §", "you can reach me at §", "§ that's my cell"),
    "email": ("my email is §", "§ is my email", "i use §", "it's § i think", "email is §"),
    "dob": ("born §", "dob §", "§ is my birthday", "my birthday is §", "DOB: §", "i was born §"),
    "ssn": ("my ssn is §", "§ is my social", "social is §", "SSN §", "ok it's §"),
    "ssn_last4": ("last four are §", "§ are the last 4", "last 4 is §", "ssn ends in §"),
    "pin": ("pin is §", "the pin is §", "§ is my pin", "I think it's §"),
    "passcode": ("passcode is §", "i think i set it to §", "§ is the passcode", "try §"),
    "otp": ("code is §", "got it, §", "§ is the code", "the code says §", "ok it's §"),
    "zip": ("zip is §", "§ zip", "ZIP: §", "it's §"),
    "unit": ("§", "it's §", "oh yeah § sorry", "§ on the 2nd floor"),
    "street_line": ("§", "i live at §", "it's § ", "address is §"),
    "street_address": ("§", "ship it to §", "my address is §", "§ thanks"),
    "account_number": ("account number is §", "acct §", "it's §", "§ is the account #"),
    "policy_number": ("policy # §", "it's §", "§ i think", "policy number is §"),
    "member_id": ("§", "member # is §", "it's §", "my number is §"),
    "account_last4": ("ends in §", "last four are §", "§", "it ends with §"),
    "card_last4": ("ends in §", "§", "card ending §", "it's the one ending in §"),
    "phone_last4": ("§", "it ends in §", "last 4 are §"),
    "meter_number": ("§", "meter says §", "it says § on the front"),
    "service_account": ("§", "acct # §", "it's §", "account number is §"),
    "maiden_name": ("§", "it's §", "her maiden name was §", "§ i believe"),
    "pet_name": ("§", "§ lol", "my dog §", "it was §", "§ the cat"),
    "first_car": ("a §", "my old §", "§ lol", "it was a §", "§"),
    "childhood_street": ("§", "we lived on §", "it's §", "§ i think"),
    "birth_city": ("§", "born in §", "§ originally", "it's §"),
    "favorite_teacher": ("Mrs. §", "mr §", "Ms. § (4th grade)", "§", "it was Mr. §", "coach §"),
    "childhood_friend": ("§", "my best friend was §", "that's §", "§ from down the street"),
}
LATE = (
    ("why do you need that?", "It's only used to verify that you're the account holder."),
    ("is this chat secure?", "Yes, this conversation is encrypted and only used for support."),
    ("sorry one sec, my kid is yelling", "No rush at all."),
    ("is that really necessary??", "I understand. It's required before I can make changes."),
    ("can't you just look me up by my email", "I'm afraid I need this to verify you first."),
    ("hmm let me think", "Take your time."),
)
# Question-backs that only make sense for a number printed on a card, bill or statement.
LATE_DOC = (
    ("hang on, let me grab it", "No problem, take your time."),
    ("do you need the whole thing?", "Yes please, the complete number so I can match it."),
    ("where do I find that?", "It's on your statement, or in the app under Profile."),
)
DOC_KINDS = {
    "account_number",
    "policy_number",
    "member_id",
    "service_account",
    "meter_number",
    "ssn",
}
LATE_ANS = ("ok fine, §", "ok here: §", "§", "alright. §", "ok. it's §", "fine. §")
FIX_SAME = (
    "§... wait no, §",
    "§ sorry typo, §",
    "§ - no wait, it's §",
    "§ oops i mean §",
    "§\nsorry, §",
    "§ no §",
)
FIX_NEXT = ("sorry typo, it's §", "wait, that's wrong. §", "*§", "correction: §", "oops, §")
TWO = (
    "§, §",
    "§ / §",
    "§ and §",
    "§\n§",
    "sure: §, §",
    "§ - §",
    "ok § and §",
    "§. §",
    "it's §, §",
)
ECHO: dict[str, tuple[str, ...]] = {
    "first_name": (
        "Thanks, §!",
        "Thank you, §. One moment while I pull up the account.",
        "Got it, §.",
        "Hi §, nice to meet you.",
        "Perfect, thanks § - I've found your profile.",
        "Thanks §, you're verified.",
    ),
    "surname": (
        "Thank you, Ms. §.",
        "Thanks, Mr. §.",
        "I have the account under §.",
        "Thanks, I see a profile for §.",
    ),
    "card_last4": ("I've located the card ending in §.", "Okay, the card ending § is selected."),
    "account_last4": (
        "I see the account ending in §.",
        "Thanks, that's the checking account ending §.",
    ),
    "phone_last4": ("I'll text a code to the number ending in §.", "I see the line ending in §."),
    "email": ("I've sent a confirmation to §.", "Updated: receipts will go to § from now on."),
    "phone": ("Great, I've saved § as your contact number.", "We'll text § when it's on the way."),
    "zip": ("Thanks, the ZIP § matches what we have.",),
}
CLOSE_ASK = (
    "Is there anything else I can help with?",
    "Anything else today?",
    "You're all set. Anything else I can do for you?",
    "Is there anything else on your mind?",
)
CLOSE_CUST = (
    "no that's it, thanks",
    "nope, thank you!",
    "that's all",
    "no, that was it",
    "all good 👍",
    "No. Thanks for the help",
)
CLOSE_BYE = (
    "Thanks for contacting BRAND. Have a great day!",
    "Take care!",
    "Happy to help. Goodbye!",
    "Thank you for choosing BRAND.",
)


@dataclass(frozen=True)
class Slot:
    """One planted value as it is typed in a turn."""

    kind: str
    etype: str
    value: str


class _Redraw(Exception):
    """A drawn value breaks a planted-value rule: draw the conversation again."""


Turn = tuple[str, str, list[tuple[int, int]], str | None]


class Conv:
    """One conversation being written: its turns, their slot spans and the persona."""

    def __init__(self, rng: random.Random, fake: faker.Faker) -> None:
        self.r = rng
        self.f = fake
        self.turns: list[Turn] = []
        self.planted: list[tuple[str, str, str]] = []
        self.staff = "bot"
        self.agent_id: str | None = None
        self.intent = "general_question"
        self.brand = ""
        self.cache: dict[str, str] = {}
        self.first = self.first_name()
        self.last = self.surname()
        mid = f" {rng.choice(string.ascii_uppercase)}." if rng.random() < 0.1 else ""
        suffix = rng.choice(SUFFIXES) if rng.random() < 0.1 else ""
        self.full = f"{self.first}{mid} {self.last}{suffix}"
        self.city, self.state = rng.choice(CITIES)
        self.zip = fake.zipcode_in_state(self.state)

    # -- randomness
    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def digits(self, k: int) -> str:
        return str(self.r.randint(1, 9)) + "".join(str(self.r.randint(0, 9)) for _ in range(k - 1))

    def money(self, lo: int, hi: int) -> str:
        x = self.r.randint(lo * 100, hi * 100) / 100
        return f"${x:,.2f}" if self.chance(0.7) else f"${round(x):,}"

    def clock(self) -> str:
        h, m = self.r.randint(1, 12), self.r.choice((0, 5, 10, 15, 20, 30, 40, 45, 50, 55))
        return self.pick((f"{h}:{m:02d} PM", f"{h}:{m:02d} AM", f"{h}:{m:02d}pm", f"{h}:{m:02d}"))

    # -- values
    def first_name(self) -> str:
        x = self.r.random()
        if x < 0.3:
            return self.pick(WORD_FIRST)
        if x < 0.38:
            return self.pick(PUNCT_FIRST)
        while len(name := self.f.first_name()) < 3:
            pass
        return name

    def surname(self) -> str:
        x = self.r.random()
        if x < 0.12:
            return self.pick(WORD_LAST)
        if x < 0.22:
            return self.pick(PUNCT_LAST)
        if x < 0.27:
            return f"{self.f.last_name()}-{self.f.last_name()}"
        while len(name := self.f.last_name()) < 3:
            pass
        return name

    def other_full(self, same_last: bool = False) -> str:
        last = self.last if same_last else self.surname()
        suffix = self.pick(SUFFIXES) if self.chance(0.12) else ""
        return f"{self.first_name()} {last}{suffix}"

    def phone(self) -> str:
        area = self.pick(AREA_CODES)
        ex = str(self.r.randint(200, 989))
        while ex[1:] == "11":
            ex = str(self.r.randint(200, 989))
        line = f"{self.r.randint(0, 9999):04d}"
        fmt = self.pick(
            (
                "({a}) {e}-{n}",
                "({a}) {e}-{n}",
                "{a}-{e}-{n}",
                "{a}-{e}-{n}",
                "{a}.{e}.{n}",
                "{a}{e}{n}",
                "+1 {a} {e} {n}",
                "1-{a}-{e}-{n}",
                "{a} {e} {n}",
                "+1{a}{e}{n}",
                "+1 ({a}) {e}-{n}",
                "({a}){e}-{n}",
                "{a} {e}-{n}",
                "1 ({a}) {e} {n}",
            )
        )
        return fmt.format(a=area, e=ex, n=line)

    def email(self, first: str | None = None, last: str | None = None) -> str:
        fn = re.sub(r"[^a-z]", "", (first or self.first).lower())
        ln = re.sub(r"[^a-z]", "", (last or self.last).lower())
        yy = f"{self.r.randint(60, 99)}"
        local = self.pick(
            (
                f"{fn}.{ln}",
                f"{fn[0]}{ln}",
                f"{fn}{ln}{yy}",
                f"{fn}_{ln}",
                f"{ln}.{fn}",
                f"{fn}{self.r.randint(1, 999)}",
                f"{fn[0]}.{ln}{self.r.randint(1, 99)}",
                f"{self.pick(HANDLE_WORDS)}{fn}{yy}",
                f"{fn}.{ln}{self.r.randint(1975, 2005)}",
                f"{ln}{fn[0]}{self.r.randint(1, 9)}",
                f"{self.pick(PASSWORD_WORDS)}{fn}",
            )
        )
        mail = f"{local}@{self.pick(DOMAINS)}"
        return mail[0].upper() + mail[1:] if self.chance(0.08) else mail

    def street_line(self) -> str:
        if self.chance(0.2):
            return str(self.f.street_address()).replace("\n", " ")
        num = str(
            self.r.choice(
                (self.r.randint(1, 99), self.r.randint(100, 9999), self.r.randint(10000, 29999))
            )
        )
        d = f"{self.pick(DIRECTIONS)} " if self.chance(0.2) else ""
        return f"{num} {d}{self.pick(STREET_BASE)} {self.pick(STREET_SUFFIX)}"

    def unit(self) -> str:
        n = self.r.randint(1, 24)
        letter = self.pick(tuple("ABCDEFGH"))
        return self.pick(
            (
                f"Apt {n}{letter}",
                f"Apt. {self.r.randint(10, 999)}",
                f"Unit {self.r.randint(2, 40)}",
                f"#{self.r.randint(10, 999)}",
                f"Suite {self.r.randint(100, 450)}",
                f"apt {n}{letter.lower()}",
                f"Unit {letter}{n}",
                f"Apartment {self.r.randint(10, 320)}",
            )
        )

    def zip_code(self) -> str:
        z = self.zip
        return f"{z}-{self.r.randint(1000, 9999)}" if self.chance(0.15) else z

    def full_address(self) -> str:
        line, unit, z = self.value("street_line"), self.value("unit"), self.zip_code()
        city, st = self.city, self.state
        fmt = self.r.randint(0, 5)
        if fmt == 0:
            return f"{line}, {unit}, {city}, {st} {z}"
        if fmt == 1:
            return f"{line} {unit}\n{city}, {st} {z}"
        if fmt == 2:
            return f"{line}, {city} {st} {z}"
        if fmt == 3:
            return f"{line.lower()} {city.lower()} {st.lower()} {z}"
        if fmt == 4:
            return f"{line} {city}, {st}, {z}"
        return f"{line}, {unit}, {city} {st}"

    def dob(self, lo: int = 1946, hi: int = 2006) -> str:
        y, m, d = self.r.randint(lo, hi), self.r.randint(1, 12), self.r.randint(1, 28)
        month = MONTHS[m - 1]
        ordinal = f"{d}{'st' if d in (1, 21) else 'nd' if d in (2, 22) else 'rd' if d in (3, 23) else 'th'}"
        return self.pick(
            (
                f"{m:02d}/{d:02d}/{y}",
                f"{m}/{d}/{y}",
                f"{m}/{d}/{y % 100:02d}",
                f"{month} {d}, {y}",
                f"{month[:3]} {d} {y}",
                f"{d} {month} {y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{y}{m:02d}{d:02d}",
                f"{m}-{d}-{y}",
                f"{m:02d}.{d:02d}.{y}",
                f"{month.lower()} {ordinal} {y}",
                f"{month} {ordinal}, {y}",
                f"{m:02d}{d:02d}{y}",
                f"{m:02d}-{d:02d}-{y % 100:02d}",
            )
        )

    def ssn(self) -> str:
        area = self.r.randint(1, 665)
        area = 667 if area == 666 else area
        a, g, s = f"{area:03d}", f"{self.r.randint(1, 99):02d}", f"{self.r.randint(1, 9999):04d}"
        return self.pick(
            (f"{a}-{g}-{s}", f"{a}-{g}-{s}", f"{a} {g} {s}", f"{a}{g}{s}", f"{a}.{g}.{s}")
        )

    def last4(self) -> str:
        return f"{self.r.randint(0, 9999):04d}"

    def password(self) -> str:
        w = self.pick(PASSWORD_WORDS)
        w2 = self.pick(PASSWORD_WORDS)
        sym = self.pick(("!", "#", "$", "@", "*", "!!"))
        n = self.r.randint(1, 99)
        return self.pick(
            (
                f"{w.capitalize()}4ever{sym}",
                f"{w}{n}",
                f"{w.capitalize()}{sym}{self.r.randint(1970, 2012)}",
                f"{w}{w2.capitalize()}{n}",
                f"i<3{w}{n}",
                f"{w.upper()}{n}{sym}",
                f"{w.capitalize()}{n}{sym}",
                f"{w}_{w2}_{n}",
            )
        )

    def otp(self) -> str:
        x = self.r.random()
        if x < 0.55:
            return self.digits(6) if self.chance(0.8) else f"{self.r.randint(0, 999999):06d}"
        if x < 0.7:
            return self.digits(4)
        if x < 0.8:
            return self.digits(8)
        alnum = string.ascii_uppercase + string.digits
        while True:
            code = "".join(self.r.choice(alnum) for _ in range(self.r.randint(6, 8)))
            if re.search(r"\d", code) and re.search(r"[A-Z]", code):
                return code

    def account_number(self) -> str:
        k = self.r.randint(8, 17)
        raw = self.digits(k)
        if self.chance(0.2) and k >= 10:
            return " ".join(raw[i : i + 4] for i in range(0, k, 4))
        return raw

    def policy_number(self) -> str:
        return self.pick(
            (
                f"KM-{self.digits(8)}",
                f"KM{self.digits(9)}",
                f"HO-{self.digits(4)}-{self.digits(4)}-0{self.r.randint(1, 9)}",
                f"P{self.digits(10)}",
                f"AUT {self.digits(4)} {self.digits(4)} {self.digits(2)}",
                f"km-{self.digits(8)}",
                f"LF{self.digits(7)}",
            )
        )

    def member_id(self, prefix: str = "") -> str:
        alnum = string.ascii_uppercase + string.digits
        body = "".join(self.r.choice(alnum) for _ in range(self.r.randint(6, 8)))
        body = body[:2] + str(self.r.randint(0, 9)) + body[3:]
        pre = prefix or self.pick(("C", "M", "HB", "FK", "ID", ""))
        return self.pick((f"{pre}{body}", f"{pre}-{body}", f"{pre}{body}".lower()))

    def meter_number(self) -> str:
        return self.pick(
            (
                self.digits(8),
                self.digits(10),
                f"M{self.digits(8)}",
                f"{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
            )
        )

    def service_account(self) -> str:
        d = self.digits(12)
        return self.pick((d, f"{d[:4]} {d[4:8]} {d[8:]}", f"{d[:4]}-{d[4:8]}-{d[8:]}", d[:10]))

    def value(self, kind: str) -> str:
        """The conversation's value for ``kind`` (drawn once, then reused)."""
        if kind not in self.cache:
            self.cache[kind] = self._draw(kind)
        return self.cache[kind]

    def _draw(self, kind: str) -> str:
        draws: dict[str, Callable[[], str]] = {
            "full_name": lambda: self.full,
            "first_name": lambda: self.first,
            "surname": lambda: self.last,
            "spouse_name": lambda: self.other_full(same_last=self.chance(0.5)),
            "child_name": lambda: self.first_name() if self.chance(0.6) else self.other_full(True),
            "authorized_user": lambda: self.other_full(same_last=self.chance(0.4)),
            "recipient_name": self.other_full,
            "beneficiary_name": lambda: self.other_full(same_last=self.chance(0.5)),
            "phone": self.phone,
            "email": self.email,
            "street_address": self.full_address,
            "street_line": self.street_line,
            "unit": self.unit,
            "zip": self.zip_code,
            "dob": self.dob,
            "ssn": self.ssn,
            "ssn_last4": lambda: (
                re.sub(r"\D", "", self.cache["ssn"])[-4:] if "ssn" in self.cache else self.last4()
            ),
            "pin": lambda: self.digits(self.r.choice((4, 4, 4, 6, 5))),
            "passcode": lambda: (
                self.digits(self.r.randint(4, 8)) if self.chance(0.6) else self.password()
            ),
            "password": self.password,
            "otp": self.otp,
            "maiden_name": self.surname,
            "pet_name": lambda: self.pick(PETS),
            "first_car": lambda: self.pick(CARS),
            "childhood_street": lambda: f"{self.pick(STREET_BASE)} {self.pick(STREET_SUFFIX)}",
            "birth_city": lambda: self.pick(BIRTH_CITIES),
            "favorite_teacher": self.surname,
            "childhood_friend": lambda: (
                self.first_name() if self.chance(0.5) else f"{self.first_name()} {self.surname()}"
            ),
            "account_number": self.account_number,
            "policy_number": self.policy_number,
            "member_id": lambda: self.member_id(
                {AIR: "BW", FOOD: "FK", BANK: "HB"}.get(self.brand, "")
            ),
            "account_last4": lambda: re.sub(r"\D", "", self.value("account_number"))[-4:],
            "phone_last4": lambda: re.sub(r"\D", "", self.value("phone"))[-4:],
            "card_last4": self.last4,
            "meter_number": self.meter_number,
            "service_account": self.service_account,
        }
        return draws[kind]()

    def typo(self, kind: str, value: str) -> str | None:
        """A mistyped variant of ``value`` (a neighbouring-key slip), or None."""
        chars = list(value)
        idx = [
            i
            for i in range(len(chars) - 1)
            if chars[i].isalnum()
            and chars[i + 1].isalnum()
            and chars[i].lower() != chars[i + 1].lower()
            and (i > 0 or chars[i].isdigit())
        ]
        if kind == "email":
            at = value.index("@")
            idx = [i for i in idx if i + 1 < at]
        if not idx:
            return None
        i = self.r.choice(idx)
        if self.chance(0.6):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            del chars[i]
        wrong = "".join(chars)
        if len(wrong) < 3 or wrong.lower() == value.lower():
            return None
        return wrong

    # -- turns
    def s(self, kind: str, value: str) -> Slot:
        if len(value) < 3 or value != value.strip():
            raise _Redraw
        return Slot(kind, KIND_ETYPE[kind.removeprefix("echo_")], value)

    def say(self, actor: str, template: str, *slots: Slot | str) -> None:
        parts = template.split(HOLE)
        if len(parts) != len(slots) + 1:
            raise ValueError(f"template {template!r} wants {len(parts) - 1} slots")
        text, spans = parts[0], []
        for slot, tail in zip(slots, parts[1:], strict=True):
            if isinstance(slot, Slot):
                spans.append((len(text), len(text) + len(slot.value)))
                self.planted.append((slot.kind, slot.etype, slot.value))
                text += slot.value
            else:
                text += slot
            text += tail
        self.turns.append((actor, text, spans, self.agent_id if actor == "agent" else None))

    def bot(self, template: str, *slots: Slot | str) -> None:
        self.say("bot", template, *slots)

    def cust(self, template: str, *slots: Slot | str) -> None:
        self.say("customer", template, *slots)

    def staff_say(self, template: str, *slots: Slot | str) -> None:
        self.say(self.staff, template, *slots)

    def greet(self, brand: str) -> None:
        self.brand = brand
        self.bot(self.pick(GREETINGS).replace("BRAND", brand))

    def handoff(self) -> None:
        if self.turns[-1][0] != "bot":
            self.bot(self.pick(HANDOFF_BOT))
        self.agent_id = f"agent-{self.r.randint(1, 180):03d}"
        self.staff = "agent"
        self.agent(self.pick(AGENT_GREET))

    def agent(self, template: str, *slots: Slot | str) -> None:
        self.say("agent", template, *slots)

    def close(self) -> None:
        if self.chance(0.8):
            self.staff_say(self.pick(CLOSE_ASK))
            self.cust(self.pick(CLOSE_CUST))
        self.staff_say(self.pick(CLOSE_BYE).replace("BRAND", self.brand))

    def qa(self, pairs: tuple[tuple[str, str], ...]) -> None:
        """The customer asks one of these follow-ups and gets its answer."""
        q, reply = self.r.choice(pairs)
        self.cust(q)
        self.staff_say(reply)

    # -- asking and answering
    def ask(self, kind: str) -> None:
        phrase = self.pick(ASK[kind])
        if not phrase.endswith(":") and len(phrase.split()) >= 4 and self.chance(0.3):
            pre = self.pick(PREFIXES)
            if pre.endswith((", ", ": ")) and not phrase.startswith(("I ", "I'")):
                phrase = phrase[0].lower() + phrase[1:]
            phrase = pre + phrase
        self.staff_say(phrase)

    def ask2(self, k1: str, k2: str) -> bool:
        """Ask for two values in one turn; True if it was a form."""
        tpl = self.pick(ASK2)
        self.staff_say(tpl.format(a=LABEL[k1], b=LABEL[k2], A=FORM[k1], B=FORM[k2]))
        return "\n" in tpl

    def answer_tpl(self, kind: str) -> str:
        if kind in ANS and self.chance(0.5):
            return self.pick(ANS[kind])
        return self.pick(GENERIC_ANS)

    def styled(self, kind: str, value: str) -> str:
        if kind in WORDY and self.chance(0.22):
            return value.lower()
        return value

    def give(
        self,
        kind: str,
        value: str | None = None,
        *,
        late: bool = True,
        fix: bool = True,
        other: bool = False,
    ) -> Slot:
        """The customer answers the question just asked; returns the final (correct) slot.

        ``other``: the value is someone else's (a child's birthday), so no "my birthday is".
        """
        tpl = self.pick(GENERIC_ANS) if other else self.answer_tpl(kind)
        value = self.styled(kind, value if value is not None else self.value(kind))
        x = self.r.random()
        if late and x < 0.12:
            pool = [x for x in LATE if kind != "email" or "email" not in x[0]]
            if kind in DOC_KINDS:
                pool += LATE_DOC
            for q, reply in self.r.sample(pool, 2 if self.chance(0.3) else 1):
                self.cust(q)
                self.staff_say(reply)
            slot = self.s(kind, value)
            found = ("found it: §", "got it, §") if kind in DOC_KINDS else ()
            self.cust(self.pick(LATE_ANS + found), slot)
            return slot
        wrong = self.typo(kind, value) if fix and x < 0.24 else None
        if wrong is not None:
            bad, slot = self.s(kind, wrong), self.s(kind, value)
            if self.chance(0.5):
                self.cust(self.pick(FIX_SAME), bad, slot)
            else:
                self.cust(tpl, bad)
                self.cust(self.pick(FIX_NEXT), slot)
            return slot
        slot = self.s(kind, value)
        self.cust(tpl, slot)
        return slot

    def give2(self, k1: str, k2: str, form: bool = False) -> tuple[Slot, Slot]:
        x = self.r.random()
        if x < 0.2:
            a = self.give(k1, late=False)
            self.staff_say(
                self.pick(
                    ("Thanks. And your {}?", "Got it. What about your {}?", "And the {}?")
                ).format(LABEL[k2])
            )
            return a, self.give(k2)
        a = self.s(k1, self.styled(k1, self.value(k1)))
        b = self.s(k2, self.styled(k2, self.value(k2)))
        if form or x < 0.3:
            sep = self.pick((": ", ":", " - ", ": "))
            self.cust(f"{FORM[k1]}{sep}{HOLE}\n{FORM[k2]}{sep}{HOLE}", a, b)
        else:
            self.cust(self.pick(TWO), a, b)
        return a, b

    def verify(self, k1: str, k2: str) -> tuple[Slot, Slot]:
        if self.chance(0.5):
            form = self.ask2(k1, k2)
            return self.give2(k1, k2, form)
        self.ask(k1)
        a = self.give(k1)
        self.ask(k2)
        return a, self.give(k2)

    def verify_one(self) -> Slot:
        """One more verification question, drawn from what support desks ask."""
        x = self.r.random()
        if x < 0.45:
            kind = self.pick(
                (
                    "maiden_name",
                    "pet_name",
                    "first_car",
                    "childhood_street",
                    "birth_city",
                    "favorite_teacher",
                    "childhood_friend",
                )
            )
            if self.chance(0.5):
                self.staff_say(
                    self.pick(
                        (
                            "I also need the answer to your security question.",
                            "Please answer the security question on your profile.",
                            "One security question before we go on.",
                        )
                    )
                )
        elif x < 0.7:
            kind = "ssn_last4"
        elif x < 0.82:
            kind = "phone"
        else:
            kind = self.pick(("pin", "passcode", "dob", "zip"))
        self.ask(kind)
        return self.give(kind)

    def collect(self, kind: str) -> Slot:
        self.ask(kind)
        return self.give(kind)

    def echo(self, kind: str, value: str | None = None) -> None:
        value = value if value is not None else self.value(kind)
        self.staff_say(self.pick(ECHO[kind]), self.s(f"echo_{kind}", value))

    def echo_first(self, p: float = 0.5) -> None:
        if self.chance(p):
            self.echo("first_name", self.first)


# ---------------------------------------------------------------------------- flows
# Each flow writes one conversation. Flows with identifiers come first, clean ones after.


def f_bank_lock_card(c: Conv) -> None:
    c.intent = "lock_card"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "I think I lost my debit card, can you lock it?",
                "need to freeze my card asap",
                "My wallet got stolen at the gym. Please block my card!",
                "lock card",
                "Hi, I can't find my Harborline debit card anywhere. Can I turn it off for now?",
            )
        )
    )
    c.staff_say(
        c.pick(
            (
                "I can help you lock your card right away.",
                "Sorry to hear that. Let's get it locked first.",
                "No problem, I can place a temporary lock.",
            )
        )
    )
    c.verify("full_name", "dob")
    c.echo_first(0.4)
    if c.chance(0.5):
        c.verify_one()
    c.ask("card_last4")
    v = c.give("card_last4")
    c.staff_say(
        c.pick(
            (
                "Done. The card ending in § is now locked.",
                "All set: I've locked the card ending §. Nothing can be charged to it until you unlock it.",
            )
        ),
        c.s("echo_card_last4", v.value),
    )
    c.qa(
        (
            (
                "Will a new one come in the mail?",
                "Yes, a replacement will arrive in 5-7 business days.",
            ),
            (
                f"thanks. there's also a {c.money(20, 120)} charge at Target I don't recognize",
                "I've flagged it; our disputes team will email you within 2 business days.",
            ),
            ("ok great", "You can unlock it anytime in the app under Card Controls."),
            (
                "Mark it as lost please, not just locked",
                "Done: reported lost, and a replacement is on its way.",
            ),
        )
    )
    c.close()


def f_bank_dispute(c: Conv) -> None:
    c.intent = "dispute_charge"
    c.greet(BANK)
    merchant, amt = c.pick(MERCHANTS), c.money(12, 900)
    c.cust(
        c.pick(
            (
                f"There's a charge from {merchant} for {amt} that I didn't make",
                f"i see a {amt} {merchant} purchase on my checking and it wasnt me",
                f"Hello. I need to dispute a transaction: {merchant}, {amt}, posted Dec 28.",
            )
        )
    )
    c.bot(
        c.pick(
            (
                "I'm sorry about that. Disputes are handled by our card services team, let me bring someone in.",
                "I can get a specialist to help you file a dispute.",
            )
        )
    )
    c.handoff()
    c.collect("ssn_last4")
    z = c.collect("zip")
    if c.chance(0.3):
        c.echo("zip", z.value)
    c.staff_say(
        f"Thank you, you're verified. I see the {merchant} charge of {amt} from Dec 28. Did you still have your card when it happened?"
    )
    c.cust(
        c.pick(
            (
                "yes it's in my wallet",
                "Yes. Will I get my money back?",
                "no idea honestly",
                "Yeah, I still have it",
            )
        )
    )
    c.staff_say(
        f"I've filed the dispute and issued a provisional credit of {amt}. You'll see it in 1-2 business days."
    )
    c.close()


def f_bank_authorized_user(c: Conv) -> None:
    c.intent = "add_authorized_user"
    c.greet(BANK)
    rel = c.pick(("wife", "husband", "partner", "daughter", "son", "mom"))
    c.cust(
        c.pick(
            (
                f"I want to add my {rel} as an authorized user on my credit card",
                f"how do i add my {rel} to my Harborline Rewards Visa",
                f"Can my {rel} get a card on my account?",
            )
        )
    )
    c.staff_say("Sure! First I need to verify you.")
    c.collect("full_name")
    c.echo_first(0.4)
    c.ask("authorized_user")
    au = c.give("authorized_user")
    c.staff_say(
        c.pick(
            (
                "What's their date of birth?",
                "Thanks. Their DOB?",
                f"And your {rel}'s date of birth?",
            )
        )
    )
    c.give("dob", c.dob(1950, 2007), other=True)
    c.staff_say(
        c.pick(
            (
                "We're required to collect their Social Security number as well.",
                "Last step: their SSN, please.",
                "Please enter the authorized user's Social Security number.",
            )
        )
    )
    c.give("ssn", c.ssn(), other=True)
    first_au = au.value.split()[0]
    if c.chance(0.6):
        first_au = first_au[0].upper() + first_au[1:]
        c.staff_say(
            c.pick(
                (
                    "Done! § will receive a card in 7-10 business days.",
                    "§ has been added. Their card will arrive in about a week.",
                )
            ),
            c.s("echo_authorized_user", first_au),
        )
    else:
        c.staff_say("Done! Their card will arrive in 7-10 business days.")
    c.close()


def f_bank_reset_password(c: Conv) -> None:
    c.intent = "online_banking_locked"
    c.greet(BANK)
    if c.chance(0.5):
        pw = c.s("password", c.value("password"))
        c.cust(
            c.pick(
                (
                    "I'm locked out of online banking. I typed § like 5 times and it says wrong password",
                    "my password § stopped working??",
                    "Locked out. pretty sure my password is § but it won't take it",
                )
            ),
            pw,
        )
        c.staff_say(
            "For your safety, please never share your password in chat. Let's reset it instead."
        )
    else:
        c.cust(
            c.pick(
                (
                    "I'm locked out of online banking",
                    "forgot my password",
                    "can't log in to the app",
                )
            )
        )
        c.staff_say("I can help you reset your password.")
    c.staff_say(
        c.pick(
            (
                "I'll send a one-time code to the phone number ending in §. Is that still your number?",
                "I'm texting a code to your mobile ending §.",
            )
        ),
        c.s("echo_phone_last4", c.value("phone_last4")),
    )
    c.cust(c.pick(("yes", "yep", "yes thats me", "Yes, go ahead")))
    c.collect("otp")
    if c.chance(0.5):
        c.collect("ssn_last4")
    c.staff_say("Thanks, you're verified. Tap the link I just sent to choose a new password.")
    if c.chance(0.4):
        c.cust("ok new one is § right?", c.s("password", c.password()))
        c.staff_say(
            "Please don't type it here, just enter it on the reset page. It needs 12 characters."
        )
    c.close()


def f_bank_transfer(c: Conv) -> None:
    c.intent = "transfer_status"
    c.greet(BANK)
    amt = c.money(100, 5000)
    rel = c.pick(("my brother", "my landlord", "a friend", "my sister", "my roommate"))
    c.cust(
        c.pick(
            (
                f"I sent {amt} to {rel} yesterday and it hasn't arrived",
                f"where is my transfer?? {amt} to {rel}",
                f"Hello, a transfer of {amt} I made on Monday is still pending.",
            )
        )
    )
    c.staff_say(
        c.pick(
            (
                "What's the recipient's account number?",
                "Receiving account #:",
                "Which account did you send it to? The full account number, please.",
            )
        )
    )
    c.give("account_number")
    if c.chance(0.6):
        c.verify_one()
    c.ask("recipient_name")
    c.give("recipient_name")
    if c.chance(0.5):
        c.staff_say(
            "I see the transfer to the account ending §.",
            c.s("echo_account_last4", c.value("account_last4")),
        )
    c.staff_say(
        f"Thanks. The transfer of {amt} was sent at {c.clock()} and should post by 5 PM ET today. External transfers can take 1-3 business days."
    )
    c.qa(
        (
            ("ok thanks", "You'll get a push notification when it posts."),
            ("Will it show up before the weekend?", "Yes, it should post by Friday at the latest."),
            ("ugh fine", "I understand the wait is frustrating. I've added a note to monitor it."),
        )
    )
    c.close()


def f_bank_address_change(c: Conv) -> None:
    c.intent = "update_address"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "I moved and need to update my address",
                "change of address please",
                "How do I change my mailing address? The app keeps erroring.",
            )
        )
    )
    c.bot("I'll connect you with someone who can update that.")
    c.handoff()
    c.verify("full_name", "dob")
    c.staff_say(
        c.pick(
            (
                "What's the new address?",
                "Please type the new mailing address, including ZIP.",
                "Where should we send your statements now?",
            )
        )
    )
    c.give("street_address")
    c.ask("phone")
    c.give("phone")
    c.staff_say(
        "All updated. It can take one statement cycle for the change to show on paper statements."
    )
    c.close()


def f_bank_security_questions(c: Conv) -> None:
    c.intent = "identity_verification"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "I need to raise my daily ATM limit",
                "want to increase my Zelle limit",
                "can you unlock my savings account",
            )
        )
    )
    c.staff_say(
        "I can help with that. Before we continue, please answer the security question on your profile."
    )
    k1, k2 = c.r.sample(("maiden_name", "pet_name", "birth_city", "childhood_street"), 2)
    c.ask(k1)
    c.give(k1, c._draw(k1))
    if c.chance(0.5):
        c.staff_say("Hmm, that doesn't match our records. Let's try another question.")
        c.ask(k2)
        c.give(k2)
    c.staff_say(f"Thank you, you're verified. Your new daily limit is {c.money(1000, 3000)}.")
    c.close()


def f_carrier_port_out(c: Conv) -> None:
    c.intent = "number_transfer_pin"
    c.greet(CARRIER)
    other = c.pick(CARRIERS)
    c.cust(
        c.pick(
            (
                f"I'm switching to {other}, need my transfer PIN",
                f"{other} says I need a number transfer pin from you guys",
                "how do i get a port out pin",
            )
        )
    )
    c.staff_say("I can generate a Number Transfer PIN for you.")
    c.verify("phone", "pin")
    if c.chance(0.4):
        c.collect("ssn_last4")
    acct = c.value("account_number")
    c.staff_say(
        c.pick(
            (
                "Your Number Transfer PIN is § and it's valid for 7 days. Your account number is §.",
                "Here you go. Transfer PIN: §\nAccount number: §",
            )
        ),
        c.s("pin", c.digits(6)),
        c.s("account_number", acct),
    )
    c.cust(c.pick(("thanks. Will I be charged for the rest of the month?", "ok", "thank you!!")))
    c.staff_say("Your final bill will be prorated to the day the transfer completes.")
    c.close()


def f_carrier_sim_swap(c: Conv) -> None:
    c.intent = "replace_sim"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "my sim card stopped working, need a new one",
                "Need to move my number to an eSIM on my new iPhone 16",
                "phone says no SIM",
            )
        )
    )
    c.bot("SIM changes need an agent for security reasons.")
    c.handoff()
    c.ask("ssn_last4")
    c.give("ssn_last4")
    if c.chance(0.5):
        c.verify_one()
    c.collect("passcode")
    c.staff_say(
        c.pick(
            (
                "Thanks. Your new eSIM is activating on the line ending in §. Restart your phone in 5 minutes.",
                "Verified. I've pushed the eSIM to the line ending §.",
            )
        ),
        c.s("echo_phone_last4", c.value("phone_last4")),
    )
    c.close()


def f_carrier_bill_form(c: Conv) -> None:
    c.intent = "bill_question"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "why is my bill higher this month",
                "Bill went up by $15??",
                "question about my December bill",
            )
        )
    )
    form = "\n".join(
        (
            c.pick(("Please fill in:", "To look at your bill I need:", "Sure, please provide:")),
            "Mobile number:",
            "Account PIN:",
            "Billing ZIP:",
        )
    )
    c.staff_say(form)
    ph, pin, z = (
        c.s("phone", c.value("phone")),
        c.s("pin", c.value("pin")),
        c.s("zip", c.zip_code()),
    )
    style = c.r.randint(0, 2)
    if style == 0:
        c.cust(f"Mobile number: {HOLE}\nAccount PIN: {HOLE}\nBilling ZIP: {HOLE}", ph, pin, z)
    elif style == 1:
        c.cust("§ / § / §", ph, pin, z)
    else:
        c.cust("§", ph)
        c.cust(c.pick(("pin § zip §", "§ and §")), pin, z)
    c.staff_say(
        f"Thanks! Your bill of {c.money(60, 190)} is due Jan 15. The extra $15.00 is the Unlimited Plus upgrade from Dec 3."
    )
    c.qa(
        (
            ("oh right. Mark that as ok then", "Noted. Your next bill will look the same."),
            (
                "I never asked for Unlimited Plus",
                "I'm sorry! I've moved you back to Unlimited Starter and credited the $15.00.",
            ),
            ("ok that makes sense", "Glad I could clear that up."),
        )
    )
    c.close()


def f_carrier_add_line(c: Conv) -> None:
    c.intent = "add_line"
    c.greet(CARRIER)
    kid = c.pick(("son", "daughter", "kid", "stepson"))
    c.cust(
        c.pick(
            (
                f"want to add a line for my {kid}",
                f"Can I add my {kid} to my plan? he/she is 12",
                f"adding a line for my {kid}, how much is it",
            )
        )
    )
    c.staff_say("Happy to help! A Kids Connect line is $25/mo with unlimited talk and text.")
    c.collect("phone_last4" if c.chance(0.5) else "account_number")
    c.ask("child_name")
    child = c.give("child_name")
    name = child.value.split()[0]
    name = name[0].upper() + name[1:]
    c.staff_say(
        c.pick(
            (
                "§'s line is ready to activate. The SIM ships today.",
                "Great, I've added a line for §. The SIM will arrive in 2-3 days.",
            )
        ),
        c.s("echo_child_name", name),
    )
    c.close()


def f_carrier_lost_phone(c: Conv) -> None:
    c.intent = "lost_phone"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "my phone was stolen, the number is §",
                "Lost my phone at the airport. Number: §",
                "please suspend § it got stolen",
            )
        ),
        c.s("phone", c.value("phone")),
    )
    c.staff_say("I'm sorry. I'll suspend the line so nobody can use it.")
    c.collect("account_number")
    c.staff_say(
        c.pick(
            (
                "If you have device protection, I can email you the claim link. What email should I use?",
                "Where should I send the insurance claim form?",
            )
        )
    )
    em = c.give("email")
    c.echo("email", em.value)
    c.close()


def f_food_missing_item(c: Conv) -> None:
    c.intent = "missing_item"
    c.greet(FOOD)
    rest = c.pick(RESTAURANTS)
    c.cust(
        c.pick(
            (
                f"my {rest} order is missing a drink",
                f"Order from {rest} came without the fries",
                "missing item in my order",
            )
        )
    )
    c.collect("email")
    if c.chance(0.4):
        c.verify_one()
    c.echo_first(0.3)
    c.staff_say(
        f"Thanks! I found your order from {rest} at {c.clock()}. I've refunded {c.money(2, 12)} to your original payment method."
    )
    c.qa(
        (
            ("thank you", "Enjoy the rest of your meal!"),
            ("Will it be back on my card today?", "Card refunds take 3-5 business days to appear."),
            (
                "can I get Forkful credit instead",
                "Done: I've switched it to Forkful credit, available now.",
            ),
        )
    )
    c.close()


def f_food_wrong_address(c: Conv) -> None:
    c.intent = "wrong_delivery_address"
    c.greet(FOOD)
    mine = c.s("street_line", c.styled("street_line", c.value("street_line")))
    theirs = c.s("street_line", c.street_line())
    c.cust(
        c.pick(
            (
                "the driver left my food at § but I live at §",
                "delivered to § instead of §!!",
                "Hi, my order went to § and I'm at §",
            )
        ),
        theirs,
        mine,
    )
    c.staff_say("I'm so sorry about that. Is there an apartment or unit number we should add?")
    unit = c.give("unit")
    c.staff_say(
        c.pick(
            ("I've added § to your saved address so drivers see it.", "Updated: drop-off is now §.")
        ),
        c.s("echo_unit", unit.value),
    )
    c.staff_say(f"I've also issued a {c.money(5, 30)} credit.")
    c.close()


def f_food_hacked(c: Conv) -> None:
    c.intent = "account_compromised"
    c.greet(FOOD)
    if c.chance(0.6):
        c.cust(
            c.pick(
                (
                    "someone ordered 3 meals on my account!! my password was §, I never changed it",
                    "I think I got hacked. There's orders I didn't place. Password was § if that matters",
                )
            ),
            c.s("password", c.value("password")),
        )
        c.staff_say("I'm sorry. Please don't share your password here. Let's secure your account.")
    else:
        c.cust("there are orders on my account that aren't mine")
        c.staff_say("Let's secure your account right away.")
    c.ask("email")
    em = c.give("email")
    c.staff_say(
        c.pick(
            (
                "We sent a code to §. What is it?",
                "I've emailed a verification code to §. Please type it here.",
            )
        ),
        c.s("echo_email", em.value),
    )
    c.give("otp")
    c.staff_say("Thanks. I've signed out all devices and refunded the 3 orders.")
    if c.chance(0.4):
        c.cust("should i make the new password §?", c.s("password", c.password()))
        c.staff_say("Pick something you don't use anywhere else, and keep it private.")
    c.close()


def f_food_phone_update(c: Conv) -> None:
    c.intent = "update_phone"
    c.greet(FOOD)
    old = c.s("phone", c.phone())
    c.cust(
        c.pick(
            (
                "I got a new number, my old one was §",
                "drivers keep calling § which isn't my number anymore",
            )
        ),
        old,
    )
    form = c.ask2("full_name", "phone")
    c.give2("full_name", "phone", form)
    c.staff_say("Updated! Drivers will now contact you at the new number.")
    c.close()


def f_stream_billing_card(c: Conv) -> None:
    c.intent = "double_charge"
    c.greet(STREAM)
    c.cust(
        c.pick(
            (
                "I was charged twice for Premium 4K ($22.99)",
                "double charged this month",
                "two charges of $15.49 on my card from Reelhouse",
            )
        )
    )
    c.collect("email")
    if c.chance(0.5):
        c.verify_one()
    c.ask("card_last4")
    v = c.give("card_last4")
    if c.chance(0.6):
        c.echo("card_last4", v.value)
    c.staff_say("I see the duplicate charge. I've refunded it; it takes 3-5 business days.")
    c.close()


def f_stream_kid_profile(c: Conv) -> None:
    c.intent = "kids_profile"
    c.greet(STREAM)
    kid = c.s("child_name", c.styled("child_name", c.first_name()))
    c.cust(
        c.pick(
            (
                "how do I make a profile for my daughter §",
                "can § (my son, 7) get his own profile with only kids shows",
                "setting up a profile for § - how do i lock it to PG",
            )
        ),
        kid,
    )
    c.staff_say("Go to Profiles > Add Profile, and turn on Kids (7+).")
    c.cust(c.pick(("it asks for a PIN", "done. it wants a pin to exit kids mode?")))
    c.staff_say("That's the profile lock PIN. Choose 4 digits only you know.")
    if c.chance(0.5):
        c.cust("ok i used §", c.s("pin", c.digits(4)))
        c.staff_say("Great. Please don't share that PIN with anyone, including us.")
    name = kid.value[0].upper() + kid.value[1:]
    c.staff_say("§'s profile is ready!", c.s("echo_child_name", name))
    c.close()


def f_stream_shared_account(c: Conv) -> None:
    c.intent = "unrecognized_device"
    c.greet(STREAM)
    c.cust(
        c.pick(
            (
                "someone in Ohio is watching on my account",
                "there's a device I don't know signed in, Samsung TV",
                "I think my ex is still using my account",
            )
        )
    )
    c.verify("surname", "zip")
    c.staff_say("I've signed out all other devices. I recommend changing your password now.")
    if c.chance(0.6):
        c.cust(
            c.pick(("done, I changed it to §. is that strong enough?", "ok changed to §")),
            c.s("password", c.value("password")),
        )
        c.staff_say(
            "Thanks, but please never post passwords in chat. I can't see it on our side anyway."
        )
    c.close()


def f_stream_login_otp(c: Conv) -> None:
    c.intent = "login_help"
    c.greet(STREAM)
    c.cust(
        c.pick(
            ("can't sign in on my Roku", "login code isn't working", "it keeps asking me to verify")
        )
    )
    c.collect("email")
    if c.chance(0.4):
        c.verify_one()
    c.staff_say("We've emailed a verification code to that address.")
    if c.chance(0.35):
        a, b = c.s("otp", c.otp()), c.s("otp", c.otp())
        c.cust("i got two codes? § and §", a, b)
        c.staff_say("Use the newest one, the second.")
        c.cust("ok that worked")
    else:
        c.ask("otp")
        c.give("otp")
        c.staff_say("You're signed in. Enjoy!")
    c.close()


def f_air_missing_miles(c: Conv) -> None:
    c.intent = "missing_miles"
    c.greet(AIR)
    flight = f"BW {c.r.randint(100, 2999)}"
    c.cust(
        c.pick(
            (
                f"My miles from flight {flight} on Dec 19 never posted",
                "missing miles",
                f"didn't get credit for {flight}",
            )
        )
    )
    c.ask("member_id")
    mid = c.give("member_id", c.member_id("BW"))
    sur = c.collect("surname")
    if c.chance(0.3):
        c.echo("surname", sur.value[0].upper() + sur.value[1:])
    c.collect("dob")
    if c.chance(0.4):
        c.verify_one()
    miles = f"{c.r.randint(300, 4800):,}"
    c.staff_say(
        c.pick(
            (
                f"Thanks. I've credited {miles} miles to account §.",
                f"Found it: {flight} was missing. {miles} miles added to §.",
            )
        ),
        c.s("echo_member_id", mid.value),
    )
    c.close()


def f_air_name_correction(c: Conv) -> None:
    c.intent = "name_correction"
    c.greet(AIR)
    right = c.full
    wrong = c.typo("full_name", right) or c.other_full()
    c.cust(
        c.pick(
            (
                "my ticket says § but my passport says §",
                "Name is misspelled on my booking: § should be §",
            )
        ),
        c.s("full_name", wrong),
        c.s("full_name", right),
    )
    c.bot("Name corrections are done by an agent. Connecting you now.")
    c.handoff()
    c.collect("dob")
    c.staff_say(
        f"Thank you. I've corrected the name on your reservation. Flight BW {c.r.randint(100, 2999)} departs at {c.clock()} from gate {c.pick(('B14', 'C7', 'A22', 'D3'))}."
    )
    c.close()


def f_air_companion(c: Conv) -> None:
    c.intent = "add_companion"
    c.greet(AIR)
    rel = c.pick(("husband", "wife", "partner", "fiance"))
    c.cust(
        c.pick(
            (
                f"I want to add my {rel} to my booking",
                f"can my {rel} sit with me on the Orlando flight",
                "add companion to trip",
            )
        )
    )
    c.collect("member_id")
    sp = c.s("spouse_name", c.styled("spouse_name", c.value("spouse_name")))
    mid2 = c.s("member_id", c.member_id("BW"))
    c.staff_say(
        "Sure. Who's traveling with you? If they're a Bluewing Miles member, include their number."
    )
    c.cust(c.pick((f"my {rel} §, member number §", "§ and the number is §", "§ / §")), sp, mid2)
    c.staff_say(
        f"Added! Seats 14A and 14B are together. The fare difference is {c.money(80, 400)}."
    )
    c.close()


def f_air_bag_delivery(c: Conv) -> None:
    c.intent = "delayed_bag"
    c.greet(AIR)
    city, code = c.r.choice(AIRPORTS)
    c.cust(
        c.pick(
            (
                f"my bag didn't show up in {city}",
                f"Bag missing after flight to {code}",
                "lost luggage",
            )
        )
    )
    c.staff_say(
        f"Good news: your bag is on the next flight into {code}, landing at {c.clock()}. We can deliver it."
    )
    c.ask("street_address")
    c.give("street_address")
    c.ask("phone")
    ph = c.give("phone")
    if c.chance(0.5):
        c.echo("phone", ph.value)
    c.close()


def f_util_start_service(c: Conv) -> None:
    c.intent = "start_service"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "I'm moving and need to start electric service",
                "start service at new place on 1/15",
                "new apartment, need power turned on",
            )
        )
    )
    c.verify("full_name", "dob")
    c.ask("ssn")
    if c.chance(0.3):
        c.cust("can I do it without my SSN?")
        c.staff_say(
            f"Yes, with a {c.money(150, 300)} deposit instead. Or I can run a soft credit check with your SSN."
        )
        c.give("ssn", late=False)
    else:
        c.give("ssn")
    c.collect("street_address")
    c.collect("phone")
    c.staff_say("Service will be on by 5 PM on the start date. No technician visit needed.")
    c.close()


def f_util_meter(c: Conv) -> None:
    c.intent = "meter_reading"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "my bill says estimated reading, want to give the actual one",
                "meter reading is way off",
                f"why is my bill {c.money(200, 500)} this month",
            )
        )
    )
    c.collect("service_account")
    if c.chance(0.6):
        c.verify_one()
    c.collect("meter_number")
    c.staff_say("What does the display show?")
    c.cust(f"{c.r.randint(10000, 99999)} kWh")
    c.staff_say(
        "Thanks, I've submitted the actual reading. A corrected bill will be issued in 2-3 days."
    )
    c.close()


def f_util_payment_plan(c: Conv) -> None:
    c.intent = "payment_arrangement"
    c.greet(UTIL)
    bal = c.money(150, 900)
    c.cust(
        c.pick(
            (
                f"I can't pay the full {bal} right now",
                "need a payment plan",
                "can I split my bill into payments",
            )
        )
    )
    c.bot("Payment arrangements are handled by our billing team.")
    c.handoff()
    c.collect("service_account")
    c.collect("ssn_last4")
    if c.chance(0.4):
        c.verify_one()
    c.staff_say(
        f"Thank you. Your balance is {bal}. I can split it into 4 monthly installments added to your regular bill."
    )
    c.cust(c.pick(("yes please", "Will that stop the disconnect notice?", "ok do it")))
    c.staff_say("Done. The disconnect notice is cancelled.")
    c.close()


def f_util_autopay(c: Conv) -> None:
    c.intent = "setup_autopay"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "set up autopay from my checking",
                "I want autopay",
                "how do I pay automatically from my bank",
            )
        )
    )
    c.collect("service_account")
    acct = c.s("account_number", c.account_number())
    routing = c.pick(("021000021", "026009593", "121000248", "011401533"))
    c.staff_say("Which bank account should we draft from?")
    c.cust(
        c.pick(
            (
                f"checking at Chase, routing {routing}, account §",
                f"routing {routing} acct §",
                f"Bank of America, account number § routing {routing}",
            )
        ),
        acct,
    )
    c.staff_say(
        c.pick(
            (
                "And the name on that bank account?",
                "Account holder name (as it appears at your bank):",
                "Whose name is the checking account in?",
            )
        )
    )
    c.give("full_name")
    c.staff_say(f"Autopay is set. Your first draft of {c.money(40, 250)} will be on Jan 20.")
    c.close()


def f_ins_claim_status(c: Conv) -> None:
    c.intent = "claim_status"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "what's the status of my claim",
                "checking on hail damage claim from Jan 2",
                "Has my claim been approved yet?",
            )
        )
    )
    c.collect("policy_number")
    if c.chance(0.5):
        c.verify_one()
    c.verify("surname", "dob")
    c.staff_say(
        f"Your claim is approved for {c.money(800, 9000)}. Payment goes out within 5 business days."
    )
    c.close()


def f_ins_add_driver(c: Conv) -> None:
    c.intent = "add_driver"
    c.greet(INS)
    kid, pro = c.r.choice((("son", "him"), ("daughter", "her")))
    c.cust(
        c.pick(
            (
                f"need to add my {kid} to my auto policy, just got {'his' if pro == 'him' else 'her'} license",
                f"add a teen driver ({kid})",
                f"my {kid} turned 16, how much to add {pro}",
            )
        )
    )
    c.collect("policy_number")
    c.staff_say(
        c.pick(
            (
                "What's the new driver's full name?",
                "New driver's full name, as on the license:",
                "Who are we adding? First and last name please.",
            )
        )
    )
    child = c.give("child_name", c.other_full(same_last=True))
    c.staff_say(c.pick(("And their date of birth?", "Their DOB, please:", "When were they born?")))
    c.give("dob", c.dob(2008, 2010), other=True)
    name = child.value.split()[0]
    c.staff_say(
        "Thanks! Adding § increases your premium by about $96 a month. A Good Student discount may apply.",
        c.s("echo_child_name", name[0].upper() + name[1:]),
    )
    c.close()


def f_ins_login_security(c: Conv) -> None:
    c.intent = "account_recovery"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "I forgot my login and the email is an old one",
                "can't get into my Keystone account",
                "locked out of the app",
            )
        )
    )
    c.staff_say("I can verify you with your security questions.")
    ks = c.r.sample(
        (
            "first_car",
            "favorite_teacher",
            "childhood_friend",
            "childhood_street",
            "birth_city",
            "pet_name",
        ),
        2,
    )
    for k in ks:
        c.ask(k)
        c.give(k)
    c.staff_say("Thanks, that matches. What email should we use for your login from now on?")
    c.give("email")
    c.staff_say("Done. Check that inbox for a link to set a new password.")
    c.close()


def f_ins_beneficiary(c: Conv) -> None:
    c.intent = "update_beneficiary"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "want to change the beneficiary on my life policy",
                "update beneficiary",
                "I got married, need to add my spouse to my life insurance",
            )
        )
    )
    c.collect("policy_number")
    c.collect("beneficiary_name")
    c.staff_say(c.pick(("What's their date of birth?", "Beneficiary DOB:")))
    c.give("dob", c.dob(1950, 2024), other=True)
    if c.chance(0.5):
        c.staff_say("Their SSN is optional but speeds up a future claim. Would you like to add it?")
        c.give("ssn", c.ssn(), other=True)
    c.staff_say("Updated. You'll receive a confirmation letter within 10 days.")
    c.close()


def f_ins_roadside(c: Conv) -> None:
    c.intent = "roadside_assistance"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "flat tire need help",
                "my car won't start, I have roadside on my policy",
                "need a tow",
            )
        )
    )
    c.collect("policy_number")
    if c.chance(0.4):
        c.verify_one()
    c.collect("phone")
    c.staff_say(
        f"A truck is on the way, ETA {c.r.randint(25, 70)} minutes. The driver will call you. Towing up to 15 miles is covered."
    )
    c.qa(
        (
            (
                "can they take it to the Midas on Route 1",
                "Yes, that's within the covered distance.",
            ),
            ("Will they call first?", "Yes, the driver calls about 10 minutes before arriving."),
            ("thanks", "Stay safe, and stay with your vehicle if you can."),
        )
    )
    c.close()


def f_volunteer_opening(c: Conv) -> None:
    c.intent = c.pick(("billing_question", "cancel_service", "refund_request"))
    c.greet(c.pick((BANK, CARRIER, FOOD, STREAM, UTIL)))
    full, ph = c.s("full_name", c.styled("full_name", c.full)), c.s("phone", c.value("phone"))
    if c.chance(0.5):
        em = c.s("email", c.value("email"))
        c.cust(
            c.pick(
                (
                    "Hi, this is § (§, §). I was double charged last month.",
                    "§ here. phone § email § - please cancel my subscription",
                    "name: §\nphone: §\nemail: §\nI want a refund for the December charge",
                )
            ),
            full,
            ph,
            em,
        )
    else:
        c.cust(
            c.pick(
                (
                    "Hi, this is §, my number is §. I was double charged.",
                    "§ here, § - please cancel my service",
                    "Hello my name is § and my phone number is § I need a refund",
                )
            ),
            full,
            ph,
        )
    c.staff_say("Thanks for the details! I'll take a look.")
    c.echo_first(0.6)
    c.staff_say(f"I see the duplicate charge of {c.money(9, 99)}. I've refunded it.")
    c.close()


def f_email_change(c: Conv) -> None:
    c.intent = "update_email"
    c.greet(c.pick((BANK, STREAM, FOOD, INS)))
    c.cust(
        c.pick(
            (
                "need to change my email",
                "I don't use my old email anymore",
                "update email address pls",
            )
        )
    )
    c.staff_say(
        c.pick(
            (
                "What's the email currently on the account?",
                "Sure. Old email first:",
                "Current email on file?",
            )
        )
    )
    c.give("email", c.email())
    c.staff_say(c.pick(("And the new one?", "New email:", "What's the new email address?")))
    new = c.give("email")
    c.staff_say("I've sent a code to §. Please enter it here.", c.s("echo_email", new.value))
    c.give("otp")
    c.staff_say("Verified! Your email has been updated.")
    c.close()


def f_late_dob(c: Conv) -> None:
    c.intent = "account_access"
    c.greet(c.pick((BANK, INS, UTIL)))
    c.cust(c.pick(("need to check my balance", "what's my payoff amount", "how much do I owe")))
    c.ask("dob")
    c.cust(c.pick(("why?", "why do you need my birthday", "ugh")))
    c.staff_say("We verify identity before sharing account details.")
    c.cust(c.pick(("fine", "I don't like giving that out", "can't you use something else?")))
    c.staff_say("I understand. It's the only way I can continue in chat.")
    c.cust(c.pick(("born §", "ok. dob §", "§", "fine, §")), c.s("dob", c.value("dob")))
    c.staff_say(f"Thanks! Your current balance is {c.money(100, 4000)}.")
    c.close()


def f_agent_multi(c: Conv) -> None:
    c.intent = "account_update"
    c.greet(c.pick((BANK, CARRIER, UTIL, INS)))
    c.cust(c.pick(("I need to talk to a person", "agent", "representative please")))
    c.handoff()
    c.staff_say(
        c.pick(
            (
                "To get started, can you confirm your name, address, phone number and the last 4 of your SSN?",
                "Please confirm:\n- Name\n- Address\n- Phone\n- Last 4 of SSN",
            )
        )
    )
    n = c.s("full_name", c.styled("full_name", c.full))
    a = c.s("street_address", c.value("street_address"))
    p = c.s("phone", c.value("phone"))
    ss = c.s("ssn_last4", c.value("ssn_last4"))
    if c.chance(0.5):
        c.cust("§\n§\n§\n§", n, a, p, ss)
    else:
        c.cust("§, §", n, a)
        c.cust("§ and last 4 §", p, ss)
    c.echo_first(0.5)
    c.staff_say("Thank you. What can I help you with?")
    c.cust(
        c.pick(
            (
                "I want to go paperless",
                "Mark my account as do not call",
                "need a copy of last year's statement",
            )
        )
    )
    c.staff_say("Done!")
    c.close()


def f_passcode_reset(c: Conv) -> None:
    c.intent = "reset_passcode"
    c.greet(c.pick((CARRIER, BANK)))
    c.cust(
        c.pick(
            ("I forgot my account passcode", "forgot my pin", "need to reset the security passcode")
        )
    )
    c.verify("dob", "ssn_last4")
    c.staff_say(
        c.pick(
            (
                "Thanks, you're verified. What would you like the new passcode to be?",
                "Verified. Please type your new 4-8 digit passcode.",
            )
        )
    )
    c.give("passcode", c.digits(c.r.randint(4, 8)), late=False, fix=False)
    c.staff_say("Your passcode has been updated.")
    c.close()


def f_bank_joint_account(c: Conv) -> None:
    c.intent = "open_joint_account"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "my wife and I want a joint checking account",
                "how do i add my husband to my checking",
                "joint account with my spouse",
            )
        )
    )
    c.collect("account_last4")
    c.echo("account_last4")
    c.ask("spouse_name")
    c.give("spouse_name")
    c.staff_say("Their phone and email, please. We'll send them an invitation to finish signing.")
    p = c.s("phone", c.phone())
    e = c.s("email", c.email(last=c.last))
    c.cust(c.pick(("§ and §", "phone §, email §", "§\n§")), p, e)
    c.staff_say("Sent! Once they accept, the account becomes joint.")
    c.close()


def f_carrier_upgrade(c: Conv) -> None:
    c.intent = "device_upgrade"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "am I eligible for an upgrade?",
                "want the new Galaxy S25",
                "can I upgrade my phone early",
            )
        )
    )
    c.ask("phone")
    c.give("phone")
    c.collect("pin")
    if c.chance(0.5):
        c.verify_one()
    c.staff_say(
        f"You're eligible! The Galaxy S25 is $0 down and {c.money(20, 45)}/mo for 36 months."
    )
    c.cust(c.pick(("ship it to my house", "ok send it to me")))
    c.collect("street_line")
    if c.chance(0.5):
        c.collect("unit")
    c.collect("zip")
    c.staff_say("Order placed. It ships in 1-2 days.")
    c.close()


def f_food_courier_apply(c: Conv) -> None:
    c.intent = "courier_application"
    c.greet(FOOD)
    c.cust(
        c.pick(
            (
                "I applied to deliver and it's stuck on background check",
                "courier application status?",
                "signed up to be a driver, still pending",
            )
        )
    )
    c.bot("I'll connect you with our courier support team.")
    c.handoff()
    c.verify("full_name", "email")
    c.staff_say(
        "For the background check, can you confirm your date of birth and the last 4 of your SSN?"
    )
    d, s = c.s("dob", c.value("dob")), c.s("ssn_last4", c.value("ssn_last4"))
    c.cust(c.pick(("§ and §", "dob § last 4 §", "§, §")), d, s)
    c.staff_say(
        "Thanks, the check was stuck on a typo. It's resubmitted and usually clears in 3-5 days."
    )
    c.close()


def f_stream_gift(c: Conv) -> None:
    c.intent = "gift_subscription"
    c.greet(STREAM)
    c.cust(
        c.pick(
            (
                "I want to gift a subscription to my mom",
                "can I buy Reelhouse for my sister",
                "gift card for my dad?",
            )
        )
    )
    c.staff_say(
        f"You can gift 3, 6 or 12 months. 12 months of Standard is {c.money(99, 180)}. Who's it for? We'll email them the gift."
    )
    rn = c.s("recipient_name", c.styled("recipient_name", c.other_full()))
    em = c.s("email", c.email(rn.value.split()[0], rn.value.split()[-1]))
    c.cust(c.pick(("§, §", "it's for § at §", "name § email §")), rn, em)
    c.staff_say("Perfect! The gift will arrive on the date you pick.")
    c.close()


def f_air_known_traveler(c: Conv) -> None:
    c.intent = "update_traveler_profile"
    c.greet(AIR)
    c.cust(
        c.pick(
            (
                "how do I update my profile before my flight",
                "need to update my traveler info",
                "my profile has the wrong birthday",
            )
        )
    )
    c.collect("member_id")
    c.ask("dob")
    c.give("dob")
    if c.chance(0.5):
        c.verify_one()
    c.staff_say("Thanks. Anything else to update? I can change phone or emergency contact.")
    if c.chance(0.5):
        c.cust(
            "emergency contact is my § §, §",
            c.pick(("partner", "spouse", "sister", "brother", "roommate")),
            c.s("spouse_name", c.value("spouse_name")),
            c.s("phone", c.phone()),
        )
    else:
        c.cust("new phone § please", c.s("phone", c.value("phone")))
    c.staff_say(f"Updated. Have a great flight on BW {c.r.randint(100, 2999)}!")
    c.close()


def f_util_transfer_service(c: Conv) -> None:
    c.intent = "transfer_service"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "I'm moving across town, transfer my service",
                "need to stop service at my old place and start at the new one",
            )
        )
    )
    c.collect("service_account")
    c.staff_say("What's the new address?")
    c.give("street_line")
    c.collect("zip")
    c.staff_say("What day should service stop at the old address?")
    c.cust(c.pick(("the 31st", "January 31", "Friday")))
    c.staff_say("All set. Your final bill for the old address will be mailed to the new one.")
    c.close()


def f_ins_claim_file(c: Conv) -> None:
    c.intent = "file_claim"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "someone hit my car in the Costco parking lot",
                "need to file a claim, tree fell on my garage",
                "file claim",
            )
        )
    )
    c.staff_say(
        c.pick(
            (
                "I'm sorry to hear that. Let's start your claim. Please provide:\nPolicy #:\nFull name:\nPhone:",
                "Sorry about that! I'll need your policy number, full name and a phone number.",
            )
        )
    )
    pol, n, p = (
        c.s("policy_number", c.value("policy_number")),
        c.s("full_name", c.styled("full_name", c.full)),
        c.s("phone", c.value("phone")),
    )
    c.cust(c.pick(("Policy #: §\nFull name: §\nPhone: §", "§, §, §", "§ / § / §")), pol, n, p)
    c.staff_say(
        "Thanks. An adjuster will call you within 24 hours. Your claim number will be emailed."
    )
    c.close()


def f_bank_wire_verify(c: Conv) -> None:
    c.intent = "verify_wire"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "I got an email asking me to confirm a wire. Is it real?",
                "did I authorize a wire?? got a text",
                "suspicious text about a $4,800 wire",
            )
        )
    )
    c.staff_say("Good call checking. We never ask for your password or PIN by text or email.")
    c.collect("account_last4")
    if c.chance(0.5):
        c.verify_one()
    c.collect("otp")
    c.staff_say(
        "You're verified. There's no pending wire on your account. That message was a scam; please delete it."
    )
    if c.chance(0.4):
        c.cust(
            c.pick(
                (
                    "uh oh I already replied with my PIN §",
                    "oh no. I typed § on their page, that's my pin",
                )
            ),
            c.s("pin", c.digits(4)),
        )
        c.staff_say(
            "Thanks for telling me. I've blocked your card and you'll pick a new PIN when the replacement arrives."
        )
    else:
        c.cust(c.pick(("thank god", "I clicked the link but didn't type anything")))
    c.close()


def f_bank_scam_pin(c: Conv) -> None:
    c.intent = "fraud_report"
    c.greet(BANK)
    c.cust(
        "someone called pretending to be Harborline and I gave them my card PIN § and the code you texted me §",
        c.s("pin", c.digits(4)),
        c.s("otp", c.otp()),
    )
    c.staff_say("Thank you for telling us right away. I'm connecting you with our fraud team.")
    c.handoff()
    c.collect("full_name")
    c.collect("card_last4")
    c.staff_say(
        "I've closed that card and set a new PIN requirement. A new card will be mailed in 3-5 days."
    )
    c.close()


def f_food_gift_card(c: Conv) -> None:
    c.intent = "gift_card_balance"
    c.greet(FOOD)
    c.cust(
        c.pick(
            (
                "my gift card isn't showing up",
                "redeemed a gift card but no balance",
                "gift card from Target didn't apply",
            )
        )
    )
    c.ask2("email", "phone")
    c.give2("email", "phone")
    if c.chance(0.4):
        c.verify_one()
    c.staff_say(f"I see it now. {c.money(25, 100)} has been added to your Forkful balance.")
    c.close()


def f_carrier_first_last_zip(c: Conv) -> None:
    c.intent = "data_usage"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "why am I out of data already",
                "data is so slow this week",
                "how much data do I have left",
            )
        )
    )
    c.ask("first_name")
    f = c.give("first_name")
    c.ask("surname")
    c.give("surname")
    c.collect("zip")
    if c.chance(0.5):
        c.echo("first_name", f.value[0].upper() + f.value[1:])
    c.staff_say(
        f"You've used {c.r.randint(35, 50)}GB of your 50GB high-speed data. It resets on Jan 14."
    )
    c.cust(c.pick(("Will it be slow until then?", "can I buy more", "ok thx")))
    c.staff_say("You can add a 10GB Data Boost for $10.00, or switch to Unlimited Plus.")
    c.close()


def f_util_online_reset(c: Conv) -> None:
    c.intent = "online_account_reset"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "I can't log into my Tri-County online account",
                "forgot my password for the billing website",
                "reset my login",
            )
        )
    )
    c.collect("service_account")
    c.staff_say("Thanks. I'll verify you with the security questions on file.")
    ks = c.r.sample(
        (
            "maiden_name",
            "first_car",
            "childhood_street",
            "birth_city",
            "favorite_teacher",
            "childhood_friend",
            "pet_name",
        ),
        2,
    )
    c.ask(ks[0])
    c.give(ks[0])
    if c.chance(0.6):
        c.cust(
            c.pick(("or maybe §, i don't remember which I set", "hmm could also be §")),
            c.s(ks[0], c._draw(ks[0])),
        )
        c.staff_say("The first one matched. One more:")
    c.ask(ks[1])
    c.give(ks[1])
    c.staff_say("Verified! I've emailed you a reset link. It expires in 30 minutes.")
    c.close()


def f_bank_open_account(c: Conv) -> None:
    c.intent = "open_account"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "I want to open a checking account",
                "open savings account online?",
                "how do I open an account for my side business",
            )
        )
    )
    c.staff_say("I can start an application here. It takes about 5 minutes.")
    c.collect("full_name")
    c.collect("dob")
    c.ask("ssn")
    c.give("ssn")
    c.ask("street_address")
    c.give("street_address")
    c.staff_say("And an email for your documents?")
    c.give("email")
    c.staff_say(
        "Application submitted! Your Everyday Checking account number will be emailed once approved."
    )
    c.close()


def f_stream_owner_check(c: Conv) -> None:
    c.intent = "account_owner_change"
    c.greet(STREAM)
    c.cust(
        c.pick(
            (
                "my dad set up the account but I pay for it now, can I take it over",
                "transfer account to my name",
                "change the account owner",
            )
        )
    )
    c.staff_say("I can help. First, who's the current account owner?")
    c.give("full_name", c.other_full(same_last=True), other=True)
    c.staff_say(
        "And to confirm the billing, what are the last four digits of the card on file, and the billing ZIP?"
    )
    c4, z = c.s("card_last4", c.value("card_last4")), c.s("zip", c.zip_code())
    c.cust(c.pick(("§ and §", "card ends in § zip §", "§, §")), c4, z)
    c.collect("first_name")
    c.staff_say(
        "Done, the account is now in your name. The owner will get an email about the change."
    )
    c.close()


def f_carrier_security_question(c: Conv) -> None:
    c.intent = "forgot_passcode"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "I don't remember my account passcode",
                "what's my passcode? I never set one",
                "locked out, forgot security code",
            )
        )
    )
    c.collect("phone_last4")
    c.staff_say("Thanks. Please answer the security question on the account.")
    k = c.pick(("pet_name", "maiden_name", "birth_city", "childhood_friend"))
    c.ask(k)
    c.give(k)
    c.staff_say("That matches. What would you like your new passcode to be? 4 to 8 digits.")
    c.give("passcode", c.digits(c.r.randint(4, 8)), late=False)
    c.staff_say("Your passcode is updated. Use it whenever you call or visit a Vireo store.")
    c.close()


def f_ins_quote(c: Conv) -> None:
    c.intent = "get_quote"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "how much for renters insurance",
                "quote for auto insurance?",
                "I need homeowners insurance, new house",
            )
        )
    )
    c.staff_say("I can get you a quick quote. What's your first name?")
    f = c.give("first_name")
    c.ask("zip")
    c.give("zip")
    c.collect("dob")
    if c.chance(0.5):
        c.staff_say("Optional: adding your SSN lets us check for a credit-based discount.")
        c.give("ssn")
    name = f.value[0].upper() + f.value[1:]
    c.staff_say(
        f"Thanks §! Your estimated premium is {c.money(12, 180)}/month. Want me to email the quote?",
        c.s("echo_first_name", name),
    )
    c.cust(c.pick(("yes", "sure", "yes please")))
    c.ask("email")
    c.give("email")
    c.close()


def f_food_delete_account(c: Conv) -> None:
    c.intent = "delete_account"
    c.greet(FOOD)
    c.cust(
        c.pick(
            ("please delete my account and my data", "how do i delete forkful", "close my account")
        )
    )
    c.staff_say("Sorry to see you go. To confirm it's your account, I need a few details.")
    c.collect("first_name")
    c.collect("email")
    c.collect("phone_last4")
    c.staff_say(
        "Thanks. Your account and data will be deleted within 30 days. Any unused Forkful credit ($4.00) will be lost."
    )
    c.close()


def f_carrier_new_account(c: Conv) -> None:
    c.intent = "new_service"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "I want to switch to Vireo, bring my own phone",
                "new customer, want 2 lines",
                "sign up for service",
            )
        )
    )
    c.staff_say("Welcome! For postpaid service we run a quick credit check.")
    c.verify("full_name", "ssn")
    c.collect("dob")
    c.collect("street_address")
    c.staff_say("You're approved with no deposit! Your SIM kits ship today.")
    c.close()


# ---------------------------------------------------------------------------- clean flows


def f_clean_bank_rates(c: Conv) -> None:
    c.intent = "savings_rates"
    c.greet(BANK)
    c.cust(
        c.pick(
            (
                "What's the APY on the High-Yield Savings?",
                "savings rates?",
                "is the 4.10% apy still a thing",
            )
        )
    )
    c.staff_say(
        "Our High-Yield Savings earns 4.10% APY with a $100 minimum opening deposit. Rates are variable."
    )
    c.qa(
        (
            (
                "Will it go down next month?",
                "I can't predict rate changes, but we announce them 30 days ahead.",
            ),
            (
                "Chase offers 4.25%, can you match?",
                "I'm not able to match other banks' rates, but there's no monthly fee.",
            ),
            ("Is there a monthly fee?", "No monthly fee and no minimum balance after opening."),
            (
                "Mark me as interested, I'll open one Friday",
                "Great! You can open it in the app in about 5 minutes.",
            ),
        )
    )
    c.close()


def f_clean_carrier_plans(c: Conv) -> None:
    c.intent = "compare_plans"
    c.greet(CARRIER)
    c.cust(
        c.pick(
            (
                "what's the difference between Unlimited Plus and Unlimited Starter",
                "cheapest plan?",
                "I'm thinking of switching from Sprint, what plans do you have",
            )
        )
    )
    c.staff_say(
        "Unlimited Starter is $45/mo and Unlimited Plus is $65/mo with 50GB hotspot and HD streaming. Autopay saves $5 per line."
    )
    c.qa(
        (
            (
                "Will I keep my number if I switch?",
                "Yes, you can bring your number from any carrier.",
            ),
            (
                "does Plus include Disney+?",
                "Unlimited Plus includes Disney+ Basic at no extra cost.",
            ),
            ("what about 4 lines", "With 4 lines, Unlimited Plus is $40 per line."),
            (
                "Grace period if I'm late paying?",
                "There's a 10-day grace period before any late fee.",
            ),
        )
    )
    c.close()


def f_clean_carrier_intl(c: Conv) -> None:
    c.intent = "international_roaming"
    c.greet(CARRIER)
    dest = c.pick(("Mexico", "Canada", "Italy", "Japan", "the Dominican Republic", "Jamaica"))
    c.cust(f"going to {dest} next week, will my phone work?")
    c.staff_say(
        f"Yes! The International Day Pass is $12 per day in {dest}, and you're only charged on days you use it."
    )
    c.qa(
        (
            (
                "Mark me down for it then",
                "No sign-up needed: it starts automatically when you use data abroad.",
            ),
            ("what if I just use wifi", "Wi-Fi calling and texting back to the US are free."),
            (
                "ok good. is there a max per trip?",
                "Yes, charges stop after 10 days per billing cycle.",
            ),
        )
    )
    c.close()


def f_clean_food_refund(c: Conv) -> None:
    c.intent = "food_quality"
    c.greet(FOOD)
    rest = c.pick(RESTAURANTS)
    c.cust(
        c.pick(
            (
                f"my fries from {rest} were cold",
                f"The {rest} order was an hour late and cold",
                "food was cold again",
            )
        )
    )
    c.staff_say(
        f"I'm sorry! I've added a {c.money(3, 15)} credit to your account. It applies automatically at checkout."
    )
    c.qa(
        (
            ("Will it expire?", "Credits expire after 90 days."),
            (
                "can I get it on my card instead",
                "Refunds to cards take 5-7 days; the credit is instant. I'll leave it as credit unless you'd like otherwise.",
            ),
            ("thanks", "You're welcome! Sorry again about the wait."),
        )
    )
    c.close()


def f_clean_food_promo(c: Conv) -> None:
    c.intent = "promo_code"
    c.greet(FOOD)
    code = c.pick(("SAVE15", "FORKFUL20", "NEWYEAR26", "FREEDEL", "WELCOME10", "BOGO4U"))
    c.cust(
        c.pick(
            (
                f"promo code {code} isn't working",
                f"why won't {code} apply",
                f"Is {code} still valid?",
            )
        )
    )
    c.staff_say(
        f"{code} needs a minimum subtotal of $25 and works once per account. Forkful Pass members ($9.99/mo) get free delivery instead."
    )
    c.qa(
        (
            ("my subtotal is $23.50 lol", "Add a drink or a side and it should apply!"),
            ("ah ok", "Happy to help. It's valid through Jan 31."),
            ("Will there be more codes?", "We send new offers every week in the Deals tab."),
        )
    )
    c.close()


def f_clean_stream_cancel(c: Conv) -> None:
    c.intent = "cancel_subscription"
    c.greet(STREAM)
    c.cust(
        c.pick(("how do I cancel Premium 4K", "cancel", "want to downgrade to Standard with Ads"))
    )
    c.staff_say(
        "Go to Account > Membership > Change plan. Standard with Ads is $7.99/mo, Standard $15.49, Premium 4K $22.99."
    )
    c.qa(
        (
            ("Will I lose my watch history?", "No, your profiles and history stay."),
            (
                "do I get a refund for this month",
                "There are no partial refunds, but you keep access until the end of the billing period.",
            ),
            (
                "can I still watch Severance on Standard",
                "Yes, every title is on every plan; only the video quality changes.",
            ),
        )
    )
    c.close()


def f_clean_air_status(c: Conv) -> None:
    c.intent = "flight_status"
    c.greet(AIR)
    (c1, a1), (c2, a2) = c.r.sample(AIRPORTS, 2)
    fl = f"BW {c.r.randint(100, 2999)}"
    c.cust(
        c.pick(
            (
                f"is {fl} from {c1} to {c2} on time",
                f"status of flight {fl}",
                f"{a1} to {a2} flight {fl} delayed?",
            )
        )
    )
    c.staff_say(
        f"{fl} from {a1} to {a2} is delayed 35 minutes and now departs at {c.clock()} from gate {c.pick(('B14', 'C7', 'A22', 'D3'))}."
    )
    c.qa(
        (
            (
                "Will I make my connection?",
                "Your connection has a 1 hour 10 minute layover, so you should be fine.",
            ),
            (
                "ugh. is there an earlier one?",
                f"BW {c.r.randint(100, 2999)} leaves at {c.clock()} but it's full, sorry.",
            ),
            ("do I get a meal voucher", "Vouchers are offered for delays over 3 hours."),
        )
    )
    c.close()


def f_clean_util_outage(c: Conv) -> None:
    c.intent = "outage_report"
    c.greet(UTIL)
    c.cust(
        c.pick(
            (
                "power is out on our whole block",
                "is there an outage in Maple Heights?",
                "lights flickering then went out",
            )
        )
    )
    c.staff_say(
        f"There's a known outage affecting about 1,200 customers in that area. Crews estimate restoration by {c.clock()}."
    )
    c.qa(
        (
            (
                "Will I get a credit?",
                "Outages over 24 hours qualify for a bill credit; this one should be much shorter.",
            ),
            ("what caused it", "A transformer failed during the storm."),
            ("ok thanks", "You can track updates on the Outage Map in the app."),
        )
    )
    c.close()


def f_clean_ins_id_card(c: Conv) -> None:
    c.intent = "id_card_download"
    c.greet(INS)
    c.cust(
        c.pick(
            (
                "how do I download my insurance card",
                "need proof of insurance for the DMV",
                "where is my ID card in the app",
            )
        )
    )
    c.staff_say(
        "Open the Keystone app, tap Policies > Auto > ID Cards. You can add it to Apple Wallet too."
    )
    c.qa(
        (
            (
                "Will the DMV accept a digital one?",
                "Most states accept digital ID cards, including yours.",
            ),
            ("found it", "Great! It updates automatically at renewal."),
            (
                "can you mail me a paper one",
                "Sure, it will arrive in 7-10 days at the address on the policy.",
            ),
        )
    )
    c.close()


Flow = Callable[[Conv], None]
PII_FLOWS: tuple[tuple[str, Flow], ...] = tuple(
    (name.removeprefix("f_"), fn)
    for name, fn in list(globals().items())
    if name.startswith("f_") and not name.startswith("f_clean_") and callable(fn)
)
CLEAN_FLOWS: tuple[tuple[str, Flow], ...] = tuple(
    (name.removeprefix("f_"), fn)
    for name, fn in list(globals().items())
    if name.startswith("f_clean_") and callable(fn)
)

# ---------------------------------------------------------------------------- checks


def _word(value: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _dedup(planted: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    seen: set[str] = set()
    out = []
    for kind, etype, value in planted:
        if value.lower() not in seen:
            seen.add(value.lower())
            out.append((kind, etype, value))
    return out


def _problem(
    ids: tuple[str, str], turns: list[Turn], planted: list[tuple[str, str, str]]
) -> str | None:
    """Why these planted values break a rule, or None."""
    for _kind, _etype, value in planted:
        if len(value) < 3:
            return f"too short: {value!r}"
        if any(value.lower() in x.lower() for x in ids):
            return "in an id"
        if not any(value in text for _a, text, _s, _g in turns):
            return "not verbatim"
        pat = _word(value)
        for _a, text, spans, _g in turns:
            for m in pat.finditer(text):
                if not any(a <= m.start() and m.end() <= b for a, b in spans):
                    return f"outside a slot: {value!r}"
    return None


# ---------------------------------------------------------------------------- the set


def conversations(
    n: int = 500, seed: int = 10
) -> tuple[list[dict], dict[str, list[tuple[str, str, str]]]]:
    """n canonical conversations and, per conversation_id, its planted values as (slot_kind, entity_type, value)."""
    rng = random.Random(seed)
    fake = faker.Faker("en_US")
    fake.seed_instance(seed)
    convs: list[dict] = []
    planted_by: dict[str, list[tuple[str, str, str]]] = {}
    kept: list[tuple[tuple[str, str], list[Turn], bool]] = []
    clean_ones = set(rng.sample(range(n), round(n * CLEAN_SHARE)))
    for i in range(n):
        cid = "d10-" + hashlib.sha256(f"dev10:{seed}:{i}".encode()).hexdigest()[:12]
        cust_id = f"d10-cust-{i}"
        clean = i in clean_ones
        _name, flow = rng.choice(CLEAN_FLOWS if clean else PII_FLOWS)
        for _attempt in range(500):
            fake.seed_instance(rng.getrandbits(32))
            c = Conv(rng, fake)
            try:
                flow(c)
            except _Redraw:
                continue
            planted = _dedup(c.planted)
            if _problem((cid, cust_id), c.turns, planted) is None:
                break
        else:
            raise RuntimeError(f"conversation {i}: no valid draw")
        start = DAY + timedelta(seconds=rng.randint(0, 22 * 3600))
        t = start
        events: list[dict] = []
        prev = ""
        for seq, (actor, text, _spans, agent_id) in enumerate(c.turns):
            if actor == "customer":
                t += timedelta(seconds=rng.randint(6, 95))
            elif actor == "agent":
                t += timedelta(
                    seconds=rng.randint(45, 300) if prev == "bot" else rng.randint(8, 70)
                )
            else:
                t += timedelta(seconds=rng.randint(1, 5))
            prev = actor
            events.append(
                {
                    "seq": seq,
                    "sent_at": t.isoformat(),
                    "actor": actor,
                    "event_type": "message",
                    "text": text,
                    "agent_id": agent_id,
                    "payload": None,
                }
            )
        if rng.random() < 0.65:
            t += timedelta(seconds=rng.randint(30, 300))
            events.append(
                {
                    "seq": len(events),
                    "sent_at": t.isoformat(),
                    "actor": "system",
                    "event_type": "closed",
                    "text": None,
                    "agent_id": None,
                    "payload": None,
                }
            )
        convs.append(
            {
                "conversation_id": cid,
                "source": "dev10",
                "started_at": start.isoformat(),
                "ended_at": t.isoformat(),
                "channel": rng.choice(("web", "ios", "android")),
                "locale": "en-US",
                "market": "US",
                "customer_id": cust_id,
                "bot_version": "v2",
                "intent": c.intent,
                "csat_score": None,
                "csat_submitted_at": None,
                "events": events,
            }
        )
        planted_by[cid] = planted
        kept.append(((cid, cust_id), c.turns, clean))

    # The planted-value rules, once more over the finished set.
    assert len(planted_by) == n == len(convs)
    for conv, (ids, turns, clean) in zip(convs, kept, strict=True):
        planted = planted_by[conv["conversation_id"]]
        assert re.fullmatch(r"d10-[0-9a-f]{12}", conv["conversation_id"])
        assert bool(planted) != clean, conv["conversation_id"]
        assert len({v.lower() for _k, _e, v in planted}) == len(planted)
        assert _problem(ids, turns, planted) is None
        texts = [e["text"] for e in conv["events"] if e["text"] is not None]
        assert texts == [text for _a, text, _s, _g in turns]
        for kind, etype, value in planted:
            assert KIND_ETYPE[kind.removeprefix("echo_")] == etype
            assert len(value) >= 3 and any(value in x for x in texts)
        stamps = [e["sent_at"] for e in conv["events"]]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
        assert all(s.startswith("2026-01-06T") and s.endswith("+00:00") for s in stamps)
    return convs, planted_by


if __name__ == "__main__":
    convs, planted = conversations()
    flat = [p for ps in planted.values() for p in ps]
    print(f"conversations: {len(convs)}")
    print(f"events: {sum(len(c['events']) for c in convs)}")
    print(f"clean conversations: {sum(1 for ps in planted.values() if not ps)}")
    print(f"planted values: {len(flat)}")
    print("by entity_type:")
    for etype, k in sorted(Counter(e for _k, e, _v in flat).items(), key=lambda x: -x[1]):
        print(f"  {etype:16} {k}")
    print("by slot_kind:")
    for kind, k in sorted(Counter(s for s, _e, _v in flat).items(), key=lambda x: -x[1]):
        print(f"  {kind:24} {k}")
