"""What keeps public pages and downloads bounded: row limits, page depth, ranked candidates, the /data/ files."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.template import Context, Template

from records import search
from records.models import Statement, Status
from records.pagination import PublicPaginator, estimated_count

PUBLISHED = Status.PUBLISHED


@pytest.fixture
def many_statements(person, source):
    Statement.objects.bulk_create(
        Statement(
            slug=f"said-{n}",
            speaker_person=person,
            source=source,
            kind="paraphrase",
            text=f"Statement {n} on transport corridors.",
            date=f"2020-01-{1 + n % 28:02d}",
            status=PUBLISHED,
        )
        for n in range(60)
    )
    return Statement.objects.published()


def test_a_list_too_long_to_download_is_refused_up_front_with_the_way_out(client, many_statements, settings):
    settings.PUBLIC_CSV_ROW_LIMIT = 59
    response = client.get("/statements/?format=csv")
    assert response.status_code == 400
    page = response.content.decode()
    assert "up to 59 rows" in page and 'href="/data/"' in page and "filters" in page
    settings.PUBLIC_CSV_ROW_LIMIT = 60
    response = client.get("/statements/?format=csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 61  # the header and every row: never cut short


def test_lists_go_so_many_pages_deep_and_say_so(client, many_statements, monkeypatch):
    monkeypatch.setattr(PublicPaginator, "max_page", 2)
    page = client.get("/statements/?page=2").content.decode()
    assert "Lists go 2 pages deep" in page and 'rel="next"' not in page
    too_deep = client.get("/statements/?page=3")
    assert too_deep.status_code == 404
    assert "Lists stop at page 2" in too_deep.content.decode()
    assert client.get("/statements/?page=999999").status_code == 404


def test_search_ranks_the_newest_candidates_and_says_so(client, many_statements, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 30)
    page = client.get("/search/?q=corridors").content.decode()
    assert "More than 30 statements match" in page
    results = search.search("corridors").statements
    assert results.count() == 30
    newest = set(Statement.objects.order_by("-date", "-pk").values_list("pk", flat=True)[:30])
    assert set(results.values_list("pk", flat=True)) == newest


def test_counts_say_when_they_are_estimates(many_statements):
    assert estimated_count(Statement.objects.published()) == (60, False)
    page = Template("{% load records %}{% count_of exact %} and {% count_of estimated %}").render(
        Context({"exact": (60, False), "estimated": (1234567, True)})
    )
    assert page == "60 and about 1,234,567"


def test_the_full_data_set_is_built_into_files_listed_and_served(client, statement, person, settings, tmp_path):
    settings.DATA_DOWNLOADS_DIR = tmp_path / "downloads"
    assert "No download has been built yet" in client.get("/data/").content.decode()
    person.pk = None
    person.slug, person.name, person.status = "a-draft", "Draft Person", Status.DRAFT
    person.save()
    call_command("build_downloads", verbosity=0)
    page = client.get("/data/").content.decode()
    assert "diplomacy-records-csv.zip" in page and "built" in page
    response = client.get("/data/diplomacy-records-csv.zip")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    people = archive.read("diplomacy-records/people.csv").decode()
    statements = archive.read("diplomacy-records/statements.csv").decode()
    assert "hikmet-hajiyev" in people and "a-draft" not in people
    assert "middle-power" in statements
    assert client.get("/data/index.json").status_code == 404  # only the listed files
    assert client.get("/data/..%2Fdb.sqlite3").status_code == 404
