"""The statement admin list on a large table: planner estimate (as shipped) against an exact COUNT(*).

    scripts/with-postgres .venv/bin/python bench/admin_changelist.py [--rows 1000000] [--rounds 15]

Fills an empty PostgreSQL database with N statements, then requests the real change list page through
django.test.Client, alternating the two paginators in every round. Compare the ratios, not the absolute
times: the machines are shared. Results and how to read them: docs/benchmarks.md.
"""
# ruff: noqa: E402  (Django is set up before the project's modules are imported)

import argparse
import contextlib
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.settings"
# As in production: DEBUG off (no query log). Not setup_test_environment(): its template
# instrumentation would add a cost of its own to every page. "testserver" is the Client's host.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.models import Event, Organization, Person, Source, Statement, Status
from records.pagination import _planner_estimate

URL = "/admin/records/statement/"
CHUNK = 100_000
INSERT = """
INSERT INTO {table} (slug, status, created, updated, speaker_person_id, speaker_organization_id, speaker_role,
                     event_id, date, date_bound, date_wording, kind, text, language, source_id, source_excerpt)
SELECT 'statement-' || i, 'published', now(), now(),
       CASE WHEN i %% 10 <> 0 THEN (%(people)s::bigint[])[1 + i %% cardinality(%(people)s::bigint[])] END,
       CASE WHEN i %% 10 = 0 THEN (%(orgs)s::bigint[])[1 + i %% cardinality(%(orgs)s::bigint[])] END,
       '',
       CASE WHEN i %% 3 <> 0 THEN (%(events)s::bigint[])[1 + i %% cardinality(%(events)s::bigint[])] END,
       -- ten years of dates, 10%% known to the year, 20%% to the month, the rest to the day
       left(to_char(DATE '2016-01-01' + ((i::bigint * 7919) %% 3653)::int, 'YYYY-MM-DD'),
            CASE (i / 7) %% 10 WHEN 0 THEN 4 WHEN 1 THEN 7 WHEN 2 THEN 7 ELSE 10 END),
       '', '',
       CASE WHEN (i / 3) %% 5 < 2 THEN 'quote' ELSE 'paraphrase' END,
       'Statement ' || i || ': ' || repeat('We discussed cooperation, trade and the transport corridors. ', 3),
       'en',
       (%(sources)s::bigint[])[1 + i %% cardinality(%(sources)s::bigint[])],
       ''
FROM generate_series(%(start)s, %(stop)s) AS i
"""


def load(rows):
    published = {"status": Status.PUBLISHED}
    refs = {
        "people": [Person.objects.create(name=f"Speaker {n}", slug=f"speaker-{n}", **published).pk for n in range(20)],
        "orgs": [
            Organization.objects.create(name=f"State {n}", slug=f"state-{n}", classification="state", **published).pk
            for n in range(5)
        ],
        "events": [
            Event.objects.create(
                name=f"Forum {n}", slug=f"forum-{n}", classification="forum", start_date=str(2016 + n % 10), **published
            ).pk
            for n in range(30)
        ],
        "sources": [Source.objects.create(title=f"Report {n}", slug=f"report-{n}", **published).pk for n in range(50)],
    }
    sql = INSERT.format(table=Statement._meta.db_table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for start in range(1, rows + 1, CHUNK):
            cursor.execute(sql, {**refs, "start": start, "stop": min(start + CHUNK - 1, rows)})
            print(f"  {min(start + CHUNK - 1, rows):>10,} rows  {time.perf_counter() - started:6.0f} s", flush=True)
        # VACUUM as well as ANALYZE: a live table is vacuumed by autovacuum, which must not start mid-measurement.
        cursor.execute(f"VACUUM ANALYZE {Statement._meta.db_table}")
    print(f"Loaded and analyzed in {time.perf_counter() - started:.0f} s")


def timed(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: scripts/with-postgres .venv/bin/python bench/admin_changelist.py")

    call_command("migrate", verbosity=0)
    if Statement.objects.exists():
        sys.exit("The database already has statements: run this on an empty one (scripts/with-postgres).")
    print(f"Loading {args.rows:,} statements …")
    load(args.rows)

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
    print(f"Estimate {_planner_estimate(Statement.objects.all()):,} vs exact {Statement.objects.count():,} rows")
    print(f"Estimate {_planner_estimate(quotes):,} vs exact {quotes.count():,} quotes")

    # Where a page's time goes: one captured request per configuration (also proves which count ran).
    for label, call in (("(a)", page()), ("(b)", page(**exact))):
        call()  # warm-up, also of the PostgreSQL buffer cache
        with CaptureQueriesContext(connection) as queries:
            call()
        slowest = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)
        print(f"{label} page 1: {len(slowest)} queries, the slowest:")
        for query in slowest[:4]:
            print(f"  {float(query['time']) * 1000:6.0f} ms  {' '.join(query['sql'].split())[:100]}")

    times = {(name, config): [] for name, *_ in cases for config in "ab"}
    for round_ in range(args.rounds):
        for name, a, b in cases:
            # Alternate which goes first, so neither always profits from the other's warm caches.
            for config, call in (("a", a), ("b", b)) if round_ % 2 == 0 else (("b", b), ("a", a)):
                times[name, config].append(timed(call))
        print(f"  round {round_ + 1}/{args.rounds} done", flush=True)

    print(f"\n{args.rows:,} statements, {args.rounds} rounds, times in ms (median / min)\n")
    print("| measurement | (a) as shipped: estimate | (b) plain Paginator: COUNT(*) | (b)/(a) median | (b)/(a) min |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, *_ in cases:
        a, b = times[name, "a"], times[name, "b"]
        med_a, med_b, min_a, min_b = statistics.median(a), statistics.median(b), min(a), min(b)
        print(
            f"| {name} | {med_a * 1000:.1f} / {min_a * 1000:.1f} | {med_b * 1000:.1f} / {min_b * 1000:.1f} "
            f"| {med_b / med_a:.2f} | {min_b / min_a:.2f} |"
        )


if __name__ == "__main__":
    main()
