"""CSV export at scale: export_csv's streaming writer against PostgreSQL's COPY … TO STDOUT, time and memory.

    scripts/with-postgres .venv/bin/python bench/export.py [--sizes 100000 1000000]

Fills an empty PostgreSQL database with statements (server-side, every column
filled), and at each size writes statements.csv as `export_csv` does, then
the same columns with `COPY (SELECT … joins for the slugs …) TO STDOUT` (the
practical limit), each into a file. Reports seconds, rows per second, the
ratio of throughputs and the growth of peak memory, which must stay flat as
the table grows. Results and how to read them: docs/benchmarks.md.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fill_statements, measured, setup, table

# The columns of statements.csv, by the same joins; many-to-many columns aggregated in order.
COPY = """
COPY (
    SELECT s.slug, sp.slug, so.slug, s.speaker_role, e.slug, s.date, s.date_bound, s.date_wording,
           s.date_relative_to, s.kind, s.text, s.language,
           (SELECT string_agg(t.slug, '|' ORDER BY t.slug) FROM records_statement_topics st
              JOIN records_topic t ON t.id = st.topic_id WHERE st.statement_id = s.id),
           (SELECT string_agg(p.slug, '|' ORDER BY p.slug) FROM records_personmention m
              JOIN records_person p ON p.id = m.person_id WHERE m.statement_id = s.id),
           (SELECT string_agg(o.slug, '|' ORDER BY o.slug) FROM records_organizationmention m
              JOIN records_organization o ON o.id = m.organization_id WHERE m.statement_id = s.id),
           src.slug, s.source_excerpt, s.status
    FROM records_statement s
    LEFT JOIN records_person sp ON sp.id = s.speaker_person_id
    LEFT JOIN records_organization so ON so.id = s.speaker_organization_id
    LEFT JOIN records_event e ON e.id = s.event_id
    JOIN records_source src ON src.id = s.source_id
    ORDER BY s.slug
) TO STDOUT (FORMAT csv, HEADER true)
"""


def export_statements(path):
    from records.batch import exporting
    from records.batch.schema import TABLES

    with measured() as run, open(path, "w", encoding="utf-8", newline="") as file:
        run.result = exporting.write_csv(TABLES["statements"], file)
    return run


def copy_statements(path):
    from django.db import connection

    with measured() as run, open(path, "wb") as file, connection.cursor() as cursor, cursor.cursor.copy(COPY) as copy:
        for chunk in copy:
            file.write(chunk)
    return run


def run(sizes=(100_000, 1_000_000), folder=None):
    """Grow the statements table to each size and measure both exports; returns {size: (export, copy)}."""
    from django.db import connection

    from records.models import Statement

    results = {}
    workdir = Path(folder or tempfile.mkdtemp(prefix="diplomacy-bench-export-"))
    for size in sizes:
        have = Statement.objects.count()
        fill_statements(size - have, start=have + 1)
        if connection.vendor == "postgresql":
            # VACUUM as well when it may run (not in a test's transaction): autovacuum must not start mid-run.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(f"{vacuum} {Statement._meta.db_table}")
        exported = export_statements(workdir / f"export-{size}.csv")
        assert exported.result == size, (exported.result, size)
        copied = copy_statements(workdir / f"copy-{size}.csv") if connection.vendor == "postgresql" else None
        results[size] = (exported, copied)
        for path in workdir.glob(f"*-{size}.csv"):
            path.unlink()
    return results


def report(results):
    rows = []
    for size, (exported, copied) in results.items():
        rows.append(
            [
                f"{size:,}",
                f"{exported.seconds:.1f}",
                f"{size / exported.seconds:,.0f}",
                f"{copied.seconds:.1f}",
                f"{size / copied.seconds:,.0f}",
                f"1/{exported.seconds / copied.seconds:.1f}",
                f"{exported.peak_mb:.0f}",
                f"{copied.peak_mb:.0f}",
            ]
        )
    header = ["statements", "export_csv s", "rows/s", "COPY TO s", "rows/s", "throughput vs COPY"]
    print(table([*header, "export peak growth MB", "COPY peak growth MB"], rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    setup()
    from bench.common import empty_postgresql
    from records.models import Statement

    empty_postgresql(Statement)
    report(run(sorted(args.sizes)))


if __name__ == "__main__":
    main()
