"""PII values planted in customer messages, and the many ways customers type them.

Faker builds value pools once per seed (it is ~50x slower per value than a list
lookup); the run's seeded dice then pick from them. A customer is a stable
persona, so a returning customer types the same email or phone again, as real
customers do. Every value the generator writes is returned with its entity type
so the caller can record the exact span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import phonenumbers
from faker import Faker

from pipelines.synth.dice import Dice

# Entity types of the truth sidecar (the PII engine's benchmark labels).
PERSON = "PERSON"
EMAIL = "EMAIL"
PHONE = "PHONE"
STREET_ADDRESS = "STREET_ADDRESS"
CREDIT_CARD = "CREDIT_CARD"
US_SSN = "US_SSN"
ORDER_ID = "ORDER_ID"

SLOT_TYPES = {
    "name": PERSON,
    "email": EMAIL,
    "phone": PHONE,
    "address": STREET_ADDRESS,
    "card": CREDIT_CARD,
    "ssn": US_SSN,
    "order": ORDER_ID,
}

_POOL_SIZE = 800
_EMAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
)
_CARD_TYPES = ("visa16", "visa16", "mastercard", "amex", "discover")


@dataclass(frozen=True)
class Pools:
    """Raw PII components drawn with faker; personas are assembled from them."""

    first_en: tuple[str, ...]
    last_en: tuple[str, ...]
    first_es: tuple[str, ...]
    last_es: tuple[str, ...]
    streets: tuple[str, ...]  # "4424 Lloyd Isle"
    units: tuple[str, ...]  # "Apt. 467"
    places: tuple[tuple[str, str, str], ...]  # (city, state, zip) with the ZIP inside the state
    phones: tuple[str, ...]  # 10 NANP digits, valid per libphonenumber
    cards: tuple[str, ...]  # Luhn-valid PANs
    ssns: tuple[str, ...]  # "AAA-GG-SSSS" with valid area/group/serial


@lru_cache(maxsize=4)
def build_pools(seed: int) -> Pools:
    """Draw the value pools for a seed (cached: tests and multi-call runs reuse them)."""
    en = Faker("en_US")
    en.seed_instance(seed)
    es = Faker("es_MX")
    es.seed_instance(seed)
    places = []
    for _ in range(_POOL_SIZE // 2):
        state = en.state_abbr(include_territories=False)
        places.append((en.city(), state, en.zipcode_in_state(state)))
    return Pools(
        first_en=tuple(en.first_name() for _ in range(_POOL_SIZE)),
        last_en=tuple(en.last_name() for _ in range(_POOL_SIZE)),
        first_es=tuple(es.first_name() for _ in range(_POOL_SIZE // 2)),
        last_es=tuple(es.last_name() for _ in range(_POOL_SIZE // 2)),
        streets=tuple(f"{en.building_number()} {en.street_name()}" for _ in range(_POOL_SIZE)),
        units=tuple(en.secondary_address() for _ in range(_POOL_SIZE // 4)),
        places=tuple(places),
        phones=_valid_phones(np.random.default_rng(seed), _POOL_SIZE),
        cards=tuple(
            en.credit_card_number(card_type=en.random_element(_CARD_TYPES))
            for _ in range(_POOL_SIZE)
        ),
        ssns=tuple(en.ssn() for _ in range(_POOL_SIZE)),
    )


def _valid_phones(rng: np.random.Generator, count: int) -> tuple[str, ...]:
    """US numbers that libphonenumber accepts, so a phone detector is judged on real-looking numbers.

    Faker's en_US phone formats fill digits freely and produce impossible area codes.
    """
    found: list[str] = []
    while len(found) < count:
        area, exchange, line = (
            int(rng.integers(201, 990)),
            int(rng.integers(200, 999)),
            int(rng.integers(0, 10000)),
        )
        digits = f"{area}{exchange}{line:04d}"
        if exchange == 555 or not phonenumbers.is_valid_number(phonenumbers.parse("+1" + digits)):
            continue
        found.append(digits)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Persona:
    """One customer's identity; formatted differently each time it is typed."""

    first: str
    last: str
    email_user: str
    email_domain: str
    phone: str
    street: str
    unit: str | None
    place: tuple[str, str, str]
    card: str
    ssn: str


# A persona as pool indices: (first, last, email style, style number, domain, phone,
# street, unit or -1, place, card, ssn). The generator keeps every customer of a run
# (any may come back) and stores these small ints, not Persona objects, so its memory
# stays a few dozen bytes per customer however large the day.
PERSONA_FIELDS = 11
_NO_UNIT = -1


def draw_persona(pools: Pools, dice: Dice, spanish: bool) -> tuple[int, ...]:
    """Draw a persona's pool indices (see ``persona_from``)."""
    first = dice.index(len(pools.first_es if spanish else pools.first_en))
    last = dice.index(len(pools.last_es if spanish else pools.last_en))
    style = dice.integer(0, 3)
    number = dice.integer(1, 99) if style == 1 else dice.integer(1970, 2008) if style == 3 else 0
    return (
        first,
        last,
        style,
        number,
        dice.index(len(_EMAIL_DOMAINS)),
        dice.index(len(pools.phones)),
        dice.index(len(pools.streets)),
        dice.index(len(pools.units)) if dice.chance(0.4) else _NO_UNIT,
        dice.index(len(pools.places)),
        dice.index(len(pools.cards)),
        dice.index(len(pools.ssns)),
    )


def persona_from(pools: Pools, spanish: bool, row: Sequence[int]) -> Persona:
    """The persona a ``draw_persona`` row stands for."""
    first_at, last_at, style, number, domain, phone, street, unit, place, card, ssn = row
    first = (pools.first_es if spanish else pools.first_en)[first_at]
    last = (pools.last_es if spanish else pools.last_en)[last_at]
    user_first, user_last = _ascii_lower(first), _ascii_lower(last)
    if style == 0:
        user = f"{user_first}.{user_last}"
    elif style == 1:
        user = f"{user_first}{user_last}{number}"
    elif style == 2:
        user = f"{user_first[0]}{user_last}"
    else:
        user = f"{user_first}_{number}"
    return Persona(
        first=first,
        last=last,
        email_user=user,
        email_domain=_EMAIL_DOMAINS[domain],
        phone=pools.phones[phone],
        street=pools.streets[street],
        unit=None if unit == _NO_UNIT else pools.units[unit],
        place=pools.places[place],
        card=pools.cards[card],
        ssn=pools.ssns[ssn],
    )


def make_persona(pools: Pools, dice: Dice, spanish: bool) -> Persona:
    return persona_from(pools, spanish, draw_persona(pools, dice, spanish))


_ASCII = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")


def _ascii_lower(text: str) -> str:
    return "".join(ch for ch in text.translate(_ASCII).lower() if ch.isalnum())


def format_value(slot: str, persona: Persona, dice: Dice) -> str:
    """Type a persona's value for a PII slot the way a customer might."""
    if slot == "name":
        return persona.first if dice.chance(0.15) else f"{persona.first} {persona.last}"
    if slot == "email":
        return _format_email(persona, dice)
    if slot == "phone":
        return _format_phone(persona.phone, dice)
    if slot == "address":
        return _format_address(persona, dice)
    if slot == "card":
        return _format_card(persona.card, dice)
    if slot == "ssn":
        return _format_ssn(persona.ssn, dice)
    if slot == "order":
        return _format_order(dice)
    raise ValueError(f"unknown PII slot {slot!r}; known: {sorted(SLOT_TYPES)}")


def _format_email(persona: Persona, dice: Dice) -> str:
    user, domain = persona.email_user, persona.email_domain
    roll = dice.uniform()
    if roll < 0.82:
        return f"{user}@{domain}"
    if roll < 0.92:
        # Obfuscated the way people dodge filters: "john dot smith at gmail dot com".
        return f"{user.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"
    if roll < 0.96:
        return f"{user} [at] {domain}"
    return f"{user}@{domain}".upper()


def _format_phone(digits: str, dice: Dice) -> str:
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    roll = dice.uniform()
    if roll < 0.30:
        return f"({area}) {exchange}-{line}"
    if roll < 0.55:
        return f"{area}-{exchange}-{line}"
    if roll < 0.65:
        return f"{area}.{exchange}.{line}"
    if roll < 0.77:
        return digits
    if roll < 0.85:
        return f"+1 {area} {exchange} {line}"
    if roll < 0.90:
        return f"+1{digits}"
    if roll < 0.95:
        return f"1-{area}-{exchange}-{line}"
    return " ".join(digits)  # digits typed with spaces to slip past filters


def _format_address(persona: Persona, dice: Dice) -> str:
    city, state, zipcode = persona.place
    if dice.chance(0.1):
        zipcode = f"{zipcode}-{dice.integer(1000, 9999)}"
    street = persona.street if persona.unit is None else f"{persona.street} {persona.unit}"
    if dice.chance(0.5) and persona.unit is not None:
        street = f"{persona.street}, {persona.unit}"
    return (
        f"{street}, {city}, {state} {zipcode}"
        if dice.chance(0.8)
        else f"{street} {city} {state} {zipcode}"
    )


def _format_card(pan: str, dice: Dice) -> str:
    roll = dice.uniform()
    if roll < 0.45:
        return pan
    groups = (
        [pan[:4], pan[4:10], pan[10:]]
        if len(pan) == 15
        else [pan[i : i + 4] for i in range(0, len(pan), 4)]
    )
    return ("-" if roll < 0.6 else " ").join(groups)


def _format_ssn(ssn: str, dice: Dice) -> str:
    roll = dice.uniform()
    if roll < 0.65:
        return ssn
    if roll < 0.85:
        return ssn.replace("-", " ")
    return ssn.replace("-", "")


def _format_order(dice: Dice) -> str:
    number = f"{dice.integer(10_000_000, 99_999_999)}"
    roll = dice.uniform()
    if roll < 0.85:
        return f"ORD-{number}"
    if roll < 0.95:
        return f"ord-{number}"
    return f"ORD {number[:4]} {number[4:]}"
