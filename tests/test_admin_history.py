"""Every change is kept: who made it, what changed, and the way back."""

import pytest
from django.contrib.auth import get_user_model

from records.models import Person


@pytest.fixture
def curator(admin_client):
    return admin_client


def edit_person(client, admin_form, person, **changes):
    url = f"/admin/records/person/{person.pk}/change/"
    response = client.post(url, admin_form(client, url) | changes)
    assert response.status_code == 302
    person.refresh_from_db()


def test_an_admin_edit_is_recorded_with_its_author_and_changed_fields(curator, admin_form, person):
    edit_person(curator, admin_form, person, name="Hikmat Hajiyev", summary="Presidential aide.")
    latest, previous = person.history.all()[:2]
    assert latest.history_user == get_user_model().objects.get(username="admin")
    assert latest.history_type == "~"
    changes = {(c.field, c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes == {("name", "Hikmet Hajiyev", "Hikmat Hajiyev"), ("summary", "", "Presidential aide.")}


def test_the_history_page_shows_the_field_level_diff(curator, admin_form, person):
    edit_person(curator, admin_form, person, name="Hikmat Hajiyev")
    page = curator.get(f"/admin/records/person/{person.pk}/history/").content.decode()
    assert "<strong>Name:</strong>" in page
    assert "Hikmet Hajiyev" in page and "Hikmat Hajiyev" in page


def test_reverting_from_the_admin_restores_the_old_values(curator, admin_form, person):
    edit_person(curator, admin_form, person, name="Wrong Name", summary="Mistaken edit.")
    original = person.history.earliest()
    url = f"/admin/records/person/{person.pk}/history/{original.history_id}/"
    page = curator.get(url).content.decode()
    assert "Revert" in page
    response = curator.post(url, admin_form(curator, url))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.summary) == ("Hikmet Hajiyev", "")
    assert person.history.count() == 3


def test_deleted_records_stay_in_history(curator, db):
    person = Person.objects.create(slug="temporary", name="Temporary")
    curator.post(f"/admin/records/person/{person.pk}/delete/", {"post": "yes"})
    assert not Person.objects.filter(slug="temporary").exists()
    assert Person.history.filter(slug="temporary", history_type="-").exists()
