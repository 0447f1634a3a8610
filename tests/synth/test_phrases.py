"""Phrase tables: complete, well-formed, and PII only where it is recorded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.synth.dice import Dice
from pipelines.synth.intents import INTENT_NAMES
from pipelines.synth.phrases import AGENT_RESOLUTIONS, CLARIFY, FOLLOW_UP, GENERIC, INTENT_PHRASES
from pipelines.synth.pii import SLOT_TYPES, build_pools, make_persona
from pipelines.synth.text import compile_template, draw_style, render_customer

CUSTOMER_KINDS = {"open", "open_pii", "detail", "thanks", "no_thanks", "ask_human", "frustrated",
                  "rephrase", "customer_ok", "still_there", "returning", "volunteer"}  # fmt: skip


def _slots(template: str) -> set[str]:
    return {slot for _, slot in compile_template(template) if slot is not None}


def test_every_intent_has_phrases_in_both_languages() -> None:
    assert set(INTENT_PHRASES) == set(INTENT_NAMES) == set(AGENT_RESOLUTIONS)
    for intent, languages in INTENT_PHRASES.items():
        for language in ("en", "es"):
            kinds = languages[language]
            assert all(kinds[kind] for kind in ("open", "open_pii", "answer")), (intent, language)
            assert all(_slots(t) & set(SLOT_TYPES) for t in kinds["open_pii"]), (intent, language)
            assert not any(_slots(t) & set(SLOT_TYPES) for t in kinds["open"]), (intent, language)


def test_bot_and_agent_lines_never_carry_pii_slots() -> None:
    bot_lines = [
        t
        for phrases in INTENT_PHRASES.values()
        for lang in phrases.values()
        for t in lang["answer"]
    ]
    bot_lines += [t for lines in AGENT_RESOLUTIONS.values() for t in lines]
    for language, kinds in GENERIC.items():
        bot_lines += [
            t for kind, lines in kinds.items() if kind not in CUSTOMER_KINDS for t in lines
        ]
        bot_lines += [question for question, _ in CLARIFY[language]]
        bot_lines += [reply for _, reply in FOLLOW_UP[language]]
    assert bot_lines
    assert not any(_slots(t) & set(SLOT_TYPES) for t in bot_lines)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), spanish=st.booleans())
def test_rendered_pii_spans_are_exact(seed: int, spanish: bool) -> None:
    dice = Dice(np.random.default_rng(seed))
    persona = make_persona(build_pools(0), dice, spanish)
    language = "es" if spanish else "en"
    for phrases in INTENT_PHRASES.values():
        for template in phrases[language]["open_pii"]:
            text, spans = render_customer(template, dice, persona, draw_style(dice, spanish))
            assert spans
            for span in spans:
                assert text[span.start : span.end] == span.value
