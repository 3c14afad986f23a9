"""Drafting records from a news report: the reader's proposals against records made by hand.

The founding article is read into a database that knows only its people and
organizations, and compared with the fixtures; three more reports
(tests/data/articles/*.txt, invented for these tests in the same news style)
are compared with their expected proposals (*.json beside them). Then the
pieces an editor notices one by one: split quotes, «» quotes, "he added",
unknown speakers, bylines, relative dates, re-submission.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.drafting import know
from records.drafting import dates
from records.drafting.measure import measure
from records.drafting.reading import read
from records.drafting.text import split_header, split_sentences
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
)

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
FOUNDING = "azernews-2026-03-12-hajiyev-global-baku-forum"
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / f"{FOUNDING}.json"
URL = "https://www.azernews.az/nation/255643.html"
PUBLISHED = "2026-03-12 17:15+04:00"
OWN_ARTICLES = sorted(path.stem for path in ARTICLES.glob("*.json"))


# The founding article ---------------------------------------------------------------------


def only_people_and_organizations():
    """The fixtures' people and organizations (with their other names), nothing else."""
    call_command("loaddata", str(FIXTURE), verbosity=0)
    Citation.objects.all().delete()
    Statement.objects.all().delete()
    Membership.objects.all().delete()
    EventParticipant.objects.all().delete()
    Event.objects.exclude(parent=None).delete()
    Event.objects.all().delete()
    Source.objects.all().delete()


def fixture_expectations():
    """The hand-made records of the founding article, in the shape records.drafting.measure compares."""
    rows = json.loads(FIXTURE.read_text())
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row["fields"])
    mentions = {}
    for model, key in (("records.organizationmention", "organization"), ("records.personmention", "person")):
        for fields in by_model.get(model, []):
            mentions.setdefault(fields["statement"][0], []).append(fields[key][0])
    events = {fields["slug"]: fields for fields in by_model["records.event"]}
    return {
        "statements": [
            {
                "kind": fields["kind"],
                "text": fields["text"],
                "speaker": (fields["speaker_person"] or fields["speaker_organization"])[0],
                "mentions": mentions.get(fields["slug"], []),
            }
            for fields in by_model["records.statement"]
        ],
        "events": [
            {"name": fields["name"], "parent": events[fields["parent"][0]]["name"] if fields["parent"] else ""}
            for fields in events.values()
        ],
        "memberships": [
            {
                "member": (fields["member_person"] or fields["member_organization"])[0],
                "organization": fields["organization"][0],
                "kind": fields["kind"],
                "date": fields["start_date"],
            }
            for fields in by_model["records.membership"]
        ],
        "new": [],
    }


@pytest.fixture
def founding(db):
    only_people_and_organizations()
    text = (ARTICLES / f"{FOUNDING}.txt").read_text()
    return read(text, url=URL, publisher="AzerNEWS", published=PUBLISHED)


def ratio(pair):
    found, wanted = pair
    return found / wanted if wanted else 1.0


def test_founding_article_meets_the_targets(founding):
    figures = measure(founding.proposals, fixture_expectations())
    assert figures["quotes verbatim, right speaker"] == (2, 2)
    assert ratio(figures["statements"]) >= 0.9
    assert figures["speakers"][0] == figures["statements"][0]
    assert ratio(figures["mentions"]) >= 0.9
    assert figures["wrong proposals"] * 10 <= figures["proposals"]


def test_founding_article_header_source_and_events(founding):
    assert founding.author == "nazrin-abdul"
    assert founding.publisher == "azernews"
    assert founding.published == "2026-03-12T17:15:00+04:00"
    panel = next(p for p in founding.proposals if p.kind == "event" and p.classification == "panel")
    assert panel.text == "The Crisis of Multilateralism: Rethinking Global Cooperation"
    assert panel.event == "Global Baku Forum"
    statements = [p for p in founding.proposals if p.kind in ("quote", "paraphrase")]
    assert {(p.date, p.date_bound) for p in statements} == {("2026-03-12", "on_or_before")}
    assert {p.event for p in statements} == {panel.text}
    full = next(p for p in founding.proposals if p.kind == "membership" and p.membership_kind == "full_member")
    assert (full.member, full.organization, full.date, full.date_wording, full.date_relative_to) == (
        "azerbaijan",
        "central-asia-consultative-forum",
        "2025",
        "last year",
        "2026-03-12",
    )
    joined = next(p for p in founding.proposals if p.kind == "membership" and p.organization == "d-8")
    assert (joined.date, joined.date_bound, joined.date_wording) == ("2026-03-12", "on_or_before", "recently")


def test_keys_are_stable_and_distinct(founding):
    again = read((ARTICLES / f"{FOUNDING}.txt").read_text(), url=URL, publisher="AzerNEWS", published=PUBLISHED)
    keys = [p.key for p in founding.proposals]
    assert keys == [p.key for p in again.proposals]
    assert len(set(keys)) == len(keys)


# Three more reports ---------------------------------------------------------------------


def read_own(name):
    expected = json.loads((ARTICLES / f"{name}.json").read_text())
    know(expected["known"])
    article = read((ARTICLES / f"{name}.txt").read_text(), **expected["read"])
    return article, expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", OWN_ARTICLES)
def test_own_articles(name):
    article, expected = read_own(name)
    figures = measure(article.proposals, expected)
    assert article.title == expected["title"]
    assert article.author == expected["author"]
    # Each report holds a statement or a membership the rules miss (docs/article-drafting.md), hence 0.8.
    assert figures["quotes verbatim, right speaker"][0] == figures["quotes verbatim, right speaker"][1]
    assert ratio(figures["statements"]) >= 0.8
    assert figures["speakers"][0] == figures["statements"][0]
    assert ratio(figures["mentions"]) >= 0.85
    assert figures["wrong proposals"] * 10 <= figures["proposals"]
    assert figures["new people and organizations"][0] == figures["new people and organizations"][1]


# What an editor notices -----------------------------------------------------------------


@pytest.fixture
def hajiyev(db):
    person = Person.objects.create(slug="hikmet-hajiyev", name="Hikmet Hajiyev")
    OtherName.objects.create(person=person, name="Hikmət Hacıyev")
    Organization.objects.create(slug="azernews", name="AzerNEWS", classification="media")
    Organization.objects.create(
        slug="osce",
        name="Organization for Security and Co-operation in Europe",
        abbreviation="OSCE",
        classification="intergovernmental",
    )
    return person


def statements(text, **kwargs):
    article = read(text, url="https://example.test/a", publisher="AzerNEWS", published=PUBLISHED, **kwargs)
    return [p for p in article.proposals if p.kind in ("quote", "paraphrase")]


def test_a_quote_split_by_its_attribution_is_one_quote(hajiyev):
    text = "Hikmet Hajiyev said the talks went well.\n\n“We are ready,” he added, “and so are our partners.”"
    quote = statements(text)[1]
    assert (quote.kind, quote.text, quote.speaker) == (
        "quote",
        "We are ready, and so are our partners.",
        "hikmet-hajiyev",
    )


def test_guillemets_are_quotation_marks(hajiyev):
    text = "«Peace is within reach. We will not stop now,» Hacıyev said."
    [quote] = statements(text)
    assert (quote.kind, quote.text, quote.speaker) == (
        "quote",
        "Peace is within reach. We will not stop now,",
        "hikmet-hajiyev",
    )


def test_he_is_the_last_named_speaker(hajiyev):
    text = "Hajiyev noted that the OSCE had failed.\n\nHe added that a new model was needed."
    first, second = statements(text)
    assert second.speaker == first.speaker == "hikmet-hajiyev"
    assert second.text == "A new model was needed."
    assert first.mentions == ["osce"]


def test_an_unknown_speaker_is_proposed_as_a_new_person(hajiyev):
    text = "Jeyhun Bayramov, Minister of Foreign Affairs of Azerbaijan, said the OSCE Minsk Group had been dissolved."
    article = read(text, url="https://example.test/b", publisher="AzerNEWS", published=PUBLISHED)
    person = next(p for p in article.proposals if p.kind == "person")
    statement = next(p for p in article.proposals if p.kind == "paraphrase")
    assert (person.text, person.new) == ("Jeyhun Bayramov", ["Jeyhun Bayramov"])
    assert (statement.speaker, statement.role, statement.new) == (
        "Jeyhun Bayramov",
        "Minister of Foreign Affairs of Azerbaijan",
        ["Jeyhun Bayramov"],
    )


def test_an_unknown_publisher_is_proposed_as_a_new_organization(hajiyev):
    article = read("Hajiyev said so.", url="https://example.test/c", publisher="Baku Daily", published=PUBLISHED)
    assert article.publisher == "Baku Daily"
    assert [(p.kind, p.text) for p in article.proposals if p.kind == "organization"] == [("organization", "Baku Daily")]


def test_bylines():
    header, body = split_header(
        "Talks resume in Geneva\n12 March 2026 17:15 (UTC+04:00)\nBy Jane Roe, Reuters\n\nText."
    )
    assert (header.title, header.author, body) == ("Talks resume in Geneva", "Jane Roe", ["Text."])
    header, body = split_header("12 March 2026 17:15 (UTC+04:00)\n\nNazrin Abdul\n\nHajiyev said so.")
    assert (header.date_line, header.author, body) == (
        "12 March 2026 17:15 (UTC+04:00)",
        "Nazrin Abdul",
        ["Hajiyev said so."],
    )


def test_sentences_keep_their_quotations_whole():
    paragraph = "“We act. Others wait,” he said. Mr. Smith agreed. “Yes.”"
    assert split_sentences(paragraph) == ["“We act. Others wait,” he said.", "Mr. Smith agreed.", "“Yes.”"]


@pytest.mark.parametrize(
    "wording, date, bound",
    [
        ("last year", "2025", ""),
        ("yesterday", "2026-03-11", ""),
        ("on Tuesday", "2026-03-10", ""),
        ("on Thursday", "2026-03-12", ""),
        ("recently", "2026-03-12", "on_or_before"),
        ("last month", "2026-02", ""),
        ("in December", "2025-12", ""),
    ],
)
def test_relative_dates_are_resolved(wording, date, bound):
    assert dates.resolve(wording, datetime.date(2026, 3, 12)) == (date, bound)


def test_the_time_of_a_speech_dates_the_statement(hajiyev):
    [statement] = statements("Hajiyev said on Tuesday that the talks would resume.")
    assert (statement.text, statement.date, statement.date_bound) == ("The talks would resume.", "2026-03-10", "")
    assert (statement.date_wording, statement.date_relative_to) == ("on Tuesday", "2026-03-12")


def test_resubmitting_proposes_nothing_already_recorded(founding):
    source = Source.objects.create(slug="azernews-copy", title="The article", url=URL)
    for proposal in founding.proposals:
        if proposal.kind in ("quote", "paraphrase"):
            Statement.objects.create(
                slug=proposal.key,
                speaker_person=Person.objects.get(slug=proposal.speaker),
                kind=proposal.kind,
                text=proposal.text,
                source=source,
                source_excerpt=proposal.sentence,
            )
        if proposal.kind == "membership":
            member = Organization.objects.filter(slug=proposal.member).first()
            Membership.objects.create(
                member_organization=member,
                member_person=None if member else Person.objects.get(slug=proposal.member),
                organization=Organization.objects.get(slug=proposal.organization),
                kind=proposal.membership_kind,
            )
    for proposal in founding.proposals:
        if proposal.kind == "event":
            Event.objects.create(slug=proposal.key, name=proposal.text, classification=proposal.classification)
    again = read((ARTICLES / f"{FOUNDING}.txt").read_text(), url=URL, publisher="AzerNEWS", published=PUBLISHED)
    assert again.proposals == []


def test_draft_article_prints_one_json_object_per_proposal(founding, tmp_path, capsys):
    call_command(
        "draft_article",
        str(ARTICLES / f"{FOUNDING}.txt"),
        url=URL,
        publisher="AzerNEWS",
        published=PUBLISHED,
    )
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["key"] for line in lines] == [p.key for p in founding.proposals]


@pytest.mark.django_db
def test_draft_article_refuses_a_bad_date_or_a_missing_file(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Hajiyev said so.")
    with pytest.raises(CommandError, match="UTC offset"):
        call_command("draft_article", str(article), url="u", publisher="P", published="2026-03-12 17:15")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("draft_article", str(tmp_path / "none.txt"), url="u", publisher="P", published=PUBLISHED)
