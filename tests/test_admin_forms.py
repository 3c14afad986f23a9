"""Editors meet the database's rules as readable messages on the admin forms."""

import pytest

from records.models import Membership, Organization


def add_membership(client, **fields):
    data = {
        "member_person": "",
        "member_organization": "",
        "organization": "",
        "role": "",
        "kind": "member",
        "status": "draft",
        "start_date": "",
        "start_date_bound": "",
        "start_date_wording": "",
        "start_date_relative_to": "",
        "end_date": "",
        "end_date_bound": "",
        "end_date_wording": "",
        "end_date_relative_to": "",
    }
    data.update({key: str(value) for key, value in fields.items()})
    return client.post("/admin/records/membership/add/", data)


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
def test_the_membership_form_explains_each_rule(admin_client, state, body, person, fields, message):
    response = add_membership(admin_client, **fields(state, body, person))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Membership.objects.exists()


def test_the_membership_form_explains_a_duplicate(admin_client, membership):
    response = add_membership(
        admin_client,
        organization=membership.organization_id,
        member_organization=membership.member_organization_id,
        kind=membership.kind,
    )
    assert "This organization already has this membership from this date." in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_valid_membership_is_saved_from_the_form(admin_client, state, body):
    response = add_membership(
        admin_client,
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


def test_the_organization_form_refuses_itself_as_parent(admin_client, body):
    response = admin_client.post(
        f"/admin/records/organization/{body.pk}/change/",
        {
            "slug": body.slug,
            "name": body.name,
            "abbreviation": body.abbreviation,
            "classification": body.classification,
            "parent": body.pk,
            "status": body.status,
            "founding_date": "",
            "dissolution_date": "",
            "summary": "",
        },
    )
    assert "This parent would make the organization part of itself." in response.content.decode()
    body.refresh_from_db()
    assert body.parent is None
    assert Organization.objects.filter(parent__isnull=False).count() == 0
