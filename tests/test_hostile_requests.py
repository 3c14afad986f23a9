"""Odd or probing requests get a plain answer: never a 500, never a hint of a draft."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from records.models import Event, Organization, OrganizationMention, Person, Status

ROOT = Path(__file__).resolve().parent.parent

FILTERED_URLS = [
    "/search/?q={}",
    "/statements/?speaker={}",
    "/statements/?organization={}",
    "/statements/?event={}",
    "/statements/?topic={}",
    "/statements/?year={}",
    "/statements/?kind={}",
    "/organizations/?classification={}",
    "/events/?year={}",
    "/statements/?speaker={}&format=csv",
    "/statements/?event={}&format=csv",
    "/organizations/?classification={}&format=csv",
    "/people/?page={}",
]


@pytest.mark.parametrize("url", FILTERED_URLS)
def test_a_nul_character_in_a_parameter_is_a_bad_request(client, statement, url):
    response = client.get(url.format("hajiyev%00"))
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_character_in_the_admins_search_is_a_bad_request(admin_client, statement):
    assert admin_client.get("/admin/records/statement/?q=middle%00power").status_code == 400


def test_a_nul_character_in_a_parameters_name_is_a_bad_request(client, db):
    assert client.get("/statements/?sp%00eaker=x").status_code == 400


def test_a_500_is_logged_with_its_traceback_when_debug_is_off(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from unittest import mock\n"
        "from django.test import Client\n"
        "with mock.patch('records.views.published_counts', side_effect=RuntimeError('the counts broke')):\n"
        "    response = Client(raise_request_exception=False).get('/')\n"
        "print(response.status_code)\n"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "diplomacy.settings",
        "DEBUG": "0",
        "SECRET_KEY": "kq3V-8zWf0pLr7TnYb2HsXc6JmAe9UdGi4oQ1vNtSyZwKxR5uE_lMjPh",
        "ALLOWED_HOSTS": "testserver",
        "HTTPS": "0",  # the test client speaks plain HTTP, with no proxy in front
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request: Internal Server Error: /" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the counts broke" in result.stderr


# Drafts cannot be probed through filters ------------------------------------------


@pytest.fixture
def draft_event_and_organization(statement):
    statement.event.status = Status.DRAFT
    statement.event.save()
    draft = Organization.objects.create(slug="draft-body", name="Draft Body", classification="other")
    OrganizationMention.objects.create(statement=statement, organization=draft)
    return statement.event, draft


@pytest.mark.parametrize("parameter", ["event", "organization"])
def test_a_drafts_slug_filters_like_an_unknown_one(client, draft_event_and_organization, parameter):
    event, organization = draft_event_and_organization
    draft = {"event": event.slug, "organization": organization.slug}[parameter]
    for suffix in ("", "&format=csv"):
        on_draft = client.get(f"/statements/?{parameter}={draft}{suffix}")
        on_unknown = client.get(f"/statements/?{parameter}=no-such-record{suffix}")
        assert on_draft.status_code == on_unknown.status_code == 200
        body = b"".join(on_draft.streaming_content) if on_draft.streaming else on_draft.content
        assert b"middle-power" not in body and b"middle-power diplomacy" not in body


def test_a_published_events_slug_still_filters(client, statement):
    Event.objects.filter(pk=statement.event_id).update(status=Status.PUBLISHED)
    assert b"middle-power diplomacy" in client.get(f"/statements/?event={statement.event.slug}").content


# The admin, asked what none of its pages asks --------------------------------------


@pytest.mark.parametrize(
    "url, status",
    [
        # An id past the 64-bit range names no record: the list is empty (PostgreSQL has no plan to estimate).
        ("/admin/records/source/?publisher__id__exact=9223372036854775808", 200),
        ("/admin/records/statement/?speaker_person__id__exact=99999999999999999999999", 200),
        # A year no date can have: Django's "wrong parameters" page, as for month 13.
        ("/admin/records/source/?published_at__year=99999999999999999999", 302),
        ("/admin/records/person/abc/history/", 404),
    ],
)
def test_the_admin_answers_impossible_parameters_without_an_error(admin_client, person, url, status):
    response = admin_client.get(url)
    assert response.status_code == status, response.status_code
    if status == 302:
        assert response["Location"].endswith("?e=1")


def test_a_history_version_that_is_no_id_is_not_found(admin_client, person):
    assert admin_client.get(f"/admin/records/person/{person.pk}/history/abc/").status_code == 404


def test_an_action_on_records_that_are_no_ids_is_a_bad_request_and_changes_nothing(admin_client, person):
    response = admin_client.post(
        "/admin/records/person/", {"action": "delete_selected", "_selected_action": [str(person.pk), "abc"]}
    )
    assert response.status_code == 400
    assert Person.objects.filter(pk=person.pk).exists()
