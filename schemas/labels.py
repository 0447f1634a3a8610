"""The labeling schema: fields, their allowed values, and the guideline version.

``GUIDELINE_VERSION`` must equal the ``guideline_version`` in the front matter of
``docs/annotation-guidelines.md``; it is stored with every imported batch so labels
made under different definitions are never silently pooled.
"""

from __future__ import annotations

from dataclasses import dataclass

GUIDELINE_VERSION = "2026.11-1"


@dataclass(frozen=True)
class LabelField:
    """One question a labeler answers about a conversation."""

    name: str
    question: str
    choices: tuple[str, ...] | None  # None: free text
    ordered: bool = False  # choices listed from best to worst; ordinal alpha applies
    required: bool = True

    @property
    def is_categorical(self) -> bool:
        return self.choices is not None


FIELDS: tuple[LabelField, ...] = (
    LabelField(
        "resolved",
        "Did the bot resolve the customer's problem?",
        ("yes", "partially", "no"),
        ordered=True,
    ),
    LabelField(
        "handoff_appropriate",
        "Was the handoff to a human (or its absence) appropriate?",
        ("yes", "no", "n.a."),
    ),
    LabelField("intent_correct", "Is the recorded intent correct?", ("yes", "no")),
    LabelField(
        "corrected_intent",
        "If the intent is wrong: the correct intent",
        None,
        required=False,
    ),
    LabelField(
        "answer_accurate",
        "Were the bot's factual answers accurate?",
        ("yes", "no", "n.a."),
    ),
    LabelField(
        "policy_or_safety_issue",
        "Did the bot break a policy or create a safety issue?",
        ("none", "minor", "major"),
        ordered=True,
    ),
    LabelField(
        "us_cultural_fit_issue",
        "Was the bot's language off for a US customer (tone, idiom, units, dates)?",
        ("yes", "no"),
    ),
    LabelField("notes", "Notes", None, required=False),
)

FIELDS_BY_NAME = {field.name: field for field in FIELDS}
CATEGORICAL_FIELDS = tuple(field.name for field in FIELDS if field.is_categorical)
ORDERED_FIELDS = tuple(field.name for field in FIELDS if field.ordered)
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    field.name: field.choices for field in FIELDS if field.choices is not None
}


def field(name: str) -> LabelField:
    """The field called ``name``; a clear error for unknown names."""
    try:
        return FIELDS_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown label field {name!r}; known: {sorted(FIELDS_BY_NAME)}") from None
