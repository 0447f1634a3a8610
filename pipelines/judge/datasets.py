"""Public dialogues with a real outcome, as canonical JSONL records, for evaluating judges.

Two corpora from the shared reference data (read by path, never copied):

* **SGD** (Schema-Guided Dialogue, ``sgd/{train,dev,test}/dialogues_*.json``): user and
  system turns with dialogue acts. Outcome: *resolved* when any system turn carries
  ``NOTIFY_SUCCESS`` (the requested transaction went through), *unresolved* when a
  system turn carries ``NOTIFY_FAILURE`` and none carries ``NOTIFY_SUCCESS``; dialogues
  with neither (searches that never asked for a transaction) are excluded.
* **STAR** (``star/dialogues/*.json``, Wizard-of-Oz): the user's ``utter`` events are
  customer messages, the wizard's ``utter`` / ``pick_suggestion`` events are bot
  messages; instructions, suggestions, API queries and knowledge-base returns are
  not part of a chat export and are dropped. Outcome, from ``CompletionLevel`` and
  ``Scenario.Happy``:

  | CompletionLevel | Happy | outcome | why |
  | --- | --- | --- | --- |
  | Complete, DisconnectDuringQuestionnaire | true | resolved | the scenario can be served and the dialogue ran to its end |
  | EarlyDisconnectDuringDialogue | any | unresolved | the user left early, before the task was done |
  | Complete | false | excluded | "unhappy" scenarios are built to go wrong (changed minds, impossible requests); whether the user got what they wanted is not recorded |
  | DisconnectDuringDialogue | any | excluded | a disconnect late in the dialogue, often after the task was done: not an outcome |

* **STAR, user-reported** (``star-survey``): the same STAR dialogues, outcome = the
  user's own answer to the task question of the post-dialogue questionnaire ("Did the
  AI Assistant book your flight?"), where one was asked (questions about the
  assistant's manner are not outcomes). Fewer dialogues, but the customer's word
  rather than a completion flag: a "Complete" happy dialogue can still end in "I
  cannot authenticate you".

Nothing derived from the outcome enters the records (no "complete" event, no
questionnaire), and every dialogue gets its own customer id: STAR workers did many
dialogues, and their return would read as a customer recontact.

``SPLITS`` fixes which dialogues the signals judge was developed on and which are
held out; it was set before any pattern was written and must not change.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SGD_DAY = date(2025, 3, 3)
STAR_DAY = date(2025, 3, 4)
# Each dialogue starts this many seconds after the previous one; turns are 5 s apart.
_DIALOGUE_SPACING = 30
_TURN_SECONDS = 5

DEVELOP = "develop"
HOLDOUT = "holdout"
# Which dialogues the judge's patterns and weights were developed on. SGD: its train
# files (all restaurant bookings) are the development set; dev and test (15 other
# services) are held out. STAR: every fourth dialogue id is development.
SPLITS = {
    "sgd": "develop = sgd/train; holdout = sgd/dev + sgd/test",
    "star": "develop = DialogueID % 4 == 0; holdout = the rest",
    "star-survey": "as star",
}
STAR_BOT_ACTIONS = frozenset({"utter", "pick_suggestion"})
# Questionnaire items about the assistant's manner or the task's fun, not its outcome.
NOT_OUTCOME_QUESTIONS = ("calm and helpful", "enjoy")


@dataclass(frozen=True)
class Dialogue:
    """One dialogue with a known outcome: its canonical JSONL record and where it belongs."""

    record: dict[str, object]
    resolved: bool
    dataset: str
    split: str

    @property
    def conversation_id(self) -> str:
        return str(self.record["conversation_id"])


@dataclass(frozen=True)
class Corpus:
    """The dialogues with an outcome, and why the others were left out."""

    dialogues: list[Dialogue]
    excluded: Counter[str]


def _record(
    conversation_id: str,
    source: str,
    day: date,
    index: int,
    intent: str | None,
    messages: list[tuple[str, str]],
) -> dict[str, object]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        seconds=index * _DIALOGUE_SPACING
    )
    events = [
        {
            "seq": seq,
            "sent_at": (start + timedelta(seconds=seq * _TURN_SECONDS)).isoformat(),
            "actor": actor,
            "event_type": "message",
            "text": text,
        }
        for seq, (actor, text) in enumerate(messages)
    ]
    return {
        "conversation_id": conversation_id,
        "source": source,
        "started_at": events[0]["sent_at"],
        "ended_at": events[-1]["sent_at"],
        "channel": "web",
        "locale": "en-US",
        "market": "US",
        "customer_id": f"{conversation_id}-customer",
        "bot_version": source,
        "intent": intent,
        "events": events,
    }


def _sgd_acts(turn: dict) -> set[str]:
    return {action["act"] for frame in turn["frames"] for action in frame["actions"]}


def sgd_corpus(root: Path) -> Corpus:
    """SGD dialogues under ``root`` (the ``sgd`` folder) with a transaction outcome."""
    files = [
        (split, path)
        for folder, split in (("train", DEVELOP), ("dev", HOLDOUT), ("test", HOLDOUT))
        for path in sorted((root / folder).glob("dialogues_*.json"))
    ]
    if not files:
        raise FileNotFoundError(f"no SGD dialogues under {root}")
    dialogues, excluded = [], Counter[str]()
    for split, path in files:
        for raw in json.loads(path.read_text(encoding="utf-8")):
            acts = set().union(*(_sgd_acts(t) for t in raw["turns"] if t["speaker"] == "SYSTEM"))
            if "NOTIFY_SUCCESS" in acts:
                resolved = True
            elif "NOTIFY_FAILURE" in acts:
                resolved = False
            else:
                excluded["no_transaction_outcome"] += 1
                continue
            messages = [
                ("customer" if turn["speaker"] == "USER" else "bot", turn["utterance"])
                for turn in raw["turns"]
            ]
            conversation_id = f"sgd-{path.parent.name}-{raw['dialogue_id']}"
            record = _record(
                conversation_id, "sgd", SGD_DAY, len(dialogues), raw["services"][0], messages
            )
            dialogues.append(Dialogue(record, resolved, "sgd", split))
    return Corpus(dialogues, excluded)


def star_outcome(raw: dict) -> bool | str:
    """True/False for resolved/unresolved, or the reason the dialogue is excluded."""
    level, happy = raw["CompletionLevel"], bool(raw["Scenario"]["Happy"])
    if level == "EarlyDisconnectDuringDialogue":
        return False
    if level in ("Complete", "DisconnectDuringQuestionnaire"):
        return True if happy else "unhappy_scenario_complete"
    return "late_disconnect"


def star_task_answer(raw: dict) -> bool | str:
    """The user's questionnaire answer on whether the task was done, or why there is none."""
    answers = [
        bool(item["Answer"])
        for item in raw.get("UserQuestionnaire", [])
        if not any(word in item["Question"] for word in NOT_OUTCOME_QUESTIONS)
    ]
    if not answers:
        return "no_task_question"
    return all(answers)


def star_corpus(root: Path, user_reported: bool = False) -> Corpus:
    """STAR dialogues under ``root`` (the ``star`` folder) with an outcome: the
    completion mapping, or with ``user_reported`` the questionnaire answer."""
    paths = sorted((root / "dialogues").glob("*.json"), key=lambda p: int(p.stem))
    if not paths:
        raise FileNotFoundError(f"no STAR dialogues under {root / 'dialogues'}")
    dialogues, excluded = [], Counter[str]()
    for path in paths:
        raw = json.loads(path.read_text(encoding="utf-8"))
        outcome = star_task_answer(raw) if user_reported else star_outcome(raw)
        if isinstance(outcome, str):
            excluded[outcome] += 1
            continue
        messages = [
            ("customer" if event["Agent"] == "User" else "bot", event["Text"])
            for event in raw["Events"]
            if (event["Agent"] == "User" and event["Action"] == "utter")
            or (event["Agent"] == "Wizard" and event["Action"] in STAR_BOT_ACTIONS)
            if event.get("Text", "").strip()
        ]
        if not messages:
            excluded["no_messages"] += 1
            continue
        dialogue_id = int(raw["DialogueID"])
        domains = [d for d in raw["Scenario"]["Domains"] if d]
        record = _record(
            f"star-{dialogue_id}",
            "star",
            STAR_DAY,
            len(dialogues),
            domains[0] if domains else None,
            messages,
        )
        split = DEVELOP if dialogue_id % 4 == 0 else HOLDOUT
        dataset = "star-survey" if user_reported else "star"
        dialogues.append(Dialogue(record, outcome, dataset, split))
    return Corpus(dialogues, excluded)


def write_jsonl(dialogues: Iterable[Dialogue], path: Path) -> int:
    """Canonical JSONL, one conversation per line; returns the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for dialogue in dialogues:
            handle.write(json.dumps(dialogue.record, ensure_ascii=False) + "\n")
            n += 1
    return n


def days_of(dialogues: Iterable[Dialogue]) -> Iterator[date]:
    """The partition days the dialogues fall on."""
    seen = {str(d.record["started_at"])[:10] for d in dialogues}
    return (date.fromisoformat(day) for day in sorted(seen))
