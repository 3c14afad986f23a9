"""An editor drafts a small dossier in the admin and a reviewer publishes it, in a real browser.

Drives Debian's Chromium (/usr/bin/chromium) headless through Playwright (the
`page` fixture of tests/conftest.py) against the live test server, so the
admin's JavaScript (prepopulated slugs, select2 autocompletes, inlines,
change-list actions) runs as it does for the editors.
"""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from records.models import Membership, Organization, Person, Source, Statement, Status
from records.roles import EDITORS, REVIEWERS, sync_groups

pytestmark = pytest.mark.browser

PASSWORD = "curation-test-password-7f3k"

NAME = "Hikmet Hajiyev"
ORGANIZATION = "Presidential Administration of Azerbaijan"
ROLE = "Assistant to the President"
TITLE = "Hikmet Hajiyev at the Global Baku Forum"
TEXT = "Countries like Azerbaijan rely on middle-power diplomacy."
EXCERPT = "Hikmet Hajiyev, Assistant to the President of Azerbaijan, said at the forum."


@pytest.fixture
def users(transactional_db):
    # The post_migrate hook makes the groups; bring them back in case a flush emptied the tables.
    sync_groups()
    for username, group in (("editor", EDITORS), ("reviewer", REVIEWERS)):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))


class Admin:
    """What an editor does with the admin, one user gesture at a time."""

    def __init__(self, page, base_url):
        self.page = page
        self.base = f"{base_url}/admin"

    def open(self, path):
        self.page.goto(f"{self.base}/{path}")

    def log_in(self, username):
        self.open("login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.locator("#user-tools")).to_contain_text(f"Welcome, {username}")

    def log_out(self):
        self.page.locator("#logout-form").get_by_role("button", name="Log out").click()
        expect(self.page.locator("#content")).to_contain_text("Logged out")

    def type(self, field, text):
        # Typed key by key: the admin fills prepopulated slugs on keyup.
        self.page.locator(f"#id_{field}").press_sequentially(text)

    def autocomplete(self, field, search, choice):
        """Open a select2 autocomplete, search, and pick a result as an editor would."""
        self.page.locator(f"#id_{field} + .select2-container").click()
        self.page.locator(".select2-container--open .select2-search__field").fill(search)
        self.page.locator(".select2-results__option", has_text=choice).click()
        expect(self.page.locator(f"#select2-id_{field}-container")).to_have_attribute("title", choice)

    def expect_draft_without_publishing(self):
        status = self.page.locator(".form-row.field-status").first
        expect(status.locator(".readonly")).to_have_text("Draft")
        expect(self.page.locator("select#id_status")).to_have_count(0)

    def save(self):
        # No autocomplete request still in flight: on SQLite the live server's threads share one
        # connection (an in-memory database), and a search answered during the save breaks its transaction.
        self.page.wait_for_load_state("networkidle")
        self.page.locator("input[name=_save]").first.click()

    def expect_success(self, text):
        expect(self.page.locator(".messagelist .success")).to_contain_text(text)

    def expect_no_publish_action(self):
        expect(self.page.locator("#result_list")).to_be_visible()
        expect(self.page.locator("select[name=action] option", has_text="Publish selected")).to_have_count(0)

    def publish(self, path, row, plural, noun):
        self.open(path)
        line = self.page.locator("#result_list tbody tr", has_text=row)
        line.locator("input[name=_selected_action]").check()
        self.page.locator("select[name=action]").select_option(label=f"Publish selected {plural}")
        self.page.get_by_role("button", name="Go").click()
        self.expect_success(f"Published 1 {noun}.")
        expect(self.page.locator("#result_list tbody tr", has_text=row)).to_contain_text("Published")


def test_an_editor_drafts_and_a_reviewer_publishes(live_server, users, page):
    admin = Admin(page, live_server.url)

    # The editor drafts.
    admin.log_in("editor")

    admin.open("records/person/add/")
    admin.expect_draft_without_publishing()
    admin.type("name", NAME)
    expect(page.locator("#id_slug")).to_have_value("hikmet-hajiyev")
    admin.save()
    admin.expect_success(f"The person “{NAME}” was added successfully.")
    admin.expect_no_publish_action()

    admin.open("records/organization/add/")
    admin.expect_draft_without_publishing()
    admin.type("name", ORGANIZATION)
    expect(page.locator("#id_slug")).to_have_value("presidential-administration-of-azerbaijan")
    page.locator("#id_classification").select_option("government_body")
    admin.save()
    admin.expect_success(f"The organization “{ORGANIZATION}” was added successfully.")
    admin.expect_no_publish_action()

    admin.open("records/membership/add/")
    admin.expect_draft_without_publishing()
    admin.autocomplete("member_person", "Hajiyev", NAME)
    admin.autocomplete("organization", "Presidential", ORGANIZATION)
    page.locator("#id_role").fill(ROLE)
    page.locator("#id_kind").select_option("staff")
    admin.save()
    admin.expect_success("was added successfully.")
    admin.expect_no_publish_action()

    admin.open("records/source/add/")
    admin.expect_draft_without_publishing()
    admin.type("title", TITLE)
    expect(page.locator("#id_slug")).to_have_value("hikmet-hajiyev-at-the-global-baku-forum")
    admin.save()
    admin.expect_success(f"The source “{TITLE}” was added successfully.")
    admin.expect_no_publish_action()

    admin.open("records/statement/add/")
    admin.expect_draft_without_publishing()
    page.locator("#id_kind").select_option("paraphrase")
    admin.type("text", TEXT)
    expect(page.locator("#id_slug")).to_have_value("countries-like-azerbaijan-rely-on-middle-power-diplomacy")
    admin.autocomplete("speaker_person", "Hajiyev", NAME)
    admin.autocomplete("source", "Global Baku", TITLE)
    admin.save()
    admin.expect_success("was added successfully.")
    admin.expect_no_publish_action()

    # A membership is published only with a citation: the editor adds one in its inline.
    admin.open("records/membership/")
    page.locator("#result_list").get_by_role("link", name=NAME).click()
    admin.expect_draft_without_publishing()
    admin.autocomplete("citations-0-source", "Global Baku", TITLE)
    page.locator("#id_citations-0-excerpt").fill(EXCERPT)
    admin.save()
    admin.expect_success("was changed successfully.")

    admin.log_out()

    # The reviewer publishes.
    admin.log_in("reviewer")
    admin.publish("records/person/", NAME, "people", "person")
    admin.publish("records/organization/", ORGANIZATION, "organizations", "organization")
    admin.publish("records/source/", TITLE, "sources", "source")
    admin.publish("records/membership/", NAME, "memberships", "membership")
    admin.publish("records/statement/", TEXT, "statements", "statement")

    membership = Membership.objects.get()
    assert membership.citations.get().excerpt == EXCERPT
    records = [
        Person.objects.get(slug="hikmet-hajiyev"),
        Organization.objects.get(slug="presidential-administration-of-azerbaijan"),
        membership,
        Source.objects.get(slug="hikmet-hajiyev-at-the-global-baku-forum"),
        Statement.objects.get(speaker_person__name=NAME, source__title=TITLE),
    ]
    assert [record.status for record in records] == [Status.PUBLISHED] * 5
