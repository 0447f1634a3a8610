"""Label Studio round trip: tasks + labeling config out, annotation exports back in.

Formats follow the Label Studio docs: import tasks are ``[{"data": {...}}]`` (optionally
with ``"predictions"``); the ``<Paragraphs>`` tag reads a list of objects whose
speaker/text keys are set by ``nameKey``/``textKey``; the JSON export is a list of
tasks each with ``"annotations": [{"completed_by", "was_cancelled", "result": [...]}]``
where a ``<Choices>`` result is ``{"type": "choices", "value": {"choices": [...]}}``
and a ``<TextArea>`` result is ``{"type": "textarea", "value": {"text": [...]}}``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd

from schemas.labels import FIELDS, FIELDS_BY_NAME, GUIDELINE_VERSION

DIALOGUE = "dialogue"  # name of the <Paragraphs> object tag every control points at
LONG_COLUMNS = (
    "batch_id",
    "guideline_version",
    "item_id",
    "annotator_id",
    "field",
    "value",
    "is_gold",
    "is_adjudication",
)


# ---------------------------------------------------------------- export


def label_config_xml(intents: Sequence[str] = ()) -> str:
    """The labeling interface matching :func:`build_tasks`' task data.

    ``corrected_intent`` is a choice list when the intent catalogue is known (so
    corrections are comparable across labelers), free text otherwise; it is shown
    only when ``intent_correct`` is "no".
    """
    lines = [
        "<View>",
        '  <Header value="$intent"/>',
        '  <Header value="$channel"/>',
        f'  <Paragraphs name="{DIALOGUE}" value="$dialogue" layout="dialogue" '
        'nameKey="role" textKey="text"/>',
    ]
    for spec in FIELDS:
        shown_when = (
            ' visibleWhen="choice-selected" whenTagName="intent_correct" whenChoiceValue="no"'
            if spec.name == "corrected_intent"
            else ""
        )
        required = ' required="true"' if spec.required else ""
        lines.append(f"  <Header value={quoteattr(spec.question)}/>")
        choices = spec.choices or (tuple(intents) if spec.name == "corrected_intent" else ())
        if choices:
            lines.append(
                f'  <Choices name="{spec.name}" toName="{DIALOGUE}" choice="single"'
                f"{required}{shown_when}>"
            )
            lines.extend(f"    <Choice value={quoteattr(choice)}/>" for choice in choices)
            lines.append("  </Choices>")
        else:
            lines.append(
                f'  <TextArea name="{spec.name}" toName="{DIALOGUE}" maxSubmissions="1"'
                f"{shown_when}/>"
            )
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def dialogue_turns(events: pd.DataFrame) -> list[dict[str, str]]:
    """One conversation's scrubbed events as ``[{"role", "text"}]`` for <Paragraphs>.

    Non-message events (handoffs, feedback, CSAT, close) become ``system`` lines so
    the labeler sees when and why a handoff happened.
    """
    return _turns(events.sort_values("seq").to_dict("records"))


def _turns(events: list[dict]) -> list[dict[str, str]]:
    turns = []
    for event in events:
        text = event["text"] if isinstance(event["text"], str) else ""
        if event["event_type"] == "message":
            if text:
                turns.append({"role": str(event["actor"]), "text": text})
            continue
        payload = event["payload"] if isinstance(event["payload"], str) else ""
        detail = " ".join(part for part in (text, payload) if part and part != "{}")
        turns.append({"role": "system", "text": f"[{event['event_type']}] {detail}".strip()})
    return turns


def build_tasks(
    items: pd.DataFrame,
    conversations: pd.DataFrame,
    events: pd.DataFrame,
    guideline_version: str = GUIDELINE_VERSION,
) -> list[dict]:
    """One Label Studio task per sampled item.

    ``items``: the sample (batch_id, conversation_id, inclusion_prob, is_gold,
    assigned_labelers); ``conversations``: metadata (conversation_id,
    conversation_date, intent, channel, bot_version); ``events``: scrubbed events.
    An item without metadata or without any event is an error, not a silent skip.
    """
    meta = conversations.drop_duplicates("conversation_id").set_index("conversation_id")
    missing = sorted(set(items["conversation_id"]) - set(meta.index))
    if missing:
        raise ValueError(f"{len(missing)} sampled conversations lack metadata, e.g. {missing[:3]}")
    ordered = events.sort_values(["conversation_id", "seq"]).to_dict("records")
    by_conversation: dict[str, list[dict]] = {}
    for event in ordered:
        by_conversation.setdefault(event["conversation_id"], []).append(event)
    no_events = sorted(set(items["conversation_id"]) - set(by_conversation))
    if no_events:
        raise ValueError(
            f"{len(no_events)} sampled conversations have no events, e.g. {no_events[:3]}"
        )
    tasks = []
    for item in items.itertuples(index=False):
        row = meta.loc[item.conversation_id]
        labelers = getattr(item, "assigned_labelers", "")
        tasks.append(
            {
                "data": {
                    DIALOGUE: _turns(by_conversation[item.conversation_id]),
                    "conversation_id": item.conversation_id,
                    "batch_id": item.batch_id,
                    "guideline_version": guideline_version,
                    "intent": _json_value(row.get("intent")),
                    "channel": _json_value(row.get("channel")),
                    "bot_version": _json_value(row.get("bot_version")),
                    "date": _json_value(row.get("conversation_date")),
                    "inclusion_prob": _json_value(item.inclusion_prob),
                    "is_gold": bool(item.is_gold),
                    "assigned_labelers": labelers.split(",")
                    if isinstance(labelers, str) and labelers
                    else [],
                }
            }
        )
    return tasks


def _json_value(value: object) -> object:
    """Plain JSON scalars: NaN/NaT -> null, dates -> ISO strings, numpy -> Python."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") else value.isoformat()
    return value.item() if hasattr(value, "item") else value


def write_tasks(
    tasks: list[dict],
    out: Path,
    intents: Sequence[str] = (),
    config_name: str = "label_config.xml",
) -> tuple[Path, Path]:
    """Write ``tasks`` as Label Studio import JSON and the labeling config beside it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(tasks, indent=1, ensure_ascii=False))
    config = out.parent / config_name
    config.write_text(label_config_xml(intents))
    return out, config


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ParsedExport:
    """Labels from one export, and what was set aside (never silently dropped).

    ``ignored_fields`` counts results per control name that is not part of the labeling
    schema (a project with extra questions): reported, not imported.
    """

    labels: pd.DataFrame
    n_tasks: int
    n_annotations: int
    n_cancelled: int
    ignored_fields: dict[str, int] = field(default_factory=dict)


def annotator_id(completed_by: object) -> str:
    """Label Studio writes ``completed_by`` as a user id, or as a user object in some
    export versions; prefer the email, which is stable across instances."""
    if isinstance(completed_by, dict):
        for key in ("email", "username", "id"):
            if completed_by.get(key) not in (None, ""):
                return str(completed_by[key])
        raise ValueError(f"completed_by object without email/username/id: {completed_by}")
    if completed_by in (None, ""):
        raise ValueError("annotation without completed_by")
    return str(completed_by)


def _result_values(name: str, result: dict) -> list[str]:
    """The values of one result entry for schema field ``name``; raises on a result type
    the field cannot hold."""
    kind = result.get("type")
    value = result.get("value", {})
    if kind == "choices":
        return [str(v) for v in value.get("choices", [])]
    if kind == "textarea":
        return ["\n".join(str(v) for v in value.get("text", []))]
    raise ValueError(f"field {name!r}: unsupported result type {kind!r}")


def task_item_id(task: dict) -> str:
    """The conversation id our tasks carry, else the Label Studio task id (a project that
    closedloop did not create)."""
    data = task.get("data") or {}
    for candidate in (data.get("conversation_id"), task.get("id")):
        if candidate not in (None, ""):
            return str(candidate)
    raise ValueError("a task has neither data.conversation_id nor an id")


def parse_export(
    tasks: Iterable[dict],
    batch_id: str | None = None,
    guideline_version: str | None = None,
    default_batch_id: str | None = None,
) -> ParsedExport:
    """A Label Studio JSON export -> the long label frame.

    ``batch_id``/``guideline_version`` override the values :func:`build_tasks` put in
    each task's data; where neither gives one, the batch is ``default_batch_id`` (an
    error when that is None too) and the
    guideline version stays empty (None), which agreement accepts and the label store
    does not (see :func:`schemas.annotations.validate_labels`). Cancelled (skipped)
    annotations are counted, not kept; results for controls outside the labeling schema
    are counted in ``ignored_fields``. Tasks with ``data.adjudication`` true hold
    adjudicated answers.
    """
    rows = []
    ignored: Counter[str] = Counter()
    n_tasks = n_annotations = n_cancelled = 0
    for task in tasks:
        n_tasks += 1
        data = task.get("data") or {}
        item = task_item_id(task)
        batch = batch_id or data.get("batch_id") or default_batch_id
        if not batch:
            raise ValueError(f"task {task.get('id')} ({item}): no batch_id in the data nor given")
        version = guideline_version or data.get("guideline_version") or None
        for annotation in task.get("annotations", []):
            n_annotations += 1
            if annotation.get("was_cancelled"):
                n_cancelled += 1
                continue
            who = annotator_id(annotation.get("completed_by"))
            for result in annotation.get("result", []):
                name = result.get("from_name")
                if name not in FIELDS_BY_NAME:
                    ignored[str(name)] += 1
                    continue
                values = _result_values(name, result)
                if len(values) != 1:
                    raise ValueError(f"{item}/{who}/{name}: expected one choice, got {values}")
                rows.append(
                    (batch, version, item, who, name, values[0], bool(data.get("is_gold", False)),
                     bool(data.get("adjudication", False)))
                )  # fmt: skip
    if ignored and not rows:
        raise ValueError(
            f"no result for any field of the labeling schema ({sorted(FIELDS_BY_NAME)}); "
            f"the export has {sorted(ignored)}"
        )
    labels = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    return ParsedExport(labels, n_tasks, n_annotations, n_cancelled, dict(ignored))


def read_export(
    path: Path, batch_id: str | None = None, guideline_version: str | None = None
) -> ParsedExport:
    """Parse a Label Studio JSON export file; the batch id defaults to the data's
    ``batch_id``, else to the file name (a project closedloop did not create)."""
    try:
        raw = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a JSON list of tasks (Label Studio JSON export)")
    if not all(isinstance(task, dict) for task in raw):
        raise ValueError(f"{path}: expected a JSON list of task objects")
    return parse_export(raw, batch_id, guideline_version, default_batch_id=path.stem)


def read_long_csv(
    path: Path,
    batch_id: str,
    guideline_version: str = GUIDELINE_VERSION,
    gold_ids: Iterable[str] = (),
) -> pd.DataFrame:
    """A simple long CSV (item_id, annotator_id, field, value) -> the long label frame."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("item_id", "annotator_id", "field", "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    gold = set(gold_ids)
    return pd.DataFrame(
        {
            "batch_id": batch_id,
            "guideline_version": guideline_version,
            "item_id": frame["item_id"],
            "annotator_id": frame["annotator_id"],
            "field": frame["field"],
            "value": frame["value"],
            "is_gold": frame["item_id"].isin(gold),
            "is_adjudication": False,
        }
    )[list(LONG_COLUMNS)]


# ---------------------------------------------------------------- adjudication


def adjudication_tasks(
    tasks: Iterable[dict], labels: pd.DataFrame, queue: pd.DataFrame
) -> list[dict]:
    """Tasks for the items in ``queue`` (item_id, field): the original task data plus
    ``adjudication: true`` and the disputed fields, with each labeler's choices as a
    Label Studio prediction (``model_version`` = the labeler) and their free-text
    answers in ``data.labeler_notes``, so the adjudicator sees them. Importing the
    adjudicator's export makes the adjudicated answers the consensus."""
    if queue.empty:
        return []
    disputed = queue.groupby("item_id")["field"].apply(sorted).to_dict()
    by_item = {task_item_id(task): task for task in tasks}
    missing = sorted(set(disputed) - set(by_item))
    if missing:
        raise ValueError(f"{len(missing)} disputed items are not in the export, e.g. {missing[:3]}")
    ratings = labels.loc[labels["item_id"].isin(set(disputed)) & ~labels["is_adjudication"]]
    ratings = ratings.assign(
        categorical=ratings["field"].map(lambda name: FIELDS_BY_NAME[name].is_categorical)
    )
    by_item_ratings = dict(iter(ratings.groupby("item_id", sort=False)))
    out = []
    for item, fields in sorted(disputed.items()):
        theirs = by_item_ratings[item]
        categorical = theirs["categorical"]
        # Free text goes into the data, not predictions: corrected_intent may be a
        # <Choices> or a <TextArea> depending on the config, and a prediction must match.
        notes = [
            f"{r.annotator_id} {r.field}: {r.value}"
            for r in theirs.loc[~categorical].itertuples(index=False)
            if r.value
        ]
        # The item and batch ids go into the data so the adjudicated export maps back to
        # the same items even when the original tasks had neither (a plain LS project).
        data = dict(
            by_item[item].get("data") or {},
            conversation_id=item,
            batch_id=str(theirs["batch_id"].iloc[0]),
            adjudication=True,
            disputed_fields=fields,
            labeler_notes=notes,
        )
        predictions = [
            {
                "model_version": str(who),
                "result": [
                    {
                        "from_name": r.field,
                        "to_name": DIALOGUE,
                        "type": "choices",
                        "value": {"choices": [r.value]},
                    }
                    for r in answers.itertuples(index=False)
                ],
            }
            for who, answers in theirs.loc[categorical].groupby("annotator_id", sort=True)
        ]
        out.append({"data": data, "predictions": predictions})
    return out
