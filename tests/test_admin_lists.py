"""Curators find records by any of their names and narrow lists by year."""

from records.models import Membership, Organization, OtherName, Statement


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


def test_a_long_span_of_years_is_offered_by_decade(admin_client, state, body, person):
    for number, start in enumerate(["1958", "1991-12", "1999", "2026-03-12"]):
        organization = Organization.objects.create(slug=f"body-{number}", name=f"Body {number}", classification="other")
        Membership.objects.create(member_organization=state, organization=organization, start_date=start)
    changelist = admin_client.get("/admin/records/membership/").context["cl"]
    decades = [choice["display"] for choice in start_year_filter(changelist).choices(changelist)]
    assert decades == ["All", "2020s", "2010s", "2000s", "1990s", "1980s", "1970s", "1960s", "1950s"]

    response = admin_client.get("/admin/records/membership/", {"start_year": "1990s"})
    changelist = response.context["cl"]
    assert {row.start_date for row in changelist.result_list} == {"1991-12", "1999"}
    choices = [choice["display"] for choice in start_year_filter(changelist).choices(changelist)]
    assert choices[4:16] == ["1990s", *(f"· {year}" for year in range(1999, 1989, -1)), "1980s"]

    response = admin_client.get("/admin/records/membership/", {"start_year": "1999"})
    assert [row.start_date for row in response.context["cl"].result_list] == ["1999"]


def start_year_filter(changelist):
    return next(spec for spec in changelist.filter_specs if getattr(spec, "parameter_name", "") == "start_year")
