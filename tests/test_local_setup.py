"""`make run` prepares the local site once, and a restart never undoes an editor's work."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from records.models import Person

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def start(settings, capsys, transactional_db):
    """The start-up sequence of `make run`, as often as a test likes; returns what it printed."""
    settings.DEBUG = True

    def run(*args):
        call_command("setup_local", *args)
        return capsys.readouterr().out

    return run


def password_in(output):
    return re.search(r"password: (\S+)", output)[1]


def test_make_run_prepares_the_site_with_this_command():
    run = re.search(r"^run:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.M | re.S)[0]
    assert "manage.py setup_local" in run and "loaddata" not in run


def test_the_first_start_loads_the_article_and_prints_a_login(start, client, log_in):
    output = start()
    assert "Loaded the founding article" in output
    assert Person.objects.filter(slug="hikmet-hajiyev").exists()
    assert log_in(client, "admin", password_in(output))
    page = client.get("/admin/").content.decode()
    for plural in ["People", "Organizations", "Memberships", "Events", "Statements", "Sources"]:
        assert f">{plural}</a>" in page


def test_an_edit_survives_a_restart_with_its_history_and_the_login(start, client, admin_form, log_in):
    password = password_in(start())
    log_in(client, "admin", password)
    hajiyev = Person.objects.get(slug="hikmet-hajiyev")
    url = f"/admin/records/person/{hajiyev.pk}/change/"
    assert client.post(url, admin_form(client, url) | {"summary": "Edited by an editor."}).status_code == 302

    output = start()

    assert "the founding article was not loaded again" in output
    assert "its password is unchanged" in output
    assert not re.search(r"password: ", output)
    hajiyev.refresh_from_db()
    assert hajiyev.summary == "Edited by an editor."
    assert hajiyev.history.latest().summary == hajiyev.summary
    assert client.get(url).status_code == 200  # still logged in
    client.logout()
    assert log_in(client, "admin", password)


def test_a_new_password_only_on_request(start, client, log_in):
    first = password_in(start())
    second = password_in(start("--reset-password"))
    assert first != second
    assert not log_in(client, "admin", first)
    assert log_in(client, "admin", second)


def test_it_refuses_to_run_in_production(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local run only"):
        call_command("setup_local")


def test_the_first_start_on_a_new_database_file_loads_the_article(tmp_path):
    """As the README's first command does it, in a fresh process: the migrations' own rows are no records."""
    import os
    import subprocess
    import sys

    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "diplomacy.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "setup_local"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Loaded the founding article into the empty database" in result.stdout
