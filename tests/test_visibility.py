"""The public sees published records only, and nothing hangs on a draft."""

from records.models import Membership, Statement, Status


def test_a_published_membership_of_a_draft_member_is_not_public(membership):
    assert list(Membership.objects.published()) == [membership]
    membership.member_organization.status = Status.DRAFT
    membership.member_organization.save()
    assert not Membership.objects.published().exists()


def test_a_published_statement_of_a_draft_speaker_is_not_public(statement):
    assert list(Statement.objects.published()) == [statement]
    statement.speaker_person.status = Status.DRAFT
    statement.speaker_person.save()
    assert not Statement.objects.published().exists()


def test_a_published_record_has_a_public_page(client, statement):
    response = client.get(statement.speaker_person.get_absolute_url())
    assert response.status_code == 200
    assert "Hikmet Hajiyev" in response.content.decode()


def test_a_drafts_page_is_not_found(client, event):
    assert event.status == Status.DRAFT
    assert client.get(event.get_absolute_url()).status_code == 404
