"""PostgreSQL goes away: during a large import, and under a running site. Nothing is lost, nothing needs a restart.

These tests stop the database server itself, so they run on their own:
`make prove` (scripts/prove) runs them under scripts/with-postgres, which
says how to stop and start its server ($POSTGRES_CTL). The quick suite
leaves them out (pyproject.toml: -m "not faults").
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from served import Visitor, served

from bench.common import database_url, fill_statements
from bench.load import children
from records.models import Organization, Person, Source, Statement

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(not os.environ.get("POSTGRES_CTL"), reason="needs a server to stop: scripts/prove"),
]

ROOT = Path(__file__).resolve().parent.parent


def postgres(action):
    """Stop (fast: every client is cut off) or start the database server."""
    subprocess.run([os.environ["POSTGRES_CTL"], action], check=True, capture_output=True)


@pytest.fixture
def outage():
    """Whatever happens in the test, the server runs again after it, and this process reconnects."""
    yield
    if subprocess.run([os.environ["POSTGRES_CTL"], "start"], capture_output=True).returncode == 0:
        connections.close_all()


def test_an_import_cut_off_by_the_database_says_so_and_leaves_none_of_its_rows(transactional_db, tmp_path, outage):
    fill_statements(60_000)
    call_command("export_csv", str(tmp_path / "export"), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Statement.objects.exists()

    environment = {"PATH": os.environ["PATH"], "DATABASE_URL": database_url()}
    importing = subprocess.Popen(
        [sys.executable, "manage.py", "import_csv", str(tmp_path / "export")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Its first progress line ("importing: 12,345 of 60,085 rows") comes after five seconds: well under way.
    progress = importing.stderr.readline()
    assert progress.startswith("importing: "), progress
    connections.close_all()
    postgres("stop")
    _, err = importing.communicate(timeout=120)
    postgres("start")

    assert importing.returncode == 1
    assert "The database could not be reached during the import" in err, err
    assert "none of it was written: run it again once the database is back" in err
    assert "Traceback" not in err
    connections.close_all()
    assert Statement.objects.count() == Person.objects.count() == Organization.objects.count() == 0
    assert Source.objects.count() == 0


def test_the_site_answers_503_while_the_database_is_away_and_serves_again_without_a_restart(
    transactional_db, statement, tmp_path, outage
):
    with served(tmp_path, {"DATABASE_URL": database_url(), "HTTPS": "0"}) as server:
        visitor = Visitor(server.port, https=False)
        workers = children(server.pid)
        assert len(workers) == 2
        pages = ["/statements/", "/statements/middle-power/", "/people/hikmet-hajiyev/", "/search/?q=diplomacy"]
        for page in pages:
            assert visitor.get(page).status_code == 200, page
            assert visitor.get(page).status_code == 200, page  # now from the page cache

        connections.close_all()
        postgres("stop")
        for page in pages:
            for _ in range(3):
                answer = visitor.get(page)
                assert answer.status_code == 503, (page, answer.status_code, answer.text[:500])
                assert "Back in a moment" in answer.text and "database is unavailable" in answer.text
                assert "Traceback" not in answer.text and "OperationalError" not in answer.text
                assert answer["Retry-After"] == "30"
        assert visitor.get("/healthz").status_code == 503

        postgres("start")
        for page in [*pages, "/healthz"]:
            assert visitor.get(page).status_code == 200, page
        assert children(server.pid) == workers  # the same processes: nothing was restarted
    log = server.log.read_text()
    assert "Service Unavailable: /statements/" in log  # each one logged, with its cause, for the operator
