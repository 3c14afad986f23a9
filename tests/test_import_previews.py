"""An import's confirmation reads only the file its own preview kept, and no preview leaves files behind."""

import os
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.models import Person
from records.previews import PreviewStorage, folder, sweep

PEOPLE = "slug,name,summary,birth_date,death_date,status\n"


@pytest.fixture(autouse=True)
def private_folders(settings, tmp_path, monkeypatch):
    """The previews' folder and the server's temporary folder, both empty and watched."""
    settings.IMPORT_PREVIEW_DIR = tmp_path / "previews"
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return tmp_path


def kept_files():
    """Files kept by imports, wherever a storage may have put them."""
    return sorted(path.name for path in [*folder().iterdir(), *Path(tempfile.gettempdir()).iterdir()])


def preview(client, text, name="people.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post("/admin/records/person/import/", {"format": "0", "resource": "0", "import_file": upload})


def confirm_data(response):
    form = response.context["confirm_form"]
    return {name: form.initial.get(name, "") for name in form.fields}


def confirm(client, data):
    return client.post("/admin/records/person/process_import/", data, follow=True)


@pytest.fixture
def outside_file():
    """A file of the server's temporary folder that is not an upload: a CSV someone else left there."""
    descriptor, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(descriptor, "w") as file:
        file.write(PEOPLE + "planted,Planted Person,,,,published\n")
    yield Path(path)
    Path(path).unlink(missing_ok=True)


def test_the_confirmation_refuses_a_file_name_the_client_chose(admin_client, outside_file):
    for name in (outside_file.name, str(outside_file), f"../{outside_file.name}"):
        data = {"import_file_name": name, "original_file_name": "people.csv", "format": "0", "resource": "0"}
        response = confirm(admin_client, data)
        assert "This preview is not one of yours" in response.content.decode()
        assert outside_file.exists()
    assert not Person.objects.exists()


def test_the_confirmation_refuses_a_preview_of_another_session(admin_client, client, reviewer, db):
    data = confirm_data(preview(admin_client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n"))
    client.force_login(reviewer)
    response = confirm(client, data)
    assert "This preview is not one of yours" in response.content.decode()
    assert not Person.objects.exists()
    assert len(kept_files()) == 1  # still the admin's to confirm


def test_an_unsigned_name_of_a_real_preview_is_refused(admin_client):
    data = confirm_data(preview(admin_client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n"))
    data["import_file_name"] = kept_files()[0]
    confirm(admin_client, data)
    assert not Person.objects.exists()


def test_a_confirmed_preview_imports_and_removes_its_file(admin_client):
    data = confirm_data(preview(admin_client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n"))
    assert len(kept_files()) == 1
    response = confirm(admin_client, data)
    assert "Import finished" in response.content.decode()
    assert Person.objects.filter(slug="nazrin-abdul").exists()
    assert kept_files() == []
    # The same confirmation a second time has nothing left to read.
    response = confirm(admin_client, data)
    assert "This preview was imported already, or has expired" in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "text",
    [
        PEOPLE + "bad,Bad,,2025-13,,draft\n",  # a bad row
        "slug,nom\nx,y\n",  # wrong columns
        "",  # empty
    ],
)
def test_a_refused_preview_leaves_no_file(admin_client, text):
    response = preview(admin_client, text)
    assert "confirm_form" not in response.context
    assert kept_files() == []


def test_an_abandoned_preview_is_removed_once_expired(admin_client, settings):
    preview(admin_client, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n")
    (abandoned,) = kept_files()
    past = time.time() - settings.IMPORT_PREVIEW_MAX_AGE - 1
    os.utime(folder() / abandoned, (past, past))
    sweep()
    assert kept_files() == []


def test_the_storage_never_opens_a_name_of_the_clients_making(outside_file):
    for name in (outside_file.name, str(outside_file), "../" + "0" * 32, "0" * 31):
        with pytest.raises(ValueError, match="not the name of an import preview"):
            PreviewStorage(name=name).read()
    assert outside_file.exists()


# Headers ---------------------------------------------------------------------------


def test_a_header_padded_with_spaces_is_refused_by_name(editor_client):
    header = "slug,name,summary,birth_date,death_date, status\n"
    response = preview(editor_client, header + "nazrin-abdul,Nazrin Abdul,,,,published\n")
    assert "confirm_form" not in response.context
    assert "column &#x27; status&#x27; has spaces around its name" in response.content.decode()
    assert not Person.objects.exists()
