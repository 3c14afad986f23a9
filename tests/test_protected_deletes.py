"""Deleting a record that curated facts rest on is refused, never cascaded."""

import pytest
from django.db.models import ProtectedError

from records.models import Citation, Membership, OtherName, Person, Statement


def test_deleting_a_person_with_statements_is_refused(statement):
    with pytest.raises(ProtectedError):
        statement.speaker_person.delete()
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_deleting_an_organization_with_members_is_refused(membership):
    with pytest.raises(ProtectedError):
        membership.organization.delete()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_deleting_a_member_state_is_refused(membership):
    with pytest.raises(ProtectedError):
        membership.member_organization.delete()


def test_deleting_a_person_who_holds_a_post_is_refused(person, body):
    Membership.objects.create(member_person=person, organization=body, kind="head")
    with pytest.raises(ProtectedError):
        person.delete()


def test_deleting_a_mentioned_organization_is_refused(statement, state):
    statement.mentioned_organizations.add(state)
    with pytest.raises(ProtectedError):
        state.delete()
    assert list(statement.mentioned_organizations.all()) == [state]


def test_deleting_a_cited_source_is_refused(statement, membership):
    Citation.objects.create(source=statement.source, membership=membership, excerpt="…")
    with pytest.raises(ProtectedError):
        statement.source.delete()


def test_deleting_an_event_with_statements_is_refused(statement):
    with pytest.raises(ProtectedError):
        statement.event.delete()


def test_deleting_a_parent_organization_is_refused(state, body):
    body.parent = state
    body.save()
    with pytest.raises(ProtectedError):
        state.delete()


def test_a_persons_own_other_names_go_with_the_person(db):
    person = Person.objects.create(slug="p", name="P")
    OtherName.objects.create(person=person, name="П", language="ru")
    person.delete()
    assert not OtherName.objects.exists()


def test_the_admin_explains_a_refused_delete(admin_client, statement):
    person = statement.speaker_person
    response = admin_client.post(f"/admin/records/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "middle-power diplomacy" in page
    assert Person.objects.filter(pk=person.pk).exists()
