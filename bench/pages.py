"""The public pages at 1k, 10k, 100k and 1M statements: latency and queries in-process, throughput served.

    scripts/with-postgres .venv/bin/python bench/pages.py [--scales 1000,10000,100000,1000000] [--seconds 8]

Grows one PostgreSQL database through the scales (statements by 20 speakers, 5 states, 30 events and 50
sources, as bench/common.py makes them, a fifth mentioning a state and saying "Azerbaijan"), and at each
requests every kind of public page in-process (django.test.Client, DEBUG off, page cache off so that
every request does the work): median and 95th percentile of sequential requests, and queries. At the
largest scale it serves the site with gunicorn (2 sync workers) and measures the throughput of a list,
a detail page and a search against a bare HttpResponse view in the same run, with the page cache off and
on. Results and how to read them: docs/benchmarks.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, database_url, empty_postgresql, fill_statements, setup, table

STATES = 5


def pages(sample):
    """(name, URL) of every kind of public page, on records the data set has."""
    return [
        ("home", "/"),
        ("statement list", "/statements/"),
        ("statement list, deepest page", "/statements/?page=200"),
        ("statement list, one year", "/statements/?year=2020"),
        ("statement list, one speaker", "/statements/?speaker=speaker-1"),
        ("statement list, one topic", "/statements/?topic=topic-1"),
        ("person", "/people/speaker-1/"),
        ("organization (state)", "/organizations/state-1/"),
        ("event", "/events/forum-1/"),
        ("source", "/sources/report-1/"),
        ("statement", f"/statements/{sample}/"),
        ("people list", "/people/"),
        ("search, a word in every statement", "/search/?q=corridors"),
        ("search, a word in one of five", "/search/?q=azerbaijan"),
        ("search, a name", "/search/?q=speaker"),
        ("statements CSV (refused above the limit)", "/statements/?format=csv"),
        ("statements CSV, one speaker and year", "/statements/?format=csv&speaker=speaker-1&year=2020"),
    ]


def grow(total, vacuum=True):
    """Fill the database up to `total` statements, with the links the pages show; returns the time taken.

    `vacuum`: VACUUM ANALYZE at the end (PostgreSQL, outside a transaction); else ANALYZE only.
    """
    from django.db import connection

    from records import derived
    from records.models import Membership, Organization, OrganizationMention, Person, Statement, Topic

    started = time.perf_counter()
    have = Statement.objects.count()
    if total > have:
        fill_statements(total - have, start=have + 1)
    states = list(Organization.objects.filter(slug__startswith="state-").order_by("pk"))
    if not Membership.objects.exists():
        # Each speaker a member of a state: the state's page lists "statements by its people".
        people = Person.objects.filter(slug__startswith="speaker-").order_by("pk")
        Membership.objects.bulk_create(
            Membership(member_person=person, organization=states[n % len(states)], kind="member", status="published")
            for n, person in enumerate(people)
        )
    topic, _ = Topic.objects.get_or_create(slug="topic-1", defaults={"name": "Transport corridors"})
    statements = Statement._meta.db_table
    with connection.cursor() as cursor:
        # A fifth of the statements mention a state, and a tenth carry the topic.
        cursor.execute(
            f"INSERT INTO {OrganizationMention._meta.db_table} (statement_id, organization_id) "
            f"SELECT s.id, o.id FROM {statements} s JOIN {Organization._meta.db_table} o "
            f"ON o.slug = 'state-' || (s.id %% {len(states)}) WHERE s.id %% 5 = 0 AND s.id > %s",
            [_last(OrganizationMention, "statement_id")],
        )
        through = Statement.topics.through._meta.db_table
        cursor.execute(
            f"INSERT INTO {through} (statement_id, topic_id) SELECT s.id, %s FROM {statements} s "
            f"WHERE s.id %% 10 = 0 AND s.id > %s",
            [topic.pk, _last(Statement.topics.through, "statement_id")],
        )
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    # The generator writes the flag itself: prove it is what the rule says, row for row.
    assert derived.refresh_flags_of(Statement.objects.all()) == 0, "the generator's visibility flags were wrong"
    return time.perf_counter() - started


def _last(model, column):
    from django.db.models import Max

    return model.objects.aggregate(last=Max(column))["last"] or 0


def latency(urls, repeat):
    """{name: (median s, p95 s, queries, status)} of sequential in-process requests, page cache off."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    found = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, url in urls:
            response = _get(client, url)  # warm-up (PostgreSQL's buffers, the code's first run)
            queries = Recorded()
            with connection.execute_wrapper(queries):
                response = _get(client, url)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                _get(client, url)
                times.append(time.perf_counter() - started)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            found[name] = (statistics.median(times), p95, len(queries), response.status_code)
    return found


class Recorded(list):
    """A database execute wrapper that keeps (sql, params) of every query, in order."""

    def __call__(self, execute, sql, params, many, context):
        self.append((sql, params))
        return execute(sql, params, many, context)


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # a download is only done when its last row is sent
    return response


# Served ----------------------------------------------------------------------------


def serve(port, cached):
    """gunicorn with 2 sync workers on the benchmark database, the bare view added (bench/urls.py)."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "bench.served_settings",
        "PAGE_CACHE_SECONDS": "3600" if cached else "0",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "30", "--log-level", "warning", "diplomacy.wsgi"]
    server = subprocess.Popen(command, env=environment, cwd=ROOT)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def throughput(base, path, seconds, connections=16):
    """Requests per second of `connections` clients for `seconds`; (rate, errors, truncated)."""
    done, errors, truncated = [0], [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    body = response.read()
                    length = response.headers.get("Content-Length")
                    short = length is not None and int(length) != len(body)
                with lock:
                    done[0] += 1
                    truncated[0] += short
            except (OSError, urllib.error.HTTPError):
                with lock:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # every request in flight finishes: the next URL starts on idle workers
    elapsed = time.perf_counter() - started
    time.sleep(1)
    return done[0] / elapsed, errors[0], truncated[0]


def served(sample, seconds):
    """{(cached, name): (requests/s, errors, truncated)} for the bare view, a list, a detail page and a search."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    urls = [
        ("bare HttpResponse", "/bench/bare/"),
        ("statement list", "/statements/"),
        ("statement", f"/statements/{sample}/"),
        ("search", "/search/?q=azerbaijan"),
    ]
    found = {}
    for cached in (False, True):
        server = serve(port, cached)
        try:
            for name, path in urls:
                found[cached, name] = throughput(f"http://127.0.0.1:{port}", path, seconds)
        finally:
            server.terminate()
            server.wait()
    return found


def run(
    scales=(1_000, 10_000, 100_000, 1_000_000), repeat=15, seconds=8, serve_at_largest=True, vacuum=True, verbose=True
):
    """Grow through `scales`, measuring at each; returns {"latency": {scale: {...}}, "served": {...}, "load": {...}}."""
    say = print if verbose else (lambda *args, **kwargs: None)
    results = {"latency": {}, "served": {}, "load": {}}
    sample = "statement-1"
    for scale in scales:
        results["load"][scale] = grow(scale, vacuum)
        say(f"{scale:,} statements loaded in {results['load'][scale]:.0f} s", flush=True)
        results["latency"][scale] = latency(pages(sample), repeat)
    if serve_at_largest:
        results["served"] = served(sample, seconds)
    return results


def report(results):
    scales = sorted(results["latency"])
    first, last = scales[0], scales[-1]
    rows = []
    for name, _ in pages("statement-1"):
        cells = [name]
        for scale in scales:
            median, p95, queries, status = results["latency"][scale][name]
            cells.append(f"{median * 1000:.1f} / {p95 * 1000:.1f} ({queries}q{'' if status == 200 else f', {status}'})")
        cells.append(f"{results['latency'][last][name][0] / results['latency'][first][name][0]:.2f}")
        rows.append(cells)
    header = ["page", *(f"{scale:,}: median / p95 ms" for scale in scales), f"{last:,} / {first:,}"]
    lines = [table(header, rows)]
    if results["served"]:
        bare = {cached: results["served"][cached, "bare HttpResponse"][0] for cached in (False, True)}
        served_rows = []
        for (cached, name), (rate, errors, truncated) in results["served"].items():
            share = rate / bare[cached]
            state = "on" if cached else "off"
            served_rows.append([name, state, f"{rate:.1f}", f"{share:.0%}", str(errors), str(truncated)])
        lines.append(table(["served", "page cache", "requests/s", "of bare", "errors", "truncated"], served_rows))
    return "\n\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000,10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    setup()
    from records.models import Statement

    empty_postgresql(Statement)
    scales = [int(scale) for scale in args.scales.split(",")]
    results = run(scales, args.repeat, args.seconds)
    print()
    print(report(results))


if __name__ == "__main__":
    main()
