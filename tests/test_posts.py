"""Posts: offices held in turn, curated in the admin, moved as posts.csv, shown with their holders."""

from django.core.management import call_command
from django.test import Client

from records.models import Citation, Membership, Post, Status

PUBLISHED = Status.PUBLISHED


def test_an_editor_adds_a_post_as_a_draft_and_a_reviewer_publishes_it_with_a_source(
    editor_client, reviewer, admin_form, state, source
):
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    url = "/admin/records/post/add/"
    data = admin_form(editor_client, url) | {
        "label": "Ambassador of Azerbaijan to Türkiye",
        "slug": "ambassador-to-turkiye",
        "organization": state.pk,
        "role": "ambassador",
        "area": "Türkiye",
    }
    assert editor_client.post(url, data).status_code == 302
    post = Post.objects.get(slug="ambassador-to-turkiye")
    assert post.status == Status.DRAFT
    change = f"/admin/records/post/{post.pk}/change/"
    assert 'name="status"' not in editor_client.get(change).text  # editors draft; reviewers publish

    # Published only with a citation, as memberships and events are.
    refused = reviewer_client.post(change, admin_form(reviewer_client, change) | {"status": PUBLISHED})
    assert refused.status_code == 200 and "cannot be published without at least one citation" in refused.text
    cited = admin_form(reviewer_client, change) | {
        "status": PUBLISHED,
        "citations-0-source": source.pk,
        "citations-0-excerpt": "the ambassador",
    }
    assert reviewer_client.post(change, cited).status_code == 302
    post.refresh_from_db()
    assert post.status == PUBLISHED and post.citations.count() == 1


def test_a_membership_holds_only_a_post_of_its_own_organization(reviewer_client, admin_form, person, state, body):
    post = Post.objects.create(slug="d-8-secretary-general", label="Secretary-General", organization=body)
    url = "/admin/records/membership/add/"
    data = admin_form(reviewer_client, url) | {
        "member_person": person.pk,
        "organization": state.pk,
        "post": post.pk,
        "kind": "head",
    }
    response = reviewer_client.post(url, data)
    assert response.status_code == 200 and "This post belongs to" in response.text
    assert not Membership.objects.exists()
    assert reviewer_client.post(url, data | {"organization": body.pk}).status_code == 302
    assert Membership.objects.get().post == post


def test_posts_and_their_holders_travel_as_csv(db, tmp_path, person, state, source):
    post = Post.objects.create(
        slug="foreign-minister",
        label="Minister of Foreign Affairs",
        other_labels="Xarici İşlər Naziri\nForeign Minister",
        organization=state,
        start_date="1991",
        status=PUBLISHED,
    )
    Citation.objects.create(source=source, post=post, excerpt="the minister")
    held = Membership.objects.create(member_person=person, organization=state, post=post, kind="head", status=PUBLISHED)
    Citation.objects.create(source=source, membership=held)
    call_command("export_csv", str(tmp_path / "dump"), verbosity=0)
    assert "foreign-minister" in (tmp_path / "dump" / "posts.csv").read_text(encoding="utf-8")
    for model in (Citation, Membership, Post):
        model.objects.all().delete()
    call_command("import_csv", str(tmp_path / "dump"), verbosity=0)
    post = Post.objects.get(slug="foreign-minister")
    assert post.other_label_list == ["Xarici İşlər Naziri", "Foreign Minister"]
    assert Membership.objects.get().post == post and post.citations.get().excerpt == "the minister"
    assert post.status == PUBLISHED


def test_a_post_page_shows_its_holders_in_succession_and_only_published_ones(client, db, state, source):
    from records.models import Person

    post = Post.objects.create(slug="envoy", label="Envoy to the OSCE", organization=state, status=PUBLISHED)
    Citation.objects.create(source=source, post=post)
    for number, (name, start, end, status) in enumerate(
        [
            ("First Envoy", "1993", "2001", PUBLISHED),
            ("Second Envoy", "2001", "", PUBLISHED),
            ("Hidden", "2000", "", "draft"),
        ]
    ):
        holder = Person.objects.create(slug=f"envoy-{number}", name=name, status=PUBLISHED)
        held = Membership.objects.create(
            member_person=holder, organization=state, post=post, start_date=start, end_date=end, status=status
        )
        Citation.objects.create(source=source, membership=held)
    page = client.get("/posts/envoy/").content.decode()
    assert "Second Envoy" in page.split("<h3>Now</h3>")[1].split("<h3>")[0]
    assert "First Envoy" in page.split("<h3>Before, latest first</h3>")[1]
    assert "Hidden" not in page
    assert client.get(f"/organizations/{state.slug}/").content.decode().count('href="/posts/envoy/"') >= 1
    post.status = "draft"
    post.save()
    assert client.get("/posts/envoy/").status_code == 404
