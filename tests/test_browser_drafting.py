"""The founding article, pasted into the admin, becomes the drafts the fixtures hold; a reviewer publishes them.

Drives Debian's Chromium headless through Playwright (the `page` fixture of
tests/conftest.py) against the live test server. The database knows only the
article's people and organizations (the fixtures without their statements,
memberships, events and source), as when the article first came in.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from records.drafting.measure import SIMILAR, similarity
from records.models import (
    Citation,
    Event,
    EventParticipant,
    Membership,
    OrganizationMention,
    PersonMention,
    Source,
    Statement,
    Status,
    Topic,
)
from records.roles import EDITORS, REVIEWERS, sync_groups

pytestmark = pytest.mark.browser

PASSWORD = "drafting-test-password-4q8z"
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"
ARTICLE = ROOT / "tests" / "data" / "articles" / "azernews-2026-03-12-hajiyev-global-baku-forum.txt"
URL = "https://www.azernews.az/nation/255643.html"  # the fixture's source


def fixture_statements():
    return [item["fields"] for item in json.loads(FIXTURE.read_text()) if item["model"] == "records.statement"]


@pytest.fixture
def known_actors(transactional_db):
    """The fixtures' people and organizations (with their other names and identifiers), and nothing else."""
    call_command("loaddata", str(FIXTURE), verbosity=0)
    for model in (Citation, PersonMention, OrganizationMention, Statement, Membership, EventParticipant, Topic):
        model.objects.all().delete()
    while Event.objects.exists():  # panels before their forums
        Event.objects.filter(children__isnull=True).delete()
    Source.objects.all().delete()
    sync_groups()  # the post_migrate hook makes the groups; bring them back in case a flush emptied the tables
    for username, group in (("editor", EDITORS), ("reviewer", REVIEWERS)):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(f"Welcome, {username}")


def publish_all(page, base, path, plural):
    page.goto(f"{base}/admin/records/{path}/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label=f"Publish selected {plural}")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Published")


def test_an_editor_drafts_the_founding_article_and_a_reviewer_publishes_it(live_server, known_actors, page):
    base = live_server.url

    # The editor pastes the article and reviews the proposals.
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/records/source/")
    page.get_by_role("link", name="Draft records from an article").click()
    page.get_by_label("Article text").fill(ARTICLE.read_text())
    page.get_by_label("URL").fill(URL)
    page.get_by_label("Publisher").fill("AzerNEWS")
    page.get_by_label("Published").fill("2026-03-12 17:15+04:00")
    page.get_by_role("button", name="Review the proposals").click()

    proposals = page.locator("#proposals tbody tr.proposal")
    expect(proposals.first).to_be_visible()
    count = proposals.count()
    # What the reader is sure of is ticked; what it is not sure of is not, and says why.
    unsure = page.locator("#proposals tr.confidence-low")
    assert 0 < unsure.count() < count
    assert page.locator("#proposals input[name=keys]:checked").count() == count - unsure.count()
    expect(unsure.first.locator(".proposal-evidence")).to_contain_text("no attribution of its own")
    expect(page.locator("#proposals")).not_to_contain_text("hikmet-hajiyev")  # names, not slugs
    # On a phone the review fits the screen: no sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})
    # The editor checks the unsure ones against their sentences, and ticks them too.
    for box in unsure.locator("input[name=keys]").all():
        box.check()
    assert not Source.objects.exists() and not Statement.objects.exists()  # nothing written yet
    page.get_by_role("button", name="Create the ticked drafts").click()
    expect(page.locator(".messagelist .success")).to_contain_text("drafts from the article")

    # The drafts match the records made by hand.
    source = Source.objects.get()
    assert page.url.endswith(f"/admin/records/source/{source.pk}/change/")
    assert (source.url, source.publisher.slug, source.author.slug) == (URL, "azernews", "nazrin-abdul")
    assert (source.utc_offset_minutes, source.status) == (240, Status.DRAFT)
    expected = fixture_statements()
    drafts = Statement.objects.all()
    assert {statement.status for statement in drafts} == {Status.DRAFT}
    quotes = {fields["text"] for fields in expected if fields["kind"] == "quote"}
    assert set(drafts.filter(kind="quote").values_list("text", flat=True)) == quotes  # verbatim
    # Each hand-made statement has its draft: same kind, the same words (records/drafting/measure.py's test).
    for fields in expected:
        alike = max(similarity(fields["text"], draft.text) for draft in drafts.filter(kind=fields["kind"]))
        assert alike >= SIMILAR, fields["text"]
    assert drafts.count() == len(expected)
    assert {statement.speaker_person.slug for statement in drafts} == {"hikmet-hajiyev"}
    text = ARTICLE.read_text()
    for statement in drafts:
        assert statement.source_excerpt in text
        assert statement.citations.count() == 0 and statement.source == source
    for fact in (*Membership.objects.all(), *Event.objects.all()):
        assert fact.status == Status.DRAFT
        assert all(excerpt in text for excerpt in fact.citations.values_list("excerpt", flat=True))
    assert {event.name for event in Event.objects.all()} >= {
        "Global Baku Forum",
        "The Crisis of Multilateralism: Rethinking Global Cooperation",
    }

    page.locator("#logout-form").get_by_role("button", name="Log out").click()

    # The reviewer publishes them, and the public sees them.
    log_in(page, base, "reviewer")
    publish_all(page, base, "source", "sources")
    publish_all(page, base, "event", "events")
    publish_all(page, base, "membership", "memberships")
    publish_all(page, base, "statement", "statements")
    assert set(Statement.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert Statement.objects.published().count() == drafts.count()

    page.goto(f"{base}/statements/")
    for quote in quotes:
        expect(page.locator("main")).to_contain_text(quote[:60])
