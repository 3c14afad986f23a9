"""The admin's accounts: strong passwords, a lock on password guessing, sessions that end."""

import datetime
import types

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from records.accounts import client_ip

PASSWORD = "Correct-horse-battery-7"


@pytest.fixture
def editor_with_password(make_staff):
    user = make_staff("writer")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_admin_refuses_a_weak_new_password(admin_client):
    weak = {"old_password": "password", "new_password1": "Sh0rt-pass", "new_password2": "Sh0rt-pass"}
    response = admin_client.post("/admin/password_change/", weak)
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()
    digits = {"old_password": "password", "new_password1": "804729116530", "new_password2": "804729116530"}
    assert "This password is entirely numeric." in admin_client.post("/admin/password_change/", digits).content.decode()
    strong = {"old_password": "password", "new_password1": PASSWORD, "new_password2": PASSWORD}
    assert admin_client.post("/admin/password_change/", strong).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ed2ed2ed2ed2ed2", "This password repeats a few characters over and over."),
        ("aaaaaaaaaaaa", "This password repeats a few characters over and over."),
        ("ed2-password", "This password is the user name with little around it."),
        ("ed2-2026-12-02", "This password is the user name with little around it."),
    ],
)
def test_a_password_a_guesser_tries_first_is_refused(make_staff, password, message):
    from django.contrib.auth.password_validation import validate_password

    user = make_staff("ed2")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert message in refused.value.messages
    validate_password("ed2-Correct-horse-battery", user)  # the name inside a strong password is no weakness


def test_the_admin_refuses_a_repeated_password(admin_client):
    repeated = {"old_password": "password", "new_password1": "abcabcabcabc", "new_password2": "abcabcabcabc"}
    page = admin_client.post("/admin/password_change/", repeated).content.decode()
    assert "This password repeats a few characters over and over." in page


def test_add_curator_makes_passwords_the_validators_accept(db, capsys):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    call_command("add_curator", "aysel", role="editor")
    password = capsys.readouterr().out.split("password: ")[1].split()[0]
    validate_password(password, get_user_model().objects.get(username="aysel"))  # raises if too weak


def test_wrong_passwords_lock_the_login_and_the_command_unlocks_it(client, editor_with_password, settings, log_in):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        assert not log_in(client, "writer", f"guess-{attempt}")
    locked = client.post("/admin/login/", {"username": "writer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Login locked" in locked.content.decode() and "1:00:00" in locked.content.decode()
    assert AccessAttempt.objects.get(username="writer").failures_since_start >= settings.AXES_FAILURE_LIMIT

    call_command("axes_reset_username", "writer", verbosity=0)
    assert log_in(client, "writer", PASSWORD)


def test_a_right_password_clears_the_count_of_wrong_ones(client, editor_with_password, settings, log_in):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert not log_in(client, "writer", f"guess-{attempt}")
    assert log_in(client, "writer", PASSWORD)
    client.post("/admin/logout/")
    assert not log_in(client, "writer", "one-more-typo")
    assert log_in(client, "writer", PASSWORD)  # not locked: the count started again


def test_a_session_ends_after_its_idle_time(admin_client, settings):
    assert admin_client.get("/admin/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = admin_client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_each_request_extends_the_session(admin_client):
    admin_client.get("/admin/")
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    admin_client.get("/admin/")
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(hours=7)


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return types.SimpleNamespace(META=meta)


def test_the_client_address_is_the_one_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"  # no proxy: the header is the client's
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # A client's own X-Forwarded-For comes first; the proxy appends the address it saw.
    assert client_ip(request("127.0.0.1", "10.9.9.9, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"  # not through the proxy
    settings.TRUSTED_PROXIES = 2
    assert client_ip(request("127.0.0.1", "10.9.9.9, 198.51.100.7, 192.0.2.1")) == "198.51.100.7"
