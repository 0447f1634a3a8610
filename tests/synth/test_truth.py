"""Ground truth: PII spans, realism shapes, rollout, incidents, ladder consistency, recontacts."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from pipelines.synth import GenerationSummary, expected_outcomes, read_truth

PII_TYPES = {"PERSON", "EMAIL", "PHONE", "STREET_ADDRESS", "CREDIT_CARD", "US_SSN", "ORDER_ID"}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _texts(summary: GenerationSummary) -> dict[tuple[str, int], str]:
    texts = {}
    for path in summary.landing_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for event in record["events"]:
                texts[(record["conversation_id"], event["seq"])] = event["text"]
    return texts


def test_every_pii_span_points_at_its_value_in_a_customer_message(
    generated: tuple[Path, GenerationSummary],
) -> None:
    root, summary = generated
    texts = _texts(summary)
    rows = read_truth(root / "truth")
    spans = [(row["conversation_id"], span) for row in rows for span in row["pii"]]
    assert len(spans) == summary.pii_spans > 0
    for conversation_id, span in spans:
        text = texts[(conversation_id, span["seq"])]
        assert text[span["start"] : span["end"]] == span["value"]
        assert span["type"] in PII_TYPES
    assert {span["type"] for _, span in spans} == PII_TYPES
    share = sum(bool(row["pii"]) for row in rows) / len(rows)
    assert 0.12 <= share <= 0.30, f"{share:.1%} of conversations carry PII"


def test_planted_cards_are_luhn_valid_and_ssns_structurally_valid(
    generated: tuple[Path, GenerationSummary],
) -> None:
    root, _ = generated
    spans = [span for row in read_truth(root / "truth") for span in row["pii"]]
    cards = [
        "".join(c for c in s["value"] if c.isdigit()) for s in spans if s["type"] == "CREDIT_CARD"
    ]
    ssns = ["".join(c for c in s["value"] if c.isdigit()) for s in spans if s["type"] == "US_SSN"]
    assert cards and ssns
    assert all(len(card) in (15, 16) and _luhn_ok(card) for card in cards)
    for ssn in ssns:
        area, group, serial = int(ssn[:3]), int(ssn[3:5]), int(ssn[5:])
        assert len(ssn) == 9 and area not in (0, 666) and area < 900 and group and serial


def test_realistic_mix_of_intents_channels_and_locales(
    generated: tuple[Path, GenerationSummary],
) -> None:
    root, _ = generated
    rows = read_truth(root / "truth")
    assert len({row["intent"] for row in rows if row["intent"]}) >= 20
    assert {row["channel"] for row in rows} == {"web", "ios", "android", "email"}
    spanish = sum(row["locale"] == "es-US" for row in rows) / len(rows)
    assert 0.05 < spanish < 0.25
    reasons = Counter(row["handoff_reason"] for row in rows if row["handed_off"])
    assert {"customer_request", "bot_fallback", "policy_required"} <= set(reasons)
    csat = sum(row["csat_score"] is not None for row in rows) / len(rows)
    assert 0.08 <= csat <= 0.25
    assert any(not row["bot_involved"] for row in rows), "some conversations have no bot message"


def test_bot_v2_rolls_out_over_the_range(generated: tuple[Path, GenerationSummary]) -> None:
    root, _ = generated
    rows = read_truth(root / "truth")

    def v2_share(days: set[str]) -> float:
        picked = [row for row in rows if row["partition_date"] in days]
        return sum(row["bot_version"] == "v2" for row in picked) / len(picked)

    assert v2_share({f"2026-01-0{d}" for d in range(1, 8)}) == 0.0
    assert v2_share({f"2026-01-{d}" for d in range(22, 29)}) > 0.8


def test_incident_degrades_its_slice_against_the_control(
    generated: tuple[Path, GenerationSummary],
) -> None:
    root, summary = generated
    rows = read_truth(root / "truth")
    during = [r for r in rows if r["incident"]]
    assert len(during) == summary.incident_conversations > 30
    assert all(r["channel"] == "ios" and r["partition_date"] >= "2026-01-15" for r in during)
    control = [r for r in rows if r["channel"] != "ios" and r["partition_date"] >= "2026-01-15"]

    def rate(picked: list[dict], column: str) -> float:
        return sum(bool(r[column]) for r in picked) / len(picked)

    assert rate(during, "truly_resolved") < rate(control, "truly_resolved") - 0.2
    assert rate(during, "assumed_resolved") < rate(control, "assumed_resolved") - 0.1
    derived = expected_outcomes(rows)
    recontact = [derived[r["conversation_id"]].recontacted for r in during]
    control_recontact = [derived[r["conversation_id"]].recontacted for r in control]
    assert sum(recontact) / len(recontact) > sum(control_recontact) / len(control_recontact)


def test_truth_ladder_is_internally_consistent(generated: tuple[Path, GenerationSummary]) -> None:
    root, _ = generated
    for row in read_truth(root / "truth"):
        assert not row["contained"] or row["bot_involved"]
        assert row["contained"] == (row["bot_involved"] and not row["handed_off"])
        assert row["abandoned"] == (row["contained"] and not row["bot_answered"])
        assert not row["assumed_resolved"] or (row["contained"] and row["bot_answered"])
        assert not row["confirmed_resolved"] or row["assumed_resolved"]
        assert not row["truly_resolved"] or row["contained"]
        assert (row["handoff_reason"] is not None) <= row["handed_off"]


def test_returning_customers_recontact_within_seven_days(
    generated: tuple[Path, GenerationSummary],
) -> None:
    root, _ = generated
    rows = read_truth(root / "truth")
    visits = Counter(row["customer_id"] for row in rows)
    assert sum(n > 1 for n in visits.values()) > 30
    derived = expected_outcomes(rows, recontact_days=7)
    assert set(derived) == {row["conversation_id"] for row in rows}
    unresolved = [
        derived[r["conversation_id"]].recontacted for r in rows if not r["truly_resolved"]
    ]
    resolved = [derived[r["conversation_id"]].recontacted for r in rows if r["truly_resolved"]]
    assert sum(unresolved) / len(unresolved) > 2 * sum(resolved) / len(resolved) > 0
    for row in rows:
        outcome = derived[row["conversation_id"]]
        assert outcome.durable_resolved == (row["assumed_resolved"] and not outcome.recontacted)
    channels_by_customer: dict[str, set[str]] = {}
    for row in rows:
        channels_by_customer.setdefault(row["customer_id"], set()).add(row["channel"])
    assert any(len(channels) > 1 for channels in channels_by_customer.values()), (
        "recontacts cross channels"
    )


def test_weekday_and_time_of_day_shapes(generated: tuple[Path, GenerationSummary]) -> None:
    root, _ = generated
    rows = read_truth(root / "truth")
    by_weekday = Counter(date.fromisoformat(r["partition_date"]).weekday() for r in rows)
    assert by_weekday[0] > by_weekday[5], "Mondays are busier than Saturdays"
    by_utc_hour = Counter(int(r["started_at"][11:13]) for r in rows)
    # US evenings (01-03 UTC) are busier than US small hours (08-10 UTC).
    assert sum(by_utc_hour[h] for h in (1, 2, 3)) > 2 * sum(by_utc_hour[h] for h in (8, 9, 10))
