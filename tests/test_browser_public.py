"""A reader finds people and organizations on the public pages, on a phone and on a desktop.

Drives Debian's Chromium headless through Playwright (the `page` fixture of
tests/conftest.py) against the live test server with the founding article
loaded. The live server serves the stylesheet (pytest-django hands it
django.contrib.staticfiles' handler), and every page visited must fit its
viewport: nothing may scroll sideways at 360 px.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FIXTURES = sorted(str(path) for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

# The elements whose box or content reaches furthest past the right edge, to say what to fix.
WIDEST = """
(limit) => [...document.querySelectorAll("body *")]
  .map((element) => {
    const box = element.getBoundingClientRect();
    return {element, right: box.left + Math.max(box.width, element.scrollWidth)};
  })
  .filter(({right}) => right > limit)
  // Widest first; of equally wide ones, the innermost, which is the one to fix.
  .sort((a, b) => b.right - a.right || (a.element.contains(b.element) ? 1 : -1))
  .slice(0, 5)
  .map(({element, right}) => {
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + [...element.classList].map((c) => "." + c).join("");
    return `${name} reaches ${Math.round(right)}px: ${(element.textContent || "").trim().slice(0, 60)}`;
  })
"""


@pytest.fixture
def article(transactional_db):
    call_command("loaddata", *FIXTURES, verbosity=0)


class Reader:
    """One reader on one viewport; every page they reach is checked the same way."""

    def __init__(self, page, base_url, viewport):
        self.page = page
        self.base = base_url
        self.width = viewport["width"]
        page.set_viewport_size(viewport)

    def open(self, path):
        self.page.goto(f"{self.base}{path}")
        self.check_page()

    def click(self, link):
        before = self.page.url
        link.click()
        self.page.wait_for_url(lambda url: url != before)
        self.check_page()

    def check_page(self):
        expect(self.page.locator("main h1")).to_be_visible()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > self.width:
            widest = self.page.evaluate(WIDEST, self.width)
            pytest.fail(f"{self.page.url} is {width}px wide on a {self.width}px viewport:\n" + "\n".join(widest))

    def expect_heading(self, text):
        expect(self.page.locator("main h1")).to_contain_text(text)

    def search(self, words):
        header = self.page.locator("header.site")
        header.get_by_role("searchbox", name="Search").fill(words)
        self.click(header.get_by_role("button", name="Search"))
        self.expect_heading("Search")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reader_follows_a_person_to_statements_sources_and_organizations(live_server, article, page, viewport):
    reader = Reader(page, live_server.url, viewport)
    main = page.locator("main")

    reader.open("/")
    reader.expect_heading("Diplomacy Records")
    # The stylesheet loaded and applies.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"

    # A spelling without the diacritics finds Türkiye.
    reader.search("Turkiye")
    reader.click(main.get_by_role("link", name="Türkiye", exact=True))
    reader.expect_heading("Türkiye")

    # An Azerbaijani spelling in Latin letters finds Hajiyev.
    reader.open("/")
    reader.search("Haciyev")
    reader.click(main.get_by_role("link", name="Hikmet Hajiyev", exact=True))
    reader.expect_heading("Hikmet Hajiyev")
    expect(main.get_by_text("Hikmət Hacıyev", exact=True)).to_be_visible()
    # His posts carry no dates in the article: listed, with no empty chart.
    expect(main.get_by_text("dates not recorded").first).to_be_visible()
    expect(main.locator("figure.timeline")).to_have_count(0)

    # Each post and each statement shows its source where it is listed; the passage opens on a click.
    posts = main.locator("section[aria-labelledby=posts]")
    expect(posts.locator(".cited").first).to_contain_text("Hikmet Hajiyev on the crisis of multilateralism")
    quote = main.locator("article.statement", has_text="Azerbaijan, Australia, and Türkiye can work together")
    passage = quote.locator("details.passage")
    expect(passage.locator("blockquote")).to_be_hidden()
    passage.locator("summary").click()
    expect(passage.locator("blockquote")).to_be_visible()
    reader.click(quote.get_by_role("link", name="Details"))
    reader.expect_heading("Hikmet Hajiyev")
    expect(main.locator(".said")).to_contain_text("Azerbaijan, Australia, and Türkiye can work together")
    source_link = main.locator("section[aria-labelledby=source]").get_by_role(
        "link", name="Hikmet Hajiyev on the crisis of multilateralism"
    )
    expect(source_link).to_be_visible()
    statement_url = page.url

    reader.click(source_link)
    reader.expect_heading("Hikmet Hajiyev on the crisis of multilateralism at the Global Baku Forum")

    # The publisher.
    reader.click(main.locator("dl.facts").get_by_role("link", name="AzerNEWS", exact=True))
    reader.expect_heading("AzerNEWS")

    # A state the statement mentions, with its memberships drawn as a timeline.
    reader.open(statement_url.removeprefix(live_server.url))
    reader.click(main.locator("dl.facts").get_by_role("link", name="Azerbaijan", exact=True))
    reader.expect_heading("Azerbaijan")
    expect(main.locator("#member-of ~ figure.timeline svg")).to_be_visible()
