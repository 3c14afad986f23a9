"""Large change lists are paginated without counting every row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Statement
from records.pagination import EstimatedCountPaginator


def make_statements(statement, n):
    Statement.objects.bulk_create(
        Statement(
            slug=f"s-{i}",
            speaker_person=statement.speaker_person,
            source=statement.source,
            kind="paraphrase",
            text=f"Statement {i}",
        )
        for i in range(n)
    )


def test_small_tables_are_counted_exactly(statement):
    make_statements(statement, 30)
    assert EstimatedCountPaginator(Statement.objects.all(), 10).count == 31


def test_large_tables_on_postgresql_use_the_planners_estimate(statement, monkeypatch):
    make_statements(statement, 300)
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE records_statement")
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Statement.objects.all(), 10).count
    sql = " ".join(query["sql"] for query in queries.captured_queries).upper()
    if connection.vendor == "postgresql":
        assert "COUNT(" not in sql
        assert sql.startswith("EXPLAIN")
        assert 150 <= count <= 600  # an estimate, near the 301 rows
    else:
        assert "COUNT(" in sql
        assert count == 301
