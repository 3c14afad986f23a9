"""Conditional GET and the page cache: answered from the data version, never stale after any kind of write."""

import pytest
from django.apps import apps
from django.core.management import call_command

from records import merging
from records.derived import KeptQuerySet
from records.models import DataVersion, Organization, Person, Statement, Status, Topic

PUBLISHED = Status.PUBLISHED


def version():
    return DataVersion.current().number


def test_a_page_carries_an_etag_and_answers_304_until_something_changes(client, person):
    first = client.get("/people/")
    assert first.status_code == 200 and first["ETag"].startswith('W/"') and first["Last-Modified"]
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get("/people/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    person.name = "Hikmet Hajiyev (renamed)"
    person.save()
    changed = client.get("/people/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Hikmet Hajiyev (renamed)" in changed.content.decode()


def test_a_second_reader_gets_the_cached_page_until_an_edit(client, statement, django_assert_num_queries):
    url = f"/statements/{statement.slug}/"
    client.get(url)
    with django_assert_num_queries(1):  # the data version, nothing else
        cached = client.get(url)
    assert "middle-power diplomacy" in cached.content.decode()
    Statement.objects.filter(pk=statement.pk).update(text="Countries like Azerbaijan build bridges.")
    fresh = client.get(url).content.decode()
    assert "build bridges" in fresh and "middle-power diplomacy" not in fresh


def test_debug_pages_are_never_cached(client, person, settings):
    settings.DEBUG = True
    assert "ETag" not in client.get("/people/")


def advanced_by(write):
    before = version()
    write()
    return version() > before


def test_every_kind_of_write_advances_the_version(person, source, statement, tmp_path):
    topic = Topic.objects.create(name="Peace", slug="peace")
    assert advanced_by(lambda: Person.objects.create(slug="new", name="New"))
    assert advanced_by(lambda: Person.objects.filter(slug="new").update(name="Newer"))
    assert advanced_by(lambda: Person.objects.bulk_create([Person(slug="bulk", name="Bulk")]))
    assert advanced_by(lambda: Person.objects.bulk_update([Person.objects.get(slug="bulk")], ["name"]))
    assert advanced_by(lambda: statement.topics.add(topic))
    assert advanced_by(lambda: statement.topics.clear())
    assert advanced_by(lambda: Person.objects.get(slug="bulk").delete())
    assert advanced_by(lambda: Person.objects.filter(slug="new").delete())
    (tmp_path / "people.csv").write_text("slug,name,status\nimported,Imported,published\n")
    assert advanced_by(lambda: call_command("import_csv", str(tmp_path), verbosity=0))
    assert not advanced_by(lambda: call_command("import_csv", str(tmp_path), verbosity=0))  # nothing changed
    twin = Person.objects.create(slug="twin", name=person.name)
    assert advanced_by(lambda: merging.merge(person, twin, choices={"status": "kept"}))


def test_every_records_model_writes_in_bulk_through_a_versioned_queryset():
    """A model whose manager forgot it would write without moving the version: cached pages would go stale."""
    for model in apps.get_app_config("records").get_models():
        if model is DataVersion or model.__name__.startswith("Historical"):
            continue
        assert isinstance(model._default_manager.all(), KeptQuerySet), model.__name__


@pytest.mark.parametrize("header", ["HTTP_IF_MODIFIED_SINCE"])
def test_if_modified_since_is_answered_too(client, person, header):
    first = client.get("/people/")
    again = client.get("/people/", **{header: first["Last-Modified"]})
    assert again.status_code == 304


def test_organizations_are_fine_after_publish_actions(reviewer_client, client, state):
    page = client.get("/organizations/").content.decode()
    assert "Republic of Azerbaijan" in page
    reviewer_client.post("/admin/records/organization/", {"action": "unpublish", "_selected_action": [state.pk]})
    assert Organization.objects.get(pk=state.pk).status != PUBLISHED
    assert "Republic of Azerbaijan" not in client.get("/organizations/").content.decode()
