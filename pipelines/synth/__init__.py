"""Synthetic support-chatbot transcripts with exact ground truth (demo, tests, monitoring).

See ``generator.py`` for volume/time/version shapes, ``ladder.py`` for the outcome
definitions, ``incidents.py`` for the incident grammar and ``README.md`` for formats.
"""

from pipelines.synth.generator import FORMATS, GenerationSummary, generate
from pipelines.synth.incidents import Incident, load_incidents
from pipelines.synth.intents import INTENT_NAMES
from pipelines.synth.ladder import Derived, Outcome, expected_outcomes, ladder
from pipelines.synth.truth import read_truth

__all__ = [
    "FORMATS",
    "INTENT_NAMES",
    "Derived",
    "GenerationSummary",
    "Incident",
    "Outcome",
    "expected_outcomes",
    "generate",
    "ladder",
    "load_incidents",
    "read_truth",
]
