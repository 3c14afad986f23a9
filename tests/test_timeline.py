import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from records import timeline
from records.models import Membership, Organization, Person, Status

PUBLISHED = Status.PUBLISHED
TODAY = datetime.date(2026, 3, 20)
SVG = "{http://www.w3.org/2000/svg}"


def organization(name, **fields):
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return Organization(slug=slug, name=name, classification="government_body", status=PUBLISHED, **fields)


def held(name, **dates):
    """A post held at an organization, in memory: what a person's page draws."""
    person = Person(slug="hikmet-hajiyev", name="Hikmet Hajiyev", status=PUBLISHED)
    return Membership(member_person=person, organization=organization(name), kind="staff", **dates)


def build(*memberships, today=TODAY):
    return timeline.build(memberships, today=today, label_of=timeline.organization_label)


def row_named(drawn, label):
    return next(row for row in drawn.rows if row.label == label)


def render(drawn):
    html = render_to_string("records/_timeline.html", {"timeline": drawn})
    # The include is well-formed XML, so the drawing can be read back element by element.
    return html, ET.fromstring(html)


def test_there_is_no_timeline_without_memberships():
    assert build() is None


def test_bars_run_in_chronological_order_with_unknown_starts_last(person):
    for name, start in [("Ministry of Foreign Affairs", "2010"), ("Embassy in Ankara", "2005-06"), ("Cabinet", "")]:
        body = Organization.objects.create(
            slug=name.lower().replace(" ", "-"), name=name, classification="government_body", status=PUBLISHED
        )
        Membership.objects.create(member_person=person, organization=body, role="Adviser", start_date=start)
    fetched = list(Membership.objects.filter(member_person=person).select_related("organization"))

    drawn = build(*fetched)

    assert [row.label for row in drawn.rows] == ["Embassy in Ankara", "Ministry of Foreign Affairs", "Cabinet"]
    embassy, ministry, _ = drawn.rows
    assert embassy.x < ministry.x


def test_rows_starting_together_are_ordered_by_label():
    drawn = build(held("Zagatala Office", start_date="2020"), held("Absheron Office", start_date="2020"))
    assert [row.label for row in drawn.rows] == ["Absheron Office", "Zagatala Office"]


def test_a_start_known_to_the_year_begins_on_its_first_day():
    drawn = build(held("Ministry of Foreign Affairs", start_date="2025", end_date="2025-06"))
    row = drawn.rows[0]

    assert row.start == datetime.date(2025, 1, 1)
    tick_2025 = next(tick for tick in drawn.ticks if tick.year == 2025)
    assert row.x == tick_2025.x == drawn.x_of(datetime.date(2025, 1, 1))
    assert row.period == "2025 – June 2025"


def test_an_end_known_to_the_year_lasts_until_its_last_day():
    drawn = build(held("Ministry of Foreign Affairs", start_date="2019-09-01", end_date="2023"))
    row = drawn.rows[0]

    assert row.end == datetime.date(2023, 12, 31)
    assert row.x + row.width == pytest.approx(drawn.x_of(datetime.date(2024, 1, 1)), abs=0.02)
    assert not row.ongoing


def test_the_scale_is_padded_to_whole_years_and_reaches_today_for_what_still_lasts():
    drawn = build(
        held("Ministry of Foreign Affairs", start_date="2019-09-01", end_date="2021-02"),
        held("Embassy", start_date="2022-05"),
    )

    assert drawn.scale_start == datetime.date(2019, 1, 1)
    assert drawn.scale_end == datetime.date(2027, 1, 1)
    assert (drawn.first_year, drawn.last_year) == (2019, 2026)


def test_an_ongoing_membership_reaches_today():
    drawn = build(held("Presidential Administration", start_date="2021-02"))
    row = drawn.rows[0]

    assert row.ongoing
    assert row.end == TODAY
    assert row.period == "February 2021 – present"
    assert drawn.today_x is not None
    assert row.x + row.width == pytest.approx(drawn.today_x, abs=0.02)


def test_today_is_not_drawn_when_everything_has_ended():
    drawn = build(held("Ministry of Foreign Affairs", start_date="2001", end_date="2004"))
    assert drawn.today_x is None
    assert drawn.scale_end == datetime.date(2005, 1, 1)


def test_a_start_on_or_before_a_date_is_uncertain_and_fades_in():
    drawn = build(
        held("Presidential Administration", start_date="2026-03-12", start_date_bound="on_or_before"),
        held("Ministry of Foreign Affairs", start_date="2015", end_date="2020"),
    )
    row = row_named(drawn, "Presidential Administration")

    assert row.uncertain_start
    assert row.period == "on or before 12 March 2026 – present"
    assert "on or before 12 March 2026" in row.text
    # The fade lies before the date given and ends where the solid bar begins.
    assert row.lead_in_width > 0
    assert row.lead_in_x + row.lead_in_width == pytest.approx(row.x, abs=0.02)
    assert not row_named(drawn, "Ministry of Foreign Affairs").uncertain_start


def test_a_start_on_or_after_a_date_is_not_drawn_as_earlier():
    row = build(held("Embassy", start_date="2024", start_date_bound="on_or_after")).rows[0]
    assert not row.uncertain_start
    assert row.lead_in_width == 0
    assert row.period == "on or after 2024 – present"


def test_only_an_end_known_gives_a_fade_into_it_and_no_bar_claiming_a_length():
    row = build(held("Embassy", end_date="2018")).rows[0]

    assert row.uncertain_start and not row.ongoing
    assert row.period == "start unknown – 2018"
    assert row.width == 0
    assert row.lead_in_width > 0


def test_an_undated_membership_gets_a_row_without_a_bar():
    drawn = build(held("Cabinet of Ministers"), held("Embassy", start_date="2012"))
    row = row_named(drawn, "Cabinet of Ministers")

    assert drawn.rows[-1] is row
    assert row.undated and not row.has_bar
    assert row.width == row.lead_in_width == 0
    assert row.period == "dates unknown"

    _, figure = render(drawn)
    dated_group, undated_group = [
        group for group in figure.iter(f"{SVG}g") if group.get("class").startswith("timeline-row")
    ]
    assert "is-undated" in undated_group.get("class")
    assert undated_group.find(f"{SVG}rect") is None
    assert dated_group.find(f"{SVG}rect[@class='timeline-bar']") is not None


def test_only_undated_memberships_draw_no_timeline():
    # An axis with nothing on it says nothing; the list beside the chart says "dates not recorded".
    assert build(held("Cabinet of Ministers"), held("Embassy")) is None


def test_an_undated_membership_beside_dated_ones_keeps_its_row():
    drawn = build(held("Embassy", start_date="2020"), held("Cabinet of Ministers"))

    assert [row.period for row in drawn.rows] == ["2020 – present", "dates unknown"]
    html, _ = render(drawn)
    assert "Cabinet of Ministers" in html


def test_the_same_year_is_said_once():
    assert build(held("Embassy", start_date="2025", end_date="2025")).rows[0].period == "2025"


def test_year_labels_stay_few_and_round_over_a_long_span():
    drawn = build(
        held("Ministry of Foreign Affairs", start_date="1951", end_date="1960"), held("Embassy", start_date="1991")
    )
    years = [tick.year for tick in drawn.ticks]

    assert 2 <= len(years) <= 8
    assert all(year % 10 == 0 for year in years)
    assert [tick.x for tick in drawn.ticks] == sorted(tick.x for tick in drawn.ticks)


def test_each_row_reads_as_a_sentence_for_screen_readers():
    dated = held("Embassy", start_date="2020")
    row = build(dated, held("Presidential Administration")).rows[1]
    row_with_role = build(
        dated,
        Membership(
            member_person=Person(slug="h", name="Hikmet Hajiyev", status=PUBLISHED),
            organization=organization("Presidential Administration"),
            role="Assistant to the President of Azerbaijan",
        ),
    ).rows[1]

    assert row.text == "Staff, Presidential Administration: dates unknown"
    assert row_with_role.text == "Assistant to the President of Azerbaijan, Presidential Administration: dates unknown"


def test_an_organization_page_labels_rows_by_member(state, body, person):
    Membership.objects.create(member_organization=state, organization=body, start_date="1997-06-15")
    Membership.objects.create(member_person=person, organization=body, role="Observer", start_date="2024")
    fetched = list(body.members.select_related("member_person", "member_organization", "organization"))

    drawn = timeline.build(fetched, today=TODAY, label_of=timeline.member_label)

    assert [(row.label, row.href) for row in drawn.rows] == [
        ("Republic of Azerbaijan", state.get_absolute_url()),
        ("Hikmet Hajiyev", person.get_absolute_url()),
    ]


def test_a_draft_record_is_labelled_but_not_linked():
    draft = held("Secret Commission", start_date="2020")
    draft.organization.status = Status.DRAFT
    row = build(draft).rows[0]
    assert (row.label, row.href) == ("Secret Commission", "")


def test_building_runs_no_query(person, django_assert_num_queries):
    for index in range(3):
        body = Organization.objects.create(
            slug=f"body-{index}", name=f"Body {index}", classification="government_body", status=PUBLISHED
        )
        Membership.objects.create(member_person=person, organization=body, start_date=f"20{index}0")
    fetched = list(Membership.objects.filter(member_person=person).select_related("organization"))

    with django_assert_num_queries(0):
        drawn = build(*fetched)
        render(drawn)

    assert len(drawn.rows) == 3


def test_the_svg_has_a_title_a_description_and_escaped_labels():
    drawn = build(
        held(
            "Presidential Administration <script>alert(1)</script>",
            start_date="2026-03-12",
            start_date_bound="on_or_before",
        ),
        held("Cabinet of Ministers"),
    )
    html, figure = render(drawn)
    svg = figure.find(f"{SVG}svg")

    assert figure.tag == "figure"
    assert figure.find("figcaption") is not None
    assert "<script" not in html
    assert "Presidential Administration &lt;script&gt;alert(1)&lt;/script&gt;" in html
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Posts and memberships over time"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert (
        "Staff, Presidential Administration <script>alert(1)</script>: on or before 12 March 2026 – present."
        in desc.text
    )
    assert "Staff, Cabinet of Ministers: dates unknown." in desc.text
    links = [link.get("href") for link in svg.iter(f"{SVG}a")]
    assert links == [row.membership.organization.get_absolute_url() for row in drawn.rows]


def test_the_svg_scales_to_any_width_without_styles_or_scripts():
    html, figure = render(
        build(held("Embassy", start_date="2012", end_date="2019"), held("Cabinet", start_date="2020"))
    )
    svg = figure.find(f"{SVG}svg")

    assert svg.get("width") == "100%"
    assert svg.get("height") is None
    assert re.fullmatch(r"0 0 \d+ [\d.]+", svg.get("viewBox"))
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=|javascript:", html, re.IGNORECASE)


def test_coordinates_stay_plain_numbers_in_a_language_with_decimal_commas():
    drawn = build(held("Embassy", start_date="2012-05", end_date="2019-07-13"))
    with translation.override("de"):
        _, figure = render(drawn)

    bar = figure.find(f".//{SVG}rect[@class='timeline-bar']")
    assert float(bar.get("x")) == drawn.rows[0].x
    assert float(bar.get("width")) == drawn.rows[0].width


def test_two_timelines_on_one_page_have_their_own_ids():
    first = build(held("Embassy", start_date="2012"))
    second = build(held("Cabinet", start_date="2012"))

    assert first.dom_id != second.dom_id
    assert first.dom_id == build(held("Embassy", start_date="2012")).dom_id
