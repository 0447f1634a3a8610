"""Converting the public dialogues: outcomes, splits, and nothing that leaks the outcome."""

from __future__ import annotations

from pipelines.judge.datasets import star_outcome, star_task_answer


def star(level: str, happy: bool, questionnaire: list | None = None) -> dict:
    return {
        "CompletionLevel": level,
        "Scenario": {"Happy": happy},
        "UserQuestionnaire": questionnaire or [],
    }


def test_star_outcome_mapping():
    assert star_outcome(star("Complete", True)) is True
    assert star_outcome(star("DisconnectDuringQuestionnaire", True)) is True
    assert star_outcome(star("EarlyDisconnectDuringDialogue", True)) is False
    assert star_outcome(star("EarlyDisconnectDuringDialogue", False)) is False
    assert star_outcome(star("Complete", False)) == "unhappy_scenario_complete"
    assert star_outcome(star("DisconnectDuringDialogue", True)) == "late_disconnect"


def test_star_user_reported_outcome_ignores_manner_questions():
    calm = {
        "Question": "Did the assistant stay calm and helpful throughout the dialogue?",
        "Answer": True,
    }
    booked = {"Question": "Did the AI Assistant book your flight?", "Answer": False}
    assert star_task_answer(star("Complete", True, [calm])) == "no_task_question"
    assert star_task_answer(star("Complete", True, [calm, booked])) is False
