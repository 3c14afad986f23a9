"""Curators find records by any of their names and narrow lists by year."""

from records.models import OtherName, Statement


def result_names(response):
    return [str(row) for row in response.context["cl"].result_list]


def test_people_are_found_by_their_other_names(admin_client, person):
    OtherName.objects.create(person=person, name="Hikmət Hacıyev", language="az")
    response = admin_client.get("/admin/records/person/", {"q": "Hacıyev"})
    assert result_names(response) == ["Hikmet Hajiyev"]


def test_organizations_are_found_by_abbreviation(admin_client, body, state):
    response = admin_client.get("/admin/records/organization/", {"q": "D-8"})
    assert result_names(response) == ["Developing-8 Organization for Economic Cooperation (D-8)"]


def test_statements_are_filtered_by_year_of_any_precision(admin_client, statement):
    for slug, date in [("in-2025", "2025"), ("in-march-2025", "2025-03"), ("undated", "")]:
        Statement.objects.create(
            slug=slug,
            speaker_person=statement.speaker_person,
            source=statement.source,
            kind="quote",
            text=slug,
            date=date,
        )
    response = admin_client.get("/admin/records/statement/", {"year": "2025"})
    assert {row.slug for row in response.context["cl"].result_list} == {"in-2025", "in-march-2025"}
    years = [choice["display"] for choice in response.context["cl"].filter_specs[2].choices(response.context["cl"])]
    assert years == ["All", "2026", "2025"]
