"""Importing many rows: every file checked in Python, references resolved once, rows written in batches.

A file goes through three steps:

1. **Survey.** The header is matched exactly against the table's columns (batch/schema.py);
   each row must have as many cells as the header; keys must not repeat
   within the file. Every slug the file refers to is collected, and each
   referenced table is then read once (one query per table per file, or the
   whole table's slugs when the file names many of them).
2. **Check**, in batches of BATCH_SIZE rows: every cell against its model
   field; the record as it would be against the model's check constraints,
   evaluated in Python (batch/rules.py), its other unique constraints and the
   review rule (records/roles.py). Stored records of the same keys are read
   with one query a batch and compared: an unchanged row goes no further.
3. **Write**, per batch: new and changed records, their history rows (the
   reason names the file), their many-to-many links and their search text,
   computed before the write (batch/writing.py). The database's constraints
   remain the final net: a batch it refuses is written again row by row to
   name the offending row and column.

Every problem is kept and named by file, row and column; the caller rolls the
whole import back if there is any (and for a dry run). A row that refers to a
record refused earlier in the same import is reported once, with all such
rows, as a consequence of that refusal.
"""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .. import derived
from ..chunks import chunks
from ..models import Membership, Statement, Topic
from ..models.base import PUBLICLY_CITED, CitedFact, Publishable
from ..roles import governing, refusal
from . import rules
from .columns import CellError, columns_of, member_label, membership_key, render, unescape_formula
from .writing import Writer, concrete_fields, new_record, reader

# Rows per batch: a thousand keeps each statement's parameters far below
# SQLite's and PostgreSQL's limits and the memory of a batch small, while the
# few queries a batch costs stay a small share of its time
# (docs/benchmarks.md compares sizes).
BATCH_SIZE = 1000
# Above this many distinct slugs for one table, reading all of the table's
# slugs is cheaper than a long IN list, and within every driver's limits.
WHOLE_TABLE_ABOVE = 5000


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


class Consequence(Exception):
    """A cell refers to a record refused earlier in the same import."""


class File:
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

    # 1. Survey ------------------------------------------------------------------------

    def check_header(self):
        known = list(self.columns)
        problems = []
        if not self.headers:
            problems.append("the file is empty: it has no header row")
        padded = [header for header in self.headers if header != header.strip()]
        if padded:
            problems.append(f"column {', '.join(map(repr, padded))} has spaces around its name")
        repeated = sorted({header for header in self.headers if self.headers.count(header) > 1})
        if repeated:
            problems.append(f"column {', '.join(map(repr, repeated))} appears more than once")
        unknown = [header for header in self.headers if header not in known and header not in padded]
        if unknown:
            problems.append(f"unknown column {', '.join(map(repr, unknown))}; the columns are {', '.join(known)}")
        missing = [name for name in (*self.key, *self.table.required) if name not in self.headers]
        if missing and self.headers:
            plural = "s" if len(missing) > 1 else ""
            problems.append(f"missing required column{plural} {', '.join(map(repr, missing))}")
        for message in problems:
            self.problem(None, None, message)
        return not problems

    def survey(self):
        """Check each row's shape and key, and collect what the file refers to; returns the rows as text."""
        width = len(self.headers)
        key_at = [self.headers.index(name) for name in self.key]
        reference_at = [(at, self.columns[name]) for at, name in enumerate(self.headers)]
        reference_at = [(at, column) for at, column in reference_at if column.kind != "value"]
        seen, rows = {}, []
        self.wanted = defaultdict(set)
        for number, cells in enumerate(self.rows, start=1):
            rows.append((number, cells))
            if len(cells) != width:
                self.failed_rows.add(number)
                noun = "cell" if len(cells) == 1 else "cells"
                shape = f"has {len(cells)} {noun}" if cells else "is empty"
                self.problem(number, None, f"the row {shape}; the header has {width} columns")
                continue
            key = tuple(unescape_formula(cells[at]).strip() for at in key_at)
            if key in seen:
                self.failed_rows.add(number)
                same = ", ".join(self.key)
                self.problem(number, self.key[0], f"the same record as row {seen[key]} (same {same})")
            else:
                seen[key] = number
            for at, column in reference_at:
                text = unescape_formula(cells[at]).strip()
                if text and column.kind == "links":
                    self.wanted[column.name].update(slug.strip() for slug in text.split("|") if slug.strip())
                elif text:
                    self.wanted[column.name].add(text)
        return rows

    def resolve(self):
        """Read each referenced table once: slugs to ids and statuses, memberships by their key."""
        slugs = defaultdict(set)
        for name, wanted in self.wanted.items():
            column = self.columns[name]
            if column.kind == "membership":
                self.resolved[Membership] = memberships_by_key(wanted)
            else:
                slugs[column.target] |= wanted
        for model, wanted in slugs.items():
            self.resolved[model] = slugs_of(model, wanted)

    def parents_first(self, rows):
        """Rows in generations, parents first, a (None, None) between generations; loops are refused."""
        at, slug_at = self.headers.index(self.parent_column.name), self.headers.index("slug")
        usable = [(number, cells) for number, cells in rows if number not in self.failed_rows]
        by_slug = {unescape_formula(cells[slug_at]).strip(): (number, cells) for number, cells in usable}
        parent_of = {slug: unescape_formula(cells[at]).strip() for slug, (_, cells) in by_slug.items()}
        # The stored tree too, so that a loop closed through existing records is caught.
        stored = dict(self.model._base_manager.filter(parent__isnull=False).values_list("slug", "parent__slug"))
        for slug in parent_of:
            trail, current = [slug], parent_of[slug]
            while current and current not in trail:
                trail.append(current)
                current = parent_of[current] if current in parent_of else stored.get(current)
            if current == slug:
                number = by_slug[slug][0]
                self.failed_rows.add(number)
                loop = " → ".join([*trail, slug])
                self.problem(number, self.parent_column.name, f"the parents make a loop: {loop}")
        generation = {}

        def depth(slug):
            if slug not in generation:
                generation[slug] = 0  # a guard against loops, already reported
                parent = parent_of[slug]
                generation[slug] = depth(parent) + 1 if parent in parent_of else 0
            return generation[slug]

        ordered = sorted(by_slug.items(), key=lambda item: (depth(item[0]), item[1][0]))
        result = []
        for position, (slug, row) in enumerate(ordered):
            if position and depth(slug) != depth(ordered[position - 1][0]):
                result.append((None, None))
            result.append(row)
        return result

    # 2. Check -------------------------------------------------------------------------

    def check_cells(self, rows):
        """Check a batch of rows column by column: (number, key, values, links, cells) of the rows that are right."""
        checked = [({}, {}, {}) for _ in rows]  # values, links, errors
        for position, (name, column, strip) in enumerate(self.plan):
            read = self.reader(name, column, strip)
            for (number, cells), (values, links, errors) in zip(rows, checked, strict=True):
                try:
                    value = read(cells[position])
                except CellError as error:
                    errors[name] = str(error)
                    continue
                except Consequence as consequence:
                    self.batch.consequences[(self.name, name, str(consequence))].append(number)
                    errors[name] = None
                    continue
                if column.kind == "links":
                    links[column.attribute] = value
                else:
                    values[column.attname] = value
        good = []
        for (number, cells), (values, links, errors) in zip(rows, checked, strict=True):
            if errors:
                self.refuse(number, cells, errors)
            else:
                key = tuple(values.get(attname, "") for attname in self.key_attnames)
                good.append((number, key, values, links, cells))
        return good

    def reader(self, name, column, strip):
        """A function from a cell of this column to its value; raises CellError or Consequence."""
        limit = self.cell_limit

        def prepare(text):
            if len(text) > limit:
                raise CellError(f"the cell has {len(text):,} characters; at most {limit:,} are allowed")
            if text[:1] == "'":
                text = unescape_formula(text)
            return text.strip() if strip else text

        if column.kind == "value":
            return lambda text: column.read(prepare(text))
        if column.kind == "links":
            return lambda text: [
                self.link(column, slug)
                for slug in dict.fromkeys(s.strip() for s in prepare(text).split("|") if s.strip())
            ]
        return lambda text: self.link(column, prepare(text))

    def link(self, column, text):
        """The id of the record a cell names (by slug, or by membership key)."""
        if not text:
            if column.kind != "links" and not column.model_field.null:
                raise CellError("a value is required")
            return None
        key = text
        if column.kind == "membership":
            key = membership_parts(text)
            if key is None:
                raise CellError(
                    f"{text!r} is not a membership key: write 'person:slug > organization slug > role > kind > start'"
                )
        found = self.resolved.get(column.target, {}).get(key)
        if found is not None:
            return found
        origin = self.batch.refused.get((column.target, key))
        noun = column.target._meta.verbose_name
        if origin is not None:
            raise Consequence(f"refers to the {noun} refused at {origin[0]} row {origin[1]}")
        if column.kind == "membership":
            raise CellError(f"no membership {text!r}")
        raise CellError(f"no {noun} with slug {text!r}")

    def refuse(self, number, cells, errors):
        self.failed_rows.add(number)
        for name, message in errors.items():
            if message is not None:
                self.problem(number, name, message)
        self.batch.refused[(self.model, self.key_as_written(cells))] = (self.name, number)

    def key_as_written(self, cells):
        """How other files name the record of a row: its slug, or its membership key."""
        row = dict(zip(self.headers, cells, strict=True))
        if "slug" in row:
            return row["slug"].strip()
        if self.model is Membership:
            cells = ("member_person", "member_organization", "organization", "role", "kind", "start_date")
            return membership_parts(membership_key(*(row.get(name, "").strip() for name in cells)))
        return None

    def check_record(self, record, stored):
        """{column: message} of what the record as a whole breaks: check constraints, the review rule."""
        values = self.read_state(record)
        state = dict(zip(self.state_names, values, strict=True))
        state.update(zip(self.state_attnames, values, strict=True))
        problems = {}
        for constraint in rules.failing(self.model, state):
            # The last field a condition names is what it decides on: a period's end, a reference date.
            column = self.column_reading(rules.fields_of(constraint.condition)[::-1])
            problems[column] = constraint.get_violation_error_message()
        if problems or self.batch.user is None:
            return problems
        self.attach_governing(record)
        refused = refusal(self.batch.user, stored, record)
        if refused:
            target = governing(record)
            column = "status" if target is record else self.column_reading([self.link_name_to(target)])
            problems[column] = refused
        return problems

    def column_reading(self, field_names):
        """The file's column for the first of these fields it has, for a message about them."""
        for field_name in field_names:
            for name in self.headers:
                if field_name in (self.columns[name].attribute, self.columns[name].attname):
                    return name
        return None

    def attach_governing(self, record):
        """Give a part the records it links to, read once a batch: the review rule asks them."""
        if isinstance(record, Publishable):
            return
        for column in self.columns.values():
            if column.kind in ("link", "membership") and column.name in self.headers:
                pk = getattr(record, column.attname)
                setattr(record, column.model_field.name, None if pk is None else self.linked[column.target][pk])

    def read_linked(self, compared, whole):
        """The records a batch of parts links to, now and before, one query a table, when the review rule will ask."""
        self.linked = defaultdict(dict)
        if self.batch.user is None or issubclass(self.model, Publishable):
            return
        for column in self.columns.values():
            if column.kind in ("link", "membership") and column.name in self.headers:
                pks = {values[column.attname] for _, _, values, *_ in compared}
                pks |= {getattr(record, column.attname) for record in whole.values()}
                queryset = column.target._base_manager.all()
                if column.target is Membership:
                    queryset = queryset.select_related("member_person", "member_organization", "organization")
                self.linked[column.target].update(queryset.in_bulk(pks - {None}))

    def link_name_to(self, target):
        for column in self.columns.values():
            if column.kind in ("link", "membership") and isinstance(target, column.target):
                return column.attribute
        return None

    # 3. Compare and write --------------------------------------------------------------

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

    def check_unique(self, records):
        """Unique fields beyond the key (a topic's name), within the file's batch and against the database."""
        for name in other_unique_fields(self.model, self.key, self.columns):
            attname = self.model._meta.get_field(name).attname
            seen = {}
            for record in records:
                value = getattr(record, attname)
                if value in seen:
                    self.refuse_row(record._row, name, f"the same {name} as row {seen[value]}")
                else:
                    seen[value] = record._row
            mine = [record.pk for record in records if record.pk is not None]
            taken = self.model._base_manager.filter(**{f"{attname}__in": list(seen)}).exclude(pk__in=mine)
            noun = self.model._meta.verbose_name
            for value in taken.values_list(attname, flat=True):
                self.refuse_row(seen[value], name, f"another {noun} already has this {name}")

    def refuse_row(self, number, column, message):
        self.failed_rows.add(number)
        self.problem(number, column if column in self.headers else None, message)

    def write(self, created, changed, stored_links):
        if not created and not changed:
            return
        stamps = {f.attname for f in self.model._meta.concrete_fields} & {"created", "updated"}
        for record in created:
            for stamp in stamps:
                setattr(record, stamp, self.writer.now)
        for record in changed:
            if "updated" in stamps:
                record.updated = self.writer.now
        if derived.searchable(self.model):
            self.set_search_text(created, changed, stored_links)
        try:
            with transaction.atomic():
                self.write_batch(created, changed, stored_links)
        except IntegrityError:
            # The database refused what Python let through: write the rows one by one to name them.
            for record in [*created, *changed]:
                new = record in created
                try:
                    with transaction.atomic():
                        self.write_batch([record] if new else [], [] if new else [record], stored_links)
                except IntegrityError as error:
                    self.refuse_row(record._row, *self.constraint_of(error))
            return

    def set_search_text(self, created, changed, stored_links):
        """The search text of new and changed records, before they are written (records/derived.py)."""
        inputs = set(self.model.search_inputs)
        if self.model is not Statement:
            derived.prepare(created, extra={})  # other names and identifiers come in files of their own
            derived.prepare([record for record in changed if set(record._changed) & inputs])
            return
        # A statement is found by its topics too: those of its row, or those it has.
        names = self.topic_names()
        for record in [*created, *changed]:
            if record in changed and not (set(record._changed) & inputs or "topics" in record._links):
                continue
            topics = record._links.get("topics")
            if topics is None:
                topics = stored_links.get("topics", {}).get(record.pk) or self.stored_topics(record)
            derived.prepare([record], extra={record.pk: [names[pk] for pk in topics]})

    def topic_names(self):
        if not hasattr(self, "_topic_names"):
            self._topic_names = dict(Topic.objects.values_list("pk", "name"))
        return self._topic_names

    def stored_topics(self, record):
        if record.pk is None:
            return []
        return list(Statement.topics.through.objects.filter(statement_id=record.pk).values_list("topic_id", flat=True))

    def write_batch(self, created, changed, stored_links):
        model, writer = self.model, self.writer
        # The owners a changed other name leaves: their search text loses it (records/derived.py).
        owners_before = derived.owners(model, [r.pk for r in changed]) if changed else None
        if created:
            for record in created:
                record._state.adding = True
            writer.create(model, created)
        if changed:
            fields = {name for record in changed for name in record._changed}
            fields |= {"updated"} & {f.attname for f in model._meta.concrete_fields}
            if derived.searchable(model):
                fields.add(model.search_field)
            writer.update(model, changed, sorted(fields))
        history_ids = {}
        if hasattr(model, "history"):
            history_ids.update(zip([r.pk for r in created], writer.history(model, created, "+"), strict=True))
            history_ids.update(zip([r.pk for r in changed], writer.history(model, changed, "~"), strict=True))
        written = self.write_links(created, changed, stored_links)
        self.write_links_history(created, changed, written, history_ids)
        # Written without save(): the owners' search text, the flags and the version follow (records/derived.py).
        fields = None if created else {name for record in changed for name in record._changed}
        derived.written(model, [r.pk for r in [*created, *changed]], fields, prepared=True, owners_before=owners_before)
        for kind, records in (("new", created), ("update", changed)):
            if records:
                self.totals[kind] += len(records)
        for record in [*created, *changed]:
            self.remember(record)

    def write_links(self, created, changed, stored_links):
        """Add and remove many-to-many links; returns the links written for new records, by column."""
        written = {}
        for column in self.columns.values():
            if column.kind != "links" or column.name not in self.headers:
                continue
            through, source, target = link_table(self.model, column.attribute)
            added, removed = [], set()
            for record in [*created, *changed]:
                wanted = record._links.get(column.attribute)
                if wanted is None:
                    continue
                before = stored_links[column.attribute].get(record.pk, set()) if record in changed else set()
                added += [
                    new_record(through, {source: record.pk, target: other}) for other in wanted if other not in before
                ]
                removed |= {(record.pk, other) for other in before - set(wanted)}
            if removed:
                stale = through._base_manager.filter(**{f"{source}__in": {pk for pk, _ in removed}})
                stale = [row for row in stale if (getattr(row, source), getattr(row, target)) in removed]
                if hasattr(through, "history"):
                    self.writer.history(through, stale, "-")
                self.writer.delete(through, [row.pk for row in stale])
            self.writer.create(through, added)
            if hasattr(through, "history"):
                self.writer.history(through, added, "+")
            written[column.attribute] = added
        return written

    def write_links_history(self, created, changed, written, history_ids):
        """Many-to-many fields kept in history (a statement's topics): the links as of each new history row."""
        history = getattr(self.model, "history", None)
        for m2m_field in getattr(history.model, "_history_m2m_fields", []) if history else []:
            through, source, _ = link_table(self.model, m2m_field.name)
            fields = [f.attname for f in through._meta.concrete_fields]
            # New records' links were just written; changed ones' are read, untouched ones included.
            created_ids = {record.pk for record in created}
            links = [
                [getattr(link, name) for name in fields]
                for link in written.get(m2m_field.name, [])
                if getattr(link, source) in created_ids
            ]
            if changed:
                current = through._base_manager.filter(**{f"{source}__in": [r.pk for r in changed]})
                links += current.values_list(*fields)
            rows = [dict(zip(fields, link, strict=True)) for link in links]
            rows = [row | {"history_id": history_ids[row[source]]} for row in rows if row[source] in history_ids]
            self.writer.insert_rows(HistoricalRecords.m2m_models[m2m_field], rows)

    def remember(self, record):
        """What later rows and files need of a written record: its id by slug, its citations."""
        if self.parent_column is not None:
            self.resolved.setdefault(self.model, {})[record.slug] = record.pk
        if isinstance(record, CitedFact) and record.reviewers_only:
            self.batch.published_facts[self.model][record.pk] = (self.name, record._row)

    def constraint_of(self, error):
        """(column, message) of a database refusal, from the constraint it names."""
        text = str(error)
        for constraint in self.model._meta.constraints:
            if constraint.name in text:
                names = getattr(constraint, "fields", ()) or rules.fields_of(constraint.condition)[::-1]
                return self.column_reading(list(names)), constraint.get_violation_error_message()
        for model_field in self.model._meta.concrete_fields:
            if model_field.unique and not model_field.primary_key and model_field.column in text:
                noun = self.model._meta.verbose_name
                return self.column_reading([model_field.name]), f"another {noun} already has this {model_field.name}"
        return None, f"the database refused the row: {text.splitlines()[0]}"

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

    def slug_of(self, model, pk):
        for slug, found in self.resolved.get(model, {}).items():
            if found == pk:
                return slug
        return model._base_manager.filter(pk=pk).values_list("slug", flat=True).first() or ""


# What files refer to -----------------------------------------------------------------


def among(name, values):
    """A filter for `name` in `values`: `= ANY(array)` on PostgreSQL, one parameter however many values."""
    values = list(values)
    if connection.vendor == "postgresql":
        return Q(**{f"{name}__any": values})
    return Q(**{f"{name}__in": values})


def slugs_of(model, slugs):
    """{slug: id} for these slugs, with one query: of the whole table, if there are many."""
    queryset = model._base_manager.values_list("slug", "pk")
    if len(slugs) <= WHOLE_TABLE_ABOVE:
        queryset = queryset.filter(among("slug", slugs))
    return dict(queryset)


def membership_parts(text):
    """The five parts of a membership key ('person:slug > organization > role > kind > start'), or None."""
    parts = tuple(part.strip() for part in str(text).split(">"))
    if len(parts) != 5 or parts[0].split(":", 1)[0] not in ("person", "organization"):
        return None
    return parts


def memberships_by_key(texts):
    """{key parts: id} of the memberships named, read with one query by their organizations."""
    wanted = {parts for parts in map(membership_parts, texts) if parts is not None}
    rows = Membership.objects.filter(organization__slug__in={parts[1] for parts in wanted}).values_list(
        "pk", "member_person__slug", "member_organization__slug", "organization__slug", "role", "kind", "start_date"
    )
    found = {}
    for pk, person, organization, body, role, kind, start in rows:
        found[(member_label(person, organization), body, role, kind, start)] = pk
    return found


def link_table(model, attribute):
    """(through model, its attname for the record, its attname for the linked record) of a many-to-many."""
    m2m = model._meta.get_field(attribute)
    return m2m.remote_field.through, m2m.m2m_column_name(), m2m.m2m_reverse_name()


def other_unique_fields(model, key, columns):
    """Single fields that must be unique, other than the file's key: a topic's name beside its slug."""
    key_attributes = {columns[name].attribute for name in key}
    return [
        model_field.name
        for model_field in model._meta.concrete_fields
        if model_field.unique and not model_field.primary_key and model_field.name not in key_attributes
    ]
