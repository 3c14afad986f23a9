"""A real Popolo file in, our records out as Popolo and back: names intact, nothing twice, nothing half-written."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from records.models import (
    DataVersion,
    Event,
    Identifier,
    Membership,
    Organization,
    OtherName,
    Person,
    Post,
    Source,
    Status,
)
from records.popolo import exporting
from records.resources import RESOURCES

DATA = Path(__file__).resolve().parent / "data" / "popolo"
CYPRUS = DATA / "northern-cyprus-assembly.json"
ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"


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
    # The terms and elections cite nothing themselves: they cite the document's meta.sources and the document.
    assert Event.objects.published().count() == 11
    term = Event.objects.get(name="8th Parliament")
    assert sorted(term.citations.values_list("source__url", flat=True)) == [
        "",  # the file itself, which has no address of its own here
        "https://en.wikipedia.org/wiki/14th_Parliament_of_Northern_Cyprus",
        "https://morph.io/wfdd/nc-assembly-scraper",
    ]


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


# A legislature as EveryPolitician publishes most of them: its sources named once for the whole document.
HOUSE = {
    "meta": {"sources": ["https://parliament.example.org/members", "http://wikidata.org/"]},
    "persons": [
        {"id": "4d1c", "name": "Aylin Kaya", "links": [{"url": "https://be_x_old.wikipedia.org/wiki/Kaya"}]},
        {"id": "9e2f", "name": "Rauf Əliyev", "other_names": [{"name": "Рауф Алиев", "lang": "ru"}]},
    ],
    "organizations": [
        {"id": "house", "name": "House of Representatives", "classification": "legislature"},
        {"id": "party/green", "name": "Green Party", "classification": "party"},
    ],
    "posts": [
        {
            "id": "seat/north",
            "label": "Member for North",
            "other_label": ["Deputy for North"],
            "role": "Member",
            "organization_id": "house",
            "area": {"name": "North"},
            "start_date": "1995",
        }
    ],
    "memberships": [
        {"person_id": "4d1c", "post_id": "seat/north", "role": "member", "start_date": "2015", "end_date": "2019"},
        {"person_id": "9e2f", "post_id": "seat/north", "role": "member", "start_date": "2019"},
        {"person_id": "9e2f", "organization_id": "house", "on_behalf_of_id": "party/green", "role": "speaker"},
    ],
}


def write(tmp_path, document, name="house.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_facts_without_sources_cite_the_documents_own_and_are_published(db, tmp_path):
    load(write(tmp_path, HOUSE), "--publish", "--url", "https://data.example.org/house.json")
    assert Membership.objects.count() == 4  # three, and the party of the third
    assert Membership.objects.published().count() == 4 and Post.objects.published().count() == 1
    cited = set(Membership.objects.first().citations.values_list("source__url", flat=True))
    assert cited == {
        "https://parliament.example.org/members",
        "http://wikidata.org/",
        "https://data.example.org/house.json",
    }
    itself = Source.objects.get(url="https://data.example.org/house.json")
    assert itself.title == "Popolo document house.json" and "Imported" in itself.note


def test_without_an_address_the_document_is_a_source_named_after_its_file(db, tmp_path):
    load(write(tmp_path, {**HOUSE, "meta": {}}), "--publish")
    (itself,) = Source.objects.all()
    assert itself.slug == "popolo-house" and itself.url == "" and itself.title == "Popolo document house.json"
    assert Membership.objects.published().count() == 4


def test_memberships_cited_by_the_document_survive_export_and_import(db, tmp_path):
    load(write(tmp_path, HOUSE), "--publish")
    public = json.loads("".join(exporting.document()))
    assert len(public["memberships"]) == 4 and len(public["posts"]) == 1
    for resource in reversed(RESOURCES.values()):  # flush would meet PostgreSQL's deferred checks of this test
        resource._meta.model._base_manager.all().delete()
    assert not Membership.objects.exists()
    load(write(tmp_path, public, "public.json"), "--publish")
    assert Membership.objects.published().count() == 4 and Post.objects.published().count() == 1


def test_posts_arrive_with_their_holders_in_succession(db, tmp_path, client):
    load(write(tmp_path, HOUSE), "--publish")
    post = Post.objects.get()
    assert (post.label, post.other_labels, post.role, post.area, post.start_date) == (
        "Member for North",
        "Deputy for North",
        "Member",
        "North",
        "1995",
    )
    assert post.organization.name == "House of Representatives"
    holders = post.holdings.order_by("start_date")
    assert [m.member_person.name for m in holders] == ["Aylin Kaya", "Rauf Əliyev"]
    assert all(m.organization == post.organization for m in holders)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Holders in succession" in page  # the timeline
    now, before = page.split("<h3>Now</h3>")[1].split("<h3>Before, latest first</h3>")
    assert "Rauf Əliyev" in now and "Aylin Kaya" not in now and "Aylin Kaya" in before.split("</section>")[0]
    exported = json.loads("".join(exporting.document()))
    assert exported["posts"][0]["other_label"] == ["Deputy for North"]
    assert {m.get("post_id") for m in exported["memberships"]} == {post.slug, None}


def test_publish_on_a_second_import_publishes_the_drafts_the_file_covers_and_says_so(db, tmp_path):
    path = write(tmp_path, HOUSE)
    load(path)
    assert not Membership.objects.published().exists()
    out = StringIO()
    call_command("import_popolo", str(path), "--publish", stdout=out, stderr=StringIO())
    assert Membership.objects.published().count() == 4 and Person.objects.published().count() == 2
    assert "published: 2 people that were drafts" in out.getvalue()
    assert "published: 4 memberships that were drafts" in out.getvalue()


def test_the_report_speaks_popolos_words_then_ours(db, tmp_path):
    out = StringIO()
    call_command("import_popolo", str(write(tmp_path, HOUSE)), stdout=out, stderr=StringIO())
    report = out.getvalue()
    assert "house.json holds 2 persons, 2 organizations, 1 posts, 3 memberships, 0 events, 0 speeches" in report
    assert "  people: 2 new\n" in report and "  posts: 1 new\n" in report
    assert ".csv" not in report


def test_an_identifier_given_to_two_records_is_kept_once_and_counted(db, tmp_path):
    twice = {"identifiers": [{"scheme": "wikidata", "identifier": "Q731357"}]}
    document = {"organizations": [{"id": "a", "name": "A", **twice}, {"id": "b", "name": "B", **twice}]}
    out = StringIO()
    call_command("import_popolo", str(write(tmp_path, document)), stdout=out, stderr=StringIO())
    assert Identifier.objects.get(scheme="wikidata").organization.name == "A"
    assert "not kept: 1 identifiers that the document gives to two records" in out.getvalue()


def test_an_unmigrated_database_is_named_not_a_traceback(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{empty}"}
    for command in (["import_popolo", str(CYPRUS)], ["export_popolo", str(tmp_path / "out.json")]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert done.returncode != 0
        assert "run `manage.py migrate` first" in done.stderr and "Traceback" not in done.stderr


def test_export_all_writes_drafts_with_their_status_the_public_export_never(db, tmp_path):
    load(write(tmp_path, HOUSE))
    public = json.loads("".join(exporting.document()))
    assert public["persons"] == [] and public["memberships"] == []
    call_command("export_popolo", str(tmp_path / "all.json"), "--all", stdout=StringIO())
    everything = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert {p["name"]: p["status"] for p in everything["persons"]} == {"Aylin Kaya": "draft", "Rauf Əliyev": "draft"}
    assert len(everything["memberships"]) == 4 and everything["posts"][0]["status"] == "draft"


def test_a_refused_item_is_named_as_the_document_names_it(db, tmp_path):
    person = {"id": "b", "name": "Аляксандр Мілінкевіч", "gender": "x" * 31}
    person["links"] = [{"url": "javascript:alert(1)"}]
    document = {"persons": [{"id": "a", "name": "Good One"}, person]}
    errors = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_popolo", str(write(tmp_path, document)), stdout=StringIO(), stderr=errors)
    lines = [line for line in errors.getvalue().splitlines() if not line.startswith("importing:")]
    assert lines == [
        "house.json: persons item 2 (Аляксандр Мілінкевіч) (people: gender): "
        "the cell has 31 characters; this column holds at most 30",
        "house.json: persons item 2 (Аляксандр Мілінкевіч) (links: url): "
        "Enter a web address: only http and https addresses are kept, not javascript:.",
    ]
    assert not Person.objects.exists()


def test_a_language_code_that_is_no_bcp_47_code_is_kept_otherwise_and_counted(db, tmp_path):
    names = [
        {"name": "ワジム・デビャトフスキー", "lang": "kana"},  # a script code, as Wikidata writes it
        {"name": "Vadzim Dzieviatoŭski", "lang": "be_x_old", "note": "multilingual"},
        {"name": "Вадим Девятовский", "lang": "ru"},
    ]
    document = {"persons": [{"id": "p", "name": "Vadim Devyatovsky", "other_names": names}]}
    out = StringIO()
    call_command("import_popolo", str(write(tmp_path, document)), stdout=out, stderr=StringIO())
    assert set(OtherName.objects.values_list("name", "language", "note")) == {
        ("ワジム・デビャトフスキー", "und-Kana", ""),
        ("Vadzim Dzieviatoŭski", "", "multilingual; language given as 'be_x_old'"),
        ("Вадим Девятовский", "ru", ""),
    }
    assert "kept otherwise: 2 other names' language codes that are not BCP 47" in out.getvalue()


def test_a_date_that_is_no_date_is_kept_as_far_as_it_is_one_and_counted(db, tmp_path):
    people = [
        {"id": "a", "name": "Born In A Year", "birth_date": "1956-00-00"},
        {"id": "b", "name": "Born In February", "birth_date": "1961-02-30"},
        {"id": "c", "name": "Born Unknown", "birth_date": "unknown"},
        {"id": "d", "name": "Born On A Day", "birth_date": "1970-05-01"},
    ]
    out = StringIO()
    call_command("import_popolo", str(write(tmp_path, {"persons": people})), stdout=out, stderr=StringIO())
    assert dict(Person.objects.values_list("name", "birth_date")) == {
        "Born In A Year": "1956",
        "Born In February": "1961-02",
        "Born Unknown": "",
        "Born On A Day": "1970-05-01",
    }
    assert "kept otherwise: 3 dates that are no dates" in out.getvalue()


def test_an_identifier_scheme_that_is_no_slug_is_written_as_one_and_counted(db, tmp_path):
    person = {"id": "p", "name": "Anna Nowak", "identifiers": [{"scheme": "sejm.gov.pl", "identifier": "123"}]}
    out = StringIO()
    call_command("import_popolo", str(write(tmp_path, {"persons": [person]})), stdout=out, stderr=StringIO())
    assert Identifier.objects.filter(scheme="sejm-gov-pl", value="123").exists()
    assert "kept otherwise: 1 identifier schemes that are no slugs" in out.getvalue()
