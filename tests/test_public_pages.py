"""Readers browse, filter and cite the article's published records."""

import csv
import io
import json
import re

import pytest
from django.db import connection

from records.models import Event, Organization, Person, Source, Statement, Status

ARTICLE = "azernews-2026-03-12-hajiyev-global-baku-forum"
QUOTE = "For example, Azerbaijan, Australia, and Türkiye can work together on certain issues,"


@pytest.fixture
def article(shared_article, db):
    """The article, loaded once for the module (tests/conftest.py); what a test writes is undone after it."""


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


def test_home_shows_counts_latest_statements_and_events(client, article):
    html = page(client, "/")
    assert "<strong>2</strong> people" in html
    assert "<strong>15</strong> organizations" in html
    assert "<strong>16</strong> statements" in html
    assert "Global Baku Forum" in html
    assert 'role="search"' in html


def test_the_person_page_links_everything_about_hajiyev(client, article):
    html = page(client, "/people/hikmet-hajiyev/")
    assert "<h1>Hikmet Hajiyev</h1>" in html
    assert '<span lang="az">Hikmət Hacıyev</span>' in html
    assert 'href="/organizations/foreign-policy-affairs-department/"' in html
    assert "Head of the Foreign Policy Affairs Department" in html
    assert 'href="/statements/hajiyev-2026-03-12-azerbaijan-australia-turkiye/"' in html
    assert 'href="/events/crisis-of-multilateralism-rethinking-global-cooperation/"' in html
    assert "dates not recorded" in html
    assert json_ld(html)["@type"] == "Person"
    assert "Hikmat Hajiyev" in json_ld(html)["alternateName"]


def test_the_organization_page_shows_members_memberships_and_mentions(client, article):
    html = page(client, "/organizations/azerbaijan/")
    assert "Memberships of Azerbaijan" in html
    assert 'href="/organizations/d-8/"' in html
    assert "on or before 12 March 2026 (“recently”, as of 12 March 2026)" in html
    assert "2025 (“last year”, as of 12 March 2026)" in html
    assert 'href="/organizations/presidential-administration-of-azerbaijan/"' in html  # its sub-organization
    assert "Statements that mention it" in html and QUOTE in html
    data = json_ld(html)
    assert data["@type"] == "Country"
    assert "https://www.wikidata.org/wiki/Q227" in data["sameAs"]


def test_the_department_page_shows_its_head_and_parent(client, article):
    html = page(client, "/organizations/foreign-policy-affairs-department/")
    assert 'href="/people/hikmet-hajiyev/"' in html
    assert 'Part of <a href="/organizations/presidential-administration-of-azerbaijan/">' in html


def test_the_event_page_shows_parent_participants_and_statements(client, article):
    html = page(client, "/events/crisis-of-multilateralism-rethinking-global-cooperation/")
    assert 'href="/events/global-baku-forum-2026/"' in html
    assert "Hikmet Hajiyev</a> — speaker" in html
    assert html.count('class="statement"') == 16
    assert json_ld(html)["superEvent"]["name"] == "Global Baku Forum"


def test_the_statement_page_marks_a_quote_and_cites_its_source(client, article):
    html = page(client, "/statements/hajiyev-2026-03-12-azerbaijan-australia-turkiye/")
    assert "Direct quote" in html
    assert f'<blockquote class="said"><p>“{QUOTE}”</p></blockquote>' in html
    assert "on or before 12 March 2026" in html
    assert 'href="/organizations/turkiye/"' in html and 'href="/organizations/australia/"' in html
    assert 'href="https://www.azernews.az/nation/255643.html"' in html
    assert "“For example, Azerbaijan, Australia, and Türkiye can work together on certain issues,” he added." in html
    assert "12 March 2026, 17:15 (UTC+04:00)" in html
    assert json_ld(html)["@type"] == "Quotation"


def test_a_paraphrase_is_marked_as_such(client, article):
    html = page(client, "/statements/hajiyev-2026-03-12-real-peace/")
    assert "Paraphrase of reported speech" in html
    assert json_ld(html)["@type"] == "CreativeWork"


def test_the_source_page_lists_every_fact_citing_it(client, article):
    html = page(client, "/sources/azernews-2026-03-12-hajiyev-global-baku-forum/")
    assert html.count('class="statement"') == 16
    assert "Membership of " in html and 'href="/organizations/central-asia-consultative-forum/"' in html
    assert "Event: " in html
    assert '<time datetime="2026-03-12T17:15:00+04:00">' in html
    assert json_ld(html)["datePublished"] == "2026-03-12T17:15:00+04:00"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "quote"}, 2),
        ({"topic": "climate-diplomacy"}, 2),
        ({"organization": "ethiopia"}, 1),
        ({"speaker": "hikmet-hajiyev"}, 16),
        ({"speaker": "nazrin-abdul"}, 0),
        ({"event": "global-baku-forum-2026"}, 0),
        ({"year": "2026", "kind": "paraphrase"}, 14),
        ({"year": "2025"}, 0),
    ],
)
def test_statements_are_filtered_by_shareable_urls(client, article, params, expected):
    html = page(client, "/statements/", **params)
    assert html.count('class="statement"') == expected


def test_organizations_are_filtered_by_classification(client, article):
    html = page(client, "/organizations/", classification="state")
    assert 'href="/organizations/armenia/"' in html
    assert 'href="/organizations/d-8/"' not in html


def test_events_are_filtered_by_year(client, article):
    assert 'href="/events/global-baku-forum-2026/"' in page(client, "/events/", year="2026")
    assert 'href="/events/global-baku-forum-2026/"' not in page(client, "/events/", year="2025")


def test_lists_are_paginated(client, article):
    source = Source.objects.get()
    speaker = Person.objects.get(slug="nazrin-abdul")
    Statement.objects.bulk_create(
        Statement(
            slug=f"extra-{i}",
            speaker_person=speaker,
            source=source,
            kind="quote",
            text=f"Extra {i}",
            date="2020",
            status=Status.PUBLISHED,
        )
        for i in range(30)
    )
    first = page(client, "/statements/", speaker="nazrin-abdul")
    assert first.count('class="statement"') == 25
    assert "Page 1 of 2" in first
    assert 'href="?speaker=nazrin-abdul&amp;page=2"' in first
    second = page(client, "/statements/", speaker="nazrin-abdul", page=2)
    assert second.count('class="statement"') == 5


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Turkiye", 'href="/organizations/turkiye/"'),
        ("turkey", 'href="/organizations/turkiye/"'),
        ("Developing-8", 'href="/organizations/d-8/"'),
        ("Haciyev", 'href="/people/hikmet-hajiyev/"'),
        ("Hikmet", 'href="/people/hikmet-hajiyev/"'),
        ("Hikmət", 'href="/people/hikmet-hajiyev/"'),
        ("like-minded countries", 'href="/statements/hajiyev-2026-03-12-take-the-initiative/"'),
        ("Global Baku", 'href="/events/global-baku-forum-2026/"'),
    ],
)
def test_search_finds_records_however_they_are_spelled(client, article, query, found):
    assert found in page(client, "/search/", q=query)


def test_search_says_when_nothing_matches(client, article):
    assert "Nothing matches “zzzqqq”." in page(client, "/search/", q="zzzqqq")


def test_each_list_downloads_as_csv_of_exactly_its_filtered_rows(client, article):
    response = client.get("/statements/", {"topic": "climate-diplomacy", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["slug"] for row in rows} == {
        "hajiyev-2026-03-12-cop-climate-agenda",
        "hajiyev-2026-03-12-ethiopia-climate-diplomacy",
    }
    people = b"".join(client.get("/people/", {"format": "csv"}).streaming_content).decode()
    assert people.splitlines()[0] == "slug,name,summary,birth_date,death_date,gender,image,status"


# Drafts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "slug", "url"),
    [
        (Person, "hikmet-hajiyev", "/people/hikmet-hajiyev/"),
        (Organization, "d-8", "/organizations/d-8/"),
        (Event, "global-baku-forum-2026", "/events/global-baku-forum-2026/"),
        (Statement, "hajiyev-2026-03-12-real-peace", "/statements/hajiyev-2026-03-12-real-peace/"),
        (
            Source,
            "azernews-2026-03-12-hajiyev-global-baku-forum",
            "/sources/azernews-2026-03-12-hajiyev-global-baku-forum/",
        ),
    ],
)
def test_a_drafts_page_is_not_found(client, article, model, slug, url):
    model.objects.filter(slug=slug).update(status=Status.DRAFT)
    assert client.get(url).status_code == 404


def test_a_draft_is_not_linked_from_published_pages(client, article):
    Organization.objects.filter(slug="d-8").update(status=Status.DRAFT)
    Event.objects.filter(slug="global-baku-forum-2026").update(status=Status.DRAFT)
    for url in [
        "/",
        "/organizations/",
        "/organizations/azerbaijan/",
        "/statements/",
        "/statements/hajiyev-2026-03-12-d-8/",
        "/events/",
        "/events/crisis-of-multilateralism-rethinking-global-cooperation/",
        "/sources/azernews-2026-03-12-hajiyev-global-baku-forum/",
        "/search/?q=Developing",
    ]:
        html = client.get(url).content.decode()
        assert 'href="/organizations/d-8/"' not in html, url
        assert 'href="/events/global-baku-forum-2026/"' not in html, url


def test_a_membership_of_a_draft_organization_is_not_shown(client, article):
    Organization.objects.filter(slug="d-8").update(status=Status.DRAFT)
    assert "(D-8)" not in page(client, f"/sources/{ARTICLE}/").split("Other facts that cite it")[1]
    html = page(client, "/organizations/azerbaijan/")
    assert "Organization of Turkic States (OTS)</a>: member" in html
    assert "(D-8)</a>: member" not in html and "(D-8): member" not in html


def test_statements_of_a_draft_speaker_are_not_shown(client, article):
    Person.objects.filter(slug="hikmet-hajiyev").update(status=Status.DRAFT)
    assert 'class="statement"' not in page(client, "/statements/")
    assert 'class="statement"' not in page(client, "/events/crisis-of-multilateralism-rethinking-global-cooperation/")


# HTTP ----------------------------------------------------------------------------

PUBLIC_URLS = [
    "/",
    "/search/?q=Azerbaijan",
    "/people/",
    "/people/hikmet-hajiyev/",
    "/organizations/",
    "/organizations/azerbaijan/",
    "/events/",
    "/events/global-baku-forum-2026/",
    "/statements/",
    "/statements/hajiyev-2026-03-12-real-peace/",
    "/sources/",
    "/sources/azernews-2026-03-12-hajiyev-global-baku-forum/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_only_get_and_head(client, article, url):
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url).status_code == 405


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_set_no_cookies_and_send_security_headers(client, article, url):
    response = client.get(url)
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "public" in response["Cache-Control"]


def test_search_highlights_the_words_found(client, article):
    html = page(client, "/search/", q="like-minded countries")
    if connection.vendor == "postgresql":
        # Ranked full-text search with a snippet whose matches are marked.
        assert "<mark>like</mark>-<mark>minded</mark> <mark>countries</mark>" in html
    else:
        # SQLite finds the same statements and shows their text as it is.
        assert "like-minded countries" in html and "<mark>" not in html


def test_the_favicon_and_the_error_pages_keep_to_the_sites_look_and_policy(client, settings, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    settings.DEBUG = False
    response = client.get("/people/nobody-at-all/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no published record at this address." in page and "site.css" in page
    assert "style=" not in page and "<style" not in page  # nothing the Content-Security-Policy forbids
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_500_page_is_styled_and_needs_no_database(settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong" in page and "site.css" in page and "style=" not in page
