"""Two records of one person or organization become one, and nothing that pointed at either is lost."""

import datetime

import pytest

from records import merging
from records.models import (
    Citation,
    Event,
    EventParticipant,
    FormerSlug,
    Identifier,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    Person,
    PersonMention,
    Source,
    Statement,
    Status,
)

PUBLISHED = Status.PUBLISHED


def test_every_reference_to_people_and_organizations_is_moved_by_a_merge():
    for model, references in merging.REFERENCES.items():
        pointing = {
            (relation.related_model, relation.field.name)
            for relation in model._meta.related_objects
            if not relation.many_to_many  # the mentions' own tables stand in for these
        }
        assert pointing == set(references), model


@pytest.fixture
def duplicates(db, source):
    """Hikmet Hajiyev twice: the record to keep, and a duplicate with something of every kind pointing at it."""
    kept = Person.objects.create(slug="hikmet-hajiyev", name="Hikmet Hajiyev", status=PUBLISHED)
    other = Person.objects.create(
        slug="hikmat-hajiyev", name="Hikmat Hajiyev", birth_date="1970", summary="Aide.", status=PUBLISHED
    )
    administration = Organization.objects.create(
        slug="administration", name="Presidential Administration", classification="government_body", status=PUBLISHED
    )
    forum = Organization.objects.create(slug="forum", name="Forum", classification="forum", status=PUBLISHED)
    event = Event.objects.create(slug="gbf", name="Global Baku Forum", classification="forum", status=PUBLISHED)
    statement = Statement.objects.create(
        slug="said", speaker_person=other, source=source, kind="quote", text="Words.", status=PUBLISHED
    )
    both = Statement.objects.create(slug="both", speaker_person=kept, source=source, kind="quote", text="More words.")
    world = {
        "kept": kept,
        "other": other,
        "event": event,
        "statement": statement,
        # The same post, held by both: folded into one, with both citations.
        "same_post": Membership.objects.create(member_person=other, organization=administration, role="Assistant"),
        "kept_post": Membership.objects.create(member_person=kept, organization=administration, role="Assistant"),
        "own_post": Membership.objects.create(member_person=other, organization=forum, role="Speaker"),
        "authored": Source.objects.create(slug="op-ed", title="An op-ed", author=other),
        "identifier": Identifier.objects.create(person=other, scheme="viaf", value="123"),
        "spelling": OtherName.objects.create(person=other, name="Hikmət Hacıyev", language="az"),
        "shared_spelling": OtherName.objects.create(person=other, name="Hikmet Hadjiyev"),
        "former": FormerSlug.objects.create(person=other, slug="h-hajiyev"),
        "participation": EventParticipant.objects.create(event=event, person=other, role="speaker", note="Opened"),
        "kept_participation": EventParticipant.objects.create(event=event, person=kept, role="speaker"),
        "mention": PersonMention.objects.create(statement=statement, person=other),
        "double_mention": PersonMention.objects.create(statement=both, person=other),
    }
    PersonMention.objects.create(statement=both, person=kept)
    OtherName.objects.create(person=kept, name="Hikmet Hadjiyev")
    world["same_citation"] = Citation.objects.create(source=source, membership=world["same_post"], excerpt="one")
    Citation.objects.create(source=source, membership=world["kept_post"], excerpt="two")
    return world


def test_a_merge_moves_every_relation_and_loses_nothing(duplicates):
    kept, other = duplicates["kept"], duplicates["other"]
    merging.merge(kept, other)

    assert not Person.objects.filter(pk=other.pk).exists()
    kept.refresh_from_db()
    # Blank fields take the duplicate's values.
    assert (kept.birth_date, kept.summary) == ("1970", "Aide.")
    # What pointed at the duplicate points at the kept record.
    assert Statement.objects.get(slug="said").speaker_person == kept
    assert Source.objects.get(slug="op-ed").author == kept
    assert set(kept.memberships.values_list("organization__slug", "role")) == {
        ("administration", "Assistant"),
        ("forum", "Speaker"),
    }
    (post,) = kept.memberships.filter(organization__slug="administration")
    assert sorted(post.citations.values_list("excerpt", flat=True)) == ["one", "two"]
    assert Identifier.objects.get(scheme="viaf").person == kept
    assert set(kept.other_names.values_list("name", flat=True)) == {
        "Hikmət Hacıyev",
        "Hikmet Hadjiyev",
        "Hikmat Hajiyev",
    }
    (participation,) = EventParticipant.objects.filter(event=duplicates["event"])
    assert (participation.person, participation.note) == (kept, "Opened")
    assert set(PersonMention.objects.values_list("statement__slug", "person")) == {("said", kept.pk), ("both", kept.pk)}
    assert set(kept.former_slugs.values_list("slug", flat=True)) == {"hikmat-hajiyev", "h-hajiyev"}
    # The kept record is found by the other's name.
    assert "hikmat hajiyev" in kept.search_names


def test_both_histories_and_the_moved_records_say_what_happened(duplicates):
    kept, other = duplicates["kept"], duplicates["other"]
    other_id = other.pk
    merging.merge(kept, other)
    assert kept.history.latest().history_change_reason == "Merged “Hikmat Hajiyev” (hikmat-hajiyev) into this record"
    gone = Person.history.filter(id=other_id).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Merged into “Hikmet Hajiyev” (hikmet-hajiyev)")
    moved = Statement.history.filter(slug="said").latest()
    assert moved.history_change_reason.startswith("Moved from “Hikmat Hajiyev” (hikmat-hajiyev)")
    folded = Membership.history.filter(id=duplicates["same_post"].pk).latest()
    assert folded.history_type == "-" and folded.history_change_reason.startswith("Folded into an identical row.")


def test_the_old_address_redirects_for_good(client, duplicates):
    merging.merge(duplicates["kept"], duplicates["other"])
    for old in ("hikmat-hajiyev", "h-hajiyev"):
        response = client.get(f"/people/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/people/hikmet-hajiyev/"
    assert client.get("/people/never-existed/").status_code == 404


def test_disagreements_are_refused_until_settled(duplicates):
    kept, other = duplicates["kept"], duplicates["other"]
    Identifier.objects.create(person=kept, scheme="wikidata", value="Q1")
    Identifier.objects.create(person=other, scheme="wikidata", value="Q2")
    kept.birth_date = "1969"
    kept.save()
    assert {conflict.key for conflict in merging.conflicts(kept, other)} == {"birth_date", "identifier:wikidata"}
    with pytest.raises(ValueError, match="Choose which value to keep for: birth date, wikidata identifier"):
        merging.merge(kept, other)
    assert Person.objects.filter(pk=other.pk).exists()

    merging.merge(kept, other, {"birth_date": "other", "identifier:wikidata": "kept"})
    kept.refresh_from_db()
    assert kept.birth_date == "1970"
    assert list(kept.identifiers.filter(scheme="wikidata").values_list("value", flat=True)) == ["Q1"]


def test_an_organization_cannot_merge_with_a_body_it_belongs_to(db, state, body):
    Membership.objects.create(member_organization=state, organization=body)
    assert merging.blockers(state, body) == [
        "“Republic of Azerbaijan” is a member of “Developing-8 Organization for Economic Cooperation (D-8)”: merged, "
        "it would be a member of itself. Delete or change that membership first."
    ]
    with pytest.raises(ValueError, match="member of itself"):
        merging.merge(state, body)


def test_merging_organizations_moves_their_parts_and_members(db, state, person):
    turkey = Organization.objects.create(slug="turkey", name="Turkey", classification="state")
    turkiye = Organization.objects.create(slug="turkiye", name="Republic of Türkiye", classification="state")
    ministry = Organization.objects.create(slug="mfa", name="Ministry", classification="government_body", parent=turkey)
    Membership.objects.create(member_person=person, organization=turkey, role="Ambassador")
    OrganizationMention.objects.create(
        statement=Statement.objects.create(
            slug="s",
            speaker_organization=turkey,
            kind="quote",
            text="x",
            source=Source.objects.create(slug="src", title="t"),
        ),
        organization=turkey,
    )
    merging.merge(turkiye, turkey)
    ministry.refresh_from_db()
    assert ministry.parent == turkiye
    assert turkiye.members.get().member_person == person
    assert Statement.objects.get(slug="s").speaker_organization == turkiye
    assert OrganizationMention.objects.get().organization == turkiye
    assert turkiye.other_names.get().name == "Turkey"


# In the admin ----------------------------------------------------------------------


def merge_action(client, *records, **data):
    return client.post(
        "/admin/records/person/",
        {"action": "merge", "_selected_action": [record.pk for record in records], **data},
        follow=True,
    )


def test_a_reviewer_merges_from_the_change_list(reviewer_client, duplicates):
    kept, other = duplicates["kept"], duplicates["other"]
    Identifier.objects.create(person=kept, scheme="wikidata", value="Q1")
    Identifier.objects.create(person=other, scheme="wikidata", value="Q2")
    page = merge_action(reviewer_client, kept, other).content.decode()
    assert "Where they disagree: choose what stands" in page
    assert "1 statement (speaker person)" in page and "1 former address (person)" in page
    assert "2 identifiers (person)" in page
    assert f"its address\n      (/people/{other.slug}/) redirects" in page
    assert f"Q1 (of {kept.slug})" in page and f"Q2 (of {other.slug})" in page
    # Confirmed without a choice: refused, nothing merged.
    page = merge_action(reviewer_client, kept, other, keep=kept.pk, confirm="1").content.decode()
    assert "This field is required." in page
    assert Person.objects.filter(pk=other.pk).exists()
    response = merge_action(
        reviewer_client, kept, other, keep=kept.pk, confirm="1", **{"conflict:identifier:wikidata": other.pk}
    )
    assert "Merged “Hikmat Hajiyev” into “Hikmet Hajiyev”." in response.content.decode()
    assert list(Person.objects.values_list("slug", flat=True)) == ["hikmet-hajiyev"]
    assert list(kept.identifiers.filter(scheme="wikidata").values_list("value", flat=True)) == ["Q2"]


def test_the_reviewer_chooses_which_record_stays(reviewer_client, duplicates):
    kept, other = duplicates["kept"], duplicates["other"]
    merge_action(reviewer_client, kept, other, keep=other.pk, confirm="1")
    assert list(Person.objects.values_list("slug", flat=True)) == ["hikmat-hajiyev"]


def test_editors_are_not_offered_a_merge(editor_client, duplicates):
    assert "Merge the two selected people" not in editor_client.get("/admin/records/person/").content.decode()
    merge_action(editor_client, duplicates["kept"], duplicates["other"], keep=duplicates["kept"].pk, confirm="1")
    assert Person.objects.filter(pk=duplicates["other"].pk).exists()


def test_a_merge_needs_exactly_two(reviewer_client, duplicates):
    page = merge_action(reviewer_client, duplicates["kept"]).content.decode()
    assert "Select exactly two people to merge." in page


def test_the_merge_page_names_a_blocker(reviewer_client, db, state, body):
    Membership.objects.create(member_organization=state, organization=body)
    response = reviewer_client.post(
        "/admin/records/organization/", {"action": "merge", "_selected_action": [state.pk, body.pk]}
    )
    page = response.content.decode()
    assert "Change these first" in page and "would be a member of itself" in page
    assert 'name="confirm"' not in page


def test_merged_at_is_not_a_field_someone_must_choose(duplicates):
    # Timestamps differ between any two records; they are never a conflict.
    duplicates["other"].created = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert "created" not in {conflict.key for conflict in merging.conflicts(duplicates["kept"], duplicates["other"])}
