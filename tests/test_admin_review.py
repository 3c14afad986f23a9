"""Editors draft, reviewers publish; facts are published only with their sources."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from records.models import Citation, Person, Status


def run_action(client, model, action, *records):
    return client.post(
        f"/admin/records/{model}/",
        {"action": action, "_selected_action": [record.pk for record in records]},
        follow=True,
    )


def test_an_editors_publish_attempt_is_refused(editor_client, person):
    person.status = Status.DRAFT
    person.save()
    page = editor_client.get("/admin/records/person/").content.decode()
    assert "Publish selected people" not in page
    response = run_action(editor_client, "person", "publish", person)
    assert not list(response.context["messages"])
    person.refresh_from_db()
    assert person.status == Status.DRAFT


def test_an_editor_sees_the_status_but_cannot_set_it(editor_client, admin_form, person):
    person.status = Status.DRAFT
    person.save()
    url = f"/admin/records/person/{person.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="status"' not in page
    data = admin_form(editor_client, url) | {"status": "published", "summary": "Presidential aide."}
    assert editor_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.summary, person.status) == ("Presidential aide.", Status.DRAFT)


def test_an_editor_adds_drafts(editor_client, admin_form):
    data = admin_form(editor_client, "/admin/records/person/add/") | {"name": "Nazrin Abdul", "slug": "nazrin-abdul"}
    assert editor_client.post("/admin/records/person/add/", data).status_code == 302
    assert Person.objects.get(slug="nazrin-abdul").status == Status.DRAFT


def test_an_editor_cannot_change_a_published_record(editor_client, admin_form, person):
    url = f"/admin/records/person/{person.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="name"' not in page  # shown, not editable
    response = editor_client.post(url, {"name": "Someone else", "slug": person.slug})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "Hikmet Hajiyev"


def test_an_editor_cannot_delete(editor_client, person):
    assert editor_client.post(f"/admin/records/person/{person.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_reviewer_publishes_and_unpublishes(reviewer_client, person):
    person.status = Status.DRAFT
    person.save()
    response = run_action(reviewer_client, "person", "publish", person)
    assert "Published 1 person." in response.content.decode()
    person.refresh_from_db()
    assert person.status == Status.PUBLISHED
    response = run_action(reviewer_client, "person", "unpublish", person)
    assert "Unpublished 1 person." in response.content.decode()
    person.refresh_from_db()
    assert person.status == Status.DRAFT


def test_a_reviewer_publishes_from_the_change_form(reviewer_client, admin_form, person):
    person.status = Status.DRAFT
    person.save()
    url = f"/admin/records/person/{person.pk}/change/"
    assert reviewer_client.post(url, admin_form(reviewer_client, url) | {"status": "published"}).status_code == 302
    person.refresh_from_db()
    assert person.status == Status.PUBLISHED


@pytest.fixture
def draft_membership(membership):
    membership.status = Status.DRAFT
    membership.save()
    return membership


def test_a_membership_without_a_citation_is_not_published_by_the_action(reviewer_client, draft_membership):
    response = run_action(reviewer_client, "membership", "publish", draft_membership)
    assert (
        "A membership cannot be published without at least one citation of a published source."
        in response.content.decode()
    )
    draft_membership.refresh_from_db()
    assert draft_membership.status == Status.DRAFT


def test_a_membership_with_a_citation_is_published_by_the_action(reviewer_client, draft_membership, source):
    Citation.objects.create(source=source, membership=draft_membership, excerpt="Azerbaijan has recently joined")
    run_action(reviewer_client, "membership", "publish", draft_membership)
    draft_membership.refresh_from_db()
    assert draft_membership.status == Status.PUBLISHED


def test_the_membership_form_refuses_to_publish_without_a_citation(reviewer_client, admin_form, draft_membership):
    url = f"/admin/records/membership/{draft_membership.pk}/change/"
    response = reviewer_client.post(url, admin_form(reviewer_client, url) | {"status": "published"})
    assert (
        "A membership cannot be published without at least one citation of a published source."
        in response.content.decode()
    )
    draft_membership.refresh_from_db()
    assert draft_membership.status == Status.DRAFT


def test_the_membership_form_publishes_with_a_citation_added_inline(
    reviewer_client, admin_form, draft_membership, source
):
    url = f"/admin/records/membership/{draft_membership.pk}/change/"
    data = admin_form(reviewer_client, url) | {
        "status": "published",
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": str(source.pk),
        "citations-0-excerpt": "Azerbaijan has recently joined the D-8",
    }
    assert reviewer_client.post(url, data).status_code == 302
    draft_membership.refresh_from_db()
    assert draft_membership.status == Status.PUBLISHED
    assert draft_membership.citations.get().source == source


def test_an_event_without_a_citation_is_not_published(reviewer_client, event):
    response = run_action(reviewer_client, "event", "publish", event)
    assert (
        "An event cannot be published without at least one citation of a published source." in response.content.decode()
    )
    event.refresh_from_db()
    assert event.status == Status.DRAFT


def test_a_statement_cannot_be_saved_without_a_source(editor_client, admin_form, person):
    data = admin_form(editor_client, "/admin/records/statement/add/") | {
        "slug": "unsourced",
        "kind": "quote",
        "text": "Words without a source.",
        "language": "en",
        "speaker_person": str(person.pk),
    }
    response = editor_client.post("/admin/records/statement/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["source"] == ["This field is required."]
    assert not person.statements.exists()


def test_add_curator_makes_accounts_that_log_in_with_their_role(client, db, capsys, log_in):
    call_command("add_curator", "aysel", role="editor")
    password = re.search(r"password: (\S+)", capsys.readouterr().out)[1]
    assert log_in(client, "aysel", password)
    user = get_user_model().objects.get(username="aysel")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("records.change_statement") and not user.has_perm("records.publish_statement")
    call_command("add_curator", "farid", role="reviewer")
    assert get_user_model().objects.get(username="farid").has_perm("records.publish_statement")
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_curator", "aysel", role="reviewer")


def test_the_login_address_printed_follows_the_admin_where_admin_url_moves_it(transactional_db, capsys, settings):
    settings.ROOT_URLCONF = "office_urls"  # the admin at /office/, as ADMIN_URL=office/ serves it
    call_command("add_curator", "aysel", role="editor")
    assert "Log in at /office/ with" in capsys.readouterr().out
    settings.DEBUG = True
    call_command("setup_local")
    assert "Log in at /office/ with" in capsys.readouterr().out
