"""The database away: a 503 page that says so (not a 500, never a traceback), and /healthz for monitors.

The real outage, PostgreSQL stopped under gunicorn, is tests/test_faults.py (make prove).
"""

from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError


@pytest.fixture
def answering(client):
    client.raise_request_exception = False
    return client


def test_a_page_whose_database_is_away_answers_503_asking_to_come_back(answering, statement):
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch("records.caching.DataVersion.current", side_effect=lost):
        response = answering.get("/statements/middle-power/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page and "database is unavailable" in page
    assert "server closed" not in page and "Traceback" not in page


def test_a_bug_still_answers_500(answering, statement):
    with mock.patch("records.caching.DataVersion.current", side_effect=ProgrammingError("no such column")):
        response = answering.get("/statements/middle-power/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_healthz_says_whether_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"database unavailable\n"
