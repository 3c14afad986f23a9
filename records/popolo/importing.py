"""A Popolo JSON document read into the records, through the batch import of the CSV files.

The document is turned into the rows of our CSV files (docs/csv.md), which
then go through the one import path (records/batch): the same checks,
history, speed, and all-or-nothing. docs/popolo.md maps every field.

Records are matched, so that importing a document twice changes nothing and
an updated document updates in place: a person or organization by its
Popolo id, kept as an identifier (scheme `popolo-<document>` by default), or
by its slug when the id is one of ours; an event and a source by the slug
made from them. New records are drafts unless `publish`; records already
here keep their status.
"""

import functools
import hashlib
import json
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from ..batch.columns import membership_key
from ..batch.exporting import header
from ..batch.schema import TABLES
from ..batch.survey import FIRST_ROW
from ..chunks import chunks
from ..formats import Rows
from ..models import Event, Identifier, Membership, Organization, Person, Post, Source, Statement, Status
from ..models.base import validate_language
from ..partial_dates import longest_valid
from ..slugs import numbered, slug_base

COLLECTIONS = ("persons", "organizations", "posts", "memberships", "events", "speeches", "areas")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SLUG_LIKE = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")  # what Identifier.scheme (a SlugField) holds
SCRIPT = re.compile(r"^[A-Za-z]{4}$")  # an ISO 15924 script code, as Wikidata's labels use a few

CLASSIFICATIONS = {
    "legislature": "legislature",
    "lower house": "legislature",
    "upper house": "legislature",
    "chamber": "legislature",
    "parliament": "legislature",
    "party": "party",
    "political party": "party",
    "executive": "government_body",
    "government": "government_body",
    "ministry": "government_body",
    "committee": "government_body",
    "country": "state",
    "state": "state",
    "ngo": "ngo",
    "media": "media",
}
EVENT_CLASSIFICATIONS = {
    "general election": "election",
    "election": "election",
    "by-election": "election",
    "legislative period": "legislative_term",
    "legislative term": "legislative_term",
    "term": "legislative_term",
}


# Our kinds of membership, by the label our export writes (Popolo's "label").
KINDS = {choice.label: choice.value for choice in Membership.Kind}


class NotPopolo(ValueError):
    """The file is not a Popolo document this importer can read; says why."""


def read(data):
    """The document in `data` (bytes or text), or NotPopolo naming what is wrong with it."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NotPopolo(f"not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise NotPopolo(f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(document, dict) or not any(key in document for key in COLLECTIONS):
        raise NotPopolo(f"not a Popolo document: no {', '.join(COLLECTIONS[:-1])} at its top")
    for key in COLLECTIONS:
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise NotPopolo(f"{key!r} must be a list of objects")
        for number, item in enumerate(items, 1):
            if key in ("persons", "organizations", "events") and not (
                _text(item.get("id")) and _text(item.get("name"))
            ):
                raise NotPopolo(f"{key} item {number}: every one needs an id and a name")
    return document


def _text(value):
    return value.strip() if isinstance(value, str) else ""


class Reader:
    """Turns one document into {file name: Rows}, in the dependency order of TABLES."""

    def __init__(self, document, id_scheme, publish, name="", url=""):
        self.document = document
        self.id_scheme = id_scheme
        self.publish = publish
        self.new_status = Status.PUBLISHED if publish else Status.DRAFT
        self.name = name or id_scheme  # the document's file name, for its own source
        self.url = url  # where the document was published, when the importer says
        self.published_now = defaultdict(int)  # model -> drafts already here that this import publishes
        self.post_organizations = {}  # popolo post id -> popolo organization id
        self.rows = defaultdict(dict)  # file -> key -> row (dict); a key written twice is one row
        self.dropped = defaultdict(int)  # what the document holds that the records cannot
        self.kept_otherwise = defaultdict(int)  # what the records hold in another form than the document
        self.slugs = {}  # (model, popolo id) -> slug
        self.taken = defaultdict(set)  # model -> slugs given in this document
        self.events = {}  # popolo id -> event item, for legislative periods
        # What is looked up for every item, read once: names by id, ids kept before, slugs in use.
        self.names = {
            key: {_text(item.get("id")): _text(item.get("name")) for item in document.get(key, [])}
            for key in ("persons", "organizations", "events", "areas")
        }
        self.known_ids = {
            value: person or organization
            for value, person, organization in Identifier.objects.filter(scheme=id_scheme).values_list(
                "value", "person__slug", "organization__slug"
            )
        }
        self.in_use = {}  # model -> slugs already in the database, read when first needed
        self.memberships_here = {}
        self.sources = {}  # (url, source_id, note) -> slug
        self.origins = defaultdict(dict)  # file -> key -> the item of the document a row comes from
        self.at = "the document"  # the item being read

    # Ids and slugs -----------------------------------------------------------------

    def slug(self, model, popolo_id, name):
        """The slug of the record this id stands for: one already here, or a new one."""
        key = (model, popolo_id)
        if key in self.slugs:
            return self.slugs[key]
        slug = self.known_ids.get(popolo_id) if model in (Person, Organization) else None
        if slug is None and SLUG.match(popolo_id) and not UUID.match(popolo_id) and len(popolo_id) <= 200:
            slug = popolo_id  # one of ours (our own export), or as good as
        if slug is None:
            slug = self.new_slug(model, name or popolo_id)
        self.slugs[key] = slug
        self.taken[model].add(slug)
        return slug

    def new_slug(self, model, name):
        """A slug made from the name. People and organizations, found again by their Popolo id, avoid
        every slug in use; events, sources and statements are found again by this very slug."""
        matched_by_id = model in (Person, Organization)
        return numbered(
            slug_base(name, model._meta.model_name),
            lambda slug: slug in self.taken[model] or (matched_by_id and self.used(model, slug)),
        )

    def used(self, model, slug):
        """Whether a record of `model` (people, organizations, events, posts, sources) has this slug here."""
        if model not in self.in_use:
            self.in_use[model] = dict(model.objects.values_list("slug", "status"))
        return slug in self.in_use[model]

    def status(self, model, slug, item=None):
        """What a record's status becomes: published when the import publishes (a draft already here too,
        counted); else a record already here keeps its own, a new one takes the document's (our --all
        export says it) or is a draft."""
        self.used(model, slug)
        return self.settle(model, self.in_use[model].get(slug), item)

    def settle(self, model, stored, item=None):
        if self.publish:
            if stored == Status.DRAFT:
                self.published_now[model] += 1
            return Status.PUBLISHED
        written = _text((item or {}).get("status"))
        return stored or (written if written in Status.values else Status.DRAFT)

    def add(self, file, key, **row):
        if key not in self.rows[file]:
            self.rows[file][key] = row
            self.origins[file][key] = self.at

    def origin(self, file_name, row):
        """The document's item that row `row` of our file `file_name` was made from, in words."""
        keys = list(self.origins[file_name.removesuffix(".csv")].values())
        at = None if row is None else row - FIRST_ROW
        return keys[at] if at is not None and 0 <= at < len(keys) else None

    # The collections -----------------------------------------------------------------

    def files(self):
        """{CSV file name: Rows}; NotPopolo when the document's items are not shaped as Popolo says."""
        try:
            return self._files()
        except (AttributeError, TypeError) as error:
            raise NotPopolo(f"an item is not shaped as Popolo says ({error})") from None

    def _files(self):
        for event in self.document.get("events", []):
            self.events[_text(event.get("id"))] = event
        readers = {
            "organizations": self.organization,
            "persons": self.person,
            "events": self.event,
            "posts": self.post,
            "memberships": self.membership,
            "speeches": self.speech,
        }
        for collection, read_item in readers.items():
            for number, item in enumerate(self.document.get(collection, []), 1):
                named = _text(item.get("name") or item.get("label") or item.get("id"))
                self.at = f"{collection} item {number}" + (f" ({named})" if named else "")
                read_item(item)
        self.at = "the document"
        self.statement_statuses()
        files = {}
        for name, table in TABLES.items():
            if self.rows[name]:
                columns = header(table)
                files[name] = Rows(
                    columns, [[str(row.get(c, "")) for c in columns] for row in self.rows[name].values()]
                )
        return files

    def date(self, value):
        """A date of the document as our partial date; one that is no date is kept as far as it is one, and
        counted (a whole legislature is not refused for one member's '1956-00-00')."""
        date, coarser = longest_valid(_text(value))
        if coarser:
            self.kept_otherwise["dates that are no dates, kept as far as they are (1956-00-00 as 1956)"] += 1
        return date

    def language(self, code, note):
        """(our BCP 47 code, the note) of an other name whose document gives `code`: a bare script code
        (Wikidata's 'kana') is that script in a language not given ('und-Kana'); any other code that is no
        BCP 47 code is kept in the note, so that nothing the file says is lost."""
        try:
            validate_language(code) if code else None
            return code, note
        except ValidationError:
            pass
        self.kept_otherwise["other names' language codes that are not BCP 47"] += 1
        if SCRIPT.match(code):
            return f"und-{code.title()}", note
        return "", "; ".join(filter(None, (note, f"language given as {code!r}")))

    def names_and_identifiers(self, item, owner, slug):
        for name in item.get("other_names") or []:
            text = _text(name.get("name"))
            if not text:
                continue
            dates = " – ".join(filter(None, (self.date(name.get("start_date")), self.date(name.get("end_date")))))
            note = "; ".join(filter(None, (_text(name.get("note")), f"used {dates}" if dates else "")))
            language, note = self.language(_text(name.get("lang")), note)
            self.add(
                "other_names", (slug, text, language), **{owner: slug, "name": text, "language": language, "note": note}
            )
        popolo_id = _text(item.get("id"))
        # The Popolo id finds the record again; when it is the slug itself, the slug does.
        identifiers = [] if popolo_id == slug else [{"scheme": self.id_scheme, "identifier": popolo_id}]
        for found in [*identifiers, *(item.get("identifiers") or [])]:
            scheme, value = _text(found.get("scheme")), _text(found.get("identifier"))
            if not (scheme and value):
                continue
            if not SLUG_LIKE.match(scheme):
                # Schemes are slugs here ("wikidata", "everypolitician_legacy"); "parlament.gv.at" is kept so.
                scheme = slugify(re.sub(r"[./:]+", "-", scheme))[:50] or "other"
                self.kept_otherwise["identifier schemes that are no slugs, written as slugs"] += 1
            held = self.rows["identifiers"].get((scheme, value))
            if held is not None and held.get(owner) != slug:
                # One record per identifier (Identifier's constraint): the document is wrong for one of them.
                self.dropped["identifiers that the document gives to two records (kept on the first)"] += 1
                continue
            self.add("identifiers", (scheme, value), scheme=scheme, value=value, **{owner: slug})
        for link in item.get("links") or []:
            url = _text(link.get("url"))
            if url:
                self.add("links", (slug, url), **{owner: slug, "url": url, "note": _text(link.get("note"))})
        if item.get("contact_details"):
            self.dropped["contact details"] += len(item["contact_details"])

    def organization(self, item):
        popolo_id = _text(item["id"])
        slug = self.slug(Organization, popolo_id, _text(item["name"]))
        classification = _text(item.get("classification")).lower()
        parent_id = _text(item.get("parent_id"))
        abbreviation = next(
            (_text(n.get("name")) for n in item.get("other_names") or [] if _text(n.get("note")) == "abbreviation"),
            "",
        )
        parent = self.slug(Organization, parent_id, self._name("organizations", parent_id)) if parent_id else ""
        self.add(
            "organizations",
            slug,
            slug=slug,
            name=_text(item["name"]),
            abbreviation=abbreviation,
            classification=CLASSIFICATIONS.get(classification, classification)
            if classification in CLASSIFICATIONS or classification in Organization.Classification.values
            else "other",
            parent=parent,
            summary=_text(item.get("summary") or item.get("description")),
            founding_date=self.date(item.get("founding_date")),
            dissolution_date=self.date(item.get("dissolution_date")),
            status=self.status(Organization, slug, item),
        )
        item = {
            **item,
            "other_names": [n for n in item.get("other_names") or [] if _text(n.get("note")) != "abbreviation"],
        }
        self.names_and_identifiers(item, "organization", slug)

    def _name(self, collection, popolo_id):
        return self.names[collection].get(popolo_id, "")

    def person(self, item):
        slug = self.slug(Person, _text(item["id"]), _text(item["name"]))
        self.add(
            "people",
            slug,
            slug=slug,
            name=_text(item["name"]),
            summary=_text(item.get("summary")),
            birth_date=self.date(item.get("birth_date")),
            death_date=self.date(item.get("death_date")),
            gender=_text(item.get("gender")),
            image=_text(item.get("image")) or next((_text(i.get("url")) for i in item.get("images") or []), ""),
            status=self.status(Person, slug, item),
        )
        self.names_and_identifiers(item, "person", slug)

    def event(self, item):
        slug = self.slug(Event, _text(item["id"]), _text(item["name"]))
        classification = _text(item.get("classification")).lower()
        parent_id = _text(item.get("parent_id"))
        self.add(
            "events",
            slug,
            slug=slug,
            name=_text(item["name"]),
            classification=EVENT_CLASSIFICATIONS.get(classification, classification)
            if classification in EVENT_CLASSIFICATIONS or classification in Event.Classification.values
            else "other",
            parent=self.slug(Event, parent_id, self._name("events", parent_id)) if parent_id else "",
            start_date=self.date(item.get("start_date")),
            end_date=self.date(item.get("end_date")),
            place=_text(item.get("location")) if isinstance(item.get("location"), str) else "",
            summary=_text(item.get("description")),
            status=self.status(Event, slug, item),
        )
        for source in self.sources_of(item):
            self.cite(source, event=slug)

    def source(self, link):
        """The slug of the source a Popolo link names, its row written once."""
        key = (_text(link.get("url")), _text(link.get("source_id")), _text(link.get("note")))
        if key not in self.sources:
            self.sources[key] = self._source(link)
        return self.sources[key]

    def _source(self, link):
        url = _text(link.get("url"))
        own = _text(link.get("source_id"))
        if own and SLUG.match(own):
            slug = own
        else:
            readable = slugify(re.sub(r"^[a-z]+://(www\.)?", "", url))[:60].strip("-") or "source"
            slug = f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
        if not url.startswith(("http://", "https://")):
            url = ""  # an address of ours for a source with none (docs/popolo.md)
        self.add(
            "sources",
            slug,
            slug=slug,
            title=_text(link.get("note")) or url or slug,
            url=url,
            note=self.source_note(slug, link),
            language="und",  # BCP 47 for "not determined": Popolo does not say
            status=self.status(Source, slug, link),
        )
        return slug

    def sources_of(self, item):
        """The sources a fact cites: its own, or else those of the whole document (document_sources)."""
        return item.get("sources") or self.document_sources

    @functools.cached_property
    def document_sources(self):
        """What cites every fact of the document that cites nothing itself: the sources its `meta` names, and
        the document itself (at its URL when the importer gives one). docs/popolo.md says so."""
        meta = self.document.get("meta")
        named = meta.get("sources") if isinstance(meta, dict) else None
        links = []
        for entry in named if isinstance(named, list) else []:
            link = {"url": entry} if isinstance(entry, str) else entry if isinstance(entry, dict) else {}
            if _text(link.get("url")):
                links.append(link)
        itself = {"url": self.url, "note": f"Popolo document {self.name}"}
        if not self.url:
            itself["source_id"] = self.id_scheme  # a source with no address: named after the document
        return [*links, itself]

    def source_note(self, slug, link):
        """The document's own source says when it was first imported; a later import keeps that note."""
        if link is not self.document_sources[-1]:
            return ""
        if self.used(Source, slug):
            return Source.objects.filter(slug=slug).values_list("note", flat=True).first() or ""
        return f"Imported {timezone.now():%Y-%m-%d %H:%M} UTC from {self.name}."

    def cite(self, link, **fact):
        source = self.source(link)
        excerpt = _text(link.get("excerpt"))
        ((kind, key),) = fact.items()
        self.add("citations", (source, kind, key, excerpt), source=source, **{kind: key}, excerpt=excerpt)

    def post(self, item):
        popolo_id, label = _text(item.get("id")), _text(item.get("label"))
        organization_id = _text(item.get("organization_id")) or _text((item.get("organization") or {}).get("id"))
        if not (popolo_id and label and organization_id):
            self.dropped["posts without an id, a label or an organization"] += 1
            return
        self.post_organizations[popolo_id] = organization_id
        slug = self.slug(Post, popolo_id, label)
        area = item.get("area") if isinstance(item.get("area"), dict) else {}
        others = [_text(other) for other in item.get("other_label") or [] if _text(other)]
        self.add(
            "posts",
            slug,
            slug=slug,
            label=label,
            other_labels="\n".join(others),
            role=_text(item.get("role")),
            organization=self.slug(Organization, organization_id, self._name("organizations", organization_id)),
            area=_text(area.get("name")) or self._name("areas", _text(item.get("area_id"))),
            start_date=self.date(item.get("start_date")),
            end_date=self.date(item.get("end_date")),
            status=self.status(Post, slug, item),
        )
        for source in self.sources_of(item):
            self.cite(source, post=slug)
        if item.get("contact_details"):
            self.dropped["contact details"] += len(item["contact_details"])

    def membership(self, item):
        post_id = _text(item.get("post_id")) or _text((item.get("post") or {}).get("id"))
        post = self.slugs.get((Post, post_id)) if post_id else None
        if post_id and post is None:
            self.dropped["memberships of a post the document does not hold"] += 1
            return
        organization_id = (
            _text(item.get("organization_id"))
            or _text((item.get("organization") or {}).get("id"))
            or self.post_organizations.get(post_id, "")
        )
        member = item.get("member") or {}
        person_id = _text(item.get("person_id")) or (
            _text(member.get("id")) if _text(member.get("@type")).lower() == "person" else ""
        )
        member_organization_id = _text(member.get("id")) if _text(member.get("@type")).lower() == "organization" else ""
        if not organization_id or not (person_id or member_organization_id):
            self.dropped["memberships without an organization and a member"] += 1
            return
        start, end = self.date(item.get("start_date")), self.date(item.get("end_date"))
        period = self.events.get(_text(item.get("legislative_period_id")))
        if period is not None and not start and not end:
            start, end = self.date(period.get("start_date")), self.date(period.get("end_date"))
        area = item.get("area") or {}
        area_name = _text(area.get("name")) or self._name("areas", _text(item.get("area_id")))
        label = _text(item.get("label"))
        row = {
            "organization": self.slug(Organization, organization_id, self._name("organizations", organization_id)),
            "post": post or "",
            "role": _text(item.get("role")),
            "kind": KINDS.get(label, "member"),
            "start_date": start,
            "end_date": end,
            "ended_date_unknown": "true" if item.get("ended_date_unknown") is True and not end else "false",
            "area": area_name,
        }
        if person_id:
            row["member_person"] = self.slug(Person, person_id, self._name("persons", person_id))
        else:
            row["member_organization"] = self.slug(
                Organization, member_organization_id, self._name("organizations", member_organization_id)
            )
        sources = self.sources_of(item)
        self.add_membership(row, sources, item)
        party_id = _text(item.get("on_behalf_of_id"))
        if party_id and person_id:
            party = {**row, "organization": self.slug(Organization, party_id, self._name("organizations", party_id))}
            self.add_membership({**party, "post": "", "role": "", "kind": "member", "area": ""}, sources, item)

    def add_membership(self, row, sources, item):
        key = membership_key(
            row.get("member_person"),
            row.get("member_organization"),
            row["organization"],
            row["role"],
            row["kind"],
            row["start_date"],
        )
        if key not in self.rows["memberships"]:
            stored = self.membership_statuses(row["organization"]).get(key)
            self.add("memberships", key, **row, status=self.settle(Membership, stored, item))
        for source in sources:
            self.cite(source, membership=key)

    def membership_statuses(self, organization):
        """{membership key: status} of the memberships already held at `organization`, read once."""
        if organization not in self.memberships_here:
            rows = Membership.objects.filter(organization__slug=organization).values_list(
                "member_person__slug", "member_organization__slug", "role", "kind", "start_date", "status"
            )
            self.memberships_here[organization] = {
                membership_key(person, member, organization, role, kind, start): status
                for person, member, role, kind, start, status in rows
            }
        return self.memberships_here[organization]

    def statement_statuses(self):
        """The status of each statement row: as stored for one already here (read by slug, in chunks:
        there may be a million statements), else the import's."""
        rows = list(self.rows["statements"].values())
        stored = {}
        for chunk in chunks(rows):
            slugs = [row["slug"] for row in chunk]
            stored |= dict(Statement.objects.filter(slug__in=slugs).values_list("slug", "status"))
        for row in rows:
            row["status"] = self.settle(Statement, stored.get(row["slug"]), row.pop("_item"))

    def speech(self, item):
        sources = self.sources_of(item)
        creator_id, text = _text(item.get("creator_id")), _text(item.get("text"))
        if not (sources and creator_id and text):
            self.dropped["speeches without a creator, a text or a source"] += 1
            return
        slug = self.slug(Statement, _text(item.get("id")) or text[:60], text[:60])
        creator = (
            ("speaker_organization", self.slug(Organization, creator_id, ""))
            if (Organization, creator_id) in self.slugs or Organization.objects.filter(slug=creator_id).exists()
            else ("speaker_person", self.slug(Person, creator_id, self._name("persons", creator_id)))
        )
        first = sources[0]
        event_id = _text(item.get("event_id"))
        self.add(
            "statements",
            slug,
            slug=slug,
            **dict([creator]),
            speaker_role=_text(item.get("role")),
            event=self.slug(Event, event_id, self._name("events", event_id)) if event_id else "",
            date=self.date(item.get("date")),
            kind="quote" if _text(item.get("type")) == "quote" else "paraphrase",
            text=text,
            language=_text(item.get("language")) or "en",
            source=self.source(first),
            source_excerpt=_text(first.get("excerpt")),
            _item=item,
        )
