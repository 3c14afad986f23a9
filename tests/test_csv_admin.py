"""Curators import and export files from the admin, within their permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.models import Person, Status
from records.roles import EDITORS, REVIEWERS

PEOPLE = "slug,name,summary,birth_date,death_date,status\n"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def upload(client, text, name="people.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(
        "/admin/records/person/import/",
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: field.initial or form.initial.get(name, "") for name, field in form.fields.items()}
    return client.post("/admin/records/person/process_import/", data, follow=True)


def test_a_view_only_user_can_neither_import_nor_export(as_user, db, make_staff):
    client = as_user(make_staff("viewer", permissions=["view_person"]))
    assert client.get("/admin/records/person/").status_code == 200
    assert client.get("/admin/records/person/import/").status_code == 403
    assert client.get("/admin/records/person/export/").status_code == 403
    assert client.post("/admin/records/person/export/", {"format": "0"}).status_code == 403


def test_an_editor_imports_drafts_after_a_preview(as_user, db, make_staff):
    editor = make_staff("editor", EDITORS)
    client = as_user(editor)
    preview = upload(client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n")
    assert preview.status_code == 200
    assert not Person.objects.exists()  # the preview writes nothing
    assert "confirm_form" in preview.context
    confirm(client, preview)
    person = Person.objects.get(slug="nazrin-abdul")
    assert person.status == Status.DRAFT
    assert person.history.get().history_user == editor


def test_an_editor_cannot_import_published_records(as_user, db, make_staff):
    client = as_user(make_staff("editor", EDITORS))
    preview = upload(client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,published\n")
    assert "confirm_form" not in preview.context
    assert "Only reviewers may publish people." in preview.content.decode()
    assert not Person.objects.exists()


def test_a_reviewer_imports_published_records(as_user, db, make_staff):
    client = as_user(make_staff("reviewer", REVIEWERS))
    confirm(client, upload(client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,published\n"))
    assert Person.objects.get(slug="nazrin-abdul").status == Status.PUBLISHED


def test_the_preview_names_each_bad_row_and_column(admin_client, db):
    preview = upload(admin_client, PEOPLE + "ok,Fine,,,,draft\nbad,Bad,,2025-13,,draft\n")
    page = preview.content.decode()
    assert "confirm_form" not in preview.context
    assert "birth_date" in page and "month 13 does not exist" in page
    assert not Person.objects.exists()


def test_a_latin1_upload_is_refused_with_a_clear_message(admin_client, db):
    response = upload(admin_client, PEOPLE + "celik,Çelik,,,,draft\n", encoding="latin-1")
    errors = response.context["form"].errors["import_file"]
    assert errors[0].startswith("The file is not UTF-8 text (byte 0xC7")
    assert not Person.objects.exists()


def test_an_upload_with_a_byte_order_mark_is_accepted(admin_client, db):
    confirm(admin_client, upload(admin_client, "\ufeff" + PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n"))
    assert Person.objects.filter(slug="nazrin-abdul").exists()


def test_an_upload_over_the_limit_is_refused(admin_client, settings, db):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(admin_client, PEOPLE + "big,Big," + "x" * (2 * 1024 * 1024) + ",,,draft\n")
    assert response.context["form"].errors["import_file"] == [
        "The file is 2.0 MB; imports are limited to 1 MB. Split it into smaller files."
    ]


def test_export_gives_the_current_filtered_list_with_formulae_neutralised(admin_client, db):
    Person.objects.create(slug="draft-one", name="=cmd|' /C calc'!A0", status=Status.DRAFT)
    Person.objects.create(slug="published-one", name="Published", status=Status.PUBLISHED)
    url = "/admin/records/person/export/?status__exact=draft"
    form = admin_client.get(url).context["form"]
    chosen = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = admin_client.post(url, {"format": "0", "resource": "0", **chosen})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # written as it is read, whatever the size of the list
    text = b"".join(response.streaming_content).decode("utf-8")
    assert "draft-one" in text and "published-one" not in text
    assert "'=cmd|' /C calc'!A0" in text


# What the preview shows, and how a refused file is explained ----------------------

MEMBERSHIPS = "member_person,member_organization,organization,role,kind,start_date,status\n"


def upload_to(client, model, text, name):
    return client.post(
        f"/admin/records/{model}/import/",
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )


def test_the_preview_shows_new_values_and_what_changes(admin_client, person):
    text = PEOPLE + "hikmet-hajiyev,Hikmet Hajiyev,Assistant to the President.,1970,,published\n"
    text += "nazrin-abdul,Nazrin Abdul,,,,draft\n"
    page = upload_to(admin_client, "person", text, "people.csv").content.decode()
    assert "1 new, 1 changed, 0 unchanged" in page
    assert "<dt>name</dt><dd><ins>Nazrin Abdul</ins></dd>" in page
    assert "<dt>summary</dt><dd><del>(empty)</del> → <ins>Assistant to the President.</ins></dd>" in page
    assert "<dt>birth_date</dt><dd><del>(empty)</del> → <ins>1970</ins></dd>" in page
    assert "Confirming publishes" not in page and "Confirming unpublishes" not in page


def test_the_preview_warns_that_a_drafts_file_unpublishes(admin_client, person, state):
    text = PEOPLE + "hikmet-hajiyev,Hikmet Hajiyev,,,,draft\n"
    page = upload_to(admin_client, "person", text, "people.csv").content.decode()
    assert "Confirming unpublishes 1 record: it leaves the public pages." in page
    assert "row 2: hikmet-hajiyev" in page
    assert "<dt>status</dt><dd><del>published</del> → <ins>draft</ins></dd>" in page


def test_the_preview_warns_what_a_file_publishes(admin_client, db):
    page = upload_to(admin_client, "person", PEOPLE + "new,New Person,,,,published\n", "people.csv").content.decode()
    assert "Confirming publishes 1 record: the public will see it." in page


def test_a_missing_column_is_a_plain_message_naming_the_file(admin_client, db):
    text = "member_person,member_organization,organization,role,start_date\nhajiyev,,d-8,member,\n"
    page = upload_to(admin_client, "membership", text, "memberships.csv").content.decode()
    assert "memberships.csv: missing required column &#x27;kind&#x27;" in page
    assert "Traceback" not in page and "ValueError" not in page and ".py" not in page


def test_an_unknown_slug_names_its_column_in_the_admin(admin_client, person, state):
    text = MEMBERSHIPS + "hikmet-hajiyev,,no-such-body,Envoy,member,,draft\n"
    page = upload_to(admin_client, "membership", text, "memberships.csv").content.decode()
    assert (
        "memberships.csv row 2, column &#x27;organization&#x27;: no organization with slug &#x27;no-such-body&#x27;"
        in page
    )
    assert "Line number" not in page


def test_export_keeps_to_the_columns_chosen(admin_client, person):
    url = "/admin/records/person/export/"
    response = admin_client.post(
        url, {"format": "0", "resource": "0", "personresource_slug": "on", "personresource_name": "on"}
    )
    assert b"".join(response.streaming_content).decode() == "slug,name\r\nhikmet-hajiyev,Hikmet Hajiyev\r\n"
