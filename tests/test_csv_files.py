"""Hostile files get clear errors naming row and column, and write nothing."""

import pytest

from records.batch.columns import escape_formula, unescape_formula
from records.batch.schema import TABLES
from records.formats import CSV, NotUTF8, decode
from records.models import Membership, Organization, Person, Statement
from records.resources import (
    RESOURCES,
    MembershipResource,
    OrganizationResource,
    PersonResource,
    StatementResource,
)
from records.transfer import describe

PEOPLE = "slug,name,summary,birth_date,death_date,status\n"


def load(resource_class, text, **kwargs):
    """Import CSV text exactly as the admin's confirm step does; returns every problem named."""
    dataset = CSV().create_dataset(text)
    result = resource_class().import_data(dataset, dry_run=False, file_name="file.csv", **kwargs)
    return describe("file.csv", result)


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in (Person, Organization, Membership, Statement)]


@pytest.fixture
def unchanged(db, statement, membership):
    """Asserts after the test that the database is exactly as before."""
    before = snapshot()
    yield
    assert snapshot() == before


def test_a_good_file_imports(db):
    assert load(PersonResource, PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n") == []
    assert Person.objects.get(slug="nazrin-abdul").name == "Nazrin Abdul"


def test_a_missing_required_column_is_named(unchanged):
    problems = load(PersonResource, "slug,summary\nnew-person,Someone\n")
    assert problems == ["file.csv: missing required column 'name'"]


def test_an_unknown_column_is_named(unchanged):
    problems = load(PersonResource, "slug,name,nickname\nnew-person,New,Newbie\n")
    assert len(problems) == 1
    assert "unknown column 'nickname'" in problems[0]


def test_an_unknown_foreign_key_slug_is_named(unchanged):
    text = "slug,name,classification,parent\nnew-body,New Body,intergovernmental,no-such-parent\n"
    assert load(OrganizationResource, text) == [
        "file.csv row 2, column 'parent': no organization with slug 'no-such-parent'"
    ]


def statements_file(**overrides):
    row = {
        "slug": "new-statement",
        "speaker_person": "hikmet-hajiyev",
        "kind": "quote",
        "text": "Words.",
        "source": "azernews-2026-03-12",
        "status": "draft",
    } | overrides
    return ",".join(row) + "\n" + ",".join(f'"{value}"' for value in row.values()) + "\n"


def test_an_unknown_many_to_many_slug_is_an_error_not_dropped(unchanged):
    problems = load(StatementResource, statements_file(mentioned_organizations="azerbaijan|atlantis"))
    assert problems == ["file.csv row 2, column 'mentioned_organizations': no organization with slug 'atlantis'"]


def test_the_same_slug_twice_in_a_file_is_named(unchanged):
    text = PEOPLE + "twin,First,,,,draft\ntwin,Second,,,,draft\n"
    assert load(PersonResource, text) == ["file.csv row 3, column 'slug': the same record as row 2 (same slug)"]


@pytest.mark.parametrize(
    ("date", "message"),
    [("2025-13", "'2025-13' is not a date: month 13 does not exist"), ("25", "use YYYY, YYYY-MM or YYYY-MM-DD")],
)
def test_an_invalid_partial_date_is_named(unchanged, date, message):
    problems = load(PersonResource, PEOPLE + f"new-person,New,,{date},,draft\n")
    assert len(problems) == 1
    assert problems[0].startswith("file.csv row 2, column 'birth_date': ")
    assert message in problems[0]


MEMBERSHIPS = "member_person,member_organization,organization,role,kind,start_date,end_date,status\n"


def test_an_end_before_the_start_is_named(unchanged):
    problems = load(MembershipResource, MEMBERSHIPS + ",azerbaijan,d-8,,observer,2026,2025,draft\n")
    assert problems == ["file.csv row 2, column 'end_date': The end date is before the start date."]


def test_a_self_membership_is_named(unchanged):
    problems = load(MembershipResource, MEMBERSHIPS + ",d-8,d-8,,member,2020,,draft\n")
    assert problems == ["file.csv row 2, column 'organization': An organization cannot be a member of itself."]


def test_an_empty_required_value_is_named(unchanged):
    problems = load(PersonResource, PEOPLE + "new-person,,,,,draft\n")
    assert problems == ["file.csv row 2, column 'name': a value is required"]


def test_a_one_megabyte_cell_is_named(unchanged):
    problems = load(StatementResource, statements_file(text="x" * 1_000_000))
    assert problems == ["file.csv row 2, column 'text': the cell has 1,000,000 characters; at most 50,000 are allowed"]


def test_every_bad_row_is_named_and_nothing_is_written(unchanged):
    text = (
        PEOPLE + "good-one,Good,,,,draft\nbad-date,Bad,,2025-02-30,,draft\n,No Slug,,,,draft\ngood-two,Good,,,,draft\n"
    )
    problems = load(PersonResource, text)
    assert [problem.split(":")[0] for problem in problems] == [
        "file.csv row 3, column 'birth_date'",
        "file.csv row 4, column 'slug'",
    ]
    assert not Person.objects.filter(slug__startswith="good").exists()


def test_a_latin1_file_is_refused_with_a_clear_message():
    with pytest.raises(NotUTF8, match=r"not UTF-8 text \(byte 0xC7 at position"):
        decode((PEOPLE + "x,Çelik\n").encode("latin-1"))


def test_a_byte_order_mark_is_accepted(db):
    text = decode(("\ufeff" + PEOPLE + "nazrin-abdul,Nazrin Abdul,,,,draft\n").encode("utf-8"))
    assert load(PersonResource, text) == []
    assert Person.objects.filter(slug="nazrin-abdul").exists()


def test_crlf_line_ends_and_newlines_inside_cells_survive(db):
    text = (
        'slug,name,summary,birth_date,death_date,status\r\nnazrin-abdul,Nazrin Abdul,"Line one\r\nline two",,,draft\r\n'
    )
    assert load(PersonResource, text) == []
    assert Person.objects.get(slug="nazrin-abdul").summary == "Line one\r\nline two"


@pytest.mark.parametrize(
    "value",
    [
        *("=1+1", "+49 30", "-5", "@SUM(A1)", "\tindented", "\rreturn", "'=already", "''+twice"),
        *(" =1+1", "  @SUM(A1)", "＝1+1", "＋1", "－1", "＠SUM(A1)", " ＝1+1", "' =1+1"),
    ],
)
def test_formula_escaping_round_trips_exactly(value):
    escaped = escape_formula(value)
    assert escaped.startswith("'")
    assert unescape_formula(escaped) == value


@pytest.mark.parametrize("value", ["Azerbaijan", "'quoted'", "2025-03", "a=b", "", " leading space", "a ＝ b"])
def test_harmless_text_is_left_alone(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value


def test_an_unknown_slug_in_a_key_column_is_named_with_its_column(unchanged):
    header = "member_person,member_organization,organization,role,kind,start_date\n"
    text = header + "hikmet-hajiyev,,no-such-body,,member,\n"
    assert load(MembershipResource, text) == [
        "file.csv row 2, column 'organization': no organization with slug 'no-such-body'"
    ]


def test_the_admin_files_have_the_columns_the_batch_path_reads():
    for name, table in TABLES.items():
        resource = RESOURCES[name]()
        assert [f.column_name for f in resource.get_import_fields()] == list(table.columns), name
        assert [f.column_name for f in resource.get_export_fields()] == list(table.columns), name
