"""Every benchmark of bench/ runs here at a tiny scale: correctness only, never a timing, so none can rot."""

import importlib
from pathlib import Path

import pytest
from django.db import connection

from bench import admin_changelist, common, drafting, export, load, pages, popolo
from records.models import Statement

bench_import = importlib.import_module("bench.import")  # `import` is a keyword


def test_the_import_benchmark(db, tmp_path):
    results = bench_import.run(statements=300, stock_rows=20, folder=tmp_path)
    first, again, stock = results["import"], results["again"], results["stock"]
    assert first.result["statements.csv"] == {"new": 300}
    assert first.writes > 0 and first.statements["records_statement"] > 0
    assert again.result["statements.csv"] == {"skip": 300}
    assert again.writes == 0
    assert stock.result == 20
    assert (results["copy"] is None) == (connection.vendor != "postgresql")
    assert Statement.objects.count() == 300  # the stock resource's rows were rolled back
    if results["copy"] is not None:
        bench_import.report(results)


def test_the_export_benchmark(db, tmp_path):
    results = export.run(sizes=(40, 90), folder=tmp_path)
    for size, (exported, copied) in results.items():
        assert exported.result == size
        assert (copied is None) == (connection.vendor != "postgresql")
    if connection.vendor == "postgresql":
        export.report(results)


def test_the_statements_made_up_fill_every_required_column(db):
    common.fill_statements(30)
    statement = Statement.objects.order_by("slug").first()
    assert statement.search_document == statement.text.lower()
    assert Statement.objects.published().count() == 30


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the planner's estimate is PostgreSQL's")
def test_the_admin_changelist_benchmark(db):
    common.fill_statements(60)
    rows = admin_changelist.run(rounds=1, verbose=False)
    assert [row[0] for row in rows][:2] == ["admin list, page 1", "admin list, page 2"]
    assert len(rows) == 6


def test_the_pages_benchmark(db):
    results = pages.run(scales=(30, 60), repeat=1, serve_at_largest=False, vacuum=False, verbose=False)
    for scale in (30, 60):
        measured = results["latency"][scale]
        assert {name for name, _ in pages.pages("statement-1")} == set(measured)
        assert all(status == 200 for *_, status in measured.values()), measured
    assert "| home |" in pages.report(results)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="gunicorn serves the PostgreSQL database it shares")
def test_the_pages_benchmark_serves_with_gunicorn(transactional_db):
    """Committed data (gunicorn's workers read it from their own connections), and a fraction of a second a URL."""
    pages.grow(40, vacuum=False)
    served = pages.served("statement-1", seconds=0.3)
    assert {name for _, name in served} == {"bare HttpResponse", "statement list", "statement", "search"}
    for rate, errors, truncated in served.values():
        assert rate > 0 and errors == 0 and truncated == 0


def test_the_popolo_benchmark(transactional_db, tmp_path):
    """Outside a transaction: the benchmark empties the database between its two imports (flush)."""
    results = popolo.run(persons=20, memberships=60, folder=tmp_path)
    # Each seat and its party: two of ours per Popolo membership, the same through both doors.
    assert results["popolo"].result == results["csv"].result == 120
    assert results["popolo again"].writes == 0
    assert "| popolo |" in popolo.report(results)
    first = sorted(popolo.REAL_FILES.glob("*.json"))[:1]
    found = popolo.real_files(first)
    ((people, memberships, steps),) = found.values()
    assert people and memberships and steps["again"].writes == 0
    assert first[0].name in popolo.real_files_report(found)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="gunicorn serves the PostgreSQL database it shares")
@pytest.mark.skipif(not Path(load.WRK).exists(), reason=f"wrk is not installed at {load.WRK} (apt-get install wrk)")
def test_the_load_proof(transactional_db):
    """Served as in production, a two-second load and a worker killed under a short one: every check holds."""
    results = load.run(
        statements=200, seconds=2, connections=4, kill_seconds=4, details=30, vacuum=False, verbose=False
    )
    assert results["problems"] == [], results["problems"]
    main, kill = results["main"], results["kill"]
    assert main["requests"] > 0 and main["csv_checked"] > 0
    assert kill["replaced"] is not None and kill["failed"] <= kill["held"]
    text = load.report(results)
    assert "| 200 |" in text and "held connections" in text


def test_the_drafting_benchmark(db):
    seconds = drafting.timing(lengths=(20, 40))
    assert len(seconds) == 2 and all(spent > 0 for spent in seconds.values())
    assert "ms a sentence" in drafting.timing_report(seconds)
