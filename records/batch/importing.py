"""Importing many rows: every file checked in Python, references resolved once, rows written in batches.

A file (File, below) goes through four stages, each a module of its own:

1. **Survey** (batch/survey.py): the header is matched exactly against the
   table's columns (batch/schema.py); each row must have as many cells as the
   header; keys must not repeat within the file; every slug the file refers
   to is collected.
2. **References** (batch/references.py): each referenced table is read once
   (one query per table per file, or the whole table's slugs when the file
   names many of them).
3. **Check** (batch/checks.py), in batches of BATCH_SIZE rows: every cell
   against its model field; the record as it would be against the model's
   check constraints, its other unique constraints and the review rule.
   Stored records of the same keys are read with one query a batch and
   compared (here): an unchanged row goes no further.
4. **Write** (batch/saving.py), per batch: new and changed records, their
   history rows, their many-to-many links and their derived data; a batch the
   database refuses is written again row by row to name the offending row.

Every problem is kept and named by file, row and column; the caller rolls the
whole import back if there is any (and for a dry run). A row that refers to a
record refused earlier in the same import is reported once, with all such
rows, as a consequence of that refusal.
"""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from ..chunks import chunks
from ..models.base import PUBLICLY_CITED, Publishable
from .checks import Checks
from .columns import CellError, columns_of, render, unescape_formula
from .references import Consequence, References, among, membership_parts
from .saving import Saving, link_table
from .survey import Survey
from .writing import Writer, concrete_fields, new_record, reader

# Rows per batch: a thousand keeps each statement's parameters far below
# SQLite's and PostgreSQL's limits and the memory of a batch small, while the
# few queries a batch costs stay a small share of its time
# (docs/benchmarks.md compares sizes).
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str
    consequence: bool = False  # rows refused only because they refer to a record refused itself

    def __str__(self):
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass
class Outcome:
    """What happens to one row, for the admin's preview."""

    number: int
    import_type: str  # new, update, skip
    object_repr: str
    changes: list = field(default_factory=list)


class Import:
    """Files imported as one: nothing of it may stand unless every row of every file is right.

    The caller runs it inside a transaction and rolls back when `ok` is false,
    and for a dry run: batches are written as they are checked, so that later
    files can refer to records of earlier ones.
    """

    def __init__(self, user=None, keep_outcomes=False, on_rows=None, batch_size=BATCH_SIZE):
        self.user = user
        self.keep_outcomes = keep_outcomes
        self.on_rows = on_rows or (lambda count: None)
        self.batch_size = batch_size
        self.problems = []
        self.totals = {}
        self.outcomes = defaultdict(list)
        # (model, key as files write it) -> (file, row) of a refused row.
        self.refused = {}
        # (file, column, what was refused) -> rows that fail only because of it.
        self.consequences = defaultdict(list)
        # Published facts written here: each needs a citation once every file is in.
        self.published_facts = defaultdict(dict)

    @property
    def ok(self):
        return not self.problems

    def add(self, table, file_name, headers, rows):
        """Import one file: `headers` and `rows` (lists of cells) as read from it.

        A key column added to a file after files were written (a citation's `post`) may be missing from
        such a file: it is read as empty, as every row of that file would have it.
        """
        headers = list(headers or [])
        added = [name for name in table.added_key_columns if headers and name not in headers]
        if added:
            headers += added
            rows = [[*row, *[""] * len(added)] for row in rows]
        File(self, table, file_name, headers, rows).run()

    def finish(self):
        """What can only be checked once every file is in; then the consequences, once each."""
        for model, facts in self.published_facts.items():
            ids = list(facts)
            for chunk in chunks(ids):
                cited = model._base_manager.filter(pk__in=chunk, **PUBLICLY_CITED)
                cited = set(cited.values_list("pk", flat=True))
                for pk in chunk:
                    if pk not in cited:
                        file, row = facts[pk]
                        message = (
                            f"{model(pk=pk).missing_citation()} Import a citation for it, or import it as a draft."
                        )
                        self.problems.append(Problem(file, row, "status", message))
        for (file, column, origin), rows in self.consequences.items():
            shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
            noun = "row" if len(rows) == 1 else "rows"
            self.problems.append(Problem(file, None, None, f"{noun} {shown}, column {column!r}: {origin}", True))


class File(Survey, References, Checks, Saving):
    """One file of an import: its state here, each stage's steps in the stage's module."""

    def __init__(self, batch, table, file_name, headers, rows):
        self.batch = batch
        self.table = table
        self.model = table.model
        self.name = file_name
        self.headers = ["" if header is None else str(header) for header in headers or []]
        self.rows = rows
        self.columns = columns_of(table)
        self.key = list(table.key)
        self.totals = batch.totals.setdefault(file_name, Counter())
        self.writer = Writer.for_connection()(batch.user, f"Imported from {file_name}")
        self.resolved = {}  # target model -> {slug (or membership key): id}
        self.failed_rows = set()
        self.cell_limit = settings.IMPORT_MAX_CELL_CHARS
        # Per column of the file: its name, its Column, and whether its cells are trimmed (keys, references).
        self.plan = [
            (name, self.columns[name], self.columns[name].kind != "value" or name in self.key)
            for name in self.headers
            if name in self.columns
        ]
        self.key_attnames = [self.columns[name].attname for name in self.key]
        self.key_plan = [(self.headers.index(name), self.columns[name]) for name in self.key if name in self.headers]
        self.read_state = reader(concrete_fields(self.model))
        self.state_names = [f.name for f in concrete_fields(self.model)]
        self.state_attnames = [f.attname for f in concrete_fields(self.model)]
        self.parent_column = next(
            (
                c
                for c in self.columns.values()
                if c.kind == "link" and c.target is self.model and c.name in self.headers
            ),
            None,
        )

    def problem(self, row, column, message):
        self.batch.problems.append(Problem(self.name, row, column, message))

    def run(self):
        if not self.check_header():
            return
        rows = self.survey()
        self.resolve()
        if self.parent_column is not None:
            rows = self.parents_first(rows)
        pending = []
        for number, cells in rows:
            if number is None:  # the next generation of parents and children: write this one first
                self.process(pending)
                pending = []
            elif number not in self.failed_rows:
                pending.append((number, cells))
                if len(pending) >= self.batch.batch_size:
                    self.process(pending)
                    pending = []
        self.process(pending)

    # Comparing a batch with what is stored -------------------------------------------

    def process(self, raw):
        """Compare a batch with what is stored, check what differs, write what changes."""
        if not raw:
            return
        keys = {number: self.raw_key(cells) for number, cells in raw}
        stored_by_key = self.stored({key for key in keys.values() if key is not None})
        stored_links = self.stored_links([row["pk"] for row in stored_by_key.values()])
        # A row that says exactly what is stored changes nothing: it is counted, not checked.
        differing = []
        for number, cells in raw:
            stored = stored_by_key.get(keys[number])
            if stored is not None and self.says_what_is_stored(cells, stored, stored_links):
                self.skip(number, cells)
            else:
                differing.append((number, cells))
        compared = []
        for number, key, values, links, cells in self.check_cells(differing):
            stored = stored_by_key.get(key)
            changed_fields = list(values) if stored is None else [n for n, v in values.items() if stored[n] != v]
            if stored is not None:
                links = {n: ids for n, ids in links.items() if set(ids) != stored_links[n].get(stored["pk"], set())}
                if not changed_fields and not links:
                    self.skip(number, cells)
                    continue
            compared.append((number, stored, values, links, cells, changed_fields))
        # Only new and changed rows go on: the stored records they change are read whole, once a batch.
        whole = self.stored_records([stored["pk"] for _, stored, *_ in compared if stored is not None])
        self.read_linked(compared, whole)
        created, changed, outcomes = [], [], []
        for number, stored, values, links, cells, changed_fields in compared:
            before = None if stored is None else whole[stored["pk"]]
            record = new_record(self.model, values) if before is None else copy.copy(before)
            for name in changed_fields if before is not None else ():
                setattr(record, name, values[name])
            record._changed, record._links, record._row = changed_fields, links, number
            problems = self.check_record(record, before)
            if problems:
                self.refuse(number, cells, problems)
                continue
            (created if before is None else changed).append(record)
            if self.batch.keep_outcomes:
                outcomes.append(self.outcome(number, before, record, cells, stored_links))
        self.check_unique([*created, *changed])
        self.write(
            [r for r in created if r._row not in self.failed_rows],
            [r for r in changed if r._row not in self.failed_rows],
            stored_links,
        )
        self.batch.outcomes[self.name] += [outcome for outcome in outcomes if outcome.number not in self.failed_rows]
        self.batch.on_rows(len(raw))

    def skip(self, number, cells):
        self.totals["skip"] += 1
        if self.batch.keep_outcomes:
            self.batch.outcomes[self.name].append(Outcome(number, "skip", self.describe(cells)))

    def raw_key(self, cells):
        """The key of a row as stored records are keyed, read from its key cells; None if they do not read."""
        key = []
        for position, column in self.key_plan:
            text = cells[position]
            if text[:1] == "'":
                text = unescape_formula(text)
            text = text.strip()
            try:
                # A key's text is its value (a slug, a role, a date as written), or the id of the record it names.
                key.append(text if column.kind == "value" else self.link(column, text))
            except (CellError, Consequence):
                return None
        return tuple(key)

    def says_what_is_stored(self, cells, stored, stored_links):
        """Whether every cell is the stored value as the file writes it: the cheap test of an unchanged row.

        It may say no where a full check would find nothing changed (a cell with
        surrounding spaces, an escaped formula); never the other way round.
        """
        for (_, column, strip), text in zip(self.plan, cells, strict=True):
            if text[:1] == "'":
                return False
            if strip:
                text = text.strip()
            kind = column.kind
            if kind == "value":
                if text != column.render(stored[column.attname]):
                    return False
            elif kind == "links":
                slugs = {slug.strip() for slug in text.split("|") if slug.strip()}
                found = {self.resolved.get(column.target, {}).get(slug) for slug in slugs}
                if None in found or found != stored_links[column.attribute].get(stored["pk"], set()):
                    return False
            else:
                key = membership_parts(text) if kind == "membership" and text else text
                if (self.resolved.get(column.target, {}).get(key) if text else None) != stored[column.attname]:
                    return False
        return True

    def stored(self, keys):
        """{key: the stored values of the file's columns} for these keys, with one query."""
        key_fields = self.key_attnames
        if not keys:
            return {}
        # Narrow by the key field with the most distinct values; match the whole key here.
        narrowing = max(range(len(key_fields)), key=lambda at: len({key[at] for key in keys}))
        values = {key[narrowing] for key in keys}
        queryset = self.model._base_manager.filter(among(key_fields[narrowing], values - {None}))
        if None in values:
            queryset = queryset | self.model._base_manager.filter(**{f"{key_fields[narrowing]}__isnull": True})
        names = list(dict.fromkeys(["pk", *key_fields, *(c.attname for _, c, _ in self.plan if c.kind != "links")]))
        matched = {}
        for found in queryset.values_list(*names):
            found = dict(zip(names, found, strict=True))
            key = tuple(found[attname] for attname in key_fields)
            if key in keys:
                matched[key] = found
        return matched

    def stored_records(self, pks):
        """{pk: record} of stored records about to change, whole, for their history and the review rule."""
        queryset = self.model._base_manager.all()
        if not issubclass(self.model, Publishable):
            # A part answers to the record it belongs to (roles.governing): read that with it.
            queryset = queryset.select_related(*(f.name for f in self.model._meta.concrete_fields if f.is_relation))
        return queryset.in_bulk(pks) if pks else {}

    def stored_links(self, ids):
        """{many-to-many attribute: {record id: set of linked ids}} of stored records, one query a column."""
        found = {}
        for column in self.columns.values():
            if column.kind == "links" and column.name in self.headers:
                through, source, target = link_table(self.model, column.attribute)
                mapping = defaultdict(set)
                if ids:
                    pairs = through._base_manager.filter(among(source, ids)).values_list(source, target)
                    for pk, other in pairs:
                        mapping[pk].add(other)
                found[column.attribute] = mapping
        return found

    # For the preview ------------------------------------------------------------------

    def describe(self, cells):
        row = dict(zip(self.headers, cells, strict=True))
        return " · ".join(row[name].strip() for name in self.key if row[name].strip()) or "(no key)"

    def outcome(self, number, stored, record, cells, stored_links):
        """The row's changes, column by column, as the preview shows them; `stored` is the record before."""
        row = dict(zip(self.headers, cells, strict=True))
        changes = []
        for name in self.headers:
            column = self.columns[name]
            new = unescape_formula(row[name]) if column.kind == "value" else row[name].strip()
            if column.kind == "links":
                new = "|".join(sorted(slug.strip() for slug in new.split("|") if slug.strip()))
            if stored is None:
                if new:
                    changes.append((name, "", new))
                continue
            if column.kind == "value":
                old, new = render(getattr(stored, column.attname)), render(getattr(record, column.attname))
            elif column.kind == "links":
                before = stored_links[column.attribute].get(stored.pk, set())
                old = "|".join(sorted(self.slug_of(column.target, pk) for pk in before))
            else:
                old = new if getattr(stored, column.attname) == getattr(record, column.attname) else "(another)"
            if old != new:
                changes.append((name, old, new))
        return Outcome(number, "new" if stored is None else "update", self.describe(cells), changes)
