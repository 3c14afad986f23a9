"""Writing checked rows in bulk, with a history row beside every record written.

Each batch costs a handful of statements per table, whatever its size. Ids
are drawn before the insert (from the table's sequence), so that history
rows and links can name the records they belong to:

- PostgreSQL receives new rows through COPY, changed rows through a
  temporary table and one UPDATE;
- SQLite (the local run) receives one prepared statement executed for every
  row (executemany), with its values adapted by Django's own fields.
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


def reader(fields):
    """A function from a record to the values of `fields`, in order.

    It reads the instance's own dictionary, where Django keeps field values,
    past the descriptors of foreign keys: a C-level lookup per field.
    """
    return _reader(tuple(field.attname for field in fields))


@cache
def _reader(attnames):
    get = operator.itemgetter(*attnames)
    if len(attnames) == 1:
        return lambda record: (get(record.__dict__),)
    return lambda record: get(record.__dict__)


class Writer:
    """What both databases' writers share: the history rows, and which one to use."""

    def __init__(self, user=None, reason=""):
        self.user_id = getattr(user, "pk", None)
        self.reason = reason
        self.now = timezone.now()

    @staticmethod
    def for_connection():
        return CopyWriter if connection.vendor == "postgresql" else ExecuteManyWriter

    def create(self, model, records):
        """Insert new records, giving them ids."""
        if not records:
            return
        for record, pk in zip(records, self.next_ids(model, len(records)), strict=True):
            record.pk = pk
            record._state.adding = False
        fields = concrete_fields(model)
        self.insert(model, fields, map(reader(fields), records))

    def insert_rows(self, model, rows):
        """Rows as dicts of attnames, for a table whose rows need no id back (a history of links)."""
        if rows:
            fields = [field for field in concrete_fields(model) if not field.primary_key]
            self.insert(model, fields, ([row[f.attname] for f in fields] for row in rows))

    def history(self, model, records, kind):
        """One history row per record ('+' created, '~' changed, '-' deleted); returns their ids in order."""
        if not records:
            return []
        history = model.history.model
        names, read = _tracked(history)
        extra = {"history_date": self.now, "history_type": kind, "history_user_id": self.user_id}
        rows = []
        for record in records:
            row = dict(zip(names, read(record), strict=True))
            row.update(extra, history_change_reason=getattr(record, "_change_reason", None) or self.reason)
            rows.append(row)
        ids = self.next_ids(history, len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row[history._meta.pk.attname] = pk
        fields = concrete_fields(history)
        self.insert(history, fields, ([row[f.attname] for f in fields] for row in rows))
        return ids


@cache
def _tracked(history):
    fields = history.tracked_fields
    return [field.attname for field in fields], reader(fields)


def _quote(name):
    return connection.ops.quote_name(name)


class CopyWriter(Writer):
    """PostgreSQL: COPY for inserts, a temporary table and one UPDATE for changes."""

    @staticmethod
    def next_ids(model, count):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def insert(model, fields, rows, table=None):
        columns = ", ".join(_quote(field.column) for field in fields)
        copy = f"COPY {_quote(table or model._meta.db_table)} ({columns}) FROM STDIN"
        # The driver's own cursor, below Django's: its errors are translated here (IntegrityError …).
        with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(copy) as stream:
            for row in rows:
                stream.write_row(row)

    def update(self, model, records, attnames):
        if not records:
            return
        table, pk = _quote(model._meta.db_table), _quote(model._meta.pk.column)
        fields = [model._meta.pk, *(field for field in concrete_fields(model) if field.attname in attnames)]
        columns = ", ".join(_quote(field.column) for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE batch_update AS SELECT {columns} FROM {table} WITH NO DATA")
            self.insert(model, fields, map(reader(fields), records), table="batch_update")
            assignments = ", ".join(f"{_quote(f.column)} = batch_update.{_quote(f.column)}" for f in fields[1:])
            cursor.execute(f"UPDATE {table} SET {assignments} FROM batch_update WHERE {table}.{pk} = batch_update.{pk}")
            cursor.execute("DROP TABLE batch_update")

    @staticmethod
    def delete(model, ids):
        table, pk = _quote(model._meta.db_table), _quote(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [list(ids)])


class ExecuteManyWriter(Writer):
    """SQLite and the rest: one statement prepared once and run for every row."""

    @staticmethod
    def next_ids(model, count):
        # Past the highest id ever given (sqlite_sequence remembers deleted ones), never reused.
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            found = cursor.fetchone()
            if found is None:
                cursor.execute(f"SELECT MAX({_quote(model._meta.pk.column)}) FROM {_quote(model._meta.db_table)}")
                found = cursor.fetchone()
        start = (found[0] or 0) + 1
        return list(range(start, start + count))

    @staticmethod
    def insert(model, fields, rows):
        columns = ", ".join(_quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ({marks})", prepared)

    def update(self, model, records, attnames):
        if not records:
            return
        fields = [field for field in concrete_fields(model) if field.attname in attnames]
        assignments = ", ".join(f"{_quote(field.column)} = %s" for field in fields)
        read, pk = reader(fields), model._meta.pk
        prepared = [
            [*(f.get_db_prep_save(v, connection) for f, v in zip(fields, read(record), strict=True)), record.pk]
            for record in records
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_quote(model._meta.db_table)} SET {assignments} WHERE {_quote(pk.column)} = %s", prepared
            )

    @staticmethod
    def delete(model, ids):
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {_quote(model._meta.db_table)} WHERE {_quote(model._meta.pk.column)} = %s",
                [[pk] for pk in ids],
            )
