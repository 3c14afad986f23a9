"""What the benchmarks share: Django set up as in production, measurements, made-up data.

Each benchmark is a module with a `run(...)` function that measures and
returns its results, and a `main()` that prepares an empty PostgreSQL
database, calls `run` at full scale and prints a Markdown table. The test
suite calls every `run` at a tiny scale (tests/test_benchmarks.py), so that no
benchmark can silently stop working.
"""

import contextlib
import os
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    """Django for a benchmark run from the command line: DEBUG off (no query log), as in production."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["HTTPS"] = "0"  # requests come in plain HTTP, with no proxy in front to end TLS
    # As at a deployment: the static files collected, so that pages can name them by their hashed names.
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="diplomacy-bench-static-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def database_url():
    """DATABASE_URL for the database Django uses now (under the test runner, its test database): for a server."""
    from urllib.parse import quote

    from django.db import connection

    database = connection.settings_dict
    return (
        f"postgres://{database['USER'] or ''}:{database['PASSWORD'] or ''}@"
        f"{quote(database['HOST'] or '', safe='')}:{database['PORT'] or 5432}/{database['NAME']}"
    )


@contextlib.contextmanager
def serve(folder, environment):
    """The site served by scripts/serve (what `make serve` runs) on a free loopback port, with `environment`.

    Yields its port, the gunicorn master's pid and its log. The log is a file
    in `folder`, not a pipe: a pipe nobody reads would stall the server once
    full. Fails, showing the log's end, if the server does not answer /healthz.
    """
    import socket
    import subprocess
    import types
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = Path(folder) / "server.log"
    environment = {**environment, "BIND": f"127.0.0.1:{port}"}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")], env=environment, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"scripts/serve stopped ({server.returncode}):\n{tail(log)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within 60 s:\n{tail(log)}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        yield types.SimpleNamespace(port=port, pid=server.pid, log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def tail(log, lines=30):
    """The last lines of a log file."""
    return "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])


def empty_postgresql(model):
    """Migrate, and refuse to run anywhere but on an empty PostgreSQL database."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: scripts/with-postgres .venv/bin/python bench/<name>.py")
    call_command("migrate", verbosity=0)
    if model.objects.exists():
        sys.exit("The database already has records: run this on an empty one (scripts/with-postgres).")


@dataclass
class Measured:
    seconds: float = 0.0
    queries: int = 0
    writes: int = 0
    peak_mb: float | None = None
    result: object = None
    statements: list = field(default_factory=list)


WRITES = ("INSERT", "UPDATE", "DELETE", "COPY", "MERGE")


@contextlib.contextmanager
def measured():
    """Time, queries (and those that write) and the growth of peak memory of what runs inside."""
    from django.db import connection

    found = Measured()

    def count(execute, sql, params, many, context):
        found.queries += 1
        if sql.lstrip().upper().startswith(WRITES):
            found.writes += 1
        return execute(sql, params, many, context)

    baseline = _reset_peak_memory()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        yield found
    found.seconds = time.perf_counter() - started
    peak = _peak_memory()
    if baseline is not None and peak is not None:
        found.peak_mb = max(peak - baseline, 0) / 1024


def _reset_peak_memory():
    """The resident size now, in kB, after resetting the process's high-water mark (Linux only)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status("VmRSS")
    except OSError:
        return None


def _peak_memory():
    try:
        return _status("VmHWM")
    except OSError:
        return None


def _status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return None


def table(header, rows):
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def fill_statements(count, people=20, organizations=5, events=30, sources=50, start=1):
    """Published statements made up server-side (PostgreSQL) or in bulk (elsewhere), every column filled.

    Texts are plain ASCII, so their folded search text is their lower case.
    """
    from django.db import connection

    from records.models import Event, Organization, Person, Source, Statement

    refs = {
        "people": _made(Person, people, "speaker", lambda n: {"name": f"Speaker {n}"}),
        "orgs": _made(
            Organization, organizations, "state", lambda n: {"name": f"State {n}", "classification": "state"}
        ),
        "events": _made(
            Event,
            events,
            "forum",
            lambda n: {"name": f"Forum {n}", "classification": "forum", "start_date": str(2016 + n % 10)},
        ),
        "sources": _made(Source, sources, "report", lambda n: {"title": f"Report {n}"}),
    }
    if connection.vendor != "postgresql":
        statements = [_statement(n, refs) for n in range(start, start + count)]
        Statement.objects.bulk_create(statements, batch_size=500)
        return
    sql = INSERT.format(table=Statement._meta.db_table)
    with connection.cursor() as cursor:
        for first in range(start, start + count, 100_000):
            cursor.execute(sql, {**refs, "start": first, "stop": min(first + 99_999, start + count - 1)})


def _made(model, count, prefix, fields):
    from records.models import Status

    found = list(model.objects.filter(slug__startswith=f"{prefix}-").values_list("pk", flat=True))
    if len(found) >= count:
        return found[:count]
    made = [model(slug=f"{prefix}-{n}", status=Status.PUBLISHED, **fields(n)) for n in range(len(found), count)]
    model.objects.bulk_create(made)
    return list(model.objects.filter(slug__startswith=f"{prefix}-").values_list("pk", flat=True))[:count]


TEXT = "Statement {n}: We discussed cooperation, trade and the transport corridors. " * 3
RARE = "So said Azerbaijan."  # in one statement of five


def _statement(n, refs):
    from records.models import Statement, Status

    people, orgs = refs["people"], refs["orgs"]
    return Statement(
        slug=f"statement-{n}",
        status=Status.PUBLISHED,
        speaker_person_id=people[n % len(people)] if n % 10 else None,
        speaker_organization_id=None if n % 10 else orgs[n % len(orgs)],
        event_id=refs["events"][n % len(refs["events"])] if n % 3 else None,
        date=f"{2016 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        kind="quote" if (n // 3) % 5 < 2 else "paraphrase",
        text=TEXT.format(n=n) + (RARE if n % 5 == 0 else ""),
        source_id=refs["sources"][n % len(refs["sources"])],
    )


INSERT = """
INSERT INTO {table} (slug, status, created, updated, speaker_person_id, speaker_organization_id, speaker_role,
                     event_id, date, date_bound, date_wording, kind, text, language, source_id, source_excerpt,
                     search_document, public)
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
       repeat('Statement ' || i || ': We discussed cooperation, trade and the transport corridors. ', 3)
         || CASE WHEN i %% 5 = 0 THEN 'So said Azerbaijan.' ELSE '' END,
       'en',
       (%(sources)s::bigint[])[1 + i %% cardinality(%(sources)s::bigint[])],
       '',
       lower(repeat('Statement ' || i || ': We discussed cooperation, trade and the transport corridors. ', 3)
         || CASE WHEN i %% 5 = 0 THEN 'So said Azerbaijan.' ELSE '' END),
       -- every speaker and source here is published: the visibility rule holds for each row
       -- (bench/pages.py checks that each flag is what derived.refresh_flags_of would set)
       true
FROM generate_series(%(start)s, %(stop)s) AS i
"""
