"""Every rule of the data model holds in the database itself, whatever writes to it.

Each case writes straight through the ORM (no forms, no validation) and
expects the database to refuse; the same record through full_clean() gets
the readable message an editor would see.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Membership,
    Organization,
    OtherName,
    Person,
    Source,
    Statement,
)


def refused(build):
    """The database refuses the record built by `build`; returns the unsaved record for full_clean."""
    record = build()
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
    return record


def assert_explained(record, message):
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert message in str(error.value)


# Membership ------------------------------------------------------------------


def test_a_membership_without_a_member_is_refused(body):
    record = refused(lambda: Membership(organization=body))
    assert_explained(record, "Choose exactly one member: a person or an organization.")


def test_a_membership_with_two_members_is_refused(person, state, body):
    record = refused(lambda: Membership(member_person=person, member_organization=state, organization=body))
    assert_explained(record, "Choose exactly one member: a person or an organization.")


def test_an_organization_cannot_be_a_member_of_itself(body):
    record = refused(lambda: Membership(member_organization=body, organization=body))
    assert_explained(record, "An organization cannot be a member of itself.")


@pytest.mark.parametrize(("start", "end"), [("2025-06-10", "2025-06-01"), ("2026", "2025-12"), ("2025-03", "2024")])
def test_a_membership_cannot_end_before_it_starts(state, body, start, end):
    record = refused(lambda: Membership(member_organization=state, organization=body, start_date=start, end_date=end))
    assert_explained(record, "The end date is before the start date.")


@pytest.mark.parametrize(("start", "end"), [("2025-06", "2025"), ("2025", "2025-03"), ("2025-03-12", "2025-03-12")])
def test_dates_of_different_precision_that_overlap_are_in_order(state, body, start, end):
    Membership.objects.create(member_organization=state, organization=body, start_date=start, end_date=end)


def test_the_same_membership_cannot_be_entered_twice(person, body):
    fields = dict(member_person=person, organization=body, role="Secretary-General", kind="head", start_date="2025")
    Membership.objects.create(**fields)
    record = refused(lambda: Membership(**fields))
    assert_explained(record, "This person already has this membership from this date.")


def test_the_same_state_membership_cannot_be_entered_twice(membership):
    fields = dict(
        member_organization=membership.member_organization,
        organization=membership.organization,
        kind=membership.kind,
    )
    record = refused(lambda: Membership(**fields))
    assert_explained(record, "This organization already has this membership from this date.")


def test_the_same_member_may_hold_the_same_kind_again_from_another_date(person, body):
    Membership.objects.create(member_person=person, organization=body, kind="head", start_date="2020")
    Membership.objects.create(member_person=person, organization=body, kind="head", start_date="2025")
    assert Membership.objects.count() == 2


# Parents ---------------------------------------------------------------------


def test_an_organization_cannot_be_its_own_parent(body):
    body.parent = body
    with pytest.raises(IntegrityError), transaction.atomic():
        body.save()
    assert_explained(body, "This parent would make the organization part of itself.")


def test_an_organization_cannot_be_its_own_ancestor(body):
    group = Organization.objects.create(slug="group", name="Group", classification="other", parent=body)
    body.parent = group
    assert_explained(body, "This parent would make the organization part of itself.")


def test_an_event_cannot_be_part_of_itself(event):
    event.parent = event
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    assert_explained(event, "This parent would make the event part of itself.")


def test_an_event_cannot_be_its_own_ancestor(event):
    panel = Event.objects.create(slug="panel", name="Panel", classification="panel", parent=event)
    event.parent = panel
    assert_explained(event, "This parent would make the event part of itself.")


# Dates on other records ------------------------------------------------------


def test_an_event_cannot_end_before_it_starts(db):
    record = refused(
        lambda: Event(slug="e", name="E", classification="forum", start_date="2026-03-12", end_date="2026-03-10")
    )
    assert_explained(record, "The end date is before the start date.")


def test_an_organization_cannot_dissolve_before_it_is_founded(db):
    record = refused(
        lambda: Organization(slug="o", name="O", classification="other", founding_date="1997", dissolution_date="1996")
    )
    assert_explained(record, "The end date is before the start date.")


def test_a_person_cannot_die_before_being_born(db):
    record = refused(lambda: Person(slug="p", name="P", birth_date="1980", death_date="1979-12"))
    assert_explained(record, "The end date is before the start date.")


# Slugs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Person(slug="dup", name="A"),
        lambda: Organization(slug="dup", name="A", classification="state"),
        lambda: Event(slug="dup", name="A", classification="forum"),
        lambda: Source(slug="dup", title="A"),
    ],
    ids=["person", "organization", "event", "source"],
)
def test_slugs_are_unique_per_model(db, build):
    build().save()
    record = refused(build)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "slug" in error.value.message_dict
    assert "already exists" in error.value.message_dict["slug"][0]


def test_statement_slugs_are_unique(statement):
    record = refused(
        lambda: Statement(
            slug=statement.slug,
            speaker_person=statement.speaker_person,
            source=statement.source,
            kind="quote",
            text="Other words.",
        )
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["slug"] == ["Statement with this Slug already exists."]


# Statements, participants, citations: exactly one of each kind ---------------


def test_a_statement_without_a_speaker_is_refused(source):
    record = refused(lambda: Statement(slug="s", source=source, kind="quote", text="Words."))
    assert_explained(record, "Choose exactly one speaker: a person or an organization.")


def test_a_statement_with_two_speakers_is_refused(person, state, source):
    record = refused(
        lambda: Statement(
            slug="s", speaker_person=person, speaker_organization=state, source=source, kind="quote", text="Words."
        )
    )
    assert_explained(record, "Choose exactly one speaker: a person or an organization.")


def test_a_statement_without_a_source_is_refused(person):
    record = refused(lambda: Statement(slug="s", speaker_person=person, kind="quote", text="Words."))
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["source"] == ["This field cannot be null."]


@pytest.mark.parametrize("both", [False, True], ids=["none", "both"])
def test_a_participant_is_exactly_one_person_or_organization(event, person, state, both):
    record = refused(
        lambda: EventParticipant(event=event, person=person if both else None, organization=state if both else None)
    )
    assert_explained(record, "Choose exactly one participant: a person or an organization.")


def test_a_participant_takes_a_role_once(event, person):
    EventParticipant.objects.create(event=event, person=person, role="speaker")
    record = refused(lambda: EventParticipant(event=event, person=person, role="speaker"))
    assert_explained(record, "This person already takes part in this event in this role.")


def test_a_citation_supports_exactly_one_fact(source, membership, event):
    refused(lambda: Citation(source=source))
    record = refused(lambda: Citation(source=source, membership=membership, event=event))
    assert_explained(record, "A citation supports exactly one membership, event, statement or post.")


# Other names and identifiers -------------------------------------------------


@pytest.mark.parametrize("model", [OtherName, Identifier])
def test_names_and_identifiers_belong_to_exactly_one_owner(person, state, model):
    values = {"name": "Hikmət Hacıyev"} if model is OtherName else {"scheme": "wikidata", "value": "Q1"}
    record = refused(lambda: model(person=person, organization=state, **values))
    assert_explained(record, "belongs to exactly one person or one organization.")


def test_an_identifier_is_unique_within_its_scheme(person, state):
    Identifier.objects.create(person=person, scheme="wikidata", value="Q227")
    record = refused(lambda: Identifier(organization=state, scheme="wikidata", value="Q227"))
    assert_explained(record, "Another record already has this identifier in this scheme.")
    Identifier.objects.create(organization=state, scheme="iso-3166-1", value="Q227")


def test_a_person_has_each_other_name_once_per_language(person):
    OtherName.objects.create(person=person, name="Hikmət Hacıyev", language="az")
    record = refused(lambda: OtherName(person=person, name="Hikmət Hacıyev", language="az"))
    assert_explained(record, "This person already has this name in this language.")
    OtherName.objects.create(person=person, name="Hikmət Hacıyev", language="tr")


def test_a_source_offset_must_exist_on_earth(source):
    source.utc_offset_minutes = 15 * 60
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()
    assert_explained(source, "A UTC offset lies between -12:00 and +14:00.")
