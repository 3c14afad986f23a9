"""The admin fits the window: no sideways scrolling at 1,280 px, usable at 360 px, every message readable.

Every add and change form, the import page with its problems and its
preview, and the merge page, in Debian's Chromium at both widths.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from records.models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Membership,
    Organization,
    OtherName,
    Person,
    Source,
    Statement,
    Topic,
)

pytestmark = pytest.mark.browser

MODELS = (
    Person,
    Organization,
    Membership,
    Event,
    Statement,
    Source,
    Topic,
    OtherName,
    Identifier,
    EventParticipant,
    Citation,
)

# The page must not scroll sideways; at 1,280 px no inline table may need to either.
MEASURE = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  boxes: [...document.querySelectorAll('.inline-group .tabular')]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => box.closest('.inline-group').id),
})"""

BAD_DATE = "hikmet-hajiyev,Hikmet Hajiyev,,1970-13-01,,draft\n"
MEMBERS = "member_person,member_organization,organization,role,kind,start_date,end_date,status\n"


@pytest.fixture
def signed_in(transactional_db, live_server, page, admin_user, client):
    call_command("loaddata", "fixtures/azernews-2026-03-12-hajiyev-global-baku-forum.json", verbosity=0)
    client.force_login(admin_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def fits(page, width, where, problems):
    measured = page.evaluate(MEASURE)
    if measured["page"] > 0 or (width >= 1280 and measured["boxes"]):
        problems.append(f"{width} px, {where}: {measured}")


def upload(page, base, model, name, text, tmp_path):
    path = tmp_path / name
    path.write_text(text)
    page.goto(f"{base}/admin/records/{model}/import/")
    page.locator("#id_import_file").set_input_files(str(path))
    page.locator("#id_format").select_option("0")
    page.get_by_role("button", name="Submit").click()


@pytest.mark.parametrize("width", [1280, 360])
def test_every_admin_form_and_the_import_and_merge_pages_fit(signed_in, live_server, width, tmp_path):
    page, base, problems = signed_in, live_server.url, []
    page.set_viewport_size({"width": width, "height": 900})
    for model in MODELS:
        name = model._meta.model_name
        record = model.objects.order_by("pk").first()
        for path in (f"{name}/add/", f"{name}/{record.pk}/change/"):
            page.goto(f"{base}/admin/records/{path}")
            fits(page, width, path, problems)

    # A refused import: every problem in words, whole, inside the window.
    upload(page, base, "person", "people.csv", "slug,name,summary,birth_date,death_date,status\n" + BAD_DATE, tmp_path)
    problem = page.locator(".import-problems li").first
    expect(problem).to_have_text(
        "people.csv row 2, column 'birth_date': '1970-13-01' is not a date: month 13 does not exist"
    )
    assert problem.bounding_box()["x"] + problem.bounding_box()["width"] <= width
    fits(page, width, "import problems", problems)

    # A preview that changes published records: what changes, and the warning.
    post = "hikmet-hajiyev,,presidential-administration-of-azerbaijan,Assistant to the President of Azerbaijan"
    text = MEMBERS + post + ",adviser,,2027,draft\n"
    upload(page, base, "membership", "memberships.csv", text, tmp_path)
    expect(page.locator(".messagelist .warning")).to_contain_text("Confirming unpublishes 1 record")
    expect(page.locator(".import-row").first).to_contain_text("end_date")
    fits(page, width, "import preview", problems)

    # The merge page, with a disagreement to settle.
    people = list(Person.objects.order_by("pk")[:2])
    page.goto(f"{base}/admin/records/person/")
    for person in people:
        page.locator(f"input[name=_selected_action][value='{person.pk}']").check()
    page.locator("select[name=action]").select_option("merge")
    page.locator("button[name=index]").click()
    expect(page.locator("h1")).to_have_text("Merge two people")
    fits(page, width, "merge", problems)
    assert not problems, "\n".join(problems)
