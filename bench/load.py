"""Load proof: the site served as in production under wrk, then one worker killed under load.

    scripts/with-postgres .venv/bin/python bench/load.py [--statements 100000] [--seconds 60] [--connections 64]

Grows an empty PostgreSQL database to the given number of statements (bench/pages.py's made-up data), loads
the founding article (fixtures/), and serves it with gunicorn exactly as `make serve` does: the production
config (diplomacy/gunicorn.py, its default workers and threads), DEBUG off, the page cache on, static files
collected; only HTTPS is off (plain HTTP on loopback). Access lines go to a log file instead of a terminal.

Every URL of the mix is requested once first and must answer 2xx; each CSV download's length is measured
then. wrk (bench/load.lua) then requests the mix at random from `--connections` connections for `--seconds`
seconds, checking every answer: a status outside 2xx, a socket error or a CSV download that is not whole
fails the proof. Hundreds of distinct statement pages are in the mix, so the page cache (per worker) does
not answer everything.

A second, shorter run kills a worker under load: it is stopped (SIGSTOP), the client connections it holds
are counted, and it is killed (SIGKILL). Only those requests may fail, none with a status outside 2xx, and
gunicorn's master must start a worker in its place. The process exits non-zero when any check fails.
"""

import argparse
import contextlib
import json
import math
import os
import runpy
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, database_url, empty_postgresql, serve, setup, table, tail
from bench.pages import grow

WRK = "/usr/bin/wrk"
SCRIPT = Path(__file__).with_suffix(".lua")
CONFIG = ROOT / "diplomacy" / "gunicorn.py"
FIXTURES = sorted(str(path) for path in (ROOT / "fixtures").glob("*.json"))
# Speakers whose statements of one year are downloaded as CSV.
SPEAKERS = ("speaker-1", "speaker-2")
# Each page of the mix but the statement pages is this many times as likely as one statement page.
WEIGHT = 4


class LoadFailure(Exception):
    """A check of the proof failed; the message says which."""


# The mix ----------------------------------------------------------------------------


def mix(details=500):
    """[(path, weight)]: every kind of public page, `details` distinct statement pages, and CSV downloads."""
    from records.models import Statement
    from records.pagination import MAX_PAGE
    from records.views import PAGE_SIZE

    last_page = min(MAX_PAGE, math.ceil(Statement.objects.published().count() / PAGE_SIZE))
    fixed = [
        "/",
        "/statements/",
        "/statements/?page=2",
        f"/statements/?page={last_page // 2}",
        f"/statements/?page={last_page}",
        *(f"/statements/?year={year}" for year in (2016, 2019, 2020, 2025)),
        *(f"/statements/?speaker=speaker-{n}" for n in (1, 2, 7)),
        "/statements/?topic=topic-1",
        "/statements/?year=2021&speaker=speaker-3",
        "/statements/?kind=quote&year=2018",
        "/statements/?organization=state-1",
        "/statements/?event=forum-2",
        *(f"/people/speaker-{n}/" for n in (1, 5, 12)),
        *(f"/organizations/state-{n}/" for n in (1, 3)),
        *(f"/events/forum-{n}/" for n in (1, 2, 17)),
        *(f"/sources/report-{n}/" for n in (1, 33)),
        "/people/",
        "/organizations/",
        "/events/",
        "/sources/",
        "/search/?q=corridors",
        "/search/?q=azerbaijan",
        "/search/?q=speaker",
        "/search/?q=hajiyev",
        "/search/?q=cooperation+trade",
        # The founding article's own pages.
        "/people/hikmet-hajiyev/",
        "/people/nazrin-abdul/",
        "/organizations/azerbaijan/",
        "/organizations/organization-of-turkic-states/",
        "/events/global-baku-forum-2026/",
        "/sources/azernews-2026-03-12-hajiyev-global-baku-forum/",
        "/statements/hajiyev-2026-03-12-real-peace/",
        "/statements/hajiyev-2026-03-12-middle-power-diplomacy/",
        "/statements/?speaker=hikmet-hajiyev",
        "/statements/?topic=multilateralism",
        # Downloads: filtered lists well under the row limit, and the small lists whole.
        *(f"/statements/?format=csv&speaker={slug}&year={busiest_year(speaker=slug)}" for slug in SPEAKERS),
        f"/statements/?format=csv&topic=topic-1&year={busiest_year(topic='topic-1')}",
        "/statements/?format=csv&speaker=hikmet-hajiyev",
        "/people/?format=csv",
        "/organizations/?format=csv",
        "/events/?format=csv",
        "/sources/?format=csv",
    ]
    slugs = list(
        Statement.objects.published()
        .filter(slug__startswith="statement-")
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    spread = slugs[:: max(1, len(slugs) // details)][:details]
    return [(path, WEIGHT) for path in fixed] + [(f"/statements/{slug}/", 1) for slug in spread]


def busiest_year(**filters):
    """The year with most statements of a filter of the list (speaker=…, topic=…): a download with rows at any scale.

    bench/load.lua recognises a download by its first row, so every download of the mix must have one.
    """
    from django.db.models import Count
    from django.db.models.functions import Left

    from records.views import filtered_statements

    years = filtered_statements(filters).annotate(year=Left("date", 4)).values("year").annotate(n=Count("pk"))
    return years.order_by("-n", "year")[0]["year"]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer to report, not to follow


def verify(base, paths):
    """Request each path once; {CSV key: {"lines", "bytes"}} of the downloads. LoadFailure names any that fails."""
    opener = urllib.request.build_opener(_NoRedirects)
    failed, downloads = [], {}
    for path in paths:
        try:
            with opener.open(base + path, timeout=120) as response:
                body = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            failed.append(f"{path} answered {error.code}")
            continue
        except OSError as error:
            failed.append(f"{path} failed: {error}")
            continue
        if "text/csv" not in kind:
            continue
        # The key bench/load.lua recognises a download by: its header line and first row.
        lines = body.split(b"\n")
        if len(lines) < 3 or not body.endswith(b"\n"):
            failed.append(f"{path} is a CSV file without rows")
            continue
        key = b"\n".join(lines[:2]) + b"\n"
        expected = {"lines": body.count(b"\n"), "bytes": len(body)}
        if downloads.get(key, expected) != expected:
            failed.append(f"{path} starts as another download of the mix does: bench/load.lua cannot tell them apart")
        downloads[key] = expected
    if failed:
        raise LoadFailure("URLs of the mix that fail (each must answer 2xx):\n  " + "\n  ".join(failed))
    return downloads


def lua_string(data):
    """A Lua string literal of `data` (bytes), every byte outside printable ASCII escaped."""
    safe = (chr(byte) if 32 <= byte < 127 and byte not in b'"\\' else f"\\{byte:03d}" for byte in data)
    return '"' + "".join(safe) + '"'


def write_mix(path, weighted, downloads):
    """The Lua file bench/load.lua reads: the paths (one entry per unit of weight) and the CSV lengths."""
    lines = ["return {", "  paths = {"]
    lines += [f"    {lua_string(url.encode())}," for url, weight in weighted for _ in range(weight)]
    lines += ["  },", "  csv = {"]
    lines += [
        f"    [{lua_string(key)}] = {{lines = {size['lines']}, bytes = {size['bytes']}}},"
        for key, size in downloads.items()
    ]
    lines += ["  },", "}"]
    Path(path).write_text("\n".join(lines) + "\n")


# Serving --------------------------------------------------------------------------


def production_environment(static_root):
    """The environment `make serve` runs with, on loopback: DEBUG off, plain HTTP, the default page cache."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # The settings' defaults, not a developer's overrides.
        if key not in {"PAGE_CACHE_SECONDS", "CACHE_URL", "CONN_MAX_AGE", "PUBLIC_CSV_ROW_LIMIT", "RELEASE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="diplomacy.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(static_root),
    )
    return environment


# Workers and their connections ------------------------------------------------------


def children(pid):
    """The process ids whose parent is `pid` (gunicorn's workers, when `pid` is its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # The command name in parentheses may hold spaces: the fields after it are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def established(pid, port):
    """How many ESTABLISHED TCP connections to local `port` process `pid` holds open."""
    inodes = set()
    for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table_path).read_text().splitlines()[1:]:
                fields = line.split()
                # local address is "ADDRESS:PORT" in hex; state 01 is ESTABLISHED; field 9 the socket's inode.
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    inodes.add(fields[9])
    held = 0
    with contextlib.suppress(FileNotFoundError):  # a worker that has just exited holds none
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def stopped(pid, within=10):
    """Wait until process `pid` is stopped by a signal (state T in /proc/PID/stat)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.001)
    raise LoadFailure(f"worker {pid} did not stop within {within} s")


def replaced(master, before, killed, within=60):
    """Seconds until the master runs as many workers as `before` again, without `killed`; None if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        now = children(master)
        if len(now) >= len(before) and killed not in now:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


# wrk ------------------------------------------------------------------------------


def wrk_command(base, seconds, connections, mix_file, timeout):
    return [
        WRK,
        f"-t{min(4, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(SCRIPT),
        base,
        "--",
        str(mix_file),
    ]


def parsed(output):
    """The LOAD-RESULT line bench/load.lua prints, as a dict."""
    for line in output.splitlines():
        if line.startswith("LOAD-RESULT "):
            found = json.loads(line.removeprefix("LOAD-RESULT "))
            errors = found["errors"]
            found["socket_errors"] = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
            statuses = {}
            for status, count in found.pop("non2xx_statuses"):
                statuses[status] = statuses.get(status, 0) + count
            found["statuses"] = statuses
            return found
    raise LoadFailure(f"wrk printed no LOAD-RESULT line:\n{output}")


def load(base, seconds, connections, mix_file, timeout):
    command = wrk_command(base, seconds, connections, mix_file, timeout)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LoadFailure(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return {**parsed(done.stdout), "output": done.stdout}


def load_with_a_worker_killed(base, master, seconds, connections, mix_file, timeout, after):
    """wrk for `seconds`; `after` seconds in, the worker holding the most connections is stopped, counted, killed."""
    port = int(base.rsplit(":", 1)[1])
    command = wrk_command(base, seconds, connections, mix_file, timeout)
    client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(after)
        if client.poll() is not None:
            raise LoadFailure("wrk ended before a worker could be killed")
        workers = children(master)
        victim = max(workers, key=lambda pid: established(pid, port))
        os.kill(victim, signal.SIGSTOP)  # frozen, its connections can be counted without any finishing meanwhile
        stopped(victim)  # the signal is delivered later than kill() returns: until then it may accept more
        held = established(victim, port)
        os.kill(victim, signal.SIGKILL)
        back_in = replaced(master, workers, victim)
        output, errors = client.communicate()
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    if client.returncode != 0:
        raise LoadFailure(f"wrk failed ({client.returncode}): {errors or output}")
    found = parsed(output)
    failed = found["socket_errors"] + found["non2xx"] + found["truncated"]
    return {**found, "output": output, "workers": len(workers), "held": held, "failed": failed, "replaced": back_in}


# The proof ------------------------------------------------------------------------


def problems_of(main, kill):
    """What fails the proof, one sentence each; empty when it holds."""
    found = []
    if main["requests"] == 0:
        found.append("main run: no request completed")
    if main["non2xx"]:
        found.append(f"main run: {main['non2xx']} answers outside 2xx (status: count {main['statuses']})")
    if main["socket_errors"]:
        found.append(f"main run: {main['socket_errors']} socket errors {main['errors']}")
    if main["truncated"]:
        found.append(f"main run: {main['truncated']} CSV downloads not whole")
    if main["csv_checked"] == 0:
        found.append("main run: no CSV download was checked")
    if kill["non2xx"]:
        found.append(f"kill run: {kill['non2xx']} answers outside 2xx (status: count {kill['statuses']})")
    if kill["failed"] > kill["held"]:
        found.append(
            f"kill run: {kill['failed']} failed requests (socket errors {kill['errors']}, "
            f"non-2xx {kill['non2xx']}, truncated {kill['truncated']}) but the killed worker held "
            f"only {kill['held']} connections"
        )
    if kill["replaced"] is None:
        found.append("kill run: gunicorn did not replace the killed worker")
    return found


def run(
    statements=100_000,
    seconds=60,
    connections=64,
    kill_seconds=20,
    details=500,
    timeout=10,
    vacuum=True,
    verbose=True,
):
    """Grow, serve, load, kill; returns {"statements", "workers", "threads", "urls", "main", "kill", "problems"}.

    `timeout`: wrk's, in seconds; a slower answer counts as a socket error (and is left out of the latencies).
    """
    from django.core.management import call_command

    from records.models import Person, Statement

    say = print if verbose else (lambda *args, **kwargs: None)
    started = time.perf_counter()
    # The made-up statements first, as bench/pages.py grows them (grow() links speakers to states only in a
    # database without memberships); then the article, whose records are found by natural keys, not ids.
    grow(statements, vacuum)
    if not Person.objects.filter(slug="hikmet-hajiyev").exists():
        call_command("loaddata", *FIXTURES, verbosity=0)
    say(f"{Statement.objects.count():,} statements in {time.perf_counter() - started:.0f} s", flush=True)
    config = runpy.run_path(str(CONFIG))
    weighted = mix(details)
    with (
        tempfile.TemporaryDirectory(prefix="diplomacy-load-") as folder,
        serve(folder, production_environment(Path(folder) / "static")) as server,
    ):
        base = f"http://127.0.0.1:{server.port}"
        downloads = verify(base, [path for path, _ in weighted])
        mix_file = Path(folder) / "mix.lua"
        write_mix(mix_file, weighted, downloads)
        say(f"{len(weighted)} URLs answer 2xx ({len(downloads)} CSV downloads); wrk for {seconds} s", flush=True)
        main = load(base, seconds, connections, mix_file, timeout)
        after = kill_seconds / 4  # load on every worker first
        say(f"{main['requests']:,} requests; a worker killed {after:.0f} s into {kill_seconds} s more", flush=True)
        kill = load_with_a_worker_killed(base, server.pid, kill_seconds, connections, mix_file, timeout, after)
        problems = problems_of(main, kill)
        if problems:
            say(f"gunicorn's log ends:\n{tail(server.log)}")
    return {
        "statements": statements,
        "workers": config["workers"],
        "threads": config["threads"],
        "urls": len(weighted),
        "connections": connections,
        "main": main,
        "kill": kill,
        "problems": problems,
    }


def report(results):
    main, kill = results["main"], results["kill"]
    ms = {name: f"{value / 1000:.1f}" for name, value in main["latency_us"].items()}
    served_by = f"{results['workers']} × {results['threads']}"
    header = ["statements", "workers × threads", "connections", "duration s", "requests", "requests/s"]
    header += ["p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx", "socket errors", "truncated"]
    row = [f"{results['statements']:,}", served_by, results["connections"], f"{main['duration_s']:.1f}"]
    row += [f"{main['requests']:,}", f"{main['requests_per_s']:.1f}", ms["p50"], ms["p90"], ms["p99"], ms["max"]]
    row += [main["non2xx"], main["socket_errors"], main["truncated"]]
    kill_header = ["worker killed", "duration s", "requests", "held connections", "failed requests"]
    kill_header += ["socket errors", "non-2xx", "truncated", "whole after a cut", "worker replaced"]
    back = "no" if kill["replaced"] is None else f"yes, in {kill['replaced']:.1f} s"
    kill_row = [f"1 of {kill['workers']}", f"{kill['duration_s']:.1f}", f"{kill['requests']:,}", kill["held"]]
    kill_row += [kill["failed"], kill["socket_errors"], kill["non2xx"], kill["truncated"], kill["after_cut"], back]
    return table(header, [row]) + "\n\n" + table(kill_header, [kill_row])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--kill-seconds", type=int, default=20)
    parser.add_argument("--details", type=int, default=500, help="distinct statement pages in the mix")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout of a request, in seconds")
    args = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit(f"wrk is missing ({WRK}): apt-get install wrk")
    setup()
    from records.models import Statement

    empty_postgresql(Statement)
    started = time.perf_counter()
    try:
        results = run(args.statements, args.seconds, args.connections, args.kill_seconds, args.details, args.timeout)
    except LoadFailure as failure:
        sys.exit(f"FAILED: {failure}")
    print()
    print(report(results))
    print(f"\nIn {time.perf_counter() - started:.0f} s.")
    if results["problems"]:
        sys.exit("FAILED:\n  " + "\n  ".join(results["problems"]))


if __name__ == "__main__":
    main()
