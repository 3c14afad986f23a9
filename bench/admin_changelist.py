"""The statement admin list on a large table: planner estimate (as shipped) against an exact COUNT(*).

    scripts/with-postgres .venv/bin/python bench/admin_changelist.py [--rows 1000000] [--rounds 15]

Fills an empty PostgreSQL database with N statements, then requests the real change list page through
django.test.Client, alternating the two paginators in every round. Compare the ratios, not the absolute
times: the machines are shared. Results and how to read them: docs/benchmarks.md.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import empty_postgresql, fill_statements, setup, table

URL = "/admin/records/statement/"


def load(rows):
    from django.db import connection

    from records.models import Statement

    started = time.perf_counter()
    fill_statements(rows)
    with connection.cursor() as cursor:
        # VACUUM as well as ANALYZE: a live table is vacuumed by autovacuum, which must not start mid-measurement.
        cursor.execute(f"VACUUM ANALYZE {Statement._meta.db_table}")
    print(f"Loaded and analyzed {rows:,} statements in {time.perf_counter() - started:.0f} s")


def timed(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(rounds=15, verbose=True):
    """Measure the change list against the statements in the database; returns the table's rows."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from records.models import Statement
    from records.pagination import _planner_estimate

    say = print if verbose else (lambda *args, **kwargs: None)
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", "bench@example.org", None))
    model_admin = admin.site._registry[Statement]

    def page(query="", **patches):
        """A GET of the change list; `paginator=Paginator` makes it count exactly."""

        def get():
            with mock.patch.multiple(model_admin, **patches) if patches else contextlib.nullcontext():
                response = client.get(URL + query)
            assert response.status_code == 200, response.status_code

        return get

    quotes = Statement.objects.filter(kind="quote")
    exact = {"paginator": Paginator}
    cases = [
        ("admin list, page 1", page(), page(**exact)),
        ("admin list, page 2", page("?p=2"), page("?p=2", **exact)),
        ("admin list, ?kind__exact=quote", page("?kind__exact=quote"), page("?kind__exact=quote", **exact)),
        # The same page without its sidebar filters, whose own queries read the whole table (see the docs).
        ("admin list, page 1, no list_filter", page(list_filter=[]), page(list_filter=[], **exact)),
        ("count only, all rows", lambda: _planner_estimate(Statement.objects.all()), Statement.objects.count),
        ("count only, kind=quote", lambda: _planner_estimate(quotes), quotes.count),
    ]
    say(f"Estimate {_planner_estimate(Statement.objects.all()):,} vs exact {Statement.objects.count():,} rows")
    say(f"Estimate {_planner_estimate(quotes):,} vs exact {quotes.count():,} quotes")

    # Where a page's time goes: one captured request per configuration (also proves which count ran).
    for label, call in (("(a)", page()), ("(b)", page(**exact))):
        call()  # warm-up, also of the PostgreSQL buffer cache
        with CaptureQueriesContext(connection) as queries:
            call()
        slowest = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)
        say(f"{label} page 1: {len(slowest)} queries, the slowest:")
        for query in slowest[:4]:
            say(f"  {float(query['time']) * 1000:6.0f} ms  {' '.join(query['sql'].split())[:100]}")

    times = {(name, config): [] for name, *_ in cases for config in "ab"}
    for round_ in range(rounds):
        for name, a, b in cases:
            # Alternate which goes first, so neither always profits from the other's warm caches.
            for config, call in (("a", a), ("b", b)) if round_ % 2 == 0 else (("b", b), ("a", a)):
                times[name, config].append(timed(call))
        say(f"  round {round_ + 1}/{rounds} done", flush=True)
    rows = []
    for name, *_ in cases:
        a, b = times[name, "a"], times[name, "b"]
        med_a, med_b, min_a, min_b = statistics.median(a), statistics.median(b), min(a), min(b)
        rows.append(
            [
                name,
                f"{med_a * 1000:.1f} / {min_a * 1000:.1f}",
                f"{med_b * 1000:.1f} / {min_b * 1000:.1f}",
                f"{med_b / med_a:.2f}",
                f"{min_b / min_a:.2f}",
            ]
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    setup()
    from records.models import Statement

    empty_postgresql(Statement)
    print(f"Loading {args.rows:,} statements …")
    load(args.rows)
    rows = run(args.rounds)
    print(f"\n{args.rows:,} statements, {args.rounds} rounds, times in ms (median / min)\n")
    header = ["measurement", "(a) as shipped: estimate", "(b) plain Paginator: COUNT(*)", "(b)/(a) median"]
    print(table([*header, "(b)/(a) min"], rows))


if __name__ == "__main__":
    main()
