"""The files of a database, declared: for each, its model, its columns in order, its key and required columns.

These plain declarations are the one schema of the files: the batch path
(records/batch) reads and writes by them, and django-import-export's
resources (records/resources.py) are built from them. What a column holds
follows from its model field: a value; a foreign key written as the related
record's slug; a many-to-many as '|'-separated slugs; a membership (which has
no slug) as its key, 'person:slug > organization > role > kind > start date'.
"""

from dataclasses import dataclass

from django.db import models

from ..models import (
    Citation,
    Event,
    EventParticipant,
    FormerSlug,
    Identifier,
    Link,
    Membership,
    Organization,
    OtherName,
    Person,
    Post,
    Source,
    Statement,
    Topic,
)


@dataclass(frozen=True)
class Table:
    """One file: the model its rows are records of, and its columns."""

    model: type
    columns: tuple
    key: tuple = ("slug",)
    required: tuple = ()
    # Key columns that files written before they existed lack: read as empty (records/batch/importing.py).
    added_key_columns: tuple = ()
    # The order rows are written in; by default the key's, a foreign key by its slug.
    order_by: tuple = ()

    def kind(self, name):
        """'value', 'link' (a foreign key by slug), 'links' (many-to-many by slugs) or 'membership'."""
        model_field = self.model._meta.get_field(name)
        if model_field.many_to_many:
            return "links"
        if model_field.is_relation:
            return "membership" if model_field.related_model is Membership else "link"
        return "value"

    def is_text(self, name):
        """Whether the column's cells are text a spreadsheet could run as a formula: references and text fields."""
        model_field = self.model._meta.get_field(name)
        return self.kind(name) != "value" or isinstance(model_field, models.CharField | models.TextField)

    def target(self, name):
        """The model a reference column names records of, or None for a value."""
        return self.model._meta.get_field(name).related_model

    @property
    def export_order_by(self):
        if self.order_by:
            return list(self.order_by)
        return [f"{name}__slug" if self.kind(name) == "link" else name for name in self.key]


# Every file, in the order a whole database is written and read in: what a file refers to comes first.
TABLES = {
    "topics": Table(Topic, ("slug", "name"), required=("name",)),
    "people": Table(
        Person,
        ("slug", "name", "summary", "birth_date", "death_date", "gender", "image", "status"),
        required=("name",),
    ),
    "organizations": Table(
        Organization,
        (
            "slug",
            "name",
            "abbreviation",
            "classification",
            "parent",
            "summary",
            "founding_date",
            "dissolution_date",
            "status",
        ),
        required=("name", "classification"),
    ),
    "other_names": Table(
        OtherName,
        ("person", "organization", "name", "language", "note"),
        key=("person", "organization", "name", "language"),
    ),
    "identifiers": Table(Identifier, ("scheme", "value", "person", "organization"), key=("scheme", "value")),
    "links": Table(Link, ("person", "organization", "url", "note"), key=("person", "organization", "url")),
    "former_slugs": Table(FormerSlug, ("slug", "person", "organization"), key=("person", "organization", "slug")),
    "sources": Table(
        Source,
        (
            "slug",
            "title",
            "url",
            "publisher",
            "author",
            "published_at",
            "utc_offset_minutes",
            "language",
            "note",
            "status",
        ),
        required=("title",),
    ),
    "events": Table(
        Event,
        (
            "slug",
            "name",
            "classification",
            "parent",
            "start_date",
            "start_date_bound",
            "end_date",
            "place",
            "summary",
            "status",
        ),
        required=("name", "classification"),
    ),
    "participants": Table(
        EventParticipant,
        ("event", "person", "organization", "role", "note"),
        key=("event", "person", "organization", "role"),
    ),
    "posts": Table(
        Post,
        ("slug", "label", "other_labels", "role", "organization", "area", "start_date", "end_date", "status"),
        required=("label", "organization"),
    ),
    "memberships": Table(
        Membership,
        (
            "member_person",
            "member_organization",
            "organization",
            "post",
            "role",
            "kind",
            "start_date",
            "start_date_bound",
            "start_date_wording",
            "start_date_relative_to",
            "end_date",
            "end_date_bound",
            "end_date_wording",
            "end_date_relative_to",
            "ended_date_unknown",
            "area",
            "status",
        ),
        key=("organization", "member_person", "member_organization", "role", "kind", "start_date"),
    ),
    "statements": Table(
        Statement,
        (
            "slug",
            "speaker_person",
            "speaker_organization",
            "speaker_role",
            "event",
            "date",
            "date_bound",
            "date_wording",
            "date_relative_to",
            "kind",
            "text",
            "language",
            "topics",
            "mentioned_people",
            "mentioned_organizations",
            "source",
            "source_excerpt",
            "status",
        ),
        required=("kind", "text", "source"),
    ),
    "citations": Table(
        Citation,
        ("source", "membership", "event", "statement", "post", "excerpt"),
        key=("source", "membership", "event", "statement", "post", "excerpt"),
        added_key_columns=("post",),
        # A membership has no slug: citations are listed by what their membership is keyed by.
        order_by=(
            "source__slug",
            "statement__slug",
            "event__slug",
            "post__slug",
            "membership__organization__slug",
            "membership__member_person__slug",
            "membership__member_organization__slug",
            "membership__role",
            "membership__kind",
            "membership__start_date",
            "excerpt",
            "pk",
        ),
    ),
}
