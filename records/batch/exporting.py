"""Exporting many rows: read in chunks through the database's cursor, written as they are read.

A file's rows come from one query of plain values (the related records'
slugs joined in, no model instances), read in chunks of CHUNK_SIZE through a
server-side cursor on PostgreSQL; each chunk's many-to-many slugs come with
one more query. Memory stays flat however long the table.
"""

import csv
import dataclasses
from collections import defaultdict

from django.db.models import Case, F, When

from ..chunks import chunks
from ..visibility import public_filter
from .columns import columns_of, escape_formula, membership_key, render

CHUNK_SIZE = 2000


def header(table, names=None):
    return [name for name in table.columns if names is None or name in names]


def rows(table, queryset=None, on_rows=None, names=None, public=False):
    """The cells of every record of `queryset` (all of the model's by default), in the file's key order.

    `names` limits the columns to those named, in the file's order. With
    `public`, a reference to a record the public may not see is left empty
    (records/visibility.py): a public download names no draft.
    """
    columns = [column for name, column in columns_of(table).items() if names is None or name in names]
    model = table.model
    queryset = (model._base_manager.all() if queryset is None else queryset).order_by(*table.export_order_by)
    paths, readers = ["pk"], []
    for column in columns:
        if public and column.kind == "link":
            # The slug of a linked record only where the public may see it.
            shown = Case(
                When(public_filter(column.target, f"{column.attribute}__"), then=F(f"{column.attribute}__slug"))
            )
            queryset = queryset.annotate(**{f"public_{column.attribute}": shown})
            column = dataclasses.replace(column, attribute=f"public_{column.attribute}", kind="annotated")
        readers.append(_reader(column, paths))
    links = [column for column in columns if column.kind == "links"]
    values = queryset.values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
    for chunk in chunks(values, CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        linked = {column.attribute: _linked_slugs(model, column, ids, public) for column in links}
        for row in chunk:
            yield [read(row, linked) for read in readers]
        if on_rows:
            on_rows(len(chunk))


class _Echo:
    """A file whose write() hands the line back, for streaming."""

    def write(self, line):
        return line


def csv_lines(table, queryset=None, names=None, public=False):
    """The CSV file of `queryset`, a line at a time as the rows are read: for downloads that stream."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header(table, names))
    for cells in rows(table, queryset, names=names, public=public):
        yield writer.writerow(cells)


def write_csv(table, file, queryset=None, on_rows=None, public=False):
    """Write the CSV file of `queryset` to `file` as it is read; returns the number of rows."""
    writer = csv.writer(file)
    writer.writerow(header(table))
    count = 0
    for cells in rows(table, queryset, on_rows, public=public):
        writer.writerow(cells)
        count += 1
    return count


def _reader(column, paths):
    """A function from a row of values (and the chunk's links) to the column's cell; adds what it reads to paths."""
    at = len(paths)
    if column.kind == "value":
        paths.append(column.attribute)
        if column.is_text:
            return lambda row, linked: escape_formula(render(row[at]))
        return lambda row, linked: render(row[at])
    if column.kind == "link":
        paths.append(f"{column.attribute}__slug")
        return lambda row, linked: escape_formula(row[at] or "")
    if column.kind == "annotated":
        paths.append(column.attribute)
        return lambda row, linked: escape_formula(row[at] or "")
    if column.kind == "links":
        return lambda row, linked: escape_formula("|".join(sorted(linked[column.attribute].get(row[0], ()))))
    membership = column.attribute
    paths += [
        f"{membership}__member_person__slug",
        f"{membership}__member_organization__slug",
        f"{membership}__organization__slug",
        f"{membership}__role",
        f"{membership}__kind",
        f"{membership}__start_date",
    ]

    def key(row, linked):
        parts = row[at : at + 6]
        if parts[2] is None:  # no membership
            return ""
        return escape_formula(membership_key(*parts))

    return key


def _linked_slugs(model, column, ids, public=False):
    m2m = model._meta.get_field(column.attribute)
    through = m2m.remote_field.through
    target = m2m.m2m_reverse_field_name()
    found = defaultdict(list)
    pairs = through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": ids})
    if public:
        pairs = pairs.filter(public_filter(column.target, f"{target}__"))
    for pk, slug in pairs.values_list(m2m.m2m_column_name(), f"{target}__slug"):
        found[pk].append(slug)
    return found
