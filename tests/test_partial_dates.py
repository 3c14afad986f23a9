import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.models import Event, Membership
from records.partial_dates import PartialDate


@pytest.mark.parametrize("value", ["2025", "2025-03", "2025-03-12", "2024-02-29", "0001"])
def test_it_accepts_year_month_and_day_precision(value):
    assert PartialDate(value) == value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-13", "month 13 does not exist"),
        ("2025-02-30", "February 2025 has no day 30"),
        ("2023-02-29", "February 2023 has no day 29"),
        ("25", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025/03", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025-3", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025-03-12T10:00", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "there is no year 0"),
        ("last year", "use YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_it_rejects_what_is_not_a_date_and_says_why(value, reason):
    with pytest.raises(ValueError, match=reason):
        PartialDate(value)


@pytest.mark.parametrize(
    ("value", "label", "precision"),
    [("2025", "2025", "year"), ("2025-03", "March 2025", "month"), ("2025-03-12", "12 March 2025", "day")],
)
def test_it_renders_at_its_own_precision(value, label, precision):
    date = PartialDate(value)
    assert date.label() == label
    assert date.precision == precision


def test_it_knows_the_days_a_partial_date_spans():
    assert str(PartialDate("2024-02").first_day()) == "2024-02-01"
    assert str(PartialDate("2024-02").last_day()) == "2024-02-29"
    assert str(PartialDate("2025").last_day()) == "2025-12-31"


def test_model_validation_names_the_field_and_the_problem(db):
    event = Event(slug="x", name="X", classification="forum", start_date="2025-02-30")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict == {"start_date": ["'2025-02-30' is not a date: February 2025 has no day 30"]}


def test_values_come_back_from_the_database_as_partial_dates(event):
    event.start_date = "2026-03"
    event.save()
    event.refresh_from_db()
    assert isinstance(event.start_date, PartialDate)
    assert event.start_date.label() == "March 2026"


def test_the_database_sorts_mixed_precisions_chronologically(db):
    for value in ["2025-03-12", "2024", "2025", "2025-03", "2024-12-31", "2025-02"]:
        Event.objects.create(slug=f"e-{value}", name=value, classification="forum", start_date=value)
    ordered = list(Event.objects.order_by("start_date").values_list("start_date", flat=True))
    assert ordered == ["2024", "2024-12-31", "2025", "2025-02", "2025-03", "2025-03-12"]


@pytest.mark.parametrize("value", ["2025/03", "25", "March 2025", "2025-3-1"])
def test_the_database_refuses_a_malformed_date_even_without_forms(event, value):
    event.start_date = value
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_relative_wording_is_kept_beside_the_resolved_bound(state, body):
    joined = Membership.objects.create(
        member_organization=state,
        organization=body,
        start_date="2026-03-12",
        start_date_bound="on_or_before",
        start_date_wording="recently",
        start_date_relative_to="2026-03-12",
    )
    joined.refresh_from_db()
    assert joined.start_date.label() == "12 March 2026"
    assert joined.get_start_date_bound_display() == "on or before"
    assert (joined.start_date_wording, str(joined.start_date_relative_to)) == ("recently", "2026-03-12")


def test_relative_wording_without_its_reference_date_is_refused(state, body):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            member_organization=state, organization=body, start_date="2025", start_date_wording="last year"
        )


def test_one_tolerant_reading_of_stored_or_given_dates():
    from records.partial_dates import longest_valid, tolerant

    assert tolerant("2025-03") == "2025-03" and tolerant("2025-13") is None and tolerant("", "none") == "none"
    assert longest_valid("1956-00-00") == ("1956", True)
    assert longest_valid("1961-02-30") == ("1961-02", True)
    assert longest_valid("1970-05-01T00:00:00Z") == ("1970-05-01", False)
    assert longest_valid("unknown") == ("", True) and longest_valid("") == ("", False)
