"""CSV, XLSX and JSON import and export for every model: django-import-export's resources.

Files never carry database ids: records are keyed by slug, memberships and
the other slug-less records by their natural key, foreign keys travel as
slugs and many-to-many values as '|'-separated slugs. Importing the same file
twice changes nothing. A file with any bad row writes nothing.

Each resource is built from its file's declaration (records/batch/schema.py):
its columns, key and required columns. The writing is done by the batch path
(records/batch), for the admin's imports as for the command line. The admin's
XLSX and JSON exports render through django-import-export; CSV exports stream
(records/batch/exporting.py).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export import fields, resources, widgets
from import_export.results import Error, Result, RowResult

from .batch.columns import escape_formula, membership_key
from .batch.importing import Import
from .batch.schema import TABLES


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
    """What every resource of this project shares; `resource_for` makes one for each file."""

    table = None  # the file's declaration (records/batch/schema.py)

    class Meta:
        skip_unchanged = True
        report_skipped = True

    # Export (XLSX and JSON in the admin) ----------------------------------------

    def get_queryset(self):
        return self.with_related(super().get_queryset())

    def with_related(self, queryset):
        table = self.table
        related = [name for name in table.columns if table.kind(name) == "link"]
        for name in table.columns:
            if table.kind(name) == "membership":
                related += [f"{name}__member_person", f"{name}__member_organization", f"{name}__organization"]
        many = [name for name in table.columns if table.kind(name) == "links"]
        return queryset.select_related(*related).prefetch_related(*many).order_by(*table.export_order_by)

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = self.with_related(queryset)
        return super().export(queryset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and self.table.is_text(field.attribute):
            return escape_formula(value)
        return value

    # Import: always the batch path --------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import one file as the admin does: all of it, or (on any problem, or a dry run) nothing."""
        file_name = kwargs.get("file_name") or f"{self._meta.model._meta.verbose_name_plural}.csv"
        batch = Import(user=kwargs.get("user"), keep_outcomes=True)
        with transaction.atomic():
            # Spreadsheets and JSON give numbers and nothing where CSV gives text: the batch path reads text.
            rows = [["" if cell is None else str(cell) for cell in row] for row in dataset]
            batch.add(self.table, file_name, dataset.headers, rows)
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


def resource_for(table):
    """The resource of a file: a column a widget for each reference, the rest as django-import-export reads them."""
    declared = {}
    for name in table.columns:
        kind, target = table.kind(name), table.target(name)
        if kind == "link":
            declared[name] = fields.Field(attribute=name, column_name=name, widget=SlugWidget(target))
        elif kind == "links":
            declared[name] = fields.Field(attribute=name, column_name=name, widget=SlugsWidget(target), m2m_add=False)
        elif kind == "membership":
            declared[name] = fields.Field(attribute=name, column_name=name, widget=MembershipKeyWidget())
    meta = type("Meta", (RecordResource.Meta,), {"model": table.model, "fields": list(table.columns)})
    name = f"{table.model.__name__}Resource"
    return type(name, (RecordResource,), {"__module__": __name__, "table": table, "Meta": meta, **declared})


RESOURCES = {name: resource_for(table) for name, table in TABLES.items()}

TopicResource = RESOURCES["topics"]
PersonResource = RESOURCES["people"]
OrganizationResource = RESOURCES["organizations"]
OtherNameResource = RESOURCES["other_names"]
IdentifierResource = RESOURCES["identifiers"]
LinkResource = RESOURCES["links"]
FormerSlugResource = RESOURCES["former_slugs"]
SourceResource = RESOURCES["sources"]
EventResource = RESOURCES["events"]
EventParticipantResource = RESOURCES["participants"]
PostResource = RESOURCES["posts"]
MembershipResource = RESOURCES["memberships"]
StatementResource = RESOURCES["statements"]
CitationResource = RESOURCES["citations"]
