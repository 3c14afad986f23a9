"""No public page reads the statement table from end to end: checked from PostgreSQL's plans, not timed.

About 50,000 statements are made server-side and analyzed, every kind of public page is requested
(bench/pages.py lists them), and each query it ran is explained: no plan may scan the statement table
sequentially. (Their link tables, a tenth and a fifth of its size here, may be read whole when the planner
finds that cheaper than an index; at a million statements it does not.) Downloads are left out: a CSV of
every row reads every row, up to its limit.
"""

import json

import pytest
from django.db import connection

from bench import pages
from records.models import OrganizationMention, Statement

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the plans checked are PostgreSQL's, at a scale SQLite is not for"
)

WATCHED = {Statement._meta.db_table}
# Their statistics are reset after the test, along with the statements'.
ANALYZED = {Statement._meta.db_table, OrganizationMention._meta.db_table, Statement.topics.through._meta.db_table}


def sequential_scans(plan):
    """Relations the plan reads with a Seq Scan, anywhere in its tree."""
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name"))
    for child in plan.get("Plans", ()):
        found += sequential_scans(child)
    return found


@pytest.fixture
def analyzed_again(django_db_blocker):
    """After the test's rollback: the planner's statistics of the emptied tables, for the tests that follow."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in sorted(ANALYZED):
            cursor.execute(f"VACUUM ANALYZE {table}")


def test_no_public_page_scans_the_statements(analyzed_again, db, client):
    pages.grow(50_000, vacuum=False)
    problems = []
    for name, url in pages.pages("statement-1"):
        if "format=csv" in url:
            continue
        queries = pages.Recorded()
        with connection.execute_wrapper(queries):
            response = client.get(url)
        assert response.status_code == 200, url
        for sql, params in queries:
            if not sql.lstrip("( ").upper().startswith("SELECT") or not any(table in sql for table in WATCHED):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            scanned = [table for table in sequential_scans(plan[0]["Plan"]) if table in WATCHED]
            if scanned:
                problems.append(f"{name} ({url}): Seq Scan on {', '.join(scanned)} in {' '.join(sql.split())[:300]}")
    assert not problems, "\n".join(problems)
