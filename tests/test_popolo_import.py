"""A real Popolo file in, our records out as Popolo and back: names intact, nothing twice, nothing half-written."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from records.models import DataVersion, Event, Identifier, Membership, Organization, OtherName, Person, Status
from records.popolo import exporting

DATA = Path(__file__).resolve().parent / "data" / "popolo"
CYPRUS = DATA / "northern-cyprus-assembly.json"
ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"


def load(path, *options):
    call_command("import_popolo", str(path), *options, verbosity=0)


def test_the_northern_cyprus_assembly_arrives_whole(db):
    load(CYPRUS)
    source = json.loads(CYPRUS.read_text())
    assert Person.objects.count() == len(source["persons"]) == 50
    assert Organization.objects.count() == len(source["organizations"]) == 5
    # Each seat, and the party the member sat for: two memberships per Popolo membership.
    assert Membership.objects.count() == 2 * len(source["memberships"]) == 100
    assert Event.objects.count() == 11
    erhurman = Person.objects.get(identifiers__value="01b736c9-bba7-48d7-add9-760ecaed6b03")
    assert erhurman.name == "Tufan Erhürman" and erhurman.birth_date == "1970" and erhurman.gender == "male"
    assert erhurman.image.endswith("tufan-erhurman.jpg")
    assert Person.objects.filter(name="Salih İzbul").exists()
    names = set(OtherName.objects.values_list("name", flat=True))
    assert {"公共民主党", "共同民主党", "Общественная демократическая партия"} <= names  # Chinese, Japanese, Russian
    assert Person.objects.filter(name__contains="ğ").exists() and Person.objects.filter(name__contains="ş").exists()
    assert any("\u0370" <= c <= "\u03ff" for name in names for c in name)  # Greek
    assert any("\u0600" <= c <= "\u06ff" for name in names for c in name)  # Arabic
    assert Identifier.objects.filter(scheme="wikidata", value="Q1515950").exists()
    seat = Membership.objects.filter(member_person=erhurman, organization__classification="legislature").get()
    assert seat.area == "Lefkoşa" and seat.start_date  # the term's dates, from legislative_period_id
    assert seat.citations.get().source.url == "https://en.wikipedia.org/wiki/14th_Parliament_of_Northern_Cyprus"
    assert not Person.objects.filter(status=Status.PUBLISHED).exists()  # drafts until a reviewer publishes


def test_a_second_import_changes_nothing(db):
    load(CYPRUS)
    before = DataVersion.current().number
    load(CYPRUS)
    assert DataVersion.current().number == before
    assert Membership.objects.count() == 100 and Person.objects.count() == 50


def test_publish_publishes_what_is_cited(db):
    load(CYPRUS, "--publish")
    assert Person.objects.published().count() == 50
    assert Membership.objects.published().count() == 100  # every one cites its source
    assert Event.objects.published().count() == 0  # the terms and elections cite none: drafts


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: text.replace('"persons": [', '"persons": {', 1),  # malformed
        lambda text: json.dumps({"people": []}),  # not Popolo
        lambda text: text.replace('"name": "Tufan Erhürman"', '"name": ""', 1),  # a person without a name
    ],
)
def test_a_damaged_file_is_refused_and_changes_nothing(db, tmp_path, damage):
    broken = tmp_path / "assembly.json"
    broken.write_text(damage(CYPRUS.read_text()))
    with pytest.raises(CommandError, match="nothing was imported"):
        load(broken)
    assert not Person.objects.exists() and not Membership.objects.exists()


def test_our_export_round_trips_into_an_empty_database(db, tmp_path):
    call_command("loaddata", str(ARTICLE), verbosity=0)
    first = "".join(exporting.document())
    call_command("flush", interactive=False, verbosity=0)
    assert not Person.objects.exists()
    document = tmp_path / "records.json"
    document.write_text(first)
    load(document, "--publish")
    again = "".join(exporting.document())
    assert json.loads(again) == json.loads(first)
