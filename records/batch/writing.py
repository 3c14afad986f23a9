"""Writing checked rows in bulk, with a history row beside every record written.

PostgreSQL receives new rows through COPY, with ids drawn from the table's
sequence beforehand so that history rows and links can name them, and
changed rows through a temporary table and one UPDATE. Other databases
(SQLite, the local run) get Django's bulk_create and bulk_update. Either way
nothing here runs per row in the database: a batch costs a handful of
statements, whatever its size.
"""

import operator
from functools import cache

from django.db import connection
from django.db.models import GeneratedField
from django.db.models.base import ModelState
from django.utils import timezone


@cache
def concrete_fields(model):
    """The fields a write names: every stored column but the generated ones."""
    return tuple(field for field in model._meta.concrete_fields if not isinstance(field, GeneratedField))


@cache
def _defaults(model):
    """(fixed defaults, fields with a default to compute each time) of a model."""
    fixed, computed = {}, []
    for field in concrete_fields(model):
        if field.has_default() and callable(field.default):
            computed.append(field)
        else:
            fixed[field.attname] = field.get_default()
    return fixed, computed


def new_record(model, values):
    """An unsaved instance with its defaults and `values`, built without Model.__init__'s per-field work."""
    fixed, computed = _defaults(model)
    record = model.__new__(model)
    record._state = ModelState()
    record.__dict__.update(fixed)
    for field in computed:
        record.__dict__[field.attname] = field.get_default()
    record.__dict__.update(values)
    return record


@cache
def _tracked(history):
    fields = history.tracked_fields
    return [field.attname for field in fields], reader(fields)


def reader(fields):
    """A function from a record to the values of `fields`, in order (C-fast attribute access)."""
    return _reader(tuple(field.attname for field in fields))


@cache
def _reader(attnames):
    get = operator.attrgetter(*attnames)
    return (lambda record: (get(record),)) if len(attnames) == 1 else get


class Writer:
    """Bulk writes through the ORM; the base of the PostgreSQL writer."""

    batch_size = 1000

    def __init__(self, user=None, reason=""):
        self.user_id = getattr(user, "pk", None)
        self.reason = reason
        self.now = timezone.now()

    @classmethod
    def for_connection(cls):
        return CopyWriter if connection.vendor == "postgresql" else Writer

    # Records -------------------------------------------------------------------------

    def create(self, model, records):
        """Insert new records; sets their ids."""
        if records:
            model._base_manager.bulk_create(records, batch_size=self.batch_size)

    def update(self, model, records, attnames):
        model._base_manager.bulk_update(records, _names(model, attnames), batch_size=self.batch_size)

    def delete(self, model, ids):
        model._base_manager.filter(pk__in=ids)._raw_delete(model._base_manager.db)

    def insert_rows(self, model, rows):
        """Rows of a table without a history (a many-to-many link), as dicts of attnames."""
        model._base_manager.bulk_create([model(**row) for row in rows], batch_size=self.batch_size)

    # History -------------------------------------------------------------------------

    def history(self, model, records, kind):
        """One history row per record ('+' created, '~' changed, '-' deleted); returns their ids in order."""
        history = model.history.model
        rows = [history(**self._history_values(history, record, kind)) for record in records]
        history._base_manager.bulk_create(rows, batch_size=self.batch_size)
        return [row.pk for row in rows]

    def _history_values(self, history, record, kind):
        names, read = _tracked(history)
        values = dict(zip(names, read(record), strict=True))
        values.update(
            history_date=self.now,
            history_change_reason=getattr(record, "_change_reason", None) or self.reason,
            history_type=kind,
            history_user_id=self.user_id,
        )
        return values


def _names(model, attnames):
    """Field names for bulk_update, which takes names, not attnames."""
    by_attname = {field.attname: field.name for field in model._meta.concrete_fields}
    return [by_attname[attname] for attname in attnames]


class CopyWriter(Writer):
    """PostgreSQL: COPY for inserts, a temporary table for updates."""

    def create(self, model, records):
        if not records:
            return
        ids = self._next_ids(model._meta.db_table, model._meta.pk.column, len(records))
        for record, pk in zip(records, ids, strict=True):
            record.pk = pk
            record._state.adding = False
        fields = concrete_fields(model)
        self._copy(model._meta.db_table, fields, map(reader(fields), records))

    def update(self, model, records, attnames):
        if not records:
            return
        table = model._meta.db_table
        fields = [model._meta.pk, *(model._meta.get_field(name) for name in _names(model, attnames))]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE batch_update AS SELECT {columns} FROM {quote(table)} WITH NO DATA")
            self._copy("batch_update", fields, map(reader(fields), records))
            assignments = ", ".join(f"{quote(f.column)} = batch_update.{quote(f.column)}" for f in fields[1:])
            pk = quote(model._meta.pk.column)
            matching = f"{quote(table)}.{pk} = batch_update.{pk}"
            cursor.execute(f"UPDATE {quote(table)} SET {assignments} FROM batch_update WHERE {matching}")
            cursor.execute("DROP TABLE batch_update")

    def delete(self, model, ids):
        table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [list(ids)])

    def insert_rows(self, model, rows):
        if not rows:
            return
        fields = [field for field in concrete_fields(model) if not field.primary_key]
        self._copy(model._meta.db_table, fields, ([row[f.attname] for f in fields] for row in rows))

    def history(self, model, records, kind):
        if not records:
            return []
        history = model.history.model
        rows = [self._history_values(history, record, kind) for record in records]
        ids = self._next_ids(history._meta.db_table, history._meta.pk.column, len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row[history._meta.pk.attname] = pk
        fields = concrete_fields(history)
        self._copy(history._meta.db_table, fields, ([row[f.attname] for f in fields] for row in rows))
        return ids

    @staticmethod
    def _next_ids(table, column, count):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _copy(table, fields, rows):
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
