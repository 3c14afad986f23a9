"""Admin change lists cost the same number of queries for one row as for fifty."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Citation, Event, Membership, Organization, Person, Source, Statement, Topic

counter = itertools.count()


def add_rows(n, source, panel, topic):
    for _ in range(n):
        i = next(counter)
        person = Person.objects.create(slug=f"p{i}", name=f"Person {i}")
        state = Organization.objects.create(slug=f"o{i}", name=f"State {i}", classification="state", parent=None)
        body = Organization.objects.create(
            slug=f"b{i}", name=f"Body {i}", abbreviation=f"B{i}", classification="intergovernmental", parent=state
        )
        membership = Membership.objects.create(member_organization=state, organization=body, start_date="2025")
        Membership.objects.create(member_person=person, organization=body, role="Head", kind="head")
        Citation.objects.create(source=source, membership=membership)
        event = Event.objects.create(slug=f"e{i}", name=f"Event {i}", classification="panel", parent=panel)
        statement = Statement.objects.create(
            slug=f"s{i}",
            speaker_person=person,
            event=event,
            source=source,
            kind="quote",
            text=f"Words {i}.",
            date="2026",
        )
        statement.topics.add(topic, Topic.objects.create(name=f"Topic {i}", slug=f"t{i}"))
        Source.objects.create(slug=f"src{i}", title=f"Report {i}", publisher=body, author=person)


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
