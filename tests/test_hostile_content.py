"""Hostile text stored in any record can neither run in a page nor become a formula in a spreadsheet.

Every text column a curator can fill, of every model of the records app, is found through `_meta` (a new
column or model is covered without a change here) and holds markup that would run if a page let it through:
a <script>, an <img onerror>, quotes that would end an attribute, </title> and </textarea> that would end an
element. All records are published and linked to each other, so that each shows somewhere. Then:

- no public page (lists, filtered lists, search, every detail page) holds the markup raw, and each value is
  shown escaped; the only <script> element of a public page is its JSON-LD block, which cannot be closed
  early and parses back to the stored text, intact;
- /popolo.json carries the text intact as JSON that no browser runs as a page;
- no admin page (change lists and their search, change, history, version, delete and merge pages, the
  import preview) holds the markup raw.

A second set of records holds formula-looking text (=, +, -, @, tab, carriage return first) in every text
column, and every CSV file a user can get (the admin's export, the public lists' downloads, `manage.py
export_csv`, the full data set of `manage.py build_downloads` served at /data/) starts no cell with a
formula character, except genuine numbers, and carries each value with the apostrophe that neutralises it.
"""

import csv
import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlencode

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator, URLValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import escape
from import_export.formats.base_formats import XLSX

from records.formats import CSV, FORMATS
from records.models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Link,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    Person,
    PersonMention,
    Post,
    Source,
    Statement,
    Status,
    Topic,
)
from records.resources import RESOURCES

# What must never reach a page as markup. Admin pages have <script src> and <img> of their own, so only
# these exact openings are looked for there; public pages have no <img> and no <script> but JSON-LD at all.
RAW = ("<script>alert", '"><script', "<img src=x")

# Text columns that cannot hold markup, and why. A column left out must also refuse the markup when checked
# (test_every_column_left_out_refuses_markup); every other text column is filled.
SEARCH_TEXT = "the folded search text, written by the software on save from the columns searched"
CHOICES = "one of a fixed list of choices"
PATTERN = "checked against a pattern: a slug, a YYYY[-MM[-DD]] date or a language code"
PLAIN_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)

# Filled columns that no public page shows: their text goes to /popolo.json and the CSV files only.
NOT_ON_PUBLIC_PAGES = {
    ("person", "gender"): "kept for Popolo's gender property",
    ("person", "image"): "a portrait's address, exported but never embedded",
    ("membership", "area"): "the constituency, exported to Popolo",
}

# Filled columns that the Popolo document does not carry (docs/popolo.md): the CSV files do.
NOT_IN_POPOLO = {
    ("membership", "start_date_wording"): "relative wording is not carried",
    ("membership", "end_date_wording"): "relative wording is not carried",
    ("statement", "date_wording"): "relative wording is not carried",
    ("source", "note"): "a source travels as its address and title only",
    ("eventparticipant", "note"): "event participants are not carried",
    ("topic", "name"): "topics are not carried",
}

# Cells that start with one of these are run as formulae by spreadsheets (records/batch/columns.py).
# What a spreadsheet runs as a formula, leading spaces and full-width signs included (records/batch/columns.py).
FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
FORMULAE = ('=HYPERLINK("http://evil.example","x{n}")', "+1+{n}", "-2+{n}", "@SUM(A{n})", "\t=1+{n}", "\r=1+{n}")
FORMULAE += (" =1+{n}", "＝1+{n}", "＠SUM(A{n})")
CSV_ZIP = "diplomacy-records-csv.zip"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
PUBLISHED = Status.PUBLISHED


def short_markup(n):
    return f'"><script>alert({n})</script>'


def long_markup(n):
    return f"</title></textarea>\"'><script>alert({n})</script><img src=x onerror=alert({n})>"


def url_markup(n):
    return f"https://example.org/{n}/\"><script>alert({n})</script>?q='-alert({n})-'"


def markup(field, n):
    """Markup for a column: a valid address carrying it for a URL, the longest kind that fits otherwise."""
    if isinstance(field, models.URLField):
        return url_markup(n)
    value = long_markup(n)
    return value if field.max_length is None or len(value) <= field.max_length else short_markup(n)


def formula(field, n):
    """A formula-looking value for a column; None for a URL, which starts with its scheme."""
    if isinstance(field, models.URLField):
        return None
    value = FORMULAE[n % len(FORMULAE)].format(n=n)
    return value if field.max_length is None or len(value) <= field.max_length else f"+1+{n}"


def text_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.CharField | models.TextField)]


def left_out(field):
    """Why no curator can put markup into this text column, or None when one can."""
    if field.name == getattr(field.model, "search_field", None):
        return SEARCH_TEXT
    if field.choices:
        return CHOICES
    if isinstance(field, models.URLField):
        return None  # filled with a valid address that carries the markup
    if any(not isinstance(validator, PLAIN_VALIDATORS) for validator in field.validators):
        return PATTERN
    if field.max_length is not None and field.max_length < len(short_markup(999)):
        return f"at most {field.max_length} characters, too few for markup"
    return None


def curated_models():
    """The models of the records app, without the copies django-simple-history keeps of them."""
    return [
        model for model in apps.get_app_config("records").get_models() if not model.__name__.startswith("Historical")
    ]


def fillable(model):
    return [field for field in text_fields(model) if left_out(field) is None]


@dataclass(frozen=True)
class Filled:
    """A value written into one column of one record."""

    record: models.Model
    field: models.Field
    value: str

    @property
    def key(self):
        return (self.record._meta.model_name, self.field.name)


@dataclass
class Family:
    """Records of every kind, linked to each other, and what was written into their text columns."""

    records: dict
    filled: list

    def __getitem__(self, name):
        return self.records[name]

    def values(self, record):
        return [item.value for item in self.filled if item.record is record]


def build(prefix):
    """One or two records of every kind, all published and linked so that each shows on some public page.

    Text columns hold placeholders here; fill() writes the values to test as a second version of each record.
    """
    on = datetime.date(2025, 3, 12)
    topic = Topic.objects.create(name=f"{prefix} topic", slug=f"{prefix}-topic")
    person = Person.objects.create(slug=f"{prefix}-person", name="x", birth_date="1970", status=PUBLISHED)
    author = Person.objects.create(slug=f"{prefix}-author", name="y", status=PUBLISHED)
    body = Organization.objects.create(
        slug=f"{prefix}-body", name="x", classification="intergovernmental", status=PUBLISHED
    )
    state = Organization.objects.create(slug=f"{prefix}-state", name="x", classification="state", status=PUBLISHED)
    department = Organization.objects.create(
        slug=f"{prefix}-department", name="x", classification="government_body", parent=state, status=PUBLISHED
    )
    media = Organization.objects.create(slug=f"{prefix}-media", name="x", classification="media", status=PUBLISHED)
    forum = Event.objects.create(
        slug=f"{prefix}-forum", name="x", classification="forum", start_date="2025-03-12", status=PUBLISHED
    )
    panel = Event.objects.create(
        slug=f"{prefix}-panel",
        name="x",
        classification="panel",
        parent=forum,
        start_date="2025-03-12",
        status=PUBLISHED,
    )
    source = Source.objects.create(
        slug=f"{prefix}-source",
        title="x",
        publisher=media,
        author=author,
        published_at=datetime.datetime(2025, 3, 12, 13, 15, tzinfo=datetime.UTC),
        utc_offset_minutes=-180,  # a negative number: the one kind of cell that may start with "-"
        status=PUBLISHED,
    )
    office = Post.objects.create(
        slug=f"{prefix}-office", label="x", organization=department, role="x", area="x", status=PUBLISHED
    )
    held = Membership.objects.create(
        member_person=person,
        organization=department,
        post=office,
        kind="head",
        start_date="2020",
        start_date_relative_to=on,
        end_date_relative_to=on,
        status=PUBLISHED,
    )
    belongs = Membership.objects.create(
        member_organization=state,
        organization=body,
        kind="member",
        start_date="1992",
        start_date_relative_to=on,
        end_date_relative_to=on,
        status=PUBLISHED,
    )
    said = Statement.objects.create(
        slug=f"{prefix}-said",
        speaker_person=person,
        event=panel,
        source=source,
        kind="paraphrase",
        text="x",
        date="2025-03-12",
        date_relative_to=on,
        status=PUBLISHED,
    )
    quoted = Statement.objects.create(
        slug=f"{prefix}-quoted",
        speaker_organization=state,
        event=forum,
        source=source,
        kind="quote",
        text="x",
        date="2025-03-11",
        date_relative_to=on,
        status=PUBLISHED,
    )
    said.topics.add(topic)
    quoted.topics.add(topic)
    OrganizationMention.objects.create(statement=said, organization=state)
    PersonMention.objects.create(statement=quoted, person=person)
    records = {
        "topic": topic,
        "person": person,
        "author": author,
        "state": state,
        "body": body,
        "department": department,
        "media": media,
        "person name": OtherName.objects.create(person=person, name="x"),
        "state name": OtherName.objects.create(organization=state, name="x"),
        "person identifier": Identifier.objects.create(person=person, scheme="wikidata", value=f"{prefix}-q"),
        "state identifier": Identifier.objects.create(organization=state, scheme="viaf", value=f"{prefix}-v"),
        "person link": Link.objects.create(person=person, url="https://example.org/"),
        "state link": Link.objects.create(organization=state, url="https://example.org/"),
        "forum": forum,
        "panel": panel,
        "office": office,
        "source": source,
        "held": held,
        "belongs": belongs,
        "said": said,
        "quoted": quoted,
        "speaker": EventParticipant.objects.create(event=panel, person=person, role="speaker"),
        "delegation": EventParticipant.objects.create(event=forum, organization=state, role="delegation"),
    }
    for name, fact in [("held", held), ("belongs", belongs), ("forum", forum), ("panel", panel), ("office", office)]:
        records[f"{name} citation"] = Citation.objects.create(source=source, **{fact._meta.model_name: fact})
    records["said citation"] = Citation.objects.create(source=source, statement=said)
    records["quoted citation"] = Citation.objects.create(source=source, statement=quoted)
    return records


def fill(records, value_for, reason=None):
    """Write value_for(field, n) into every column a curator can fill, saving each record once more."""
    filled = []
    for record in records.values():
        for field in fillable(type(record)):
            value = value_for(field, len(filled))
            if value is not None:
                setattr(record, field.attname, value)
                filled.append(Filled(record, field, value))
        record._change_reason = reason(len(filled)) if reason else None
        record.save()
    return Family(records, filled)


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """Markup in every text column of one family of records, formulae in those of another; built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        markup_family = fill(build("m"), markup, reason=long_markup)
        formula_family = fill(build("f"), formula)
        yield {"markup": markup_family, "formulae": formula_family}
        transaction.set_rollback(True)


@pytest.fixture
def markup_records(hostile, db):
    return hostile["markup"]


@pytest.fixture
def formula_records(hostile, db):
    return hostile["formulae"]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_nothing_raw(html, url):
    for opening in RAW:
        assert opening not in html, (url, opening)


# Which columns are filled ------------------------------------------------------------------


def test_every_text_column_a_curator_fills_holds_markup(markup_records):
    expected = {(model._meta.model_name, field.name) for model in curated_models() for field in fillable(model)}
    # A model or column missing here is one build() does not make or fill() does not reach yet.
    assert {item.key for item in markup_records.filled} == expected
    for item in markup_records.filled:
        if isinstance(item.field, models.URLField):
            URLValidator()(item.value)  # a valid address that a curator could type
        item.field.clean(item.value, item.record)


def test_every_column_left_out_refuses_markup():
    for model in curated_models():
        for field in text_fields(model):
            reason = left_out(field)
            if reason in (None, SEARCH_TEXT):
                continue
            with pytest.raises(ValidationError):
                field.clean(short_markup(1), None)


# Public pages ------------------------------------------------------------------------------


def public_pages(family):
    """Every public page that shows the family's records: lists, filters, search and detail pages."""
    person, state, panel, topic = family["person"], family["state"], family["panel"], family["topic"]
    lists = [
        "/",
        "/people/",
        "/organizations/",
        "/organizations/?classification=state",
        "/events/",
        "/events/?year=2025",
        "/statements/",
        "/statements/?" + urlencode({"speaker": person.slug}),
        "/statements/?" + urlencode({"speaker": state.slug, "kind": "quote"}),
        "/statements/?" + urlencode({"organization": state.slug}),
        "/statements/?" + urlencode({"event": panel.slug, "year": "2025"}),
        "/statements/?" + urlencode({"topic": topic.slug}),
        "/sources/",
        "/search/?" + urlencode({"q": "alert"}),
        "/search/?" + urlencode({"q": person.name}),
    ]
    details = [record.get_absolute_url() for record in family.records.values() if hasattr(record, "detail_url_name")]
    return lists, details


def test_no_public_page_holds_stored_markup_raw_and_each_value_is_shown_escaped(client, markup_records):
    lists, details = public_pages(markup_records)
    shown = []
    for url in lists + details:
        html = get(client, url)
        assert_nothing_raw(html, url)
        assert "<img" not in html, url
        # The one script element a public page may have is its JSON-LD block.
        scripts = re.findall(r"<script\b[^>]*>", html, re.I)
        assert scripts == (['<script type="application/ld+json">'] if url in details else []), url
        shown.append(html)
    shown = "\n".join(shown)
    for item in markup_records.filled:
        # Each value is shown escaped, except in the columns no public page shows (a list kept true here).
        assert (escape(item.value) in shown) is (item.key not in NOT_ON_PUBLIC_PAGES), item.key


def test_markup_typed_into_the_search_box_or_a_filter_is_shown_back_escaped(client, markup_records):
    typed = markup_records.values(markup_records["said"])[-1]
    for url in [
        "/search/?" + urlencode({"q": typed}),
        "/statements/?" + urlencode({"speaker": typed, "organization": typed, "event": typed, "topic": typed}),
    ]:
        html = get(client, url)
        assert_nothing_raw(html, url)
        assert escape(typed) in html, url


def strings(data):
    """Every string of a parsed JSON document."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in strings(value)]
    return [data] if isinstance(data, str) else []


# The records whose text each detail page's JSON-LD carries, and which columns of each (records/jsonld.py).
JSON_LD_SHOWS = {
    "person": ["person", "person name", "held"],
    "state": ["state", "state name"],
    "forum": ["forum"],
    "panel": ["panel"],
    "source": ["source"],
    "said": ["said", "source"],
    "quoted": ["quoted"],
}
# The columns each kind of record shows in its JSON-LD (records/jsonld.py).
JSON_LD_FIELDS = {
    "person": {"name", "summary"},
    "othername": {"name"},
    "membership": {"role"},
    "organization": {"name", "abbreviation", "summary"},
    "event": {"name", "summary", "place"},
    "source": {"title", "url"},
    "statement": {"text"},
}


def test_json_ld_cannot_be_closed_early_and_gives_back_the_stored_text(client, markup_records):
    family = markup_records
    stored = {item.value for item in family.filled}
    for name, parts in JSON_LD_SHOWS.items():
        html = get(client, family[name].get_absolute_url())
        (block,) = JSON_LD.findall(html)
        assert "</script" not in block.lower() and "<" not in block, name
        found = set(strings(json.loads(block)))
        wanted = {
            item.value
            for item in family.filled
            if any(item.record is family[part] for part in parts)
            and item.field.name in JSON_LD_FIELDS[item.record._meta.model_name]
        }
        assert wanted and wanted <= found, (name, wanted - found)
        # Text that holds markup is a stored value, whole, or an address ending with one (Wikidata's).
        for text in found:
            if "alert(" in text:
                assert any(text.endswith(value) for value in stored), text


def test_the_popolo_document_keeps_the_text_intact_as_json_no_browser_runs(client, markup_records):
    response = client.get("/popolo.json")
    assert response.status_code == 200
    # Markup in JSON is data: it is never read as a page.
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    found = set(strings(json.loads(b"".join(response.streaming_content))))
    stored = {item.value for item in markup_records.filled}
    for text in found:
        if "alert(" in text:
            assert text in stored, text
    carried = {item.key for item in markup_records.filled if item.value in found}
    assert carried == {item.key for item in markup_records.filled} - set(NOT_IN_POPOLO)


# The admin ---------------------------------------------------------------------------------


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def registered(family):
    """The first record of each kind that has admin pages."""
    first = {}
    for record in family.records.values():
        if type(record) in admin.site._registry:
            first.setdefault(type(record), record)
    return list(first.values())


def test_no_admin_list_or_search_holds_stored_markup_raw(admin_client, markup_records):
    models_seen = [type(record) for record in registered(markup_records)]
    assert {model for model in curated_models() if fillable(model)} <= set(models_seen)
    for model in models_seen:
        url = admin_url(model, "changelist")
        assert_nothing_raw(get(admin_client, url), url)
        query = next(item.value for item in markup_records.filled if type(item.record) is model)
        html = get(admin_client, f"{url}?{urlencode({'q': query})}")
        assert_nothing_raw(html, url)
        assert f'value="{escape(query)}"' in html, model


def test_no_admin_page_of_a_record_holds_its_markup_raw(admin_client, markup_records):
    for record in registered(markup_records):
        model, values = type(record), markup_records.values(record)
        latest = record.history.latest()
        pages = {
            "change": admin_url(model, "change", record.pk),
            "history": admin_url(model, "history", record.pk),
            "version": admin_url(model, "simple_history", record.pk, latest.history_id),
            "delete": admin_url(model, "delete", record.pk),
        }
        for page, url in pages.items():
            html = get(admin_client, url)
            assert_nothing_raw(html, url)
            if page == "delete":
                assert escape(str(record)) in html, url
                continue
            # The forms show every value; the history shows each change, and why it was made.
            for value in values:
                assert escape(value) in html, (url, value)
            if page == "history":
                assert escape(latest.history_change_reason) in html, url


def test_the_merge_page_shows_both_peoples_markup_escaped(admin_client, markup_records):
    people = [markup_records["person"], markup_records["author"]]
    response = admin_client.post(
        admin_url(Person, "changelist"), {"action": "merge", "_selected_action": [person.pk for person in people]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_nothing_raw(html, "merge")
    for person in people:
        assert escape(person.name) in html


def upload(client, model, rows, name):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    data = SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")
    response = client.post(admin_url(model, "import"), {"format": "0", "resource": "0", "import_file": data})
    assert response.status_code == 200
    return response.content.decode()


def test_the_import_preview_shows_markup_of_a_file_its_name_and_its_problems_escaped(admin_client, markup_records):
    file_name = "<img src=x onerror=alert(1)>.csv"
    name, summary, offset = long_markup(2), short_markup(3), short_markup(4)
    # A preview of what the file would change, row by row; then a refusal that quotes the cell it cannot read.
    preview = upload(admin_client, Person, [["slug", "name", "summary"], ["uploaded", name, summary]], file_name)
    refusal = upload(admin_client, Source, [["slug", "title", "utc_offset_minutes"], ["s", "t", offset]], file_name)
    for html, values in [(preview, [file_name, name, summary]), (refusal, [file_name, offset])]:
        assert_nothing_raw(html, "import")
        for value in values:
            assert escape(value) in html, value
    assert not Person.objects.filter(slug="uploaded").exists()


# CSV files ---------------------------------------------------------------------------------


def read_csv(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def check_csv(rows, model, family, where, line_ends=str):
    """No cell starts as a formula but a number; returns the family's values found neutralised in their column.

    `line_ends` turns a value into what the file keeps of it (XLSX, being XML, keeps a carriage return as a
    line feed).
    """
    for number, row in enumerate(rows):
        for cell in row:
            assert not FORMULA_START.match(cell) or NUMBER.fullmatch(cell), (where, number, cell)
    header, body = rows[0], rows[1:]
    found = set()
    for item in family.filled:
        if type(item.record) is model and item.field.name in header:
            column = header.index(item.field.name)
            assert line_ends("'" + item.value) in {row[column] for row in body}, (where, item.key, item.value)
            found.add((item.key, item.record.pk))
    return found


def every_value(family):
    return {(item.key, item.record.pk) for item in family.filled}


def test_every_text_column_but_addresses_holds_a_formula(formula_records):
    columns = {(model._meta.model_name, field.name): field for model in curated_models() for field in fillable(model)}
    addresses = {key for key, field in columns.items() if isinstance(field, models.URLField)}
    assert {item.key for item in formula_records.filled} == set(columns) - addresses
    assert {item.value[0] for item in formula_records.filled} == {template[0] for template in FORMULAE}


def admin_export(client, model, file_format):
    """The admin's export of a model's whole list, every column chosen, as the export page sends it."""
    url = admin_url(model, "export")
    form = client.get(url).context["form"]
    chosen = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = client.post(url, {"format": FORMATS.index(file_format), "resource": "0", **chosen})
    assert response.status_code == 200, model
    return response


def test_the_admins_csv_export_of_every_model_neutralises_formulae(admin_client, formula_records):
    found = set()
    for model in [type(record) for record in registered(formula_records)]:
        response = admin_export(admin_client, model, CSV)
        assert response["Content-Type"].startswith("text/csv"), model
        text = b"".join(response.streaming_content).decode()
        found |= check_csv(read_csv(text), model, formula_records, model)
    assert found == every_value(formula_records)


def test_the_admins_spreadsheet_export_holds_no_formula(admin_client, formula_records):
    found = set()
    for model in [type(record) for record in registered(formula_records)]:
        response = admin_export(admin_client, model, XLSX)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), model
        rows = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
        found |= check_csv(rows, model, formula_records, model, line_ends=lambda text: text.replace("\r", "\n"))
    assert found == every_value(formula_records)


def test_the_public_list_downloads_neutralise_formulae(client, formula_records):
    family = formula_records
    downloads = {
        "/people/": Person,
        "/organizations/": Organization,
        "/events/": Event,
        "/statements/": Statement,
        "/statements/?" + urlencode({"speaker": family["person"].slug}): Statement,
        "/sources/": Source,
    }
    found = set()
    for url, model in downloads.items():
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), url
        found |= check_csv(read_csv(b"".join(response.streaming_content).decode()), model, family, url)
    public = {(item.key, item.record.pk) for item in family.filled if type(item.record) in set(downloads.values())}
    assert found == public


def test_export_csv_neutralises_formulae_in_every_text_column(formula_records, tmp_path):
    call_command("export_csv", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    found = set()
    for name, resource in RESOURCES.items():
        text = (tmp_path / f"{name}.csv").read_bytes().decode("utf-8")
        found |= check_csv(read_csv(text), resource._meta.model, formula_records, name)
    assert found == every_value(formula_records)


def test_the_full_data_set_download_neutralises_formulae(client, formula_records, settings, tmp_path):
    settings.DATA_DOWNLOADS_DIR = tmp_path
    call_command("build_downloads", stdout=io.StringIO())
    assert CSV_ZIP in get(client, "/data/")
    response = client.get(reverse("data-file", args=[CSV_ZIP]))
    assert response.status_code == 200
    found = set()
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        for name, resource in RESOURCES.items():
            text = archive.read(f"diplomacy-records/{name}.csv").decode("utf-8")
            found |= check_csv(read_csv(text), resource._meta.model, formula_records, name)
    assert found == every_value(formula_records)
