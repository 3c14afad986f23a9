"""Every admin route, every role, on draft and on published records: the review rule holds everywhere.

What each role may do is the table CAPABILITIES of records/roles.py, the
one docs/operations.md shows. Each route of the admin is sent a request
here as each role; where the role may do what the route does, the request
succeeds (and, for a write, the database changes), and where it may not, it
gets the refusal named below and the database is left exactly as it was.

A new admin URL or change-list action fails test_every_admin_route_is_probed
until it gets probes of its own here.
"""

import types
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver

from records import previews, resources
from records.models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Link,
    Membership,
    Organization,
    OtherName,
    Person,
    Post,
    Source,
    Statement,
    Status,
    Topic,
)
from records.resources import RESOURCES
from records.roles import CAPABILITIES, EDITORS, PARTS, REVIEWERS, ROLES, capability_table

SEE = "see the records, their lists and history"
ADD = "add drafts"
CHANGE_DRAFT = "change drafts and their parts"
DELETE_PARTS = "delete the parts of drafts (other names, identifiers, links, participants, citations, mentions)"
REVERT_DRAFT = "revert a draft to an earlier draft version"
IMPORT_DRAFTS = "import drafts"
EXPORT = "export files"
PUBLISH = "publish and unpublish"
CHANGE_PUBLISHED = "change published records and their parts"
REVERT_PUBLISHED = "revert to or from a published version"
IMPORT_PUBLISHED = "import published records, or changes to them"
DELETE = "delete records"
MERGE = "merge two people, or two organizations, into one"

DRAFT, PUBLISHED = Status.DRAFT, Status.PUBLISHED

# The field each probe changes, in forms and files alike.
CHANGES = {
    "person": ("summary", "Changed in the matrix."),
    "organization": ("summary", "Changed in the matrix."),
    "membership": ("end_date", "2030"),
    "event": ("summary", "Changed in the matrix."),
    "post": ("area", "Changed in the matrix"),
    "statement": ("speaker_role", "Changed in the matrix"),
    "source": ("note", "Changed in the matrix."),
    "topic": ("name", "Changed in the matrix"),
    "othername": ("note", "changed in the matrix"),
    "identifier": ("value", "changed-in-the-matrix"),
    "link": ("note", "changed in the matrix"),
    "eventparticipant": ("note", "changed in the matrix"),
    "citation": ("excerpt", "changed in the matrix"),
}


# The records ------------------------------------------------------------------------


def build_world():
    """One draft and one published record of every kind (a part of a draft or of a published record)."""
    person = Person.objects.create(slug="ref-person", name="Reference Person", status=PUBLISHED)
    org = Organization.objects.create(slug="ref-org", name="Reference Org", classification="state", status=PUBLISHED)
    source = Source.objects.create(slug="ref-source", title="Reference Source", status=PUBLISHED)
    world = types.SimpleNamespace(person=person, org=org, source=source, records={})
    for state in (DRAFT, PUBLISHED):
        owner = Person.objects.create(slug=f"person-{state}", name=f"Person {state}", status=state)
        event = Event.objects.create(slug=f"event-{state}", name=f"Event {state}", classification="forum", status=state)
        membership = Membership.objects.create(
            member_person=person, organization=org, role=f"role {state}", status=state
        )
        for number in (1, 2):  # two, so that one may go without uncovering the fact
            Citation.objects.create(source=source, membership=membership, excerpt=f"passage {number}")
        Citation.objects.create(source=source, event=event, excerpt="the event")
        post = Post.objects.create(slug=f"post-{state}", label=f"Post {state}", organization=org, status=state)
        Citation.objects.create(source=source, post=post, excerpt="the post")
        world.records[state] = {
            "person": owner,
            "organization": Organization.objects.create(
                slug=f"org-{state}", name=f"Org {state}", classification="other", status=state
            ),
            "membership": membership,
            "event": event,
            "post": post,
            "statement": Statement.objects.create(
                slug=f"statement-{state}",
                speaker_person=person,
                source=source,
                kind="paraphrase",
                text=f"A statement, {state}.",
                status=state,
            ),
            "source": Source.objects.create(slug=f"source-{state}", title=f"Source {state}", status=state),
            "othername": OtherName.objects.create(person=owner, name=f"Other name {state}"),
            "identifier": Identifier.objects.create(person=owner, scheme="test", value=state),
            "link": Link.objects.create(person=owner, url=f"https://example.org/{state}"),
            "eventparticipant": EventParticipant.objects.create(event=event, person=person),
            "citation": membership.citations.first(),
        }
        # A duplicate to merge the record with: always a draft, so that a published record disagrees on its status.
        world.records[state]["twin"] = {
            "person": Person.objects.create(slug=f"person-{state}-twin", name=f"Person {state} again"),
            "organization": Organization.objects.create(
                slug=f"org-{state}-twin", name=f"Org {state} again", classification="other"
            ),
        }
    world.records[DRAFT]["topic"] = Topic.objects.create(name="Topic", slug="topic")
    return world


def new_record_data(name, world, state):
    """The fields of a new record as the add form takes them; a part goes onto the record of `state`."""
    records = world.records[state]
    return {
        "person": {"name": "New Person", "slug": "new-person"},
        "organization": {"name": "New Org", "slug": "new-org", "classification": "other"},
        "membership": {
            "member_person": world.person.pk,
            "organization": world.org.pk,
            "role": "new role",
            "kind": "member",
        },
        "event": {"name": "New Event", "slug": "new-event", "classification": "forum"},
        "post": {"label": "New Post", "slug": "new-post", "organization": world.org.pk},
        "statement": {
            "slug": "new-statement",
            "kind": "quote",
            "text": "New words.",
            "language": "en",
            "speaker_person": world.person.pk,
            "source": world.source.pk,
        },
        "source": {"title": "New Source", "slug": "new-source", "language": "en"},
        "topic": {"name": "New Topic", "slug": "new-topic"},
        "othername": {"person": records["person"].pk, "name": "New other name"},
        "identifier": {"person": records["person"].pk, "scheme": "test", "value": "new"},
        "link": {"person": records["person"].pk, "url": "https://example.org/new"},
        "eventparticipant": {"event": records["event"].pk, "person": world.person.pk, "role": "moderator"},
        "citation": {"source": world.source.pk, "membership": records["membership"].pk, "excerpt": "new"},
    }[name]


def snapshot():
    """Every row of every table a route could write: the records, their history, accounts."""
    from django.apps import apps

    models = [*apps.get_app_config("records").get_models(include_auto_created=True), get_user_model(), Group]
    with connection.cursor() as cursor:  # plain SQL: this runs twice for every write probed
        rows = {}
        for model in models:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)} ORDER BY 1")
            rows[model._meta.db_table] = cursor.fetchall()
    return rows


def import_file(name, record):
    """The record exported as its CSV file, with one field changed."""
    resource = RESOURCES[next(key for key, cls in RESOURCES.items() if cls._meta.model is type(record))]()
    dataset = resource.export(queryset=type(record).objects.filter(pk=record.pk))
    column, value = CHANGES[name]
    rows = dataset.dict
    rows[0][column] = value
    dataset.dict = rows
    return dataset.csv


# The roles --------------------------------------------------------------------------


def make_role(role):
    if role == "anonymous":
        return None
    user = get_user_model().objects.create_user(username=role.replace(" ", "-").replace(",", ""), is_staff=True)
    if role == "editor":
        user.groups.add(Group.objects.get(name=EDITORS))
    elif role == "reviewer":
        user.groups.add(Group.objects.get(name=REVIEWERS))
    elif role == "view-only staff":
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="records", codename__startswith="view_")
        )
    return user


# The probes -------------------------------------------------------------------------


@dataclass
class Probe:
    route: str  # the admin URL name, after app and model
    method: str
    capability: str
    writes: bool
    allowed_status: int
    # The answer to a logged-in role that may reach the route (has `gate`)
    # but may not do this: 403 unless said otherwise, by role where it differs.
    refused_status: int | dict = 403
    gate: str = ""

    def refusal(self, role):
        if role not in CAPABILITIES.get(self.gate, ()):
            return 403
        if isinstance(self.refused_status, dict):
            return self.refused_status.get(role, self.refused_status["else"])
        return self.refused_status


def probes(name, state):
    part = name in PARTS
    publishable = name not in PARTS and name != "topic"
    changing = CHANGE_DRAFT if state == DRAFT else CHANGE_PUBLISHED
    deleting = (DELETE_PARTS if state == DRAFT else CHANGE_PUBLISHED) if part else DELETE
    found = [
        Probe("changelist", "GET", SEE, False, 200),
        Probe("change", "GET", SEE, False, 200),
        Probe("history", "GET", SEE, False, 200),
        Probe("simple_history", "GET", SEE, False, 200),
        Probe("change", "POST", changing, True, 302),
        Probe("simple_history", "POST", REVERT_DRAFT if state == DRAFT else REVERT_PUBLISHED, True, 302),
        Probe("delete", "GET", deleting, False, 200),
        Probe("delete", "POST", deleting, True, 302),
        Probe("import", "GET", IMPORT_DRAFTS, False, 200),
        Probe("import", "POST", IMPORT_DRAFTS if state == DRAFT else IMPORT_PUBLISHED, False, 200, 200, IMPORT_DRAFTS),
        Probe(
            "process_import",
            "POST",
            IMPORT_DRAFTS if state == DRAFT else IMPORT_PUBLISHED,
            True,
            302,
            302,
            IMPORT_DRAFTS,
        ),
        Probe("export", "GET", EXPORT, False, 200),
        Probe("export", "POST", EXPORT, False, 200),
    ]
    # An action the role may not run is not offered, and Django answers its POST
    # with the list again; an editor is offered deletion of parts, and refused
    # those of published records when confirming.
    refused = {"editor": 403, "else": 200} if part else 200
    found.append(Probe("changelist:delete_selected", "POST", deleting, True, 302, refused, SEE))
    if publishable:
        action = "changelist:publish" if state == DRAFT else "changelist:unpublish"
        found.append(Probe(action, "POST", PUBLISH, True, 302, 200, SEE))
    if name in ("person", "organization"):
        found.append(Probe("changelist:merge", "POST", MERGE, True, 302, 200, SEE))
    if state == DRAFT:
        found.append(Probe("add", "GET", ADD, False, 200))
    if name == "source" and state == DRAFT:
        # Drafting from an article; the form sent lacks its publication date, so the probe never reaches the reading.
        found += [Probe("draft", "GET", ADD, False, 200), Probe("draft", "POST", ADD, False, 200)]
    if state == DRAFT or part:
        # A part added onto a published record: the form says why not.
        found.append(Probe("add", "POST", changing if part else ADD, True, 302, 200, ADD))
    return found


def send(client, form_data, probe, name, world, state):
    record = world.records[state][name]
    base = f"/admin/records/{name}/"
    route, _, action = probe.route.partition(":")
    if route == "changelist":
        if probe.method == "GET":
            return client.get(base)
        if action == "merge":
            twin = world.records[state]["twin"][name]
            data = {"action": "merge", "_selected_action": [record.pk, twin.pk], "keep": record.pk, "confirm": "1"}
            return client.post(base, data | {"conflict:status": record.pk})
        return client.post(base, {"action": action, "_selected_action": [record.pk], "post": "yes", "index": "0"})
    if route == "add":
        if probe.method == "GET":
            return client.get(f"{base}add/")
        return client.post(f"{base}add/", form_data(f"{base}add/") | new_record_data(name, world, state))
    if route == "change":
        url = f"{base}{record.pk}/change/"
        if probe.method == "GET":
            return client.get(url)
        field, value = CHANGES[name]
        return client.post(url, form_data(url) | {field: value})
    if route == "delete":
        url = f"{base}{record.pk}/delete/"
        return client.get(url) if probe.method == "GET" else client.post(url, {"post": "yes"})
    if route == "history":
        return client.get(f"{base}{record.pk}/history/")
    if route == "simple_history":
        url = f"{base}{record.pk}/history/{record.history.earliest().history_id}/"
        return client.get(url) if probe.method == "GET" else client.post(url, form_data(url))
    if route == "import":
        if probe.method == "GET":
            return client.get(f"{base}import/")
        return upload(client, base, import_file(name, record))
    if route == "process_import":
        return client.post(f"{base}process_import/", confirmation(client, base, import_file(name, record)))
    if route == "export":
        if probe.method == "GET":
            return client.get(f"{base}export/")
        return client.post(f"{base}export/", {"format": "0", "resource": "0"})
    if route == "draft":
        if probe.method == "GET":
            return client.get(f"{base}draft/")
        return client.post(f"{base}draft/", {"text": "Text.", "url": "https://example.org/", "publisher": "AzerNEWS"})
    raise AssertionError(f"no request for {probe.route}")


def upload(client, base, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("file.csv", text.encode(), content_type="text/csv")
    return client.post(f"{base}import/", {"format": "0", "resource": "0", "import_file": file})


def confirmation(client, base, text):
    """A confirmation of this file as the role's own preview would make it, offered or not.

    A role whose preview was refused forges one with its own session: the
    confirmation step must refuse again, as it must when a record was
    published between a preview and its confirmation.
    """
    storage = previews.PreviewStorage()
    storage.save(text.encode())
    session = client.session
    request = types.SimpleNamespace(user=types.SimpleNamespace(pk=session.get("_auth_user_id")), session=session)
    return {
        "import_file_name": previews.sign(storage.name, request),
        "original_file_name": "file.csv",
        "format": "0",
        "resource": "0",
    }


def outcome(probe, response):
    """What the response says happened, beyond its status: a preview offered, an import refused."""
    if probe.route == "import" and probe.method == "POST" and response.status_code == 200:
        return "allowed" if b'name="import_file_name"' in response.content else "refused"  # the confirmation form
    if probe.route == "process_import" and response.status_code == 302:
        return "refused" if response["Location"].endswith("/import/") else "allowed"
    return None


def verdict(probe, role, response, changed):
    """What is wrong with the answer to `probe` sent as `role`, or None; `changed`: whether the database did."""
    allowed = role in CAPABILITIES[probe.capability]
    if allowed:
        expected = probe.allowed_status
    elif role == "anonymous":
        expected = 302  # to the login page
    else:
        expected = probe.refusal(role)
    said = outcome(probe, response)
    if response.status_code != expected:
        return f"{response.status_code}, expected {expected}"
    if probe.writes and changed != allowed:
        return f"the database {'changed' if changed else 'did not change'}"
    if said is not None and role != "anonymous" and (said == "allowed") != allowed:
        return said
    return None


MODELS = sorted(CHANGES)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.IMPORT_PREVIEW_DIR = tmp_path / "previews"
    return build_world()


@pytest.mark.parametrize("name", MODELS)
def test_every_role_gets_what_the_table_says_on_every_route(name, world, admin_client, admin_form, client):
    forms = {}

    def form_data(url):  # what the page's form sends untouched, as the superuser sees it
        if url not in forms:
            forms[url] = admin_form(admin_client, url)
        return dict(forms[url])

    problems = []
    for role in ROLES:
        user = make_role(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        for state in (DRAFT, PUBLISHED) if name != "topic" else (DRAFT,):
            for probe in probes(name, state):
                before = snapshot() if probe.writes else None
                with transaction.atomic():
                    response = send(client, form_data, probe, name, world, state)
                    changed = probe.writes and snapshot() != before
                    transaction.set_rollback(True)
                if problem := verdict(probe, role, response, changed):
                    problems.append(f"{role}: {probe.method} {probe.route} on a {state} {name}: {problem}")
    assert not problems, "\n".join(problems)


# Beyond the records: the admin's own pages and the accounts -------------------------

ACCOUNT_ROUTES = ["changelist", "add", "change", "delete", "history"]


LOGIN_RECORDS = [AccessAttempt, AccessLog, AccessFailureLog]  # django-axes's: unlocking is a superuser's act


def login_records():
    return {model: list(model.objects.order_by("pk").values()) for model in LOGIN_RECORDS}


@pytest.mark.parametrize("role", [role for role in ROLES])
def test_accounts_groups_and_login_records_are_out_of_every_roles_reach(role, db, client):
    user = make_role(role)
    if user is not None:
        client.force_login(user)
    target = get_user_model().objects.create_user(username="someone", is_staff=False)
    group = Group.objects.get(name=EDITORS)
    seen = {"ip_address": "203.0.113.9", "username": "someone", "user_agent": "test", "path_info": "/admin/login/"}
    attempts = [
        AccessAttempt.objects.create(**seen, failures_since_start=5, get_data="", post_data=""),
        AccessLog.objects.create(**seen),
        AccessFailureLog.objects.create(**seen, locked_out=True),
    ]
    before, before_logins = snapshot(), login_records()
    urls = [f"/admin/auth/user/{target.pk}/password/"]
    for app, model, pk in [("auth", "user", target.pk), ("auth", "group", group.pk)] + [
        ("axes", type(attempt)._meta.model_name, attempt.pk) for attempt in attempts
    ]:
        urls += [f"/admin/{app}/{model}/", f"/admin/{app}/{model}/add/"]
        urls += [f"/admin/{app}/{model}/{pk}/{route}/" for route in ("change", "delete", "history")]
    for url in urls:
        for method in ("get", "post"):
            data = {"is_superuser": "on", "username": "someone", "password1": "x9!Kq3vLm2", "password2": "x9!Kq3vLm2"}
            data |= {"action": "delete_selected", "_selected_action": [attempt.pk for attempt in attempts]}
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code == (302 if user is None else 403), (role, method, url)
    assert snapshot() == before
    assert login_records() == before_logins


def test_a_superuser_unlocks_a_login_in_the_admin(admin_client):
    attempt = AccessAttempt.objects.create(
        ip_address="203.0.113.9", username="editor", user_agent="test", failures_since_start=5
    )
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_admins_own_pages_need_a_staff_login(role, world, client):
    user = make_role(role)
    if user is not None:
        client.force_login(user)
    person = world.records[PUBLISHED]["person"]
    content_type = ContentType.objects.get_for_model(Person)
    sees = role in CAPABILITIES[SEE]
    expected = {
        "/admin/": 200,
        "/admin/login/": 302 if user else 200,  # a logged-in user is sent on to the admin
        "/admin/password_change/": 200,
        "/admin/password_change/done/": 200,
        "/admin/jsi18n/": 200,
        "/admin/records/": 200 if sees else 404,
        f"/admin/r/{content_type.pk}/{person.pk}/": 302,
        "/admin/autocomplete/?app_label=records&model_name=membership&field_name=organization": 200 if sees else 403,
        f"/admin/records/person/{person.pk}/": 302,  # the old address of the change page
        "/admin/no-such-page/": 302 if user is None else 404,
    }
    for url, status in expected.items():
        if user is None and not url.startswith("/admin/login/"):
            status = 302
        assert client.get(url).status_code == status, (role, url)
    assert client.post("/admin/logout/").status_code == (200 if user else 302)


def admin_url_names():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield pattern.name or prefix + str(pattern.pattern)

    return set(walk(admin.site.get_urls()))


def test_every_admin_route_is_probed():
    probed = {
        "index",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "autocomplete",
        "jsi18n",
        "view_on_site",
        "app_list",
        "(?P<url>.*)$",  # the catch-all 404
        "auth_user_password_change",
    }
    accounts = [("auth", "user"), ("auth", "group")]
    accounts += [("axes", model._meta.model_name) for model in LOGIN_RECORDS]
    probed |= {f"{app}_{model}_{route}" for app, model in accounts for route in ACCOUNT_ROUTES}
    probed |= {f"{app}/{model}/<path:object_id>/" for app, model in accounts}
    for name in MODELS:
        probed |= {
            f"records_{name}_{probe.route.split(':')[0]}"
            for state in (DRAFT, PUBLISHED)
            for probe in probes(name, state)
        }
        probed |= {f"records_{name}_add", f"records/{name}/<path:object_id>/"}
    unprobed = admin_url_names() - probed
    assert not unprobed, f"admin routes without probes in this file: {sorted(unprobed)}"
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "records"}
    assert registered == set(MODELS)


def test_every_change_list_action_is_probed(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "records":
            assert set(model_admin.get_actions(request)) <= {"publish", "unpublish", "delete_selected", "merge"}, model


def test_the_operators_guide_shows_the_table_the_matrix_holds():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text()
    assert capability_table() in guide


def test_the_resources_cover_every_probed_model():
    assert {cls._meta.model._meta.model_name for cls in resources.RESOURCES.values()} >= set(MODELS)
