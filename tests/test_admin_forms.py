"""Editors meet the database's rules as readable messages on the admin forms."""

import datetime
import re

import pytest

from records.models import Membership


@pytest.fixture
def add_membership(admin_client, admin_form):
    def post(**fields):
        data = admin_form(admin_client, "/admin/records/membership/add/")
        data.update({key: str(value) for key, value in fields.items()})
        return admin_client.post("/admin/records/membership/add/", data)

    return post


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (lambda s, b, p: {"organization": b.pk}, "Choose exactly one member: a person or an organization."),
        (
            lambda s, b, p: {"organization": b.pk, "member_person": p.pk, "member_organization": s.pk},
            "Choose exactly one member: a person or an organization.",
        ),
        (
            lambda s, b, p: {"organization": b.pk, "member_organization": b.pk},
            "An organization cannot be a member of itself.",
        ),
        (
            lambda s, b, p: {
                "organization": b.pk,
                "member_organization": s.pk,
                "start_date": "2026",
                "end_date": "2025",
            },
            "The end date is before the start date.",
        ),
        (
            lambda s, b, p: {"organization": b.pk, "member_organization": s.pk, "start_date": "2025-13"},
            "&#x27;2025-13&#x27; is not a date: month 13 does not exist",
        ),
        (
            lambda s, b, p: {"organization": b.pk, "member_organization": s.pk, "start_date_wording": "last year"},
            "Relative wording for the start needs the date it is relative to.",
        ),
    ],
    ids=["no-member", "two-members", "itself", "end-before-start", "bad-date", "wording-without-reference"],
)
def test_the_membership_form_explains_each_rule(add_membership, state, body, person, fields, message):
    response = add_membership(**fields(state, body, person))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Membership.objects.exists()


def test_the_membership_form_explains_a_duplicate(add_membership, membership):
    response = add_membership(
        organization=membership.organization_id,
        member_organization=membership.member_organization_id,
        kind=membership.kind,
    )
    assert "This organization already has this membership from this date." in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_valid_membership_is_saved_from_the_form(add_membership, state, body):
    response = add_membership(
        organization=body.pk,
        member_organization=state.pk,
        start_date="2026-03-12",
        start_date_bound="on_or_before",
        start_date_wording="recently",
        start_date_relative_to="2026-03-12",
    )
    assert response.status_code == 302
    saved = Membership.objects.get()
    assert (saved.member, saved.organization, saved.start_date) == (state, body, "2026-03-12")


def test_the_organization_form_refuses_itself_as_parent(admin_client, admin_form, body):
    url = f"/admin/records/organization/{body.pk}/change/"
    response = admin_client.post(url, admin_form(admin_client, url) | {"parent": str(body.pk)})
    assert "This parent would make the organization part of itself." in response.content.decode()
    body.refresh_from_db()
    assert body.parent is None


def test_a_statement_has_one_place_for_its_source_and_labels_the_others_additional(admin_client, statement):
    page = admin_client.get(f"/admin/records/statement/{statement.pk}/change/").content.decode()
    assert page.count('<select name="source"') == 1
    assert "Source (required)" in page
    assert "Other reports of the same words go under “Additional sources” below." in page
    assert "Additional sources (optional: other reports of the same statement)" in page
    headings = [" ".join(h.split()) for h in re.findall(r"<h2[^>]*>([^<]*)</h2>", page)]
    assert "Citations" not in headings
    assert headings.count("Source (required)") == 1


def test_a_sources_time_is_shown_and_read_in_its_own_offset(admin_client, admin_form, source):
    """13:15 UTC, stated as 17:15 at UTC+04:00 (offset 240): the editor sees and writes the source's 17:15."""
    url = f"/admin/records/source/{source.pk}/change/"
    page = admin_client.get(url).content.decode()
    shown = dict(re.findall(r'name="(published_at_[01])" value="([^"]*)"', page))
    assert shown == {"published_at_0": "2026-03-12", "published_at_1": "17:15:00"}
    data = admin_form(admin_client, url) | shown
    del data["published_at"]
    assert data["utc_offset_minutes"] == "240"
    assert "12 March 2026, 17:15 (UTC+04:00)" in admin_client.get("/admin/records/source/").content.decode()
    # Sent back unchanged: the same moment.
    assert admin_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.published_at == datetime.datetime(2026, 3, 12, 13, 15, tzinfo=datetime.UTC)
    # A time typed in, with the offset the source states: read in that offset.
    data.update(published_at_1="16:40:00", utc_offset_minutes="180")
    assert admin_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.published_at == datetime.datetime(2026, 3, 12, 13, 40, tzinfo=datetime.UTC)


def test_a_source_whose_offset_is_cleared_is_read_in_utc(admin_client, admin_form, source):
    url = f"/admin/records/source/{source.pk}/change/"
    data = admin_form(admin_client, url)
    del data["published_at"]
    data.update(published_at_0="2026-03-12", published_at_1="17:15:00", utc_offset_minutes="")
    assert admin_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.utc_offset_minutes is None
    assert source.published_at == datetime.datetime(2026, 3, 12, 17, 15, tzinfo=datetime.UTC)
