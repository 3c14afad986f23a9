import datetime
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connections, transaction
from playwright.sync_api import expect, sync_playwright

from records.models import Event, Membership, Organization, Person, Source, Statement, Status
from records.roles import EDITORS, REVIEWERS

PUBLISHED = Status.PUBLISHED
ARTICLE_FIXTURES = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    # Accounts are made by the hundred here; a deliberately slow hash would dominate the run.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test rolls its data back, and with it the data version; pages cached by another test must go too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def shared_article(django_db_setup, django_db_blocker):
    """The founding article loaded once for a module of tests that read it, and gone after the module.

    The records are written in a transaction that stays open while the module
    runs and is rolled back at its end. Each test still runs in a transaction of
    its own (a savepoint inside this one), so what a test writes is undone
    before the next; tests request it through their module's `article` fixture
    together with `db`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *ARTICLE_FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def log_in():
    """Log in through the admin's login form, as a person does (and as django-axes counts); True if it worked."""
    from django.conf import settings

    def post(client, username, password):
        response = client.post(f"/{settings.ADMIN_URL}login/", {"username": username, "password": password})
        return response.status_code == 302

    return post


def create_staff(username, group=None, permissions=()):
    """A staff account in one of the roles' groups, or with just the given permission codenames."""
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if permissions:
        user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    return user


@pytest.fixture
def make_staff(db):
    return create_staff


@pytest.fixture
def editor(db):
    return create_staff("editor", EDITORS)


@pytest.fixture
def reviewer(db):
    return create_staff("reviewer", REVIEWERS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def person(db):
    return Person.objects.create(slug="hikmet-hajiyev", name="Hikmet Hajiyev", status=PUBLISHED)


@pytest.fixture
def state(db):
    return Organization.objects.create(
        slug="azerbaijan", name="Republic of Azerbaijan", classification="state", status=PUBLISHED
    )


@pytest.fixture
def body(db):
    return Organization.objects.create(
        slug="d-8",
        name="Developing-8 Organization for Economic Cooperation",
        abbreviation="D-8",
        classification="intergovernmental",
        status=PUBLISHED,
    )


@pytest.fixture
def source(db):
    publisher = Organization.objects.create(slug="azernews", name="AzerNEWS", classification="media", status=PUBLISHED)
    return Source.objects.create(
        slug="azernews-2026-03-12",
        title="Hikmet Hajiyev at the Global Baku Forum",
        publisher=publisher,
        published_at=datetime.datetime(2026, 3, 12, 13, 15, tzinfo=datetime.UTC),
        utc_offset_minutes=240,
        status=PUBLISHED,
    )


@pytest.fixture
def event(db):
    return Event.objects.create(slug="global-baku-forum", name="Global Baku Forum", classification="forum")


@pytest.fixture
def membership(state, body):
    return Membership.objects.create(member_organization=state, organization=body, kind="member", status=PUBLISHED)


@pytest.fixture
def statement(person, source, event):
    return Statement.objects.create(
        slug="middle-power",
        speaker_person=person,
        event=event,
        source=source,
        kind="paraphrase",
        text="Countries like Azerbaijan rely on middle-power diplomacy.",
        date="2026-03-12",
        status=PUBLISHED,
    )


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def _form_values(form, data):
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is True:
            data[key] = "on"
        else:
            data[key] = str(value)


@pytest.fixture
def admin_form():
    """The data an admin change or add page would submit untouched, to change before posting."""

    def read(client, url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        data = {}
        _form_values(response.context["adminform"].form, data)
        for inline in response.context.get("inline_admin_formsets", []):
            formset = inline.formset
            _form_values(formset.management_form, data)
            # Blank rows too, with their defaults, as a browser sends them.
            for form in formset.forms:
                _form_values(form, data)
        return data

    return read


# Browser tests -------------------------------------------------------------------
# Debian's Chromium (/usr/bin/chromium) driven headless through Playwright, never
# a browser of `playwright install`. Used by the tests marked `browser`.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_TIMEOUT_MS = 15000


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """Chromium started once for the run, headless; each browser test's Playwright connects to it.

    Playwright itself is started per test (the `browser` fixture): while it
    runs, its event loop makes the ORM calls of this thread use connections of
    their own, which must not leak into the tests around it.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test does it when run as root)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = tmp_path_factory.mktemp("chromium-profile")
    command = [
        CHROMIUM,
        "--headless",
        f"--remote-debugging-port={port}",
        "--remote-debugging-address=127.0.0.1",
        f"--user-data-dir={profile}",
        *CHROMIUM_ARGS,
        "about:blank",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BROWSER_TIMEOUT_MS / 1000
        while True:
            try:
                urllib.request.urlopen(f"{address}/json/version", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{CHROMIUM} did not start (exit status {process.poll()})") from None
                time.sleep(0.1)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def allow_async_unsafe(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes meanwhile would otherwise raise SynchronousOnlyOperation.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(chromium, allow_async_unsafe):
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(chromium)
        expect.set_options(timeout=BROWSER_TIMEOUT_MS)
        try:
            yield browser
        finally:
            # While Playwright runs, its event loop counts as running in this thread, so
            # the ORM calls of the test got connections of their own (kept per context,
            # not per thread) that Django's teardown never sees: close them here, or
            # PostgreSQL refuses to drop the test database at the end of the run.
            connections.close_all()
            expect.set_options(timeout=None)
            browser.close()  # the connection to Chromium, and the test's contexts; Chromium goes on


@pytest.fixture
def page(browser):
    """A page in a context of its own: cookies and storage are the test's alone."""
    page = browser.new_context().new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    return page


# The run's order and selection ---------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="leave out the tests that never touch the database (scripts/test runs those on SQLite alone)",
    )


LEFT_OUT = pytest.StashKey[int]()


def uses_database(item):
    """Whether a test reaches the database, as pytest-django decides it: a db fixture, live_server or the marker.

    pytest-django refuses any query from a test without one of these, so a
    test judged database-free cannot be one that quietly needs the database.
    """
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & {"_django_db_helper", "live_server"}) or item.get_closest_marker("django_db") is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """With --database-tests-only (scripts/test's PostgreSQL run), leave out the tests that never touch the database.

    They prove the same on either database; the SQLite run has them.
    """
    if config.getoption("database_tests_only"):
        left_out = [item for item in items if not uses_database(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if uses_database(item)]
        config.stash[LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config):
    if LEFT_OUT in config.stash:
        terminalreporter.write_line(
            f"{config.stash[LEFT_OUT]} tests that never touch the database were left out (--database-tests-only)"
        )
