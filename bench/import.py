"""CSV import at scale: the batch path against PostgreSQL's COPY and against a stock django-import-export resource.

    scripts/with-postgres .venv/bin/python bench/import.py [--statements 100000] [--stock-rows 2000]

Writes N statements, with their people, sources and topics, as the project's
own CSV files, then in one run times: `import_csv` of the folder; `COPY` of
the same statements file into a plain table of text columns (the practical
limit); a stock django-import-export ModelResource with ForeignKeyWidget on
the first --stock-rows rows (what a user would otherwise write; it is rolled
back); and importing the unchanged folder again. Reports rows per second, the
ratio to COPY, queries (and those that write) and the growth of peak memory.
Results and how to read them: docs/benchmarks.md.
"""

import argparse
import csv
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import measured, setup, table

TOPICS = 10


def write_files(folder, statements):
    """The project's CSV files for `statements` statements, their people (one per hundred) and 50 sources.

    Returns the number of rows written.
    """
    people = max(20, statements // 100)
    files = {
        "topics.csv": (["slug", "name"], ([f"topic-{n}", f"Topic {n}"] for n in range(TOPICS))),
        "people.csv": (
            ["slug", "name", "status"],
            ([f"speaker-{n}", f"Speaker {n}", "published"] for n in range(people)),
        ),
        "sources.csv": (
            ["slug", "title", "url", "published_at", "utc_offset_minutes", "language", "status"],
            (
                [
                    f"report-{n}",
                    f"Report {n}",
                    f"https://example.org/{n}",
                    "2026-03-12 13:15:00",
                    "240",
                    "en",
                    "published",
                ]
                for n in range(50)
            ),
        ),
        "statements.csv": (
            ["slug", "speaker_person", "date", "kind", "text", "language", "topics", "source", "status"],
            (
                [
                    f"statement-{n}",
                    f"speaker-{n % people}",
                    f"{2016 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "quote" if n % 5 < 2 else "paraphrase",
                    f"Statement {n}: we discussed cooperation, trade and the transport corridors with Türkiye.",
                    "en",
                    f"topic-{n % TOPICS}|topic-{(n * 7) % TOPICS}",
                    f"report-{n % 50}",
                    "published",
                ]
                for n in range(statements)
            ),
        ),
    }
    written = 0
    for name, (header, rows) in files.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                written += 1
    return written


def copy_plain(path):
    """COPY of a CSV file into a plain table of text columns: what the database alone can do."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with open(path, encoding="utf-8") as file:
        columns = ", ".join(f'"{name}" text' for name in next(csv.reader(file)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE plain_statements ({columns})")
        copy = "COPY plain_statements FROM STDIN (FORMAT csv, HEADER true)"
        with measured() as copied, open(path, "rb") as file, cursor.cursor.copy(copy) as stream:
            while chunk := file.read(1 << 20):
                stream.write(chunk)
        cursor.execute("DROP TABLE plain_statements")
    return copied


def stock_import(path, rows):
    """What a user would otherwise write: a ModelResource with ForeignKeyWidgets, row by row. Rolled back.

    Its rows are the file's first ones under new slugs, so that they are new statements too.
    """
    from django.db import transaction
    from import_export import fields, resources, widgets
    from tablib import Dataset

    from records.models import Person, Source, Statement, Topic

    class StockStatementResource(resources.ModelResource):
        speaker_person = fields.Field("speaker_person", "speaker_person", widgets.ForeignKeyWidget(Person, "slug"))
        source = fields.Field("source", "source", widgets.ForeignKeyWidget(Source, "slug"))
        topics = fields.Field("topics", "topics", widgets.ManyToManyWidget(Topic, separator="|", field="slug"))

        class Meta:
            model = Statement
            import_id_fields = ["slug"]
            fields = ["slug", "speaker_person", "date", "kind", "text", "language", "topics", "source", "status"]

    with open(path, encoding="utf-8") as file:
        reader = csv.reader(file)
        dataset = Dataset(headers=next(reader))
        for _, row in zip(range(rows), reader, strict=False):
            dataset.append([f"stock-{row[0]}", *row[1:]])  # new statements, beside those imported before
    with transaction.atomic(), measured() as stock:
        result = StockStatementResource().import_data(dataset, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        transaction.set_rollback(True)
    stock.result = len(dataset)
    return stock


def import_folder(folder):
    """import_all of the folder, with the batch writers' statements counted and timed by table."""
    from records.batch import writing
    from records.transfer import import_all

    spent, calls = Counter(), Counter()
    originals = []
    for writer in (writing.CopyWriter, writing.ExecuteManyWriter):
        for name in ("insert", "update", "delete"):
            original = getattr(writer, name)
            originals.append((writer, name, writer.__dict__[name]))

            def timed(*args, _original=original, **kwargs):
                model = next(arg for arg in args if hasattr(arg, "_meta"))
                started = time.perf_counter()
                _original(*args, **kwargs)
                spent[model._meta.db_table] += time.perf_counter() - started
                calls[model._meta.db_table] += 1

            wrapped = staticmethod(timed) if isinstance(writer.__dict__[name], staticmethod) else timed
            setattr(writer, name, wrapped)

    try:
        with measured() as run:
            report = import_all(folder)
    finally:
        for writer, name, original in originals:
            setattr(writer, name, original)
    assert report.ok, report.problems[:5]
    run.result = report.totals
    run.writes += sum(calls.values())  # COPY and executemany run below Django's query log
    run.statements = spent
    return run


def run(statements=100_000, stock_rows=2000, folder=None):
    """Measure; returns a dict of the measurements (seconds, queries, writes, peak MB) by name."""
    from records.models import Statement

    workdir = Path(folder or tempfile.mkdtemp(prefix="diplomacy-bench-import-"))
    try:
        results = {"rows": write_files(workdir, statements), "statements": statements}
        results["copy"] = copy_plain(workdir / "statements.csv")
        results["import"] = import_folder(workdir)
        assert Statement.objects.count() >= statements
        results["again"] = import_folder(workdir)
        results["stock"] = stock_import(workdir / "statements.csv", stock_rows)
        return results
    finally:
        if folder is None:
            shutil.rmtree(workdir, ignore_errors=True)


def report(results):
    copy, first, again, stock = results["copy"], results["import"], results["again"], results["stock"]
    statements, rows = results["statements"], results["rows"]

    def ratio(measure):
        return f"{measure.seconds / copy.seconds:.1f}×" if copy else "—"

    lines = [
        [
            "`COPY` of statements.csv into a plain table",
            f"{copy.seconds:.2f}",
            f"{statements / copy.seconds:,.0f}",
            "1×",
            "—",
            "—",
        ],
        [
            f"`import_csv`, {rows:,} rows in 4 files",
            f"{first.seconds:.2f}",
            f"{rows / first.seconds:,.0f}",
            ratio(first),
            f"{first.queries:,} ({first.writes:,} writing)",
            f"{first.peak_mb:.0f}",
        ],
        [
            "`import_csv` again, unchanged",
            f"{again.seconds:.2f}",
            f"{rows / again.seconds:,.0f}",
            ratio(again),
            f"{again.queries:,} ({again.writes:,} writing)",
            f"{again.peak_mb:.0f}",
        ],
        [
            f"stock `ModelResource`, first {stock.result:,} statements",
            f"{stock.seconds:.2f}",
            f"{stock.result / stock.seconds:,.0f}",
            f"{stock.seconds / stock.result * statements / copy.seconds:,.0f}× (all {statements:,}, extrapolated)",
            f"{stock.queries:,} ({stock.writes:,} writing)",
            f"{stock.peak_mb:.0f}",
        ],
    ]
    header = ["measurement", "seconds", "rows/s", "time / COPY", "queries", "peak memory growth (MB)"]
    print(table(header, lines))
    print("\nThe first import's COPY statements, by table (seconds):")
    for name, seconds in sorted(first.statements.items(), key=lambda item: -item[1]):
        print(f"  {name:45} {seconds:6.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--stock-rows", type=int, default=2000)
    args = parser.parse_args()
    setup()
    from bench.common import empty_postgresql
    from records.models import Statement

    empty_postgresql(Statement)
    report(run(args.statements, args.stock_rows))


if __name__ == "__main__":
    main()
