"""Thousands of rows at once: every record with its history and search text, in batches, all or nothing."""

import csv
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from records.batch.importing import Import
from records.folding import fold
from records.formats import read_csv
from records.models import Citation, Membership, Organization, Person, Source, Statement, Topic
from records.resources import CitationResource, MembershipResource, PersonResource, StatementResource
from records.transfer import import_all

HEADER = ["slug", "speaker_person", "date", "kind", "text", "language", "topics", "source", "status"]


@pytest.fixture
def speakers(db):
    people = [Person.objects.create(slug=f"speaker-{n}", name=f"Speaker {n}") for n in range(5)]
    Source.objects.create(slug="report", title="A report")
    for n in range(3):
        Topic.objects.create(slug=f"topic-{n}", name=f"Topic {n}")
    return people


def statements_file(count, bad=None):
    """A statements.csv of `count` rows; row `bad` (counted from 1) gets an impossible date."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, count + 1):
        date = "2025-02-30" if n == bad else f"2025-0{1 + n % 9}-1{n % 10}"
        text = f"Statement {n}: Azərbaycan and Türkiye discussed the corridors."
        writer.writerow(
            [f"s-{n}", f"speaker-{n % 5}", date, "quote", text, "en", f"topic-{n % 3}|topic-2", "report", "draft"]
        )
    return read_csv(out.getvalue())


def load(rows, resource=StatementResource, name="statements.csv", user=None):
    batch = Import(user=user)
    batch.add(resource.table, name, rows.headers, rows.rows)
    batch.finish()
    return batch


def test_thousands_of_rows_arrive_with_history_search_text_and_topics(speakers):
    batch = load(statements_file(2500))
    assert batch.ok, batch.problems
    assert batch.totals["statements.csv"] == {"new": 2500}
    assert Statement.objects.count() == 2500
    history = Statement.history.filter(history_type="+")
    assert history.count() == 2500
    assert set(history.values_list("history_change_reason", flat=True)) == {"Imported from statements.csv"}
    for statement in Statement.objects.prefetch_related("topics"):
        topics = [topic.name for topic in statement.topics.all()]
        assert statement.search_document == "\n".join([fold(statement.text), *(fold(name) for name in topics)])
    assert "azerbaycan and turkiye" in Statement.objects.get(slug="s-7").search_document
    assert Statement.topics.through.objects.count() == 2500 * 2 - 2500 // 3  # topic-2 twice is once
    m2m_history = HistoricalRecords.m2m_models[Statement._meta.get_field("topics")]
    assert m2m_history.objects.count() == Statement.topics.through.objects.count()


def test_a_bad_row_anywhere_writes_nothing_and_is_named(speakers):
    batch = load_in_transaction(statements_file(2500, bad=2400))
    assert [str(problem) for problem in batch.problems] == [
        "statements.csv row 2401, column 'date': '2025-02-30' is not a date: February 2025 has no day 30"
    ]
    assert not Statement.objects.exists()
    assert not Statement.history.exists()


def load_in_transaction(rows):
    """As import_all does: in a transaction, rolled back on any problem."""
    with transaction.atomic():
        batch = load(rows)
        if not batch.ok:
            transaction.set_rollback(True)
    return batch


def queries_to_import(rows):
    with CaptureQueriesContext(connection) as queries:
        batch = load(rows)
    assert batch.ok, batch.problems
    return len(queries)


def test_the_queries_of_an_import_grow_with_batches_not_rows(speakers):
    few = queries_to_import(statements_file(100))
    Statement.objects.all().delete()
    many = queries_to_import(statements_file(2000))  # two batches of a thousand
    assert many - few <= few  # one more batch's worth, whatever the rows


def test_an_unchanged_file_writes_nothing(speakers):
    rows = statements_file(1500)
    assert load(rows).ok
    with CaptureQueriesContext(connection) as queries:
        again = load(rows)
    assert again.totals["statements.csv"] == {"skip": 1500}
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))]
    assert writes == []
    assert Statement.history.count() == 1500


def test_a_changed_row_is_written_with_a_history_row_naming_the_change(speakers):
    rows = statements_file(10)
    load(rows)
    rows.rows[4][4] = "A corrected text."
    batch = load(rows)
    assert batch.totals["statements.csv"] == {"update": 1, "skip": 9}
    statement = Statement.objects.get(slug="s-5")
    assert (statement.text, statement.search_document) == ("A corrected text.", "a corrected text.\ntopic 2")
    latest = statement.history.latest()
    assert (latest.history_type, latest.text) == ("~", "A corrected text.")


def test_rows_refused_for_one_reason_are_reported_once_as_a_consequence(db, state, body, source):
    memberships = read_csv(
        "member_person,member_organization,organization,role,kind,start_date,status\n"
        ",azerbaijan,d-8,,member,2026-13,draft\n"
    )
    citation = f"{source.slug},organization:azerbaijan > d-8 >  > member > 2026-13,,,passage {{}}\n"
    citations = read_csv("source,membership,event,statement,excerpt\n" + "".join(citation.format(n) for n in range(23)))
    batch = Import()
    batch.add(MembershipResource.table, "memberships.csv", memberships.headers, memberships.rows)
    batch.add(CitationResource.table, "citations.csv", citations.headers, citations.rows)
    batch.finish()
    assert [str(problem) for problem in batch.problems] == [
        "memberships.csv row 2, column 'start_date': '2026-13' is not a date: month 13 does not exist",
        "citations.csv: rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 13 more, column 'membership': "
        "refers to the membership refused at memberships.csv row 2",
    ]
    assert not Membership.objects.exists() and not Citation.objects.exists()


def test_an_editors_file_may_change_drafts_only(db, editor, person):
    rows = read_csv("slug,name,status\nhikmet-hajiyev,Someone Else,published\nnew-one,New One,published\n")
    batch = load(rows, PersonResource, "people.csv", user=editor)
    assert [str(problem) for problem in batch.problems] == [
        "people.csv row 2, column 'name': This person is published: only reviewers may change it.",
        "people.csv row 3, column 'status': Only reviewers may publish people.",
    ]


def test_a_published_membership_needs_a_citation_by_the_end_of_the_import(db, state, body, source, tmp_path):
    (tmp_path / "memberships.csv").write_text(
        "member_person,member_organization,organization,role,kind,start_date,status\n"
        ",azerbaijan,d-8,,member,2026,published\n"
    )
    report = import_all(tmp_path)
    assert report.problems == [
        "memberships.csv row 2, column 'status': A membership cannot be published without at least one citation "
        "of a published source. Import a citation for it, or import it as a draft."
    ]
    citation = f"{source.slug},organization:azerbaijan > d-8 >  > member > 2026,,,x\n"
    (tmp_path / "citations.csv").write_text("source,membership,event,statement,excerpt\n" + citation)
    assert import_all(tmp_path).ok
    assert Membership.objects.get().citations.count() == 1


def test_organizations_in_one_file_may_name_each_other_as_parents(db):
    rows = read_csv(
        "slug,name,classification,parent,status\n"
        "department,Department,government_body,administration,draft\n"
        "administration,Administration,government_body,state,draft\n"
        "state,State,state,,draft\n"
    )
    from records.resources import OrganizationResource

    assert load(rows, OrganizationResource, "organizations.csv").ok
    assert Organization.objects.get(slug="department").parent.parent.slug == "state"


def test_the_database_remains_the_final_net_and_its_refusal_names_the_row(db, monkeypatch):
    # Were the Python checks of the constraints ever to miss one, the database refuses the batch
    # and its rows are written again one by one to find the one it refuses.
    monkeypatch.setattr("records.batch.rules.failing", lambda model, record: [])
    people = "".join(f"p-{n},Person {n},1950,{'1940' if n == 12 else ''}\n" for n in range(1, 31))
    rows = read_csv("slug,name,birth_date,death_date\n" + people)
    with transaction.atomic():
        batch = load(rows, PersonResource, "people.csv")
        transaction.set_rollback(True)
    assert [str(problem) for problem in batch.problems] == [
        "people.csv row 13, column 'death_date': The end date is before the start date."
    ]


def test_long_runs_report_progress_in_plain_lines_off_a_terminal():
    from records.progress import Progress

    out = io.StringIO()
    with Progress(3000, "importing", out) as progress:
        progress.every = 0
        progress(1000)
        progress(2000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("importing: 1,000 of 3,000 rows, ") and "rows/s, about" in lines[0]
    assert lines[-1].startswith("importing: 3,000 of 3,000 rows, ") and "left" not in lines[-1]
