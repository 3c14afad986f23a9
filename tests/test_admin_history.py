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


def reasons(record):
    return [row.history_change_reason for row in record.history.order_by("history_id")]


def test_every_admin_change_says_why(curator, admin_form):
    data = admin_form(curator, "/admin/records/person/add/") | {
        "name": "Nazrin Abdul",
        "slug": "nazrin-abdul",
        "other_names-0-name": "Nəzrin Abdul",
        "other_names-0-language": "az",
    }
    assert curator.post("/admin/records/person/add/", data).status_code == 302
    person = Person.objects.get(slug="nazrin-abdul")
    edit_person(curator, admin_form, person, summary="Spokesperson.")
    assert reasons(person) == ["Added in the admin", "Changed in the admin: summary"]
    (other_name,) = person.other_names.all()
    assert reasons(other_name) == ["Added on the page of the person “Nazrin Abdul”"]
    page = curator.get(f"/admin/records/person/{person.pk}/history/").content.decode()
    assert "None" not in page


def test_a_revert_says_to_which_version(curator, admin_form, person):
    edit_person(curator, admin_form, person, name="Wrong Name")
    original = person.history.earliest()
    url = f"/admin/records/person/{person.pk}/history/{original.history_id}/"
    curator.post(url, admin_form(curator, url))
    assert reasons(person)[-1] == f"Reverted to the version of {original.history_date:%-d %B %Y, %H:%M} UTC"


def test_an_import_names_its_file(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "slug,name,status\nnazrin-abdul,Nazrin Abdul,draft\n"
    upload = SimpleUploadedFile("spokespeople.csv", text.encode(), content_type="text/csv")
    preview = admin_client.post(
        "/admin/records/person/import/", {"format": "0", "resource": "0", "import_file": upload}
    )
    form = preview.context["confirm_form"]
    admin_client.post(
        "/admin/records/person/process_import/", {name: form.initial.get(name, "") for name in form.fields}
    )
    assert reasons(Person.objects.get(slug="nazrin-abdul")) == ["Imported from spokespeople.csv"]


def test_the_command_line_import_names_its_file(db, tmp_path):
    from django.core.management import call_command

    (tmp_path / "people.csv").write_text("slug,name,status\nnazrin-abdul,Nazrin Abdul,draft\n")
    call_command("import_csv", str(tmp_path))
    assert reasons(Person.objects.get(slug="nazrin-abdul")) == ["Imported from people.csv"]
