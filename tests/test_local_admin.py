import re

import pytest
from django.core.management import CommandError, call_command


def run_local_admin(capsys):
    call_command("local_admin")
    return re.search(r"password: (\S+)", capsys.readouterr().out)[1]


def test_the_printed_login_opens_the_admin_with_all_six_models(client, settings, capsys, db):
    settings.DEBUG = True
    password = run_local_admin(capsys)
    assert client.login(username="admin", password=password)
    page = client.get("/admin/").content.decode()
    for plural in ["People", "Organizations", "Memberships", "Events", "Statements", "Sources"]:
        assert f">{plural}</a>" in page


def test_running_it_again_gives_a_new_password_that_works(client, settings, capsys, db):
    settings.DEBUG = True
    first = run_local_admin(capsys)
    second = run_local_admin(capsys)
    assert first != second
    assert not client.login(username="admin", password=first)
    assert client.login(username="admin", password=second)


def test_it_refuses_to_run_in_production(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local run only"):
        call_command("local_admin")
