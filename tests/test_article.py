"""The founding article (AzerNEWS, 12 March 2026) is in the database, claim by claim."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from records.models import (
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organization,
    OtherName,
    Person,
    Source,
    Statement,
    Status,
)

FIXTURES = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))
ARTICLE = "azernews-2026-03-12-hajiyev-global-baku-forum"
PANEL = "crisis-of-multilateralism-rethinking-global-cooperation"
MODELS = [Person, Organization, Membership, Event, Statement, Source, Citation, OtherName, EventParticipant]


@pytest.fixture
def article(shared_article, db):
    """The article, loaded once for the module (tests/conftest.py); what a test writes is undone after it."""
    return Source.objects.get(slug=ARTICLE)


def test_loading_twice_creates_no_duplicates(article):
    counts = [model.objects.count() for model in MODELS]
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert [model.objects.count() for model in MODELS] == counts
    assert counts[:6] == [2, 15, 5, 3, 16, 1]


def test_new_records_can_be_added_after_loading(article):
    """Fixtures carry ids for link records; the database's sequences must move past them."""
    loaded = max(Membership.objects.values_list("pk", flat=True))
    hajiyev = Person.objects.get(slug="hikmet-hajiyev")
    # Without the sequence reset PostgreSQL would hand out id 1 again, and this would fail.
    added = Membership.objects.create(member_person=hajiyev, organization=Organization.objects.get(slug="d-8"))
    assert added.pk > loaded


def test_the_source_keeps_its_publisher_author_and_stated_time(article):
    assert article.publisher.name == "AzerNEWS"
    assert article.author.name == "Nazrin Abdul"
    assert article.published_at == datetime.datetime(2026, 3, 12, 13, 15, tzinfo=datetime.UTC)
    assert article.published_at_local.isoformat() == "2026-03-12T17:15:00+04:00"
    assert article.language == "en"


def test_everything_from_the_article_is_published(article):
    for model in [Person, Organization, Membership, Event, Statement, Source]:
        assert not model.objects.exclude(status=Status.PUBLISHED).exists(), model


def test_hajiyev_has_his_other_names_with_their_languages(article):
    hajiyev = Person.objects.get(slug="hikmet-hajiyev")
    names = set(hajiyev.other_names.values_list("name", "language"))
    assert names == {("Hikmat Hajiyev", "en"), ("Hikmət Hacıyev", "az")}


def test_turkiye_is_also_known_as_turkey(article):
    assert Organization.objects.get(slug="turkiye").other_names.filter(name="Turkey").exists()


def test_hajiyev_holds_both_posts_the_article_names(article):
    posts = {
        (m.organization.slug, m.role, m.kind)
        for m in Membership.objects.filter(member_person__slug="hikmet-hajiyev").select_related("organization")
    }
    assert posts == {
        ("presidential-administration-of-azerbaijan", "Assistant to the President of Azerbaijan", "adviser"),
        ("foreign-policy-affairs-department", "Head of the Foreign Policy Affairs Department", "head"),
    }


def test_the_department_sits_inside_the_presidential_administration_of_azerbaijan(article):
    department = Organization.objects.get(slug="foreign-policy-affairs-department")
    assert department.parent.slug == "presidential-administration-of-azerbaijan"
    assert department.parent.parent.slug == "azerbaijan"
    assert Organization.objects.get(slug="osce-minsk-group").parent.slug == "osce"


def azerbaijan_in(slug):
    return Membership.objects.get(member_organization__slug="azerbaijan", organization__slug=slug)


def test_azerbaijan_joined_the_d8_recently_known_only_as_a_bound(article):
    d8 = azerbaijan_in("d-8")
    assert (d8.start_date, d8.start_date_bound) == ("2026-03-12", "on_or_before")
    assert (d8.start_date_wording, d8.start_date_relative_to) == ("recently", datetime.date(2026, 3, 12))


def test_azerbaijan_is_a_member_of_the_organization_of_turkic_states(article):
    ots = azerbaijan_in("organization-of-turkic-states")
    assert ots.kind == "member"
    assert ots.start_date == ""


def test_azerbaijan_became_a_full_member_of_the_central_asia_forum_last_year(article):
    forum = azerbaijan_in("central-asia-consultative-forum")
    assert (forum.kind, forum.start_date, forum.start_date_bound) == ("full_member", "2025", "")
    assert (forum.start_date_wording, forum.start_date_relative_to) == ("last year", datetime.date(2026, 3, 12))
    assert forum.start_date.label() == "2025"


def test_every_membership_and_event_cites_the_article_with_an_excerpt(article):
    for fact in list(Membership.objects.all()) + list(Event.objects.all()):
        citations = list(fact.citations.all())
        assert [c.source for c in citations] == [article], fact
        assert all(c.excerpt for c in citations), fact


def test_the_panel_is_part_of_the_forum_and_hajiyev_spoke_there(article):
    panel = Event.objects.get(slug=PANEL)
    assert panel.name == "The Crisis of Multilateralism: Rethinking Global Cooperation"
    assert panel.parent.name == "Global Baku Forum"
    assert panel.participants.get(person__slug="hikmet-hajiyev").role == "speaker"


def test_every_statement_has_a_speaker_a_source_and_the_panel_as_event(article):
    statements = Statement.objects.all()
    assert statements.count() == 16
    for statement in statements:
        assert statement.speaker_person.slug == "hikmet-hajiyev"
        assert statement.speaker_role.startswith("Assistant to the President of Azerbaijan")
        assert statement.source == article
        assert statement.event.slug == PANEL
        assert (statement.date, statement.date_bound) == ("2026-03-12", "on_or_before")
        assert statement.topics.exists()
        assert statement.source_excerpt


def test_both_quotes_are_verbatim(article):
    quotes = set(Statement.objects.filter(kind="quote").values_list("text", flat=True))
    assert quotes == {
        "Instead of waiting for multilateral institutions to make decisions, we take the initiative and bring "
        "together like-minded countries around specific issues to achieve real change,",
        "For example, Azerbaijan, Australia, and Türkiye can work together on certain issues,",
    }
    for statement in Statement.objects.filter(kind="quote"):
        assert f"“{statement.text}”" in statement.source_excerpt


def test_the_quote_about_working_together_mentions_the_three_states(article):
    quote = Statement.objects.get(text__startswith="For example, Azerbaijan, Australia")
    assert set(quote.mentioned_organizations.values_list("slug", flat=True)) == {"azerbaijan", "australia", "turkiye"}


@pytest.mark.parametrize(
    ("slug", "mentions"),
    [
        ("hajiyev-2026-03-12-d-8", {"azerbaijan", "d-8"}),
        ("hajiyev-2026-03-12-un-institutions-compete", {"united-nations"}),
        ("hajiyev-2026-03-12-cop-climate-agenda", {"azerbaijan", "cop"}),
        ("hajiyev-2026-03-12-ethiopia-climate-diplomacy", {"azerbaijan", "ethiopia"}),
        ("hajiyev-2026-03-12-osce-minsk-group", {"azerbaijan", "armenia", "osce", "osce-minsk-group"}),
        ("hajiyev-2026-03-12-real-peace", {"azerbaijan", "armenia"}),
        ("hajiyev-2026-03-12-central-asia", {"azerbaijan", "central-asia-consultative-forum"}),
    ],
)
def test_paraphrases_mention_the_states_and_bodies_they_name(article, slug, mentions):
    statement = Statement.objects.get(slug=slug)
    assert statement.kind == "paraphrase"
    assert set(statement.mentioned_organizations.values_list("slug", flat=True)) == mentions
