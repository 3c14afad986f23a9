"""The stored search text stays right on every path that writes: it can be recomputed and never differs."""

import pytest
from django.core.management import call_command

from records import merging
from records.derived import extra_texts, search_text
from records.models import Event, Organization, OtherName, Person, Source, Statement


def assert_all_right():
    """Every searchable record's stored text is what its names, other names, identifiers and topics make now."""
    for model in (Person, Organization, Event, Source, Statement):
        for record in model.objects.all():
            extra = extra_texts(model, [record.pk]).get(record.pk, [])
            assert getattr(record, model.search_field) == search_text(record, extra), record


def test_save_and_a_save_of_some_fields(db):
    person = Person.objects.create(slug="a", name="Hikmət Hacıyev")
    assert person.search_names == "hikmet haciyev"
    person.name = "Hikmet Hajiyev"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert person.search_names == "hikmet hajiyev"
    assert_all_right()


def test_bulk_create_bulk_update_and_update(db):
    Statement.objects.bulk_create(
        [
            Statement(
                slug=f"s{n}",
                text=f"Türkiye {n}",
                kind="quote",
                source=Source.objects.get_or_create(slug="r", title="R")[0],
                speaker_person=Person.objects.get_or_create(slug="p", name="P")[0],
            )
            for n in range(3)
        ]
    )
    assert_all_right()
    statements = list(Statement.objects.all())
    for statement in statements:
        statement.text = "Azərbaycan"
    Statement.objects.bulk_update(statements, ["text"])
    assert_all_right()
    Statement.objects.filter(slug="s1").update(text="Qazaxıstan")
    assert Statement.objects.get(slug="s1").search_document == "qazaxistan"
    Organization.objects.bulk_create(
        [Organization(slug="un", name="United Nations", abbreviation="UN", classification="other")]
    )
    Organization.objects.update(abbreviation="ONU")
    assert_all_right()


def test_other_names_one_by_one_and_in_bulk(db, person):
    other = OtherName.objects.create(person=person, name="Hikmət Hacıyev")
    assert_all_right()
    other.name = "Hikmat Hajiyev"
    other.save()
    assert_all_right()
    OtherName.objects.bulk_create([OtherName(person=person, name="Хикмет Гаджиев")])
    assert_all_right()
    OtherName.objects.filter(name="Хикмет Гаджиев").update(name="Hikmet Gadzhiev")
    assert_all_right()
    names = list(OtherName.objects.all())
    for name in names:
        name.name = name.name.upper()
    OtherName.objects.bulk_update(names, ["name"])
    assert_all_right()
    OtherName.objects.filter(name__startswith="HIKMAT").delete()
    other = OtherName.objects.first()
    other.delete()
    assert_all_right()
    assert "gadzhiev" not in Person.objects.get().search_names


def test_fixtures(db):
    call_command("loaddata", "fixtures/azernews-2026-03-12-hajiyev-global-baku-forum.json", verbosity=0)
    assert "hikmet hacıyev" not in Person.objects.get(slug="hikmet-hajiyev").search_names
    assert "hikmet haciyev" in Person.objects.get(slug="hikmet-hajiyev").search_names
    assert_all_right()


def test_the_admin_with_other_names_in_its_form(admin_client, admin_form, person):
    url = f"/admin/records/person/{person.pk}/change/"
    data = admin_form(admin_client, url) | {
        "name": "Hikmet Hajiyev",
        "other_names-0-name": "Hikmət Hacıyev",
        "other_names-0-language": "az",
    }
    assert admin_client.post(url, data).status_code == 302
    assert_all_right()
    assert "hikmet haciyev" in Person.objects.get().search_names


def test_imports(db, tmp_path):
    (tmp_path / "people.csv").write_text("slug,name\nhajiyev,Hikmet Hajiyev\n")
    (tmp_path / "other_names.csv").write_text("person,organization,name,language\nhajiyev,,Hikmət Hacıyev,az\n")
    call_command("import_csv", str(tmp_path))
    assert_all_right()
    (tmp_path / "people.csv").write_text("slug,name\nhajiyev,Hikmat Hajiyev\n")
    (tmp_path / "other_names.csv").unlink()
    call_command("import_csv", str(tmp_path))
    assert_all_right()
    assert Person.objects.get().search_names == "hikmat hajiyev\nhikmet haciyev"


@pytest.mark.parametrize("kept_first", [True, False])
def test_merges(db, kept_first):
    one = Person.objects.create(slug="one", name="Hikmet Hajiyev")
    two = Person.objects.create(slug="two", name="Hikmət Hacıyev")
    OtherName.objects.create(person=two, name="Hikmat Hajiyev")
    kept, other = (one, two) if kept_first else (two, one)
    merging.merge(kept, other)
    assert_all_right()


def test_identifiers_and_topics(db, person, statement):
    from records.models import Identifier, Topic

    Identifier.objects.create(person=person, scheme="wikidata", value="Q213542")
    assert "q213542" in Person.objects.get().search_names
    topic = Topic.objects.create(slug="multilateralism", name="Multilateralism")
    statement.topics.add(topic)
    assert "multilateralism" in Statement.objects.get().search_document
    topic.name = "Multilateral diplomacy"
    topic.save()
    assert "multilateral diplomacy" in Statement.objects.get().search_document
    statement.topics.clear()
    assert "multilateral" not in Statement.objects.get().search_document
    Identifier.objects.all().delete()
    assert_all_right()
