"""The site as production serves it, attacked over HTTP.

`scripts/serve` (what `make serve` runs) starts gunicorn with DEBUG off,
HTTPS on behind a proxy (these requests carry the proxy's X-Forwarded-Proto
and X-Forwarded-For) and the admin moved to /office/. Every request here
goes through a socket to it: the permission matrix, CSRF, the login lockout,
the security headers.

PostgreSQL only: gunicorn's workers read the test database through their
own connections, so each test's data is committed, and the database is
emptied after each. Its sequences are reset too: the workers keep the ids
of content types (what the admin's log refers to) from one test to the
next, and the content types must come back with the same ids.
"""

import functools
import http.client
import secrets

import pytest
from django.contrib import admin
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection  # noqa: F401 (the skip condition reads it)
from django.urls import URLPattern, URLResolver
from served import ADMIN, Visitor, served
from test_permission_matrix import MODELS, build_world, make_role, probes, send, snapshot, verdict

from bench.common import database_url
from records.models import Person, Status
from records.roles import CAPABILITIES, ROLES

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="gunicorn serves the PostgreSQL database")

SERVED_KEY = secrets.token_urlsafe(50)
PASSWORD = "Correct-horse-battery-7"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn started by scripts/serve on the test database, the admin moved; its port and folder."""
    folder = tmp_path_factory.mktemp("served")
    with django_db_blocker.unblock():
        url = database_url()
    environment = {
        "SECRET_KEY": SERVED_KEY,
        "DATABASE_URL": url,
        "ADMIN_URL": ADMIN.strip("/") + "/",
        "IMPORT_PREVIEW_DIR": str(folder / "previews"),
        # Each test empties the database, and with it the data version the page cache goes by.
        "PAGE_CACHE_SECONDS": "0",
    }
    with served(folder, environment) as server:
        yield server.port, folder


@pytest.fixture
def site(server, django_db_reset_sequences, settings):
    """A factory of visitors of the served site, this process signing and storing as the site does."""
    port, folder = server
    settings.SECRET_KEY = SERVED_KEY  # import previews are signed for a session, with the site's key
    settings.IMPORT_PREVIEW_DIR = folder / "previews"
    return lambda address="198.51.100.7": Visitor(port, address)


@functools.cache
def password_hash():
    """PASSWORD as the served site stores it: its own hasher, not the tests' fast one (tests/conftest.py)."""
    return PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())


def account(role):
    """The role's account (None for anonymous), with a password the served site can check."""
    user = make_role(role)
    if user is not None:
        user.password = password_hash()
        user.save()
    return user


# The permission matrix, over HTTP ---------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
def test_the_permission_matrix_holds_on_the_served_site(name, site, admin_client, admin_form):
    """Every refusal of the matrix, and every read it allows, answered by gunicorn.

    Allowed writes are left to tests/test_permission_matrix.py, which undoes
    each: here nothing is undone, and each refused write must leave every
    table exactly as it was.
    """
    world = build_world()
    forms = {}

    def form_data(url):
        if url not in forms:
            forms[url] = admin_form(admin_client, url)
        return dict(forms[url])

    problems = []
    sent = 0
    for role in ROLES:
        user = account(role)
        visitor = site()
        if user is None:
            visitor.get(f"{ADMIN}login/")  # a CSRF cookie, so that what refuses is the login, not CSRF
        else:
            visitor.force_login(user)
        for state in (Status.DRAFT, Status.PUBLISHED) if name != "topic" else (Status.DRAFT,):
            for probe in probes(name, state):
                if probe.writes and role in CAPABILITIES[probe.capability]:
                    continue
                before = snapshot() if probe.writes else None
                response = send(visitor, form_data, probe, name, world, state)
                sent += 1
                changed = probe.writes and snapshot() != before
                if problem := verdict(probe, role, response, changed):
                    problems.append(f"{role}: {probe.method} {probe.route} on a {state} {name}: {problem}")
    assert not problems, "\n".join(problems)
    assert sent > 50


# Anonymous visitors ----------------------------------------------------------------


def admin_paths(pks):
    """Every route of the admin with real ids in it, from the admin's own URL patterns."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for route in walk(admin.site.get_urls()):
        app_model = "/".join(route.split("/")[:2])
        pk = pks.get(app_model)
        if route == "(?P<url>.*)$":
            yield "no-such-page/"
        elif route.startswith("r/"):
            yield f"r/{pks['contenttype']}/{pks['records/person']}/"
        elif "^([^/]+)/history/([^/]+)/$" in route:
            yield f"{app_model}/{pk}/history/{pks['history']}/"
        elif "<path:object_id>" in route:
            yield route.replace("<path:object_id>", str(pk))
        else:
            yield route


def test_anonymous_visitors_reach_no_admin_import_or_export_page(site):
    from django.contrib.contenttypes.models import ContentType

    world = build_world()
    pks = {
        f"{model._meta.app_label}/{model._meta.model_name}": model._default_manager.values_list("pk", flat=True)[0]
        for model in admin.site._registry
        if model._default_manager.exists()
    }
    person = world.records[Status.PUBLISHED]["person"]
    pks["history"] = person.history.earliest().history_id
    pks["contenttype"] = ContentType.objects.get_for_model(Person).pk
    pks["records/person"] = person.pk
    visitor = site()
    visitor.get(f"{ADMIN}login/")
    before = snapshot()
    paths = sorted(set(admin_paths(pks)) - {"login/"})
    assert any(path.endswith("/import/") for path in paths) and any(path.endswith("/export/") for path in paths)
    for path in paths:
        for method in ("GET", "POST"):
            data = {"format": "0", "resource": "0"} if method == "POST" else None
            answer = visitor.request(method, ADMIN + path, data)
            assert answer.status_code == 302, (method, path, answer.status_code)
            # Logging out, with no one logged in, leads back to the index, and from there to the login.
            to = ADMIN if path == "logout/" else f"{ADMIN}login/"
            assert answer["Location"].startswith(to), (method, path, answer["Location"])
    assert snapshot() == before


# CSRF --------------------------------------------------------------------------------


def test_admin_forms_refuse_a_request_without_its_csrf_token(site, admin_client, admin_form):
    editor = account("editor")
    draft = Person.objects.create(slug="draft", name="A Draft", status=Status.DRAFT)
    url = f"/admin/records/person/{draft.pk}/change/"
    data = admin_form(admin_client, url) | {"summary": "Changed by a forged form."}
    visitor = site()
    assert visitor.log_in(editor.username, PASSWORD).status_code == 302

    forged = visitor.post(url, data, csrf=False)
    assert forged.status_code == 403 and b"CSRF" in forged.content
    other_site = visitor.post(url, data, origin="https://attacker.example")
    assert other_site.status_code == 403
    draft.refresh_from_db()
    assert draft.summary == ""

    assert visitor.post(url, data).status_code == 302  # the same form, with its token, from the site itself
    draft.refresh_from_db()
    assert draft.summary == "Changed by a forged form."


def test_the_login_form_itself_needs_its_csrf_token(site):
    account("editor")
    visitor = site()
    visitor.get(f"{ADMIN}login/")
    answer = visitor.post(f"{ADMIN}login/", {"username": "editor", "password": PASSWORD}, csrf=False)
    assert answer.status_code == 403 and "sessionid" not in visitor.cookies


# Password guessing -------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_login_until_an_administrator_unlocks_it(site, settings):
    account("editor")
    guesser = site("203.0.113.66")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        answer = guesser.log_in("editor", f"wrong-{attempt}")
        assert answer.status_code == 200 and b"Please enter the correct username and password" in answer.content
    locked = guesser.log_in("editor", "wrong-again")
    assert locked.status_code == 429 and b"Login locked" in locked.content
    assert guesser.log_in("editor", PASSWORD).status_code == 429  # the right password too, while locked
    # The lock is on the account from that address: the editor, elsewhere, still logs in.
    assert site("198.51.100.20").log_in("editor", PASSWORD).status_code == 302

    call_command("axes_reset_username", "editor", verbosity=0)  # docs/operations.md: how to unlock
    assert guesser.log_in("editor", PASSWORD).status_code == 302


# Headers -------------------------------------------------------------------------------


def test_every_answer_carries_the_security_headers(site, statement):
    visitor = site()
    pages = {
        "public page": "/statements/middle-power/",
        "list": "/statements/",
        "not found": "/people/nobody/",
        "admin login": f"{ADMIN}login/",
    }
    for what, path in pages.items():
        answer = visitor.get(path)
        assert answer.status_code in (200, 404), what
        assert answer["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", what
        assert (
            "default-src" in answer["Content-Security-Policy"]
            and "frame-ancestors" in answer["Content-Security-Policy"]
        ), what
        assert answer["X-Content-Type-Options"] == "nosniff", what
        assert answer["Referrer-Policy"] == "same-origin", what
        assert answer["X-Frame-Options"] == "DENY", what
    login = visitor.get(f"{ADMIN}login/").cookies["csrftoken"]
    assert login["secure"] and login["samesite"] == "Lax"


def test_session_cookies_are_secure_and_end_with_the_browser(site):
    editor = account("editor")
    answer = site().log_in(editor.username, PASSWORD)
    cookie = answer.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes


def test_plain_http_is_sent_to_https_except_the_health_check(site):
    visitor = site()
    visitor.https = False
    answer = visitor.get("/statements/")
    assert answer.status_code == 301 and answer["Location"] == f"https://127.0.0.1:{visitor.port}/statements/"
    assert "Strict-Transport-Security" not in answer.headers  # only ever sent over HTTPS
    assert visitor.get("/healthz").text == "ok\n"


def test_the_admin_answers_only_at_its_configured_address(site):
    visitor = site()
    moved = visitor.request("GET", "/office/")
    assert moved.status_code == 302 and moved["Location"].startswith("/office/login/")
    old = http.client.HTTPConnection("127.0.0.1", visitor.port, timeout=10)
    old.request("GET", "/admin/", headers={"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{visitor.port}"})
    assert old.getresponse().status == 404


def test_the_served_site_is_the_production_configuration(site):
    """The site under test is what production runs: DEBUG off (no debug page), hashed static files."""
    visitor = site()
    page = visitor.get("/people/nobody/")
    assert page.status_code == 404 and b"Not found" in page.content and b"Traceback" not in page.content
    home = visitor.get("/").text
    assert "/static/records/site." in home and ".css" in home and "/static/records/site.css" not in home
