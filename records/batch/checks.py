"""Step 3 of importing a file: each cell against its model field, each record against the rules.

Cells are checked column by column (batch/columns.py); the record as it would
be against the model's check constraints evaluated in Python (batch/rules.py),
its other unique constraints and the review rule (records/roles.py). Every
problem is named by row and column.
"""

from collections import defaultdict

from ..models import Membership
from ..models.base import Publishable
from ..roles import governing, refusal
from . import rules
from .columns import CellError, membership_key, unescape_formula
from .references import Consequence, membership_parts


class Checks:
    """The checks of a file's rows, a part of batch/importing.py's File.

    Cells are read with `plan` and `link`; a refused row goes into `failed_rows`, its problems
    to the import, and its key into `batch.refused` so that rows referring to it are told why.
    """

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
            if target is not record:  # a part answers to its record: the column naming that record
                column = self.column_reading([self.link_name_to(target)])
            elif stored is None or "status" in record._changed:
                column = "status"
            else:  # a change to a published record: the column the change is in
                column = self.column_reading(record._changed) or "status"
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


def other_unique_fields(model, key, columns):
    """Single fields that must be unique, other than the file's key: a topic's name beside its slug."""
    key_attributes = {columns[name].attribute for name in key}
    return [
        model_field.name
        for model_field in model._meta.concrete_fields
        if model_field.unique and not model_field.primary_key and model_field.name not in key_attributes
    ]
