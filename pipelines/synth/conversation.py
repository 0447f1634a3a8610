"""Play out one support conversation: the latent outcome first, then the events it produces.

The generator decides the setup (customer, channel, intent, bot version, incident);
this module draws whether the bot really solves the problem (``truly_resolved``,
the latent truth simulated labelers judge) and writes the turns that outcome
produces. The observable ladder is *not* set here: it is recomputed from the
written events by ``ladder.py``, so signals and truth can disagree the way they do
in production (silent exits that look resolved, polite thumbs-up on a failure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.synth.dice import Dice, Weighted
from pipelines.synth.intents import IntentProfile
from pipelines.synth.phrases import (
    AGENT_RESOLUTIONS,
    CLARIFY,
    EMAIL_WRAP,
    FOLLOW_UP,
    GENERIC,
    INTENT_PHRASES,
)
from pipelines.synth.pii import Persona
from pipelines.synth.planted import PLANTED_PHRASES, PLANTED_RESOLUTIONS
from pipelines.synth.text import Span, Style, draw_style, fill, render_customer

# Channel and language effects on the bot's real solve rate (email is asynchronous and
# vaguer; the Spanish model is weaker), and on how often chats open with a greeting.
_CHANNEL_SOLVE = {"web": 0.02, "ios": 0.0, "android": -0.01, "email": -0.08}
_SPANISH_SOLVE = -0.07
_RETURNING_SOLVE = -0.10
_SYSTEM_ONLY = 0.012
_IMMEDIATE_HUMAN = 0.04
_CSAT_RATE = {"solved": 0.18, "agent": 0.22, "unsolved": 0.10, "abandoned": 0.02}
_CSAT_SCORES = {
    "solved": Weighted({5: 0.62, 4: 0.25, 3: 0.08, 2: 0.03, 1: 0.02}),
    "agent": Weighted({5: 0.35, 4: 0.25, 3: 0.15, 2: 0.12, 1: 0.13}),
    "unsolved": Weighted({5: 0.04, 4: 0.06, 3: 0.15, 2: 0.25, 1: 0.50}),
    "abandoned": Weighted({3: 0.2, 2: 0.3, 1: 0.5}),
}


@dataclass(frozen=True)
class Customer:
    """A stable customer of the app; returning customers reuse this."""

    customer_id: str
    persona: Persona
    spanish: bool
    timezone: str
    home_channel: str

    @property
    def locale(self) -> str:
        return "es-US" if self.spanish else "en-US"


@dataclass(frozen=True)
class Setup:
    """Everything decided before the conversation is played."""

    customer: Customer
    channel: str
    intent: IntentProfile
    bot_version: str
    started_at: int  # epoch seconds, UTC
    returning: bool  # a follow-up on an earlier unresolved contact
    incident_severity: float  # 0.0 when no incident matches


@dataclass
class Played:
    """A played conversation: events as (at, actor, event_type, text, agent_id, payload)."""

    events: list[tuple[int, str, str, str | None, str | None, dict[str, object] | None]]
    spans: list[tuple[int, Span]]  # (seq, span)
    customer_spoke: bool
    truly_resolved: bool
    csat_score: int | None = None
    csat_at: int | None = None


@dataclass
class _Script:
    """Appends timed events; clock in epoch seconds, strictly increasing per event."""

    dice: Dice
    setup: Setup
    agent_ids: tuple[str, ...]
    style: Style
    clock: int
    events: list[tuple[int, str, str, str | None, str | None, dict[str, object] | None]] = field(
        default_factory=list
    )
    spans: list[tuple[int, Span]] = field(default_factory=list)
    customer_spoke: bool = False
    agent_id: str | None = None

    @property
    def lang(self) -> str:
        return "es" if self.setup.customer.spanish else "en"

    @property
    def email(self) -> bool:
        return self.setup.channel == "email"

    def emit(
        self,
        delay: float,
        actor: str,
        kind: str,
        text: str | None = None,
        payload: dict[str, object] | None = None,
        agent_id: str | None = None,
    ) -> None:
        # The first event keeps the sampled start; later ones are at least a second apart
        # so ordering by sent_at is unambiguous (the flat CSV form has no seq column).
        self.clock = self.clock if not self.events else self.clock + max(1, int(delay))
        self.events.append((self.clock, actor, kind, text, agent_id, payload))

    def customer(self, template: str, wrap: bool = False) -> None:
        dice = self.dice
        text, spans = render_customer(template, dice, self.setup.customer.persona, self.style)
        if wrap:
            wrapper = dice.pick(EMAIL_WRAP[self.lang])
            text, spans = render_customer(
                wrapper, dice, self.setup.customer.persona, self.style, body=(text, spans)
            )
        delay = dice.between(3600, 30 * 3600) if self.email else 6 + dice.exponential(35)
        self.emit(delay, "customer", "message", text)
        seq = len(self.events) - 1
        self.spans.extend((seq, span) for span in spans)
        self.customer_spoke = True

    def bot(self, template: str) -> None:
        delay = self.dice.between(60, 240) if self.email else self.dice.between(1, 4)
        self.emit(delay, "bot", "message", fill(template, self.dice))

    def agent(self, template: str, first: bool = False) -> None:
        dice = self.dice
        if self.email:
            delay = dice.between(2 * 3600, 20 * 3600)
        else:
            delay = dice.between(20, 120) if first else dice.between(30, 150)
        self.emit(delay, "agent", "message", fill(template, dice), agent_id=self.agent_id)

    def feedback(self, value: str) -> None:
        delay = self.dice.between(2, 20)
        self.emit(delay, "customer", "feedback", None, {"value": value})

    def follow_up(self) -> None:
        question, reply = self.dice.pick(FOLLOW_UP[self.lang])
        self.customer(question)
        self.bot(reply)

    def pick(self, kind: str) -> str:
        return self.dice.pick(GENERIC[self.lang][kind])


def play(setup: Setup, dice: Dice, agent_ids: tuple[str, ...]) -> Played:
    """Draw the latent outcome of ``setup`` and the events that show it."""
    spanish = setup.customer.spanish
    script = _Script(dice, setup, agent_ids, draw_style(dice, spanish), setup.started_at)
    truly_resolved = False
    csat_kind = "abandoned"
    if dice.chance(_SYSTEM_ONLY):
        script.emit(0, "system", "message", script.pick("system_open"))
    else:
        truly_resolved, csat_kind = _talk(script, setup)
    csat_score = csat_at = None
    if script.customer_spoke and dice.chance(_CSAT_RATE[csat_kind]):
        csat_score = _CSAT_SCORES[csat_kind].draw(dice)
        script.emit(dice.between(5, 90), "customer", "csat", None, {"score": csat_score})
        csat_at = script.clock
    if dice.chance(0.97):
        script.emit(dice.between(30, 600), "system", "closed")
    return Played(
        events=script.events,
        spans=script.spans,
        customer_spoke=script.customer_spoke,
        truly_resolved=truly_resolved,
        csat_score=csat_score,
        csat_at=csat_at,
    )


def _talk(script: _Script, setup: Setup) -> tuple[bool, str]:
    """The conversation proper; returns (truly_resolved, csat outcome kind)."""
    dice, intent = script.dice, setup.intent
    phrases = (INTENT_PHRASES.get(intent.name) or PLANTED_PHRASES[intent.name])[script.lang]
    if not script.email and dice.chance(0.55):
        script.bot(script.pick("greeting"))
    opener = dice.pick(phrases["open_pii"] if dice.chance(intent.pii) else phrases["open"])
    if setup.returning and dice.chance(0.6):
        opener = script.pick("returning") + " " + opener
    script.customer(opener, wrap=script.email and dice.chance(0.7))
    if dice.chance(0.04):
        script.customer(script.pick("volunteer"))

    abandon = intent.abandon * (0.4 if script.email else 1.0)
    if dice.chance(abandon):
        if dice.chance(0.35):
            script.customer(script.pick("still_there"))
        return False, "abandoned"
    if dice.chance(_IMMEDIATE_HUMAN):
        script.customer(script.pick("ask_human"))
        script.bot(script.pick("connect"))
        return _human(script, "customer_request"), "agent"
    if dice.chance(intent.policy):
        script.bot(script.pick("policy"))
        return _human(script, "policy_required"), "agent"
    if dice.chance(0.3):
        question, answers = dice.pick(CLARIFY[script.lang])
        script.bot(question)
        script.customer(dice.pick(answers))
    script.bot(dice.pick(phrases["answered" if intent.answered else "answer"]))

    severity = setup.incident_severity
    solve = intent.solve[setup.bot_version] + _CHANNEL_SOLVE[setup.channel]
    solve += (_SPANISH_SOLVE if setup.customer.spanish else 0.0) + (
        _RETURNING_SOLVE if setup.returning else 0.0
    )
    solve = max(0.0, solve) * (1.0 - severity)
    if dice.chance(solve):
        return _solved(script)
    return _unsolved(script, intent, severity)


def _solved(script: _Script) -> tuple[bool, str]:
    dice = script.dice
    if dice.chance(0.05):
        # Right answer, but the customer wants a person to confirm: the bot did not close it.
        script.customer(script.pick("ask_human"))
        script.bot(script.pick("connect"))
        return _human(script, "customer_request"), "agent"
    if dice.chance(0.25):
        script.follow_up()
    explicit = dice.chance(0.55)
    if explicit:
        script.customer(script.pick("thanks"))
        if dice.chance(0.6):
            script.bot(script.pick("anything_else"))
            if dice.chance(0.5):
                script.customer(script.pick("no_thanks"))
    if dice.chance(0.35 if explicit else 0.12):
        if dice.chance(0.5):
            script.bot(script.pick("was_helpful"))
        if dice.chance(0.04):
            script.feedback("negative")  # a misclick, sometimes corrected
            if dice.chance(0.5):
                script.feedback("positive")
        else:
            script.feedback("positive")
    return True, "solved"


def _unsolved(script: _Script, intent: IntentProfile, severity: float) -> tuple[bool, str]:
    dice = script.dice
    handoff = min(0.95, intent.handoff + 0.25 * severity)
    if dice.chance(handoff):
        if dice.chance(0.5 + 0.3 * severity):
            return _fallback_loop(script), "agent"
        script.customer(script.pick("frustrated") if dice.chance(0.4) else script.pick("ask_human"))
        if dice.chance(0.5):
            script.customer(script.pick("ask_human"))
        script.bot(script.pick("connect"))
        return _human(script, "customer_request"), "agent"
    if dice.chance(0.15):
        script.follow_up()
    roll = dice.uniform()
    if roll < 0.40 - 0.2 * severity:
        # Silent exit after a wrong answer: looks resolved on every automatic signal.
        if dice.chance(0.05):
            script.feedback("positive")  # polite thumbs-up on a non-answer
        return False, "unsolved"
    script.customer(script.pick("frustrated"))
    if dice.chance(0.3):
        script.bot(script.pick("fallback"))
        script.customer(script.pick("rephrase"))
    if roll < 0.85:
        if dice.chance(0.3):
            script.bot(script.pick("was_helpful"))
        script.feedback("negative")
        if dice.chance(0.06):
            script.feedback("positive")  # changed their mind after re-reading the answer
    return False, "unsolved"


def _fallback_loop(script: _Script) -> bool:
    dice = script.dice
    for _ in range(dice.integer(2, 3)):
        script.customer(script.pick("rephrase"))
        script.bot(script.pick("fallback"))
    if dice.chance(0.3):
        script.customer(script.pick("frustrated"))
    script.bot(script.pick("fallback_connect"))
    return _human(script, "bot_fallback")


def _human(script: _Script, reason: str) -> bool:
    """Handoff to an agent; the bot did not solve it, so the latent outcome is False."""
    dice = script.dice
    script.emit(dice.between(1, 3), "bot", "handoff_requested", None, {"reason": reason})
    if dice.chance(0.08 + 0.1 * script.setup.incident_severity):
        # Left the queue before an agent picked up.
        if dice.chance(0.5):
            script.customer(script.pick("still_there"))
        return False
    script.agent_id = dice.pick(script.agent_ids)
    wait = dice.between(3600, 12 * 3600) if script.email else dice.between(30, 900)
    script.emit(wait, "agent", "handoff_accepted", None, None, agent_id=script.agent_id)
    script.agent(script.pick("agent_hello"), first=True)
    if dice.chance(0.5):
        script.customer(script.pick("volunteer") if dice.chance(0.2) else script.pick("detail"))
    name = script.setup.intent.name
    specific = AGENT_RESOLUTIONS.get(name) or PLANTED_RESOLUTIONS[name]
    script.agent(
        dice.pick(specific)
        if script.lang == "en" and dice.chance(0.7)
        else script.pick("agent_work")
    )
    if dice.chance(0.7):
        script.customer(script.pick("customer_ok"))
    if dice.chance(0.5):
        script.agent(script.pick("agent_close"))
    return False
