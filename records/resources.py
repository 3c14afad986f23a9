"""CSV, XLSX and JSON import and export for every model: the columns of each file.

Files never carry database ids: records are keyed by slug, memberships and
the other slug-less records by their natural key, foreign keys travel as
slugs and many-to-many values as '|'-separated slugs. Importing the same file
twice changes nothing. A file with any bad row writes nothing.

A resource declares a file's columns, its key and its required columns; the
writing is done by the batch path (records/batch), for the admin's imports
as for the command line. The admin's XLSX and JSON exports render through
django-import-export; CSV exports stream (records/batch/exporting.py).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import CharField, TextField
from import_export import fields, resources, widgets
from import_export.results import Error, Result, RowResult

from .batch.columns import escape_formula, membership_key
from .models import (
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


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's slug."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class SlugsWidget(widgets.ManyToManyWidget):
    """Many-to-many values as '|'-separated slugs."""

    def __init__(self, model):
        super().__init__(model, separator="|", field="slug")

    def render(self, value, obj=None, **kwargs):
        if value is None:  # an unsaved record has no many-to-many values yet
            return ""
        return self.separator.join(sorted(related.slug for related in value.all()))


class MembershipKeyWidget(widgets.Widget):
    """A membership named by its natural key: 'member > organization > role > kind > start date'.

    The member is written 'person:slug' or 'organization:slug'.
    """

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return membership_key(
            value.member_person and value.member_person.slug,
            value.member_organization and value.member_organization.slug,
            value.organization.slug,
            value.role,
            value.kind,
            value.start_date,
        )


class RecordResource(resources.ModelResource):
    """What every resource of this project shares; subclasses list their columns and key."""

    natural_key = ["slug"]
    required_columns = ()
    # Key columns that files written before they existed lack: read as empty (records/batch/importing.py).
    added_key_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True

    # Export (XLSX and JSON in the admin) ----------------------------------------

    def get_queryset(self):
        return self.with_related(super().get_queryset())

    def with_related(self, queryset):
        related = [f.attribute for f in self.fields.values() if isinstance(f.widget, SlugWidget)]
        many = [f.attribute for f in self.fields.values() if isinstance(f.widget, SlugsWidget)]
        return queryset.select_related(*related).prefetch_related(*many).order_by(*self.export_order_by)

    @property
    def export_order_by(self):
        return [f"{self.fields[name].attribute}__slug" if self._is_fk(name) else name for name in self.natural_key]

    def _is_fk(self, name):
        return isinstance(self.fields[name].widget, SlugWidget)

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = self.with_related(queryset)
        return super().export(queryset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and self._is_text(field):
            return escape_formula(value)
        return value

    def _is_text(self, field):
        if isinstance(field.widget, SlugWidget | SlugsWidget | MembershipKeyWidget):
            return True
        model_field = self._meta.model._meta.get_field(field.attribute)
        return isinstance(model_field, CharField | TextField)

    # Import: always the batch path --------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import one file as the admin does: all of it, or (on any problem, or a dry run) nothing."""
        from .batch.importing import Import

        file_name = kwargs.get("file_name") or f"{self._meta.model._meta.verbose_name_plural}.csv"
        batch = Import(user=kwargs.get("user"), keep_outcomes=True)
        with transaction.atomic():
            # Spreadsheets and JSON give numbers and nothing where CSV gives text: the batch path reads text.
            rows = [["" if cell is None else str(cell) for cell in row] for row in dataset]
            batch.add(type(self), file_name, dataset.headers, rows)
            batch.finish()
            if dry_run or not batch.ok:
                transaction.set_rollback(True)
        return as_result(batch, file_name)


def as_result(batch, file_name):
    """A batch import as the Result that django-import-export's admin pages read."""
    result = Result()
    result.problems = [str(problem) for problem in batch.problems]
    for problem in batch.problems:
        if problem.row is None:
            result.append_base_error(Error(problem.message if problem.file == file_name else str(problem)))
        else:
            column = problem.column or NON_FIELD_ERRORS
            result.append_invalid_row(problem.row, {}, ValidationError({column: [problem.message]}))
    for outcome in batch.outcomes[file_name]:
        row = RowResult()
        row.import_type, row.number, row.object_repr = outcome.import_type, outcome.number, outcome.object_repr
        row.changes = outcome.changes
        result.append_row_result(row)
        result.increment_row_result_total(row)
    return result


def slug_field(name, model):
    return fields.Field(attribute=name, column_name=name, widget=SlugWidget(model))


def slugs_field(name, model):
    return fields.Field(attribute=name, column_name=name, widget=SlugsWidget(model), m2m_add=False)


class TopicResource(RecordResource):
    required_columns = ("name",)

    class Meta(RecordResource.Meta):
        model = Topic
        fields = ["slug", "name"]


class PersonResource(RecordResource):
    required_columns = ("name",)

    class Meta(RecordResource.Meta):
        model = Person
        fields = ["slug", "name", "summary", "birth_date", "death_date", "gender", "image", "status"]


class OrganizationResource(RecordResource):
    parent = slug_field("parent", Organization)
    required_columns = ("name", "classification")

    class Meta(RecordResource.Meta):
        model = Organization
        fields = [
            "slug",
            "name",
            "abbreviation",
            "classification",
            "parent",
            "summary",
            "founding_date",
            "dissolution_date",
            "status",
        ]


class EventResource(OrganizationResource):
    parent = slug_field("parent", Event)

    class Meta(RecordResource.Meta):
        model = Event
        fields = [
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
        ]


class OtherNameResource(RecordResource):
    person = slug_field("person", Person)
    organization = slug_field("organization", Organization)
    natural_key = ["person", "organization", "name", "language"]

    class Meta(RecordResource.Meta):
        model = OtherName
        fields = ["person", "organization", "name", "language", "note"]


class FormerSlugResource(RecordResource):
    person = slug_field("person", Person)
    organization = slug_field("organization", Organization)
    natural_key = ["person", "organization", "slug"]

    class Meta(RecordResource.Meta):
        model = FormerSlug
        fields = ["slug", "person", "organization"]


class IdentifierResource(RecordResource):
    person = slug_field("person", Person)
    organization = slug_field("organization", Organization)
    natural_key = ["scheme", "value"]

    class Meta(RecordResource.Meta):
        model = Identifier
        fields = ["scheme", "value", "person", "organization"]


class LinkResource(RecordResource):
    person = slug_field("person", Person)
    organization = slug_field("organization", Organization)
    natural_key = ["person", "organization", "url"]

    class Meta(RecordResource.Meta):
        model = Link
        fields = ["person", "organization", "url", "note"]


class SourceResource(RecordResource):
    publisher = slug_field("publisher", Organization)
    author = slug_field("author", Person)
    required_columns = ("title",)

    class Meta(RecordResource.Meta):
        model = Source
        fields = [
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
        ]


class EventParticipantResource(RecordResource):
    event = slug_field("event", Event)
    person = slug_field("person", Person)
    organization = slug_field("organization", Organization)
    natural_key = ["event", "person", "organization", "role"]

    class Meta(RecordResource.Meta):
        model = EventParticipant
        fields = ["event", "person", "organization", "role", "note"]


class PostResource(RecordResource):
    organization = slug_field("organization", Organization)
    required_columns = ("label", "organization")

    class Meta(RecordResource.Meta):
        model = Post
        fields = ["slug", "label", "other_labels", "role", "organization", "area", "start_date", "end_date", "status"]


class MembershipResource(RecordResource):
    member_person = slug_field("member_person", Person)
    member_organization = slug_field("member_organization", Organization)
    organization = slug_field("organization", Organization)
    post = slug_field("post", Post)
    natural_key = ["organization", "member_person", "member_organization", "role", "kind", "start_date"]

    class Meta(RecordResource.Meta):
        model = Membership
        fields = [
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
        ]


class StatementResource(RecordResource):
    speaker_person = slug_field("speaker_person", Person)
    speaker_organization = slug_field("speaker_organization", Organization)
    event = slug_field("event", Event)
    source = slug_field("source", Source)
    topics = slugs_field("topics", Topic)
    mentioned_people = slugs_field("mentioned_people", Person)
    mentioned_organizations = slugs_field("mentioned_organizations", Organization)
    required_columns = ("kind", "text", "source")

    class Meta(RecordResource.Meta):
        model = Statement
        fields = [
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
        ]


class CitationResource(RecordResource):
    source = slug_field("source", Source)
    membership = fields.Field(attribute="membership", column_name="membership", widget=MembershipKeyWidget())
    event = slug_field("event", Event)
    statement = slug_field("statement", Statement)
    post = slug_field("post", Post)
    natural_key = ["source", "membership", "event", "statement", "post", "excerpt"]
    added_key_columns = ("post",)

    class Meta(RecordResource.Meta):
        model = Citation
        fields = ["source", "membership", "event", "statement", "post", "excerpt"]

    # A membership has no slug: citations are listed by what their membership is keyed by.
    export_order_by = [
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
    ]

    def with_related(self, queryset):
        return queryset.select_related(
            "source",
            "event",
            "statement",
            "post",
            "membership__member_person",
            "membership__member_organization",
            "membership__organization",
        ).order_by(*self.export_order_by)


# The order a whole database is written and read in: what a file refers to comes first.
RESOURCES = {
    "topics": TopicResource,
    "people": PersonResource,
    "organizations": OrganizationResource,
    "other_names": OtherNameResource,
    "identifiers": IdentifierResource,
    "links": LinkResource,
    "former_slugs": FormerSlugResource,
    "sources": SourceResource,
    "events": EventResource,
    "participants": EventParticipantResource,
    "posts": PostResource,
    "memberships": MembershipResource,
    "statements": StatementResource,
    "citations": CitationResource,
}
