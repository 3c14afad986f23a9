"""Statement.public, the stored answer of the visibility rule, is right after every kind of write."""

from pathlib import Path

import pytest
from django.core.management import call_command

from records import merging, visibility
from records.models import Organization, Person, Source, Statement, Status

DRAFT, PUBLISHED = Status.DRAFT, Status.PUBLISHED
ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"


def assert_flags_right():
    statements = list(Statement.objects.select_related("speaker_person", "speaker_organization", "source"))
    assert statements, "nothing to check"
    wrong = [s.slug for s in statements if s.public != visibility.rule_holds(s)]
    assert not wrong, f"stale visibility flags: {wrong}"


def flags():
    return dict(Statement.objects.values_list("slug", "public"))


def said(slug, speaker, source, status=PUBLISHED, **fields):
    return Statement(slug=slug, speaker_person=speaker, source=source, kind="quote", text=slug, status=status, **fields)


def test_save_computes_it_and_a_save_of_some_fields_too(statement):
    assert flags() == {"middle-power": True}
    statement.status = DRAFT
    statement.save(update_fields=["status"])
    assert flags() == {"middle-power": False}
    statement.status = PUBLISHED
    statement.save()
    assert flags() == {"middle-power": True}
    assert_flags_right()


@pytest.mark.parametrize("required", ["speaker_person", "source"])
def test_publishing_and_unpublishing_what_it_rests_on_one_by_one(statement, required):
    record = getattr(statement, required)
    record.status = DRAFT
    record.save()
    assert flags() == {"middle-power": False}
    record = type(record).objects.get(pk=record.pk)  # as an admin form loads it
    record.status = PUBLISHED
    record.save()
    assert flags() == {"middle-power": True}
    assert_flags_right()


def test_an_organization_speaking(state, source):
    Statement.objects.create(
        slug="official", speaker_organization=state, source=source, kind="paraphrase", text="t", status=PUBLISHED
    )
    Organization.objects.filter(pk=state.pk).update(status=DRAFT)
    assert flags() == {"official": False}
    assert_flags_right()


def test_querysets_update_bulk_update_and_bulk_create(person, source):
    other = Person.objects.create(slug="other", name="Other", status=DRAFT)
    Statement.objects.bulk_create(
        [said("one", person, source), said("two", other, source), said("three", person, source, DRAFT)]
    )
    assert flags() == {"one": True, "two": False, "three": False}
    Person.objects.filter(pk=other.pk).update(status=PUBLISHED)
    assert flags()["two"] is True
    Source.objects.filter(pk=source.pk).update(status=DRAFT)
    assert not any(flags().values())
    source.status = PUBLISHED
    Source.objects.bulk_update([source], ["status"])
    Statement.objects.filter(slug="three").update(status=PUBLISHED)
    assert all(flags().values())
    Statement.objects.filter(slug="one").update(speaker_person=Person.objects.create(slug="d", name="D"))
    assert flags()["one"] is False
    moved = Statement.objects.get(slug="one")
    moved.speaker_person = person
    Statement.objects.bulk_update([moved], ["speaker_person"])
    assert flags()["one"] is True
    assert_flags_right()


def test_fixtures(db):
    """Raw saves, as loaddata makes them."""
    call_command("loaddata", str(ARTICLE), verbosity=0)
    assert Statement.objects.filter(public=True).count() == Statement.objects.count() > 0
    assert_flags_right()


def test_csv_imports(db, tmp_path):
    (tmp_path / "people.csv").write_text("slug,name,status\nhajiyev,Hikmet Hajiyev,draft\n")
    (tmp_path / "sources.csv").write_text("slug,title,status\nreport,Report,published\n")
    (tmp_path / "statements.csv").write_text(
        "slug,speaker_person,source,kind,text,status\nsaid,hajiyev,report,quote,Words,published\n"
    )
    call_command("import_csv", str(tmp_path), verbosity=0)
    assert flags() == {"said": False}  # the speaker is a draft
    (tmp_path / "people.csv").write_text("slug,name,status\nhajiyev,Hikmet Hajiyev,published\n")
    call_command("import_csv", str(tmp_path), verbosity=0)
    assert flags() == {"said": True}
    (tmp_path / "statements.csv").write_text(
        "slug,speaker_person,source,kind,text,status\nsaid,hajiyev,report,quote,Words,draft\n"
    )
    call_command("import_csv", str(tmp_path), verbosity=0)
    assert flags() == {"said": False}
    assert_flags_right()


def test_the_admins_publish_and_unpublish_actions(reviewer_client, statement):
    person = statement.speaker_person
    url = "/admin/records/person/"
    response = reviewer_client.post(url, {"action": "unpublish", "_selected_action": [person.pk]})
    assert response.status_code == 302
    assert flags() == {"middle-power": False}
    reviewer_client.post(url, {"action": "publish", "_selected_action": [person.pk]})
    assert flags() == {"middle-power": True}
    assert_flags_right()


def test_a_merge_moves_statements_onto_a_published_speaker(person, source):
    duplicate = Person.objects.create(slug="hajiyev-draft", name="Hikmet Hajiyev", status=DRAFT)
    said("moved", duplicate, source).save()
    assert flags() == {"moved": False}
    merging.merge(person, duplicate, choices={"status": "kept"})
    assert flags() == {"moved": True}
    assert_flags_right()
