"""Admin change lists cost the same number of queries for one row as for fifty."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Citation, Event, Membership, Organization, Person, Source, Statement, Topic

counter = itertools.count()


def add_rows(n, source, panel, topic):
    """n of each record the lists show, written in bulk."""
    numbers = [next(counter) for _ in range(n)]
    people = Person.objects.bulk_create(Person(slug=f"p{i}", name=f"Person {i}") for i in numbers)
    states = Organization.objects.bulk_create(
        Organization(slug=f"o{i}", name=f"State {i}", classification="state", parent=None) for i in numbers
    )
    bodies = Organization.objects.bulk_create(
        Organization(
            slug=f"b{i}", name=f"Body {i}", abbreviation=f"B{i}", classification="intergovernmental", parent=state
        )
        for i, state in zip(numbers, states, strict=True)
    )
    joined = Membership.objects.bulk_create(
        Membership(member_organization=state, organization=body, start_date="2025")
        for state, body in zip(states, bodies, strict=True)
    )
    Membership.objects.bulk_create(
        Membership(member_person=person, organization=body, role="Head", kind="head")
        for person, body in zip(people, bodies, strict=True)
    )
    Citation.objects.bulk_create(Citation(source=source, membership=membership) for membership in joined)
    events = Event.objects.bulk_create(
        Event(slug=f"e{i}", name=f"Event {i}", classification="panel", parent=panel) for i in numbers
    )
    statements = Statement.objects.bulk_create(
        Statement(
            slug=f"s{i}",
            speaker_person=person,
            event=event,
            source=source,
            kind="quote",
            text=f"Words {i}.",
            date="2026",
        )
        for i, person, event in zip(numbers, people, events, strict=True)
    )
    topics = Topic.objects.bulk_create(Topic(name=f"Topic {i}", slug=f"t{i}") for i in numbers)
    topic.statements.add(*statements)
    for statement, own in zip(statements, topics, strict=True):
        own.statements.add(statement)
    Source.objects.bulk_create(
        Source(slug=f"src{i}", title=f"Report {i}", publisher=body, author=person)
        for i, body, person in zip(numbers, bodies, people, strict=True)
    )


@pytest.mark.parametrize("model", ["person", "organization", "membership", "event", "statement", "source", "topic"])
def test_change_lists_run_a_constant_number_of_queries(admin_client, django_assert_num_queries, source, model):
    panel = Event.objects.create(slug="forum", name="Forum", classification="forum")
    topic = Topic.objects.create(name="Peace", slug="peace")
    url = f"/admin/records/{model}/"
    add_rows(1, source, panel, topic)
    admin_client.get(url)  # warm caches (content types, sessions) before counting
    with CaptureQueriesContext(connection) as one_row:
        assert admin_client.get(url).status_code == 200
    add_rows(49, source, panel, topic)
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) >= 50
