"""The citation rule, asked by every route: a published fact rests on at least one citation of a published source.

Two ways round it were found: moving a published membership's only citation to another fact (only deleting
it was checked), and publishing a fact whose only citation is of a draft source (the check asked whether a
citation existed, not whether the public could see its source)."""

from records.batch.importing import Import
from records.batch.schema import TABLES
from records.formats import read_csv
from records.models import Citation, Event, Membership, Source, Status

PUBLISHED = Status.PUBLISHED


def change_form(client, admin_form, citation, **changes):
    url = f"/admin/records/citation/{citation.pk}/change/"
    return client.post(url, admin_form(client, url) | changes)


def test_moving_the_only_citation_of_a_published_membership_to_another_fact_is_refused(
    reviewer_client, admin_form, membership, source
):
    citation = Citation.objects.create(source=source, membership=membership, excerpt="Azerbaijan joined the D-8")
    forum = Event.objects.create(slug="forum", name="Forum", classification="forum")
    response = change_form(reviewer_client, admin_form, citation, membership="", event=forum.pk)
    assert response.status_code == 200
    assert "would be left so: A membership cannot be published without at least one citation" in response.text
    citation.refresh_from_db()
    assert citation.membership == membership and citation.event is None

    # With a second citation of a published source, the first may go elsewhere.
    Citation.objects.create(source=source, membership=membership, excerpt="another passage")
    assert change_form(reviewer_client, admin_form, citation, membership="", event=forum.pk).status_code == 302
    citation.refresh_from_db()
    assert citation.event == forum


def test_moving_the_only_citation_onto_a_draft_source_is_refused(reviewer_client, admin_form, membership, source):
    citation = Citation.objects.create(source=source, membership=membership)
    draft = Source.objects.create(slug="rumour", title="A rumour", status=Status.DRAFT)
    response = change_form(reviewer_client, admin_form, citation, source=draft.pk)
    assert "would be left so" in response.text
    citation.refresh_from_db()
    assert citation.source == source


def test_a_fact_cited_only_by_a_draft_source_cannot_be_published(reviewer_client, membership, source):
    draft = Source.objects.create(slug="rumour", title="A rumour", status=Status.DRAFT)
    Membership.objects.filter(pk=membership.pk).update(status=Status.DRAFT)
    Citation.objects.create(source=draft, membership=membership)
    reviewer_client.post(
        "/admin/records/membership/",
        {"action": "publish", "_selected_action": [membership.pk]},
        follow=True,
    )
    membership.refresh_from_db()
    assert membership.status == Status.DRAFT
    assert "without at least one citation of a published source" in membership.publication_problem()

    # Once the source is published, so may the membership be.
    Source.objects.filter(pk=draft.pk).update(status=PUBLISHED)
    assert membership.publication_problem() is None


def test_an_import_publishing_a_fact_cited_only_by_a_draft_source_is_refused(db, state, body):
    draft = Source.objects.create(slug="rumour", title="A rumour", status=Status.DRAFT)
    memberships = read_csv(
        "member_person,member_organization,organization,role,kind,start_date,status\n"
        ",azerbaijan,d-8,,member,2026,published\n"
    )
    key = "organization:azerbaijan > d-8 >  > member > 2026"
    citations = read_csv(f"source,membership,event,statement,excerpt\n{draft.slug},{key},,,x\n")
    batch = Import()
    batch.add(TABLES["memberships"], "memberships.csv", memberships.headers, memberships.rows)
    batch.add(TABLES["citations"], "citations.csv", citations.headers, citations.rows)
    batch.finish()
    assert [str(p) for p in batch.problems] == [
        "memberships.csv row 2, column 'status': A membership cannot be published without at least one citation "
        "of a published source. Import a citation for it, or import it as a draft."
    ]
