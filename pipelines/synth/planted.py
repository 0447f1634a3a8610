"""Planted unanswered topics: what customers ask that the bot and the KB do not cover.

Opt-in (``generate(..., planted=PLANTED_TOPICS)``; the demo plants them), so default
generation stays byte-identical. The bot almost never solves these, most of them end
with a person whose reply works, and no demo KB article mentions them: knowledge-base
gap discovery (issue 18) should rank them among the top gaps and draft an FAQ from
the agents' replies. The header ``intent`` is the planted name, as an NLU trained on
these conversations would label them.
"""

from __future__ import annotations

from dataclasses import replace

from pipelines.synth.intents import IntentProfile

# Share of each day's new conversations that are about one planted topic (each).
PLANTED_SHARE = 0.03
# How often the bot solves a planted topic once it has been taught it (``answered_topic``):
# like an answerable intent of the generator (password reset 0.78/0.82, refund 0.40/0.52).
ANSWERED_SOLVE = {"v1": 0.60, "v2": 0.65}

PLANTED_TOPICS: tuple[IntentProfile, ...] = (
    IntentProfile("duet_settings", 0.0, {"v1": 0.04, "v2": 0.05}, 0.92, 0.03, 0.0, 0.0),
    IntentProfile("family_pairing", 0.0, {"v1": 0.04, "v2": 0.05}, 0.92, 0.03, 0.0, 0.0),
)


def answered_topic(topic: IntentProfile) -> IntentProfile:
    """``topic`` once the bot can answer it (an article was published and the bot uses
    it): it solves ``ANSWERED_SOLVE`` of them, with the topic's "answered" phrase.
    Same name, so the conversations stay in the same topic and intent."""
    return replace(topic, solve=dict(ANSWERED_SOLVE), answered=True)


PLANTED_PHRASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "duet_settings": {
        "en": {
            "open": (
                "why can't people duet my videos",
                "the duet button is greyed out on my posts",
                "duet option disappeared since the update",
                "how do i turn on duets for my videos",
                "my followers say duet is disabled on my clips",
            ),
            "open_pii": ("duet is off on my account {email}, how do I turn it on",),
            "answer": (
                "You can find help with video features in the Help Center under Videos.",
                "Sorry, I can't help with that feature yet. Is there anything else?",
            ),
            "answered": (
                "Duets are set per account: go to Settings and privacy > Privacy > Duet and choose Everyone.",
                "Open Settings and privacy > Privacy > Duet and pick Everyone or Friends. Videos with licensed music can't be dueted.",
            ),
        },
        "es": {
            "open": ("no puedo activar los duetos en mis videos", "el botón de dueto no aparece"),
            "open_pii": ("los duetos están desactivados en mi cuenta {email}",),
            "answer": ("Puedes encontrar ayuda sobre videos en el Centro de ayuda.",),
            "answered": ("Ve a Configuración y privacidad > Privacidad > Dueto y elige Todos.",),
        },
    },
    "family_pairing": {
        "en": {
            "open": (
                "how do i set up family pairing for my teen",
                "family pairing won't connect to my son's phone",
                "parental controls for my daughter keep unlinking",
                "screen time limits from family pairing stopped working",
                "can I link my kid's account with family pairing",
            ),
            "open_pii": ("family pairing won't link with {email}",),
            "answer": (
                "You can manage your account settings from your profile.",
                "Sorry, I couldn't find an answer to that. Is there anything else?",
            ),
            "answered": (
                "Open Settings and privacy > Family Pairing on both phones, choose Parent on yours and Teen on theirs, then scan the QR code.",
            ),
        },
        "es": {
            "open": ("cómo configuro el control parental para mi hijo",),
            "open_pii": ("el control parental no se vincula con {email}",),
            "answer": ("Puedes administrar tu cuenta desde tu perfil.",),
            "answered": (
                "Abre Configuración y privacidad > Sincronización familiar en ambos teléfonos.",
            ),
        },
    },
}

PLANTED_RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "duet_settings": (
        "Duets are set per account: open Settings and privacy > Privacy > Duet and choose Everyone. Videos that use licensed music can't be dueted.",
        "I checked your account: Duet was set to Only me. Go to Settings and privacy > Privacy > Duet and pick Everyone or Friends.",
    ),
    "family_pairing": (
        "Open Settings and privacy > Family Pairing on both phones, choose Parent on yours and Teen on theirs, then scan the QR code to link them.",
        "The link expired because the teen's app was out of date. Update the app on both phones and scan the Family Pairing QR code again.",
    ),
}
