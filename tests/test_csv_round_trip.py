"""The whole database goes out as CSV files and comes back identical."""

import filecmp
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from records.models import Citation, FormerSlug, Membership, Person, Post, Source
from records.resources import PersonResource, SourceResource

FIXTURES = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))
FILES = [
    "topics.csv",
    "people.csv",
    "organizations.csv",
    "other_names.csv",
    "identifiers.csv",
    "links.csv",
    "former_slugs.csv",
    "sources.csv",
    "events.csv",
    "participants.csv",
    "posts.csv",
    "memberships.csv",
    "statements.csv",
    "citations.csv",
]


@pytest.fixture
def article(db):
    call_command("loaddata", *FIXTURES, verbosity=0)


def wipe():
    if connection.vendor == "postgresql":
        # Checks deferred to the end of the test's transaction would keep TRUNCATE from running.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)


def test_export_empty_database_import_export_gives_identical_files(article, tmp_path, capsys):
    hajiyev = Person.objects.get(slug="hikmet-hajiyev")
    FormerSlug.objects.create(person=hajiyev, slug="hikmat-hajiyev")
    # A post, held and cited, so that every file has rows.
    held = hajiyev.memberships.select_related("organization").first()
    post = Post.objects.create(
        slug="assistant-to-the-president",
        label="Assistant to the President",
        other_labels="Prezidentin köməkçisi",
        organization=held.organization,
        status="published",
    )
    Citation.objects.create(source=Source.objects.first(), post=post, excerpt="Assistant to the President")
    Membership.objects.filter(pk=held.pk).update(post=post)
    call_command("export_csv", tmp_path / "first")
    assert sorted(path.name for path in (tmp_path / "first").iterdir()) == sorted(FILES)
    wipe()
    assert not Person.objects.exists()
    call_command("import_csv", tmp_path / "first")
    call_command("export_csv", tmp_path / "second")
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "first", tmp_path / "second", FILES, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert "Türkiye" in (tmp_path / "second" / "organizations.csv").read_text(encoding="utf-8")
    assert "hikmat-hajiyev,hikmet-hajiyev," in (tmp_path / "second" / "former_slugs.csv").read_text(encoding="utf-8")
    assert "Prezidentin köməkçisi" in (tmp_path / "second" / "posts.csv").read_text(encoding="utf-8")
    assert Membership.objects.filter(post__slug="assistant-to-the-president").count() == 1


def test_importing_the_same_files_again_changes_nothing(article, tmp_path, capsys):
    call_command("export_csv", tmp_path)
    capsys.readouterr()
    history = Person.history.count()
    call_command("import_csv", tmp_path)
    out = capsys.readouterr().out
    assert "statements.csv: 16 unchanged" in out
    assert "memberships.csv: 5 unchanged" in out
    assert "new" not in out and "updated" not in out
    assert Person.history.count() == history


def test_a_dry_run_writes_nothing(article, tmp_path, capsys):
    call_command("export_csv", tmp_path)
    wipe()
    call_command("import_csv", tmp_path, "--dry-run")
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Person.objects.exists()


def test_one_bad_file_stops_the_whole_import(article, tmp_path, capsys):
    call_command("export_csv", tmp_path)
    wipe()
    statements = tmp_path / "statements.csv"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("hikmet-hajiyev", "nobody", 1), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_csv", tmp_path)
    assert "statements.csv row 2, column 'speaker_person': no person with slug 'nobody'" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_a_stranger_file_is_refused(db, tmp_path, capsys):
    (tmp_path / "persons.csv").write_text("slug,name\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_csv", tmp_path)
    assert "persons.csv: not a file this database reads" in capsys.readouterr().err


def test_importing_a_folder_that_is_not_there_says_so(db, tmp_path, capsys):
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_csv", tmp_path / "missing")
    assert f"{tmp_path / 'missing'}: no such folder" in capsys.readouterr().err
    (tmp_path / "people.csv").write_text("slug,name\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_csv", tmp_path / "people.csv")
    assert f"{tmp_path / 'people.csv'}: not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["a-file", "a-file/below-it"])
def test_exporting_where_no_folder_can_be_made_names_the_problem(db, tmp_path, where):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    refused = r"Cannot write the CSV files into .*a-file.*: (File exists|Not a directory)"
    with pytest.raises(CommandError, match=refused):
        call_command("export_csv", tmp_path / where, stderr=io.StringIO())
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_names_in_four_scripts_round_trip_byte_for_byte(db, tmp_path):
    names = ["Hikmət Hacıyev", "Türkiye Cumhuriyeti", "Хикмет Гаджиев", "Հիքմեթ Հաջիև"]
    for number, name in enumerate(names):
        Person.objects.create(slug=f"name-{number}", name=name)
    call_command("export_csv", tmp_path / "out")
    people = (tmp_path / "out" / "people.csv").read_bytes()
    for name in names:
        assert name.encode("utf-8") in people
    Person.objects.all().delete()
    call_command("import_csv", tmp_path / "out")
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(names)


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(db, tmp_path):
    Person.objects.create(slug="formula", name='=HYPERLINK("http://evil")', summary="-2 +3 @me")
    Person.objects.create(slug="negative", name="Plain", birth_date="1970")
    call_command("export_csv", tmp_path)
    people = (tmp_path / "people.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in people
    assert "'-2 +3 @me" in people
    Person.objects.all().delete()
    call_command("import_csv", tmp_path)
    assert Person.objects.get(slug="formula").name == '=HYPERLINK("http://evil")'
    assert Person.objects.get(slug="formula").summary == "-2 +3 @me"


def test_negative_numbers_in_numeric_columns_are_left_alone(source, tmp_path):
    source.utc_offset_minutes = -300
    source.save()
    dataset = SourceResource().export()
    assert dataset.dict[0]["utc_offset_minutes"] in (-300, "-300")


def test_imports_are_recorded_in_history(db, tmp_path):
    (tmp_path / "people.csv").write_text("slug,name\nnazrin-abdul,Nazrin Abdul\n", encoding="utf-8")
    call_command("import_csv", tmp_path)
    record = Person.objects.get(slug="nazrin-abdul").history.get()
    assert record.history_type == "+"
    (tmp_path / "people.csv").write_text("slug,name\nnazrin-abdul,Nazrin Abdül\n", encoding="utf-8")
    call_command("import_csv", tmp_path)
    latest, previous = Person.objects.get(slug="nazrin-abdul").history.all()[:2]
    assert [(c.field, c.old, c.new) for c in latest.diff_against(previous).changes] == [
        ("name", "Nazrin Abdul", "Nazrin Abdül")
    ]


def test_unchanged_rows_cost_no_query_each(article, tmp_path, django_assert_max_num_queries):
    call_command("export_csv", tmp_path)
    dataset = PersonResource().export()
    for number in range(200):
        dataset.append([f"extra-{number}", f"Extra {number}", "", "", "", "", "", "draft"])
    PersonResource().import_data(dataset)  # create them once
    with django_assert_max_num_queries(10 + 2 * len(dataset)):  # two savepoint statements a row, no lookups
        result = PersonResource().import_data(dataset)
    assert result.totals["skip"] == len(dataset)
