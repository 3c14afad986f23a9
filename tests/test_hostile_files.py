"""A corpus of hostile files (tests/hostile/): each is refused with a message naming its line or row and column.

The name of each file says what is wrong with it, and its first word which
file of an export it poses as. Nothing of any of them may be written.
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from records.models import Event, Organization, Person, Source, Status
from records.transfer import import_all

HOSTILE = Path(__file__).resolve().parent / "hostile"

EXPECTED = {
    "people-unterminated-quote.csv": [
        "people.csv: line 2: a quoted cell starts here and is never closed, so the rest of the file would be one cell"
    ],
    "people-text-after-closing-quote.csv": ["people.csv: line 2: ',' expected after '\"'"],
    "people-bare-carriage-return.csv": ["people.csv row 3: the row has 1 cell; the header has 6 columns"],
    "people-blank-line.csv": ["people.csv row 3: the row is empty; the header has 6 columns"],
    "people-duplicated-header.csv": ["people.csv: column 'name' appears more than once"],
    "people-row-longer-than-header.csv": ["people.csv row 2: the row has 7 cells; the header has 6 columns"],
    "people-padded-header.csv": ["people.csv: column ' status' has spaces around its name"],
    "people-nul-byte.csv": [
        "people.csv row 2, column 'summary': the cell holds a NUL character, which no record can contain"
    ],
    "people-empty.csv": ["people.csv: the file is empty: it has no header row"],
    "organizations-duplicated-slug.csv": [
        "organizations.csv row 3, column 'slug': the same record as row 2 (same slug)"
    ],
    "organizations-parent-loop.csv": [
        "organizations.csv row 2, column 'parent': the parents make a loop: first → second → first",
        "organizations.csv row 3, column 'parent': the parents make a loop: second → first → second",
    ],
    "events-parent-loop-through-stored.csv": [
        "events.csv row 2, column 'parent': the parents make a loop: forum → panel → forum"
    ],
    "sources-formula-in-a-number.csv": ["sources.csv row 2, column 'utc_offset_minutes': '=240' is not a whole number"],
    "sources-escaped-formula-in-a-number.csv": [
        "sources.csv row 2, column 'utc_offset_minutes': '=240' is not a whole number"
    ],
}


def test_every_file_of_the_corpus_has_its_expected_messages():
    assert sorted(EXPECTED) == sorted(path.name for path in HOSTILE.iterdir())


@pytest.fixture
def stored(db):
    """What is already there: a loop through it must be caught too."""
    forum = Event.objects.create(slug="forum", name="Forum", classification="forum", status=Status.PUBLISHED)
    Event.objects.create(slug="panel", name="Panel", classification="panel", parent=forum)
    Person.objects.create(slug="keep", name="Kept as it is")


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in (Person, Organization, Event, Source)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_file_is_refused_by_name_and_writes_nothing(name, stored, tmp_path):
    shutil.copy(HOSTILE / name, tmp_path / f"{name.split('-')[0]}.csv")
    before = snapshot()
    report = import_all(tmp_path)
    assert report.problems == EXPECTED[name]
    assert snapshot() == before


def test_a_cell_beyond_any_limit_is_named_by_line(db, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    settings.IMPORT_MAX_CELL_CHARS = 100
    huge = "x" * 5000
    (tmp_path / "people.csv").write_text(f"slug,name\nada,Ada\nbob,{huge}\n")
    assert import_all(tmp_path).problems == ["people.csv: line 3: a cell is longer than 1,000 characters"]
    assert not Person.objects.exists()


def test_a_cell_over_the_cell_limit_is_named_by_row_and_column(db, tmp_path, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100
    (tmp_path / "people.csv").write_text(f"slug,name,summary\nada,Ada,{'x' * 101}\n")
    assert import_all(tmp_path).problems == [
        "people.csv row 2, column 'summary': the cell has 101 characters; at most 100 are allowed"
    ]


def test_the_command_prints_each_problem_and_fails(db, tmp_path, capsys):
    shutil.copy(HOSTILE / "people-unterminated-quote.csv", tmp_path / "people.csv")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_csv", str(tmp_path))
    assert "line 2: a quoted cell starts here and is never closed" in capsys.readouterr().err
