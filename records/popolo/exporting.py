"""The records as one Popolo JSON document (https://www.popoloproject.com/), streamed.

docs/popolo.md maps every field, and says how what Popolo cannot express is
carried. Ids are our slugs, so links between the document's records (and a
re-import) follow them. The public document holds only what the public may
see (records/visibility.py): a draft is never a record of it, nor an id
inside one. With `everything`, drafts are written too, each record with its
`status`, for a move of the whole database (`export_popolo --all`).
"""

import json

from django.db.models import Prefetch

from ..models import Citation, Event, Identifier, Link, Membership, Organization, OtherName, Person, Post, Statement
from ..visibility import is_public

CHUNK = 2_000
# Records in an order of their own content, never of database ids: a re-import writes the same document.
NATURAL_ORDER = ("organization__slug", "member_person__slug", "member_organization__slug", "role", "kind")
NATURAL_ORDER += ("start_date",)


def document(everything=False):
    """The document, as pieces of JSON text to write or stream one after the other.

    `everything`: drafts as well as published records, each with its status (a move, a backup).
    """
    scope = Scope(everything)
    yield "{"
    for index, (key, records) in enumerate(SECTIONS.items()):
        yield f'{"," if index else ""}\n"{key}": ['
        for number, record in enumerate(records(scope)):
            yield ("," if number else "") + "\n" + json.dumps(record, ensure_ascii=False)
        yield "\n]"
    yield "\n}\n"


class Scope:
    """Which records a document holds: the public ones, or every one with its status."""

    def __init__(self, everything):
        self.everything = everything

    def records(self, model):
        return model.objects.all() if self.everything else model.objects.published()

    def slug(self, record):
        """The id of a linked record, or None when the document leaves it out."""
        return record.slug if self.everything or is_public(record) else None

    def status(self, record):
        return record.status if self.everything else None

    def citations(self):
        cited = self.records(Citation).select_related("source").order_by("pk")
        return Prefetch("citations", queryset=cited, to_attr="cited")


def _compact(data):
    """Leave out what is empty: Popolo reads a missing property as unknown, and rejects some nulls."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _names(record):
    return [
        _compact({"name": name.name, "lang": name.language, "note": name.note}) for name in record.other_names.all()
    ]


def _links(record):
    return [_compact({"url": link.url, "note": link.note}) for link in record.links.all()]


def _identifiers(record):
    return [{"scheme": found.scheme, "identifier": found.value} for found in record.identifiers.all()]


def _source(source, excerpt, scope):
    """A Popolo link to a source: its address and title, and (our additions) its slug and the passage cited."""
    return _compact(
        {
            # Popolo requires an address: a source with none (a book) gets a URN naming its record.
            "url": source.url or f"urn:diplomacy-records:source:{source.slug}",
            "note": source.title,
            "source_id": source.slug,
            "excerpt": excerpt,
            "status": scope.status(source),
        }
    )


def _sources(citations, scope):
    """Popolo's sources of a fact: each cited source, with the passage that supports the fact."""
    return [_source(citation.source, citation.excerpt, scope) for citation in citations]


def _parts(queryset):
    return queryset.prefetch_related(
        Prefetch("other_names", queryset=OtherName.objects.order_by("name", "language")),
        Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "value")),
        Prefetch("links", queryset=Link.objects.order_by("url")),
    )


def persons(scope):
    for person in _parts(scope.records(Person).order_by("name", "slug")).iterator(CHUNK):
        yield _compact(
            {
                "id": person.slug,
                "name": person.name,
                "other_names": _names(person),
                "identifiers": _identifiers(person),
                "links": _links(person),
                "birth_date": person.birth_date,
                "death_date": person.death_date,
                "gender": person.gender,
                "image": person.image,
                "summary": person.summary,
                "status": scope.status(person),
            }
        )


def organizations(scope):
    organizations_ = scope.records(Organization).select_related("parent").order_by("name", "slug")
    for organization in _parts(organizations_).iterator(CHUNK):
        names = _names(organization)
        if organization.abbreviation:
            names.insert(0, {"name": organization.abbreviation, "note": "abbreviation"})
        yield _compact(
            {
                "id": organization.slug,
                "name": organization.name,
                "classification": organization.classification,
                "parent_id": scope.slug(organization.parent) if organization.parent_id else None,
                "other_names": names,
                "identifiers": _identifiers(organization),
                "links": _links(organization),
                "founding_date": organization.founding_date,
                "dissolution_date": organization.dissolution_date,
                "description": organization.summary,
                "status": scope.status(organization),
            }
        )


def posts(scope):
    rows = scope.records(Post).select_related("organization").prefetch_related(scope.citations()).order_by("slug")
    for post in rows.iterator(CHUNK):
        yield _compact(
            {
                "id": post.slug,
                "label": post.label,
                "other_label": post.other_label_list,
                "role": post.role,
                "organization_id": post.organization.slug,
                "area": {"name": post.area} if post.area else None,
                "start_date": post.start_date,
                "end_date": post.end_date,
                "sources": _sources(post.cited, scope),
                "status": scope.status(post),
            }
        )


def memberships(scope):
    rows = (
        scope.records(Membership)
        .select_related("member_person", "member_organization", "organization", "post__organization")
        .prefetch_related(scope.citations())
        .order_by(*NATURAL_ORDER)
    )
    for membership in rows.iterator(CHUNK):
        member = {}
        if membership.member_person_id:
            member["person_id"] = membership.member_person.slug
        else:
            member["member"] = {"@type": "Organization", "id": membership.member_organization.slug}
        yield _compact(
            {
                **member,
                "organization_id": membership.organization.slug,
                "post_id": scope.slug(membership.post) if membership.post_id else None,
                "role": membership.role,
                "label": membership.get_kind_display(),
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "ended_date_unknown": membership.ended_date_unknown or None,  # ours: Popolo has no word for it
                "area": {"name": membership.area} if membership.area else None,
                "sources": _sources(membership.cited, scope),
                "status": scope.status(membership),
            }
        )


def events(scope):
    rows = scope.records(Event).select_related("parent").prefetch_related(scope.citations()).order_by("slug")
    for event in rows.iterator(CHUNK):
        yield _compact(
            {
                "id": event.slug,
                "name": event.name,
                "classification": event.classification,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "location": event.place,
                "description": event.summary,
                "parent_id": scope.slug(event.parent) if event.parent_id else None,
                "sources": _sources(event.cited, scope),
                "status": scope.status(event),
            }
        )


def speeches(scope):
    rows = (
        scope.records(Statement)
        .select_related("speaker_person", "speaker_organization", "event", "source")
        .order_by("slug")
    )
    for statement in rows.iterator(CHUNK):
        source = statement.source
        yield _compact(
            {
                "id": statement.slug,
                "creator_id": statement.speaker.slug,
                "role": statement.speaker_role,
                "event_id": scope.slug(statement.event) if statement.event_id else None,
                "date": statement.date,
                "type": statement.kind,
                "text": statement.text,
                "language": statement.language,
                "sources": [_source(source, statement.source_excerpt, scope)],
                "status": scope.status(statement),
            }
        )


SECTIONS = {
    "persons": persons,
    "organizations": organizations,
    "posts": posts,
    "memberships": memberships,
    "events": events,
    "speeches": speeches,
}
