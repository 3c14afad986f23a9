"""The columns of a file, as its table declares them (batch/schema.py): how each cell is checked and written.

A cell is checked once, in Python, by the rules of its model field: its
length, choices, validators and type. Cleaners remember the verdict on short
values (dates, codes, choices repeat from row to row), so a long file pays
for each distinct short value once.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from ..partial_dates import PartialDate, PartialDateField

# A spreadsheet runs a cell that starts with one of these as a formula.
# Exports put an apostrophe before such a cell (and before one that already
# starts with apostrophes and then such a character, so the round trip is
# exact); imports take exactly one apostrophe off again.
# Spreadsheets also run a formula behind leading spaces (" =1+1") and in full-width signs ("＝1+1").
FORMULA = re.compile(r"^'*(?:[\t\r]|\s*[=+\-@＝＋－＠])")
ESCAPED_FORMULA = re.compile(r"^'+(?:[\t\r]|\s*[=+\-@＝＋－＠])")

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Cells this short are usually codes, dates and choices that repeat: their verdict is remembered.
SHORT = 40
CACHED_VALUES = 10_000


def membership_key(person, organization, body, role, kind, start):
    """How files name a membership: 'person:slug > organization > role > kind > start date'.

    `person` or `organization` is the member's slug (the other empty or None), `body` the slug of
    the organization it is a membership of.
    """
    return " > ".join([member_label(person, organization), body, role, kind, start])


def member_label(person, organization):
    """The first part of a membership key: 'person:slug' or 'organization:slug'."""
    return f"person:{person}" if person else f"organization:{organization}"


def escape_formula(value):
    return "'" + value if FORMULA.match(value) else value


def unescape_formula(value):
    return value[1:] if value[:1] == "'" and ESCAPED_FORMULA.match(value) else value


class CellError(ValueError):
    """What is wrong with one cell, in words for the person who wrote the file."""


@dataclass
class Column:
    """One column of a file.

    kind is "value" (a field of the record), "link" (a foreign key, written as
    the related record's slug), "links" (many-to-many, slugs separated by |)
    or "membership" (a membership, written as its key).
    """

    name: str
    attribute: str
    kind: str
    model_field: models.Field
    target: type | None = None
    clean: object = None
    render: object = None
    is_text: bool = False
    cache: dict = field(default_factory=dict)

    @property
    def attname(self):
        return self.model_field.attname if self.kind in ("link", "membership") else self.attribute

    def read(self, text):
        """The value of a cell of this value column; raises CellError. Short cells are checked once."""
        if len(text) > SHORT:
            return self.clean(text)
        try:
            outcome = self.cache[text]
        except KeyError:
            try:
                outcome = self.clean(text)
            except CellError as error:
                outcome = error
            if len(self.cache) < CACHED_VALUES:
                self.cache[text] = outcome
        if isinstance(outcome, CellError):
            raise outcome
        return outcome


def columns_of(table):
    """{column name: Column} of a table (batch/schema.py), in the file's order."""
    columns = {}
    for name in table.columns:
        model_field = table.model._meta.get_field(name)
        kind = table.kind(name)
        if kind == "value":
            column = Column(name, name, kind, model_field, is_text=table.is_text(name))
            column.clean = value_cleaner(model_field)
            column.render = renderer(model_field)
        else:
            column = Column(name, name, kind, model_field, table.target(name), is_text=table.is_text(name))
        columns[name] = column
    return columns


# Reading cells -------------------------------------------------------------------------


def value_cleaner(model_field):
    """A function from a cell's text to the field's value; raises CellError naming the problem."""
    if isinstance(model_field, PartialDateField):
        parse = _partial_date
    elif isinstance(model_field, models.CharField | models.TextField):
        parse = _text(model_field)
    elif isinstance(model_field, models.IntegerField):
        parse = _integer
    elif isinstance(model_field, models.DateTimeField):
        parse = _datetime
    elif isinstance(model_field, models.DateField):
        parse = _date
    elif isinstance(model_field, models.BooleanField):
        parse = _boolean
    else:
        parse = model_field.to_python
    validators = [v for v in model_field.validators if not isinstance(v, MaxLengthValidator)]
    choices = {str(value) for value, _ in model_field.flatchoices} if model_field.choices else None

    def clean(text):
        if text == "":
            if isinstance(model_field, models.BooleanField):
                return model_field.get_default()
            if model_field.null:
                return None
            if not model_field.blank:
                raise CellError("a value is required")
            return ""
        if "\x00" in text:
            raise CellError("the cell holds a NUL character, which no record can contain")
        value = parse(text)
        if choices is not None and str(value) not in choices:
            raise CellError(f"{text!r} is not one of {', '.join(sorted(choices))}")
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                raise CellError(" ".join(error.messages)) from None
        return value

    return clean


def _partial_date(text):
    try:
        return PartialDate(text)
    except ValueError as error:
        raise CellError(str(error)) from None


def _text(model_field):
    limit = model_field.max_length

    def parse(text):
        if limit is not None and len(text) > limit:
            raise CellError(f"the cell has {len(text):,} characters; this column holds at most {limit:,}")
        return text

    return parse


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise CellError(f"{text!r} is not a whole number") from None


TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


def _boolean(text):
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise CellError(f"{text!r} is not true or false")


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def _datetime(text):
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date and time: write YYYY-MM-DD HH:MM:SS (UTC)") from None
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


# Writing cells ------------------------------------------------------------------------


def renderer(model_field):
    """The fastest way to write a field's values as cells; `render` for those that need its care."""
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.null:
        return str
    return render


def render(value):
    """A value as its cell: '' for nothing, ISO dates, times in UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
