"""CSV, XLSX and JSON import and export for every model (django-import-export).

Files never carry database ids: records are keyed by slug, memberships and
the other slug-less records by their natural key, foreign keys travel as
slugs and many-to-many values as '|'-separated slugs. Importing the same file
twice changes nothing. A file with any bad row writes nothing.
"""

import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CharField, TextField
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from .models import (
    Citation,
    Event,
    EventParticipant,
    FormerSlug,
    Identifier,
    Membership,
    Organization,
    OtherName,
    Person,
    Source,
    Statement,
    Topic,
)
from .models.base import CitedFact
from .roles import governing, refusal

# A spreadsheet runs a cell that starts with one of these as a formula.
# Exports put an apostrophe before such a cell (and before one that already
# starts with apostrophes and then such a character, so the round trip is
# exact); imports take exactly one apostrophe off again.
FORMULA = re.compile(r"^'*[=+\-@\t\r]")
ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def escape_formula(value):
    return "'" + value if FORMULA.match(value) else value


def unescape_formula(value):
    return value[1:] if ESCAPED_FORMULA.match(value) else value


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's slug; unknown slugs are errors."""

    def __init__(self, model):
        super().__init__(model, field="slug")
        self.known = {}

    def preload(self, slugs):
        # One query per column and file instead of one per row.
        self.known.update(self.model.objects.in_bulk(set(slugs) - {""}, field_name="slug"))

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if value not in self.known:
            found = self.model.objects.filter(slug=value).first()
            if found is None:
                raise ValueError(f"no {self.model._meta.verbose_name} with slug {value!r}")
            self.known[value] = found
        return self.known[value]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class SlugsWidget(widgets.ManyToManyWidget):
    """Many-to-many values as '|'-separated slugs; unknown slugs are errors, not silently dropped."""

    def __init__(self, model):
        super().__init__(model, separator="|", field="slug")
        self.known = {}

    def split(self, value):
        return [slug.strip() for slug in str(value or "").split(self.separator) if slug.strip()]

    def preload(self, cells):
        slugs = {slug for cell in cells for slug in self.split(cell)}
        self.known.update(self.model.objects.in_bulk(slugs, field_name="slug"))

    def clean(self, value, row=None, **kwargs):
        slugs = self.split(value)
        missing = [slug for slug in slugs if slug not in self.known]
        if missing:
            self.known.update(self.model.objects.in_bulk(missing, field_name="slug"))
            unknown = [slug for slug in missing if slug not in self.known]
            if unknown:
                raise ValueError(f"no {self.model._meta.verbose_name} with slug {', '.join(map(repr, unknown))}")
        return [self.known[slug] for slug in slugs]

    def render(self, value, obj=None, **kwargs):
        if value is None:  # an unsaved record has no many-to-many values yet
            return ""
        return self.separator.join(sorted(related.slug for related in value.all()))


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds the existing records of a whole file with one query, by natural key."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.existing = {}
        key_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        if not dataset or any(field.column_name not in dataset.headers for field in key_fields):
            return
        first = key_fields[0]
        values = set()
        for row in dataset.dict:
            try:
                values.add(first.clean(row))
            except ValueError:
                continue  # reported on the row itself
        queryset = resource.get_queryset().filter(**{f"{first.attribute}__in": values - {None}})
        if None in values:
            queryset = queryset | resource.get_queryset().filter(**{f"{first.attribute}__isnull": True})
        self.existing = {resource.key_of(instance): instance for instance in queryset}

    def get_instance(self, row):
        try:
            return self.existing.get(self.resource.key_of_row(row))
        except ValueError:
            return None


class RecordResource(resources.ModelResource):
    """What every resource of this project shares; subclasses list their columns and key."""

    natural_key = ["slug"]
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True
        # Kept with each row's result: the preview shows what every row changes.
        store_instance = True
        instance_loader_class = NaturalKeyLoader

    # Keys ------------------------------------------------------------------

    def get_import_id_fields(self):
        return self.natural_key

    def key_of(self, instance):
        return tuple(self._key_part(getattr(instance, self.fields[name].attribute)) for name in self.natural_key)

    def key_of_row(self, row):
        return tuple(self._key_part(self.fields[name].clean(row)) for name in self.natural_key)

    @staticmethod
    def _key_part(value):
        return value.pk if hasattr(value, "pk") else ("" if value is None else str(value))

    # Export ----------------------------------------------------------------

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
        if isinstance(field.widget, SlugWidget | SlugsWidget):
            return True
        model_field = self._meta.model._meta.get_field(field.attribute)
        return isinstance(model_field, CharField | TextField)

    # Import ----------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        # A file with any bad row writes nothing, whoever calls.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.refusal = None
        self.seen_keys = {}
        self.imported = []
        self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or "a file"
        headers = [str(header) for header in dataset.headers or []]
        columns = {field.column_name for field in self.fields.values()}
        problems = []
        # Names are matched exactly: " status" would otherwise be read as no column at all.
        padded = [header for header in headers if header != header.strip()]
        if padded:
            problems.append(f"column {', '.join(map(repr, padded))} has spaces around its name")
        unknown = [header for header in headers if header not in columns and header not in padded]
        if unknown:
            problems.append(f"unknown column {', '.join(map(repr, unknown))}; the columns are {', '.join(columns)}")
        missing = [name for name in (*self.natural_key, *self.required_columns) if name not in headers]
        if missing:
            problems.append(f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
        if problems:
            self.refusal = "; ".join(problems)
            raise ValueError(self.refusal)
        for field in self.fields.values():
            if hasattr(field.widget, "preload") and field.column_name in headers:
                field.widget.preload([unescape_formula(str(value or "")) for value in dataset[field.column_name]])

    def import_row(self, row, instance_loader, **kwargs):
        if self.refusal:
            # The file as a whole was refused: report that once, not once per row.
            return self.get_row_result_class()()
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        errors = {}
        limit = settings.IMPORT_MAX_CELL_CHARS
        for column, value in row.items():
            if isinstance(value, str):
                if len(value) > limit:
                    errors[column] = f"the cell has {len(value):,} characters; at most {limit:,} are allowed"
                row[column] = unescape_formula(value.strip() if column in self.natural_key else value)
            elif value is None:
                row[column] = ""
        # References first, so that an unknown slug is reported against its
        # column, whether it is a key, a foreign key or a many-to-many value.
        for field in self.fields.values():
            if hasattr(field.widget, "preload") and field.column_name in row and field.column_name not in errors:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.column_name] = str(error)
        if errors:
            raise ValidationError(errors)
        key = self.key_of_row(row)
        number = kwargs.get("row_number")
        if key in self.seen_keys:
            raise ValidationError(
                {self.natural_key[0]: f"the same record as row {self.seen_keys[key]} (same {self.key_description})"}
            )
        self.seen_keys[key] = number

    @property
    def key_description(self):
        return ", ".join(self.natural_key)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        # The command line runs as the operator of the site; the admin as its user,
        # under the same review rule as its forms. Unchanged rows change nothing.
        if not skip and self.user is not None:
            problem = refusal(self.user, None if original._state.adding else original, instance)
            if problem:
                raise ValidationError({self._column_of(governing(instance), instance): problem})
        return skip

    def _column_of(self, record, instance):
        """The column a refusal is about: the record's status, or the link to the record it is part of."""
        if record is instance:
            return "status"
        links = (field.column_name for field in self.fields.values() if getattr(instance, field.attribute) == record)
        return next(links, NON_FIELD_ERRORS)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = f"Imported from {self.file_name}"

    def after_save_instance(self, instance, row, **kwargs):
        self.imported.append(instance)

    def after_init_instance(self, instance, new, row, **kwargs):
        # The stored record as a row of its file, to show what the row changes.
        instance._stored_row = {} if new else self.file_row(instance)

    def file_row(self, instance):
        return {field.column_name: self.export_field(field, instance) for field in self.get_import_fields()}

    def after_import_row(self, row, row_result, **kwargs):
        row_result.number = kwargs.get("row_number")
        instance = row_result.instance
        if instance is not None and row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            before = instance._stored_row
            row_result.changes = [
                (column, before.get(column, ""), value)
                for column, value in self.file_row(instance).items()
                if value != before.get(column, "") and (before or value not in ("", None))
            ]
        if kwargs.get("on_row"):
            kwargs["on_row"]()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("defer_publication_check") or result.has_errors() or result.has_validation_errors():
            return
        refused = unpublishable(self.imported)
        if refused:
            raise ValueError(refused)


def unpublishable(records):
    """Why published facts among `records` may not be published, or ''."""
    problems = [
        f"{record}: {record.publication_problem()}"
        for record in records
        if isinstance(record, CitedFact) and record.is_published and record.publication_problem()
    ]
    return "; ".join(problems)


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
        fields = ["slug", "name", "summary", "birth_date", "death_date", "status"]


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

    def before_import(self, dataset, **kwargs):
        parents_first(dataset)
        super().before_import(dataset, **kwargs)


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


def parents_first(dataset):
    """Reorder rows so that a parent in the same file is imported before its children."""
    if not dataset.headers or "parent" not in dataset.headers or "slug" not in dataset.headers:
        return
    rows = list(dataset.dict)
    by_slug = {row["slug"]: row for row in rows}
    ordered, placed = [], set()

    def place(row, trail=()):
        if row["slug"] in placed or row["slug"] in trail:
            return
        parent = by_slug.get(row.get("parent"))
        if parent is not None:
            place(parent, (*trail, row["slug"]))
        placed.add(row["slug"])
        ordered.append(row)

    for row in rows:
        place(row)
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in ordered:
        dataset.append([row[header] for header in headers])


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


class MembershipResource(RecordResource):
    member_person = slug_field("member_person", Person)
    member_organization = slug_field("member_organization", Organization)
    organization = slug_field("organization", Organization)
    natural_key = ["organization", "member_person", "member_organization", "role", "kind", "start_date"]

    class Meta(RecordResource.Meta):
        model = Membership
        fields = [
            "member_person",
            "member_organization",
            "organization",
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


class MembershipKeyWidget(widgets.Widget):
    """A membership named by its natural key: 'member > organization > role > kind > start date'.

    The member is written 'person:slug' or 'organization:slug'.
    """

    SEPARATOR = " > "

    def __init__(self):
        super().__init__()
        self.known = {}

    @classmethod
    def parts(cls, value):
        return tuple(part.strip() for part in str(value).split(cls.SEPARATOR.strip()))

    def preload(self, cells):
        organizations = {parts[1] for parts in map(self.parts, cells) if len(parts) == 5}
        memberships = Membership.objects.filter(organization__slug__in=organizations).select_related(
            "member_person", "member_organization", "organization"
        )
        self.known.update((self.parts(self.render(membership)), membership) for membership in memberships)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        parts = self.parts(value)
        if len(parts) != 5 or parts[0].split(":", 1)[0] not in ("person", "organization"):
            raise ValueError(
                f"{value!r} is not a membership key: write 'person:slug > organization slug > role > kind > start'"
            )
        if parts not in self.known:
            raise ValueError(f"no membership {value!r}")
        return self.known[parts]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        member = (
            f"person:{value.member_person.slug}"
            if value.member_person
            else f"organization:{value.member_organization.slug}"
        )
        return self.SEPARATOR.join([member, value.organization.slug, value.role, value.kind, value.start_date])


class CitationResource(RecordResource):
    source = slug_field("source", Source)
    membership = fields.Field(attribute="membership", column_name="membership", widget=MembershipKeyWidget())
    event = slug_field("event", Event)
    statement = slug_field("statement", Statement)
    natural_key = ["source", "membership", "event", "statement", "excerpt"]

    class Meta(RecordResource.Meta):
        model = Citation
        fields = ["source", "membership", "event", "statement", "excerpt"]

    def with_related(self, queryset):
        return queryset.select_related(
            "source",
            "event",
            "statement",
            "membership__member_person",
            "membership__member_organization",
            "membership__organization",
        ).order_by("source__slug", "statement__slug", "event__slug", "membership__organization__slug", "excerpt", "pk")


# The order a whole database is written and read in: what a file refers to comes first.
RESOURCES = {
    "topics": TopicResource,
    "people": PersonResource,
    "organizations": OrganizationResource,
    "other_names": OtherNameResource,
    "identifiers": IdentifierResource,
    "former_slugs": FormerSlugResource,
    "sources": SourceResource,
    "events": EventResource,
    "participants": EventParticipantResource,
    "memberships": MembershipResource,
    "statements": StatementResource,
    "citations": CitationResource,
}
