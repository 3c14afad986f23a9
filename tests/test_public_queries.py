"""Every public page runs the same small number of queries for 1 related record as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import (
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organization,
    OtherName,
    Person,
    Post,
    Source,
    Statement,
    Topic,
)

P = "published"
MOST = 12  # every page: the record, its related lists (each with its sources), a count, the data version


@pytest.fixture
def world(db):
    """A person, an organization, an event, a source and a statement, to hang related records on."""
    person = Person.objects.create(slug="anchor-person", name="Anchor Person", status=P)
    organization = Organization.objects.create(slug="anchor-org", name="Anchor Org", classification="state", status=P)
    event = Event.objects.create(slug="anchor-event", name="Anchor Event", classification="forum", status=P)
    source = Source.objects.create(slug="anchor-source", title="Anchor Source", publisher=organization, status=P)
    seat = Post.objects.create(slug="anchor-seat", label="Anchor seat", organization=organization, status=P)
    Citation.objects.create(source=source, post=seat, excerpt="The seat.")
    statement = Statement.objects.create(
        slug="anchor-statement",
        speaker_person=person,
        event=event,
        source=source,
        kind="quote",
        text="Anchor words",
        date="2026",
        status=P,
    )
    return {
        "person": person,
        "organization": organization,
        "event": event,
        "source": source,
        "statement": statement,
        "seat": seat,
    }


def grow(world, start, stop):
    """Add records numbered start..stop-1 related to every anchor of the world, written in bulk."""
    person, organization, event = world["person"], world["organization"], world["event"]
    source, statement, seat = world["source"], world["statement"], world["seat"]
    numbers = range(start, stop)
    others = Person.objects.bulk_create(
        Person(slug=f"person-{i}", name=f"Anchor colleague {i}", status=P) for i in numbers
    )
    bodies = Organization.objects.bulk_create(
        Organization(
            slug=f"body-{i}", name=f"Anchor body {i}", classification="intergovernmental", parent=organization, status=P
        )
        for i in numbers
    )
    OtherName.objects.bulk_create(
        [OtherName(person=person, name=f"Anchor alias {i}", language="en") for i in numbers]
        + [OtherName(organization=organization, name=f"Anchor org alias {i}", language="en") for i in numbers]
    )
    joined = Membership.objects.bulk_create(
        Membership(member_organization=organization, organization=body, start_date=f"{2000 + i % 25}", status=P)
        for i, body in zip(numbers, bodies, strict=True)
    )
    Membership.objects.bulk_create(
        [
            Membership(member_person=person, organization=body, role=f"Post {i}", kind="head", status=P)
            for i, body in zip(numbers, bodies, strict=True)
        ]
        + [Membership(member_person=other, organization=organization, kind="staff", status=P) for other in others]
    )
    held = Membership.objects.bulk_create(
        Membership(member_person=other, organization=organization, post=seat, start_date=f"{1900 + i}", status=P)
        for i, other in zip(numbers, others, strict=True)
    )
    Post.objects.bulk_create(
        Post(slug=f"seat-{i}", label=f"Anchor seat {i}", organization=organization, status=P) for i in numbers
    )
    sub_events = Event.objects.bulk_create(
        Event(
            slug=f"event-{i}",
            name=f"Anchor session {i}",
            classification="panel",
            parent=event,
            start_date="2026",
            status=P,
        )
        for i in numbers
    )
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, person=other, role="speaker") for other in others]
        + [EventParticipant(event=sub_event, person=person, role="speaker") for sub_event in sub_events]
    )
    said = Statement.objects.bulk_create(
        Statement(
            slug=f"statement-{i}",
            speaker_person=other if i % 2 else person,
            event=event,
            source=source,
            kind="paraphrase",
            text=f"Anchor words number {i}",
            date="2026",
            status=P,
        )
        for i, other in zip(numbers, others, strict=True)
    )
    organization.mentioned_in.add(*said)
    statement.mentioned_people.add(*others)
    statement.mentioned_organizations.add(*bodies)
    statement.topics.add(*Topic.objects.bulk_create(Topic(slug=f"topic-{i}", name=f"Topic {i}") for i in numbers))
    Citation.objects.bulk_create(
        [Citation(source=source, membership=m, excerpt=f"Joined {i}") for i, m in zip(numbers, joined, strict=True)]
        + [Citation(source=source, membership=m, excerpt=f"Held {i}") for i, m in zip(numbers, held, strict=True)]
        + [Citation(source=source, event=event, excerpt=f"Event {i}") for i in numbers]
        + [Citation(source=source, statement=statement, excerpt=f"Said {i}") for i in numbers]
    )
    Source.objects.bulk_create(
        Source(slug=f"source-{i}", title=f"Anchor report {i}", publisher=organization, author=other, status=P)
        for i, other in zip(numbers, others, strict=True)
    )


URLS = [
    "/",
    "/search/?q=anchor",
    "/people/",
    "/people/anchor-person/",
    "/organizations/",
    "/organizations/anchor-org/",
    "/posts/anchor-seat/",
    "/events/",
    "/events/anchor-event/",
    "/statements/",
    "/statements/?topic=topic-0&kind=paraphrase&year=2026",
    "/statements/anchor-statement/",
    "/sources/",
    "/sources/anchor-source/",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def test_public_pages_cost_the_same_for_one_and_a_hundred_related_records(client, world, django_assert_num_queries):
    grow(world, 0, 1)
    with_one = {url: count_queries(client, url)[0] for url in URLS}
    assert all(count <= MOST for count in with_one.values()), with_one
    grow(world, 1, 100)
    for url in URLS:
        with django_assert_num_queries(with_one[url]):
            response = client.get(url)
        assert response.status_code == 200
    # The hundred are really on the pages that list them in full.
    assert client.get("/people/anchor-person/").content.decode().count("Post ") >= 100
    assert client.get("/organizations/anchor-org/").content.decode().count("Anchor body") >= 100
    assert client.get("/posts/anchor-seat/").content.decode().count("Anchor colleague") >= 100


def test_the_popolo_document_costs_the_same_for_one_and_a_hundred_related_records(client, world):
    def queries_of_the_document():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/popolo.json")
            b"".join(response.streaming_content)
        return len(queries.captured_queries)

    grow(world, 0, 1)
    with_one = queries_of_the_document()
    grow(world, 1, 100)
    assert queries_of_the_document() == with_one
