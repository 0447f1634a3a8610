"""Rule behaviour on short examples: what each category flags, suggests and leaves alone.

These examples are the rule-tuning material; the held-out articles in
tests/fixtures/kb/heldout_non_us/ are only measured (test_recall.py).
"""

from __future__ import annotations

import pytest

from pipelines.knowledge.linter import Linter


def only(linter: Linter, text: str, category: str, locale: str = "en-US") -> list[tuple[str, str]]:
    return [
        (f.text, f.suggestion) for f in linter.lint(text, locale=locale) if f.category == category
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pick a colour.", ("colour", "color")),
        ("Your Organisation settings", ("Organisation", "Organization")),
        ("The order was cancelled.", ("cancelled", "canceled")),
        ("Visit the service centre.", ("centre", "center")),
        ("Show your licence.", ("licence", "license")),
        ("Pay by cheque.", ("cheque", "check")),
        ("Join the programme.", ("programme", "program")),
        ("While travelling abroad", ("travelling", "traveling")),
        ("Browse the catalogue.", ("catalogue", "catalog")),
        ("Battery ageing is normal.", ("ageing", "aging")),
        ("You can enrol today.", ("enrol", "enroll")),
        ("Send an enquiry.", ("enquiry", "inquiry")),
        ("Ask for authorisation.", ("authorisation", "authorization")),
        ("A 5 per cent fee.", ("per cent", "percent")),
        ("Send us an e-mail.", ("e-mail", "email")),
        ("COLOUR", ("COLOUR", "COLOR")),
    ],
)
def test_spelling_flags_british_forms_with_the_us_form(linter, text, expected):
    assert expected in only(linter, text, "spelling")


@pytest.mark.parametrize(
    "text",
    [
        "Advertise your shop.",
        "Exercise caution with your password.",
        "We apologize for the surprise.",
        "The dialogue between teams, the disc drive, an aesthetic theme.",
        "Your cancellation is confirmed.",
        "Measure the tire gauge.",
    ],
)
def test_spelling_leaves_us_and_shared_spellings_alone(linter, text):
    assert only(linter, text, "spelling") == []


def test_code_and_quoted_ui_strings_are_not_linted(linter):
    text = 'Tap "Colour settings" and set `colour=red`.\n\n```\ncolour: 31/03/2026\n```\n'
    assert linter.lint(text, locale="en-GB") == []


def test_urls_and_emails_are_not_read_as_words(linter):
    text = "Write to colour@example.co.uk or see https://example.com/colour-guide."
    assert only(linter, text, "spelling") == []


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("Due 31/03/2026.", "en-GB", ("31/03/2026", "March 31, 2026")),
        ("Due 15-04-2026.", "en-IN", ("15-04-2026", "April 15, 2026")),
        ("Due 01.04.2026.", "de-DE", ("01.04.2026", "April 1, 2026")),
        ("Due 5th May 2026.", "en-GB", ("5th May 2026", "May 5, 2026")),
        ("Until the 1st of July.", "en-GB", ("the 1st of July", "July 1")),
        ("Due Friday 12th December.", "en-IE", ("Friday 12th December", "Friday, December 12")),
        ("Paused on 16. April 2026.", "de-DE", ("16. April 2026", "April 16, 2026")),
        ("On 2026-05-04 we launch.", "en-US", ("2026-05-04", "May 4, 2026")),
    ],
)
def test_dates_get_the_month_first_spelled_out(linter, text, locale, expected):
    found = only(linter, text, "date", locale)
    assert [item[0] for item in found] == [expected[0]]
    assert found[0][1].startswith(expected[1].split(" (")[0])


def test_ambiguous_dates_are_read_by_the_articles_locale(linter):
    assert only(linter, "Due 05/04/2026.", "date", "en-GB")[0][1].startswith("April 5, 2026")
    assert only(linter, "Due 05/04/2026.", "date", "en-US")[0][1].startswith("May 4, 2026")


@pytest.mark.parametrize(
    "text",
    [
        "Version 1.2.10 is out.",
        "Call 415-555-0132.",
        "Happy 4th of July!",
        "Open 24/7.",
        "Pay 31/02/2026?",
    ],
)
def test_dates_ignore_versions_phone_numbers_and_impossible_dates(linter, text):
    assert only(linter, text, "date", "en-GB") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Open from 09:00.", ("09:00", "9 a.m.")),
        ("Until 17:30 today.", ("17:30", "5:30 p.m.")),
        ("Closes at 00:00.", ("00:00", "midnight")),
        ("Opens 8.30am.", ("8.30am", "8:30 a.m.")),
        ("between 9.00 and 18.00", ("18.00", "6 p.m.")),
        ("Lunch at half five.", ("half five", "5:30 p.m.")),
        ("Paid by midday.", ("midday", "noon")),
        ("9 a.m. GMT", ("GMT", "ET or PT (give US times, e.g. 9 a.m. ET)")),
    ],
)
def test_times_become_us_clock_times(linter, text, expected):
    assert expected in only(linter, text, "time", "en-GB")


@pytest.mark.parametrize(
    "text",
    [
        "Open 9 a.m. to 5:30 p.m. ET.",
        "Codes cost 9.99 each.",
        "Set 16:9 widescreen.",
        "A 1:30 hours drive.",
        "Version 2.15 fixes it.",
    ],
)
def test_us_times_and_decimals_are_not_times(linter, text):
    assert only(linter, text, "time") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It costs £24.99.", ("£24.99", "$24.99 (the US price, in dollars)")),
        ("Only €6,95 extra.", ("€6,95", "$6.95 (the US price, in dollars)")),
        ("Fee: EUR 4.", ("EUR 4", "$4 (the US price, in dollars)")),
        ("Minimum CA$25.", ("CA$25", "$25 (the US price, in dollars)")),
        ("Plus 20p per order.", ("20p", "$0.20 (the US price)")),
        ("Paid in euros.", ("euros", "dollars")),
        ("Prices include VAT.", ("VAT", "sales tax (added at checkout where it applies)")),
        ("The plan costs 12.99 a month.", ("12.99", "$12.99")),
    ],
)
def test_currency_outside_us_dollars_is_flagged(linter, text, expected):
    assert expected in only(linter, text, "currency", "en-GB")


def test_currency_leaves_dollars_and_resolutions_alone(linter):
    assert only(linter, "Plans cost $12.99 and stream in 1080p. Save 5%.", "currency") == []


def test_phone_numbers_outside_the_us_get_the_international_form(linter):
    found = only(linter, "Call 0345 600 1234 or +61 2 5550 1234.", "phone", "en-GB")
    assert [text for text, _ in found] == ["0345 600 1234", "+61 2 5550 1234"]
    assert "+44 345 600 1234" in found[0][1]


def test_us_numbers_in_other_formats_get_the_us_format(linter):
    found = only(linter, "Call 800 555 0199 or +1 415 555 0132.", "phone")
    assert [s for _, s in found] == ["1-800-555-0199", "(415) 555-0132"]


def test_us_formatted_numbers_and_emergency_numbers(linter):
    assert only(linter, "Call (844) 555-0187 or 1-888-555-0142, or dial 911.", "phone") == []
    assert only(linter, "In an emergency call 999.", "phone", "en-GB") == [("call 999", "call 911")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Within 5 km of the store.", ("5 km", "3.1 miles (5 km)")),
        ("Boxes up to 25 kg.", ("25 kg", "55 lb (25 kg)")),
        ("Keep it below 35°C.", ("35°C", "95°F (35°C)")),
        ("A 1.5 litre bottle.", ("1.5 litre", "1.6 qt (1.5 litre)")),
        ("Print on A4 paper.", ("A4", "US Letter (8.5 × 11 in)")),
    ],
)
def test_metric_only_measures_get_us_units_first(linter, text, expected):
    assert expected in only(linter, text, "unit", "en-GB")


def test_metric_with_us_units_alongside_is_fine(linter):
    text = "Within 3 miles (5 km) and 10 lb (4.5 kg). Uses 4G and 2 GB of storage."
    assert only(linter, text, "unit") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Check your mobile number.", ("mobile number", "cell phone number")),
        ("Open the app on your mobile.", ("your mobile", "phone")),
        ("Ring us on 0800 123 456.", ("Ring us", "call")),
        ("You may wait in a queue.", ("wait in a queue", "wait in line")),
        ("Refunds take a fortnight.", ("a fortnight", "two weeks")),
        ("Closed on bank holidays.", ("bank holidays", "federal holidays")),
        ("Take the parcel to a locker.", ("parcel", "package")),
        ("Tick the box to agree.", ("Tick", "check")),
        ("Monday to Friday", ("Monday to Friday", "Monday through Friday")),
        ("Our team will revert shortly.", ("will revert", "will get back to you")),
    ],
)
def test_vocabulary_gets_the_us_word(linter, text, expected):
    assert expected in only(linter, text, "vocabulary", "en-GB")


@pytest.mark.parametrize(
    "text",
    [
        "Download the mobile app on your mobile device.",
        "Link your Ring doorbell and ring the doorbell once.",
        "Your request is in the support queue.",
        "Enjoy the holiday season with a gift basket.",
        "Revert to the previous version in Settings.",
    ],
)
def test_vocabulary_leaves_us_usage_alone(linter, text):
    assert only(linter, text, "vocabulary") == []


def test_address_terms_and_formats(linter):
    text = "Enter your postcode and Flat 4B. Our office: 1 Example Square, London EC2A 4BX."
    found = only(linter, text, "address", "en-GB")
    assert ("postcode", "ZIP code") in found
    assert ("Flat 4B", "Apt. 4B") in found
    assert any(item[0] == "EC2A 4BX" for item in found)


def test_county_is_flagged_only_in_an_address(linter):
    assert only(linter, "Enter your street, town, county and postcode.", "address", "en-GB")[0] == (
        "county",
        "state",
    )
    assert only(linter, "Property tax in your county.", "address") == []


def test_gdpr_is_fine_next_to_the_us_law(linter):
    assert only(linter, "Your rights under the GDPR.", "legal", "en-GB")
    assert only(linter, "Your rights under the GDPR and the CCPA.", "legal") == []


def test_legal_authorities_get_the_us_counterpart(linter):
    found = only(linter, "Complain to the Ombudsman or HMRC.", "legal", "en-GB")
    assert found == [
        ("Ombudsman", "the FTC or your state attorney general"),
        ("HMRC", "the IRS"),
    ]


def test_links(linter):
    text = "See [the guide](http://help.example.co.uk/en-gb/orders) and [old page](../orders)."
    found = {(f.rule, f.suggestion) for f in linter.lint(text) if f.category == "link"}
    assert ("link.insecure", "https://help.example.co.uk/en-gb/orders") in found
    assert ("link.non_us_locale", "the US page: https://help.example.com/en-us/orders") in found
    assert any(rule == "link.relative" for rule, _ in found)
    assert [
        f for f in linter.lint("[Help](https://example.com/en-us/help)") if f.category == "link"
    ] == []


def test_long_sentences_and_reading_grade(linter):
    long = " ".join(["word"] * 40) + "."
    assert [f.rule for f in linter.lint(long)] == ["readability.long_sentence"]
    dense = (
        "Notwithstanding contractual obligations, subscription reimbursements necessitate "
        "comprehensive documentation substantiating unauthorized transactional irregularities. "
    ) * 12
    grade = [f for f in linter.lint(dense) if f.rule == "readability.grade"]
    assert grade and grade[0].text.startswith("Flesch-Kincaid grade")


def test_findings_carry_line_and_column(linter):
    found = linter.lint("First line.\nSecond colour line.", locale="en-GB")
    assert (found[0].line, found[0].column, found[0].text) == (2, 8, "colour")


def test_every_finding_has_a_concrete_suggestion(linter):
    text = "Ring us on 0345 600 1234 about the colour of your parcel, 5 km away, by 31/03/2026 at 17:30 for £5 under the GDPR; see http://x.co.uk."
    findings = linter.lint(text, locale="en-GB")
    assert len({f.category for f in findings}) >= 9
    assert all(f.suggestion.strip() and "{" not in f.suggestion for f in findings)
