"""The published records as Popolo JSON: valid against Popolo's own schemas, complete, and never a draft."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from records.models import Person, Statement, Status

DATA = Path(__file__).resolve().parent / "data" / "popolo"
ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"
SCHEMA = "http://www.popoloproject.com/schemas/{}.json#"
SECTIONS = {"persons": "person", "organizations": "organization", "memberships": "membership"}
SECTIONS |= {"events": "event", "speeches": "speech"}


def validators():
    schemas = [json.loads(path.read_text()) for path in sorted((DATA / "schemas").glob("*.json"))]
    registry = Registry().with_resources((schema["id"], Resource(schema, DRAFT3)) for schema in schemas)
    by_id = {schema["id"]: schema for schema in schemas}
    return {name: Draft3Validator(by_id[SCHEMA.format(name)], registry=registry) for name in SECTIONS.values()}


def problems(document):
    checks = validators()
    return [
        f"{section}[{index}]: {error.message}"
        for section, name in SECTIONS.items()
        for index, record in enumerate(document[section])
        for error in checks[name].iter_errors(record)
    ]


@pytest.fixture
def article(db):
    call_command("loaddata", str(ARTICLE), verbosity=0)


def exported(client):
    response = client.get("/popolo.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def test_the_article_exports_as_valid_popolo(article, client):
    document = exported(client)
    assert not problems(document)
    assert {len(document[key]) for key in ("persons", "speeches")} and len(document["speeches"]) == 16
    hajiyev = next(p for p in document["persons"] if p["id"] == "hikmet-hajiyev")
    assert {"name": "Hikmət Hacıyev", "lang": "az", "note": "native spelling"} in hajiyev["other_names"]
    quote = next(s for s in document["speeches"] if s["type"] == "quote")
    assert quote["creator_id"] == "hikmet-hajiyev" and quote["sources"][0]["url"].startswith("https://")
    cited = [m for m in document["memberships"] if m.get("sources")]
    assert cited and all(source["excerpt"] and source["note"] for m in cited for source in m["sources"])
    state_member = next(m for m in document["memberships"] if "member" in m)
    assert state_member["member"] == {"@type": "Organization", "id": "azerbaijan"}


def test_a_broken_document_is_caught_by_the_schemas():
    """The check can fail: Popolo's schemas refuse a malformed date and an identifier without its value."""
    broken = {key: [] for key in SECTIONS}
    broken["persons"] = [{"id": "x", "name": "X", "birth_date": "12/03/1970", "identifiers": [{"scheme": "wikidata"}]}]
    assert len(problems(broken)) == 2


def test_drafts_are_never_in_the_document(article, client):
    Person.objects.filter(slug="hikmet-hajiyev").update(status=Status.DRAFT)
    document = exported(client)
    assert "hikmet-hajiyev" not in {person["id"] for person in document["persons"]}
    links = [m.get("person_id") for m in document["memberships"]] + [s["creator_id"] for s in document["speeches"]]
    assert "hikmet-hajiyev" not in links and not document["speeches"]  # every statement was his
    assert Statement.objects.published().count() == 0


def test_the_command_writes_the_same_document(article, client, tmp_path):
    target = tmp_path / "records.json"
    call_command("export_popolo", str(target), verbosity=0)
    assert json.loads(target.read_text()) == exported(client)
