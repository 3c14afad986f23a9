"""The SVG timeline: a lane per office or body, holders in succession along it, readable at any length."""

import datetime
import itertools
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


HAJIYEV = Person(slug="hikmet-hajiyev", name="Hikmet Hajiyev", status=PUBLISHED)


def held(name, role="", **dates):
    """A post held at an organization, in memory: what a person's page draws."""
    return Membership(member_person=HAJIYEV, organization=organization(name), role=role, kind="staff", **dates)


def build(*memberships, today=TODAY, lane_of=timeline.by_post):
    return timeline.build(memberships, today=today, lane_of=lane_of)


def only(drawn):
    (lane,) = drawn.lanes
    (segment,) = lane.segments
    return segment


def lane_titled(drawn, title):
    return next(lane for lane in drawn.lanes if lane.title == title)


def render(drawn):
    html = render_to_string("records/_timeline.html", {"timeline": drawn})
    # The include is well-formed XML, so the drawing can be read back element by element.
    return html, ET.fromstring(html)


def test_there_is_no_timeline_without_dated_memberships():
    assert build() is None
    # An axis with nothing on it says nothing; the list beside the chart says "dates not recorded".
    assert build(held("Cabinet of Ministers"), held("Embassy")) is None


def test_lanes_run_in_chronological_order_with_undated_ones_last():
    drawn = build(
        held("Ministry of Foreign Affairs", start_date="2010"), held("Embassy in Ankara", start_date="2005-06")
    )
    assert [lane.title for lane in drawn.lanes] == ["Embassy in Ankara", "Ministry of Foreign Affairs"]
    drawn = build(held("Cabinet"), held("Embassy", start_date="2012"))
    assert [lane.title for lane in drawn.lanes] == ["Embassy", "Cabinet"]


def test_posts_held_at_one_body_share_its_lane_in_succession():
    drawn = build(
        held("Presidential Administration", role="Head of Department", start_date="2012", end_date="2021-02"),
        held("Presidential Administration", role="Assistant to the President", start_date="2021-02"),
    )
    (lane,) = drawn.lanes
    assert lane.tracks == 1
    first, second = lane.segments
    assert (first.label, second.label) == ("Head of Department", "Assistant to the President")
    assert first.bar_y == second.bar_y and first.x < second.x  # February 2021 is in both: one handed over to the other
    assert second.label_x is None or second.label_x >= first.x + first.width  # no label over the other's bar


def test_a_start_known_to_the_year_begins_on_its_first_day_and_an_end_lasts_to_its_last():
    drawn = build(held("Ministry of Foreign Affairs", start_date="2019", end_date="2023"))
    segment = only(drawn)
    assert (segment.start, segment.end) == (datetime.date(2019, 1, 1), datetime.date(2023, 12, 31))
    assert segment.x == drawn.x_of(datetime.date(2019, 1, 1))
    assert segment.x + segment.width == pytest.approx(drawn.x_of(datetime.date(2024, 1, 1)), abs=0.02)
    assert segment.period == "2019 – 2023"


def test_the_scale_is_padded_to_whole_years_and_reaches_today_for_what_still_lasts():
    drawn = build(held("Ministry", start_date="2019-09-01", end_date="2021-02"), held("Embassy", start_date="2022-05"))
    assert (drawn.scale_start, drawn.scale_end) == (datetime.date(2019, 1, 1), datetime.date(2027, 1, 1))
    assert (drawn.first_year, drawn.last_year) == (2019, 2026)


def test_an_ongoing_membership_reaches_today_with_an_arrow():
    drawn = build(held("Presidential Administration", start_date="2021-02"))
    segment = only(drawn)
    assert segment.ongoing and segment.end == TODAY
    assert segment.period == "February 2021 – ongoing"
    assert segment.x + segment.width == pytest.approx(drawn.today_x, abs=0.02)
    _, figure = render(drawn)
    assert figure.find(f".//{SVG}polygon[@class='timeline-ongoing']") is not None


def test_today_is_not_drawn_when_everything_has_ended():
    drawn = build(held("Ministry of Foreign Affairs", start_date="2001", end_date="2004"))
    assert drawn.today_x is None
    assert drawn.scale_end == datetime.date(2005, 1, 1)


def test_an_end_not_known_fades_out_and_is_not_ongoing():
    drawn = build(held("Embassy", start_date="2010", ended_date_unknown=True))
    segment = only(drawn)
    assert segment.ended_unknown and not segment.ongoing
    assert segment.period == "2010 – ended (date unknown)"
    assert segment.lead_out_width > 0
    assert drawn.today_x is None
    html, figure = render(drawn)
    assert figure.find(f".//{SVG}rect[@class='timeline-lead-out']") is not None
    assert figure.find(f".//{SVG}polygon") is None
    assert "has ended, at a date not known" in html


def test_a_start_on_or_before_a_date_is_uncertain_and_fades_in():
    drawn = build(
        held("Presidential Administration", start_date="2026-03-12", start_date_bound="on_or_before"),
        held("Ministry of Foreign Affairs", start_date="2015", end_date="2020"),
    )
    segment = lane_titled(drawn, "Presidential Administration").segments[0]
    assert segment.uncertain_start
    assert segment.period == "on or before 12 March 2026 – ongoing"
    assert segment.lead_in_width > 0
    assert segment.lead_in_x + segment.lead_in_width == pytest.approx(segment.x, abs=0.02)
    assert not lane_titled(drawn, "Ministry of Foreign Affairs").segments[0].uncertain_start


def test_a_start_on_or_after_a_date_is_not_drawn_as_earlier():
    segment = only(build(held("Embassy", start_date="2024", start_date_bound="on_or_after")))
    assert not segment.uncertain_start and segment.lead_in_width == 0
    assert segment.period == "on or after 2024 – ongoing"


def test_only_an_end_known_gives_a_fade_into_it_and_no_bar_claiming_a_length():
    segment = only(build(held("Embassy", end_date="2018")))
    assert segment.uncertain_start and not segment.ongoing
    assert segment.period == "start unknown – 2018"
    assert segment.width == 0 and segment.lead_in_width > 0


def test_an_undated_membership_is_named_in_its_lane_not_drawn():
    drawn = build(
        held("Embassy", role="Attaché", start_date="2012", end_date="2014"), held("Embassy", role="Counsellor")
    )
    (lane,) = drawn.lanes
    assert [segment.label for segment in lane.segments] == ["Attaché"]
    assert [line.text for line in lane.undated_lines] == ["Dates unknown: Counsellor"]
    assert "Embassy: Counsellor, dates unknown." in drawn.description


def test_the_same_year_is_said_once():
    assert only(build(held("Embassy", start_date="2025", end_date="2025"))).period == "2025"


def test_year_labels_stay_few_and_round_over_a_long_span():
    drawn = build(held("Ministry", start_date="1951", end_date="1960"), held("Embassy", start_date="1991"))
    years = [tick.year for tick in drawn.ticks]
    assert 2 <= len(years) <= 8 and all(year % 10 == 0 for year in years)


# An office held by many: one lane, its holders in succession ----------------------


def holders(count, first_year=1956, years_each=1.4):
    """`count` successive holders of one office, one after another since `first_year`, the last still in office."""
    office = organization("Ministry of Foreign Affairs")
    held_by = []
    for index in range(count):
        start = first_year + int(index * years_each)
        end = "" if index == count - 1 else str(first_year + int((index + 1) * years_each) - 1)
        minister = Person(slug=f"minister-{index}", name=f"Minister {index}", status=PUBLISHED)
        held_by.append(
            Membership(
                member_person=minister, organization=office, role="Minister", start_date=str(start), end_date=end
            )
        )
    return held_by


def test_fifty_holders_over_seventy_years_are_one_short_lane():
    drawn = timeline.build(holders(50), today=TODAY, lane_of=timeline.by_role)
    (lane,) = drawn.lanes
    assert lane.title == "Minister" and len(lane.segments) == 50
    assert lane.tracks == 1
    _, figure = render(drawn)
    svg = figure.find(f"{SVG}svg")
    height = float(svg.get("viewBox").split()[3])
    assert height <= 140  # a few bars high, not fifty rows
    # Every holder is named: in the description, and in each bar's tooltip.
    desc = svg.find(f"{SVG}desc").text
    assert all(f"Minister {index}," in desc for index in range(50))
    assert len(svg.findall(f".//{SVG}g[@class='timeline-segment']/{SVG}title")) + 1 == len(
        [g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("timeline-segment")]
    )


def test_holders_who_overlap_take_a_second_track():
    office = organization("Commission")
    co_chairs = [
        Membership(
            member_person=Person(slug=f"p{n}", name=f"Co-chair {n}", status=PUBLISHED),
            organization=office,
            role="Co-chair",
            start_date=start,
            end_date=end,
        )
        for n, (start, end) in enumerate([("2010", "2015"), ("2012", "2018"), ("2016", "2020")])
    ]
    (lane,) = timeline.build(co_chairs, today=TODAY, lane_of=timeline.by_role).lanes
    assert lane.tracks == 2
    first, second, third = lane.segments
    assert first.bar_y == third.bar_y != second.bar_y


def test_a_label_goes_inside_its_bar_beside_it_or_only_in_its_tooltip():
    long_post = held("Embassy", role="Extraordinary and Plenipotentiary Ambassador", start_date="2000", end_date="2025")
    short_post = held("Ministry", role="Adviser", start_date="2024-01", end_date="2024-03")
    drawn = build(long_post, short_post)
    inside = lane_titled(drawn, "Embassy").segments[0]
    beside = lane_titled(drawn, "Ministry").segments[0]
    assert inside.label_inside and inside.label_x == pytest.approx(inside.x + 3)
    assert not beside.label_inside
    crowded = timeline.build(holders(50), today=TODAY, lane_of=timeline.by_role).lanes[0].segments
    assert any(segment.label_x is None for segment in crowded)


def test_each_segment_reads_as_a_sentence_for_screen_readers():
    drawn = build(held("Presidential Administration", role="Assistant to the President", start_date="2021"))
    assert only(drawn).text == "Presidential Administration: Assistant to the President, 2021 – ongoing"


def test_an_organization_page_names_its_members_in_each_lane(state, body, person):
    Membership.objects.create(member_organization=state, organization=body, start_date="1997-06-15")
    Membership.objects.create(member_person=person, organization=body, role="Observer", start_date="2024")
    fetched = list(body.members.select_related("member_person", "member_organization", "organization"))
    drawn = timeline.build(fetched, today=TODAY, lane_of=timeline.by_role)
    assert [(lane.title, [(s.label, s.href) for s in lane.segments]) for lane in drawn.lanes] == [
        ("Member", [("Republic of Azerbaijan", state.get_absolute_url())]),
        ("Observer", [("Hikmet Hajiyev", person.get_absolute_url())]),
    ]


def test_a_draft_record_is_not_linked():
    draft = held("Secret Commission", start_date="2020")
    draft.organization.status = Status.DRAFT
    drawn = build(draft)
    assert drawn.lanes[0].href == ""


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
    assert len(drawn.lanes) == 3


def test_the_svg_has_a_title_a_description_and_escaped_labels():
    drawn = build(
        held(
            "Presidential Administration <script>alert(1)</script>",
            start_date="2026-03-12",
            start_date_bound="on_or_before",
        ),
        held("Cabinet of Ministers", start_date="2020"),
    )
    html, figure = render(drawn)
    svg = figure.find(f"{SVG}svg")
    assert figure.tag == "figure" and figure.find("figcaption") is not None
    assert "<script" not in html
    assert "Presidential Administration &lt;script&gt;alert(1)&lt;/script&gt;" in html
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Posts and memberships over time"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert (
        "Presidential Administration <script>alert(1)</script>: Staff, on or before 12 March 2026 – ongoing."
        in desc.text
    )
    links = [link.get("href") for link in svg.iter(f"{SVG}a")]
    assert links == [lane.segments[0].membership.organization.get_absolute_url() for lane in drawn.lanes]


def test_the_svg_scales_to_any_width_without_styles_or_scripts():
    html, figure = render(
        build(held("Embassy", start_date="2012", end_date="2019"), held("Cabinet", start_date="2020"))
    )
    svg = figure.find(f"{SVG}svg")
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert "style=" not in html and "<script" not in html


def test_coordinates_stay_plain_numbers_in_a_language_with_decimal_commas():
    drawn = build(held("Embassy", start_date="2012-03-05", end_date="2019-07"))
    with translation.override("de"):
        html, _ = render(drawn)
    assert re.search(r'x="\d+\.\d+"', html)
    assert not re.search(r'x="\d+,\d+"', html)


def test_two_timelines_on_one_page_have_their_own_ids():
    one = build(held("Embassy", start_date="2012"))
    two = build(held("Ministry", start_date="2012"))
    assert one.dom_id != two.dom_id


def test_successors_dated_at_different_precisions_meet_on_one_track():
    """ "Ended 29 May 1992" and "began 1992" are a handover, not an overlap: the more precise date places it."""
    office = organization("Ministry of Foreign Affairs")
    terms = [("1988-01-23", "1992-05-29"), ("1992", "1993"), ("1993-09-02", "1998-02-17"), ("1998", "1999")]
    terms += [("1999", "2004"), ("2004-04-02", "")]
    ministers = [
        Membership(
            member_person=Person(slug=f"m{n}", name=f"Minister {n}", status=PUBLISHED),
            organization=office,
            role="Minister",
            start_date=start,
            end_date=end,
        )
        for n, (start, end) in enumerate(terms)
    ]
    drawn = timeline.build(ministers, today=TODAY, lane_of=timeline.by_role)
    (lane,) = drawn.lanes
    assert lane.tracks == 1
    bars = lane.segments
    for previous, successor in itertools.pairwise(bars):
        assert previous.x + previous.width == pytest.approx(successor.x)  # they meet, neither hides the other
    # The exact end of the first term decides where the coarse "1992" begins ...
    assert bars[1].x == pytest.approx(drawn.x_of(datetime.date(1992, 5, 30)), abs=0.05)
    # ... the exact start of the third where the coarse "1993" ends ...
    assert bars[2].x == pytest.approx(drawn.x_of(datetime.date(1993, 9, 2)), abs=0.05)
    # ... and two years, "1999" against "1999", meet halfway through it.
    assert bars[4].x == pytest.approx(drawn.x_of(datetime.date(1999, 7, 2)), abs=0.2)
