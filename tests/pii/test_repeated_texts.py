"""Texts that repeat across conversations (bot templates, payload keys) are detected once
per process; the placeholder numbers still follow each conversation's own order."""

from __future__ import annotations

import pickle

from pipelines.pii import ConversationScrubber, default_detector
from pipelines.pii.scrub import scrub_conversation


def test_a_repeated_text_is_numbered_by_its_own_conversation() -> None:
    repeated = "Thanks, my wife Jane Doe will call from 415-555-0132."
    first = scrub_conversation(["I am John Smith, call 212-555-0199.", repeated])
    second = scrub_conversation([repeated])
    assert first[1] is not None and second[0] is not None
    assert first[1].text == "Thanks, my wife <PERSON_2> will call from <PHONE_2>."
    assert second[0].text == "Thanks, my wife <PERSON_1> will call from <PHONE_1>."
    assert [(s.type, s.start, s.end) for s in first[1].spans] == [
        (s.type, s.start, s.end) for s in second[0].spans
    ]


def test_changing_a_returned_result_does_not_change_the_next_one() -> None:
    detector = default_detector()
    text = "my email is jo.smith@example.org"
    found = detector.detect(text)
    found.clear()
    assert [s.type for s in detector.detect(text)] == ["EMAIL"]


def test_a_text_longer_than_the_cached_length_is_scrubbed_too() -> None:
    piece = "Call Maria Lopez at 415-555-0132 or mail maria@example.org. "
    detector = default_detector()
    long_text = piece * 40  # above the cached length: detected without the cache
    spans = detector.detect(long_text)
    assert len(spans) == 3 * 40
    assert {s.type for s in spans} == {"PERSON", "PHONE", "EMAIL"}


def test_later_bare_mentions_are_found_in_any_case_and_script() -> None:
    scrubber = ConversationScrubber()
    scrubber.scrub("Hi, my name is Zoë Kowalczyk and my friend is Ulf Berg.", "customer")
    later = scrubber.scrub("ZOË said KOWALCZYK is on the form, ulf too.", "agent")
    assert later is not None
    assert later.text == "<PERSON_1> said <PERSON_1> is on the form, <PERSON_2> too."
    plain = scrubber.scrub("nothing personal here, thanks", "agent")
    assert plain is not None and plain.text == "nothing personal here, thanks"


def test_a_detector_still_pickles_for_worker_processes() -> None:
    detector = default_detector()
    text = "Hi, I am Maria Lopez, call 415-555-0132"
    expected = detector.detect(text)
    copy = pickle.loads(pickle.dumps(detector))
    assert copy.detect(text) == expected
