"""The example data set in docs/examples/ stays importable, and shows what it is there to show."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command

from records.models import Membership

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "foreign-ministers"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.django_db
def test_the_foreign_ministers_import_onto_the_article_and_succeed_each_other_on_one_lane(client):
    call_command("loaddata", *sorted(str(path) for path in Path("fixtures").glob("*.json")), verbosity=0)
    call_command("import_csv", str(EXAMPLE), verbosity=0)
    ministers = Membership.objects.published().filter(organization__slug="ministry-of-foreign-affairs-of-azerbaijan")
    assert ministers.count() == 7
    assert all(membership.citations.exists() for membership in ministers)

    page = client.get("/organizations/ministry-of-foreign-affairs-of-azerbaijan/").content.decode()
    start = page.index('<svg class="timeline-chart"')
    svg = ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    lanes = svg.findall(f".//{SVG}g[@class='timeline-lane']")
    assert len(lanes) == 1
    bars = lanes[0].findall(f".//{SVG}rect[@class='timeline-bar']")
    assert len(bars) == 7 and len({bar.get("y") for bar in bars}) == 1  # seven holders, one track
    assert page.count('class="cited"') >= 7  # every term shows its source
