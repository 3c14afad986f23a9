"""The review rule holds on the routes beside the change form: history, inlines, parts, deletion, imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from records.models import Citation, Membership, OtherName, Person, Status


def publish(record, reason="Published"):
    record.status = Status.PUBLISHED
    record._change_reason = reason
    record.save()


def unpublish(record):
    record.status = Status.DRAFT
    record._change_reason = "Unpublished"
    record.save()


def revert_url(record, version):
    return f"/admin/records/{record._meta.model_name}/{record.pk}/history/{version.history_id}/"


@pytest.fixture
def once_published(db):
    """A draft person with an earlier, published version in their history."""
    person = Person.objects.create(slug="nazrin-abdul", name="Nazrin Abdul")
    publish(person)
    unpublish(person)
    return person


# History: revert -------------------------------------------------------------------


def test_an_editors_revert_to_a_published_version_publishes_nothing(editor_client, admin_form, once_published):
    version = once_published.history.filter(status=Status.PUBLISHED).get()
    url = revert_url(once_published, version)
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown, without a Revert button
    response = editor_client.post(url, {"name": "Nazrin Abdul", "slug": "nazrin-abdul"})
    assert response.status_code == 403
    once_published.refresh_from_db()
    assert once_published.status == Status.DRAFT
    assert editor_client.get("/people/nazrin-abdul/").status_code == 404


def test_an_editor_cannot_revert_a_published_record(editor_client, person):
    original = person.history.get()
    person.summary = "Changed under review."
    person.save()
    response = editor_client.post(revert_url(person, original), {"name": person.name, "slug": person.slug})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.summary == "Changed under review."


def test_a_view_only_account_cannot_revert_even_a_draft(client, make_staff, admin_form):
    person = Person.objects.create(slug="draft", name="First name")
    original = person.history.get()
    person.name = "Second name"
    person.save()
    client.force_login(make_staff("viewer", permissions=["view_person"]))
    url = revert_url(person, original)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "First name", "slug": "draft"}).status_code == 403
    person.refresh_from_db()
    assert person.name == "Second name"


def test_an_editor_reverts_a_draft_to_an_earlier_draft(editor_client, admin_form):
    person = Person.objects.create(slug="draft", name="First name")
    original = person.history.get()
    person.name = "Second name"
    person.save()
    url = revert_url(person, original)
    assert editor_client.post(url, admin_form(editor_client, url)).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.status) == ("First name", Status.DRAFT)


def test_a_reviewer_reverts_to_a_published_version(reviewer_client, admin_form, once_published):
    url = revert_url(once_published, once_published.history.filter(status=Status.PUBLISHED).get())
    assert reviewer_client.post(url, admin_form(reviewer_client, url)).status_code == 302
    once_published.refresh_from_db()
    assert once_published.status == Status.PUBLISHED


# Inlines ----------------------------------------------------------------------------


@pytest.fixture
def draft_person_with_a_published_post(state, source):
    person = Person.objects.create(slug="draft-person", name="Draft Person")
    membership = Membership.objects.create(
        member_person=person, organization=state, role="Ambassador", kind="head", status=Status.PUBLISHED
    )
    Citation.objects.create(source=source, membership=membership, excerpt="…")
    return person, membership


def test_an_editor_cannot_change_a_published_membership_through_a_draft_persons_form(
    editor_client, admin_form, draft_person_with_a_published_post, body
):
    person, membership = draft_person_with_a_published_post
    url = f"/admin/records/person/{person.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="memberships-0-role" value="Ambassador" class="vTextField" maxlength="300" disabled' in page
    data = admin_form(editor_client, url) | {
        "summary": "Edited by the editor.",
        "memberships-0-role": "Spokesperson",
        "memberships-0-organization": str(body.pk),
        "memberships-0-DELETE": "on",
    }
    assert editor_client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.organization_id) == ("Ambassador", membership.organization_id)
    assert membership.organization.slug == "azerbaijan"
    person.refresh_from_db()
    assert person.summary == "Edited by the editor."  # the draft itself was the editor's to change


def test_a_reviewer_changes_it_through_the_same_form(reviewer_client, admin_form, draft_person_with_a_published_post):
    person, membership = draft_person_with_a_published_post
    url = f"/admin/records/person/{person.pk}/change/"
    data = admin_form(reviewer_client, url) | {"memberships-0-role": "Spokesperson"}
    assert reviewer_client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "Spokesperson"


# Parts of published records: citations, other names ------------------------------


@pytest.fixture
def cited_membership(membership, source):
    citation = Citation.objects.create(source=source, membership=membership, excerpt="Azerbaijan has joined the D-8")
    return membership, citation


def test_an_editor_cannot_delete_the_citation_of_a_published_membership(editor_client, cited_membership):
    membership, citation = cited_membership
    assert editor_client.get(f"/admin/records/citation/{citation.pk}/delete/").status_code == 403
    assert editor_client.post(f"/admin/records/citation/{citation.pk}/delete/", {"post": "yes"}).status_code == 403
    response = editor_client.post(
        "/admin/records/citation/", {"action": "delete_selected", "_selected_action": [citation.pk], "post": "yes"}
    )
    assert response.status_code == 403
    assert membership.citations.count() == 1


def test_nobody_deletes_the_last_citation_of_a_published_membership(reviewer_client, cited_membership, source):
    membership, citation = cited_membership
    url = f"/admin/records/citation/{citation.pk}/delete/"
    page = reviewer_client.get(url).content.decode()
    assert (
        "A membership cannot be published without at least one citation of a published source. Add another first."
        in page
    )
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 403
    assert membership.citations.count() == 1
    second = Citation.objects.create(source=source, membership=membership, excerpt="another passage")
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 302
    assert list(membership.citations.all()) == [second]


def test_a_reviewer_deletes_a_published_membership_with_its_citations(reviewer_client, cited_membership):
    membership, citation = cited_membership
    response = reviewer_client.post(f"/admin/records/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_an_editor_cannot_add_a_citation_to_a_published_membership(editor_client, admin_form, membership, source):
    data = admin_form(editor_client, "/admin/records/citation/add/") | {
        "source": str(source.pk),
        "membership": str(membership.pk),
        "excerpt": "Slipped in by an editor.",
    }
    response = editor_client.post("/admin/records/citation/add/", data)
    assert response.status_code == 200
    assert "which is published: only reviewers may change it" in response.content.decode()
    assert not membership.citations.exists()


def test_an_editor_cannot_rename_a_published_person_through_their_other_names(editor_client, admin_form, person):
    other = OtherName.objects.create(person=person, name="Hikmat Hajiyev", language="en")
    url = f"/admin/records/othername/{other.pk}/change/"
    assert 'name="name"' not in editor_client.get(url).content.decode()
    assert editor_client.post(url, {"person": person.pk, "name": "Someone Else", "language": "en"}).status_code == 403
    other.refresh_from_db()
    assert other.name == "Hikmat Hajiyev"


def test_an_editors_import_of_citations_for_a_published_membership_is_refused(editor_client, membership, source):
    row = f"{source.slug},organization:azerbaijan > d-8 >  > member > ,,,Imported by an editor\n"
    upload = SimpleUploadedFile("citations.csv", ("source,membership,event,statement,excerpt\n" + row).encode())
    preview = editor_client.post(
        "/admin/records/citation/import/", {"format": "0", "resource": "0", "import_file": upload}
    )
    assert "confirm_form" not in preview.context
    assert "which is published: only reviewers may change it" in preview.content.decode()
    assert not membership.citations.exists()


def test_the_last_net_refuses_a_write_no_route_checked(rf, editor, person):
    # A request in flight with an editor behind it: any save of a published
    # record is refused, whatever view makes it.
    from django.core.exceptions import PermissionDenied
    from simple_history.models import HistoricalRecords

    request = rf.post("/anywhere/")
    request.user = editor
    HistoricalRecords.context.request = request
    try:
        person.summary = "Written by a careless view."
        with pytest.raises(PermissionDenied, match="only reviewers may change it"), transaction.atomic():
            person.save()
        with pytest.raises(PermissionDenied, match="You may not delete people"), transaction.atomic():
            person.delete()
    finally:
        del HistoricalRecords.context.request
    person.refresh_from_db()
    assert person.summary == ""
