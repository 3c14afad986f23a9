"""No public page names, links or downloads a draft: every record a page can show is drafted in turn.

Each record of a small world carries a made-up word in its name (and its slug) found nowhere else. One
record is drafted at a time, every kind of public page is fetched -- lists, details, their CSV
downloads, search, the home page, JSON-LD and timelines within them -- and its word, slug and address
must appear on none.
"""

import datetime

import pytest

from records.models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    Person,
    PersonMention,
    Post,
    Source,
    Statement,
    Status,
    Topic,
)

P = Status.PUBLISHED


@pytest.fixture
def world(db):
    found = {}
    found["speaker"] = Person.objects.create(slug="zorvath", name="Zorvath Speaker", birth_date="1970", status=P)
    found["mentioned"] = Person.objects.create(slug="quillon", name="Quillon Mentioned", status=P)
    found["state"] = Organization.objects.create(slug="brellic", name="Brellic State", classification="state", status=P)
    found["body"] = Organization.objects.create(
        slug="vantor", name="Vantor Body", classification="intergovernmental", status=P
    )
    found["department"] = Organization.objects.create(
        slug="sulmet", name="Sulmet Department", classification="government_body", parent=found["body"], status=P
    )
    found["publisher"] = Organization.objects.create(
        slug="orvane", name="Orvane Press", classification="media", status=P
    )
    found["forum"] = Event.objects.create(
        slug="kelvar", name="Kelvar Forum", classification="forum", start_date="2026", status=P
    )
    found["panel"] = Event.objects.create(
        slug="tessim",
        name="Tessim Panel",
        classification="panel",
        parent=found["forum"],
        start_date="2026-03",
        status=P,
    )
    found["source"] = Source.objects.create(
        slug="pelrow",
        title="Pelrow Report",
        url="https://example.org/pelrow",
        publisher=found["publisher"],
        author=found["speaker"],
        published_at=datetime.datetime(2026, 3, 12, tzinfo=datetime.UTC),
        status=P,
    )
    found["office"] = Post.objects.create(
        slug="marrow-seat", label="Marrow Seat", organization=found["state"], role="envoy", status=P
    )
    Citation.objects.create(source=found["source"], post=found["office"], excerpt="The seat exists.")
    found["post"] = Membership.objects.create(
        member_person=found["speaker"],
        organization=found["state"],
        post=found["office"],
        role="Envoy of Ferrith",
        start_date="2020",
        status=P,
    )
    found["standing"] = Membership.objects.create(
        member_organization=found["state"],
        organization=found["body"],
        role="Observer of Gulmark",
        start_date="2019",
        status=P,
    )
    for fact in ("post", "standing"):
        Citation.objects.create(source=found["source"], membership=found[fact], excerpt=f"As {fact} says.")
    Citation.objects.create(source=found["source"], event=found["forum"], excerpt="The forum took place.")
    found["quote"] = Statement.objects.create(
        slug="words-of-zorvath",
        speaker_person=found["speaker"],
        event=found["panel"],
        source=found["source"],
        kind="quote",
        text="Cooperation is the Harnith way.",
        date="2026-03-12",
        status=P,
    )
    found["official"] = Statement.objects.create(
        slug="official-line",
        speaker_organization=found["state"],
        source=found["source"],
        kind="paraphrase",
        text="The state set out the Dravel doctrine.",
        date="2026-03-11",
        status=P,
    )
    found["quote"].topics.add(Topic.objects.create(slug="cooperation", name="Cooperation"))
    PersonMention.objects.create(statement=found["quote"], person=found["mentioned"])
    OrganizationMention.objects.create(statement=found["quote"], organization=found["department"])
    EventParticipant.objects.create(event=found["forum"], person=found["speaker"], role="speaker")
    EventParticipant.objects.create(event=found["panel"], person=found["mentioned"], role="moderator")
    EventParticipant.objects.create(event=found["panel"], organization=found["state"], role="delegation")
    OtherName.objects.create(person=found["speaker"], name="Zorvath Alter")
    Identifier.objects.create(organization=found["state"], scheme="wikidata", value="Q99999901")
    return found


# What each record is known by on a page: the word of its name, its slug, its address.
def marks(record):
    words = {
        Person: lambda r: r.name.split()[0],
        Organization: lambda r: r.name.split()[0],
        Event: lambda r: r.name.split()[0],
        Source: lambda r: r.title.split()[0],
        Membership: lambda r: r.role.split()[-1],
        Post: lambda r: r.label.split()[0],
        Statement: lambda r: r.text.split()[-2],
    }
    found = [words[type(record)](record)]
    if hasattr(record, "slug"):
        found.append(record.slug)
    if hasattr(record, "get_absolute_url"):
        found.append(record.get_absolute_url())
    return found


PAGES = ["/", "/people/", "/organizations/", "/events/", "/statements/", "/sources/"]


def pages(world):
    urls = list(PAGES)
    urls += [f"{url}?format=csv" for url in PAGES[1:]]
    urls += [record.get_absolute_url() for record in world.values() if hasattr(record, "get_absolute_url")]
    urls += [f"/search/?q={marks(record)[0].lower()}" for record in world.values()]
    urls += ["/statements/?speaker=zorvath", "/statements/?organization=sulmet", "/statements/?event=tessim"]
    return urls


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_with_everything_published_each_mark_is_somewhere(client, world):
    # Otherwise the test below could not fail.
    everything = "".join(body(client.get(url)) for url in pages(world))
    for record in world.values():
        for mark in marks(record):
            assert mark in everything, (record, mark)


@pytest.mark.parametrize(
    "drafted",
    [
        "speaker",
        "mentioned",
        "state",
        "body",
        "department",
        "publisher",
        "forum",
        "panel",
        "source",
        "office",
        "post",
        "standing",
        "quote",
        "official",
    ],
)
def test_a_draft_appears_on_no_public_page(client, world, drafted):
    record = world[drafted]
    type(record).objects.filter(pk=record.pk).update(status=Status.DRAFT)
    for url in pages(world):
        response = client.get(url)
        if url == getattr(record, "get_absolute_url", lambda: None)():
            assert response.status_code == 404
            continue
        if response.status_code == 404:
            continue  # a page resting on the draft (a statement of a drafted speaker) is gone with it
        assert response.status_code == 200, url
        text = body(response)
        # What the address itself holds (a search, a filter) is the visitor's own words, echoed.
        for mark in (mark for mark in marks(record) if mark not in url):
            assert mark not in text, f"{drafted}: {mark!r} on {url}"
