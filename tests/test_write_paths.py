"""The census of write paths: every way the code base writes a record keeps the derived data right.

The search text, the statements' visibility flag and the data version are
derived (records/derived.py). Here every way of writing a records model is
listed: the model's and querysets' writing methods, the many-to-many
managers, the management commands, the admin's views and actions. Each is
run on the founding article and must leave the three values right: every
stored search text and flag equal to what is computed afresh, and the
version advanced. A writing method, command, admin view or action that is
not listed fails the enumeration tests until it is added here.
"""

import inspect
from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.db.models import Exists, OuterRef
from django.test import override_settings
from django.urls import URLPattern, URLResolver

from records import derived, visibility
from records.models import DataVersion, Identifier, Organization, OtherName, Person, Source, Statement, Status, Topic

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"
ARTICLE_TEXT = ROOT / "tests" / "data" / "articles" / "azernews-2026-03-12-hajiyev-global-baku-forum.txt"
POPOLO = ROOT / "tests" / "data" / "popolo" / "real"
DRAFT, PUBLISHED = Status.DRAFT, Status.PUBLISHED


# What is right ------------------------------------------------------------------------


def derived_state():
    """Every stored search text and flag, and every one that is wrong (stored differs from computed afresh)."""
    stored, wrong = {}, []
    for model in derived.record_models():
        if derived.searchable(model):
            records = list(model._base_manager.all())
            extra = derived.extra_texts(model, [record.pk for record in records])
            for record in records:
                text = getattr(record, model.search_field)
                stored[(model.__name__, record.pk)] = text
                if text != derived.search_text(record, extra.get(record.pk, ())):
                    wrong.append(f"{model.__name__} {record.pk}: stale search text {text!r}")
        if getattr(model, "public_flag", None):
            flag = model.public_flag
            holds = Exists(model._base_manager.filter(pk=OuterRef("pk")).filter(visibility.rule(model)))
            for pk, value, right in model._base_manager.annotate(right=holds).values_list("pk", flag, "right"):
                stored[(model.__name__, pk, flag)] = value
                if value != right:
                    wrong.append(f"{model.__name__} {pk}: {flag} is {value}, the rule says {right}")
    return stored, wrong


@pytest.fixture
def article(shared_article, db):
    """The article, loaded once for the module (tests/conftest.py); each scenario's writes are undone after it."""
    return {
        "person": Person.objects.get(slug="hikmet-hajiyev"),
        "source": Source.objects.get(),
        "state": Organization.objects.get(slug="azerbaijan"),
        "statement": Statement.objects.order_by("pk").first(),
        "topic": Topic.objects.order_by("pk").first(),
    }


@pytest.fixture
def kept_right(article):
    """Run a write and prove it kept the derived data: something derived changed, nothing stale, the version moved."""

    def check(write, setup=None):
        if setup is not None:
            setup()
        before, wrong = derived_state()
        assert not wrong, wrong
        version = DataVersion.current().number
        write()
        after, wrong = derived_state()
        assert not wrong, wrong
        assert after != before, "the write changed nothing derived: the scenario proves nothing"
        assert DataVersion.current().number > version, "the data version did not move"

    return check


# Model, queryset and related-manager methods ------------------------------------------


def _save(w):
    w["person"].name = "Hikmət Hacıyev"
    w["person"].save()
    w["source"].status = DRAFT
    w["source"].save(update_fields=["status"])


def _delete(w):
    OtherName.objects.filter(person=w["person"]).first().delete()


def _create(w):
    OtherName.objects.create(person=w["person"], name="Хикмет Гаджиев", language="ru")
    Statement.objects.create(slug="new", speaker_person=w["person"], source=w["source"], kind="quote", text="Söz")


def _get_or_create(w):
    Identifier.objects.get_or_create(person=w["person"], scheme="viaf", value="123456")


def _update_or_create(w):
    Person.objects.update_or_create(slug=w["person"].slug, defaults={"name": "Hikmat Hajiyev"})


def _bulk_create(w):
    Person.objects.bulk_create([Person(slug="ilham-aliyev", name="İlham Əliyev")])
    OtherName.objects.bulk_create([OtherName(person=w["person"], name="Hikmet Hacıyev")])


def _bulk_update(w):
    name = OtherName.objects.filter(person=w["person"]).first()
    name.person, name.organization = None, w["state"]  # moves to another owner: both texts change
    OtherName.objects.bulk_update([name], ["person", "organization"])
    w["statement"].text = "Yeni mətn"
    Statement.objects.bulk_update([w["statement"]], ["text"])


def _update(w):
    Source.objects.filter(pk=w["source"].pk).update(status=DRAFT)
    Topic.objects.filter(pk=w["topic"].pk).update(name="Çoxtərəflilik")
    Person.objects.filter(pk=w["person"].pk).update(name="Hikmat Hajiyev")


def _queryset_delete(w):
    Identifier.objects.filter(organization=w["state"]).delete()


def _links_add(w):
    w["statement"].topics.add(Topic.objects.create(slug="baku", name="Bakı"))


def _links_create(w):
    w["statement"].topics.create(slug="forum", name="Forum")


def _links_remove(w):
    w["statement"].topics.remove(*w["statement"].topics.all())


def _links_set(w):
    w["statement"].topics.set([Topic.objects.create(slug="peace", name="Sülh")])


def _links_clear(w):
    w["topic"].statements.clear()  # from the topic's side: its statements lose its name


def _related_update(w):
    w["person"].other_names.update(name="Başqa ad")


METHODS = {
    # Model
    "save": _save,
    "delete": _delete,
    # QuerySet (the managers offer the same)
    "create": _create,
    "get_or_create": _get_or_create,
    "update_or_create": _update_or_create,
    "bulk_create": _bulk_create,
    "bulk_update": _bulk_update,
    "update": _update,
    "queryset.delete": _queryset_delete,
    # Many-to-many and reverse related managers
    "add": _links_add,
    "links.create": _links_create,
    "remove": _links_remove,
    "set": _links_set,
    "clear": _links_clear,
    "related.update": _related_update,
}
# Writing methods reached only through those above: Django's internals and async twins.
THROUGH_OTHERS = {
    "_update": "save",
    "_raw_delete": "delete (the collector; fast deletes never apply: every model has receivers)",
    "_insert": "save",
    "_batched_insert": "bulk_create",
    "_remove_items": "remove",
    "_add_items": "add",
    "_clear": "clear",
    "_remove_prefetched_objects": "remove",
    "_do_insert": "save",
    "_do_update": "save",
    "_save_parents": "save",
    "_save_table": "save",
    "save_base": "save (fixtures' raw saves too)",
    "_prepare_related_fields_for_save": "save",
}


def writing_methods(cls):
    """Every method of `cls` that Django or this code base marks as writing (alters_data), but async twins."""
    members = dict(inspect.getmembers(cls, callable))
    return {
        name
        for name, member in members.items()
        if getattr(member, "alters_data", False) and not (name.startswith("a") and name[1:] in members)
    }


def test_every_writing_method_of_models_querysets_and_managers_is_in_the_census(article):
    found = set()
    for model in derived.record_models():
        found |= writing_methods(model)
        found |= {name for name in writing_methods(type(model._default_manager.all()))}
    statement = article["statement"]
    found |= writing_methods(type(statement.topics)) | writing_methods(type(article["person"].other_names))
    named = {name.rsplit(".", 1)[-1] for name in METHODS} | set(THROUGH_OTHERS)
    assert found - named == set(), "writing methods missing from the census (METHODS): add a scenario"


@pytest.mark.parametrize("method", METHODS)
def test_every_writing_method_keeps_the_derived_data(kept_right, article, method):
    kept_right(lambda: METHODS[method](article))


# Management commands ------------------------------------------------------------------

COMMANDS_THAT_WRITE = {"import_csv", "import_popolo", "draft_article", "setup_local"}
COMMANDS_THAT_DO_NOT = {
    "export_csv": "reads",
    "export_popolo": "reads",
    "build_downloads": "reads, writes files",
    "add_curator": "writes an account, no record",
}


def test_every_management_command_is_in_the_census():
    ours = {name for name, app in get_commands().items() if app == "records"}
    assert ours == COMMANDS_THAT_WRITE | set(COMMANDS_THAT_DO_NOT)


def _import_csv(w, tmp_path):
    (tmp_path / "people.csv").write_text("slug,name,status\nhikmet-hajiyev,Hikmat Hajiyev,draft\n")
    call_command("import_csv", str(tmp_path), verbosity=0)


def _import_popolo(w, tmp_path):
    call_command("import_popolo", str(POPOLO / "bhutan-assembly.json"), verbosity=0)


def _draft_article(w, tmp_path):
    text = tmp_path / "article.txt"
    text.write_text(ARTICLE_TEXT.read_text())
    call_command(
        "draft_article",
        str(text),
        url="https://example.org/another-copy",
        publisher="AzerNEWS",
        published="2026-03-12 17:15+04:00",
        write=True,
        verbosity=0,
    )


def no_records():
    """The empty database setup_local fills."""
    call_command("flush", interactive=False, verbosity=0)


def _setup_local(w, tmp_path):
    with override_settings(DEBUG=True):
        call_command("setup_local", verbosity=0, stdout=StringIO())


COMMAND_SCENARIOS = {
    "import_csv": _import_csv,
    "import_popolo": _import_popolo,
    "draft_article": _draft_article,
    "setup_local": _setup_local,
}


@pytest.mark.parametrize("command", sorted(COMMANDS_THAT_WRITE))
def test_every_command_that_writes_keeps_the_derived_data(kept_right, article, command, tmp_path):
    kept_right(
        lambda: COMMAND_SCENARIOS[command](article, tmp_path), setup=no_records if command == "setup_local" else None
    )


# The admin ------------------------------------------------------------------------------

# Each admin route by the last part of its URL name (records_person_change -> change).
ADMIN_ROUTES_THAT_WRITE = {"add", "change", "delete", "changelist", "simple_history", "process_import", "draft"}
ADMIN_ROUTES_THAT_DO_NOT = {
    "history": "reads",
    "import": "a preview: the import is rolled back",
    "export": "reads",
}
ACTIONS = {"publish", "unpublish", "merge", "delete_selected"}


def admin_route_names():
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name.startswith("records_"):
                names.add(pattern.name)

    walk(admin.site.get_urls())
    return names


def test_every_admin_route_and_action_is_in_the_census(rf, admin_user):
    kinds = set()
    for name in admin_route_names():
        model = name.split("_")[1]
        kinds.add(name.removeprefix(f"records_{model}_"))
    assert kinds == ADMIN_ROUTES_THAT_WRITE | set(ADMIN_ROUTES_THAT_DO_NOT)
    request = rf.get("/")
    request.user = admin_user
    actions = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "records":
            actions |= set(model_admin.get_actions(request))
    assert actions == ACTIONS


def _admin_add(client, admin_form, w):
    url = "/admin/records/othername/add/"
    data = admin_form(client, url) | {"person": w["person"].pk, "name": "Hikmet Hajiyev (aide)", "language": "en"}
    assert client.post(url, data).status_code == 302


def _admin_change(client, admin_form, w):
    url = f"/admin/records/source/{w['source'].pk}/change/"
    data = admin_form(client, url) | {"status": DRAFT, "title": "Bir başlıq"}
    assert client.post(url, data).status_code == 302


def _admin_delete(client, admin_form, w):
    identifier = Identifier.objects.filter(organization=w["state"]).first()
    response = client.post(f"/admin/records/identifier/{identifier.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302


def _admin_revert(client, admin_form, w):
    person = w["person"]
    person.name = "Hikmat Hajiyev"
    person.save()
    first = person.history.order_by("history_id").first()
    url = f"/admin/records/person/{person.pk}/history/{first.history_id}/"
    assert client.post(url, admin_form(client, url)).status_code == 302


def _admin_process_import(client, admin_form, w):
    text = b"slug,name,status\nhikmet-hajiyev,Hikmat Hajiyev,published\n"
    upload = SimpleUploadedFile("people.csv", text, content_type="text/csv")
    preview = client.post("/admin/records/person/import/", {"format": "0", "resource": "0", "import_file": upload})
    form = preview.context["confirm_form"]
    data = {name: field.initial or form.initial.get(name, "") for name, field in form.fields.items()}
    assert client.post("/admin/records/person/process_import/", data).status_code == 302


def _admin_draft(client, admin_form, w):
    form = {
        "text": ARTICLE_TEXT.read_text(),
        "url": "https://example.org/another-copy",
        "publisher": "AzerNEWS",
        "published": "2026-03-12 17:15+04:00",
        "author": "",
    }
    review = client.post("/admin/records/source/draft/", form)
    keys = [row["proposal"].key for row in review.context["rows"] if row["ticked"]]
    assert keys, "the reader proposed nothing to write"
    assert client.post("/admin/records/source/draft/", form | {"confirm": "1", "keys": keys}).status_code == 302


def _action(model, name, records, **data):
    def post(client, admin_form, w):
        selected = [record.pk for record in records(w)]
        url = f"/admin/records/{model}/"
        response = client.post(url, {"action": name, "_selected_action": selected, **data})
        assert response.status_code in (200, 302), response.status_code

    return post


def _merge(client, admin_form, w):
    twin = Person.objects.create(slug="twin", name="Hikmet Gadzhiev", status=DRAFT)
    Statement.objects.filter(pk=w["statement"].pk).update(speaker_person=twin)  # hidden: its speaker is a draft
    kept = w["person"].pk
    data = {"action": "merge", "_selected_action": [kept, twin.pk], "keep": kept, "confirm": "1"}
    response = client.post("/admin/records/person/", data | {"conflict:status": kept}, follow=True)
    assert not Person.objects.filter(pk=twin.pk).exists(), response.content.decode()[:2000]


ADMIN_SCENARIOS = {
    "add": _admin_add,
    "change": _admin_change,
    "delete": _admin_delete,
    "simple_history": _admin_revert,
    "process_import": _admin_process_import,
    "draft": _admin_draft,
    "changelist: unpublish": _action("source", "unpublish", lambda w: [w["source"]]),
    "changelist: publish": _action("person", "publish", lambda w: [Person.objects.create(slug="p", name="Ə")]),
    "changelist: delete_selected": _action(
        "othername", "delete_selected", lambda w: OtherName.objects.filter(person=w["person"]), post="yes"
    ),
    "changelist: merge": _merge,
}


def test_the_admin_scenarios_cover_every_route_and_action_that_writes():
    routes = {name.split(":")[0] for name in ADMIN_SCENARIOS}
    actions = {name.split(": ")[1] for name in ADMIN_SCENARIOS if name.startswith("changelist: ")}
    assert routes == ADMIN_ROUTES_THAT_WRITE and actions == ACTIONS


@pytest.mark.parametrize("route", ADMIN_SCENARIOS)
def test_every_admin_route_and_action_that_writes_keeps_the_derived_data(
    kept_right, article, admin_client, admin_form, route
):
    kept_right(lambda: ADMIN_SCENARIOS[route](admin_client, admin_form, article))


def test_the_census_is_not_fooled_by_a_write_that_skips_the_upkeep(article):
    """The check itself: a raw update that bypasses derived.py is caught."""
    Person._base_manager.filter(pk=article["person"].pk).update(name="Someone Else")
    Source._base_manager.filter(pk=article["source"].pk).update(status=DRAFT)
    _, wrong = derived_state()
    assert any("Person" in line for line in wrong) and any("public is True" in line for line in wrong)
