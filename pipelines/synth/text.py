"""Turn phrase templates into message text, with customer typing style and exact PII spans.

Templates are split once into (literal, slot) parts. Rendering a customer message
styles only the literal parts (lowercase, slang, a typo, an emoji) and inserts PII
values verbatim, so each planted value's character offsets are known exactly.
Offsets are Python ``str`` indices (Unicode code points).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from string import Formatter

from pipelines.synth.dice import Dice
from pipelines.synth.phrases import EMOJIS, FILLS, SLANG
from pipelines.synth.pii import SLOT_TYPES, Persona, format_value

Part = tuple[str, str | None]  # (literal text, slot name or None)


@cache
def compile_template(template: str) -> tuple[Part, ...]:
    """Split ``"where is {order} now"`` into literal/slot parts (cached per template)."""
    parts: list[Part] = []
    for literal, field, spec, conversion in Formatter().parse(template):
        if spec or conversion:
            raise ValueError(f"template {template!r}: format specs are not supported")
        if field is not None and field not in SLOT_TYPES and field not in FILLS and field != "body":
            raise ValueError(f"template {template!r}: unknown slot {field!r}")
        parts.append((literal, field))
    return tuple(parts)


@dataclass(frozen=True)
class Style:
    """How one customer types during one conversation."""

    lowercase: bool
    slang: bool
    typo_rate: float
    emoji_rate: float


def draw_style(dice: Dice, spanish: bool) -> Style:
    casual = dice.chance(0.45)
    return Style(
        lowercase=casual and dice.chance(0.7),
        slang=casual and not spanish and dice.chance(0.6),
        typo_rate=0.25 if casual else 0.08,
        emoji_rate=0.15 if casual else 0.04,
    )


@dataclass(frozen=True)
class Span:
    """A planted PII value at ``text[start:end]``."""

    type: str
    start: int
    end: int
    value: str


_SLANG_RE = re.compile(r"\b(" + "|".join(re.escape(word) for word in SLANG) + r")\b")


def fill(template: str, dice: Dice) -> str:
    """Bot/agent text: harmless fills only (bot and agent lines never carry PII)."""
    out = []
    for literal, slot in compile_template(template):
        out.append(literal)
        if slot is not None:
            out.append(dice.pick(FILLS[slot]))
    return "".join(out)


def render_customer(
    template: str,
    dice: Dice,
    persona: Persona,
    style: Style,
    body: tuple[str, list[Span]] | None = None,
) -> tuple[str, list[Span]]:
    """Customer text and the PII spans planted in it.

    ``body`` nests an already-rendered message (with its spans) into a wrapper
    template such as an email greeting/signature; its spans are shifted.
    """
    out: list[str] = []
    spans: list[Span] = []
    length = 0
    for literal, slot in compile_template(template):
        styled = _style_literal(literal, dice, style) if literal else literal
        out.append(styled)
        length += len(styled)
        if slot is None:
            continue
        if slot == "body":
            if body is None:
                raise ValueError(f"template {template!r} needs a body")
            body_text, body_spans = body
            spans.extend(
                Span(s.type, s.start + length, s.end + length, s.value) for s in body_spans
            )
            value = body_text
        elif slot in SLOT_TYPES:
            value = format_value(slot, persona, dice)
            spans.append(Span(SLOT_TYPES[slot], length, length + len(value), value))
        else:
            value = dice.pick(FILLS[slot])
        out.append(value)
        length += len(value)
    if body is None and dice.chance(style.emoji_rate):
        out.append(" " + dice.pick(EMOJIS))
    return "".join(out), spans


def _style_literal(text: str, dice: Dice, style: Style) -> str:
    if style.slang:
        text = _SLANG_RE.sub(lambda match: SLANG[match.group(1)], text)
    if style.lowercase:
        text = text.lower()
    if len(text) > 4 and dice.chance(style.typo_rate):
        text = _typo(text, dice)
    return text


def _typo(text: str, dice: Dice) -> str:
    """One keyboard slip: swap, drop or double a letter inside a word."""
    position = dice.integer(1, len(text) - 3)
    if not (text[position].isalpha() and text[position + 1].isalpha()):
        return text
    kind = dice.integer(0, 2)
    if kind == 0:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    if kind == 1:
        return text[:position] + text[position + 1 :]
    return text[:position] + text[position] + text[position:]
