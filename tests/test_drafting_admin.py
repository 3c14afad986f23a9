"""Drafts from an article: what write() creates, and the admin page that reviews proposals before writing them.

The proposals here are made by hand, so that these tests hold the writing
and the admin flow to account whatever the reading proposes; the reading
itself is tested in tests/test_drafting.py.
"""

import datetime
import types
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

import records.admin.drafting
from records.drafting import Article, Proposal
from records.drafting.writing import write
from records.models import (
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Source,
    Statement,
    Status,
    Topic,
)

URL = "https://www.azernews.az/nation/255643.html"
DRAFT_URL = "/admin/records/source/draft/"
SENTENCE = "“Instead of waiting for multilateral institutions to make decisions, we take the initiative,” he said."
PANEL = "The Crisis of Multilateralism: Rethinking Global Cooperation"
FORUM = "Global Baku Forum"
CACF = "Central Asia Consultative Forum"
LAST_YEAR = "Last year, Azerbaijan became a full member of the Central Asia Consultative Forum."


def proposals():
    """A few proposals of the founding article's kinds: known and new speakers, a panel inside a forum, a membership."""
    on_or_before = {"date": "2026-03-12", "date_bound": "on_or_before"}
    panel_sentence = f"Speaking at a panel titled “{PANEL}” during the {FORUM}, Hajiyev highlighted Azerbaijan’s role."
    return [
        Proposal("event-forum", "event", FORUM, panel_sentence, classification="forum", new=[FORUM], **on_or_before),
        Proposal(
            "event-panel",
            "event",
            PANEL,
            panel_sentence,
            event=FORUM,
            classification="panel",
            new=[PANEL, FORUM],
            **on_or_before,
        ),
        Proposal(
            "quote-initiative",
            "quote",
            "Instead of waiting for multilateral institutions to make decisions, we take the initiative",
            SENTENCE,
            speaker="hikmet-hajiyev",
            role="Assistant to the President of Azerbaijan",
            mentions=["azerbaijan", "d-8"],
            event=PANEL,
            new=[PANEL],
            **on_or_before,
        ),
        Proposal(
            "paraphrase-doe",
            "paraphrase",
            "Regional cooperation is growing.",
            "Yesterday Jane Doe said regional cooperation is growing.",
            speaker="Jane Doe",
            date="2026-03-11",
            date_wording="yesterday",
            date_relative_to="2026-03-12",
            new=["Jane Doe"],
        ),
        Proposal("organization-cacf", "organization", CACF, LAST_YEAR, classification="intergovernmental", new=[CACF]),
        Proposal(
            "membership-cacf",
            "membership",
            "Azerbaijan became a full member of the Central Asia Consultative Forum",
            LAST_YEAR,
            member="azerbaijan",
            organization=CACF,
            membership_kind="full_member",
            date="2025",
            date_wording="last year",
            date_relative_to="2026-03-12",
            new=[CACF],
        ),
    ]


def article(url=URL, publisher="AzerNEWS", author="Nazrin Abdul"):
    return Article(
        url=url,
        publisher=publisher,
        published="2026-03-12T17:15:00+04:00",
        title="[Hikmet Hajiyev at the Global Baku Forum]",
        author=author,
        text="(the article)",
        proposals=proposals(),
    )


@pytest.fixture
def known(person, state, body):
    """The people and organizations the article names that are already recorded."""
    return person, state, body


@pytest.fixture
def viewer(make_staff):
    return make_staff("viewer", permissions=["view_source", "view_statement", "view_person"])


def reason(record):
    return record.history.earliest().history_change_reason


# write() ------------------------------------------------------------------------------------


def test_write_creates_every_proposal_as_a_draft_citing_the_article(known, editor):
    counts = write(article(), user=editor)

    assert counts == {
        "source": 1,
        "organization": 2,  # the new publisher and the Central Asia Consultative Forum
        "person": 2,  # the author and the new speaker
        "event": 2,
        "citation": 3,
        "statement": 2,
        "mention": 2,
        "membership": 1,
    }
    source = Source.objects.get()
    assert (source.url, source.status, source.language) == (URL, Status.DRAFT, "en")
    assert source.published_at == datetime.datetime(2026, 3, 12, 13, 15, tzinfo=datetime.UTC)
    assert source.utc_offset_minutes == 240
    assert (source.publisher.name, source.publisher.classification, source.publisher.status) == (
        "AzerNEWS",
        "media",
        Status.DRAFT,
    )
    assert source.author.name == "Nazrin Abdul"
    assert (source.title, source.note) == ("[Hikmet Hajiyev at the Global Baku Forum]", "")

    quote = Statement.objects.get(kind="quote")
    assert quote.speaker_person.slug == "hikmet-hajiyev"
    assert (quote.source, quote.source_excerpt, quote.language) == (source, SENTENCE, "en")
    assert (quote.date, quote.date_bound, quote.speaker_role) == (
        "2026-03-12",
        "on_or_before",
        "Assistant to the President of Azerbaijan",
    )
    assert quote.event.name == PANEL and quote.event.parent.name == FORUM
    assert {o.slug for o in quote.mentioned_organizations.all()} == {"azerbaijan", "d-8"}

    doe = Statement.objects.get(kind="paraphrase")
    assert (doe.speaker_person.name, doe.speaker_person.status) == ("Jane Doe", Status.DRAFT)
    assert (doe.date, doe.date_wording, doe.date_relative_to) == ("2026-03-11", "yesterday", datetime.date(2026, 3, 12))
    assert doe.event is None

    membership = Membership.objects.get()
    assert (membership.member_organization.slug, membership.organization.name) == ("azerbaijan", CACF)
    assert membership.organization.classification == "intergovernmental"
    assert (membership.kind, membership.start_date, membership.start_date_wording) == (
        "full_member",
        "2025",
        "last year",
    )
    assert list(membership.citations.values_list("source", "excerpt")) == [(source.pk, LAST_YEAR)]
    for event in Event.objects.all():
        assert event.citations.get().source == source
        assert (event.start_date, event.start_date_bound) == ("2026-03-12", "on_or_before")

    created = [*Statement.objects.all(), *Event.objects.all(), membership, source, *Citation.objects.all()]
    created += [
        *Person.objects.exclude(slug="hikmet-hajiyev"),
        *Organization.objects.filter(name__in=[CACF, "AzerNEWS"]),
    ]
    assert {record.status for record in created if hasattr(record, "status")} == {Status.DRAFT}
    assert {reason(record) for record in created} == {f"Drafted from {URL}"}


def test_write_creates_only_the_given_keys(known, editor):
    counts = write(article(), keys=["quote-initiative"], user=editor)

    quote = Statement.objects.get()
    assert quote.event is None  # its panel was not ticked: left out, not made up
    assert not Event.objects.exists() and not Membership.objects.exists()
    assert not Person.objects.filter(name="Jane Doe").exists()
    assert not Organization.objects.filter(name=CACF).exists()
    assert counts["statement"] == 1 and "event" not in counts


def test_a_new_speaker_comes_with_the_statement_that_needs_it(known, editor):
    write(article(), keys=["paraphrase-doe", "membership-cacf"], user=editor)

    assert Statement.objects.get().speaker_person.name == "Jane Doe"
    assert Membership.objects.get().organization.name == CACF


def test_the_same_article_again_reuses_its_source_and_gets_slugs_of_its_own(known, editor):
    write(article(), keys=["quote-initiative"], user=editor)
    counts = write(article(), keys=["quote-initiative"], user=editor)

    assert "source" not in counts
    assert Source.objects.count() == 1
    slugs = sorted(Statement.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2 and slugs[1] == f"{slugs[0]}-2"


def test_a_known_publisher_is_linked_not_created(known, source, editor):
    write(article(url="https://www.azernews.az/other.html", publisher="azernews"), keys=["quote-initiative"])

    assert Source.objects.get(url__endswith="other.html").publisher == source.publisher
    assert Organization.objects.filter(name="AzerNEWS").count() == 1


def test_an_article_without_a_headline_gets_a_devised_title(known, editor):
    untitled = article()
    untitled.title = ""
    write(untitled, keys=["quote-initiative"])

    source = Source.objects.get()
    assert source.title == "[AzerNEWS, 12 March 2026]" and "devised" in source.note


def test_write_refuses_whoever_may_not_add_drafts(known, viewer):
    with pytest.raises(PermissionDenied):
        write(article(), user=viewer)

    assert (
        not Source.objects.exists()
        and not Statement.objects.exists()
        and not Person.objects.filter(name="Jane Doe").exists()
    )


# The admin page ------------------------------------------------------------------------------


@pytest.fixture
def reading(monkeypatch):
    """`reading.read` returning the hand-made proposals, each call afresh; the calls are kept in .calls."""
    fake = types.SimpleNamespace()
    fake.calls = []

    def read(text, *, url, publisher, published, author=None):
        fake.calls.append(dict(text=text, url=url, publisher=publisher, published=published, author=author))
        made = article(url=url, publisher=publisher, author=author or "Nazrin Abdul")
        made.published, made.text = published, text
        return made

    fake.read = read
    monkeypatch.setattr(records.admin.drafting, "reading", fake)  # what the admin's drafting page reads with
    return fake


FORM = {
    "text": "12 March 2026 17:15 (UTC+04:00)\r\n\r\nHikmet Hajiyev said …",
    "url": URL,
    "publisher": "AzerNEWS",
    "published": "2026-03-12 17:15+04:00",
    "author": "",
}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    for response in (client.get(DRAFT_URL), client.post(DRAFT_URL, FORM)):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_who_may_only_view_are_refused(client, viewer, reading):
    client.force_login(viewer)
    assert client.get(DRAFT_URL).status_code == 403
    assert client.post(DRAFT_URL, FORM | {"confirm": "1", "keys": ["quote-initiative"]}).status_code == 403
    assert "Draft records from an article" not in client.get("/admin/records/source/").content.decode()
    assert not reading.calls and not Source.objects.exists()


def test_the_sources_list_links_the_page_for_editors(editor_client):
    page = editor_client.get("/admin/records/source/").content.decode()
    assert f'href="{DRAFT_URL}"' in page and "Draft records from an article" in page


def test_an_editor_reviews_the_proposals_then_creates_the_ticked_ones(editor_client, known, reading):
    page = editor_client.get(DRAFT_URL)
    assert page.status_code == 200 and "Draft records from an article" in page.content.decode()

    review = editor_client.post(DRAFT_URL, FORM)
    assert review.status_code == 200
    html = review.content.decode()
    for proposal in proposals():
        assert f'name="keys" value="{proposal.key}"' in html and " checked" in html
        assert proposal.sentence.replace("“", "").split("”")[0][:30] in html.replace("“", "")
    # Records by their names, never their slugs; a statement's date with its bound, to correct in place.
    assert "Assistant to the President of Azerbaijan" in html and 'value="Hikmet Hajiyev"' in html
    assert ">hikmet-hajiyev<" not in html and 'value="hikmet-hajiyev"' not in html
    assert "Date (on or before)" in html and 'value="2026-03-12"' in html
    assert not Source.objects.exists() and not Statement.objects.exists()  # nothing written yet
    assert reading.calls[0]["published"] == "2026-03-12T17:15:00+04:00"
    assert reading.calls[0]["text"] == FORM["text"].replace("\r\n", "\n")
    assert reading.calls[0]["author"] is None  # left to the "By …" line

    ticked = [proposal.key for proposal in proposals() if proposal.key != "paraphrase-doe"]
    response = editor_client.post(DRAFT_URL, FORM | {"confirm": "1", "keys": ticked}, follow=True)

    source = Source.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/records/source/{source.pk}/change/"
    assert messages_of(response) == [
        "Created 8 drafts from the article: 1 source, 1 person, 2 organizations, 2 events, 1 membership, "
        "1 statement, 3 citations, 2 mentions."
    ]
    assert reading.calls[1]["text"] == reading.calls[0]["text"]  # read again, the same text
    assert Statement.objects.get().kind == "quote"
    assert not Person.objects.filter(name="Jane Doe").exists()  # unticked: not created
    assert Event.objects.count() == 2 and Membership.objects.count() == 1
    assert set(Statement.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert reason(Statement.objects.get()) == f"Drafted from {URL}"


def test_a_bad_publication_date_is_refused_with_a_message(editor_client, reading):
    for wrong in ("12 March 2026", "2026-03-12 17:15", "2026-02-30 17:15+04:00", "2026-03-12 17:15+15:00"):
        response = editor_client.post(DRAFT_URL, FORM | {"published": wrong})
        assert response.status_code == 200
        errors = response.context["form"].errors["published"]
        assert errors and ("2026-03-12 17:15+04:00" in errors[0] or "UTC offset" in errors[0]), wrong
    assert not reading.calls and not Source.objects.exists()


def test_nothing_ticked_creates_nothing(editor_client, known, reading):
    response = editor_client.post(DRAFT_URL, FORM | {"confirm": "1"})
    assert response.status_code == 200
    assert messages_of(response) == ["Nothing was ticked, so nothing was created."]
    assert not Source.objects.exists()


def test_a_proposal_gone_since_the_review_is_reviewed_again(editor_client, known, reading):
    response = editor_client.post(DRAFT_URL, FORM | {"confirm": "1", "keys": ["quote-initiative", "no-such-key"]})
    assert response.status_code == 200
    assert "review them again" in messages_of(response)[0]
    assert not Source.objects.exists() and not Statement.objects.exists()


# With the real reading, on the founding article ------------------------------------------------

FOUNDING = Path(__file__).resolve().parent / "data" / "articles" / "azernews-2026-03-12-hajiyev-global-baku-forum.txt"
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "azernews-2026-03-12-hajiyev-global-baku-forum.json"


@pytest.fixture
def founding_actors(db):
    """The founding article's people and organizations, without the facts recorded from it."""
    call_command("loaddata", str(FIXTURE), verbosity=0)
    for model in (Citation, Statement, Membership, EventParticipant, Topic):
        model.objects.all().delete()
    while Event.objects.exists():  # panels before their forums
        Event.objects.filter(children__isnull=True).delete()
    Source.objects.all().delete()


def test_the_founding_article_drafted_then_submitted_again_proposes_nothing(editor_client, founding_actors):
    form = FORM | {"text": FOUNDING.read_text(), "publisher": "AzerNEWS"}
    review = editor_client.post(DRAFT_URL, form)
    keys = [proposal.key for proposal in review.context["proposals"]]
    assert len(keys) >= 16

    response = editor_client.post(DRAFT_URL, form | {"confirm": "1", "keys": keys}, follow=True)
    assert "drafts from the article" in messages_of(response)[0]
    assert Statement.objects.filter(status=Status.DRAFT).count() >= 14
    assert Source.objects.get().author.slug == "nazrin-abdul"  # from the article's byline

    again = editor_client.post(DRAFT_URL, form)
    assert again.context["proposals"] == []
    assert "already recorded" in again.content.decode()
